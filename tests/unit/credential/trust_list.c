/* Unit tests for src/credential/trust_list.c (and the signing scheme of
 * signed_json.c): build, parse, tampering, anchors, windows, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/signed_json.h"
#include "credential/trust_list.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char root[] = "/tmp/padron-trust-XXXXXX";
static char dir[300], dir2[300];
static int64_t now;

static int setup(void **state)
{
    (void)state;
    if (mkdtemp(root) == NULL)
        return -1;
    snprintf(dir, sizeof dir, "%s/a", root);
    snprintf(dir2, sizeof dir2, "%s/b", root);
    now = (int64_t)time(NULL);
    char kid[KEYS_KID_TEXT_SIZE], err[KEYSTORE_ERR_SIZE];
    struct keystore_spec old = {NULL, now - 1000, now + 100000, now};
    struct keystore_spec cur = {NULL, now - 10, now + 100000, now};
    struct keystore_spec ended = {NULL, now - 5000, now - 2000, now};
    struct keystore_spec other = {NULL, now - 10, now + 100000, now};
    return keystore_generate(dir, &old, NULL, kid, err, sizeof err) == 0 &&
                   keystore_generate(dir, &cur, NULL, kid, err, sizeof err) == 0 &&
                   keystore_generate(dir, &ended, NULL, kid, err, sizeof err) == 0 &&
                   keystore_generate(dir2, &other, NULL, kid, err, sizeof err) == 0
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* The trust list of d, signed by its current key, built at t. */
static char *build(const char *d, int64_t t, size_t *len)
{
    struct keystore ks;
    char err[KEYSTORE_ERR_SIZE];
    assert_int_equal(keystore_load(d, true, NULL, &ks, err, sizeof err), 0);
    struct signer_key keys[KEYSTORE_MAX_KEYS];
    for (size_t i = 0; i < ks.n; i++)
        keys[i] = (struct signer_key){ks.keys[i].private_key, ks.keys[i].not_before,
                                      ks.keys[i].not_after};
    struct signer *s = signer_new_keys(keys, ks.n, err, sizeof err);
    char *text = trust_list_build(&ks, s, NULL, t, len, err, sizeof err);
    if (text == NULL)
        fprintf(stderr, "build: %s\n", err);
    assert_non_null(text);
    signer_free(s);
    keystore_release(&ks);
    return text;
}

static void expect_refused(const char *text, const struct trust_list *anchors, const char *why)
{
    struct trust_list tl;
    char err[TRUST_LIST_ERR_SIZE];
    if (trust_list_parse(text, strlen(text), anchors, &tl, err, sizeof err) == 0 ||
        strstr(err, why) == NULL) {
        fprintf(stderr, "wanted a refusal with \"%s\", got \"%s\"\n", why, err);
        fail();
    }
}

static void test_build_parse(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = build(dir, now, &len);
    struct trust_list tl;
    char err[TRUST_LIST_ERR_SIZE];
    assert_int_equal(trust_list_parse(text, len, NULL, &tl, err, sizeof err), 0);
    assert_string_equal(tl.issuer, "IMSS-BIENESTAR");
    assert_int_equal(tl.issued_at, now);
    assert_int_equal(tl.n, 2); /* the ended key is left out */
    assert_false(tl.anchored);
    /* Signed by the current key (the newest valid one). */
    assert_int_equal(tl.keys[0].not_before, now - 10);
    assert_memory_equal(tl.signed_by, tl.keys[0].kid, KEYS_KID_LEN);
    struct envelope_key ek[TRUST_LIST_MAX_KEYS];
    assert_int_equal(trust_list_envelope_keys(&tl, ek), 2);
    assert_int_equal(ek[1].not_after, now + 100000);
    assert_non_null(trust_list_find(&tl, tl.keys[1].kid));

    /* The canonical bytes are what JCS gives: sorted, compact. */
    json_t *doc = json_loads(text, 0, NULL);
    size_t clen = 0;
    char *canon = signed_json_canonical(doc, &clen);
    assert_memory_equal(canon, "{\"issued_at\":", 13);
    assert_null(strchr(canon, ' '));
    assert_null(strstr(canon, "signature"));
    free(canon);

    /* Whitespace and member order do not matter; any value does. */
    char *compact = json_dumps(doc, JSON_COMPACT);
    struct trust_list again;
    assert_int_equal(trust_list_parse(compact, strlen(compact), NULL, &again, err, sizeof err), 0);
    trust_list_release(&again);
    free(compact);
    json_object_set_new(doc, "issued_at", json_integer(now + 1));
    char *changed = json_dumps(doc, 0);
    expect_refused(changed, NULL, "signature: does not verify");
    free(changed);
    json_decref(doc);

    /* Anchored: a list signed by a key the caller trusts already. */
    struct trust_list anchored;
    assert_int_equal(trust_list_parse(text, len, &tl, &anchored, err, sizeof err), 0);
    assert_true(anchored.anchored);
    trust_list_release(&anchored);
    trust_list_release(&tl);
    trust_list_release(&tl);
    free(text);
}

/* Replaces the first occurrence of from in text by to (a new string). */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_tampered_and_foreign(void **state)
{
    (void)state;
    size_t len = 0, len2 = 0;
    char *text = build(dir, now, &len), *other = build(dir2, now, &len2);
    char *t;
    t = replace(text, "IMSS-BIENESTAR", "IMSS-BIENESTAR2");
    expect_refused(t, NULL, "signature: does not verify");
    free(t);
    t = replace(text, "\"use\": \"sig\"", "\"use\": \"enc\"");
    expect_refused(t, NULL, "use must be \"sig\"");
    free(t);
    t = replace(text, "\"issuer\"", "\"extra\": 1, \"issuer\"");
    expect_refused(t, NULL, "trust list:");
    free(t);
    t = replace(text, "\"use\"", "\"x5c\": \"x\", \"use\"");
    expect_refused(t, NULL, "keys[0]: jwk:");
    free(t);
    t = replace(text, "\"issued_at\": ", "\"issued_at\": 1.5, \"z\": ");
    expect_refused(t, NULL, "");
    free(t);
    t = replace(text, "IMSS-BIENESTAR", "IMSS-BIENESTAR\\u00e9");
    expect_refused(t, NULL, "only printable ASCII");
    free(t);
    t = replace(text, "\"kty\"", "\"kty\": \"EC\", \"kty\"");
    expect_refused(t, NULL, "json:");
    free(t);
    expect_refused("[]", NULL, "trust list:");
    expect_refused("{", NULL, "json:");

    /* Another directory's list, checked against this one's keys as anchors: it
     * verifies (self-signed), but is not anchored. */
    struct trust_list mine, theirs;
    char err[TRUST_LIST_ERR_SIZE];
    assert_int_equal(trust_list_parse(text, len, NULL, &mine, err, sizeof err), 0);
    assert_int_equal(trust_list_parse(other, len2, &mine, &theirs, err, sizeof err), 0);
    assert_false(theirs.anchored);
    trust_list_release(&theirs);

    /* A signature by a key that is neither listed nor trusted. */
    json_t *a = json_loads(text, 0, NULL), *b = json_loads(other, 0, NULL);
    json_object_set(a, "signature", json_object_get(b, "signature"));
    char *swapped = json_dumps(a, 0);
    expect_refused(swapped, NULL, "neither in the list nor trusted");
    free(swapped);
    json_decref(a);
    json_decref(b);
    trust_list_release(&mine);
    free(text);
    free(other);
}

static void test_windows_and_limits(void **state)
{
    (void)state;
    /* issued_at outside the signing key's window (a list dated after it ended). */
    size_t len = 0;
    char *text = build(dir, now, &len);
    json_t *doc = json_loads(text, 0, NULL);
    json_t *keys = json_object_get(doc, "keys");
    json_t *k0 = json_array_get(keys, 0);
    json_object_set_new(k0, "not_after", json_integer(now - 1));
    char *t = json_dumps(doc, 0);
    expect_refused(t, NULL, ""); /* its not_after changed: no longer the signed bytes */
    free(t);
    json_decref(doc);
    free(text);

    /* A key count over the cap, and a document over the size cap. */
    json_t *big = json_pack("{s:s, s:I, s:[], s:{}}", "issuer", "X", "issued_at", (json_int_t)1,
                            "keys", "signature");
    json_t *jk = json_object_get(big, "keys");
    for (int i = 0; i <= TRUST_LIST_MAX_KEYS; i++)
        json_array_append_new(jk, json_object());
    t = json_dumps(big, 0);
    expect_refused(t, NULL, "keys: an array of 1 to");
    free(t);
    json_decref(big);
    char *huge = malloc(TRUST_LIST_MAX_BYTES + 2);
    memset(huge, ' ', TRUST_LIST_MAX_BYTES + 1);
    huge[TRUST_LIST_MAX_BYTES + 1] = '\0';
    expect_refused(huge, NULL, "size:");
    free(huge);

    /* The canonical subset. */
    char err[128];
    json_t *v = json_pack("{s:[i, s]}", "a", 1, "b");
    assert_int_equal(signed_json_check(v, err, sizeof err), 0);
    json_decref(v);
    v = json_pack("{s:I}", "a", (json_int_t)SIGNED_JSON_INT_MAX + 1);
    assert_int_equal(signed_json_check(v, err, sizeof err), -1);
    assert_non_null(strstr(err, "$.a"));
    json_decref(v);
    v = json_pack("{s:b}", "a", 1);
    assert_int_equal(signed_json_check(v, err, sizeof err), -1);
    json_decref(v);
    v = json_pack("[s]", "tab\there");
    assert_int_equal(signed_json_check(v, err, sizeof err), -1);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_parse),
        cmocka_unit_test(test_tampered_and_foreign),
        cmocka_unit_test(test_windows_and_limits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
