/*
 * card_pdf: the printable credential, a PDF in memory: one US Letter page with the
 * front and the back of an ID-1 card (85.6 x 54 mm, the size of a bank card) side by
 * side, with cut marks at the outer corners and a dashed fold line between the two
 * faces: cut around, fold along the middle, and the card has two sides.
 *
 * Front: program name, "credential", the person's full name, CURP, birth date,
 * enrollment folio, levels of care covered, home clinic (CLUES and name when known),
 * issue and expiry dates. Back: the QR code with the signed envelope, CARD_QR_MIN_MM
 * or more wide, the verification URL, and what the QR proves and what it does not.
 *
 * Invariants:
 * - The input is a plain struct the caller fills; nothing here reads a store. Every
 *   text is checked (pdf_check_text: UTF-8, no control characters, bounded) and
 *   every date must be a real YYYY-MM-DD day before anything is drawn.
 * - Long texts shrink, wrap and at worst end in an ellipsis inside their box; they
 *   never overflow the card (pdf_doc.h). The QR text is never shortened: one that
 *   does not fit a QR code is an error.
 * - Reentrant (see pdf_doc.h).
 */
#ifndef PADRON_RENDER_CARD_PDF_H
#define PADRON_RENDER_CARD_PDF_H

#include "render/pdf_doc.h"

#include <stddef.h>
#include <stdint.h>

#define CARD_WIDTH_MM    85.6
#define CARD_HEIGHT_MM   54.0
#define CARD_QR_MIN_MM   30.0 /* the dark code itself, without the quiet zone */
#define CARD_PAGE_TOP_MM 50.0 /* the faces' top edge on the page; centred across it */

struct card_pdf {
    enum pdf_lang lang;
    const char *program;      /* e.g. "IMSS-Bienestar"; required */
    const char *full_name;    /* as it should read: "María del Carmen Loredo Caballero" */
    const char *curp;         /* required */
    const char *birth_date;   /* YYYY-MM-DD, required */
    const char *folio;        /* the enrollment folio, required */
    const int *levels;        /* levels of care covered, 1-3, ascending */
    size_t level_count;       /* 1-3 */
    const char *clinic_clues; /* optional */
    const char *clinic_name;  /* optional; shown only with the CLUES */
    const char *issued;       /* YYYY-MM-DD, required */
    const char *expires;      /* YYYY-MM-DD, required */
    const char *qr_text;      /* the signed envelope, required */
    const char *verify_url;   /* where to check it, required */
};

/* Renders c into a PDF: *pdf (malloc'd, free() it) and *len. Returns 0, or -1 with a
 * "field: why" message in err and *pdf NULL. */
int card_pdf_render(const struct card_pdf *c, uint8_t **pdf, size_t *len, char *err, size_t errsz);

#endif
