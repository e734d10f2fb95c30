/*
 * migrations: the schema, as an ordered list of steps, for each database.
 *
 * Step i (1-based) takes the database from version i-1 to i. Steps are never
 * edited once released: a change is a new step at the end.
 */
#ifndef PADRON_STORE_MIGRATIONS_H
#define PADRON_STORE_MIGRATIONS_H

#include <stddef.h>

/* The SQL of every step, in order; *n receives the count (the current version). */
const char *const *migrations_sqlite(size_t *n);

/* The PostgreSQL schema: the same versions, from a baseline. An empty database
 * gets the whole schema of version *baseline in one step (PostgreSQL support
 * began there); the steps after it mirror SQLite's one for one. Entries before
 * the baseline are NULL. */
const char *const *migrations_postgresql(size_t *n, size_t *baseline);

#endif
