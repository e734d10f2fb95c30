/* store.h accounts, sessions and throttling on SQLite. */
#include "store/sqlite_internal.h"

#include <stdio.h>
#include <string.h>

/* Prepares sql and binds text as parameter 1; NULL with err on failure. */
static sqlite3_stmt *prepare_text(sqlite3 *db, const char *sql, const char *text, char *err,
                                  size_t errsz)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC) != SQLITE_OK) {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int store_account_find(struct store *s, const char *login, char id[STORE_ID_LEN + 1],
                       char password_hash[128], char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    int result = -1, rc;
    sqlite3_stmt *st =
        prepare_text(db,
                     "SELECT id, password_hash FROM registration"
                     " WHERE status = 1 AND (curp = ?1 OR email = ?1 COLLATE NOCASE) LIMIT 2",
                     login, err, errsz);
    if (!st)
        goto done;
    int rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows++ == 0) {
            sq_copy_column(st, 0, id, STORE_ID_LEN + 1);
            sq_copy_column(st, 1, password_hash, 128);
        }
    }
    if (rc != SQLITE_DONE)
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    else
        result = rows == 0 ? 0 : rows == 1 ? 1 : 2;
done:
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

/* Runs one statement on a token hash (parameter 1) with two optional int64s and a
 * text (parameters 2-4); returns the rows changed, or -1. */
static int run_on_hash(struct store *s, const char *sql, const uint8_t *hash, int64_t a, int64_t b,
                       const char *text, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC) == SQLITE_OK &&
        (sqlite3_bind_parameter_count(st) < 2 || sqlite3_bind_int64(st, 2, a) == SQLITE_OK) &&
        (sqlite3_bind_parameter_count(st) < 3 || sqlite3_bind_int64(st, 3, b) == SQLITE_OK) &&
        (sqlite3_bind_parameter_count(st) < 4 ||
         sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC) == SQLITE_OK) &&
        sqlite3_step(st) == SQLITE_DONE)
        result = sqlite3_changes(db);
    else
        sq_fail(err, errsz, "database: sessions: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

int store_session_create(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                         const char *id, int64_t now, int64_t expires_at, char *err, size_t errsz)
{
    int n = run_on_hash(s,
                        "INSERT INTO session (token_hash, created_at, expires_at, registration)"
                        " VALUES (?1, ?2, ?3, ?4)",
                        token_hash, now, expires_at, id, err, errsz);
    return n == 1 ? 0 : -1;
}

int store_session_find(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN], int64_t now,
                       char id[STORE_ID_LEN + 1], char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(
            db, "SELECT registration FROM session WHERE token_hash = ? AND expires_at > ?", -1, &st,
            NULL) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(st, 2, now) == SQLITE_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            sq_copy_column(st, 0, id, STORE_ID_LEN + 1);
        result = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    }
    if (result < 0)
        sq_fail(err, errsz, "database: sessions: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

int store_session_delete(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN], char *err,
                         size_t errsz)
{
    int n = run_on_hash(s, "DELETE FROM session WHERE token_hash = ?1", token_hash, 0, 0, NULL, err,
                        errsz);
    return n < 0 ? -1 : n > 0;
}

int store_throttle_check(struct store *s, const char *key, int64_t now, int64_t window, int max,
                         int64_t *retry_after, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    int result = -1;
    sqlite3_stmt *st = prepare_text(db, "SELECT window_start, failures FROM throttle WHERE key = ?",
                                    key, err, errsz);
    if (st) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
            result = 1;
        } else if (rc == SQLITE_ROW) {
            int64_t start = sqlite3_column_int64(st, 0);
            int failures = sqlite3_column_int(st, 1);
            result = now - start >= window || failures < max;
            if (!result)
                *retry_after = window - (now - start);
        } else {
            sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        }
    }
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

int store_throttle_fail(struct store *s, const char *key, int64_t now, int64_t window, char *err,
                        size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int result = -1;
    /* A window that has run out starts again with this failure. */
    if (sqlite3_prepare_v2(
            db,
            "INSERT INTO throttle (key, window_start, failures) VALUES (?1, ?2, 1)"
            " ON CONFLICT (key) DO UPDATE SET"
            " failures = CASE WHEN ?2 - window_start >= ?3 THEN 1 ELSE failures + 1 END,"
            " window_start = CASE WHEN ?2 - window_start >= ?3 THEN ?2"
            " ELSE window_start END",
            -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(st, 2, now) == SQLITE_OK &&
        sqlite3_bind_int64(st, 3, window) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE)
        result = 0;
    else
        sq_fail(err, errsz, "database: throttle: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

int store_throttle_clear(struct store *s, const char *key, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    int result = -1;
    sqlite3_stmt *st = prepare_text(db, "DELETE FROM throttle WHERE key = ?", key, err, errsz);
    if (st && sqlite3_step(st) == SQLITE_DONE)
        result = 0;
    else if (st)
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}
