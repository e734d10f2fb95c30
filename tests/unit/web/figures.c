/* Tests the pure part of src/web/figures.c: small counts suppressed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/figures.h"

#include <string.h>

static void test_small_counts_are_suppressed(void **state)
{
    (void)state;
    for (long n = 1; n < FIGURES_SUPPRESS_BELOW; n++) {
        json_t *j = figures_count_json(n, true);
        assert_string_equal(json_string_value(j), "<5");
        json_decref(j);
        j = figures_count_json(n, false); /* a unit's own administrator: exact */
        assert_int_equal(json_integer_value(j), n);
        json_decref(j);
    }
    json_t *zero = figures_count_json(0, true), *five = figures_count_json(5, true);
    assert_true(json_is_integer(zero) && json_integer_value(zero) == 0);
    assert_true(json_is_integer(five) && json_integer_value(five) == 5);
    json_decref(zero);
    json_decref(five);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_counts_are_suppressed),
    };
    return cmocka_run_group_tests_name("web/figures", tests, NULL, NULL);
}
