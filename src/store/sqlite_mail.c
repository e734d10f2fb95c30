/* store.h mail outbox on SQLite. */
#include "store/sqlite_internal.h"

#include "util/alloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds a taken message is leased to its sender before another may retry it. */
#define OUTBOX_LEASE 300

int store_outbox_next(struct store *s, int64_t now, struct store_mail *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    sqlite3_stmt *get =
        sq_query(conn,
                 "SELECT id, recipient, message, attempts FROM outbox"
                 " WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?"
                 " ORDER BY next_attempt_at, id LIMIT 1",
                 SQ_INT(now));
    int row = get ? sq_row(get) : -1;
    if (row <= 0) {
        result = row == 0 ? 0 : sq_fail_db(conn, err, errsz, "outbox");
        goto done;
    }
    out->id = sqlite3_column_int64(get, 0);
    sq_copy_column(get, 1, out->recipient, sizeof out->recipient);
    const char *text = (const char *)sqlite3_column_text(get, 2);
    out->message = xstrdup(text ? text : "");
    out->attempts = sqlite3_column_int(get, 3) + 1;
    /* Lease the message so a crash mid-delivery retries it later, not twice at once. */
    if (sq_run(conn, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?",
               SQ_INT(now + OUTBOX_LEASE), SQ_INT(out->id)) < 0) {
        sq_fail_db(conn, err, errsz, "outbox");
        goto done;
    }
    if (sq_commit(conn, err, errsz) == 0)
        result = 1;
done:
    if (result != 1) {
        free(out->message);
        out->message = NULL;
    }
    sq_release(s, conn); /* rolls back whatever did not commit */
    return result;
}

int store_outbox_sent(struct store *s, int64_t id, int64_t now, char *err, size_t errsz)
{
    /* The text goes once delivered: it may hold a verification code. */
    int n = sq_write(s, "outbox", err, errsz,
                     "UPDATE outbox SET sent_at = ?, message = '', last_error = NULL WHERE id = ?",
                     SQ_INT(now), SQ_INT(id));
    return n < 0 ? -1 : 0;
}

int store_outbox_failed(struct store *s, int64_t id, const char *error, int64_t now,
                        int64_t next_at, char *err, size_t errsz)
{
    int n = next_at == 0
                ? sq_write(s, "outbox", err, errsz,
                           "UPDATE outbox SET failed_at = ?, message = '', last_error = ?"
                           " WHERE id = ?",
                           SQ_INT(now), SQ_OPT_TEXT(error), SQ_INT(id))
                : sq_write(s, "outbox", err, errsz,
                           "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
                           SQ_INT(next_at), SQ_OPT_TEXT(error), SQ_INT(id));
    return n < 0 ? -1 : 0;
}

long store_outbox_pending(struct store *s)
{
    return sq_query_long(
        s, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL", -1, NULL, 0);
}
