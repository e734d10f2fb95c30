/*
 * sql_internal: what the store's files share. Not part of store.h: nothing
 * outside src/store/ (and its unit tests) includes this.
 *
 * The store's SQL is written once, in the dialect SQLite 3.40 and PostgreSQL 15
 * share ("?" parameters, ON CONFLICT, RETURNING, COLLATE NOCASE). A connection
 * runs it through a driver (sql_driver.h): driver_sqlite.c or driver_pg.c,
 * chosen by store_open from the target it is given.
 *
 * A pooled connection keeps every statement it has prepared, keyed by the SQL
 * text: sq_prepare hands out the cached statement, and sq_release resets it and
 * clears its bindings, whatever state the caller left it in. So callers never
 * finalize: they prepare, bind, step and release the connection.
 *
 * Writes: sq_begin opens a transaction holding the database's write lock
 * (SQLite: BEGIN IMMEDIATE; PostgreSQL: one advisory lock shared by every
 * instance), so a read-then-write inside it sees no concurrent writer on either
 * backend. A statement that fails does not abort the transaction on SQLite but
 * does on PostgreSQL: code that expects a conflict says so with ON CONFLICT.
 */
#ifndef PADRON_STORE_SQL_INTERNAL_H
#define PADRON_STORE_SQL_INTERNAL_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

/* Statements one connection keeps; the least recently used goes beyond it. The
 * backend has about 150 distinct statements, so a running server rarely evicts. */
#define SQ_CACHE_MAX 256

struct sq_driver;

/* A prepared statement of one connection; its driver keeps its own state in impl. */
struct sq_stmt {
    struct sq_conn *conn;
    void *impl;
    char *sql;          /* the text it was prepared from */
    uint64_t hash;      /* of the SQL text */
    uint64_t last_used; /* the connection's use counter, for eviction */
    bool lent;          /* handed out since the connection was acquired */
};

/* A pooled connection. The cache is sql_conn.c's alone. */
struct sq_conn {
    const struct sq_driver *driver;
    void *impl; /* the driver's connection */
    struct sq_stmt cache[SQ_CACHE_MAX];
    int n_cached;
    uint64_t uses;
    const char *why; /* a failure of the cache itself, reported instead of the driver's */
};

/* Which database the store runs on. */
enum sq_dialect { SQ_SQLITE, SQ_POSTGRESQL };
enum sq_dialect sq_dialect(const struct sq_conn *c);

/* Returned by sq_row, sq_run and sq_done when a unique or primary-key
 * constraint refused the statement (on PostgreSQL the transaction is then
 * aborted). Below 0 like every error. */
#define SQ_CONFLICT (-2)

/* The mail key set with store_set_mail_key, or NULL. */
const uint8_t *sq_mail_key(const struct store *s);

/* Queues message for recipient inside conn's open write transaction, encrypted
 * under s's mail key when there is one (store.h, "Mail outbox"). A NULL message
 * queues nothing. Returns 0, or -1 (the caller rolls back). */
int sq_outbox_add(struct store *s, struct sq_conn *conn, const char *recipient, const char *message,
                  int64_t now);

/* Formats "what: why" into err (when not NULL) and returns -1. */
int sq_fail(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Notes that this thread's store call found the database out of reach or too
 * busy to answer in time: store_unavailable() then says so (store.h). */
void sq_note_unavailable(void);

/* Formats "database: what: <the connection's last error>" into err; returns -1. */
int sq_fail_db(struct sq_conn *c, char *err, size_t errsz, const char *what);

/* Runs SQL without parameters or results (one or more statements; schema,
 * settings), not cached; -1 with the database's message in err. */
int sq_exec(struct sq_conn *c, const char *sql, char *err, size_t errsz);

/* The driver's message for the connection's last failure (or the cache's). */
const char *sq_errmsg(struct sq_conn *c);

/* Takes a pooled connection (waits when all are busy); NULL with err on failure. */
struct sq_conn *sq_acquire(struct store *s, char *err, size_t errsz);

/* Returns a connection to the pool: resets every statement it lent and clears
 * its bindings, then rolls back any transaction left open. NULL is a no-op. */
void sq_release(struct store *s, struct sq_conn *c);

/* The connection's statement for sql, prepared on first use and reset, with no
 * bindings. Valid until the connection is released; asking again for the same
 * text while it is out resets it. NULL on failure, the reason in
 * sq_errmsg(c) (sq_fail_db reports it). */
struct sq_stmt *sq_prepare(struct sq_conn *c, const char *sql);

/* Resets a statement to run again (its bindings cleared). */
void sq_reset(struct sq_stmt *st);

/* sq_acquire, then BEGIN IMMEDIATE: a connection holding the write lock, or NULL
 * with err (and nothing to release). sq_release rolls back what is not committed. */
struct sq_conn *sq_acquire_write(struct store *s, char *err, size_t errsz);

/* Opens a transaction holding the write lock, and commits it; -1 with err. A
 * failed COMMIT leaves the transaction open: sq_release rolls it back. A COMMIT
 * that PostgreSQL turns into a rollback (an earlier statement failed) fails. */
int sq_begin(struct sq_conn *c, char *err, size_t errsz);
int sq_commit(struct sq_conn *c, char *err, size_t errsz);

/* Opens a transaction for work that locks only the rows it reads FOR UPDATE:
 * on PostgreSQL without the write lock (instances work side by side); SQLite
 * has one writer, so there it is sq_begin. */
int sq_begin_rows(struct sq_conn *c, char *err, size_t errsz);

/* Opens a read-only transaction: the queries inside see one snapshot. */
int sq_begin_read(struct sq_conn *c, char *err, size_t errsz);

/* Rolls back the open transaction, if any. */
void sq_rollback(struct sq_conn *c);

/* ---- Binding ---- */

enum sq_kind { SQ_KIND_INT, SQ_KIND_TEXT, SQ_KIND_OPT_TEXT, SQ_KIND_HASH, SQ_KIND_BLOB };

/* One parameter value; build them with the macros below, which check the C type. */
struct sq_value {
    enum sq_kind kind;
    int64_t i;
    const char *text;    /* not copied: it must outlive the step */
    const uint8_t *hash; /* STORE_TOKEN_HASH_LEN bytes, not copied either */
    const void *blob;    /* SQ_KIND_BLOB: bytes of any length (0 too), not copied */
    int bytes;
};

#define SQ_INT(v)                                                                                  \
    {                                                                                              \
        .kind = SQ_KIND_INT, .i = (v)                                                              \
    }
#define SQ_TEXT(t)                                                                                 \
    {                                                                                              \
        .kind = SQ_KIND_TEXT, .text = (t)                                                          \
    }
#define SQ_OPT_TEXT(t)                                                                             \
    {                                                                                              \
        .kind = SQ_KIND_OPT_TEXT, .text = (t)                                                      \
    } /* NULL when NULL or "" */
#define SQ_HASH(h)                                                                                 \
    {                                                                                              \
        .kind = SQ_KIND_HASH, .hash = (h)                                                          \
    }

#define SQ_BLOB(b, n)                                                                              \
    {                                                                                              \
        .kind = SQ_KIND_BLOB, .blob = (b), .bytes = (n)                                            \
    }

/* The array and count of a list of values, for the *_values functions. */
#define SQ_VALUES(...)                                                                             \
    (const struct sq_value[]){__VA_ARGS__},                                                        \
        (int)(sizeof((const struct sq_value[]){__VA_ARGS__}) / sizeof(struct sq_value))

/* Binds values to parameters 1..n; 0, or -1. */
int sq_bind_values(struct sq_stmt *st, const struct sq_value *v, int n);
#define sq_bind(st, ...) sq_bind_values(st, SQ_VALUES(__VA_ARGS__))

/* Prepares sql from the cache and binds values; NULL on failure (as sq_prepare). */
struct sq_stmt *sq_query_values(struct sq_conn *c, const char *sql, const struct sq_value *v,
                                int n);
#define sq_query(c, sql, ...) sq_query_values(c, sql, SQ_VALUES(__VA_ARGS__))

/* Prepares, binds and runs a statement that returns no rows; the rows it changed,
 * SQ_CONFLICT, or -1 (the reason in sq_errmsg(c)). */
int sq_run_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n);
#define sq_run(c, sql, ...) sq_run_values(c, sql, SQ_VALUES(__VA_ARGS__))

/* Runs an INSERT ... RETURNING id: the new row's id, SQ_CONFLICT, or -1. */
int64_t sq_insert_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n);
#define sq_insert(c, sql, ...) sq_insert_values(c, sql, SQ_VALUES(__VA_ARGS__))

/* A statement outside the cache for one long scan, bound to values: on
 * PostgreSQL it reads its rows through a cursor in batches, so memory stays
 * bounded whatever the table's size (the connection must be in a transaction,
 * sq_begin_read). Several may be open at once on one connection. NULL on
 * failure (the reason in sq_errmsg). Close each with sq_stream_close before
 * releasing the connection; NULL is a no-op. */
struct sq_stmt *sq_stream_values(struct sq_conn *c, const char *sql, const struct sq_value *v,
                                 int n);
#define sq_stream(c, sql)            sq_stream_values(c, sql, NULL, 0)
#define sq_stream_query(c, sql, ...) sq_stream_values(c, sql, SQ_VALUES(__VA_ARGS__))
void sq_stream_close(struct sq_stmt *st);

/* How many parameters sql takes: its "?" outside quotes, or the highest "?N". */
int sq_param_count(const char *sql);

/* Steps a query once: 1 with a row to read, 0 when there is none, SQ_CONFLICT
 * or -1 on error. */
int sq_row(struct sq_stmt *st);

/* Runs a bound statement that returns no rows: the rows it changed, SQ_CONFLICT,
 * or -1. */
int sq_done(struct sq_stmt *st);

/* The current row's columns (0-based). NULL reads as 0, NULL and 0 bytes. */
int64_t sq_int64(struct sq_stmt *st, int col);
int sq_int(struct sq_stmt *st, int col);
const char *sq_text(struct sq_stmt *st, int col);
const void *sq_blob(struct sq_stmt *st, int col);
int sq_bytes(struct sq_stmt *st, int col);
bool sq_is_null(struct sq_stmt *st, int col);

/* What a column of the current row holds, whatever the database (a copy between
 * backends needs it: sql_migrate.c). SQ_TYPE_OTHER: a floating-point value or a
 * type the store never writes. */
enum sq_type { SQ_TYPE_NULL, SQ_TYPE_INT, SQ_TYPE_TEXT, SQ_TYPE_BLOB, SQ_TYPE_OTHER };
enum sq_type sq_type(struct sq_stmt *st, int col);

/* sq_run on a connection of its own: the rows changed, or -1 with
 * "database: what: why" in err. */
int sq_write_values(struct store *s, const char *what, char *err, size_t errsz, const char *sql,
                    const struct sq_value *v, int n);
#define sq_write(s, what, err, errsz, sql, ...)                                                    \
    sq_write_values(s, what, err, errsz, sql, SQ_VALUES(__VA_ARGS__))

/* Runs a query yielding one integer, with an optional int parameter (bind >= 0);
 * returns the integer, or -1. */
long sq_query_long(struct store *s, const char *sql, int bind, char *err, size_t errsz);

/* Copies a text column into dst (always NUL-terminated; "" for NULL). */
void sq_copy_column(struct sq_stmt *st, int col, char *dst, size_t size);

/* Appends r to the audit log on a connection inside its write transaction (the
 * change it records commits or rolls back with it): fills seq, prev_hash, hash.
 * 0, or -1 (the reason in sq_errmsg(c)). */
int sq_audit_append(struct sq_conn *c, struct store_audit_record *r);

/* The audit record store_audit_attach bound to the calling thread and not yet
 * written, or NULL (sql_assisted.c). sq_commit appends it inside the
 * transaction it commits and then calls sq_audit_attached_written; sq_write runs
 * in a transaction of its own while one is bound. */
struct store_audit_record *sq_audit_attached(void);
void sq_audit_attached_written(void);

/* The columns of an appointment in the order sq_read_appointment reads them
 * (sql_appointments.c), and the reader of a row that selected them first. */
#define SQ_APPOINTMENT_COLUMNS                                                                     \
    "id, registration, clues, service, day, slot_start, slot_end, position, status,"               \
    " created_at, updated_at, arrival_from, arrival_to, walk_in, turn, arrived_at"
void sq_read_appointment(struct sq_stmt *st, struct store_appointment *a);

/* Steps st (a query selecting SQ_APPOINTMENT_COLUMNS) to its end, reading the
 * first max rows into out. Returns how many rows there were, or -1 with
 * "database: what: why" in err. */
int sq_read_appointments(struct sq_conn *c, struct sq_stmt *st, struct store_appointment *out,
                         int max, const char *what, char *err, size_t errsz);

/* sq_read_appointments on a pooled connection of its own: runs sql (selecting
 * SQ_APPOINTMENT_COLUMNS first) with the n values v (SQ_VALUES) and reads its
 * first max rows into out. How many rows there were, or -1 with err. */
int sq_select_appointments(struct store *s, const char *sql, const struct sq_value *v, int n,
                           struct store_appointment *out, int max, const char *what, char *err,
                           size_t errsz);

#endif
