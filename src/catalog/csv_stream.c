/* One import loop over the lines of a table (csv_stream.h). */
#include "catalog/csv_stream.h"

#include "catalog/catalog_internal.h"
#include "catalog/csv.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void tell(struct csv_stream *s, const struct csv_reader *rd)
{
    s->tally.bytes_read = csv_reader_offset(rd);
    if (s->observer && s->observer->tick)
        s->observer->tick(s->observer->arg, &s->tally);
}

static void note_refusal(struct csv_tally *t, unsigned long line, const char *why)
{
    if (t->refused < CSV_SHOWN_REFUSALS) {
        /* a longer reason is cut short: the summary shows one line of it */
        size_t n = strnlen(why, CSV_REFUSAL_TEXT - 1);
        t->first[t->refused].line = line;
        memcpy(t->first[t->refused].why, why, n);
        t->first[t->refused].why[n] = '\0';
    }
    t->refused++;
}

/* Reads up to the header; 0, or -1 with err set. */
static int find_header(struct csv_stream *s, struct csv_reader *rd, char *err, size_t errsz)
{
    const char *line;
    size_t len;
    char why[512];
    for (unsigned skipped = 0;; skipped++) {
        int got = csv_reader_next(rd, &line, &len, why, sizeof why);
        if (got <= 0) {
            catalog_set_err(err, errsz, "%s: %s", s->path,
                            got < 0         ? why
                            : rd->line == 0 ? "empty file: a header row is required"
                                            : "no header line");
            return -1;
        }
        s->tally.lines = rd->line;
        enum csv_verdict v = s->header(s->ctx, line, len, why, sizeof why);
        if (v == CSV_TAKEN)
            return 0;
        if (v != CSV_SKIPPED || skipped >= s->max_preamble) {
            catalog_set_err(err, errsz, "%s: line %lu: %s", s->path, rd->line, why);
            return -1;
        }
    }
}

int csv_stream_run(struct csv_stream *s, char *err, size_t errsz)
{
    struct csv_reader rd;
    struct stat st;
    const char *line;
    size_t len;
    char why[512], cerr[128];
    int got, rc = -1;

    memset(&s->tally, 0, sizeof s->tally);
    if (stat(s->path, &st) == 0 && S_ISREG(st.st_mode))
        s->tally.bytes_total = (uint64_t)st.st_size;
    if (csv_reader_open(&rd, s->path, err, errsz) < 0)
        return -1;
    if (find_header(s, &rd, err, errsz) < 0)
        goto cleanup;
    while ((got = csv_reader_next(&rd, &line, &len, why, sizeof why)) > 0) {
        s->tally.lines = rd.line;
        why[0] = '\0';
        enum csv_verdict v = s->row(s->ctx, line, len, rd.line, why, sizeof why);
        if (v == CSV_TAKEN)
            s->tally.taken++;
        else if (v == CSV_REFUSED)
            note_refusal(&s->tally, rd.line, why);
        else if (v == CSV_STOP) {
            catalog_set_err(err, errsz, "%s: line %lu: %s", s->path, rd.line, why);
            goto cleanup;
        }
        if (rd.line % CSV_TICK_ROWS == 0)
            tell(s, &rd);
    }
    if (got < 0) {
        catalog_set_err(err, errsz, "%s: %s", s->path, why);
        goto cleanup;
    }
    if (s->refuse_file_on_refused_row && s->tally.refused > 0) {
        catalog_set_err(err, errsz, "%s: line %lu: %s", s->path, s->tally.first[0].line,
                        s->tally.first[0].why);
        goto cleanup;
    }
    rc = 0;
cleanup:
    tell(s, &rd);
    if (csv_reader_close(&rd, cerr, sizeof cerr) < 0 && rc == 0) {
        catalog_set_err(err, errsz, "%s: %s", s->path, cerr);
        rc = -1;
    }
    return rc;
}
