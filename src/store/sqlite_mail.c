/* store.h mail outbox on SQLite. */
#include "store/sqlite_internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds a taken message is leased to its sender before another may retry it. */
#define OUTBOX_LEASE 300

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
