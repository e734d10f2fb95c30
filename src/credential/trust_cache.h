/*
 * trust_cache: the signed trust list `padron serve` publishes at
 * GET /.well-known/padron/trust-list, built through the signer at start and
 * rebuilt when needed:
 * - the keys directory changed (a key generated or removed while serving),
 * - a key's window opened or closed since it was built (the current key changes,
 *   an ended key leaves the list),
 * - it is older than TRUST_CACHE_MAX_AGE (verifiers see a fresh issued_at).
 *
 * Invariants: thread-safe (one mutex); the server process reads only the public
 * halves of the keystore; when a rebuild fails (the signer process is gone) the
 * last good document is served on, still validly signed, and the failure logged;
 * its ETag is a hash of the exact bytes served.
 */
#ifndef PADRON_CREDENTIAL_TRUST_CACHE_H
#define PADRON_CREDENTIAL_TRUST_CACHE_H

#include "credential/signer.h"
#include "credential/trust_list.h"

#include <stddef.h>
#include <stdint.h>

#define TRUST_CACHE_MAX_AGE   86400 /* seconds */
#define TRUST_CACHE_ETAG_SIZE 36    /* "\"" + 32 hex digits + "\"" + NUL, and one spare */

struct trust_cache;

/* Builds the first trust list of keys_dir at now through signer (borrowed; it
 * must outlive the cache). Returns the cache, or NULL with err set. */
struct trust_cache *trust_cache_new(const char *keys_dir, struct signer *signer, int64_t now,
                                    char *err, size_t errsz);

/* A copy of the current document (caller frees) with its length and ETag,
 * rebuilt first when needed. Returns 0, or -1 with err set (never once a first
 * document exists). */
int trust_cache_get(struct trust_cache *c, int64_t now, char **text, size_t *len,
                    char etag[TRUST_CACHE_ETAG_SIZE], char *err, size_t errsz);

/* The keys that verify what this server signed, ended ones too (a credential
 * signed inside a key's window stays verifiable until its own expiry): a copy
 * the caller releases with trust_list_release, rebuilt first when needed.
 * Returns 0, or -1 with err set. */
int trust_cache_keys(struct trust_cache *c, int64_t now, struct trust_list *out, char *err,
                     size_t errsz);

/* Frees c; NULL is a no-op. */
void trust_cache_free(struct trust_cache *c);

#endif
