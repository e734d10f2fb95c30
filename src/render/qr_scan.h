/*
 * qr_scan: the text of the QR code in an image (a phone photo or a screenshot, PNG
 * or JPEG) or in a PDF (a printed credential or letter saved as a file), read with
 * zbar. This is what `padron verify --image/--pdf` and the clinic's verification
 * page call with bytes someone uploaded.
 *
 * Invariants:
 * - Checks run before the work they protect: byte size first, then the type by its
 *   magic bytes, then dimensions (image: media/photo.c's header checks, before any
 *   pixel exists; PDF: each page's size before it is rasterised), then decoding.
 * - Images go through media/photo's photo_process with this module's limits, so
 *   every bound and every defence against hostile PNG and JPEG files is the one the
 *   photo uploads already have (fuzzed there), and EXIF orientation is applied. Its
 *   output, a clean baseline JPEG of at most max_long_side pixels a side that we made
 *   ourselves, is decoded to grey for zbar.
 * - PDFs are opened with poppler from memory (no file, no network, no JavaScript);
 *   at most max_pdf_pages pages are rasterised, each at QR_SCAN_PDF_DPI and then,
 *   when nothing was found, at twice that, never over max_pdf_pixels.
 * - Only QR codes are looked for (zbar's other symbologies are off). The first one
 *   found is returned; its text is at most QR_SCAN_TEXT_MAX bytes and holds no NUL.
 * - Never a crash, never output on stderr of our own; every failure is a status and
 *   an English "code: why" message for logs (never bytes of the input).
 * - Reentrant: any number of threads may scan at once.
 */
#ifndef PADRON_RENDER_QR_SCAN_H
#define PADRON_RENDER_QR_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define QR_SCAN_MAX_IMAGE_BYTES  (10u * 1024u * 1024u) /* as a photo upload */
#define QR_SCAN_MAX_PDF_BYTES    (5u * 1024u * 1024u)
#define QR_SCAN_LONG_SIDE        2400u     /* pixels: photos are scaled down to this */
#define QR_SCAN_MAX_IMAGE_PIXELS 60000000u /* as a photo upload (PHOTO_MAX_PIXELS) */
#define QR_SCAN_MAX_PDF_PAGES    2
#define QR_SCAN_PDF_DPI          150.0 /* a 0.5 mm module is 3 pixels */
#define QR_SCAN_MAX_PDF_PIXELS   (16u * 1000u * 1000u)
#define QR_SCAN_TEXT_MAX         4296 /* what a version 40 QR code holds */

struct qr_scan_limits {
    size_t max_image_bytes;    /* QR_SCAN_MAX_IMAGE_BYTES */
    uint64_t max_image_pixels; /* QR_SCAN_MAX_IMAGE_PIXELS, of the image as stored */
    size_t max_pdf_bytes;      /* QR_SCAN_MAX_PDF_BYTES */
    uint32_t max_long_side;    /* QR_SCAN_LONG_SIDE */
    int max_pdf_pages;         /* QR_SCAN_MAX_PDF_PAGES */
    uint64_t max_pdf_pixels;   /* QR_SCAN_MAX_PDF_PIXELS, per rasterised page */
};

#define QR_SCAN_LIMITS_INIT                                                                        \
    {                                                                                              \
        QR_SCAN_MAX_IMAGE_BYTES, QR_SCAN_MAX_IMAGE_PIXELS, QR_SCAN_MAX_PDF_BYTES,                  \
            QR_SCAN_LONG_SIDE, QR_SCAN_MAX_PDF_PAGES, QR_SCAN_MAX_PDF_PIXELS                       \
    }

enum qr_scan_status {
    QR_SCAN_OK = 0,
    QR_SCAN_ERR_SIZE,       /* more bytes than the limit (HTTP 413) */
    QR_SCAN_ERR_TYPE,       /* not PNG or JPEG (image), not a PDF (pdf) (HTTP 415) */
    QR_SCAN_ERR_DIMENSIONS, /* too many pixels, a page too large (HTTP 422) */
    QR_SCAN_ERR_UNREADABLE, /* corrupt, truncated, encrypted (HTTP 422) */
    QR_SCAN_ERR_NOT_FOUND,  /* decoded, but no readable QR code in it (HTTP 422) */
    QR_SCAN_ERR_INTERNAL,   /* invalid limits or a library failure (HTTP 500) */
};

/* What a scan found. text is owned (malloc'd, NUL-terminated); release frees it. */
struct qr_scan_result {
    enum qr_scan_status status;
    char *text; /* QR_SCAN_OK: the QR code's text; else NULL */
    size_t len;
    int page;        /* pdf: the 1-based page it was on; image: 0 */
    char error[160]; /* not QR_SCAN_OK: "code: why", English, for logs */
};

/* Fills *lim with the defaults. */
void qr_scan_limits_init(struct qr_scan_limits *lim);

/* Reads the QR code in the len bytes at data, a PNG or JPEG image, under lim (NULL:
 * the defaults). out is initialised first in every case. Returns out->status. */
enum qr_scan_status qr_scan_image(const uint8_t *data, size_t len, const struct qr_scan_limits *lim,
                                  struct qr_scan_result *out);

/* The same for the len bytes at data, a PDF: the first page with a QR code wins. */
enum qr_scan_status qr_scan_pdf(const uint8_t *data, size_t len, const struct qr_scan_limits *lim,
                                struct qr_scan_result *out);

/* Frees r->text and clears r; safe on a released or zeroed result. */
void qr_scan_result_release(struct qr_scan_result *r);

/* The stable code: "ok", "size", "type", "dimensions", "unreadable", "not_found",
 * "internal" ("unknown" outside the enum). */
const char *qr_scan_status_code(enum qr_scan_status status);

#endif
