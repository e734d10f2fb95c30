/* qr_scan: see qr_scan.h. */
#include "render/qr_scan.h"

#include "media/photo.h"
#include "util/alloc.h"

#include <cairo.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <math.h>
#include <poppler.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#define MIN_SHORT_SIDE   21 /* pixels: a version 1 QR code at one pixel a module */
#define REENCODE_QUALITY 92
#define PDF_MAX_POINTS   14400.0 /* a page side over 200 inches (5 m) is not a document */

static const char *const status_codes[] = {
    [QR_SCAN_OK] = "ok",
    [QR_SCAN_ERR_SIZE] = "size",
    [QR_SCAN_ERR_TYPE] = "type",
    [QR_SCAN_ERR_DIMENSIONS] = "dimensions",
    [QR_SCAN_ERR_UNREADABLE] = "unreadable",
    [QR_SCAN_ERR_NOT_FOUND] = "not_found",
    [QR_SCAN_ERR_INTERNAL] = "internal",
};

const char *qr_scan_status_code(enum qr_scan_status status)
{
    if ((unsigned)status >= sizeof status_codes / sizeof status_codes[0])
        return "unknown";
    return status_codes[status];
}

void qr_scan_limits_init(struct qr_scan_limits *lim)
{
    const struct qr_scan_limits def = QR_SCAN_LIMITS_INIT;
    *lim = def;
}

void qr_scan_result_release(struct qr_scan_result *r)
{
    free(r->text);
    memset(r, 0, sizeof *r);
}

static void result_init(struct qr_scan_result *out)
{
    memset(out, 0, sizeof *out);
    out->status = QR_SCAN_ERR_INTERNAL;
}

__attribute__((format(printf, 3, 4))) static enum qr_scan_status
fail(struct qr_scan_result *out, enum qr_scan_status st, const char *fmt, ...)
{
    int n = snprintf(out->error, sizeof out->error, "%s: ", qr_scan_status_code(st));
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof out->error)
        vsnprintf(out->error + n, sizeof out->error - (size_t)n, fmt, ap);
    va_end(ap);
    out->status = st;
    return st;
}

static bool limits_valid(const struct qr_scan_limits *lim)
{
    return lim->max_image_bytes > 0 && lim->max_image_pixels > 0 && lim->max_pdf_bytes > 0 &&
           lim->max_long_side >= MIN_SHORT_SIDE && lim->max_pdf_pages > 0 &&
           lim->max_pdf_pixels > 0;
}

/* Starts a scan: initialises out, picks the limits (def when lim is NULL) and checks
 * them and the byte size. Returns the limits to use, or NULL when out says why not. */
static const struct qr_scan_limits *scan_begin(struct qr_scan_result *out,
                                               const struct qr_scan_limits *lim,
                                               struct qr_scan_limits *def, size_t len, bool pdf)
{
    result_init(out);
    qr_scan_limits_init(def);
    if (lim == NULL)
        lim = def;
    if (!limits_valid(lim)) {
        fail(out, QR_SCAN_ERR_INTERNAL, "invalid limits");
        return NULL;
    }
    size_t max = pdf ? lim->max_pdf_bytes : lim->max_image_bytes;
    if (len > max) {
        fail(out, QR_SCAN_ERR_SIZE, "%zu bytes, at most %zu", len, max);
        return NULL;
    }
    return lim;
}

/* ---- zbar on grey pixels ---- */

/* Looks for a QR code in the w x h grey image (w * h bytes, not retained). On a find
 * sets out->text and QR_SCAN_OK; otherwise QR_SCAN_ERR_NOT_FOUND (out->error set). */
static enum qr_scan_status scan_grey(const uint8_t *grey, unsigned w, unsigned h,
                                     struct qr_scan_result *out)
{
    zbar_image_scanner_t *scanner = zbar_image_scanner_create();
    zbar_image_t *image = zbar_image_create();
    if (scanner == NULL || image == NULL) {
        if (scanner != NULL)
            zbar_image_scanner_destroy(scanner);
        if (image != NULL)
            zbar_image_destroy(image);
        return fail(out, QR_SCAN_ERR_INTERNAL, "zbar: out of memory");
    }
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(image, w, h);
    zbar_image_set_data(image, grey, (unsigned long)w * h, NULL);
    enum qr_scan_status st = QR_SCAN_ERR_NOT_FOUND;
    int found = zbar_scan_image(scanner, image);
    if (found < 0) {
        st = fail(out, QR_SCAN_ERR_INTERNAL, "zbar: scan failed");
        found = 0;
    }
    for (const zbar_symbol_t *s = zbar_image_first_symbol(image); found > 0 && s != NULL;
         s = zbar_symbol_next(s)) {
        if (zbar_symbol_get_type(s) != ZBAR_QRCODE)
            continue;
        const char *data = zbar_symbol_get_data(s);
        size_t n = zbar_symbol_get_data_length(s);
        if (data == NULL || n == 0)
            continue;
        if (n > QR_SCAN_TEXT_MAX || memchr(data, '\0', n) != NULL) {
            st = fail(out, QR_SCAN_ERR_UNREADABLE, "qr text: %zu bytes or a NUL byte", n);
            break;
        }
        out->text = xstrndup(data, n);
        out->len = n;
        out->error[0] = '\0';
        out->status = st = QR_SCAN_OK;
        break;
    }
    if (st == QR_SCAN_ERR_NOT_FOUND)
        fail(out, st, "no QR code in %ux%u pixels", w, h);
    zbar_image_destroy(image);
    zbar_image_scanner_destroy(scanner);
    return st;
}

/* ---- images: photo_process, then our own clean JPEG to grey ---- */

struct grey_err {
    struct jpeg_error_mgr mgr;
    jmp_buf jmp;
};

static void grey_on_error(j_common_ptr c)
{
    struct grey_err *e = (struct grey_err *)c->err;
    longjmp(e->jmp, 1);
}

static void grey_silent(j_common_ptr c, int level)
{
    (void)c;
    (void)level;
}

/* Decodes the baseline JPEG photo_process made (trusted, bounded by its own limits)
 * into grey pixels and scans them. */
static enum qr_scan_status scan_clean_jpeg(const uint8_t *jpeg, size_t len,
                                           struct qr_scan_result *out)
{
    struct jpeg_decompress_struct d;
    struct grey_err e;
    uint8_t *volatile grey = NULL;
    d.err = jpeg_std_error(&e.mgr);
    e.mgr.error_exit = grey_on_error;
    e.mgr.emit_message = grey_silent;
    if (setjmp(e.jmp)) {
        jpeg_destroy_decompress(&d);
        free(grey);
        return fail(out, QR_SCAN_ERR_INTERNAL, "grey decoding of the re-encoded image failed");
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, jpeg, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    d.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&d);
    unsigned w = d.output_width, h = d.output_height;
    grey = xmallocarray((size_t)w * h, 1);
    while (d.output_scanline < h) {
        JSAMPROW row = grey + (size_t)d.output_scanline * w;
        jpeg_read_scanlines(&d, &row, 1);
    }
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    enum qr_scan_status st = scan_grey(grey, w, h, out);
    free(grey);
    return st;
}

static enum qr_scan_status from_photo_status(enum photo_status st)
{
    switch (st) {
    case PHOTO_OK:
        return QR_SCAN_OK;
    case PHOTO_ERR_TYPE:
        return QR_SCAN_ERR_TYPE;
    case PHOTO_ERR_SIZE:
        return QR_SCAN_ERR_SIZE;
    case PHOTO_ERR_DIMENSIONS:
    case PHOTO_ERR_TOO_SMALL:
        return QR_SCAN_ERR_DIMENSIONS;
    case PHOTO_ERR_UNREADABLE:
        return QR_SCAN_ERR_UNREADABLE;
    case PHOTO_ERR_INTERNAL:
        break;
    }
    return QR_SCAN_ERR_INTERNAL;
}

enum qr_scan_status qr_scan_image(const uint8_t *data, size_t len, const struct qr_scan_limits *lim,
                                  struct qr_scan_result *out)
{
    struct qr_scan_limits def;
    if ((lim = scan_begin(out, lim, &def, len, false)) == NULL)
        return out->status;
    struct photo_limits pl;
    photo_limits_init(&pl);
    pl.max_bytes = lim->max_image_bytes;
    pl.max_pixels = lim->max_image_pixels;
    pl.min_short_side = MIN_SHORT_SIDE;
    pl.out_long_side = lim->max_long_side;
    pl.quality = REENCODE_QUALITY;
    struct photo_result pr;
    enum photo_status ps = photo_process(data, len, &pl, &pr);
    if (ps != PHOTO_OK) {
        /* pr.error is "code: why" in photo's codes; keep the why. */
        const char *why = strchr(pr.error, ':');
        fail(out, from_photo_status(ps), "%s", why != NULL && why[1] ? why + 2 : pr.error);
        photo_result_release(&pr);
        return out->status;
    }
    enum qr_scan_status st = scan_clean_jpeg(pr.jpeg, pr.jpeg_len, out);
    photo_result_release(&pr);
    return st;
}

/* ---- PDFs: poppler renders each page onto a cairo image ---- */

/* Renders page at dpi (lowered to stay within max_pixels) and scans it. */
static enum qr_scan_status scan_page(PopplerPage *page, double dpi, uint64_t max_pixels,
                                     struct qr_scan_result *out)
{
    double pw_pt = 0, ph_pt = 0;
    poppler_page_get_size(page, &pw_pt, &ph_pt);
    if (!(pw_pt >= 1 && ph_pt >= 1 && pw_pt <= PDF_MAX_POINTS && ph_pt <= PDF_MAX_POINTS))
        return fail(out, QR_SCAN_ERR_DIMENSIONS, "page of %.0fx%.0f points", pw_pt, ph_pt);
    double scale = dpi / 72.0;
    double pixels = pw_pt * scale * ph_pt * scale;
    if (pixels > (double)max_pixels)
        scale *= sqrt((double)max_pixels / pixels);
    int w = (int)floor(pw_pt * scale), h = (int)floor(ph_pt * scale);
    if (w < MIN_SHORT_SIDE || h < MIN_SHORT_SIDE)
        return fail(out, QR_SCAN_ERR_DIMENSIONS, "page of %dx%d pixels", w, h);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return fail(out, QR_SCAN_ERR_INTERNAL, "cairo: no %dx%d image", w, h);
    }
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    const uint8_t *px = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    uint8_t *grey = xmallocarray((size_t)w * (size_t)h, 1);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
        uint8_t *g = grey + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            g[x] =
                (uint8_t)((77 * ((p >> 16) & 0xff) + 150 * ((p >> 8) & 0xff) + 29 * (p & 0xff)) >>
                          8);
        }
    }
    cairo_surface_destroy(surface);
    enum qr_scan_status st = scan_grey(grey, (unsigned)w, (unsigned)h, out);
    free(grey);
    return st;
}

enum qr_scan_status qr_scan_pdf(const uint8_t *data, size_t len, const struct qr_scan_limits *lim,
                                struct qr_scan_result *out)
{
    struct qr_scan_limits def;
    if ((lim = scan_begin(out, lim, &def, len, true)) == NULL)
        return out->status;
    if (len < 8 || memcmp(data, "%PDF-", 5) != 0)
        return fail(out, QR_SCAN_ERR_TYPE, "not a PDF (no %%PDF- header)");
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    if (doc == NULL) {
        bool encrypted =
            gerr != NULL && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED;
        fail(out, QR_SCAN_ERR_UNREADABLE, "%s", encrypted ? "encrypted PDF" : "damaged PDF");
        if (gerr != NULL)
            g_error_free(gerr);
        g_bytes_unref(bytes);
        return out->status;
    }
    int pages = poppler_document_get_n_pages(doc);
    if (pages <= 0)
        fail(out, QR_SCAN_ERR_UNREADABLE, "no pages");
    int last = pages < lim->max_pdf_pages ? pages : lim->max_pdf_pages;
    /* The usual resolution first on every page, then twice it: a QR code printed
     * small is found on the second pass without paying for it on the first. */
    for (int pass = 0; pass < 2 && out->status != QR_SCAN_OK; pass++) {
        for (int i = 0; i < last; i++) {
            PopplerPage *page = poppler_document_get_page(doc, i);
            if (page == NULL) {
                fail(out, QR_SCAN_ERR_UNREADABLE, "page %d unreadable", i + 1);
                continue;
            }
            enum qr_scan_status st =
                scan_page(page, QR_SCAN_PDF_DPI * (pass + 1), lim->max_pdf_pixels, out);
            g_object_unref(page);
            if (st == QR_SCAN_OK) {
                out->page = i + 1;
                break;
            }
            if (st != QR_SCAN_ERR_NOT_FOUND)
                break;
        }
        if (out->status != QR_SCAN_OK && out->status != QR_SCAN_ERR_NOT_FOUND)
            break;
    }
    g_object_unref(doc);
    g_bytes_unref(bytes);
    return out->status;
}
