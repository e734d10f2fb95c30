/* The PostgreSQL driver (sql_driver.h), over libpq.
 *
 * - SQL arrives in the shared dialect; "?" and "?N" become "$N" once, when the
 *   statement is prepared. A statement is prepared on the server at its first
 *   run, when the bound values give the parameter types (int8, bytea, or left
 *   for the server to infer from the context: texts).
 * - Results come back whole, in text form, except for streams (sq_stream),
 *   which read through a cursor in batches of STREAM_BATCH rows.
 * - Writers serialize on one transaction-scoped advisory lock, like SQLite's
 *   write lock, so every instance on the database sees the same rules. Readers
 *   take no lock.
 * - A connection the server dropped reports it (broken) and the pool opens a
 *   new one for the next call; the request in flight fails, never half-written
 *   (its transaction never committed). */
#include "store/sql_driver.h"

#include "store/migrations.h"
#include "util/alloc.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_BATCH 10000
/* The key of the advisory lock every write transaction takes ("padron"). */
#define WRITE_LOCK_KEY "7052868"

#define OID_BOOL  16
#define OID_BYTEA 17
#define OID_INT8  20
#define OID_INT2  21
#define OID_INT4  23
#define OID_TEXT  25

struct pg_conn {
    PGconn *pg;
    unsigned next_name; /* of prepared statements and cursors */
    char error[512];    /* the last failure's message */
};

struct pg_stmt {
    struct pg_conn *conn;
    char *sql; /* with $N parameters */
    char name[24];
    bool prepared, stream;
    int nparams;
    Oid *types;
    const char **values;
    int *lengths, *formats;
    char (*ints)[24]; /* the text of integer parameters */
    PGresult *res;
    int row, nrows;
    bool ran, fetched_all; /* streams: the cursor is declared; its last batch came */
    int changes;
    unsigned char *blob; /* the last bytea column decoded, freed on the next step */
    size_t blob_len;
    int blob_col;
};

static void remember_error(struct pg_conn *c, const char *msg)
{
    snprintf(c->error, sizeof c->error, "%s", msg && *msg ? msg : "PostgreSQL failed");
    size_t n = strlen(c->error); /* libpq's messages end in a newline */
    while (n > 0 && (c->error[n - 1] == '\n' || c->error[n - 1] == ' '))
        c->error[--n] = '\0';
}

/* Whether a failure's SQLSTATE says the database is out of reach for now: a
 * lost connection (class 08), a server shutting down or starting (57P01-57P03),
 * or a lock not granted within lock_timeout (55P03). (A connection lost without
 * a SQLSTATE is found by the pool's broken check.) */
static bool temporary_failure(const char *state)
{
    return state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
                     strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0 ||
                     strcmp(state, "55P03") == 0);
}

/* Remembers a failed result's message; SQ_CONFLICT for a unique violation. */
static int result_error(struct pg_conn *c, PGresult *res)
{
    remember_error(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (temporary_failure(state))
        sq_note_unavailable();
    return state && strcmp(state, "23505") == 0 ? SQ_CONFLICT : -1;
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs ("relation exists, skipping") are not ours to print */
}

static void *connect(const char *url, char *err, size_t errsz)
{
    /* Defaults the URL may override (later keywords win, the URL is expanded
     * last): a server that does not answer fails the call within seconds
     * instead of holding a request for as long as TCP tries. */
    const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *const values[] = {"5", "padron", url, NULL};
    PGconn *pg = PQconnectdbParams(keys, values, 1);
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        struct pg_conn tmp = {0};
        remember_error(&tmp, pg ? PQerrorMessage(pg) : "out of memory");
        sq_fail(err, errsz, "database: PostgreSQL: %s", tmp.error);
        PQfinish(pg);
        return NULL;
    }
    PQsetNoticeProcessor(pg, quiet, NULL);
    /* A writer waits at most 5 s for the write lock, as SQLite's busy timeout:
     * then the request answers 503 rather than hang behind a long import. */
    PGresult *res =
        PQexec(pg, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET lock_timeout = '5s'");
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) {
        sq_fail(err, errsz, "database: PostgreSQL: cannot set the session's encoding");
        PQfinish(pg);
        return NULL;
    }
    struct pg_conn *c = xcalloc(1, sizeof *c);
    c->pg = pg;
    return c;
}

static void disconnect(void *conn)
{
    struct pg_conn *c = conn;
    PQfinish(c->pg);
    free(c);
}

/* Between calls nothing is due from the server, so a readable socket means it
 * is going away (a restart's "terminating connection", or the end of the
 * stream): reading that input turns the status bad. One poll, no waiting. */
static bool broken(void *conn)
{
    PGconn *pg = ((struct pg_conn *)conn)->pg;
    if (PQstatus(pg) != CONNECTION_OK)
        return true;
    struct pollfd p = {.fd = PQsocket(pg), .events = POLLIN};
    if (p.fd >= 0 && !PQisBusy(pg) && poll(&p, 1, 0) > 0 && PQconsumeInput(pg) == 0)
        return true;
    return PQstatus(pg) != CONNECTION_OK;
}

static int exec(void *conn, const char *sql, char *err, size_t errsz)
{
    struct pg_conn *c = conn;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType status = PQresultStatus(res);
    int rc = 0;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        result_error(c, res);
        rc = sq_fail(err, errsz, "database: %s", c->error);
    }
    PQclear(res);
    return rc;
}

/* sql with "?" and "?N" turned into "$N", outside quotes. */
static char *numbered_parameters(const char *sql)
{
    char *out = xmallocarray(strlen(sql) + 1, 4), *o = out; /* "?" grows to at most "$999" */
    int next = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            const char *end = strchr(p + 1, *p);
            size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
            memcpy(o, p, n);
            o += n;
            p += n - 1;
        } else if (*p == '?') {
            *o++ = '$';
            if (p[1] >= '0' && p[1] <= '9')
                while (p[1] >= '0' && p[1] <= '9')
                    *o++ = *++p;
            else
                o += sprintf(o, "%d", ++next);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static struct pg_stmt *new_stmt(struct pg_conn *c, const char *sql, bool stream)
{
    struct pg_stmt *st = xcalloc(1, sizeof *st);
    st->conn = c;
    st->stream = stream;
    st->nparams = sq_param_count(sql);
    if (st->nparams > 999) {
        remember_error(c, "too many parameters");
        free(st);
        return NULL;
    }
    st->sql = numbered_parameters(sql);
    size_t n = st->nparams > 0 ? (size_t)st->nparams : 1;
    st->types = xcalloc(n, sizeof *st->types);
    st->values = xcalloc(n, sizeof *st->values);
    st->lengths = xcalloc(n, sizeof *st->lengths);
    st->formats = xcalloc(n, sizeof *st->formats);
    st->ints = xcalloc(n, sizeof *st->ints);
    snprintf(st->name, sizeof st->name, "%s%u", stream ? "c" : "s", ++c->next_name);
    st->row = -1;
    st->blob_col = -1;
    return st;
}

static void *prepare(void *conn, const char *sql)
{
    return new_stmt(conn, sql, false);
}

static void *prepare_stream(void *conn, const char *sql)
{
    return new_stmt(conn, sql, true);
}

static void clear_result(struct pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    PQfreemem(st->blob);
    st->blob = NULL;
    st->blob_col = -1;
    st->row = -1;
    st->nrows = 0;
}

/* Closes a stream's cursor while its transaction still stands. */
static void close_cursor(struct pg_stmt *st)
{
    if (!st->stream || !st->ran)
        return;
    if (PQtransactionStatus(st->conn->pg) == PQTRANS_INTRANS) {
        char sql[48];
        snprintf(sql, sizeof sql, "CLOSE %s", st->name);
        PQclear(PQexec(st->conn->pg, sql));
    }
    st->ran = false;
}

static void reset(void *stmt)
{
    struct pg_stmt *st = stmt;
    close_cursor(st);
    clear_result(st);
    st->ran = st->fetched_all = false;
    st->changes = 0;
    memset(st->values, 0, (size_t)(st->nparams > 0 ? st->nparams : 1) * sizeof *st->values);
}

static void finalize(void *conn, void *stmt)
{
    struct pg_conn *c = conn;
    struct pg_stmt *st = stmt;
    if (!st)
        return;
    reset(st);
    if (st->prepared && PQstatus(c->pg) == CONNECTION_OK &&
        PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(c->pg, sql));
    }
    free(st->sql);
    free(st->types);
    free(st->values);
    free(st->lengths);
    free(st->formats);
    free(st->ints);
    free(st);
}

static int bind(void *stmt, const struct sq_value *v, int n)
{
    struct pg_stmt *st = stmt;
    if (n != st->nparams) {
        remember_error(st->conn, "wrong number of parameters");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        Oid type = 0; /* inferred by the server from the context */
        st->lengths[i] = 0;
        st->formats[i] = 0;
        switch (v[i].kind) {
        case SQ_KIND_INT:
            snprintf(st->ints[i], sizeof st->ints[i], "%lld", (long long)v[i].i);
            st->values[i] = st->ints[i];
            type = OID_INT8;
            break;
        case SQ_KIND_OPT_TEXT:
            st->values[i] = v[i].text && *v[i].text ? v[i].text : NULL;
            break;
        case SQ_KIND_TEXT:
            st->values[i] = v[i].text;
            break;
        case SQ_KIND_HASH:
            st->values[i] = (const char *)v[i].hash;
            st->lengths[i] = STORE_TOKEN_HASH_LEN;
            st->formats[i] = 1; /* binary */
            type = OID_BYTEA;
            break;
        case SQ_KIND_BLOB: /* a NULL pointer would send NULL, not an empty bytea */
            st->values[i] = v[i].bytes > 0 ? v[i].blob : "";
            st->lengths[i] = v[i].bytes;
            st->formats[i] = 1;
            type = OID_BYTEA;
            break;
        }
        if (!st->prepared)
            st->types[i] = type;
    }
    return 0;
}

/* Runs the statement the first time it is stepped. */
static int run(struct pg_stmt *st)
{
    struct pg_conn *c = st->conn;
    PGresult *res;
    if (st->stream) {
        /* A cursor takes its parameters like any statement; it must live in a
         * transaction (sq_begin_read). */
        size_t len = strlen(st->sql) + 64;
        char *declare = xmallocarray(len, 1);
        snprintf(declare, len, "DECLARE %s NO SCROLL CURSOR FOR %s", st->name, st->sql);
        res = PQexecParams(c->pg, declare, st->nparams, st->types, st->values, st->lengths,
                           st->formats, 0);
        free(declare);
    } else {
        if (!st->prepared) {
            res = PQprepare(c->pg, st->name, st->sql, st->nparams, st->types);
            if (PQresultStatus(res) != PGRES_COMMAND_OK) {
                int rc = result_error(c, res);
                PQclear(res);
                return rc;
            }
            PQclear(res);
            st->prepared = true;
        }
        res = PQexecPrepared(c->pg, st->name, st->nparams, st->values, st->lengths, st->formats, 0);
    }
    ExecStatusType status = PQresultStatus(res);
    st->ran = true;
    if (status == PGRES_TUPLES_OK && !st->stream) {
        st->res = res;
        st->nrows = PQntuples(res);
        st->fetched_all = true;
        return 0;
    }
    if (status == PGRES_COMMAND_OK) {
        const char *n = PQcmdTuples(res);
        st->changes = n && *n ? atoi(n) : 0;
        st->fetched_all = !st->stream;
        PQclear(res);
        return 0;
    }
    int rc = result_error(c, res);
    PQclear(res);
    st->ran = false;
    return rc;
}

/* A stream's next batch of rows. */
static int fetch(struct pg_stmt *st)
{
    char sql[64];
    snprintf(sql, sizeof sql, "FETCH FORWARD %d FROM %s", STREAM_BATCH, st->name);
    clear_result(st);
    st->res = PQexec(st->conn->pg, sql);
    if (PQresultStatus(st->res) != PGRES_TUPLES_OK)
        return result_error(st->conn, st->res);
    st->nrows = PQntuples(st->res);
    st->fetched_all = st->nrows < STREAM_BATCH;
    return 0;
}

static int step(void *conn, void *stmt)
{
    (void)conn;
    struct pg_stmt *st = stmt;
    PQfreemem(st->blob);
    st->blob = NULL;
    st->blob_col = -1;
    if (!st->ran) {
        int rc = run(st);
        if (rc != 0)
            return rc;
    }
    if (st->row + 1 < st->nrows) {
        st->row++;
        return 1;
    }
    if (st->fetched_all)
        return 0;
    int rc = fetch(st);
    if (rc != 0)
        return rc;
    if (st->nrows == 0)
        return 0;
    st->row = 0;
    return 1;
}

static int changes(void *conn, void *stmt)
{
    (void)conn;
    return ((struct pg_stmt *)stmt)->changes;
}

static bool col_null(void *stmt, int col)
{
    struct pg_stmt *st = stmt;
    return !st->res || st->row < 0 || st->row >= st->nrows || col >= PQnfields(st->res) ||
           PQgetisnull(st->res, st->row, col);
}

static int64_t col_int64(void *stmt, int col)
{
    struct pg_stmt *st = stmt;
    if (col_null(st, col))
        return 0;
    const char *v = PQgetvalue(st->res, st->row, col);
    if (v[0] == 't' || v[0] == 'f') /* a boolean expression */
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *col_text(void *stmt, int col)
{
    struct pg_stmt *st = stmt;
    return col_null(st, col) ? NULL : PQgetvalue(st->res, st->row, col);
}

static const void *col_blob(void *stmt, int col, int *bytes)
{
    struct pg_stmt *st = stmt;
    *bytes = 0;
    if (col_null(st, col))
        return NULL;
    if (st->blob_col != col) {
        PQfreemem(st->blob);
        st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col),
                                   &st->blob_len);
        st->blob_col = st->blob ? col : -1;
    }
    *bytes = st->blob ? (int)st->blob_len : 0;
    return st->blob;
}

static enum sq_type col_type(void *stmt, int col)
{
    struct pg_stmt *st = stmt;
    if (col_null(st, col))
        return SQ_TYPE_NULL;
    switch (PQftype(st->res, col)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
        return SQ_TYPE_INT;
    case OID_BYTEA:
        return SQ_TYPE_BLOB;
    case OID_TEXT:
        return SQ_TYPE_TEXT;
    default:
        return SQ_TYPE_OTHER;
    }
}

static const char *errmsg(void *conn)
{
    struct pg_conn *c = conn;
    return c->error[0] ? c->error : PQerrorMessage(c->pg);
}

static bool in_transaction(void *conn)
{
    return PQtransactionStatus(((struct pg_conn *)conn)->pg) != PQTRANS_IDLE;
}

static int begin_write(void *conn, char *err, size_t errsz)
{
    return exec(conn, "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")", err, errsz);
}

static int begin_read(void *conn, char *err, size_t errsz)
{
    return exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", err, errsz);
}

static int commit(void *conn, char *err, size_t errsz)
{
    struct pg_conn *c = conn;
    PGresult *res = PQexec(c->pg, "COMMIT");
    /* An aborted transaction answers COMMIT with ROLLBACK, not with an error. */
    bool committed =
        PQresultStatus(res) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "COMMIT") == 0;
    if (!committed) {
        if (PQresultStatus(res) == PGRES_COMMAND_OK)
            remember_error(c, "the transaction was rolled back");
        else
            result_error(c, res);
        sq_fail(err, errsz, "database: %s", c->error);
    }
    PQclear(res);
    return committed ? 0 : -1;
}

static int schema_version(void *conn)
{
    struct pg_conn *c = conn;
    PGresult *res = PQexec(c->pg, "SELECT to_regclass('padron_schema') IS NOT NULL");
    bool exists = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
                  PQgetvalue(res, 0, 0)[0] == 't';
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    PQclear(res);
    if (!ok)
        return -1;
    if (!exists)
        return 0;
    res = PQexec(c->pg, "SELECT version FROM padron_schema");
    int v = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
                ? atoi(PQgetvalue(res, 0, 0))
                : -1;
    PQclear(res);
    return v;
}

static int set_schema_version(void *conn, int version, char *err, size_t errsz)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS padron_schema (version integer NOT NULL);"
             "DELETE FROM padron_schema; INSERT INTO padron_schema (version) VALUES (%d)",
             version);
    return exec(conn, sql, err, errsz);
}

const struct sq_driver sq_pg_driver = {
    .dialect = SQ_POSTGRESQL,
    .connect = connect,
    .disconnect = disconnect,
    .broken = broken,
    .exec = exec,
    .prepare = prepare,
    .prepare_stream = prepare_stream,
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
    .migrations = migrations_postgresql,
};
