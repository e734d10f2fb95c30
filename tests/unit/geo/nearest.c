/* Tests src/geo/nearest.c: distances, parsing, and the index against a scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "geo/nearest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: a fixed sequence, the same on every run */
static uint64_t rng_state;

static double uniform(double lo, double hi)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    uint64_t r = rng_state * 2685821657736338717ull;
    return lo + (hi - lo) * ((double)(r >> 11) / 9007199254740992.0);
}

static void test_distance(void **state)
{
    (void)state;
    /* Zócalo (CDMX) to Catedral de Guadalajara: about 461 km */
    double d = geo_distance_km(19.4326, -99.1332, 20.6767, -103.3475);
    assert_true(d > 455 && d < 467);
    assert_true(geo_distance_km(19.0, -99.0, 19.0, -99.0) == 0.0);
    /* one degree of latitude is about 111.2 km */
    d = geo_distance_km(20.0, -100.0, 21.0, -100.0);
    assert_true(fabs(d - 111.195) < 0.01);
    /* symmetric */
    assert_true(geo_distance_km(14.5, -92.0, 32.5, -117.0) ==
                geo_distance_km(32.5, -117.0, 14.5, -92.0));
}

static void test_in_mexico(void **state)
{
    (void)state;
    assert_true(geo_in_mexico(19.43, -99.13));
    assert_true(geo_in_mexico(14.0, -119.0));
    assert_true(geo_in_mexico(33.0, -86.0));
    assert_false(geo_in_mexico(-99.13, 19.43)); /* swapped */
    assert_false(geo_in_mexico(19.43, 99.13));  /* sign lost */
    assert_false(geo_in_mexico(40.7, -74.0));   /* New York */
    assert_false(geo_in_mexico(NAN, -99.0));
    assert_false(geo_in_mexico(19.0, INFINITY));
}

static void test_parse_degrees(void **state)
{
    (void)state;
    double v;
    assert_int_equal(geo_parse_degrees("19.4326", 7, &v), 0);
    assert_true(fabs(v - 19.4326) < 1e-12);
    assert_int_equal(geo_parse_degrees("-99.1332", 8, &v), 0);
    assert_true(fabs(v + 99.1332) < 1e-12);
    assert_int_equal(geo_parse_degrees("+20", 3, &v), 0);
    assert_true(v == 20.0);
    assert_int_equal(geo_parse_degrees("0.000000000000001", 17, &v), 0);
    const char *bad[] = {"",
                         "-",
                         "+",
                         ".",
                         "1.",
                         ".5",
                         "1e3",
                         "19,43",
                         " 19",
                         "19 ",
                         "1234",
                         "nan",
                         "inf",
                         "--1",
                         "1.2.3",
                         "0x10",
                         "1.0000000000000001"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(geo_parse_degrees(bad[i], strlen(bad[i]), &v), -1);
    assert_int_equal(geo_parse_degrees("19.4\0"
                                       "3",
                                       6, &v),
                     -1); /* embedded NUL */
}

static void test_parse_point(void **state)
{
    (void)state;
    double lat, lon;
    assert_int_equal(geo_parse_point("19.4326,-99.1332", 16, &lat, &lon), 0);
    assert_true(fabs(lat - 19.4326) < 1e-12 && fabs(lon + 99.1332) < 1e-12);
    const char *bad[] = {"19.4326",           "19.4326,",     ",-99.1",
                         "19.4326, -99.1332", "19.4;-99.1",   "-99.1,19.4",
                         "40.7,-74.0",        "19.4,-99.1,1", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(geo_parse_point(bad[i], strlen(bad[i]), &lat, &lon), -1);
}

static void assert_same(const struct geo_hit *a, size_t na, const struct geo_hit *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].key, b[i].key);
        assert_int_equal(a[i].ref, b[i].ref);
        assert_true(a[i].km == b[i].km);
        if (i > 0)
            assert_true(a[i - 1].km < a[i].km ||
                        (a[i - 1].km == a[i].km && strcmp(a[i - 1].key, a[i].key) < 0));
    }
}

#define N_POINTS 3000

/* Random points in Mexico's box, a third of them stacked on shared positions
 * (ties broken only by key), queried at random places and at the points. */
static void test_index_matches_scan(void **state)
{
    (void)state;
    static struct geo_point pts[N_POINTS];
    static char keys[N_POINTS][16];
    rng_state = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < N_POINTS; i++) {
        /* keys in an order unrelated to the positions */
        snprintf(keys[i], sizeof keys[i], "XXIMB%06zu", (i * 7919) % 999983);
        if (i % 3 == 2) { /* same position as an earlier point */
            pts[i] = pts[(size_t)uniform(0, (double)i)];
        } else {
            pts[i].lat = uniform(GEO_MEXICO_LAT_MIN, GEO_MEXICO_LAT_MAX);
            pts[i].lon = uniform(GEO_MEXICO_LON_MIN, GEO_MEXICO_LON_MAX);
        }
        pts[i].key = keys[i];
        pts[i].ref = i;
    }
    struct geo_index *idx = geo_index_new(pts, N_POINTS);
    assert_int_equal(geo_index_size(idx), N_POINTS);
    struct geo_hit a[GEO_MAX_K], b[GEO_MAX_K];
    static const size_t ks[] = {1, 2, 5, 17, GEO_MAX_K};
    for (int q = 0; q < 4000; q++) {
        double lat, lon;
        if (q % 4 == 0) { /* exactly on a point: distance 0, ties with its twins */
            const struct geo_point *p = &pts[(size_t)uniform(0, N_POINTS)];
            lat = p->lat;
            lon = p->lon;
        } else {
            lat = uniform(GEO_MEXICO_LAT_MIN, GEO_MEXICO_LAT_MAX);
            lon = uniform(GEO_MEXICO_LON_MIN, GEO_MEXICO_LON_MAX);
        }
        size_t k = ks[q % 5];
        size_t na = geo_index_nearest(idx, lat, lon, k, a);
        size_t nb = geo_brute_nearest(pts, N_POINTS, lat, lon, k, b);
        assert_int_equal(na, k);
        assert_same(a, na, b, nb);
    }
    /* more than GEO_MAX_K is capped */
    assert_int_equal(geo_index_nearest(idx, 19, -99, 1000, a), GEO_MAX_K);
    geo_index_free(idx);
}

/* Ties: four points at one place; the answer is by key, whatever the input order. */
static void test_ties_by_key(void **state)
{
    (void)state;
    struct geo_point pts[] = {
        {19.0, -99.0, "DFIMB000040", 0}, {19.0, -99.0, "DFIMB000010", 1},
        {19.5, -99.0, "AAIMB000001", 2}, {19.0, -99.0, "DFIMB000030", 3},
        {19.0, -99.0, "DFIMB000020", 4},
    };
    struct geo_index *idx = geo_index_new(pts, 5);
    struct geo_hit h[5];
    assert_int_equal(geo_index_nearest(idx, 19.0, -99.0, 5, h), 5);
    assert_string_equal(h[0].key, "DFIMB000010");
    assert_string_equal(h[1].key, "DFIMB000020");
    assert_string_equal(h[2].key, "DFIMB000030");
    assert_string_equal(h[3].key, "DFIMB000040");
    assert_string_equal(h[4].key, "AAIMB000001");
    assert_true(h[0].km == 0.0);
    assert_true(fabs(h[4].km - 55.6) < 0.1);
    /* a query equidistant from two points: the smaller key first */
    struct geo_point two[] = {{20.0, -100.0, "BBIMB000001", 0}, {20.0, -98.0, "AAIMB000001", 1}};
    struct geo_index *i2 = geo_index_new(two, 2);
    assert_int_equal(geo_index_nearest(i2, 20.0, -99.0, 1, h), 1);
    assert_string_equal(h[0].key, "AAIMB000001");
    geo_index_free(i2);
    geo_index_free(idx);
}

static void test_small_and_empty(void **state)
{
    (void)state;
    struct geo_hit h[3];
    struct geo_index *idx = geo_index_new(NULL, 0);
    assert_int_equal(geo_index_nearest(idx, 19, -99, 3, h), 0);
    geo_index_free(idx);
    geo_index_free(NULL);
    struct geo_point one = {21.0, -101.0, "ASIMB000001", 7};
    idx = geo_index_new(&one, 1);
    assert_int_equal(geo_index_nearest(idx, 19, -99, 3, h), 1);
    assert_int_equal(h[0].ref, 7);
    assert_int_equal(geo_index_nearest(idx, 19, -99, 0, h), 0);
    geo_index_free(idx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),           cmocka_unit_test(test_in_mexico),
        cmocka_unit_test(test_parse_degrees),      cmocka_unit_test(test_parse_point),
        cmocka_unit_test(test_index_matches_scan), cmocka_unit_test(test_ties_by_key),
        cmocka_unit_test(test_small_and_empty),
    };
    return cmocka_run_group_tests_name("geo/nearest", tests, NULL, NULL);
}
