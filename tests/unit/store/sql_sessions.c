/* Unit tests for src/store/sqlite_sessions.c against a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <string.h>

static void test_account_find(void **state)
{
    struct fixture *f = *state;
    char id[STORE_ID_LEN + 1], hash[128], err[256];
    active_account(f, "0123456789abcdef0123456789abcdef", "SABC560626MDFLRN01", "Ana@ejemplo.mx");
    assert_int_equal(store_account_find(f->store, "SABC560626MDFLRN01", id, hash, err, sizeof err),
                     1);
    assert_string_equal(id, "0123456789abcdef0123456789abcdef");
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_int_equal(store_account_find(f->store, "ana@EJEMPLO.MX", id, hash, err, sizeof err), 1);
    assert_int_equal(store_account_find(f->store, "nadie@ejemplo.mx", id, hash, err, sizeof err),
                     0);
    /* Two accounts sharing an email: the CURP must be used. */
    active_account(f, "1123456789abcdef0123456789abcdef", "PXNE660720HMCXTN06", "ana@ejemplo.mx");
    assert_int_equal(store_account_find(f->store, "ana@ejemplo.mx", id, hash, err, sizeof err), 2);
    /* A draft is no account. */
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    assert_int_equal(store_registration_create(f->store, "2123456789abcdef0123456789abcdef",
                                               "GODE561231MHGMZM07", h, 1, err, sizeof err),
                     0);
    assert_int_equal(store_account_find(f->store, "GODE561231MHGMZM07", id, hash, err, sizeof err),
                     0);
    /* The draft is found by its own token (the fixture's tokens are all zero but this one). */
    h[0] = 7;
    assert_int_equal(store_registration_create(f->store, "3123456789abcdef0123456789abcdef",
                                               "GODE561231MHGMZM07", h, 1, err, sizeof err),
                     0);
    assert_int_equal(store_registration_find_by_token(f->store, h, id, err, sizeof err), 1);
    assert_string_equal(id, "3123456789abcdef0123456789abcdef");
    h[0] = 8;
    assert_int_equal(store_registration_find_by_token(f->store, h, id, err, sizeof err), 0);
}

static void test_sessions(void **state)
{
    struct fixture *f = *state;
    char id[STORE_ID_LEN + 1], err[256];
    const char *acct = "0123456789abcdef0123456789abcdef";
    active_account(f, acct, "SABC560626MDFLRN01", "ana@ejemplo.mx");
    uint8_t t[STORE_TOKEN_HASH_LEN], other[STORE_TOKEN_HASH_LEN];
    memset(t, 7, sizeof t);
    memset(other, 8, sizeof other);
    assert_int_equal(store_session_create(f->store, t, acct, 100, 200, err, sizeof err), 0);
    assert_int_equal(store_session_find(f->store, t, 150, id, err, sizeof err), 1);
    assert_string_equal(id, acct);
    assert_int_equal(store_session_find(f->store, t, 200, id, err, sizeof err), 0); /* expired */
    assert_int_equal(store_session_find(f->store, other, 150, id, err, sizeof err), 0);
    assert_int_equal(store_session_delete(f->store, t, err, sizeof err), 1);
    assert_int_equal(store_session_delete(f->store, t, err, sizeof err), 0);
    assert_int_equal(store_session_find(f->store, t, 150, id, err, sizeof err), 0);
}

static void test_throttle(void **state)
{
    struct fixture *f = *state;
    char err[256];
    int64_t retry = 0;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(
            store_throttle_check(f->store, "k", 1000 + i, 900, 3, &retry, err, sizeof err), 1);
        assert_int_equal(store_throttle_fail(f->store, "k", 1000 + i, 900, err, sizeof err), 0);
    }
    assert_int_equal(store_throttle_check(f->store, "k", 1010, 900, 3, &retry, err, sizeof err), 0);
    assert_int_equal(retry, 890);
    assert_int_equal(store_throttle_check(f->store, "other", 1010, 900, 3, &retry, err, sizeof err),
                     1);
    /* The window runs out, and the next failure starts a new one. */
    assert_int_equal(store_throttle_check(f->store, "k", 1900, 900, 3, &retry, err, sizeof err), 1);
    assert_int_equal(store_throttle_fail(f->store, "k", 1900, 900, err, sizeof err), 0);
    assert_int_equal(store_throttle_check(f->store, "k", 1901, 900, 3, &retry, err, sizeof err), 1);
    assert_int_equal(store_throttle_clear(f->store, "k", err, sizeof err), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(store_throttle_fail(f->store, "k", 2000, 900, err, sizeof err), 0);
    assert_int_equal(store_throttle_check(f->store, "k", 2001, 900, 3, &retry, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_account_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite_sessions", tests, NULL, NULL);
}
