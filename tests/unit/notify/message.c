/* Unit tests for src/notify/message.c and the backoff of src/notify/sender.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify/message.h"
#include "notify/sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *compose(const char *to, const char *subject, const char *body)
{
    struct mail_text m = {.from = "padron@ejemplo.mx",
                          .to = to,
                          .subject = subject,
                          .body = body,
                          .date = 1795447781};
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

static void test_attachment(void **state)
{
    (void)state;
    uint8_t pdf[200];
    for (size_t i = 0; i < sizeof pdf; i++)
        pdf[i] = (uint8_t)i;
    struct mail_text m = {.from = "padron@ejemplo.mx",
                          .to = "ana@ejemplo.mx",
                          .subject = "Carta",
                          .body = "Adjunta.\n",
                          .date = 1795447781,
                          .attachment_name = "carta-NA26-0000-0001.pdf",
                          .attachment_type = "application/pdf",
                          .attachment = pdf,
                          .attachment_len = sizeof pdf};
    char *out = NULL, err[128];
    assert_int_equal(mail_compose(&m, &out, err, sizeof err), 0);
    const char *ct = strstr(out, "Content-Type: multipart/mixed; boundary=\"");
    assert_non_null(ct);
    char boundary[64];
    assert_int_equal(sscanf(ct, "Content-Type: multipart/mixed; boundary=\"%63[^\"]", boundary), 1);
    char open[128], close[128];
    snprintf(open, sizeof open, "\r\n--%s\r\nContent-Type: text/plain", boundary);
    snprintf(close, sizeof close, "\r\n--%s--\r\n", boundary);
    assert_non_null(strstr(out, open));
    assert_non_null(
        strstr(out, "Content-Disposition: attachment; filename=\"carta-NA26-0000-0001.pdf\""));
    /* 200 bytes are 4 lines of base64: 3 full ones of 76 characters. */
    const char *b64 = strstr(out, "base64\r\n\r\nAAECAwQF");
    assert_non_null(b64);
    assert_int_equal(strcspn(b64 + 10, "\r"), 76);
    const char *end = strstr(out, close);
    assert_non_null(end);
    assert_string_equal(end + strlen(close), "");
    free(out);
    /* A name that could break the header is refused. */
    m.attachment_name = "a\"; x=\".pdf";
    assert_int_equal(mail_compose(&m, &out, err, sizeof err), -1);
    m.attachment_name = "carta.pdf";
    m.attachment_type = "pdf";
    assert_int_equal(mail_compose(&m, &out, err, sizeof err), -1);
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
        cmocka_unit_test(test_attachment),
        cmocka_unit_test(test_quoted_printable_body),
        cmocka_unit_test(test_backoff),
    };
    return cmocka_run_group_tests_name("notify/message", tests, NULL, NULL);
}
