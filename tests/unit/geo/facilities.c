/* Tests src/geo/facilities.c on the vendored catalog: what is indexed, and the
 * index against a scan of every unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vendored.h"

#include "geo/facilities.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static struct geo_facilities *fac;

static int setup(void **state)
{
    (void)state;
    if (load_vendored() < 0)
        return -1;
    fac = geo_facilities_new(cat);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    geo_facilities_free(fac);
    catalog_free(cat);
    return 0;
}

/* data/README.md: 9,460 / 612 / 68 operating units by level, all with coordinates. */
static void test_counts(void **state)
{
    (void)state;
    assert_int_equal(geo_facilities_count(fac, 1), 9460);
    assert_int_equal(geo_facilities_count(fac, 2), 612);
    assert_int_equal(geo_facilities_count(fac, 3), 68);
    assert_int_equal(geo_facilities_count(fac, 0), 9460 + 612 + 68);
    assert_int_equal(geo_facilities_count(fac, 4), 0);
}

static uint64_t rng = 0x2545f4914f6cdd1dull;

static double uniform(double lo, double hi)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return lo + (hi - lo) * ((double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0);
}

static void test_matches_scan(void **state)
{
    (void)state;
    struct geo_facility_hit a[10], b[10];
    for (int q = 0; q < 3000; q++) {
        int level = q % 4;
        double lat = uniform(GEO_MEXICO_LAT_MIN, GEO_MEXICO_LAT_MAX);
        double lon = uniform(GEO_MEXICO_LON_MIN, GEO_MEXICO_LON_MAX);
        size_t k = 1 + (size_t)(q % 10);
        size_t na = geo_facilities_nearest(fac, level, lat, lon, k, a);
        size_t nb = geo_facilities_brute(fac, level, lat, lon, k, b);
        assert_int_equal(na, k);
        assert_int_equal(na, nb);
        for (size_t i = 0; i < na; i++) {
            assert_ptr_equal(a[i].facility, b[i].facility);
            assert_true(a[i].km == b[i].km);
            assert_true(geo_facility_assignable(a[i].facility, level));
        }
    }
}

static void test_only_operating(void **state)
{
    (void)state;
    size_t n;
    const struct catalog_facility *all = catalog_facilities(cat, &n);
    struct geo_facility_hit h;
    size_t checked = 0;
    /* standing on a unit that is not in operation (or of level "no aplica"):
     * the answer is another unit */
    for (size_t i = 0; i < n && checked < 50; i++) {
        if (all[i].status == CATALOG_IN_OPERATION && all[i].level != CATALOG_LEVEL_NA)
            continue;
        assert_false(geo_facility_assignable(&all[i], 0));
        assert_int_equal(geo_facilities_nearest(fac, 0, all[i].pos.lat, all[i].pos.lon, 1, &h), 1);
        assert_ptr_not_equal(h.facility, &all[i]);
        assert_int_equal(h.facility->status, CATALOG_IN_OPERATION);
        checked++;
    }
    assert_int_equal(checked, 50);
    /* standing on an operating level-1 unit: that unit, at distance 0 (or a twin
     * at the same spot with a smaller CLUES) */
    const struct catalog_facility *z = catalog_facility(cat, "DFIMB002534");
    assert_int_equal(geo_facilities_nearest(fac, 1, z->pos.lat, z->pos.lon, 1, &h), 1);
    assert_true(h.km == 0.0);
    assert_string_equal(h.facility->clues, "DFIMB002534");
    assert_int_equal(geo_facilities_nearest(fac, 7, 19.0, -99.0, 1, &h), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_matches_scan),
        cmocka_unit_test(test_only_operating),
    };
    return cmocka_run_group_tests_name("geo/facilities", tests, setup, teardown);
}
