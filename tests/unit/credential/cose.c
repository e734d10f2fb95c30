/* Unit tests for src/credential/cose.c: DER <-> r||s, sign and verify, strict parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/cose.h"
#include "credential/keys.h"
#include "credential/signer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static EVP_PKEY *key_a, *key_b;
static struct signer *signer_a;
static uint8_t kid[8]; /* key_a's */

static int setup(void **state)
{
    (void)state;
    key_a = keys_generate(NULL, 0);
    key_b = keys_generate(NULL, 0);
    signer_a = signer_new_key(key_a, NULL, 0);
    return key_a != NULL && key_b != NULL && signer_a != NULL && keys_kid(key_a, kid) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    signer_free(signer_a);
    EVP_PKEY_free(key_a);
    EVP_PKEY_free(key_b);
    return 0;
}

static void test_der_raw(void **state)
{
    (void)state;
    uint8_t raw[64], back[64], der[COSE_ECDSA_DER_MAX];
    size_t der_len;
    /* r with its top bit set needs a leading zero in DER; s small and short. */
    memset(raw, 0, sizeof raw);
    raw[0] = 0x80;
    raw[31] = 0x01;
    raw[63] = 0x05;
    assert_int_equal(cose_ecdsa_raw_to_der(raw, der, sizeof der, &der_len), 0);
    const uint8_t want[] = {0x30, 0x26, 0x02, 0x21, 0x00, 0x80};
    assert_memory_equal(der, want, sizeof want);
    assert_int_equal(der_len, 2 + 2 + 33 + 2 + 1);
    assert_int_equal(der[der_len - 1], 0x05);
    assert_int_equal(cose_ecdsa_der_to_raw(der, der_len, back), 0);
    assert_memory_equal(raw, back, 64);

    /* All ones: the largest DER form. */
    memset(raw, 0xff, sizeof raw);
    assert_int_equal(cose_ecdsa_raw_to_der(raw, der, sizeof der, &der_len), 0);
    assert_int_equal(der_len, COSE_ECDSA_DER_MAX);
    assert_int_equal(cose_ecdsa_raw_to_der(raw, der, der_len - 1, &der_len), -1);

    /* Trailing bytes, truncation and a 33-byte r are refused. */
    memset(raw, 0x11, sizeof raw);
    assert_int_equal(cose_ecdsa_raw_to_der(raw, der, sizeof der, &der_len), 0);
    uint8_t longer[COSE_ECDSA_DER_MAX + 1];
    memcpy(longer, der, der_len);
    longer[der_len] = 0;
    assert_int_equal(cose_ecdsa_der_to_raw(longer, der_len + 1, back), -1);
    assert_int_equal(cose_ecdsa_der_to_raw(der, der_len - 1, back), -1);
    const uint8_t big_r[] = {0x30, 0x26, 0x02, 0x21, 0x01, 0, 0, 0, 0, 0,    0,    0,   0, 0,
                             0,    0,    0,    0,    0,    0, 0, 0, 0, 0,    0,    0,   0, 0,
                             0,    0,    0,    0,    0,    0, 0, 0, 0, 0x02, 0x01, 0x01};
    assert_int_equal(cose_ecdsa_der_to_raw(big_r, sizeof big_r, back), -1);
}

/* A fresh COSE_Sign1 of payload by key_a, detached into *len bytes. */
static uint8_t *signed_message(const char *payload, size_t *len)
{
    struct cbor_out o;
    cbor_out_init(&o, 4096);
    assert_int_equal(
        cose_sign1_create(signer_a, kid, (const uint8_t *)payload, strlen(payload), &o, NULL, 0),
        0);
    uint8_t *p = cbor_out_detach(&o, len);
    assert_non_null(p);
    return p;
}

static void test_sign_verify(void **state)
{
    (void)state;
    size_t len;
    uint8_t *m = signed_message("\xa1\x01\x61\x78", &len);
    /* 18([h'a2012604480102030405060708', {}, payload, sig]) */
    uint8_t head[] = {0xd2, 0x84, 0x4d, 0xa2, 0x01, 0x26, 0x04, 0x48, 1,    2,    3,    4,
                      5,    6,    7,    8,    0xa0, 0x44, 0xa1, 0x01, 0x61, 0x78, 0x58, 0x40};
    memcpy(head + 8, kid, 8);
    assert_int_equal(len, sizeof head + 64);
    assert_memory_equal(m, head, sizeof head);

    struct cose_sign1 msg;
    char why[COSE_WHY_SIZE];
    assert_int_equal(cose_sign1_parse(m, len, &msg, why), COSE_OK);
    assert_int_equal(msg.kid_len, 8);
    assert_memory_equal(msg.kid, kid, 8);
    assert_int_equal(msg.payload_len, 4);
    assert_int_equal(msg.signature_len, 64);
    assert_int_equal(cose_sign1_verify(&msg, key_a), COSE_OK);
    assert_int_equal(cose_sign1_verify(&msg, key_b), COSE_ERR_SIGNATURE);

    /* Any one-bit change anywhere is refused, by the parser or the signature. */
    for (size_t at = 0; at < len; at++) {
        m[at] ^= 0x01;
        enum cose_status st = cose_sign1_parse(m, len, &msg, why);
        if (st == COSE_OK)
            st = cose_sign1_verify(&msg, key_a);
        if (st == COSE_OK) {
            fprintf(stderr, "flipping byte %zu still verifies\n", at);
            fail();
        }
        m[at] ^= 0x01;
    }
    free(m);

    /* Wrong key types and sizes. */
    EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    m = signed_message("\xa0", &len);
    assert_int_equal(cose_sign1_parse(m, len, &msg, why), COSE_OK);
    assert_int_equal(cose_sign1_verify(&msg, p384), COSE_ERR_KEY);
    msg.signature_len = 63;
    assert_int_equal(cose_sign1_verify(&msg, key_a), COSE_ERR_SIGNATURE_LEN);
    struct cbor_out o;
    cbor_out_init(&o, 4096);
    char err[SIGNER_ERR_SIZE];
    assert_null(signer_new_key(p384, err, sizeof err));
    /* A kid the signer holds no key for is refused, with the reason. */
    uint8_t other[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_int_equal(cose_sign1_create(signer_a, other, m, 1, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "no private key with kid"));
    cbor_out_release(&o);
    EVP_PKEY_free(p384);
    free(m);
}

/* Builds [prot, unprot, payload, sig] around hand-written headers (hex). */
static size_t build(uint8_t *out, const char *tags_hex, const char *prot_hex,
                    const char *unprot_hex, const char *payload_hex, size_t sig_len)
{
    size_t n = 0;
    for (const char *h = tags_hex; *h; h += 2)
        sscanf(h, "%2hhx", &out[n++]);
    out[n++] = 0x84;
    size_t plen = strlen(prot_hex) / 2;
    out[n++] = (uint8_t)(0x40 | plen);
    for (const char *h = prot_hex; *h; h += 2)
        sscanf(h, "%2hhx", &out[n++]);
    for (const char *h = unprot_hex; *h; h += 2)
        sscanf(h, "%2hhx", &out[n++]);
    for (const char *h = payload_hex; *h; h += 2)
        sscanf(h, "%2hhx", &out[n++]);
    out[n++] = 0x58;
    out[n++] = (uint8_t)sig_len;
    memset(out + n, 0x33, sig_len);
    return n + sig_len;
}

static void expect_parse(const char *tags, const char *prot, const char *unprot,
                         const char *payload, const char *why_part)
{
    uint8_t buf[256];
    size_t n = build(buf, tags, prot, unprot, payload, 64);
    struct cose_sign1 msg;
    char why[COSE_WHY_SIZE];
    enum cose_status st = cose_sign1_parse(buf, n, &msg, why);
    if (why_part == NULL) {
        if (st != COSE_OK) {
            fprintf(stderr, "expected ok: %s\n", why);
            fail();
        }
        return;
    }
    if (st != COSE_ERR_MALFORMED || strstr(why, why_part) == NULL) {
        fprintf(stderr, "expected \"%s\", got \"%s\"\n", why_part, why);
        fail();
    }
}

static void test_parse(void **state)
{
    (void)state;
    const char *es256_kid = "a20126044101"; /* {1: -7, 4: h'01'} */
    expect_parse("d2", es256_kid, "a0", "40", NULL);
    expect_parse("", es256_kid, "a0", "40", NULL);       /* untagged */
    expect_parse("d83dd2", es256_kid, "a0", "40", NULL); /* 61(18(...)) */
    expect_parse("", "a10126", "a10441aa", "40", NULL);  /* kid unprotected */
    expect_parse("d862", es256_kid, "a0", "40", "unexpected tag");
    expect_parse("", "a10126", "a0", "40", "no kid");
    expect_parse("", "a1013822", "a10441aa", "40", "not ES256"); /* ES384 */
    expect_parse("", "a104420102", "a10126", "40", "no alg");
    expect_parse("", "", "a0", "40", "no alg"); /* an empty protected header */
    expect_parse("", es256_kid, "a10126", "40", "alg in the unprotected");
    expect_parse("", es256_kid, "a10441aa", "40", "kid in both");
    expect_parse("", "a3012604410102810f", "a0", "40", "crit");
    expect_parse("", es256_kid, "a1028101", "40", "crit");
    expect_parse("", "a2012604f6", "a0", "40", "kid is not");
    expect_parse("", "a201260440", "a0", "40", "kid is not");
    expect_parse("", es256_kid, "a0", "f6", "detached");
    expect_parse("", es256_kid, "80", "40", "unprotected header is not a map");
    expect_parse("", "80", "a0", "40", "protected header is not a map");
    expect_parse("", "a101", "a0", "40", "protected header: cbor: truncated");
    expect_parse("", "a2012601", "a0", "40", "protected header: cbor: truncated");

    uint8_t buf[256];
    size_t n = build(buf, "", es256_kid, "a0", "40", 64);
    struct cose_sign1 msg;
    char why[COSE_WHY_SIZE];
    buf[0] = 0x83;
    assert_int_equal(cose_sign1_parse(buf, n, &msg, why), COSE_ERR_MALFORMED);
    assert_non_null(strstr(why, "cbor: trailing"));
    buf[0] = 0x84;
    assert_int_equal(cose_sign1_parse(buf, n - 1, &msg, why), COSE_ERR_MALFORMED);
    assert_int_equal(cose_sign1_parse(buf, 0, &msg, why), COSE_ERR_MALFORMED);
    n = build(buf, "", es256_kid, "a0", "40", 10);
    assert_int_equal(cose_sign1_parse(buf, n, &msg, why), COSE_OK);
    assert_int_equal(cose_sign1_verify(&msg, key_a), COSE_ERR_SIGNATURE_LEN);
    n = build(buf, "", es256_kid, "a0", "40", 64);
    assert_int_equal(cose_sign1_parse(buf, n, &msg, why), COSE_OK);
    assert_int_equal(cose_sign1_verify(&msg, key_a), COSE_ERR_SIGNATURE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_der_raw),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests_name("credential/cose", tests, setup, teardown);
}
