/*
 * progress: a one-line progress bar on stderr for the long bulk commands (padron
 * synth, padron crosscheck, padron import), drawn only when stderr is a terminal
 * and at most ten times a second; nothing at all otherwise, so logs and pipes
 * stay clean. Two kinds: items of a known count, or the bytes of a file (for
 * imports, whose row count is known only at the end) with the rows beside them.
 */
#ifndef PADRON_CLI_PROGRESS_H
#define PADRON_CLI_PROGRESS_H

#include <stdbool.h>

struct progress {
    const char *label;
    long total;                     /* 0 when unknown: only the count is shown */
    unsigned long long total_bytes; /* byte bars: the file's size, 0 when unknown */
    bool tty;
    double started, last_drawn; /* monotonic seconds */
};

/* Starts a bar for total items (0: unknown). */
void progress_start(struct progress *p, const char *label, long total);

/* Redraws the bar for done items when a tenth of a second has passed. */
void progress_update(struct progress *p, long done);

/* Starts a bar over the bytes of a file of total_bytes (0: unknown), which also
 * counts rows. */
void progress_start_bytes(struct progress *p, const char *label, unsigned long long total_bytes);

/* Redraws a byte bar for bytes read and rows done, with the rate of rows and the
 * time left, when a tenth of a second has passed. */
void progress_update_bytes(struct progress *p, unsigned long long bytes, long rows);

/* Clears the bar's line; returns the seconds since progress_start. */
double progress_finish(struct progress *p);

/* Monotonic seconds. */
double progress_now(void);

#endif
