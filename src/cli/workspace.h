/*
 * workspace: what a command working on the data directory of `padron serve`
 * needs: the configuration (config.h: --data, environment, file) and the store.
 */
#ifndef PADRON_CLI_WORKSPACE_H
#define PADRON_CLI_WORKSPACE_H

#include "cli/config.h"
#include "store/store.h"

#include <limits.h>

struct cli_workspace {
    struct config conf;
    struct store *store;
    char dir[PATH_MAX];
};

/* Loads the configuration (data: the --data option, or NULL) and opens the
 * store. Returns 0, or -1 after printing "padron COMMAND: why" to stderr.
 * cli_workspace_close releases w either way. */
int cli_workspace_open(const char *command, const char *data, struct cli_workspace *w);

/* Closes the store and releases the configuration. */
void cli_workspace_close(struct cli_workspace *w);

#endif
