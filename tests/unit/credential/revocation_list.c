/* Unit tests for src/credential/revocation_list.c: build, parse against a trust
 * list, tampering, a wrong or ended key, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/revocation_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1767225600
#define DAY 86400

static EVP_PKEY *key_a, *key_b;
static struct signer *signer_a, *signer_b;
static struct trust_list trust; /* key_a only, valid a year around NOW */

static int setup(void **state)
{
    (void)state;
    key_a = keys_generate(NULL, 0);
    key_b = keys_generate(NULL, 0);
    signer_a = signer_new_key(key_a, NULL, 0);
    signer_b = signer_new_key(key_b, NULL, 0);
    if (signer_a == NULL || signer_b == NULL)
        return -1;
    trust.keys = calloc(1, sizeof *trust.keys);
    trust.n = 1;
    trust.keys[0].key = key_a;
    EVP_PKEY_up_ref(key_a);
    trust.keys[0].not_before = NOW - 365 * DAY;
    trust.keys[0].not_after = NOW + 365 * DAY;
    return keys_kid(key_a, trust.keys[0].kid);
}

static int teardown(void **state)
{
    (void)state;
    trust_list_release(&trust);
    signer_free(signer_a);
    signer_free(signer_b);
    EVP_PKEY_free(key_a);
    EVP_PKEY_free(key_b);
    return 0;
}

static const uint8_t id1[] = {1, 2, 3, 4}, id2[] = {0xff, 0xee}, id3[16] = {9};

static char *build(struct signer *s, int64_t at)
{
    struct envelope_id ids[] = {{id1, 4}, {id2, 2}, {id3, 16}, {id1, 4}};
    char err[SIGNER_ERR_SIZE];
    size_t len = 0;
    char *text = revocation_list_build(ids, 4, s, NULL, at, &len, err, sizeof err);
    if (text == NULL)
        fprintf(stderr, "build: %s\n", err);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    return text;
}

static void expect_refused(const char *text, const char *why)
{
    struct revocation_list rl;
    char err[TRUST_LIST_ERR_SIZE];
    if (revocation_list_parse(text, strlen(text), &trust, &rl, err, sizeof err) == 0 ||
        strstr(err, why) == NULL) {
        fprintf(stderr, "wanted a refusal with \"%s\", got \"%s\"\n", why, err);
        fail();
    }
}

static void test_build_parse(void **state)
{
    (void)state;
    char *text = build(signer_a, NOW);
    /* Sorted, without the repeat. */
    assert_non_null(strstr(text, "\"revoked\":[\"AQIDBA\",\"CQAAAAAAAAAAAAAAAAAAAA\",\"_-4\"]"));
    struct revocation_list rl;
    char err[TRUST_LIST_ERR_SIZE];
    assert_int_equal(revocation_list_parse(text, strlen(text), &trust, &rl, err, sizeof err), 0);
    assert_int_equal(rl.n, 3);
    assert_int_equal(rl.issued_at, NOW);
    assert_int_equal(rl.next_update, NOW + REVOCATION_LIST_VALIDITY);
    assert_string_equal(rl.issuer, "IMSS-BIENESTAR");
    assert_int_equal(rl.ids[0].len, 4);
    assert_memory_equal(rl.ids[0].id, id1, 4);
    revocation_list_release(&rl);
    revocation_list_release(&rl);

    /* Tampered: an id added, removed, the promise of a next list moved. */
    char *t = strdup(text);
    char *at = strstr(t, "AQIDBA");
    at[0] = 'B';
    expect_refused(t, "signature: does not verify");
    free(t);
    t = strdup(text);
    at = strstr(t, "\"AQIDBA\",");
    memmove(at, at + 9, strlen(at + 9) + 1);
    expect_refused(t, "signature: does not verify");
    free(t);
    t = strdup(text);
    at = strstr(t, "\"next_update\":") + strlen("\"next_update\":");
    at[0] = at[0] == '9' ? '8' : (char)(at[0] + 1);
    expect_refused(t, "signature: does not verify");
    free(t);
    free(text);

    /* Signed by a key the trust list does not have; or at a time its key did not
     * cover. */
    text = build(signer_b, NOW);
    expect_refused(text, "is not in the trust list");
    free(text);
    text = build(signer_a, NOW + 400 * DAY);
    expect_refused(text, "was not valid at issued_at");
    free(text);
}

static void test_refused(void **state)
{
    (void)state;
    expect_refused("{\"issuer\":\"X\",\"issued_at\":1,\"next_update\":2,\"revoked\":[\"A\"],"
                   "\"signature\":{}}",
                   "revoked[0]: not base64url");
    expect_refused(
        "{\"issuer\":\"X\",\"issued_at\":1,\"next_update\":2,\"revoked\":[\"AQ\",\"AQ\"],"
        "\"signature\":{}}",
        "listed twice");
    expect_refused("{\"issuer\":\"X\",\"issued_at\":1,\"next_update\":2,\"revoked\":[],"
                   "\"signature\":{},\"x\":1}",
                   "revocation list:");
    /* next_update is required and comes after issued_at. */
    expect_refused("{\"issuer\":\"X\",\"issued_at\":1,\"revoked\":[],\"signature\":{}}",
                   "revocation list:");
    expect_refused("{\"issuer\":\"X\",\"issued_at\":5,\"next_update\":5,\"revoked\":[],"
                   "\"signature\":{}}",
                   "next_update must come after issued_at");
    expect_refused("{\"issuer\":\"X\",\"issued_at\":1,\"next_update\":2,\"revoked\":[],"
                   "\"signature\":{}}",
                   "signature:");
    expect_refused("{\"issuer\":\"X\",\"issued_at\":1,\"next_update\":2,\"revoked\":[],"
                   "\"signature\":{\"protected\":"
                   "\"eyJhbGciOiJIUzI1NiIsImtpZCI6IkFBQUFBQUFBQUFBIn0\",\"signature\":\"AA\"}}",
                   "alg must be");
    char err[SIGNER_ERR_SIZE];
    size_t len;
    struct envelope_id empty = {id1, 0};
    assert_null(revocation_list_build(&empty, 1, signer_a, NULL, NOW, &len, err, sizeof err));
    assert_non_null(strstr(err, "revoked[0]"));
    assert_null(revocation_list_build(NULL, REVOCATION_LIST_MAX_IDS + 1, signer_a, NULL, NOW, &len,
                                      err, sizeof err));
    /* An empty list is a list. */
    char *text = revocation_list_build(NULL, 0, signer_a, NULL, NOW, &len, err, sizeof err);
    struct revocation_list rl;
    assert_int_equal(revocation_list_parse(text, len, &trust, &rl, err, sizeof err), 0);
    assert_int_equal(rl.n, 0);
    revocation_list_release(&rl);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_parse),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
