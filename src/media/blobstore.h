/*
 * blobstore: documents (ID and face photos) encrypted at rest under a keyed content
 * hash.
 *
 * Invariants:
 * - One 32-byte master key, given by the caller, is never used directly: two subkeys
 *   are derived from it with crypto_kdf (context "padronbl"): subkey 1 keys the hash
 *   that names blobs, subkey 2 encrypts them. Both live only inside struct blobstore
 *   and are wiped (sodium_memzero) on close; every stack copy is wiped before return.
 * - A blob's id is the lowercase hex of BLAKE2b-256 (crypto_generichash) of the
 *   plaintext keyed with subkey 1: the same content under the same key always gets
 *   the same id, and without the key nobody can confirm a guess of the content from
 *   the id (an unkeyed hash of a known face photo would confirm it).
 * - A blob lives in DIR/ab/cdef... (the first two hex digits name a subdirectory,
 *   the other 62 the file). File layout: the 8 bytes "PADRONB1", the 24-byte
 *   crypto_secretstream_xchacha20poly1305 header, then the plaintext in 64 KiB chunks,
 *   each sealed (+17 bytes); the last chunk (possibly empty) carries TAG_FINAL. The id
 *   (64 ASCII bytes) is the additional data of every chunk, so a file renamed onto
 *   another id does not decrypt.
 * - Nothing half-written is ever visible: put writes a temporary file in the same
 *   subdirectory (mode 0600), fsyncs it, renames it into place and fsyncs the
 *   subdirectory (and DIR when the subdirectory is new). Putting content already
 *   stored is a no-op. Directories are created with mode 0700.
 * - get returns all of the plaintext or none of it: a tampered, truncated, extended or
 *   misplaced file, or the wrong key, is an error and no byte is handed out.
 * - Ids are validated (exactly 64 characters 0-9 a-f) before any file-system access.
 * - Thread-safe: a struct blobstore is read-only after open, and concurrent puts of
 *   the same content each write their own temporary file.
 * - Functions return 0 on success and -1 on failure with "what: why" in err, never
 *   with key material or content in it; get returns 1 found, 0 not found, -1 error.
 */
#ifndef PADRON_MEDIA_BLOBSTORE_H
#define PADRON_MEDIA_BLOBSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLOBSTORE_KEY_LEN   32                    /* bytes of master key */
#define BLOBSTORE_ID_LEN    64                    /* hex characters of an id, NUL excluded */
#define BLOBSTORE_CHUNK     (64u * 1024u)         /* plaintext bytes per sealed chunk */
#define BLOBSTORE_MAX_BYTES (64u * 1024u * 1024u) /* largest blob put or got */

struct blobstore;

/* Opens the store in dir, creating dir (mode 0700, with missing parents) when absent,
 * and calls sodium_init. key is copied (as derived subkeys); the caller keeps and wipes
 * its own copy. Returns 0 with *out set, or -1 with the reason in err. */
int blobstore_open(const char *dir, const uint8_t key[BLOBSTORE_KEY_LEN], struct blobstore **out,
                   char *err, size_t errsz);

/* Wipes the subkeys, closes the directory and frees bs; NULL is a no-op. */
void blobstore_close(struct blobstore *bs);

/* Stores the len bytes at data (not retained; len at most BLOBSTORE_MAX_BYTES) and
 * writes the id, NUL-terminated, into id_out. Content already stored is not written
 * again. On -1 nothing new is visible in the store and id_out is "". */
int blobstore_put(struct blobstore *bs, const uint8_t *data, size_t len,
                  char id_out[BLOBSTORE_ID_LEN + 1], char *err, size_t errsz);

/* Reads, authenticates and decrypts the blob id, and checks that its plaintext hashes
 * to id. Returns 1 with *out (malloc, the caller frees it; never NULL, even for an empty
 * blob) and *len set; 0 when no such blob exists; -1 on an invalid id, an I/O error or
 * a file that fails authentication, with *out NULL and *len 0. */
int blobstore_get(struct blobstore *bs, const char *id, uint8_t **out, size_t *len, char *err,
                  size_t errsz);

/* Removes the blob id (for erasure requests) and fsyncs its subdirectory. Removing a
 * blob that does not exist succeeds. Returns 0, or -1 on an invalid id or I/O error. */
int blobstore_remove(struct blobstore *bs, const char *id, char *err, size_t errsz);

/* True when the NUL-terminated s is a well-formed id: 64 characters 0-9 a-f. NULL is
 * false. */
bool blobstore_id_valid(const char *s);

/*
 * Loads the master key from the file at path, creating it when missing: 32 random
 * bytes, created with O_EXCL and mode 0600, fsynced, its directory fsynced. An
 * existing file is refused unless it is a regular file (not a symlink) owned by the
 * effective user, exactly 32 bytes long, with no permission for group or others.
 * Returns 0 with the key in key_out, or -1 with the reason in err and key_out zeroed.
 */
int blobstore_key_load_or_create(const char *path, uint8_t key_out[BLOBSTORE_KEY_LEN], char *err,
                                 size_t errsz);

/* Checks the key file at path as blobstore_key_load_or_create would, without
 * creating it (for `padron serve --check-config`): returns 1 when it exists and
 * would be accepted, 0 when it is missing, -1 with the reason in err. The key read
 * is wiped before returning. */
int blobstore_key_check(const char *path, char *err, size_t errsz);

#endif
