/* Unit tests for src/render/card_pdf.c: the card in both languages read back (the QR
 * with qr_scan, the text with poppler), the QR's printed size, nothing leaving the
 * card, and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render/card_pdf.h"
#include "render/qr.h"
#include "render/qr_scan.h"

#include "probe.h"
#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int levels12[] = {1, 2};

static struct card_pdf sample(enum pdf_lang lang, bool long_name)
{
    struct card_pdf c = {0};
    c.lang = lang;
    c.program = "IMSS-Bienestar";
    c.full_name = long_name ? SAMPLE_LONG_NAME : SAMPLE_NAME;
    c.curp = "LOCM900627MSPRBR05";
    c.birth_date = "1990-06-27";
    c.folio = "IB26-7K3M-9QXD";
    c.levels = levels12;
    c.level_count = 2;
    c.clinic_clues = "BCIMB000010";
    c.clinic_name = "Centro de Salud Rural Ñuu Savi";
    c.issued = "2026-01-01";
    c.expires = "2026-12-31";
    c.qr_text = long_name ? SAMPLE_ENVELOPE_LONG : SAMPLE_ENVELOPE;
    c.verify_url = "https://padron.example.mx/v";
    return c;
}

static uint8_t *render(const struct card_pdf *c, size_t *len)
{
    uint8_t *pdf = NULL;
    char err[160] = "";
    if (card_pdf_render(c, &pdf, len, err, sizeof err) != 0)
        fail_msg("card_pdf_render: %s", err);
    assert_non_null(pdf);
    assert_memory_equal(pdf, "%PDF-", 5);
    return pdf;
}

static void round_trip(enum pdf_lang lang, bool long_name, const char *const *want)
{
    struct card_pdf c = sample(lang, long_name);
    size_t len;
    uint8_t *pdf = render(&c, &len);
    assert_true(len < 200 * 1024); /* two subset fonts and vectors */

    struct qr_scan_result r;
    assert_int_equal(qr_scan_pdf(pdf, len, NULL, &r), QR_SCAN_OK);
    assert_string_equal(r.text, c.qr_text);
    assert_int_equal(r.page, 1);
    qr_scan_result_release(&r);

    char *text = probe_text(pdf, len);
    assert_non_null(text);
    for (const char *const *w = want; *w != NULL; w++)
        if (strstr(text, *w) == NULL)
            fail_msg("\"%s\" not on the card: %s", *w, text);
    free(text);
    free(pdf);
}

static void test_spanish(void **state)
{
    (void)state;
    const char *want[] = {"IMSS-Bienestar",
                          "Credencial de afiliación",
                          SAMPLE_NAME,
                          "LOCM900627MSPRBR05",
                          "27/06/1990",
                          "IB26-7K3M-9QXD",
                          "1 y 2",
                          "BCIMB000010 · Centro de Salud Rural Ñuu Savi",
                          "01/01/2026",
                          "31/12/2026",
                          "https://padron.example.mx/v",
                          "identificación oficial",
                          NULL};
    round_trip(PDF_LANG_ES, false, want);
}

static void test_english_long_name(void **state)
{
    (void)state;
    const char *want[] = {"Enrollment credential", SAMPLE_LONG_NAME, "27 Jun 1990", "1 and 2",
                          "Valid until",           "31 Dec 2026",    "official ID", NULL};
    round_trip(PDF_LANG_EN, true, want);
    const char *want_es[] = {SAMPLE_LONG_NAME, NULL};
    round_trip(PDF_LANG_ES, true, want_es);
}

static void test_qr_size(void **state)
{
    (void)state;
    struct card_pdf c = sample(PDF_LANG_ES, true);
    size_t len;
    uint8_t *pdf = render(&c, &len);
    double mm = probe_qr_width_mm(pdf, len, 300);
    if (mm < CARD_QR_MIN_MM)
        fail_msg("the QR code is %.1f mm wide, under %.0f mm", mm, CARD_QR_MIN_MM);
    assert_true(mm < CARD_HEIGHT_MM);
    free(pdf);
}

/* Texts far too long for the card shrink, wrap and end in an ellipsis inside it: no
 * character is placed outside the card. (The extracted text cannot show the
 * ellipsis: cairo maps the "…" glyph back to all the text it stands for.) */
static void test_never_overflows(void **state)
{
    (void)state;
    static char name[PDF_TEXT_MAX + 1], clinic[PDF_TEXT_MAX + 1];
    const char *words[] = {"Ñandú ", "Pérez ", "Ángeles ", "Zurbarán "};
    size_t n = 0;
    for (int i = 0; n + 12 < PDF_TEXT_MAX; i++) {
        size_t w = strlen(words[i % 4]);
        memcpy(name + n, words[i % 4], w);
        n += w;
    }
    name[n] = '\0';
    memset(clinic, 'W', PDF_TEXT_MAX); /* one unbreakable word */
    clinic[PDF_TEXT_MAX] = '\0';
    struct card_pdf c = sample(PDF_LANG_EN, false);
    c.full_name = name;
    c.clinic_name = clinic;
    c.program = "Programa IMSS-Bienestar de Atención a la Salud para las Personas sin Seguridad";
    size_t len;
    uint8_t *pdf = render(&c, &len);
    double box[4];
    assert_true(probe_text_box(pdf, len, CARD_PAGE_TOP_MM, box) > 100);
    double left = (PDF_DOC_PAGE_WIDTH - 2 * CARD_WIDTH_MM) / 2;
    if (box[0] < left || box[2] > left + 2 * CARD_WIDTH_MM ||
        box[3] > CARD_PAGE_TOP_MM + CARD_HEIGHT_MM)
        fail_msg("text outside the card: %.1f %.1f %.1f %.1f", box[0], box[1], box[2], box[3]);
    /* Still readable by a scanner. */
    struct qr_scan_result r;
    assert_int_equal(qr_scan_pdf(pdf, len, NULL, &r), QR_SCAN_OK);
    qr_scan_result_release(&r);
    free(pdf);
}

static void test_without_clinic(void **state)
{
    (void)state;
    struct card_pdf c = sample(PDF_LANG_ES, false);
    c.clinic_clues = NULL;
    const int level1[] = {1};
    c.levels = level1;
    c.level_count = 1;
    size_t len;
    uint8_t *pdf = render(&c, &len);
    char *text = probe_text(pdf, len);
    assert_non_null(strstr(text, "Unidad de salud Por asignar"));
    assert_null(strstr(text, "Ñuu Savi")); /* the name only with a CLUES */
    free(text);
    free(pdf);
}

static void refused(const struct card_pdf *c, const char *why)
{
    uint8_t *pdf = (uint8_t *)"x";
    size_t len = 9;
    char err[160];
    assert_int_equal(card_pdf_render(c, &pdf, &len, err, sizeof err), -1);
    assert_null(pdf);
    assert_int_equal(len, 0);
    assert_string_equal(err, why);
}

static void test_refusals(void **state)
{
    (void)state;
    struct card_pdf c = sample(PDF_LANG_ES, false);
    c.curp = NULL;
    refused(&c, "curp: required");
    c = sample(PDF_LANG_ES, false);
    c.full_name = "";
    refused(&c, "full_name: required");
    c = sample(PDF_LANG_ES, false);
    c.full_name = "Mar\xc3\x28"
                  "a";
    refused(&c, "full_name: not UTF-8 at byte 3");
    c = sample(PDF_LANG_ES, false);
    c.clinic_name = "Centro\nde Salud";
    refused(&c, "clinic_name: control character at byte 6");
    c = sample(PDF_LANG_ES, false);
    c.birth_date = "1990-02-30";
    refused(&c, "birth_date: not a YYYY-MM-DD date");
    c = sample(PDF_LANG_ES, false);
    c.expires = "31/12/2026";
    refused(&c, "expires: not a YYYY-MM-DD date");
    c = sample(PDF_LANG_ES, false);
    const int bad[] = {2, 1};
    c.levels = bad;
    refused(&c, "levels: 1 to 3, ascending, without repeats");
    c.level_count = 0;
    refused(&c, "levels: between 1 and 3 levels of care");
    c = sample(PDF_LANG_ES, false);
    c.lang = (enum pdf_lang)7;
    refused(&c, "lang: not es or en");
    c = sample(PDF_LANG_ES, false);
    static char huge[QR_TEXT_MAX + 2];
    memset(huge, 'A', sizeof huge - 1);
    c.qr_text = huge;
    refused(&c, "qr_text: longer than 3391 bytes");
    huge[3000] = '\0';
    for (int i = 0; i < 3000; i++)
        huge[i] = 'a'; /* byte mode: too long for a QR code */
    refused(&c, "qr_text: too long for a QR code at error correction M");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spanish),        cmocka_unit_test(test_english_long_name),
        cmocka_unit_test(test_qr_size),        cmocka_unit_test(test_never_overflows),
        cmocka_unit_test(test_without_clinic), cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
