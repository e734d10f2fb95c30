/* Lines written in key order through a scratch file (keyed_sink.h). */
#include "catalog/keyed_sink.h"

#include "util/alloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct record_head {
    uint32_t key, len;
};

int keyed_sink_init(struct keyed_sink *s, size_t n_keys, const char *dir, char *err, size_t errsz)
{
    char path[PATH_MAX];
    memset(s, 0, sizeof *s);
    int w = snprintf(path, sizeof path, "%s/.import-scratch-XXXXXX", dir);
    if (w < 0 || (size_t)w >= sizeof path) {
        snprintf(err, errsz, "%s: path too long", dir);
        return -1;
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(err, errsz, "%s: cannot create a scratch file: %s", dir, strerror(errno));
        return -1;
    }
    (void)unlink(path);
    s->scratch = fdopen(fd, "w+b");
    if (!s->scratch) {
        snprintf(err, errsz, "%s: cannot open the scratch file: %s", dir, strerror(errno));
        (void)close(fd);
        return -1;
    }
    s->bytes = xcalloc(n_keys, sizeof *s->bytes);
    s->n_keys = n_keys;
    return 0;
}

int keyed_sink_add(struct keyed_sink *s, size_t key, const char *line, size_t len, char *err,
                   size_t errsz)
{
    struct record_head h = {(uint32_t)key, (uint32_t)len};
    if (key >= s->n_keys || len > KEYED_SINK_MAX_LINE) {
        snprintf(err, errsz, "internal: key %zu or length %zu out of range", key, len);
        return -1;
    }
    if (fwrite(&h, sizeof h, 1, s->scratch) != 1 || fwrite(line, 1, len, s->scratch) != len) {
        snprintf(err, errsz, "scratch file: write error: %s", strerror(errno));
        return -1;
    }
    s->bytes[key] += len;
    s->lines++;
    return 0;
}

static int write_all_at(int fd, const char *p, size_t len, uint64_t at)
{
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, (off_t)at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
        at += (uint64_t)n;
    }
    return 0;
}

int keyed_sink_write(struct keyed_sink *s, int fd, uint64_t at, char *err, size_t errsz)
{
    char *buf = NULL;
    int rc = -1;
    for (size_t k = 0; k < s->n_keys; k++) { /* sizes become first offsets */
        uint64_t n = s->bytes[k];
        s->bytes[k] = at;
        at += n;
    }
    if (fflush(s->scratch) != 0 || fseek(s->scratch, 0, SEEK_SET) != 0) {
        snprintf(err, errsz, "scratch file: %s", strerror(errno));
        return -1;
    }
    buf = xmallocarray(KEYED_SINK_MAX_LINE, 1);
    for (uint64_t i = 0; i < s->lines; i++) {
        struct record_head h;
        if (fread(&h, sizeof h, 1, s->scratch) != 1 || h.key >= s->n_keys ||
            h.len > KEYED_SINK_MAX_LINE || fread(buf, 1, h.len, s->scratch) != h.len) {
            snprintf(err, errsz, "scratch file: short read");
            goto cleanup;
        }
        if (write_all_at(fd, buf, h.len, s->bytes[h.key]) < 0) {
            snprintf(err, errsz, "write error: %s", strerror(errno));
            goto cleanup;
        }
        s->bytes[h.key] += h.len;
    }
    rc = 0;
cleanup:
    free(buf);
    return rc;
}

void keyed_sink_release(struct keyed_sink *s)
{
    if (s->scratch)
        (void)fclose(s->scratch);
    free(s->bytes);
    memset(s, 0, sizeof *s);
}
