/*
 * roll: the rows of an IMSS or ISSSTE affiliation roll (CSV with a header row).
 *
 * Columns, found by header name (case-insensitive, any order, other columns
 * ignored): curp (required), nss (optional), status (optional: active or
 * inactive, default active), as_of (optional YYYY-MM-DD). Empty optional cells
 * take the default.
 *
 * Invariants: pure parsing, no I/O; safe on any bytes (it is fuzzed). Every
 * refusal names the column and the reason.
 */
#ifndef PADRON_CATALOG_ROLL_H
#define PADRON_CATALOG_ROLL_H

#include "catalog/csv.h"

#include <stdbool.h>
#include <stddef.h>

struct roll_columns {
    int curp, nss, status, as_of; /* field index, -1 when the column is absent */
};

struct roll_row {
    char curp[19];
    char nss[12]; /* "" when absent */
    bool active;
    char as_of[11]; /* "" when absent */
};

/* Finds the columns in a header record. Returns 0, or -1 when curp is missing or
 * a known column appears twice. */
int roll_map_header(const struct csv_record *header, struct roll_columns *cols, char *err,
                    size_t errsz);

/* Parses one data record. The CURP must pass every rule (birth not after
 * today_key, 0 to skip that check) and is stored upper-cased; the NSS, when
 * present, must pass its check digit. Returns 0, or -1 with "column: reason". */
int roll_parse_row(const struct roll_columns *cols, const struct csv_record *rec, long today_key,
                   struct roll_row *out, char *err, size_t errsz);

#endif
