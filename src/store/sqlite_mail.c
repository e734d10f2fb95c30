/* store.h email verification codes and the mail outbox on SQLite. */
#include "store/sqlite_internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds a taken message is leased to its sender before another may retry it. */
#define OUTBOX_LEASE 300

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

int store_email_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *reg = NULL, *prev = NULL, *put = NULL, *mail = NULL;
    int result = -1;
    if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        goto done;
    reg = prepare_with_id(db, "SELECT email FROM registration WHERE id = ? AND status = 0", id, err,
                          errsz);
    if (!reg)
        goto done;
    if (sqlite3_step(reg) != SQLITE_ROW || sqlite3_column_type(reg, 0) == SQLITE_NULL) {
        result = -2;
        goto done;
    }
    char email[255];
    sq_copy_column(reg, 0, email, sizeof email);

    prev = prepare_with_id(
        db,
        "SELECT last_sent_at, window_start, window_sends FROM email_code WHERE registration = ?",
        id, err, errsz);
    if (!prev)
        goto done;
    int64_t window_start;
    int window_sends;
    if (!may_send(prev, p, now, &window_start, &window_sends, retry_after)) {
        result = 0;
        goto done;
    }
    if (sqlite3_prepare_v2(db,
                           "INSERT OR REPLACE INTO email_code (registration, email, code_hash,"
                           " expires_at, attempts, last_sent_at, window_start, window_sends)"
                           " VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                           -1, &put, NULL) != SQLITE_OK ||
        sqlite3_bind_text(put, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(put, 2, email, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(put, 3, code_hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(put, 4, now + p->ttl) != SQLITE_OK ||
        sqlite3_bind_int64(put, 5, now) != SQLITE_OK ||
        sqlite3_bind_int64(put, 6, window_start) != SQLITE_OK ||
        sqlite3_bind_int(put, 7, window_sends) != SQLITE_OK || sqlite3_step(put) != SQLITE_DONE ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO outbox (recipient, message, created_at, next_attempt_at)"
                           " VALUES (?, ?, ?, ?)",
                           -1, &mail, NULL) != SQLITE_OK ||
        sqlite3_bind_text(mail, 1, email, -1, SQLITE_STATIC) != SQLITE_OK ||
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

enum store_code_result store_email_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return STORE_CODE_ERROR;
    sqlite3_stmt *get = NULL;
    enum store_code_result result = STORE_CODE_ERROR;
    *attempts_left = 0;
    if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        goto done;
    get = prepare_with_id(db,
                          "SELECT c.code_hash, c.expires_at, c.attempts FROM email_code c"
                          " JOIN registration r ON r.id = c.registration"
                          " WHERE c.registration = ? AND r.status = 0 AND r.email IS c.email",
                          id, err, errsz);
    if (!get)
        goto done;
    int rc = sqlite3_step(get);
    if (rc != SQLITE_ROW) {
        result = rc == SQLITE_DONE ? STORE_CODE_NONE : STORE_CODE_ERROR;
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
    sqlite3_finalize(get);
    get = prepare_with_id(db,
                          match ? "UPDATE registration SET email_verified_at = ?2, updated_at = ?2"
                                  " WHERE id = ?1"
                                : "UPDATE email_code SET attempts = attempts + 1"
                                  " WHERE registration = ?1",
                          id, err, errsz);
    if (!get || (match && sqlite3_bind_int64(get, 2, now) != SQLITE_OK) ||
        sqlite3_step(get) != SQLITE_DONE) {
        sq_fail(err, errsz, "database: checking a code: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (match) {
        sqlite3_finalize(get);
        get = prepare_with_id(db, "DELETE FROM email_code WHERE registration = ?", id, err, errsz);
        if (!get || sqlite3_step(get) != SQLITE_DONE)
            goto done;
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

int store_outbox_next(struct store *s, int64_t now, struct store_mail *out, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *get = NULL, *lease = NULL;
    int result = -1;
    memset(out, 0, sizeof *out);
    if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        goto done;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, recipient, message, attempts FROM outbox"
                           " WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?"
                           " ORDER BY next_attempt_at, id LIMIT 1",
                           -1, &get, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(get, 1, now) != SQLITE_OK) {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    int rc = sqlite3_step(get);
    if (rc != SQLITE_ROW) {
        result = rc == SQLITE_DONE ? 0 : sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    out->id = sqlite3_column_int64(get, 0);
    sq_copy_column(get, 1, out->recipient, sizeof out->recipient);
    const char *text = (const char *)sqlite3_column_text(get, 2);
    out->attempts = sqlite3_column_int(get, 3) + 1;
    /* Lease the message so a crash mid-delivery retries it later, not twice at once. */
    if (sqlite3_prepare_v2(db,
                           "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?"
                           " WHERE id = ?",
                           -1, &lease, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(lease, 1, now + OUTBOX_LEASE) != SQLITE_OK ||
        sqlite3_bind_int64(lease, 2, out->id) != SQLITE_OK || sqlite3_step(lease) != SQLITE_DONE) {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    out->message = strdup(text ? text : "");
    if (!out->message || sq_exec(db, "COMMIT", err, errsz) != 0) {
        free(out->message);
        out->message = NULL;
        goto done;
    }
    result = 1;
done:
    sqlite3_finalize(get);
    sqlite3_finalize(lease);
    sq_release(s, db);
    return result;
}

/* Runs one UPDATE on an outbox row with up to two extra int64 parameters and a text. */
static int outbox_update(struct store *s, const char *sql, int64_t id, int64_t a, int64_t b,
                         const char *text, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_int64(st, 1, id) == SQLITE_OK && sqlite3_bind_int64(st, 2, a) == SQLITE_OK &&
        sqlite3_bind_int64(st, 3, b) == SQLITE_OK &&
        sq_bind_optional_text(st, 4, text) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    else
        sq_fail(err, errsz, "database: outbox: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return rc;
}

int store_outbox_sent(struct store *s, int64_t id, int64_t now, char *err, size_t errsz)
{
    /* The text goes once delivered: it may hold a verification code. */
    return outbox_update(s,
                         "UPDATE outbox SET sent_at = ?2, message = '', last_error = ?4"
                         " WHERE id = ?1 AND ?3 = ?3",
                         id, now, 0, NULL, err, errsz);
}

int store_outbox_failed(struct store *s, int64_t id, const char *error, int64_t now,
                        int64_t next_at, char *err, size_t errsz)
{
    if (next_at == 0)
        return outbox_update(s,
                             "UPDATE outbox SET failed_at = ?2, message = '', last_error = ?4"
                             " WHERE id = ?1 AND ?3 = ?3",
                             id, now, 0, error, err, errsz);
    return outbox_update(s,
                         "UPDATE outbox SET next_attempt_at = ?3, last_error = ?4"
                         " WHERE id = ?1 AND ?2 = ?2",
                         id, now, next_at, error, err, errsz);
}

long store_outbox_pending(struct store *s)
{
    return sq_query_long(
        s, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL", -1, NULL, 0);
}
