/*
 * facility_import: newer cuts of the CLUES facility catalog, imported by the
 * operator into the data directory, and loading the catalogs with them.
 *
 * Invariants:
 * - The imported file lives at DATA/catalog/facilities.csv (plain CSV, the
 *   columns of data/clues_imss_bienestar). When it exists it replaces the
 *   vendored facilities for `padron serve` and `padron facility`; the vendored
 *   states and municipalities stay.
 * - An import is all or nothing: the source is copied (decompressed) into a
 *   locked temporary file, the catalogs are loaded with that copy and every
 *   check of catalog_load applies (CLUES shape, status, level, coordinates in
 *   Mexico, known municipality, no duplicate key); only then is it renamed over
 *   the previous import (util/fs.h fs_replace). A failed import leaves the
 *   previous one in place; a second import at the same time fails.
 * - A server running when an import lands keeps its catalog until restarted.
 */
#ifndef PADRON_CATALOG_FACILITY_IMPORT_H
#define PADRON_CATALOG_FACILITY_IMPORT_H

#include "catalog/catalog.h"
#include "catalog/csv_stream.h"

#include <stdbool.h>
#include <stddef.h>

#define FACILITY_IMPORT_FILE "facilities.csv" /* in DATA/catalog/ */

struct facility_import_stats {
    size_t facilities;      /* rows */
    size_t operating;       /* EN OPERACION with level 1, 2 or 3 */
    struct csv_tally tally; /* bytes and lines copied; taken: the facilities */
};

/* Imports src (CSV, plain or gzip) into data/catalog/facilities.csv, checked
 * against the catalogs in catalog_dir. The copy streams (64 KiB at a time) and
 * observer (may be NULL) is told of its bytes; the check then holds the catalog
 * the server would hold. Returns 0 with stats filled, or -1 with "FILE: line N:
 * reason" (or the file-system failure) in err. */
int facility_import(const char *catalog_dir, const char *src, const char *data,
                    const struct csv_observer *observer, struct facility_import_stats *stats,
                    char *err, size_t errsz);

/* Loads the catalogs of catalog_dir, with the imported facilities of data when
 * there are any (*imported says so; data may be NULL for none). Same contract as
 * catalog_load. */
int facility_import_load(const char *catalog_dir, const char *data, struct catalog **out,
                         bool *imported, char *err, size_t errsz);

#endif
