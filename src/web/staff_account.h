/*
 * staff_account: staff sign-in, staff sessions, the first password from a mailed
 * code, and the desk's reads of a person's data with their audit records: the
 * rules the staff pages (page_staff.c) and the staff API (api_staff.c) share.
 * Who may do what where is web/staff.h's; this module asks it.
 *
 * Invariants:
 * - Sign-in refusals are the applicants' (web/account.h): one answer for an unknown
 *   email, a wrong password, an account without a password yet and a disabled
 *   one, after the same argon2id work; the same throttling per account and per
 *   client address.
 * - Staff sessions live 8 hours in their own table, apart from applicants'; a
 *   disabled account's sessions end at once.
 * - Every read of a person's data writes its audit record before the data goes
 *   out; when the record cannot be written the data does not go out (500).
 * - Refusals of a person read: 422 invalid_key (not a CURP or folio), 404
 *   person_not_found, 403 out_of_scope (not a person of the staff member's unit,
 *   or a role that may not see this).
 */
#ifndef PADRON_WEB_STAFF_ACCOUNT_H
#define PADRON_WEB_STAFF_ACCOUNT_H

#include "store/store.h"
#include "web/api_common.h"
#include "web/enrollment.h"
#include "web/staff.h"

#include <stdint.h>

#define STAFF_SESSION_SECONDS (8 * 60 * 60)
#define STAFF_CODE_ATTEMPTS   5

/* A signed-in staff member: the account, its role and scope (scope.unit points
 * into account.unit; scope.state is the unit's state from the catalog, or the
 * state administrator's state). */
struct staff_member {
    struct store_staff account;
    struct staff_scope scope;
};

/* Signs in with email and password. Returns 0 with a new session token
 * (API_TOKEN_TEXT_MAX bytes; the caller wipes it) and *who, or -1 with why (422
 * required, 401 invalid_credentials, 429 throttled with *retry_after, 500). */
int staff_sign_in(const struct web_request *req, const char *email, const char *password,
                  size_t password_len, char token[API_TOKEN_TEXT_MAX], struct staff_member *who,
                  int64_t *retry_after, struct refusal *why);

/* The staff member of a session token: 1 (who filled), 0 (none live), -1 (logged). */
int staff_session(const struct web_request *req, const char *token, size_t len,
                  struct staff_member *who);

/* The staff member of the request's bearer token (staff_account.c): 0 with who, or -1
 * with the reply (401 unauthorized, 500) sent and its result in *ret. */
int api_staff_member(const struct web_request *req, struct staff_member *who, int *ret);

/* A staff API call (api_referrals.c, api_staff.c, api_suspension.c, ...): who
 * calls, the JSON body when the endpoint takes one, and the refusal of what it
 * asks. */
struct staff_call {
    struct staff_member who;
    json_t *body; /* NULL for an endpoint without a body */
    struct refusal why;
};

/* Starts a call: the staff member of the bearer token (api_staff_member), then,
 * when fields is not NULL, the body with only those fields (api_read_body).
 * Returns 0, or -1 with the reply sent and its result in *ret (nothing to end). */
int api_staff_call(const struct web_request *req, const char *const *fields,
                   struct staff_call *call, int *ret);

/* Ends a started call: releases its body; returns ret, the result of its reply. */
int api_staff_call_end(struct staff_call *call, int ret);

/* The staff member of the "personal" cookie (page_staff.c): 0 with who, or -1
 * after sending the browser to the sign-in page (or the 500 page), the result in
 * *ret. */
int page_staff_member(const struct web_request *req, struct staff_member *who, int *ret);

/* Ends the staff session of token: 1 when there was one, 0 when not, -1. */
int staff_sign_out(const struct web_request *req, const char *token, size_t len);

/* Sets the password of the account of email with its mailed code. The password
 * must meet every rule (422 weak_password with *failed); the code must be the live
 * one (422 invalid_code for a malformed one, 422 wrong_code, 410 code_expired, 429
 * too_many_attempts; an unknown or disabled email gets wrong_code). Returns 0 or
 * -1 with why. */
int staff_set_password(const struct web_request *req, const char *email, const char *code,
                       const char *password, size_t password_len, unsigned *failed,
                       int64_t *retry_after, struct refusal *why);

/* Whether text has the shape of a registration id (32 lowercase hex digits): the
 * opaque key that person URLs carry, since a CURP must never be in a URL. */
bool staff_person_id_shape(const char *text);

/* Fills rec for an audit record of who (role, unit or state, client address, now)
 * doing action followed by detail (e.g. "person.lookup" and ".denied", or "") on
 * subject (a CURP). */
void staff_audit_record(const struct web_request *req, const struct staff_member *who,
                        const char *action, const char *detail, const char *subject,
                        struct store_audit_record *rec);

#define STAFF_KEY_MAX 40 /* a canonical CURP, folio or registration id, with room */

/* Finds the active enrollment key names (a CURP or an enrollment folio, as typed,
 * or a registration id), with no scope check and no audit record: the callers do
 * both. Returns 1 with reg and its home clinic ("" when none), 0 when there is none
 * (key holds the canonical key), or -1 with why (422 required or invalid_key, 500). */
int staff_find_person(const struct web_request *req, const char *key_text, char key[STAFF_KEY_MAX],
                      struct store_registration *reg, char clinic[STORE_CLUES_LEN + 1],
                      struct refusal *why);

/* Finds the person key names (a CURP or an enrollment folio, as typed, or a
 * registration id) for action by who, and writes the audit record of the read.
 * Returns 0 with reg and its home clinic (a CLUES, "" when none is assigned yet),
 * or -1 with why (422 invalid_key, 404 person_not_found, 403 out_of_scope, 500). */
int staff_read_person(const struct web_request *req, const struct staff_member *who,
                      const char *key, enum staff_action action, struct store_registration *reg,
                      char clinic[STORE_CLUES_LEN + 1], struct refusal *why);

/* Whether who may do action on reg's data: at the person's home clinic clinic
 * (a CLUES), or when none is assigned ("") in the person's state. */
bool staff_may_person(const struct staff_member *who, enum staff_action action,
                      const struct store_registration *reg, const char *clinic);

/* The document kind named kind_name ("id_front", "face", ...) and the action that
 * reading it is (the face photo, or the documents): 0, or -1 when unknown. */
int staff_document_kind(const char *kind_name, enum store_document_kind *kind,
                        enum staff_action *action);

/* Who read curp's data, for the person: [{at, role, unit, unit_name, action}],
 * oldest first, without staff names or emails. A new reference, or NULL on a
 * database error (logged). */
json_t *staff_accesses_json(const struct web_request *req, const char *curp);

/* The facility name of a CLUES from the catalog, or "" when unknown. */
const char *staff_unit_name(const struct web_request *req, const char *clues);

#endif
