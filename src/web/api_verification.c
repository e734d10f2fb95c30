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
#include "web/enrollment.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_DIGITS 6

const struct store_code_policy api_code_policy = {
    .ttl = 600, .max_attempts = 5, .min_interval = 60, .window = 3600, .max_per_window = 5};

static const char *const purpose_names[] = {[API_CODE_VERIFY_EMAIL] = "verify",
                                            [API_CODE_RESET_PASSWORD] = "reset",
                                            [API_CODE_VERIFY_PHONE] = "phone",
                                            [API_CODE_CHANGE_EMAIL] = "change"};

void api_hash_code(const struct web_request *req, enum api_code_purpose purpose, const char *id,
                   const char *code, uint8_t out[STORE_TOKEN_HASH_LEN])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, req->app->code_key, WEB_KEY_LEN, STORE_TOKEN_HASH_LEN);
    crypto_generichash_update(&st, (const unsigned char *)purpose_names[purpose],
                              strlen(purpose_names[purpose]));
    crypto_generichash_update(&st, (const unsigned char *)":", 1);
    crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
    crypto_generichash_update(&st, (const unsigned char *)":", 1);
    crypto_generichash_update(&st, (const unsigned char *)code, strlen(code));
    crypto_generichash_final(&st, out, STORE_TOKEN_HASH_LEN);
}

int api_issue_code(const struct web_request *req, enum api_code_purpose purpose,
                   const struct store_registration *reg, int64_t *retry_after, char *err,
                   size_t errsz)
{
    char code[CODE_DIGITS + 1], subject[128], body[1024];
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    api_hash_code(req, purpose, reg->id, code, hash);
    int minutes = (int)(api_code_policy.ttl / 60), rc = 0;
    int64_t now = req->app->clock();
    char *message = NULL;
    if (purpose == API_CODE_VERIFY_PHONE) {
        /* An SMS: the gateway's JSON body, addressed in E.164. */
        char to[16];
        i18n_code_sms(req->lang, code, minutes, body, sizeof body);
        snprintf(to, sizeof to, "+52%s", reg->contact.phone);
        json_t *sms = json_pack("{s:s, s:s}", "to", to, "text", body);
        message = sms ? json_dumps(sms, JSON_COMPACT) : NULL;
        json_decref(sms);
        rc = message ? 0 : -1;
        if (!message)
            snprintf(err, errsz, "composing the SMS failed");
    } else {
        enum i18n_mail kind = purpose == API_CODE_RESET_PASSWORD ? I18N_MAIL_RESET
                              : purpose == API_CODE_CHANGE_EMAIL ? I18N_MAIL_CHANGE
                                                                 : I18N_MAIL_VERIFY;
        i18n_code_mail(req->lang, kind, code, minutes, subject, sizeof subject, body, sizeof body);
        const char *to = purpose == API_CODE_CHANGE_EMAIL ? reg->pending_email : reg->contact.email;
        struct mail_text m = {
            .from = req->app->mail_from, .to = to, .subject = subject, .body = body, .date = now};
        rc = mail_compose(&m, &message, err, errsz);
    }
    typedef int issue_fn(struct store *, const char *, const uint8_t *, const char *,
                         const struct store_code_policy *, int64_t, int64_t *, char *, size_t);
    static issue_fn *const issue[] = {[API_CODE_VERIFY_EMAIL] = store_email_code_issue,
                                      [API_CODE_RESET_PASSWORD] = store_reset_code_issue,
                                      [API_CODE_VERIFY_PHONE] = store_phone_code_issue,
                                      [API_CODE_CHANGE_EMAIL] = store_email_change_issue};
    if (rc == 0)
        rc = issue[purpose](req->app->store, reg->id, hash, message, &api_code_policy, now,
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

const char *api_send_phone_code(const struct web_request *req, const struct store_registration *reg)
{
    if (!reg->contact.phone[0])
        return "no_phone";
    if (reg->contact.phone_confirmed)
        return "verified";
    if (!req->app->sms_enabled)
        return "unconfirmed";
    char err[256];
    int64_t retry_after = 0;
    int rc = api_issue_code(req, API_CODE_VERIFY_PHONE, reg, &retry_after, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    return rc == 1 ? "sent" : rc == 0 ? "throttled" : "not_sent";
}

int api_send_email_code(const struct web_request *req, const struct store_registration *reg,
                        int64_t *retry_after, char *err, size_t errsz)
{
    return api_issue_code(req, API_CODE_VERIFY_EMAIL, reg, retry_after, err, errsz);
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

/* POST .../email-verification/resend and .../phone-verification/resend. */
static int resend(const struct web_request *req, enum api_code_purpose purpose)
{
    struct store_registration reg;
    int ret;
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    bool phone = purpose == API_CODE_VERIFY_PHONE;
    const char *key = phone ? "phone_verification" : "email_verification";
    if (phone ? reg.contact.phone_confirmed : reg.contact.email_verified_at != 0)
        return web_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", key, "verified"));
    char err[256];
    int64_t retry_after = 0;
    int rc = api_issue_code(req, purpose, &reg, &retry_after, err, sizeof err);
    if (rc == -2 && phone)
        return web_reply_error_id(req, MHD_HTTP_CONFLICT, "no_phone", "phone", MSG_NO_PHONE_YET);
    if (rc != 1)
        return reply_not_sent(req, rc, retry_after, err);
    return web_reply_json(
        req, MHD_HTTP_ACCEPTED,
        json_pack("{s:s, s:I}", key, "sent", "expires_in", (json_int_t)api_code_policy.ttl));
}

int api_email_verification_resend(const struct web_request *req)
{
    return resend(req, API_CODE_VERIFY_EMAIL);
}

int api_phone_verification_resend(const struct web_request *req)
{
    if (!req->app->sms_enabled)
        return web_reply_error_id(req, MHD_HTTP_CONFLICT, "sms_not_configured", NULL, MSG_SMS_OFF);
    return resend(req, API_CODE_VERIFY_PHONE);
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

int enrollment_check_code(const struct web_request *req, enum api_code_purpose purpose,
                          const char *id, const char *code, struct refusal *why, int *attempts_left)
{
    *attempts_left = 0;
    why->field = "code";
    if (!is_code(code)) {
        why->status = MHD_HTTP_UNPROCESSABLE_CONTENT;
        why->code = code && *code ? "invalid_code" : "required";
        snprintf(why->message, sizeof why->message, "%s",
                 i18n(req->lang, code && *code ? MSG_CODE_SHAPE : MSG_FIELD_REQUIRED));
        return -1;
    }
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char err[256];
    api_hash_code(req, purpose, id, code, hash);
    static const struct {
        unsigned status;
        const char *code;
        enum i18n_msg msg;
    } verdicts[] = {
        [STORE_CODE_WRONG] = {MHD_HTTP_UNPROCESSABLE_CONTENT, "wrong_code", MSG_CODE_WRONG},
        [STORE_CODE_EXPIRED] = {MHD_HTTP_GONE, "code_expired", MSG_CODE_EXPIRED},
        [STORE_CODE_EXHAUSTED] = {MHD_HTTP_TOO_MANY_REQUESTS, "too_many_attempts",
                                  MSG_CODE_EXHAUSTED},
        [STORE_CODE_NONE] = {MHD_HTTP_CONFLICT, "no_pending_code", MSG_CODE_NONE},
        [STORE_CODE_ERROR] = {MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", MSG_INTERNAL},
    };
    typedef enum store_code_result check_fn(struct store *, const char *, const uint8_t *,
                                            const struct store_code_policy *, int64_t, int *,
                                            char *, size_t);
    static check_fn *const check[] = {[API_CODE_VERIFY_EMAIL] = store_email_code_check,
                                      [API_CODE_VERIFY_PHONE] = store_phone_code_check,
                                      [API_CODE_CHANGE_EMAIL] = store_email_change_check};
    if ((unsigned)purpose >= sizeof check / sizeof check[0] || !check[purpose]) {
        snprintf(err, sizeof err, "no check for code purpose %d", (int)purpose);
        return refusal_internal(req, why, err);
    }
    enum store_code_result r = check[purpose](req->app->store, id, hash, &api_code_policy,
                                              req->app->clock(), attempts_left, err, sizeof err);
    if (r == STORE_CODE_OK)
        return 0;
    if (r == STORE_CODE_ERROR)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    why->status = verdicts[r].status;
    why->code = verdicts[r].code;
    snprintf(why->message, sizeof why->message, "%s", i18n(req->lang, verdicts[r].msg));
    return -1;
}

int enrollment_check_email_code(const struct web_request *req, const char *id, const char *code,
                                struct refusal *why, int *attempts_left)
{
    return enrollment_check_code(req, API_CODE_VERIFY_EMAIL, id, code, why, attempts_left);
}

/* POST .../email-verification and .../phone-verification: {"code"}. */
static int check_code(const struct web_request *req, enum api_code_purpose purpose)
{
    static const char *const fields[] = {"code", NULL};
    struct store_registration reg;
    int ret;
    json_t *body;
    if (api_load_authorized(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct refusal why;
    int left;
    if (enrollment_check_code(req, purpose, reg.id, json_input_text(body, "code"), &why, &left) ==
        0)
        ret = api_reply_registration(req, reg.id);
    else if (strcmp(why.code, "wrong_code") == 0)
        ret =
            web_reply_json(req, why.status,
                           json_pack("{s:{s:s, s:s, s:s}, s:i}", "error", "code", why.code, "field",
                                     "code", "message", why.message, "attempts_left", left));
    else
        ret = web_reply_error(req, why.status, why.code, why.field, why.message);
    json_decref(body);
    return ret;
}

int api_email_verification(const struct web_request *req)
{
    return check_code(req, API_CODE_VERIFY_EMAIL);
}

int api_email_change_verification(const struct web_request *req)
{
    return check_code(req, API_CODE_CHANGE_EMAIL);
}

int api_phone_verification(const struct web_request *req)
{
    if (!req->app->sms_enabled)
        return web_reply_error_id(req, MHD_HTTP_CONFLICT, "sms_not_configured", NULL, MSG_SMS_OFF);
    return check_code(req, API_CODE_VERIFY_PHONE);
}
