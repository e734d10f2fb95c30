/*
 * postal: the SEPOMEX postal-code catalog (código postal -> settlements).
 *
 * SEPOMEX allows private use but not redistribution, so padron never ships the
 * file: the operator imports it with postal_import and padron keeps its own
 * normalized copy in DATA/catalog/postal-codes.tsv. Without it, everything but
 * postal-code lookups works; postal_load says how to import it.
 *
 * Invariants:
 * - Import is all or nothing: every row is validated (5-digit postal code, state
 *   01-32 present in the catalog, municipality present in the INEGI catalog for that
 *   state, non-empty settlement name) before the result is put in place; it goes to
 *   postal-codes.tsv.tmp, is fsync'ed and renamed over postal-codes.tsv, so readers
 *   see the old file or the new one, never a mix. A failed import leaves the
 *   previous one in place.
 * - Accepted sources: the processed UTF-8 TSV (header starting with d_codigo) and
 *   the original CPdescarga.txt (a disclaimer line, then a '|'-separated header,
 *   CRLF, Latin-1). Latin-1 is converted only when the operator says so (latin1);
 *   otherwise invalid UTF-8 is refused with the line number and a hint. Either may
 *   be gzip-compressed. Fields are trimmed of spaces.
 * - The normalized file is UTF-8, TAB-separated, one header line, then one line
 *   per settlement sorted by postal code (source order within a code):
 *   cp, state (2 digits), municipality (3 digits), settlement, type, zone, city.
 * - Bounded: at most POSTAL_MAX_ROWS settlements and POSTAL_MAX_FILE bytes. The
 *   import holds one line at a time and 800 KB of per-code counters; the loaded
 *   table (postal_load) holds the normalized file and one row per settlement.
 * - Errors go to a caller buffer as "FILE: line N: reason"; a message longer than
 *   the buffer is cut short.
 */
#ifndef PADRON_CATALOG_POSTAL_H
#define PADRON_CATALOG_POSTAL_H

#include "catalog/catalog.h"
#include "catalog/csv_stream.h"

#include <stdbool.h>
#include <stddef.h>

#define POSTAL_MAX_ROWS 1000000
#define POSTAL_MAX_FILE (256L * 1024 * 1024)

/* postal_load's answer when DATA/catalog/postal-codes.tsv does not exist. */
#define POSTAL_NOT_IMPORTED 1

struct postal_table;

struct postal_stats {
    size_t settlements;
    size_t postal_codes;
    struct csv_tally tally; /* of the import's reading, also when it failed */
};

struct postal_settlement {
    char cp[6];       /* 5 digits */
    int state;        /* INEGI cve_ent */
    int municipality; /* INEGI cve_mun */
    const char *name; /* d_asenta, never empty */
    const char *type; /* d_tipo_asenta: Colonia, Fraccionamiento, ... (may be "") */
    const char *zone; /* d_zona: Urbano, Rural, Semiurbano (may be "") */
    const char *city; /* d_ciudad (often "" in rural areas) */
};

/* True when s[0..len) is exactly 5 ASCII digits. */
bool postal_valid_code(const char *s, size_t len);

/* Imports the SEPOMEX file at src into data_dir/catalog/postal-codes.tsv (creating
 * data_dir/catalog and missing parents, mode 0700), validating against cat.
 * Streams: the source is read a line at a time and sorted through a scratch file
 * (catalog/keyed_sink.h), so the import's memory does not grow with the file.
 * observer (may be NULL) is told how far the reading is. Returns 0 and fills
 * *stats, or -1 with "FILE: line N: reason" (the first refused row) in err and
 * the refusals in stats->tally; on failure the previous import is untouched and
 * no temporary file is left behind. Two imports at once: the second fails
 * ("another import is running"). */
int postal_import(const struct catalog *cat, const char *src, const char *data_dir, bool latin1,
                  const struct csv_observer *observer, struct postal_stats *stats, char *err,
                  size_t errsz);

/* Loads data_dir/catalog/postal-codes.tsv. Returns 0 with a new table in *out (free
 * with postal_free), POSTAL_NOT_IMPORTED when the file does not exist (err says
 * how to import it), or -1 when it cannot be read or is damaged (err says where).
 * *out is set only on 0. */
int postal_load(const char *data_dir, struct postal_table **out, char *err, size_t errsz);

/* Frees t; NULL is a no-op. */
void postal_free(struct postal_table *t);

/* The settlements of postal code cp (NUL-terminated), contiguous in file order;
 * *n receives the count, 0 (and NULL returned) when the code is unknown. */
const struct postal_settlement *postal_lookup(const struct postal_table *t, const char *cp,
                                              size_t *n);

/* How many settlements and distinct postal codes t holds. */
void postal_table_stats(const struct postal_table *t, struct postal_stats *stats);

/* Parses one data line of a SEPOMEX source given its header line (TSV or '|'
 * detected from the header), with the checks postal_import makes; cat may be NULL
 * to skip the state and municipality existence checks. For the fuzzer and tests:
 * returns 0, or -1 with the reason in err. Allocates only what one line needs. */
int postal_parse_line(const struct catalog *cat, const char *header, size_t header_len,
                      const char *line, size_t len, bool latin1, char *err, size_t errsz);

#endif
