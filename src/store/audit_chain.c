#include "store/audit_chain.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Appends "LEN:VALUE," at *at; false when it does not fit. */
static bool put_netstring(uint8_t *buf, size_t size, size_t *at, const char *value, size_t len)
{
    char prefix[24];
    int n = snprintf(prefix, sizeof prefix, "%zu:", len);
    if (n < 0 || *at + (size_t)n + len + 1 > size)
        return false;
    memcpy(buf + *at, prefix, (size_t)n);
    memcpy(buf + *at + n, value, len);
    buf[*at + (size_t)n + len] = ',';
    *at += (size_t)n + len + 1;
    return true;
}

static bool put_text(uint8_t *buf, size_t size, size_t *at, const char *text, size_t cap)
{
    return put_netstring(buf, size, at, text, strnlen(text, cap));
}

static bool put_number(uint8_t *buf, size_t size, size_t *at, int64_t v)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)v);
    return n > 0 && put_netstring(buf, size, at, digits, (size_t)n);
}

/* The longest canonical form: the format's netstring, three 64-bit numbers (20
 * digits and a sign) and the five strings at their longest, each with up to 4
 * bytes of "LEN:" and ",". It must fit AUDIT_CANONICAL_MAX, so no record's hash
 * is ever taken over a partial or empty form. */
#define NETSTRING_MAX(len) ((len) + 5)
_Static_assert(NETSTRING_MAX(15) + 3 * NETSTRING_MAX(21) + NETSTRING_MAX(STORE_ROLE_MAX - 1) +
                       NETSTRING_MAX(STORE_CLUES_LEN) + NETSTRING_MAX(STORE_AUDIT_ACTION_MAX - 1) +
                       NETSTRING_MAX(STORE_ID_LEN) + NETSTRING_MAX(STORE_AUDIT_CLIENT_MAX - 1) <=
                   AUDIT_CANONICAL_MAX,
               "an audit record's canonical form must fit AUDIT_CANONICAL_MAX");

size_t audit_chain_canonical(const struct store_audit_record *r, uint8_t *buf, size_t size)
{
    static const char format[] = "padron-audit-v1";
    size_t at = 0;
    bool ok = put_netstring(buf, size, &at, format, sizeof format - 1) &&
              put_number(buf, size, &at, r->seq) && put_number(buf, size, &at, r->at) &&
              put_number(buf, size, &at, r->staff) &&
              put_text(buf, size, &at, r->role, sizeof r->role) &&
              put_text(buf, size, &at, r->unit, sizeof r->unit) &&
              put_text(buf, size, &at, r->action, sizeof r->action) &&
              put_text(buf, size, &at, r->subject, sizeof r->subject) &&
              put_text(buf, size, &at, r->client, sizeof r->client);
    return ok ? at : 0;
}

int audit_chain_hash(const struct store_audit_record *r, uint8_t out[STORE_TOKEN_HASH_LEN])
{
    uint8_t bytes[AUDIT_CANONICAL_MAX];
    size_t len = audit_chain_canonical(r, bytes, sizeof bytes);
    if (len == 0)
        return -1;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, r->prev_hash, STORE_TOKEN_HASH_LEN);
    crypto_hash_sha256_update(&st, bytes, len);
    crypto_hash_sha256_final(&st, out);
    return 0;
}

void audit_verifier_init(struct audit_verifier *v)
{
    memset(v, 0, sizeof *v);
}

static int broken(struct audit_verifier *v, int64_t seq, const char *why)
{
    v->broken_at = seq;
    v->why = why;
    return -1;
}

int audit_verifier_add(struct audit_verifier *v, const struct store_audit_record *r)
{
    if (v->why)
        return -1;
    if (r->seq != v->count + 1)
        return broken(v, r->seq, "seq out of order (a record is missing or was added)");
    if (sodium_memcmp(r->prev_hash, v->head, STORE_TOKEN_HASH_LEN) != 0)
        return broken(v, r->seq, "prev_hash does not match the previous record");
    uint8_t want[STORE_TOKEN_HASH_LEN];
    if (audit_chain_hash(r, want) != 0)
        return broken(v, r->seq, "the record has no canonical form");
    if (sodium_memcmp(r->hash, want, STORE_TOKEN_HASH_LEN) != 0)
        return broken(v, r->seq, "hash does not match the record");
    memcpy(v->head, r->hash, sizeof v->head);
    v->count++;
    return 0;
}
