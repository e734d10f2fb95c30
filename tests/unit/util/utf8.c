/* Unit tests for src/util/utf8.c: the strict UTF-8 rule every text parser shares. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/utf8.h"

#include <string.h>

static size_t next(const char *s, uint32_t *cp)
{
    return utf8_next((const unsigned char *)s, strlen(s), cp);
}

static void test_well_formed(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(next("A", &cp), 1);
    assert_int_equal(cp, 0x41);
    assert_int_equal(next("\xc3\xb1", &cp), 2); /* ñ */
    assert_int_equal(cp, 0xf1);
    assert_int_equal(next("\xe2\x82\xac", &cp), 3); /* € */
    assert_int_equal(cp, 0x20ac);
    assert_int_equal(next("\xf4\x8f\xbf\xbf", &cp), 4); /* U+10FFFF */
    assert_int_equal(cp, 0x10ffff);
    assert_int_equal(next("\xed\x9f\xbf", NULL), 3); /* U+D7FF, just below the surrogates */
}

static void test_ill_formed(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(next("\xc0\xaf", &cp), 0);         /* overlong '/' */
    assert_int_equal(next("\xe0\x80\xaf", &cp), 0);     /* overlong */
    assert_int_equal(next("\xf0\x80\x80\xaf", &cp), 0); /* overlong */
    assert_int_equal(next("\xed\xa0\x80", &cp), 0);     /* a surrogate */
    assert_int_equal(next("\xf4\x90\x80\x80", &cp), 0); /* past U+10FFFF */
    assert_int_equal(next("\xf5\x80\x80\x80", &cp), 0);
    assert_int_equal(next("\x80", &cp), 0); /* a stray continuation */
    assert_int_equal(next("\xc3", &cp), 0); /* truncated */
    assert_int_equal(next("\xe2\x82", &cp), 0);
    assert_int_equal(next("\xe2\x28\xa1", &cp), 0); /* not a continuation */
}

static void test_valid(void **state)
{
    (void)state;
    size_t bad = 99;
    const unsigned char ok[] = "Peña Nieto €";
    assert_true(utf8_valid(ok, sizeof ok - 1, &bad));
    assert_int_equal(bad, 99);
    const unsigned char ko[] = "ab\xc3\x28";
    assert_false(utf8_valid(ko, sizeof ko - 1, &bad));
    assert_int_equal(bad, 2);
    assert_true(utf8_valid(ok, 0, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_ill_formed),
        cmocka_unit_test(test_valid),
    };
    return cmocka_run_group_tests_name("util/utf8", tests, NULL, NULL);
}
