/*
 * geo: fuzzes the coordinate parsers that read outside input (the ?near= of
 * GET /api/v1/facilities, the lat/lon of the address step, padron facility
 * nearest) and the index queries they feed.
 *
 * Invariants checked (abort on violation):
 * - geo_parse_degrees accepts only [+-]D{1,3}[.D{1,15}] and gives a finite
 *   number under 1000 in magnitude, the same on a second parse;
 * - geo_parse_point accepts only points inside Mexico's box;
 * - a query at an accepted point answers min(k, n) hits, nearest first, identical
 *   to the brute-force scan.
 */
#include "geo/nearest.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct geo_point points[] = {
    {19.432690, -99.134190, "DFIMB002534", 0},  {19.432690, -99.134190, "DFIMB002533", 1},
    {17.060000, -96.720000, "OCIMB000001", 2},  {32.500000, -117.000000, "BCIMB000001", 3},
    {14.900000, -92.260000, "CSIMB000001", 4},  {21.160000, -86.850000, "QRIMB000001", 5},
    {20.676700, -103.347500, "JCIMB000001", 6},
};
#define N_POINTS (sizeof points / sizeof points[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct geo_index *idx;
    if (size > MAX_INPUT)
        return 0;
    if (!idx)
        idx = geo_index_new(points, N_POINTS);
    const char *s = (const char *)data;
    double v, again, lat, lon;
    if (geo_parse_degrees(s, size, &v) == 0) {
        if (!isfinite(v) || fabs(v) >= 1000.0 || size == 0 || size > 24)
            abort();
        if (geo_parse_degrees(s, size, &again) != 0 || again != v)
            abort();
        for (size_t i = 0; i < size; i++)
            if (!strchr("+-.0123456789", s[i]))
                abort();
    }
    if (geo_parse_point(s, size, &lat, &lon) == 0) {
        if (!geo_in_mexico(lat, lon))
            abort();
        struct geo_hit a[N_POINTS], b[N_POINTS];
        size_t k = 1 + size % N_POINTS;
        size_t na = geo_index_nearest(idx, lat, lon, k, a);
        size_t nb = geo_brute_nearest(points, N_POINTS, lat, lon, k, b);
        if (na != k || nb != k)
            abort();
        for (size_t i = 0; i < na; i++)
            if (a[i].ref != b[i].ref || a[i].km != b[i].km || (i && a[i].km < a[i - 1].km))
                abort();
    }
    return 0;
}
