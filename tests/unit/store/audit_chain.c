/* Unit tests for src/store/audit_chain.c: canonical bytes, the chain, and the
 * verifier finding the first record a change touches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/audit_chain.h"

#include <stdio.h>
#include <string.h>

/* A chain of n records, each linked to the one before like the store links them. */
static void build(struct store_audit_record *r, int n)
{
    for (int i = 0; i < n; i++) {
        memset(&r[i], 0, sizeof r[i]);
        r[i].seq = i + 1;
        r[i].at = 1800000000 + i;
        r[i].staff = 1 + i % 2;
        snprintf(r[i].role, sizeof r[i].role, "%s", i % 2 ? "physician" : "receptionist");
        snprintf(r[i].unit, sizeof r[i].unit, "OCSSA001234");
        snprintf(r[i].action, sizeof r[i].action, "person.lookup");
        snprintf(r[i].subject, sizeof r[i].subject, "PXNE660720HMCXTN06");
        snprintf(r[i].client, sizeof r[i].client, "10.0.0.%d", i);
        if (i > 0)
            memcpy(r[i].prev_hash, r[i - 1].hash, sizeof r[i].prev_hash);
        audit_chain_hash(&r[i], r[i].hash);
    }
}

/* Verifies r[0..n): the seq of the first broken record, 0 when the chain holds. */
static int64_t verify(const struct store_audit_record *r, int n, struct audit_verifier *v)
{
    audit_verifier_init(v);
    for (int i = 0; i < n; i++)
        if (audit_verifier_add(v, &r[i]) != 0)
            return v->broken_at;
    return 0;
}

static void test_canonical_is_unambiguous(void **state)
{
    (void)state;
    struct store_audit_record a, b;
    build(&a, 1);
    b = a;
    uint8_t x[AUDIT_CANONICAL_MAX], y[AUDIT_CANONICAL_MAX];
    size_t lx = audit_chain_canonical(&a, x, sizeof x);
    assert_true(lx > 0);
    static const char head[] = "15:padron-audit-v1,1:1,10:1800000000,1:1,12:receptionist,";
    assert_memory_equal(x, head, sizeof head - 1);
    /* Moving a character from one field to the next changes the bytes. */
    snprintf(b.action, sizeof b.action, "person.looku");
    snprintf(b.subject, sizeof b.subject, "pPXNE660720HMCXTN06");
    size_t ly = audit_chain_canonical(&b, y, sizeof y);
    assert_true(lx != ly || memcmp(x, y, lx) != 0);
    /* The staff email is not part of the record. */
    b = a;
    snprintf(b.staff_email, sizeof b.staff_email, "ana@imss-bienestar.gob.mx");
    assert_int_equal(audit_chain_canonical(&b, y, sizeof y), lx);
    assert_memory_equal(x, y, lx);
    /* A buffer too small: 0, never a partial record. */
    assert_int_equal(audit_chain_canonical(&a, x, 20), 0);
}

static void test_hash_is_sha256_of_prev_and_bytes(void **state)
{
    (void)state;
    struct store_audit_record r;
    build(&r, 1);
    /* Known answer: SHA-256 of 32 zero bytes and the canonical bytes, computed
     * independently (python3 hashlib). */
    uint8_t bytes[AUDIT_CANONICAL_MAX];
    size_t len = audit_chain_canonical(&r, bytes, sizeof bytes);
    char text[AUDIT_CANONICAL_MAX + 1] = {0};
    memcpy(text, bytes, len);
    assert_string_equal(text,
                        "15:padron-audit-v1,1:1,10:1800000000,1:1,12:receptionist,11:OCSSA001234,"
                        "13:person.lookup,18:PXNE660720HMCXTN06,8:10.0.0.0,");
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", r.hash[i]);
    assert_string_equal(hex, "eac866d8fed7560fa8d5b4ba1ff5bee6b7342df6b4282571884a4ece7452456c");
}

static void test_a_good_chain_verifies(void **state)
{
    (void)state;
    struct store_audit_record r[5];
    struct audit_verifier v;
    build(r, 5);
    assert_int_equal(verify(r, 5, &v), 0);
    assert_int_equal(v.count, 5);
    assert_memory_equal(v.head, r[4].hash, 32);
    assert_int_equal(verify(r, 0, &v), 0); /* an empty log is a good one */
}

static void test_tampering_is_found_where_it_happened(void **state)
{
    (void)state;
    struct store_audit_record r[5];
    struct audit_verifier v;

    build(r, 5); /* a field edited: that record's hash fails */
    snprintf(r[2].client, sizeof r[2].client, "10.9.9.9");
    assert_int_equal(verify(r, 5, &v), 3);
    assert_string_equal(v.why, "hash does not match the record");
    assert_int_equal(v.count, 2);

    build(r, 5); /* edited and re-hashed: the next record's link fails */
    snprintf(r[2].subject, sizeof r[2].subject, "SABC560626MDFLRN01");
    audit_chain_hash(&r[2], r[2].hash);
    assert_int_equal(verify(r, 5, &v), 4);
    assert_string_equal(v.why, "prev_hash does not match the previous record");

    build(r, 5); /* a record removed: the gap in seq */
    memmove(&r[1], &r[2], 3 * sizeof r[0]);
    assert_int_equal(verify(r, 4, &v), 3);

    build(r, 5); /* removed and renumbered: the link */
    memmove(&r[1], &r[2], 3 * sizeof r[0]);
    for (int i = 1; i < 4; i++)
        r[i].seq = i + 1;
    assert_int_equal(verify(r, 4, &v), 2);

    build(r, 5); /* the staff id changed to blame someone else */
    r[0].staff = 9;
    assert_int_equal(verify(r, 5, &v), 1);
    /* After a failure the verifier stays broken at the first record. */
    assert_int_equal(audit_verifier_add(&v, &r[1]), -1);
    assert_int_equal(v.broken_at, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_is_unambiguous),
        cmocka_unit_test(test_hash_is_sha256_of_prev_and_bytes),
        cmocka_unit_test(test_a_good_chain_verifies),
        cmocka_unit_test(test_tampering_is_found_where_it_happened),
    };
    return cmocka_run_group_tests_name("store/audit_chain", tests, NULL, NULL);
}
