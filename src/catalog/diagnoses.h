/*
 * diagnoses: the CIE-10 (ICD-10 in Spanish) catalog that referrals name their
 * diagnosis from.
 *
 * ICD-10 is WHO copyright and the Spanish list padron develops against carries no
 * licence, so padron never ships it: the operator imports a copy with
 * diagnoses_import and padron keeps its own normalized file in
 * DATA/catalog/diagnoses.tsv. Without it everything but referrals works;
 * diagnoses_load says how to import it.
 *
 * Invariants:
 * - A code is a capital letter and two digits, optionally a third digit for the
 *   subcategory: "E11", "E119". Outside input may write it in any case, with or
 *   without the dot ("e11.9", "E11.9", "E119"); diagnoses_code_normalize gives the
 *   canonical undotted form, which is what the store keeps.
 * - Import is all or nothing: every row is checked (a valid code, a non-empty
 *   description without TAB, no code twice) before the result is put in place;
 *   the file lands through util/fs.h fs_replace, so readers see the old file or the new
 *   one. A failed import leaves the previous one in place.
 * - The normalized file is UTF-8, TAB-separated: one header line
 *   "code\tdescription\tchapter", then one line per code, sorted by code.
 * - Lookups are by binary search over the sorted codes; the word search scans the
 *   descriptions folded (no case, no accents) once at load.
 * - Bounded: at most DIAGNOSES_MAX_ROWS codes, DIAGNOSES_MAX_FILE bytes.
 */
#ifndef PADRON_CATALOG_DIAGNOSES_H
#define PADRON_CATALOG_DIAGNOSES_H

#include "catalog/csv_stream.h"

#include <stdbool.h>
#include <stddef.h>

#define DIAGNOSES_MAX_ROWS  100000
#define DIAGNOSES_MAX_FILE  (32L * 1024 * 1024)
#define DIAGNOSES_FILE      "diagnoses.tsv" /* in DATA/catalog/ */
#define DIAGNOSIS_CODE_SIZE 5               /* "E119" + NUL */
#define DIAGNOSIS_DOTTED    6               /* "E11.9" + NUL */
#define DIAGNOSES_QUERY_MAX 100             /* bytes of a search */

/* diagnoses_load's answer when DATA/catalog/diagnoses.tsv does not exist. */
#define DIAGNOSES_NOT_IMPORTED 1

struct diagnoses;

struct diagnosis {
    char code[DIAGNOSIS_CODE_SIZE]; /* canonical: "E11" or "E119" */
    const char *description;        /* never empty */
    const char *chapter;            /* roman numeral, may be "" */
};

/* The canonical code of s[0..len) (spaces around ignored, any case, an optional dot
 * after the category): 0 with out filled, or -1 when it is not a CIE-10 code. */
int diagnoses_code_normalize(const char *s, size_t len, char out[DIAGNOSIS_CODE_SIZE]);

/* The dotted form of a canonical code: "E119" -> "E11.9", "E11" -> "E11". */
void diagnoses_code_dotted(const char *code, char out[DIAGNOSIS_DOTTED]);

/* Imports the CSV at src (columns codigo and descripcion required, capitulo used
 * when present; plain or gzip) into data_dir/catalog/diagnoses.tsv, a line at a
 * time (sorted through catalog/keyed_sink.h: memory does not grow with the file).
 * observer may be NULL; tally (may be NULL) receives the counts and the first
 * refusals, also on failure. Returns 0 with the number of codes in *count, or -1
 * with "FILE: line N: reason" (the first refused row) in err. */
int diagnoses_import(const char *src, const char *data_dir, const struct csv_observer *observer,
                     size_t *count, struct csv_tally *tally, char *err, size_t errsz);

/* Loads data_dir/catalog/diagnoses.tsv: 0 with a new table in *out (free with
 * diagnoses_free), DIAGNOSES_NOT_IMPORTED when there is none (err says how to
 * import it), or -1 when it cannot be read or is damaged. */
int diagnoses_load(const char *data_dir, struct diagnoses **out, char *err, size_t errsz);

/* Frees t; NULL is a no-op. */
void diagnoses_free(struct diagnoses *t);

/* How many codes t holds. */
size_t diagnoses_count(const struct diagnoses *t);

/* The entry of a code in any accepted form, or NULL. */
const struct diagnosis *diagnoses_lookup(const struct diagnoses *t, const char *code);

/* Up to max entries for what someone typed, in code order: when the query is a
 * code or the start of one ("E1", "e11.", "E11.9") the codes starting so; else
 * the entries whose description holds every word of the query (no case, no
 * accents). Returns how many were written to out; 0 for an empty query or one
 * longer than DIAGNOSES_QUERY_MAX. */
size_t diagnoses_search(const struct diagnoses *t, const char *query, const struct diagnosis **out,
                        size_t max);

/* Checks one data line of a source CSV given its header line, as the import does.
 * For the fuzzer and tests: 0, or -1 with the reason in err. */
int diagnoses_parse_line(const char *header, size_t header_len, const char *line, size_t len,
                         char *err, size_t errsz);

#endif
