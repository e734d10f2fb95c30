/* Tests src/geo/geocode.c on the vendored catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vendored.h"

#include "geo/geocode.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int setup(void **state)
{
    (void)state;
    if (load_vendored() < 0)
        return -1;
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

static void test_locality(void **state)
{
    (void)state;
    struct geo_position p;
    /* Viguera, a locality of Oaxaca de Juárez: found by the settlement's name,
     * without case or accents */
    struct geo_address a = {.state = 20, .municipality = 67, .settlement = "VIGUERA"};
    assert_int_equal(geo_locate(cat, &a, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_LOCALITY);
    assert_true(fabs(p.lat - 17.12993) < 1e-9 && fabs(p.lon + 96.749318) < 1e-9);
    assert_string_equal(geo_located_name(p.by), "locality");
    /* by the city when the settlement names no locality */
    struct geo_address b = {
        .state = 20, .municipality = 67, .settlement = "Centro", .city = "Oaxaca de Juárez"};
    assert_int_equal(geo_locate(cat, &b, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_LOCALITY);
    assert_true(fabs(p.lat - 17.059993) < 1e-9);
    /* a name no locality has: the county seat */
    struct geo_address c = {.state = 20, .municipality = 67, .settlement = "Reforma"};
    assert_int_equal(geo_locate(cat, &c, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_SEAT);
    /* a name two localities share: the most populous */
    struct geo_address d = {
        .state = 15, .municipality = 99, .settlement = "Colonia Lázaro Cárdenas"};
    size_t n, best = 0;
    const struct catalog_locality *l = catalog_localities_of(cat, 15, 99, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i].name, "Colonia Lazaro Cardenas") == 0 &&
            (best == 0 || l[i].population > l[best - 1].population))
            best = i + 1;
    assert_true(best > 0);
    assert_int_equal(geo_locate(cat, &d, &p), 0);
    assert_int_equal(p.by, GEO_LOCATED_LOCALITY);
    assert_true(p.lat == l[best - 1].pos.lat && p.lon == l[best - 1].pos.lon);
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
        cmocka_unit_test(test_seat),        cmocka_unit_test(test_locality),
        cmocka_unit_test(test_centroid),    cmocka_unit_test(test_chosen_first),
        cmocka_unit_test(test_unplaceable),
    };
    return cmocka_run_group_tests_name("geo/geocode", tests, setup, teardown);
}
