/*
 * fs: small file-system helpers shared by the commands that own a data directory.
 */
#ifndef PADRON_UTIL_FS_H
#define PADRON_UTIL_FS_H

#include <stddef.h>
#include <sys/types.h>

/* Creates path and its missing parents with mode (like mkdir -p); an existing
 * directory is fine. Returns 0, or -1 with "path: reason" in err. */
int fs_mkdir_p(const char *path, mode_t mode, char *err, size_t errsz);

#endif
