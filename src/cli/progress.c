/* A progress bar on stderr when it is a terminal (progress.h). */
#include "cli/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, const char *label, long total)
{
    p->label = label;
    p->total = total > 0 ? total : 0;
    p->tty = isatty(STDERR_FILENO) == 1;
    p->started = progress_now();
    p->last_drawn = 0;
}

void progress_update(struct progress *p, long done)
{
    if (!p->tty)
        return;
    double now = progress_now();
    if (now - p->last_drawn < 0.1)
        return;
    p->last_drawn = now;
    double elapsed = now - p->started, rate = elapsed > 0 ? (double)done / elapsed : 0;
    if (p->total) {
        double frac = (double)done / (double)p->total;
        if (frac > 1)
            frac = 1;
        int filled = (int)(frac * BAR_WIDTH);
        char bar[BAR_WIDTH + 1];
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[BAR_WIDTH] = '\0';
        fprintf(stderr, "\r%s [%s] %3.0f%% %ld/%ld  %.0f/s ", p->label, bar, frac * 100, done,
                p->total, rate);
    } else {
        fprintf(stderr, "\r%s %ld  %.0f/s ", p->label, done, rate);
    }
    fflush(stderr);
}

double progress_finish(struct progress *p)
{
    if (p->tty && p->last_drawn > 0)
        fputs("\r\033[K", stderr);
    return progress_now() - p->started;
}
