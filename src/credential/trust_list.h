/*
 * trust_list: the signed list of the public keys that sign credentials and
 * letters, for verifiers that work offline (`padron keys export-trust-list`,
 * GET /.well-known/padron/trust-list):
 *
 *   {"issuer":"IMSS-BIENESTAR","issued_at":N,
 *    "keys":[{"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"alg":"ES256",
 *             "use":"sig","not_before":N,"not_after":N}, ...],
 *    "signature":{"protected":..,"signature":..}}
 *
 * signed by the current key with signed_json.h's scheme (detached JWS over the
 * JCS form). Times are seconds since the epoch.
 *
 * A trust list verifies when its signature verifies with
 * - one of its own keys, valid at issued_at ("self-signed"): proves the file is
 *   whole and was made by a holder of one of the keys it lists, not that those
 *   keys are the program's. An offline verifier must get such a file from a
 *   source it trusts (the program's site over HTTPS, a colleague's copy checked
 *   against a published kid);
 * - or a key the caller already trusts (anchors), valid at issued_at
 *   ("anchored"): the new list is vouched for by a list the verifier had, so a
 *   verifier that once got a good list follows rotations on its own.
 * trust_list_parse says which (struct trust_list.anchored).
 *
 * Parsing is strict and bounded: at most TRUST_LIST_MAX_BYTES of text and
 * TRUST_LIST_MAX_KEYS keys; no unknown members; every JWK through
 * keys_jwk_import (kid derived from the key); no kid twice; not_before <
 * not_after; the whole document inside signed_json's canonical subset.
 */
#ifndef PADRON_CREDENTIAL_TRUST_LIST_H
#define PADRON_CREDENTIAL_TRUST_LIST_H

#include "credential/envelope.h"
#include "credential/keys.h"
#include "credential/keystore.h"
#include "credential/signer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRUST_LIST_MAX_BYTES (64 * 1024)
#define TRUST_LIST_MAX_KEYS  KEYSTORE_MAX_KEYS
#define TRUST_LIST_ERR_SIZE  256

struct trust_key {
    uint8_t kid[KEYS_KID_LEN];
    char kid_text[KEYS_KID_TEXT_SIZE];
    EVP_PKEY *key;
    int64_t not_before, not_after;
};

struct trust_list {
    char issuer[KEYSTORE_ISSUER_MAX + 1];
    int64_t issued_at;
    struct trust_key *keys;
    size_t n;
    uint8_t signed_by[KEYS_KID_LEN]; /* the kid of the key that signed it */
    bool anchored;                   /* that key came from the caller's anchors */
};

/* The signed trust list of ks's keys that have not ended at now (not_after >
 * now; keys not yet valid are listed, so verifiers learn a key before it signs),
 * issued at now by issuer (NULL: the current key's issuer), signed through signer
 * with its current key. Returns the document as text (caller frees; *len set), or
 * NULL with err set. */
char *trust_list_build(const struct keystore *ks, struct signer *signer, const char *issuer,
                       int64_t now, size_t *len, char *err, size_t errsz);

/* Parses and verifies the len bytes at text into *out (caller releases it).
 * anchors may be NULL. Returns 0, or -1 with "what: why" in err (*out empty). */
int trust_list_parse(const char *text, size_t len, const struct trust_list *anchors,
                     struct trust_list *out, char *err, size_t errsz);

/* Every key of the keystore as a trust list (no signature involved): what a
 * verifier that has the data directory trusts. Returns 0 or -1 (err set). */
int trust_list_from_keystore(const struct keystore *ks, struct trust_list *out, char *err,
                             size_t errsz);

/* The key of kid, or NULL. */
const struct trust_key *trust_list_find(const struct trust_list *tl,
                                        const uint8_t kid[KEYS_KID_LEN]);

/* Fills out[0..tl->n) with tl's keys and their windows for envelope_verify; the
 * pointers live as long as tl. Returns tl->n. */
size_t trust_list_envelope_keys(const struct trust_list *tl, struct envelope_key *out);

/* Frees what tl holds; releasing twice is harmless. */
void trust_list_release(struct trust_list *tl);

#endif
