/* Unit tests for src/render/qr_scan.c: photos (PNG, JPEG, turned, on a table) and
 * PDFs read back, and every refusal of damaged, hostile or empty input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/photo.h"
#include "render/card_pdf.h"
#include "render/qr.h"
#include "render/qr_scan.h"
#include "web/textbuf.h"

#include "sample.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int n)
{
    textbuf_append(closure, (const char *)data, n);
    return textbuf_status(closure) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A w x h PNG "photo": a table, a sheet of paper turned by angle, the QR code of text
 * (NULL: none) px pixels a module on it. */
static void photo_png(struct textbuf *png, int w, int h, const char *text, double px, double angle)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.45, 0.35, 0.3);
    cairo_paint(cr);
    cairo_translate(cr, w / 2.0, h / 2.0);
    cairo_rotate(cr, angle);
    cairo_set_source_rgb(cr, 0.93, 0.93, 0.9);
    cairo_rectangle(cr, -w / 3.0, -h / 3.0, w / 1.5, h / 1.5);
    cairo_fill(cr);
    if (text != NULL) {
        struct qr_matrix m;
        char err[160];
        assert_int_equal(qr_encode(text, strlen(text), &m, err, sizeof err), 0);
        double size = px * (m.side + 2 * QR_QUIET_ZONE);
        qr_draw(cr, &m, -size / 2, -size / 2, size);
        qr_matrix_release(&m);
    }
    cairo_destroy(cr);
    textbuf_init(png, 32u << 20);
    assert_int_equal(cairo_surface_write_to_png_stream(s, collect, png), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

static void test_photos(void **state)
{
    (void)state;
    struct textbuf png;
    struct qr_scan_result r;
    /* A 4:3 photo larger than QR_SCAN_LONG_SIDE, so it is scaled down first. */
    photo_png(&png, 3200, 2400, SAMPLE_ENVELOPE, 9, 0.25);
    assert_int_equal(qr_scan_image((const uint8_t *)png.buf, png.len, NULL, &r), QR_SCAN_OK);
    assert_string_equal(r.text, SAMPLE_ENVELOPE);
    assert_int_equal(r.len, strlen(SAMPLE_ENVELOPE));
    assert_int_equal(r.page, 0);
    assert_string_equal(r.error, "");
    qr_scan_result_release(&r);

    /* The same as a JPEG (media/photo's encoder makes one). */
    struct photo_result jpeg;
    struct photo_limits pl;
    photo_limits_init(&pl);
    pl.out_long_side = 2000;
    assert_int_equal(photo_process((const uint8_t *)png.buf, png.len, &pl, &jpeg), PHOTO_OK);
    textbuf_release(&png);
    assert_int_equal(qr_scan_image(jpeg.jpeg, jpeg.jpeg_len, NULL, &r), QR_SCAN_OK);
    assert_string_equal(r.text, SAMPLE_ENVELOPE);
    qr_scan_result_release(&r);
    photo_result_release(&jpeg);

    /* A long envelope, small: 3 pixels a module. */
    photo_png(&png, 800, 600, SAMPLE_ENVELOPE_LONG, 3, -0.1);
    assert_int_equal(qr_scan_image((const uint8_t *)png.buf, png.len, NULL, &r), QR_SCAN_OK);
    assert_string_equal(r.text, SAMPLE_ENVELOPE_LONG);
    qr_scan_result_release(&r);
    textbuf_release(&png);
}

static void expect(enum qr_scan_status got, const struct qr_scan_result *r,
                   enum qr_scan_status want)
{
    if (got != want)
        fail_msg("status %s, want %s (%s)", qr_scan_status_code(got), qr_scan_status_code(want),
                 r->error);
    assert_int_equal(r->status, want);
    assert_null(r->text);
    size_t n = strlen(qr_scan_status_code(want));
    assert_int_equal(strncmp(r->error, qr_scan_status_code(want), n), 0);
    assert_true(r->error[n] == ':' && r->error[n + 1] == ' ' && r->error[n + 2] != '\0');
}

static void test_image_refusals(void **state)
{
    (void)state;
    struct qr_scan_result r;
    struct textbuf png;
    photo_png(&png, 640, 480, NULL, 0, 0.1);
    expect(qr_scan_image((const uint8_t *)png.buf, png.len, NULL, &r), &r, QR_SCAN_ERR_NOT_FOUND);
    assert_non_null(strstr(r.error, "no QR code in 640x480 pixels"));
    qr_scan_result_release(&r);

    /* Truncated: the header (and so the size) is there, the pixels are not. */
    expect(qr_scan_image((const uint8_t *)png.buf, png.len / 2, NULL, &r), &r,
           QR_SCAN_ERR_UNREADABLE);
    qr_scan_result_release(&r);

    struct qr_scan_limits lim;
    qr_scan_limits_init(&lim);
    lim.max_image_bytes = png.len - 1;
    expect(qr_scan_image((const uint8_t *)png.buf, png.len, &lim, &r), &r, QR_SCAN_ERR_SIZE);
    qr_scan_result_release(&r);
    lim.max_image_bytes = 0;
    expect(qr_scan_image((const uint8_t *)png.buf, png.len, &lim, &r), &r, QR_SCAN_ERR_INTERNAL);
    qr_scan_result_release(&r);
    textbuf_release(&png);

    expect(qr_scan_image((const uint8_t *)"PB1:NOT AN IMAGE", 16, NULL, &r), &r, QR_SCAN_ERR_TYPE);
    qr_scan_result_release(&r);
    expect(qr_scan_image(NULL, 0, NULL, &r), &r, QR_SCAN_ERR_TYPE);
    qr_scan_result_release(&r);

    /* Too few pixels to hold a QR code. */
    photo_png(&png, 16, 16, NULL, 0, 0);
    expect(qr_scan_image((const uint8_t *)png.buf, png.len, NULL, &r), &r, QR_SCAN_ERR_DIMENSIONS);
    qr_scan_result_release(&r);
    textbuf_release(&png);

    /* A PNG header declaring 100000 x 100000 pixels: refused before any pixel. */
    static const uint8_t bomb[] = {0x89, 'P',  'N', 'G', '\r', '\n', 0x1a, '\n', 0,    0,    0,
                                   13,   'I',  'H', 'D', 'R',  0,    1,    0x86, 0xa0, 0,    1,
                                   0x86, 0xa0, 8,   2,   0,    0,    0,    0x3a, 0x0f, 0x7e, 0x5c};
    expect(qr_scan_image(bomb, sizeof bomb, NULL, &r), &r, QR_SCAN_ERR_DIMENSIONS);
    qr_scan_result_release(&r);
    qr_scan_result_release(&r); /* twice is safe */
}

static uint8_t *card(size_t *len)
{
    static const int levels[] = {1, 2};
    struct card_pdf c = {PDF_LANG_ES,
                         "IMSS-Bienestar",
                         SAMPLE_NAME,
                         "LOCM900627MSPRBR05",
                         "1990-06-27",
                         "IB26-7K3M-9QXD",
                         levels,
                         2,
                         NULL,
                         NULL,
                         "2026-01-01",
                         "2026-12-31",
                         SAMPLE_ENVELOPE,
                         "https://padron.example.mx/v"};
    uint8_t *pdf;
    char err[160];
    assert_int_equal(card_pdf_render(&c, &pdf, len, err, sizeof err), 0);
    return pdf;
}

/* A minimal one-page PDF whose page is w x h points and draws nothing. */
static size_t blank_pdf(char *out, size_t outsz, const char *box)
{
    int n = snprintf(out, outsz,
                     "%%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                     "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
                     "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [%s] >> endobj\n"
                     "trailer << /Root 1 0 R >>\n%%%%EOF\n",
                     box);
    assert_true(n > 0 && (size_t)n < outsz);
    return (size_t)n;
}

static void test_pdfs(void **state)
{
    (void)state;
    size_t len;
    uint8_t *pdf = card(&len);
    struct qr_scan_result r;
    assert_int_equal(qr_scan_pdf(pdf, len, NULL, &r), QR_SCAN_OK);
    assert_string_equal(r.text, SAMPLE_ENVELOPE);
    assert_int_equal(r.page, 1);
    qr_scan_result_release(&r);

    struct qr_scan_limits lim;
    qr_scan_limits_init(&lim);
    lim.max_pdf_bytes = len - 1;
    expect(qr_scan_pdf(pdf, len, &lim, &r), &r, QR_SCAN_ERR_SIZE);
    qr_scan_result_release(&r);
    /* A page rasterised with too few pixels to resolve the modules: not found, not
     * a crash, and the pixel bound holds. */
    qr_scan_limits_init(&lim);
    lim.max_pdf_pixels = 200 * 1000;
    expect(qr_scan_pdf(pdf, len, &lim, &r), &r, QR_SCAN_ERR_NOT_FOUND);
    qr_scan_result_release(&r);

    /* Truncated: poppler may rebuild what is left; never OK without the QR code's
     * drawing, never a crash. */
    enum qr_scan_status st = qr_scan_pdf(pdf, len / 3, NULL, &r);
    assert_true(st == QR_SCAN_ERR_UNREADABLE || st == QR_SCAN_ERR_NOT_FOUND);
    qr_scan_result_release(&r);
    /* An image is not a PDF. */
    expect(qr_scan_pdf((const uint8_t *)"\x89PNG\r\n\x1a\n....", 12, NULL, &r), &r,
           QR_SCAN_ERR_TYPE);
    qr_scan_result_release(&r);
    free(pdf);

    static const char garbage[] = "%PDF-1.7\n\x01\x02 not really a PDF at all \xff\xfe";
    expect(qr_scan_pdf((const uint8_t *)garbage, sizeof garbage - 1, NULL, &r), &r,
           QR_SCAN_ERR_UNREADABLE);
    qr_scan_result_release(&r);

    char doc[512];
    size_t n = blank_pdf(doc, sizeof doc, "0 0 612 792");
    expect(qr_scan_pdf((const uint8_t *)doc, n, NULL, &r), &r, QR_SCAN_ERR_NOT_FOUND);
    qr_scan_result_release(&r);
    n = blank_pdf(doc, sizeof doc, "0 0 100000 100000");
    expect(qr_scan_pdf((const uint8_t *)doc, n, NULL, &r), &r, QR_SCAN_ERR_DIMENSIONS);
    qr_scan_result_release(&r);
    n = blank_pdf(doc, sizeof doc, "0 0 3 3");
    expect(qr_scan_pdf((const uint8_t *)doc, n, NULL, &r), &r, QR_SCAN_ERR_DIMENSIONS);
    qr_scan_result_release(&r);
}

static void test_codes(void **state)
{
    (void)state;
    const char *codes[] = {"ok",         "size",      "type",    "dimensions",
                           "unreadable", "not_found", "internal"};
    for (int i = 0; i <= QR_SCAN_ERR_INTERNAL; i++)
        assert_string_equal(qr_scan_status_code((enum qr_scan_status)i), codes[i]);
    assert_string_equal(qr_scan_status_code((enum qr_scan_status)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_photos),
        cmocka_unit_test(test_image_refusals),
        cmocka_unit_test(test_pdfs),
        cmocka_unit_test(test_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
