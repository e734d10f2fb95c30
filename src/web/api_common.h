/*
 * api_common: what the JSON endpoints share: the bearer-token check, the JSON
 * shape of an application, the replies for refused bodies, today's date.
 */
#ifndef PADRON_WEB_API_COMMON_H
#define PADRON_WEB_API_COMMON_H

#include "core/curp.h"
#include "store/store.h"
#include "web/http.h"
#include "web/json_input.h"

#include <stdint.h>

#define API_TOKEN_TEXT_MAX 64

/* Today (the server's local date) as civil_date_key. */
long api_today_key(const struct web_request *req);

/* t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf (at least 21 bytes). */
void api_iso_time(int64_t t, char *buf, size_t size);

/* The stored form of a bearer token: its BLAKE2b-256 hash. */
void api_hash_token(const char *token, size_t len, uint8_t out[STORE_TOKEN_HASH_LEN]);

/* Sends the reply for a body json_input_object refused. */
int api_reply_json_error(const struct web_request *req, enum json_input_error e, const char *field);

/* Parses the request body as a JSON object with only the declared fields. Returns
 * 0 with *body (the caller releases it), or -1 with the refusal sent and its
 * result in *ret. */
int api_read_body(const struct web_request *req, const char *const *fields, json_t **body,
                  int *ret);

/* The bearer token of the request, or NULL; *len receives its length. */
const char *api_bearer_token(const struct web_request *req, size_t *len);

/* Loads the registration named in the path (req->params[0]) when the request
 * carries its token or a live session token of its account. Returns 0, or -1 with the reply (401,
 * 404, 500) sent and its result in *ret. */
int api_load_authorized(const struct web_request *req, struct store_registration *reg, int *ret);

/* The application as the API shows it (a new reference). */
json_t *api_registration_json(const struct store_registration *reg);

/* What a one-time code is for. */
enum api_code_purpose {
    API_CODE_VERIFY_EMAIL,   /* a draft's email */
    API_CODE_RESET_PASSWORD, /* an active enrollment's password, mailed to its email */
    API_CODE_VERIFY_PHONE,   /* the phone of a draft or an active enrollment, by SMS */
    API_CODE_CHANGE_EMAIL,   /* an active enrollment's new email, mailed to it */
};

/* The code rules: valid 10 minutes, 5 attempts, a send a minute, 5 an hour. */
extern const struct store_code_policy api_code_policy;

/* The stored form of a code: keyed with the server's code key and bound to its
 * purpose and registration, so a hash reveals nothing without the key and a code
 * of one purpose never passes for the other. */
void api_hash_code(const struct web_request *req, enum api_code_purpose purpose, const char *id,
                   const char *code, uint8_t out[STORE_TOKEN_HASH_LEN]);

/* Issues a new code of purpose for reg and queues its message (in req->lang): a
 * mail to the registration's email, or for API_CODE_VERIFY_PHONE an SMS to its
 * phone. Results as api_send_email_code's (-2: no such address yet). */
int api_issue_code(const struct web_request *req, enum api_code_purpose purpose,
                   const struct store_registration *reg, int64_t *retry_after, char *err,
                   size_t errsz);

/* After the contact step: sends a code to reg's phone by SMS when a gateway is
 * configured and the phone is not confirmed yet. Returns what happened, for the
 * API: "no_phone", "verified", "unconfirmed" (no gateway), "sent", "throttled",
 * "not_sent" (logged). */
const char *api_send_phone_code(const struct web_request *req,
                                const struct store_registration *reg);

/* Issues a new email code for reg and queues its mail (in req->lang). Returns 1
 * when queued, 0 when throttled (*retry_after seconds), -2 when there is no email
 * or the application is not a draft, -1 on error (err). */
int api_send_email_code(const struct web_request *req, const struct store_registration *reg,
                        int64_t *retry_after, char *err, size_t errsz);

/* Reads a state field ("01".."32") that must name a state taking part in
 * IMSS-Bienestar today. Returns 0 with *state set, or -1 with the reply sent
 * (422 invalid_state or state_not_participating, field "state") in *ret. */
int api_check_state(const struct web_request *req, const char *text, int *state, int *ret);

/* "id_front", "id_back", "face", "migration_status". */
const char *api_document_kind_name(enum store_document_kind kind);

/* Checks a CURP for an application: valid, not enrolled, not active in the
 * IMSS or ISSSTE roll. Returns 0 with r filled, or -1 with the reply sent (422,
 * 409, 500) and its result in *ret. */
int api_check_curp(const struct web_request *req, const char *curp, struct curp_result *r,
                   int *ret);

struct refusal;

/* Sends a refusal of web/enrollment as a JSON error. */
int api_reply_refusal(const struct web_request *req, const struct refusal *why);

/* Sends a refusal as api_reply_refusal does; a 429 with retry_after > 0 also
 * carries "retry_after" (seconds) beside "error". */
int api_reply_refusal_after(const struct web_request *req, const struct refusal *why,
                            int64_t retry_after);

/* Sends the stored photo of d (image/jpeg), 404 no_document when none was
 * uploaded, 500 when its blob cannot be read. */
int api_reply_document(const struct web_request *req, const struct store_document *d);

/* Reloads the application id and sends it (200) as api_reply_registration_json does. */
int api_reply_registration(const struct web_request *req, const char *id);

/* Sends reg (200) as api_registration_json shows it, with its "home_clinic"
 * (web/home_clinic.h: the unit, or null before one is assigned). */
int api_reply_registration_json(const struct web_request *req,
                                const struct store_registration *reg);

/* The enrollment of the bearer token: its own token, or a live session's. Returns
 * 0 with reg, or -1 with the reply (401, 500) sent and its result in *ret. */
int api_load_me(const struct web_request *req, struct store_registration *reg, int *ret);

/* The application after its contact step (api_registrations.c), with a code sent
 * to an unproven email and phone: "email_verification" is "verified", "sent",
 * "throttled" (with "retry_after") or "not_sent"; "phone_verification" as
 * api_send_phone_code says. A new reference. */
json_t *api_registration_with_codes(const struct web_request *req,
                                    const struct store_registration *reg);

/* The steps marked in missing (ENROLLMENT_STEPS of them, web/enrollment.h) as
 * [{"step","message"}] (api_submit.c). A new reference. */
json_t *api_missing_json(const struct web_request *req, const bool *missing);

/* Sends 422 incomplete with the message naming every missing step and "missing". */
int api_reply_incomplete(const struct web_request *req, const bool *missing);

/* The address step's JSON fields (NULL-terminated) and the address they give
 * (api_address.c); the strings stay body's. */
struct enrollment_address_input;
extern const char *const api_address_fields[];
struct enrollment_address_input api_address_input(json_t *body);

/* Sends 500 (503 while the database is out of reach) after logging what failed
 * (err has no personal data). */
int api_internal_error(const struct web_request *req, const char *err);

#endif
