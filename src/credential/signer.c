/* signer: in-process signers and the signer process (see signer.h). */
#include "credential/signer.h"

#include "credential/cose.h"
#include "credential/keystore.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/errbuf.h"

#include <errno.h>
#include <openssl/err.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The wire, one SOCK_SEQPACKET message each way:
 *   request  seq (4, big-endian) | op (1) | kid (8) | to-be-signed bytes
 *   reply    seq (4)             | status (1) | kid (8) | body
 * body: OP_SIGN the 64-byte signature; OP_HELLO (the child's first message,
 * seq 0) created (1) and the key count (4); any failure the reason as text. */
#define HEAD_LEN      (4 + 1 + KEYS_KID_LEN)
#define OP_HELLO      0
#define OP_CURRENT    1
#define OP_SIGN       2
#define STATUS_OK     0
#define STATUS_FAILED 1
#define REPLY_MAX     (HEAD_LEN + SIGNER_ERR_SIZE)

struct local_key {
    EVP_PKEY *key;
    uint8_t kid[KEYS_KID_LEN];
    int64_t not_before, not_after;
};

struct signer {
    /* in-process */
    struct local_key *keys;
    size_t n;
    /* the signer process */
    pid_t pid;
    int fd;
    int timeout_ms;
    uint32_t seq;
    bool dead;
    pthread_mutex_t lock;
};

int signer_es256(EVP_PKEY *key, const uint8_t *tbs, size_t len, uint8_t sig[SIGNER_SIG_LEN])
{
    uint8_t der[COSE_ECDSA_DER_MAX];
    size_t der_len = sizeof der;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int rc = ctx != NULL && keys_is_p256(key) &&
                     EVP_DigestSignInit_ex(ctx, NULL, "SHA256", NULL, NULL, key, NULL) == 1 &&
                     EVP_DigestSign(ctx, der, &der_len, tbs, len) == 1 &&
                     cose_ecdsa_der_to_raw(der, der_len, sig) == 0
                 ? 0
                 : -1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return rc;
}

/* ---- in-process ---- */

static struct signer *signer_alloc(void)
{
    struct signer *s = xcalloc(1, sizeof *s);
    s->fd = -1;
    s->timeout_ms = SIGNER_TIMEOUT_MS;
    return s;
}

struct signer *signer_new_keys(const struct signer_key *keys, size_t n, char *err, size_t errsz)
{
    struct signer *s = signer_alloc();
    s->keys = xcalloc(n ? n : 1, sizeof *s->keys);
    for (size_t i = 0; i < n; i++) {
        struct local_key *k = &s->keys[i];
        if (keys_kid(keys[i].key, k->kid) != 0 || !EVP_PKEY_up_ref(keys[i].key)) {
            errbuf_set(err, errsz, "signer: key %zu is not a P-256 key", i);
            signer_free(s);
            return NULL;
        }
        s->n++;
        k->key = keys[i].key;
        k->not_before = keys[i].not_before;
        k->not_after = keys[i].not_after;
    }
    return s;
}

struct signer *signer_new_key(EVP_PKEY *key, char *err, size_t errsz)
{
    struct signer_key k = {key, 0, 0};
    return signer_new_keys(&k, 1, err, errsz);
}

static bool local_valid(const struct local_key *k, int64_t now)
{
    return k->not_before <= now && (k->not_after == 0 || now < k->not_after);
}

static int local_current(const struct signer *s, uint8_t kid[KEYS_KID_LEN], char *err, size_t errsz)
{
    int64_t now = (int64_t)time(NULL);
    const struct local_key *best = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const struct local_key *k = &s->keys[i];
        if (!local_valid(k, now))
            continue;
        if (best == NULL || k->not_before > best->not_before ||
            (k->not_before == best->not_before && memcmp(k->kid, best->kid, KEYS_KID_LEN) > 0))
            best = k;
    }
    if (best == NULL) {
        errbuf_set(err, errsz, "signer: no signing key is valid now (padron keys generate)");
        return -1;
    }
    memcpy(kid, best->kid, KEYS_KID_LEN);
    return 0;
}

static int local_sign(const struct signer *s, const uint8_t kid[KEYS_KID_LEN], const uint8_t *tbs,
                      size_t len, uint8_t sig[SIGNER_SIG_LEN], char *err, size_t errsz)
{
    char text[KEYS_KID_TEXT_SIZE];
    for (size_t i = 0; i < s->n; i++) {
        if (memcmp(s->keys[i].kid, kid, KEYS_KID_LEN) != 0)
            continue;
        if (!local_valid(&s->keys[i], (int64_t)time(NULL))) {
            keys_kid_text(kid, text);
            errbuf_set(err, errsz, "signer: key %s is not valid now", text);
            return -1;
        }
        if (signer_es256(s->keys[i].key, tbs, len, sig) != 0) {
            errbuf_set(err, errsz, "signer: openssl could not sign");
            return -1;
        }
        return 0;
    }
    keys_kid_text(kid, text);
    errbuf_set(err, errsz, "signer: no private key with kid %s", text);
    return -1;
}

/* ---- the signer process: the child's side ---- */

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void child_reply(int fd, uint32_t seq, int status, const uint8_t *kid, const void *body,
                        size_t len)
{
    uint8_t msg[HEAD_LEN + SIGNER_ERR_SIZE];
    if (len > sizeof msg - HEAD_LEN)
        len = sizeof msg - HEAD_LEN;
    put_u32(msg, seq);
    msg[4] = (uint8_t)status;
    if (kid != NULL)
        memcpy(msg + 5, kid, KEYS_KID_LEN);
    else
        memset(msg + 5, 0, KEYS_KID_LEN);
    if (len > 0)
        memcpy(msg + HEAD_LEN, body, len);
    while (send(fd, msg, HEAD_LEN + len, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
}

static void child_fail(int fd, uint32_t seq, const char *why)
{
    child_reply(fd, seq, STATUS_FAILED, NULL, why, strlen(why));
}

/* An in-process signer over the private keys of a loaded keystore. */
static struct signer *signer_of_keystore(const struct keystore *ks, char *err, size_t errsz)
{
    struct signer_key keys[KEYSTORE_MAX_KEYS];
    size_t n = 0;
    for (size_t i = 0; i < ks->n; i++)
        if (ks->keys[i].private_key != NULL)
            keys[n++] = (struct signer_key){ks->keys[i].private_key, ks->keys[i].not_before,
                                            ks->keys[i].not_after};
    return signer_new_keys(keys, n, err, errsz);
}

/* Loads the keystore's private keys into a new in-process signer. */
static struct signer *child_load(const struct signer_config *cfg, struct timespec *mtime, char *err,
                                 size_t errsz)
{
    struct stat st;
    if (stat(cfg->keys_dir, &st) == 0)
        *mtime = st.st_mtim;
    struct keystore ks;
    if (keystore_load(cfg->keys_dir, true, cfg->passphrase, &ks, err, errsz) != 0)
        return NULL;
    struct signer *s = signer_of_keystore(&ks, err, errsz);
    keystore_release(&ks);
    return s;
}

/* Reloads when the directory changed; a failed reload keeps the keys it had. */
static void child_maybe_reload(const struct signer_config *cfg, struct signer **local,
                               struct timespec *mtime)
{
    struct stat st;
    if (stat(cfg->keys_dir, &st) != 0 ||
        (st.st_mtim.tv_sec == mtime->tv_sec && st.st_mtim.tv_nsec == mtime->tv_nsec))
        return;
    char err[KEYSTORE_ERR_SIZE];
    struct timespec seen = *mtime;
    struct signer *fresh = child_load(cfg, &seen, err, sizeof err);
    if (fresh == NULL) {
        fprintf(stderr, "padron signer: reloading %s: %s (keeping the keys loaded before)\n",
                cfg->keys_dir, err);
        return; /* mtime unchanged: tried again on the next request */
    }
    *mtime = seen;
    signer_free(*local);
    *local = fresh;
}

static void child_hello(int fd, const struct signer_config *cfg, struct signer **local,
                        struct timespec *mtime)
{
    char err[KEYSTORE_ERR_SIZE], kid_text[KEYS_KID_TEXT_SIZE];
    bool created = false;
    if (cfg->ensure && keystore_ensure(cfg->keys_dir, cfg->issuer, (int64_t)time(NULL),
                                       cfg->passphrase, &created, kid_text, err, sizeof err) != 0) {
        child_fail(fd, 0, err);
        return;
    }
    *local = child_load(cfg, mtime, err, sizeof err);
    uint8_t kid[KEYS_KID_LEN];
    if (*local == NULL || local_current(*local, kid, err, sizeof err) != 0) {
        child_fail(fd, 0, err);
        return;
    }
    uint8_t body[5] = {created};
    put_u32(body + 1, (uint32_t)(*local)->n);
    child_reply(fd, 0, STATUS_OK, kid, body, sizeof body);
}

static void child_main(int fd, const struct signer_config *cfg)
{
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    struct signer *local = NULL;
    struct timespec mtime = {0, 0};
    child_hello(fd, cfg, &local, &mtime);
    if (local == NULL)
        return;
    uint8_t *req = xmallocarray(HEAD_LEN + SIGNER_TBS_MAX, 1);
    for (;;) {
        ssize_t n = recv(fd, req, HEAD_LEN + SIGNER_TBS_MAX, MSG_TRUNC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the server closed its end, or the socket failed */
        uint32_t seq = get_u32(req);
        if ((size_t)n < HEAD_LEN || (size_t)n > HEAD_LEN + SIGNER_TBS_MAX) {
            child_fail(fd, seq, "signer: request of the wrong size");
            continue;
        }
        child_maybe_reload(cfg, &local, &mtime);
        char err[SIGNER_ERR_SIZE];
        uint8_t kid[KEYS_KID_LEN], sig[SIGNER_SIG_LEN];
        if (req[4] == OP_CURRENT) {
            if (local_current(local, kid, err, sizeof err) == 0)
                child_reply(fd, seq, STATUS_OK, kid, NULL, 0);
            else
                child_fail(fd, seq, err);
        } else if (req[4] == OP_SIGN) {
            if (local_sign(local, req + 5, req + HEAD_LEN, (size_t)n - HEAD_LEN, sig, err,
                           sizeof err) == 0)
                child_reply(fd, seq, STATUS_OK, req + 5, sig, sizeof sig);
            else
                child_fail(fd, seq, err);
        } else {
            child_fail(fd, seq, "signer: unknown request");
        }
    }
    free(req);
    signer_free(local);
}

/* ---- the signer process: the server's side ---- */

/* Marks s dead and says so once on stderr, with how the child ended. */
static void mark_dead(struct signer *s, char *err, size_t errsz)
{
    if (!s->dead) {
        int status = 0;
        pid_t r = waitpid(s->pid, &status, WNOHANG);
        char how[64] = "it closed its socket";
        if (r == s->pid) {
            if (WIFSIGNALED(status))
                snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(status));
            else if (WIFEXITED(status))
                snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
            s->pid = 0;
        }
        fprintf(stderr, "padron: signer: the signer process is gone (%s); nothing can be signed\n",
                how);
        s->dead = true;
    }
    errbuf_set(err, errsz, "signer: the signer process is gone");
}

/* Sends one request and waits for its reply (body into *body, at most REPLY_MAX).
 * Called with s->lock held. Returns the reply's length, or -1 (err set). */
static ssize_t exchange(struct signer *s, const uint8_t *msg, size_t len, uint8_t *reply, char *err,
                        size_t errsz)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct pollfd p = {s->fd, POLLOUT, 0};
    for (;;) {
        ssize_t w = send(s->fd, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w == (ssize_t)len)
            break;
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
            mark_dead(s, err, errsz);
            return -1;
        }
        int left = s->timeout_ms - clock_ms_since(&start);
        if (left <= 0 || (poll(&p, 1, left) < 0 && errno != EINTR)) {
            errbuf_set(err, errsz, "signer: the signer process takes no request (%d ms)",
                       s->timeout_ms);
            fprintf(stderr, "padron: %s\n", err);
            return -1;
        }
    }
    uint32_t seq = get_u32(msg);
    p.events = POLLIN;
    for (;;) {
        ssize_t n = recv(s->fd, reply, REPLY_MAX, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            mark_dead(s, err, errsz);
            return -1;
        }
        if (n >= HEAD_LEN && get_u32(reply) == seq)
            return n;
        if (n > 0)
            continue; /* the late reply to a request that timed out */
        int left = s->timeout_ms - clock_ms_since(&start);
        if (left <= 0) {
            errbuf_set(err, errsz, "signer: no answer from the signer process within %d ms",
                       s->timeout_ms);
            fprintf(stderr, "padron: %s\n", err);
            return -1;
        }
        if (poll(&p, 1, left) < 0 && errno != EINTR) {
            mark_dead(s, err, errsz);
            return -1;
        }
    }
}

/* One request to the signer process; on success copies the reply's kid and up to
 * body_cap bytes of its body. */
static int call(struct signer *s, int op, const uint8_t *kid, const uint8_t *tbs, size_t len,
                uint8_t out_kid[KEYS_KID_LEN], uint8_t *body, size_t body_cap, char *err,
                size_t errsz)
{
    uint8_t *msg = xmallocarray(HEAD_LEN + len, 1), reply[REPLY_MAX];
    int rc = -1;
    pthread_mutex_lock(&s->lock);
    if (s->dead) {
        errbuf_set(err, errsz, "signer: the signer process is gone");
        goto cleanup;
    }
    put_u32(msg, ++s->seq == 0 ? ++s->seq : s->seq);
    msg[4] = (uint8_t)op;
    if (kid != NULL)
        memcpy(msg + 5, kid, KEYS_KID_LEN);
    else
        memset(msg + 5, 0, KEYS_KID_LEN);
    if (len > 0)
        memcpy(msg + HEAD_LEN, tbs, len);
    ssize_t n = exchange(s, msg, HEAD_LEN + len, reply, err, errsz);
    if (n < 0)
        goto cleanup;
    if (reply[4] != STATUS_OK) {
        errbuf_set(err, errsz, "%.*s", (int)(n - HEAD_LEN), (const char *)reply + HEAD_LEN);
        goto cleanup;
    }
    if ((size_t)(n - HEAD_LEN) < body_cap) {
        errbuf_set(err, errsz, "signer: short reply");
        goto cleanup;
    }
    memcpy(out_kid, reply + 5, KEYS_KID_LEN);
    if (body_cap > 0)
        memcpy(body, reply + HEAD_LEN, body_cap);
    rc = 0;
cleanup:
    pthread_mutex_unlock(&s->lock);
    free(msg);
    return rc;
}

struct signer *signer_start(const struct signer_config *cfg, struct signer_started *started,
                            char *err, size_t errsz)
{
    int sv[2];
    memset(started, 0, sizeof *started);
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        errbuf_set(err, errsz, "signer: socketpair: %s", strerror(errno));
        return NULL;
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        errbuf_set(err, errsz, "signer: fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return NULL;
    }
    if (pid == 0) {
        close(sv[0]);
        child_main(sv[1], cfg);
        close(sv[1]);
        _exit(0);
    }
    close(sv[1]);
    struct signer *s = signer_alloc();
    s->pid = pid;
    s->fd = sv[0];
    pthread_mutex_init(&s->lock, NULL);
    /* The hello: the child may be generating a key, or decrypting several. */
    uint8_t reply[REPLY_MAX];
    struct pollfd p = {s->fd, POLLIN, 0};
    ssize_t n = -1;
    if (poll(&p, 1, 4 * SIGNER_TIMEOUT_MS) > 0)
        n = recv(s->fd, reply, sizeof reply, MSG_DONTWAIT);
    if (n < HEAD_LEN || get_u32(reply) != 0) {
        errbuf_set(err, errsz, "signer: the signer process did not start");
        signer_free(s);
        return NULL;
    }
    if (reply[4] != STATUS_OK || n < HEAD_LEN + 5) {
        errbuf_set(err, errsz, "%.*s", (int)(n - HEAD_LEN), (const char *)reply + HEAD_LEN);
        signer_free(s);
        return NULL;
    }
    memcpy(started->kid, reply + 5, KEYS_KID_LEN);
    started->created = reply[HEAD_LEN] != 0;
    started->key_count = get_u32(reply + HEAD_LEN + 1);
    return s;
}

/* ---- both ---- */

int signer_current(struct signer *s, uint8_t kid[KEYS_KID_LEN], char *err, size_t errsz)
{
    if (s->fd < 0)
        return local_current(s, kid, err, errsz);
    return call(s, OP_CURRENT, NULL, NULL, 0, kid, NULL, 0, err, errsz);
}

int signer_sign(struct signer *s, const uint8_t kid[KEYS_KID_LEN], const uint8_t *tbs, size_t len,
                uint8_t sig[SIGNER_SIG_LEN], char *err, size_t errsz)
{
    if (len > SIGNER_TBS_MAX) {
        errbuf_set(err, errsz, "signer: %zu bytes to sign, at most %d", len, SIGNER_TBS_MAX);
        return -1;
    }
    if (s->fd < 0)
        return local_sign(s, kid, tbs, len, sig, err, errsz);
    uint8_t used[KEYS_KID_LEN];
    return call(s, OP_SIGN, kid, tbs, len, used, sig, SIGNER_SIG_LEN, err, errsz);
}

pid_t signer_pid(const struct signer *s)
{
    return s->fd >= 0 ? s->pid : 0;
}

void signer_set_timeout(struct signer *s, int milliseconds)
{
    s->timeout_ms = milliseconds > 0 ? milliseconds : 1;
}

void signer_free(struct signer *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        EVP_PKEY_free(s->keys[i].key);
    free(s->keys);
    if (s->fd >= 0) {
        close(s->fd);
        if (s->pid > 0) {
            /* EOF tells the child to exit; a stopped or stuck one is killed. */
            struct timespec start;
            clock_gettime(CLOCK_MONOTONIC, &start);
            while (waitpid(s->pid, NULL, WNOHANG) == 0) {
                if (clock_ms_since(&start) > s->timeout_ms) {
                    kill(s->pid, SIGKILL);
                    waitpid(s->pid, NULL, 0);
                    break;
                }
                usleep(2000);
            }
        }
        pthread_mutex_destroy(&s->lock);
    }
    free(s);
}
