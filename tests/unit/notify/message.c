/* Unit tests for src/notify/message.c and the backoff of src/notify/sender.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify/message.h"
#include "notify/sender.h"

#include <stdlib.h>
#include <string.h>

static char *compose(const char *to, const char *subject, const char *body)
{
    struct mail_text m = {"padron@ejemplo.mx", to, subject, body, 1795447781};
    char *out = NULL, err[128];
    if (mail_compose(&m, &out, err, sizeof err) != 0)
        return NULL;
    return out;
}

static void test_headers(void **state)
{
    (void)state;
    char *m = compose("ana@ejemplo.mx", "Plain subject", "hola\n");
    assert_non_null(m);
    assert_non_null(strstr(m, "From: padron@ejemplo.mx\r\nTo: ana@ejemplo.mx\r\n"));
    assert_non_null(strstr(m, "Date: Mon, 23 Nov 2026 15:29:41 +0000\r\n"));
    assert_non_null(strstr(m, "Subject: Plain subject\r\n"));
    assert_non_null(strstr(m, "@ejemplo.mx>\r\n")); /* Message-ID in the sender's domain */
    assert_non_null(strstr(m, "\r\n\r\nhola\r\n"));
    free(m);
}

static void test_utf8_subject_is_encoded(void **state)
{
    (void)state;
    char *m = compose("ana@ejemplo.mx", "Su código", "x");
    assert_non_null(m);
    assert_non_null(strstr(m, "Subject: =?UTF-8?B?U3UgY8OzZGlnbw==?=\r\n"));
    free(m);
}

static void test_header_injection_refused(void **state)
{
    (void)state;
    assert_null(compose("ana@ejemplo.mx\r\nBcc: x@y.z", "s", "b"));
    assert_null(compose("Ana <ana@ejemplo.mx>", "s", "b"));
    assert_null(compose("sin-arroba", "s", "b"));
    assert_null(compose("", "s", "b"));
    /* A subject with a newline is encoded, never a new header line. */
    char *m = compose("ana@ejemplo.mx", "hola\r\nBcc: x@y.z", "b");
    assert_non_null(m);
    assert_null(strstr(m, "\r\nBcc:"));
    free(m);
}

static void test_quoted_printable_body(void **state)
{
    (void)state;
    char body[300];
    memset(body, 'a', 200);
    strcpy(body + 200, " =é\nend \n");
    char *m = compose("ana@ejemplo.mx", "s", body);
    assert_non_null(m);
    const char *b = strstr(m, "\r\n\r\n") + 4;
    /* Every line of the body fits in 76 characters. */
    for (const char *line = b; *line;) {
        const char *end = strstr(line, "\r\n");
        assert_non_null(end);
        assert_true(end - line <= 76);
        line = end + 2;
    }
    assert_non_null(strstr(b, "=3D=C3=A9"));  /* '=' and 'é' encoded */
    assert_non_null(strstr(b, "end=20\r\n")); /* trailing space protected */
    free(m);
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(mail_sender_backoff(1, 30), 30);
    assert_int_equal(mail_sender_backoff(2, 30), 60);
    assert_int_equal(mail_sender_backoff(5, 30), 480);
    assert_int_equal(mail_sender_backoff(9, 30), 3600);
    assert_int_equal(mail_sender_backoff(100, 30), 3600);
    assert_int_equal(mail_sender_backoff(1, 0), 30);
    assert_int_equal(mail_sender_backoff(3, 1), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_utf8_subject_is_encoded),
        cmocka_unit_test(test_header_injection_refused),
        cmocka_unit_test(test_quoted_printable_body),
        cmocka_unit_test(test_backoff),
    };
    return cmocka_run_group_tests_name("notify/message", tests, NULL, NULL);
}
