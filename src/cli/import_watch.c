/* Progress and summary of padron import (import_watch.h). */
#include "cli/import_watch.h"

#include <stdio.h>
#include <sys/stat.h>

static void tick(void *arg, const struct csv_tally *t)
{
    struct import_watch *w = arg;
    progress_update_bytes(&w->bar, t->bytes_read, (long)t->taken);
}

void import_watch_start(struct import_watch *w, const char *command, const char *path)
{
    struct stat st;
    unsigned long long size = 0;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        size = (unsigned long long)st.st_size;
    w->command = command;
    w->observer.tick = tick;
    w->observer.arg = w;
    progress_start_bytes(&w->bar, command, size);
}

void import_watch_finish(struct import_watch *w, const struct csv_tally *t)
{
    double seconds = progress_finish(&w->bar);
    if (t->lines == 0 && t->bytes_read == 0)
        return; /* nothing was read: the error says why */
    fprintf(stderr, "padron %s: read %lu lines (%.1f MB) in %.2f s: %lu rows taken, %lu refused\n",
            w->command, t->lines, (double)t->bytes_read / 1e6, seconds, t->taken, t->refused);
    unsigned long shown = t->refused < CSV_SHOWN_REFUSALS ? t->refused : CSV_SHOWN_REFUSALS;
    for (unsigned long i = 0; i < shown; i++)
        fprintf(stderr, "  refused line %lu: %s\n", t->first[i].line, t->first[i].why);
    if (t->refused > shown)
        fprintf(stderr, "  ... and %lu more refused rows\n", t->refused - shown);
}
