/* facility_import: DATA/catalog/facilities.csv, checked whole before it replaces the last one. */
#include "catalog/facility_import.h"

#include "util/fs.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Copies src (gzip or plain: gzread passes plain bytes through) to out, telling
 * the observer how far it is. */
static int copy_plain(const char *src, FILE *out, const struct csv_observer *obs,
                      struct csv_tally *t, char *err, size_t errsz)
{
    char buf[65536];
    struct stat st;
    int n, errnum;
    gzFile in = gzopen(src, "rb");
    if (!in) {
        snprintf(err, errsz, "%s: cannot open: %s", src, errno ? strerror(errno) : "out of memory");
        return -1;
    }
    if (stat(src, &st) == 0 && S_ISREG(st.st_mode))
        t->bytes_total = (uint64_t)st.st_size;
    while ((n = gzread(in, buf, sizeof buf)) > 0) {
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
            t->lines++;
        z_off_t at = gzoffset(in);
        t->bytes_read = at > 0 ? (uint64_t)at : t->bytes_read;
        if (obs && obs->tick)
            obs->tick(obs->arg, t);
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
            snprintf(err, errsz, "write error: %s", strerror(errno));
            (void)gzclose(in);
            return -1;
        }
    }
    if (n < 0) {
        const char *msg = gzerror(in, &errnum);
        snprintf(err, errsz, "%s: %s", src, errnum == Z_ERRNO ? strerror(errno) : msg);
        (void)gzclose(in);
        return -1;
    }
    if (gzclose(in) != Z_OK) {
        snprintf(err, errsz, "%s: truncated or corrupt gzip stream", src);
        return -1;
    }
    return 0;
}

int facility_import(const char *catalog_dir, const char *src, const char *data,
                    const struct csv_observer *observer, struct facility_import_stats *stats,
                    char *err, size_t errsz)
{
    char dir[PATH_MAX], why[1024];
    struct fs_replace out;
    struct catalog *c = NULL;
    int rc = -1;
    int w = snprintf(dir, sizeof dir, "%s/catalog", data);
    if (w < 0 || (size_t)w >= sizeof dir) {
        snprintf(err, errsz, "%s: data directory path too long", data);
        return -1;
    }
    if (access(src, R_OK) != 0) {
        snprintf(err, errsz, "%s: cannot read: %s", src, strerror(errno));
        return -1;
    }
    if (fs_replace_open(&out, dir, FACILITY_IMPORT_FILE, err, errsz) < 0)
        return -1;
    memset(&stats->tally, 0, sizeof stats->tally);
    if (copy_plain(src, out.f, observer, &stats->tally, err, errsz) < 0)
        goto cleanup;
    if (fflush(out.f) != 0) {
        snprintf(err, errsz, "%s: write error: %s", out.tmp, strerror(errno));
        goto cleanup;
    }
    /* check the copy, not the source: what is checked is what lands */
    if (catalog_load_with(catalog_dir, out.tmp, &c, why, sizeof why) < 0) {
        const char *at = strstr(why, out.tmp);
        /* name the operator's file, not our temporary copy */
        if (at == why)
            snprintf(err, errsz, "%s%s (nothing was imported)", src, why + strlen(out.tmp));
        else
            snprintf(err, errsz, "%s (nothing was imported)", why);
        goto cleanup;
    }
    size_t n;
    const struct catalog_facility *f = catalog_facilities(c, &n);
    stats->facilities = n;
    stats->tally.taken = n;
    stats->operating = 0;
    for (size_t i = 0; i < n; i++)
        stats->operating += f[i].status == CATALOG_IN_OPERATION && f[i].level != CATALOG_LEVEL_NA;
    if (fs_replace_commit(&out, err, errsz) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    fs_replace_abort(&out);
    catalog_free(c);
    return rc;
}

int facility_import_load(const char *catalog_dir, const char *data, struct catalog **out,
                         bool *imported, char *err, size_t errsz)
{
    char path[PATH_MAX];
    *imported = false;
    if (data) {
        int w = snprintf(path, sizeof path, "%s/catalog/%s", data, FACILITY_IMPORT_FILE);
        if (w < 0 || (size_t)w >= sizeof path) {
            snprintf(err, errsz, "%s: data directory path too long", data);
            return -1;
        }
        *imported = access(path, F_OK) == 0;
    }
    return catalog_load_with(catalog_dir, *imported ? path : NULL, out, err, errsz);
}
