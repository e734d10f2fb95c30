/*
 * revocation_list: the signed list of withdrawn credential and letter ids (the
 * envelope's cti), for verifiers that work offline:
 *
 *   {"issuer":"IMSS-BIENESTAR","issued_at":N,"next_update":N,
 *    "revoked":["<base64url cti>",...],"signature":{"protected":..,"signature":..}}
 *
 * signed like the trust list (signed_json.h) by the current key. The builder
 * takes the ids from its caller (the store of issued documents) and writes them
 * sorted by their base64url text without repeats, so the same set always gives
 * the same document.
 *
 * next_update is when the issuer promises a newer list: REVOCATION_LIST_VALIDITY
 * after issued_at (the server signs a fresh one every minute). An offline verifier
 * holding a list past its next_update may be missing revocations and must say so
 * (padron verify refuses such a list unless told to accept a stale one).
 *
 * Parsing verifies against a trust list: the signing kid must be one of its keys,
 * valid at issued_at. Strict and bounded: at most REVOCATION_LIST_MAX_IDS ids
 * (about 2.6 MB of 16-byte ids) and REVOCATION_LIST_MAX_BYTES of text; each id
 * canonical base64url of 1 to ENVELOPE_CTI_MAX bytes, none twice; no unknown
 * members. A program that needs more will shard the list by id prefix.
 */
#ifndef PADRON_CREDENTIAL_REVOCATION_LIST_H
#define PADRON_CREDENTIAL_REVOCATION_LIST_H

#include "credential/envelope.h"
#include "credential/signer.h"
#include "credential/trust_list.h"

#include <stddef.h>
#include <stdint.h>

#define REVOCATION_LIST_MAX_IDS   100000
#define REVOCATION_LIST_MAX_BYTES (12 * 1024 * 1024)
#define REVOCATION_LIST_VALIDITY  (7 * 24 * 3600)

struct revocation_list {
    char issuer[KEYSTORE_ISSUER_MAX + 1];
    int64_t issued_at;
    int64_t next_update; /* after it the list is stale */
    uint8_t signed_by[KEYS_KID_LEN];
    struct envelope_id *ids; /* for envelope_options.revoked */
    size_t n;
    uint8_t *storage; /* the ids' bytes */
};

/* The signed revocation list of ids[0..n) issued at now by issuer (NULL:
 * KEYSTORE_ISSUER_DEFAULT), through signer's current key. Returns the document as
 * text (caller frees; *len set), or NULL with err set (an id of the wrong size,
 * too many ids, the signer failing). */
char *revocation_list_build(const struct envelope_id *ids, size_t n, struct signer *signer,
                            const char *issuer, int64_t now, size_t *len, char *err, size_t errsz);

/* Parses the len bytes at text and verifies them against trust into *out (caller
 * releases it). Returns 0, or -1 with "what: why" in err (*out empty). */
int revocation_list_parse(const char *text, size_t len, const struct trust_list *trust,
                          struct revocation_list *out, char *err, size_t errsz);

/* Frees what rl holds; releasing twice is harmless. */
void revocation_list_release(struct revocation_list *rl);

#endif
