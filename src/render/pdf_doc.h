/*
 * pdf_doc: what the credential card and the letters share: a one-page US Letter PDF
 * written into memory with cairo, text laid out with pango in DejaVu Sans that fits
 * its box, the checks on the caller's texts, and dates in words.
 *
 * Invariants:
 * - User units are millimetres from the page's top-left corner; font sizes are in
 *   points (pango's resolution is set so 1 pt = 25.4 / 72 mm).
 * - Text never leaves its box: pdf_doc_text shrinks the font down to the style's
 *   minimum, wraps at words (at characters inside a word too long for a line), and
 *   when even that does not fit cuts the last line with an ellipsis; it also clips.
 *   Text is plain (never pango markup), so no caller text is interpreted.
 * - The PDF never grows past PDF_DOC_MAX_BYTES; a document that would is an error,
 *   never a truncated file.
 * - Reentrant: documents use the calling thread's own pango font map (pango gives
 *   each thread one since 1.32.6, freed when the thread ends; pango objects are not
 *   shared across threads, and fontconfig's caches underneath are locked), so any
 *   number of threads may render at once. The first document in a thread pays for
 *   loading the font map (about 10 ms, see docs/benchmarks.md); later ones reuse it.
 */
#ifndef PADRON_RENDER_PDF_DOC_H
#define PADRON_RENDER_PDF_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <pango/pango.h>

#define PDF_DOC_PAGE_WIDTH  215.9 /* mm: US Letter, what Mexican offices and homes print on */
#define PDF_DOC_PAGE_HEIGHT 279.4
#define PDF_DOC_MAX_BYTES   (4u * 1024u * 1024u)
#define PDF_DOC_FONT        "DejaVu Sans"
#define PDF_TEXT_MAX        512 /* bytes of one caller text (a name, an address, a URL) */

enum pdf_lang { PDF_LANG_ES = 0, PDF_LANG_EN = 1 };

/* A document being drawn. Fields are for the card and letter modules. */
struct pdf_doc {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoFontMap *fonts;
    PangoContext *pango;
    uint8_t *data; /* the PDF written so far */
    size_t len, alloc;
    bool too_big;
};

/* Starts a one-page Letter PDF with the given title in its metadata. On failure
 * (cairo could not start) returns -1 with err set and d released. */
int pdf_doc_begin(struct pdf_doc *d, const char *title, char *err, size_t errsz);

/* Finishes the page and hands the PDF to the caller in *pdf (malloc'd; free() it)
 * and *len. Releases d in every case. Returns 0, or -1 with err set ("pdf: ..."). */
int pdf_doc_finish(struct pdf_doc *d, uint8_t **pdf, size_t *len, char *err, size_t errsz);

/* Frees everything d holds; safe after pdf_doc_finish or a failed begin. */
void pdf_doc_release(struct pdf_doc *d);

struct pdf_text_style {
    double size;     /* points */
    double min_size; /* points: shrink at most to this before cutting; 0 = size */
    bool bold;
    int max_lines; /* 0 = as many as the height takes */
    PangoAlignment align;
    double grey; /* 0 black .. 1 white */
};

/* Draws text (NUL-terminated UTF-8, already checked) in the box at (x, y) of the
 * given width and at most max_height, under the rules above. Returns the height
 * used in mm. */
double pdf_doc_text(struct pdf_doc *d, double x, double y, double width, double max_height,
                    const char *text, const struct pdf_text_style *style);

/* Checks one caller text: NULL or "" only when optional, at most max bytes (names
 * and URLs take PDF_TEXT_MAX), well-formed UTF-8 without control characters.
 * Returns 0, or -1 with "field: why" in err. */
int pdf_check_text(const char *field, const char *s, size_t max, bool required, char *err,
                   size_t errsz);

/* One caller text and its rule, for pdf_check_input. */
struct pdf_field {
    const char *name, *value;
    bool required;
    size_t max; /* bytes */
};

/* Checks lang (es or en: "lang: not es or en") and then each of the n fields with
 * pdf_check_text, in order. Returns 0, or -1 with the first failure in err. */
int pdf_check_input(enum pdf_lang lang, const struct pdf_field *fields, size_t n, char *err,
                    size_t errsz);

/* Writes the template tmpl into out with each "{1}" .. "{9}" replaced by args[0] ..
 * args[8] (n of them; a placeholder past n, or any other "{", is copied as it is),
 * so translations may order the pieces as their language wants. A result that does
 * not fit is cut at a UTF-8 character boundary. */
void pdf_fill(char *out, size_t outsz, const char *tmpl, const char *const *args, size_t n);

/* Writes the date iso ("YYYY-MM-DD", a real day) in lang: short "27/06/1990" or
 * "27 Jun 1990"; long "27 de junio de 1990" or "27 June 1990". Returns 0, or -1
 * with "field: not a YYYY-MM-DD date" in err. */
int pdf_date(const char *field, const char *iso, enum pdf_lang lang, bool long_form, char *out,
             size_t outsz, char *err, size_t errsz);

#endif
