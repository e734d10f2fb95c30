/* Unit tests for src/media/photo.c, through photo_process. Every input image is
 * generated (photo_images.h), so no binary fixture is committed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/photo.h"

#include "photo_images.h"

#include <zlib.h>

static enum photo_status run(const uint8_t *buf, size_t len, struct photo_result *r)
{
    return photo_process(buf, len, NULL, r);
}

/* ---- Success paths ---- */

static void test_jpeg_downscaled_to_1600(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_jpeg(2000, 1500, GRADIENT, NULL, &len);
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    assert_string_equal(r.error, "");
    assert_int_equal(r.format, PHOTO_FORMAT_JPEG);
    assert_int_equal(r.src_width, 2000);
    assert_int_equal(r.src_height, 1500);
    assert_int_equal(r.width, 1600);
    assert_int_equal(r.height, 1200);
    assert_int_equal(r.orientation, 1);
    assert_clean_baseline(r.jpeg, r.jpeg_len);
    uint32_t w, h;
    uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
    assert_int_equal(w, 1600);
    assert_int_equal(h, 1200);
    int c[3];
    sample(px, w, 800, 600, c); /* the gradient's middle survives the area filter */
    assert_color(c, 128, 128, 128, 6);
    free(px);
    photo_result_release(&r);
    assert_null(r.jpeg);
    free(in);
}

/* Mean absolute difference per channel between two w x h RGB images. */
static double mean_abs_diff(const uint8_t *a, const uint8_t *b, uint32_t w, uint32_t h)
{
    double sum = 0;
    size_t n = (size_t)w * h * 3;
    for (size_t i = 0; i < n; i++)
        sum += abs(a[i] - b[i]);
    return sum / (double)n;
}

/* Needs no scaling: same size, all metadata gone, pixels as close as a re-encode at
 * quality 85 gets (the box filter is skipped, so nothing is smoothed). */
static void test_unscaled_jpeg_same_size_no_metadata(void **state)
{
    (void)state;
    size_t len;
    struct jpeg_opts o = {.exif = 1, .comment = "GPS 19.4326,-99.1332", .icc = true};
    uint8_t *in = make_jpeg(1200, 900, CORNERS, &o, &len);
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    assert_int_equal(r.width, 1200);
    assert_int_equal(r.height, 900);
    assert_int_equal(r.orientation, 1);
    assert_clean_baseline(r.jpeg, r.jpeg_len);
    assert_false(contains(r.jpeg, r.jpeg_len, "Exif"));
    assert_false(contains(r.jpeg, r.jpeg_len, "SECRETPHONE"));
    assert_false(contains(r.jpeg, r.jpeg_len, "GPS"));
    assert_false(contains(r.jpeg, r.jpeg_len, "ICC_PROFILE"));
    uint32_t w, h, iw, ih;
    uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
    uint8_t *orig = decode(in, len, &iw, &ih);
    assert_int_equal(w, iw);
    assert_int_equal(h, ih);
    double diff = mean_abs_diff(px, orig, w, h);
    if (diff > 1.0)
        fail_msg("mean difference %.2f from the input", diff);
    free(orig);
    free(px);
    photo_result_release(&r);
    free(in);
}

/* A 12-megapixel phone photo: libjpeg decodes it at 4/8, the box filter does the rest;
 * with EXIF 6 the same comes out turned. */
static void test_jpeg_12mp_to_1600x1200(void **state)
{
    (void)state;
    for (int o = 1; o <= 6; o += 5) {
        size_t len;
        struct jpeg_opts opts = {.exif = o};
        uint8_t *in = make_jpeg(4000, 3000, CORNERS, &opts, &len);
        struct photo_result r;
        assert_int_equal(run(in, len, &r), PHOTO_OK);
        assert_int_equal(r.orientation, o);
        assert_int_equal(r.width, o == 6 ? 1200 : 1600);
        assert_int_equal(r.height, o == 6 ? 1600 : 1200);
        assert_clean_baseline(r.jpeg, r.jpeg_len);
        uint32_t w, h;
        uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
        int c[3];
        sample(px, w, o == 6 ? w - 60 : 60, 60, c); /* stored top left: red */
        assert_color(c, 255, 0, 0, 30);
        sample(px, w, w - 60, o == 6 ? h - 60 : 60, c); /* stored top right: green */
        assert_color(c, 0, 255, 0, 30);
        sample(px, w, w / 2, h / 2, c);
        assert_color(c, 128, 128, 128, 10);
        free(px);
        photo_result_release(&r);
        free(in);
    }
}

/* Every libjpeg scale M/8 (M = 8 down to 1), some landing exactly on the output size
 * (no box filter after it), some above it: with a 400 px output, widths 425 (8/8), 480
 * (7/8), 560 (6/8), 640 (5/8, exact), 800 (4/8, exact), 1100 (3/8), 1600 (2/8, exact),
 * 3200 (1/8, exact), 3300 (1/8). Each must come out 400 px wide with its corners in
 * place. */
static void test_jpeg_every_dct_scale(void **state)
{
    (void)state;
    static const uint32_t widths[] = {425, 480, 560, 640, 800, 1100, 1600, 3200, 3300};
    struct photo_limits lim = PHOTO_LIMITS_INIT;
    lim.out_long_side = 400;
    lim.min_short_side = 100;
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        uint32_t iw = widths[i], ih = widths[i] / 4;
        size_t len;
        uint8_t *in = make_jpeg(iw, ih, CORNERS, NULL, &len);
        struct photo_result r;
        if (photo_process(in, len, &lim, &r) != PHOTO_OK)
            fail_msg("%ux%u: %s", iw, ih, r.error);
        assert_int_equal(r.width, 400);
        assert_int_equal(r.height, (ih * 400 + iw / 2) / iw);
        uint32_t w, h;
        uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
        int c[3];
        sample(px, w, 30, 10, c);
        assert_color(c, 255, 0, 0, 40);
        sample(px, w, w - 31, 10, c);
        assert_color(c, 0, 255, 0, 40);
        sample(px, w, w / 2, h - 11, c);
        assert_color(c, 128, 128, 128, 10);
        free(px);
        photo_result_release(&r);
        free(in);
    }
}

/* bench/registration's photo: an opaque RGB PNG that needs no scaling goes straight
 * from libpng to the encoder, unchanged in size and colour. */
static void test_png_opaque_unscaled(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_png(640, 480, PNG_COLOR_TYPE_RGB, 8, false, GRADIENT, &len);
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    assert_int_equal(r.width, 640);
    assert_int_equal(r.height, 480);
    assert_clean_baseline(r.jpeg, r.jpeg_len);
    uint32_t w, h;
    uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
    int c[3];
    sample(px, w, 320, 240, c);
    assert_color(c, 128, 128, 128, 4);
    sample(px, w, 8, 8, c);
    assert_color(c, 2, 2, 128, 4);
    sample(px, w, w - 9, h - 9, c);
    assert_color(c, 253, 253, 128, 4);
    free(px);
    photo_result_release(&r);
    free(in);
}

static void test_png_portrait_downscaled(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_png(1500, 2000, PNG_COLOR_TYPE_RGB, 8, false, GRADIENT, &len);
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    assert_int_equal(r.format, PHOTO_FORMAT_PNG);
    assert_int_equal(r.width, 1200);
    assert_int_equal(r.height, 1600);
    assert_clean_baseline(r.jpeg, r.jpeg_len);
    photo_result_release(&r);
    free(in);
}

static void test_small_photo_not_upscaled(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_jpeg(800, 600, GRADIENT, NULL, &len);
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    assert_int_equal(r.width, 800);
    assert_int_equal(r.height, 600);
    photo_result_release(&r);
    free(in);
}

static void test_uniform_colour_kept(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_jpeg(3001, 2003, UNIFORM, NULL, &len); /* odd sizes: uneven boxes */
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    assert_int_equal(r.width, 1600);
    assert_int_equal(r.height, 1068);
    uint32_t w, h;
    uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
    for (uint32_t y = 4; y < h - 4; y += 97)
        for (uint32_t x = 4; x < w - 4; x += 89) {
            int c[3];
            sample(px, w, x, y, c);
            assert_color(c, 200, 100, 50, 4);
        }
    free(px);
    photo_result_release(&r);
    free(in);
}

static void test_exif_orientation_6(void **state)
{
    (void)state;
    size_t len;
    struct jpeg_opts o = {.exif = 6};
    uint8_t *in = make_jpeg(2000, 1500, CORNERS, &o, &len);
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    assert_int_equal(r.orientation, 6);
    assert_int_equal(r.width, 1200); /* swapped */
    assert_int_equal(r.height, 1600);
    uint32_t w, h;
    uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
    int c[3];
    sample(px, w, w - 100, 100, c); /* stored top left is now top right */
    assert_color(c, 255, 0, 0, 30);
    sample(px, w, w - 100, h - 100, c); /* stored top right is now bottom right */
    assert_color(c, 0, 255, 0, 30);
    sample(px, w, 100, 100, c);
    assert_color(c, 128, 128, 128, 10);
    free(px);
    photo_result_release(&r);
    free(in);
}

/* Where the stored top-left (red) and top-right (green) corners end up for each EXIF
 * orientation: 0 top left, 1 top right, 2 bottom left, 3 bottom right. */
static void test_exif_all_orientations(void **state)
{
    (void)state;
    static const int where[9][2] = {{0, 0}, {0, 1}, {1, 0}, {3, 2}, {2, 3},
                                    {0, 2}, {1, 3}, {3, 1}, {2, 0}};
    for (int o = 1; o <= 8; o++) {
        for (int le = 0; le <= 1; le++) {
            size_t len;
            struct jpeg_opts opts = {.exif = o, .exif_le = le};
            uint8_t *in = make_jpeg(400, 320, CORNERS, &opts, &len);
            struct photo_result r;
            assert_int_equal(run(in, len, &r), PHOTO_OK);
            assert_int_equal(r.orientation, o);
            assert_int_equal(r.width, o >= 5 ? 320 : 400);
            assert_int_equal(r.height, o >= 5 ? 400 : 320);
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
            free(in);
        }
    }
}

static void test_exif_malformed_is_as_stored(void **state)
{
    (void)state;
    uint8_t exif[128];
    /* Payload offsets: TIFF at 6; IFD0 count at 6+8; Make entry at 6+10; Orientation
     * entry at 6+22 (type at +2, value at +8, big-endian). */
    struct {
        size_t cut; /* payload length, 0 for whole */
        size_t at;  /* byte to overwrite, 0 for none */
        uint8_t value;
        int expected;
    } cases[] = {
        {0, 6 + 22 + 9, 9, 1}, /* orientation 9 */
        {0, 6 + 22 + 9, 0, 1}, /* orientation 0 */
        {0, 6 + 7, 0xff, 1},   /* IFD0 offset far past the end */
        {0, 6 + 8, 0xff, 6},   /* 65282 entries claimed: only the 3 present are read */
        {0, 6 + 2, 'X', 1},    /* bad TIFF magic */
        {0, 6 + 22 + 3, 7, 1}, /* orientation of type 7 (UNDEFINED) */
        {0, 6 + 22 + 7, 2, 1}, /* two values */
        {6 + 30, 0, 0, 1},     /* cut inside the orientation entry */
        {9, 0, 0, 1},          /* cut inside the TIFF header */
        {4, 0, 0, 1},          /* "Exif" without the NULs */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = build_exif(exif, 6, false);
        if (cases[i].cut)
            n = cases[i].cut;
        if (cases[i].at)
            exif[cases[i].at] = cases[i].value;
        struct jpeg_opts o = {.app1 = exif, .app1_len = n};
        size_t len;
        uint8_t *in = make_jpeg(400, 320, CORNERS, &o, &len);
        struct photo_result r;
        assert_int_equal(run(in, len, &r), PHOTO_OK);
        if (r.orientation != cases[i].expected)
            fail_msg("case %zu: orientation %d", i, r.orientation);
        assert_int_equal(r.width, cases[i].expected == 6 ? 320 : 400);
        photo_result_release(&r);
        free(in);
    }
}

static void test_metadata_dropped(void **state)
{
    (void)state;
    size_t len;
    struct jpeg_opts o = {.exif = 1, .comment = "GPS 19.4326,-99.1332", .icc = true};
    uint8_t *in = make_jpeg(640, 480, GRADIENT, &o, &len);
    assert_true(contains(in, len, "SECRETPHONE"));
    assert_true(contains(in, len, "GPS 19.4326"));
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    assert_clean_baseline(r.jpeg, r.jpeg_len);
    assert_false(contains(r.jpeg, r.jpeg_len, "SECRETPHONE"));
    assert_false(contains(r.jpeg, r.jpeg_len, "GPS"));
    assert_false(contains(r.jpeg, r.jpeg_len, "Exif"));
    assert_false(contains(r.jpeg, r.jpeg_len, "ICC_PROFILE"));
    photo_result_release(&r);
    free(in);
}

static void test_png_alpha_flattened_on_white(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_png(600, 400, PNG_COLOR_TYPE_RGB_ALPHA, 8, false, HALVES, &len);
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    uint32_t w, h;
    uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
    int c[3];
    sample(px, w, 100, 200, c);
    assert_color(c, 255, 255, 255, 3);
    sample(px, w, 500, 200, c);
    assert_color(c, 0, 0, 255, 12);
    free(px);
    photo_result_release(&r);
    free(in);
}

static void test_png_variants(void **state)
{
    (void)state;
    struct {
        int color, depth;
        bool interlace;
        enum pattern pat;
        int tl[3]; /* expected colour near the top left */
    } cases[] = {
        {PNG_COLOR_TYPE_GRAY, 8, false, CORNERS, {85, 85, 85}},
        {PNG_COLOR_TYPE_GRAY, 16, false, CORNERS, {85, 85, 85}},
        {PNG_COLOR_TYPE_GRAY, 1, false, UNIFORM, {0, 0, 0}},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 8, false, HALVES, {255, 255, 255}},
        {PNG_COLOR_TYPE_RGB, 16, false, CORNERS, {255, 0, 0}},
        {PNG_COLOR_TYPE_RGB_ALPHA, 16, false, HALVES, {255, 255, 255}},
        {PNG_COLOR_TYPE_PALETTE, 8, false, CORNERS, {255, 0, 0}},
        {PNG_COLOR_TYPE_PALETTE, 8, false, HALVES, {255, 255, 255}},
        {PNG_COLOR_TYPE_RGB, 8, true, CORNERS, {255, 0, 0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *in = make_png(2400, 1800, cases[i].color, cases[i].depth, cases[i].interlace,
                               cases[i].pat, &len);
        struct photo_result r;
        if (run(in, len, &r) != PHOTO_OK)
            fail_msg("case %zu: %s", i, r.error);
        assert_int_equal(r.width, 1600);
        assert_int_equal(r.height, 1200);
        uint32_t w, h;
        uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
        int c[3];
        sample(px, w, 60, 60, c);
        assert_color(c, cases[i].tl[0], cases[i].tl[1], cases[i].tl[2], 30);
        free(px);
        photo_result_release(&r);
        free(in);
    }
}

static void test_jpeg_variants(void **state)
{
    (void)state;
    struct {
        struct jpeg_opts o;
        int tl[3];
    } cases[] = {
        {{.color = JCS_GRAYSCALE}, {85, 85, 85}},
        {{.color = JCS_CMYK}, {255, 0, 0}},
        {{.progressive = true}, {255, 0, 0}},
        {{.progressive = true, .exif = 8}, {0, 255, 0}}, /* stored top right */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *in = make_jpeg(2000, 1500, CORNERS, &cases[i].o, &len);
        struct photo_result r;
        if (run(in, len, &r) != PHOTO_OK)
            fail_msg("case %zu: %s", i, r.error);
        uint32_t w, h;
        uint8_t *px = decode(r.jpeg, r.jpeg_len, &w, &h);
        assert_int_equal(w, r.width);
        assert_int_equal(h, r.height);
        int c[3];
        sample(px, w, 60, 60, c);
        assert_color(c, cases[i].tl[0], cases[i].tl[1], cases[i].tl[2], 30);
        free(px);
        photo_result_release(&r);
        free(in);
    }
}

static void test_result_detach(void **state)
{
    (void)state;
    size_t len, out_len;
    uint8_t *in = make_jpeg(400, 400, GRADIENT, NULL, &len);
    struct photo_result r;
    assert_int_equal(run(in, len, &r), PHOTO_OK);
    size_t expected = r.jpeg_len;
    uint8_t *jpeg = photo_result_detach(&r, &out_len);
    assert_non_null(jpeg);
    assert_int_equal(out_len, expected);
    assert_null(r.jpeg);
    assert_null(photo_result_detach(&r, &out_len));
    assert_int_equal(out_len, 0);
    photo_result_release(&r);
    free(jpeg);
    free(in);
}

/* ---- Errors ---- */

static void assert_fails(const uint8_t *buf, size_t len, const struct photo_limits *lim,
                         enum photo_status want)
{
    struct photo_result r;
    enum photo_status got = photo_process(buf, len, lim, &r);
    if (got != want)
        fail_msg("got %s (%s), wanted %s", photo_status_code(got), r.error,
                 photo_status_code(want));
    assert_null(r.jpeg);
    assert_int_equal(r.jpeg_len, 0);
    const char *code = photo_status_code(want);
    assert_memory_equal(r.error, code, strlen(code));
    assert_memory_equal(r.error + strlen(code), ": ", 2);
    photo_result_release(&r);
}

static void test_type(void **state)
{
    (void)state;
    uint8_t junk[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof junk; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        junk[i] = (uint8_t)x;
    }
    junk[0] = 'G'; /* not FF or 89 */
    assert_fails(junk, sizeof junk, NULL, PHOTO_ERR_TYPE);
    assert_fails(NULL, 0, NULL, PHOTO_ERR_TYPE);
    assert_fails((const uint8_t *)"GIF89a", 6, NULL, PHOTO_ERR_TYPE);
    assert_fails((const uint8_t *)"\xff\xd8", 2, NULL, PHOTO_ERR_TYPE);
    assert_fails((const uint8_t *)"\x89PNG\r\n\x1a", 7, NULL, PHOTO_ERR_TYPE);
    /* Magic bytes followed by junk: the right type, unreadable. */
    memcpy(junk, "\xff\xd8\xff", 3);
    assert_fails(junk, sizeof junk, NULL, PHOTO_ERR_UNREADABLE);
    memcpy(junk, "\x89PNG\r\n\x1a\n", 8);
    assert_fails(junk, sizeof junk, NULL, PHOTO_ERR_UNREADABLE);
}

static void test_size_checked_first(void **state)
{
    (void)state;
    size_t n = PHOTO_MAX_BYTES + 1;
    uint8_t *big = calloc(1, n);
    assert_non_null(big);
    memcpy(big, "\xff\xd8\xff", 3);
    assert_fails(big, n, NULL, PHOTO_ERR_SIZE);
    big[0] = 0;
    assert_fails(big, n, NULL, PHOTO_ERR_SIZE); /* before the type */
    assert_fails(big, n - 1, NULL, PHOTO_ERR_TYPE);
    free(big);
}

static void test_too_small(void **state)
{
    (void)state;
    struct {
        uint32_t w, h;
        enum photo_status want;
    } cases[] = {
        {100, 100, PHOTO_ERR_TOO_SMALL},
        {299, 1000, PHOTO_ERR_TOO_SMALL},
        {1000, 299, PHOTO_ERR_TOO_SMALL},
        {300, 300, PHOTO_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *in = make_jpeg(cases[i].w, cases[i].h, GRADIENT, NULL, &len);
        struct photo_result r;
        assert_int_equal(run(in, len, &r), cases[i].want);
        photo_result_release(&r);
        free(in);
        in = make_png(cases[i].w, cases[i].h, PNG_COLOR_TYPE_RGB, 8, false, GRADIENT, &len);
        assert_int_equal(run(in, len, &r), cases[i].want);
        photo_result_release(&r);
        free(in);
    }
}

static void test_truncated_jpeg(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_jpeg(1200, 900, GRADIENT, NULL, &len);
    assert_fails(in, len / 2, NULL, PHOTO_ERR_UNREADABLE);
    assert_fails(in, 200, NULL, PHOTO_ERR_UNREADABLE); /* inside the header */
    /* EOI in the middle of the scan: a premature end of the data segment. */
    in[len / 2] = 0xff;
    in[len / 2 + 1] = 0xd9;
    assert_fails(in, len / 2 + 2, NULL, PHOTO_ERR_UNREADABLE);
    free(in);
    struct jpeg_opts o = {.progressive = true};
    in = make_jpeg(1200, 900, GRADIENT, &o, &len);
    assert_fails(in, len * 2 / 3, NULL, PHOTO_ERR_UNREADABLE);
    free(in);
}

static void test_broken_png(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_png(800, 600, PNG_COLOR_TYPE_RGB, 8, false, GRADIENT, &len);
    assert_fails(in, len / 2, NULL, PHOTO_ERR_UNREADABLE);
    assert_fails(in, 30, NULL, PHOTO_ERR_UNREADABLE);
    in[len / 2] ^= 0x55; /* inside IDAT: its CRC no longer matches */
    assert_fails(in, len, NULL, PHOTO_ERR_UNREADABLE);
    free(in);
}

/* The big-endian length at the start of a PNG chunk. */
static uint32_t chunk_length(const uint8_t *c)
{
    return (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
}

/* The zlib stream's Adler-32 is not checked (the chunk CRCs are): a PNG whose last IDAT
 * ends in a wrong Adler-32, its CRC recomputed, decodes to the same photo. */
static void test_png_adler32_not_checked(void **state)
{
    (void)state;
    size_t len;
    uint8_t *in = make_png(640, 480, PNG_COLOR_TYPE_RGB, 8, false, GRADIENT, &len);
    struct photo_result good, odd;
    assert_int_equal(run(in, len, &good), PHOTO_OK);
    size_t last_idat = 0;
    for (size_t i = 8; i + 12 <= len; i += 12 + (size_t)chunk_length(in + i))
        if (memcmp(in + i + 4, "IDAT", 4) == 0)
            last_idat = i;
    assert_true(last_idat > 0);
    uint32_t n = chunk_length(in + last_idat);
    assert_true(n >= 4);
    in[last_idat + 8 + n - 1] ^= 0x5a; /* the Adler-32's last byte */
    put32(in + last_idat + 8 + n, (uint32_t)crc32(0, in + last_idat + 4, n + 4), false);
    assert_int_equal(run(in, len, &odd), PHOTO_OK);
    assert_int_equal(odd.jpeg_len, good.jpeg_len);
    assert_memory_equal(odd.jpeg, good.jpeg, good.jpeg_len);
    photo_result_release(&good);
    photo_result_release(&odd);
    free(in);
}

/* A PNG signature and an IHDR chunk (valid CRC) claiming w x h, and nothing else. */
static size_t png_header(uint8_t *buf, uint32_t w, uint32_t h, uint8_t interlace)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(buf, sig, 8);
    uint8_t *c = buf + 8;
    put32(c, 13, false);
    memcpy(c + 4, "IHDR", 4);
    put32(c + 8, w, false);
    put32(c + 12, h, false);
    c[16] = 8, c[17] = 2, c[18] = 0, c[19] = 0, c[20] = interlace;
    put32(c + 21, (uint32_t)crc32(0, c + 4, 17), false);
    return 8 + 25;
}

static void test_dimension_bombs(void **state)
{
    (void)state;
    uint8_t buf[64];
    assert_fails(buf, png_header(buf, 100000, 100000, 0), NULL, PHOTO_ERR_DIMENSIONS);
    assert_fails(buf, png_header(buf, 12001, 400, 0), NULL, PHOTO_ERR_DIMENSIONS);
    assert_fails(buf, png_header(buf, 8000, 8000, 0), NULL, PHOTO_ERR_DIMENSIONS); /* 64 MP */
    assert_fails(buf, png_header(buf, 5000, 5000, 1), NULL, PHOTO_ERR_DIMENSIONS); /* Adam7 */
    assert_fails(buf, png_header(buf, 0, 400, 0), NULL, PHOTO_ERR_UNREADABLE);
    /* Within limits, but no image data follows. */
    assert_fails(buf, png_header(buf, 4000, 3000, 0), NULL, PHOTO_ERR_UNREADABLE);

    /* A real JPEG whose SOF0 is rewritten to claim 60000 x 60000. */
    size_t len;
    uint8_t *in = make_jpeg(320, 320, GRADIENT, NULL, &len);
    size_t i = 2;
    while (i + 9 < len && !(in[i] == 0xff && in[i + 1] == 0xc0))
        i++;
    assert_true(i + 9 < len);
    put16(in + i + 5, 60000, false);
    put16(in + i + 7, 60000, false);
    assert_fails(in, len, NULL, PHOTO_ERR_DIMENSIONS);
    put16(in + i + 5, 200, false); /* 60000 x 200: too wide is reported before too small */
    assert_fails(in, len, NULL, PHOTO_ERR_DIMENSIONS);
    free(in);
}

static void test_decoder_limits(void **state)
{
    (void)state;
    struct photo_limits lim;
    photo_limits_init(&lim);
    size_t len;
    struct jpeg_opts o = {.progressive = true};
    uint8_t *in = make_jpeg(2000, 1500, GRADIENT, &o, &len);
    lim.max_decoder_memory = 1u << 20; /* a progressive 2000x1500 needs ~9 MB of coefficients */
    assert_fails(in, len, &lim, PHOTO_ERR_DIMENSIONS);
    lim.max_decoder_memory = PHOTO_MAX_DECODER_MEM;
    lim.max_scans = 3; /* jpeg_simple_progression writes 10 */
    assert_fails(in, len, &lim, PHOTO_ERR_UNREADABLE);
    free(in);

    photo_limits_init(&lim);
    lim.max_interlaced = 1000;
    in = make_png(400, 300, PNG_COLOR_TYPE_RGB, 8, true, GRADIENT, &len);
    assert_fails(in, len, &lim, PHOTO_ERR_DIMENSIONS);
    free(in);
}

static void test_custom_limits(void **state)
{
    (void)state;
    struct photo_limits lim = PHOTO_LIMITS_INIT;
    size_t len;
    uint8_t *in = make_jpeg(1000, 500, GRADIENT, NULL, &len);
    lim.out_long_side = 640;
    struct photo_result r;
    assert_int_equal(photo_process(in, len, &lim, &r), PHOTO_OK);
    assert_int_equal(r.width, 640);
    assert_int_equal(r.height, 320);
    photo_result_release(&r);
    lim.max_bytes = len - 1;
    assert_fails(in, len, &lim, PHOTO_ERR_SIZE);
    lim.max_bytes = PHOTO_MAX_BYTES;
    lim.max_side = 999;
    assert_fails(in, len, &lim, PHOTO_ERR_DIMENSIONS);
    lim.max_side = PHOTO_MAX_SIDE;
    lim.max_pixels = 499999;
    assert_fails(in, len, &lim, PHOTO_ERR_DIMENSIONS);
    lim.max_pixels = PHOTO_MAX_PIXELS;
    lim.quality = 0;
    assert_fails(in, len, &lim, PHOTO_ERR_INTERNAL);
    lim.quality = 101;
    assert_fails(in, len, &lim, PHOTO_ERR_INTERNAL);
    lim.quality = 85;
    lim.min_short_side = 0;
    assert_fails(in, len, &lim, PHOTO_ERR_INTERNAL);
    free(in);
}

static void test_status_codes(void **state)
{
    (void)state;
    assert_string_equal(photo_status_code(PHOTO_OK), "ok");
    assert_string_equal(photo_status_code(PHOTO_ERR_TYPE), "type");
    assert_string_equal(photo_status_code(PHOTO_ERR_SIZE), "size");
    assert_string_equal(photo_status_code(PHOTO_ERR_DIMENSIONS), "dimensions");
    assert_string_equal(photo_status_code(PHOTO_ERR_UNREADABLE), "unreadable");
    assert_string_equal(photo_status_code(PHOTO_ERR_TOO_SMALL), "too_small");
    assert_string_equal(photo_status_code(PHOTO_ERR_INTERNAL), "internal");
    assert_string_equal(photo_status_code((enum photo_status)99), "unknown");

    struct photo_result r;
    uint8_t buf[64];
    assert_int_equal(photo_process(buf, png_header(buf, 100000, 100000, 0), NULL, &r),
                     PHOTO_ERR_DIMENSIONS);
    assert_string_equal(r.error,
                        "dimensions: 100000x100000 pixels, over 12000 a side or 60000000 in all");
    assert_int_equal(r.src_width, 100000);
    photo_result_release(&r);
    size_t len;
    uint8_t *in = make_jpeg(100, 100, GRADIENT, NULL, &len);
    assert_int_equal(photo_process(in, len, NULL, &r), PHOTO_ERR_TOO_SMALL);
    assert_string_equal(r.error, "too_small: 100x100 pixels, short side under 300");
    photo_result_release(&r);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_downscaled_to_1600),
        cmocka_unit_test(test_unscaled_jpeg_same_size_no_metadata),
        cmocka_unit_test(test_jpeg_12mp_to_1600x1200),
        cmocka_unit_test(test_jpeg_every_dct_scale),
        cmocka_unit_test(test_png_opaque_unscaled),
        cmocka_unit_test(test_png_portrait_downscaled),
        cmocka_unit_test(test_small_photo_not_upscaled),
        cmocka_unit_test(test_uniform_colour_kept),
        cmocka_unit_test(test_exif_orientation_6),
        cmocka_unit_test(test_exif_all_orientations),
        cmocka_unit_test(test_exif_malformed_is_as_stored),
        cmocka_unit_test(test_metadata_dropped),
        cmocka_unit_test(test_png_alpha_flattened_on_white),
        cmocka_unit_test(test_png_variants),
        cmocka_unit_test(test_jpeg_variants),
        cmocka_unit_test(test_result_detach),
        cmocka_unit_test(test_type),
        cmocka_unit_test(test_size_checked_first),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_truncated_jpeg),
        cmocka_unit_test(test_broken_png),
        cmocka_unit_test(test_png_adler32_not_checked),
        cmocka_unit_test(test_dimension_bombs),
        cmocka_unit_test(test_decoder_limits),
        cmocka_unit_test(test_custom_limits),
        cmocka_unit_test(test_status_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
