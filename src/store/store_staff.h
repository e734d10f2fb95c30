/*
 * store_staff: the part of the store (store.h) for clinic staff: their accounts
 * and sessions, the hash-chained audit log of every staff read or change of a
 * person's data, and what assisted enrollment at a desk records. Included by
 * store.h; the invariants of store.h hold here too.
 */
#ifndef PADRON_STORE_STORE_STAFF_H
#define PADRON_STORE_STORE_STAFF_H

#include "store/store.h"

/* ---- Staff accounts, staff sessions and the audit log (sqlite_staff.c) ---- */

#define STORE_ROLE_MAX  16 /* "receptionist", ..., "state_admin" (web/staff.h names them) */
#define STORE_CLUES_LEN 11 /* a facility's CLUES, e.g. "OCSSA001234" */

/* A staff account: a role at a unit (CLUES), or for a state administrator a state.
 * The schema refuses any other role, and a unit for a state administrator or a
 * state for anybody else. */
struct store_staff {
    int64_t id;
    char email[255]; /* normalised; unique without case */
    char role[STORE_ROLE_MAX];
    char unit[STORE_CLUES_LEN + 1]; /* "" for a state administrator */
    int state;                      /* INEGI code, state administrators only (else 0) */
    bool password_set;
    int64_t created_at;
    int64_t disabled_at; /* 0 while enabled */
};

/* Adds a staff account (st's id, password_set and disabled_at are ignored) with a
 * one-time code to set its password (its hash, valid until code_expires) and, in
 * the same transaction, queues message (a complete RFC 5322 text to st->email;
 * NULL sends nothing). Returns 1 with *id set, 0 when the email has an account
 * already, -1 on error (a role or unit the schema refuses is an error). */
int store_staff_add(struct store *s, const struct store_staff *st,
                    const uint8_t code_hash[STORE_TOKEN_HASH_LEN], int64_t code_expires,
                    const char *message, int64_t now, int64_t *id, char *err, size_t errsz);

/* Replaces the set-password code of the enabled account of email (a forgotten
 * password, an expired code) and queues message, in one transaction. Returns 1,
 * 0 when there is no such enabled account, -1 on error. */
int store_staff_new_code(struct store *s, const char *email,
                         const uint8_t code_hash[STORE_TOKEN_HASH_LEN], int64_t code_expires,
                         const char *message, int64_t now, char *err, size_t errsz);

/* The account of email (compared without case), enabled or not, with its password
 * hash ("" when none yet): 1 (filled), 0 (none), -1 on error. */
int store_staff_find(struct store *s, const char *email, struct store_staff *out,
                     char password_hash[128], char *err, size_t errsz);

/* The account with this id: 1 (filled), 0, -1. */
int store_staff_get(struct store *s, int64_t id, struct store_staff *out, char *err, size_t errsz);

/* Calls each(ctx, st) for every account in id order; stops when each returns
 * non-zero. Returns how many were listed, or -1 on error. */
long store_staff_each(struct store *s, int (*each)(void *ctx, const struct store_staff *st),
                      void *ctx, char *err, size_t errsz);

/* Disables the account of email at now, in one transaction with the end of its
 * sessions and of its set-password code. 1 disabled, 0 unknown or disabled
 * already, -1 on error. An account is never deleted: the audit log names it. */
int store_staff_disable(struct store *s, const char *email, int64_t now, char *err, size_t errsz);

/* Checks a set-password code of the enabled account of email; on a match, in one
 * transaction: password_hash (argon2id) becomes the password, the code is spent and
 * every session of the account ends (STORE_CODE_OK). A wrong guess uses one of
 * max_attempts (STORE_CODE_WRONG, *attempts_left); STORE_CODE_NONE when the account
 * is unknown, disabled or has no code. */
enum store_code_result store_staff_set_password(struct store *s, const char *email,
                                                const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                                const char *password_hash, int max_attempts,
                                                int64_t now, int *attempts_left, char *err,
                                                size_t errsz);

/* Staff sessions, apart from applicants': only the token's hash is stored. */
int store_staff_session_create(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                               int64_t staff, int64_t now, int64_t expires_at, char *err,
                               size_t errsz);

/* The account of a live session of an enabled account: 1 (*staff set), 0, -1. */
int store_staff_session_find(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                             int64_t now, int64_t *staff, char *err, size_t errsz);

/* Ends a staff session: 1 when there was one, 0 when not, -1 on error. */
int store_staff_session_delete(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                               char *err, size_t errsz);

/* The active enrollment whose CURP (18 characters, upper case) or folio (canonical
 * form) is key: 1 (id filled), 0 (none), -1 on error. */
int store_person_find(struct store *s, const char *key, char id[STORE_ID_LEN + 1], char *err,
                      size_t errsz);

/* One record of the audit log: who (staff id, role, unit: a CLUES, or a state
 * administrator's state as two digits), did what (action, e.g. "person.lookup"),
 * to whose data (subject: a CURP, or a registration id when there is no CURP), when
 * (at) and from where (client: an address). seq counts from 1 without gaps;
 * hash = SHA-256(prev_hash || audit_chain_canonical(record)), prev_hash of the
 * first record is 32 zero bytes (store/audit_chain.h). */
#define STORE_AUDIT_ACTION_MAX 32
#define STORE_AUDIT_CLIENT_MAX 64
struct store_audit_record {
    int64_t seq, at, staff;
    char role[STORE_ROLE_MAX];
    char unit[STORE_CLUES_LEN + 1];
    char action[STORE_AUDIT_ACTION_MAX];
    char subject[STORE_ID_LEN + 1];
    char client[STORE_AUDIT_CLIENT_MAX];
    uint8_t prev_hash[STORE_TOKEN_HASH_LEN], hash[STORE_TOKEN_HASH_LEN];
    char staff_email[255]; /* filled by store_audit_each; not part of the record's hash */
};

/* Appends r (at, staff, role, unit, action, subject, client set by the caller) to
 * the log in a transaction of its own: fills r->seq, r->prev_hash and r->hash.
 * Returns 0, or -1 (nothing written). Changes of a person's data append their
 * record inside their own transaction instead (sq_audit_append). */
int store_audit_append(struct store *s, struct store_audit_record *r, char *err, size_t errsz);

/* Calls each(ctx, r) for every record in seq order, or only for those whose
 * subject is subject when it is not NULL; stops when each returns non-zero.
 * Returns how many were listed, or -1 on error. */
long store_audit_each(struct store *s, const char *subject,
                      int (*each)(void *ctx, const struct store_audit_record *r), void *ctx,
                      char *err, size_t errsz);

/* ---- Assisted enrollment at a unit's desk (sqlite_assisted.c) ---- */

/* Binds r (at, staff, role, unit, action, subject, client set by the caller) to
 * the calling thread: the next write this thread commits through the store
 * appends r to the audit log inside the same transaction, so a staff member's
 * change of a person's data and its record commit or roll back together; writes
 * after that one are not touched. A write that fails leaves r bound. */
void store_audit_attach(struct store *s, struct store_audit_record *r);

/* Unbinds the calling thread's record: 1 when it was written (r->seq and the
 * hashes filled), 0 when no write committed since store_audit_attach. */
int store_audit_detach(struct store *s);

/* Records that staff assists the draft id at its desk (the first such staff
 * account stays). 1, 0 when id is not a draft, -1 on error. */
int store_registration_set_assisted(struct store *s, const char *id, int64_t staff, int64_t now,
                                    char *err, size_t errsz);

/* Records that staff attested, with the person's ID in hand, that the draft id is
 * theirs. 1, 0 when id is not a draft, -1 on error. */
int store_registration_verify_by_staff(struct store *s, const char *id, int64_t staff, int64_t now,
                                       char *err, size_t errsz);

/* The ids of the drafts of curp, newest first, at most max into ids: how many, or
 * -1 on error. */
int store_drafts_of_curp(struct store *s, const char *curp, char (*ids)[STORE_ID_LEN + 1], int max,
                         char *err, size_t errsz);

/* The staff account that recorded the newest consent of registration id at a
 * desk: 1 (*staff set), 0 when that consent was given online or there is none,
 * -1 on error. */
int store_consent_assisted_by(struct store *s, const char *id, int64_t *staff, char *err,
                              size_t errsz);

/* ---- Staff reviews of suspensions (sqlite_suspension.c; web/suspension_review.h) ---- */

#define STORE_REVIEW_REASON_MAX 400 /* characters; 4 bytes each at most */

enum store_review_decision { STORE_REVIEW_LIFT, STORE_REVIEW_CONFIRM };

/* One review of a suspension: the decision, its reason, who (a staff account id)
 * and when; and the suspension it looked at: when it was made, by which roll,
 * and when that roll had been imported (0 when the roll has no import record). */
struct store_suspension_review {
    int64_t id;
    enum store_review_decision decision;
    char reason[4 * STORE_REVIEW_REASON_MAX + 1];
    int64_t staff, reviewed_at;
    int64_t suspended_at;
    enum store_institution institution;
    int64_t roll_imported_at;
};

/* "lift" or "confirm". */
const char *store_review_decision_name(enum store_review_decision d);

/* Makes the mail to a person whose suspension was lifted, to email in language
 * ("es" or "en"): a complete RFC 5322 text the store frees, or NULL for none. */
typedef char *store_lift_mail_fn(void *ctx, const char *email, const char *language);

/* Records r (decision, reason: 10-400 characters, staff and reviewed_at set by the
 * caller) on the suspension of the active enrollment id made at suspended_at (as
 * the reviewer saw it), in one transaction with audit (action, subject, ... set by
 * the caller; NULL: none): fills r's suspension fields and id. A lift clears the
 * suspension and, when the enrollment has an email and compose returns a message,
 * queues it (compose gets the email and the language of the newest consent). The
 * roll's import time recorded is the one of the suspension's institution now: a
 * later cross-check skips the person until a newer import of that roll.
 * Returns 1, 0 when id is no longer active or not suspended at suspended_at (it
 * was lifted meanwhile, or is not suspended), -1 on error (nothing written). */
int store_suspension_review(struct store *s, const char *id, int64_t suspended_at,
                            struct store_suspension_review *r, store_lift_mail_fn *compose,
                            void *ctx, struct store_audit_record *audit, char *err, size_t errsz);

/* The reviews of id's suspensions, newest first, at most max into out: how many,
 * or -1 on error. */
int store_suspension_reviews(struct store *s, const char *id, struct store_suspension_review *out,
                             int max, char *err, size_t errsz);

#endif
