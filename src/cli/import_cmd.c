/* padron import: bring in catalogs padron may not ship (SEPOMEX postal codes). */
#include "cli/commands.h"

#include "catalog/catalog.h"
#include "catalog/postal.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "usage: padron import postal-codes FILE [--latin1] [--data DIR] [--catalogs DIR]\n\n"
    "Imports the SEPOMEX postal-code catalog into DIR/catalog/postal-codes.tsv (DIR\n"
    "defaults to ./var). SEPOMEX allows private use but not redistribution, so padron\n"
    "does not ship it: download it from Correos de México (CPdescarga.txt, also inside\n"
    "the zip) and import it here.\n\n"
    "FILE is either the original CPdescarga.txt (terms line, '|'-separated header,\n"
    "Latin-1: pass --latin1) or a UTF-8 TAB-separated copy whose header starts with\n"
    "d_codigo; gzip-compressed files are read as well. Every row is checked against\n"
    "the INEGI catalogs; one bad row refuses the whole file, naming its line, and the\n"
    "previous import stays in place.\n\n"
    "  --latin1         convert the file from Latin-1 (the original SEPOMEX encoding)\n"
    "  --data DIR       padron's state directory (default ./var)\n"
    "  --catalogs DIR   catalog files (default: $PADRON_CATALOGS, ./data, or the\n"
    "                   data/ of the source tree the binary was built in)\n";

/* "--name VALUE" or "--name=VALUE"; 1 when arg was this option, 0 when not, -1
 * when its value is missing. */
static int option_value(const char *name, int argc, char **argv, int *i, const char **out)
{
    size_t n = strlen(name);
    const char *arg = argv[*i];
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *out = arg + n + 1;
        return **out ? 1 : -1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc || !*argv[*i + 1])
        return -1;
    *out = argv[++*i];
    return 1;
}

static int import_postal_codes(int argc, char **argv)
{
    const char *data = "var", *catalogs = NULL, *file = NULL;
    bool latin1 = false, opts = true;
    char dir[PATH_MAX], err[1024];
    struct catalog *c = NULL;
    struct postal_stats st;
    int rc = 1;

    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int r;
        if (opts && strcmp(arg, "--") == 0) {
            opts = false;
            continue;
        }
        if (!opts || arg[0] != '-' || arg[1] == '\0') {
            if (file) {
                fputs(usage_text, stderr);
                return 2;
            }
            file = arg;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(arg, "--latin1") == 0) {
            latin1 = true;
            continue;
        }
        if ((r = option_value("--data", argc, argv, &i, &data)) == 0)
            r = option_value("--catalogs", argc, argv, &i, &catalogs);
        if (r < 0) {
            fprintf(stderr, "padron import postal-codes: option %s needs a value\n", arg);
            return 2;
        }
        if (r == 0) {
            fprintf(stderr, "padron import postal-codes: unknown option '%s'\n", arg);
            return 2;
        }
    }
    if (!file) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (catalog_find_dir(catalogs, dir, sizeof dir, err, sizeof err) < 0 ||
        catalog_load(dir, &c, err, sizeof err) < 0 ||
        postal_import(c, file, data, latin1, &st, err, sizeof err) < 0) {
        fprintf(stderr, "padron import postal-codes: %s\n", err);
        goto cleanup;
    }
    printf("imported %zu settlements in %zu postal codes into %s/catalog/postal-codes.tsv\n",
           st.settlements, st.postal_codes, data);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        /* the import itself succeeded; only the report was lost */
        fprintf(stderr, "padron import postal-codes: cannot write the output\n");
        goto cleanup;
    }
    rc = 0;
cleanup:
    catalog_free(c);
    return rc;
}

int cli_import(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "postal-codes") == 0)
        return import_postal_codes(argc, argv);
    fprintf(stderr, "padron import: unknown catalog '%s'; see padron import --help\n", argv[1]);
    return 2;
}
