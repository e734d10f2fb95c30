/*
 * sqlite_internal: what the SQLite backend's files share. Not part of store.h:
 * nothing outside src/store/ (and its unit tests) includes this.
 *
 * A pooled connection keeps every statement it has prepared, keyed by the SQL
 * text: sq_prepare hands out the cached statement, and sq_release resets it and
 * clears its bindings, whatever state the caller left it in. So callers never
 * finalize: they prepare, bind, step and release the connection.
 */
#ifndef PADRON_STORE_SQLITE_INTERNAL_H
#define PADRON_STORE_SQLITE_INTERNAL_H

#include "store/store.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* Statements one connection keeps; the least recently used goes beyond it. The
 * backend has about 60 distinct statements, so a running server never evicts. */
#define SQ_CACHE_MAX 128

struct sq_cached {
    sqlite3_stmt *st;
    uint64_t hash;      /* of the SQL text */
    uint64_t last_used; /* the connection's use counter, for eviction */
    bool lent;          /* handed out since the connection was acquired */
};

/* A pooled connection. Callers use db (error messages, changes); the cache is
 * sqlite.c's alone. */
struct sq_conn {
    sqlite3 *db;
    struct sq_cached cache[SQ_CACHE_MAX];
    int n_cached;
    uint64_t uses;
    const char *why; /* a failure of the cache itself, reported instead of SQLite's */
};

/* The mail key set with store_set_mail_key, or NULL. */
const uint8_t *sq_mail_key(const struct store *s);

/* Queues message for recipient inside conn's open write transaction, encrypted
 * under s's mail key when there is one (store.h, "Mail outbox"). A NULL message
 * queues nothing. Returns 0, or -1 (the caller rolls back). */
int sq_outbox_add(struct store *s, struct sq_conn *conn, const char *recipient, const char *message,
                  int64_t now);

/* Formats "what: why" into err (when not NULL) and returns -1. */
int sq_fail(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Formats "database: what: <the connection's last error>" into err; returns -1. */
int sq_fail_db(struct sq_conn *c, char *err, size_t errsz, const char *what);

/* Runs SQL without results, not cached (schema, pragmas); -1 with the database's
 * message in err. */
int sq_exec(sqlite3 *db, const char *sql, char *err, size_t errsz);

/* Takes a pooled connection (waits when all are busy); NULL with err on failure. */
struct sq_conn *sq_acquire(struct store *s, char *err, size_t errsz);

/* Returns a connection to the pool: resets every statement it lent and clears
 * its bindings, then rolls back any transaction left open. NULL is a no-op. */
void sq_release(struct store *s, struct sq_conn *c);

/* The connection's statement for sql, prepared on first use and reset, with no
 * bindings. Valid until the connection is released; asking again for the same
 * text while it is out resets it. NULL on failure, the reason in
 * sqlite3_errmsg(c->db) (sq_fail_db reports it). */
sqlite3_stmt *sq_prepare(struct sq_conn *c, const char *sql);

/* sq_acquire, then BEGIN IMMEDIATE: a connection holding the write lock, or NULL
 * with err (and nothing to release). sq_release rolls back what is not committed. */
struct sq_conn *sq_acquire_write(struct store *s, char *err, size_t errsz);

/* BEGIN IMMEDIATE and COMMIT, from the cache; -1 with err. A failed COMMIT
 * leaves the transaction open: sq_release rolls it back. */
int sq_begin(struct sq_conn *c, char *err, size_t errsz);
int sq_commit(struct sq_conn *c, char *err, size_t errsz);

/* ---- Binding ---- */

enum sq_kind { SQ_KIND_INT, SQ_KIND_TEXT, SQ_KIND_OPT_TEXT, SQ_KIND_HASH };

/* One parameter value; build them with the macros below, which check the C type. */
struct sq_value {
    enum sq_kind kind;
    int64_t i;
    const char *text;    /* not copied: it must outlive the step */
    const uint8_t *hash; /* STORE_TOKEN_HASH_LEN bytes, not copied either */
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

/* The array and count of a list of values, for the *_values functions. */
#define SQ_VALUES(...)                                                                             \
    (const struct sq_value[]){__VA_ARGS__},                                                        \
        (int)(sizeof((const struct sq_value[]){__VA_ARGS__}) / sizeof(struct sq_value))

/* Binds values to parameters 1..n; SQLITE_OK or the first error. */
int sq_bind_values(sqlite3_stmt *st, const struct sq_value *v, int n);
#define sq_bind(st, ...) sq_bind_values(st, SQ_VALUES(__VA_ARGS__))

/* Prepares sql from the cache and binds values; NULL on failure (as sq_prepare). */
sqlite3_stmt *sq_query_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n);
#define sq_query(c, sql, ...) sq_query_values(c, sql, SQ_VALUES(__VA_ARGS__))

/* Prepares, binds and runs a statement that returns no rows; the rows it changed,
 * or -1 (the reason in sqlite3_errmsg(c->db)). */
int sq_run_values(struct sq_conn *c, const char *sql, const struct sq_value *v, int n);
#define sq_run(c, sql, ...) sq_run_values(c, sql, SQ_VALUES(__VA_ARGS__))

/* Steps a query once: 1 with a row to read, 0 when there is none, -1 on error. */
int sq_row(sqlite3_stmt *st);

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
void sq_copy_column(sqlite3_stmt *st, int col, char *dst, size_t size);

/* Appends r to the audit log on a connection inside its write transaction (the
 * change it records commits or rolls back with it): fills seq, prev_hash, hash.
 * 0, or -1 (the reason in sqlite3_errmsg(c->db)). */
int sq_audit_append(struct sq_conn *c, struct store_audit_record *r);

/* The audit record store_audit_attach bound to the calling thread and not yet
 * written, or NULL (sqlite_assisted.c). sq_commit appends it inside the
 * transaction it commits and then calls sq_audit_attached_written; sq_write runs
 * in a transaction of its own while one is bound. */
struct store_audit_record *sq_audit_attached(void);
void sq_audit_attached_written(void);

/* The columns of an appointment in the order sq_read_appointment reads them
 * (sqlite_appointments.c), and the reader of a row that selected them first. */
#define SQ_APPOINTMENT_COLUMNS                                                                     \
    "id, registration, clues, service, day, slot_start, slot_end, position, status,"               \
    " created_at, updated_at, arrival_from, arrival_to, walk_in, turn, arrived_at"
void sq_read_appointment(sqlite3_stmt *st, struct store_appointment *a);

/* Steps st (a query selecting SQ_APPOINTMENT_COLUMNS) to its end, reading the
 * first max rows into out. Returns how many rows there were, or -1 with
 * "database: what: why" in err. */
int sq_read_appointments(struct sq_conn *c, sqlite3_stmt *st, struct store_appointment *out,
                         int max, const char *what, char *err, size_t errsz);

#endif
