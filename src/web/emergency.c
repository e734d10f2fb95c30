/* emergency: opening, reading and changing emergency encounters, with their audit. */
#include "web/emergency.h"

#include "core/folio.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FOLIO_EMERGENCY "UR" /* urgencias */

/* A refusal with a message of this module, in the request's language. */
static int refuse(const struct web_request *req, struct refusal *why, unsigned status,
                  const char *code, const char *field, const char *es, const char *en)
{
    return refusal_text(why, status, code, field, req->lang == I18N_EN ? en : es);
}

bool emergency_unit_takes(const struct catalog_facility *f)
{
    return f && f->status == CATALOG_IN_OPERATION &&
           (f->level == CATALOG_LEVEL_2 || f->level == CATALOG_LEVEL_3);
}

/* An audit record of action by who about e (its CURP, else its id). */
static void audit_of(const struct web_request *req, const struct staff_member *who,
                     enum staff_action action, const struct store_emergency *e,
                     struct store_audit_record *rec)
{
    staff_audit_record(req, who, staff_action_name(action), "", e->curp[0] ? e->curp : e->id, rec);
}

/* The active enrollment of curp into registration ("" when none): 0, or -1. */
static int enrollment_of(const struct web_request *req, const char *curp,
                         char registration[STORE_ID_LEN + 1], char *err, size_t errsz)
{
    registration[0] = '\0';
    return curp[0] && store_person_find(req->app->store, curp, registration, err, errsz) < 0 ? -1
                                                                                             : 0;
}

static int refuse_role(const struct web_request *req, struct refusal *why)
{
    return refuse(req, why, MHD_HTTP_FORBIDDEN, "out_of_scope", NULL,
                  "Su función no permite esta acción de urgencias.",
                  "Your role does not allow this emergency action.");
}

static int refuse_duplicate(const struct web_request *req, struct refusal *why,
                            const char *existing)
{
    char es[200], en[200];
    snprintf(es, sizeof es,
             "Esta persona ya tiene una atención de urgencias abierta en la unidad: %s.", existing);
    snprintf(en, sizeof en, "This person already has an open emergency encounter here: %s.",
             existing);
    return refuse(req, why, MHD_HTTP_CONFLICT, "already_open", "curp", es, en);
}

int emergency_open(const struct web_request *req, const struct staff_member *who,
                   const struct emergency_intake_input *in, struct store_emergency *out,
                   char existing[STORE_EMERGENCY_ID_LEN + 1], struct refusal *why)
{
    struct staff_target here = {who->scope.unit, who->scope.state};
    if (!staff_may(&who->scope, STAFF_EMERGENCY_OPEN, &here))
        return refuse_role(req, why);
    const struct catalog_facility *unit =
        req->app->catalog ? catalog_facility(req->app->catalog, who->account.unit) : NULL;
    if (!emergency_unit_takes(unit))
        return refuse(req, why, MHD_HTTP_FORBIDDEN, "not_a_hospital", NULL,
                      "Solo las unidades hospitalarias (segundo o tercer nivel) abren atenciones "
                      "de urgencias.",
                      "Only hospital units (second or third level) open emergency encounters.");
    struct emergency_intake intake, *k = &intake;
    const char *field;
    enum emergency_intake_status st = emergency_intake_check(in, k, &field);
    if (st != EMERGENCY_INTAKE_OK)
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, emergency_intake_code(st), field,
                      "Revise este dato de la atención de urgencias.",
                      "Check this detail of the emergency encounter.");
    char err[256];
    memset(out, 0, sizeof *out);
    uint8_t random[FOLIO_RANDOM_BYTES];
    randombytes_buf(random, sizeof random);
    time_t now = (time_t)req->app->clock();
    struct tm tm;
    gmtime_r(&now, &tm);
    folio_format_kind(FOLIO_EMERGENCY, random, tm.tm_year + 1900, out->id);
    snprintf(out->unit, sizeof out->unit, "%s", who->account.unit);
    out->opened_at = (int64_t)now;
    out->opened_by = who->account.id;
#define COPY(field)                                                                                \
    do {                                                                                           \
        _Static_assert(sizeof out->field == sizeof k->field, "sizes of " #field);                  \
        memcpy(out->field, k->field, sizeof out->field);                                           \
    } while (0)
    COPY(triage);
    COPY(identity);
    COPY(curp);
    COPY(name);
    COPY(sex);
    COPY(features);
    COPY(found_where);
#undef COPY
    out->apparent_age = k->apparent_age;
    snprintf(out->status, sizeof out->status, "open");
    out->updated_at = out->opened_at;
    if (enrollment_of(req, out->curp, out->registration, err, sizeof err) != 0)
        return refusal_internal(req, why, err);
    struct store_audit_record rec;
    audit_of(req, who, STAFF_EMERGENCY_OPEN, out, &rec);
    switch (store_emergency_open(req->app->store, out, &rec, existing, err, sizeof err)) {
    case STORE_EMERGENCY_OK:
        return 0;
    case STORE_EMERGENCY_DUPLICATE:
        return refuse_duplicate(req, why, existing);
    default:
        return refusal_internal(req, why, err);
    }
}

static int refuse_unknown(const struct web_request *req, struct refusal *why)
{
    return refuse(req, why, MHD_HTTP_NOT_FOUND, "emergency_not_found", NULL,
                  "No hay una atención de urgencias con ese número en su unidad.",
                  "There is no emergency encounter with that number at your unit.");
}

/* The encounter id of who's unit into e, checked for action: 0, or -1 with why. */
static int load(const struct web_request *req, const struct staff_member *who, const char *id,
                enum staff_action action, struct store_emergency *e, struct refusal *why)
{
    struct staff_target here = {who->scope.unit, who->scope.state};
    if (!staff_may(&who->scope, action, &here))
        return refuse_role(req, why);
    char key[FOLIO_LENGTH + 1], err[256];
    if (!id || !folio_normalize_kind(FOLIO_EMERGENCY, id, strlen(id), key))
        return refuse_unknown(req, why);
    int found = store_emergency_get(req->app->store, key, e, err, sizeof err);
    if (found < 0)
        return refusal_internal(req, why, err);
    struct staff_target there = {e->unit, who->scope.state};
    if (found == 0 || !staff_may(&who->scope, action, &there))
        return refuse_unknown(req, why);
    return 0;
}

/* Links e to the enrollment of its CURP when one has come since: 0, or -1. */
static int link_late(const struct web_request *req, struct store_emergency *e, char *err,
                     size_t errsz)
{
    if (!e->curp[0] || e->registration[0])
        return 0;
    char registration[STORE_ID_LEN + 1];
    if (enrollment_of(req, e->curp, registration, err, errsz) != 0)
        return -1;
    if (!registration[0])
        return 0;
    int linked = store_emergency_link(req->app->store, e->id, registration, err, errsz);
    if (linked == 1)
        snprintf(e->registration, sizeof e->registration, "%s", registration);
    return linked < 0 ? -1 : 0;
}

int emergency_for_referral(const struct web_request *req, const struct staff_member *who,
                           const char *id, const struct store_registration *reg,
                           struct store_emergency *out, struct refusal *why)
{
    char err[256];
    if (load(req, who, id, STAFF_EMERGENCY_UPDATE, out, why) != 0) {
        why->field = "emergency";
        return -1;
    }
    if (strcmp(out->status, "open") != 0)
        return refuse(req, why, MHD_HTTP_CONFLICT, "emergency_closed", "emergency",
                      "emergency: la atención de urgencias ya se cerró; se refiere desde una "
                      "atención abierta.",
                      "emergency: the emergency encounter is closed; refer from an open one.");
    if (link_late(req, out, err, sizeof err) != 0)
        return refusal_internal(req, why, err);
    bool same = (out->registration[0] && strcmp(out->registration, reg->id) == 0) ||
                (out->curp[0] && strcmp(out->curp, reg->curp) == 0);
    if (!same)
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "emergency_mismatch", "emergency",
                      "emergency: la atención de urgencias no es de la persona referida (ni su "
                      "afiliación ni su CURP).",
                      "emergency: the emergency encounter is not the referred person's (neither "
                      "their enrollment nor their CURP).");
    return 0;
}

int emergency_read(const struct web_request *req, const struct staff_member *who, const char *id,
                   struct store_emergency *out, struct refusal *why)
{
    char err[256];
    if (load(req, who, id, STAFF_EMERGENCY_READ, out, why) != 0)
        return -1;
    if (link_late(req, out, err, sizeof err) != 0)
        return refusal_internal(req, why, err);
    struct store_audit_record rec;
    audit_of(req, who, STAFF_EMERGENCY_READ, out, &rec);
    if (store_audit_append(req->app->store, &rec, err, sizeof err) != 0)
        return refusal_internal(req, why, err);
    return 0;
}

static int refuse_not_open(const struct web_request *req, struct refusal *why)
{
    return refuse(req, why, MHD_HTTP_CONFLICT, "not_open", NULL,
                  "Esa atención de urgencias ya está cerrada.",
                  "That emergency encounter is closed already.");
}

/* The store's answer to a change as a result: 0, or -1 with why. */
static int change_result(const struct web_request *req, enum store_emergency_result rc,
                         const char *existing, const char *err, struct refusal *why)
{
    switch (rc) {
    case STORE_EMERGENCY_OK:
        return 0;
    case STORE_EMERGENCY_NONE:
        return refuse_unknown(req, why);
    case STORE_EMERGENCY_NOT_OPEN:
        return refuse_not_open(req, why);
    case STORE_EMERGENCY_DUPLICATE:
        return refuse_duplicate(req, why, existing);
    case STORE_EMERGENCY_MISMATCH:
        return refuse(req, why, MHD_HTTP_CONFLICT, "cannot_merge", "into",
                      "Solo se une una atención abierta a otra abierta de la misma unidad y de "
                      "la misma persona.",
                      "Only an open encounter may be merged into another open one of the same "
                      "unit and person.");
    case STORE_EMERGENCY_ERROR:
        break;
    }
    return refusal_internal(req, why, err);
}

int emergency_apply(const struct web_request *req, const struct staff_member *who, const char *id,
                    const struct emergency_event *ev, struct store_emergency *out,
                    char existing[STORE_EMERGENCY_ID_LEN + 1], struct refusal *why)
{
    struct store_emergency e;
    char err[256] = "", target[FOLIO_LENGTH + 1] = "";
    if (load(req, who, id, STAFF_EMERGENCY_UPDATE, &e, why) != 0)
        return -1;
    struct store_audit_record rec;
    audit_of(req, who, STAFF_EMERGENCY_UPDATE, &e, &rec);
    int64_t now = req->app->clock();
    const char *kind = ev->kind ? ev->kind : "";
    enum store_emergency_result rc;
    if (strcmp(kind, "identify") == 0) {
        char curp[19], registration[STORE_ID_LEN + 1];
        if (!emergency_curp(ev->curp, curp))
            return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_curp", "curp",
                          "Escriba una CURP válida.", "Type a valid CURP.");
        if (enrollment_of(req, curp, registration, err, sizeof err) != 0)
            return refusal_internal(req, why, err);
        snprintf(rec.subject, sizeof rec.subject, "%s", curp);
        rc = store_emergency_identify(req->app->store, e.id, curp, registration, now, &rec,
                                      existing, err, sizeof err);
        snprintf(target, sizeof target, "%s", e.id);
    } else if (strcmp(kind, "merge") == 0) {
        if (!ev->into || !folio_normalize_kind(FOLIO_EMERGENCY, ev->into, strlen(ev->into), target))
            return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_into", "into",
                          "Escriba el número de la atención abierta (UR26-...).",
                          "Type the number of the open encounter (UR26-...).");
        rc = store_emergency_merge(req->app->store, e.id, target, now, who->account.id, &rec, err,
                                   sizeof err);
    } else if (strcmp(kind, "discharge") == 0 || strcmp(kind, "transfer") == 0) {
        bool transfer = kind[0] == 't';
        const struct catalog_facility *to =
            transfer && ev->transfer_to && strlen(ev->transfer_to) == STORE_CLUES_LEN &&
                    req->app->catalog
                ? catalog_facility(req->app->catalog, ev->transfer_to)
                : NULL;
        if (transfer && (!to || to->status != CATALOG_IN_OPERATION))
            return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_unit", "transfer_to",
                          "Escriba la CLUES de una unidad en operación.",
                          "Type the CLUES of a unit in operation.");
        rc = store_emergency_close(req->app->store, e.id, transfer ? "transferred" : "discharged",
                                   transfer ? to->clues : NULL, now, who->account.id, &rec, err,
                                   sizeof err);
        snprintf(target, sizeof target, "%s", e.id);
    } else {
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_event", "kind",
                      "El evento debe ser identify, merge, discharge o transfer.",
                      "The event must be identify, merge, discharge or transfer.");
    }
    if (change_result(req, rc, existing, err, why) != 0)
        return -1;
    int found = store_emergency_get(req->app->store, target, out, err, sizeof err);
    if (found != 1)
        return refusal_internal(req, why, found < 0 ? err : "emergency vanished after a change");
    return 0;
}

static json_t *time_json(int64_t at)
{
    if (!at)
        return json_null();
    char text[32];
    time_t t = (time_t)at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(text);
}

static json_t *opt_text(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

/* The invitation to register of a closed encounter without an enrollment. */
static json_t *invitation_json(const struct web_request *req, const struct store_emergency *e)
{
    char url[WEB_PUBLIC_URL_MAX + 32];
    const char *base = req->app->public_url ? req->app->public_url : "";
    snprintf(url, sizeof url, "%s/registro/curp", base);
    bool en = req->lang == I18N_EN;
    const char *message =
        e->curp[0] ? (en ? "Enroll for free in IMSS-Bienestar: open the address and type your "
                           "CURP. No office visit, no payment."
                         : "Afíliese gratis al IMSS-Bienestar: abra la dirección y escriba su "
                           "CURP. Sin acudir a una oficina y sin pagar.")
                   : (en ? "Enroll for free in IMSS-Bienestar: open the address; you will need "
                           "your CURP. No office visit, no payment."
                         : "Afíliese gratis al IMSS-Bienestar: abra la dirección; necesitará su "
                           "CURP. Sin acudir a una oficina y sin pagar.");
    return json_pack("{s:s, s:o, s:s}", "url", url, "curp", opt_text(e->curp), "message", message);
}

json_t *emergency_json(const struct web_request *req, const struct store_emergency *e)
{
    const char *unit_name = staff_unit_name(req, e->unit);
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(e->id));
    json_object_set_new(j, "unit",
                        json_pack("{s:s, s:o}", "clues", e->unit, "name", opt_text(unit_name)));
    json_object_set_new(j, "opened_at", time_json(e->opened_at));
    json_object_set_new(j, "triage", json_string(e->triage));
    json_object_set_new(j, "identity", json_string(e->identity));
    json_object_set_new(j, "curp", opt_text(e->curp));
    json_object_set_new(j, "name", opt_text(e->name));
    json_object_set_new(
        j, "description",
        json_pack("{s:o, s:o, s:o, s:o}", "sex", opt_text(e->sex), "apparent_age",
                  e->apparent_age >= 0 ? json_integer(e->apparent_age) : json_null(), "features",
                  opt_text(e->features), "found_where", opt_text(e->found_where)));
    json_object_set_new(j, "status", json_string(e->status));
    json_object_set_new(j, "closed_at", time_json(e->closed_at));
    json_object_set_new(j, "transfer_to", opt_text(e->transfer_to));
    json_object_set_new(j, "merged_into", opt_text(e->merged_into));
    /* The enrollment by its folio only: staff look the person up apart (audited). */
    json_object_set_new(j, "enrolled", json_boolean(e->registration[0] != '\0'));
    bool closed = strcmp(e->status, "discharged") == 0 || strcmp(e->status, "transferred") == 0;
    if (closed && !e->registration[0])
        json_object_set_new(j, "invitation", invitation_json(req, e));
    return j;
}

struct listing {
    const struct web_request *req;
    const struct staff_member *who;
    json_t *list;
    int failed;
    char err[256];
};

static int list_one(void *ctx, const struct store_emergency *e)
{
    struct listing *l = ctx;
    struct store_audit_record rec;
    audit_of(l->req, l->who, STAFF_EMERGENCY_READ, e, &rec);
    if (store_audit_append(l->req->app->store, &rec, l->err, sizeof l->err) != 0) {
        l->failed = 1;
        return 1;
    }
    json_array_append_new(l->list, emergency_json(l->req, e));
    return 0;
}

json_t *emergency_open_list(const struct web_request *req, const struct staff_member *who,
                            struct refusal *why)
{
    struct staff_target here = {who->scope.unit, who->scope.state};
    if (!staff_may(&who->scope, STAFF_EMERGENCY_READ, &here)) {
        refuse_role(req, why);
        return NULL;
    }
    struct listing l = {req, who, json_array(), 0, ""};
    /* Each encounter listed is a read of that person's data: one record each. */
    if (store_emergency_each(req->app->store, who->account.unit, NULL, list_one, &l, l.err,
                             sizeof l.err) < 0 ||
        l.failed) {
        json_decref(l.list);
        refusal_internal(req, why, l.err);
        return NULL;
    }
    return l.list;
}
