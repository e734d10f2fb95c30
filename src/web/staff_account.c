#include "web/staff_account.h"

#include "catalog/catalog.h"
#include "core/contact.h"
#include "core/curp.h"
#include "core/folio.h"
#include "web/account.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A refusal with a message of this module, in the request's language. */
static int refuse(const struct web_request *req, struct refusal *why, unsigned status,
                  const char *code, const char *field, const char *es, const char *en)
{
    return refusal_text(why, status, code, field, req->lang == I18N_EN ? en : es);
}

/* Fills who's scope from its account and the catalog. */
static void fill_scope(const struct web_request *req, struct staff_member *who)
{
    enum staff_role role = STAFF_ROLES; /* an unknown role may do nothing */
    staff_role_parse(who->account.role, &role);
    who->scope.role = role;
    who->scope.unit = who->account.unit;
    who->scope.state = who->account.state;
    if (who->account.unit[0]) {
        const struct catalog_facility *f =
            req->app->catalog ? catalog_facility(req->app->catalog, who->account.unit) : NULL;
        who->scope.state = f ? f->state : 0;
    }
}

int staff_sign_in(const struct web_request *req, const char *email_text, const char *password,
                  size_t password_len, char token[API_TOKEN_TEXT_MAX], struct staff_member *who,
                  int64_t *retry_after, struct refusal *why)
{
    *retry_after = 0;
    if (!email_text || !*email_text)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "email",
                           MSG_FIELD_REQUIRED);
    if (!password || password_len == 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "password",
                           MSG_FIELD_REQUIRED);
    char email[CONTACT_EMAIL_MAX + 1], hash[128] = "", key[300], err[256];
    int found = 0;
    memset(who, 0, sizeof *who);
    if (contact_email(email_text, strlen(email_text), email) == CONTACT_OK) {
        found = store_staff_find(req->app->store, email, &who->account, hash, err, sizeof err);
        if (found < 0)
            return refusal_internal(req, why, err);
    }
    if (found && !who->account.disabled_at)
        snprintf(key, sizeof key, "staff:%lld", (long long)who->account.id);
    else
        snprintf(key, sizeof key, "staff-login:%.256s", found ? email : email_text);
    bool usable = found && !who->account.disabled_at;
    int rc = account_check_password(req, key, usable ? hash : NULL, password, password_len,
                                    retry_after, why);
    sodium_memzero(hash, sizeof hash);
    if (rc != 0)
        return -1;
    uint8_t token_hash[STORE_TOKEN_HASH_LEN];
    account_new_token(token, token_hash);
    int64_t now = req->app->clock();
    if (store_staff_session_create(req->app->store, token_hash, who->account.id, now,
                                   now + STAFF_SESSION_SECONDS, err, sizeof err) != 0) {
        sodium_memzero(token, API_TOKEN_TEXT_MAX);
        return refusal_internal(req, why, err);
    }
    fill_scope(req, who);
    return 0;
}

int staff_session(const struct web_request *req, const char *token, size_t len,
                  struct staff_member *who)
{
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char err[256];
    int64_t id;
    if (!token || len == 0 || len >= API_TOKEN_TEXT_MAX)
        return 0;
    api_hash_token(token, len, hash);
    int live =
        store_staff_session_find(req->app->store, hash, req->app->clock(), &id, err, sizeof err);
    if (live == 1)
        live = store_staff_get(req->app->store, id, &who->account, err, sizeof err);
    if (live < 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    if (live == 1)
        fill_scope(req, who);
    return live;
}

int staff_sign_out(const struct web_request *req, const char *token, size_t len)
{
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char err[256];
    if (!token || len == 0 || len >= API_TOKEN_TEXT_MAX)
        return 0;
    api_hash_token(token, len, hash);
    int n = store_staff_session_delete(req->app->store, hash, err, sizeof err);
    if (n < 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    return n;
}

int staff_set_password(const struct web_request *req, const char *email_text, const char *code,
                       const char *password, size_t password_len, unsigned *failed,
                       int64_t *retry_after, struct refusal *why)
{
    *failed = 0;
    *retry_after = 0;
    char email[CONTACT_EMAIL_MAX + 1], by_address[80], err[256], address[64];
    uint8_t code_hash[STORE_TOKEN_HASH_LEN];
    if (!email_text || !*email_text)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "email",
                           MSG_FIELD_REQUIRED);
    if (!code || !*code)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "code",
                           MSG_FIELD_REQUIRED);
    if (staff_code_hash(code, strlen(code), code_hash) != 0)
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_code", "code",
                      "El código tiene 20 letras y números, como ABCD-EFGH-JKMN-PQRS-TVWX.",
                      "The code has 20 letters and digits, like ABCD-EFGH-JKMN-PQRS-TVWX.");
    web_client_address(req, address, sizeof address);
    snprintf(by_address, sizeof by_address, "staff-code:%s", address);
    int64_t now = req->app->clock();
    int ok = store_throttle_check(req->app->store, by_address, now, 15 * 60, 20, retry_after, err,
                                  sizeof err);
    if (ok < 0)
        return refusal_internal(req, why, err);
    if (!ok)
        return refusal_set(req, why, MHD_HTTP_TOO_MANY_REQUESTS, "throttled", NULL,
                           MSG_CODE_EXHAUSTED);
    bool valid_email = contact_email(email_text, strlen(email_text), email) == CONTACT_OK;
    if (enrollment_check_password(req, NULL, valid_email ? email : NULL, password, password_len,
                                  failed, why) != 0)
        return -1;
    char new_hash[PASSHASH_STRBYTES];
    if (enrollment_hash_password(req, password, password_len, new_hash, why) != 0)
        return -1;
    int left = 0;
    enum store_code_result r =
        valid_email ? store_staff_set_password(req->app->store, email, code_hash, new_hash,
                                               STAFF_CODE_ATTEMPTS, now, &left, err, sizeof err)
                    : STORE_CODE_NONE;
    sodium_memzero(new_hash, sizeof new_hash);
    return account_code_refusal(req, r, by_address, err, why);
}

bool staff_may_person(const struct staff_member *who, enum staff_action action,
                      const struct store_registration *reg, const char *clinic)
{
    /* Before a clinic is assigned, the person's state of residence stands in (the
     * address's when recorded, else the contact step's). */
    struct staff_target target = {clinic, reg->address.recorded_at ? reg->address.state
                                                                   : reg->contact.state};
    return staff_may(&who->scope, action, &target);
}

void staff_audit_record(const struct web_request *req, const struct staff_member *who,
                        const char *action, const char *detail, const char *subject,
                        struct store_audit_record *rec)
{
    *rec = (struct store_audit_record){.at = req->app->clock(), .staff = who->account.id};
    snprintf(rec->role, sizeof rec->role, "%s", who->account.role);
    if (who->account.unit[0])
        snprintf(rec->unit, sizeof rec->unit, "%s", who->account.unit);
    else
        snprintf(rec->unit, sizeof rec->unit, "%02d", who->account.state);
    snprintf(rec->action, sizeof rec->action, "%s%s", action, detail);
    snprintf(rec->subject, sizeof rec->subject, "%s", subject);
    web_client_address(req, rec->client, sizeof rec->client);
}

bool staff_person_id_shape(const char *text)
{
    return text && strlen(text) == STORE_ID_LEN && strspn(text, "0123456789abcdef") == STORE_ID_LEN;
}

/* The canonical key (CURP, folio or registration id) of what was typed: 0, or -1
 * with why. */
static int person_key(const struct web_request *req, const char *key_text, char key[STAFF_KEY_MAX],
                      struct refusal *why)
{
    struct curp_result curp;
    size_t len = key_text ? strlen(key_text) : 0;
    if (len == 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "curp",
                           MSG_FIELD_REQUIRED);
    if (staff_person_id_shape(key_text))
        snprintf(key, STAFF_KEY_MAX, "%s", key_text);
    else if (curp_validate(key_text, len, 0, &curp) == CURP_VALID)
        snprintf(key, STAFF_KEY_MAX, "%s", curp.curp);
    else if (!folio_normalize(key_text, len, key))
        return refuse(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_key", "curp",
                      "Escriba una CURP o un folio de afiliación (IB26-...).",
                      "Type a CURP or an enrollment folio (IB26-...).");
    return 0;
}

/* The active enrollment of a canonical key and its clinic: 1, 0 (none), -1 (why). */
static int person_by_key(const struct web_request *req, const char *key,
                         struct store_registration *reg, char clinic[STORE_CLUES_LEN + 1],
                         struct refusal *why)
{
    char id[STORE_ID_LEN + 1], err[256];
    bool by_id = staff_person_id_shape(key);
    int found = 1;
    if (by_id)
        snprintf(id, sizeof id, "%s", key);
    else
        found = store_person_find(req->app->store, key, id, err, sizeof err);
    if (found == 1)
        found = store_registration_get(req->app->store, id, reg, err, sizeof err);
    if (by_id && found == 1) {
        /* An id opens only an active enrollment, like a CURP or a folio does. */
        char active[STORE_ID_LEN + 1];
        found = store_person_find(req->app->store, reg->curp, active, err, sizeof err);
        if (found == 1 && strcmp(active, id) != 0)
            found = 0;
    }
    struct store_home_clinic home;
    int has_clinic =
        found == 1 ? store_home_clinic_get(req->app->store, id, &home, err, sizeof err) : 0;
    if (found < 0 || has_clinic < 0)
        return refusal_internal(req, why, err);
    snprintf(clinic, STORE_CLUES_LEN + 1, "%s", has_clinic == 1 ? home.clues : "");
    return found;
}

int staff_find_person(const struct web_request *req, const char *key_text, char key[STAFF_KEY_MAX],
                      struct store_registration *reg, char clinic[STORE_CLUES_LEN + 1],
                      struct refusal *why)
{
    if (person_key(req, key_text, key, why) != 0)
        return -1;
    return person_by_key(req, key, reg, clinic, why);
}

int staff_read_person(const struct web_request *req, const struct staff_member *who,
                      const char *key_text, enum staff_action action,
                      struct store_registration *reg, char clinic[STORE_CLUES_LEN + 1],
                      struct refusal *why)
{
    char key[STAFF_KEY_MAX], err[256];
    if (person_key(req, key_text, key, why) != 0)
        return -1;
    /* A role that may never do this anywhere is refused before any lookup. */
    struct staff_target anywhere = {who->scope.unit, who->scope.state};
    if (!staff_may(&who->scope, action, &anywhere))
        return refuse(req, why, MHD_HTTP_FORBIDDEN, "out_of_scope", NULL,
                      "Su función no permite ver estos datos.",
                      "Your role does not allow seeing this data.");
    int found = person_by_key(req, key, reg, clinic, why);
    if (found < 0)
        return -1;
    /* Out of scope answers as "not found": staff must not learn whether a CURP is
     * enrolled somewhere else by the difference. The attempt is audited. */
    bool allowed = found == 1 && staff_may_person(who, action, reg, clinic);
    struct store_audit_record rec;
    staff_audit_record(req, who, staff_action_name(action), allowed ? "" : ".denied",
                       found == 1 ? reg->curp : key, &rec);
    if (!allowed) {
        if (found == 1 && store_audit_append(req->app->store, &rec, err, sizeof err) != 0)
            return refusal_internal(req, why, err);
        return refuse(req, why, MHD_HTTP_NOT_FOUND, "person_not_found", "curp",
                      "No hay una afiliación activa con esa CURP o folio en su unidad.",
                      "There is no active enrollment with that CURP or folio at your unit.");
    }
    if (store_audit_append(req->app->store, &rec, err, sizeof err) != 0)
        return refusal_internal(req, why, err);
    return 0;
}

const char *staff_unit_name(const struct web_request *req, const char *clues)
{
    const struct catalog_facility *f =
        req->app->catalog && clues && clues[0] ? catalog_facility(req->app->catalog, clues) : NULL;
    return f ? f->name : "";
}

int staff_document_kind(const char *kind_name, enum store_document_kind *kind,
                        enum staff_action *action)
{
    for (int k = 0; k < STORE_DOC_KINDS; k++)
        if (kind_name &&
            strcmp(kind_name, api_document_kind_name((enum store_document_kind)k)) == 0) {
            *kind = (enum store_document_kind)k;
            *action = k == STORE_DOC_FACE ? STAFF_PERSON_FACE : STAFF_PERSON_DOCUMENTS;
            return 0;
        }
    return -1;
}

struct accesses {
    const struct web_request *req;
    json_t *list;
};

static int add_access(void *ctx, const struct store_audit_record *r)
{
    struct accesses *a = ctx;
    char at[32];
    api_iso_time(r->at, at, sizeof at);
    const char *name = staff_unit_name(a->req, r->unit);
    json_array_append_new(a->list, json_pack("{s:s, s:s, s:s, s:s?, s:s}", "at", at, "role",
                                             r->role, "unit", r->unit, "unit_name",
                                             name[0] ? name : NULL, "action", r->action));
    return 0;
}

json_t *staff_accesses_json(const struct web_request *req, const char *curp)
{
    struct accesses a = {req, json_array()};
    char err[256];
    if (store_audit_each(req->app->store, curp, add_access, &a, err, sizeof err) < 0) {
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        json_decref(a.list);
        return NULL;
    }
    return a.list;
}

int api_staff_member(const struct web_request *req, struct staff_member *who, int *ret)
{
    size_t len = 0;
    const char *token = api_bearer_token(req, &len);
    int live = token ? staff_session(req, token, len, who) : 0;
    if (live == 1)
        return 0;
    *ret = live < 0 ? api_internal_error(req, "staff session")
                    : web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL,
                                         MSG_UNAUTHORIZED);
    return -1;
}

int api_staff_call(const struct web_request *req, const char *const *fields,
                   struct staff_call *call, int *ret)
{
    call->body = NULL;
    if (api_staff_member(req, &call->who, ret) != 0)
        return -1;
    return fields ? api_read_body(req, fields, &call->body, ret) : 0;
}

int api_staff_call_end(struct staff_call *call, int ret)
{
    json_decref(call->body);
    call->body = NULL;
    return ret;
}
