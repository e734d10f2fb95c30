/* The name-frequency tables of synthetic people (name_frequencies.h). */
#include "catalog/name_frequencies.h"

#include "catalog/csv.h"
#include "catalog/csv_stream.h"
#include "util/alloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FREQUENCY 999999999ull

/* A growing table; names are owned. */
struct owned_table {
    char **names;
    uint64_t *cumulative;
    size_t n, cap;
};

struct name_frequencies {
    struct owned_table men, women, first, second;
    struct synth_tables tables;
};

static void table_add(struct owned_table *t, const char *name, size_t len, uint64_t weight)
{
    if (weight == 0)
        return;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->names = xreallocarray(t->names, t->cap, sizeof *t->names);
        t->cumulative = xreallocarray(t->cumulative, t->cap, sizeof *t->cumulative);
    }
    t->names[t->n] = xstrndup(name, len);
    t->cumulative[t->n] = (t->n ? t->cumulative[t->n - 1] : 0) + weight;
    t->n++;
}

static void table_free(struct owned_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->cumulative);
}

static struct synth_table table_view(const struct owned_table *t)
{
    return (struct synth_table){(const char *const *)t->names, t->cumulative, t->n};
}

/* A frequency cell: digits only, at most MAX_FREQUENCY. */
static int parse_frequency(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0 || len > 9)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

/* One name-frequency file being read through csv_stream. */
struct frequency_reading {
    const char *const *columns;
    size_t n_cols;
    struct owned_table *const *tables;
    struct csv_record rec;
    int index[3];
};

static enum csv_verdict frequency_header(void *ctx, const char *line, size_t len, char *why,
                                         size_t whysz)
{
    struct frequency_reading *fr = ctx;
    return csv_split(&fr->rec, CSV_FORMAT_CSV, line, len, why, whysz) == 0 &&
                   csv_map_columns(&fr->rec, fr->columns, fr->n_cols, fr->index, why, whysz) == 0
               ? CSV_TAKEN
               : CSV_REFUSED;
}

/* Reference data: the first bad row stops the reading. */
static enum csv_verdict frequency_row(void *ctx, const char *line, size_t len,
                                      unsigned long line_no, char *why, size_t whysz)
{
    struct frequency_reading *fr = ctx;
    struct csv_record *rec = &fr->rec;
    if (len == 0)
        return CSV_SKIPPED;
    if (line_no > NAME_FREQ_MAX_ROWS + 1) {
        snprintf(why, whysz, "more than %d rows", NAME_FREQ_MAX_ROWS);
        return CSV_STOP;
    }
    if (csv_split(rec, CSV_FORMAT_CSV, line, len, why, whysz) != 0)
        return CSV_STOP;
    csv_record_trim(rec);
    uint64_t weight[2] = {0, 0};
    const char *name = fr->index[0] < (int)rec->count ? rec->field[fr->index[0]] : "";
    size_t name_len = fr->index[0] < (int)rec->count ? rec->len[fr->index[0]] : 0;
    if (name_len == 0 || name_len > CURP_NAME_MAX || !csv_utf8_valid(name, name_len, NULL)) {
        snprintf(why, whysz, "%s: must be 1-%d bytes of UTF-8", fr->columns[0], CURP_NAME_MAX);
        return CSV_STOP;
    }
    for (size_t k = 1; k < fr->n_cols; k++) {
        int c = fr->index[k];
        if (c >= (int)rec->count || parse_frequency(rec->field[c], rec->len[c], &weight[k - 1])) {
            snprintf(why, whysz, "%s: not a whole number below 10^9", fr->columns[k]);
            return CSV_STOP;
        }
    }
    for (size_t k = 1; k < fr->n_cols; k++)
        table_add(fr->tables[k - 1], name, name_len, weight[k - 1]);
    return CSV_TAKEN;
}

/* Reads file (in dir) with a name column and one or two frequency columns, adding
 * each row to tables[k] with the weight of columns[k + 1]. */
static int read_file(const char *dir, const char *file, const char *const *columns, size_t n_cols,
                     struct owned_table *const *tables, char *err, size_t errsz)
{
    char path[PATH_MAX], why[512];
    struct frequency_reading fr = {.columns = columns, .n_cols = n_cols, .tables = tables};
    struct csv_stream stream = {
        .path = path, .ctx = &fr, .header = frequency_header, .row = frequency_row};
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path) {
        snprintf(err, errsz, "%s: path too long", file);
        return -1;
    }
    if (access(path, R_OK) != 0) {
        snprintf(err, errsz,
                 "%s: cannot read it (%s); pass --names DIR with the name-frequency"
                 " files",
                 path, strerror(errno));
        return -1;
    }
    csv_record_init(&fr.rec);
    int rc = csv_stream_run(&stream, why, sizeof why);
    if (rc != 0)
        snprintf(err, errsz, "%s", why);
    csv_record_release(&fr.rec);
    return rc;
}

int name_frequencies_load(const char *dir, struct name_frequencies **out, char *err, size_t errsz)
{
    static const char *const given_cols[] = {"nombre", "frecuencia"};
    static const char *const surname_cols[] = {"apellido", "frec_primer_apellido",
                                               "frec_segundo_apellido"};
    struct name_frequencies *nf = xcalloc(1, sizeof *nf);
    struct owned_table *men[] = {&nf->men}, *women[] = {&nf->women},
                       *surnames[] = {&nf->first, &nf->second};
    if (read_file(dir, "nombres_hombres.csv", given_cols, 2, men, err, errsz) != 0 ||
        read_file(dir, "nombres_mujeres.csv", given_cols, 2, women, err, errsz) != 0 ||
        read_file(dir, "nombres_apellidos.csv", surname_cols, 3, surnames, err, errsz) != 0)
        goto fail;
    if (!nf->men.n || !nf->women.n || !nf->first.n || !nf->second.n) {
        snprintf(err, errsz, "%s: a name-frequency table has no name with a frequency", dir);
        goto fail;
    }
    nf->tables = (struct synth_tables){table_view(&nf->men), table_view(&nf->women),
                                       table_view(&nf->first), table_view(&nf->second)};
    *out = nf;
    return 0;
fail:
    name_frequencies_free(nf);
    return -1;
}

const struct synth_tables *name_frequencies_tables(const struct name_frequencies *nf)
{
    return &nf->tables;
}

void name_frequencies_free(struct name_frequencies *nf)
{
    if (!nf)
        return;
    table_free(&nf->men);
    table_free(&nf->women);
    table_free(&nf->first);
    table_free(&nf->second);
    free(nf);
}
