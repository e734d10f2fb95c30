/*
 * PUT /api/v1/registrations/{id}/password: the applicant's password, checked
 * against every rule of core/password (all failures reported at once) and stored
 * as an argon2id hash. Hashing is the expensive part of enrollment, so at most
 * WEB_HASH_SLOTS hashes run at once; further requests wait their turn.
 */
#include "web/routes.h"

#include "core/password.h"
#include "crypto/passhash.h"
#include "web/api_common.h"

#include <jansson.h>
#include <microhttpd.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Refuses a password with every rule it breaks, each with its sentence. */
static int reply_weak(const struct web_request *req, unsigned failed)
{
    json_t *rules = json_array();
    char message[2048] = "";
    size_t used = 0;
    for (int r = 0; r < PASSWORD_RULE_COUNT; r++) {
        if (!(failed & PASSWORD_BIT(r)))
            continue;
        json_array_append_new(rules,
                              json_pack("{s:s, s:s}", "rule", password_rule_code(r), "message",
                                        password_rule_message(r, (int)req->lang)));
        int n = snprintf(message + used, sizeof message - used, "%s%s", used ? " " : "",
                         password_rule_message(r, (int)req->lang));
        if (n > 0 && (size_t)n < sizeof message - used)
            used += (size_t)n;
    }
    json_t *j = json_pack("{s:{s:s, s:s, s:s}, s:o}", "error", "code", "weak_password", "field",
                          "password", "message", message, "rules", rules);
    return web_reply_json(req, MHD_HTTP_UNPROCESSABLE_CONTENT, j);
}

int api_registration_password(const struct web_request *req)
{
    static const char *const fields[] = {"password", NULL};
    struct store_registration reg;
    int ret;
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    json_t *body;
    const char *bad;
    enum json_input_error e = json_input_object(req->body, req->body_len, fields, &body, &bad);
    if (e != JSON_INPUT_OK)
        return api_reply_json_error(req, e, bad);
    json_t *value = json_object_get(body, "password");
    const char *pw = json_string_value(value);
    size_t len = json_string_length(value);
    if (!pw || len == 0) {
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "password",
                                 MSG_FIELD_REQUIRED);
        goto done;
    }
    struct password_context ctx = {.curp = reg.curp, .email = reg.contact.email};
    struct password_result check;
    if (password_check(pw, len, &ctx, &check) != 0) {
        ret = reply_weak(req, check.failed);
        goto done;
    }
    char hash[PASSHASH_STRBYTES], err[256];
    if (req->app->hash_slots)
        sem_wait(req->app->hash_slots);
    enum passhash_status hs = passhash_hash(pw, len, hash);
    if (req->app->hash_slots)
        sem_post(req->app->hash_slots);
    if (hs != PASSHASH_OK) {
        ret = api_internal_error(req, "hashing the password failed");
        goto done;
    }
    int stored = store_registration_set_password(req->app->store, reg.id, hash, req->app->clock(),
                                                 err, sizeof err);
    sodium_memzero(hash, sizeof hash);
    if (stored < 0)
        ret = api_internal_error(req, err);
    else if (stored == 0)
        ret = web_reply_error_id(req, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    else if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) == 1)
        ret = web_reply_json(req, MHD_HTTP_OK, api_registration_json(&reg));
    else
        ret = api_internal_error(req, err);
done:
    /* The password lives in the parsed body: wipe it before jansson frees it. */
    if (pw)
        sodium_memzero((void *)pw, len);
    json_decref(body);
    return ret;
}
