#include "util/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
