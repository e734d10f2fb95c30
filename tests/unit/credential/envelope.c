/* Unit tests for src/credential/envelope.c: every result code, every layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/base45.h"
#include "credential/cose.h"
#include "credential/envelope.h"
#include "credential/keys.h"
#include "credential/signer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define NOW 1767225600 /* 2026-01-01T00:00:00Z */
#define DAY 86400

static EVP_PKEY *key_a, *key_b;
static struct signer *signer_a;
static uint8_t kid_a[KEYS_KID_LEN], kid_b[KEYS_KID_LEN];
static const uint8_t cti[] = {0xc0, 0xff, 0xee, 0x01};

static int setup(void **state)
{
    (void)state;
    key_a = keys_generate(NULL, 0);
    key_b = keys_generate(NULL, 0);
    if (key_a == NULL || key_b == NULL)
        return -1;
    signer_a = signer_new_key(key_a, NULL, 0);
    return signer_a != NULL && keys_kid(key_a, kid_a) == 0 && keys_kid(key_b, kid_b) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    signer_free(signer_a);
    EVP_PKEY_free(key_a);
    EVP_PKEY_free(key_b);
    return 0;
}

static struct envelope_claims claims(void)
{
    static const uint8_t payload[] = {0xa1, 0x01, 0x01}; /* {1: 1} */
    struct envelope_claims c = {
        "MX-IMSS-BIENESTAR", NOW - DAY, 0, NOW + 365 * DAY, cti, sizeof cti, payload,
        sizeof payload};
    return c;
}

static char *issue(const struct envelope_claims *c, const char *prefix)
{
    char *text = NULL, err[128];
    if (envelope_issue(c, signer_a, prefix, &text, err, sizeof err) != 0) {
        fprintf(stderr, "issue: %s\n", err);
        fail();
    }
    return text;
}

static enum envelope_result verify(const char *text, int64_t now, struct envelope_verdict *v)
{
    struct envelope_key keys[] = {{kid_b, KEYS_KID_LEN, key_b, 0, 0},
                                  {kid_a, KEYS_KID_LEN, key_a, 0, 0}};
    struct envelope_options opt = {NULL, keys, 2, NULL, 0, now, 300};
    return envelope_verify(text, strlen(text), &opt, v);
}

static void expect(const char *text, int64_t now, enum envelope_result want, const char *layer,
                   const char *reason_part)
{
    struct envelope_verdict v;
    enum envelope_result r = verify(text, now, &v);
    if (r != want || strcmp(v.layer, layer) != 0 || strstr(v.reason, reason_part) == NULL) {
        fprintf(stderr, "expected %s/%s/\"%s\", got %s/%s/\"%s\"\n", envelope_result_code(want),
                layer, reason_part, envelope_result_code(r), v.layer, v.reason);
        fail();
    }
    envelope_verdict_release(&v);
}

static void test_valid(void **state)
{
    (void)state;
    struct envelope_claims c = claims();
    char *text = issue(&c, NULL);
    assert_memory_equal(text, "PB1:", 4);
    assert_int_equal(strspn(text, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"), strlen(text));
    struct envelope_verdict v;
    assert_int_equal(verify(text, NOW, &v), ENVELOPE_VALID);
    assert_string_equal(envelope_result_code(v.result), "valid");
    assert_true(v.signed_ok);
    assert_int_equal(v.kid_len, KEYS_KID_LEN);
    assert_memory_equal(v.kid, kid_a, KEYS_KID_LEN);
    assert_int_equal(v.iss_len, strlen("MX-IMSS-BIENESTAR"));
    assert_memory_equal(v.iss, "MX-IMSS-BIENESTAR", v.iss_len);
    assert_int_equal(v.iat, NOW - DAY);
    assert_int_equal(v.exp, NOW + 365 * DAY);
    assert_false(v.has_nbf);
    assert_int_equal(v.cti_len, sizeof cti);
    assert_memory_equal(v.cti, cti, sizeof cti);
    assert_int_equal(v.payload_len, 3);
    assert_memory_equal(v.payload, "\xa1\x01\x01", 3);
    envelope_verdict_release(&v);
    envelope_verdict_release(&v);

    /* Another prefix, a parameter on both sides. */
    char *other = issue(&c, "X9:");
    struct envelope_key keys[] = {{kid_a, KEYS_KID_LEN, key_a, 0, 0}};
    struct envelope_options opt = {"X9:", keys, 1, NULL, 0, NOW, 0};
    assert_int_equal(envelope_verify(other, strlen(other), &opt, &v), ENVELOPE_VALID);
    envelope_verdict_release(&v);
    expect(other, NOW, ENVELOPE_MALFORMED, "prefix", "\"PB1:\"");
    free(other);

    /* Without iss, payload; with nbf. */
    c.iss = NULL;
    c.payload = NULL;
    c.nbf = NOW - 10;
    other = issue(&c, NULL);
    assert_int_equal(verify(other, NOW, &v), ENVELOPE_VALID);
    assert_null(v.iss);
    assert_null(v.payload);
    assert_true(v.has_nbf);
    assert_int_equal(v.nbf, NOW - 10);
    envelope_verdict_release(&v);
    free(other);
    free(text);
}

static void test_dates_and_revocation(void **state)
{
    (void)state;
    struct envelope_claims c = claims();
    c.nbf = NOW + DAY;
    char *text = issue(&c, NULL);
    expect(text, NOW, ENVELOPE_NOT_YET_VALID, "", "nbf");
    expect(text, NOW + DAY - 300, ENVELOPE_VALID, "", ""); /* within the leeway */
    expect(text, NOW + DAY - 301, ENVELOPE_NOT_YET_VALID, "", "nbf");
    expect(text, NOW + 365 * DAY + 299, ENVELOPE_VALID, "", "");
    expect(text, NOW + 365 * DAY + 300, ENVELOPE_EXPIRED, "", "exp");
    expect(text, INT64_MAX, ENVELOPE_EXPIRED, "", "exp");
    expect(text, INT64_MIN, ENVELOPE_NOT_YET_VALID, "", "nbf");
    free(text);

    c = claims();
    c.iat = NOW + 1000;
    text = issue(&c, NULL);
    expect(text, NOW, ENVELOPE_NOT_YET_VALID, "", "iat");
    free(text);

    /* Revoked wins over expired. */
    c = claims();
    text = issue(&c, NULL);
    struct envelope_key keys[] = {{kid_a, KEYS_KID_LEN, key_a, 0, 0}};
    struct envelope_id revoked[] = {{(const uint8_t *)"\xc0\xff\xee", 3}, {cti, sizeof cti}};
    struct envelope_options opt = {NULL, keys, 1, revoked, 1, NOW, 0};
    struct envelope_verdict v;
    assert_int_equal(envelope_verify(text, strlen(text), &opt, &v), ENVELOPE_VALID);
    envelope_verdict_release(&v);
    opt.revoked_count = 2;
    assert_int_equal(envelope_verify(text, strlen(text), &opt, &v), ENVELOPE_REVOKED);
    envelope_verdict_release(&v);
    opt.now = NOW + 400 * DAY;
    assert_int_equal(envelope_verify(text, strlen(text), &opt, &v), ENVELOPE_REVOKED);
    envelope_verdict_release(&v);
    free(text);
}

static void test_keys(void **state)
{
    (void)state;
    struct envelope_claims c = claims();
    char *text = issue(&c, NULL);
    struct envelope_verdict v;
    struct envelope_options opt = {NULL, NULL, 0, NULL, 0, NOW, 0};
    assert_int_equal(envelope_verify(text, strlen(text), &opt, &v), ENVELOPE_UNKNOWN_KEY);
    assert_memory_equal(v.kid, kid_a, KEYS_KID_LEN); /* said, so a person can look it up */
    assert_false(v.signed_ok);
    envelope_verdict_release(&v);
    /* The right kid with the wrong key. */
    struct envelope_key wrong[] = {{kid_a, KEYS_KID_LEN, key_b, 0, 0}};
    opt.keys = wrong;
    opt.key_count = 1;
    assert_int_equal(envelope_verify(text, strlen(text), &opt, &v), ENVELOPE_BAD_SIGNATURE);
    assert_null(v.cti); /* nothing read from an unverified payload */
    envelope_verdict_release(&v);
    free(text);
}

/* Wraps COSE bytes the way envelope_issue does, for hand-made messages. */
static char *wrap(const uint8_t *cose, size_t n)
{
    uLongf zlen = compressBound(n);
    uint8_t *z = malloc(zlen);
    assert_int_equal(compress2(z, &zlen, cose, n, 9), Z_OK);
    size_t tlen = 4 + base45_encoded_size(zlen) + 1;
    char *text = malloc(tlen);
    memcpy(text, "PB1:", 4);
    assert_int_equal(base45_encode(z, zlen, text + 4, tlen - 4), BASE45_OK);
    free(z);
    return text;
}

/* A message signed by key_a over the claims given as hex. */
static char *signed_claims(const char *hex)
{
    uint8_t payload[256];
    size_t n = 0;
    for (const char *h = hex; *h; h += 2)
        sscanf(h, "%2hhx", &payload[n++]);
    struct cbor_out o;
    cbor_out_init(&o, 4096);
    assert_int_equal(cose_sign1_create(signer_a, kid_a, payload, n, &o, NULL, 0), 0);
    size_t len;
    uint8_t *cose = cbor_out_detach(&o, &len);
    char *text = wrap(cose, len);
    free(cose);
    return text;
}

static void test_malformed_layers(void **state)
{
    (void)state;
    expect("", NOW, ENVELOPE_MALFORMED, "prefix", "");
    expect("PB1", NOW, ENVELOPE_MALFORMED, "prefix", "");
    expect("pb1:6BF", NOW, ENVELOPE_MALFORMED, "prefix", "");
    expect("PB1:6bf", NOW, ENVELOPE_MALFORMED, "base45", "char at character 5");
    expect("PB1:6BFO", NOW, ENVELOPE_MALFORMED, "base45", "length");
    expect("PB1::::", NOW, ENVELOPE_MALFORMED, "base45", "value");
    expect("PB1:", NOW, ENVELOPE_MALFORMED, "zlib", "");
    expect("PB1:6BFOXN", NOW, ENVELOPE_MALFORMED, "zlib", "");
    char big[ENVELOPE_TEXT_MAX + 2];
    memset(big, '0', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    expect(big, NOW, ENVELOPE_MALFORMED, "size", "4297 characters");

    /* A zip bomb: 1 MiB of zeros deflates to about 1 KB. */
    size_t n = 1 << 20;
    uint8_t *zeros = calloc(n, 1);
    char *text = wrap(zeros, n);
    assert_true(strlen(text) < ENVELOPE_TEXT_MAX);
    expect(text, NOW, ENVELOPE_MALFORMED, "zlib", "inflates to more than 8192 bytes");
    free(text);
    free(zeros);

    /* Bytes after the zlib stream, and a truncated stream. */
    struct envelope_claims c = claims();
    char *good = issue(&c, NULL);
    uint8_t raw[ENVELOPE_TEXT_MAX];
    size_t rlen;
    assert_int_equal(base45_decode(good + 4, strlen(good) - 4, raw, sizeof raw, &rlen, NULL),
                     BASE45_OK);
    char *moved = malloc(strlen(good) + 8);
    memcpy(moved, "PB1:", 4);
    raw[rlen] = 0;
    assert_int_equal(base45_encode(raw, rlen + 1, moved + 4, strlen(good) + 4), BASE45_OK);
    expect(moved, NOW, ENVELOPE_MALFORMED, "zlib", "after the end");
    assert_int_equal(base45_encode(raw, rlen - 3, moved + 4, strlen(good) + 4), BASE45_OK);
    expect(moved, NOW, ENVELOPE_MALFORMED, "zlib", "truncated");
    free(moved);
    free(good);

    /* Not COSE inside. */
    text = wrap((const uint8_t *)"\x01", 1);
    expect(text, NOW, ENVELOPE_MALFORMED, "cose", "array of 4");
    free(text);
    text = wrap((const uint8_t *)"\xd2\x84\x40\xa0\x40\x40", 6);
    expect(text, NOW, ENVELOPE_MALFORMED, "cose", "no alg");
    free(text);
}

static void test_malformed_claims(void **state)
{
    (void)state;
    /* exp 1800000000, iat 1700000000, cti h'01' */
    const char *ok = "a3041a6b49d200061a6553f100074101";
    char *text = signed_claims(ok);
    expect(text, NOW, ENVELOPE_VALID, "", "");
    free(text);
    const struct {
        const char *hex, *why;
    } cases[] = {
        {"80", "not a map"},
        {"a2061a6553f100074101", "exp and iat are required"},
        {"a2041a6b49d200074101", "exp and iat are required"},
        {"a3041a6b49d20006c11a6553f100074101", "untagged"},
        {"a3041a6b49d2000663616263074101", "integers"},
        {"a3041a6b49d20006fb41d954f8c4000000074101", "CBOR"}, /* a float */
        {"a3041a6553f100061a6b49d200074101", "exp is not after iat"},
        {"a2041a6b49d200061a6553f100", "cti is required"},
        {"a2041a6b49d200061a6553f1", "CBOR"},
        {"a3041a6b49d200061a6553f10007f6", "cti is not"},
        {"a3041a6b49d200061a6553f1000740", "cti is not"},
        {"a4041a6b49d200061a6553f100074101054401020304", "integers"},
        {"a4041a6b49d200061a6553f100074101014101", "iss is not"},
        {"a4041a6b49d200061a6553f1000741013a0001000001", "padron claim is not a map"},
        {"a3041a6b49d200061a6553f10007410100", "CBOR"}, /* trailing byte */
        {"a3041a6b49d200061a6553f10004410101", "CBOR"}, /* exp twice */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        text = signed_claims(cases[k].hex);
        expect(text, NOW, ENVELOPE_MALFORMED, "cwt", cases[k].why);
        free(text);
    }
}

static void test_issue_refusals(void **state)
{
    (void)state;
    char *text = NULL, err[128];
    struct envelope_claims c = claims();
    assert_int_equal(envelope_issue(&c, signer_a, "pb1:", &text, err, sizeof err), -1);
    assert_non_null(strstr(err, "prefix"));
    assert_int_equal(envelope_issue(&c, signer_a, "PB1:PADRON:TOO:LONG", &text, err, sizeof err),
                     -1);
    c.cti_len = 0;
    assert_int_equal(envelope_issue(&c, signer_a, NULL, &text, err, sizeof err), -1);
    assert_non_null(strstr(err, "cti"));
    c = claims();
    c.exp = c.iat;
    assert_int_equal(envelope_issue(&c, signer_a, NULL, &text, err, sizeof err), -1);
    assert_non_null(strstr(err, "dates"));
    c = claims();
    c.payload = (const uint8_t *)"\x82\x01";
    c.payload_len = 2;
    assert_int_equal(envelope_issue(&c, signer_a, NULL, &text, err, sizeof err), -1);
    assert_non_null(strstr(err, "payload"));
    c = claims();
    c.iss = "\xff";
    assert_int_equal(envelope_issue(&c, signer_a, NULL, &text, err, sizeof err), -1);
    assert_non_null(strstr(err, "claims"));
    assert_null(text);
    /* Too big for a QR code: random bytes do not compress. */
    uint8_t noise[4000];
    uint32_t x = 2463534242u;
    for (size_t k = 0; k < sizeof noise; k++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise[k] = (uint8_t)x;
    }
    uint8_t payload[4004] = {0x59, 0x0f, 0xa0};
    memcpy(payload + 3, noise, sizeof noise);
    c = claims();
    c.payload = payload;
    c.payload_len = 3 + sizeof noise;
    assert_int_equal(envelope_issue(&c, signer_a, NULL, &text, err, sizeof err), -1);
    assert_non_null(strstr(err, "size"));
}

/* A trusted key vouches only for credentials issued inside its window. */
static void test_key_window(void **state)
{
    (void)state;
    struct envelope_claims c = claims(); /* iat NOW - DAY */
    char *text = issue(&c, NULL);
    struct envelope_key inside[] = {{kid_a, KEYS_KID_LEN, key_a, NOW - 2 * DAY, NOW + DAY}};
    struct envelope_key before[] = {{kid_a, KEYS_KID_LEN, key_a, NOW - DAY + 1, NOW + DAY}};
    struct envelope_key after[] = {{kid_a, KEYS_KID_LEN, key_a, NOW - 9 * DAY, NOW - DAY}};
    struct envelope_options opt = {NULL, inside, 1, NULL, 0, NOW, 0};
    struct envelope_verdict v;
    assert_int_equal(envelope_verify(text, strlen(text), &opt, &v), ENVELOPE_VALID);
    envelope_verdict_release(&v);
    opt.keys = before;
    assert_int_equal(envelope_verify(text, strlen(text), &opt, &v), ENVELOPE_UNKNOWN_KEY);
    assert_non_null(strstr(v.reason, "not valid at iat"));
    assert_false(v.signed_ok);
    envelope_verdict_release(&v);
    opt.keys = after; /* not_after is exclusive */
    assert_int_equal(envelope_verify(text, strlen(text), &opt, &v), ENVELOPE_UNKNOWN_KEY);
    envelope_verdict_release(&v);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_window),           cmocka_unit_test(test_valid),
        cmocka_unit_test(test_dates_and_revocation), cmocka_unit_test(test_keys),
        cmocka_unit_test(test_malformed_layers),     cmocka_unit_test(test_malformed_claims),
        cmocka_unit_test(test_issue_refusals),
    };
    return cmocka_run_group_tests_name("credential/envelope", tests, setup, teardown);
}
