/*
 * clock: elapsed time on the monotonic clock, for timeouts that must not move
 * when the wall clock is set.
 */
#ifndef PADRON_UTIL_CLOCK_H
#define PADRON_UTIL_CLOCK_H

#include <time.h>

/* Milliseconds from start (read with clock_gettime(CLOCK_MONOTONIC)) to now. */
int clock_ms_since(const struct timespec *start);

#endif
