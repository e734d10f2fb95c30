/* Unit tests for src/media/photo_sink.c: rows pushed by hand, as a decoder would, and
 * the JPEG read back with plain libjpeg. Each of its paths: unscaled rows straight to
 * the encoder, scaled rows streamed through the box filter, and the kept image of
 * orientations 2-8, unscaled (decoded in place) and scaled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/photo_internal.h"

#include "photo_images.h"

/* Everything the fed sink changes lives here, off the stack of run_job's setjmp. */
struct job {
    jmp_buf jmp;
    struct photo_sink *sink;
    uint32_t sw, sh, rows; /* rows: how many to push (sh, or one more or fewer) */
    enum pattern pat;
};

static void feed(struct job *j)
{
    photo_sink_start(j->sink);
    for (uint32_t y = 0; y < j->rows; y++) {
        uint8_t *row = photo_sink_row(j->sink);
        for (uint32_t x = 0; x < j->sw; x++)
            pixel(j->pat, x, y < j->sh ? y : j->sh - 1, j->sw, j->sh, row + 3 * x);
        photo_sink_push(j->sink);
    }
    photo_sink_finish(j->sink);
}

static int run_job(struct job *j)
{
    if (setjmp(j->jmp))
        return -1;
    feed(j);
    return 0;
}

/* Feeds a sw x sh picture of pat (rows of them) into a sink making dw x dh with
 * orientation o; on success the result is in *r. Returns run_job's result; *err gets
 * photo_sink_error. */
static int sink_picture(uint32_t sw, uint32_t sh, uint32_t dw, uint32_t dh, int o, enum pattern pat,
                        uint32_t rows, struct photo_result *r, char *err, size_t errsz)
{
    struct job *j = calloc(1, sizeof *j);
    assert_non_null(j);
    *j = (struct job){.sw = sw, .sh = sh, .rows = rows, .pat = pat};
    j->sink = photo_sink_new(sw, sh, dw, dh, o, 85, &j->jmp);
    memset(r, 0, sizeof *r);
    int rc = run_job(j);
    const char *e = photo_sink_error(j->sink);
    snprintf(err, errsz, "%s", e ? e : "");
    if (rc == 0)
        photo_sink_detach(j->sink, r);
    photo_sink_free(j->sink);
    free(j);
    return rc;
}

static void test_unscaled_rows_reach_the_encoder_unchanged(void **state)
{
    (void)state;
    struct photo_result r;
    char err[200];
    assert_int_equal(sink_picture(1200, 900, 1200, 900, 1, GRADIENT, 900, &r, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_int_equal(r.width, 1200);
    assert_int_equal(r.height, 900);
    assert_int_equal(r.orientation, 1);
    assert_clean_baseline(r.jpeg, r.jpeg_len);
    uint32_t w, h;
    uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
    double sum = 0;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint8_t want[3];
            pixel(GRADIENT, x, y, w, h, want);
            for (int k = 0; k < 3; k++)
                sum += abs(px[((size_t)y * w + x) * 3 + k] - want[k]);
        }
    double mean = sum / ((double)w * h * 3);
    if (mean > 1.0)
        fail_msg("mean difference %.2f from the rows pushed", mean);
    free(px);
    photo_result_release(&r);
}

static void test_scaled_rows_streamed(void **state)
{
    (void)state;
    struct photo_result r;
    char err[200];
    assert_int_equal(sink_picture(4000, 3000, 1600, 1200, 1, CORNERS, 3000, &r, err, sizeof err),
                     0);
    assert_int_equal(r.width, 1600);
    assert_int_equal(r.height, 1200);
    assert_clean_baseline(r.jpeg, r.jpeg_len);
    uint32_t w, h;
    uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
    int c[3];
    sample(px, w, 60, 60, c);
    assert_color(c, 255, 0, 0, 20);
    sample(px, w, w - 60, 60, c);
    assert_color(c, 0, 255, 0, 20);
    sample(px, w, w / 2, h / 2, c);
    assert_color(c, 128, 128, 128, 4);
    free(px);
    photo_result_release(&r);
}

/* Where the stored top-left (red) and top-right (green) corners end up for each
 * orientation: 0 top left, 1 top right, 2 bottom left, 3 bottom right; unscaled (rows
 * decoded into the kept image) and scaled (the box filter writes into it). */
static void test_orientations_unscaled_and_scaled(void **state)
{
    (void)state;
    static const int where[9][2] = {{0, 0}, {0, 1}, {1, 0}, {3, 2}, {2, 3},
                                    {0, 2}, {1, 3}, {3, 1}, {2, 0}};
    for (int o = 1; o <= 8; o++) {
        for (uint32_t dw = 400; dw >= 200; dw -= 200) {
            uint32_t dh = dw * 4 / 5;
            struct photo_result r;
            char err[200];
            assert_int_equal(sink_picture(400, 320, dw, dh, o, CORNERS, 320, &r, err, sizeof err),
                             0);
            assert_int_equal(r.orientation, o);
            assert_int_equal(r.width, o >= 5 ? dh : dw);
            assert_int_equal(r.height, o >= 5 ? dw : dh);
            uint32_t w, h;
            uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
            const uint32_t cx[4] = {20, w - 21, 20, w - 21}, cy[4] = {20, 20, h - 21, h - 21};
            int c[3];
            sample(px, w, cx[where[o][0]], cy[where[o][0]], c);
            assert_color(c, 255, 0, 0, 40);
            sample(px, w, cx[where[o][1]], cy[where[o][1]], c);
            assert_color(c, 0, 255, 0, 40);
            free(px);
            photo_result_release(&r);
        }
    }
}

/* A decoder that stops short, or pushes too much, gets an error and no JPEG, whatever
 * the path. */
static void test_row_count_enforced(void **state)
{
    (void)state;
    struct {
        uint32_t dw, dh;
        int o;
        uint32_t rows;
        const char *err;
    } cases[] = {
        {1200, 900, 1, 899, "sink: 899 of 900 rows in, 899 of 900 out"},
        {600, 450, 1, 899, "sink: 899 of 900 rows in, 449 of 450 out"},
        {1200, 900, 6, 0, "sink: 0 of 900 rows in, 0 of 900 out"},
        {1200, 900, 1, 901, "sink: more than 900 rows"},
        {600, 450, 3, 901, "sink: more than 900 rows"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct photo_result r;
        char err[200];
        assert_int_equal(sink_picture(1200, 900, cases[i].dw, cases[i].dh, cases[i].o, GRADIENT,
                                      cases[i].rows, &r, err, sizeof err),
                         -1);
        assert_string_equal(err, cases[i].err);
        assert_null(r.jpeg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unscaled_rows_reach_the_encoder_unchanged),
        cmocka_unit_test(test_scaled_rows_streamed),
        cmocka_unit_test(test_orientations_unscaled_and_scaled),
        cmocka_unit_test(test_row_count_enforced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
