/* pdf_doc: see pdf_doc.h. */
#include "render/pdf_doc.h"

#include "core/civil_date.h"
#include "util/alloc.h"
#include "util/utf8.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POINTS_PER_MM (72.0 / 25.4)

static cairo_status_t collect(void *closure, const unsigned char *bytes, unsigned int n)
{
    struct pdf_doc *d = closure;
    if (d->too_big || n > PDF_DOC_MAX_BYTES - d->len) {
        d->too_big = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (d->len + n > d->alloc) {
        size_t want = d->alloc ? d->alloc : 64 * 1024;
        while (want < d->len + n)
            want *= 2;
        d->data = xreallocarray(d->data, want, 1);
        d->alloc = want;
    }
    memcpy(d->data + d->len, bytes, n);
    d->len += n;
    return CAIRO_STATUS_SUCCESS;
}

void pdf_doc_release(struct pdf_doc *d)
{
    if (d->pango != NULL)
        g_object_unref(d->pango);
    if (d->fonts != NULL)
        g_object_unref(d->fonts);
    if (d->cr != NULL)
        cairo_destroy(d->cr);
    if (d->surface != NULL)
        cairo_surface_destroy(d->surface);
    free(d->data);
    memset(d, 0, sizeof *d);
}

int pdf_doc_begin(struct pdf_doc *d, const char *title, char *err, size_t errsz)
{
    memset(d, 0, sizeof *d);
    d->surface = cairo_pdf_surface_create_for_stream(collect, d, PDF_DOC_PAGE_WIDTH * POINTS_PER_MM,
                                                     PDF_DOC_PAGE_HEIGHT * POINTS_PER_MM);
    if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsz, "pdf: %s", cairo_status_to_string(cairo_surface_status(d->surface)));
        pdf_doc_release(d);
        return -1;
    }
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "padron");
    d->cr = cairo_create(d->surface);
    cairo_scale(d->cr, POINTS_PER_MM, POINTS_PER_MM);
    /* The thread's own font map (pdf_doc.h): a new one per document measured 2.3
     * times slower for a whole card. */
    d->fonts = g_object_ref(pango_cairo_font_map_get_default());
    d->pango = pango_font_map_create_context(d->fonts);
    /* One inch is 25.4 user units, so a size in points comes out in points. */
    pango_cairo_context_set_resolution(d->pango, 25.4);
    /* A user unit is a millimetre: glyph positions rounded to whole units would
     * space letters unevenly. PDF positions are exact anyway. */
    pango_context_set_round_glyph_positions(d->pango, FALSE);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(d->pango, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_update_context(d->cr, d->pango);
    return 0;
}

int pdf_doc_finish(struct pdf_doc *d, uint8_t **pdf, size_t *len, char *err, size_t errsz)
{
    *pdf = NULL;
    *len = 0;
    cairo_show_page(d->cr);
    cairo_status_t st = cairo_status(d->cr);
    cairo_destroy(d->cr);
    d->cr = NULL;
    cairo_surface_finish(d->surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(d->surface);
    if (d->too_big) {
        snprintf(err, errsz, "pdf: over %u bytes", PDF_DOC_MAX_BYTES);
        pdf_doc_release(d);
        return -1;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsz, "pdf: %s", cairo_status_to_string(st));
        pdf_doc_release(d);
        return -1;
    }
    *pdf = d->data;
    *len = d->len;
    d->data = NULL;
    pdf_doc_release(d);
    return 0;
}

static PangoLayout *layout_at(struct pdf_doc *d, const char *text, double width,
                              const struct pdf_text_style *st, double size)
{
    PangoLayout *l = pango_layout_new(d->pango);
    PangoFontDescription *fd = pango_font_description_from_string(PDF_DOC_FONT);
    pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
    pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, st->align);
    pango_layout_set_text(l, text, -1);
    return l;
}

static bool fits(PangoLayout *l, int max_lines, double max_height)
{
    PangoRectangle ink, logical;
    pango_layout_get_extents(l, &ink, &logical);
    if (max_lines > 0 && pango_layout_get_line_count(l) > max_lines)
        return false;
    return (double)logical.height / PANGO_SCALE <= max_height + 1e-6;
}

double pdf_doc_text(struct pdf_doc *d, double x, double y, double width, double max_height,
                    const char *text, const struct pdf_text_style *style)
{
    if (text == NULL || text[0] == '\0' || width <= 0 || max_height <= 0)
        return 0;
    double min =
        style->min_size > 0 && style->min_size < style->size ? style->min_size : style->size;
    PangoLayout *l = NULL;
    for (double size = style->size; size >= min - 1e-9; size -= 0.25) {
        if (l != NULL)
            g_object_unref(l);
        l = layout_at(d, text, width, style, size);
        if (fits(l, style->max_lines, max_height))
            break;
        if (size - 0.25 < min - 1e-9) {
            /* Even the smallest size does not fit: as many lines as the box takes, the
             * last one cut with an ellipsis. */
            PangoLayoutIter *it = pango_layout_get_iter(l);
            PangoRectangle line;
            pango_layout_iter_get_line_extents(it, NULL, &line);
            pango_layout_iter_free(it);
            double line_h = (double)line.height / PANGO_SCALE;
            int lines = line_h > 0 ? (int)(max_height / line_h) : 1;
            if (style->max_lines > 0 && lines > style->max_lines)
                lines = style->max_lines;
            if (lines < 1)
                lines = 1;
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
            pango_layout_set_height(l, -lines);
            break;
        }
    }
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    double used = (double)logical.height / PANGO_SCALE;
    if (used > max_height)
        used = max_height;
    cairo_t *cr = d->cr;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, width, max_height);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, style->grey, style->grey, style->grey);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
    g_object_unref(l);
    return used;
}

int pdf_check_text(const char *field, const char *s, size_t max, bool required, char *err,
                   size_t errsz)
{
    if (s == NULL || s[0] == '\0') {
        if (!required)
            return 0;
        snprintf(err, errsz, "%s: required", field);
        return -1;
    }
    size_t n = strnlen(s, max + 1);
    if (n > max) {
        snprintf(err, errsz, "%s: longer than %zu bytes", field, max);
        return -1;
    }
    size_t bad = 0;
    if (!utf8_valid((const unsigned char *)s, n, &bad)) {
        snprintf(err, errsz, "%s: not UTF-8 at byte %zu", field, bad);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            snprintf(err, errsz, "%s: control character at byte %zu", field, i);
            return -1;
        }
    }
    return 0;
}

int pdf_check_input(enum pdf_lang lang, const struct pdf_field *fields, size_t n, char *err,
                    size_t errsz)
{
    if (lang != PDF_LANG_ES && lang != PDF_LANG_EN) {
        snprintf(err, errsz, "lang: not es or en");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (pdf_check_text(fields[i].name, fields[i].value, fields[i].max, fields[i].required, err,
                           errsz) != 0)
            return -1;
    return 0;
}

void pdf_fill(char *out, size_t outsz, const char *tmpl, const char *const *args, size_t n)
{
    if (outsz == 0)
        return;
    size_t o = 0;
    for (const char *p = tmpl; *p != '\0';) {
        const char *piece = p;
        size_t len = 1;
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' && (size_t)(p[1] - '1') < n) {
            piece = args[p[1] - '1'];
            len = strlen(piece);
            p += 3;
        } else {
            p++;
        }
        if (len > outsz - 1 - o) {
            len = outsz - 1 - o;
            while (len > 0 && ((unsigned char)piece[len] & 0xc0) == 0x80)
                len--; /* never end inside a UTF-8 sequence */
            memcpy(out + o, piece, len);
            o += len;
            break;
        }
        memcpy(out + o, piece, len);
        o += len;
    }
    out[o] = '\0';
}

static const char *const months_es[12] = {"enero",      "febrero", "marzo",     "abril",
                                          "mayo",       "junio",   "julio",     "agosto",
                                          "septiembre", "octubre", "noviembre", "diciembre"};
static const char *const months_en[12] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

int pdf_date(const char *field, const char *iso, enum pdf_lang lang, bool long_form, char *out,
             size_t outsz, char *err, size_t errsz)
{
    int y, m, dd;
    if (iso == NULL || civil_parse_date(iso, strlen(iso), &y, &m, &dd) != 0) {
        snprintf(err, errsz, "%s: not a YYYY-MM-DD date", field);
        return -1;
    }
    int n;
    if (lang == PDF_LANG_EN && long_form)
        n = snprintf(out, outsz, "%d %s %04d", dd, months_en[m - 1], y);
    else if (lang == PDF_LANG_EN)
        n = snprintf(out, outsz, "%02d %.3s %04d", dd, months_en[m - 1], y);
    else if (long_form)
        n = snprintf(out, outsz, "%d de %s de %04d", dd, months_es[m - 1], y);
    else
        n = snprintf(out, outsz, "%02d/%02d/%04d", dd, m, y);
    if (n < 0 || (size_t)n >= outsz) {
        snprintf(err, errsz, "%s: no room for the date", field);
        return -1;
    }
    return 0;
}
