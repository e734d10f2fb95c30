/*
 * letter_pdf: the Carta de No Afiliación al IMSS / al ISSSTE as a PDF in memory, one
 * US Letter page: folio and date of issue, the person (CURP, and the name when
 * given), the institution, the statement that the person is not found as an active
 * affiliate in that institution's roll as of the roll's date, the validity period,
 * the QR code with the signed envelope, the verification URL (which carries the
 * folio) and how to verify: no stamp or handwritten signature is needed, the QR or
 * the URL is the proof.
 *
 * Invariants: as card_pdf.h. Every text is checked before anything is drawn, the
 * dates must be real YYYY-MM-DD days with valid_from <= valid_until, the institution
 * is exactly "IMSS" or "ISSSTE"; texts shrink and wrap inside their boxes and never
 * overflow the page; the QR text is never shortened. Reentrant.
 */
#ifndef PADRON_RENDER_LETTER_PDF_H
#define PADRON_RENDER_LETTER_PDF_H

#include "render/pdf_doc.h"

#include <stddef.h>
#include <stdint.h>

#define LETTER_QR_MM 55.0 /* the QR square, quiet zone included */

struct letter_pdf {
    enum pdf_lang lang;
    const char *program;     /* the issuer, e.g. "IMSS-Bienestar"; required */
    const char *folio;       /* the letter's folio; required */
    const char *issued;      /* YYYY-MM-DD; required */
    const char *curp;        /* required */
    const char *full_name;   /* optional */
    const char *institution; /* "IMSS" or "ISSSTE" */
    const char *roll_date;   /* YYYY-MM-DD: the date of the roll that was checked */
    const char *valid_from;  /* YYYY-MM-DD */
    const char *valid_until; /* YYYY-MM-DD, not before valid_from */
    const char *qr_text;     /* the signed envelope; required */
    const char *verify_url;  /* the folio's verification page; required */
};

/* Renders l into a PDF: *pdf (malloc'd, free() it) and *len. Returns 0, or -1 with a
 * "field: why" message in err and *pdf NULL. */
int letter_pdf_render(const struct letter_pdf *l, uint8_t **pdf, size_t *len, char *err,
                      size_t errsz);

#endif
