/*
 * account: signing in to an active enrollment and resetting its password, the
 * rules the JSON API (api_sessions.c, api_password_reset.c) and the pages
 * (page_account.c) share. Refusals are struct refusal, as in web/enrollment.h.
 *
 * Invariants:
 * - Nothing tells whether an account exists: an unknown login, a wrong password
 *   and an email shared by several enrollments get the same refusal after the
 *   same argon2id work; a reset request is answered the same whether a code was
 *   sent or not.
 * - Failures are counted per account (whichever login named it) and per client
 *   address over 15 minutes: 5 and 20 sign-in failures; 20 reset requests or
 *   wrong reset codes per address. Past that, 429 "throttled" with retry_after.
 * - Tokens are stored only as hashes; a reset ends every session of the account.
 */
#ifndef PADRON_WEB_ACCOUNT_H
#define PADRON_WEB_ACCOUNT_H

#include "store/store.h"
#include "web/api_common.h"
#include "web/enrollment.h"

#include <stdint.h>

#define ACCOUNT_SESSION_SECONDS (12 * 60 * 60)

/* Signs in with login (a CURP or an email) and password. Returns 0 with a new
 * session token (API_TOKEN_TEXT_MAX bytes; the caller wipes it) and the
 * enrollment's id, or -1 with why (422 required, 401 invalid_credentials, 429
 * throttled with *retry_after, 500). */
int account_sign_in(const struct web_request *req, const char *login, const char *password,
                    size_t password_len, char token[API_TOKEN_TEXT_MAX], char id[STORE_ID_LEN + 1],
                    int64_t *retry_after, struct refusal *why);

/* The password check every sign-in shares (applicants and staff): the client
 * address (20 failures) and login_key (5) must not be throttled (429 throttled
 * with *retry_after); password must match hash, an argon2id string, or when hash
 * is NULL or "" (no such account, or no password yet) the same work is burnt and
 * the answer is the same 401 invalid_credentials. A failure counts against both
 * keys; a success clears login_key. Returns 0, or -1 with why. */
int account_check_password(const struct web_request *req, const char *login_key, const char *hash,
                           const char *password, size_t password_len, int64_t *retry_after,
                           struct refusal *why);

/* A new random session token (43 base64url characters) and its stored hash. */
void account_new_token(char token[API_TOKEN_TEXT_MAX], uint8_t hash[STORE_TOKEN_HASH_LEN]);

/* The enrollment of a session token: 1 (reg filled), 0 (no live session), -1. */
int account_session(const struct web_request *req, const char *token, size_t len,
                    struct store_registration *reg);

/* Ends the session of token; 1 when there was one, 0 when not, -1 on error. */
int account_sign_out(const struct web_request *req, const char *token, size_t len);

/* Asks for a password-reset code for login: mailed to the enrollment's email when
 * login names exactly one active enrollment. Returns 0 whether or not a code was
 * sent, or -1 with why (422 required, 429 throttled, 500). */
int account_request_reset(const struct web_request *req, const char *login, int64_t *retry_after,
                          struct refusal *why);

/* Sets a new password with the mailed code: the password must meet every rule
 * (422 weak_password with *failed, as enrollment_password); the code must be the
 * live one of the enrollment login names (422 wrong_code, 410 code_expired, 429
 * too_many_attempts; an unknown login gets wrong_code). Returns 0 or -1 with why. */
int account_reset_password(const struct web_request *req, const char *login, const char *code,
                           const char *password, size_t password_len, unsigned *failed,
                           int64_t *retry_after, struct refusal *why);

/* The answer to a one-time code check: 0 for STORE_CODE_OK; else -1 with why (410
 * code_expired, 429 too_many_attempts, 422 wrong_code for a wrong code and for none
 * alike, counting a failure against fail_key; 500 with err logged). */
int account_code_refusal(const struct web_request *req, enum store_code_result r,
                         const char *fail_key, const char *err, struct refusal *why);

/* What a contact change did: the phone changed (and "sent" or not an SMS code, as
 * api_send_phone_code says), an email change waits for the code mailed to it. */
struct account_change {
    bool phone_changed;
    const char *phone_verification;
    bool email_pending;
};

/* Changes the phone (optional; "" removes it) and the email of an active
 * enrollment. A new phone is recorded at once, unconfirmed (with an SMS code when
 * a gateway is configured); a new email is only pending until the code mailed to
 * it comes back (the sign-in keeps the old one meanwhile). The same email as now
 * cancels a pending change. Returns 0 with *done filled, or -1 with why (422 at
 * phone or email, 409 not active, 429 throttled mail, 500). */
int account_change_contact(const struct web_request *req, const struct store_registration *reg,
                           const char *phone, const char *email, struct account_change *done,
                           struct refusal *why);

#endif
