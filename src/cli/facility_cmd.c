/* padron facility: questions about the care network's units (nearest by level). */
#include "cli/commands.h"
#include "cli/input.h"

#include "catalog/catalog.h"
#include "catalog/facility_import.h"
#include "geo/facilities.h"
#include "geo/nearest.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "usage: padron facility nearest --lat LAT --lon LON [--level 1|2|3] [-n K]\n"
    "                               [--data DIR] [--catalogs DIR]\n\n"
    "Lists the K (default 1, at most 100) operating IMSS-Bienestar units nearest to the\n"
    "point, nearest first: one TAB-separated line each with CLUES, name, level of care\n"
    "and great-circle distance in km. Without --level, units of any of the three levels.\n"
    "Only units EN OPERACION are answered; equal distances are ordered by CLUES.\n\n"
    "  --lat LAT, --lon LON  decimal degrees (WGS84), inside Mexico: latitude 14..33,\n"
    "                        longitude -119..-86 (west is negative)\n"
    "  --data DIR            padron's state directory: its imported facilities\n"
    "                        (padron import facilities) replace the vendored ones\n"
    "  --catalogs DIR        catalog files (default: $PADRON_CATALOGS, ./data, or the\n"
    "                        data/ of the source tree the binary was built in)\n";

struct nearest_args {
    const char *lat, *lon, *level, *k, *data, *catalogs;
};

static int parse(int argc, char **argv, struct nearest_args *a)
{
    memset(a, 0, sizeof *a);
    a->data = "var";
    for (int i = 1; i < argc; i++) {
        int r;
        if ((r = cli_option_value("--lat", argc, argv, &i, &a->lat)) == 0 &&
            (r = cli_option_value("--lon", argc, argv, &i, &a->lon)) == 0 &&
            (r = cli_option_value("--level", argc, argv, &i, &a->level)) == 0 &&
            (r = cli_option_value("-n", argc, argv, &i, &a->k)) == 0 &&
            (r = cli_option_value("--data", argc, argv, &i, &a->data)) == 0)
            r = cli_option_value("--catalogs", argc, argv, &i, &a->catalogs);
        if (r < 0)
            return cli_usage_error("facility nearest", "option %s needs a value", argv[i]);
        if (r == 0)
            return cli_usage_error("facility nearest", "unknown argument '%s'", argv[i]);
    }
    if (!a->lat || !a->lon)
        return cli_usage_error("facility nearest", "--lat and --lon are required");
    return 0;
}

/* A small whole number in [lo, hi], or -1. */
static int small_number(const char *s, int lo, int hi)
{
    int v = 0;
    if (!*s || strlen(s) > 3 || strspn(s, "0123456789") != strlen(s))
        return -1;
    for (; *s; s++)
        v = v * 10 + (*s - '0');
    return v >= lo && v <= hi ? v : -1;
}

/* A coordinate option's value in degrees, or -1 after saying what is wrong. */
static int degrees(const char *option, const char *text, const char *example, double *out)
{
    if (geo_parse_degrees(text, strlen(text), out) == 0)
        return 0;
    fprintf(stderr, "padron facility nearest: %s '%s' is not a number of degrees such as %s\n",
            option, text, example);
    return -1;
}

static int run_nearest(int argc, char **argv)
{
    struct nearest_args a;
    double lat, lon;
    int level = 0, k = 1, rc = 1;
    char dir[PATH_MAX], err[1024];
    struct catalog *c = NULL;
    struct geo_facilities *f = NULL;
    bool imported;
    int r = parse(argc, argv, &a);
    if (r != 0)
        return r;
    if (degrees("--lat", a.lat, "19.4326", &lat) < 0 ||
        degrees("--lon", a.lon, "-99.1332", &lon) < 0)
        return 1;
    if (!geo_in_mexico(lat, lon)) {
        fprintf(stderr,
                "padron facility nearest: %s, %s is outside Mexico (latitude %g..%g, longitude "
                "%g..%g; west is negative)%s\n",
                a.lat, a.lon, GEO_MEXICO_LAT_MIN, GEO_MEXICO_LAT_MAX, GEO_MEXICO_LON_MIN,
                GEO_MEXICO_LON_MAX,
                geo_in_mexico(lon, lat) ? "; latitude and longitude look swapped" : "");
        return 1;
    }
    if (a.level && (level = small_number(a.level, 1, 3)) < 0)
        return cli_usage_error("facility nearest", "--level must be 1, 2 or 3, not '%s'", a.level);
    if (a.k && (k = small_number(a.k, 1, GEO_MAX_K)) < 0)
        return cli_usage_error("facility nearest", "-n must be a number from 1 to %d, not '%s'",
                               GEO_MAX_K, a.k);
    if (catalog_find_dir(a.catalogs, dir, sizeof dir, err, sizeof err) < 0 ||
        facility_import_load(dir, a.data, &c, &imported, err, sizeof err) < 0) {
        fprintf(stderr, "padron facility nearest: %s\n", err);
        goto cleanup;
    }
    f = geo_facilities_new(c);
    struct geo_facility_hit hits[GEO_MAX_K];
    size_t n = geo_facilities_nearest(f, level, lat, lon, (size_t)k, hits);
    for (size_t i = 0; i < n; i++)
        printf("%s\t%s\t%d\t%.2f\n", hits[i].facility->clues, hits[i].facility->name,
               (int)hits[i].facility->level, hits[i].km);
    if (n == 0)
        fprintf(stderr, "padron facility nearest: no operating unit of that level\n");
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "padron facility nearest: cannot write the output\n");
        goto cleanup;
    }
    rc = n ? 0 : 1;
cleanup:
    geo_facilities_free(f);
    catalog_free(c);
    return rc;
}

static int cmd_nearest(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
    return run_nearest(argc, argv);
}

int cli_facility(int argc, char **argv)
{
    static const struct cli_subcommand table[] = {
        {"nearest", cmd_nearest},
        {NULL, NULL},
    };
    return cli_dispatch("facility", usage_text, table, argc, argv);
}
