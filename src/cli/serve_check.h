/*
 * serve_check: what `padron serve --check-config` verifies beyond the settings
 * themselves, without starting anything and without writing anything.
 *
 * Invariant: nothing here creates, opens for writing or changes a file. A
 * directory or key that serve would create is reported as "will be created" once
 * the nearest existing parent is found writable; an existing one is checked the
 * way serve would accept it. The listening port is not tried (binding it is
 * starting the service); a port in use is found at start.
 */
#ifndef PADRON_CLI_SERVE_CHECK_H
#define PADRON_CLI_SERVE_CHECK_H

#include "cli/config.h"

#include <stdbool.h>
#include <stdio.h>

/* Checks the data directory (and its keys/, documents/, mail/ and padron.db),
 * the SMTP password file, the catalogs and the imported postal codes for the
 * settings in c. dev: mail goes to the Maildir whatever smtp_url says. Prints one
 * "ok: ..." line per check that passed to out and records each problem in c
 * (config_error). Returns 0, or -1 when a problem was recorded. */
int serve_check(struct config *c, bool dev, FILE *out);

#endif
