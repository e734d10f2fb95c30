/*
 * qr: a text as a QR code (libqrencode), written as a compact inline SVG for web
 * pages or drawn into a cairo context for the PDFs.
 *
 * Invariants:
 * - Encoding is QR model 2, error correction level M, the smallest version that
 *   holds the text. The text goes in alphanumeric mode where it allows it (our
 *   envelopes, "PB1:" + base45, are alphanumeric from end to end: 5.5 bits a
 *   character against 8 in byte mode), byte mode elsewhere.
 * - A matrix holds side x side modules (side = 17 + 4 * version), one byte each,
 *   1 dark and 0 light, row by row, without the quiet zone; every output adds the
 *   quiet zone of QR_QUIET_ZONE modules the standard asks for, painted light.
 * - Nothing here reads outside input beyond the caller's text and title, which are
 *   taken as they are (the title is escaped for HTML/SVG). Reentrant: no globals.
 */
#ifndef PADRON_RENDER_QR_H
#define PADRON_RENDER_QR_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

struct textbuf;

#define QR_QUIET_ZONE 4    /* light modules around the code (ISO/IEC 18004) */
#define QR_TEXT_MAX   3391 /* alphanumeric characters of a version 40 code at level M */

/* A QR code's modules. Owned by the caller; qr_matrix_release frees it. */
struct qr_matrix {
    int version;      /* 1-40 */
    int side;         /* modules a side, without the quiet zone */
    uint8_t *modules; /* side * side bytes, row-major: 1 dark, 0 light */
};

/*
 * Encodes the len bytes at text into *m (overwritten, initialised even on
 * failure, so qr_matrix_release is always safe). The text must not be empty, hold
 * no NUL, and fit a version 40 code at level M (QR_TEXT_MAX alphanumeric
 * characters, fewer in byte mode). Returns 0, or -1 with a "text: why" message in
 * err.
 */
int qr_encode(const char *text, size_t len, struct qr_matrix *m, char *err, size_t errsz);

/* Frees m's modules and zeroes it; safe on a zeroed or released matrix. */
void qr_matrix_release(struct qr_matrix *m);

/*
 * Appends m to tb as one <svg> element: role="img" with a <title> (title, escaped;
 * it is what a screen reader says, e.g. "Código QR de tu credencial"), a light
 * background including the quiet zone, and the dark modules as one <path> of
 * horizontal strokes with shape-rendering="crispEdges". The viewBox counts
 * modules, so the image scales crisply to any size; width and height are
 * px_per_module times the modules a side (quiet zone included), in CSS pixels.
 * Errors go to tb's sticky error, like every textbuf append.
 */
void qr_svg_append(struct textbuf *tb, const struct qr_matrix *m, const char *title,
                   unsigned px_per_module);

/*
 * Draws m into cr as a size x size square whose top-left corner is (x, y) in cr's
 * user units, quiet zone included (painted white), dark modules black. cr's path
 * and source are changed; its state is saved and restored around the drawing.
 */
void qr_draw(cairo_t *cr, const struct qr_matrix *m, double x, double y, double size);

/* The width in user units of the dark code itself (without the quiet zone) when m
 * is drawn with qr_draw at size. */
double qr_code_extent(const struct qr_matrix *m, double size);

#endif
