/*
 * issuance: signed credentials and Cartas de No Afiliación, from the store's
 * data to the envelope of their QR code, recorded in the store. The web API, the
 * pages and the CLI all issue through here, so the rules are written once.
 *
 * Credentials: an active enrollment with names has at most one credential in
 * force. It is reused until it expires; a correction of the names makes a new
 * one at once and revokes the old ("corrected"), in one transaction
 * (store_credential_add). Each credential records which version of the data it
 * carries (data_at: the later of the last names correction and the home clinic's
 * assignment), so one made before a correction or a new clinic is never handed
 * out after it, even if the reissue at the correction failed. A suspended
 * enrollment (found active in the IMSS or ISSSTE roll) gets none: its
 * credentials were revoked when it was suspended, and no new one is made.
 *
 * Letters: one per request, for a CURP and an institution, when that
 * institution's roll has been imported and does not list the CURP as active. The
 * letter states the roll's date. An active row is a refusal naming the
 * institution, never a letter; an inactive row (a past affiliation) is a letter.
 *
 * Invariants: the signature comes from the signer (credential/signer.h) and the
 * private key never passes through here; ids are drawn at random (core/folio)
 * and a collision draws again; on any error nothing is recorded.
 */
#ifndef PADRON_ISSUANCE_ISSUANCE_H
#define PADRON_ISSUANCE_ISSUANCE_H

#include "credential/signer.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define ISSUANCE_ISSUER          "IMSS-BIENESTAR"
#define ISSUANCE_PROGRAM         "IMSS-BIENESTAR"
#define ISSUANCE_CREDENTIAL_DAYS 365
#define ISSUANCE_LETTER_DAYS     30

struct issuance {
    struct store *store;
    struct signer *signer;
    const char *issuer; /* the iss claim; NULL: ISSUANCE_ISSUER */
};

enum issuance_result {
    ISSUANCE_OK = 0,
    ISSUANCE_NOT_ACTIVE,       /* credential: no active enrollment with that id */
    ISSUANCE_NO_NAMES,         /* credential: the enrollment has no names recorded yet */
    ISSUANCE_AFFILIATED,       /* letter: the CURP is active in the institution's roll */
    ISSUANCE_NO_ROLL,          /* letter: the institution's roll was never imported */
    ISSUANCE_SUSPENDED_IMSS,   /* credential: the enrollment is suspended, the person */
    ISSUANCE_SUSPENDED_ISSSTE, /* being active in that roll (padron crosscheck) */
    ISSUANCE_ERROR,            /* err says why */
};

/* The credential in force for the active enrollment registration_id, issuing a
 * new one when there is none or it carries names corrected since. *out is filled
 * on ISSUANCE_OK. */
enum issuance_result issuance_credential(const struct issuance *is, const char *registration_id,
                                         int64_t now, struct store_credential *out, char *err,
                                         size_t errsz);

/* A new credential for registration_id now, revoking the one in force
 * ("corrected"): what a correction of the person's data calls. */
enum issuance_result issuance_credential_reissue(const struct issuance *is,
                                                 const char *registration_id, int64_t now,
                                                 struct store_credential *out, char *err,
                                                 size_t errsz);

/* What a letter is asked for with. The caller has validated every field: a
 * canonical CURP, a normalised email, names cleaned and checked against the CURP
 * (core/person_name) or all "". */
struct issuance_letter_request {
    const char *curp;
    enum store_institution institution;
    const char *email;
    const char *language; /* "es" or "en" */
    struct store_names names;
    uint8_t download_hash[STORE_TOKEN_HASH_LEN]; /* of the key to the letter's PDF */
};

/* Writes the mail that carries a letter (composed by the caller, who renders the
 * PDF from l): a complete RFC 5322 text in *message (malloc'd), or -1 with err.
 * Called once the letter is signed, before it is recorded. */
typedef int issuance_letter_mail_fn(void *ctx, const struct store_letter *l, char **message,
                                    char *err, size_t errsz);

/* Checks the roll, signs and records a letter, and queues its mail (when mail is
 * not NULL) in the same transaction. *out is filled on ISSUANCE_OK; *found on
 * ISSUANCE_AFFILIATED (the roll's row). */
enum issuance_result issuance_letter(const struct issuance *is,
                                     const struct issuance_letter_request *rq, int64_t now,
                                     issuance_letter_mail_fn *mail, void *mail_ctx,
                                     struct store_letter *out, struct store_affiliation *found,
                                     char *err, size_t errsz);

/* The birth date a valid CURP carries (positions 5-10, century from 17), as
 * YYYY-MM-DD into out. */
void issuance_birth_date(const char *curp, char out[11]);

#endif
