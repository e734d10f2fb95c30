/*
 * fs: small file-system helpers shared by the commands that own a data directory.
 */
#ifndef PADRON_UTIL_FS_H
#define PADRON_UTIL_FS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Creates path and its missing parents with mode (like mkdir -p); an existing
 * directory is fine. Returns 0, or -1 with "path: reason" in err. */
int fs_mkdir_p(const char *path, mode_t mode, char *err, size_t errsz);

/* Writes all n bytes of p to fd, again after a short write or EINTR. Returns 0, or -1
 * with errno set (EIO when write wrote nothing without saying why). */
int fs_write_all(int fd, const void *p, size_t n);

/* Replacing a file whole: readers see the old file or the new one, never a
 * mixture, and one writer at a time. fs_replace_open creates dir (mode 0700)
 * and dir/NAME.tmp under an exclusive flock (a second writer fails with
 * "another import is running"); the caller writes to r->f; fs_replace_commit
 * flushes, fsyncs, renames NAME.tmp over NAME while still holding the lock,
 * and syncs the directory; fs_replace_abort (after any failure, or instead of
 * committing) removes the temporary file. Both leave r closed. */
struct fs_replace {
    char dir[PATH_MAX], final[PATH_MAX], tmp[PATH_MAX];
    FILE *f; /* open for writing between open and commit/abort */
    bool own_tmp;
};

int fs_replace_open(struct fs_replace *r, const char *dir, const char *name, char *err,
                    size_t errsz);
int fs_replace_commit(struct fs_replace *r, char *err, size_t errsz);
void fs_replace_abort(struct fs_replace *r);

/* A piece of a text buffer. */
struct fs_span {
    size_t off, len;
};

/* Replaces dir/name whole (as fs_replace does) with header, then the spans of text
 * in order: the struct fs_span at the start of each of the n items, stride bytes
 * apart. Returns 0, or -1 with the reason in err (the previous file stays). */
int fs_replace_spans(const char *dir, const char *name, const char *header, const char *text,
                     const void *items, size_t n, size_t stride, char *err, size_t errsz);

/* Reads the regular file at path whole (at most max bytes) into a new buffer *out
 * of *size bytes plus a terminating NUL (the caller frees it; an embedded NUL is
 * the caller's to check). Returns 0, FS_NO_FILE when path does not exist, or -1
 * with "path: reason" in err. */
#define FS_NO_FILE 1
int fs_read_file(const char *path, size_t max, char **out, size_t *size, char *err, size_t errsz);

#endif
