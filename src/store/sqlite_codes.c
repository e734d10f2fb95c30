/*
 * store.h one-time codes on SQLite: the email- and phone-verification codes of a
 * draft and the password-reset code of an active enrollment. Both kinds share the rules
 * (hashed, one live code per registration, expiry, attempts, send throttling,
 * mail queued in the same transaction); they differ in their table, the status
 * of the registration they serve, and what a right guess changes.
 */
#include "store/sqlite_internal.h"

#include "notify/delivery.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Compares two hashes without an early exit. */
static bool same_hash(const void *a, const void *b)
{
    const unsigned char *x = a, *y = b;
    unsigned char diff = 0;
    for (size_t i = 0; i < STORE_TOKEN_HASH_LEN; i++)
        diff |= x[i] ^ y[i];
    return diff == 0;
}

/* Prepares sql and binds id as parameter 1; NULL with err on failure. */
static sqlite3_stmt *prepare_with_id(sqlite3 *db, const char *sql, const char *id, char *err,
                                     size_t errsz)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Decides whether a code may be sent now; fills the new window. 1 = may send. */
static int may_send(sqlite3_stmt *prev, const struct store_code_policy *p, int64_t now,
                    int64_t *window_start, int *window_sends, int64_t *retry_after)
{
    *window_start = now;
    *window_sends = 1;
    if (sqlite3_step(prev) != SQLITE_ROW)
        return 1;
    int64_t last = sqlite3_column_int64(prev, 0), start = sqlite3_column_int64(prev, 1);
    int sends = sqlite3_column_int(prev, 2);
    if (now - last < p->min_interval) {
        *retry_after = p->min_interval - (now - last);
        return 0;
    }
    if (now - start < p->window) {
        if (sends >= p->max_per_window) {
            *retry_after = p->window - (now - start);
            return 0;
        }
        *window_start = start;
        *window_sends = sends + 1;
    }
    return 1;
}

/* What a kind of code is for: its table, where it is sent (the registration's
 * column of that name, also kept in the code's row so a changed address voids
 * the code; the outbox recipient is prefix + that value), the status of the
 * registrations it serves, and what a right guess does (?1 id, ?2 now, ?3 the
 * caller's text). */
struct code_kind {
    const char *table;
    const char *contact;
    const char *recipient_prefix;
    enum store_registration_status status;
    const char *on_match[2]; /* one or two statements; NULL when unused */
};

static const struct code_kind email_kind = {
    "email_code",
    "email",
    "",
    STORE_REG_DRAFT,
    {"UPDATE registration SET email_verified_at = ?2, updated_at = ?2 WHERE id = ?1", NULL},
};

/* Phones are stored as 10 national digits; the gateway gets them in E.164. */
static const struct code_kind phone_kind = {
    "phone_code",
    "phone",
    DELIVERY_SMS_PREFIX "+52",
    STORE_REG_DRAFT,
    {"UPDATE registration SET phone_confirmed = 1, updated_at = ?2 WHERE id = ?1", NULL},
};

/* An active enrollment's new email becomes its email, verified, when the code
 * mailed to it comes back. */
static const struct code_kind email_change_kind = {
    "email_change_code",
    "pending_email",
    "",
    STORE_REG_ACTIVE,
    {"UPDATE registration SET email = pending_email, pending_email = NULL,"
     " email_verified_at = ?2, updated_at = ?2 WHERE id = ?1",
     NULL},
};

/* An active enrollment's phone is confirmed the same way as a draft's. */
static const struct code_kind active_phone_kind = {
    "phone_code",
    "phone",
    DELIVERY_SMS_PREFIX "+52",
    STORE_REG_ACTIVE,
    {"UPDATE registration SET phone_confirmed = 1, updated_at = ?2 WHERE id = ?1", NULL},
};

/* A reset ends every session of the account: whoever knew the old password is out. */
static const struct code_kind reset_kind = {
    "reset_code",
    "email",
    "",
    STORE_REG_ACTIVE,
    {"UPDATE registration SET password_hash = ?3, updated_at = ?2 WHERE id = ?1",
     "DELETE FROM session WHERE registration = ?1"},
};

static int code_issue(struct store *s, const struct code_kind *k, const char *id,
                      const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                      const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                      char *err, size_t errsz)
{
    char sql[256];
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *reg = NULL, *prev = NULL, *put = NULL, *mail = NULL;
    int result = -1;
    if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        goto done;
    snprintf(sql, sizeof sql, "SELECT %s FROM registration WHERE id = ? AND status = ?",
             k->contact);
    reg = prepare_with_id(db, sql, id, err, errsz);
    if (!reg || sqlite3_bind_int(reg, 2, (int)k->status) != SQLITE_OK)
        goto done;
    if (sqlite3_step(reg) != SQLITE_ROW || sqlite3_column_type(reg, 0) == SQLITE_NULL) {
        result = -2;
        goto done;
    }
    char contact[255], recipient[300];
    sq_copy_column(reg, 0, contact, sizeof contact);
    snprintf(recipient, sizeof recipient, "%s%s", k->recipient_prefix, contact);

    snprintf(sql, sizeof sql,
             "SELECT last_sent_at, window_start, window_sends FROM %s WHERE registration = ?",
             k->table);
    prev = prepare_with_id(db, sql, id, err, errsz);
    if (!prev)
        goto done;
    int64_t window_start;
    int window_sends;
    if (!may_send(prev, p, now, &window_start, &window_sends, retry_after)) {
        result = 0;
        goto done;
    }
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO %s (registration, %s, code_hash, expires_at, attempts,"
             " last_sent_at, window_start, window_sends) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
             k->table, k->contact);
    if (sqlite3_prepare_v2(db, sql, -1, &put, NULL) != SQLITE_OK ||
        sqlite3_bind_text(put, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(put, 2, contact, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(put, 3, code_hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(put, 4, now + p->ttl) != SQLITE_OK ||
        sqlite3_bind_int64(put, 5, now) != SQLITE_OK ||
        sqlite3_bind_int64(put, 6, window_start) != SQLITE_OK ||
        sqlite3_bind_int(put, 7, window_sends) != SQLITE_OK || sqlite3_step(put) != SQLITE_DONE ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO outbox (recipient, message, created_at, next_attempt_at)"
                           " VALUES (?, ?, ?, ?)",
                           -1, &mail, NULL) != SQLITE_OK ||
        sqlite3_bind_text(mail, 1, recipient, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(mail, 2, message, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(mail, 3, now) != SQLITE_OK ||
        sqlite3_bind_int64(mail, 4, now) != SQLITE_OK || sqlite3_step(mail) != SQLITE_DONE) {
        sq_fail(err, errsz, "database: issuing a code: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (sq_exec(db, "COMMIT", err, errsz) == 0)
        result = 1;
done:
    sqlite3_finalize(reg);
    sqlite3_finalize(prev);
    sqlite3_finalize(put);
    sqlite3_finalize(mail);
    sq_release(s, db);
    return result;
}

static enum store_code_result code_check(struct store *s, const struct code_kind *k, const char *id,
                                         const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                         const char *text, const struct store_code_policy *p,
                                         int64_t now, int *attempts_left, char *err, size_t errsz)
{
    char sql[256];
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return STORE_CODE_ERROR;
    sqlite3_stmt *get = NULL;
    enum store_code_result result = STORE_CODE_ERROR;
    *attempts_left = 0;
    if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        goto done;
    snprintf(sql, sizeof sql,
             "SELECT c.code_hash, c.expires_at, c.attempts FROM %s c"
             " JOIN registration r ON r.id = c.registration"
             " WHERE c.registration = ? AND r.status = ? AND r.%s IS c.%s",
             k->table, k->contact, k->contact);
    get = prepare_with_id(db, sql, id, err, errsz);
    if (!get || sqlite3_bind_int(get, 2, (int)k->status) != SQLITE_OK)
        goto done;
    int rc = sqlite3_step(get);
    if (rc != SQLITE_ROW) {
        result = rc == SQLITE_DONE ? STORE_CODE_NONE : STORE_CODE_ERROR;
        goto done;
    }
    if (sqlite3_column_int64(get, 1) == 0) {
        result = STORE_CODE_NONE; /* spent */
        goto done;
    }
    int attempts = sqlite3_column_int(get, 2);
    bool match = sqlite3_column_bytes(get, 0) == STORE_TOKEN_HASH_LEN &&
                 same_hash(sqlite3_column_blob(get, 0), code_hash);
    if (attempts >= p->max_attempts) {
        result = STORE_CODE_EXHAUSTED;
        goto done;
    }
    if (now > sqlite3_column_int64(get, 1)) {
        result = STORE_CODE_EXPIRED;
        goto done;
    }
    /* A right guess does what the kind says and spends the code; a wrong one an attempt. */
    const char *steps[3] = {NULL, NULL, NULL};
    char spend[128];
    /* A spent code keeps its row (expires_at 0): the send throttle lives there. */
    snprintf(spend, sizeof spend,
             match ? "UPDATE %s SET expires_at = 0 WHERE registration = ?1"
                   : "UPDATE %s SET attempts = attempts + 1 WHERE registration = ?1",
             k->table);
    steps[0] = spend;
    if (match)
        steps[1] = k->on_match[0], steps[2] = k->on_match[1];
    for (int i = 0; i < 3 && steps[i]; i++) {
        sqlite3_finalize(get);
        get = prepare_with_id(db, steps[i], id, err, errsz);
        int params = get ? sqlite3_bind_parameter_count(get) : 0;
        if (!get || (params >= 2 && sqlite3_bind_int64(get, 2, now) != SQLITE_OK) ||
            (params >= 3 && sqlite3_bind_text(get, 3, text, -1, SQLITE_STATIC) != SQLITE_OK) ||
            sqlite3_step(get) != SQLITE_DONE) {
            sq_fail(err, errsz, "database: checking a code: %s", sqlite3_errmsg(db));
            goto done;
        }
    }
    if (sq_exec(db, "COMMIT", err, errsz) != 0)
        goto done;
    *attempts_left = match ? 0 : p->max_attempts - attempts - 1;
    result = match ? STORE_CODE_OK : STORE_CODE_WRONG;
done:
    sqlite3_finalize(get);
    sq_release(s, db);
    return result;
}

int store_email_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz)
{
    return code_issue(s, &email_kind, id, code_hash, message, p, now, retry_after, err, errsz);
}

enum store_code_result store_email_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz)
{
    return code_check(s, &email_kind, id, code_hash, NULL, p, now, attempts_left, err, errsz);
}

int store_reset_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz)
{
    return code_issue(s, &reset_kind, id, code_hash, message, p, now, retry_after, err, errsz);
}

enum store_code_result store_reset_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const char *password_hash,
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz)
{
    return code_check(s, &reset_kind, id, code_hash, password_hash, p, now, attempts_left, err,
                      errsz);
}

int store_phone_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz)
{
    int rc = code_issue(s, &phone_kind, id, code_hash, message, p, now, retry_after, err, errsz);
    return rc == -2 ? code_issue(s, &active_phone_kind, id, code_hash, message, p, now, retry_after,
                                 err, errsz)
                    : rc;
}

enum store_code_result store_phone_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz)
{
    enum store_code_result r =
        code_check(s, &phone_kind, id, code_hash, NULL, p, now, attempts_left, err, errsz);
    return r == STORE_CODE_NONE ? code_check(s, &active_phone_kind, id, code_hash, NULL, p, now,
                                             attempts_left, err, errsz)
                                : r;
}

int store_email_change_issue(struct store *s, const char *id,
                             const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                             const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                             char *err, size_t errsz)
{
    return code_issue(s, &email_change_kind, id, code_hash, message, p, now, retry_after, err,
                      errsz);
}

enum store_code_result store_email_change_check(struct store *s, const char *id,
                                                const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                                const struct store_code_policy *p, int64_t now,
                                                int *attempts_left, char *err, size_t errsz)
{
    return code_check(s, &email_change_kind, id, code_hash, NULL, p, now, attempts_left, err,
                      errsz);
}
