/* A progress bar on stderr when it is a terminal (progress.h). */
#include "cli/progress.h"

#include <stdbool.h>
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
    p->total_bytes = 0;
    p->tty = isatty(STDERR_FILENO) == 1;
    p->started = progress_now();
    p->last_drawn = 0;
}

void progress_start_bytes(struct progress *p, const char *label, unsigned long long total_bytes)
{
    progress_start(p, label, 0);
    p->total_bytes = total_bytes;
}

/* True when the bar is to be drawn now (a terminal, a tenth of a second since). */
static bool due(struct progress *p, double *now)
{
    if (!p->tty)
        return false;
    *now = progress_now();
    if (*now - p->last_drawn < 0.1)
        return false;
    p->last_drawn = *now;
    return true;
}

/* The bar for fraction frac (clamped to 0..1) into bar[BAR_WIDTH + 1]. */
static double fill_bar(char *bar, double frac)
{
    if (frac > 1)
        frac = 1;
    int filled = (int)(frac * BAR_WIDTH);
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    return frac;
}

void progress_update_bytes(struct progress *p, unsigned long long bytes, long rows)
{
    double now;
    if (!due(p, &now))
        return;
    double elapsed = now - p->started, rate = elapsed > 0 ? (double)rows / elapsed : 0;
    if (p->total_bytes) {
        char bar[BAR_WIDTH + 1];
        double frac = fill_bar(bar, (double)bytes / (double)p->total_bytes);
        double left = frac > 0 ? elapsed * (1 - frac) / frac : 0;
        fprintf(stderr, "\r%s [%s] %3.0f%% %.1f/%.1f MB  %ld rows  %.0f rows/s  ETA %ld:%02ld ",
                p->label, bar, frac * 100, (double)bytes / 1e6, (double)p->total_bytes / 1e6, rows,
                rate, (long)left / 60, (long)left % 60);
    } else {
        fprintf(stderr, "\r%s %.1f MB  %ld rows  %.0f rows/s ", p->label, (double)bytes / 1e6, rows,
                rate);
    }
    fflush(stderr);
}

void progress_update(struct progress *p, long done)
{
    double now;
    if (!due(p, &now))
        return;
    double elapsed = now - p->started, rate = elapsed > 0 ? (double)done / elapsed : 0;
    if (p->total) {
        char bar[BAR_WIDTH + 1];
        double frac = fill_bar(bar, (double)done / (double)p->total);
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
