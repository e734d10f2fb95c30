/*
 * keys: ES256 (ECDSA P-256) signing keys for credentials and letters: generation,
 * PEM files, the key id, and the public key as a JWK.
 *
 * The key id (kid) is the first 8 bytes of the SHA-256 of the public key's
 * SubjectPublicKeyInfo DER, as in the EU Digital COVID Certificate's trust lists.
 * COSE carries those 8 bytes as the kid; a JWK carries them as base64url without
 * padding (11 characters). It is derived, never chosen, so a trust list cannot
 * name a key by another key's id: importing a JWK whose kid does not match its
 * x and y fails.
 *
 * Invariants:
 * - Every EVP_PKEY this module returns is an EC key on P-256 (prime256v1); every
 *   function that takes one checks that and fails otherwise. The caller owns it
 *   and frees it with EVP_PKEY_free.
 * - A private key file is written with mode 0600 and never over an existing file;
 *   loading refuses a file that group or others may read, and never prompts for a
 *   passphrase: an encrypted PEM loads only with the passphrase given to
 *   keys_load_private_pass. The passphrase never reaches an error message.
 * - Errors are "what: why" in err (lowercase), never holding key material. The
 *   OpenSSL error queue is cleared before returning.
 */
#ifndef PADRON_CREDENTIAL_KEYS_H
#define PADRON_CREDENTIAL_KEYS_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYS_KID_LEN       8
#define KEYS_KID_TEXT_SIZE 12 /* base64url of 8 bytes, 11 characters, and a NUL */
#define KEYS_ERR_SIZE      160

/* A new P-256 key pair, or NULL (err set). */
EVP_PKEY *keys_generate(char *err, size_t errsz);

/* Whether key is an EC key on P-256. */
bool keys_is_p256(EVP_PKEY *key);

/* The key id of key's public half. Returns 0 or -1. */
int keys_kid(EVP_PKEY *key, uint8_t kid[KEYS_KID_LEN]);

/* The kid as text (base64url, no padding). */
void keys_kid_text(const uint8_t kid[KEYS_KID_LEN], char out[KEYS_KID_TEXT_SIZE]);

/* Writes key's private half as PKCS#8 PEM to a new file at path, mode 0600;
 * fails when path exists. On failure nothing is left at path. Returns 0 or -1. */
int keys_save_private(EVP_PKEY *key, const char *path, char *err, size_t errsz);

/* Loads a private P-256 key from an unencrypted PEM file, or NULL (err set). */
EVP_PKEY *keys_load_private(const char *path, char *err, size_t errsz);

/* As keys_save_private; with passphrase not NULL the file is an encrypted PKCS#8
 * PEM ("ENCRYPTED PRIVATE KEY": PBES2, AES-256-CBC). */
int keys_save_private_pass(EVP_PKEY *key, const char *path, const char *passphrase, char *err,
                           size_t errsz);

/* As keys_load_private; an encrypted PEM is decrypted with passphrase (NULL: an
 * encrypted file fails). An unencrypted file loads whatever passphrase says. */
EVP_PKEY *keys_load_private_pass(const char *path, const char *passphrase, char *err, size_t errsz);

/* Writes key's public half as SubjectPublicKeyInfo PEM ("PUBLIC KEY") to path
 * (created or replaced, mode 0644). Returns 0 or -1. */
int keys_save_public(EVP_PKEY *key, const char *path, char *err, size_t errsz);

/* Loads a public P-256 key from a PEM file, or NULL (err set). */
EVP_PKEY *keys_load_public(const char *path, char *err, size_t errsz);

/* key's public half as a new JWK object (caller json_decref's it):
 * {"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"alg":"ES256"}, or NULL. */
json_t *keys_jwk_export(EVP_PKEY *key);

/* The public key of a JWK object, or NULL (err set). Strict: only the members
 * kty "EC", crv "P-256", x and y (base64url of 32 bytes each, a point on the
 * curve), kid (which must be this key's derived kid) and optionally alg "ES256";
 * any other member is refused. The kid is stored in kid. */
EVP_PKEY *keys_jwk_import(const json_t *jwk, uint8_t kid[KEYS_KID_LEN], char *err, size_t errsz);

#endif
