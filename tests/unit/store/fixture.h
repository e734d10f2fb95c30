/* The store tests' fixture: a fresh database file in a temporary directory,
 * opened before each test and removed after it. Included by each store test. */
#ifndef PADRON_TESTS_STORE_FIXTURE_H
#define PADRON_TESTS_STORE_FIXTURE_H

#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* An active enrollment: contact, a password hash and a folio. */
static inline void active_account(struct fixture *f, const char *id, const char *curp,
                                  const char *email)
{
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    char err[256];
    assert_int_equal(store_registration_create(f->store, id, curp, h, 1, err, sizeof err), 0);
    struct store_contact c = {.state = 20, .privacy_version = "2026-11"};
    snprintf(c.email, sizeof c.email, "%s", email);
    assert_int_equal(store_registration_set_contact(f->store, id, &c, "es", 2, err, sizeof err), 1);
    assert_int_equal(store_registration_set_password(
                         f->store, id, "$argon2id$v=19$m=19456,t=2,p=1$x", 3, err, sizeof err),
                     1);
    char folio[16];
    snprintf(folio, sizeof folio, "IB26-%.4s-0000", id);
    assert_int_equal(store_registration_submit(f->store, id, folio, 4, err, sizeof err),
                     STORE_SUBMIT_OK);
}

#endif
