/*
 * page_issued: what the pages of credentials, letters and verification share:
 * a QR code as inline SVG in the view, dates in words in the person's language,
 * and the signed data of a verdict laid out for people.
 *
 * Invariants:
 * - The SVG is the only raw HTML these pages put in a view; it is built by
 *   render/qr from our own envelope text (base45, no markup) and a title of our
 *   catalog, escaped there. Nothing a person typed reaches it unescaped.
 * - Dates are shown in words ("27 de junio de 1990", "27 June 1990"); a value
 *   that is not a real day is shown as it is, never dropped.
 */
#ifndef PADRON_WEB_PAGE_ISSUED_H
#define PADRON_WEB_PAGE_ISSUED_H

#include "web/page.h"

#include <stdint.h>

/* CSS pixels a module of an on-screen QR code: version 12 (our credentials) is
 * 292 px wide with its quiet zone, readable by a phone held to a scanner; the
 * page's CSS scales a larger one down to the screen. */
#define PAGE_QR_PX 4

/* Sets key in the view to the QR code of text as one <svg> (rendered raw with
 * {{{key}}}), titled title for screen readers. Returns 0, or -1 (logged, key
 * unset) when the text cannot be encoded. */
int page_issued_qr(struct page *p, const char *key, const char *text, const char *title);

/* The day iso ("YYYY-MM-DD") in words in the page's language. A new reference. */
json_t *page_issued_date(const struct page *p, const char *iso);

/* The day of Unix time t (UTC) in words. A new reference. */
json_t *page_issued_day(const struct page *p, int64_t t);

/* The signed data of a verdict (issued_verdict_json) for a view: {kind
 * ("credential" or "letter", with is_credential / is_letter), name (the names
 * joined, when present), curp, birth_date, folio, program, levels ("1 y 2"),
 * clues, institution, issued, expires (dates in words)}; each only when the
 * verdict has it. NULL when the signature did not verify (nothing to show).
 * A new reference. */
json_t *page_issued_claims(const struct page *p, const json_t *verdict);

#endif
