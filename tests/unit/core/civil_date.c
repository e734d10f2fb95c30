/* Unit tests for src/core/civil_date.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/civil_date.h"

#include <string.h>

static int parse(const char *s, int *y, int *m, int *d)
{
    return civil_parse_date(s, strlen(s), y, m, d);
}

static void test_parse_date(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_int_equal(parse("2025-12-31", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20251231);
    assert_int_equal(parse("2024-02-29", &y, &m, &d), 0);
    assert_int_equal(parse("2025-02-29", &y, &m, &d), -1);
    assert_int_equal(parse("2000-02-29", &y, &m, &d), 0);
    assert_int_equal(parse("1900-02-29", &y, &m, &d), -1);
    assert_int_equal(parse("2025-1-31", &y, &m, &d), -1);
    assert_int_equal(parse("2025/12/31", &y, &m, &d), -1);
    assert_int_equal(parse("2025-12-3x", &y, &m, &d), -1);
    assert_int_equal(parse("2025-13-01", &y, &m, &d), -1);
    assert_int_equal(parse("0000-01-01", &y, &m, &d), -1);
    assert_int_equal(parse("2025-12-31 ", &y, &m, &d), -1);
    assert_int_equal(civil_parse_date("2025-12-31", 9, &y, &m, &d), -1);
    y = 7;
    assert_int_equal(parse("+025-12-31", &y, &m, &d), -1);
    assert_int_equal(y, 7); /* outputs untouched on failure */
}

static void test_calendar(void **state)
{
    (void)state;
    assert_true(civil_is_leap_year(2000));
    assert_false(civil_is_leap_year(1900));
    assert_true(civil_is_leap_year(2024));
    assert_false(civil_is_leap_year(2023));
    assert_int_equal(civil_days_in_month(2024, 2), 29);
    assert_int_equal(civil_days_in_month(2024, 4), 30);
    assert_int_equal(civil_days_in_month(2024, 0), 0);
    assert_false(civil_date_exists(0, 1, 1));
    assert_false(civil_date_exists(10000, 1, 1));
    assert_true(civil_date_key(2026, 11, 23) > civil_date_key(2026, 11, 22));
    assert_true(civil_date_key(2027, 1, 1) > civil_date_key(2026, 12, 31));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_calendar),
    };
    return cmocka_run_group_tests_name("core/civil_date", tests, NULL, NULL);
}
