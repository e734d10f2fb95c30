/* Unit tests for src/core/contact.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/contact.h"

#include <string.h>

static enum contact_status phone(const char *s, char *out)
{
    return contact_phone(s, strlen(s), out);
}

static enum contact_status email(const char *s, char *out)
{
    return contact_email(s, strlen(s), out);
}

static void test_phones(void **state)
{
    (void)state;
    char out[CONTACT_PHONE_LEN + 1];
    const char *good[] = {"5512345678",       " 55 1234 5678 ",    "(55) 1234-5678", "55.1234.5678",
                          "+52 55 1234 5678", "+521 55 1234 5678", "525512345678"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(phone(good[i], out), CONTACT_OK);
        assert_string_equal(out, "5512345678");
    }
    assert_int_equal(phone("551234567", out), CONTACT_PHONE_LENGTH);
    assert_int_equal(phone("55123456789", out), CONTACT_PHONE_LENGTH);
    assert_int_equal(phone("", out), CONTACT_PHONE_LENGTH);
    assert_int_equal(phone("0512345678", out), CONTACT_PHONE_AREA);
    assert_int_equal(phone("1512345678", out), CONTACT_PHONE_AREA);
    assert_int_equal(phone("55-1234-567a", out), CONTACT_PHONE_CHARSET);
    assert_int_equal(phone("+1 555 123 4567", out), CONTACT_PHONE_COUNTRY);
    assert_int_equal(phone("+44 20 7946 0958", out), CONTACT_PHONE_COUNTRY);
    assert_int_equal(phone("+52 55 1234 567", out), CONTACT_PHONE_LENGTH);
    assert_int_equal(phone("+", out), CONTACT_PHONE_COUNTRY);
    assert_int_equal(contact_phone("55123\0"
                                   "45678",
                                   11, out),
                     CONTACT_PHONE_CHARSET);
    assert_int_equal(phone("11111111111111111111111", out), CONTACT_PHONE_LENGTH);
    assert_string_equal(contact_status_code(CONTACT_PHONE_AREA), "phone_area");
}

static void test_emails(void **state)
{
    (void)state;
    char out[CONTACT_EMAIL_MAX + 1];
    assert_int_equal(email(" Ana.Lopez+salud@Ejemplo.GOB.mx ", out), CONTACT_OK);
    assert_string_equal(out, "Ana.Lopez+salud@ejemplo.gob.mx");
    assert_int_equal(email("a@b.co", out), CONTACT_OK);
    assert_int_equal(email("ana", out), CONTACT_EMAIL_SHAPE);
    assert_int_equal(email("@b.co", out), CONTACT_EMAIL_SHAPE);
    assert_int_equal(email("a@", out), CONTACT_EMAIL_SHAPE);
    assert_int_equal(email("a@b@c.mx", out), CONTACT_EMAIL_SHAPE);
    assert_int_equal(email(".a@b.mx", out), CONTACT_EMAIL_SHAPE);
    assert_int_equal(email("a..b@b.mx", out), CONTACT_EMAIL_SHAPE);
    assert_int_equal(email("a@localhost", out), CONTACT_EMAIL_DOMAIN);
    assert_int_equal(email("a@b..mx", out), CONTACT_EMAIL_DOMAIN);
    assert_int_equal(email("a@-b.mx", out), CONTACT_EMAIL_DOMAIN);
    assert_int_equal(email("a@b-.mx", out), CONTACT_EMAIL_DOMAIN);
    assert_int_equal(email("a@b.mx.", out), CONTACT_EMAIL_DOMAIN);
    assert_int_equal(email("añ@b.mx", out), CONTACT_EMAIL_CHARSET);
    assert_int_equal(email("a b@b.mx", out), CONTACT_EMAIL_CHARSET);
    assert_int_equal(email("a@b_c.mx", out), CONTACT_EMAIL_CHARSET);
    assert_int_equal(contact_email("a\0b@c.mx", 8, out), CONTACT_EMAIL_CHARSET);
    char long_local[80];
    memset(long_local, 'a', 65);
    strcpy(long_local + 65, "@b.mx");
    assert_int_equal(email(long_local, out), CONTACT_EMAIL_LENGTH);
    char huge[300];
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    huge[10] = '@';
    assert_int_equal(email(huge, out), CONTACT_EMAIL_LENGTH);
}

static void test_phone_display(void **state)
{
    (void)state;
    char out[13];
    contact_phone_display("5512345678", out);
    assert_string_equal(out, "55 1234 5678");
    contact_phone_display("3312345678", out);
    assert_string_equal(out, "33 1234 5678");
    contact_phone_display("8112345678", out);
    assert_string_equal(out, "81 1234 5678");
    contact_phone_display("9511234567", out);
    assert_string_equal(out, "951 123 4567");
    contact_phone_display("", out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_display),
        cmocka_unit_test(test_phones),
        cmocka_unit_test(test_emails),
    };
    return cmocka_run_group_tests_name("core/contact", tests, NULL, NULL);
}
