/* trust_cache: the published trust list, rebuilt when needed (see trust_cache.h). */
#include "credential/trust_cache.h"

#include "credential/keystore.h"
#include "credential/trust_list.h"
#include "util/alloc.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct trust_cache {
    pthread_mutex_t lock;
    char *keys_dir;
    struct signer *signer;
    char *text;
    size_t len;
    char etag[TRUST_CACHE_ETAG_SIZE];
    struct trust_list keys; /* every key of the directory, ended ones too */
    int64_t built_at, next_change;
    struct timespec dir_mtime;
};

static struct timespec dir_mtime(const char *dir)
{
    struct stat st;
    struct timespec zero = {0, 0};
    return stat(dir, &st) == 0 ? st.st_mtim : zero;
}

/* The first time after now at which a key's window opens or closes. */
static int64_t next_change(const struct keystore *ks, int64_t now)
{
    int64_t next = INT64_MAX;
    for (size_t i = 0; i < ks->n; i++) {
        if (ks->keys[i].not_before > now && ks->keys[i].not_before < next)
            next = ks->keys[i].not_before;
        if (ks->keys[i].not_after > now && ks->keys[i].not_after < next)
            next = ks->keys[i].not_after;
    }
    return next;
}

/* Builds a new document; keeps the old one when that fails. */
static int rebuild(struct trust_cache *c, int64_t now, char *err, size_t errsz)
{
    struct keystore ks;
    struct timespec mtime = dir_mtime(c->keys_dir);
    if (keystore_load(c->keys_dir, false, NULL, &ks, err, errsz) != 0)
        return -1;
    size_t len = 0;
    char *text = trust_list_build(&ks, c->signer, NULL, now, &len, err, errsz);
    int64_t next = next_change(&ks, now);
    struct trust_list keys;
    if (text != NULL && trust_list_from_keystore(&ks, &keys, err, errsz) != 0) {
        free(text);
        text = NULL;
    }
    keystore_release(&ks);
    if (text == NULL)
        return -1;
    trust_list_release(&c->keys);
    c->keys = keys;
    uint8_t hash[16];
    crypto_generichash(hash, sizeof hash, (const uint8_t *)text, len, NULL, 0);
    char hex[2 * sizeof hash + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    snprintf(c->etag, sizeof c->etag, "\"%s\"", hex);
    free(c->text);
    c->text = text;
    c->len = len;
    c->built_at = now;
    c->next_change = next;
    c->dir_mtime = mtime;
    return 0;
}

struct trust_cache *trust_cache_new(const char *keys_dir, struct signer *signer, int64_t now,
                                    char *err, size_t errsz)
{
    struct trust_cache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->keys_dir = xstrdup(keys_dir);
    c->signer = signer;
    if (rebuild(c, now, err, errsz) != 0) {
        trust_cache_free(c);
        return NULL;
    }
    return c;
}

static bool stale(const struct trust_cache *c, int64_t now)
{
    struct timespec m = dir_mtime(c->keys_dir);
    return m.tv_sec != c->dir_mtime.tv_sec || m.tv_nsec != c->dir_mtime.tv_nsec ||
           now >= c->next_change || now - c->built_at >= TRUST_CACHE_MAX_AGE || now < c->built_at;
}

int trust_cache_get(struct trust_cache *c, int64_t now, char **text, size_t *len,
                    char etag[TRUST_CACHE_ETAG_SIZE], char *err, size_t errsz)
{
    pthread_mutex_lock(&c->lock);
    char why[TRUST_LIST_ERR_SIZE];
    if (stale(c, now) && rebuild(c, now, why, sizeof why) != 0)
        fprintf(stderr, "padron: trust list: %s (serving the one built at %lld)\n", why,
                (long long)c->built_at);
    int rc = -1;
    if (c->text != NULL) {
        *text = xstrndup(c->text, c->len);
        *len = c->len;
        memcpy(etag, c->etag, TRUST_CACHE_ETAG_SIZE);
        rc = 0;
    } else {
        snprintf(err, errsz, "trust list: none built");
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int trust_cache_keys(struct trust_cache *c, int64_t now, struct trust_list *out, char *err,
                     size_t errsz)
{
    pthread_mutex_lock(&c->lock);
    char why[TRUST_LIST_ERR_SIZE];
    if (stale(c, now) && rebuild(c, now, why, sizeof why) != 0)
        fprintf(stderr, "padron: trust list: %s (verifying with the keys of %lld)\n", why,
                (long long)c->built_at);
    memset(out, 0, sizeof *out);
    snprintf(out->issuer, sizeof out->issuer, "%s", c->keys.issuer);
    out->keys = xcalloc(c->keys.n ? c->keys.n : 1, sizeof *out->keys);
    int rc = 0;
    for (size_t i = 0; i < c->keys.n; i++) {
        if (!EVP_PKEY_up_ref(c->keys.keys[i].key)) {
            snprintf(err, errsz, "trust list: openssl failed");
            rc = -1;
            break;
        }
        out->keys[out->n++] = c->keys.keys[i];
    }
    pthread_mutex_unlock(&c->lock);
    if (rc != 0)
        trust_list_release(out);
    return rc;
}

void trust_cache_free(struct trust_cache *c)
{
    if (c == NULL)
        return;
    trust_list_release(&c->keys);
    pthread_mutex_destroy(&c->lock);
    free(c->keys_dir);
    free(c->text);
    free(c);
}
