/*
 * synth: deterministic synthetic people for tests and benchmarks (padron synth).
 *
 * A person is drawn from name-frequency tables (given names by sex, first and
 * second surnames), a birth date, a sex and a birth state; the CURP is derived
 * from them with curp_derive and completed with a differentiator and the check
 * digit, so every CURP made here passes curp_validate.
 *
 * Invariants:
 * - Pure: no I/O, no clock, no allocation. The generator is a splitmix64 stream,
 *   so one seed gives the same people on every machine and libc.
 * - Differentiators (position 17) are split in two disjoint ranges: enrolled
 *   people use 0-4 (born before 2000) and A-M (from 2000); roll-only CURPs
 *   (synth_roll_only_curp) use 5-9 and N-Z. A roll-only CURP therefore never
 *   equals an enrolled person's, and distinct indexes give distinct roll-only CURPs.
 * - Tables are borrowed: the caller keeps them alive while generating.
 */
#ifndef PADRON_CORE_SYNTH_H
#define PADRON_CORE_SYNTH_H

#include "core/curp.h"

#include <stddef.h>
#include <stdint.h>

/* The splitmix64 state. */
struct synth_rng {
    uint64_t state;
};

/* Seeds r; streams seeded with different (seed, stream) pairs do not overlap in
 * practice. */
void synth_rng_seed(struct synth_rng *r, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t synth_next(struct synth_rng *r);

/* A uniform integer in [0, n); 0 when n is 0. */
uint64_t synth_below(struct synth_rng *r, uint64_t n);

/* A table of names with weights: cumulative[i] is the sum of the weights of
 * entries 0..i, strictly increasing, cumulative[n-1] the total. */
struct synth_table {
    const char *const *names;
    const uint64_t *cumulative;
    size_t n;
};

/* The index of an entry drawn with probability weight/total; n must be > 0. */
size_t synth_pick(const struct synth_table *t, struct synth_rng *r);

struct synth_tables {
    struct synth_table men, women; /* given names */
    struct synth_table first_surnames, second_surnames;
};

struct synth_person {
    char given_names[CURP_NAME_MAX + 1];
    char first_surname[CURP_NAME_MAX + 1];
    char second_surname[CURP_NAME_MAX + 1]; /* "" for about 2% (one surname) */
    int year, month, day;
    char sex; /* 'H' or 'M' */
    char state[3];
    char curp[CURP_LENGTH + 1];
};

/* Draws a person born in state (a RENAPO code) between ref_year - 90 and
 * ref_year - 1, with differentiator 0 (before 2000) or A (from 2000). Names
 * curp_derive refuses are drawn again. Returns 0, or -1 when the tables are empty
 * or no derivable name was drawn in 64 tries. */
int synth_person_draw(const struct synth_tables *t, const char *state, int ref_year,
                      struct synth_rng *r, struct synth_person *out);

/* Moves p's CURP to the next enrolled differentiator (0..4 or A..M) and fixes the
 * check digit, for a homonym: returns 0, or -1 when the range is used up. */
int synth_next_differentiator(struct synth_person *p);

/* How many distinct roll-only CURPs synth_roll_only_curp can make. */
uint64_t synth_roll_only_capacity(void);

/* A CURP nobody enrolled by synth has: names drawn from t, and the birth date,
 * sex, state and differentiator encoded from index (< synth_roll_only_capacity()),
 * so distinct indexes give distinct CURPs. Returns 0, or -1 (index too large, or
 * no derivable name in 64 tries). */
int synth_roll_only_curp(const struct synth_tables *t, uint64_t index, struct synth_rng *r,
                         char curp[CURP_LENGTH + 1]);

#endif
