#include "web/referrals.h"

#include "catalog/catalog.h"
#include "catalog/diagnoses.h"
#include "core/civil_date.h"
#include "core/folio.h"
#include "core/text_field.h"
#include "geo/facilities.h"
#include "web/api_common.h"
#include "web/emergency.h"
#include "web/home_clinic.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REFERRAL_FOLIO  "RF" /* RF26-7K3M-9QXD */
#define ID_TRIES        5
#define DIAGNOSES_SHOWN 20

static int say(const struct web_request *req, struct refusal *why, unsigned status,
               const char *code, const char *field, const char *es, const char *en)
{
    return refusal_text(why, status, code, field, req->lang == I18N_EN ? en : es);
}

/* The rules' refusals, in Spanish (care/referral.h has the English). */
static const char *const verdict_es[REFERRAL_VERDICTS] = {
    [REFERRAL_ALLOWED] = "permitido",
    [REFERRAL_FORBIDDEN] = "Su función en su unidad no permite este cambio.",
    [REFERRAL_INVALID_TRANSITION] = "El estado de la referencia no permite este cambio.",
    [REFERRAL_REASON_REQUIRED] = "note: el rechazo necesita un motivo.",
    [REFERRAL_SCHEDULE_REQUIRED] = "date, time: la programación necesita fecha y hora.",
    [REFERRAL_STUDY_REQUIRED] = "El tercer nivel atiende después del estudio socioeconómico: "
                                "primero lo registra trabajo social de la unidad.",
    [REFERRAL_WRONG_LEVEL] = "to_unit: el primer nivel refiere al segundo y el segundo al tercero.",
    [REFERRAL_UNIT_NOT_OPERATING] = "to_unit: la unidad que recibe no está en operación.",
    [REFERRAL_SAME_UNIT] = "to_unit: una unidad no se refiere a sí misma.",
};

static const char *const verdict_field[REFERRAL_VERDICTS] = {
    [REFERRAL_REASON_REQUIRED] = "note", [REFERRAL_SCHEDULE_REQUIRED] = "date",
    [REFERRAL_WRONG_LEVEL] = "to_unit",  [REFERRAL_UNIT_NOT_OPERATING] = "to_unit",
    [REFERRAL_SAME_UNIT] = "to_unit",
};

static int verdict_refusal(const struct web_request *req, enum referral_verdict v,
                           struct refusal *why)
{
    if ((unsigned)v >= REFERRAL_VERDICTS)
        v = REFERRAL_FORBIDDEN;
    return say(req, why, (unsigned)referral_verdict_status(v), referral_verdict_code(v),
               verdict_field[v], verdict_es[v], referral_verdict_text(v));
}

static const struct catalog_facility *facility(const struct web_request *req, const char *clues)
{
    return req->app->catalog && clues && *clues ? catalog_facility(req->app->catalog, clues) : NULL;
}

static int level_of(const struct web_request *req, const char *clues)
{
    const struct catalog_facility *f = facility(req, clues);
    return f ? (int)f->level : 0;
}

static enum referral_role rules_role(const struct staff_member *who)
{
    switch (who->scope.role) {
    case STAFF_PHYSICIAN:
        return REFERRAL_ROLE_PHYSICIAN;
    case STAFF_UNIT_ADMIN:
        return REFERRAL_ROLE_UNIT_ADMIN;
    case STAFF_SOCIAL_WORKER:
        return REFERRAL_ROLE_SOCIAL_WORKER;
    default:
        return REFERRAL_ROLE_OTHER;
    }
}

/* Whether who may do action at their own unit, given its level. */
static bool may_here(const struct web_request *req, const struct staff_member *who,
                     enum staff_action action)
{
    struct staff_target here = {who->scope.unit, who->scope.state};
    return staff_may_at_level(&who->scope, action, &here, level_of(req, who->account.unit));
}

static int forbidden(const struct web_request *req, struct refusal *why)
{
    return verdict_refusal(req, REFERRAL_FORBIDDEN, why);
}

static struct store_audit_record audit_of(const struct web_request *req,
                                          const struct staff_member *who, const char *action,
                                          const char *curp)
{
    struct store_audit_record r = {.at = req->app->clock(), .staff = who->account.id};
    snprintf(r.role, sizeof r.role, "%s", who->account.role);
    snprintf(r.unit, sizeof r.unit, "%s", who->account.unit);
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.subject, sizeof r.subject, "%s", curp);
    web_client_address(req, r.client, sizeof r.client);
    return r;
}

/* Cleans an optional (required = false) or required text into out. */
static int clean_text(const struct web_request *req, const char *text, bool required,
                      const char *field, char out[STORE_REFERRAL_TEXT_MAX + 1], struct refusal *why)
{
    out[0] = '\0';
    size_t len = text ? strlen(text) : 0;
    enum text_field_status st =
        len ? text_field_clean(text, len, REFERRAL_TEXT_CHARS, out, STORE_REFERRAL_TEXT_MAX + 1)
            : TEXT_FIELD_EMPTY;
    if (st == TEXT_FIELD_OK || (st == TEXT_FIELD_EMPTY && !required)) {
        if (st == TEXT_FIELD_EMPTY)
            out[0] = '\0';
        return 0;
    }
    if (st == TEXT_FIELD_EMPTY)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", field,
                           MSG_FIELD_REQUIRED);
    return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_text", field,
               "Escriba hasta 250 caracteres, sin caracteres de control.",
               "Write up to 250 characters, without control characters.");
}

static int person_not_found(const struct web_request *req, struct refusal *why)
{
    return say(req, why, MHD_HTTP_NOT_FOUND, "person_not_found", "person",
               "No hay una afiliación activa con esa CURP o folio que su unidad pueda referir.",
               "There is no active enrollment with that CURP or folio your unit may refer.");
}

/* Finding a referral of a person to a unit in some states. */
struct referred {
    const char *unit;
    unsigned states; /* bit 1 << state */
    bool found;
};

static int find_referred(void *ctx, const struct store_referral *r)
{
    struct referred *q = ctx;
    q->found = strcmp(r->to_unit, q->unit) == 0 && (q->states & (1u << r->state));
    return q->found;
}

/* 1 when the person has a referral to unit in one of states, 0 when not, -1. */
static int referred_to(const struct web_request *req, const char *registration, const char *unit,
                       unsigned states, struct refusal *why)
{
    struct referred q = {unit, states, false};
    char err[256];
    if (store_referral_each(req->app->store, STORE_REFERRALS_OF_PERSON, registration,
                            REFERRAL_LIST_MAX, find_referred, &q, err, sizeof err) < 0)
        return refusal_internal(req, why, err);
    return q.found;
}

#define STATE_BIT(s) (1u << (s))
#define TAKEN_ON                                                                                   \
    (STATE_BIT(REFERRAL_ACCEPTED) | STATE_BIT(REFERRAL_SCHEDULED) | STATE_BIT(REFERRAL_ATTENDED) | \
     STATE_BIT(REFERRAL_CLOSED))

int referrals_create(const struct web_request *req, const struct staff_member *who,
                     const struct referral_request *in, struct store_referral *out,
                     struct refusal *why)
{
    char key[STAFF_KEY_MAX], clinic[STORE_CLUES_LEN + 1], err[256];
    struct store_registration reg;
    if (!req->app->diagnoses)
        return say(req, why, MHD_HTTP_SERVICE_UNAVAILABLE, "diagnoses_not_loaded", "cie10",
                   "El catálogo CIE-10 no está cargado en este servidor; la administración lo "
                   "importa con: padron import diagnoses ARCHIVO.",
                   "The CIE-10 catalog is not loaded on this server; the administrators import it "
                   "with: padron import diagnoses FILE.");
    /* from an emergency room, any hospital unit (level 2 or 3) refers onward */
    bool emergency = in->emergency && *in->emergency;
    const struct catalog_facility *from = facility(req, who->account.unit);
    if (!from ||
        !(emergency ? emergency_unit_takes(from) : may_here(req, who, STAFF_REFERRAL_CREATE)))
        return forbidden(req, why);
    memset(out, 0, sizeof *out);
    if (!in->to_unit || !*in->to_unit)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "to_unit",
                           MSG_FIELD_REQUIRED);
    const struct catalog_facility *to = facility(req, in->to_unit);
    if (!to)
        return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "unknown_unit", "to_unit",
                   "to_unit: no hay una unidad con esa CLUES.", "to_unit: no unit has that CLUES.");
    if (!in->cie10 || !*in->cie10)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "cie10",
                           MSG_FIELD_REQUIRED);
    const struct diagnosis *d = diagnoses_lookup(req->app->diagnoses, in->cie10);
    if (!d)
        return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "unknown_diagnosis", "cie10",
                   "cie10: no es un código del catálogo CIE-10 (como E11.9).",
                   "cie10: not a code of the CIE-10 catalog (like E11.9).");
    if (clean_text(req, in->reason, true, "reason", out->reason, why) != 0)
        return -1;
    out->urgency = emergency ? REFERRAL_URGENT : REFERRAL_ROUTINE;
    if (in->urgency && *in->urgency && referral_urgency_parse(in->urgency, &out->urgency) != 0)
        return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_urgency", "urgency",
                   "urgency: routine, priority o urgent.", "urgency: routine, priority or urgent.");
    struct referral_unit from_u = {from->clues, (int)from->level,
                                   from->status == CATALOG_IN_OPERATION},
                         to_u = {to->clues, (int)to->level, to->status == CATALOG_IN_OPERATION};
    enum referral_verdict v =
        referral_may_create(rules_role(who), who->account.unit, &from_u, &to_u, emergency);
    if (v != REFERRAL_ALLOWED)
        return verdict_refusal(req, v, why);

    int found = staff_find_person(req, in->person, key, &reg, clinic, why);
    if (found < 0)
        return -1;
    /* the emergency room refers the person of its open encounter; otherwise level
     * 1 refers its own people and level 2 those referred to it */
    int eligible = 0;
    struct store_emergency encounter;
    if (found == 1 && emergency) {
        if (emergency_for_referral(req, who, in->emergency, &reg, &encounter, why) != 0)
            return -1;
        snprintf(out->emergency, sizeof out->emergency, "%s", encounter.id);
        eligible = 1;
    } else if (found == 1) {
        eligible = from->level == CATALOG_LEVEL_1
                       ? staff_may_person(who, STAFF_PERSON_LOOKUP, &reg, clinic)
                       : referred_to(req, reg.id, from->clues, TAKEN_ON, why);
    }
    if (eligible < 0)
        return -1;
    if (!eligible)
        return person_not_found(req, why);

    snprintf(out->registration, sizeof out->registration, "%s", reg.id);
    snprintf(out->from_unit, sizeof out->from_unit, "%s", from->clues);
    snprintf(out->to_unit, sizeof out->to_unit, "%s", to->clues);
    snprintf(out->cie10, sizeof out->cie10, "%s", d->code);
    out->to_level = (int)to->level;
    out->created_by = who->account.id;
    out->created_at = req->app->clock();
    time_t now = (time_t)out->created_at;
    struct tm tm;
    gmtime_r(&now, &tm);
    for (int attempt = 0; attempt < ID_TRIES; attempt++) {
        uint8_t random[FOLIO_RANDOM_BYTES];
        randombytes_buf(random, sizeof random);
        folio_format_kind(REFERRAL_FOLIO, random, tm.tm_year + 1900, out->public_id);
        struct store_audit_record rec =
            audit_of(req, who, staff_action_name(STAFF_REFERRAL_CREATE), reg.curp);
        int made = store_referral_create(req->app->store, out, &rec, err, sizeof err);
        if (made < 0)
            return refusal_internal(req, why, err);
        if (made == 1)
            return 0;
    }
    return refusal_internal(req, why, "referral: no free public id after several tries");
}

static bool valid_time(const char *t)
{
    return t && strlen(t) == 5 && t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' &&
           t[2] == ':' && t[3] >= '0' && t[3] <= '5' && t[4] >= '0' && t[4] <= '9' &&
           (t[0] - '0') * 10 + (t[1] - '0') < 24;
}

int referrals_change(const struct web_request *req, const struct staff_member *who,
                     const char *public_id, const char *state, const char *note, const char *date,
                     const char *time, struct store_referral *out, struct refusal *why)
{
    enum referral_state to;
    struct store_referral r;
    struct store_registration reg;
    char id[FOLIO_LENGTH + 1], clean_note[STORE_REFERRAL_TEXT_MAX + 1], err[256];
    int y, m, d;
    if (!state || !*state)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "state",
                           MSG_FIELD_REQUIRED);
    if (referral_state_parse(state, &to) != 0)
        return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_state", "state",
                   "state: accepted, rejected, scheduled, attended, closed o cancelled.",
                   "state: accepted, rejected, scheduled, attended, closed or cancelled.");
    int got = public_id && folio_normalize_kind(REFERRAL_FOLIO, public_id, strlen(public_id), id)
                  ? store_referral_get(req->app->store, id, &r, err, sizeof err)
                  : 0;
    if (got < 0)
        return refusal_internal(req, why, err);
    /* another unit's referral is not found: staff learn nothing of it */
    if (got == 0 ||
        (strcmp(r.from_unit, who->account.unit) != 0 && strcmp(r.to_unit, who->account.unit) != 0))
        return say(req, why, MHD_HTTP_NOT_FOUND, "referral_not_found", NULL,
                   "Su unidad no tiene una referencia con ese folio.",
                   "Your unit has no referral with that id.");
    if (!may_here(req, who, STAFF_REFERRAL_DECIDE))
        return forbidden(req, why);
    if (clean_text(req, note, false, "note", clean_note, why) != 0)
        return -1;
    if (to == REFERRAL_SCHEDULED) {
        if (date && *date &&
            (civil_parse_date(date, strlen(date), &y, &m, &d) != 0 ||
             civil_date_key(y, m, d) < api_today_key(req)))
            return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_date", "date",
                       "date: una fecha AAAA-MM-DD, de hoy en adelante.",
                       "date: a date YYYY-MM-DD, from today on.");
        if (time && *time && !valid_time(time))
            return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_time", "time",
                       "time: una hora HH:MM (00:00 a 23:59).",
                       "time: a time HH:MM (00:00 to 23:59).");
    }
    int has = store_registration_get(req->app->store, r.registration, &reg, err, sizeof err);
    if (has != 1)
        return refusal_internal(req, why, has < 0 ? err : "referral: its registration is gone");
    struct store_referral_change c = {.public_id = id,
                                      .to = to,
                                      .note = clean_note,
                                      .date = date,
                                      .time = time,
                                      .staff = who->account.id,
                                      .role = rules_role(who),
                                      .unit = who->account.unit,
                                      .now = req->app->clock()};
    struct store_audit_record rec =
        audit_of(req, who, staff_action_name(STAFF_REFERRAL_DECIDE), reg.curp);
    enum referral_verdict v = REFERRAL_FORBIDDEN;
    int done = store_referral_change(req->app->store, &c, &rec, &v, out, err, sizeof err);
    if (done < 0)
        return refusal_internal(req, why, err);
    if (done == 0)
        return say(req, why, MHD_HTTP_NOT_FOUND, "referral_not_found", NULL,
                   "Su unidad no tiene una referencia con ese folio.",
                   "Your unit has no referral with that id.");
    return v == REFERRAL_ALLOWED ? 0 : verdict_refusal(req, v, why);
}

int referrals_study(const struct web_request *req, const struct staff_member *who,
                    const char *person, const char *outcome, int64_t fee, const char *note,
                    struct store_study *out, struct refusal *why)
{
    char key[STAFF_KEY_MAX], clinic[STORE_CLUES_LEN + 1], err[256];
    struct store_registration reg;
    if (!may_here(req, who, STAFF_STUDY_RECORD))
        return forbidden(req, why);
    memset(out, 0, sizeof *out);
    if (!outcome || !*outcome)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "outcome",
                           MSG_FIELD_REQUIRED);
    if (study_outcome_parse(outcome, &out->outcome) != 0)
        return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_outcome", "outcome",
                   "outcome: exempt, reduced o full.", "outcome: exempt, reduced or full.");
    if (!study_fee_valid(out->outcome, fee))
        return say(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_fee", "fee_centavos",
                   "fee_centavos: la cuota reducida va de 1 a 10,000,000 centavos; exenta y "
                   "completa no llevan monto.",
                   "fee_centavos: a reduced fee is 1 to 10,000,000 centavos; exempt and full "
                   "take no amount.");
    if (clean_text(req, note, false, "note", out->note, why) != 0)
        return -1;
    int found = staff_find_person(req, person, key, &reg, clinic, why);
    if (found < 0)
        return -1;
    /* the people referred to this unit, in any live state */
    int eligible = found == 1 ? referred_to(req, reg.id, who->account.unit,
                                            STATE_BIT(REFERRAL_REQUESTED) | TAKEN_ON, why)
                              : 0;
    if (eligible < 0)
        return -1;
    if (!eligible)
        return say(req, why, MHD_HTTP_NOT_FOUND, "person_not_found", "person",
                   "No hay una persona referida a su unidad con esa CURP o folio.",
                   "No person referred to your unit has that CURP or folio.");
    snprintf(out->registration, sizeof out->registration, "%s", reg.id);
    snprintf(out->unit, sizeof out->unit, "%s", who->account.unit);
    out->social_worker = who->account.id;
    out->fee_centavos = fee;
    out->at = req->app->clock();
    struct store_audit_record rec =
        audit_of(req, who, staff_action_name(STAFF_STUDY_RECORD), reg.curp);
    if (store_study_record(req->app->store, out, &rec, err, sizeof err) != 0)
        return refusal_internal(req, why, err);
    return 0;
}

/* ---- JSON ---- */

static json_t *unit_json(const struct web_request *req, const char *clues)
{
    const struct catalog_facility *f = facility(req, clues);
    return json_pack("{s:s, s:s?, s:i}", "clues", clues, "name", f ? f->name : NULL, "level",
                     f ? (int)f->level : 0);
}

struct events {
    const struct web_request *req;
    json_t *list;
    bool staff_view;
};

static int add_event(void *ctx, const struct store_referral_event *e)
{
    struct events *ev = ctx;
    char at[32];
    api_iso_time(e->at, at, sizeof at);
    const char *name = staff_unit_name(ev->req, e->unit);
    json_t *item =
        json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?}", "at", at, "state",
                  referral_state_name(e->state), "role", e->role, "unit", e->unit, "unit_name",
                  name[0] ? name : NULL, "note", e->note[0] ? e->note : NULL);
    /* staff see which account acted; the person sees the role and the unit only */
    if (ev->staff_view)
        json_object_set_new(item, "staff", json_integer(e->staff));
    json_array_append_new(ev->list, item);
    return 0;
}

json_t *referrals_json(const struct web_request *req, const struct store_referral *r,
                       bool staff_view)
{
    char created[32], updated[32], dotted[DIAGNOSIS_DOTTED], err[256];
    const struct diagnosis *d = diagnoses_lookup(req->app->diagnoses, r->cie10);
    struct events ev = {req, json_array(), staff_view};
    struct store_study study;
    api_iso_time(r->created_at, created, sizeof created);
    api_iso_time(r->updated_at, updated, sizeof updated);
    diagnoses_code_dotted(r->cie10, dotted);
    if (store_referral_events(req->app->store, r->id, add_event, &ev, err, sizeof err) < 0) {
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        json_decref(ev.list);
        return NULL;
    }
    json_t *fee = json_null();
    int has_study = referral_level_charges(r->to_level)
                        ? store_study_latest(req->app->store, r->registration, r->to_unit, &study,
                                             err, sizeof err)
                        : 0;
    if (has_study == 1)
        fee = json_pack("{s:s, s:I}", "outcome", study_outcome_name(study.outcome), "fee_centavos",
                        (json_int_t)study.fee_centavos);
    json_t *scheduled = r->scheduled_date[0] ? json_pack("{s:s, s:s}", "date", r->scheduled_date,
                                                         "time", r->scheduled_time)
                                             : json_null();
    return json_pack("{s:s, s:o, s:o, s:i, s:s, s:s?, s:s, s:s, s:s, s:o, s:s?, s:b, s:o, s:s,"
                     " s:s, s:o, s:s?}",
                     "id", r->public_id, "from_unit", unit_json(req, r->from_unit), "to_unit",
                     unit_json(req, r->to_unit), "to_level", r->to_level, "cie10", dotted,
                     "diagnosis", d ? d->description : NULL, "reason", r->reason, "urgency",
                     referral_urgency_name(r->urgency), "state", referral_state_name(r->state),
                     "scheduled", scheduled, "rejection_reason",
                     r->rejection_reason[0] ? r->rejection_reason : NULL, "charges",
                     referral_level_charges(r->to_level), "study", fee, "created_at", created,
                     "updated_at", updated, "events", ev.list, "emergency",
                     r->emergency[0] ? r->emergency : NULL);
}

struct collected {
    struct store_referral *rows;
    size_t n;
};

static int collect(void *ctx, const struct store_referral *r)
{
    struct collected *c = ctx;
    if (c->n < REFERRAL_LIST_MAX)
        c->rows[c->n++] = *r;
    return 0;
}

json_t *referrals_staff_list(const struct web_request *req, const struct staff_member *who,
                             bool incoming, struct refusal *why)
{
    struct collected c = {calloc(REFERRAL_LIST_MAX, sizeof *c.rows), 0};
    char err[256];
    json_t *list = NULL;
    if (!c.rows)
        return refusal_internal(req, why, "out of memory"), NULL;
    if (!who->account.unit[0]) {
        forbidden(req, why);
        goto done;
    }
    if (store_referral_each(
            req->app->store, incoming ? STORE_REFERRALS_INCOMING : STORE_REFERRALS_OUTGOING,
            who->account.unit, REFERRAL_LIST_MAX, collect, &c, err, sizeof err) < 0) {
        refusal_internal(req, why, err);
        goto done;
    }
    list = json_array();
    for (size_t i = 0; i < c.n; i++) {
        struct store_registration reg;
        int has =
            store_registration_get(req->app->store, c.rows[i].registration, &reg, err, sizeof err);
        /* the person shown is a read of their data: its record goes first */
        struct store_audit_record rec =
            audit_of(req, who, staff_action_name(STAFF_PERSON_LOOKUP), has == 1 ? reg.curp : "");
        json_t *item = has == 1 && store_audit_append(req->app->store, &rec, err, sizeof err) == 0
                           ? referrals_json(req, &c.rows[i], true)
                           : NULL;
        if (!item) {
            json_decref(list);
            list = NULL;
            refusal_internal(req, why, has < 0 ? err : "referral list");
            goto done;
        }
        json_object_set_new(
            item, "person",
            json_pack("{s:s, s:s, s:s, s:s?}", "folio", reg.folio, "given_names",
                      reg.names.given_names, "first_surname", reg.names.first_surname,
                      "second_surname",
                      reg.names.second_surname[0] ? reg.names.second_surname : NULL));
        json_array_append_new(list, item);
    }
done:
    free(c.rows);
    return list ? json_pack("{s:o}", "referrals", list) : NULL;
}

json_t *referrals_person_list(const struct web_request *req, const struct store_registration *reg)
{
    struct collected c = {calloc(REFERRAL_LIST_MAX, sizeof *c.rows), 0};
    char err[256];
    json_t *list = NULL;
    if (!c.rows)
        return NULL;
    if (store_referral_each(req->app->store, STORE_REFERRALS_OF_PERSON, reg->id, REFERRAL_LIST_MAX,
                            collect, &c, err, sizeof err) < 0) {
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        goto done;
    }
    list = json_array();
    for (size_t i = 0; i < c.n; i++) {
        json_t *item = referrals_json(req, &c.rows[i], false);
        if (!item) {
            json_decref(list);
            list = NULL;
            goto done;
        }
        json_array_append_new(list, item);
    }
done:
    free(c.rows);
    return list ? json_pack("{s:o}", "referrals", list) : NULL;
}

/* Appends to list the nearest operating units of level to from, itself left out. */
static void add_nearest(const struct web_request *req, const struct catalog_facility *from,
                        int level, json_t *list)
{
    struct geo_facility_hit hits[REFERRAL_SUGGEST_MAX + 1];
    size_t n = req->app->facilities && from->pos.present
                   ? geo_facilities_nearest(req->app->facilities, level, from->pos.lat,
                                            from->pos.lon, REFERRAL_SUGGEST_MAX + 1, hits)
                   : 0;
    for (size_t i = 0, shown = 0; i < n && shown < REFERRAL_SUGGEST_MAX; i++)
        if (strcmp(hits[i].facility->clues, from->clues) != 0) {
            json_array_append_new(
                list, home_clinic_facility_json(req->app, hits[i].facility, hits[i].km));
            shown++;
        }
}

json_t *referrals_suggest(const struct web_request *req, const struct staff_member *who, int level,
                          struct refusal *why)
{
    const struct catalog_facility *from = facility(req, who->account.unit);
    if (!from || !may_here(req, who, STAFF_REFERRAL_CREATE))
        return forbidden(req, why), NULL;
    int next = referral_next_level((int)from->level);
    if (level == 0)
        level = next;
    if (level != next)
        return verdict_refusal(req, REFERRAL_WRONG_LEVEL, why), NULL;
    json_t *list = json_array();
    add_nearest(req, from, level, list);
    return json_pack("{s:i, s:o}", "level", level, "facilities", list);
}

json_t *referrals_suggest_emergency(const struct web_request *req, const struct staff_member *who)
{
    const struct catalog_facility *from = facility(req, who->account.unit);
    if (!emergency_unit_takes(from) || who->scope.role != STAFF_PHYSICIAN)
        return NULL;
    json_t *list = json_array();
    add_nearest(req, from, CATALOG_LEVEL_2, list);
    add_nearest(req, from, CATALOG_LEVEL_3, list);
    return json_pack("{s:o}", "facilities", list);
}

json_t *referrals_diagnoses(const struct web_request *req, const char *q, struct refusal *why)
{
    const struct diagnosis *hits[DIAGNOSES_SHOWN];
    char dotted[DIAGNOSIS_DOTTED];
    if (!req->app->diagnoses)
        return say(req, why, MHD_HTTP_SERVICE_UNAVAILABLE, "diagnoses_not_loaded", "q",
                   "El catálogo CIE-10 no está cargado en este servidor.",
                   "The CIE-10 catalog is not loaded on this server."),
               NULL;
    size_t n = diagnoses_search(req->app->diagnoses, q, hits, DIAGNOSES_SHOWN);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        diagnoses_code_dotted(hits[i]->code, dotted);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "code", hits[i]->code,
                                              "display", dotted, "description",
                                              hits[i]->description, "chapter", hits[i]->chapter));
    }
    return json_pack("{s:o}", "diagnoses", list);
}
