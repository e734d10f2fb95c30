/* The store's connections, whatever the database (sql_internal.h): a small pool,
 * each connection with a cache of its prepared statements (parsing and planning
 * cost more than running most of these statements), and the helpers every
 * store file uses to bind, run and read. The driver does the rest
 * (sql_driver.h). */
#include "store/sql_driver.h"

#include "util/alloc.h"

#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_MAX 8

/* Set when this thread's store call could not reach the database (store.h). */
static _Thread_local bool unavailable;

bool store_unavailable(void)
{
    return unavailable;
}

void store_unavailable_clear(void)
{
    unavailable = false;
}

void sq_note_unavailable(void)
{
    unavailable = true;
}

struct store {
    const struct sq_driver *driver;
    char *target; /* the file path or the postgresql:// URL */
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

enum sq_dialect sq_dialect(const struct sq_conn *c)
{
    return c->driver->dialect;
}

bool store_is_postgresql(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
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

const char *sq_errmsg(struct sq_conn *c)
{
    return c->why ? c->why : c->driver->errmsg(c->impl);
}

int sq_fail_db(struct sq_conn *c, char *err, size_t errsz, const char *what)
{
    return sq_fail(err, errsz, "database: %s: %s", what, sq_errmsg(c));
}

int sq_exec(struct sq_conn *c, const char *sql, char *err, size_t errsz)
{
    return c->driver->exec(c->impl, sql, err, errsz);
}

static struct sq_conn *open_connection(const struct sq_driver *d, const char *target, char *err,
                                       size_t errsz)
{
    void *impl = d->connect(target, err, errsz);
    if (!impl)
        return NULL;
    struct sq_conn *c = xcalloc(1, sizeof *c);
    c->driver = d;
    c->impl = impl;
    return c;
}

static void close_connection(struct sq_conn *c)
{
    for (int i = 0; i < c->n_cached; i++) {
        c->driver->finalize(c->impl, c->cache[i].impl);
        free(c->cache[i].sql);
    }
    c->driver->disconnect(c->impl);
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
static struct sq_stmt *free_slot(struct sq_conn *c)
{
    if (c->n_cached < SQ_CACHE_MAX)
        return &c->cache[c->n_cached++];
    struct sq_stmt *lru = NULL;
    for (int i = 0; i < c->n_cached; i++) {
        struct sq_stmt *e = &c->cache[i];
        if (!e->lent && (!lru || e->last_used < lru->last_used))
            lru = e;
    }
    if (lru) {
        c->driver->finalize(c->impl, lru->impl);
        free(lru->sql);
        lru->impl = NULL;
        lru->sql = NULL;
    }
    return lru;
}

struct sq_stmt *sq_prepare(struct sq_conn *c, const char *sql)
{
    uint64_t h = hash_sql(sql);
    c->why = NULL;
    for (int i = 0; i < c->n_cached; i++) {
        struct sq_stmt *e = &c->cache[i];
        if (e->hash == h && strcmp(e->sql, sql) == 0) {
            if (e->lent) /* asked again while out: start it over */
                c->driver->reset(e->impl);
            e->lent = true;
            e->last_used = ++c->uses;
            return e;
        }
    }
    void *impl = c->driver->prepare(c->impl, sql);
    if (!impl)
        return NULL;
    struct sq_stmt *e = free_slot(c);
    if (!e) {
        c->driver->finalize(c->impl, impl);
        c->why = "too many statements in use on one connection";
        return NULL;
    }
    *e = (struct sq_stmt){c, impl, xstrdup(sql), h, ++c->uses, true};
    return e;
}

void sq_reset(struct sq_stmt *st)
{
    st->conn->driver->reset(st->impl);
}

int sq_begin(struct sq_conn *c, char *err, size_t errsz)
{
    return c->driver->begin_write(c->impl, err, errsz);
}

int sq_begin_rows(struct sq_conn *c, char *err, size_t errsz)
{
    return sq_dialect(c) == SQ_POSTGRESQL ? sq_exec(c, "BEGIN", err, errsz)
                                          : sq_begin(c, err, errsz);
}

int sq_begin_read(struct sq_conn *c, char *err, size_t errsz)
{
    return c->driver->begin_read(c->impl, err, errsz);
}

void sq_rollback(struct sq_conn *c)
{
    if (c->driver->in_transaction(c->impl))
        c->driver->exec(c->impl, "ROLLBACK", NULL, 0);
}

int sq_commit(struct sq_conn *c, char *err, size_t errsz)
{
    /* A staff member's change commits with its audit record (store_audit_attach). */
    struct store_audit_record *audit = sq_audit_attached();
    if (audit && sq_audit_append(c, audit) != 0)
        return sq_fail_db(c, err, errsz, "audit log");
    if (c->driver->commit(c->impl, err, errsz) != 0)
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
    struct sq_conn *c = s->n_idle > 0 ? s->idle[--s->n_idle] : NULL;
    if (!c)
        s->n_open++;
    pthread_mutex_unlock(&s->lock);
    /* An idle connection the server closed meanwhile (a restart) is replaced
     * before use, so only the calls in flight at the time fail. */
    if (c && !c->driver->broken(c->impl))
        return c;
    if (c)
        close_connection(c);
    c = open_connection(s->driver, s->target, err, errsz);
    if (!c) {
        unavailable = true;
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
        struct sq_stmt *e = &c->cache[i];
        if (e->lent) {
            c->driver->reset(e->impl);
            e->lent = false;
        }
    }
    c->why = NULL;
    /* No transaction left open by an error path. */
    sq_rollback(c);
    /* A connection the server dropped is closed; the next caller opens a new one. */
    bool lost = c->driver->broken(c->impl);
    if (lost) {
        unavailable = true;
        close_connection(c);
    }
    pthread_mutex_lock(&s->lock);
    if (lost)
        s->n_open--;
    else
        s->idle[s->n_idle++] = c;
    pthread_cond_signal(&s->available);
    pthread_mutex_unlock(&s->lock);
}

struct sq_stmt *sq_stream_values(struct sq_conn *c, const char *sql, const struct sq_value *v,
                                 int n)
{
    void *impl = c->driver->prepare_stream(c->impl, sql);
    if (!impl)
        return NULL;
    struct sq_stmt *st = xcalloc(1, sizeof *st);
    *st = (struct sq_stmt){.conn = c, .impl = impl};
    if (n > 0 && sq_bind_values(st, v, n) != 0) {
        sq_stream_close(st);
        return NULL;
    }
    return st;
}

void sq_stream_close(struct sq_stmt *st)
{
    if (!st)
        return;
    st->conn->driver->finalize(st->conn->impl, st->impl);
    free(st);
}

int sq_param_count(const char *sql)
{
    int count = 0, highest = 0; /* plain "?", and the highest "?N" */
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') { /* a literal or a quoted name: skip to its end */
            const char *end = strchr(p + 1, *p);
            if (!end)
                break;
            p = end;
        } else if (*p == '?') {
            int n = 0;
            while (p[1] >= '0' && p[1] <= '9' && n < 1000)
                n = n * 10 + (*++p - '0');
            if (n == 0)
                count++;
            else if (n > highest)
                highest = n;
        }
    }
    return highest > 0 ? highest : count;
}

int sq_bind_values(struct sq_stmt *st, const struct sq_value *v, int n)
{
    return st->conn->driver->bind(st->impl, v, n);
}

struct sq_stmt *sq_query_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n)
{
    struct sq_stmt *st = sq_prepare(c, sql);
    return st && sq_bind_values(st, v, n) == 0 ? st : NULL;
}

int sq_row(struct sq_stmt *st)
{
    return st->conn->driver->step(st->conn->impl, st->impl);
}

int sq_done(struct sq_stmt *st)
{
    int rc = sq_row(st);
    if (rc == 1) /* a statement with rows where none were expected */
        return -1;
    return rc == 0 ? st->conn->driver->changes(st->conn->impl, st->impl) : rc;
}

int sq_run_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n)
{
    struct sq_stmt *st = sq_query_values(c, sql, v, n);
    return st ? sq_done(st) : -1;
}

int64_t sq_insert_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n)
{
    struct sq_stmt *st = sq_query_values(c, sql, v, n);
    int row = st ? sq_row(st) : -1;
    if (row != 1)
        return row == SQ_CONFLICT ? SQ_CONFLICT : -1;
    int64_t id = sq_int64(st, 0);
    /* Step to the end: an INSERT's changes are done only then. */
    return sq_row(st) == 0 ? id : -1;
}

int64_t sq_int64(struct sq_stmt *st, int col)
{
    return st->conn->driver->col_int64(st->impl, col);
}

int sq_int(struct sq_stmt *st, int col)
{
    return (int)sq_int64(st, col);
}

const char *sq_text(struct sq_stmt *st, int col)
{
    return st->conn->driver->col_text(st->impl, col);
}

const void *sq_blob(struct sq_stmt *st, int col)
{
    int bytes;
    return st->conn->driver->col_blob(st->impl, col, &bytes);
}

int sq_bytes(struct sq_stmt *st, int col)
{
    int bytes;
    st->conn->driver->col_blob(st->impl, col, &bytes);
    return bytes;
}

bool sq_is_null(struct sq_stmt *st, int col)
{
    return st->conn->driver->col_null(st->impl, col);
}

enum sq_type sq_type(struct sq_stmt *st, int col)
{
    return st->conn->driver->col_type(st->impl, col);
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

/* Names the schema step in err, and when it waited for a lock past the timeout (a
 * long transaction of another instance on a table the step changes), what to do. */
static int step_failed(size_t step, char *err, size_t errsz)
{
    char why[512];
    snprintf(why, sizeof why, "%s", err && errsz ? err : "");
    const char *msg = strncmp(why, "database: ", 10) == 0 ? why + 10 : why;
    return sq_fail(err, errsz, "database: schema step %zu: %s%s", step, msg,
                   store_unavailable() ? " (another transaction holds a table this step changes; "
                                         "start padron again once it has ended)"
                                       : "");
}

/* Applies the missing migrations, one transaction each. On failure the open
 * transaction is left for the caller's close to roll back. */
static int migrate(struct sq_conn *c, char *err, size_t errsz)
{
    store_unavailable_clear();
    size_t n, baseline;
    const char *const *steps = c->driver->migrations(&n, &baseline);
    for (;;) {
        if (sq_begin(c, err, errsz) != 0)
            return -1;
        /* Read the version inside the write lock: two instances starting at once
         * must not both apply the same step. */
        int v = c->driver->schema_version(c->impl);
        if (v < 0 || (size_t)v > n)
            return sq_fail(err, errsz,
                           v < 0 ? "database: cannot read the schema version"
                                 : "database: schema version %d is newer than this padron (%zu)",
                           v, n);
        if (v > 0 && (size_t)v < baseline)
            return sq_fail(err, errsz, "database: schema version %d is older than %zu", v,
                           baseline);
        if ((size_t)v == n)
            return sq_commit(c, err, errsz);
        /* A backend with a baseline starts from it: one step builds that version. */
        size_t next = v == 0 && baseline > 0 ? baseline : (size_t)v + 1;
        if (sq_exec(c, steps[next - 1], err, errsz) != 0)
            return step_failed(next, err, errsz);
        if (c->driver->set_schema_version(c->impl, (int)next, err, errsz) != 0 ||
            sq_commit(c, err, errsz) != 0)
            return -1;
    }
}

int store_open(const char *target, struct store **out, char *err, size_t errsz)
{
    const struct sq_driver *d = store_is_postgresql(target) ? &sq_pg_driver : &sq_sqlite_driver;
    struct sq_conn *c = open_connection(d, target, err, errsz);
    if (!c)
        return -1;
    if (migrate(c, err, errsz) != 0) {
        close_connection(c); /* rolls back the failed step */
        return -1;
    }
    struct store *s = xcalloc(1, sizeof *s);
    s->driver = d;
    s->target = xstrdup(target);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->available, NULL);
    s->n_open = 1;
    sq_release(s, c);
    *out = s;
    return 0;
}

int store_probe(const char *target, int *version, char *err, size_t errsz)
{
    const struct sq_driver *d = store_is_postgresql(target) ? &sq_pg_driver : &sq_sqlite_driver;
    struct sq_conn *c = open_connection(d, target, err, errsz);
    if (!c)
        return -1;
    *version = d->schema_version(c->impl);
    close_connection(c);
    return *version < 0 ? sq_fail(err, errsz, "database: cannot read the schema version") : 0;
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
    sodium_memzero(s->target, strlen(s->target)); /* a URL may hold a password */
    free(s->target);
    free(s);
}

long sq_query_long(struct store *s, const char *sql, int bind, char *err, size_t errsz)
{
    struct sq_conn *c = sq_acquire(s, err, errsz);
    if (!c)
        return -1;
    struct sq_stmt *st = bind < 0 ? sq_prepare(c, sql) : sq_query(c, sql, SQ_INT(bind));
    long v = -1;
    if (st && sq_row(st) == 1)
        v = (long)sq_int64(st, 0);
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
    char err[16];
    struct sq_conn *c = sq_acquire(s, err, sizeof err);
    if (!c)
        return -1;
    int v = c->driver->schema_version(c->impl);
    sq_release(s, c);
    return v;
}

void sq_copy_column(struct sq_stmt *st, int col, char *dst, size_t size)
{
    const char *text = sq_text(st, col);
    snprintf(dst, size, "%s", text ? text : "");
}
