/* Encrypted content-addressed blob storage. See blobstore.h for the contract. */
#include "media/blobstore.h"

#include "util/alloc.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#define MAGIC     "PADRONB1"
#define MAGIC_LEN 8
#define HEADER_LEN                                                                                 \
    (MAGIC_LEN + crypto_secretstream_xchacha20poly1305_HEADERBYTES) /* before the first chunk */
#define SEALED_CHUNK (BLOBSTORE_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES)
#define KDF_CONTEXT  "padronbl" /* crypto_kdf_CONTEXTBYTES characters */
#define KDF_ID_HASH  1
#define KDF_ID_SEAL  2

struct blobstore {
    int dirfd;
    uint8_t hash_key[crypto_generichash_KEYBYTES];
    uint8_t seal_key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
};

_Static_assert(crypto_kdf_KEYBYTES == BLOBSTORE_KEY_LEN, "master key size");
_Static_assert(sizeof KDF_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES, "kdf context size");
_Static_assert(crypto_generichash_BYTES * 2 == BLOBSTORE_ID_LEN, "id size");

/* Error messages may be cut at errsz; a cut message is still a message. */
__attribute__((format(printf, 3, 4))) static void seterr(char *err, size_t errsz, const char *fmt,
                                                         ...)
{
    if (!err || errsz == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

/* ---- Small I/O helpers ---- */

/* Reads up to n bytes, fewer only at end of file. Returns the count or -1. */
static ssize_t read_full(int fd, uint8_t *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* For descriptors opened read-only or already failed: a close error loses nothing. */
static void close_quietly(int fd)
{
    if (fd >= 0)
        (void)close(fd);
}

/* ---- Ids ---- */

bool blobstore_id_valid(const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; i < BLOBSTORE_ID_LEN; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false; /* also stops at a NUL before 64 characters */
    }
    return s[BLOBSTORE_ID_LEN] == '\0';
}

static void id_of(const struct blobstore *bs, const uint8_t *data, size_t len,
                  char id[BLOBSTORE_ID_LEN + 1])
{
    static const uint8_t empty[1];
    uint8_t h[crypto_generichash_BYTES];
    /* Cannot fail with these sizes: every length is within BLAKE2b's ranges. */
    (void)crypto_generichash(h, sizeof h, len ? data : empty, len, bs->hash_key,
                             sizeof bs->hash_key);
    sodium_bin2hex(id, BLOBSTORE_ID_LEN + 1, h, sizeof h);
}

/* The subdirectory ("ab") and file name ("cdef...") of an id. */
static void split_id(const char *id, char sub[3], const char **name)
{
    sub[0] = id[0];
    sub[1] = id[1];
    sub[2] = '\0';
    *name = id + 2;
}

/* ---- Open and close ---- */

int blobstore_open(const char *dir, const uint8_t key[BLOBSTORE_KEY_LEN], struct blobstore **out,
                   char *err, size_t errsz)
{
    struct blobstore *bs = NULL;
    int rc = -1;
    *out = NULL;
    if (sodium_init() < 0) {
        seterr(err, errsz, "blobstore: libsodium failed to initialise");
        goto cleanup;
    }
    if (fs_mkdir_p(dir, 0700, err, errsz) != 0)
        goto cleanup;
    bs = xcalloc(1, sizeof *bs);
    bs->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (bs->dirfd < 0) {
        seterr(err, errsz, "%s: %s", dir, strerror(errno));
        goto cleanup;
    }
    if (crypto_kdf_derive_from_key(bs->hash_key, sizeof bs->hash_key, KDF_ID_HASH, KDF_CONTEXT,
                                   key) != 0 ||
        crypto_kdf_derive_from_key(bs->seal_key, sizeof bs->seal_key, KDF_ID_SEAL, KDF_CONTEXT,
                                   key) != 0) {
        seterr(err, errsz, "blobstore: key derivation failed");
        goto cleanup;
    }
    *out = bs;
    bs = NULL;
    rc = 0;
cleanup:
    blobstore_close(bs);
    return rc;
}

void blobstore_close(struct blobstore *bs)
{
    if (!bs)
        return;
    sodium_memzero(bs->hash_key, sizeof bs->hash_key);
    sodium_memzero(bs->seal_key, sizeof bs->seal_key);
    close_quietly(bs->dirfd);
    free(bs);
}

/* ---- Put ---- */

/* Seals data into the open file fd: magic, stream header, chunks. */
static int seal_into(const struct blobstore *bs, int fd, const char *id, const uint8_t *data,
                     size_t len)
{
    static const uint8_t empty[1];
    crypto_secretstream_xchacha20poly1305_state st;
    uint8_t header[HEADER_LEN];
    uint8_t *sealed = xmallocarray(SEALED_CHUNK, 1);
    int rc = -1;
    memcpy(header, MAGIC, MAGIC_LEN);
    if (crypto_secretstream_xchacha20poly1305_init_push(&st, header + MAGIC_LEN, bs->seal_key) != 0)
        goto cleanup;
    if (fs_write_all(fd, header, sizeof header) != 0)
        goto cleanup;
    size_t off = 0;
    do {
        size_t n = len - off < BLOBSTORE_CHUNK ? len - off : BLOBSTORE_CHUNK;
        uint8_t tag = off + n == len ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                     : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
        unsigned long long clen;
        if (crypto_secretstream_xchacha20poly1305_push(&st, sealed, &clen, n ? data + off : empty,
                                                       n, (const uint8_t *)id, BLOBSTORE_ID_LEN,
                                                       tag) != 0)
            goto cleanup;
        if (fs_write_all(fd, sealed, (size_t)clen) != 0)
            goto cleanup;
        off += n;
    } while (off < len);
    rc = 0;
cleanup:
    sodium_memzero(&st, sizeof st);
    free(sealed);
    return rc;
}

int blobstore_put(struct blobstore *bs, const uint8_t *data, size_t len,
                  char id_out[BLOBSTORE_ID_LEN + 1], char *err, size_t errsz)
{
    char id[BLOBSTORE_ID_LEN + 1], sub[3], tmp[32];
    const char *name;
    int subfd = -1, fd = -1, rc = -1;
    bool new_sub = false, tmp_made = false;
    struct stat sb;
    id_out[0] = '\0';
    if (len > BLOBSTORE_MAX_BYTES) {
        seterr(err, errsz, "blob: %zu bytes, over the limit of %u", len, BLOBSTORE_MAX_BYTES);
        goto cleanup;
    }
    id_of(bs, data, len, id);
    split_id(id, sub, &name);

    if (mkdirat(bs->dirfd, sub, 0700) == 0)
        new_sub = true;
    else if (errno != EEXIST) {
        seterr(err, errsz, "blob %s: directory: %s", id, strerror(errno));
        goto cleanup;
    }
    subfd = openat(bs->dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (subfd < 0) {
        seterr(err, errsz, "blob %s: directory: %s", id, strerror(errno));
        goto cleanup;
    }
    if (fstatat(subfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
        rc = 0; /* already stored: content addressing makes this a no-op */
        goto cleanup;
    }
    if (errno != ENOENT) {
        seterr(err, errsz, "blob %s: %s", id, strerror(errno));
        goto cleanup;
    }

    for (int attempt = 0; attempt < 4 && fd < 0; attempt++) {
        uint8_t rnd[8];
        char hex[sizeof rnd * 2 + 1];
        randombytes_buf(rnd, sizeof rnd);
        sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
        int n = snprintf(tmp, sizeof tmp, ".tmp-%s", hex);
        if (n < 0 || (size_t)n >= sizeof tmp)
            break;
        fd = openat(subfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        seterr(err, errsz, "blob %s: temporary file: %s", id, strerror(errno));
        goto cleanup;
    }
    tmp_made = true;
    errno = 0;
    if (seal_into(bs, fd, id, data, len) != 0) {
        seterr(err, errsz, "blob %s: write: %s", id, errno ? strerror(errno) : "encryption failed");
        goto cleanup;
    }
    if (fsync(fd) != 0) {
        seterr(err, errsz, "blob %s: fsync: %s", id, strerror(errno));
        goto cleanup;
    }
    int closed = close(fd);
    fd = -1;
    if (closed != 0) {
        seterr(err, errsz, "blob %s: close: %s", id, strerror(errno));
        goto cleanup;
    }
    if (renameat(subfd, tmp, subfd, name) != 0) {
        seterr(err, errsz, "blob %s: rename: %s", id, strerror(errno));
        goto cleanup;
    }
    tmp_made = false;
    if (fsync(subfd) != 0 || (new_sub && fsync(bs->dirfd) != 0)) {
        seterr(err, errsz, "blob %s: fsync directory: %s", id, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    close_quietly(fd);
    if (tmp_made)
        (void)unlinkat(subfd, tmp, 0); /* best effort on a path already failing */
    close_quietly(subfd);
    if (rc == 0)
        memcpy(id_out, id, sizeof id);
    return rc;
}

/* ---- Get ---- */

/* Opens the blob file of a valid id: a descriptor, -2 when absent, -1 on error. */
static int open_blob(const struct blobstore *bs, const char *id, char *err, size_t errsz)
{
    char sub[3];
    const char *name;
    split_id(id, sub, &name);
    int subfd = openat(bs->dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (subfd < 0) {
        if (errno == ENOENT)
            return -2;
        seterr(err, errsz, "blob %s: directory: %s", id, strerror(errno));
        return -1;
    }
    int fd = openat(subfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int saved = errno;
    close_quietly(subfd);
    if (fd < 0) {
        if (saved == ENOENT)
            return -2;
        seterr(err, errsz, "blob %s: %s", id, strerror(saved));
        return -1;
    }
    return fd;
}

int blobstore_get(struct blobstore *bs, const char *id, uint8_t **out, size_t *len, char *err,
                  size_t errsz)
{
    crypto_secretstream_xchacha20poly1305_state st;
    uint8_t header[HEADER_LEN], extra[1];
    uint8_t *sealed = NULL, *plain = NULL;
    size_t plain_len = 0;
    int fd = -1, rc = -1;
    struct stat sb;
    char check[BLOBSTORE_ID_LEN + 1];
    *out = NULL;
    *len = 0;
    memset(&st, 0, sizeof st);
    if (!blobstore_id_valid(id)) {
        seterr(err, errsz, "blob id: not 64 characters 0-9 a-f");
        goto cleanup;
    }
    fd = open_blob(bs, id, err, errsz);
    if (fd == -2) {
        fd = -1;
        rc = 0;
        goto cleanup;
    }
    if (fd < 0)
        goto cleanup;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        seterr(err, errsz, "blob %s: not a regular file", id);
        goto cleanup;
    }
    /* The layout fixes every length from the file size: check it before reading. */
    uint64_t size = (uint64_t)sb.st_size;
    if (size < HEADER_LEN + crypto_secretstream_xchacha20poly1305_ABYTES) {
        seterr(err, errsz, "blob %s: truncated (%llu bytes)", id, (unsigned long long)size);
        goto cleanup;
    }
    uint64_t body = size - HEADER_LEN;
    uint64_t chunks = (body + SEALED_CHUNK - 1) / SEALED_CHUNK;
    uint64_t last = body - (chunks - 1) * SEALED_CHUNK;
    if (last < crypto_secretstream_xchacha20poly1305_ABYTES ||
        body - chunks * crypto_secretstream_xchacha20poly1305_ABYTES > BLOBSTORE_MAX_BYTES) {
        seterr(err, errsz, "blob %s: impossible size (%llu bytes)", id, (unsigned long long)size);
        goto cleanup;
    }
    plain_len = (size_t)(body - chunks * crypto_secretstream_xchacha20poly1305_ABYTES);

    if (read_full(fd, header, sizeof header) != (ssize_t)sizeof header ||
        memcmp(header, MAGIC, MAGIC_LEN) != 0) {
        seterr(err, errsz, "blob %s: not a padron blob", id);
        goto cleanup;
    }
    if (crypto_secretstream_xchacha20poly1305_init_pull(&st, header + MAGIC_LEN, bs->seal_key) !=
        0) {
        seterr(err, errsz, "blob %s: bad stream header", id);
        goto cleanup;
    }
    sealed = xmallocarray(SEALED_CHUNK, 1);
    plain = xmallocarray(plain_len ? plain_len : 1, 1);
    size_t off = 0;
    for (uint64_t i = 0; i < chunks; i++) {
        size_t n = i + 1 == chunks ? (size_t)last : SEALED_CHUNK;
        ssize_t got = read_full(fd, sealed, n);
        if (got != (ssize_t)n) {
            seterr(err, errsz, "blob %s: %s", id, got < 0 ? strerror(errno) : "file shrank");
            goto cleanup;
        }
        unsigned long long mlen;
        uint8_t tag;
        if (crypto_secretstream_xchacha20poly1305_pull(&st, plain + off, &mlen, &tag, sealed, n,
                                                       (const uint8_t *)id,
                                                       BLOBSTORE_ID_LEN) != 0) {
            seterr(err, errsz, "blob %s: authentication failed", id);
            goto cleanup;
        }
        uint8_t want = i + 1 == chunks ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                       : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
        if (tag != want) {
            seterr(err, errsz, "blob %s: %s", id,
                   want == crypto_secretstream_xchacha20poly1305_TAG_FINAL ? "truncated"
                                                                           : "data after the end");
            goto cleanup;
        }
        off += (size_t)mlen;
    }
    if (off != plain_len || read_full(fd, extra, sizeof extra) != 0) {
        seterr(err, errsz, "blob %s: changed while read", id);
        goto cleanup;
    }
    id_of(bs, plain, plain_len, check);
    if (sodium_memcmp(check, id, BLOBSTORE_ID_LEN) != 0) {
        seterr(err, errsz, "blob %s: content does not match its id", id);
        goto cleanup;
    }
    *out = plain;
    *len = plain_len;
    plain = NULL;
    rc = 1;
cleanup:
    sodium_memzero(&st, sizeof st);
    if (plain) {
        sodium_memzero(plain, plain_len);
        free(plain);
    }
    free(sealed);
    close_quietly(fd);
    return rc;
}

/* ---- Remove ---- */

int blobstore_remove(struct blobstore *bs, const char *id, char *err, size_t errsz)
{
    char sub[3];
    const char *name;
    int subfd = -1, rc = -1;
    if (!blobstore_id_valid(id)) {
        seterr(err, errsz, "blob id: not 64 characters 0-9 a-f");
        goto cleanup;
    }
    split_id(id, sub, &name);
    subfd = openat(bs->dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (subfd < 0) {
        if (errno == ENOENT)
            rc = 0;
        else
            seterr(err, errsz, "blob %s: directory: %s", id, strerror(errno));
        goto cleanup;
    }
    if (unlinkat(subfd, name, 0) != 0) {
        if (errno == ENOENT)
            rc = 0;
        else
            seterr(err, errsz, "blob %s: remove: %s", id, strerror(errno));
        goto cleanup;
    }
    if (fsync(subfd) != 0) {
        seterr(err, errsz, "blob %s: fsync directory: %s", id, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    close_quietly(subfd);
    return rc;
}

/* ---- Key file ---- */

static int check_and_read_key(int fd, const char *path, uint8_t key[BLOBSTORE_KEY_LEN], char *err,
                              size_t errsz)
{
    struct stat sb;
    uint8_t extra[1];
    if (fstat(fd, &sb) != 0) {
        seterr(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        seterr(err, errsz, "%s: key file is not a regular file", path);
        return -1;
    }
    if (sb.st_uid != geteuid()) {
        seterr(err, errsz, "%s: key file is owned by uid %ld, not by this user", path,
               (long)sb.st_uid);
        return -1;
    }
    if ((sb.st_mode & 077) != 0) {
        seterr(err, errsz, "%s: key file permissions %04o are wider than 0600", path,
               (unsigned)(sb.st_mode & 07777));
        return -1;
    }
    if (sb.st_size != BLOBSTORE_KEY_LEN) {
        seterr(err, errsz, "%s: key file has %lld bytes, not %d", path, (long long)sb.st_size,
               BLOBSTORE_KEY_LEN);
        return -1;
    }
    if (read_full(fd, key, BLOBSTORE_KEY_LEN) != BLOBSTORE_KEY_LEN ||
        read_full(fd, extra, sizeof extra) != 0) {
        seterr(err, errsz, "%s: key file changed while read", path);
        return -1;
    }
    return 0;
}

/* fsyncs the directory holding path, so a new file's name is durable. */
static int sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    int rc = -1;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0 && fsync(dfd) == 0)
        rc = 0;
    close_quietly(dfd);
    free(dir);
    return rc;
}

int blobstore_key_load_or_create(const char *path, uint8_t key_out[BLOBSTORE_KEY_LEN], char *err,
                                 size_t errsz)
{
    int fd = -1, rc = -1;
    bool created = false;
    if (sodium_init() < 0) {
        seterr(err, errsz, "blobstore: libsodium failed to initialise");
        goto cleanup;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            rc = check_and_read_key(fd, path, key_out, err, errsz);
            goto cleanup;
        }
        if (errno == ELOOP) {
            seterr(err, errsz, "%s: key file is a symbolic link", path);
            goto cleanup;
        }
        if (errno != ENOENT) {
            seterr(err, errsz, "%s: %s", path, strerror(errno));
            goto cleanup;
        }
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0)
            break;
        if (errno != EEXIST) { /* EEXIST: another process won the race; read its key */
            seterr(err, errsz, "%s: cannot create key file: %s", path, strerror(errno));
            goto cleanup;
        }
    }
    if (fd < 0) {
        seterr(err, errsz, "%s: key file keeps appearing and vanishing", path);
        goto cleanup;
    }
    created = true;
    randombytes_buf(key_out, BLOBSTORE_KEY_LEN);
    if (fs_write_all(fd, key_out, BLOBSTORE_KEY_LEN) != 0 || fsync(fd) != 0) {
        seterr(err, errsz, "%s: cannot write key file: %s", path, strerror(errno));
        goto cleanup;
    }
    int closed = close(fd);
    fd = -1;
    if (closed != 0 || sync_parent(path) != 0) {
        seterr(err, errsz, "%s: cannot write key file: %s", path, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    close_quietly(fd);
    if (rc != 0) {
        sodium_memzero(key_out, BLOBSTORE_KEY_LEN);
        if (created)
            (void)unlink(path); /* best effort: a half-written key must not be reused */
    }
    return rc;
}

int blobstore_key_check(const char *path, char *err, size_t errsz)
{
    uint8_t key[BLOBSTORE_KEY_LEN];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        if (errno == ELOOP)
            seterr(err, errsz, "%s: key file is a symbolic link", path);
        else
            seterr(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = check_and_read_key(fd, path, key, err, errsz) == 0 ? 1 : -1;
    sodium_memzero(key, sizeof key);
    close_quietly(fd);
    return rc;
}
