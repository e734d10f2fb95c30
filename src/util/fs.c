#include "util/fs.h"

#include "util/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int make_one(const char *path, mode_t mode, char *err, size_t errsz)
{
    struct stat st;
    if (mkdir(path, mode) == 0)
        return 0;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    snprintf(err, errsz, "%s: %s", path,
             errno == EEXIST ? "exists and is not a directory" : strerror(errno));
    return -1;
}

int fs_write_all(int fd, const void *p, size_t n)
{
    const char *at = p;
    while (n > 0) {
        ssize_t w = write(fd, at, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO; /* nothing written, no reason given */
            return -1;
        }
        at += w;
        n -= (size_t)w;
    }
    return 0;
}

int fs_mkdir_p(const char *path, mode_t mode, char *err, size_t errsz)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf) {
        snprintf(err, errsz, "directory path is empty or longer than %zu bytes", sizeof buf - 1);
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i < len; i++) {
        if (buf[i] != '/' || buf[i - 1] == '/')
            continue;
        buf[i] = '\0';
        if (make_one(buf, mode, err, errsz) != 0)
            return -1;
        buf[i] = '/';
    }
    return make_one(buf, mode, err, errsz);
}

static int fsync_dir(const char *dir, char *err, size_t errsz)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        snprintf(err, errsz, "%s: cannot sync directory: %s", dir, strerror(errno));
        if (fd >= 0)
            (void)close(fd);
        return -1;
    }
    if (close(fd) < 0) {
        snprintf(err, errsz, "%s: cannot sync directory: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int fs_replace_open(struct fs_replace *r, const char *dir, const char *name, char *err,
                    size_t errsz)
{
    struct stat a, b;
    int fd = -1;
    memset(r, 0, sizeof *r);
    int w1 = snprintf(r->dir, sizeof r->dir, "%s", dir);
    int w2 = snprintf(r->final, sizeof r->final, "%s/%s", dir, name);
    int w3 = snprintf(r->tmp, sizeof r->tmp, "%s.tmp", r->final);
    if (w1 < 0 || w2 < 0 || w3 < 0 || (size_t)w1 >= sizeof r->dir ||
        (size_t)w2 >= sizeof r->final || (size_t)w3 >= sizeof r->tmp) {
        snprintf(err, errsz, "%s: data directory path too long", dir);
        return -1;
    }
    if (fs_mkdir_p(dir, 0700, err, errsz) < 0)
        return -1;
    fd = open(r->tmp, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errsz, "%s: cannot create: %s", r->tmp, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        snprintf(err, errsz, "%s: %s", r->tmp,
                 errno == EWOULDBLOCK ? "another import is running" : strerror(errno));
        goto fail;
    }
    /* the file we locked may have just been renamed into place by a writer that
     * finished meanwhile: truncating it would destroy that file */
    if (fstat(fd, &a) < 0 || stat(r->tmp, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
        snprintf(err, errsz, "%s: another import finished meanwhile; try again", r->tmp);
        goto fail;
    }
    r->own_tmp = true;
    if (ftruncate(fd, 0) < 0) {
        snprintf(err, errsz, "%s: cannot truncate: %s", r->tmp, strerror(errno));
        goto fail;
    }
    if (!(r->f = fdopen(fd, "w"))) {
        snprintf(err, errsz, "%s: %s", r->tmp, strerror(errno));
        goto fail;
    }
    return 0;
fail:
    (void)close(fd);
    if (r->own_tmp)
        (void)unlink(r->tmp);
    r->own_tmp = false;
    return -1;
}

int fs_replace_commit(struct fs_replace *r, char *err, size_t errsz)
{
    if (fflush(r->f) != 0 || ferror(r->f) || fsync(fileno(r->f)) < 0) {
        snprintf(err, errsz, "%s: write error: %s", r->tmp, strerror(errno));
        fs_replace_abort(r);
        return -1;
    }
    /* rename before closing: the lock is held until the new file is in place */
    if (rename(r->tmp, r->final) < 0) {
        snprintf(err, errsz, "%s: cannot rename into place: %s", r->final, strerror(errno));
        fs_replace_abort(r);
        return -1;
    }
    r->own_tmp = false;
    int closed = fclose(r->f);
    r->f = NULL;
    if (closed != 0) {
        snprintf(err, errsz, "%s: %s", r->final, strerror(errno));
        return -1;
    }
    return fsync_dir(r->dir, err, errsz);
}

void fs_replace_abort(struct fs_replace *r)
{
    if (r->own_tmp)
        (void)unlink(r->tmp);
    r->own_tmp = false;
    if (r->f)
        (void)fclose(r->f);
    r->f = NULL;
}

int fs_read_file(const char *path, size_t max, char **out, size_t *size, char *err, size_t errsz)
{
    struct stat st;
    size_t got = 0;
    char *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return FS_NO_FILE;
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size > max) {
        snprintf(err, errsz, "%s: not a regular file of at most %zu bytes", path, max);
        goto fail;
    }
    buf = xmallocarray((size_t)st.st_size + 1, 1);
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(err, errsz, "%s: %s", path, r < 0 ? strerror(errno) : "file shrank");
            goto fail;
        }
        got += (size_t)r;
    }
    buf[got] = '\0';
    if (close(fd) < 0) {
        fd = -1;
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        goto fail;
    }
    *out = buf;
    *size = got;
    return 0;
fail:
    if (fd >= 0)
        (void)close(fd); /* already failing; the first error is the one reported */
    free(buf);
    return -1;
}

int fs_replace_spans(const char *dir, const char *name, const char *header, const char *text,
                     const void *items, size_t n, size_t stride, char *err, size_t errsz)
{
    struct fs_replace out;
    size_t header_len = strlen(header);
    if (fs_replace_open(&out, dir, name, err, errsz) < 0)
        return -1;
    if (fwrite(header, 1, header_len, out.f) != header_len)
        goto write_error;
    for (size_t i = 0; i < n; i++) {
        const struct fs_span *span =
            (const struct fs_span *)(const void *)((const char *)items + i * stride);
        if (fwrite(text + span->off, 1, span->len, out.f) != span->len)
            goto write_error;
    }
    return fs_replace_commit(&out, err, errsz);
write_error:
    snprintf(err, errsz, "%s: write error: %s", out.tmp, strerror(errno));
    fs_replace_abort(&out);
    return -1;
}
