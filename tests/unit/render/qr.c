/* Unit tests for src/render/qr.c: encoding, the SVG (parsed back into modules) and
 * the cairo drawing (read back with zbar through qr_scan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render/qr.h"
#include "render/qr_scan.h"
#include "web/textbuf.h"

#include "sample.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>

static void test_encode_envelope(void **state)
{
    (void)state;
    struct qr_matrix m;
    char err[160];
    assert_int_equal(strlen(SAMPLE_ENVELOPE), 391);
    assert_int_equal(qr_encode(SAMPLE_ENVELOPE, strlen(SAMPLE_ENVELOPE), &m, err, sizeof err), 0);
    /* docs/credential.md: 391 alphanumeric characters at M are version 12. In byte
     * mode they would need version 14: this checks the alphanumeric mode too. */
    assert_int_equal(m.version, 12);
    assert_int_equal(m.side, 65);
    /* The three finder patterns: dark corners, 7 x 7. */
    assert_int_equal(m.modules[0], 1);
    assert_int_equal(m.modules[64], 1);
    assert_int_equal(m.modules[64 * 65], 1);
    assert_int_equal(m.modules[64 * 65 + 64] <= 1, 1);
    qr_matrix_release(&m);
    assert_null(m.modules);
    qr_matrix_release(&m); /* twice is safe */

    assert_int_equal(
        qr_encode(SAMPLE_ENVELOPE_LONG, strlen(SAMPLE_ENVELOPE_LONG), &m, err, sizeof err), 0);
    assert_int_equal(m.version, 13);
    qr_matrix_release(&m);

    /* Lower case forces byte mode for that part, which still encodes. */
    assert_int_equal(qr_encode("https://padron.example.mx/v", 27, &m, err, sizeof err), 0);
    assert_true(m.version >= 2);
    qr_matrix_release(&m);
}

static void test_encode_refusals(void **state)
{
    (void)state;
    struct qr_matrix m;
    char err[160];
    assert_int_equal(qr_encode("", 0, &m, err, sizeof err), -1);
    assert_string_equal(err, "text: empty");
    assert_null(m.modules);
    assert_int_equal(qr_encode("PB1:\0AB", 7, &m, err, sizeof err), -1);
    assert_string_equal(err, "text: holds a NUL byte");

    char *big = malloc(QR_TEXT_MAX + 2);
    memset(big, 'A', QR_TEXT_MAX + 1);
    big[QR_TEXT_MAX + 1] = '\0';
    assert_int_equal(qr_encode(big, QR_TEXT_MAX, &m, err, sizeof err), 0); /* exactly fits */
    assert_int_equal(m.version, 40);
    qr_matrix_release(&m);
    assert_int_equal(qr_encode(big, QR_TEXT_MAX + 1, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "at most 3391"));
    /* Byte mode holds fewer: 3000 lower-case letters are too many at M. */
    memset(big, 'a', 3000);
    assert_int_equal(qr_encode(big, 3000, &m, err, sizeof err), -1);
    assert_string_equal(err, "text: too long for a QR code at error correction M");
    assert_null(m.modules);
    free(big);
}

/* Parses the SVG's path back into modules: "M x y.5" then "m dx dy" / "h n". */
static uint8_t *svg_modules(const char *svg, int full)
{
    uint8_t *grid = calloc((size_t)full * (size_t)full, 1);
    const char *d = strstr(svg, " d=\"");
    assert_non_null(d);
    d += 4;
    double x = 0, y = 0;
    while (*d != '"') {
        char op = *d++;
        char *end;
        if (op == 'M' || op == 'm') {
            double dx = strtod(d, &end);
            double dy = strtod(end, &end);
            x = op == 'M' ? dx : x + dx;
            y = op == 'M' ? dy : y + dy;
        } else {
            assert_int_equal(op, 'h');
            long n = strtol(d, &end, 10);
            assert_true(n > 0);
            int row = (int)(y - 0.5);
            assert_true(row >= 0 && row < full && y - row == 0.5);
            for (long i = 0; i < n; i++) {
                int col = (int)x + (int)i;
                assert_true(col >= 0 && col < full);
                grid[row * full + col] = 1;
            }
            x += (double)n;
        }
        d = end;
    }
    return grid;
}

static void test_svg(void **state)
{
    (void)state;
    struct qr_matrix m;
    char err[160];
    assert_int_equal(qr_encode(SAMPLE_ENVELOPE, strlen(SAMPLE_ENVELOPE), &m, err, sizeof err), 0);
    struct textbuf tb;
    textbuf_init(&tb, 64 * 1024);
    qr_svg_append(&tb, &m, "Código QR <de> \"María\" & Ñ", 4);
    assert_int_equal(textbuf_status(&tb), 0);
    const char *svg = textbuf_str(&tb);
    /* Small: one path of relative moves. */
    assert_true(tb.len < 8 * 1024);
    static const char head[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"";
    assert_int_equal(strncmp(svg, head, sizeof head - 1), 0);
    assert_non_null(strstr(svg, " width=\"292\" height=\"292\" viewBox=\"0 0 73 73\""));
    assert_non_null(strstr(svg, "shape-rendering=\"crispEdges\""));
    assert_non_null(strstr(svg, "<title>Código QR &lt;de&gt; &quot;María&quot; &amp; Ñ</title>"));
    assert_non_null(strstr(svg, "<rect width=\"73\" height=\"73\" fill=\"#fff\"/>"));
    const char *path = strstr(svg, "<path ");
    assert_non_null(path);
    assert_null(strstr(path + 1, "<path "));
    assert_string_equal(svg + tb.len - 6, "</svg>");

    /* Every module comes back from the path, and nothing else. */
    int full = m.side + 2 * QR_QUIET_ZONE;
    uint8_t *grid = svg_modules(svg, full);
    for (int y = 0; y < full; y++) {
        for (int x = 0; x < full; x++) {
            int in = x >= QR_QUIET_ZONE && x < QR_QUIET_ZONE + m.side && y >= QR_QUIET_ZONE &&
                     y < QR_QUIET_ZONE + m.side;
            uint8_t want = in ? m.modules[(y - QR_QUIET_ZONE) * m.side + (x - QR_QUIET_ZONE)] : 0;
            assert_int_equal(grid[y * full + x], want);
        }
    }
    free(grid);

    /* The cap is the builder's: a small one fails, stickily, and detach refuses. */
    textbuf_release(&tb);
    textbuf_init(&tb, 1024);
    qr_svg_append(&tb, &m, "QR", 4);
    assert_int_equal(textbuf_status(&tb), -1);
    assert_null(textbuf_detach(&tb, NULL));
    textbuf_release(&tb);

    /* An empty matrix is an error, not an empty image. */
    struct qr_matrix none = {0};
    textbuf_init(&tb, 1024);
    qr_svg_append(&tb, &none, "QR", 4);
    assert_int_equal(textbuf_status(&tb), -1);
    textbuf_release(&tb);
    qr_matrix_release(&m);
}

static cairo_status_t collect_png(void *closure, const unsigned char *data, unsigned int n)
{
    struct textbuf *tb = closure;
    textbuf_append(tb, (const char *)data, n);
    return textbuf_status(tb) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* qr_draw at px pixels a module, offset inside a larger grey canvas, read back. */
static void draw_and_scan(const char *text, int px, double angle)
{
    struct qr_matrix m;
    char err[160];
    assert_int_equal(qr_encode(text, strlen(text), &m, err, sizeof err), 0);
    double size = (double)px * (m.side + 2 * QR_QUIET_ZONE);
    int canvas = (int)(size * 1.6);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, canvas, canvas);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.55, 0.5, 0.45); /* a table under the paper */
    cairo_paint(cr);
    cairo_translate(cr, canvas / 2.0, canvas / 2.0);
    cairo_rotate(cr, angle);
    qr_draw(cr, &m, -size / 2, -size / 2, size);
    cairo_destroy(cr);
    struct textbuf png;
    textbuf_init(&png, 8u << 20);
    assert_int_equal(cairo_surface_write_to_png_stream(s, collect_png, &png), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    struct qr_scan_result r;
    assert_int_equal(qr_scan_image((const uint8_t *)png.buf, png.len, NULL, &r), QR_SCAN_OK);
    assert_int_equal(r.len, strlen(text));
    assert_string_equal(r.text, text);
    qr_scan_result_release(&r);
    textbuf_release(&png);
    qr_matrix_release(&m);
}

static void test_draw_round_trip(void **state)
{
    (void)state;
    draw_and_scan(SAMPLE_ENVELOPE, 4, 0);
    draw_and_scan(SAMPLE_ENVELOPE_LONG, 5, 0.2); /* turned by 11 degrees */
    assert_true(qr_code_extent(&(struct qr_matrix){12, 65, NULL}, 73) == 65);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_envelope),
        cmocka_unit_test(test_encode_refusals),
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_draw_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
