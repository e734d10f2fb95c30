/* qr: see qr.h. */
#include "render/qr.h"

#include "util/alloc.h"
#include "web/textbuf.h"

#include <errno.h>
#include <stdbool.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qr_matrix_release(struct qr_matrix *m)
{
    free(m->modules);
    memset(m, 0, sizeof *m);
}

int qr_encode(const char *text, size_t len, struct qr_matrix *m, char *err, size_t errsz)
{
    memset(m, 0, sizeof *m);
    if (len == 0) {
        snprintf(err, errsz, "text: empty");
        return -1;
    }
    if (memchr(text, '\0', len) != NULL) {
        snprintf(err, errsz, "text: holds a NUL byte");
        return -1;
    }
    if (len > QR_TEXT_MAX) {
        snprintf(err, errsz, "text: %zu characters, a QR code holds at most %d", len, QR_TEXT_MAX);
        return -1;
    }
    char *copy = xstrndup(text, len);
    /*
     * Level M (15% of the code words may be lost) and not Q or H: a card's back and
     * a letter give the code a fixed printed size, and at a fixed size fewer,
     * larger modules are what a cheap phone camera resolves at arm's length. M takes
     * a 391-character envelope in version 12 (65 modules, about 0.55 mm each in
     * our 40 mm square), Q would need version 15 (77 modules) for 18% more
     * protection against smudges, which the signature already makes harmless
     * (damaged data does not verify, it cannot verify wrongly). QR_MODE_8 with
     * case sensitivity lets libqrencode split the text into the cheapest segments:
     * an envelope is one alphanumeric segment.
     */
    errno = 0;
    QRcode *qr = QRcode_encodeString(copy, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    free(copy);
    if (qr == NULL) {
        if (errno == ERANGE)
            snprintf(err, errsz, "text: too long for a QR code at error correction M");
        else
            snprintf(err, errsz, "text: qrencode failed (%s)", strerror(errno));
        return -1;
    }
    m->version = qr->version;
    m->side = qr->width;
    size_t n = (size_t)qr->width * (size_t)qr->width;
    m->modules = xmallocarray(n, 1);
    for (size_t i = 0; i < n; i++)
        m->modules[i] = qr->data[i] & 1; /* bit 0: dark; the others are libqrencode's notes */
    QRcode_free(qr);
    return 0;
}

/* The next run of dark modules in row (side modules) at or after *x: its first module
 * in *start and one past its last in *x. False when the row has no more. */
static bool next_run(const uint8_t *row, int side, int *x, int *start)
{
    while (*x < side && !row[*x])
        (*x)++;
    if (*x >= side)
        return false;
    *start = *x;
    while (*x < side && row[*x])
        (*x)++;
    return true;
}

void qr_svg_append(struct textbuf *tb, const struct qr_matrix *m, const char *title,
                   unsigned px_per_module)
{
    if (m->modules == NULL || m->side <= 0) {
        textbuf_fail(tb, "qr: empty matrix");
        return;
    }
    int full = m->side + 2 * QR_QUIET_ZONE;
    unsigned px = (unsigned)full * (px_per_module ? px_per_module : 1);
    textbuf_appendf(tb,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%u\" "
                    "height=\"%u\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
                    "<title>",
                    px, px, full, full);
    textbuf_append_html_escaped(tb, title, strlen(title));
    textbuf_appendf(tb, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path d=\"", full,
                    full);
    /*
     * Each run of dark modules in a row is a horizontal stroke one module wide along
     * the row's middle line. Moves are relative to the end of the previous stroke
     * (absolute only for the first), which keeps a version 12 code around 5 KB.
     */
    int cx = 0, cy = 0; /* the pen, in path coordinates; y counts half modules */
    bool first = true;
    for (int y = 0; y < m->side; y++) {
        const uint8_t *row = m->modules + (size_t)y * (size_t)m->side;
        int x = 0, start;
        while (next_run(row, m->side, &x, &start)) {
            int px0 = start + QR_QUIET_ZONE;
            int py2 = 2 * (y + QR_QUIET_ZONE) + 1; /* twice the middle line */
            if (first)
                textbuf_appendf(tb, "M%d %d.5", px0, py2 / 2);
            else if (py2 == cy)
                textbuf_appendf(tb, "m%d 0", px0 - cx);
            else
                textbuf_appendf(tb, "m%d %d", px0 - cx, (py2 - cy) / 2);
            textbuf_appendf(tb, "h%d", x - start);
            first = false;
            cx = px0 + (x - start);
            cy = py2;
        }
    }
    textbuf_append_str(tb, "\" stroke=\"#000\" stroke-width=\"1\" fill=\"none\"/></svg>");
}

void qr_draw(cairo_t *cr, const struct qr_matrix *m, double x, double y, double size)
{
    if (m->modules == NULL || m->side <= 0)
        return;
    int full = m->side + 2 * QR_QUIET_ZONE;
    double unit = size / full;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    /* One rectangle per horizontal run, filled once; runs of adjacent rows touch
     * exactly, so the nonzero fill leaves no hairlines between them. */
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    for (int r = 0; r < m->side; r++) {
        const uint8_t *row = m->modules + (size_t)r * (size_t)m->side;
        int c = 0, start;
        while (next_run(row, m->side, &c, &start)) {
            cairo_rectangle(cr, x + (start + QR_QUIET_ZONE) * unit, y + (r + QR_QUIET_ZONE) * unit,
                            (c - start) * unit, unit);
        }
    }
    cairo_fill(cr);
    cairo_restore(cr);
}

double qr_code_extent(const struct qr_matrix *m, double size)
{
    int full = m->side + 2 * QR_QUIET_ZONE;
    return full > 0 ? size * m->side / full : 0;
}
