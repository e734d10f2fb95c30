#include "catalog/diagnoses.h"

#include "catalog/catalog_internal.h"
#include "catalog/csv.h"
#include "catalog/keyed_sink.h"
#include "core/password.h"
#include "util/alloc.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { COL_CODE, COL_DESC, N_COLS };

static const char *const source_columns[N_COLS] = {"codigo", "descripcion"};
static const char *const chapter_column[1] = {"capitulo"};
static const char normalized_header[] = "code\tdescription\tchapter\n";

#define IMPORT_HINT "; re-import with: padron import diagnoses FILE"
#define MAX_WORDS   8

struct diagnoses {
    char *text;   /* the whole file; fields are NUL-terminated slices of it */
    char *folded; /* the descriptions folded, NUL-separated */
    struct diagnosis *rows;
    const char **folded_of; /* per row, into folded */
    size_t n;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* The canonical prefix of a code as typed: a letter, up to two digits, then (after
 * two digits) an optional dot and an optional digit. Returns its length, or 0. */
static size_t code_prefix(const char *s, size_t len, char out[DIAGNOSIS_CODE_SIZE])
{
    size_t at = 0, n = 0;
    trim(&s, &len);
    if (len == 0 || upper(s[0]) < 'A' || upper(s[0]) > 'Z')
        return 0;
    out[n++] = upper(s[at++]);
    while (at < len && n < 3 && is_digit(s[at]))
        out[n++] = s[at++];
    if (n == 3 && at < len && s[at] == '.')
        at++;
    if (n == 3 && at < len && is_digit(s[at]))
        out[n++] = s[at++];
    if (at != len)
        return 0;
    out[n] = '\0';
    return n;
}

int diagnoses_code_normalize(const char *s, size_t len, char out[DIAGNOSIS_CODE_SIZE])
{
    char tmp[DIAGNOSIS_CODE_SIZE];
    const char *t = s;
    size_t tl = len;
    trim(&t, &tl);
    size_t n = code_prefix(t, tl, tmp);
    /* a whole code: 3 or 4 characters, and no dangling dot */
    if (n < 3 || t[tl - 1] == '.')
        return -1;
    memcpy(out, tmp, n + 1);
    return 0;
}

void diagnoses_code_dotted(const char *code, char out[DIAGNOSIS_DOTTED])
{
    size_t n = strnlen(code, DIAGNOSIS_CODE_SIZE - 1);
    if (n == 4)
        snprintf(out, DIAGNOSIS_DOTTED, "%.3s.%c", code, code[3]);
    else
        snprintf(out, DIAGNOSIS_DOTTED, "%.*s", (int)n, code);
}

/* ---- the source CSV ---- */

struct source {
    int idx[N_COLS];
    int chapter; /* column of capitulo, -1 when absent */
    size_t n_header;
    struct csv_record rec;
};

/* A checked row; the strings point into the source's record. */
struct row {
    char code[DIAGNOSIS_CODE_SIZE];
    const char *desc, *chapter;
    size_t desc_len, chapter_len;
};

static int source_header(struct source *s, const char *line, size_t len, char *why, size_t whysz)
{
    if (csv_split(&s->rec, CSV_FORMAT_CSV, line, len, why, whysz) < 0)
        return -1;
    csv_record_trim(&s->rec);
    if (csv_map_columns(&s->rec, source_columns, N_COLS, s->idx, why, whysz) < 0)
        return -1;
    if (csv_map_columns(&s->rec, chapter_column, 1, &s->chapter, NULL, 0) < 0)
        s->chapter = -1;
    s->n_header = s->rec.count;
    return 0;
}

static int source_row(struct source *s, const char *line, size_t len, struct row *r, char *why,
                      size_t whysz)
{
    if (csv_split(&s->rec, CSV_FORMAT_CSV, line, len, why, whysz) < 0)
        return -1;
    csv_record_trim(&s->rec);
    if (s->rec.count != s->n_header) {
        catalog_set_err(why, whysz, "%zu fields where the header has %zu", s->rec.count,
                        s->n_header);
        return -1;
    }
    const char *code = s->rec.field[s->idx[COL_CODE]];
    if (diagnoses_code_normalize(code, s->rec.len[s->idx[COL_CODE]], r->code) < 0) {
        catalog_set_err(why, whysz, "codigo '%.16s' is not a CIE-10 code (like E11 or E11.9)",
                        code);
        return -1;
    }
    r->desc = s->rec.field[s->idx[COL_DESC]];
    r->desc_len = s->rec.len[s->idx[COL_DESC]];
    r->chapter = s->chapter >= 0 ? s->rec.field[s->chapter] : "";
    r->chapter_len = s->chapter >= 0 ? s->rec.len[s->chapter] : 0;
    if (r->desc_len == 0) {
        catalog_set_err(why, whysz, "empty descripcion");
        return -1;
    }
    if (memchr(r->desc, '\t', r->desc_len) || memchr(r->chapter, '\t', r->chapter_len)) {
        catalog_set_err(why, whysz, "a field contains a tab");
        return -1;
    }
    return 0;
}

int diagnoses_parse_line(const char *header, size_t header_len, const char *line, size_t len,
                         char *err, size_t errsz)
{
    struct source s = {.chapter = -1};
    struct row r;
    int rc;
    csv_record_init(&s.rec);
    rc = source_header(&s, header, header_len, err, errsz) < 0 ||
                 source_row(&s, line, len, &r, err, errsz) < 0
             ? -1
             : 0;
    csv_record_release(&s.rec);
    return rc;
}

/* Codes are a letter, two digits and an optional third: 26 * 100 * 11 keys,
 * numbered in the order strcmp sorts the codes ("E11" < "E110" < ... < "E12"). */
#define CODE_KEYS (26 * 100 * 11)

static size_t code_key(const char *code)
{
    size_t k =
        ((size_t)(code[0] - 'A') * 100 + (size_t)(code[1] - '0') * 10 + (size_t)(code[2] - '0')) *
        11;
    return code[3] ? k + 1 + (size_t)(code[3] - '0') : k;
}

/* One import: the source being read, the sorted output being built. */
struct import {
    struct source src;
    struct keyed_sink sink;
    uint32_t *first_line; /* per key: the line that listed the code, 0 for none */
    char line[CSV_MAX_LINE + 32];
};

static enum csv_verdict import_header(void *ctx, const char *line, size_t len, char *why,
                                      size_t whysz)
{
    struct import *im = ctx;
    return source_header(&im->src, line, len, why, whysz) < 0 ? CSV_REFUSED : CSV_TAKEN;
}

static enum csv_verdict import_row(void *ctx, const char *line, size_t len, unsigned long line_no,
                                   char *why, size_t whysz)
{
    struct import *im = ctx;
    struct row r;
    if (len == 0)
        return CSV_SKIPPED;
    if (source_row(&im->src, line, len, &r, why, whysz) < 0)
        return CSV_REFUSED;
    size_t key = code_key(r.code);
    if (im->first_line[key]) {
        catalog_set_err(why, whysz, "code %s listed twice (first at line %lu)", r.code,
                        (unsigned long)im->first_line[key]);
        return CSV_REFUSED;
    }
    if (im->sink.lines == DIAGNOSES_MAX_ROWS) {
        catalog_set_err(why, whysz, "more than %d codes", DIAGNOSES_MAX_ROWS);
        return CSV_STOP;
    }
    im->first_line[key] = line_no > UINT32_MAX ? UINT32_MAX : (uint32_t)line_no;
    /* the record holds at most CSV_MAX_LINE bytes of fields: it fits */
    int n = snprintf(im->line, sizeof im->line, "%s\t%.*s\t%.*s\n", r.code, (int)r.desc_len, r.desc,
                     (int)r.chapter_len, r.chapter);
    return keyed_sink_add(&im->sink, key, im->line, (size_t)n, why, whysz) < 0 ? CSV_STOP
                                                                               : CSV_TAKEN;
}

int diagnoses_import(const char *src, const char *data_dir, const struct csv_observer *observer,
                     size_t *count, struct csv_tally *tally, char *err, size_t errsz)
{
    char dir[PATH_MAX];
    struct fs_replace out;
    struct import *im = xcalloc(1, sizeof *im);
    struct csv_stream stream = {.path = src,
                                .ctx = im,
                                .header = import_header,
                                .row = import_row,
                                .refuse_file_on_refused_row = true,
                                .observer = observer};
    int rc = -1;

    im->src.chapter = -1;
    csv_record_init(&im->src.rec);
    int w = snprintf(dir, sizeof dir, "%s/catalog", data_dir);
    if (w < 0 || (size_t)w >= sizeof dir) {
        catalog_set_err(err, errsz, "%s: data directory path too long", data_dir);
        goto release;
    }
    if (fs_replace_open(&out, dir, DIAGNOSES_FILE, err, errsz) < 0)
        goto release;
    if (keyed_sink_init(&im->sink, CODE_KEYS, dir, err, errsz) < 0)
        goto cleanup;
    im->first_line = xcalloc(CODE_KEYS, sizeof *im->first_line);
    int read = csv_stream_run(&stream, err, errsz);
    if (tally)
        *tally = stream.tally;
    if (read < 0)
        goto cleanup;
    if (im->sink.lines == 0) {
        catalog_set_err(err, errsz, "%s: no codes after the header", src);
        goto cleanup;
    }
    if (fputs(normalized_header, out.f) == EOF || fflush(out.f) != 0) {
        catalog_set_err(err, errsz, "%s: write error: %s", out.tmp, strerror(errno));
        goto cleanup;
    }
    if (keyed_sink_write(&im->sink, fileno(out.f), sizeof normalized_header - 1, err, errsz) < 0 ||
        fs_replace_commit(&out, err, errsz) < 0)
        goto cleanup;
    *count = (size_t)im->sink.lines;
    rc = 0;
cleanup:
    fs_replace_abort(&out);
release:
    keyed_sink_release(&im->sink);
    free(im->first_line);
    csv_record_release(&im->src.rec);
    free(im);
    return rc;
}

/* ---- the normalized file ---- */

static int parse_normalized(struct diagnoses *t, size_t size, const char *path, char *err,
                            size_t errsz)
{
    char *p = t->text + sizeof normalized_header - 1;
    size_t folded_at = 0;
    unsigned long line = 1;
    t->folded = xmallocarray(2 * size + 1, 1);
    while (*p) {
        char *f[3];
        size_t n;
        int k = catalog_split_normalized(&p, f, 3, ++line, path, IMPORT_HINT, err, errsz);
        if (k < 0)
            return -1;
        struct diagnosis *d = &t->rows[t->n];
        if (k != 3 || diagnoses_code_normalize(f[0], strlen(f[0]), d->code) < 0 ||
            strcmp(d->code, f[0]) != 0 || !*f[1] ||
            (t->n > 0 && strcmp(t->rows[t->n - 1].code, d->code) >= 0)) {
            catalog_set_err(err, errsz, "%s: line %lu: malformed or out of order" IMPORT_HINT, path,
                            line);
            return -1;
        }
        d->description = f[1];
        d->chapter = f[2];
        if (password_fold(f[1], strlen(f[1]), t->folded + folded_at, 2 * size + 1 - folded_at,
                          &n) != 0) {
            catalog_set_err(err, errsz, "%s: line %lu: description too long", path, line);
            return -1;
        }
        t->folded_of[t->n] = t->folded + folded_at;
        folded_at += n + 1;
        t->n++;
    }
    return 0;
}

int diagnoses_load(const char *data_dir, struct diagnoses **out, char *err, size_t errsz)
{
    char path[PATH_MAX];
    struct diagnoses *t = NULL;
    size_t size = 0, lines = 0;
    int rc;

    int w = snprintf(path, sizeof path, "%s/catalog/%s", data_dir, DIAGNOSES_FILE);
    if (w < 0 || (size_t)w >= sizeof path) {
        catalog_set_err(err, errsz, "%s: data directory path too long", data_dir);
        return -1;
    }
    t = xcalloc(1, sizeof *t);
    rc = fs_read_file(path, DIAGNOSES_MAX_FILE, &t->text, &size, err, errsz);
    if (rc == FS_NO_FILE)
        catalog_set_err(err, errsz,
                        "the CIE-10 diagnoses have not been imported into %s; import them with: "
                        "padron import diagnoses FILE --data %s",
                        data_dir, data_dir);
    if (rc != 0) {
        rc = rc == FS_NO_FILE ? DIAGNOSES_NOT_IMPORTED : -1;
        goto fail;
    }
    rc = -1;
    if (memchr(t->text, '\0', size)) {
        catalog_set_err(err, errsz, "%s: embedded nul byte" IMPORT_HINT, path);
        goto fail;
    }
    if (size < sizeof normalized_header - 1 ||
        memcmp(t->text, normalized_header, sizeof normalized_header - 1) != 0) {
        catalog_set_err(err, errsz, "%s: line 1: not a padron diagnoses file" IMPORT_HINT, path);
        goto fail;
    }
    for (const char *q = t->text; (q = strchr(q, '\n')); q++)
        lines++;
    t->rows = xmallocarray(lines, sizeof *t->rows);
    t->folded_of = xmallocarray(lines, sizeof *t->folded_of);
    if (parse_normalized(t, size, path, err, errsz) < 0)
        goto fail;
    *out = t;
    return 0;
fail:
    diagnoses_free(t);
    return rc;
}

void diagnoses_free(struct diagnoses *t)
{
    if (!t)
        return;
    free(t->text);
    free(t->folded);
    free(t->rows);
    free(t->folded_of);
    free(t);
}

size_t diagnoses_count(const struct diagnoses *t)
{
    return t ? t->n : 0;
}

/* The first row whose code is >= key. */
static size_t lower_bound(const struct diagnoses *t, const char *key)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->rows[mid].code, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct diagnosis *diagnoses_lookup(const struct diagnoses *t, const char *code)
{
    char key[DIAGNOSIS_CODE_SIZE];
    if (!t || !code || diagnoses_code_normalize(code, strlen(code), key) < 0)
        return NULL;
    size_t at = lower_bound(t, key);
    return at < t->n && strcmp(t->rows[at].code, key) == 0 ? &t->rows[at] : NULL;
}

size_t diagnoses_search(const struct diagnoses *t, const char *query, const struct diagnosis **out,
                        size_t max)
{
    char prefix[DIAGNOSIS_CODE_SIZE], folded[2 * DIAGNOSES_QUERY_MAX + 1];
    const char *words[MAX_WORDS];
    size_t len = query ? strlen(query) : 0, n = 0, plen, flen, nw = 0;
    if (!t || len == 0 || len > DIAGNOSES_QUERY_MAX || max == 0)
        return 0;
    if ((plen = code_prefix(query, len, prefix)) > 0) {
        for (size_t at = lower_bound(t, prefix);
             at < t->n && n < max && strncmp(t->rows[at].code, prefix, plen) == 0; at++)
            out[n++] = &t->rows[at];
        return n;
    }
    if (password_fold(query, len, folded, sizeof folded, &flen) != 0)
        return 0;
    for (char *save = NULL, *w = strtok_r(folded, " \t,.;", &save); w && nw < MAX_WORDS;
         w = strtok_r(NULL, " \t,.;", &save))
        words[nw++] = w;
    if (nw == 0)
        return 0;
    for (size_t i = 0; i < t->n && n < max; i++) {
        size_t k = 0;
        while (k < nw && strstr(t->folded_of[i], words[k]))
            k++;
        if (k == nw)
            out[n++] = &t->rows[i];
    }
    return n;
}
