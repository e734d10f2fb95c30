/*
 * issued: credentials, letters and their verification as the API and the pages
 * apply them, written once (like enrollment_steps for the wizard). Signing and
 * recording are issuance/'s; this adds the request's rules: who may ask, what
 * input is valid (in the person's language), rate limits, the PDFs and the mail.
 *
 * Invariants: a refusal names the field at fault in the request's language; a
 * letter's download key is random, shown once, and stored only as its hash; the
 * verifier trusts the server's own keys and the store's revocations, nothing a
 * request brings.
 */
#ifndef PADRON_WEB_ISSUED_H
#define PADRON_WEB_ISSUED_H

#include "credential/envelope.h"
#include "store/store.h"
#include "web/enrollment.h"
#include "web/http.h"

#include <stddef.h>
#include <stdint.h>

#define ISSUED_KEY_TEXT 44 /* base64url of 32 random bytes, and a NUL */

/* The credential in force for the active enrollment id (issued when needed).
 * Returns 0 with *out, or -1 with why (409 no_names when the enrollment has no
 * names yet, 409 suspended when it is suspended, 404 when not active, 500). */
int issued_credential(const struct web_request *req, const char *id, struct store_credential *out,
                      struct refusal *why);

/* The refusal of anything a suspended enrollment asks for (a credential, a
 * check-in): 409 suspended, naming institution and what to do. Returns -1. */
int issued_suspended_refusal(const struct web_request *req, enum store_institution institution,
                             struct refusal *why);

/* A new credential for id at once, revoking the one in force: after a
 * correction of the person's data. Results as issued_credential. */
int issued_credential_reissue(const struct web_request *req, const char *id,
                              struct store_credential *out, struct refusal *why);

/* The credential's printable card as a PDF (malloc'd into *pdf) for reg in the
 * request's language. Returns 0, or -1 with why (500). */
int issued_credential_pdf(const struct web_request *req, const struct store_registration *reg,
                          const struct store_credential *c, uint8_t **pdf, size_t *len,
                          struct refusal *why);

/* What a letter is asked for with, as typed. */
struct issued_letter_input {
    const char *curp, *institution, *email;
    const char *given_names, *first_surname, *second_surname; /* optional, all or none */
};

/* Checks the input, the roll and the rate limit (per client address), signs and
 * records a letter, and mails it with its PDF. Returns 0 with *out and the
 * download key (key) of its PDF, or -1 with why: 422 at the field at fault,
 * 409 affiliated_imss / affiliated_issste, 503 roll_not_loaded, 429 throttled,
 * 500. */
int issued_letter(const struct web_request *req, const struct issued_letter_input *in,
                  struct store_letter *out, char key[ISSUED_KEY_TEXT], struct refusal *why);

/* What one client address may ask for in ISSUED_WINDOW seconds: generous for a
 * clinic's desk checking papers all day, tight for a script. */
#define ISSUED_WINDOW              (60 * 60)
#define ISSUED_FOLIO_LOOKUPS       300 /* letter status pages and PDFs by folio */
#define ISSUED_VERIFICATIONS       600 /* QR texts verified */
#define ISSUED_PHOTO_VERIFICATIONS 120 /* photos of a QR decoded and verified */

/* The letter with folio (as typed: any case, dashes optional) into *out: 1, 0
 * when there is none, -1 with why (429 throttled, 500). */
int issued_letter_find(const struct web_request *req, const char *folio, struct store_letter *out,
                       struct refusal *why);

/* Counts one verification (of a photo when photo) against the client's address:
 * 0, or -1 with why (429 throttled, 500). */
int issued_verify_allowed(const struct web_request *req, bool photo, struct refusal *why);

/* The PDF of the letter with folio when key is its download key (malloc'd into
 * *pdf, in the letter's language; its file name into name). The key travels in a
 * header or a posted form, never in a URL (URLs end up in logs and in browser
 * history on shared computers). Returns 0, or -1 with why: 404 not_found when
 * there is no such letter or the key is not its own (the folio alone must not
 * open the PDF), 429, 500. */
#define ISSUED_PDF_NAME 40
int issued_letter_download(const struct web_request *req, const char *folio, const char *key,
                           uint8_t **pdf, size_t *len, char name[ISSUED_PDF_NAME],
                           struct refusal *why);

/* "valid", "revoked" or "expired": a letter's status now. */
const char *issued_letter_status(const struct web_request *req, const struct store_letter *l);

/* The URL where anyone checks a letter: the public base URL + "/cartas/" + folio. */
void issued_letter_url(const struct web_request *req, const char *folio, char *buf, size_t size);

/* The ids of credentials and letters revoked and not yet expired, for
 * envelope_verify and the revocation list. */
struct issued_revoked {
    struct envelope_id *ids; /* n of them, pointing into text */
    size_t n, cap;
    char (*text)[STORE_ISSUED_ID_LEN + 1];
};

/* Loads them from the store: 0, or -1 (logged; out is empty). */
int issued_revoked_load(const struct web_request *req, struct issued_revoked *out);
void issued_revoked_release(struct issued_revoked *r);

/* Verifies QR text against the server's trusted keys and the store's
 * revocations, at the server's clock. Fills *v (release it). Returns v->result,
 * or -1 when the revocations could not be read (logged). */
int issued_verify(const struct web_request *req, const char *text, size_t len,
                  struct envelope_verdict *v);

/* The verdict as JSON for the API and the pages: {"result", "reason"?, "layer"?,
 * "kid"?, and when the signature verified "issuer", "issued", "expires", "id",
 * and the person's claims}. A new reference. */
json_t *issued_verdict_json(const struct envelope_verdict *v);

/* The CURP with its middle hidden ("SABC··········RN01"), for pages that show a
 * document's status to whoever holds its folio. */
void issued_mask_curp(const char *curp, char *out, size_t size);

#endif
