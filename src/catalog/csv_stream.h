/*
 * csv_stream: one loop for every import that reads a table a line at a time:
 * open the file (plain or gzip), find the header, hand each later line to the
 * caller, count what was taken and what was refused, and tell an observer how
 * far into the file it is.
 *
 * Invariants:
 * - Memory does not grow with the file: one csv_reader buffer, and a tally of a
 *   fixed size that keeps the first CSV_SHOWN_REFUSALS refusals (line and reason)
 *   and only counts the rest.
 * - A refused row does not stop the reading: the whole file is read so that the
 *   summary can say how many rows were refused and where the first ones are. The
 *   caller decides whether one refusal refuses the file (csv_stream_run returns -1
 *   then, with the first refusal in err). A callback may also stop the reading at
 *   once (CSV_STOP), e.g. when the store fails.
 * - Errors name the file and the 1-based line: "FILE: line N: reason".
 * - The observer is called at most every CSV_TICK_ROWS lines and once at the end,
 *   never for nothing; library code draws nothing itself.
 */
#ifndef PADRON_CATALOG_CSV_STREAM_H
#define PADRON_CATALOG_CSV_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CSV_SHOWN_REFUSALS 5
#define CSV_REFUSAL_TEXT   200
#define CSV_TICK_ROWS      4096

/* What a row callback answers. */
enum csv_verdict {
    CSV_TAKEN = 0,    /* the row was taken */
    CSV_SKIPPED = 1,  /* nothing to take (an empty line): neither taken nor refused */
    CSV_REFUSED = -1, /* refused with the reason in why; reading goes on */
    CSV_STOP = -2,    /* a failure that is not the row's (disk, store): stop now */
};

/* How far an import is; filled as it goes. */
struct csv_tally {
    uint64_t bytes_read;  /* of the file as stored (compressed bytes for gzip) */
    uint64_t bytes_total; /* its size, 0 when unknown (a pipe) */
    unsigned long lines;  /* lines read, header included */
    unsigned long taken, refused;
    struct {
        unsigned long line;
        char why[CSV_REFUSAL_TEXT];
    } first[CSV_SHOWN_REFUSALS]; /* the first min(refused, CSV_SHOWN_REFUSALS) */
};

/* Told of the tally now and then (see the invariants). */
struct csv_observer {
    void (*tick)(void *arg, const struct csv_tally *t);
    void *arg;
};

struct csv_stream {
    const char *path;
    void *ctx; /* handed to both callbacks */
    /* Line 1, 2, ... until it answers CSV_TAKEN: CSV_SKIPPED passes over a line
     * before the header (at most max_preamble of them), CSV_REFUSED refuses the
     * file with why. */
    enum csv_verdict (*header)(void *ctx, const char *line, size_t len, char *why, size_t whysz);
    /* Every later line (empty ones too), with its 1-based number. */
    enum csv_verdict (*row)(void *ctx, const char *line, size_t len, unsigned long line_no,
                            char *why, size_t whysz);
    unsigned max_preamble;
    bool refuse_file_on_refused_row;     /* all or nothing: any refused row fails the run */
    const struct csv_observer *observer; /* may be NULL */
    struct csv_tally tally;              /* the outcome, also on failure */
};

/* Reads s->path to the end through the callbacks. Returns 0; or -1 with
 * "PATH: reason" or "PATH: line N: reason" in err when the file cannot be read,
 * has no header, a callback answered CSV_STOP (its why), or (all or nothing) a
 * row was refused (the first refusal). s->tally holds the counts either way. */
int csv_stream_run(struct csv_stream *s, char *err, size_t errsz);

#endif
