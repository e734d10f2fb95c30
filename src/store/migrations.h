/*
 * migrations: the SQLite schema, as an ordered list of steps.
 *
 * Step i (1-based) takes the database from version i-1 to i. Steps are never
 * edited once released: a change is a new step at the end.
 */
#ifndef PADRON_STORE_MIGRATIONS_H
#define PADRON_STORE_MIGRATIONS_H

#include <stddef.h>

/* The SQL of every step, in order; *n receives the count (the current version). */
const char *const *migrations_sqlite(size_t *n);

#endif
