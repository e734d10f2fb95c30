/* padron import: catalogs padron may not ship (SEPOMEX postal codes) and the
 * IMSS and ISSSTE affiliation rolls. */
#include "cli/commands.h"

#include "catalog/catalog.h"
#include "catalog/csv.h"
#include "catalog/diagnoses.h"
#include "catalog/facility_import.h"
#include "catalog/postal.h"
#include "catalog/roll.h"
#include "cli/import_watch.h"
#include "cli/input.h"
#include "cli/workspace.h"
#include "store/store.h"
#include "util/fs.h"

#include <limits.h>
#include <time.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char usage_text[] =
    "usage: padron import postal-codes FILE [--latin1] [--data DIR] [--catalogs DIR]\n"
    "       padron import facilities FILE [--data DIR] [--catalogs DIR]\n"
    "       padron import affiliations --institution IMSS|ISSSTE FILE [--data DIR]\n"
    "                                  [--skip-invalid]\n"
    "       padron import diagnoses FILE [--data DIR]\n\n"
    "Every import reads FILE a line at a time (its memory does not grow with the file),\n"
    "draws a progress bar on stderr when it is a terminal, and ends with a summary on\n"
    "stderr: lines read, rows taken and refused, the first refused lines with their\n"
    "reasons, and the time taken.\n\n"
    "diagnoses: the CIE-10 (ICD-10, Spanish) catalog referrals name their diagnosis\n"
    "from. ICD-10 is WHO copyright, so padron does not ship it. FILE is CSV (or\n"
    ".csv.gz) with the columns codigo (E11, E119 or E11.9), descripcion and,\n"
    "optionally, capitulo. One bad row or a code listed twice refuses the whole file;\n"
    "it lands in DIR/catalog/diagnoses.tsv, atomically (restart padron serve).\n\n"
    "facilities: a newer cut of the IMSS-Bienestar CLUES catalog (CSV or .csv.gz with\n"
    "the columns of data/clues_imss_bienestar: clues_imb, nombre_de_la_unidad,\n"
    "estatus_de_operacion, nivel_atencion, nombre_de_tipologia, cve_ent, cve_mun,\n"
    "cve_loc, localidad, latitud, longitud). Every row is checked as the vendored file\n"
    "is; one bad row refuses the whole file, naming its line. It lands in\n"
    "DIR/catalog/facilities.csv, atomically, and from then on replaces the vendored\n"
    "facilities for padron serve (restart it) and padron facility.\n\n"
    "affiliations: replaces that institution's roll in DIR/padron.db, atomically: until\n"
    "the import commits, applicants are checked against the previous roll, and a failed\n"
    "import keeps it. FILE is CSV (or .csv.gz) with a header row: curp (required), nss,\n"
    "status (active or inactive; default active), as_of (YYYY-MM-DD); other columns are\n"
    "ignored. A row with an invalid CURP or NSS, or a CURP listed twice, refuses the whole\n"
    "file with its line number, unless --skip-invalid, which skips such rows and reports\n"
    "how many (the first ones by line number).\n\n"
    "postal-codes:\n"
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

static int import_postal_codes(int argc, char **argv)
{
    const char *data = "var", *catalogs = NULL, *file = NULL;
    bool latin1 = false, opts = true;
    char dir[PATH_MAX], err[1024];
    struct catalog *c = NULL;
    struct postal_stats st = {0};
    struct import_watch watch;
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
        if ((r = cli_option_value("--data", argc, argv, &i, &data)) == 0)
            r = cli_option_value("--catalogs", argc, argv, &i, &catalogs);
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
        catalog_load(dir, &c, err, sizeof err) < 0) {
        fprintf(stderr, "padron import postal-codes: %s\n", err);
        goto cleanup;
    }
    import_watch_start(&watch, "import postal-codes", file);
    int imported = postal_import(c, file, data, latin1, &watch.observer, &st, err, sizeof err);
    import_watch_finish(&watch, &st.tally);
    if (imported < 0) {
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

/* The FILE, --data and (when catalogs is not NULL) --catalogs of `padron import
 * WHAT`: 0 to go on, or -1 with the exit status in *status (0 after --help, 2 for
 * a usage error). */
static int file_args(int argc, char **argv, const char *what, const char **file, const char **data,
                     const char **catalogs, int *status)
{
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int r;
        *status = 0;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return -1;
        }
        if (arg[0] != '-' || arg[1] == '\0') {
            if (*file) {
                *status = cli_usage_error(what, "one FILE only ('%s' and '%s')", *file, arg);
                return -1;
            }
            *file = arg;
            continue;
        }
        if ((r = cli_option_value("--data", argc, argv, &i, data)) == 0 && catalogs)
            r = cli_option_value("--catalogs", argc, argv, &i, catalogs);
        if (r <= 0) {
            *status = cli_usage_error(what, "%s option '%s'",
                                      r < 0 ? "missing value for" : "unknown", arg);
            return -1;
        }
    }
    if (!*file) {
        *status = cli_usage_error(what, "FILE is required");
        return -1;
    }
    return 0;
}

static int import_facilities(int argc, char **argv)
{
    const char *data = "var", *catalogs = NULL, *file = NULL;
    char dir[PATH_MAX], err[1024];
    struct facility_import_stats st = {0};
    struct import_watch watch;
    int status;
    if (file_args(argc, argv, "import facilities", &file, &data, &catalogs, &status) != 0)
        return status;
    if (catalog_find_dir(catalogs, dir, sizeof dir, err, sizeof err) < 0) {
        fprintf(stderr, "padron import facilities: %s\n", err);
        return 1;
    }
    import_watch_start(&watch, "import facilities", file);
    int imported = facility_import(dir, file, data, &watch.observer, &st, err, sizeof err);
    import_watch_finish(&watch, &st.tally);
    if (imported < 0) {
        fprintf(stderr, "padron import facilities: %s\n", err);
        return 1;
    }
    printf("imported %zu facilities (%zu in operation with a level of care) into "
           "%s/catalog/" FACILITY_IMPORT_FILE "\n",
           st.facilities, st.operating, data);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "padron import facilities: cannot write the output\n");
        return 1;
    }
    return 0;
}

static int parse_institution(const char *s, enum store_institution *out)
{
    if (strcasecmp(s, "IMSS") == 0)
        *out = STORE_IMSS;
    else if (strcasecmp(s, "ISSSTE") == 0)
        *out = STORE_ISSSTE;
    else
        return -1;
    return 0;
}

/* Reading a roll into an open import. */
struct roll_reading {
    struct store_roll_import *imp;
    struct roll_columns cols;
    struct csv_record rec;
    long today;
    bool skip_invalid, spoiled; /* spoiled: a row was refused and none may be */
    size_t active;
};

static enum csv_verdict roll_header(void *ctx, const char *line, size_t len, char *why,
                                    size_t whysz)
{
    struct roll_reading *rr = ctx;
    if (csv_split(&rr->rec, CSV_FORMAT_CSV, line, len, why, whysz) != 0)
        return CSV_REFUSED;
    csv_record_trim(&rr->rec);
    return roll_map_header(&rr->rec, &rr->cols, why, whysz) == 0 ? CSV_TAKEN : CSV_REFUSED;
}

static enum csv_verdict roll_line(void *ctx, const char *line, size_t len, unsigned long line_no,
                                  char *why, size_t whysz)
{
    struct roll_reading *rr = ctx;
    struct roll_row row;
    (void)line_no;
    if (len == 0)
        return CSV_SKIPPED;
    if (csv_split(&rr->rec, CSV_FORMAT_CSV, line, len, why, whysz) == 0) {
        csv_record_trim(&rr->rec);
        /* once the file is refused, rows are still checked (for the summary) but
         * no longer stored */
        if (roll_parse_row(&rr->cols, &rr->rec, rr->today, &row, why, whysz) == 0 &&
            (rr->spoiled ||
             store_roll_add(rr->imp, row.curp, row.nss, row.active, row.as_of, why, whysz) == 0)) {
            rr->active += row.active;
            return CSV_TAKEN;
        }
    }
    rr->spoiled |= !rr->skip_invalid;
    return CSV_REFUSED;
}

/* Reads the roll at file into an open import; counts what was taken, what was
 * active and what was refused. */
static int read_roll(const char *file, struct store_roll_import *imp, bool skip_invalid,
                     size_t *active, struct csv_tally *tally, char *err, size_t errsz)
{
    struct roll_reading rr = {.imp = imp, .today = cli_today_key(), .skip_invalid = skip_invalid};
    struct import_watch watch;
    struct csv_stream stream = {.path = file,
                                .ctx = &rr,
                                .header = roll_header,
                                .row = roll_line,
                                .refuse_file_on_refused_row = !skip_invalid,
                                .observer = &watch.observer};
    char why[1024];
    csv_record_init(&rr.rec);
    import_watch_start(&watch, "import affiliations", file);
    int rc = csv_stream_run(&stream, why, sizeof why);
    import_watch_finish(&watch, &stream.tally);
    if (rc != 0)
        snprintf(err, errsz, "%.900s (nothing was imported)", why);
    *active = rr.active;
    *tally = stream.tally;
    csv_record_release(&rr.rec);
    return rc;
}

static int import_affiliations(int argc, char **argv)
{
    const char *data = "var", *file = NULL, *institution = NULL;
    bool skip_invalid = false;
    enum store_institution inst;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int r = 0;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(arg, "--skip-invalid") == 0) {
            skip_invalid = true;
            continue;
        }
        if (arg[0] != '-' || arg[1] == '\0') {
            if (file) {
                fprintf(stderr, "padron import affiliations: one FILE only ('%s' and '%s')\n", file,
                        arg);
                return 2;
            }
            file = arg;
            continue;
        }
        if ((r = cli_option_value("--data", argc, argv, &i, &data)) == 0)
            r = cli_option_value("--institution", argc, argv, &i, &institution);
        if (r <= 0) {
            fprintf(stderr, "padron import affiliations: %s option '%s'\n",
                    r < 0 ? "missing value for" : "unknown", arg);
            return 2;
        }
    }
    if (!file || !institution) {
        fprintf(stderr, "padron import affiliations: %s is required\n%s",
                !file ? "FILE" : "--institution", usage_text);
        return 2;
    }
    if (parse_institution(institution, &inst) != 0) {
        fprintf(stderr,
                "padron import affiliations: --institution must be IMSS or ISSSTE, not '%s'\n",
                institution);
        return 2;
    }

    char err[1024] = "";
    struct store *store = NULL;
    struct store_roll_import *imp = NULL;
    size_t rows = 0, active = 0;
    struct csv_tally tally = {0};
    int rc = 1;
    if (fs_mkdir_p(data, 0700, err, sizeof err) != 0 ||
        workspace_store_open_data(data, &store, err, sizeof err) != 0 ||
        store_roll_begin(store, inst, (int64_t)time(NULL), &imp, err, sizeof err) != 0)
        goto cleanup;
    if (read_roll(file, imp, skip_invalid, &active, &tally, err, sizeof err) != 0)
        goto cleanup;
    int committed = store_roll_commit(imp, &rows, err, sizeof err);
    imp = NULL;
    if (committed != 0)
        goto cleanup;
    printf("imported %zu rows (%zu active) into the %s roll", rows, active,
           store_institution_name(inst));
    if (tally.refused)
        printf("; skipped %lu invalid rows", tally.refused);
    printf("\n");
    rc = fflush(stdout) == 0 ? 0 : 1;
cleanup:
    if (rc != 0 && err[0])
        fprintf(stderr, "padron import affiliations: %s\n", err);
    store_roll_abort(imp);
    store_close(store);
    return rc;
}

static int import_diagnoses(int argc, char **argv)
{
    const char *data = "var", *file = NULL;
    char err[1024];
    size_t count = 0;
    struct csv_tally tally = {0};
    struct import_watch watch;
    int status;
    if (file_args(argc, argv, "import diagnoses", &file, &data, NULL, &status) != 0)
        return status;
    import_watch_start(&watch, "import diagnoses", file);
    int imported = diagnoses_import(file, data, &watch.observer, &count, &tally, err, sizeof err);
    import_watch_finish(&watch, &tally);
    if (imported < 0) {
        fprintf(stderr, "padron import diagnoses: %s (nothing was imported)\n", err);
        return 1;
    }
    printf("imported %zu CIE-10 codes into %s/catalog/%s\n", count, data, DIAGNOSES_FILE);
    return fflush(stdout) == 0 ? 0 : 1;
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
    if (strcmp(argv[1], "affiliations") == 0)
        return import_affiliations(argc, argv);
    if (strcmp(argv[1], "facilities") == 0)
        return import_facilities(argc, argv);
    if (strcmp(argv[1], "diagnoses") == 0)
        return import_diagnoses(argc, argv);
    fprintf(stderr, "padron import: unknown catalog '%s'; see padron import --help\n", argv[1]);
    return 2;
}
