/* padron synth: deterministic synthetic enrollments and affiliation rolls, for
 * tests and benchmarks. Streams: nothing is kept per person. */
#include "cli/commands.h"

#include "catalog/catalog.h"
#include "catalog/name_frequencies.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "cli/workspace.h"
#include "core/civil_date.h"
#include "core/folio.h"
#include "core/synth.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/fs.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: padron synth --people N [--seed S] [--data DIR] [--names DIR] [--catalogs DIR]\n"
    "                    [--as-of YYYY-MM-DD] [--out-roll FILE] [--roll-share F]\n"
    "                    [--roll-entries M] [--out-enrolled FILE] [--batch B]\n\n"
    "Writes N synthetic active enrollments straight into DIR/padron.db (default ./var),\n"
    "for tests and benchmarks: names drawn by frequency from the name tables in --names\n"
    "(nombres_hombres.csv, nombres_mujeres.csv, nombres_apellidos.csv; default\n"
    "../shared/data), a valid CURP derived from them, a birth date, the birth state,\n"
    "an address in a locality drawn by population from the bundled INEGI catalogs\n"
    "(postal code 00000: SEPOMEX is not bundled), an email for 60% of them. The same\n"
    "seed gives the same people, byte for byte; never run it on a real installation.\n\n"
    "  --out-roll FILE      also write an affiliation roll (the CSV `padron import\n"
    "                       affiliations` reads) of --roll-entries rows (default 0.7 N):\n"
    "                       a --roll-share of the people (default 0.05) as active, 1%%\n"
    "                       more as inactive, the rest CURPs of nobody enrolled\n"
    "  --out-enrolled FILE  the enrolled CURPs, one a line, in generation order\n"
    "  --as-of DATE         the reference day (default 2025-06-30): enrollments fall\n"
    "                       in the two years before it, births in the 90 before it\n"
    "  --batch B            enrollments per transaction (default 50000)\n";

#define DEFAULT_AS_OF               "2025-06-30"
#define ENROLLED_INACTIVE_PER_MILLE 10
#define ROLL_ONLY_INACTIVE_PERCENT  10

static const char *const streets[] = {
    "Hidalgo",          "Benito Juárez",   "Morelos",         "Independencia", "Reforma",
    "Zaragoza",         "5 de Mayo",       "Allende",         "Guerrero",      "Madero",
    "Vicente Guerrero", "Emiliano Zapata", "Lázaro Cárdenas", "Aldama",        "Insurgentes",
    "Niños Héroes",     "Obregón",         "Constitución",    "Matamoros",     "Libertad"};

/* Where people live: localities weighted by population (municipalities, each
 * weight 1, when the localities file is not loaded). */
struct places {
    const struct catalog_locality **localities;
    const struct catalog_municipality **municipalities;
    const char **names;
    uint64_t *cumulative;
    size_t n;
    struct synth_table table;
};

static void places_build(const struct catalog *c, struct places *p)
{
    size_t n_mun;
    const struct catalog_municipality *mun = catalog_municipalities(c, &n_mun);
    memset(p, 0, sizeof *p);
    size_t cap = 16384;
    p->localities = xcalloc(cap, sizeof *p->localities);
    p->municipalities = xcalloc(cap, sizeof *p->municipalities);
    p->names = xcalloc(cap, sizeof *p->names);
    p->cumulative = xcalloc(cap, sizeof *p->cumulative);
    uint64_t total = 0;
    for (size_t i = 0; i < n_mun; i++) {
        size_t n_loc;
        const struct catalog_locality *loc =
            catalog_localities_of(c, mun[i].state, mun[i].code, &n_loc);
        for (size_t k = 0; k < (loc ? n_loc : 1); k++) {
            if (p->n == cap) {
                cap *= 2;
                p->localities = xreallocarray(p->localities, cap, sizeof *p->localities);
                p->municipalities =
                    xreallocarray(p->municipalities, cap, sizeof *p->municipalities);
                p->names = xreallocarray(p->names, cap, sizeof *p->names);
                p->cumulative = xreallocarray(p->cumulative, cap, sizeof *p->cumulative);
            }
            p->localities[p->n] = loc ? &loc[k] : NULL;
            p->municipalities[p->n] = &mun[i];
            p->names[p->n] = loc ? loc[k].name : mun[i].name;
            total += loc && loc[k].population > 0 ? (uint64_t)loc[k].population : 1;
            p->cumulative[p->n++] = total;
        }
    }
    p->table = (struct synth_table){p->names, p->cumulative, p->n};
}

static void places_release(struct places *p)
{
    free(p->localities);
    free(p->municipalities);
    free(p->names);
    free(p->cumulative);
}

struct synth_options {
    long people, roll_entries;
    double roll_share;
    uint64_t seed;
    size_t batch;
    int as_of_y, as_of_m, as_of_d;
    const char *data, *names, *catalogs, *out_roll, *out_enrolled;
};

struct synth_counts {
    size_t added, homonyms, skipped, folio_redraws;
    long roll_rows, roll_enrolled_active, roll_enrolled_inactive, roll_only;
};

static void random_hex(struct synth_rng *r, char *out, size_t bytes)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < bytes; i++) {
        unsigned v = (unsigned)(synth_next(r) & 0xff);
        out[2 * i] = hex[v >> 4];
        out[2 * i + 1] = hex[v & 15];
    }
    out[2 * bytes] = '\0';
}

/* The id, token hash, folio and email of a new enrollment. */
static void draw_keys(struct synth_rng *r, int year, char id[STORE_ID_LEN + 1],
                      uint8_t token[STORE_TOKEN_HASH_LEN], char folio[FOLIO_LENGTH + 1])
{
    uint8_t rnd[FOLIO_RANDOM_BYTES];
    random_hex(r, id, STORE_ID_LEN / 2);
    for (size_t i = 0; i < STORE_TOKEN_HASH_LEN; i++)
        token[i] = (uint8_t)synth_next(r);
    for (size_t i = 0; i < FOLIO_RANDOM_BYTES; i++)
        rnd[i] = (uint8_t)synth_next(r);
    folio_format(rnd, year, folio);
}

static int write_roll_row(FILE *f, const char *curp, bool active, const char *as_of)
{
    return fprintf(f, "%s,,%s,%s\n", curp, active ? "active" : "inactive", as_of) < 0 ? -1 : 0;
}

/* One person: drawn, given another differentiator while a homonym is enrolled,
 * written. Returns 1 added, 0 skipped, -1 on error. */
static int add_person(const struct synth_options *o, const struct synth_tables *t,
                      const struct places *pl, const struct catalog *cat, struct synth_rng *r,
                      struct store_bulk *bulk, struct synth_counts *n, struct synth_person *p,
                      char *err, size_t errsz)
{
    size_t at = synth_pick(&pl->table, r);
    const struct catalog_municipality *mun = pl->municipalities[at];
    const struct catalog_state *home = catalog_state_by_code(cat, mun->state);
    /* Most people live in the state they were born in. */
    const struct catalog_state *birth = home;
    if (synth_below(r, 100) < 15) {
        size_t n_states;
        const struct catalog_state *states = catalog_states(cat, &n_states);
        birth = &states[synth_below(r, n_states)];
    }
    if (!home || synth_person_draw(t, birth->renapo, o->as_of_y, r, p) != 0) {
        snprintf(err, errsz, "synth: cannot draw a person from the name tables");
        return -1;
    }
    long as_of_days = civil_days_from_epoch(o->as_of_y, o->as_of_m, o->as_of_d);
    int64_t at_time = (int64_t)(as_of_days - 730) * 86400 + (int64_t)synth_below(r, 730 * 86400);
    int y, m, d;
    civil_date_from_days((long)(at_time / 86400), &y, &m, &d);

    struct store_names names;
    snprintf(names.given_names, sizeof names.given_names, "%s", p->given_names);
    snprintf(names.first_surname, sizeof names.first_surname, "%s", p->first_surname);
    snprintf(names.second_surname, sizeof names.second_surname, "%s", p->second_surname);
    struct store_address a;
    memset(&a, 0, sizeof a);
    memcpy(a.postal_code, "00000", 6);
    a.state = mun->state;
    a.municipality = mun->code;
    snprintf(a.settlement, sizeof a.settlement, "%s", pl->names[at]);
    snprintf(a.street, sizeof a.street, "%s",
             streets[synth_below(r, sizeof streets / sizeof *streets)]);
    snprintf(a.number, sizeof a.number, "%" PRIu64, 1 + synth_below(r, 999));
    char id[STORE_ID_LEN + 1], folio[FOLIO_LENGTH + 1], email[64];
    uint8_t token[STORE_TOKEN_HASH_LEN];
    bool has_email = synth_below(r, 100) < 60;
    draw_keys(r, y, id, token, folio);
    snprintf(email, sizeof email, "p%.12s@correo.example", id);
    for (;;) {
        struct store_bulk_enrollment e = {
            id, p->curp, folio, token, &names, has_email ? email : NULL, &a, at_time};
        enum store_bulk_result res = store_bulk_enroll(bulk, &e, err, errsz);
        if (res == STORE_BULK_ADDED)
            return 1;
        if (res == STORE_BULK_ERROR)
            return -1;
        if (res == STORE_BULK_FOLIO_TAKEN) {
            n->folio_redraws++;
            draw_keys(r, y, id, token, folio);
            snprintf(email, sizeof email, "p%.12s@correo.example", id);
            continue;
        }
        n->homonyms++;
        if (synth_next_differentiator(p) != 0)
            return 0;
    }
}

/* The roll-only rows after the people: CURPs of nobody enrolled. */
static int write_roll_only(const struct synth_options *o, const struct synth_tables *t, FILE *roll,
                           const char *as_of, struct synth_counts *n, char *err, size_t errsz)
{
    struct synth_rng r;
    synth_rng_seed(&r, o->seed, 3);
    long want = o->roll_entries - n->roll_rows;
    if (want > 0 && (uint64_t)want > synth_roll_only_capacity()) {
        snprintf(err, errsz, "--roll-entries: at most %" PRIu64 " CURPs of nobody enrolled",
                 synth_roll_only_capacity());
        return -1;
    }
    /* Spread over the index space, so dates and states are not in runs. */
    uint64_t stride = want > 0 ? synth_roll_only_capacity() / (uint64_t)want : 1;
    for (long i = 0; i < want; i++) {
        char curp[CURP_LENGTH + 1];
        if (synth_roll_only_curp(t, (uint64_t)i * stride, &r, curp) != 0 ||
            write_roll_row(roll, curp, synth_below(&r, 100) >= ROLL_ONLY_INACTIVE_PERCENT, as_of) !=
                0) {
            snprintf(err, errsz, "--out-roll: cannot write it");
            return -1;
        }
        n->roll_only++;
        n->roll_rows++;
    }
    return 0;
}

static int run(const struct synth_options *o)
{
    char dir[PATH_MAX], err[1024] = "", as_of[11];
    struct name_frequencies *nf = NULL;
    struct catalog *cat = NULL;
    struct store *store = NULL;
    struct store_bulk *bulk = NULL;
    struct places pl = {0};
    FILE *roll = NULL, *enrolled = NULL;
    struct synth_counts n = {0};
    int rc = 1;
    snprintf(as_of, sizeof as_of, "%04d-%02d-%02d", o->as_of_y, o->as_of_m, o->as_of_d);
    if (name_frequencies_load(o->names, &nf, err, sizeof err) != 0 ||
        catalog_find_dir(o->catalogs, dir, sizeof dir, err, sizeof err) != 0 ||
        catalog_load(dir, &cat, err, sizeof err) != 0)
        goto cleanup;
    places_build(cat, &pl);
    if (o->out_roll && !(roll = fopen(o->out_roll, "w"))) {
        snprintf(err, sizeof err, "--out-roll: %s: %s", o->out_roll, strerror(errno));
        goto cleanup;
    }
    if (o->out_enrolled && !(enrolled = fopen(o->out_enrolled, "w"))) {
        snprintf(err, sizeof err, "--out-enrolled: %s: %s", o->out_enrolled, strerror(errno));
        goto cleanup;
    }
    if (roll && fputs("curp,nss,status,as_of\n", roll) < 0)
        goto write_error;
    if (fs_mkdir_p(o->data, 0700, err, sizeof err) != 0 ||
        workspace_store_open_data(o->data, &store, err, sizeof err) != 0 ||
        store_bulk_begin(store, o->batch, &bulk, err, sizeof err) != 0)
        goto cleanup;

    const struct synth_tables *t = name_frequencies_tables(nf);
    struct synth_rng people, roll_rng;
    synth_rng_seed(&people, o->seed, 1);
    synth_rng_seed(&roll_rng, o->seed, 2);
    uint64_t share_ppm = (uint64_t)(o->roll_share * 1e6 + 0.5);
    struct progress bar;
    progress_start(&bar, "synth", o->people);
    for (long i = 0; i < o->people; i++) {
        struct synth_person p;
        int added = add_person(o, t, &pl, cat, &people, bulk, &n, &p, err, sizeof err);
        if (added < 0)
            goto cleanup;
        if (added == 0) {
            n.skipped++;
            continue;
        }
        if (enrolled && fprintf(enrolled, "%s\n", p.curp) < 0)
            goto write_error;
        uint64_t draw = synth_below(&roll_rng, 1000000);
        if (roll && draw < share_ppm) {
            if (write_roll_row(roll, p.curp, true, as_of) != 0)
                goto write_error;
            n.roll_enrolled_active++;
            n.roll_rows++;
        } else if (roll && draw < share_ppm + ENROLLED_INACTIVE_PER_MILLE * 1000) {
            if (write_roll_row(roll, p.curp, false, as_of) != 0)
                goto write_error;
            n.roll_enrolled_inactive++;
            n.roll_rows++;
        }
        if ((i & 1023) == 0)
            progress_update(&bar, i);
    }
    int finished = store_bulk_finish(bulk, &n.added, err, sizeof err);
    bulk = NULL;
    if (finished != 0)
        goto cleanup;
    double seconds = progress_finish(&bar);
    if (roll && write_roll_only(o, t, roll, as_of, &n, err, sizeof err) != 0)
        goto cleanup;
    if ((roll && fclose(roll) != 0) || (enrolled && fclose(enrolled) != 0)) {
        roll = enrolled = NULL;
        goto write_error;
    }
    roll = enrolled = NULL;
    printf("synthesized %zu active enrollments in %.1f s (%.0f per second)\n", n.added, seconds,
           seconds > 0 ? (double)n.added / seconds : 0.0);
    printf("homonyms given another differentiator: %zu; people skipped: %zu\n", n.homonyms,
           n.skipped);
    if (o->out_roll)
        printf("roll %s: %ld rows: %ld enrolled people active, %ld enrolled people inactive, "
               "%ld CURPs of nobody enrolled\n",
               o->out_roll, n.roll_rows, n.roll_enrolled_active, n.roll_enrolled_inactive,
               n.roll_only);
    rc = fflush(stdout) == 0 ? 0 : 1;
    goto cleanup;
write_error:
    snprintf(err, sizeof err, "writing an output file: %s", strerror(errno));
cleanup:
    if (rc != 0 && err[0])
        fprintf(stderr, "padron synth: %s\n", err);
    store_bulk_abort(bulk);
    store_close(store);
    if (roll)
        fclose(roll);
    if (enrolled)
        fclose(enrolled);
    places_release(&pl);
    catalog_free(cat);
    name_frequencies_free(nf);
    return rc;
}

/* A whole number in [min, max] from s. */
static int parse_count(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int cli_synth(int argc, char **argv)
{
    struct synth_options o = {.people = -1,
                              .roll_entries = -1,
                              .roll_share = 0.05,
                              .seed = 1,
                              .batch = 50000,
                              .data = "var",
                              .names = "../shared/data"};
    const char *people = NULL, *seed = NULL, *share = NULL, *entries = NULL, *batch = NULL,
               *as_of = DEFAULT_AS_OF;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        int r = 0;
        const char *const names[] = {"--people",   "--seed",     "--roll-share",  "--roll-entries",
                                     "--batch",    "--as-of",    "--data",        "--names",
                                     "--catalogs", "--out-roll", "--out-enrolled"};
        const char **slots[] = {&people, &seed,    &share,      &entries,    &batch,         &as_of,
                                &o.data, &o.names, &o.catalogs, &o.out_roll, &o.out_enrolled};
        for (size_t k = 0; k < sizeof names / sizeof *names && r == 0; k++)
            r = cli_option_value(names[k], argc, argv, &i, slots[k]);
        if (r <= 0)
            return cli_usage_error("synth", "%s option '%s'",
                                   r < 0 ? "missing value for" : "unknown", arg);
    }
    long v;
    if (!people)
        return cli_usage_error("synth", "--people N is required");
    if (parse_count(people, 1, 100000000, &o.people) != 0)
        return cli_usage_error("synth", "--people: '%s' is not a whole number from 1 to 10^8",
                               people);
    if (seed) {
        if (parse_count(seed, 0, LONG_MAX, &v) != 0)
            return cli_usage_error("synth", "--seed: '%s' is not a whole number", seed);
        o.seed = (uint64_t)v;
    }
    if (share) {
        char *end;
        o.roll_share = strtod(share, &end);
        if (end == share || *end || !(o.roll_share >= 0 && o.roll_share <= 0.99))
            return cli_usage_error("synth", "--roll-share: '%s' is not a fraction from 0 to 0.99",
                                   share);
    }
    if (entries && parse_count(entries, 0, 100000000, &o.roll_entries) != 0)
        return cli_usage_error("synth", "--roll-entries: '%s' is not a whole number", entries);
    if (o.roll_entries < 0)
        o.roll_entries = (long)((double)o.people * 0.7);
    if (batch) {
        if (parse_count(batch, 1, 10000000, &v) != 0)
            return cli_usage_error("synth", "--batch: '%s' is not a whole number", batch);
        o.batch = (size_t)v;
    }
    if (civil_parse_date(as_of, strlen(as_of), &o.as_of_y, &o.as_of_m, &o.as_of_d) != 0 ||
        o.as_of_y < 1995 || o.as_of_y > 2099)
        return cli_usage_error("synth", "--as-of: '%s' is not a date YYYY-MM-DD (1995-2099)",
                               as_of);
    return run(&o);
}
