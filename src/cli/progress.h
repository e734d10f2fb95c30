/*
 * progress: a one-line progress bar on stderr for the long bulk commands (padron
 * synth, padron crosscheck), drawn only when stderr is a terminal and at most
 * ten times a second; nothing at all otherwise, so logs and pipes stay clean.
 */
#ifndef PADRON_CLI_PROGRESS_H
#define PADRON_CLI_PROGRESS_H

#include <stdbool.h>

struct progress {
    const char *label;
    long total; /* 0 when unknown: only the count is shown */
    bool tty;
    double started, last_drawn; /* monotonic seconds */
};

/* Starts a bar for total items (0: unknown). */
void progress_start(struct progress *p, const char *label, long total);

/* Redraws the bar for done items when a tenth of a second has passed. */
void progress_update(struct progress *p, long done);

/* Clears the bar's line; returns the seconds since progress_start. */
double progress_finish(struct progress *p);

/* Monotonic seconds. */
double progress_now(void);

#endif
