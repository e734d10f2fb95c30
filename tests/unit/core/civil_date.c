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

static void test_days(void **state)
{
    (void)state;
    int y, m, d;
    assert_int_equal(civil_days_from_epoch(1970, 1, 1), 0);
    assert_int_equal(civil_days_from_epoch(1969, 12, 31), -1);
    assert_int_equal(civil_days_from_epoch(2000, 3, 1), 11017);
    assert_int_equal(civil_weekday(1970, 1, 1), 4);
    assert_int_equal(civil_weekday(1969, 12, 28), 0);
    assert_int_equal(civil_weekday(2026, 12, 3), 4); /* a Thursday */
    assert_int_equal(civil_weekday(2026, 12, 6), 0);
    assert_int_equal(civil_weekday(2024, 2, 29), 4);
    /* every day of four centuries goes there and back */
    for (long day = -200000; day < 200000; day += 7) {
        civil_date_from_days(day, &y, &m, &d);
        assert_true(civil_date_exists(y, m, d) || y < 1);
        assert_int_equal(civil_days_from_epoch(y, m, d), day);
    }
    civil_date_from_days(civil_days_from_epoch(2026, 12, 3) + 30, &y, &m, &d);
    assert_int_equal(civil_date_key(y, m, d), 20270102);
    civil_date_from_days(civil_days_from_epoch(2028, 2, 28) + 1, &y, &m, &d);
    assert_int_equal(civil_date_key(y, m, d), 20280229);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_days),
    };
    return cmocka_run_group_tests_name("core/civil_date", tests, NULL, NULL);
}
