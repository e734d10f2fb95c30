/*
 * cose: COSE_Sign1 (RFC 9052 section 4.2) with ES256 only.
 *
 *   COSE_Sign1 = 18([ protected: bstr .cbor {1: -7, 4: kid},
 *                     unprotected: {},
 *                     payload: bstr,
 *                     signature: bstr (r || s, 32 + 32 bytes) ])
 *
 * The signature is ECDSA P-256 with SHA-256 over the Sig_structure
 * ["Signature1", protected, h'' (no external data), payload]. OpenSSL speaks
 * DER (SEQUENCE { r INTEGER, s INTEGER }); COSE wants the fixed 64-byte form, so
 * this module converts both ways.
 *
 * Parsing is strict where it decides what is checked: the algorithm must be in the
 * protected header and be ES256; a crit header is refused (we understand no
 * extensions); the kid is read from the protected header, else from the
 * unprotected one (as EU DCC verifiers do), never from both. Tag 18 is optional
 * and may sit inside the CWT tag 61. Parsing allocates nothing: the result points
 * into the caller's bytes.
 */
#ifndef PADRON_CREDENTIAL_COSE_H
#define PADRON_CREDENTIAL_COSE_H

#include "credential/cbor.h"
#include "credential/keys.h"

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

struct signer;

#define COSE_ALG_ES256     (-7)
#define COSE_HEADER_ALG    1
#define COSE_HEADER_CRIT   2
#define COSE_HEADER_KID    4
#define COSE_TAG_SIGN1     18
#define COSE_TAG_CWT       61
#define COSE_ES256_SIG_LEN 64
#define COSE_KID_MAX       64
#define COSE_ECDSA_DER_MAX 72 /* SEQUENCE of two 33-byte INTEGERs, with their headers */
#define COSE_WHY_SIZE      128

/* A parsed COSE_Sign1; every pointer is into the bytes given to cose_sign1_parse. */
struct cose_sign1 {
    const uint8_t *protected_bstr; /* the protected header's bytes (a CBOR map) */
    size_t protected_len;
    const uint8_t *kid;
    size_t kid_len;
    const uint8_t *payload;
    size_t payload_len;
    const uint8_t *signature;
    size_t signature_len;
};

enum cose_status {
    COSE_OK = 0,
    COSE_ERR_MALFORMED,     /* not a COSE_Sign1 we accept (why says what) */
    COSE_ERR_SIGNATURE_LEN, /* an ES256 signature that is not 64 bytes */
    COSE_ERR_SIGNATURE,     /* the signature does not verify */
    COSE_ERR_KEY,           /* the key is not a P-256 key */
    COSE_ERR_INTERNAL,      /* OpenSSL failed or memory ran out */
};

/* Signs payload through signer with the key of kid (signer.h) and appends the
 * tagged COSE_Sign1 to out; the kid goes into the protected header. Returns 0,
 * or -1 with err set (out may then hold a partial item or be failed). */
int cose_sign1_create(struct signer *signer, const uint8_t kid[KEYS_KID_LEN],
                      const uint8_t *payload, size_t payload_len, struct cbor_out *out, char *err,
                      size_t errsz);

/* Parses the len bytes at buf as one COSE_Sign1. On COSE_ERR_MALFORMED, why holds
 * the reason. Returns COSE_OK or COSE_ERR_MALFORMED. */
enum cose_status cose_sign1_parse(const uint8_t *buf, size_t len, struct cose_sign1 *msg,
                                  char why[COSE_WHY_SIZE]);

/* Checks msg's signature with the public P-256 key pub. Returns COSE_OK,
 * COSE_ERR_SIGNATURE_LEN, COSE_ERR_SIGNATURE, COSE_ERR_KEY or COSE_ERR_INTERNAL. */
enum cose_status cose_sign1_verify(const struct cose_sign1 *msg, EVP_PKEY *pub);

/* DER ECDSA signature -> r || s. Refuses trailing bytes, and r or s over 32 bytes.
 * Returns 0 or -1. */
int cose_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t raw[COSE_ES256_SIG_LEN]);

/* r || s -> DER into der (cap bytes, COSE_ECDSA_DER_MAX is enough). Returns 0 or -1. */
int cose_ecdsa_raw_to_der(const uint8_t raw[COSE_ES256_SIG_LEN], uint8_t *der, size_t cap,
                          size_t *der_len);

#endif
