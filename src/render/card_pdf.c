/* card_pdf: see card_pdf.h. All lengths are millimetres. */
#include "render/card_pdf.h"

#include "render/qr.h"

#include <stdio.h>
#include <string.h>

#define CARD_TOP   CARD_PAGE_TOP_MM
#define CARD_PAD   3.5  /* inner margin of a face */
#define QR_BOX     46.0 /* the QR square on the back, quiet zone included */
#define MARK_GAP   2.0  /* cut marks start this far outside the corner */
#define MARK_LEN   6.0
#define BAND_COLOR 0.616, 0.141, 0.286 /* the program's wine red */

struct card_texts {
    const char *credential, *instructions, *fold, *curp, *birth, *folio, *levels, *levels_and,
        *clinic, *clinic_none, *issued, *expires, *verify, *proves;
};

static const struct card_texts texts[2] = {
    [PDF_LANG_ES] =
        {
            "Credencial de afiliación",
            "Recorte por las marcas de las esquinas y doble por la línea punteada: la "
            "credencial queda con frente y reverso. No necesita imprimirla: también puede "
            "mostrarla en su teléfono.",
            "doblar",
            "CURP",
            "Fecha de nacimiento",
            "Folio",
            "Niveles de atención",
            " y ",
            "Unidad de salud",
            "Por asignar",
            "Emitida",
            "Vigente hasta",
            "Verifique esta credencial",
            "El código QR prueba que {1} emitió estos datos y que nadie los cambió; se "
            "verifica sin conexión. No prueba que quien lo muestra sea la persona nombrada: "
            "compare el nombre, la CURP y la fecha de nacimiento con una identificación "
            "oficial.",
        },
    [PDF_LANG_EN] =
        {
            "Enrollment credential",
            "Cut at the corner marks and fold along the dashed line: the card then has a "
            "front and a back. You do not need to print it: you can also show it on your "
            "phone.",
            "fold",
            "CURP",
            "Date of birth",
            "Folio",
            "Levels of care",
            " and ",
            "Home clinic",
            "To be assigned",
            "Issued",
            "Valid until",
            "Verify this credential",
            "The QR code proves that {1} issued this data and that nobody changed it; it "
            "verifies offline. It does not prove that whoever shows it is the person named: "
            "compare the name, CURP and date of birth with an official ID.",
        },
};

static const struct pdf_text_style label_style = {5.0, 0, false, 1, PANGO_ALIGN_LEFT, 0.35};
static const struct pdf_text_style value_style = {7.5, 5.5, true, 1, PANGO_ALIGN_LEFT, 0};

static int check_input(const struct card_pdf *c, char *err, size_t errsz)
{
    const struct pdf_field fields[] = {
        {"program", c->program, true, PDF_TEXT_MAX},
        {"full_name", c->full_name, true, PDF_TEXT_MAX},
        {"curp", c->curp, true, PDF_TEXT_MAX},
        {"birth_date", c->birth_date, true, PDF_TEXT_MAX},
        {"folio", c->folio, true, PDF_TEXT_MAX},
        {"clinic_clues", c->clinic_clues, false, PDF_TEXT_MAX},
        {"clinic_name", c->clinic_name, false, PDF_TEXT_MAX},
        {"issued", c->issued, true, PDF_TEXT_MAX},
        {"expires", c->expires, true, PDF_TEXT_MAX},
        {"qr_text", c->qr_text, true, QR_TEXT_MAX},
        {"verify_url", c->verify_url, true, PDF_TEXT_MAX},
    };
    if (pdf_check_input(c->lang, fields, sizeof fields / sizeof fields[0], err, errsz) != 0)
        return -1;
    if (c->level_count < 1 || c->level_count > 3 || c->levels == NULL) {
        snprintf(err, errsz, "levels: between 1 and 3 levels of care");
        return -1;
    }
    for (size_t i = 0; i < c->level_count; i++) {
        if (c->levels[i] < 1 || c->levels[i] > 3 || (i > 0 && c->levels[i] <= c->levels[i - 1])) {
            snprintf(err, errsz, "levels: 1 to 3, ascending, without repeats");
            return -1;
        }
    }
    return 0;
}

/* Cut marks outside the four corners of the w x h rectangle at (x, y). */
static void cut_marks(cairo_t *cr, double x, double y, double w, double h)
{
    const double xs[2] = {x, x + w}, ys[2] = {y, y + h};
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
            double dx = i == 0 ? -1 : 1, dy = j == 0 ? -1 : 1;
            cairo_move_to(cr, xs[i] + dx * MARK_GAP, ys[j]);
            cairo_line_to(cr, xs[i] + dx * (MARK_GAP + MARK_LEN), ys[j]);
            cairo_move_to(cr, xs[i], ys[j] + dy * MARK_GAP);
            cairo_line_to(cr, xs[i], ys[j] + dy * (MARK_GAP + MARK_LEN));
        }
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.2);
    cairo_stroke(cr);
}

/* The faces' outlines (light, to cut along) and the dashed fold line between them. */
static void outlines(struct pdf_doc *d, double x, const struct card_texts *t)
{
    cairo_t *cr = d->cr;
    cairo_set_line_width(cr, 0.15);
    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
    cairo_rectangle(cr, x, CARD_TOP, 2 * CARD_WIDTH_MM, CARD_HEIGHT_MM);
    cairo_stroke(cr);
    cut_marks(cr, x, CARD_TOP, 2 * CARD_WIDTH_MM, CARD_HEIGHT_MM);
    double fold = x + CARD_WIDTH_MM;
    const double dash[] = {1.5, 1.0};
    cairo_save(cr);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 0.25);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, fold, CARD_TOP - MARK_GAP - MARK_LEN);
    cairo_line_to(cr, fold, CARD_TOP + CARD_HEIGHT_MM + MARK_GAP + MARK_LEN);
    cairo_stroke(cr);
    cairo_restore(cr);
    const struct pdf_text_style fold_style = {6, 0, false, 1, PANGO_ALIGN_CENTER, 0.3};
    pdf_doc_text(d, fold - 15, CARD_TOP - MARK_GAP - MARK_LEN - 3.5, 30, 3.5, t->fold, &fold_style);
}

/* A label above its value, in the cell at (x, y) of width w; returns the height. */
static double cell(struct pdf_doc *d, double x, double y, double w, const char *label,
                   const char *value, int lines)
{
    double h = pdf_doc_text(d, x, y, w, 2.5, label, &label_style);
    struct pdf_text_style vs = value_style;
    vs.max_lines = lines;
    return h + pdf_doc_text(d, x, y + 2.2, w, 3.4 * lines, value, &vs);
}

static void front(struct pdf_doc *d, const struct card_pdf *c, double x, char dates[3][40])
{
    const struct card_texts *t = &texts[c->lang];
    cairo_t *cr = d->cr;
    cairo_set_source_rgb(cr, BAND_COLOR);
    cairo_rectangle(cr, x, CARD_TOP, CARD_WIDTH_MM, 9.5);
    cairo_fill(cr);
    double inner = CARD_WIDTH_MM - 2 * CARD_PAD, cx = x + CARD_PAD;
    const struct pdf_text_style program = {10, 7, true, 1, PANGO_ALIGN_LEFT, 1};
    const struct pdf_text_style kind = {6.5, 5, false, 1, PANGO_ALIGN_RIGHT, 1};
    pdf_doc_text(d, cx, CARD_TOP + 2.6, inner * 0.55, 5, c->program, &program);
    pdf_doc_text(d, cx + inner * 0.55, CARD_TOP + 3.4, inner * 0.45, 4, t->credential, &kind);

    const struct pdf_text_style name = {10, 6.5, true, 2, PANGO_ALIGN_LEFT, 0};
    pdf_doc_text(d, cx, CARD_TOP + 11.5, inner, 9, c->full_name, &name);

    char levels[32] = "";
    for (size_t i = 0; i < c->level_count; i++) {
        const char *sep = i == 0 ? "" : i + 1 == c->level_count ? t->levels_and : ", ";
        size_t n = strlen(levels);
        snprintf(levels + n, sizeof levels - n, "%s%d", sep, c->levels[i]);
    }
    double col = inner / 3, y = CARD_TOP + 21.5;
    cell(d, cx, y, inner, t->curp, c->curp, 1);
    y += 6.2;
    cell(d, cx, y, col - 1, t->birth, dates[0], 1);
    cell(d, cx + col, y, col - 1, t->folio, c->folio, 1);
    cell(d, cx + 2 * col, y, col, t->levels, levels, 1);
    y += 6.2;
    cell(d, cx, y, col - 1, t->issued, dates[1], 1);
    cell(d, cx + col, y, col - 1, t->expires, dates[2], 1);
    y += 6.2;
    char clinic[PDF_TEXT_MAX * 2 + 8];
    if (c->clinic_clues == NULL || c->clinic_clues[0] == '\0')
        snprintf(clinic, sizeof clinic, "%s", t->clinic_none);
    else if (c->clinic_name == NULL || c->clinic_name[0] == '\0')
        snprintf(clinic, sizeof clinic, "%s", c->clinic_clues);
    else
        snprintf(clinic, sizeof clinic, "%s · %s", c->clinic_clues, c->clinic_name);
    cell(d, cx, y, inner, t->clinic, clinic, 2);
}

static void back(struct pdf_doc *d, const struct card_pdf *c, const struct qr_matrix *qr, double x)
{
    const struct card_texts *t = &texts[c->lang];
    double qy = CARD_TOP + (CARD_HEIGHT_MM - QR_BOX) / 2;
    qr_draw(d->cr, qr, x + 1, qy, QR_BOX);
    double tx = x + 1 + QR_BOX + 0.5, tw = x + CARD_WIDTH_MM - CARD_PAD - tx;
    double y = CARD_TOP + CARD_PAD + 1;
    const struct pdf_text_style head = {7, 5.5, true, 3, PANGO_ALIGN_LEFT, 0};
    const struct pdf_text_style url = {5.5, 4.5, false, 4, PANGO_ALIGN_LEFT, 0};
    const struct pdf_text_style body = {6, 4.2, false, 0, PANGO_ALIGN_LEFT, 0.2};
    y += pdf_doc_text(d, tx, y, tw, 8, t->verify, &head) + 1;
    y += pdf_doc_text(d, tx, y, tw, 9, c->verify_url, &url) + 1.5;
    char proves[1024];
    const char *args[] = {c->program};
    pdf_fill(proves, sizeof proves, t->proves, args, 1);
    pdf_doc_text(d, tx, y, tw, CARD_TOP + CARD_HEIGHT_MM - CARD_PAD - y, proves, &body);
}

int card_pdf_render(const struct card_pdf *c, uint8_t **pdf, size_t *len, char *err, size_t errsz)
{
    *pdf = NULL;
    *len = 0;
    if (check_input(c, err, errsz) != 0)
        return -1;
    char dates[3][40];
    if (pdf_date("birth_date", c->birth_date, c->lang, false, dates[0], sizeof dates[0], err,
                 errsz) != 0 ||
        pdf_date("issued", c->issued, c->lang, false, dates[1], sizeof dates[1], err, errsz) != 0 ||
        pdf_date("expires", c->expires, c->lang, false, dates[2], sizeof dates[2], err, errsz) != 0)
        return -1;
    struct qr_matrix qr;
    char why[160];
    if (qr_encode(c->qr_text, strlen(c->qr_text), &qr, why, sizeof why) != 0) {
        snprintf(err, errsz, "qr_%s", why);
        return -1;
    }
    const struct card_texts *t = &texts[c->lang];
    char title[PDF_TEXT_MAX + 64];
    snprintf(title, sizeof title, "%s: %s", t->credential, c->full_name);
    struct pdf_doc d;
    if (pdf_doc_begin(&d, title, err, errsz) != 0) {
        qr_matrix_release(&qr);
        return -1;
    }
    double x = (PDF_DOC_PAGE_WIDTH - 2 * CARD_WIDTH_MM) / 2;
    const struct pdf_text_style heading = {14, 10, true, 2, PANGO_ALIGN_LEFT, 0};
    const struct pdf_text_style body = {9, 8, false, 0, PANGO_ALIGN_LEFT, 0.2};
    double y = 14;
    y += pdf_doc_text(&d, x, y, 2 * CARD_WIDTH_MM, 10, title, &heading) + 2;
    pdf_doc_text(&d, x, y, 2 * CARD_WIDTH_MM, 10, t->instructions, &body);
    outlines(&d, x, t);
    front(&d, c, x, dates);
    back(&d, c, &qr, x + CARD_WIDTH_MM);
    qr_matrix_release(&qr);
    return pdf_doc_finish(&d, pdf, len, err, errsz);
}
