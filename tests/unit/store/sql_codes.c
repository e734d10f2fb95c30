/* Unit tests for src/store/sqlite_codes.c (password-reset codes) and the moves of
 * active enrollments in src/store/sqlite_registrations.c, on a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <string.h>

static const struct store_code_policy policy = {
    .ttl = 600, .max_attempts = 3, .min_interval = 60, .window = 3600, .max_per_window = 5};
static const char *const acct = "0123456789abcdef0123456789abcdef";
#define NEW_HASH "$argon2id$v=19$m=19456,t=2,p=1$new"

static void test_reset_code(void **state)
{
    struct fixture *f = *state;
    char err[256], id[STORE_ID_LEN + 1], hash[128];
    int64_t retry = 0;
    int left = -1;
    uint8_t code[STORE_TOKEN_HASH_LEN], wrong[STORE_TOKEN_HASH_LEN], t[STORE_TOKEN_HASH_LEN];
    memset(code, 1, sizeof code);
    memset(wrong, 2, sizeof wrong);
    memset(t, 3, sizeof t);

    /* A draft gets no reset code. */
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    assert_int_equal(store_registration_create(f->store, "1123456789abcdef0123456789abcdef",
                                               "GODE561231MHGMZM07", h, 1, err, sizeof err),
                     0);
    assert_int_equal(store_reset_code_issue(f->store, "1123456789abcdef0123456789abcdef", code,
                                            "To: x\r\n\r\nx", &policy, 100, &retry, err,
                                            sizeof err),
                     -2);

    active_account(f, acct, "SABC560626MDFLRN01", "ana@ejemplo.mx");
    assert_int_equal(store_session_create(f->store, t, acct, 100, 9999, err, sizeof err), 0);
    assert_int_equal(store_reset_code_issue(f->store, acct, code, "To: ana\r\n\r\n123456", &policy,
                                            100, &retry, err, sizeof err),
                     1);
    assert_int_equal(store_outbox_pending(f->store), 1);
    /* A second send within a minute is throttled and queues nothing. */
    assert_int_equal(store_reset_code_issue(f->store, acct, code, "To: ana\r\n\r\n123456", &policy,
                                            130, &retry, err, sizeof err),
                     0);
    assert_int_equal(retry, 30);
    assert_int_equal(store_outbox_pending(f->store), 1);

    /* A wrong guess costs an attempt and changes nothing. */
    assert_int_equal(store_reset_code_check(f->store, acct, wrong, NEW_HASH, &policy, 110, &left,
                                            err, sizeof err),
                     STORE_CODE_WRONG);
    assert_int_equal(left, 2);
    assert_int_equal(store_account_find(f->store, "ana@ejemplo.mx", id, hash, err, sizeof err), 1);
    assert_null(strstr(hash, "$new"));
    /* The email-verification code of the same registration is another thing. */
    assert_int_equal(
        store_email_code_check(f->store, acct, code, &policy, 110, &left, err, sizeof err),
        STORE_CODE_NONE);

    /* The right one sets the password and ends every session, once. */
    assert_int_equal(store_reset_code_check(f->store, acct, code, NEW_HASH, &policy, 120, &left,
                                            err, sizeof err),
                     STORE_CODE_OK);
    assert_int_equal(store_account_find(f->store, "ana@ejemplo.mx", id, hash, err, sizeof err), 1);
    assert_string_equal(hash, NEW_HASH);
    assert_int_equal(store_session_find(f->store, t, 130, id, err, sizeof err), 0);
    assert_int_equal(store_reset_code_check(f->store, acct, code, NEW_HASH, &policy, 125, &left,
                                            err, sizeof err),
                     STORE_CODE_NONE);
    /* Spending the code does not reset the send throttle. */
    assert_int_equal(store_reset_code_issue(f->store, acct, code, "To: ana\r\n\r\n123456", &policy,
                                            140, &retry, err, sizeof err),
                     0);
}

static void test_reset_code_limits(void **state)
{
    struct fixture *f = *state;
    char err[256];
    int64_t retry = 0;
    int left = -1;
    uint8_t code[STORE_TOKEN_HASH_LEN], wrong[STORE_TOKEN_HASH_LEN];
    memset(code, 1, sizeof code);
    memset(wrong, 2, sizeof wrong);
    active_account(f, acct, "SABC560626MDFLRN01", "ana@ejemplo.mx");
    assert_int_equal(
        store_reset_code_issue(f->store, acct, code, "m", &policy, 100, &retry, err, sizeof err),
        1);
    assert_int_equal(store_reset_code_check(f->store, acct, code, NEW_HASH, &policy, 701, &left,
                                            err, sizeof err),
                     STORE_CODE_EXPIRED);
    assert_int_equal(
        store_reset_code_issue(f->store, acct, code, "m", &policy, 800, &retry, err, sizeof err),
        1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(store_reset_code_check(f->store, acct, wrong, NEW_HASH, &policy, 810,
                                                &left, err, sizeof err),
                         STORE_CODE_WRONG);
    /* Out of attempts: even the right code is refused. */
    assert_int_equal(store_reset_code_check(f->store, acct, code, NEW_HASH, &policy, 811, &left,
                                            err, sizeof err),
                     STORE_CODE_EXHAUSTED);
}

static void test_move(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_address a = {.postal_code = "70400",
                              .state = 20,
                              .municipality = 551,
                              .settlement = "Centro",
                              .street = "Juárez",
                              .number = "3"};
    const char *draft = "1123456789abcdef0123456789abcdef";
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    assert_int_equal(
        store_registration_create(f->store, draft, "GODE561231MHGMZM07", h, 1, err, sizeof err), 0);
    /* A draft records an address; it does not move. */
    assert_int_equal(store_registration_move(f->store, draft, &a, 50, err, sizeof err), 0);
    assert_int_equal(store_registration_add_address(f->store, draft, &a, 50, err, sizeof err), 1);

    active_account(f, acct, "SABC560626MDFLRN01", "ana@ejemplo.mx");
    /* An active enrollment moves; add_address (the wizard's) is refused. */
    assert_int_equal(store_registration_add_address(f->store, acct, &a, 60, err, sizeof err), 0);
    assert_int_equal(store_registration_move(f->store, acct, &a, 100, err, sizeof err), 1);
    struct store_address b = a;
    snprintf(b.street, sizeof b.street, "%s", "Morelos");
    assert_int_equal(store_registration_move(f->store, acct, &b, 200, err, sizeof err), 1);
    struct store_registration r;
    assert_int_equal(store_registration_get(f->store, acct, &r, err, sizeof err), 1);
    assert_string_equal(r.address.street, "Morelos");
    assert_int_equal(r.address.recorded_at, 200);
    assert_int_equal(r.status, STORE_REG_ACTIVE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_code_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite_codes", tests, NULL, NULL);
}
