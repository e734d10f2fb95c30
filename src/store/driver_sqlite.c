/* The SQLite driver (sql_driver.h): one WAL file; a connection is a sqlite3
 * handle and a statement a sqlite3_stmt. */
#include "store/sql_driver.h"

#include "store/migrations.h"
#include "util/clock.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

#define BUSY_TIMEOUT_MS  5000
#define BUSY_POLL_NS     1000000 /* a writer of another process is looked for again after 1 ms */
#define CHECKPOINT_PAGES 1000    /* SQLite's own default for the automatic checkpoint */

/*
 * Waiting for the write lock. SQLite's own busy handler sleeps 1, 2, 5, 10, 15 ...
 * 100 ms between tries, so a writer that finds the lock taken idles for
 * milliseconds after it was freed, while most transactions hold it for a fraction
 * of one: under load the cores idle and requests queue. Here a writer waits on a
 * condition variable that every connection of this process signals when it ends a
 * transaction (commit, rollback, or an autocommit write: SQLite's WAL hook runs
 * after the lock is released), and looks again at least every millisecond for
 * writers in other processes (an import, a second instance). The 5 s bound stays.
 */
static pthread_mutex_t writers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t writer_done;
static pthread_once_t writer_done_once = PTHREAD_ONCE_INIT;
static unsigned long writes_ended; /* under writers_lock */
static _Thread_local struct timespec busy_since;
static _Thread_local unsigned long busy_seen; /* writes_ended before this thread's last try */

static void writer_done_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&writer_done, &attr);
    pthread_condattr_destroy(&attr);
}

static void wake_writers(void)
{
    pthread_mutex_lock(&writers_lock);
    writes_ended++;
    pthread_cond_broadcast(&writer_done);
    pthread_mutex_unlock(&writers_lock);
}

static int on_busy(void *unused, int tries)
{
    (void)unused;
    if (tries == 0) {
        /* Count the ends from here, then try again at once: an end that comes between
         * this try and the wait below is not missed. */
        clock_gettime(CLOCK_MONOTONIC, &busy_since);
        pthread_mutex_lock(&writers_lock);
        busy_seen = writes_ended;
        pthread_mutex_unlock(&writers_lock);
        return 1;
    }
    if (clock_ms_since(&busy_since) >= BUSY_TIMEOUT_MS)
        return 0; /* SQLITE_BUSY: the caller answers 503 */
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += BUSY_POLL_NS;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&writers_lock);
    while (writes_ended == busy_seen &&
           pthread_cond_timedwait(&writer_done, &writers_lock, &until) == 0)
        ;
    busy_seen = writes_ended;
    pthread_mutex_unlock(&writers_lock);
    return 1;
}

static int on_wal_commit(void *unused, sqlite3 *db, const char *name, int pages)
{
    (void)unused;
    wake_writers();
    /* Replaces SQLite's automatic checkpoint, which is this same hook: a PRAGMA
     * wal_autocheckpoint or sqlite3_wal_autocheckpoint would remove this hook, and
     * with it the wake-ups after autocommit writes. */
    if (pages >= CHECKPOINT_PAGES)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

static int exec(void *conn, const char *sql, char *err, size_t errsz)
{
    sqlite3 *db = conn;
    char *msg = NULL;
    bool in_transaction = !sqlite3_get_autocommit(db);
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (in_transaction && sqlite3_get_autocommit(db))
        wake_writers(); /* a COMMIT or ROLLBACK ended it: the lock may be free */
    if (rc == SQLITE_OK)
        return 0;
    if ((rc & 0xff) == SQLITE_BUSY) /* another writer held the lock past the busy timeout */
        sq_note_unavailable();
    sq_fail(err, errsz, "database: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

static void *connect(const char *path, char *err, size_t errsz)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        sq_fail(err, errsz, "database %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    pthread_once(&writer_done_once, writer_done_init);
    sqlite3_busy_handler(db, on_busy, NULL);
    sqlite3_wal_hook(db, on_wal_commit, NULL);
    sqlite3_extended_result_codes(db, 1);
    /* WAL: readers never wait for the writer; NORMAL sync is durable across
     * process crashes (a power cut may lose the last commits, never corrupt). */
    if (exec(db,
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
             "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;",
             err, errsz) != 0) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static void disconnect(void *conn)
{
    sqlite3_close(conn);
}

static bool broken(void *conn)
{
    (void)conn;
    return false; /* a file does not go away */
}

static void *prepare(void *conn, const char *sql)
{
    sqlite3_stmt *st = NULL;
    /* PERSISTENT: it lives as long as the connection, so not in lookaside memory. */
    if (sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    return st;
}

static void finalize(void *conn, void *stmt)
{
    (void)conn;
    sqlite3_finalize(stmt);
}

static void reset(void *stmt)
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

static int bind(void *stmt, const struct sq_value *v, int n)
{
    int rc = SQLITE_OK;
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        switch (v[i].kind) {
        case SQ_KIND_INT:
            rc = sqlite3_bind_int64(stmt, i + 1, v[i].i);
            break;
        case SQ_KIND_OPT_TEXT:
            if (!v[i].text || !*v[i].text) {
                rc = sqlite3_bind_null(stmt, i + 1);
                break;
            }
            /* fall through */
        case SQ_KIND_TEXT:
            rc = sqlite3_bind_text(stmt, i + 1, v[i].text, -1, SQLITE_STATIC);
            break;
        case SQ_KIND_HASH:
            rc = sqlite3_bind_blob(stmt, i + 1, v[i].hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC);
            break;
        case SQ_KIND_BLOB: /* a NULL pointer would bind NULL, not an empty blob */
            rc = v[i].bytes > 0
                     ? sqlite3_bind_blob(stmt, i + 1, v[i].blob, v[i].bytes, SQLITE_STATIC)
                     : sqlite3_bind_zeroblob(stmt, i + 1, 0);
            break;
        }
    }
    return rc == SQLITE_OK ? 0 : -1;
}

static int step(void *conn, void *stmt)
{
    bool in_transaction = !sqlite3_get_autocommit(conn);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (in_transaction && sqlite3_get_autocommit(conn))
        wake_writers(); /* an error rolled the transaction back: the lock may be free */
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) == SQLITE_BUSY)
        sq_note_unavailable();
    return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ? SQ_CONFLICT : -1;
}

static int changes(void *conn, void *stmt)
{
    (void)stmt;
    return sqlite3_changes(conn);
}

static int64_t col_int64(void *stmt, int col)
{
    return sqlite3_column_int64(stmt, col);
}

static const char *col_text(void *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt, col);
}

static const void *col_blob(void *stmt, int col, int *bytes)
{
    const void *blob = sqlite3_column_blob(stmt, col);
    *bytes = sqlite3_column_bytes(stmt, col);
    return blob;
}

static bool col_null(void *stmt, int col)
{
    return sqlite3_column_type(stmt, col) == SQLITE_NULL;
}

static enum sq_type col_type(void *stmt, int col)
{
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
        return SQ_TYPE_NULL;
    case SQLITE_INTEGER:
        return SQ_TYPE_INT;
    case SQLITE_TEXT:
        return SQ_TYPE_TEXT;
    case SQLITE_BLOB:
        return SQ_TYPE_BLOB;
    default:
        return SQ_TYPE_OTHER;
    }
}

static const char *errmsg(void *conn)
{
    return sqlite3_errmsg(conn);
}

static bool in_transaction(void *conn)
{
    return !sqlite3_get_autocommit(conn);
}

static int begin_write(void *conn, char *err, size_t errsz)
{
    return exec(conn, "BEGIN IMMEDIATE", err, errsz);
}

static int begin_read(void *conn, char *err, size_t errsz)
{
    return exec(conn, "BEGIN", err, errsz);
}

static int commit(void *conn, char *err, size_t errsz)
{
    return exec(conn, "COMMIT", err, errsz);
}

static int schema_version(void *conn)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(conn, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int set_schema_version(void *conn, int version, char *err, size_t errsz)
{
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
    return exec(conn, pragma, err, errsz);
}

static const char *const *migrations(size_t *n, size_t *baseline)
{
    *baseline = 0;
    return migrations_sqlite(n);
}

const struct sq_driver sq_sqlite_driver = {
    .dialect = SQ_SQLITE,
    .connect = connect,
    .disconnect = disconnect,
    .broken = broken,
    .exec = exec,
    .prepare = prepare,
    .prepare_stream = prepare,
    .finalize = finalize,
    .reset = reset,
    .bind = bind,
    .step = step,
    .changes = changes,
    .col_int64 = col_int64,
    .col_text = col_text,
    .col_blob = col_blob,
    .col_null = col_null,
    .col_type = col_type,
    .errmsg = errmsg,
    .in_transaction = in_transaction,
    .begin_write = begin_write,
    .begin_read = begin_read,
    .commit = commit,
    .schema_version = schema_version,
    .set_schema_version = set_schema_version,
    .migrations = migrations,
};
