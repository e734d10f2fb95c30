/* Deterministic synthetic people: names by frequency, valid CURPs (see synth.h). */
#include "core/synth.h"

#include "core/civil_date.h"

#include <stdio.h>
#include <string.h>

#define MAX_TRIES 64

/* The 32 state codes of the CURP, in INEGI order. */
static const char *const state_codes[32] = {
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN",
    "MS", "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS"};

/* Roll-only CURPs: days 1930-01-01..1999-12-31 with 5 digits, then
 * 2000-01-01..2024-12-31 with 13 letters. */
#define ROLL_FIRST_YEAR   1930
#define ROLL_LAST_YEAR    2024
#define ENROLLED_DIGITS   5  /* '0'..'4' */
#define ENROLLED_LETTERS  13 /* 'A'..'M' */
#define ROLL_ONLY_DIGITS  5  /* '5'..'9' */
#define ROLL_ONLY_LETTERS 13 /* 'N'..'Z' */

void synth_rng_seed(struct synth_rng *r, uint64_t seed, uint64_t stream)
{
    r->state = seed ^ (stream * 0xd1b54a32d192ed03ull);
    synth_next(r);
}

uint64_t synth_next(struct synth_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t synth_below(struct synth_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Rejection keeps it uniform: draw again above the largest multiple of n. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do
        v = synth_next(r);
    while (v >= limit);
    return v % n;
}

size_t synth_pick(const struct synth_table *t, struct synth_rng *r)
{
    uint64_t x = synth_below(r, t->cumulative[t->n - 1]);
    size_t lo = 0, hi = t->n - 1; /* the first entry whose cumulative weight exceeds x */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->cumulative[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static void copy_name(char *dst, const char *src)
{
    snprintf(dst, CURP_NAME_MAX + 1, "%s", src);
}

/* Draws names for sex into p and derives the stem into p->curp with the
 * differentiator diff. p's date, sex and state are set. Returns 0 or -1. */
static int draw_names_and_curp(const struct synth_tables *t, struct synth_rng *r, char diff,
                               struct synth_person *p)
{
    const struct synth_table *given = p->sex == 'H' ? &t->men : &t->women;
    if (given->n == 0 || t->first_surnames.n == 0 || t->second_surnames.n == 0)
        return -1;
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        copy_name(p->given_names, given->names[synth_pick(given, r)]);
        copy_name(p->first_surname, t->first_surnames.names[synth_pick(&t->first_surnames, r)]);
        if (synth_below(r, 50) == 0)
            p->second_surname[0] = '\0';
        else
            copy_name(p->second_surname,
                      t->second_surnames.names[synth_pick(&t->second_surnames, r)]);
        struct curp_person in = {p->given_names, p->first_surname, p->second_surname,
                                 p->year,        p->month,         p->day,
                                 p->sex,         p->state};
        struct curp_derivation d;
        if (curp_derive(&in, &d) != 0)
            continue;
        memcpy(p->curp, d.stem, CURP_STEM_LENGTH);
        p->curp[16] = diff;
        p->curp[17] = '\0';
        p->curp[17] = curp_check_digit(p->curp);
        p->curp[18] = '\0';
        return 0;
    }
    return -1;
}

int synth_person_draw(const struct synth_tables *t, const char *state, int ref_year,
                      struct synth_rng *r, struct synth_person *out)
{
    memset(out, 0, sizeof *out);
    long first = civil_days_from_epoch(ref_year - 90, 1, 1);
    long last = civil_days_from_epoch(ref_year - 1, 12, 31);
    civil_date_from_days(first + (long)synth_below(r, (uint64_t)(last - first + 1)), &out->year,
                         &out->month, &out->day);
    out->sex = synth_below(r, 2) ? 'M' : 'H';
    memcpy(out->state, state, 2);
    return draw_names_and_curp(t, r, out->year < 2000 ? '0' : 'A', out);
}

int synth_next_differentiator(struct synth_person *p)
{
    char d = p->curp[16];
    bool digit = d >= '0' && d <= '9';
    char last = digit ? (char)('0' + ENROLLED_DIGITS - 1) : (char)('A' + ENROLLED_LETTERS - 1);
    if (d >= last)
        return -1;
    p->curp[16] = (char)(d + 1);
    p->curp[17] = '\0';
    p->curp[17] = curp_check_digit(p->curp);
    return 0;
}

static long roll_days_20th(void)
{
    return civil_days_from_epoch(2000, 1, 1) - civil_days_from_epoch(ROLL_FIRST_YEAR, 1, 1);
}

static long roll_days_21st(void)
{
    return civil_days_from_epoch(ROLL_LAST_YEAR + 1, 1, 1) - civil_days_from_epoch(2000, 1, 1);
}

uint64_t synth_roll_only_capacity(void)
{
    uint64_t slots = (uint64_t)roll_days_20th() * ROLL_ONLY_DIGITS +
                     (uint64_t)roll_days_21st() * ROLL_ONLY_LETTERS;
    return slots * 2 * 32; /* sexes, states */
}

int synth_roll_only_curp(const struct synth_tables *t, uint64_t index, struct synth_rng *r,
                         char curp[CURP_LENGTH + 1])
{
    if (index >= synth_roll_only_capacity())
        return -1;
    struct synth_person p;
    memset(&p, 0, sizeof p);
    memcpy(p.state, state_codes[index % 32], 2);
    index /= 32;
    p.sex = index % 2 ? 'M' : 'H';
    index /= 2;
    uint64_t early = (uint64_t)roll_days_20th() * ROLL_ONLY_DIGITS;
    char diff;
    long day;
    if (index < early) {
        day = civil_days_from_epoch(ROLL_FIRST_YEAR, 1, 1) + (long)(index / ROLL_ONLY_DIGITS);
        diff = (char)('0' + ENROLLED_DIGITS + (int)(index % ROLL_ONLY_DIGITS));
    } else {
        index -= early;
        day = civil_days_from_epoch(2000, 1, 1) + (long)(index / ROLL_ONLY_LETTERS);
        diff = (char)('A' + ENROLLED_LETTERS + (int)(index % ROLL_ONLY_LETTERS));
    }
    civil_date_from_days(day, &p.year, &p.month, &p.day);
    if (draw_names_and_curp(t, r, diff, &p) != 0)
        return -1;
    memcpy(curp, p.curp, CURP_LENGTH + 1);
    return 0;
}
