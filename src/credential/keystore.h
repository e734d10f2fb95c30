/*
 * keystore: the ES256 signing keys of DATA/keys, each with its kid, issuer and
 * validity window.
 *
 * Each key is two files named by its kid (base64url, keys.h):
 *   sign-KID.json  {"issuer":"IMSS-BIENESTAR","not_before":N,"not_after":N,
 *                   "created":N,"jwk":{...keys_jwk_export...}}   mode 0644
 *   sign-KID.pem   the private key, PKCS#8 PEM, mode 0600; encrypted
 *                  (PBES2, AES-256-CBC) when a passphrase is configured
 * Times are seconds since the epoch. Other files in the directory (codes.key,
 * documents.key) are not this module's and are ignored.
 *
 * Invariants:
 * - The kid in a file name, the kid in the JWK and the kid derived from the key
 *   agree, and a private key's public half is the JWK's key; loading refuses a
 *   directory where they do not (an operator must look at it).
 * - not_before < not_after; the issuer is 1 to KEYSTORE_ISSUER_MAX printable
 *   ASCII characters (it travels in JCS-canonical JSON, trust_list.h).
 * - The current key at a time t is the key valid at t (not_before <= t <
 *   not_after) with the latest not_before (the kid breaks ties), among those
 *   whose private half is present. Rotation is generating a new key: older keys
 *   stay (and stay in the trust list) until their not_after. Deleting a key's
 *   .pem retires it for signing while its public half is still published.
 * - At most KEYSTORE_MAX_KEYS keys; the passphrase is never logged or copied
 *   into an error.
 */
#ifndef PADRON_CREDENTIAL_KEYSTORE_H
#define PADRON_CREDENTIAL_KEYSTORE_H

#include "credential/keys.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYSTORE_MAX_KEYS       32
#define KEYSTORE_ISSUER_MAX     64
#define KEYSTORE_ISSUER_DEFAULT "IMSS-BIENESTAR"
#define KEYSTORE_DEFAULT_DAYS   730
#define KEYSTORE_ERR_SIZE       512

struct keystore_key {
    uint8_t kid[KEYS_KID_LEN];
    char kid_text[KEYS_KID_TEXT_SIZE];
    char issuer[KEYSTORE_ISSUER_MAX + 1];
    int64_t not_before, not_after, created;
    EVP_PKEY *public_key;  /* always set */
    EVP_PKEY *private_key; /* set when loaded with private keys and the .pem exists */
    bool has_private;      /* the .pem exists (loaded or not) */
};

/* The keys of one directory, sorted by not_before, newest first. */
struct keystore {
    struct keystore_key *keys;
    size_t n;
};

/* Whether issuer follows the rule above. */
bool keystore_issuer_ok(const char *issuer);

/* Loads every key of dir into *ks (caller releases it). With private_keys, also
 * the private halves (decrypting with passphrase when it is not NULL). A missing
 * directory is an empty keystore. Returns 0, or -1 with err set (*ks empty). */
int keystore_load(const char *dir, bool private_keys, const char *passphrase, struct keystore *ks,
                  char *err, size_t errsz);

/* Frees what ks holds; releasing twice is harmless. */
void keystore_release(struct keystore *ks);

/* The current key at now (see above), or NULL when none is valid. */
const struct keystore_key *keystore_current(const struct keystore *ks, int64_t now);

/* The key of kid, or NULL. */
const struct keystore_key *keystore_find(const struct keystore *ks,
                                         const uint8_t kid[KEYS_KID_LEN]);

/* What keystore_generate makes. */
struct keystore_spec {
    const char *issuer; /* NULL: KEYSTORE_ISSUER_DEFAULT */
    int64_t not_before, not_after, created;
};

/* Generates a key, writes its two files into dir (created, mode 0700, when
 * missing) and copies the kid into kid_text. The .pem is written first and both
 * are removed again when either fails. Returns 0, or -1 with err set. */
int keystore_generate(const char *dir, const struct keystore_spec *spec, const char *passphrase,
                      char kid_text[KEYS_KID_TEXT_SIZE], char *err, size_t errsz);

/* Makes sure dir has a current key at now: when none is valid (first start, or
 * every key ended), generates one valid from now for KEYSTORE_DEFAULT_DAYS.
 * *created says whether it did; kid_text gets the new key's kid. Returns 0 or -1. */
int keystore_ensure(const char *dir, const char *issuer, int64_t now, const char *passphrase,
                    bool *created, char kid_text[KEYS_KID_TEXT_SIZE], char *err, size_t errsz);

#endif
