/* Unit tests for src/credential/keystore.c: generate, load, current key, ensure,
 * passphrases, and the directories it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/keystore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOW 1767225600 /* 2026-01-01T00:00:00Z */
#define DAY 86400

static char root[] = "/tmp/padron-keystore-XXXXXX";
static char dir[300];
static int counter;

static int setup(void **state)
{
    (void)state;
    return mkdtemp(root) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fresh keys directory per test. */
static void fresh_dir(void)
{
    snprintf(dir, sizeof dir, "%s/keys%d", root, ++counter);
}

static void make_key(int64_t nb, int64_t na, const char *pass, char kid[KEYS_KID_TEXT_SIZE])
{
    char err[KEYSTORE_ERR_SIZE];
    struct keystore_spec spec = {NULL, nb, na, NOW};
    if (keystore_generate(dir, &spec, pass, kid, err, sizeof err) != 0) {
        fprintf(stderr, "generate: %s\n", err);
        fail();
    }
}

static void test_generate_load_current(void **state)
{
    (void)state;
    fresh_dir();
    char old[KEYS_KID_TEXT_SIZE], cur[KEYS_KID_TEXT_SIZE], future[KEYS_KID_TEXT_SIZE],
        ended[KEYS_KID_TEXT_SIZE], path[400], err[KEYSTORE_ERR_SIZE];
    make_key(NOW - 100 * DAY, NOW + 100 * DAY, NULL, old);
    make_key(NOW - 10 * DAY, NOW + 300 * DAY, NULL, cur);
    make_key(NOW + 30 * DAY, NOW + 400 * DAY, NULL, future);
    make_key(NOW - 300 * DAY, NOW - 200 * DAY, NULL, ended);
    struct stat st;
    snprintf(path, sizeof path, "%s/sign-%s.pem", dir, cur);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(path, sizeof path, "%s/sign-%s.json", dir, cur);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);

    struct keystore ks;
    assert_int_equal(keystore_load(dir, true, NULL, &ks, err, sizeof err), 0);
    assert_int_equal(ks.n, 4);
    assert_string_equal(ks.keys[0].kid_text, future); /* newest first */
    for (size_t i = 0; i < ks.n; i++) {
        assert_non_null(ks.keys[i].private_key);
        assert_string_equal(ks.keys[i].issuer, KEYSTORE_ISSUER_DEFAULT);
    }
    assert_string_equal(keystore_current(&ks, NOW)->kid_text, cur);
    /* When the future key starts, it is current; after every end, none is. */
    assert_string_equal(keystore_current(&ks, NOW + 31 * DAY)->kid_text, future);
    assert_string_equal(keystore_current(&ks, NOW - 50 * DAY)->kid_text, old);
    assert_null(keystore_current(&ks, NOW + 500 * DAY));
    assert_non_null(keystore_find(&ks, ks.keys[2].kid));
    keystore_release(&ks);
    keystore_release(&ks);

    /* A retired key (its .pem removed) is listed but never current. */
    snprintf(path, sizeof path, "%s/sign-%s.pem", dir, cur);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(keystore_load(dir, true, NULL, &ks, err, sizeof err), 0);
    assert_int_equal(ks.n, 4);
    assert_string_equal(keystore_current(&ks, NOW)->kid_text, old);
    keystore_release(&ks);
}

static void test_ensure(void **state)
{
    (void)state;
    fresh_dir();
    char kid[KEYS_KID_TEXT_SIZE], again[KEYS_KID_TEXT_SIZE], err[KEYSTORE_ERR_SIZE];
    bool created = false;
    assert_int_equal(keystore_ensure(dir, NULL, NOW, NULL, &created, kid, err, sizeof err), 0);
    assert_true(created);
    assert_int_equal(keystore_ensure(dir, NULL, NOW + DAY, NULL, &created, again, err, sizeof err),
                     0);
    assert_false(created);
    assert_string_equal(kid, again);
    /* Every key ended: a new one. */
    assert_int_equal(keystore_ensure(dir, "IMSS-BIENESTAR-OAX", NOW + 800 * DAY, NULL, &created,
                                     again, err, sizeof err),
                     0);
    assert_true(created);
    assert_string_not_equal(kid, again);
    struct keystore ks;
    assert_int_equal(keystore_load(dir, false, NULL, &ks, err, sizeof err), 0);
    assert_string_equal(ks.keys[0].issuer, "IMSS-BIENESTAR-OAX");
    assert_null(ks.keys[0].private_key); /* public halves only */
    assert_true(ks.keys[0].has_private);
    keystore_release(&ks);
}

static void test_passphrase(void **state)
{
    (void)state;
    fresh_dir();
    char kid[KEYS_KID_TEXT_SIZE], err[KEYSTORE_ERR_SIZE];
    make_key(NOW, NOW + DAY, "s3cret phrase", kid);
    struct keystore ks;
    assert_int_equal(keystore_load(dir, true, NULL, &ks, err, sizeof err), -1);
    assert_null(strstr(err, "s3cret"));
    assert_int_equal(keystore_load(dir, true, "wrong", &ks, err, sizeof err), -1);
    assert_non_null(strstr(err, "passphrase"));
    assert_null(strstr(err, "wrong"));
    assert_int_equal(keystore_load(dir, true, "s3cret phrase", &ks, err, sizeof err), 0);
    assert_non_null(ks.keys[0].private_key);
    keystore_release(&ks);
    /* Public halves need no passphrase. */
    assert_int_equal(keystore_load(dir, false, NULL, &ks, err, sizeof err), 0);
    keystore_release(&ks);
}

static void write_text(const char *name, const char *text)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_refused(void **state)
{
    (void)state;
    char err[KEYSTORE_ERR_SIZE], kid[KEYS_KID_TEXT_SIZE], path[400], other[400];
    struct keystore ks;
    /* A missing directory is empty; unrelated files are ignored. */
    fresh_dir();
    assert_int_equal(keystore_load(dir, true, NULL, &ks, err, sizeof err), 0);
    assert_int_equal(ks.n, 0);
    make_key(NOW, NOW + DAY, NULL, kid);
    write_text("codes.key", "0123456789abcdef0123456789abcdef");
    assert_int_equal(keystore_load(dir, true, NULL, &ks, err, sizeof err), 0);
    assert_int_equal(ks.n, 1);
    keystore_release(&ks);

    /* Metadata under another kid's name. */
    snprintf(path, sizeof path, "%s/sign-%s.json", dir, kid);
    snprintf(other, sizeof other, "%s/sign-AAAAAAAAAAA.json", dir);
    assert_int_equal(link(path, other), 0);
    assert_int_equal(keystore_load(dir, false, NULL, &ks, err, sizeof err), -1);
    assert_non_null(strstr(err, "the file name says kid AAAAAAAAAAA"));
    unlink(other);

    /* A private key without metadata; a private key others may read. */
    write_text("sign-BBBBBBBBBBB.pem", "x");
    assert_int_equal(keystore_load(dir, false, NULL, &ks, err, sizeof err), -1);
    assert_non_null(strstr(err, "no sign-BBBBBBBBBBB.json"));
    snprintf(other, sizeof other, "%s/sign-BBBBBBBBBBB.pem", dir);
    unlink(other);
    snprintf(path, sizeof path, "%s/sign-%s.pem", dir, kid);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(keystore_load(dir, true, NULL, &ks, err, sizeof err), -1);
    assert_non_null(strstr(err, "lets others read"));
    assert_int_equal(chmod(path, 0600), 0);

    /* Bad metadata. */
    fresh_dir();
    make_key(NOW, NOW + DAY, NULL, kid);
    snprintf(path, sizeof path, "sign-%s.json", kid);
    write_text(path,
               "{\"issuer\":\"X\",\"not_before\":5,\"not_after\":4,\"created\":1,\"jwk\":{}}");
    assert_int_equal(keystore_load(dir, false, NULL, &ks, err, sizeof err), -1);
    assert_non_null(strstr(err, "not_before < not_after"));

    /* Bad specs. */
    struct keystore_spec bad = {"IMSS\nX", NOW, NOW + DAY, NOW};
    assert_int_equal(keystore_generate(dir, &bad, NULL, kid, err, sizeof err), -1);
    struct keystore_spec backwards = {NULL, NOW, NOW, NOW};
    assert_int_equal(keystore_generate(dir, &backwards, NULL, kid, err, sizeof err), -1);
    assert_false(keystore_issuer_ok(""));
    assert_false(keystore_issuer_ok("IMSS \"B\""));
    assert_true(keystore_issuer_ok("IMSS-BIENESTAR"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_load_current),
        cmocka_unit_test(test_ensure),
        cmocka_unit_test(test_passphrase),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
