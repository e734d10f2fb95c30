#include "web/account.h"

#include "core/contact.h"
#include "core/curp.h"
#include "crypto/passhash.h"

#include <microhttpd.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define THROTTLE_WINDOW      (15 * 60)
#define MAX_LOGIN_FAILURES   5
#define MAX_ADDRESS_FAILURES 20
#define MAX_ADDRESS_RESETS   20

/* The canonical form of a login: an upper-case CURP or a normalised email. */
static bool canonical_login(const char *login, char *out, size_t size)
{
    struct curp_result curp;
    if (curp_validate(login, strlen(login), 0, &curp) == CURP_VALID) {
        snprintf(out, size, "%s", curp.curp);
        return true;
    }
    char email[CONTACT_EMAIL_MAX + 1];
    if (contact_email(login, strlen(login), email) != CONTACT_OK)
        return false;
    snprintf(out, size, "%s", email);
    return true;
}

/* The one active enrollment login names: 1 (id, hash filled), 0 (none, or an email
 * several enrollments share), -1 on error (why filled). */
static int find_account(const struct web_request *req, const char *login_text,
                        char login[CONTACT_EMAIL_MAX + 1], char id[STORE_ID_LEN + 1],
                        char hash[128], struct refusal *why)
{
    char err[256];
    login[0] = id[0] = hash[0] = '\0';
    if (!canonical_login(login_text, login, CONTACT_EMAIL_MAX + 1))
        return 0;
    int found = store_account_find(req->app->store, login, id, hash, err, sizeof err);
    if (found < 0)
        return refusal_internal(req, why, err);
    return found == 1;
}

/* Checks the failure counter key (max in the window); 0 when allowed, else -1
 * with why (429 throttled and *retry_after, or 500). */
static int check_throttle(const struct web_request *req, const char *key, int max,
                          enum i18n_msg msg, int64_t *retry_after, struct refusal *why)
{
    char err[256];
    int ok = store_throttle_check(req->app->store, key, req->app->clock(), THROTTLE_WINDOW, max,
                                  retry_after, err, sizeof err);
    if (ok < 0)
        return refusal_internal(req, why, err);
    return ok ? 0 : refusal_set(req, why, MHD_HTTP_TOO_MANY_REQUESTS, "throttled", NULL, msg);
}

static void count_failure(const struct web_request *req, const char *key)
{
    char err[256];
    if (store_throttle_fail(req->app->store, key, req->app->clock(), THROTTLE_WINDOW, err,
                            sizeof err) != 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
}

static void address_key(const struct web_request *req, const char *what, char *out, size_t size)
{
    char address[64];
    web_client_address(req, address, sizeof address);
    snprintf(out, size, "%s:%s", what, address);
}

int account_sign_in(const struct web_request *req, const char *login_text, const char *password,
                    size_t password_len, char token[API_TOKEN_TEXT_MAX], char id[STORE_ID_LEN + 1],
                    int64_t *retry_after, struct refusal *why)
{
    *retry_after = 0;
    if (!login_text || !*login_text)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "login",
                           MSG_FIELD_REQUIRED);
    if (!password || password_len == 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "password",
                           MSG_FIELD_REQUIRED);
    char login[CONTACT_EMAIL_MAX + 1], hash[128], login_key[300], err[256];
    int found = find_account(req, login_text, login, id, hash, why);
    if (found < 0)
        return -1;
    /* Failures count against the account, whichever login named it, so CURP and
     * email cannot be alternated; an unknown login counts against itself. */
    if (found)
        snprintf(login_key, sizeof login_key, "account:%s", id);
    else
        snprintf(login_key, sizeof login_key, "login:%.256s", login[0] ? login : login_text);
    int rc = account_check_password(req, login_key, found ? hash : NULL, password, password_len,
                                    retry_after, why);
    sodium_memzero(hash, sizeof hash);
    if (rc != 0)
        return -1;

    uint8_t token_hash[STORE_TOKEN_HASH_LEN];
    account_new_token(token, token_hash);
    int64_t now = req->app->clock();
    if (store_session_create(req->app->store, token_hash, id, now, now + ACCOUNT_SESSION_SECONDS,
                             err, sizeof err) != 0) {
        sodium_memzero(token, API_TOKEN_TEXT_MAX);
        return refusal_internal(req, why, err);
    }
    return 0;
}

int account_check_password(const struct web_request *req, const char *login_key, const char *hash,
                           const char *password, size_t password_len, int64_t *retry_after,
                           struct refusal *why)
{
    char by_address[80], err[256];
    address_key(req, "address", by_address, sizeof by_address);
    if (check_throttle(req, by_address, MAX_ADDRESS_FAILURES, MSG_LOGIN_THROTTLED, retry_after,
                       why) != 0 ||
        check_throttle(req, login_key, MAX_LOGIN_FAILURES, MSG_LOGIN_THROTTLED, retry_after, why) !=
            0)
        return -1;

    /* Unknown or ambiguous: burn the same work as a real check, then refuse. */
    bool found = hash && hash[0];
    if (req->app->hash_slots)
        sem_wait(req->app->hash_slots);
    enum passhash_status st = found ? passhash_verify(hash, password, password_len)
                                    : passhash_burn(password, password_len);
    if (req->app->hash_slots)
        sem_post(req->app->hash_slots);
    if (!found || st != PASSHASH_OK) {
        count_failure(req, login_key);
        count_failure(req, by_address);
        return refusal_set(req, why, MHD_HTTP_UNAUTHORIZED, "invalid_credentials", NULL,
                           MSG_BAD_CREDENTIALS);
    }
    store_throttle_clear(req->app->store, login_key, err, sizeof err);
    return 0;
}

void account_new_token(char token[API_TOKEN_TEXT_MAX], uint8_t hash[STORE_TOKEN_HASH_LEN])
{
    uint8_t bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    sodium_bin2base64(token, API_TOKEN_TEXT_MAX, bytes, sizeof bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bytes, sizeof bytes);
    api_hash_token(token, strlen(token), hash);
}

int account_session(const struct web_request *req, const char *token, size_t len,
                    struct store_registration *reg)
{
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char id[STORE_ID_LEN + 1], err[256];
    if (!token || len == 0 || len >= API_TOKEN_TEXT_MAX)
        return 0;
    api_hash_token(token, len, hash);
    int live = store_session_find(req->app->store, hash, req->app->clock(), id, err, sizeof err);
    if (live == 1)
        live = store_registration_get(req->app->store, id, reg, err, sizeof err);
    if (live < 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    return live;
}

int account_sign_out(const struct web_request *req, const char *token, size_t len)
{
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char err[256];
    api_hash_token(token, len, hash);
    int n = store_session_delete(req->app->store, hash, err, sizeof err);
    if (n < 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    return n;
}

int account_request_reset(const struct web_request *req, const char *login_text,
                          int64_t *retry_after, struct refusal *why)
{
    *retry_after = 0;
    if (!login_text || !*login_text)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "login",
                           MSG_FIELD_REQUIRED);
    char login[CONTACT_EMAIL_MAX + 1], id[STORE_ID_LEN + 1], hash[128], by_address[80], err[256];
    address_key(req, "reset", by_address, sizeof by_address);
    if (check_throttle(req, by_address, MAX_ADDRESS_RESETS, MSG_RATE_LIMITED, retry_after, why) !=
        0)
        return -1;
    count_failure(req, by_address); /* every request counts: each may send a mail */
    int found = find_account(req, login_text, login, id, hash, why);
    sodium_memzero(hash, sizeof hash);
    if (found <= 0)
        return found;
    struct store_registration reg;
    if (store_registration_get(req->app->store, id, &reg, err, sizeof err) != 1)
        return refusal_internal(req, why, err[0] ? err : "enrollment vanished");
    /* A code sent a moment ago is not sent again, silently: the answer must not
     * differ from the one for an unknown login. */
    int64_t wait;
    if (api_issue_code(req, API_CODE_RESET_PASSWORD, &reg, &wait, err, sizeof err) == -1)
        return refusal_internal(req, why, err);
    return 0;
}

int account_reset_password(const struct web_request *req, const char *login_text, const char *code,
                           const char *password, size_t password_len, unsigned *failed,
                           int64_t *retry_after, struct refusal *why)
{
    *failed = 0;
    *retry_after = 0;
    if (!login_text || !*login_text)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "login",
                           MSG_FIELD_REQUIRED);
    if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT,
                           code && *code ? "invalid_code" : "required", "code",
                           code && *code ? MSG_CODE_SHAPE : MSG_FIELD_REQUIRED);
    char login[CONTACT_EMAIL_MAX + 1], id[STORE_ID_LEN + 1], hash[128], by_address[80], err[256];
    address_key(req, "reset-code", by_address, sizeof by_address);
    if (check_throttle(req, by_address, MAX_ADDRESS_FAILURES, MSG_CODE_EXHAUSTED, retry_after,
                       why) != 0)
        return -1;
    int found = find_account(req, login_text, login, id, hash, why);
    sodium_memzero(hash, sizeof hash);
    if (found < 0)
        return -1;
    struct store_registration reg;
    if (found && store_registration_get(req->app->store, id, &reg, err, sizeof err) != 1)
        return refusal_internal(req, why, err[0] ? err : "enrollment vanished");
    if (enrollment_check_password(req, found ? reg.curp : NULL, found ? reg.contact.email : NULL,
                                  password, password_len, failed, why) != 0)
        return -1;
    /* The hash is made even for an unknown login, so the time tells nothing. */
    char new_hash[PASSHASH_STRBYTES];
    if (enrollment_hash_password(req, password, password_len, new_hash, why) != 0)
        return -1;
    if (!found) {
        sodium_memzero(new_hash, sizeof new_hash);
        count_failure(req, by_address);
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "wrong_code", "code",
                           MSG_CODE_WRONG);
    }
    uint8_t code_hash[STORE_TOKEN_HASH_LEN];
    api_hash_code(req, API_CODE_RESET_PASSWORD, id, code, code_hash);
    int left;
    enum store_code_result r =
        store_reset_code_check(req->app->store, id, code_hash, new_hash, &api_code_policy,
                               req->app->clock(), &left, err, sizeof err);
    sodium_memzero(new_hash, sizeof new_hash);
    return account_code_refusal(req, r, by_address, err, why);
}

int account_code_refusal(const struct web_request *req, enum store_code_result r,
                         const char *fail_key, const char *err, struct refusal *why)
{
    switch (r) {
    case STORE_CODE_OK:
        return 0;
    case STORE_CODE_EXPIRED:
        return refusal_set(req, why, MHD_HTTP_GONE, "code_expired", "code", MSG_CODE_EXPIRED);
    case STORE_CODE_EXHAUSTED:
        return refusal_set(req, why, MHD_HTTP_TOO_MANY_REQUESTS, "too_many_attempts", "code",
                           MSG_CODE_EXHAUSTED);
    case STORE_CODE_WRONG:
    case STORE_CODE_NONE:
        /* No code and a wrong one read alike: neither tells whether login exists. */
        count_failure(req, fail_key);
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "wrong_code", "code",
                           MSG_CODE_WRONG);
    case STORE_CODE_ERROR:
    default:
        return refusal_internal(req, why, err);
    }
}

int account_change_contact(const struct web_request *req, const struct store_registration *reg,
                           const char *phone_text, const char *email_text,
                           struct account_change *done, struct refusal *why)
{
    *done = (struct account_change){false, "no_phone", false};
    char phone[CONTACT_PHONE_LEN + 1] = "", email[CONTACT_EMAIL_MAX + 1], err[256];
    if (reg->status != STORE_REG_ACTIVE)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_active", NULL, MSG_NOT_ACTIVE);
    if (enrollment_check_phone(req, phone_text, phone, why) != 0 ||
        enrollment_check_email(req, email_text, email, why) != 0)
        return -1;
    int64_t now = req->app->clock();
    struct store_registration after = *reg;
    if (strcmp(phone, reg->contact.phone) != 0) {
        if (store_account_set_phone(req->app->store, reg->id, phone, now, err, sizeof err) != 1 ||
            store_registration_get(req->app->store, reg->id, &after, err, sizeof err) != 1)
            return refusal_internal(req, why, err[0] ? err : "the enrollment is not active");
        done->phone_changed = true;
    }
    done->phone_verification = api_send_phone_code(req, &after);
    /* The same address as now (any case) is no change: it cancels a pending one. */
    bool same = strcasecmp(email, reg->contact.email) == 0;
    if (same && !reg->pending_email[0])
        return 0;
    if (store_account_set_pending_email(req->app->store, reg->id, same ? "" : email, now, err,
                                        sizeof err) != 1)
        return refusal_internal(req, why, err[0] ? err : "the enrollment is not active");
    if (same)
        return 0;
    if (store_registration_get(req->app->store, reg->id, &after, err, sizeof err) != 1)
        return refusal_internal(req, why, err);
    int64_t retry_after = 0;
    int rc = api_issue_code(req, API_CODE_CHANGE_EMAIL, &after, &retry_after, err, sizeof err);
    if (rc < 0)
        return refusal_internal(req, why, err);
    if (rc == 0) {
        /* No code could go out: the earlier pending address (or none) stands. */
        if (store_account_set_pending_email(req->app->store, reg->id, reg->pending_email, now, err,
                                            sizeof err) != 1)
            fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        return refusal_set(req, why, MHD_HTTP_TOO_MANY_REQUESTS, "throttled", "email",
                           MSG_CODE_THROTTLED);
    }
    done->email_pending = true;
    return 0;
}
