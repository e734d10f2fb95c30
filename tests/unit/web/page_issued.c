/* Unit tests for src/web/page_issued.c: dates in words, the signed data of a
 * verdict laid out for people, and the QR code as SVG in a view. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "web/page_issued.h"

#include <jansson.h>
#include <string.h>

/* A page in lang with an empty view: all these functions read is the language. */
static struct page page_in(struct web_request *req, enum i18n_lang lang)
{
    memset(req, 0, sizeof *req);
    req->lang = lang;
    req->method = "GET";
    req->url = "/test";
    struct page p = {.req = req, .view = json_object()};
    return p;
}

static void assert_text(const json_t *j, const char *expected)
{
    assert_true(json_is_string(j));
    assert_string_equal(json_string_value(j), expected);
}

static void test_dates_in_words(void **state)
{
    (void)state;
    struct web_request req;
    struct page es = page_in(&req, I18N_ES);
    json_t *d = page_issued_date(&es, "1966-07-20");
    assert_text(d, "20 de julio de 1966");
    json_decref(d);
    d = page_issued_day(&es, 0);
    assert_text(d, "1 de enero de 1970");
    json_decref(d);
    json_decref(es.view);
    struct page en = page_in(&req, I18N_EN);
    d = page_issued_date(&en, "2026-02-28");
    assert_text(d, "28 February 2026");
    json_decref(d);
    /* Not a real day: shown as it came, never dropped. */
    d = page_issued_date(&en, "2026-02-30");
    assert_text(d, "2026-02-30");
    json_decref(d);
    json_decref(en.view);
}

static void test_claims_of_a_credential(void **state)
{
    (void)state;
    struct web_request req;
    struct page p = page_in(&req, I18N_ES);
    json_t *verdict =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[i,i]}", "result", "valid",
                  "issued", "2026-01-02", "expires", "2027-01-02", "kind", "credential", "curp",
                  "PXNE660720HMCXTN06", "given_names", "Enrique", "first_surname", "Peña",
                  "second_surname", "Nieto", "birth_date", "1966-07-20", "levels", 1, 2);
    json_t *c = page_issued_claims(&p, verdict);
    assert_non_null(c);
    assert_text(json_object_get(c, "name"), "Enrique Peña Nieto");
    assert_text(json_object_get(c, "levels"), "1 y 2");
    assert_text(json_object_get(c, "issued"), "2 de enero de 2026");
    assert_text(json_object_get(c, "birth_date"), "20 de julio de 1966");
    assert_true(json_is_true(json_object_get(c, "is_credential")));
    assert_true(json_is_false(json_object_get(c, "is_letter")));
    assert_null(json_object_get(c, "institution"));
    json_decref(c);
    json_decref(verdict);
    json_decref(p.view);

    /* Three levels in English; a single surname. */
    p = page_in(&req, I18N_EN);
    verdict = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[i,i,i]}", "issued", "2026-01-02", "expires",
                        "2027-01-02", "kind", "credential", "given_names", "Ana", "first_surname",
                        "Ruiz", "levels", 1, 2, 3);
    c = page_issued_claims(&p, verdict);
    assert_text(json_object_get(c, "name"), "Ana Ruiz");
    assert_text(json_object_get(c, "levels"), "1, 2 and 3");
    json_decref(c);
    json_decref(verdict);
    json_decref(p.view);
}

static void test_claims_of_a_letter_without_names(void **state)
{
    (void)state;
    struct web_request req;
    struct page p = page_in(&req, I18N_EN);
    json_t *verdict =
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "issued", "2026-01-02", "expires", "2026-04-02",
                  "kind", "letter", "curp", "GODE561231MHGMZM07", "institution", "IMSS");
    json_t *c = page_issued_claims(&p, verdict);
    assert_null(json_object_get(c, "name"));
    assert_null(json_object_get(c, "levels"));
    assert_text(json_object_get(c, "institution"), "IMSS");
    assert_true(json_is_true(json_object_get(c, "is_letter")));
    json_decref(c);
    json_decref(verdict);
    json_decref(p.view);
}

static void test_no_claims_without_a_signature(void **state)
{
    (void)state;
    struct web_request req;
    struct page p = page_in(&req, I18N_ES);
    json_t *verdict = json_pack("{s:s, s:s}", "result", "bad_signature", "kid", "abc");
    assert_null(page_issued_claims(&p, verdict));
    json_decref(verdict);
    json_decref(p.view);
}

static void test_qr_svg(void **state)
{
    (void)state;
    struct web_request req;
    struct page p = page_in(&req, I18N_ES);
    assert_int_equal(page_issued_qr(&p, "qr", "PB1:ABC", "Código <QR>"), 0);
    const char *svg = json_string_value(json_object_get(p.view, "qr"));
    assert_non_null(svg);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "<title>Código &lt;QR&gt;</title>"));
    /* Nothing to encode: refused, the key left unset. */
    assert_int_equal(page_issued_qr(&p, "empty", "", "t"), -1);
    assert_null(json_object_get(p.view, "empty"));
    json_decref(p.view);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_in_words),
        cmocka_unit_test(test_claims_of_a_credential),
        cmocka_unit_test(test_claims_of_a_letter_without_names),
        cmocka_unit_test(test_no_claims_without_a_signature),
        cmocka_unit_test(test_qr_svg),
    };
    return cmocka_run_group_tests_name("web/page_issued", tests, NULL, NULL);
}
