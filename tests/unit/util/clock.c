/* Unit tests for src/util/clock.c: elapsed milliseconds on the monotonic clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/clock.h"

static void test_ms_since(void **state)
{
    (void)state;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_true(clock_ms_since(&start) < 50);
    const struct timespec pause = {0, 30 * 1000000};
    nanosleep(&pause, NULL);
    int ms = clock_ms_since(&start);
    assert_true(ms >= 30);
    assert_true(ms < 5000);
    /* Across a second boundary the nanoseconds borrow from the seconds. */
    struct timespec earlier = start;
    earlier.tv_sec -= 2;
    earlier.tv_nsec = 999999999;
    assert_true(clock_ms_since(&earlier) >= 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ms_since),
    };
    return cmocka_run_group_tests_name("util/clock", tests, NULL, NULL);
}
