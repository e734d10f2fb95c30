/* store.h rate limits counted in one statement (store_throttle_count). */
#include "store/sql_internal.h"

int store_throttle_count(struct store *s, const char *key, int64_t now, int64_t window, int max,
                         int64_t *retry_after, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    /* One statement counts and answers with the row it left: one round trip, and
     * two requests at once cannot both read the last free slot (store_throttle_fail
     * counts with it too). A window that has run out starts again with this attempt. */
    struct sq_stmt *st =
        sq_query(conn,
                 "INSERT INTO throttle (key, window_start, failures) VALUES (?1, ?2, 1)"
                 " ON CONFLICT (key) DO UPDATE SET"
                 " failures = CASE WHEN ?2 - throttle.window_start >= ?3 THEN 1"
                 " ELSE throttle.failures + 1 END,"
                 " window_start = CASE WHEN ?2 - throttle.window_start >= ?3 THEN ?2"
                 " ELSE throttle.window_start END"
                 " RETURNING window_start, failures",
                 SQ_TEXT(key), SQ_INT(now), SQ_INT(window));
    int row = st ? sq_row(st) : -1, result = -1;
    if (row == 1) {
        int64_t start = sq_int64(st, 0), counted = sq_int64(st, 1);
        /* Step to the end: on SQLite the change commits only then. */
        if (sq_row(st) == 0) {
            result = counted <= max;
            if (!result)
                *retry_after = window - (now - start);
        }
    }
    if (result < 0)
        sq_fail_db(conn, err, errsz, "throttle");
    sq_release(s, conn);
    return result;
}
