/* The SQLite backend of store.h: a small connection pool over one WAL database. */
#include "store/sqlite_internal.h"

#include "store/migrations.h"
#include "util/alloc.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_MAX        8
#define BUSY_TIMEOUT_MS 5000

struct store {
    char *path;
    pthread_mutex_t lock;
    pthread_cond_t available;
    sqlite3 *idle[POOL_MAX]; /* connections not in use */
    int n_idle;
    int n_open; /* idle + in use */
};

int sq_fail(char *err, size_t errsz, const char *fmt, ...)
{
    if (err && errsz > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errsz, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sq_exec(sqlite3 *db, const char *sql, char *err, size_t errsz)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    sq_fail(err, errsz, "database: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

static sqlite3 *open_connection(const char *path, char *err, size_t errsz)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        sq_fail(err, errsz, "database %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db, 1);
    /* WAL: readers never wait for the writer; NORMAL sync is durable across
     * process crashes (a power cut may lose the last commits, never corrupt). */
    if (sq_exec(db,
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;",
                err, errsz) != 0) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

sqlite3 *sq_acquire(struct store *s, char *err, size_t errsz)
{
    pthread_mutex_lock(&s->lock);
    while (s->n_idle == 0 && s->n_open >= POOL_MAX)
        pthread_cond_wait(&s->available, &s->lock);
    if (s->n_idle > 0) {
        sqlite3 *db = s->idle[--s->n_idle];
        pthread_mutex_unlock(&s->lock);
        return db;
    }
    s->n_open++;
    pthread_mutex_unlock(&s->lock);
    sqlite3 *db = open_connection(s->path, err, errsz);
    if (!db) {
        pthread_mutex_lock(&s->lock);
        s->n_open--;
        pthread_cond_signal(&s->available);
        pthread_mutex_unlock(&s->lock);
    }
    return db;
}

void sq_release(struct store *s, sqlite3 *db)
{
    if (!db)
        return;
    /* A connection goes back clean: no transaction left open by an error path. */
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_lock(&s->lock);
    s->idle[s->n_idle++] = db;
    pthread_cond_signal(&s->available);
    pthread_mutex_unlock(&s->lock);
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int migrate(sqlite3 *db, char *err, size_t errsz)
{
    size_t n;
    const char *const *steps = migrations_sqlite(&n);
    for (;;) {
        if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
            return -1;
        /* Read the version inside the write lock: two instances starting at once
         * must not both apply the same step. */
        int v = user_version(db);
        if (v < 0 || (size_t)v > n) {
            sq_exec(db, "ROLLBACK", NULL, 0);
            return sq_fail(err, errsz,
                           v < 0 ? "database: cannot read the schema version"
                                 : "database: schema version %d is newer than this padron (%zu)",
                           v, n);
        }
        if ((size_t)v == n)
            return sq_exec(db, "COMMIT", err, errsz);
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (sq_exec(db, steps[v], err, errsz) != 0 || sq_exec(db, pragma, err, errsz) != 0 ||
            sq_exec(db, "COMMIT", err, errsz) != 0) {
            sq_exec(db, "ROLLBACK", NULL, 0);
            return -1;
        }
    }
}

int store_open(const char *path, struct store **out, char *err, size_t errsz)
{
    sqlite3 *db = open_connection(path, err, errsz);
    if (!db)
        return -1;
    if (migrate(db, err, errsz) != 0) {
        sqlite3_close(db);
        return -1;
    }
    struct store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->available, NULL);
    s->idle[s->n_idle++] = db;
    s->n_open = 1;
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n_idle; i++)
        sqlite3_close(s->idle[i]);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->available);
    free(s->path);
    free(s);
}

/* Runs a query that yields one integer; returns it, or -1. */
long sq_query_long(struct store *s, const char *sql, int bind, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        (bind < 0 || sqlite3_bind_int(st, 1, bind) == SQLITE_OK) && sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    else
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return v;
}

int store_ping(struct store *s)
{
    return sq_query_long(s, "SELECT 1", -1, NULL, 0) == 1 ? 0 : -1;
}

int store_schema_version(struct store *s)
{
    return (int)sq_query_long(s, "PRAGMA user_version", -1, NULL, 0);
}

void sq_copy_column(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", text ? (const char *)text : "");
}

int sq_bind_optional_text(sqlite3_stmt *st, int i, const char *text)
{
    if (!text || !*text)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
}
