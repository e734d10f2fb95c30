/* The SQLite backend of store.h: a small connection pool over one WAL database,
 * each connection with a cache of its prepared statements (sqlite_internal.h):
 * parsing and planning cost more than running most of these statements. */
#include "store/sqlite_internal.h"

#include "store/migrations.h"
#include "util/alloc.h"

#include <pthread.h>
#include <sqlite3.h>
#include <sodium.h>
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
    struct sq_conn *idle[POOL_MAX]; /* connections not in use */
    int n_idle;
    int n_open; /* idle + in use */
    uint8_t mail_key[STORE_MAIL_KEY_LEN];
    bool has_mail_key;
};

void store_set_mail_key(struct store *s, const uint8_t key[STORE_MAIL_KEY_LEN])
{
    memcpy(s->mail_key, key, STORE_MAIL_KEY_LEN);
    s->has_mail_key = true;
}

const uint8_t *sq_mail_key(const struct store *s)
{
    return s->has_mail_key ? s->mail_key : NULL;
}

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

int sq_fail_db(struct sq_conn *c, char *err, size_t errsz, const char *what)
{
    return sq_fail(err, errsz, "database: %s: %s", what, c->why ? c->why : sqlite3_errmsg(c->db));
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

static struct sq_conn *open_connection(const char *path, char *err, size_t errsz)
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
    struct sq_conn *c = xcalloc(1, sizeof *c);
    c->db = db;
    return c;
}

static void close_connection(struct sq_conn *c)
{
    for (int i = 0; i < c->n_cached; i++)
        sqlite3_finalize(c->cache[i].st);
    sqlite3_close(c->db);
    free(c);
}

/* FNV-1a: cheap, and the SQL texts are few and short. */
static uint64_t hash_sql(const char *sql)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* A free slot of the cache: a new one, or the least recently used statement not
 * lent out, finalized. NULL when every statement is lent (a caller's bug). */
static struct sq_cached *free_slot(struct sq_conn *c)
{
    if (c->n_cached < SQ_CACHE_MAX)
        return &c->cache[c->n_cached++];
    struct sq_cached *lru = NULL;
    for (int i = 0; i < c->n_cached; i++) {
        struct sq_cached *e = &c->cache[i];
        if (!e->lent && (!lru || e->last_used < lru->last_used))
            lru = e;
    }
    if (lru) {
        sqlite3_finalize(lru->st);
        lru->st = NULL;
    }
    return lru;
}

sqlite3_stmt *sq_prepare(struct sq_conn *c, const char *sql)
{
    uint64_t h = hash_sql(sql);
    c->why = NULL;
    for (int i = 0; i < c->n_cached; i++) {
        struct sq_cached *e = &c->cache[i];
        if (e->hash == h && strcmp(sqlite3_sql(e->st), sql) == 0) {
            if (e->lent) { /* asked again while out: start it over */
                sqlite3_reset(e->st);
                sqlite3_clear_bindings(e->st);
            }
            e->lent = true;
            e->last_used = ++c->uses;
            return e->st;
        }
    }
    sqlite3_stmt *st = NULL;
    /* PERSISTENT: it lives as long as the connection, so not in lookaside memory. */
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    struct sq_cached *e = free_slot(c);
    if (!e) {
        sqlite3_finalize(st);
        c->why = "too many statements in use on one connection";
        return NULL;
    }
    *e = (struct sq_cached){st, h, ++c->uses, true};
    return st;
}

/* Runs a cached statement without parameters or rows (transaction control). */
static int step_control(struct sq_conn *c, const char *sql, char *err, size_t errsz)
{
    sqlite3_stmt *st = sq_prepare(c, sql);
    if (st && sqlite3_step(st) == SQLITE_DONE)
        return 0;
    return sq_fail_db(c, err, errsz, sql);
}

int sq_begin(struct sq_conn *c, char *err, size_t errsz)
{
    return step_control(c, "BEGIN IMMEDIATE", err, errsz);
}

int sq_commit(struct sq_conn *c, char *err, size_t errsz)
{
    /* A staff member's change commits with its audit record (store_audit_attach). */
    struct store_audit_record *audit = sq_audit_attached();
    if (audit && sq_audit_append(c, audit) != 0)
        return sq_fail_db(c, err, errsz, "audit log");
    if (step_control(c, "COMMIT", err, errsz) != 0)
        return -1;
    if (audit)
        sq_audit_attached_written();
    return 0;
}

struct sq_conn *sq_acquire(struct store *s, char *err, size_t errsz)
{
    pthread_mutex_lock(&s->lock);
    while (s->n_idle == 0 && s->n_open >= POOL_MAX)
        pthread_cond_wait(&s->available, &s->lock);
    if (s->n_idle > 0) {
        struct sq_conn *c = s->idle[--s->n_idle];
        pthread_mutex_unlock(&s->lock);
        return c;
    }
    s->n_open++;
    pthread_mutex_unlock(&s->lock);
    struct sq_conn *c = open_connection(s->path, err, errsz);
    if (!c) {
        pthread_mutex_lock(&s->lock);
        s->n_open--;
        pthread_cond_signal(&s->available);
        pthread_mutex_unlock(&s->lock);
    }
    return c;
}

struct sq_conn *sq_acquire_write(struct store *s, char *err, size_t errsz)
{
    struct sq_conn *c = sq_acquire(s, err, errsz);
    if (c && sq_begin(c, err, errsz) != 0) {
        sq_release(s, c);
        return NULL;
    }
    return c;
}

void sq_release(struct store *s, struct sq_conn *c)
{
    if (!c)
        return;
    /* Every statement goes back reset, first: one left mid-step would hold a read
     * snapshot (or the write lock) open, and its bindings point at the caller's
     * memory. */
    for (int i = 0; i < c->n_cached; i++) {
        struct sq_cached *e = &c->cache[i];
        if (e->lent) {
            sqlite3_reset(e->st);
            sqlite3_clear_bindings(e->st);
            e->lent = false;
        }
    }
    c->why = NULL;
    /* No transaction left open by an error path. */
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_lock(&s->lock);
    s->idle[s->n_idle++] = c;
    pthread_cond_signal(&s->available);
    pthread_mutex_unlock(&s->lock);
}

int sq_bind_values(sqlite3_stmt *st, const struct sq_value *v, int n)
{
    int rc = SQLITE_OK;
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        switch (v[i].kind) {
        case SQ_KIND_INT:
            rc = sqlite3_bind_int64(st, i + 1, v[i].i);
            break;
        case SQ_KIND_OPT_TEXT:
            if (!v[i].text || !*v[i].text) {
                rc = sqlite3_bind_null(st, i + 1);
                break;
            }
            /* fall through */
        case SQ_KIND_TEXT:
            rc = sqlite3_bind_text(st, i + 1, v[i].text, -1, SQLITE_STATIC);
            break;
        case SQ_KIND_HASH:
            rc = sqlite3_bind_blob(st, i + 1, v[i].hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC);
            break;
        }
    }
    return rc;
}

sqlite3_stmt *sq_query_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n)
{
    sqlite3_stmt *st = sq_prepare(c, sql);
    return st && sq_bind_values(st, v, n) == SQLITE_OK ? st : NULL;
}

int sq_row(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int sq_run_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n)
{
    sqlite3_stmt *st = sq_query_values(c, sql, v, n);
    return st && sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(c->db) : -1;
}

int sq_write_values(struct store *s, const char *what, char *err, size_t errsz, const char *sql,
                    const struct sq_value *v, int n)
{
    /* With an audit record bound, the change and its record share a transaction. */
    bool audited = sq_audit_attached() != NULL;
    struct sq_conn *c = audited ? sq_acquire_write(s, err, errsz) : sq_acquire(s, err, errsz);
    if (!c)
        return -1;
    int changed = sq_run_values(c, sql, v, n);
    if (changed < 0)
        sq_fail_db(c, err, errsz, what);
    else if (audited && changed > 0 && sq_commit(c, err, errsz) != 0)
        changed = -1;
    sq_release(s, c); /* rolls back what did not commit */
    return changed;
}

/* The schema version, or -1. Reset at once: migrations change the schema next. */
static int user_version(struct sq_conn *c)
{
    sqlite3_stmt *st = sq_prepare(c, "PRAGMA user_version");
    int v = st && sq_row(st) == 1 ? sqlite3_column_int(st, 0) : -1;
    if (st)
        sqlite3_reset(st);
    return v;
}

/* Applies the missing migrations, one transaction each. On failure the open
 * transaction is left for the caller's close to roll back. */
static int migrate(struct sq_conn *c, char *err, size_t errsz)
{
    size_t n;
    const char *const *steps = migrations_sqlite(&n);
    for (;;) {
        if (sq_begin(c, err, errsz) != 0)
            return -1;
        /* Read the version inside the write lock: two instances starting at once
         * must not both apply the same step. */
        int v = user_version(c);
        if (v < 0 || (size_t)v > n)
            return sq_fail(err, errsz,
                           v < 0 ? "database: cannot read the schema version"
                                 : "database: schema version %d is newer than this padron (%zu)",
                           v, n);
        if ((size_t)v == n)
            return sq_commit(c, err, errsz);
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (sq_exec(c->db, steps[v], err, errsz) != 0 || sq_exec(c->db, pragma, err, errsz) != 0 ||
            sq_commit(c, err, errsz) != 0)
            return -1;
    }
}

int store_open(const char *path, struct store **out, char *err, size_t errsz)
{
    struct sq_conn *c = open_connection(path, err, errsz);
    if (!c)
        return -1;
    if (migrate(c, err, errsz) != 0) {
        close_connection(c); /* rolls back the failed step */
        return -1;
    }
    struct store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->available, NULL);
    s->n_open = 1;
    sq_release(s, c);
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n_idle; i++)
        close_connection(s->idle[i]);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->available);
    sodium_memzero(s->mail_key, sizeof s->mail_key);
    free(s->path);
    free(s);
}

long sq_query_long(struct store *s, const char *sql, int bind, char *err, size_t errsz)
{
    struct sq_conn *c = sq_acquire(s, err, errsz);
    if (!c)
        return -1;
    sqlite3_stmt *st = bind < 0 ? sq_prepare(c, sql) : sq_query(c, sql, SQ_INT(bind));
    long v = -1;
    if (st && sq_row(st) == 1)
        v = (long)sqlite3_column_int64(st, 0);
    else
        sq_fail_db(c, err, errsz, "query");
    sq_release(s, c);
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
