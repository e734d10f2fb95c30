/*
 * catalog_internal: what the catalog loader's files share (catalog.c: files,
 * states, municipalities, participation; catalog_units.c: facilities, their
 * opening hours, localities). Not part of catalog.h: nothing outside
 * src/catalog/ includes this.
 */
#ifndef PADRON_CATALOG_CATALOG_INTERNAL_H
#define PADRON_CATALOG_CATALOG_INTERNAL_H

#include "catalog/catalog.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define MAX_COLUMNS 16

/* One row of the hours file, kept until the facilities are indexed. */
struct catalog_hours_row {
    char clues[12];
    const char *hours; /* in the pool; NULL when the row gives none */
    unsigned long line;
};

/* Strings of one catalog, packed into chunks freed together. */
struct pool_chunk {
    struct pool_chunk *next;
    size_t used, cap;
    char data[];
};

struct catalog {
    struct catalog_state *states;
    size_t n_states, cap_states;
    const struct catalog_state **by_renapo; /* sorted by renapo */
    struct catalog_municipality *muns;
    size_t n_muns, cap_muns;
    struct catalog_facility *facilities;
    size_t n_facilities, cap_facilities;
    struct catalog_locality *localities;
    size_t n_localities, cap_localities;
    struct catalog_hours_row *hours; /* until attached to the facilities */
    size_t n_hours, cap_hours;
    size_t hours_unknown; /* rows whose text care/hours does not read */
    struct pool_chunk *pool;
};

struct loader {
    struct catalog *c;
    bool check_refs; /* false in catalog_parse_line: the other files are absent */
    unsigned long line;
    char path[PATH_MAX];                  /* file being loaded, for messages */
    unsigned long participation_line[33]; /* by state code, to report duplicates */
};

typedef int row_fn(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz);

struct table {
    const char *base; /* file name without .csv / .csv.gz */
    const char *const *columns;
    size_t n_columns;
    row_fn *row;
};

/* Formats into err (when not NULL and errsz > 0), cutting a long message short. */
void catalog_set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Splits the next line of a normalized tab-separated file (one padron wrote) in place:
 * the line at *p ends in '\n', which becomes a NUL, and *p moves past it. Its fields go
 * to f[0..max); a line with more counts as max + 1. Returns the number of fields, or -1
 * with "PATH: line N: why" and hint (how to rebuild the file) in err when the line is
 * unterminated (a truncated file) or not UTF-8. */
int catalog_split_normalized(char **p, char **f, size_t max, unsigned long line, const char *path,
                             const char *hint, char *err, size_t errsz);

/* A NUL-terminated copy of s[0..len) in c's string pool. */
const char *catalog_pool_strndup(struct catalog *c, const char *s, size_t len);

/* Makes room for one more element of an array that grows by doubling. */
void *catalog_grow(void *p, size_t *cap, size_t n, size_t size);

/* Exactly width decimal digits into *out; 0 or -1. */
int catalog_parse_code(const char *s, size_t len, size_t width, int *out);

/* A latitude/longitude pair: both empty is absent, both inside Mexico is present,
 * anything else an error naming what. 0 or -1 with why. */
int catalog_parse_coord(const char *lat, size_t lat_len, const char *lon, size_t lon_len,
                        const char *what, struct catalog_coord *out, char *why, size_t whysz);

/* ^[A-Z]{5}[0-9]{6}$ */
bool catalog_valid_clues(const char *s, size_t len);

/* qsort and bsearch that accept an empty (NULL) array. */
void catalog_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *catalog_find(const void *key, const void *base, size_t n, size_t size,
                   int (*cmp)(const void *, const void *));

/* The later and the earlier of two line numbers (for duplicate reports). */
unsigned long catalog_later(unsigned long a, unsigned long b);
unsigned long catalog_earlier(unsigned long a, unsigned long b);

/* catalog_units.c: the rows, columns and indexes of the facility, hours and
 * locality files. */
extern const char *const catalog_facility_columns[11];
extern const char *const catalog_hours_columns[2];
extern const char *const catalog_locality_columns[7];
int catalog_row_facility(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz);
int catalog_row_hours(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz);
int catalog_row_locality(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz);
int catalog_index_facilities(struct catalog *c, const char *path, char *err, size_t errsz);
/* Attaches the hours rows to their facilities (rows of other keys are dropped). */
int catalog_index_hours(struct catalog *c, const char *path, char *err, size_t errsz);
int catalog_index_localities(struct catalog *c, const char *path, char *err, size_t errsz);

#endif
