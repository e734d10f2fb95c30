/* Unit tests for src/credential/signer.c: in-process signers, the signer process
 * (threads, a stopped process, a killed one, a failed start, reloading). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/cose.h"
#include "credential/keystore.h"
#include "credential/signer.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char root[] = "/tmp/padron-signer-XXXXXX";
static char dir[300];

static int setup(void **state)
{
    (void)state;
    if (mkdtemp(root) == NULL)
        return -1;
    snprintf(dir, sizeof dir, "%s/keys", root);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* Whether sig (r || s) is key's signature of msg. */
static bool verifies(EVP_PKEY *key, const char *msg, const uint8_t sig[SIGNER_SIG_LEN])
{
    uint8_t der[COSE_ECDSA_DER_MAX];
    size_t der_len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = cose_ecdsa_raw_to_der(sig, der, sizeof der, &der_len) == 0 &&
              EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, key, NULL) == 1 &&
              EVP_DigestVerify(ctx, der, der_len, (const uint8_t *)msg, strlen(msg)) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static void test_in_process(void **state)
{
    (void)state;
    int64_t now = (int64_t)time(NULL);
    EVP_PKEY *old = keys_generate(NULL, 0), *cur = keys_generate(NULL, 0),
             *ended = keys_generate(NULL, 0);
    struct signer_key keys[] = {
        {old, now - 1000, now + 1000}, {cur, now - 10, now + 1000}, {ended, now - 100, now - 50}};
    char err[SIGNER_ERR_SIZE];
    struct signer *s = signer_new_keys(keys, 3, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(signer_pid(s), 0);
    uint8_t kid[KEYS_KID_LEN], want[KEYS_KID_LEN], sig[SIGNER_SIG_LEN];
    assert_int_equal(signer_current(s, kid, err, sizeof err), 0);
    assert_int_equal(keys_kid(cur, want), 0);
    assert_memory_equal(kid, want, KEYS_KID_LEN);
    assert_int_equal(signer_sign(s, kid, (const uint8_t *)"hello", 5, sig, err, sizeof err), 0);
    assert_true(verifies(cur, "hello", sig));
    assert_false(verifies(old, "hello", sig));
    /* The older key still signs when asked by kid; an ended one does not. */
    assert_int_equal(keys_kid(old, want), 0);
    assert_int_equal(signer_sign(s, want, (const uint8_t *)"x", 1, sig, err, sizeof err), 0);
    assert_true(verifies(old, "x", sig));
    assert_int_equal(keys_kid(ended, want), 0);
    assert_int_equal(signer_sign(s, want, (const uint8_t *)"x", 1, sig, err, sizeof err), -1);
    assert_non_null(strstr(err, "not valid now"));
    static uint8_t big[SIGNER_TBS_MAX + 1];
    assert_int_equal(signer_sign(s, kid, big, sizeof big, sig, err, sizeof err), -1);
    signer_free(s);
    signer_free(NULL);
    /* Only ended keys: no current one. */
    s = signer_new_keys(&keys[2], 1, err, sizeof err);
    assert_int_equal(signer_current(s, kid, err, sizeof err), -1);
    assert_non_null(strstr(err, "no signing key is valid now"));
    signer_free(s);
    EVP_PKEY_free(old);
    EVP_PKEY_free(cur);
    EVP_PKEY_free(ended);
}

static struct signer *start(bool ensure, const char *pass, struct signer_started *st, char *err)
{
    struct signer_config sc = {dir, pass, ensure, NULL};
    return signer_start(&sc, st, err, SIGNER_ERR_SIZE);
}

/* The public key of kid, from the keystore's public halves. */
static EVP_PKEY *public_key(const uint8_t kid[KEYS_KID_LEN])
{
    struct keystore ks;
    char err[KEYSTORE_ERR_SIZE];
    assert_int_equal(keystore_load(dir, false, NULL, &ks, err, sizeof err), 0);
    const struct keystore_key *k = keystore_find(&ks, kid);
    assert_non_null(k);
    EVP_PKEY *key = k->public_key;
    EVP_PKEY_up_ref(key);
    keystore_release(&ks);
    return key;
}

struct worker {
    struct signer *s;
    EVP_PKEY *pub;
    uint8_t kid[KEYS_KID_LEN];
    int good;
};

static void *sign_many(void *arg)
{
    struct worker *w = arg;
    char msg[32], err[SIGNER_ERR_SIZE];
    uint8_t sig[SIGNER_SIG_LEN];
    for (int i = 0; i < 40; i++) {
        snprintf(msg, sizeof msg, "message %d of %p", i, (void *)w);
        if (signer_sign(w->s, w->kid, (const uint8_t *)msg, strlen(msg), sig, err, sizeof err) ==
                0 &&
            verifies(w->pub, msg, sig))
            w->good++;
    }
    return NULL;
}

static void test_process(void **state)
{
    (void)state;
    char err[SIGNER_ERR_SIZE];
    struct signer_started st;
    /* No key and no ensure: the child says why. */
    assert_null(start(false, NULL, &st, err));
    assert_non_null(strstr(err, "no signing key is valid now"));

    struct signer *s = start(true, NULL, &st, err);
    assert_non_null(s);
    assert_true(st.created);
    assert_int_equal(st.key_count, 1);
    assert_true(signer_pid(s) > 0);
    EVP_PKEY *pub = public_key(st.kid);

    /* Four threads at once, every signature good. */
    struct worker w[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){s, pub, {0}, 0};
        memcpy(w[i].kid, st.kid, KEYS_KID_LEN);
        assert_int_equal(pthread_create(&t[i], NULL, sign_many, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].good, 40);
    }

    /* A stopped signer: a timeout, not a hang; after it resumes, the late reply is
     * skipped and the next request gets its own answer. */
    uint8_t sig[SIGNER_SIG_LEN], kid[KEYS_KID_LEN];
    signer_set_timeout(s, 200);
    assert_int_equal(kill(signer_pid(s), SIGSTOP), 0);
    assert_int_equal(signer_sign(s, st.kid, (const uint8_t *)"a", 1, sig, err, sizeof err), -1);
    assert_non_null(strstr(err, "no answer"));
    assert_int_equal(kill(signer_pid(s), SIGCONT), 0);
    signer_set_timeout(s, SIGNER_TIMEOUT_MS);
    assert_int_equal(signer_sign(s, st.kid, (const uint8_t *)"b", 1, sig, err, sizeof err), 0);
    assert_true(verifies(pub, "b", sig));

    /* A key generated while it runs is picked up (the directory changed). */
    sleep(1);
    char kid_text[KEYS_KID_TEXT_SIZE];
    struct keystore_spec spec = {NULL, (int64_t)time(NULL), (int64_t)time(NULL) + 1000, 0};
    assert_int_equal(keystore_generate(dir, &spec, NULL, kid_text, err, sizeof err), 0);
    assert_int_equal(signer_current(s, kid, err, sizeof err), 0);
    char now_text[KEYS_KID_TEXT_SIZE];
    keys_kid_text(kid, now_text);
    assert_string_equal(now_text, kid_text);

    /* A killed signer: an error at once, and every later call too. */
    pid_t pid = signer_pid(s);
    assert_int_equal(kill(pid, SIGKILL), 0);
    usleep(50000);
    assert_int_equal(signer_sign(s, st.kid, (const uint8_t *)"c", 1, sig, err, sizeof err), -1);
    assert_non_null(strstr(err, "gone"));
    assert_int_equal(signer_current(s, kid, err, sizeof err), -1);
    signer_free(s);
    EVP_PKEY_free(pub);
}

static void test_process_passphrase(void **state)
{
    (void)state;
    char err[SIGNER_ERR_SIZE];
    snprintf(dir, sizeof dir, "%s/enc", root);
    struct signer_started st;
    struct signer *s = start(true, "open sesame", &st, err);
    assert_non_null(s);
    signer_free(s);
    assert_null(start(false, "wrong", &st, err));
    assert_non_null(strstr(err, "passphrase"));
    assert_null(strstr(err, "wrong"));
    assert_null(start(false, NULL, &st, err));
    s = start(false, "open sesame", &st, err);
    assert_non_null(s);
    assert_false(st.created);
    /* Freeing waits for the child: nothing is left behind. */
    pid_t pid = signer_pid(s);
    signer_free(s);
    assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
}

int main(void)
{
    signal(SIGPIPE, SIG_DFL); /* a write to a dead signer must not need SIG_IGN */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_process),
        cmocka_unit_test(test_process),
        cmocka_unit_test(test_process_passphrase),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
