/*
 * import_watch: what `padron import ...` shows while a file is read and after:
 * a byte progress bar on stderr when it is a terminal (cli/progress.h), fed by
 * the csv_stream observer, and a summary on stderr at the end: lines and bytes
 * read, rows taken and refused, the first refusals with their line numbers, and
 * the time taken. stdout keeps the one "imported ..." line scripts read.
 */
#ifndef PADRON_CLI_IMPORT_WATCH_H
#define PADRON_CLI_IMPORT_WATCH_H

#include "catalog/csv_stream.h"
#include "cli/progress.h"

struct import_watch {
    const char *command; /* "import diagnoses", for the summary's prefix */
    struct progress bar;
    struct csv_observer observer; /* hand &observer to the import */
};

/* Starts watching an import of path (its size is the bar's total). */
void import_watch_start(struct import_watch *w, const char *command, const char *path);

/* Clears the bar and prints the summary of tally to stderr (refusals included
 * also when the import failed). */
void import_watch_finish(struct import_watch *w, const struct csv_tally *tally);

#endif
