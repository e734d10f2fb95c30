/*
 * render-rate: how fast padron renders credentials, letters and QR codes, and reads
 * QR codes back from a PDF and from a photo, on one core. Run by bench/render.
 *
 *   render-rate SECONDS RUNS OUTDIR
 *
 * Each figure is the median of RUNS rounds of about SECONDS / RUNS seconds each. Writes
 * the inputs it scans to OUTDIR (card.pdf, photo.png, photo.jpg) so the script can time
 * the reference tools (zbarimg, pdftoppm) on the same files. Prints KEY=VALUE lines.
 */
#include "media/photo.h"
#include "render/card_pdf.h"
#include "render/letter_pdf.h"
#include "render/qr.h"
#include "render/qr_scan.h"
#include "web/textbuf.h"

#include "../tests/unit/render/sample.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const int levels[] = {1, 2};
static struct card_pdf card = {PDF_LANG_ES,     "IMSS-Bienestar",
                               SAMPLE_NAME,     "LOCM900627MSPRBR05",
                               "1990-06-27",    "IB26-7K3M-9QXD",
                               levels,          2,
                               "BCIMB000010",   "Centro de Salud Rural San Andrés Cholula",
                               "2026-01-01",    "2026-12-31",
                               SAMPLE_ENVELOPE, "https://padron.example.mx/v"};
static struct letter_pdf letter = {
    PDF_LANG_ES,  "IMSS-Bienestar",     "CNA-IMSS-26-7K3M",
    "2026-01-15", "LOCM900627MSPRBR05", SAMPLE_NAME,
    "IMSS",       "2026-01-10",         "2026-01-15",
    "2026-04-15", SAMPLE_ENVELOPE,      "https://padron.example.mx/cartas/CNA-IMSS-26-7K3M"};
static struct textbuf photo_png;
static uint8_t *photo_jpeg, *card_bytes;
static size_t photo_jpeg_len, card_len;

static int one_card(void)
{
    uint8_t *pdf;
    size_t len;
    char err[160];
    int rc = card_pdf_render(&card, &pdf, &len, err, sizeof err);
    free(pdf);
    return rc;
}

static int one_letter(void)
{
    uint8_t *pdf;
    size_t len;
    char err[160];
    int rc = letter_pdf_render(&letter, &pdf, &len, err, sizeof err);
    free(pdf);
    return rc;
}

static int one_svg(void)
{
    struct qr_matrix m;
    char err[160];
    if (qr_encode(SAMPLE_ENVELOPE, strlen(SAMPLE_ENVELOPE), &m, err, sizeof err) != 0)
        return -1;
    struct textbuf tb;
    textbuf_init(&tb, 64 * 1024);
    qr_svg_append(&tb, &m, "Código QR de tu credencial", 4);
    int rc = textbuf_status(&tb);
    textbuf_release(&tb);
    qr_matrix_release(&m);
    return rc;
}

static int scan(enum qr_scan_status (*f)(const uint8_t *, size_t, const struct qr_scan_limits *,
                                         struct qr_scan_result *),
                const uint8_t *data, size_t len)
{
    struct qr_scan_result r;
    int rc = f(data, len, NULL, &r) == QR_SCAN_OK && strcmp(r.text, SAMPLE_ENVELOPE) == 0 ? 0 : -1;
    qr_scan_result_release(&r);
    return rc;
}

static int one_pdf_scan(void)
{
    return scan(qr_scan_pdf, card_bytes, card_len);
}

static int one_png_scan(void)
{
    return scan(qr_scan_image, (const uint8_t *)photo_png.buf, photo_png.len);
}

static int one_jpeg_scan(void)
{
    return scan(qr_scan_image, photo_jpeg, photo_jpeg_len);
}

/* The median rate of runs rounds of about budget seconds each. */
static double rate(int (*op)(void), double budget, int runs)
{
    if (op() != 0) /* warm-up, and a check that it works */
        return -1;
    double rates[64];
    runs = runs < 1 ? 1 : runs > 64 ? 64 : runs;
    for (int r = 0; r < runs; r++) {
        double start = now(), t;
        long n = 0;
        do {
            if (op() != 0)
                return -1;
            n++;
        } while ((t = now() - start) < budget);
        rates[r] = (double)n / t;
    }
    qsort(rates, (size_t)runs, sizeof rates[0], cmp);
    return rates[runs / 2];
}

static cairo_status_t to_textbuf(void *c, const unsigned char *d, unsigned int n)
{
    textbuf_append(c, (const char *)d, n);
    return textbuf_status(c) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A 12-megapixel phone photo (4000 x 3000) of a printed card's back: the paper on a
 * table, turned by 8 degrees, the QR code 40 mm wide at about 12 pixels a mm. */
static void make_photo(void)
{
    struct qr_matrix m;
    char err[160];
    qr_encode(SAMPLE_ENVELOPE, strlen(SAMPLE_ENVELOPE), &m, err, sizeof err);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4000, 3000);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.42, 0.33, 0.27);
    cairo_paint(cr);
    cairo_translate(cr, 2000, 1500);
    cairo_rotate(cr, 0.14);
    cairo_set_source_rgb(cr, 0.94, 0.93, 0.9);
    cairo_rectangle(cr, -1100, -700, 2200, 1400);
    cairo_fill(cr);
    qr_draw(cr, &m, -240, -240, 480 * (m.side + 8.0) / m.side);
    cairo_destroy(cr);
    textbuf_init(&photo_png, 64u << 20);
    cairo_surface_write_to_png_stream(s, to_textbuf, &photo_png);
    cairo_surface_destroy(s);
    qr_matrix_release(&m);
    struct photo_limits pl;
    photo_limits_init(&pl);
    pl.out_long_side = 4000; /* the same picture as a camera JPEG */
    pl.quality = 90;
    struct photo_result r;
    if (photo_process((const uint8_t *)photo_png.buf, photo_png.len, &pl, &r) == PHOTO_OK)
        photo_jpeg = photo_result_detach(&r, &photo_jpeg_len);
    photo_result_release(&r);
}

static void save(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        fprintf(stderr, "render-rate: could not write %s\n", path);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    const char *dir = argc > 3 ? argv[3] : ".";
    double budget = seconds / (runs > 0 ? runs : 1);
    char err[160];
    if (card_pdf_render(&card, &card_bytes, &card_len, err, sizeof err) != 0) {
        fprintf(stderr, "render-rate: %s\n", err);
        return 1;
    }
    make_photo();
    if (photo_jpeg == NULL)
        return 1;
    save(dir, "card.pdf", card_bytes, card_len);
    save(dir, "photo.png", photo_png.buf, photo_png.len);
    save(dir, "photo.jpg", photo_jpeg, photo_jpeg_len);
    save(dir, "envelope.txt", SAMPLE_ENVELOPE, strlen(SAMPLE_ENVELOPE));
    struct textbuf tb;
    struct qr_matrix m;
    qr_encode(SAMPLE_ENVELOPE, strlen(SAMPLE_ENVELOPE), &m, err, sizeof err);
    textbuf_init(&tb, 64 * 1024);
    qr_svg_append(&tb, &m, "Código QR de tu credencial", 4);
    printf("svg_bytes=%zu\n", tb.len);
    save(dir, "qr.svg", tb.buf, tb.len);
    textbuf_release(&tb);
    qr_matrix_release(&m);
    uint8_t *pdf;
    size_t len;
    letter_pdf_render(&letter, &pdf, &len, err, sizeof err);
    printf("card_bytes=%zu\nletter_bytes=%zu\n", card_len, len);
    printf("photo_png_bytes=%zu\nphoto_jpeg_bytes=%zu\n", photo_png.len, photo_jpeg_len);
    free(pdf);
    printf("card_per_s=%.1f\n", rate(one_card, budget, runs));
    printf("letter_per_s=%.1f\n", rate(one_letter, budget, runs));
    printf("svg_per_s=%.1f\n", rate(one_svg, budget, runs));
    printf("scan_pdf_per_s=%.2f\n", rate(one_pdf_scan, budget, runs));
    printf("scan_png_per_s=%.2f\n", rate(one_png_scan, budget, runs));
    printf("scan_jpeg_per_s=%.2f\n", rate(one_jpeg_scan, budget, runs));
    free(card_bytes);
    free(photo_jpeg);
    textbuf_release(&photo_png);
    return 0;
}
