/*
 * /api/v1/sessions: signing in with CURP or email and password, and signing out.
 *
 * Refusals are uniform: an unknown login, a wrong password and an email shared by
 * several enrollments all get the same 401 after the same argon2id work, so the
 * answer tells nothing about which accounts exist. Failures are counted per login
 * and per client address over 15 minutes (5 and 20 allowed); past that, 429 with
 * retry_after. A session token lives 12 hours and is stored only as a hash.
 */
#include "web/routes.h"

#include "core/contact.h"
#include "core/curp.h"
#include "crypto/passhash.h"
#include "web/api_common.h"

#include <jansson.h>
#include <microhttpd.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define THROTTLE_WINDOW      (15 * 60)
#define MAX_LOGIN_FAILURES   5
#define MAX_ADDRESS_FAILURES 20
#define SESSION_SECONDS      (12 * 60 * 60)

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

static int reply_throttled(const struct web_request *req, int64_t retry_after)
{
    return web_reply_json(req, MHD_HTTP_TOO_MANY_REQUESTS,
                          json_pack("{s:{s:s, s:n, s:s}, s:I}", "error", "code", "throttled",
                                    "field", "message", i18n(req->lang, MSG_LOGIN_THROTTLED),
                                    "retry_after", (json_int_t)retry_after));
}

static enum passhash_status verify(const struct web_request *req, const char *hash, const char *pw,
                                   size_t len)
{
    if (req->app->hash_slots)
        sem_wait(req->app->hash_slots);
    enum passhash_status st = hash[0] ? passhash_verify(hash, pw, len) : passhash_burn(pw, len);
    if (req->app->hash_slots)
        sem_post(req->app->hash_slots);
    return hash[0] ? st : PASSHASH_MISMATCH;
}

int api_session_create(const struct web_request *req)
{
    static const char *const fields[] = {"login", "password", NULL};
    json_t *body;
    const char *bad;
    enum json_input_error e = json_input_object(req->body, req->body_len, fields, &body, &bad);
    if (e != JSON_INPUT_OK)
        return api_reply_json_error(req, e, bad);
    int ret;
    const char *login_text = json_input_text(body, "login");
    json_t *pw_value = json_object_get(body, "password");
    const char *pw = json_string_value(pw_value);
    size_t pw_len = json_string_length(pw_value);
    if (!login_text || !pw || pw_len == 0) {
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "required",
                                 login_text ? "password" : "login", MSG_FIELD_REQUIRED);
        goto done;
    }

    char login[CONTACT_EMAIL_MAX + 1] = "", address[64], login_key[300], address_key[80], err[256];
    char id[STORE_ID_LEN + 1] = "", hash[128] = "";
    bool well_formed = canonical_login(login_text, login, sizeof login);
    int found =
        well_formed ? store_account_find(req->app->store, login, id, hash, err, sizeof err) : 0;
    if (found < 0) {
        ret = api_internal_error(req, err);
        goto done;
    }
    /* Failures count against the account, whichever login named it, so CURP and
     * email cannot be alternated; an unknown login counts against itself. */
    if (found == 1)
        snprintf(login_key, sizeof login_key, "account:%s", id);
    else
        snprintf(login_key, sizeof login_key, "login:%.256s", well_formed ? login : login_text);
    web_client_address(req, address, sizeof address);
    snprintf(address_key, sizeof address_key, "address:%s", address);
    int64_t now = req->app->clock(), retry_after = 0;
    int a = store_throttle_check(req->app->store, address_key, now, THROTTLE_WINDOW,
                                 MAX_ADDRESS_FAILURES, &retry_after, err, sizeof err);
    int l = a == 1 ? store_throttle_check(req->app->store, login_key, now, THROTTLE_WINDOW,
                                          MAX_LOGIN_FAILURES, &retry_after, err, sizeof err)
                   : a;
    if (a < 0 || l < 0) {
        ret = api_internal_error(req, err);
        goto done;
    }
    if (!a || !l) {
        ret = reply_throttled(req, retry_after);
        goto done;
    }

    if (found != 1)
        hash[0] = '\0'; /* unknown or ambiguous: burn the same work, then refuse */
    if (verify(req, hash, pw, pw_len) != PASSHASH_OK) {
        if (store_throttle_fail(req->app->store, login_key, now, THROTTLE_WINDOW, err,
                                sizeof err) != 0 ||
            store_throttle_fail(req->app->store, address_key, now, THROTTLE_WINDOW, err,
                                sizeof err) != 0)
            fprintf(stderr, "padron: sessions: %s\n", err);
        ret = web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "invalid_credentials", NULL,
                                 MSG_BAD_CREDENTIALS);
        goto done;
    }
    store_throttle_clear(req->app->store, login_key, err, sizeof err);

    uint8_t token_bytes[32], token_hash[STORE_TOKEN_HASH_LEN];
    char token[API_TOKEN_TEXT_MAX];
    randombytes_buf(token_bytes, sizeof token_bytes);
    sodium_bin2base64(token, sizeof token, token_bytes, sizeof token_bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    api_hash_token(token, strlen(token), token_hash);
    if (store_session_create(req->app->store, token_hash, id, now, now + SESSION_SECONDS, err,
                             sizeof err) != 0)
        ret = api_internal_error(req, err);
    else
        ret = web_reply_json(req, MHD_HTTP_CREATED,
                             json_pack("{s:s, s:s, s:I}", "token", token, "registration", id,
                                       "expires_in", (json_int_t)SESSION_SECONDS));
    sodium_memzero(token, sizeof token);
    sodium_memzero(token_bytes, sizeof token_bytes);
done:
    if (pw)
        sodium_memzero((void *)pw, pw_len);
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
