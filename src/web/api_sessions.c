/*
 * /api/v1/sessions: signing in with CURP or email and password, and signing out;
 * /api/v1/password-resets: a code by email, then a new password with it;
 * /api/v1/registrations/{id}/contact-change: an active enrollment's phone and
 * email. The rules (uniform refusals, throttling, hashed tokens, pending emails)
 * are web/account.c's. A session token lives 12 hours.
 */
#include "web/routes.h"

#include "web/account.h"
#include "web/api_common.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int api_session_create(const struct web_request *req)
{
    static const char *const fields[] = {"login", "password", NULL};
    json_t *body;
    int ret;
    if (api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    size_t pw_len;
    const char *pw = json_input_secret(body, "password", &pw_len);
    char token[API_TOKEN_TEXT_MAX], id[STORE_ID_LEN + 1];
    int64_t retry_after;
    struct refusal why;
    if (account_sign_in(req, json_input_text(body, "login"), pw, pw_len, token, id, &retry_after,
                        &why) != 0)
        ret = api_reply_refusal_after(req, &why, retry_after);
    else
        ret = web_reply_json(req, MHD_HTTP_CREATED,
                             json_pack("{s:s, s:s, s:I}", "token", token, "registration", id,
                                       "expires_in", (json_int_t)ACCOUNT_SESSION_SECONDS));
    sodium_memzero(token, sizeof token);
    json_input_wipe(body, "password");
    json_decref(body);
    return ret;
}

int api_password_reset_request(const struct web_request *req)
{
    static const char *const fields[] = {"login", NULL};
    json_t *body;
    int ret;
    if (api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    int64_t retry_after;
    struct refusal why;
    ret = account_request_reset(req, json_input_text(body, "login"), &retry_after, &why) != 0
              ? api_reply_refusal_after(req, &why, retry_after)
              : web_reply_json(req, MHD_HTTP_ACCEPTED,
                               json_pack("{s:s, s:I}", "status", "sent_if_enrolled", "expires_in",
                                         (json_int_t)api_code_policy.ttl));
    json_decref(body);
    return ret;
}

int api_password_reset_confirm(const struct web_request *req)
{
    static const char *const fields[] = {"login", "code", "password", NULL};
    json_t *body;
    int ret;
    if (api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    size_t pw_len;
    const char *pw = json_input_secret(body, "password", &pw_len);
    int64_t retry_after;
    unsigned failed;
    struct refusal why;
    ret = account_reset_password(req, json_input_text(body, "login"), json_input_text(body, "code"),
                                 pw, pw_len, &failed, &retry_after, &why) != 0
              ? api_reply_refusal_after(req, &why, retry_after)
              : web_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", "status", "changed"));
    json_input_wipe(body, "password");
    json_decref(body);
    return ret;
}

int api_session_delete(const struct web_request *req)
{
    size_t len;
    const char *token = api_bearer_token(req, &len);
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char err[256];
    if (!token)
        return web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL,
                                  MSG_UNAUTHORIZED);
    api_hash_token(token, len, hash);
    int n = store_session_delete(req->app->store, hash, err, sizeof err);
    if (n < 0)
        return api_internal_error(req, err);
    if (n == 0)
        return web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL,
                                  MSG_UNAUTHORIZED);
    return web_reply(req, MHD_HTTP_NO_CONTENT, "application/json", "", 0);
}

int api_contact_change(const struct web_request *req)
{
    static const char *const fields[] = {"phone", "email", NULL};
    struct store_registration reg;
    int ret;
    json_t *body;
    if (api_load_authorized(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct account_change done;
    struct refusal why;
    char err[256];
    if (account_change_contact(req, &reg, json_input_text(body, "phone"),
                               json_input_text(body, "email"), &done, &why) != 0) {
        ret = api_reply_refusal(req, &why);
    } else if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) != 1) {
        ret = api_internal_error(req, err);
    } else {
        json_t *j = api_registration_json(&reg);
        json_object_set_new(j, "phone_verification", json_string(done.phone_verification));
        json_object_set_new(j, "email_change", json_string(done.email_pending ? "sent" : "none"));
        ret = web_reply_json(req, MHD_HTTP_OK, j);
    }
    json_decref(body);
    return ret;
}
