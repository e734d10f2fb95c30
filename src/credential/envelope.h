/*
 * envelope: the signed text inside a credential's or letter's QR code, built the
 * way the EU Digital COVID Certificate is, layer by layer:
 *
 *   claims   CWT claims map (RFC 8392): 1 iss, 4 exp, 6 iat, 5 nbf, 7 cti, and
 *            ENVELOPE_CLAIM_PADRON holding our own map (credential/claims.h)
 *   cose     COSE_Sign1, ES256, kid in the protected header (credential/cose.h)
 *   zlib     deflate with a zlib header (RFC 1950)
 *   base45   RFC 9285 (credential/base45.h)
 *   prefix   "PB1:" by default: padron, version 1 of this envelope
 *
 * docs/credential.md describes each layer, the claims and the measured sizes.
 *
 * Verification peels the layers in that order and returns one result:
 *   malformed       a layer could not be read (verdict.layer names it: size,
 *                   prefix, base45, zlib, cose, cwt)
 *   unknown_key     the kid is in no trusted key, or its key was not valid at
 *                   the credential's iat (envelope_key's window)
 *   bad_signature   the signature does not verify with that key (or has the
 *                   wrong size)
 *   revoked         the cti is in the caller's revocation set
 *   not_yet_valid   now + leeway is before nbf, or before iat
 *   expired         now - leeway is at or after exp
 *   valid           none of the above
 * Claims are read only after the signature verified, so revoked, not_yet_valid,
 * expired and valid describe data the issuer signed. Revocation wins over the
 * dates: a revoked and expired credential is reported as revoked.
 *
 * Bounds: the text is at most ENVELOPE_TEXT_MAX characters (a version 40 QR code
 * holds 4,296 alphanumeric characters); inflation stops at ENVELOPE_INFLATE_MAX
 * bytes, so a zip bomb costs one fixed buffer; the CBOR decoders use fixed item
 * arrays. Nothing else is allocated.
 */
#ifndef PADRON_CREDENTIAL_ENVELOPE_H
#define PADRON_CREDENTIAL_ENVELOPE_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct signer;

#define ENVELOPE_PREFIX_DEFAULT "PB1:"
#define ENVELOPE_PREFIX_MAX     16
#define ENVELOPE_TEXT_MAX       4296
#define ENVELOPE_INFLATE_MAX    8192
#define ENVELOPE_CTI_MAX        64
#define ENVELOPE_ISS_MAX        256

/* CWT claim keys (RFC 8392 section 4) and ours. -260 is EU DCC's registered
 * "hcert"; ours lives in the private-use range (below -65536) so no DCC verifier
 * mistakes our map for a health certificate. */
#define ENVELOPE_CLAIM_ISS    1
#define ENVELOPE_CLAIM_EXP    4
#define ENVELOPE_CLAIM_NBF    5
#define ENVELOPE_CLAIM_IAT    6
#define ENVELOPE_CLAIM_CTI    7
#define ENVELOPE_CLAIM_PADRON (-65537)

/* What to sign. exp and iat are seconds since the epoch; nbf 0 leaves it out.
 * payload, when not NULL, is one encoded CBOR item stored under
 * ENVELOPE_CLAIM_PADRON as it is. */
struct envelope_claims {
    const char *iss; /* NULL leaves it out */
    int64_t iat;
    int64_t nbf;
    int64_t exp;
    const uint8_t *cti; /* the credential or letter id, 1 to ENVELOPE_CTI_MAX bytes */
    size_t cti_len;
    const uint8_t *payload;
    size_t payload_len;
};

/* Signs c through signer with its current key (signer_current; the kid goes into
 * COSE's protected header) and returns the text in *out (NUL-terminated, caller
 * frees): prefix followed by base45. prefix NULL means ENVELOPE_PREFIX_DEFAULT;
 * it must be at most ENVELOPE_PREFIX_MAX characters of the base45 alphabet so the
 * whole text stays QR-alphanumeric. Returns 0, or -1 with err set (a dead or
 * silent signer process included). */
int envelope_issue(const struct envelope_claims *c, struct signer *signer, const char *prefix,
                   char **out, char *err, size_t errsz);

/* One trusted public key, and the window in which it signs: a credential whose
 * iat is before not_before or at or after not_after is unknown_key, because no
 * trusted key covers it (a retired key that signed late, a backdated credential).
 * 0 leaves that side open. */
struct envelope_key {
    const uint8_t *kid;
    size_t kid_len;
    EVP_PKEY *key;
    int64_t not_before, not_after;
};

/* One revoked credential or letter id (a cti). */
struct envelope_id {
    const uint8_t *id;
    size_t len;
};

struct envelope_options {
    const char *prefix; /* NULL: ENVELOPE_PREFIX_DEFAULT */
    const struct envelope_key *keys;
    size_t key_count;
    const struct envelope_id *revoked;
    size_t revoked_count;
    int64_t now;    /* seconds since the epoch */
    int64_t leeway; /* seconds of clock difference tolerated both ways */
};

enum envelope_result {
    ENVELOPE_VALID = 0,
    ENVELOPE_EXPIRED,
    ENVELOPE_NOT_YET_VALID,
    ENVELOPE_REVOKED,
    ENVELOPE_UNKNOWN_KEY,
    ENVELOPE_BAD_SIGNATURE,
    ENVELOPE_MALFORMED,
};

/* What verification found. The pointers point into the verdict's own buffer and
 * live until envelope_verdict_release. kid is set from the cose layer on; the
 * claims only when signed is true (the signature verified). */
struct envelope_verdict {
    enum envelope_result result;
    char layer[8];    /* malformed: the layer that failed; else "" */
    char reason[160]; /* lowercase, "" for valid */
    uint8_t kid[64];
    size_t kid_len;
    bool signed_ok;
    const char *iss; /* not NUL-terminated; NULL when absent */
    size_t iss_len;
    int64_t iat, nbf, exp;
    bool has_nbf;
    const uint8_t *cti;
    size_t cti_len;
    const uint8_t *payload; /* the encoded ENVELOPE_CLAIM_PADRON item; NULL when absent */
    size_t payload_len;
    uint8_t *buffer; /* owned: the inflated COSE bytes */
    size_t buffer_len;
};

/* Verifies the len characters at text (the QR's content) against opt and fills
 * *v, which the caller releases with envelope_verdict_release whatever the
 * result. Returns v->result. */
enum envelope_result envelope_verify(const char *text, size_t len,
                                     const struct envelope_options *opt,
                                     struct envelope_verdict *v);

void envelope_verdict_release(struct envelope_verdict *v);

/* The stable name of a result: "valid", "expired", "not_yet_valid", "revoked",
 * "unknown_key", "bad_signature", "malformed". */
const char *envelope_result_code(enum envelope_result r);

#endif
