/* The store tests' fixture: a fresh database file in a temporary directory,
 * opened before each test and removed after it. Included by each store test. */
#ifndef PADRON_TESTS_STORE_FIXTURE_H
#define PADRON_TESTS_STORE_FIXTURE_H

#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>

struct fixture {
    char dir[64];
    char path[128];
    struct store *store;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/padron-store-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/padron.db", f->dir);
    char err[256];
    if (store_open(f->path, &f->store, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->store);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

#endif
