/*
 * signed_json: the signing scheme shared by the trust list and the revocation
 * list (trust_list.h, revocation_list.h): a JSON object with a "signature"
 * member holding a detached JWS (RFC 7515, appendix F):
 *
 *   "signature": {"protected": BASE64URL({"alg":"ES256","kid":KID}),
 *                 "signature": BASE64URL(r || s)}
 *
 * The JWS payload is the RFC 8785 (JCS) canonical form of the object without its
 * "signature" member; the signing input is, as RFC 7515 section 5.1 says,
 * ASCII(protected || "." || BASE64URL(payload)). Any JWS library verifies it by
 * re-attaching the payload; node does with crypto.verify and dsaEncoding
 * "ieee-p1363" (tests/interop).
 *
 * Canonical form: jansson's JSON_COMPACT | JSON_SORT_KEYS output is JCS for the
 * subset our documents use, and signed_json_check refuses anything outside it:
 * - strings (values and member names) of printable ASCII, 0x20 to 0x7e: both
 *   escape only '"' and '\' as \" and \\ (jansson leaves '/' alone without
 *   JSON_ESCAPE_SLASH; JCS never escapes it), and member names sort the same by
 *   bytes (jansson, strcmp) as by UTF-16 code units (JCS);
 * - integers of magnitude below 2^53: jansson's "%lld" is ECMAScript's
 *   Number.prototype.toString for them;
 * - objects and arrays of those. Reals (JCS's number serialization differs from
 *   printf's), true, false and null are refused: no document of ours has them.
 *
 * Invariants: verification recomputes the canonical bytes from the parsed
 * document, so insignificant whitespace or member order in the file does not
 * matter and anything else changed does. The protected header must be exactly
 * {"alg":"ES256","kid":...} (no other member, so no "crit" to understand).
 */
#ifndef PADRON_CREDENTIAL_SIGNED_JSON_H
#define PADRON_CREDENTIAL_SIGNED_JSON_H

#include "credential/keys.h"
#include "credential/signer.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#define SIGNED_JSON_INT_MAX       9007199254740991LL /* 2^53 - 1 */
#define SIGNED_JSON_PROTECTED_MAX 128                /* characters of "protected" */

/* Whether v (recursively) stays inside the canonical subset above. Returns 0, or
 * -1 with "PATH: why" in err. */
int signed_json_check(const json_t *v, char *err, size_t errsz);

/* The JCS bytes of doc without its "signature" member (caller frees), or NULL. */
char *signed_json_canonical(const json_t *doc, size_t *len);

/* Signs doc (an object without "signature", inside the subset) through signer with
 * its current key and adds the "signature" member. kid gets the key used. Returns
 * 0, or -1 with err set. */
int signed_json_sign(json_t *doc, struct signer *signer, uint8_t kid[KEYS_KID_LEN], char *err,
                     size_t errsz);

/* A parsed "signature" member. */
struct signed_json_sig {
    uint8_t kid[KEYS_KID_LEN];
    char protected_b64[SIGNED_JSON_PROTECTED_MAX + 1];
    uint8_t sig[SIGNER_SIG_LEN];
};

/* Reads doc's "signature" member strictly. Returns 0, or -1 with err set. */
int signed_json_signature(const json_t *doc, struct signed_json_sig *out, char *err, size_t errsz);

/* Whether sig is a signature of doc by key. Returns 0 (it is) or -1. */
int signed_json_verify(const json_t *doc, const struct signed_json_sig *sig, EVP_PKEY *key);

/* The frame our signed documents share: {"issuer":S, "issued_at":N, LIST:[...],
 * "signature":{...}} and nothing else, plus "next_update":N (> issued_at) when
 * next_update is not NULL (then it is required; when NULL it is refused). Parses
 * the len bytes at text (at most max) strictly, checks the canonical subset, the
 * issuer (keystore_issuer_ok) and issued_at > 0, and returns the document (caller
 * json_decref's it) with issuer (pointing into it), issued_at and the LIST member;
 * or NULL with "what: why" in err. */
json_t *signed_json_load(const char *text, size_t len, size_t max, const char *what,
                         const char *list_name, const char **issuer, int64_t *issued_at,
                         int64_t *next_update, json_t **list, char *err, size_t errsz);

/* Whether sig is key's signature of doc and key (valid from not_before until
 * not_after) was valid at issued_at. Returns 0, or -1 with err naming the kid. */
int signed_json_verify_key(const json_t *doc, const struct signed_json_sig *sig, EVP_PKEY *key,
                           int64_t not_before, int64_t not_after, int64_t issued_at, char *err,
                           size_t errsz);

/* Decodes text, unpadded base64url, into out (at most cap bytes). Returns the
 * number of bytes, or -1 when text is not that or does not fit. */
long signed_json_unb64(const char *text, uint8_t *out, size_t cap);

#endif
