/* The geo tests' fixture: the vendored catalogs (data/), loaded once per group
 * into cat. Included by each test that needs them. */
#ifndef PADRON_TESTS_GEO_VENDORED_H
#define PADRON_TESTS_GEO_VENDORED_H

#include "catalog/catalog.h"

#include <limits.h>
#include <stdio.h>

static struct catalog *cat;

static int load_vendored(void)
{
    char dir[PATH_MAX], err[1024];
    if (catalog_find_dir(NULL, dir, sizeof dir, err, sizeof err) < 0 ||
        catalog_load(dir, &cat, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

#endif
