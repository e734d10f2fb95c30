/*
 * documents: the printable PDFs of what issuance signed: the credential card and
 * the Carta de No Afiliación, from the store's records (render/ draws them). The
 * web pages, the API, the mail and `padron letter issue` all print through here,
 * so a card or a letter reads the same wherever it comes from.
 *
 * The verification URL on both is built from public_url (where people open
 * padron, without a final "/"): /verificar for cards, /cartas/FOLIO for letters.
 */
#ifndef PADRON_ISSUANCE_DOCUMENTS_H
#define PADRON_ISSUANCE_DOCUMENTS_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* The home clinic a card names; both NULL when none is assigned. */
struct documents_clinic {
    const char *clues, *name;
};

/* The card of the credential c of the active enrollment reg, with its home
 * clinic, in Spanish (en false) or English, into *pdf (malloc'd) and *len.
 * Returns 0, or -1 with err. */
int documents_card_pdf(const struct store_registration *reg, const struct store_credential *c,
                       struct documents_clinic clinic, bool en, const char *public_url,
                       uint8_t **pdf, size_t *len, char *err, size_t errsz);

/* The letter l in its own language, likewise. */
int documents_letter_pdf(const struct store_letter *l, const char *public_url, uint8_t **pdf,
                         size_t *len, char *err, size_t errsz);

/* Who a letter's mail comes from, and the public URL for its links. */
struct documents_mail {
    const char *from, *public_url;
};

/* The mail that carries letter l to l->email in the letter's language, its PDF
 * attached: a complete RFC 5322 text into *message (malloc'd). ctx is a struct
 * documents_mail; the shape is issuance_letter_mail_fn's. Returns 0, or -1 with
 * err. */
int documents_letter_mail(void *ctx, const struct store_letter *l, char **message, char *err,
                          size_t errsz);

/* The URL where anyone checks the letter with folio. */
void documents_letter_url(const char *public_url, const char *folio, char *buf, size_t size);

/* A Unix time as YYYY-MM-DD (UTC). */
void documents_day(int64_t t, char out[11]);

#endif
