/*
 * name_frequencies: the name-frequency tables synthetic people are drawn from
 * (../shared/data/nombres_{hombres,mujeres,apellidos}.csv, see its README).
 *
 * Files: nombres_hombres.csv and nombres_mujeres.csv with the columns nombre and
 * frecuencia; nombres_apellidos.csv with apellido, frec_primer_apellido and
 * frec_segundo_apellido. Columns are found by header name; others are ignored.
 *
 * Invariants: loading is all or nothing; every name is 1-100 bytes of valid UTF-8
 * and every frequency a whole number below 10^9; rows of frequency 0 are left out
 * of that table; each file holds at most NAME_FREQ_MAX_ROWS rows. A refusal reads
 * "FILE: line N: reason". The loaded tables are read-only and live until
 * name_frequencies_free.
 */
#ifndef PADRON_CATALOG_NAME_FREQUENCIES_H
#define PADRON_CATALOG_NAME_FREQUENCIES_H

#include "core/synth.h"

#include <stddef.h>

#define NAME_FREQ_MAX_ROWS 200000

struct name_frequencies;

/* Loads the three files from dir. Returns 0 with *out set, or -1 with the reason
 * in err (a missing file is named with the hint to pass --names). */
int name_frequencies_load(const char *dir, struct name_frequencies **out, char *err, size_t errsz);

/* The tables, valid while nf lives. */
const struct synth_tables *name_frequencies_tables(const struct name_frequencies *nf);

/* Frees nf; NULL is a no-op. */
void name_frequencies_free(struct name_frequencies *nf);

#endif
