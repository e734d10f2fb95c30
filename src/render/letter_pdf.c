/* letter_pdf: see letter_pdf.h. All lengths are millimetres. */
#include "render/letter_pdf.h"

#include "render/qr.h"

#include <stdio.h>
#include <string.h>

#define MARGIN     22.0
#define WIDTH      (PDF_DOC_PAGE_WIDTH - 2 * MARGIN)
#define RULE_COLOR 0.616, 0.141, 0.286 /* the program's wine red */

struct letter_texts {
    const char *title, *folio, *issued, *curp, *name, *institution, *roll, *validity,
        *validity_value, *statement_named, *statement, *valid_sentence, *verify_head, *verify,
        *page;
};

static const struct letter_texts texts[2] = {
    [PDF_LANG_ES] =
        {
            "Carta de No Afiliación al {1}",
            "Folio",
            "Fecha de emisión",
            "CURP",
            "Nombre",
            "Institución",
            "Padrón consultado",
            "Vigencia",
            "del {1} al {2}",
            "{1} hace constar que la persona {6}, con la CURP {2}, no se encuentra afiliada "
            "con derechos vigentes al {3} ({4}) según el padrón de esa institución con fecha "
            "{5}.",
            "{1} hace constar que la persona con la CURP {2} no se encuentra afiliada con "
            "derechos vigentes al {3} ({4}) según el padrón de esa institución con fecha {5}.",
            "Esta carta es válida del {1} al {2}.",
            "Cómo verificar esta carta",
            "No necesita sello ni firma autógrafa: escanee el código QR o abra {1}. El código "
            "está firmado digitalmente por {2} y se verifica incluso sin conexión; cualquier "
            "cambio en los datos lo invalida. Compare la CURP y el nombre con una "
            "identificación oficial de quien presenta la carta.",
            "Folio {1} · página 1 de 1",
        },
    [PDF_LANG_EN] =
        {
            "Letter of Non-Affiliation with the {1}",
            "Folio",
            "Date of issue",
            "CURP",
            "Name",
            "Institution",
            "Roll checked",
            "Valid",
            "from {1} to {2}",
            "{1} certifies that {6}, CURP {2}, is not found as an affiliate with current "
            "rights of the {3} ({4}) in that institution's roll dated {5}.",
            "{1} certifies that the person with CURP {2} is not found as an affiliate with "
            "current rights of the {3} ({4}) in that institution's roll dated {5}.",
            "This letter is valid from {1} to {2}.",
            "How to verify this letter",
            "No stamp or handwritten signature is needed: scan the QR code or open {1}. The "
            "code is digitally signed by {2} and verifies even offline; any change to the data "
            "invalidates it. Compare the CURP and name with an official ID of whoever "
            "presents the letter.",
            "Folio {1} · page 1 of 1",
        },
};

static const char *institution_name(const char *code)
{
    if (strcmp(code, "IMSS") == 0)
        return "Instituto Mexicano del Seguro Social";
    return "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado";
}

/* The letter's dates in words: issued, roll, from, until. */
struct letter_dates {
    char issued[40], roll[40], from[40], until[40];
};

static int check_input(const struct letter_pdf *l, struct letter_dates *dt, char *err, size_t errsz)
{
    const struct pdf_field fields[] = {
        {"program", l->program, true, PDF_TEXT_MAX},
        {"folio", l->folio, true, PDF_TEXT_MAX},
        {"curp", l->curp, true, PDF_TEXT_MAX},
        {"full_name", l->full_name, false, PDF_TEXT_MAX},
        {"institution", l->institution, true, PDF_TEXT_MAX},
        {"qr_text", l->qr_text, true, QR_TEXT_MAX},
        {"verify_url", l->verify_url, true, PDF_TEXT_MAX},
    };
    if (pdf_check_input(l->lang, fields, sizeof fields / sizeof fields[0], err, errsz) != 0)
        return -1;
    if (strcmp(l->institution, "IMSS") != 0 && strcmp(l->institution, "ISSSTE") != 0) {
        snprintf(err, errsz, "institution: IMSS or ISSSTE");
        return -1;
    }
    if (pdf_date("issued", l->issued, l->lang, true, dt->issued, sizeof dt->issued, err, errsz) !=
            0 ||
        pdf_date("roll_date", l->roll_date, l->lang, true, dt->roll, sizeof dt->roll, err, errsz) !=
            0 ||
        pdf_date("valid_from", l->valid_from, l->lang, true, dt->from, sizeof dt->from, err,
                 errsz) != 0 ||
        pdf_date("valid_until", l->valid_until, l->lang, true, dt->until, sizeof dt->until, err,
                 errsz) != 0)
        return -1;
    /* YYYY-MM-DD strings that parsed compare in date order. */
    if (strcmp(l->valid_from, l->valid_until) > 0) {
        snprintf(err, errsz, "valid_until: before valid_from");
        return -1;
    }
    return 0;
}

/* A label and its value on one row; returns the row's height. */
static double row(struct pdf_doc *d, double y, const char *label, const char *value)
{
    const struct pdf_text_style ls = {10, 0, false, 1, PANGO_ALIGN_LEFT, 0.35};
    const struct pdf_text_style vs = {11, 8, true, 2, PANGO_ALIGN_LEFT, 0};
    pdf_doc_text(d, MARGIN, y + 0.4, 45, 6, label, &ls);
    double h = pdf_doc_text(d, MARGIN + 46, y, WIDTH - 46, 10, value, &vs);
    return (h > 5 ? h : 5) + 1.8;
}

static void draw(struct pdf_doc *d, const struct letter_pdf *l, const struct letter_dates *dt,
                 const struct qr_matrix *qr, const char *title)
{
    const struct letter_texts *t = &texts[l->lang];
    cairo_t *cr = d->cr;
    const struct pdf_text_style program = {16, 11, true, 1, PANGO_ALIGN_LEFT, 0};
    const struct pdf_text_style right = {10, 7, false, 2, PANGO_ALIGN_RIGHT, 0};
    char buf[2048];
    double y = 20;
    pdf_doc_text(d, MARGIN, y, WIDTH * 0.5, 9, l->program, &program);
    snprintf(buf, sizeof buf, "%s: %s", t->folio, l->folio);
    pdf_doc_text(d, MARGIN + WIDTH * 0.5, y, WIDTH * 0.5, 5, buf, &right);
    snprintf(buf, sizeof buf, "%s: %s", t->issued, dt->issued);
    pdf_doc_text(d, MARGIN + WIDTH * 0.5, y + 5, WIDTH * 0.5, 5, buf, &right);
    y += 12;
    cairo_set_source_rgb(cr, RULE_COLOR);
    cairo_rectangle(cr, MARGIN, y, WIDTH, 0.8);
    cairo_fill(cr);
    y += 6;
    const struct pdf_text_style heading = {17, 12, true, 2, PANGO_ALIGN_CENTER, 0};
    y += pdf_doc_text(d, MARGIN, y, WIDTH, 16, title, &heading) + 1;
    const struct pdf_text_style sub = {10, 8, false, 2, PANGO_ALIGN_CENTER, 0.35};
    y += pdf_doc_text(d, MARGIN, y, WIDTH, 10, institution_name(l->institution), &sub) + 8;

    y += row(d, y, t->curp, l->curp);
    if (l->full_name != NULL && l->full_name[0] != '\0')
        y += row(d, y, t->name, l->full_name);
    snprintf(buf, sizeof buf, "%s (%s)", l->institution, institution_name(l->institution));
    y += row(d, y, t->institution, buf);
    y += row(d, y, t->roll, dt->roll);
    const char *period[] = {dt->from, dt->until};
    pdf_fill(buf, sizeof buf, t->validity_value, period, 2);
    y += row(d, y, t->validity, buf) + 5;

    const struct pdf_text_style body = {11.5, 9, false, 0, PANGO_ALIGN_LEFT, 0};
    bool named = l->full_name != NULL && l->full_name[0] != '\0';
    const char *facts[] = {l->program,     l->curp,  institution_name(l->institution),
                           l->institution, dt->roll, named ? l->full_name : ""};
    pdf_fill(buf, sizeof buf, named ? t->statement_named : t->statement, facts, 6);
    y += pdf_doc_text(d, MARGIN, y, WIDTH, 40, buf, &body) + 4;
    pdf_fill(buf, sizeof buf, t->valid_sentence, period, 2);
    pdf_doc_text(d, MARGIN, y, WIDTH, 12, buf, &body);

    /* The QR and how to verify, in a fixed block above the footer. */
    double qy = PDF_DOC_PAGE_HEIGHT - 22 - LETTER_QR_MM;
    cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
    cairo_set_line_width(cr, 0.3);
    cairo_rectangle(cr, MARGIN, qy - 4, WIDTH, LETTER_QR_MM + 8);
    cairo_stroke(cr);
    qr_draw(cr, qr, MARGIN + 2, qy, LETTER_QR_MM);
    double tx = MARGIN + 4 + LETTER_QR_MM, tw = WIDTH - LETTER_QR_MM - 8;
    const struct pdf_text_style vh = {12, 9, true, 2, PANGO_ALIGN_LEFT, 0};
    const struct pdf_text_style vb = {9.5, 7, false, 0, PANGO_ALIGN_LEFT, 0.15};
    double vy = qy + 2;
    vy += pdf_doc_text(d, tx, vy, tw, 12, t->verify_head, &vh) + 2;
    const char *how[] = {l->verify_url, l->program};
    pdf_fill(buf, sizeof buf, t->verify, how, 2);
    pdf_doc_text(d, tx, vy, tw, qy + LETTER_QR_MM - 2 - vy, buf, &vb);

    const struct pdf_text_style foot = {8, 6, false, 1, PANGO_ALIGN_CENTER, 0.4};
    const char *folio[] = {l->folio};
    pdf_fill(buf, sizeof buf, t->page, folio, 1);
    pdf_doc_text(d, MARGIN, PDF_DOC_PAGE_HEIGHT - 12, WIDTH, 5, buf, &foot);
}

int letter_pdf_render(const struct letter_pdf *l, uint8_t **pdf, size_t *len, char *err,
                      size_t errsz)
{
    *pdf = NULL;
    *len = 0;
    struct letter_dates dt;
    if (check_input(l, &dt, err, errsz) != 0)
        return -1;
    struct qr_matrix qr;
    char why[160];
    if (qr_encode(l->qr_text, strlen(l->qr_text), &qr, why, sizeof why) != 0) {
        snprintf(err, errsz, "qr_%s", why);
        return -1;
    }
    char title[128];
    const char *inst[] = {l->institution};
    pdf_fill(title, sizeof title, texts[l->lang].title, inst, 1);
    struct pdf_doc d;
    if (pdf_doc_begin(&d, title, err, errsz) != 0) {
        qr_matrix_release(&qr);
        return -1;
    }
    draw(&d, l, &dt, &qr, title);
    qr_matrix_release(&qr);
    return pdf_doc_finish(&d, pdf, len, err, errsz);
}
