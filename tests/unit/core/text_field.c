/* Unit tests for src/core/text_field.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/text_field.h"

#include <string.h>

static enum text_field_status clean(const char *s, size_t max, char *out)
{
    return text_field_clean(s, strlen(s), max, out, 4 * max + 1);
}

static void test_clean(void **state)
{
    (void)state;
    char out[401];
    assert_int_equal(clean("  Av.   Insurgentes\tSur  ", 100, out), TEXT_FIELD_OK);
    assert_string_equal(out, "Av. Insurgentes Sur");
    assert_int_equal(clean("Álvaro\xc2\xa0Obregón", 100, out), TEXT_FIELD_OK);
    assert_string_equal(out, "Álvaro Obregón");
    assert_int_equal(clean("S/N", 20, out), TEXT_FIELD_OK);
    assert_int_equal(clean("   ", 20, out), TEXT_FIELD_EMPTY);
    assert_int_equal(clean("", 20, out), TEXT_FIELD_EMPTY);
    assert_int_equal(clean("a\nb", 20, out), TEXT_FIELD_INVALID);
    assert_int_equal(clean("a\xc2\x85"
                           "b",
                           20, out),
                     TEXT_FIELD_INVALID); /* C1 control */
    assert_int_equal(clean("a\xe2\x80\xa8"
                           "b",
                           20, out),
                     TEXT_FIELD_INVALID); /* U+2028 */
    assert_int_equal(clean("\xc3", 20, out), TEXT_FIELD_INVALID);
    assert_int_equal(clean("\xc0\xaf", 20, out), TEXT_FIELD_INVALID);
    assert_int_equal(text_field_clean("a\0b", 3, 20, out, sizeof out), TEXT_FIELD_INVALID);
    /* The limit counts characters, not bytes: 20 Ñ fit, 21 do not. */
    char n20[64] = "", n21[64];
    for (int i = 0; i < 20; i++)
        strcat(n20, "Ñ");
    assert_int_equal(clean(n20, 20, out), TEXT_FIELD_OK);
    strcpy(n21, n20);
    strcat(n21, "Ñ");
    assert_int_equal(clean(n21, 20, out), TEXT_FIELD_TOO_LONG);
    assert_int_equal(clean("aaaaa bbbbb", 10, out), TEXT_FIELD_TOO_LONG);
    assert_int_equal(clean("aaaaa bbbb", 10, out), TEXT_FIELD_OK);
    assert_int_equal(text_field_clean("abc", 3, 10, out, 2), TEXT_FIELD_TOO_LONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_clean)};
    return cmocka_run_group_tests_name("core/text_field", tests, NULL, NULL);
}
