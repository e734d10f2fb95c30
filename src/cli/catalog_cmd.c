/* padron catalog: read-only lookups in the reference catalogs (catalog/, postal/). */
#include "cli/commands.h"
#include "cli/input.h"

#include "catalog/catalog.h"
#include "core/civil_date.h"
#include "catalog/postal.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_POSITIONAL 4

struct args {
    const char *catalogs, *data, *on;
    bool help;
    int n;
    char *pos[MAX_POSITIONAL];
};

struct sub {
    const char *name;
    int (*run)(const struct args *a);
    int n_args; /* positional arguments after the subcommand */
    bool takes_data, takes_on;
    const char *usage;
};

/* Options may come anywhere after the subcommand; "--" ends them. Returns 0, or 2
 * after printing a usage error. */
static int parse_args(const struct sub *s, int argc, char **argv, struct args *a)
{
    bool opts = true;
    memset(a, 0, sizeof *a);
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int r = 0;
        if (opts && strcmp(arg, "--") == 0) {
            opts = false;
            continue;
        }
        if (!opts || arg[0] != '-' || arg[1] == '\0') {
            if (a->n == MAX_POSITIONAL) {
                fprintf(stderr, "padron catalog %s: too many arguments\n", s->name);
                return 2;
            }
            a->pos[a->n++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            a->help = true;
            continue;
        }
        if ((r = cli_option_value("--catalogs", argc, argv, &i, &a->catalogs)) == 0 &&
            s->takes_data)
            r = cli_option_value("--data", argc, argv, &i, &a->data);
        if (r == 0 && s->takes_on)
            r = cli_option_value("--on", argc, argv, &i, &a->on);
        if (r < 0) {
            fprintf(stderr, "padron catalog %s: option %s needs a value\n", s->name, arg);
            return 2;
        }
        if (r == 0) {
            fprintf(stderr, "padron catalog %s: unknown option '%s'\n", s->name, arg);
            return 2;
        }
    }
    if (!a->data)
        a->data = "var";
    return 0;
}

static int load(const struct args *a, struct catalog **c)
{
    char dir[PATH_MAX], err[1024];
    if (catalog_find_dir(a->catalogs, dir, sizeof dir, err, sizeof err) < 0 ||
        catalog_load(dir, c, err, sizeof err) < 0) {
        fprintf(stderr, "padron catalog: %s\n", err);
        return -1;
    }
    return 0;
}

/* The date participation is judged on: --on DATE, else today's local date. */
static int judge_date(const struct args *a, int *y, int *m, int *d)
{
    if (a->on) {
        if (civil_parse_date(a->on, strlen(a->on), y, m, d) < 0) {
            fprintf(stderr, "padron catalog: --on '%s' is not a date YYYY-MM-DD\n", a->on);
            return -1;
        }
        return 0;
    }
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !localtime_r(&now, &tm)) {
        fprintf(stderr, "padron catalog: cannot read the clock; pass --on YYYY-MM-DD\n");
        return -1;
    }
    *y = tm.tm_year + 1900;
    *m = tm.tm_mon + 1;
    *d = tm.tm_mday;
    return 0;
}

static void since_text(long key, char *buf, size_t sz)
{
    if (key == 0)
        (void)snprintf(buf, sz, "-");
    else
        (void)snprintf(buf, sz, "%04ld-%02ld-%02ld", key / 10000, key / 100 % 100, key % 100);
}

static void coord_text(const struct catalog_coord *p, char *buf, size_t sz)
{
    if (!p->present)
        (void)snprintf(buf, sz, "-");
    else
        (void)snprintf(buf, sz, "%.6f,%.6f", p->lat, p->lon);
}

static int run_states(const struct args *a)
{
    struct catalog *c = NULL;
    int y, m, d, rc = 1;
    size_t n, yes = 0;
    char since[32];
    if (judge_date(a, &y, &m, &d) < 0 || load(a, &c) < 0)
        goto cleanup;
    const struct catalog_state *s = catalog_states(c, &n);
    printf("%-7s  %-6s  %-13s  %-10s  %s\n", "cve_ent", "renapo", "participating", "since", "name");
    for (size_t i = 0; i < n; i++) {
        bool p = catalog_state_participating(&s[i], y, m, d);
        yes += p;
        since_text(s[i].participating_since, since, sizeof since);
        printf("%02d       %-6s  %-13s  %-10s  %s\n", s[i].code, s[i].renapo, p ? "yes" : "no",
               since, s[i].name);
    }
    printf("%zu of %zu states participating on %04d-%02d-%02d\n", yes, n, y, m, d);
    rc = 0;
cleanup:
    catalog_free(c);
    return rc;
}

/* STATE as an INEGI code (1-32, "9" or "09") or a RENAPO code (any case). */
static const struct catalog_state *find_state(const struct catalog *c, const char *arg)
{
    size_t len = strlen(arg);
    if (len >= 1 && len <= 2 && isdigit((unsigned char)arg[0]) &&
        (len == 1 || isdigit((unsigned char)arg[1])))
        return catalog_state_by_code(c, len == 1 ? arg[0] - '0'
                                                 : (arg[0] - '0') * 10 + (arg[1] - '0'));
    if (len == 2 && isalpha((unsigned char)arg[0]) && isalpha((unsigned char)arg[1])) {
        char code[3] = {(char)toupper((unsigned char)arg[0]), (char)toupper((unsigned char)arg[1]),
                        '\0'};
        return catalog_state_by_renapo(c, code);
    }
    return NULL;
}

static int run_municipalities(const struct args *a)
{
    struct catalog *c = NULL;
    int rc = 1;
    size_t n;
    char seat[48], centroid[48];
    if (load(a, &c) < 0)
        goto cleanup;
    const struct catalog_state *s = find_state(c, a->pos[0]);
    if (!s) {
        fprintf(stderr,
                "padron catalog municipalities: unknown state '%s' (use the INEGI code 01-32 "
                "or the RENAPO code, e.g. 09 or DF)\n",
                a->pos[0]);
        goto cleanup;
    }
    const struct catalog_municipality *mu = catalog_municipalities_of(c, s->code, &n);
    printf("%s (%02d, %s): %zu municipalities\n", s->name, s->code, s->renapo, n);
    printf("%-7s  %-22s  %-22s  %s\n", "cve_mun", "seat lat,lon", "centroid lat,lon",
           "name (county seat)");
    for (size_t i = 0; i < n; i++) {
        coord_text(&mu[i].seat_pos, seat, sizeof seat);
        coord_text(&mu[i].centroid, centroid, sizeof centroid);
        printf("%03d      %-22s  %-22s  %s (%s)\n", mu[i].code, seat, centroid, mu[i].name,
               mu[i].seat ? mu[i].seat : "seat unknown");
    }
    rc = 0;
cleanup:
    catalog_free(c);
    return rc;
}

static void print_place(const struct catalog *c, int state, int mun)
{
    const struct catalog_state *s = catalog_state_by_code(c, state);
    const struct catalog_municipality *m = catalog_municipality(c, state, mun);
    printf("state: %s (%02d)\n", s ? s->name : "unknown", state);
    printf("municipality: %s (%03d)\n", m ? m->name : "unknown", mun);
}

static int run_postal_code(const struct args *a)
{
    struct postal_table *t = NULL;
    struct catalog *c = NULL;
    char err[1024];
    int rc = 1, r;
    size_t n;
    const char *cp = a->pos[0];
    if (!postal_valid_code(cp, strlen(cp))) {
        fprintf(stderr, "padron catalog postal-code: '%s' is not a postal code (5 digits)\n", cp);
        return 1;
    }
    r = postal_load(a->data, &t, err, sizeof err);
    if (r != 0) {
        fprintf(stderr, "padron catalog postal-code: %s\n", err);
        return 1;
    }
    if (load(a, &c) < 0)
        goto cleanup;
    const struct postal_settlement *s = postal_lookup(t, cp, &n);
    if (n == 0) {
        fprintf(stderr, "padron catalog postal-code: postal code %s does not exist\n", cp);
        goto cleanup;
    }
    printf("postal code %s: %zu settlement%s\n", cp, n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || s[i].state != s[i - 1].state || s[i].municipality != s[i - 1].municipality)
            print_place(c, s[i].state, s[i].municipality);
        printf("  %s (%s%s%s", s[i].name, *s[i].type ? s[i].type : "type unknown",
               *s[i].zone ? ", " : "", s[i].zone);
        if (*s[i].city)
            printf(", city %s", s[i].city);
        printf(")\n");
    }
    rc = 0;
cleanup:
    postal_free(t);
    catalog_free(c);
    return rc;
}

static const char *status_text(enum catalog_status s)
{
    switch (s) {
    case CATALOG_IN_OPERATION:
        return "in operation";
    case CATALOG_OUT_OF_OPERATION:
        return "out of operation";
    case CATALOG_UNDER_CONSTRUCTION:
        return "under construction";
    case CATALOG_PENDING:
        return "pending, not yet in operation";
    }
    return "unknown";
}

static const char *level_text(enum catalog_level l)
{
    switch (l) {
    case CATALOG_LEVEL_1:
        return "first level";
    case CATALOG_LEVEL_2:
        return "second level";
    case CATALOG_LEVEL_3:
        return "third level";
    case CATALOG_LEVEL_NA:
        return "not applicable";
    }
    return "unknown";
}

static int run_facility(const struct args *a)
{
    struct catalog *c = NULL;
    int rc = 1;
    char clues[12], pos[48];
    size_t len = strlen(a->pos[0]);
    if (len != 11) {
        fprintf(stderr, "padron catalog facility: '%s' is not a CLUES (11 characters)\n",
                a->pos[0]);
        return 1;
    }
    for (size_t i = 0; i <= len; i++)
        clues[i] = (char)toupper((unsigned char)a->pos[0][i]);
    if (load(a, &c) < 0)
        goto cleanup;
    const struct catalog_facility *f = catalog_facility(c, clues);
    if (!f) {
        fprintf(stderr, "padron catalog facility: no IMSS-Bienestar facility with CLUES %s\n",
                clues);
        goto cleanup;
    }
    coord_text(&f->pos, pos, sizeof pos);
    printf("clues: %s\nname: %s\nstatus: %s\nlevel: %s\ntypology: %s\n", f->clues, f->name,
           status_text(f->status), level_text(f->level), f->typology);
    print_place(c, f->state, f->municipality);
    printf("locality: %s (%04d)\nlocation: %s\nhours: %s\n",
           *f->locality_name ? f->locality_name : "-", f->locality, pos, f->hours ? f->hours : "-");
    rc = 0;
cleanup:
    catalog_free(c);
    return rc;
}

static int run_summary(const struct args *a)
{
    struct catalog *c = NULL;
    int y, m, d, rc = 1;
    size_t n_states, n_muns, n_fac, yes = 0, in_op = 0, by_level[4] = {0};
    if (judge_date(a, &y, &m, &d) < 0 || load(a, &c) < 0)
        goto cleanup;
    const struct catalog_state *s = catalog_states(c, &n_states);
    for (size_t i = 0; i < n_states; i++)
        yes += catalog_state_participating(&s[i], y, m, d);
    (void)catalog_municipalities(c, &n_muns);
    const struct catalog_facility *f = catalog_facilities(c, &n_fac);
    for (size_t i = 0; i < n_fac; i++) {
        if (f[i].status != CATALOG_IN_OPERATION)
            continue;
        in_op++;
        by_level[f[i].level]++;
    }
    printf("states: %zu\n", n_states);
    printf("participating states on %04d-%02d-%02d: %zu\n", y, m, d, yes);
    printf("municipalities: %zu\n", n_muns);
    printf("facilities: %zu\n", n_fac);
    printf("facilities in operation: %zu\n", in_op);
    printf("  first level: %zu\n  second level: %zu\n  third level: %zu\n"
           "  not applicable: %zu\n",
           by_level[CATALOG_LEVEL_1], by_level[CATALOG_LEVEL_2], by_level[CATALOG_LEVEL_3],
           by_level[CATALOG_LEVEL_NA]);
    rc = 0;
cleanup:
    catalog_free(c);
    return rc;
}

static const struct sub subs[] = {
    {"states", run_states, 0, false, true,
     "usage: padron catalog states [--on YYYY-MM-DD] [--catalogs DIR]\n"
     "Lists the 32 states: INEGI code, RENAPO code (as in the CURP), whether the state\n"
     "takes part in IMSS-Bienestar on the date (default today) and since when, name.\n"},
    {"municipalities", run_municipalities, 1, false, false,
     "usage: padron catalog municipalities STATE [--catalogs DIR]\n"
     "Lists the municipalities of STATE (INEGI code such as 09, or RENAPO code such as DF)\n"
     "with county-seat and centroid coordinates ('-' when unknown).\n"},
    {"postal-code", run_postal_code, 1, true, false,
     "usage: padron catalog postal-code CP [--data DIR] [--catalogs DIR]\n"
     "Shows the state, municipality and settlements of a 5-digit postal code. Needs the\n"
     "SEPOMEX catalog imported first: padron import postal-codes FILE --data DIR.\n"},
    {"facility", run_facility, 1, false, false,
     "usage: padron catalog facility CLUES [--catalogs DIR]\n"
     "Shows an IMSS-Bienestar facility: name, status, level of care, type, place.\n"},
    {"summary", run_summary, 0, false, true,
     "usage: padron catalog summary [--on YYYY-MM-DD] [--catalogs DIR]\n"
     "Counts states, participating states, municipalities, facilities in operation by level.\n"},
};
#define N_SUBS (sizeof subs / sizeof subs[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: padron catalog SUBCOMMAND [ARGS] [--catalogs DIR]\n\n"
               "Looks things up in the reference catalogs.\n\n");
    for (size_t i = 0; i < N_SUBS; i++)
        fprintf(f, "%s\n", subs[i].usage);
    fprintf(f, "--catalogs DIR  catalog files (default: $PADRON_CATALOGS, ./data, or the\n"
               "                data/ of the source tree the binary was built in)\n"
               "--data DIR      padron's state directory (default ./var)\n");
}

int cli_catalog(int argc, char **argv)
{
    struct args a;
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < N_SUBS; i++) {
        const struct sub *s = &subs[i];
        if (strcmp(argv[1], s->name) != 0)
            continue;
        int r = parse_args(s, argc, argv, &a);
        if (r != 0)
            return r;
        if (a.help) {
            fputs(s->usage, stdout);
            return 0;
        }
        if (a.n != s->n_args) {
            fputs(s->usage, stderr);
            return 2;
        }
        r = s->run(&a);
        /* stdout may be a closed pipe or a full disk: say so instead of exiting 0 */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "padron catalog %s: cannot write the output\n", s->name);
            return 1;
        }
        return r;
    }
    fprintf(stderr, "padron catalog: unknown subcommand '%s'; see padron catalog --help\n",
            argv[1]);
    return 2;
}
