/*
 * bench/registration-hashrate.c: the bare argon2id rate that bounds enrollments,
 * for bench/registration.
 *
 *   registration-hashrate HASHES THREADS
 *
 * THREADS threads (C11 threads) share HASHES calls of passhash_hash, the exact call
 * and production cost of PUT .../password (m = 19 MiB, t = 2, p = 1), taking the
 * next one from a shared counter, as the server's WEB_HASH_SLOTS semaphore lets at
 * most one hash per core run. Each thread hashes once first (warm-up, untimed: the
 * first 19 MiB allocation and page faults). Prints key=value lines:
 *   hashes, threads, seconds (wall time of the batch), rate (hashes/s),
 *   cpu (user+system seconds of the whole process, warm-up included),
 *   ms_per_hash_thread (threads * seconds / hashes: one hash's wall time per thread).
 */
#include "crypto/passhash.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <threads.h>
#include <time.h>

#define MAX_THREADS 64

static long total;
static atomic_long next_hash;
static atomic_int failed;
static atomic_int warmed;
static atomic_int go;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int worker(void *arg)
{
    (void)arg;
    static const char pw[] = "Nopal-Azul#Tlayuda7"; /* the driver's password */
    char out[PASSHASH_STRBYTES];
    if (passhash_hash(pw, strlen(pw), out) != PASSHASH_OK)
        atomic_store(&failed, 1);
    atomic_fetch_add(&warmed, 1);
    while (!atomic_load(&go))
        thrd_yield();
    while (!atomic_load(&failed) && atomic_fetch_add(&next_hash, 1) < total)
        if (passhash_hash(pw, strlen(pw), out) != PASSHASH_OK)
            atomic_store(&failed, 1);
    return 0;
}

static long parse_long(const char *s, long min, long max)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= min && v <= max ? v : -1;
}

int main(int argc, char **argv)
{
    long threads;
    if (argc != 3 || (total = parse_long(argv[1], 1, 1000000)) < 0 ||
        (threads = parse_long(argv[2], 1, MAX_THREADS)) < 0) {
        fprintf(stderr, "usage: registration-hashrate HASHES(1-1000000) THREADS(1-%d)\n",
                MAX_THREADS);
        return 2;
    }
    if (passhash_init() != 0) {
        fprintf(stderr, "registration-hashrate: sodium_init failed\n");
        return 1;
    }
    thrd_t t[MAX_THREADS];
    for (long i = 0; i < threads; i++)
        if (thrd_create(&t[i], worker, NULL) != thrd_success) {
            fprintf(stderr, "registration-hashrate: cannot start a thread\n");
            return 1;
        }
    while (atomic_load(&warmed) < threads)
        thrd_yield();
    double t0 = now();
    atomic_store(&go, 1);
    for (long i = 0; i < threads; i++)
        thrd_join(t[i], NULL);
    double seconds = now() - t0;
    if (atomic_load(&failed)) {
        fprintf(stderr, "registration-hashrate: hashing failed\n");
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("hashes=%ld\nthreads=%ld\nseconds=%.4f\nrate=%.3f\ncpu=%.4f\nms_per_hash_thread=%.3f\n",
           total, threads, seconds, (double)total / seconds, cpu,
           1000.0 * (double)threads * seconds / (double)total);
    return 0;
}
