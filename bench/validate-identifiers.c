/*
 * validate-identifiers: in-memory throughput of curp_validate / nss_validate, for
 * bench/identifiers.
 *
 *   validate-identifiers curp|nss FILE RUNS
 *
 * Reads FILE whole and splits it into lines (LF, an optional CR dropped) before any
 * clock is read, so only validation is timed. Then validates every line RUNS times,
 * timing each pass with CLOCK_MONOTONIC. "Today" is fixed (2025-01-01 for CURP
 * birth dates, 2025 for NSS year windowing) so results never depend on the clock.
 * Prints key=value lines: lines, runs, seconds of each pass, the median, the median
 * rate in lines/s, and a histogram of status codes (identical in every pass).
 */
#include "core/civil_date.h"
#include "core/curp.h"
#include "core/nss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RUNS   101
#define MAX_STATUS 32

struct line {
    const char *s;
    size_t len;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, used = 0;
    for (;;) {
        if (used == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *p = realloc(buf, cap);
            if (!p)
                goto fail;
            buf = p;
        }
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (n == 0)
            break;
    }
    if (ferror(f))
        goto fail;
    fclose(f);
    *size = used;
    return buf;
fail:
    free(buf);
    fclose(f);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "curp") != 0 && strcmp(argv[1], "nss") != 0)) {
        fprintf(stderr, "usage: validate-identifiers curp|nss FILE RUNS\n");
        return 2;
    }
    int is_curp = strcmp(argv[1], "curp") == 0;
    int runs = atoi(argv[3]);
    if (runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "validate-identifiers: RUNS must be 1-%d\n", MAX_RUNS);
        return 2;
    }
    size_t size;
    char *data = read_file(argv[2], &size);
    if (!data) {
        fprintf(stderr, "validate-identifiers: reading %s failed\n", argv[2]);
        return 1;
    }

    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    if (size > 0 && data[size - 1] != '\n')
        n++;
    struct line *lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines) {
        fprintf(stderr, "validate-identifiers: out of memory\n");
        return 1;
    }
    size_t k = 0;
    for (size_t start = 0; start < size;) {
        const char *nl = memchr(data + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - data) : size;
        size_t len = end - start;
        if (len > 0 && data[start + len - 1] == '\r')
            len--;
        lines[k].s = data + start;
        lines[k].len = len;
        k++;
        start = end + 1;
    }

    const long today_key = civil_date_key(2025, 1, 1);
    const int current_year = 2025;
    long histogram[MAX_STATUS] = {0};
    double seconds[MAX_RUNS];
    unsigned long disagree = 0;
    for (int run = 0; run < runs; run++) {
        long counts[MAX_STATUS] = {0};
        double t0 = now_seconds();
        if (is_curp) {
            struct curp_result r;
            for (size_t i = 0; i < n; i++)
                counts[curp_validate(lines[i].s, lines[i].len, today_key, &r) % MAX_STATUS]++;
        } else {
            struct nss_result r;
            for (size_t i = 0; i < n; i++)
                counts[nss_validate(lines[i].s, lines[i].len, current_year, &r) % MAX_STATUS]++;
        }
        seconds[run] = now_seconds() - t0;
        for (int s = 0; s < MAX_STATUS; s++) {
            if (run == 0)
                histogram[s] = counts[s];
            else if (histogram[s] != counts[s])
                disagree++; /* cannot happen: validation is pure */
        }
    }
    if (disagree) {
        fprintf(stderr, "validate-identifiers: passes disagree\n");
        return 1;
    }

    printf("lines=%zu\nruns=%d\nseconds=", n, runs);
    for (int run = 0; run < runs; run++)
        printf("%s%.6f", run ? "," : "", seconds[run]);
    qsort(seconds, (size_t)runs, sizeof seconds[0], cmp_double);
    double median = runs % 2 ? seconds[runs / 2] : (seconds[runs / 2 - 1] + seconds[runs / 2]) / 2;
    printf("\nmedian_seconds=%.6f\nrate=%.0f\nns_per_line=%.1f\n", median, (double)n / median,
           median * 1e9 / (double)n);
    long valid = histogram[0];
    printf("valid=%ld\ninvalid=%ld\n", valid, (long)n - valid);
    for (int s = 0; s < MAX_STATUS; s++) {
        if (histogram[s] == 0)
            continue;
        const char *code =
            is_curp ? curp_status_code((enum curp_status)s) : nss_status_code((enum nss_status)s);
        printf("status.%s=%ld\n", code, histogram[s]);
    }
    free(lines);
    free(data);
    return 0;
}
