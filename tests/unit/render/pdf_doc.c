/* Unit tests for src/render/pdf_doc.c: the text checks, dates in words, templates,
 * and the PDF size bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render/pdf_doc.h"

#include <stdlib.h>
#include <string.h>

static void test_check_text(void **state)
{
    (void)state;
    char err[160];
    assert_int_equal(pdf_check_text("name", "María Núñez", 64, true, err, sizeof err), 0);
    assert_int_equal(pdf_check_text("name", NULL, 64, false, err, sizeof err), 0);
    assert_int_equal(pdf_check_text("name", "", 64, false, err, sizeof err), 0);
    assert_int_equal(pdf_check_text("name", "", 64, true, err, sizeof err), -1);
    assert_string_equal(err, "name: required");
    assert_int_equal(pdf_check_text("name", "abcdef", 5, true, err, sizeof err), -1);
    assert_string_equal(err, "name: longer than 5 bytes");
    assert_int_equal(pdf_check_text("name", "abcde", 5, true, err, sizeof err), 0);
    assert_int_equal(pdf_check_text("name", "a\xc0\xaf", 64, true, err, sizeof err), -1);
    assert_string_equal(err, "name: not UTF-8 at byte 1"); /* overlong "/" */
    assert_int_equal(pdf_check_text("name", "ab\x7f", 64, true, err, sizeof err), -1);
    assert_string_equal(err, "name: control character at byte 2");
}

static void test_dates(void **state)
{
    (void)state;
    char out[40], err[160];
    struct {
        const char *iso;
        enum pdf_lang lang;
        bool long_form;
        const char *want;
    } cases[] = {
        {"1990-06-27", PDF_LANG_ES, false, "27/06/1990"},
        {"1990-06-27", PDF_LANG_EN, false, "27 Jun 1990"},
        {"2026-01-05", PDF_LANG_ES, true, "5 de enero de 2026"},
        {"2026-09-30", PDF_LANG_ES, true, "30 de septiembre de 2026"},
        {"2024-02-29", PDF_LANG_EN, true, "29 February 2024"},
        {"2026-12-01", PDF_LANG_EN, false, "01 Dec 2026"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(pdf_date("d", cases[i].iso, cases[i].lang, cases[i].long_form, out,
                                  sizeof out, err, sizeof err),
                         0);
        assert_string_equal(out, cases[i].want);
    }
    const char *bad[] = {"2025-02-29", "2026-13-01", "26-01-01", "2026-01-01T00:00", "", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(
            pdf_date("expires", bad[i], PDF_LANG_ES, true, out, sizeof out, err, sizeof err), -1);
        assert_string_equal(err, "expires: not a YYYY-MM-DD date");
    }
    char tiny[8];
    assert_int_equal(
        pdf_date("d", "2026-09-30", PDF_LANG_ES, true, tiny, sizeof tiny, err, sizeof err), -1);
    assert_string_equal(err, "d: no room for the date");
}

static void test_fill(void **state)
{
    (void)state;
    char out[64];
    const char *args[] = {"IMSS", "María", "{2}"};
    pdf_fill(out, sizeof out, "{2} no está en el {1}; {3}", args, 3);
    assert_string_equal(out, "María no está en el IMSS; {2}"); /* not expanded again */
    pdf_fill(out, sizeof out, "{4} {0} {x} {1", args, 3);
    assert_string_equal(out, "{4} {0} {x} {1");
    /* Cut at a character boundary: "Ñ" is two bytes. */
    char small[6];
    const char *enye[] = {"ÑÑÑ"};
    pdf_fill(small, sizeof small, "a{1}", enye, 1);
    assert_string_equal(small, "aÑÑ");
    pdf_fill(small, sizeof small, "abcdefgh", NULL, 0);
    assert_string_equal(small, "abcde");
}

static void test_document(void **state)
{
    (void)state;
    struct pdf_doc d;
    char err[160];
    assert_int_equal(pdf_doc_begin(&d, "Prueba", err, sizeof err), 0);
    const struct pdf_text_style st = {12, 6, true, 2, PANGO_ALIGN_LEFT, 0};
    double h = pdf_doc_text(&d, 20, 20, 100, 30, "Ñandú Pérez", &st);
    assert_true(h > 3 && h < 8); /* one line of 12 pt is about 5 mm */
    assert_true(pdf_doc_text(&d, 20, 40, 100, 30, "", &st) == 0);
    /* Never taller than the box, however long the text. */
    char *lot = malloc(4001);
    for (int i = 0; i < 4000; i++)
        lot[i] = i % 7 == 6 ? ' ' : 'x';
    lot[4000] = '\0';
    assert_true(pdf_doc_text(&d, 20, 60, 50, 10, lot, &st) <= 10);
    free(lot);
    uint8_t *pdf;
    size_t len;
    assert_int_equal(pdf_doc_finish(&d, &pdf, &len, err, sizeof err), 0);
    assert_memory_equal(pdf, "%PDF-", 5);
    assert_memory_equal(pdf + len - 6, "%%EOF\n", 6);
    free(pdf);
    pdf_doc_release(&d); /* after finish: safe */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_text),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_fill),
        cmocka_unit_test(test_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
