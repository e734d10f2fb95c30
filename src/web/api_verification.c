/*
 * /api/v1/registrations/{id}/email-verification: proving the email address with
 * a 6-digit code sent by mail (valid 10 minutes, 5 attempts, resends throttled).
 * The code exists in clear only in the outgoing mail; the store keeps a keyed
 * hash, and nothing logs it.
 */
#include "web/routes.h"

#include "notify/message.h"
#include "notify/sender.h"
#include "web/api_common.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_DIGITS 6

static const struct store_code_policy policy = {
    .ttl = 600, .max_attempts = 5, .min_interval = 60, .window = 3600, .max_per_window = 5};

/* The stored form of a code: keyed with the server's code key and bound to the
 * application, so a hash reveals nothing without the key. */
static void hash_code(const struct web_request *req, const char *id, const char *code,
                      uint8_t out[STORE_TOKEN_HASH_LEN])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, req->app->code_key, WEB_KEY_LEN, STORE_TOKEN_HASH_LEN);
    crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
    crypto_generichash_update(&st, (const unsigned char *)":", 1);
    crypto_generichash_update(&st, (const unsigned char *)code, strlen(code));
    crypto_generichash_final(&st, out, STORE_TOKEN_HASH_LEN);
}

int api_send_email_code(const struct web_request *req, const struct store_registration *reg,
                        int64_t *retry_after, char *err, size_t errsz)
{
    char code[CODE_DIGITS + 1], subject[128], body[1024];
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    hash_code(req, reg->id, code, hash);
    i18n_code_mail(req->lang, code, (int)(policy.ttl / 60), subject, sizeof subject, body,
                   sizeof body);
    int64_t now = req->app->clock();
    struct mail_text m = {req->app->mail_from, reg->contact.email, subject, body, now};
    char *message = NULL;
    int rc = mail_compose(&m, &message, err, errsz);
    if (rc == 0)
        rc = store_email_code_issue(req->app->store, reg->id, hash, message, &policy, now,
                                    retry_after, err, errsz);
    if (message) {
        sodium_memzero(message, strlen(message));
        free(message);
    }
    sodium_memzero(code, sizeof code);
    sodium_memzero(body, sizeof body);
    if (rc == 1)
        mail_sender_wake(req->app->mailer);
    return rc;
}

/* Sends the reply for a resend that was refused or throttled. */
static int reply_not_sent(const struct web_request *req, int rc, int64_t retry_after,
                          const char *err)
{
    if (rc == -2)
        return web_reply_error_id(req, MHD_HTTP_CONFLICT, "no_email", "email", MSG_NO_EMAIL_YET);
    if (rc < 0)
        return api_internal_error(req, err);
    json_t *j =
        json_pack("{s:{s:s, s:n, s:s}, s:I}", "error", "code", "throttled", "field", "message",
                  i18n(req->lang, MSG_CODE_THROTTLED), "retry_after", (json_int_t)retry_after);
    return web_reply_json(req, MHD_HTTP_TOO_MANY_REQUESTS, j);
}

int api_email_verification_resend(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    if (reg.contact.email_verified_at)
        return web_reply_json(req, MHD_HTTP_OK,
                              json_pack("{s:s}", "email_verification", "verified"));
    char err[256];
    int64_t retry_after = 0;
    int rc = api_send_email_code(req, &reg, &retry_after, err, sizeof err);
    if (rc != 1)
        return reply_not_sent(req, rc, retry_after, err);
    return web_reply_json(req, MHD_HTTP_ACCEPTED,
                          json_pack("{s:s, s:I}", "email_verification", "sent", "expires_in",
                                    (json_int_t)policy.ttl));
}

static bool is_code(const char *s)
{
    if (!s || strlen(s) != CODE_DIGITS)
        return false;
    for (int i = 0; i < CODE_DIGITS; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int api_email_verification(const struct web_request *req)
{
    static const char *const fields[] = {"code", NULL};
    struct store_registration reg;
    int ret;
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    json_t *body;
    const char *bad;
    enum json_input_error e = json_input_object(req->body, req->body_len, fields, &body, &bad);
    if (e != JSON_INPUT_OK)
        return api_reply_json_error(req, e, bad);
    const char *code = json_input_text(body, "code");
    if (!is_code(code)) {
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT,
                                 code ? "invalid_code" : "required", "code",
                                 code ? MSG_CODE_SHAPE : MSG_FIELD_REQUIRED);
        goto done;
    }
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char err[256];
    int left = 0;
    hash_code(req, reg.id, code, hash);
    switch (store_email_code_check(req->app->store, reg.id, hash, &policy, req->app->clock(), &left,
                                   err, sizeof err)) {
    case STORE_CODE_OK:
        ret = store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) == 1
                  ? web_reply_json(req, MHD_HTTP_OK, api_registration_json(&reg))
                  : api_internal_error(req, err);
        break;
    case STORE_CODE_WRONG:
        ret = web_reply_json(req, MHD_HTTP_UNPROCESSABLE_CONTENT,
                             json_pack("{s:{s:s, s:s, s:s}, s:i}", "error", "code", "wrong_code",
                                       "field", "code", "message", i18n(req->lang, MSG_CODE_WRONG),
                                       "attempts_left", left));
        break;
    case STORE_CODE_EXPIRED:
        ret = web_reply_error_id(req, MHD_HTTP_GONE, "code_expired", "code", MSG_CODE_EXPIRED);
        break;
    case STORE_CODE_EXHAUSTED:
        ret = web_reply_error_id(req, MHD_HTTP_TOO_MANY_REQUESTS, "too_many_attempts", "code",
                                 MSG_CODE_EXHAUSTED);
        break;
    case STORE_CODE_NONE:
        ret = web_reply_error_id(req, MHD_HTTP_CONFLICT, "no_pending_code", "code", MSG_CODE_NONE);
        break;
    case STORE_CODE_ERROR:
    default:
        ret = api_internal_error(req, err);
    }
done:
    json_decref(body);
    return ret;
}
