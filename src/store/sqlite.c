/* The SQLite backend of store.h: a small connection pool over one WAL database. */
#include "store/store.h"

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

struct store_roll_import {
    struct store *store;
    sqlite3 *db;
    sqlite3_stmt *insert;
    enum store_institution institution;
    size_t rows;
};

static int fail(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsz, const char *fmt, ...)
{
    if (err && errsz > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errsz, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int exec(sqlite3 *db, const char *sql, char *err, size_t errsz)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    fail(err, errsz, "database: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

static sqlite3 *open_connection(const char *path, char *err, size_t errsz)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        fail(err, errsz, "database %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
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

static sqlite3 *acquire(struct store *s, char *err, size_t errsz)
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

static void release(struct store *s, sqlite3 *db)
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
        if (exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
            return -1;
        /* Read the version inside the write lock: two instances starting at once
         * must not both apply the same step. */
        int v = user_version(db);
        if (v < 0 || (size_t)v > n) {
            exec(db, "ROLLBACK", NULL, 0);
            return fail(err, errsz,
                        v < 0 ? "database: cannot read the schema version"
                              : "database: schema version %d is newer than this padron (%zu)",
                        v, n);
        }
        if ((size_t)v == n)
            return exec(db, "COMMIT", err, errsz);
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (exec(db, steps[v], err, errsz) != 0 || exec(db, pragma, err, errsz) != 0 ||
            exec(db, "COMMIT", err, errsz) != 0) {
            exec(db, "ROLLBACK", NULL, 0);
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
static long query_long(struct store *s, const char *sql, int bind, char *err, size_t errsz)
{
    sqlite3 *db = acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        (bind < 0 || sqlite3_bind_int(st, 1, bind) == SQLITE_OK) && sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    else
        fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    release(s, db);
    return v;
}

int store_ping(struct store *s)
{
    return query_long(s, "SELECT 1", -1, NULL, 0) == 1 ? 0 : -1;
}

int store_schema_version(struct store *s)
{
    return (int)query_long(s, "PRAGMA user_version", -1, NULL, 0);
}

/* ---- Affiliation rolls ---- */

const char *store_institution_name(enum store_institution inst)
{
    return inst == STORE_IMSS ? "IMSS" : "ISSSTE";
}

int store_roll_begin(struct store *s, enum store_institution inst, struct store_roll_import **out,
                     char *err, size_t errsz)
{
    sqlite3 *db = acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *del = NULL, *ins = NULL;
    if (exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        goto fail;
    if (sqlite3_prepare_v2(db, "DELETE FROM affiliation WHERE institution = ?", -1, &del, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int(del, 1, (int)inst) != SQLITE_OK || sqlite3_step(del) != SQLITE_DONE ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO affiliation (institution, curp, nss, active, as_of) "
                           "VALUES (?, ?, ?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK) {
        fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto fail;
    }
    sqlite3_finalize(del);
    struct store_roll_import *imp = xcalloc(1, sizeof *imp);
    *imp = (struct store_roll_import){s, db, ins, inst, 0};
    *out = imp;
    return 0;
fail:
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    release(s, db); /* rolls back */
    return -1;
}

static int bind_optional_text(sqlite3_stmt *st, int i, const char *text)
{
    if (!text || !*text)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
}

int store_roll_add(struct store_roll_import *imp, const char *curp, const char *nss, bool active,
                   const char *as_of, char *err, size_t errsz)
{
    sqlite3_stmt *st = imp->insert;
    sqlite3_reset(st);
    if (sqlite3_bind_int(st, 1, (int)imp->institution) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, curp, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        bind_optional_text(st, 3, nss) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, active) != SQLITE_OK ||
        bind_optional_text(st, 5, as_of) != SQLITE_OK)
        return fail(err, errsz, "database: %s", sqlite3_errmsg(imp->db));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return fail(err, errsz, "the CURP appears twice in this roll");
    if (rc != SQLITE_DONE)
        return fail(err, errsz, "database: %s", sqlite3_errmsg(imp->db));
    imp->rows++;
    return 0;
}

int store_roll_commit(struct store_roll_import *imp, size_t *rows, char *err, size_t errsz)
{
    sqlite3_finalize(imp->insert);
    int rc = exec(imp->db, "COMMIT", err, errsz);
    if (rc == 0 && rows)
        *rows = imp->rows;
    release(imp->store, imp->db);
    free(imp);
    return rc;
}

void store_roll_abort(struct store_roll_import *imp)
{
    if (!imp)
        return;
    sqlite3_finalize(imp->insert);
    release(imp->store, imp->db); /* rolls back */
    free(imp);
}

static void copy_column(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", text ? (const char *)text : "");
}

int store_roll_lookup(struct store *s, const char *curp, struct store_affiliation *out, char *err,
                      size_t errsz)
{
    sqlite3 *db = acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int found = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT institution, active, nss, as_of FROM affiliation "
                           "WHERE institution IN (0, 1) AND curp = ? "
                           "ORDER BY active DESC, institution ASC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, curp, -1, SQLITE_STATIC) != SQLITE_OK) {
        fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->institution = (enum store_institution)sqlite3_column_int(st, 0);
        out->active = sqlite3_column_int(st, 1) != 0;
        copy_column(st, 2, out->nss, sizeof out->nss);
        copy_column(st, 3, out->as_of, sizeof out->as_of);
        found = 1;
    } else if (rc == SQLITE_DONE) {
        found = 0;
    } else {
        fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    }
done:
    sqlite3_finalize(st);
    release(s, db);
    return found;
}

long store_roll_count(struct store *s, enum store_institution inst)
{
    return query_long(s, "SELECT count(*) FROM affiliation WHERE institution = ?", (int)inst, NULL,
                      0);
}

/* ---- Registrations ---- */

int store_registration_create(struct store *s, const char *id, const char *curp,
                              const uint8_t token_hash[STORE_TOKEN_HASH_LEN], int64_t now,
                              char *err, size_t errsz)
{
    sqlite3 *db = acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO registration (id, curp, status, token_hash, created_at, "
                           "updated_at) VALUES (?, ?, 0, ?, ?, ?)",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 2, curp, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_blob(st, 3, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(st, 4, now) == SQLITE_OK &&
        sqlite3_bind_int64(st, 5, now) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    else
        fail(err, errsz, "database: creating a registration: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    release(s, db);
    return rc;
}

int store_registration_get(struct store *s, const char *id, struct store_registration *out,
                           char *err, size_t errsz)
{
    sqlite3 *db = acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int found = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, curp, status, token_hash, created_at, updated_at, folio "
                           "FROM registration WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
        fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 3) == STORE_TOKEN_HASH_LEN) {
        memset(out, 0, sizeof *out);
        copy_column(st, 0, out->id, sizeof out->id);
        copy_column(st, 1, out->curp, sizeof out->curp);
        out->status = (enum store_registration_status)sqlite3_column_int(st, 2);
        memcpy(out->token_hash, sqlite3_column_blob(st, 3), STORE_TOKEN_HASH_LEN);
        out->created_at = sqlite3_column_int64(st, 4);
        out->updated_at = sqlite3_column_int64(st, 5);
        copy_column(st, 6, out->folio, sizeof out->folio);
        found = 1;
    } else if (rc == SQLITE_DONE) {
        found = 0;
    } else {
        fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    }
done:
    sqlite3_finalize(st);
    release(s, db);
    return found;
}

int store_curp_enrolled(struct store *s, const char *curp, char *err, size_t errsz)
{
    sqlite3 *db = acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int found = -1;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM registration WHERE curp = ? AND status = 1", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, curp, -1, SQLITE_STATIC) == SQLITE_OK) {
        int rc = sqlite3_step(st);
        found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    }
    if (found < 0)
        fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    release(s, db);
    return found;
}
