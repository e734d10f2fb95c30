#include "web/assisted.h"

#include "core/curp.h"
#include "core/folio.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Per staff account: applications started or resumed, and step calls, an hour. A
 * busy desk does about one step a minute; a script at the desk gets stopped. */
#define STARTS_PER_HOUR 60
#define STEPS_PER_HOUR  1200
#define HOUR            (60 * 60)
#define DRAFTS_LOOKED   8 /* the newest drafts of a CURP considered for resuming */

/* A refusal with a message of this module, in the request's language. */
static int refuse(const struct web_request *req, struct refusal *why, unsigned status,
                  const char *code, const char *field, const char *es, const char *en)
{
    return refusal_text(why, status, code, field, req->lang == I18N_EN ? en : es);
}

static int not_found(const struct web_request *req, struct refusal *why)
{
    return refuse(req, why, MHD_HTTP_NOT_FOUND, "enrollment_not_found", NULL,
                  "No hay una solicitud de afiliación con ese dato que su unidad pueda atender.",
                  "There is no enrollment application with that key your unit may attend to.");
}

/* Counts one call of kind what ("assist-start", "assist-step") against who. */
static int count(const struct web_request *req, const struct staff_member *who, const char *what,
                 int max, struct refusal *why)
{
    char key[64];
    snprintf(key, sizeof key, "%s:%lld", what, (long long)who->account.id);
    return enrollment_count(req, key, HOUR, max, why);
}

/* Whether who may assist reg: 1, 0, or -1 (err). A draft the desk touched is its
 * first assistant's unit's; before that, the person's state's. */
static int may_assist(const struct web_request *req, const struct staff_member *who,
                      const struct store_registration *reg, char *err, size_t errsz)
{
    struct store_staff assistant = {0};
    if (reg->assisted_by &&
        store_staff_get(req->app->store, reg->assisted_by, &assistant, err, errsz) < 0)
        return -1;
    struct staff_target target = {assistant.unit, reg->address.recorded_at ? reg->address.state
                                                                           : reg->contact.state};
    return staff_may(&who->scope, STAFF_ENROLLMENT_ASSIST, &target);
}

/* Refuses a role that may not assist anywhere (before any lookup). */
static int may_assist_anywhere(const struct web_request *req, const struct staff_member *who,
                               struct refusal *why)
{
    struct staff_target own = {who->scope.unit, who->scope.state};
    if (staff_may(&who->scope, STAFF_ENROLLMENT_ASSIST, &own))
        return 0;
    return refuse(req, why, MHD_HTTP_FORBIDDEN, "out_of_scope", NULL,
                  "Su función no permite inscribir personas.",
                  "Your role does not allow enrolling people.");
}

void assisted_change_begin(const struct web_request *req, const struct staff_member *who,
                           const struct store_registration *reg, const char *step,
                           struct store_audit_record *rec)
{
    char detail[24];
    snprintf(detail, sizeof detail, ".%s", step);
    staff_audit_record(req, who, staff_action_name(STAFF_ENROLLMENT_ASSIST), detail, reg->curp,
                       rec);
    store_audit_attach(req->app->store, rec);
}

void assisted_change_end(const struct web_request *req)
{
    store_audit_detach(req->app->store);
}

/* Marks reg as assisted by who (the first assistant stays), with the start record. */
static int mark_assisted(const struct web_request *req, const struct staff_member *who,
                         struct store_registration *reg, struct refusal *why)
{
    char err[256];
    struct store_audit_record rec;
    assisted_change_begin(req, who, reg, "start", &rec);
    int marked = store_registration_set_assisted(req->app->store, reg->id, who->account.id,
                                                 req->app->clock(), err, sizeof err);
    assisted_change_end(req);
    if (marked < 0 || (marked == 1 &&
                       store_registration_get(req->app->store, reg->id, reg, err, sizeof err) != 1))
        return refusal_internal(req, why, err);
    if (marked == 0) /* submitted meanwhile */
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    return 0;
}

/* A folio names an active enrollment: nothing is left to finish. */
static int start_by_folio(const struct web_request *req, const char *folio, struct refusal *why)
{
    char key[FOLIO_LENGTH + 1], id[STORE_ID_LEN + 1], err[256];
    if (!folio_normalize(folio, strlen(folio), key))
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_folio", "folio",
                      "Escriba el folio como se le entregó (IB26-...).",
                      "Type the folio as it was given (IB26-...).");
    int found = store_person_find(req->app->store, key, id, err, sizeof err);
    if (found < 0)
        return refusal_internal(req, why, err);
    if (found == 1)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "already_enrolled", "folio",
                           MSG_ALREADY_ENROLLED);
    return refuse(req, why, MHD_HTTP_NOT_FOUND, "enrollment_not_found", "folio",
                  "Ese folio no es de ninguna afiliación. Una solicitud sin terminar aún no tiene "
                  "folio: búsquela por la CURP.",
                  "That folio is no enrollment's. An unfinished application has no folio yet: "
                  "look it up by CURP.");
}

int assisted_start(const struct web_request *req, const struct staff_member *who, const char *curp,
                   const char *folio, struct store_registration *reg, bool *resumed,
                   struct refusal *why)
{
    *resumed = false;
    if (may_assist_anywhere(req, who, why) != 0 ||
        count(req, who, "assist-start", STARTS_PER_HOUR, why) != 0)
        return -1;
    if ((!curp || !*curp) && folio && *folio)
        return start_by_folio(req, folio, why);
    if (!curp || !*curp)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "curp",
                           MSG_FIELD_REQUIRED);
    struct curp_result r;
    if (enrollment_check_curp(req, curp, &r, why) != 0)
        return -1;

    /* An unfinished application of this person this desk may reach is resumed. */
    char ids[DRAFTS_LOOKED][STORE_ID_LEN + 1], err[256];
    int n = store_drafts_of_curp(req->app->store, r.curp, ids, DRAFTS_LOOKED, err, sizeof err);
    if (n < 0)
        return refusal_internal(req, why, err);
    for (int i = 0; i < n; i++) {
        int found = store_registration_get(req->app->store, ids[i], reg, err, sizeof err);
        int may = found == 1 ? may_assist(req, who, reg, err, sizeof err) : 0;
        if (found < 0 || may < 0)
            return refusal_internal(req, why, err);
        if (may == 1) {
            *resumed = true;
            return mark_assisted(req, who, reg, why);
        }
    }
    /* Otherwise a new one; its bearer token is never handed out: the desk acts
     * with its staff session, the person later with their own account. */
    char id[STORE_ID_LEN + 1], token[ENROLLMENT_TOKEN_MAX];
    int created = enrollment_create(req, &r, id, token, why);
    sodium_memzero(token, sizeof token);
    if (created != 0)
        return -1;
    if (store_registration_get(req->app->store, id, reg, err, sizeof err) != 1)
        return refusal_internal(req, why, err);
    return mark_assisted(req, who, reg, why);
}

int assisted_load(const struct web_request *req, const struct staff_member *who, const char *id,
                  bool change, struct store_registration *reg, struct refusal *why)
{
    char err[256];
    if (may_assist_anywhere(req, who, why) != 0 ||
        count(req, who, "assist-step", STEPS_PER_HOUR, why) != 0)
        return -1;
    int found = id && strlen(id) == STORE_ID_LEN
                    ? store_registration_get(req->app->store, id, reg, err, sizeof err)
                    : 0;
    int may = found == 1 ? may_assist(req, who, reg, err, sizeof err) : 0;
    if (found < 0 || may < 0)
        return refusal_internal(req, why, err);
    if (found == 0)
        return not_found(req, why);
    if (may == 0) {
        /* Another unit's application reads as unknown; the attempt is recorded. */
        struct store_audit_record rec;
        staff_audit_record(req, who, staff_action_name(STAFF_ENROLLMENT_ASSIST), ".denied",
                           reg->curp, &rec);
        if (store_audit_append(req->app->store, &rec, err, sizeof err) != 0)
            return refusal_internal(req, why, err);
        return not_found(req, why);
    }
    if (change && reg->status != STORE_REG_DRAFT)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    return 0;
}

int assisted_audit_read(const struct web_request *req, const struct staff_member *who,
                        const struct store_registration *reg, const char *what, struct refusal *why)
{
    char err[256], detail[24];
    struct store_audit_record rec;
    snprintf(detail, sizeof detail, ".%s", what);
    staff_audit_record(req, who, staff_action_name(STAFF_ENROLLMENT_ASSIST), detail, reg->curp,
                       &rec);
    return store_audit_append(req->app->store, &rec, err, sizeof err) == 0
               ? 0
               : refusal_internal(req, why, err);
}

bool assisted_identity_missing(const struct store_registration *reg)
{
    return reg->assisted_by != 0 && reg->verified_by_staff_at == 0;
}
