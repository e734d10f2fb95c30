/*
 * audit_chain: the hash chain that makes the audit log tamper-evident. Pure: no
 * database and no clock; the SQLite backend appends with it and `padron audit
 * verify` walks the log with it.
 *
 * Invariants:
 * - A record's canonical bytes are its fields as netstrings ("LEN:VALUE,") in a
 *   fixed order, prefixed by the format name: "padron-audit-v1," seq, at, staff,
 *   role, unit, action, subject, client. Numbers are decimal. So no two different
 *   records have the same bytes, whatever their fields hold.
 * - hash = SHA-256(prev_hash || canonical bytes); the first record's prev_hash is
 *   32 zero bytes and each later one's is the hash of the record before it.
 * - The verifier accepts a log only when seq runs 1, 2, 3... without gaps, each
 *   prev_hash is the previous hash and each hash matches its record: an edited,
 *   removed or inserted record breaks the chain at the first record it touches.
 *   (Removing the newest records leaves a shorter valid chain: compare the count
 *   and the head hash with a copy kept elsewhere to catch that.)
 */
#ifndef PADRON_STORE_AUDIT_CHAIN_H
#define PADRON_STORE_AUDIT_CHAIN_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* Bytes enough for the canonical form of any record. */
#define AUDIT_CANONICAL_MAX 512

/* Writes r's canonical bytes (without the hashes and staff_email) into buf;
 * returns their length, or 0 when they do not fit (never with buf of
 * AUDIT_CANONICAL_MAX bytes and a record whose strings fit their arrays). */
size_t audit_chain_canonical(const struct store_audit_record *r, uint8_t *buf, size_t size);

/* out = SHA-256(r->prev_hash || canonical(r)): 0, or -1 when r has no canonical
 * form (then out is untouched and nothing may be written or accepted). */
int audit_chain_hash(const struct store_audit_record *r, uint8_t out[STORE_TOKEN_HASH_LEN]);

/* Walks a log record by record. */
struct audit_verifier {
    int64_t count;                      /* records accepted */
    uint8_t head[STORE_TOKEN_HASH_LEN]; /* the hash of the last one (zeros: none) */
    int64_t broken_at;                  /* seq of the first bad record, 0 while none */
    const char *why;                    /* what is wrong with it, NULL while none */
};

void audit_verifier_init(struct audit_verifier *v);

/* Checks the next record of the log: 0 when it continues the chain, or -1 with
 * v->broken_at and v->why set ("seq out of order", "prev_hash does not match the
 * previous record", "hash does not match the record"). After a failure every
 * call returns -1 and changes nothing. */
int audit_verifier_add(struct audit_verifier *v, const struct store_audit_record *r);

#endif
