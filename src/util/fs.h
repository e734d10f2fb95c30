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

#endif
