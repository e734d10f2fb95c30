/* catalog_find_dir: where the reference catalogs are. */
#include "catalog/catalog.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- where the catalogs are ---- */

static bool has_catalogs(const char *dir)
{
    char a[PATH_MAX], b[PATH_MAX];
    int x = snprintf(a, sizeof a, "%s/inegi_estados.csv.gz", dir);
    int y = snprintf(b, sizeof b, "%s/inegi_estados.csv", dir);
    if (x < 0 || y < 0 || (size_t)x >= sizeof a || (size_t)y >= sizeof b)
        return false;
    return access(a, R_OK) == 0 || access(b, R_OK) == 0;
}

static int copy_dir(const char *dir, char *out, size_t outsz, char *err, size_t errsz)
{
    int n = snprintf(out, outsz, "%s", dir);
    if (n < 0 || (size_t)n >= outsz) {
        snprintf(err, errsz, "catalog directory path too long: %s", dir);
        return -1;
    }
    return 0;
}

int catalog_find_dir(const char *explicit_dir, char *out, size_t outsz, char *err, size_t errsz)
{
    char exe[PATH_MAX], cand[PATH_MAX];
    const char *env = getenv("PADRON_CATALOGS");
    if (explicit_dir)
        return copy_dir(explicit_dir, out, outsz, err, errsz);
    if (env && *env)
        return copy_dir(env, out, outsz, err, errsz);
    if (has_catalogs("data"))
        return copy_dir("data", out, outsz, err, errsz);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0 && (size_t)n < sizeof exe - 1) {
        exe[n] = '\0';
        for (int up = 0; up < 5; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash || slash == exe)
                break;
            *slash = '\0'; /* first pass: the executable's own directory */
            if (up == 0)
                continue;
            int w = snprintf(cand, sizeof cand, "%s/data", exe);
            if (w > 0 && (size_t)w < sizeof cand && has_catalogs(cand))
                return copy_dir(cand, out, outsz, err, errsz);
        }
    }
    snprintf(err, errsz,
             "no catalog directory found: pass --catalogs DIR or set PADRON_CATALOGS (looked in "
             "./data and beside the executable)");
    return -1;
}
