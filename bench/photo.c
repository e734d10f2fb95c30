/* bench/photo.c: photo_process (src/media/photo.c) timed in process, one call at a
 * time, on generated inputs or on the files named on the command line.
 *
 *   build/bench/photo RUNS [FILE...]
 *
 * Without files it generates the sizes an enrollment sees: bench/registration's
 * 640x480 gradient PNG, and photo-like JPEGs (a smooth background, dark bars like
 * the text of an ID, sensor noise, written at quality 92 like a phone) from
 * 1200x900 to 12 megapixels, one with EXIF orientation 6, one progressive. Each
 * input gets one untimed call, then RUNS timed calls; one line per input with the
 * median wall and thread-CPU milliseconds, the fastest CPU time, and what came out.
 * Inputs are generated with the system's libjpeg/libpng, deterministically. */
#include "media/photo.h"

#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jpeglib.h>
#include <png.h>

struct input {
    char name[64];
    uint8_t *data;
    size_t len;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "photo: out of memory\n");
        exit(1);
    }
    return p;
}

static uint32_t rng_state = 2463534242u;

static uint32_t xorshift(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static uint8_t clamp8(int v)
{
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* One row of a photo-like w x h picture: a lit background, bars of "text" with
 * sharp edges, and noise of +-6 per channel. */
static void photo_row(uint8_t *row, uint32_t w, uint32_t h, uint32_t y)
{
    uint32_t line = h / 40 ? h / 40 : 1, stroke = w / 300 ? w / 300 : 1;
    bool text_row = (y / line) % 3 == 1 && y > h / 5 && y < h - h / 5;
    for (uint32_t x = 0; x < w; x++) {
        double fx = (double)x / w, fy = (double)y / h;
        int r = 150 + (int)(70 * fx) + (int)(20 * sin(9 * fy));
        int g = 140 + (int)(60 * fy);
        int b = 130 + (int)(40 * sin(5 * fx + 3 * fy));
        if (text_row && x > w / 10 && x < w - w / 3 && (x / stroke) % 3 != 0)
            r = g = b = 40;
        int n = (int)(xorshift() % 13) - 6;
        row[3 * x] = clamp8(r + n);
        row[3 * x + 1] = clamp8(g + n);
        row[3 * x + 2] = clamp8(b + n);
    }
}

/* An APP1 "Exif" payload whose IFD0 holds only Orientation = o (big-endian). */
static size_t exif_app1(uint8_t *buf, int o)
{
    static const uint8_t head[] = {'E', 'x', 'i', 'f', 0,    0,    'M', 'M', 0, 42, 0, 0,
                                   0,   8,   0,   1,   0x01, 0x12, 0,   3,   0, 0,  0, 1};
    memcpy(buf, head, sizeof head);
    uint8_t tail[] = {0, (uint8_t)o, 0, 0, 0, 0, 0, 0};
    memcpy(buf + sizeof head, tail, sizeof tail);
    return sizeof head + sizeof tail;
}

static void make_jpeg(struct input *in, uint32_t w, uint32_t h, int orientation, bool progressive)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    unsigned char *buf = NULL;
    unsigned long size = 0;
    c.err = jpeg_std_error(&jerr); /* a failure here exits: the inputs are ours */
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &size);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 92, TRUE);
    if (progressive)
        jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    if (orientation) {
        uint8_t app1[64];
        jpeg_write_marker(&c, JPEG_APP0 + 1, app1, (unsigned)exif_app1(app1, orientation));
    }
    uint8_t *row = xmalloc((size_t)w * 3);
    while (c.next_scanline < h) {
        photo_row(row, w, h, c.next_scanline);
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    snprintf(in->name, sizeof in->name, "%ux%u JPEG%s%s", w, h, orientation ? ", EXIF 6" : "",
             progressive ? ", progressive" : "");
    in->data = buf;
    in->len = size;
}

struct membuf {
    uint8_t *p;
    size_t len, cap;
};

static void png_put(png_structp png, png_bytep data, size_t n)
{
    struct membuf *m = png_get_io_ptr(png);
    if (m->len + n > m->cap) {
        m->cap = (m->len + n) * 2;
        uint8_t *p = realloc(m->p, m->cap);
        if (!p)
            png_error(png, "out of memory");
        m->p = p;
    }
    memcpy(m->p + m->len, data, n);
    m->len += n;
}

static void png_flush_none(png_structp png)
{
    (void)png;
}

/* The picture tests/cli/tools/make-png.py draws (what bench/registration uploads):
 * red rises left to right, green top to bottom, blue 128; filter none, zlib level 6. */
static void make_gradient_png(struct input *in, uint32_t w, uint32_t h)
{
    struct membuf m = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    uint8_t *row = xmalloc((size_t)w * 3);
    if (!info || setjmp(png_jmpbuf(png))) {
        fprintf(stderr, "photo: libpng failed writing an input\n");
        exit(1);
    }
    png_set_write_fn(png, &m, png_put, png_flush_none);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, 0, PNG_FILTER_NONE);
    png_set_compression_level(png, 6);
    png_write_info(png, info);
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            row[3 * x] = (uint8_t)(x * 255 / (w - 1));
            row[3 * x + 1] = (uint8_t)(y * 255 / (h - 1));
            row[3 * x + 2] = 128;
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    snprintf(in->name, sizeof in->name, "%ux%u gradient PNG", w, h);
    in->data = m.p;
    in->len = m.len;
}

static int read_file(struct input *in, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "photo: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 1 << 20, n = 0, got;
    uint8_t *p = xmalloc(cap);
    while ((got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            uint8_t *q = realloc(p, cap);
            if (!q) {
                fprintf(stderr, "photo: out of memory\n");
                exit(1);
            }
            p = q;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "photo: cannot read %s\n", path);
        free(p);
        return -1;
    }
    const char *base = strrchr(path, '/');
    snprintf(in->name, sizeof in->name, "%s", base ? base + 1 : path);
    in->data = p;
    in->len = n;
    return 0;
}

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Times one input; 0 when every call succeeded. */
static int run(const struct input *in, int runs)
{
    double *wall = xmalloc(sizeof *wall * (size_t)runs), *cpu = xmalloc(sizeof *cpu * (size_t)runs);
    struct photo_result r;
    int rc = 0;
    photo_process(in->data, in->len, NULL, &r); /* warm-up */
    photo_result_release(&r);
    for (int i = 0; i < runs && rc == 0; i++) {
        double w0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
        photo_process(in->data, in->len, NULL, &r);
        cpu[i] = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
        wall[i] = now_ms(CLOCK_MONOTONIC) - w0;
        if (r.status != PHOTO_OK) {
            fprintf(stderr, "photo: %s: %s\n", in->name, r.error);
            rc = -1;
        } else if (i + 1 < runs) {
            photo_result_release(&r);
        }
    }
    if (rc == 0) {
        double mw = median(wall, runs), mc = median(cpu, runs);
        printf("%-36s %7zu %9.2f %9.2f %9.2f %5ux%-5u %6zu\n", in->name, in->len / 1024, mw, mc,
               cpu[0], r.width, r.height, r.jpeg_len / 1024);
    }
    photo_result_release(&r);
    free(wall);
    free(cpu);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 0;
    if (runs < 1) {
        fprintf(stderr, "usage: photo RUNS [FILE...]\n");
        return 2;
    }
    struct input ins[16];
    int n = 0;
    if (argc > 2) {
        for (int i = 2; i < argc && n < 16; i++)
            if (read_file(&ins[n], argv[i]) == 0)
                n++;
    } else {
        make_gradient_png(&ins[n++], 640, 480);
        make_jpeg(&ins[n++], 1200, 900, 0, false);
        make_jpeg(&ins[n++], 1600, 1200, 0, false);
        make_jpeg(&ins[n++], 2592, 1944, 0, false);
        make_jpeg(&ins[n++], 3264, 2448, 0, false);
        make_jpeg(&ins[n++], 4000, 3000, 0, false);
        make_jpeg(&ins[n++], 4000, 3000, 6, false);
        make_jpeg(&ins[n++], 4000, 3000, 0, true);
    }
    printf("%-36s %7s %9s %9s %9s %11s %6s\n", "input", "KB", "wall ms", "cpu ms", "min cpu",
           "output", "KB");
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (run(&ins[i], runs) != 0)
            rc = 1;
        free(ins[i].data);
    }
    return rc;
}
