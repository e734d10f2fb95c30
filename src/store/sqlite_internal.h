/*
 * sqlite_internal: what the SQLite backend's files share. Not part of store.h:
 * nothing outside src/store/ includes this.
 */
#ifndef PADRON_STORE_SQLITE_INTERNAL_H
#define PADRON_STORE_SQLITE_INTERNAL_H

#include "store/store.h"

#include <sqlite3.h>

/* Formats "what: why" into err (when not NULL) and returns -1. */
int sq_fail(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Runs SQL without results; -1 with the database's message in err. */
int sq_exec(sqlite3 *db, const char *sql, char *err, size_t errsz);

/* Takes a pooled connection (waits when all are busy); NULL with err on failure. */
sqlite3 *sq_acquire(struct store *s, char *err, size_t errsz);

/* Returns a connection to the pool, rolling back any transaction left open. */
void sq_release(struct store *s, sqlite3 *db);

/* Runs a query yielding one integer, with an optional int parameter (bind >= 0);
 * returns the integer, or -1. */
long sq_query_long(struct store *s, const char *sql, int bind, char *err, size_t errsz);

/* Copies a text column into dst (always NUL-terminated; "" for NULL). */
void sq_copy_column(sqlite3_stmt *st, int col, char *dst, size_t size);

/* Binds text, or NULL when text is NULL or "". */
int sq_bind_optional_text(sqlite3_stmt *st, int i, const char *text);

#endif
