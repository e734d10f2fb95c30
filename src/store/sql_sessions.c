/* store.h accounts, sessions and throttling. */
#include "store/sql_internal.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int store_account_find(struct store *s, const char *login, char id[STORE_ID_LEN + 1],
                       char password_hash[128], char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    /* Two index lookups: with "curp = ?1 OR email = ?1" SQLite scans every active
     * enrollment. An email (it has an @) never equals a CURP. */
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT id, password_hash FROM registration"
                                  " WHERE status = 1 AND curp = ?1 UNION ALL"
                                  " SELECT id, password_hash FROM registration"
                                  " WHERE status = 1 AND email = ?1 COLLATE NOCASE LIMIT 2",
                                  SQ_TEXT(login));
    int rows = 0, row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        if (rows++ == 0) {
            sq_copy_column(st, 0, id, STORE_ID_LEN + 1);
            sq_copy_column(st, 1, password_hash, 128);
        }
    }
    int result = row < 0 ? sq_fail_db(conn, err, errsz, "finding an account") : rows < 2 ? rows : 2;
    sq_release(s, conn);
    return result;
}

int store_registration_find_by_token(struct store *s,
                                     const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                                     char id[STORE_ID_LEN + 1], char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn, "SELECT id FROM registration WHERE token_hash = ?", SQ_HASH(token_hash));
    int found = st ? sq_row(st) : -1;
    if (found == 1)
        sq_copy_column(st, 0, id, STORE_ID_LEN + 1);
    else if (found < 0)
        sq_fail_db(conn, err, errsz, "finding a registration by token");
    sq_release(s, conn);
    return found;
}

int store_session_create(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                         const char *id, int64_t now, int64_t expires_at, char *err, size_t errsz)
{
    int n = sq_write(s, "sessions", err, errsz,
                     "INSERT INTO session (token_hash, created_at, expires_at, registration)"
                     " VALUES (?, ?, ?, ?)",
                     SQ_HASH(token_hash), SQ_INT(now), SQ_INT(expires_at), SQ_TEXT(id));
    return n < 0 ? -1 : 0;
}

int store_session_find(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN], int64_t now,
                       char id[STORE_ID_LEN + 1], char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn, "SELECT registration FROM session WHERE token_hash = ? AND expires_at > ?",
                 SQ_HASH(token_hash), SQ_INT(now));
    int found = st ? sq_row(st) : -1;
    if (found == 1)
        sq_copy_column(st, 0, id, STORE_ID_LEN + 1);
    else if (found < 0)
        sq_fail_db(conn, err, errsz, "sessions");
    sq_release(s, conn);
    return found;
}

int store_session_delete(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN], char *err,
                         size_t errsz)
{
    int n = sq_write(s, "sessions", err, errsz, "DELETE FROM session WHERE token_hash = ?",
                     SQ_HASH(token_hash));
    return n < 0 ? -1 : n > 0;
}

int store_throttle_check(struct store *s, const char *key, int64_t now, int64_t window, int max,
                         int64_t *retry_after, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn, "SELECT window_start, failures FROM throttle WHERE key = ?", SQ_TEXT(key));
    int row = st ? sq_row(st) : -1, result = row < 0 ? -1 : 1;
    if (row == 1) {
        int64_t start = sq_int64(st, 0);
        int failures = sq_int(st, 1);
        result = now - start >= window || failures < max;
        if (!result)
            *retry_after = window - (now - start);
    } else if (row < 0) {
        sq_fail_db(conn, err, errsz, "throttle");
    }
    sq_release(s, conn);
    return result;
}

int store_throttle_fail(struct store *s, const char *key, int64_t now, int64_t window, char *err,
                        size_t errsz)
{
    /* The same count as store_throttle_count's (sql_throttle.c), whose answer
     * does not matter here: a window that has run out starts again with this failure. */
    int64_t retry_after;
    return store_throttle_count(s, key, now, window, INT_MAX, &retry_after, err, errsz) < 0 ? -1
                                                                                            : 0;
}

int store_throttle_clear(struct store *s, const char *key, char *err, size_t errsz)
{
    int n = sq_write(s, "throttle", err, errsz, "DELETE FROM throttle WHERE key = ?", SQ_TEXT(key));
    return n < 0 ? -1 : 0;
}
