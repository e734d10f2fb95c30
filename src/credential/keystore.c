/* keystore: the signing keys of DATA/keys (see keystore.h). */
#include "credential/keystore.h"

#include "util/alloc.h"
#include "util/errbuf.h"
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAY_SECONDS 86400

bool keystore_issuer_ok(const char *issuer)
{
    size_t n = issuer ? strlen(issuer) : 0;
    if (n == 0 || n > KEYSTORE_ISSUER_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (issuer[i] < 0x20 || issuer[i] > 0x7e || issuer[i] == '"' || issuer[i] == '\\')
            return false;
    return true;
}

static int join(char *out, size_t size, const char *dir, const char *kid, const char *ext)
{
    int n = snprintf(out, size, "%s/sign-%s.%s", dir, kid, ext);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Reads sign-KID.json into k (public half and metadata). */
static int load_meta(const char *path, const char *kid_text, struct keystore_key *k, char *err,
                     size_t errsz)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        errbuf_set(err, errsz, "%s: %s", path, jerr.text);
        return -1;
    }
    int rc = -1;
    json_t *jwk = NULL;
    const char *issuer = NULL;
    json_int_t nb = 0, na = 0, created = 0;
    char why[KEYS_ERR_SIZE];
    if (json_unpack_ex(doc, &jerr, JSON_STRICT, "{s:s, s:I, s:I, s:I, s:o}", "issuer", &issuer,
                       "not_before", &nb, "not_after", &na, "created", &created, "jwk",
                       &jwk) != 0) {
        errbuf_set(err, errsz, "%s: %s", path, jerr.text);
        goto cleanup;
    }
    if (!keystore_issuer_ok(issuer)) {
        errbuf_set(err, errsz, "%s: issuer: 1 to %d printable ASCII characters", path,
                   KEYSTORE_ISSUER_MAX);
        goto cleanup;
    }
    if (nb <= 0 || na <= nb) {
        errbuf_set(err, errsz, "%s: want 0 < not_before < not_after", path);
        goto cleanup;
    }
    k->public_key = keys_jwk_import(jwk, k->kid, why, sizeof why);
    if (k->public_key == NULL) {
        errbuf_set(err, errsz, "%s: %s", path, why);
        goto cleanup;
    }
    keys_kid_text(k->kid, k->kid_text);
    if (strcmp(k->kid_text, kid_text) != 0) {
        errbuf_set(err, errsz, "%s: the file name says kid %s, the key is %s", path, kid_text,
                   k->kid_text);
        goto cleanup;
    }
    snprintf(k->issuer, sizeof k->issuer, "%s", issuer);
    k->not_before = nb;
    k->not_after = na;
    k->created = created;
    rc = 0;
cleanup:
    json_decref(doc);
    return rc;
}

/* Loads the private half of k from sign-KID.pem when present. */
static int load_private(const char *dir, struct keystore_key *k, bool load, const char *passphrase,
                        char *err, size_t errsz)
{
    char path[PATH_MAX], why[KEYSTORE_ERR_SIZE];
    struct stat st;
    if (join(path, sizeof path, dir, k->kid_text, "pem") != 0) {
        errbuf_set(err, errsz, "%s: path too long", dir);
        return -1;
    }
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        errbuf_set(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    k->has_private = true;
    if (!load)
        return 0;
    k->private_key = keys_load_private_pass(path, passphrase, why, sizeof why);
    if (k->private_key == NULL) {
        errbuf_set(err, errsz, "%s", why);
        return -1;
    }
    uint8_t kid[KEYS_KID_LEN];
    if (keys_kid(k->private_key, kid) != 0 || memcmp(kid, k->kid, KEYS_KID_LEN) != 0) {
        errbuf_set(err, errsz, "%s: not the private half of sign-%s.json", path, k->kid_text);
        return -1;
    }
    return 0;
}

static void key_release(struct keystore_key *k)
{
    EVP_PKEY_free(k->public_key);
    EVP_PKEY_free(k->private_key);
    k->public_key = k->private_key = NULL;
}

/* Newest first: later not_before, then the kid. */
static int newest_first(const void *a, const void *b)
{
    const struct keystore_key *x = a, *y = b;
    if (x->not_before != y->not_before)
        return x->not_before > y->not_before ? -1 : 1;
    return -memcmp(x->kid, y->kid, KEYS_KID_LEN);
}

/* Whether name is "sign-KID.ext" with an 11-character kid; copies the kid. */
static bool key_file(const char *name, const char *ext, char kid[KEYS_KID_TEXT_SIZE])
{
    size_t n = strlen(name), e = strlen(ext);
    if (n != 5 + (KEYS_KID_TEXT_SIZE - 1) + 1 + e || strncmp(name, "sign-", 5) != 0 ||
        name[n - e - 1] != '.' || strcmp(name + n - e, ext) != 0)
        return false;
    memcpy(kid, name + 5, KEYS_KID_TEXT_SIZE - 1);
    kid[KEYS_KID_TEXT_SIZE - 1] = '\0';
    return true;
}

int keystore_load(const char *dir, bool private_keys, const char *passphrase, struct keystore *ks,
                  char *err, size_t errsz)
{
    memset(ks, 0, sizeof *ks);
    DIR *d = opendir(dir);
    if (d == NULL) {
        if (errno == ENOENT)
            return 0;
        errbuf_set(err, errsz, "%s: %s", dir, strerror(errno));
        return -1;
    }
    ks->keys = xcalloc(KEYSTORE_MAX_KEYS, sizeof *ks->keys);
    int rc = -1;
    struct dirent *e;
    char kid[KEYS_KID_TEXT_SIZE], path[PATH_MAX];
    while ((e = readdir(d)) != NULL) {
        if (key_file(e->d_name, "pem", kid)) {
            /* A private key needs its metadata. */
            struct stat st;
            if (join(path, sizeof path, dir, kid, "json") != 0 || stat(path, &st) != 0) {
                errbuf_set(err, errsz, "%s/%s: no sign-%s.json beside it", dir, e->d_name, kid);
                goto cleanup;
            }
            continue;
        }
        if (!key_file(e->d_name, "json", kid))
            continue;
        if (ks->n == KEYSTORE_MAX_KEYS) {
            errbuf_set(err, errsz, "%s: more than %d signing keys", dir, KEYSTORE_MAX_KEYS);
            goto cleanup;
        }
        struct keystore_key *k = &ks->keys[ks->n++];
        if (join(path, sizeof path, dir, kid, "json") != 0) {
            errbuf_set(err, errsz, "%s: path too long", dir);
            goto cleanup;
        }
        if (load_meta(path, kid, k, err, errsz) != 0 ||
            load_private(dir, k, private_keys, passphrase, err, errsz) != 0)
            goto cleanup;
    }
    qsort(ks->keys, ks->n, sizeof *ks->keys, newest_first);
    rc = 0;
cleanup:
    closedir(d);
    if (rc != 0)
        keystore_release(ks);
    return rc;
}

void keystore_release(struct keystore *ks)
{
    for (size_t i = 0; i < ks->n; i++)
        key_release(&ks->keys[i]);
    free(ks->keys);
    ks->keys = NULL;
    ks->n = 0;
}

const struct keystore_key *keystore_current(const struct keystore *ks, int64_t now)
{
    for (size_t i = 0; i < ks->n; i++) /* newest first */
        if (ks->keys[i].has_private && ks->keys[i].not_before <= now && now < ks->keys[i].not_after)
            return &ks->keys[i];
    return NULL;
}

const struct keystore_key *keystore_find(const struct keystore *ks, const uint8_t kid[KEYS_KID_LEN])
{
    for (size_t i = 0; i < ks->n; i++)
        if (memcmp(ks->keys[i].kid, kid, KEYS_KID_LEN) == 0)
            return &ks->keys[i];
    return NULL;
}

/* Writes text to a new file at path with mode (never over an existing one). */
static int write_new_file(const char *path, const char *text, mode_t mode, char *err, size_t errsz)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
        errbuf_set(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    bool ok = fs_write_all(fd, text, strlen(text)) == 0 && fchmod(fd, mode) == 0 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        errbuf_set(err, errsz, "%s: cannot write it", path);
        unlink(path);
        return -1;
    }
    return 0;
}

int keystore_generate(const char *dir, const struct keystore_spec *spec, const char *passphrase,
                      char kid_text[KEYS_KID_TEXT_SIZE], char *err, size_t errsz)
{
    const char *issuer = spec->issuer ? spec->issuer : KEYSTORE_ISSUER_DEFAULT;
    if (!keystore_issuer_ok(issuer)) {
        errbuf_set(err, errsz, "issuer: 1 to %d printable ASCII characters", KEYSTORE_ISSUER_MAX);
        return -1;
    }
    if (spec->not_before <= 0 || spec->not_after <= spec->not_before) {
        errbuf_set(err, errsz, "validity: want 0 < not_before < not_after");
        return -1;
    }
    if (passphrase != NULL && *passphrase == '\0') {
        errbuf_set(err, errsz, "passphrase: empty");
        return -1;
    }
    if (fs_mkdir_p(dir, 0700, err, errsz) != 0)
        return -1;
    int rc = -1;
    char *text = NULL, pem[PATH_MAX], meta[PATH_MAX];
    json_t *doc = NULL;
    EVP_PKEY *key = keys_generate(err, errsz);
    uint8_t kid[KEYS_KID_LEN];
    if (key == NULL)
        return -1;
    if (keys_kid(key, kid) != 0) {
        errbuf_set(err, errsz, "key generation: no kid");
        goto cleanup;
    }
    keys_kid_text(kid, kid_text);
    if (join(pem, sizeof pem, dir, kid_text, "pem") != 0 ||
        join(meta, sizeof meta, dir, kid_text, "json") != 0) {
        errbuf_set(err, errsz, "%s: path too long", dir);
        goto cleanup;
    }
    doc = json_pack("{s:s, s:I, s:I, s:I, s:o}", "issuer", issuer, "not_before",
                    (json_int_t)spec->not_before, "not_after", (json_int_t)spec->not_after,
                    "created", (json_int_t)spec->created, "jwk", keys_jwk_export(key));
    text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    if (text == NULL) {
        errbuf_set(err, errsz, "key metadata: cannot encode it");
        goto cleanup;
    }
    size_t len = strlen(text);
    text = xreallocarray(text, len + 2, 1);
    memcpy(text + len, "\n", 2);
    if (keys_save_private_pass(key, pem, passphrase, err, errsz) != 0)
        goto cleanup;
    if (write_new_file(meta, text, 0644, err, errsz) != 0) {
        unlink(pem);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(text);
    json_decref(doc);
    EVP_PKEY_free(key);
    return rc;
}

int keystore_ensure(const char *dir, const char *issuer, int64_t now, const char *passphrase,
                    bool *created, char kid_text[KEYS_KID_TEXT_SIZE], char *err, size_t errsz)
{
    struct keystore ks;
    *created = false;
    if (keystore_load(dir, false, NULL, &ks, err, errsz) != 0)
        return -1;
    const struct keystore_key *cur = keystore_current(&ks, now);
    bool have = cur != NULL;
    if (have)
        snprintf(kid_text, KEYS_KID_TEXT_SIZE, "%s", cur->kid_text);
    keystore_release(&ks);
    if (have)
        return 0;
    struct keystore_spec spec = {issuer, now, now + (int64_t)KEYSTORE_DEFAULT_DAYS * DAY_SECONDS,
                                 now};
    if (keystore_generate(dir, &spec, passphrase, kid_text, err, errsz) != 0)
        return -1;
    *created = true;
    return 0;
}
