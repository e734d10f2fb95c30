/*
 * probe: what the render tests read back from a rendered PDF, with poppler and zbar
 * directly (not through src/render, so a bug there cannot hide itself): the page's
 * text, where each character sits, and the width of the QR code on paper.
 * Header-only, for the tests in tests/unit/render.
 */
#ifndef PADRON_TESTS_RENDER_PROBE_H
#define PADRON_TESTS_RENDER_PROBE_H

#include <cairo.h>
#include <poppler.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

static inline PopplerPage *probe_first_page(const uint8_t *pdf, size_t len, PopplerDocument **doc,
                                            GBytes **bytes)
{
    *bytes = g_bytes_new_static(pdf, len);
    *doc = poppler_document_new_from_bytes(*bytes, NULL, NULL);
    if (*doc == NULL || poppler_document_get_n_pages(*doc) != 1)
        return NULL;
    return poppler_document_get_page(*doc, 0);
}

static inline void probe_close(PopplerPage *page, PopplerDocument *doc, GBytes *bytes)
{
    if (page != NULL)
        g_object_unref(page);
    if (doc != NULL)
        g_object_unref(doc);
    g_bytes_unref(bytes);
}

/* The page's text with every run of white space folded to one space (names wrap);
 * malloc'd. NULL when the PDF does not open or has not exactly one page. */
static inline char *probe_text(const uint8_t *pdf, size_t len)
{
    PopplerDocument *doc;
    GBytes *bytes;
    PopplerPage *page = probe_first_page(pdf, len, &doc, &bytes);
    char *out = NULL;
    if (page != NULL) {
        char *text = poppler_page_get_text(page);
        out = malloc(strlen(text) + 1);
        size_t o = 0;
        bool space = false;
        for (const char *p = text; *p; p++) {
            if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
                space = true;
                continue;
            }
            if (space && o > 0)
                out[o++] = ' ';
            space = false;
            out[o++] = *p;
        }
        out[o] = '\0';
        g_free(text);
    }
    probe_close(page, doc, bytes);
    return out;
}

/* The bounding box, in mm from the page's top-left corner, of every character whose
 * top is at or below top_mm. Returns the number of such characters. */
static inline unsigned probe_text_box(const uint8_t *pdf, size_t len, double top_mm, double box[4])
{
    PopplerDocument *doc;
    GBytes *bytes;
    PopplerPage *page = probe_first_page(pdf, len, &doc, &bytes);
    unsigned count = 0;
    box[0] = box[1] = 1e9;
    box[2] = box[3] = -1e9;
    PopplerRectangle *rects = NULL;
    guint n = 0;
    if (page != NULL && poppler_page_get_text_layout(page, &rects, &n)) {
        const double mm = 25.4 / 72;
        for (guint i = 0; i < n; i++) {
            if (rects[i].y1 * mm < top_mm || rects[i].x2 <= rects[i].x1)
                continue; /* above the area, or a zero-width line break */
            count++;
            box[0] = rects[i].x1 * mm < box[0] ? rects[i].x1 * mm : box[0];
            box[1] = rects[i].y1 * mm < box[1] ? rects[i].y1 * mm : box[1];
            box[2] = rects[i].x2 * mm > box[2] ? rects[i].x2 * mm : box[2];
            box[3] = rects[i].y2 * mm > box[3] ? rects[i].y2 * mm : box[3];
        }
        g_free(rects);
    }
    probe_close(page, doc, bytes);
    return count;
}

/* The width in mm of the first QR code zbar finds on the page rasterised at dpi,
 * from the corners zbar reports; 0 when none is found. */
static inline double probe_qr_width_mm(const uint8_t *pdf, size_t len, double dpi)
{
    PopplerDocument *doc;
    GBytes *bytes;
    PopplerPage *page = probe_first_page(pdf, len, &doc, &bytes);
    double width = 0;
    if (page != NULL) {
        double wpt, hpt;
        poppler_page_get_size(page, &wpt, &hpt);
        int w = (int)(wpt * dpi / 72), h = (int)(hpt * dpi / 72);
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        cairo_t *cr = cairo_create(s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, dpi / 72, dpi / 72);
        poppler_page_render_for_printing(page, cr);
        cairo_destroy(cr);
        cairo_surface_flush(s);
        uint8_t *grey = malloc((size_t)w * (size_t)h);
        const uint8_t *px = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                grey[y * w + x] = px[y * stride + 4 * x + 1]; /* green of xRGB, little-endian */
        zbar_image_scanner_t *sc = zbar_image_scanner_create();
        zbar_image_t *img = zbar_image_create();
        zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
        zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
        zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
        zbar_image_set_size(img, (unsigned)w, (unsigned)h);
        zbar_image_set_data(img, grey, (unsigned long)w * h, NULL);
        if (zbar_scan_image(sc, img) > 0) {
            const zbar_symbol_t *sym = zbar_image_first_symbol(img);
            int lo = w, hi = 0;
            for (unsigned i = 0; i < zbar_symbol_get_loc_size(sym); i++) {
                int x = zbar_symbol_get_loc_x(sym, i);
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
            }
            width = (hi - lo) * 25.4 / dpi;
        }
        zbar_image_destroy(img);
        zbar_image_scanner_destroy(sc);
        free(grey);
        cairo_surface_destroy(s);
    }
    probe_close(page, doc, bytes);
    return width;
}

#endif
