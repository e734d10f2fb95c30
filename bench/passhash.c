/*
 * bench/passhash.c: argon2id hashes per second on the calling thread.
 *
 *   passhash [M_KIB T HASHES RUNS]
 *
 * Hashes a fixed 12-byte password HASHES times per run with passhash_hash_params
 * (m = M_KIB KiB, t = T; 0 0 or no arguments: the production cost, PASSHASH_MEMLIMIT
 * and PASSHASH_OPSLIMIT), RUNS runs after one warm-up hash (default 20 hashes, 5
 * runs), and prints key=value lines:
 *   m_kib, t, hashes, runs, rate (median hashes/s), ms (median ms per hash),
 *   rates (every run), string (one hash string, to show the encoded cost).
 * Verification costs the same as hashing (it recomputes the hash), so the rate
 * bounds logins as well as enrollments. The bench/passhash script runs it pinned.
 */
#include "crypto/passhash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RUNS 99

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int parse_arg(const char *s, unsigned long long min, unsigned long long max,
                     unsigned long long *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long m_kib = PASSHASH_MEMLIMIT / 1024, t = PASSHASH_OPSLIMIT, hashes = 20,
                       runs = 5;
    if (argc != 1 && argc != 5) {
        fprintf(stderr, "usage: passhash [M_KIB T HASHES RUNS]\n");
        return 2;
    }
    if (argc == 5 && (parse_arg(argv[1], 0, PASSHASH_MEMLIMIT_MAX / 1024, &m_kib) != 0 ||
                      parse_arg(argv[2], 0, PASSHASH_OPSLIMIT_MAX, &t) != 0 ||
                      parse_arg(argv[3], 1, 100000, &hashes) != 0 ||
                      parse_arg(argv[4], 1, MAX_RUNS, &runs) != 0)) {
        fprintf(stderr,
                "passhash: bad argument (M_KIB 8-%u or 0, T 1-%u or 0, HASHES 1-100000, "
                "RUNS 1-%d)\n",
                PASSHASH_MEMLIMIT_MAX / 1024, PASSHASH_OPSLIMIT_MAX, MAX_RUNS);
        return 2;
    }
    if (m_kib == 0)
        m_kib = PASSHASH_MEMLIMIT / 1024;
    if (t == 0)
        t = PASSHASH_OPSLIMIT;
    if (passhash_init() != 0) {
        fprintf(stderr, "passhash: sodium_init failed\n");
        return 1;
    }

    const struct passhash_params params = {t, (size_t)m_kib * 1024};
    const char pw[] = "Bench!pass42";
    char out[PASSHASH_STRBYTES];
    enum passhash_status st = passhash_hash_params(&params, pw, strlen(pw), out);
    if (st != PASSHASH_OK) {
        fprintf(stderr, "passhash: hashing failed: %s\n", passhash_status_code(st));
        return 1;
    }

    double rates[MAX_RUNS];
    for (unsigned long long r = 0; r < runs; r++) {
        double t0 = now();
        for (unsigned long long i = 0; i < hashes; i++) {
            if (passhash_hash_params(&params, pw, strlen(pw), out) != PASSHASH_OK) {
                fprintf(stderr, "passhash: hashing failed\n");
                return 1;
            }
        }
        rates[r] = (double)hashes / (now() - t0);
    }
    if (passhash_verify(out, pw, strlen(pw)) != PASSHASH_OK) {
        fprintf(stderr, "passhash: the last hash does not verify\n");
        return 1;
    }

    printf("m_kib=%llu\nt=%llu\nhashes=%llu\nruns=%llu\nrates=", m_kib, t, hashes, runs);
    for (unsigned long long r = 0; r < runs; r++)
        printf("%s%.2f", r ? " " : "", rates[r]);
    qsort(rates, runs, sizeof rates[0], compare_double);
    double median = runs % 2 ? rates[runs / 2] : (rates[runs / 2 - 1] + rates[runs / 2]) / 2;
    printf("\nrate=%.2f\nms=%.2f\n", median, 1000.0 / median);
    /* The salt and hash are random; only the cost part is of interest. */
    char *salt = strrchr(out, '$');
    if (salt) {
        *salt = '\0';
        salt = strrchr(out, '$');
        if (salt)
            *salt = '\0';
    }
    printf("string=%s$...\n", out);
    return 0;
}
