/* Unit tests for src/media/photo_pixels.c: the output size and the box filter's
 * arithmetic on rows small enough to check by hand. EXIF parsing and orientation are
 * tested through photo_process in tests/unit/media/photo.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/photo_internal.h"

#include <stdbool.h>
#include <string.h>

/* Grey pixels: every channel of pixel i is v[i]. */
static void grey_row(uint8_t *row, const uint8_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        row[3 * i] = row[3 * i + 1] = row[3 * i + 2] = v[i];
}

static void assert_grey_row(const uint8_t *row, const uint8_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            if (row[3 * i + k] != want[i])
                fail_msg("pixel %zu channel %d: %u, expected %u", i, k, row[3 * i + k], want[i]);
}

static void test_target_size(void **state)
{
    (void)state;
    struct {
        uint32_t w, h, long_side, dw, dh;
    } cases[] = {
        {4000, 3000, 1600, 1600, 1200}, {3000, 4000, 1600, 1200, 1600},
        {1200, 900, 1600, 1200, 900},   {1600, 1200, 1600, 1600, 1200},
        {1601, 300, 1600, 1600, 300},   {3001, 2003, 1600, 1600, 1068},
        {12000, 1, 1600, 1600, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t dw, dh;
        photo_target_size(cases[i].w, cases[i].h, cases[i].long_side, &dw, &dh);
        if (dw != cases[i].dw || dh != cases[i].dh)
            fail_msg("%ux%u: %ux%u, expected %ux%u", cases[i].w, cases[i].h, dw, dh, cases[i].dw,
                     cases[i].dh);
    }
}

/* 4 -> 2 columns: each output is the mean of two; 3 -> 2: the middle source pixel is
 * split half and half, so (0 + 90 / 2) / 1.5 = 30 and (90 / 2 + 180) / 1.5 = 150;
 * 4 -> 3: (3 * 0 + 40) / 4 = 10, (2 * 40 + 2 * 80) / 4 = 60, (80 + 3 * 120) / 4 = 110. */
static void test_horizontal_means(void **state)
{
    (void)state;
    struct {
        uint32_t sw, dw;
        uint8_t in[4], out[3];
    } cases[] = {
        {4, 2, {10, 20, 100, 201}, {15, 151}}, /* 150.5 rounds up */
        {3, 2, {0, 90, 180}, {30, 150}},
        {4, 3, {0, 40, 80, 120}, {10, 60, 110}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resampler r = {0};
        uint8_t row[12], out[9];
        grey_row(row, cases[i].in, cases[i].sw);
        photo_resampler_init(&r, cases[i].sw, 1, cases[i].dw, 1);
        assert_true(photo_resampler_push(&r, row, out));
        assert_grey_row(out, cases[i].out, cases[i].dw);
        assert_false(photo_resampler_push(&r, row, out)); /* beyond sh: ignored */
        photo_resampler_release(&r);
    }
}

/* 3 -> 2 rows: output row 0 is complete after source row 1 (it covers rows 0 and half
 * of 1), output row 1 after source row 2; each row is handed out exactly once. */
static void test_vertical_rows_handed_out_when_complete(void **state)
{
    (void)state;
    struct resampler r = {0};
    static const uint8_t v[3] = {0, 90, 180}, want0[1] = {30}, want1[1] = {150};
    uint8_t row[3], out[3];
    photo_resampler_init(&r, 1, 3, 1, 2);
    grey_row(row, &v[0], 1);
    assert_false(photo_resampler_push(&r, row, out));
    grey_row(row, &v[1], 1);
    assert_true(photo_resampler_push(&r, row, out));
    assert_grey_row(out, want0, 1);
    grey_row(row, &v[2], 1);
    assert_true(photo_resampler_push(&r, row, out));
    assert_grey_row(out, want1, 1);
    assert_int_equal(r.oy, 2);
    photo_resampler_release(&r);
}

/* Odd ratios (2000 -> 1600, 3001 -> 1600, 1601 -> 1600, and 1 -> 1 vertically) keep a
 * flat colour exactly flat and hand out every output row. */
static void test_flat_colour_stays_flat(void **state)
{
    (void)state;
    struct {
        uint32_t sw, sh, dw, dh;
    } cases[] = {{2000, 150, 1600, 120}, {3001, 201, 1600, 107}, {1601, 7, 1600, 7}};
    static uint8_t row[3001 * 3], out[1600 * 3];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resampler r = {0};
        photo_resampler_init(&r, cases[i].sw, cases[i].sh, cases[i].dw, cases[i].dh);
        for (uint32_t x = 0; x < cases[i].sw; x++) {
            row[3 * x] = 200;
            row[3 * x + 1] = 100;
            row[3 * x + 2] = 7;
        }
        uint32_t emitted = 0;
        for (uint32_t y = 0; y < cases[i].sh; y++) {
            if (!photo_resampler_push(&r, row, out))
                continue;
            emitted++;
            for (uint32_t x = 0; x < cases[i].dw; x++)
                if (out[3 * x] != 200 || out[3 * x + 1] != 100 || out[3 * x + 2] != 7)
                    fail_msg("case %zu: pixel %u of row %u is (%u, %u, %u)", i, x, emitted - 1,
                             out[3 * x], out[3 * x + 1], out[3 * x + 2]);
        }
        assert_int_equal(emitted, cases[i].dh);
        photo_resampler_release(&r);
    }
}

/* A black and white checkerboard of single pixels averages to mid grey. */
static void test_checkerboard_to_grey(void **state)
{
    (void)state;
    struct resampler r = {0};
    uint8_t row[8 * 3], out[4 * 3];
    photo_resampler_init(&r, 8, 8, 4, 4);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++)
            memset(row + 3 * x, (x + y) % 2 ? 255 : 0, 3);
        if (photo_resampler_push(&r, row, out))
            for (int i = 0; i < 12; i++)
                assert_int_equal(out[i], 128); /* 127.5 rounds up */
    }
    assert_int_equal(r.oy, 4);
    photo_resampler_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_size),
        cmocka_unit_test(test_horizontal_means),
        cmocka_unit_test(test_vertical_rows_handed_out_when_complete),
        cmocka_unit_test(test_flat_colour_stays_flat),
        cmocka_unit_test(test_checkerboard_to_grey),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
