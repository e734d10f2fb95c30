/* Tests src/geo/geocode.c on the vendored catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "geo/geocode.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>

static struct catalog *cat;

static int setup(void **state)
{
    char dir[PATH_MAX], err[1024];
    (void)state;
    if (catalog_find_dir(NULL, dir, sizeof dir, err, sizeof err) < 0 ||
        catalog_load(dir, &cat, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    catalog_free(cat);
    return 0;
}

static void test_seat(void **state)
{
    (void)state;
    struct geo_position p;
    /* Oaxaca de Juárez: its county seat */
    struct geo_address a = {.state = 20, .municipality = 67};
    assert_int_equal(geo_locate(cat, &a, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_SEAT);
    assert_true(fabs(p.lat - 17.059993) < 1e-9 && fabs(p.lon + 96.725450) < 1e-9);
    assert_string_equal(p.place, "Oaxaca de Juárez");
    assert_string_equal(geo_located_name(p.by), "seat");
}

static void test_centroid(void **state)
{
    (void)state;
    struct geo_position p;
    /* Álvaro Obregón (CDMX): no county seat in the locality catalog, a centroid */
    struct geo_address a = {.state = 9, .municipality = 10};
    assert_int_equal(geo_locate(cat, &a, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_CENTROID);
    assert_true(fabs(p.lat - 19.332451) < 1e-9 && fabs(p.lon + 99.244886) < 1e-9);
    assert_string_equal(geo_located_name(p.by), "centroid");
}

static void test_chosen_first(void **state)
{
    (void)state;
    struct geo_position p;
    struct geo_address a = {
        .state = 20, .municipality = 67, .chosen = true, .lat = 17.1, .lon = -96.8};
    assert_int_equal(geo_locate(cat, &a, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_CHOSEN);
    assert_true(p.lat == 17.1 && p.lon == -96.8);
    /* a chosen position outside Mexico is not used: the seat is */
    a.lat = 40.7;
    a.lon = -74.0;
    assert_int_equal(geo_locate(cat, &a, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_SEAT);
    /* chosen, with no address yet */
    struct geo_address only = {.chosen = true, .lat = 19.0, .lon = -99.0};
    assert_int_equal(geo_locate(cat, &only, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_CHOSEN);
    assert_null(p.place);
}

static void test_unplaceable(void **state)
{
    (void)state;
    struct geo_position p;
    struct geo_address unknown = {.state = 9, .municipality = 999};
    assert_int_equal(geo_locate(cat, &unknown, &p), -1);
    assert_int_equal(p.by, GEO_LOCATED_NONE);
    assert_string_equal(geo_located_name(p.by), "");
    /* data/README.md: 10 municipalities have neither coordinate */
    size_t n, none = 0;
    const struct catalog_municipality *m = catalog_municipalities(cat, &n);
    for (size_t i = 0; i < n; i++) {
        struct geo_address a = {.state = m[i].state, .municipality = m[i].code};
        none += geo_locate(cat, &a, &p) != 0;
    }
    assert_int_equal(none, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seat),
        cmocka_unit_test(test_centroid),
        cmocka_unit_test(test_chosen_first),
        cmocka_unit_test(test_unplaceable),
    };
    return cmocka_run_group_tests_name("geo/geocode", tests, setup, teardown);
}
