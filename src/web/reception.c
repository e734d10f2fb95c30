#include "web/reception.h"

#include "core/civil_date.h"
#include "core/folio.h"
#include "credential/claims.h"
#include "util/alloc.h"
#include "web/appointments.h"
#include "web/issued.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int refuse(const struct web_request *req, struct refusal *why, unsigned status,
                  const char *code, const char *field, const char *es, const char *en)
{
    return refusal_text(why, status, code, field, req->lang == I18N_EN ? en : es);
}

/* A 403 when who's role may never do action, else 0. */
static int role_allows(const struct web_request *req, const struct staff_member *who,
                       enum staff_action action, struct refusal *why)
{
    struct staff_target anywhere = {who->scope.unit, who->scope.state};
    if (staff_may(&who->scope, action, &anywhere))
        return 0;
    return refuse(req, why, MHD_HTTP_FORBIDDEN, "out_of_scope", NULL,
                  "Su función no permite atender la recepción.",
                  "Your role does not allow working the reception desk.");
}

/* Why a verdict is not a valid credential, in words. */
static const char *verdict_words(enum i18n_lang lang, enum envelope_result r)
{
    bool en = lang == I18N_EN;
    switch (r) {
    case ENVELOPE_EXPIRED:
        return en ? "the credential has expired" : "la credencial venció";
    case ENVELOPE_NOT_YET_VALID:
        return en ? "the credential is not valid yet" : "la credencial aún no es válida";
    case ENVELOPE_REVOKED:
        return en ? "the credential was revoked (a newer one replaces it)"
                  : "la credencial fue revocada (otra más reciente la sustituye)";
    case ENVELOPE_UNKNOWN_KEY:
    case ENVELOPE_BAD_SIGNATURE:
        return en ? "the signature is not ours: forged or altered"
                  : "la firma no es nuestra: falsificada o alterada";
    case ENVELOPE_MALFORMED:
    case ENVELOPE_VALID:
    default:
        return en ? "the code could not be read" : "el código no se pudo leer";
    }
}

/* The enrollment folio of a valid credential's QR text into key. */
static int credential_folio(const struct web_request *req, const char *qr, size_t len,
                            char key[FOLIO_LENGTH + 1], struct refusal *why)
{
    if (len == 0)
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "qr",
                      "Escanee o pegue el código QR de la credencial.",
                      "Scan or paste the credential's QR code.");
    if (issued_verify_allowed(req, false, why) != 0)
        return -1;
    struct envelope_verdict v;
    int result = issued_verify(req, qr, len, &v);
    struct claims_person p = {0};
    char claims_why[CLAIMS_WHY_SIZE];
    bool credential = result == ENVELOPE_VALID && v.payload &&
                      claims_decode(v.payload, v.payload_len, &p, claims_why) == 0 &&
                      p.kind == CLAIMS_CREDENTIAL && p.folio.s &&
                      folio_normalize(p.folio.s, p.folio.len, key);
    envelope_verdict_release(&v);
    if (result < 0)
        return refusal_internal(req, why, "reception: the revocations could not be read");
    if (credential)
        return 0;
    char message[256]; /* refusal_text copies it */
    const char *words = result == ENVELOPE_VALID
                            ? (req->lang == I18N_EN ? "it is not a health-care credential"
                                                    : "no es una credencial de afiliación")
                            : verdict_words(req->lang, (enum envelope_result)result);
    snprintf(message, sizeof message, "%s: %s.",
             req->lang == I18N_EN ? "Credential not accepted" : "Credencial no aceptada", words);
    return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "credential_invalid", "qr", message);
}

int reception_checkin(const struct web_request *req, const struct staff_member *who, const char *qr,
                      size_t len, const char *folio, struct reception_checkin *out,
                      struct refusal *why)
{
    memset(out, 0, sizeof *out);
    char key[FOLIO_LENGTH + 1], clinic[STORE_CLUES_LEN + 1], err[256];
    if (role_allows(req, who, STAFF_APPOINTMENT_CHECKIN, why) != 0)
        return -1;
    if (qr) {
        if (credential_folio(req, qr, len, key, why) != 0)
            return -1;
    } else if (!folio || !*folio) {
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "folio",
                      "Escriba el folio de afiliación o escanee la credencial.",
                      "Type the enrollment folio or scan the credential.");
    } else if (!folio_normalize(folio, strlen(folio), key)) {
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_folio", "folio",
                      "El folio de afiliación se ve así: IB26-7K3M-9QXD.",
                      "An enrollment folio looks like IB26-7K3M-9QXD.");
    }
    char canonical[STAFF_KEY_MAX];
    int found = staff_find_person(req, key, canonical, &out->person, clinic, why);
    if (found < 0)
        return -1;
    if (found == 0)
        return refuse(req, why, MHD_HTTP_NOT_FOUND, "person_not_found", "folio",
                      "No hay una afiliación activa con ese folio.",
                      "There is no active enrollment with that folio.");
    struct store_audit_record rec;
    struct staff_target target = {clinic, 0}; /* the home clinic, never the state */
    if (!staff_may(&who->scope, STAFF_APPOINTMENT_CHECKIN, &target)) {
        staff_audit_record(req, who, "appointment.checkin.denied", "", out->person.curp, &rec);
        if (store_audit_append(req->app->store, &rec, err, sizeof err) != 0)
            return refusal_internal(req, why, err);
        return refuse(req, why, MHD_HTTP_NOT_FOUND, "not_at_this_unit", "folio",
                      "Esta persona no está adscrita a esta unidad: debe atenderse en su "
                      "unidad de adscripción.",
                      "This person's home clinic is another unit: they are seen there.");
    }
    if (out->person.suspended_at) { /* found active in a roll: cared for there */
        staff_audit_record(req, who, "appointment.checkin.suspended", "", out->person.curp, &rec);
        if (store_audit_append(req->app->store, &rec, err, sizeof err) != 0)
            return refusal_internal(req, why, err);
        return issued_suspended_refusal(req, out->person.suspended_institution, why);
    }
    char today[11];
    int minute;
    appointments_today(req, today, &minute);
    staff_audit_record(req, who, staff_action_name(STAFF_APPOINTMENT_CHECKIN), "", out->person.curp,
                       &rec);
    enum store_checkin_result rc =
        store_appointment_checkin(req->app->store, out->person.id, who->account.unit, today,
                                  req->app->clock(), &rec, &out->appointment, err, sizeof err);
    if (rc == STORE_CHECKIN_ERROR)
        return refusal_internal(req, why, err);
    out->already = rc == STORE_CHECKIN_ALREADY;
    return 0;
}

bool reception_transition_ok(enum store_appointment_status from, enum store_appointment_status to,
                             bool window_passed)
{
    switch (from) {
    case STORE_APPT_ARRIVED:
        return to == STORE_APPT_IN_CONSULTATION;
    case STORE_APPT_IN_CONSULTATION:
        return to == STORE_APPT_DONE;
    case STORE_APPT_BOOKED:
        return to == STORE_APPT_NO_SHOW && window_passed;
    case STORE_APPT_CANCELLED:
    case STORE_APPT_DONE:
    case STORE_APPT_NO_SHOW:
    default:
        return false;
    }
}

/* Whether a's arrival window is over at the server's clock. */
static bool window_passed(const struct web_request *req, const struct store_appointment *a)
{
    char today[11];
    int minute;
    appointments_today(req, today, &minute);
    int order = strcmp(a->date, today);
    return order < 0 || (order == 0 && !a->walk_in && minute >= a->arrival_to);
}

static int parse_status(const char *text, enum store_appointment_status *st)
{
    for (int i = STORE_APPT_BOOKED; text && i <= STORE_APPT_NO_SHOW; i++)
        if (strcmp(text, store_appointment_status_name((enum store_appointment_status)i)) == 0) {
            *st = (enum store_appointment_status)i;
            return 0;
        }
    return -1;
}

int reception_set_status(const struct web_request *req, const struct staff_member *who, int64_t id,
                         const char *status, struct store_appointment *out, struct refusal *why)
{
    char err[256];
    enum store_appointment_status to;
    if (role_allows(req, who, STAFF_APPOINTMENT_STATUS, why) != 0)
        return -1;
    if (parse_status(status, &to) != 0)
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_status", "status",
                      "El estado es in_consultation, done o no_show.",
                      "The status is in_consultation, done or no_show.");
    int found = id > 0 ? store_appointment_at_unit(req->app->store, id, who->account.unit, out, err,
                                                   sizeof err)
                       : 0;
    if (found < 0)
        return refusal_internal(req, why, err);
    if (found == 0)
        return refusal_set(req, why, MHD_HTTP_NOT_FOUND, "appointment_not_found", NULL,
                           MSG_APPT_NOT_FOUND);
    struct store_registration *reg = xcalloc(1, sizeof *reg);
    int rc = -1;
    if (!reception_transition_ok(out->status, to, window_passed(req, out))) {
        rc = refuse(req, why, MHD_HTTP_CONFLICT, "invalid_transition", "status",
                    "La cita no puede pasar a ese estado ahora.",
                    "The appointment cannot move to that status now.");
    } else if (store_registration_get(req->app->store, out->registration, reg, err, sizeof err) !=
               1) {
        rc = refusal_internal(req, why, "reception: the appointment's enrollment is unreadable");
    } else {
        struct store_audit_record rec;
        staff_audit_record(req, who, staff_action_name(STAFF_APPOINTMENT_STATUS), "", reg->curp,
                           &rec);
        int64_t now = req->app->clock();
        int changed = store_appointment_set_status(req->app->store, id, who->account.unit,
                                                   out->status, to, now, &rec, err, sizeof err);
        if (changed < 0)
            rc = refusal_internal(req, why, err);
        else if (changed == 0)
            rc = refuse(req, why, MHD_HTTP_CONFLICT, "invalid_transition", "status",
                        "La cita cambió mientras tanto: vuelva a cargar la lista.",
                        "The appointment changed meanwhile: reload the list.");
        else {
            out->status = to;
            out->updated_at = now;
            rc = 0;
        }
    }
    free(reg);
    return rc;
}

void reception_person_name(const struct store_registration *reg, char *buf, size_t size)
{
    const struct store_names *n = &reg->names;
    snprintf(buf, size, "%s%s%s%s%s", n->given_names, n->first_surname[0] ? " " : "",
             n->first_surname, n->second_surname[0] ? " " : "", n->second_surname);
}

json_t *reception_appointment_json(const struct store_appointment *a)
{
    json_t *j = appointments_json(a);
    if (a->walk_in) {
        json_object_set_new(j, "slot", json_null());
        json_object_set_new(j, "arrival", json_null());
        json_object_set_new(j, "position", json_null());
    }
    json_object_set_new(j, "walk_in", json_boolean(a->walk_in));
    json_object_set_new(j, "turn", a->turn ? json_integer(a->turn) : json_null());
    return j;
}

/* Unix time of the start of the server's local day containing now. */
static int64_t day_start(int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return now - now % 86400;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t start = mktime(&tm);
    return start == (time_t)-1 ? now - now % 86400 : (int64_t)start;
}

/* One entry of the day's list, with the audit record of reading it. */
static json_t *day_entry(const struct web_request *req, const struct staff_member *who,
                         const struct store_appointment *a, struct store_registration *reg,
                         char *err, size_t errsz)
{
    if (store_registration_get(req->app->store, a->registration, reg, err, errsz) != 1) {
        snprintf(err, errsz, "reception: an appointment's enrollment is unreadable");
        return NULL;
    }
    struct store_audit_record rec;
    staff_audit_record(req, who, "appointment.list", "", reg->curp, &rec);
    if (store_audit_append_since(req->app->store, &rec, day_start(rec.at), err, errsz) < 0)
        return NULL;
    char masked[64], name[3 * STORE_NAME_MAX + 4];
    issued_mask_curp(reg->curp, masked, sizeof masked);
    reception_person_name(reg, name, sizeof name);
    json_t *j = reception_appointment_json(a);
    json_object_set_new(j, "folio", json_string(reg->folio));
    json_object_set_new(j, "curp", json_string(masked));
    json_object_set_new(j, "name", json_string(name));
    json_t *next = json_array();
    bool passed = window_passed(req, a);
    for (int to = STORE_APPT_BOOKED; to <= STORE_APPT_NO_SHOW; to++)
        if (reception_transition_ok(a->status, (enum store_appointment_status)to, passed))
            json_array_append_new(next, json_string(store_appointment_status_name(
                                            (enum store_appointment_status)to)));
    json_object_set_new(j, "next", next);
    return j;
}

json_t *reception_day_json(const struct web_request *req, const struct staff_member *who,
                           const char *date, struct refusal *why)
{
    char today[11], err[256];
    int minute, y, m, d;
    if (role_allows(req, who, STAFF_APPOINTMENT_CHECKIN, why) != 0)
        return NULL;
    appointments_today(req, today, &minute);
    if (!date || !*date)
        date = today;
    if (strlen(date) != 10 || civil_parse_date(date, 10, &y, &m, &d) != 0) {
        refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_date", "date",
                    MSG_APPT_DATE_INVALID);
        return NULL;
    }
    struct store_appointment *list = xcalloc(RECEPTION_DAY_MAX, sizeof *list);
    struct store_registration *reg = xcalloc(1, sizeof *reg);
    json_t *out = NULL;
    int n = store_appointment_day_list(req->app->store, who->account.unit, date, list,
                                       RECEPTION_DAY_MAX, err, sizeof err);
    if (n >= 0) {
        out = json_array();
        for (int i = 0; out && i < n && i < RECEPTION_DAY_MAX; i++) {
            json_t *entry = day_entry(req, who, &list[i], reg, err, sizeof err);
            if (entry) {
                json_array_append_new(out, entry);
            } else {
                json_decref(out);
                out = NULL;
            }
        }
    }
    if (!out)
        refusal_internal(req, why, err);
    free(list);
    free(reg);
    return out;
}
