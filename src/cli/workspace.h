/*
 * workspace: what the commands that work on `padron serve`'s data directory share:
 * its configuration (file, environment, --data) and its store, opened together.
 * Also where people open padron (public_url, or the listen address).
 */
#ifndef PADRON_CLI_WORKSPACE_H
#define PADRON_CLI_WORKSPACE_H

#include "cli/config.h"
#include "store/store.h"

#include <limits.h>

struct workspace {
    struct config conf;
    struct store *store;
    char dir[PATH_MAX];
};

/* Loads the configuration (with data as --data when not NULL) and opens DIR/padron.db
 * (making DIR, mode 0700, when missing: `padron staff add` may come first).
 * Returns 0, or -1 after printing "padron COMMAND: why" for each problem. Call
 * workspace_close either way. */
int workspace_open(const char *command, const char *data, struct workspace *w);

/* Gives store the mail key of the data directory (DATA/keys/mail.key, made when
 * missing), under which the outbox keeps messages until delivered. Returns 0, or
 * -1 with the reason in err. */
/* Opens the database conf names: the `database` setting (a PostgreSQL URL) when
 * set, else DATA/padron.db. */
int workspace_store_open(const struct config *conf, struct store **out, char *err, size_t errsz);

/* The same for a command that has only the data directory: loads the settings
 * (file, environment) for it first. */
int workspace_store_open_data(const char *data, struct store **out, char *err, size_t errsz);

int workspace_mail_key(struct store *store, const char *data, char *err, size_t errsz);

/* Closes the store and releases the configuration. */
void workspace_close(struct workspace *w);

/* The URL people open padron at, without a final "/": public_url, else
 * http://LISTEN. */
void workspace_public_url(const struct workspace *w, char *out, size_t size);

#endif
