/*
 * nearest-rate: home-clinic assignments per second (the nearest operating level-1
 * unit to a point, geo/facilities.h) for COUNT random points in Mexico's box, next
 * to a brute-force scan of every unit over a sample of the same points; the
 * answers must be identical (same CLUES, same distance), or it exits 1.
 *
 *   nearest-rate CATALOG_DIR COUNT SEED RUNS BRUTE_EVERY
 *
 * BRUTE_EVERY: the scan answers every BRUTE_EVERY-th point (1: all of them).
 * Prints key=value lines: the median rate of RUNS rounds for each.
 */
#include "catalog/catalog.h"
#include "geo/facilities.h"
#include "util/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct place {
    double lat, lon;
};

static uint64_t rng;

static double uniform(double lo, double hi)
{
    rng ^= rng >> 12; /* xorshift64* */
    rng ^= rng << 25;
    rng ^= rng >> 27;
    uint64_t r = rng * 2685821657736338717ull;
    return lo + (hi - lo) * ((double)(r >> 11) / 9007199254740992.0);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    char err[1024];
    struct catalog *c;
    if (argc != 6) {
        fprintf(stderr, "usage: nearest-rate CATALOG_DIR COUNT SEED RUNS BRUTE_EVERY\n");
        return 2;
    }
    size_t count = strtoul(argv[2], NULL, 10), every = strtoul(argv[5], NULL, 10);
    int runs = atoi(argv[4]);
    rng = strtoull(argv[3], NULL, 10) | 1;
    if (count == 0 || runs < 1 || runs > 99 || every == 0) {
        fprintf(stderr, "nearest-rate: bad arguments\n");
        return 2;
    }
    if (catalog_load(argv[1], &c, err, sizeof err) < 0) {
        fprintf(stderr, "nearest-rate: %s\n", err);
        return 1;
    }
    double t0 = now();
    struct geo_facilities *f = geo_facilities_new(c);
    double build_ms = (now() - t0) * 1e3;

    struct place *pts = xmallocarray(count, sizeof *pts);
    for (size_t i = 0; i < count; i++)
        pts[i] = (struct place){uniform(GEO_MEXICO_LAT_MIN, GEO_MEXICO_LAT_MAX),
                                uniform(GEO_MEXICO_LON_MIN, GEO_MEXICO_LON_MAX)};
    const struct catalog_facility **answer = xmallocarray(count, sizeof *answer);
    double *km = xmallocarray(count, sizeof *km);
    double index_rate[99], brute_rate[99];
    size_t sample = (count + every - 1) / every, mismatches = 0;

    for (int r = 0; r < runs; r++) {
        t0 = now();
        for (size_t i = 0; i < count; i++) {
            struct geo_facility_hit h;
            if (geo_facilities_nearest(f, 1, pts[i].lat, pts[i].lon, 1, &h) != 1)
                abort();
            answer[i] = h.facility;
            km[i] = h.km;
        }
        index_rate[r] = (double)count / (now() - t0);

        t0 = now();
        for (size_t i = 0; i < count; i += every) {
            struct geo_facility_hit h;
            if (geo_facilities_brute(f, 1, pts[i].lat, pts[i].lon, 1, &h) != 1)
                abort();
            if (h.facility != answer[i] || h.km != km[i]) {
                if (mismatches++ < 5)
                    fprintf(stderr, "mismatch at %.6f,%.6f: index %s %.6f km, scan %s %.6f km\n",
                            pts[i].lat, pts[i].lon, answer[i]->clues, km[i], h.facility->clues,
                            h.km);
            }
        }
        brute_rate[r] = (double)sample / (now() - t0);
    }
    double ir = median(index_rate, runs), br = median(brute_rate, runs);
    printf("units=%zu\n", geo_facilities_count(f, 1));
    printf("build_ms=%.2f\n", build_ms);
    printf("points=%zu\n", count);
    printf("checked=%zu\n", sample * (size_t)runs);
    printf("mismatches=%zu\n", mismatches);
    printf("index_per_s=%.0f\n", ir);
    printf("brute_per_s=%.0f\n", br);
    printf("speedup=%.0f\n", ir / br);
    geo_facilities_free(f);
    catalog_free(c);
    free(pts);
    free(answer);
    free(km);
    return mismatches ? 1 : 0;
}
