/* Unit tests for src/crypto/passhash.c. Most tests use libsodium's minimum cost
 * (t = 1, m = 8 KiB) to stay fast; the production cost is exercised once, where
 * the test is about it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "crypto/passhash.h"

#include <stdio.h>
#include <string.h>

static const struct passhash_params fast = {1, 8192};

static void test_production_cost(void **state)
{
    (void)state;
    char h[PASSHASH_STRBYTES];
    const char *pw = "Correcaminos&Coyote9";
    assert_int_equal(passhash_init(), 0);
    assert_int_equal(passhash_init(), 0); /* idempotent */
    assert_int_equal(passhash_hash(pw, strlen(pw), h), PASSHASH_OK);

    /* argon2id, version 0x13, the chosen m (KiB) and t, one lane. */
    char prefix[64];
    snprintf(prefix, sizeof prefix, "$argon2id$v=19$m=%u,t=%u,p=1$", PASSHASH_MEMLIMIT / 1024,
             PASSHASH_OPSLIMIT);
    assert_string_equal(prefix, "$argon2id$v=19$m=19456,t=2,p=1$");
    assert_memory_equal(h, prefix, strlen(prefix));

    struct passhash_params p;
    unsigned lanes = 0;
    assert_int_equal(passhash_read_params(h, &p, &lanes), 0);
    assert_int_equal(p.opslimit, 2);
    assert_int_equal(p.memlimit, 19 * 1024 * 1024);
    assert_int_equal(lanes, 1);

    assert_int_equal(passhash_verify(h, pw, strlen(pw)), PASSHASH_OK);
    assert_int_equal(passhash_verify(h, "Correcaminos&Coyote8", strlen(pw)), PASSHASH_MISMATCH);
    assert_int_equal(passhash_needs_rehash(h), 0);

    p = (struct passhash_params)PASSHASH_PARAMS_DEFAULT;
    assert_true(passhash_params_strong(&p));
    assert_int_equal(passhash_burn(pw, strlen(pw)), PASSHASH_OK);
}

static void test_round_trip_and_wrong_password(void **state)
{
    (void)state;
    char h[PASSHASH_STRBYTES];
    const char *pw = "Ñandú-Azul-2024";
    assert_int_equal(passhash_hash_params(&fast, pw, strlen(pw), h), PASSHASH_OK);
    assert_true(strlen(h) < PASSHASH_STRBYTES);
    assert_memory_equal(h, "$argon2id$v=19$m=8,t=1,p=1$", 27);
    assert_int_equal(passhash_verify(h, pw, strlen(pw)), PASSHASH_OK);
    assert_int_equal(passhash_verify(h, "ñandú-Azul-2024", strlen(pw)), PASSHASH_MISMATCH);
    assert_int_equal(passhash_verify(h, pw, strlen(pw) - 1), PASSHASH_MISMATCH);
    assert_int_equal(passhash_verify(h, "", 0), PASSHASH_MISMATCH);

    /* Every byte counts, NUL included: "ab\0cd" is not "ab". */
    assert_int_equal(passhash_hash_params(&fast, "ab\0cd", 5, h), PASSHASH_OK);
    assert_int_equal(passhash_verify(h, "ab\0cd", 5), PASSHASH_OK);
    assert_int_equal(passhash_verify(h, "ab", 2), PASSHASH_MISMATCH);
    assert_int_equal(passhash_verify(h, "ab\0ce", 5), PASSHASH_MISMATCH);

    /* The empty password hashes (the policy refuses it earlier). */
    assert_int_equal(passhash_hash_params(&fast, "", 0, h), PASSHASH_OK);
    assert_int_equal(passhash_verify(h, "", 0), PASSHASH_OK);
}

static void test_salt_is_random(void **state)
{
    (void)state;
    char a[PASSHASH_STRBYTES], b[PASSHASH_STRBYTES];
    assert_int_equal(passhash_hash_params(&fast, "Xochimilco#58", 13, a), PASSHASH_OK);
    assert_int_equal(passhash_hash_params(&fast, "Xochimilco#58", 13, b), PASSHASH_OK);
    assert_string_not_equal(a, b);
    assert_int_equal(passhash_verify(a, "Xochimilco#58", 13), PASSHASH_OK);
    assert_int_equal(passhash_verify(b, "Xochimilco#58", 13), PASSHASH_OK);
}

static void test_needs_rehash(void **state)
{
    (void)state;
    char h[PASSHASH_STRBYTES];
    assert_int_equal(passhash_hash_params(&fast, "Xochimilco#58", 13, h), PASSHASH_OK);
    assert_int_equal(passhash_needs_rehash(h), 1); /* not the production cost */
    assert_int_equal(passhash_needs_rehash_params(&fast, h), 0);
    struct passhash_params more_t = {2, 8192}, more_m = {1, 16384};
    assert_int_equal(passhash_needs_rehash_params(&more_t, h), 1);
    assert_int_equal(passhash_needs_rehash_params(&more_m, h), 1);
    assert_int_equal(passhash_needs_rehash_params(NULL, h), -1);
    assert_int_equal(passhash_needs_rehash("not a hash"), -1);
    assert_int_equal(passhash_needs_rehash(""), -1);
    assert_int_equal(passhash_needs_rehash(NULL), -1);
    assert_int_equal(passhash_needs_rehash("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"), -1);
}

static void test_bad_hash_strings(void **state)
{
    (void)state;
    char h[PASSHASH_STRBYTES];
    assert_int_equal(passhash_hash_params(&fast, "Xochimilco#58", 13, h), PASSHASH_OK);
    const char *rest = strchr(h + 27 - 1, '$'); /* "$salt$hash" after the parameters */
    assert_non_null(rest);

    static const char *const heads[] = {
        "$argon2i$v=19$m=8,t=1,p=1",       "$argon2d$v=19$m=8,t=1,p=1",
        "$argon2id$v=16$m=8,t=1,p=1",      "$argon2id$m=8,t=1,p=1",
        "$argon2id$v=19$m=8,t=1,p=2",      "$argon2id$v=19$m=8,t=11,p=1",
        "$argon2id$v=19$m=262145,t=1,p=1", "$argon2id$v=19$m=99999999999,t=1,p=1",
        "$argon2id$v=19$m=08,t=1,p=1",     "$argon2id$v=19$m=,t=1,p=1",
        "$argon2id$v=19$m=8,t=0,p=1",      "$argon2id$v=19$t=1,m=8,p=1",
        "$ARGON2ID$v=19$m=8,t=1,p=1",      "",
    };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        char bad[2 * PASSHASH_STRBYTES];
        snprintf(bad, sizeof bad, "%s%s", heads[i], rest);
        if (passhash_verify(bad, "Xochimilco#58", 13) != PASSHASH_ERR_HASH)
            fail_msg("accepted '%s'", bad);
    }
    assert_int_equal(passhash_verify(NULL, "x", 1), PASSHASH_ERR_HASH);
    assert_int_equal(passhash_verify("", "x", 1), PASSHASH_ERR_HASH);

    /* A string that fills the buffer without a NUL is refused, not read past. */
    char full[PASSHASH_STRBYTES];
    memset(full, 'A', sizeof full);
    memcpy(full, h, strlen(h));
    assert_int_equal(passhash_verify(full, "Xochimilco#58", 13), PASSHASH_ERR_HASH);
    assert_int_equal(passhash_needs_rehash(full), -1);

    /* The cost parses, but salt or hash are damaged: a mismatch. */
    char damaged[PASSHASH_STRBYTES];
    snprintf(damaged, sizeof damaged, "%.*s$c2FsdA$aGFzaA", (int)(rest - h), h);
    assert_int_equal(passhash_verify(damaged, "Xochimilco#58", 13), PASSHASH_MISMATCH);
    snprintf(damaged, sizeof damaged, "%s", h);
    damaged[strlen(damaged) - 2] ^= 1;
    assert_int_equal(passhash_verify(damaged, "Xochimilco#58", 13), PASSHASH_MISMATCH);
}

static void test_read_params(void **state)
{
    (void)state;
    struct passhash_params p = {0, 0};
    unsigned lanes = 0;
    assert_int_equal(passhash_read_params("$argon2id$v=19$m=65536,t=3,p=4$x$y", &p, &lanes), 0);
    assert_int_equal(p.memlimit, 64 * 1024 * 1024);
    assert_int_equal(p.opslimit, 3);
    assert_int_equal(lanes, 4);
    assert_int_equal(passhash_read_params("$argon2id$v=19$m=8,t=1,p=1$", &p, NULL), 0);
    assert_int_equal(p.memlimit, 8192);

    p = (struct passhash_params){7, 7};
    assert_int_equal(passhash_read_params("$argon2id$v=19$m=8,t=1,p=1", &p, NULL), -1);
    assert_int_equal(passhash_read_params("$argon2id$v=19$m=-8,t=1,p=1$", &p, NULL), -1);
    assert_int_equal(passhash_read_params("$argon2id$v=19$m=12345678901,t=1,p=1$", &p, NULL), -1);
    assert_int_equal(passhash_read_params(NULL, &p, NULL), -1);
    assert_int_equal(p.opslimit, 7); /* untouched on failure */
    assert_int_equal(p.memlimit, 7);
}

static void test_input_and_params_errors(void **state)
{
    (void)state;
    char h[PASSHASH_STRBYTES];
    static char big[PASSHASH_PASSWORD_MAX + 1];
    memset(big, 'x', sizeof big);

    assert_int_equal(passhash_hash_params(&fast, big, PASSHASH_PASSWORD_MAX, h), PASSHASH_OK);
    assert_int_equal(passhash_verify(h, big, PASSHASH_PASSWORD_MAX), PASSHASH_OK);
    assert_int_equal(passhash_hash_params(&fast, big, PASSHASH_PASSWORD_MAX + 1, h),
                     PASSHASH_ERR_INPUT);
    assert_string_equal(h, "");
    assert_int_equal(passhash_verify(h, big, PASSHASH_PASSWORD_MAX + 1), PASSHASH_ERR_HASH);
    assert_int_equal(passhash_hash_params(&fast, "ok", 2, h), PASSHASH_OK);
    assert_int_equal(passhash_verify(h, big, PASSHASH_PASSWORD_MAX + 1), PASSHASH_ERR_INPUT);
    assert_int_equal(passhash_verify(h, NULL, 0), PASSHASH_ERR_INPUT);
    assert_int_equal(passhash_hash(NULL, 0, h), PASSHASH_ERR_INPUT);
    assert_int_equal(passhash_hash(big, PASSHASH_PASSWORD_MAX + 1, h), PASSHASH_ERR_INPUT);
    assert_int_equal(passhash_burn(NULL, 0), PASSHASH_ERR_INPUT);
    assert_int_equal(passhash_burn(big, PASSHASH_PASSWORD_MAX + 1), PASSHASH_ERR_INPUT);

    const struct passhash_params bad[] = {
        {0, 8192},
        {1, 8191},
        {PASSHASH_OPSLIMIT_MAX + 1, 8192},
        {1, PASSHASH_MEMLIMIT_MAX + 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(h, "old");
        assert_int_equal(passhash_hash_params(&bad[i], "ok", 2, h), PASSHASH_ERR_PARAMS);
        assert_string_equal(h, "");
    }
    assert_int_equal(passhash_hash_params(NULL, "ok", 2, h), PASSHASH_ERR_PARAMS);
}

static void test_params_strong(void **state)
{
    (void)state;
    const size_t mib = 1024 * 1024;
    struct passhash_params p[] = {
        {2, 19 * mib}, {3, 64 * mib}, {1, 46 * mib}, {1, 19 * mib},
        {2, 18 * mib}, {1, 45 * mib}, {1, 8192},     {PASSHASH_OPSLIMIT_MAX + 1, 64 * mib},
    };
    const bool strong[] = {true, true, true, false, false, false, false, false};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        assert_int_equal(passhash_params_strong(&p[i]), strong[i]);
    assert_false(passhash_params_strong(NULL));
}

static void test_status_codes(void **state)
{
    (void)state;
    assert_string_equal(passhash_status_code(PASSHASH_OK), "ok");
    assert_string_equal(passhash_status_code(PASSHASH_MISMATCH), "mismatch");
    assert_string_equal(passhash_status_code(PASSHASH_ERR_INPUT), "input");
    assert_string_equal(passhash_status_code(PASSHASH_ERR_PARAMS), "params");
    assert_string_equal(passhash_status_code(PASSHASH_ERR_HASH), "hash");
    assert_string_equal(passhash_status_code(PASSHASH_ERR_RESOURCES), "resources");
    assert_string_equal(passhash_status_code((enum passhash_status)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_production_cost),
        cmocka_unit_test(test_round_trip_and_wrong_password),
        cmocka_unit_test(test_salt_is_random),
        cmocka_unit_test(test_needs_rehash),
        cmocka_unit_test(test_bad_hash_strings),
        cmocka_unit_test(test_read_params),
        cmocka_unit_test(test_input_and_params_errors),
        cmocka_unit_test(test_params_strong),
        cmocka_unit_test(test_status_codes),
    };
    return cmocka_run_group_tests_name("crypto/passhash", tests, NULL, NULL);
}
