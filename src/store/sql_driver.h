/*
 * sql_driver: what a database driver gives sql_conn.c (sql_internal.h). Two
 * implement it: driver_sqlite.c (a file) and driver_pg.c (libpq).
 *
 * A driver's connection and statement are opaque to the rest of the store (the
 * impl pointers of struct sq_conn and struct sq_stmt). Statements are prepared
 * once per connection and kept in sql_conn.c's cache; a driver may defer the
 * real preparation to the first run (PostgreSQL needs the parameter types).
 * Columns are read only between a step that returned a row and the next step or
 * reset; text and blobs stay valid until then.
 */
#ifndef PADRON_STORE_SQL_DRIVER_H
#define PADRON_STORE_SQL_DRIVER_H

#include "store/sql_internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sq_driver {
    enum sq_dialect dialect;
    /* Opens a connection to target (a file path, or a postgresql:// URL); NULL with err. */
    void *(*connect)(const char *target, char *err, size_t errsz);
    void (*disconnect)(void *conn);
    /* True when the connection is lost (the server went away, even while the
     * connection sat idle): the pool drops it. Never blocks. */
    bool (*broken)(void *conn);
    /* Runs statements without parameters or results; -1 with err. */
    int (*exec)(void *conn, const char *sql, char *err, size_t errsz);
    /* A statement for sql, or NULL (the reason in errmsg). */
    void *(*prepare)(void *conn, const char *sql);
    /* A statement for one long scan (sq_stream_values), never cached. */
    void *(*prepare_stream)(void *conn, const char *sql);
    void (*finalize)(void *conn, void *stmt);
    /* Back to before the first step, bindings cleared. */
    void (*reset)(void *stmt);
    /* Binds values to parameters 1..n (text and hashes are not copied); 0 or -1. */
    int (*bind)(void *stmt, const struct sq_value *v, int n);
    /* 1 with a row, 0 when done, SQ_CONFLICT or -1. */
    int (*step)(void *conn, void *stmt);
    /* Rows changed by the statement last stepped to its end. */
    int (*changes)(void *conn, void *stmt);
    int64_t (*col_int64)(void *stmt, int col);
    const char *(*col_text)(void *stmt, int col);
    const void *(*col_blob)(void *stmt, int col, int *bytes);
    bool (*col_null)(void *stmt, int col);
    enum sq_type (*col_type)(void *stmt, int col);
    const char *(*errmsg)(void *conn);
    bool (*in_transaction)(void *conn);
    /* Opens a transaction holding the database's write lock; a read-only one. */
    int (*begin_write)(void *conn, char *err, size_t errsz);
    int (*begin_read)(void *conn, char *err, size_t errsz);
    /* COMMIT; -1 with err when the database did not commit. */
    int (*commit)(void *conn, char *err, size_t errsz);
    /* The schema version, or -1; setting it happens inside a migration's transaction. */
    int (*schema_version)(void *conn);
    int (*set_schema_version)(void *conn, int version, char *err, size_t errsz);
    /* The schema steps (migrations.h) and the version of the first one this
     * backend can start from (0: it replays them all). */
    const char *const *(*migrations)(size_t *n, size_t *baseline);
};

extern const struct sq_driver sq_sqlite_driver;
extern const struct sq_driver sq_pg_driver;

#endif
