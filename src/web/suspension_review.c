/* suspension_review: a unit administrator lifts or confirms a suspension. */
#include "web/suspension_review.h"

#include "core/review_reason.h"
#include "notify/message.h"
#include "util/alloc.h"
#include "web/api_common.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The store's decisions are the core's, in the same order. */
_Static_assert((int)STORE_REVIEW_LIFT == (int)REVIEW_LIFT &&
                   (int)STORE_REVIEW_CONFIRM == (int)REVIEW_CONFIRM,
               "review decisions differ between core and store");
_Static_assert(STORE_REVIEW_REASON_MAX == REVIEW_REASON_MAX, "review reason limits differ");

static int refuse(const struct web_request *req, struct refusal *why, unsigned status,
                  const char *code, const char *field, const char *es, const char *en)
{
    return refusal_text(why, status, code, field, req->lang == I18N_EN ? en : es);
}

static int refuse_role(const struct web_request *req, const struct staff_member *who,
                       struct refusal *why)
{
    struct staff_target anywhere = {who->scope.unit, who->scope.state};
    if (staff_may(&who->scope, STAFF_SUSPENSION_REVIEW, &anywhere))
        return 0;
    return refuse(req, why, MHD_HTTP_FORBIDDEN, "out_of_scope", NULL,
                  "Solo la administración de la unidad revisa una suspensión.",
                  "Only the unit administrator reviews a suspension.");
}

int suspension_review_read(const struct web_request *req, const struct staff_member *who,
                           const char *key, struct store_registration *reg,
                           char clinic[STORE_CLUES_LEN + 1], struct refusal *why)
{
    if (refuse_role(req, who, why) != 0 ||
        staff_read_person(req, who, key, STAFF_PERSON_LOOKUP, reg, clinic, why) != 0)
        return -1;
    /* The review reaches the people the lookup reaches; said again for when the
     * two grants part. */
    if (!staff_may_person(who, STAFF_SUSPENSION_REVIEW, reg, clinic))
        return refuse(req, why, MHD_HTTP_NOT_FOUND, "person_not_found", "curp",
                      "No hay una afiliación activa con esa CURP o folio en su unidad.",
                      "There is no active enrollment with that CURP or folio at your unit.");
    return 0;
}

/* The mail to a person whose suspension was lifted, in their language. */
static char *compose_lift_mail(void *ctx, const char *email, const char *language)
{
    const struct web_request *req = ctx;
    bool en = strcmp(language, "en") == 0;
    char err[128];
    struct mail_text text = {
        .from = req->app->mail_from,
        .to = email,
        .subject = en ? "Your IMSS-Bienestar enrollment is active again"
                      : "Su afiliación al IMSS-Bienestar está activa de nuevo",
        .body = en ? "IMSS-Bienestar reviewed the suspension of your enrollment and lifted it:\n"
                     "you are entitled to free care again.\n\n"
                     "You can get your credential again: open your account and go to\n"
                     "\"My credential\" (the one you had before stays revoked).\n"
                   : "IMSS-Bienestar revisó la suspensión de su afiliación y la levantó:\n"
                     "tiene derecho de nuevo a la atención gratuita.\n\n"
                     "Puede obtener su credencial otra vez: entre a su cuenta y abra\n"
                     "\"Mi credencial\" (la que tenía antes sigue revocada).\n",
        .date = req->app->clock()};
    char *out = NULL;
    return mail_compose(&text, &out, err, sizeof err) == 0 ? out : NULL;
}

int suspension_review_decide(const struct web_request *req, const struct staff_member *who,
                             const char *key, const char *decision, const char *reason,
                             struct store_registration *reg, struct store_suspension_review *r,
                             struct refusal *why)
{
    enum review_decision d;
    char clinic[STORE_CLUES_LEN + 1], err[256];
    memset(r, 0, sizeof *r);
    if (refuse_role(req, who, why) != 0)
        return -1;
    if (!decision || !decision[0])
        return refusal_set(req, why, MHD_HTTP_BAD_REQUEST, "required", "decision",
                           MSG_FIELD_REQUIRED);
    if (review_decision_parse(decision, &d) != 0)
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_decision", "decision",
                      "Elija levantar o confirmar la suspensión.",
                      "Choose to lift or to confirm the suspension.");
    if (!reason || !reason[0])
        return refusal_set(req, why, MHD_HTTP_BAD_REQUEST, "required", "reason",
                           MSG_FIELD_REQUIRED);
    if (!review_reason_clean(reason, r->reason, sizeof r->reason))
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_reason", "reason",
                      "Escriba el motivo de la decisión: de 10 a 400 caracteres.",
                      "Write the reason for the decision: 10 to 400 characters.");
    if (suspension_review_read(req, who, key, reg, clinic, why) != 0)
        return -1;
    if (!reg->suspended_at)
        return refuse(req, why, MHD_HTTP_CONFLICT, "not_suspended", NULL,
                      "La afiliación de esta persona no está suspendida.",
                      "This person's enrollment is not suspended.");
    r->decision = (enum store_review_decision)d;
    r->staff = who->account.id;
    r->reviewed_at = req->app->clock();
    struct store_audit_record rec;
    staff_audit_record(req, who, "registration.suspension_",
                       store_review_decision_name(r->decision), reg->curp, &rec);
    rec.at = r->reviewed_at;
    int stored = store_suspension_review(req->app->store, reg->id, reg->suspended_at, r,
                                         d == REVIEW_LIFT ? compose_lift_mail : NULL, (void *)req,
                                         &rec, err, sizeof err);
    if (stored < 0)
        return refusal_internal(req, why, err);
    if (stored == 0) /* another review, or the enrollment, changed it meanwhile */
        return refuse(req, why, MHD_HTTP_CONFLICT, "not_suspended", NULL,
                      "La suspensión ya cambió: consulte a la persona de nuevo.",
                      "The suspension changed meanwhile: look the person up again.");
    if (store_registration_get(req->app->store, reg->id, reg, err, sizeof err) != 1)
        return refusal_internal(req, why, err[0] ? err : "registration vanished");
    return 0;
}

json_t *suspension_json(const struct web_request *req, const struct store_registration *reg)
{
    if (!reg->suspended_at)
        return json_null();
    char at[32], imported[32] = "";
    int64_t imported_at = 0;
    long rows = 0;
    char err[256];
    api_iso_time(reg->suspended_at, at, sizeof at);
    if (store_roll_info(req->app->store, reg->suspended_institution, &imported_at, &rows, err,
                        sizeof err) == 1)
        api_iso_time(imported_at, imported, sizeof imported);
    return json_pack("{s:s, s:s, s:s?}", "at", at, "institution",
                     store_institution_name(reg->suspended_institution), "roll_imported_at",
                     imported[0] ? imported : NULL);
}

json_t *suspension_review_json(const struct store_suspension_review *r)
{
    char at[32], suspended[32];
    api_iso_time(r->reviewed_at, at, sizeof at);
    api_iso_time(r->suspended_at, suspended, sizeof suspended);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "decision",
                     store_review_decision_name(r->decision), "reason", r->reason, "at", at,
                     "suspended_at", suspended, "institution",
                     store_institution_name(r->institution));
}

json_t *suspension_reviews_json(const struct web_request *req, const struct store_registration *reg)
{
    struct store_suspension_review *list = xcalloc(SUSPENSION_REVIEWS_SHOWN, sizeof *list);
    char err[256];
    int n = store_suspension_reviews(req->app->store, reg->id, list, SUSPENSION_REVIEWS_SHOWN, err,
                                     sizeof err);
    if (n < 0) {
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        free(list);
        return NULL;
    }
    json_t *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(out, suspension_review_json(&list[i]));
    free(list);
    return out;
}
