/* Unit tests for src/store/sql_throttle.c against a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

static int count(struct fixture *f, const char *key, int64_t now, int64_t *retry)
{
    char err[256] = "";
    int rc = store_throttle_count(f->store, key, now, 900, 3, retry, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "%s\n", err);
    return rc;
}

static void test_count_allows_max_then_refuses(void **state)
{
    struct fixture *f = *state;
    int64_t retry = -1;
    for (int i = 0; i < 3; i++)
        assert_int_equal(count(f, "k", 1000 + i, &retry), 1);
    assert_int_equal(retry, -1); /* untouched while allowed */
    assert_int_equal(count(f, "k", 1010, &retry), 0);
    assert_int_equal(retry, 890);
    /* Refused attempts count too: still refused, the window unchanged. */
    assert_int_equal(count(f, "k", 1500, &retry), 0);
    assert_int_equal(retry, 400);
    /* Keys are separate. */
    assert_int_equal(count(f, "other", 1500, &retry), 1);
}

static void test_count_window_runs_out(void **state)
{
    struct fixture *f = *state;
    int64_t retry = 0;
    for (int i = 0; i < 4; i++)
        count(f, "k", 1000, &retry);
    assert_int_equal(count(f, "k", 1899, &retry), 0);
    /* 900 seconds after the window started, this attempt starts a new one. */
    assert_int_equal(count(f, "k", 1900, &retry), 1);
    assert_int_equal(count(f, "k", 1901, &retry), 1);
    assert_int_equal(count(f, "k", 1902, &retry), 1);
    assert_int_equal(count(f, "k", 1903, &retry), 0);
    assert_int_equal(retry, 897);
}

static void test_count_shares_the_table(void **state)
{
    struct fixture *f = *state;
    char err[256];
    int64_t retry = 0;
    /* What store_throttle_fail counted, store_throttle_count sees, and back. */
    assert_int_equal(store_throttle_fail(f->store, "k", 1000, 900, err, sizeof err), 0);
    assert_int_equal(store_throttle_fail(f->store, "k", 1000, 900, err, sizeof err), 0);
    assert_int_equal(count(f, "k", 1001, &retry), 1);
    assert_int_equal(store_throttle_check(f->store, "k", 1002, 900, 3, &retry, err, sizeof err), 0);
    assert_int_equal(store_throttle_clear(f->store, "k", err, sizeof err), 0);
    assert_int_equal(count(f, "k", 1003, &retry), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_count_allows_max_then_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_window_runs_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_shares_the_table, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/sql_throttle", tests, NULL, NULL);
}
