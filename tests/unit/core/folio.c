/* Unit tests for src/core/folio.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/folio.h"

#include <string.h>

static void test_format(void **state)
{
    (void)state;
    char f[FOLIO_LENGTH + 1];
    const uint8_t zero[5] = {0}, ones[5] = {0xff, 0xff, 0xff, 0xff, 0xff};
    folio_format(zero, 2026, f);
    assert_string_equal(f, "IB26-0000-0000");
    folio_format(ones, 2026, f);
    assert_string_equal(f, "IB26-ZZZZ-ZZZZ");
    const uint8_t some[5] = {0x12, 0x34, 0x56, 0x78, 0x9a};
    folio_format(some, 2031, f);
    assert_string_equal(f, "IB31-28T5-CY4T");
    assert_int_equal(strlen(f), FOLIO_LENGTH);
}

static void test_normalize(void **state)
{
    (void)state;
    char f[FOLIO_LENGTH + 1];
    assert_true(folio_normalize("IB31-28T5-CY4T", 14, f));
    assert_string_equal(f, "IB31-28T5-CY4T");
    assert_true(folio_normalize("ib31 28t5 cy4t", 14, f));
    assert_string_equal(f, "IB31-28T5-CY4T");
    assert_true(folio_normalize("IB3128T5CY4T", 12, f));
    assert_true(folio_normalize("IB26-OILZ-0000", 14, f)); /* O->0, I and L->1 */
    assert_string_equal(f, "IB26-011Z-0000");
    assert_false(folio_normalize("IB26-0000-000U", 14, f)); /* U is not a symbol */
    assert_false(folio_normalize("IB26-0000-000", 13, f));
    assert_false(folio_normalize("XB26-0000-0000", 14, f));
    assert_false(folio_normalize("IBAA-0000-0000", 14, f));
    assert_false(folio_normalize("IB26-0000-0000-0", 16, f));
    assert_false(folio_normalize("", 0, f));
}

static void test_kinds(void **state)
{
    (void)state;
    char f[FOLIO_LENGTH + 1];
    const uint8_t some[5] = {0x12, 0x34, 0x56, 0x78, 0x9a};
    folio_format_kind(FOLIO_LETTER, some, 2026, f);
    assert_string_equal(f, "NA26-28T5-CY4T");
    folio_format_kind(FOLIO_CREDENTIAL, some, 2026, f);
    assert_string_equal(f, "CR26-28T5-CY4T");
    assert_true(folio_normalize_kind(FOLIO_LETTER, "na26 28t5 cy4t", 14, f));
    assert_string_equal(f, "NA26-28T5-CY4T");
    /* A folio of one kind is not one of another. */
    assert_false(folio_normalize_kind(FOLIO_LETTER, "IB26-28T5-CY4T", 14, f));
    assert_false(folio_normalize("NA26-28T5-CY4T", 14, f));
    assert_false(folio_normalize_kind(FOLIO_CREDENTIAL, "NA26-28T5-CY4T", 14, f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests_name("core/folio", tests, NULL, NULL);
}
