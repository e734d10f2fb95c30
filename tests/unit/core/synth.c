/* Unit tests for src/core/synth.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/synth.h"

#include <string.h>

/* Small tables with a name that needs every derivation rule the data has: an
 * Ñ, a compound given name with MARIA, a particle. */
static const char *const men[] = {"JOSE LUIS", "JUAN", "ÑANDO"};
static const uint64_t men_w[] = {5, 8, 9};
static const char *const women[] = {"MARIA GUADALUPE", "LETICIA", "MA. DE LOURDES"};
static const uint64_t women_w[] = {4, 7, 8};
static const char *const surnames[] = {"HERNANDEZ", "DE LA CRUZ", "MUÑOZ", "O'BRIEN", "IBAÑEZ"};
static const uint64_t first_w[] = {10, 12, 15, 16, 20};
static const uint64_t second_w[] = {3, 6, 9, 12, 15};

static const struct synth_tables tables = {
    {men, men_w, 3}, {women, women_w, 3}, {surnames, first_w, 5}, {surnames, second_w, 5}};

static void test_same_seed_same_people(void **state)
{
    (void)state;
    struct synth_rng a, b, c;
    synth_rng_seed(&a, 42, 1);
    synth_rng_seed(&b, 42, 1);
    synth_rng_seed(&c, 43, 1);
    int differ = 0;
    for (int i = 0; i < 200; i++) {
        struct synth_person p, q, r;
        assert_int_equal(synth_person_draw(&tables, "OC", 2025, &a, &p), 0);
        assert_int_equal(synth_person_draw(&tables, "OC", 2025, &b, &q), 0);
        assert_int_equal(synth_person_draw(&tables, "OC", 2025, &c, &r), 0);
        assert_memory_equal(&p, &q, sizeof p);
        differ += strcmp(p.curp, r.curp) != 0;
    }
    assert_true(differ > 150); /* another seed, other people */
}

static void test_curps_are_valid(void **state)
{
    (void)state;
    struct synth_rng r;
    synth_rng_seed(&r, 7, 1);
    long today = 20250630;
    for (int i = 0; i < 2000; i++) {
        struct synth_person p;
        struct curp_result res;
        assert_int_equal(synth_person_draw(&tables, i % 2 ? "DF" : "NE", 2025, &r, &p), 0);
        assert_int_equal(curp_validate(p.curp, strlen(p.curp), today, &res), CURP_VALID);
        assert_int_equal(res.year, p.year);
        assert_int_equal(res.sex, p.sex);
        assert_true(p.year >= 1935 && p.year <= 2024);
        assert_int_equal(p.curp[16], p.year < 2000 ? '0' : 'A');
        /* Homonyms: the next differentiators are valid too, then the range ends. */
        int steps = 0;
        while (synth_next_differentiator(&p) == 0) {
            assert_int_equal(curp_validate(p.curp, 18, today, &res), CURP_VALID);
            steps++;
        }
        assert_int_equal(steps, p.year < 2000 ? 4 : 12);
    }
}

static void test_pick_follows_weights(void **state)
{
    (void)state;
    struct synth_rng r;
    synth_rng_seed(&r, 1, 9);
    int counts[3] = {0};
    for (int i = 0; i < 9000; i++)
        counts[synth_pick(&tables.men, &r)]++;
    /* Weights 5, 3, 1 of 9. */
    assert_in_range(counts[0], 4700, 5300);
    assert_in_range(counts[1], 2700, 3300);
    assert_in_range(counts[2], 800, 1200);
}

static void test_roll_only_curps(void **state)
{
    (void)state;
    struct synth_rng r;
    synth_rng_seed(&r, 3, 3);
    assert_true(synth_roll_only_capacity() > 10000000);
    char seen[64][19];
    for (uint64_t i = 0; i < 64; i++) {
        struct curp_result res;
        uint64_t index = i * (synth_roll_only_capacity() / 64);
        assert_int_equal(synth_roll_only_curp(&tables, index, &r, seen[i]), 0);
        assert_int_equal(curp_validate(seen[i], 18, 20250630, &res), CURP_VALID);
        char d = seen[i][16];
        assert_true((d >= '5' && d <= '9') || (d >= 'N' && d <= 'Z')); /* never an enrolled one */
        for (uint64_t k = 0; k < i; k++)
            assert_string_not_equal(seen[i], seen[k]);
    }
    char curp[19];
    assert_int_equal(synth_roll_only_curp(&tables, synth_roll_only_capacity(), &r, curp), -1);
}

static void test_empty_tables_refused(void **state)
{
    (void)state;
    struct synth_tables empty = tables;
    empty.women.n = 0;
    empty.men.n = 0;
    struct synth_rng r;
    synth_rng_seed(&r, 1, 1);
    struct synth_person p;
    assert_int_equal(synth_person_draw(&empty, "DF", 2025, &r, &p), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_people), cmocka_unit_test(test_curps_are_valid),
        cmocka_unit_test(test_pick_follows_weights), cmocka_unit_test(test_roll_only_curps),
        cmocka_unit_test(test_empty_tables_refused)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
