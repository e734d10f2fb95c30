/* Unit tests for src/credential/keys.c: generation, PEM files, kid, JWK. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/keys.h"

#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/padron-keys-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static void test_generate_and_kid(void **state)
{
    (void)state;
    char err[KEYS_ERR_SIZE];
    EVP_PKEY *a = keys_generate(err, sizeof err), *b = keys_generate(err, sizeof err);
    assert_non_null(a);
    assert_true(keys_is_p256(a));
    uint8_t ka[KEYS_KID_LEN], ka2[KEYS_KID_LEN], kb[KEYS_KID_LEN];
    assert_int_equal(keys_kid(a, ka), 0);
    assert_int_equal(keys_kid(a, ka2), 0);
    assert_int_equal(keys_kid(b, kb), 0);
    assert_memory_equal(ka, ka2, KEYS_KID_LEN);
    assert_memory_not_equal(ka, kb, KEYS_KID_LEN);

    /* The rule, done by hand: SHA-256 of the SubjectPublicKeyInfo DER. */
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(a, &der);
    assert_true(n == 91); /* SPKI of an uncompressed P-256 point */
    unsigned char md[32];
    unsigned int mdlen;
    assert_int_equal(EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL), 1);
    OPENSSL_free(der);
    assert_memory_equal(ka, md, KEYS_KID_LEN);

    char text[KEYS_KID_TEXT_SIZE];
    keys_kid_text(ka, text);
    assert_int_equal(strlen(text), 11);
    assert_null(strpbrk(text, "+/="));

    EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    assert_non_null(p384);
    assert_false(keys_is_p256(p384));
    assert_int_equal(keys_kid(p384, ka), -1);
    assert_false(keys_is_p256(NULL));
    EVP_PKEY_free(p384);
    EVP_PKEY_free(a);
    EVP_PKEY_free(b);
}

static void test_pem_files(void **state)
{
    (void)state;
    char err[KEYS_ERR_SIZE], priv[256], pub[256];
    path_of(priv, sizeof priv, "signing.pem");
    path_of(pub, sizeof pub, "signing.pub.pem");
    EVP_PKEY *key = keys_generate(err, sizeof err);
    assert_int_equal(keys_save_private(key, priv, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(priv, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* Never over an existing key. */
    assert_int_equal(keys_save_private(key, priv, err, sizeof err), -1);
    assert_non_null(strstr(err, "exists"));

    EVP_PKEY *back = keys_load_private(priv, err, sizeof err);
    assert_non_null(back);
    assert_int_equal(EVP_PKEY_eq(key, back), 1);
    EVP_PKEY_free(back);

    assert_int_equal(chmod(priv, 0640), 0);
    assert_null(keys_load_private(priv, err, sizeof err));
    assert_non_null(strstr(err, "0600"));
    assert_int_equal(chmod(priv, 0600), 0);

    assert_int_equal(keys_save_public(key, pub, err, sizeof err), 0);
    EVP_PKEY *p = keys_load_public(pub, err, sizeof err);
    assert_non_null(p);
    assert_int_equal(EVP_PKEY_eq(key, p), 1);
    uint8_t k1[KEYS_KID_LEN], k2[KEYS_KID_LEN];
    assert_int_equal(keys_kid(key, k1), 0);
    assert_int_equal(keys_kid(p, k2), 0);
    assert_memory_equal(k1, k2, KEYS_KID_LEN);
    /* A public key file is not a private key. */
    assert_int_equal(chmod(pub, 0600), 0);
    assert_null(keys_load_private(pub, err, sizeof err));
    EVP_PKEY_free(p);

    /* A P-384 key and an encrypted PEM are refused, without prompting. */
    char other[256];
    path_of(other, sizeof other, "p384.pem");
    EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    FILE *f = fopen(other, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_PrivateKey(f, p384, NULL, NULL, 0, NULL, NULL), 1);
    fclose(f);
    assert_int_equal(chmod(other, 0600), 0);
    assert_null(keys_load_private(other, err, sizeof err));
    assert_non_null(strstr(err, "P-256"));
    path_of(other, sizeof other, "encrypted.pem");
    f = fopen(other, "w");
    assert_non_null(f);
    assert_int_equal(
        PEM_write_PrivateKey(f, key, EVP_aes_128_cbc(), (unsigned char *)"pw", 2, NULL, NULL), 1);
    fclose(f);
    assert_int_equal(chmod(other, 0600), 0);
    assert_null(keys_load_private(other, err, sizeof err));
    assert_int_equal(keys_save_private(p384, other, err, sizeof err), -1);
    EVP_PKEY_free(p384);

    path_of(other, sizeof other, "missing.pem");
    assert_null(keys_load_private(other, err, sizeof err));
    assert_null(keys_load_public(other, err, sizeof err));
    assert_null(keys_load_public(dir, err, sizeof err)); /* a directory */
    EVP_PKEY_free(key);
}

static void test_jwk_roundtrip(void **state)
{
    (void)state;
    char err[KEYS_ERR_SIZE];
    EVP_PKEY *key = keys_generate(err, sizeof err);
    json_t *jwk = keys_jwk_export(key);
    assert_non_null(jwk);
    assert_string_equal(json_string_value(json_object_get(jwk, "kty")), "EC");
    assert_string_equal(json_string_value(json_object_get(jwk, "crv")), "P-256");
    assert_string_equal(json_string_value(json_object_get(jwk, "alg")), "ES256");
    assert_int_equal(strlen(json_string_value(json_object_get(jwk, "x"))), 43);
    assert_int_equal(strlen(json_string_value(json_object_get(jwk, "y"))), 43);
    uint8_t kid[KEYS_KID_LEN], want[KEYS_KID_LEN];
    char kid_text[KEYS_KID_TEXT_SIZE];
    assert_int_equal(keys_kid(key, want), 0);
    keys_kid_text(want, kid_text);
    assert_string_equal(json_string_value(json_object_get(jwk, "kid")), kid_text);

    EVP_PKEY *pub = keys_jwk_import(jwk, kid, err, sizeof err);
    assert_non_null(pub);
    assert_int_equal(EVP_PKEY_eq(key, pub), 1);
    assert_memory_equal(kid, want, KEYS_KID_LEN);
    EVP_PKEY_free(pub);

    /* alg is optional. */
    json_object_del(jwk, "alg");
    pub = keys_jwk_import(jwk, kid, err, sizeof err);
    assert_non_null(pub);
    EVP_PKEY_free(pub);
    json_decref(jwk);
    EVP_PKEY_free(key);
}

/* RFC 7515 appendix A.3's P-256 public key, with the kid our rule derives. */
static json_t *rfc7515_jwk(void)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256", "x",
                     "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y",
                     "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
}

static void expect_refused(json_t *jwk, const char *member, json_t *value, const char *why)
{
    char err[KEYS_ERR_SIZE];
    uint8_t kid[KEYS_KID_LEN];
    json_t *copy = json_deep_copy(jwk);
    if (value != NULL)
        json_object_set_new(copy, member, value);
    else
        json_object_del(copy, member);
    EVP_PKEY *k = keys_jwk_import(copy, kid, err, sizeof err);
    if (k != NULL || strstr(err, why) == NULL) {
        fprintf(stderr, "%s: got \"%s\"\n", member, err);
        fail();
    }
    json_decref(copy);
}

static void test_jwk_refusals(void **state)
{
    (void)state;
    char err[KEYS_ERR_SIZE];
    uint8_t kid[KEYS_KID_LEN];
    json_t *jwk = rfc7515_jwk();
    /* Without its kid: refused, and the message names what is missing. */
    assert_null(keys_jwk_import(jwk, kid, err, sizeof err));
    assert_non_null(strstr(err, "kid"));

    json_object_set_new(jwk, "kid", json_string("AAAAAAAAAAA"));
    assert_null(keys_jwk_import(jwk, kid, err, sizeof err));
    assert_non_null(strstr(err, "is not this key"));
    /* The kid our rule derives, computed apart with python3-cryptography. */
    json_object_set_new(jwk, "kid", json_string("K9G7DESol8M"));
    EVP_PKEY *k = keys_jwk_import(jwk, kid, err, sizeof err);
    if (k == NULL)
        fprintf(stderr, "%s\n", err);
    assert_non_null(k);
    EVP_PKEY_free(k);

    expect_refused(jwk, "kty", json_string("RSA"), "kty");
    expect_refused(jwk, "crv", json_string("P-384"), "crv");
    expect_refused(jwk, "alg", json_string("ES384"), "alg");
    expect_refused(jwk, "use", json_string("sig"), "use");
    expect_refused(jwk, "d", json_string("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"), "d");
    expect_refused(jwk, "x", json_string("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE"), "32 bytes");
    expect_refused(jwk, "x", json_string("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU="),
                   "32 bytes");
    /* Non-canonical base64url (unused low bits set) is refused too. */
    expect_refused(jwk, "x", json_string("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEV"),
                   "32 bytes");
    expect_refused(jwk, "x", json_string("g83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"),
                   "not a point");
    expect_refused(jwk, "y", json_integer(3), "string");
    expect_refused(jwk, "y", NULL, "y");
    expect_refused(jwk, "kid", json_string("K9G7DESol8MA"), "kid");
    json_decref(jwk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_and_kid),
        cmocka_unit_test(test_pem_files),
        cmocka_unit_test(test_jwk_roundtrip),
        cmocka_unit_test(test_jwk_refusals),
    };
    return cmocka_run_group_tests_name("credential/keys", tests, setup, teardown);
}
