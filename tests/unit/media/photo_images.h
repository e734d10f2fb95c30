/* Test images for the photo module's unit tests (tests/unit/media/photo.c and
 * photo_sink.c): generated with libjpeg/libpng (EXIF segments built by hand), so no
 * binary fixture is committed, and read back with plain libjpeg. Functions are static
 * inline so that each test file uses what it needs without unused-function warnings.
 * Include after cmocka.h. */
#ifndef PADRON_TESTS_MEDIA_PHOTO_IMAGES_H
#define PADRON_TESTS_MEDIA_PHOTO_IMAGES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

/* ---- Test images ---- */

enum pattern {
    GRADIENT, /* red rises left to right, green top to bottom */
    CORNERS,  /* a red block top left, a green block top right, grey elsewhere */
    UNIFORM,  /* (200, 100, 50) everywhere */
    HALVES,   /* PNG alpha: left half transparent black, right half opaque blue */
};

static inline void pixel(enum pattern p, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                         uint8_t rgb[3])
{
    switch (p) {
    case GRADIENT:
        rgb[0] = (uint8_t)(x * 255 / (w - 1));
        rgb[1] = (uint8_t)(y * 255 / (h - 1));
        rgb[2] = 128;
        return;
    case CORNERS:
        if (y < h / 4 && x < w / 4) {
            rgb[0] = 255, rgb[1] = 0, rgb[2] = 0;
        } else if (y < h / 4 && x >= w - w / 4) {
            rgb[0] = 0, rgb[1] = 255, rgb[2] = 0;
        } else {
            rgb[0] = rgb[1] = rgb[2] = 128;
        }
        return;
    case UNIFORM:
        rgb[0] = 200, rgb[1] = 100, rgb[2] = 50;
        return;
    case HALVES:
        if (x < w / 2)
            rgb[0] = rgb[1] = rgb[2] = 0;
        else
            rgb[0] = 0, rgb[1] = 0, rgb[2] = 255;
        return;
    }
}

struct jpeg_opts {
    J_COLOR_SPACE color; /* JCS_RGB (default when 0), JCS_GRAYSCALE or JCS_CMYK */
    int exif;            /* orientation to write in an APP1 Exif segment, 0 for none */
    bool exif_le;        /* "II" byte order instead of "MM" */
    const uint8_t *app1; /* a raw APP1 payload instead of the generated one */
    size_t app1_len;
    const char *comment; /* a COM segment */
    bool icc;            /* an APP2 ICC_PROFILE segment */
    bool progressive;
};

static inline void put16(uint8_t *p, unsigned v, bool le)
{
    p[le ? 0 : 1] = (uint8_t)(v & 0xff);
    p[le ? 1 : 0] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v, bool le)
{
    put16(p + (le ? 0 : 2), v & 0xffff, le);
    put16(p + (le ? 2 : 0), v >> 16, le);
}

/* An APP1 payload: "Exif\0\0", a TIFF header and IFD0 with Make (pointing at
 * "SECRETPHONE") and Orientation. Returns its length. */
static inline size_t build_exif(uint8_t *buf, int orientation, bool le)
{
    memcpy(buf, "Exif\0\0", 6);
    uint8_t *t = buf + 6;
    t[0] = t[1] = le ? 'I' : 'M';
    put16(t + 2, 42, le);
    put32(t + 4, 8, le);
    put16(t + 8, 2, le);
    uint8_t *e = t + 10;
    put16(e, 0x010f, le); /* Make, ASCII, 12 bytes at offset 38 */
    put16(e + 2, 2, le);
    put32(e + 4, 12, le);
    put32(e + 8, 38, le);
    e += 12;
    put16(e, 0x0112, le); /* Orientation, SHORT, 1 */
    put16(e + 2, 3, le);
    put32(e + 4, 1, le);
    put32(e + 8, 0, le);
    put16(e + 8, (unsigned)orientation, le);
    put32(t + 34, 0, le); /* no next IFD */
    memcpy(t + 38, "SECRETPHONE", 12);
    return 6 + 38 + 12;
}

static inline uint8_t *make_jpeg(uint32_t w, uint32_t h, enum pattern pat,
                                 const struct jpeg_opts *o, size_t *len)
{
    static const struct jpeg_opts none;
    if (!o)
        o = &none;
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    unsigned char *buf = NULL;
    unsigned long size = 0;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &size);
    c.image_width = w;
    c.image_height = h;
    J_COLOR_SPACE cs = o->color ? o->color : JCS_RGB;
    c.in_color_space = cs;
    c.input_components = cs == JCS_GRAYSCALE ? 1 : cs == JCS_CMYK ? 4 : 3;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 90, TRUE);
    if (o->progressive)
        jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    if (o->exif || o->app1) {
        uint8_t exif[128];
        size_t n = o->app1 ? o->app1_len : build_exif(exif, o->exif, o->exif_le);
        jpeg_write_marker(&c, JPEG_APP0 + 1, o->app1 ? o->app1 : exif, (unsigned)n);
    }
    if (o->icc) {
        uint8_t icc[64] = "ICC_PROFILE";
        icc[12] = 1, icc[13] = 1;
        jpeg_write_marker(&c, JPEG_APP0 + 2, icc, sizeof icc);
    }
    if (o->comment)
        jpeg_write_marker(&c, JPEG_COM, (const JOCTET *)o->comment, (unsigned)strlen(o->comment));
    uint8_t *row = malloc((size_t)w * 4);
    assert_non_null(row);
    while (c.next_scanline < h) {
        uint32_t y = c.next_scanline;
        for (uint32_t x = 0; x < w; x++) {
            uint8_t rgb[3];
            pixel(pat, x, y, w, h, rgb);
            if (cs == JCS_GRAYSCALE) {
                row[x] = (uint8_t)((rgb[0] + rgb[1] + rgb[2]) / 3);
            } else if (cs == JCS_CMYK) { /* inverted, as Photoshop writes it */
                memcpy(row + 4 * x, rgb, 3);
                row[4 * x + 3] = 255;
            } else {
                memcpy(row + 3 * x, rgb, 3);
            }
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *len = size;
    return buf;
}

struct membuf {
    uint8_t *p;
    size_t len, cap;
};

static inline void png_write_mem(png_structp png, png_bytep data, size_t n)
{
    struct membuf *m = png_get_io_ptr(png);
    if (m->len + n > m->cap) {
        m->cap = (m->len + n) * 2;
        m->p = realloc(m->p, m->cap);
        assert_non_null(m->p);
    }
    memcpy(m->p + m->len, data, n);
    m->len += n;
}

static inline void png_flush_mem(png_structp png)
{
    (void)png;
}

static inline uint8_t *make_png(uint32_t w, uint32_t h, int color_type, int depth, bool interlace,
                                enum pattern pat, size_t *len)
{
    struct membuf m = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng failed writing a test image");
    png_set_write_fn(png, &m, png_write_mem, png_flush_mem);
    png_set_IHDR(png, info, w, h, depth, color_type,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 1);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[4] = {{255, 0, 0}, {0, 255, 0}, {128, 128, 128}, {0, 0, 0}};
        png_byte alpha[4] = {255, 255, 255, 0};
        png_set_PLTE(png, info, pal, 4);
        png_set_tRNS(png, info, alpha, 4, NULL);
    }
    png_write_info(png, info);
    size_t channels = color_type == PNG_COLOR_TYPE_RGB          ? 3
                      : color_type == PNG_COLOR_TYPE_RGB_ALPHA  ? 4
                      : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                                                                : 1;
    size_t rowbytes = ((size_t)w * channels * (size_t)depth + 7) / 8;
    uint8_t *image = calloc(h, rowbytes);
    png_bytep *rows = calloc(h, sizeof *rows);
    assert_non_null(image);
    assert_non_null(rows);
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *r = image + (size_t)y * rowbytes;
        rows[y] = r;
        for (uint32_t x = 0; x < w; x++) {
            uint8_t rgb[3], a = 255;
            pixel(pat, x, y, w, h, rgb);
            if (pat == HALVES && x < w / 2)
                a = 0;
            uint8_t gray = (uint8_t)((rgb[0] + rgb[1] + rgb[2]) / 3);
            uint8_t v[4] = {rgb[0], rgb[1], rgb[2], a};
            size_t n = channels;
            if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) {
                v[0] = gray;
                v[1] = a;
            }
            if (color_type == PNG_COLOR_TYPE_PALETTE) {
                uint8_t idx = a == 0                         ? 3
                              : rgb[0] == 255 && rgb[1] == 0 ? 0
                              : rgb[1] == 255 && rgb[0] == 0 ? 1
                                                             : 2;
                r[x] = idx;
                continue;
            }
            if (depth == 1) {
                if (gray >= 128)
                    r[x / 8] |= (uint8_t)(0x80 >> (x % 8));
                continue;
            }
            for (size_t k = 0; k < n; k++) {
                if (depth == 16) {
                    r[(x * n + k) * 2] = v[k];
                    r[(x * n + k) * 2 + 1] = v[k];
                } else {
                    r[x * n + k] = v[k];
                }
            }
        }
    }
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    free(image);
    *len = m.len;
    return m.p;
}

/* ---- Reading the output back ---- */

static inline void test_jpeg_error(j_common_ptr c)
{
    char msg[JMSG_LENGTH_MAX];
    (*c->err->format_message)(c, msg);
    fail_msg("output does not decode: %s", msg);
}

/* Decodes a JPEG to RGB with plain libjpeg; the caller frees the pixels. */
static inline uint8_t *decode(const uint8_t *buf, size_t len, uint32_t *w, uint32_t *h)
{
    struct jpeg_decompress_struct d;
    struct jpeg_error_mgr jerr;
    d.err = jpeg_std_error(&jerr);
    jerr.error_exit = test_jpeg_error;
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, buf, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    *w = d.output_width;
    *h = d.output_height;
    uint8_t *px = malloc((size_t)*w * *h * 3);
    assert_non_null(px);
    while (d.output_scanline < d.output_height) {
        JSAMPROW r = px + (size_t)d.output_scanline * *w * 3;
        jpeg_read_scanlines(&d, &r, 1);
    }
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    return px;
}

/* The mean colour of the 9x9 block centred on (cx, cy). */
static inline void sample(const uint8_t *px, uint32_t w, uint32_t cx, uint32_t cy, int rgb[3])
{
    long sum[3] = {0, 0, 0};
    for (uint32_t y = cy - 4; y <= cy + 4; y++)
        for (uint32_t x = cx - 4; x <= cx + 4; x++)
            for (int k = 0; k < 3; k++)
                sum[k] += px[((size_t)y * w + x) * 3 + k];
    for (int k = 0; k < 3; k++)
        rgb[k] = (int)(sum[k] / 81);
}

static inline void assert_color(const int got[3], int r, int g, int b, int tolerance)
{
    if (abs(got[0] - r) > tolerance || abs(got[1] - g) > tolerance || abs(got[2] - b) > tolerance)
        fail_msg("colour (%d, %d, %d), expected (%d, %d, %d) within %d", got[0], got[1], got[2], r,
                 g, b, tolerance);
}

static inline bool contains(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return true;
    return false;
}

/* Walks the segments up to the scan: only SOI, APP0 "JFIF", DQT, SOF0, DHT, SOS, and
 * the file ends with EOI. */
static inline void assert_clean_baseline(const uint8_t *p, size_t n)
{
    assert_true(n > 4);
    assert_int_equal(p[0], 0xff);
    assert_int_equal(p[1], 0xd8);
    assert_int_equal(p[n - 2], 0xff);
    assert_int_equal(p[n - 1], 0xd9);
    size_t i = 2;
    bool sof0 = false;
    for (;;) {
        assert_true(i + 4 <= n);
        assert_int_equal(p[i], 0xff);
        uint8_t m = p[i + 1];
        size_t seglen = (size_t)p[i + 2] << 8 | p[i + 3];
        switch (m) {
        case 0xe0:
            assert_memory_equal(p + i + 4, "JFIF\0", 5);
            break;
        case 0xdb:
        case 0xc4:
            break;
        case 0xc0:
            sof0 = true;
            break;
        case 0xda:
            assert_true(sof0);
            return;
        default:
            fail_msg("segment 0x%02x in the output", m);
        }
        i += 2 + seglen;
    }
}

#endif
