/* Unit tests for src/render/letter_pdf.c: both letters in both languages read back
 * (the QR with qr_scan, the text with poppler) and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render/letter_pdf.h"
#include "render/qr_scan.h"

#include "probe.h"
#include "sample.h"

#include <stdlib.h>
#include <string.h>

static struct letter_pdf sample(enum pdf_lang lang, const char *institution, const char *name)
{
    struct letter_pdf l = {0};
    l.lang = lang;
    l.program = "IMSS-Bienestar";
    l.folio = "CNA-IMSS-26-7K3M";
    l.issued = "2026-01-15";
    l.curp = "LOCM900627MSPRBR05";
    l.full_name = name;
    l.institution = institution;
    l.roll_date = "2026-01-10";
    l.valid_from = "2026-01-15";
    l.valid_until = "2026-04-15";
    l.qr_text = name != NULL && strlen(name) > 40 ? SAMPLE_ENVELOPE_LONG : SAMPLE_ENVELOPE;
    l.verify_url = "https://padron.example.mx/cartas/CNA-IMSS-26-7K3M";
    return l;
}

static void round_trip(const struct letter_pdf *l, const char *const *want,
                       const char *const *absent)
{
    uint8_t *pdf = NULL;
    size_t len = 0;
    char err[160] = "";
    if (letter_pdf_render(l, &pdf, &len, err, sizeof err) != 0)
        fail_msg("letter_pdf_render: %s", err);
    assert_memory_equal(pdf, "%PDF-", 5);
    struct qr_scan_result r;
    assert_int_equal(qr_scan_pdf(pdf, len, NULL, &r), QR_SCAN_OK);
    assert_string_equal(r.text, l->qr_text);
    qr_scan_result_release(&r);
    char *text = probe_text(pdf, len);
    assert_non_null(text);
    for (; *want != NULL; want++)
        if (strstr(text, *want) == NULL)
            fail_msg("\"%s\" not in the letter: %s", *want, text);
    for (; absent != NULL && *absent != NULL; absent++)
        if (strstr(text, *absent) != NULL)
            fail_msg("\"%s\" in the letter: %s", *absent, text);
    free(text);
    free(pdf);
}

static void test_imss_spanish(void **state)
{
    (void)state;
    struct letter_pdf l = sample(PDF_LANG_ES, "IMSS", SAMPLE_NAME);
    const char *want[] = {"Carta de No Afiliación al IMSS",
                          "Folio: CNA-IMSS-26-7K3M",
                          "Fecha de emisión: 15 de enero de 2026",
                          "Instituto Mexicano del Seguro Social",
                          "IMSS-Bienestar hace constar que la persona " SAMPLE_NAME
                          ", con la CURP LOCM900627MSPRBR05, no se encuentra afiliada",
                          "con fecha 10 de enero de 2026",
                          "del 15 de enero de 2026 al 15 de abril de 2026",
                          "No necesita sello ni firma autógrafa",
                          "https://padron.example.mx/cartas/CNA-IMSS-26-7K3M",
                          NULL};
    round_trip(&l, want, NULL);
}

static void test_issste_english_without_name(void **state)
{
    (void)state;
    struct letter_pdf l = sample(PDF_LANG_EN, "ISSSTE", NULL);
    const char *want[] = {"Letter of Non-Affiliation with the ISSSTE",
                          "Instituto de Seguridad y Servicios Sociales de los Trabajadores del "
                          "Estado",
                          "the person with CURP LOCM900627MSPRBR05 is not found",
                          "roll dated 10 January 2026",
                          "from 15 January 2026 to 15 April 2026",
                          "No stamp or handwritten signature is needed",
                          NULL};
    const char *absent[] = {"Name", "María", NULL};
    round_trip(&l, want, absent);
}

static void test_long_name(void **state)
{
    (void)state;
    struct letter_pdf l = sample(PDF_LANG_ES, "ISSSTE", SAMPLE_LONG_NAME);
    const char *want[] = {SAMPLE_LONG_NAME, "Carta de No Afiliación al ISSSTE", NULL};
    round_trip(&l, want, NULL);
    l.lang = PDF_LANG_EN;
    const char *want_en[] = {SAMPLE_LONG_NAME, "Letter of Non-Affiliation with the ISSSTE", NULL};
    round_trip(&l, want_en, NULL);
}

static void refused(const struct letter_pdf *l, const char *why)
{
    uint8_t *pdf = (uint8_t *)"x";
    size_t len = 3;
    char err[160];
    assert_int_equal(letter_pdf_render(l, &pdf, &len, err, sizeof err), -1);
    assert_null(pdf);
    assert_int_equal(len, 0);
    assert_string_equal(err, why);
}

static void test_refusals(void **state)
{
    (void)state;
    struct letter_pdf l = sample(PDF_LANG_ES, "IMSSS", NULL);
    refused(&l, "institution: IMSS or ISSSTE");
    l = sample(PDF_LANG_ES, "imss", NULL);
    refused(&l, "institution: IMSS or ISSSTE");
    l = sample(PDF_LANG_ES, "IMSS", NULL);
    l.valid_until = "2026-01-14";
    refused(&l, "valid_until: before valid_from");
    l = sample(PDF_LANG_ES, "IMSS", NULL);
    l.roll_date = NULL;
    refused(&l, "roll_date: not a YYYY-MM-DD date");
    l = sample(PDF_LANG_ES, "IMSS", NULL);
    l.folio = NULL;
    refused(&l, "folio: required");
    l = sample(PDF_LANG_ES, "IMSS", "Jos\xe9"); /* Latin-1, not UTF-8 */
    refused(&l, "full_name: not UTF-8 at byte 3");
    l = sample(PDF_LANG_ES, "IMSS", NULL);
    l.verify_url = "https://padron.example.mx/\tx";
    refused(&l, "verify_url: control character at byte 26");
    l = sample(PDF_LANG_ES, "IMSS", NULL);
    l.qr_text = "";
    refused(&l, "qr_text: required");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_imss_spanish),
        cmocka_unit_test(test_issste_english_without_name),
        cmocka_unit_test(test_long_name),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
