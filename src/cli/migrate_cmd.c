/* padron migrate: moves an installation from its SQLite file into a PostgreSQL
 * database (store_migrate), then prints, table by table, the rows and whether the
 * digests of both sides agree. The database URL is a secret (it may hold the
 * password): it is never printed, and it can come from the `database` setting
 * instead of the command line. */
#include "cli/commands.h"

#include "cli/config.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "store/store.h"
#include "util/errbuf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: padron migrate [--from sqlite:PATH] [--to postgresql://...] [--yes] [--data DIR]\n\n"
    "Moves an installation from its SQLite file into a PostgreSQL database: every row of\n"
    "every table, in one transaction on the target, then checked table by table (the rows,\n"
    "and a SHA-256 digest of their values in key order on both sides) before it commits.\n"
    "Both databases are first brought to this padron's schema (the source as `padron\n"
    "serve` would). The target must hold no row in any table: two installations are never\n"
    "mixed. On stdout: one line per table (table, rows, digest ok or DIFFERS); a summary\n"
    "follows on stderr.\n\n"
    "  --from sqlite:PATH  the SQLite file (a bare PATH too); default DIR/padron.db\n"
    "  --to URL            the PostgreSQL database (postgresql://USER@HOST:PORT/DB);\n"
    "                      default: the `database` setting (DIR/padron.conf or\n"
    "                      PADRON_DATABASE), which keeps a password off the command line\n"
    "  --yes               copy without asking (needed when stdin is not a terminal)\n"
    "  --data DIR          the data directory (default ./var)\n\n"
    "Stop every `padron serve` on the SQLite file first: what is written during the move\n"
    "is not carried. Documents, keys and the Maildir are files in DIR, not rows: they stay\n"
    "where they are. Afterwards run `padron serve --data DIR` with `database = URL`.\n\n"
    "Exit status: 0 moved and verified; 1 failed, or a table differs (nothing committed);\n"
    "2 usage error.\n";

struct run {
    struct progress bar;
    bool started;
};

static void on_start(void *ctx, long total)
{
    struct run *r = ctx;
    progress_start(&r->bar, "migrate", total);
    r->started = true;
}

static void on_progress(void *ctx, long copied)
{
    progress_update(&((struct run *)ctx)->bar, copied);
}

/* --from's path: "sqlite:PATH" or a bare PATH. NULL when it names a server. */
static const char *source_path(const char *from)
{
    if (strncmp(from, "sqlite:", 7) == 0)
        return from + 7;
    return store_is_postgresql(from) ? NULL : from;
}

/* The schema version in a SQLite file's header (the user_version at offset 60),
 * read without opening it as a database: opening would turn another program's
 * file to WAL mode. -1 when the file is not a SQLite database. */
static long header_version(const char *path)
{
    unsigned char h[100];
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(h, 1, sizeof h, f) : 0;
    if (f)
        fclose(f);
    if (got < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return -1;
    return (long)h[60] << 24 | (long)h[61] << 16 | (long)h[62] << 8 | (long)h[63];
}

/* The source must be an existing padron database: a missing path would be
 * created, and another program's file would get padron's tables. A padron file
 * whose first commits are still in its WAL has version 0 in the header: its
 * "-wal" file says so, and the store reads the version through it. */
static int check_source(const char *path, char *err, size_t errsz)
{
    struct stat sb;
    char wal[PATH_MAX + 32];
    int version = -1;
    char why[512];
    long header = -1;
    if (stat(path, &sb) != 0)
        errbuf_set(err, errsz, "--from: %s: %s", path, strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        errbuf_set(err, errsz, "--from: %s: not a file", path);
    else if ((size_t)snprintf(wal, sizeof wal, "%s-wal", path) >= sizeof wal)
        errbuf_set(err, errsz, "--from: path too long");
    else if ((header = header_version(path)) < 0 && access(wal, F_OK) != 0)
        errbuf_set(err, errsz, "--from: %s: not a SQLite database", path);
    else if (header <= 0 && access(wal, F_OK) != 0)
        errbuf_set(err, errsz, "--from: %s: not a padron database (no schema version)", path);
    else if (store_probe(path, &version, why, sizeof why) != 0)
        errbuf_set(err, errsz, "--from: %s: %s", path, why);
    else if (version == 0)
        errbuf_set(err, errsz, "--from: %s: not a padron database (no schema version)", path);
    return version > 0 ? 0 : -1;
}

static bool confirmed(const char *path, bool yes)
{
    if (yes)
        return true;
    fprintf(stderr, "padron migrate: copy every row of %s into the PostgreSQL database? [y/N] ",
            path);
    char answer[16];
    return fgets(answer, sizeof answer, stdin) && (answer[0] == 'y' || answer[0] == 'Y');
}

static void print_tables(const struct store_migrate_result *res)
{
    printf("%-22s %10s  %s\n", "table", "rows", "digest");
    for (size_t i = 0; i < res->n; i++) {
        const struct store_migrate_table *t = &res->table[i];
        char rows[48];
        if (t->source_rows == t->target_rows)
            snprintf(rows, sizeof rows, "%ld", t->source_rows);
        else
            snprintf(rows, sizeof rows, "%ld/%ld", t->source_rows, t->target_rows);
        printf("%-22s %10s  %s\n", t->name, rows, t->same ? "ok" : "DIFFERS");
    }
}

int cli_migrate(int argc, char **argv)
{
    const char *data = NULL, *from = NULL, *to = NULL;
    bool yes = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(arg, "--yes") == 0) {
            yes = true;
            continue;
        }
        int r = cli_option_value("--data", argc, argv, &i, &data);
        if (r == 0)
            r = cli_option_value("--from", argc, argv, &i, &from);
        if (r == 0)
            r = cli_option_value("--to", argc, argv, &i, &to);
        if (r <= 0)
            return cli_usage_error("migrate", "%s option '%s'",
                                   r < 0 ? "missing value for" : "unknown", arg);
    }
    if (from && !source_path(from))
        return cli_usage_error("migrate", "--from: the source is a SQLite file (sqlite:PATH)");
    if (to && !store_is_postgresql(to))
        return cli_usage_error("migrate", "--to: not a postgresql:// URL");
    if (!yes && !isatty(STDIN_FILENO))
        return cli_usage_error("migrate", "--yes is needed when stdin is not a terminal");

    struct config conf;
    const char *opt[CONFIG_N] = {NULL};
    opt[CONFIG_DATA] = data;
    config_init(&conf);
    config_load_all(&conf, opt, NULL);
    struct store *source = NULL, *target = NULL;
    struct store_migrate_result *res = calloc(1, sizeof *res);
    struct run run = {0};
    char path[PATH_MAX + 16], err[1024] = "";
    int rc = 1;
    if (!res) {
        fprintf(stderr, "padron migrate: out of memory\n");
        goto cleanup;
    }
    if (conf.n_errors > 0) {
        for (size_t i = 0; i < conf.n_errors && i < CONFIG_MAX_ERRORS; i++)
            fprintf(stderr, "padron migrate: %s\n", conf.errors[i]);
        goto cleanup;
    }
    const char *dir = config_str(&conf, CONFIG_DATA);
    if (!to)
        to = config_str(&conf, CONFIG_DATABASE);
    if (!to) {
        rc = cli_usage_error("migrate", "--to URL is needed (or the database setting)");
        goto cleanup;
    }
    if (from)
        snprintf(path, sizeof path, "%s", source_path(from));
    else if (snprintf(path, sizeof path, "%s/padron.db", dir) >= (int)sizeof path) {
        fprintf(stderr, "padron migrate: --data: path too long\n");
        goto cleanup;
    }
    if (check_source(path, err, sizeof err) != 0)
        goto report;
    if (store_open(path, &source, err, sizeof err) != 0)
        goto report;
    if (store_open(to, &target, err, sizeof err) != 0) {
        /* the message is libpq's or the schema's, never the URL */
        char why[sizeof err];
        memcpy(why, err, sizeof why);
        errbuf_set(err, sizeof err, "--to: %s", why);
        goto report;
    }
    if (!confirmed(path, yes)) {
        fprintf(stderr, "padron migrate: nothing copied\n");
        goto cleanup;
    }
    struct store_migrate_hooks hooks = {on_start, on_progress, &run};
    int moved = store_migrate(source, target, &hooks, res, err, sizeof err);
    double seconds = run.started ? progress_finish(&run.bar) : 0;
    if (moved >= 0 || res->n > 0)
        print_tables(res);
    if (fflush(stdout) != 0)
        fprintf(stderr, "padron migrate: writing the table: %s\n", strerror(errno));
    if (moved < 0)
        goto report;
    if (moved > 0) {
        fprintf(stderr, "padron migrate: the copy differs from the source (DIFFERS above); "
                        "nothing was committed\n");
        goto cleanup;
    }
    fprintf(stderr,
            "migrate: %ld rows in %zu tables copied and verified in %.1f s; committed.\n"
            "Documents, keys and the Maildir stay in %s (files, not rows).\n"
            "Next: padron serve --data %s, with database = the PostgreSQL URL\n"
            "(padron.conf or PADRON_DATABASE).\n",
            res->rows, res->n, seconds, dir, dir);
    rc = 0;
report:
    if (rc != 0 && err[0])
        fprintf(stderr, "padron migrate: %s\n", err);
cleanup:
    store_close(source);
    store_close(target);
    free(res);
    config_release(&conf);
    return rc;
}
