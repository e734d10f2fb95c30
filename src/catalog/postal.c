#include "catalog/postal.h"

#include "catalog/catalog_internal.h"
#include "catalog/csv.h"
#include "catalog/keyed_sink.h"
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
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum { COL_CP, COL_NAME, COL_TYPE, COL_ZONE, COL_CITY, COL_STATE, COL_MUN, N_COLS };

static const char *const source_columns[N_COLS] = {
    "d_codigo", "d_asenta", "d_tipo_asenta", "d_zona", "d_ciudad", "c_estado", "c_mnpio"};

static const char normalized_header[] = "cp\tstate\tmunicipality\tsettlement\ttype\tzone\tcity\n";

#define IMPORT_HINT "; re-import with: padron import postal-codes FILE"

struct postal_table {
    char *text; /* the whole file; fields are NUL-terminated slices of it */
    struct postal_settlement *rows;
    size_t n, n_codes;
};

/* Reading a SEPOMEX source: the format the header announced and one reusable
 * record and conversion buffer, so memory does not grow with line count. */
struct source {
    bool latin1;
    enum csv_format fmt;
    int idx[N_COLS];
    size_t n_header;
    struct csv_record rec;
    char *conv; /* 2 * CSV_MAX_LINE bytes, for Latin-1 input */
};

/* A validated row; the strings point into the source's record. */
struct row {
    const char *f[N_COLS];
    size_t len[N_COLS];
    int state, mun;
};

bool postal_valid_code(const char *s, size_t len)
{
    if (len != 5)
        return false;
    for (size_t i = 0; i < 5; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int parse_code(const char *s, size_t len, size_t width, int *out)
{
    int v = 0;
    if (len != width)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static void source_init(struct source *s, bool latin1)
{
    memset(s, 0, sizeof *s);
    s->latin1 = latin1;
    csv_record_init(&s->rec);
    if (latin1)
        s->conv = xmallocarray(2, CSV_MAX_LINE);
}

static void source_release(struct source *s)
{
    csv_record_release(&s->rec);
    free(s->conv);
    s->conv = NULL;
}

/* Hands back the line as UTF-8: converted from Latin-1 when asked, else checked. */
static int decode(struct source *s, const char *line, size_t len, const char **out, size_t *outlen,
                  char *why, size_t whysz)
{
    size_t bad = 0;
    if (len > CSV_MAX_LINE) {
        catalog_set_err(why, whysz, "line longer than %d bytes", CSV_MAX_LINE);
        return -1;
    }
    if (s->latin1) {
        bool ascii = true;
        for (size_t i = 0; i < len && ascii; i++)
            ascii = (unsigned char)line[i] < 0x80;
        /* converting UTF-8 again would silently turn "Á" into "Ã\u0081" */
        if (!ascii && csv_utf8_valid(line, len, NULL)) {
            catalog_set_err(why, whysz, "text is already utf-8: import without --latin1");
            return -1;
        }
        *outlen = csv_latin1_to_utf8(line, len, s->conv);
        *out = s->conv;
        return 0;
    }
    if (!csv_utf8_valid(line, len, &bad)) {
        catalog_set_err(why, whysz,
                        "invalid utf-8 at byte %zu; if this is the original SEPOMEX CPdescarga.txt "
                        "(latin-1), import it with --latin1",
                        bad + 1);
        return -1;
    }
    *out = line;
    *outlen = len;
    return 0;
}

static bool is_header(const char *s, size_t len)
{
    return len >= 8 && memcmp(s, "d_codigo", 8) == 0;
}

static int source_header(struct source *s, const char *line, size_t len, char *why, size_t whysz)
{
    if (!is_header(line, len)) {
        catalog_set_err(why, whysz, "expected the header line starting with d_codigo");
        return -1;
    }
    if (memchr(line, '\t', len))
        s->fmt = CSV_FORMAT_TSV;
    else if (memchr(line, '|', len))
        s->fmt = CSV_FORMAT_PIPE;
    else {
        catalog_set_err(why, whysz, "the header is neither TAB- nor '|'-separated");
        return -1;
    }
    if (csv_split(&s->rec, s->fmt, line, len, why, whysz) < 0)
        return -1;
    csv_record_trim(&s->rec);
    if (csv_map_columns(&s->rec, source_columns, N_COLS, s->idx, why, whysz) < 0)
        return -1;
    s->n_header = s->rec.count;
    return 0;
}

static int source_row(struct source *s, const struct catalog *cat, const char *line, size_t len,
                      struct row *r, char *why, size_t whysz)
{
    if (len == 0) {
        catalog_set_err(why, whysz, "empty line");
        return -1;
    }
    if (csv_split(&s->rec, s->fmt, line, len, why, whysz) < 0)
        return -1;
    csv_record_trim(&s->rec);
    if (s->rec.count != s->n_header) {
        catalog_set_err(why, whysz, "%zu fields where the header has %zu", s->rec.count,
                        s->n_header);
        return -1;
    }
    for (size_t k = 0; k < N_COLS; k++) {
        r->f[k] = s->rec.field[s->idx[k]];
        r->len[k] = s->rec.len[s->idx[k]];
        if (memchr(r->f[k], '\t', r->len[k])) {
            catalog_set_err(why, whysz, "%s contains a tab", source_columns[k]);
            return -1;
        }
    }
    if (!postal_valid_code(r->f[COL_CP], r->len[COL_CP])) {
        catalog_set_err(why, whysz, "d_codigo '%s' is not a 5-digit postal code", r->f[COL_CP]);
        return -1;
    }
    if (r->len[COL_NAME] == 0) {
        catalog_set_err(why, whysz, "empty d_asenta (settlement name)");
        return -1;
    }
    if (parse_code(r->f[COL_STATE], r->len[COL_STATE], 2, &r->state) < 0 || r->state < 1 ||
        r->state > 32) {
        catalog_set_err(why, whysz, "c_estado '%s' is not a state code 01-32", r->f[COL_STATE]);
        return -1;
    }
    if (cat && !catalog_state_by_code(cat, r->state)) {
        catalog_set_err(why, whysz, "state %02d is not in the inegi catalog", r->state);
        return -1;
    }
    if (parse_code(r->f[COL_MUN], r->len[COL_MUN], 3, &r->mun) < 0 || r->mun < 1) {
        catalog_set_err(why, whysz, "c_mnpio '%s' is not a municipality code 001-999",
                        r->f[COL_MUN]);
        return -1;
    }
    if (cat && !catalog_municipality(cat, r->state, r->mun)) {
        catalog_set_err(why, whysz, "municipality %02d %03d is not in the inegi catalog", r->state,
                        r->mun);
        return -1;
    }
    return 0;
}

/* Appends the normalized form of r to text; returns its length. */
static size_t append_row(char **text, size_t *len, size_t *cap, const struct row *r)
{
    size_t need = 5 + 1 + 2 + 1 + 3 + 1 + r->len[COL_NAME] + 1 + r->len[COL_TYPE] + 1 +
                  r->len[COL_ZONE] + 1 + r->len[COL_CITY] + 1;
    char codes[16];
    if (*cap - *len < need) {
        size_t ncap = *cap ? *cap : 1 << 20;
        while (ncap - *len < need)
            ncap *= 2;
        *text = xreallocarray(*text, ncap, 1);
        *cap = ncap;
    }
    char *p = *text + *len;
    memcpy(p, r->f[COL_CP], 5);
    /* state <= 32 and municipality <= 999 were checked: exactly 8 characters */
    (void)snprintf(codes, sizeof codes, "\t%02d\t%03d\t", r->state, r->mun);
    memcpy(p + 5, codes, 8);
    p += 13;
    static const int order[] = {COL_NAME, COL_TYPE, COL_ZONE, COL_CITY};
    for (size_t k = 0; k < 4; k++) {
        memcpy(p, r->f[order[k]], r->len[order[k]]);
        p += r->len[order[k]];
        *p++ = k == 3 ? '\n' : '\t';
    }
    *len += need;
    return need;
}

/* One import: the source being read, the sorted output being built. */
struct import {
    const struct catalog *cat;
    struct source src;
    struct keyed_sink sink;
    char *line; /* one normalized line, reused */
    size_t line_cap;
    unsigned long header_tries;
    size_t codes;
};

static enum csv_verdict import_header(void *ctx, const char *raw, size_t raw_len, char *why,
                                      size_t whysz)
{
    struct import *im = ctx;
    const char *line;
    size_t len;
    if (decode(&im->src, raw, raw_len, &line, &len, why, whysz) < 0)
        return CSV_REFUSED;
    /* CPdescarga.txt: the first line is SEPOMEX's terms of use */
    if (im->header_tries++ == 0 && !is_header(line, len))
        return CSV_SKIPPED;
    return source_header(&im->src, line, len, why, whysz) < 0 ? CSV_REFUSED : CSV_TAKEN;
}

static enum csv_verdict import_row(void *ctx, const char *raw, size_t raw_len,
                                   unsigned long line_no, char *why, size_t whysz)
{
    struct import *im = ctx;
    struct row r;
    const char *line;
    size_t len, out_len = 0;
    (void)line_no;
    if (decode(&im->src, raw, raw_len, &line, &len, why, whysz) < 0 ||
        source_row(&im->src, im->cat, line, len, &r, why, whysz) < 0)
        return CSV_REFUSED;
    if (im->sink.lines == POSTAL_MAX_ROWS) {
        catalog_set_err(why, whysz, "more than %d settlements", POSTAL_MAX_ROWS);
        return CSV_STOP;
    }
    size_t key = 0;
    for (size_t i = 0; i < 5; i++)
        key = key * 10 + (size_t)(r.f[COL_CP][i] - '0');
    (void)append_row(&im->line, &out_len, &im->line_cap, &r);
    if (im->sink.bytes[key] == 0)
        im->codes++;
    return keyed_sink_add(&im->sink, key, im->line, out_len, why, whysz) < 0 ? CSV_STOP : CSV_TAKEN;
}

int postal_import(const struct catalog *cat, const char *src, const char *data_dir, bool latin1,
                  const struct csv_observer *observer, struct postal_stats *stats, char *err,
                  size_t errsz)
{
    char dir[PATH_MAX];
    struct fs_replace out;
    struct import im = {.cat = cat};
    struct csv_stream stream = {.path = src,
                                .ctx = &im,
                                .header = import_header,
                                .row = import_row,
                                .max_preamble = 1,
                                .refuse_file_on_refused_row = true,
                                .observer = observer};
    int rc = -1;

    memset(stats, 0, sizeof *stats);
    int w = snprintf(dir, sizeof dir, "%s/catalog", data_dir);
    if (w < 0 || (size_t)w >= sizeof dir) {
        catalog_set_err(err, errsz, "%s: data directory path too long", data_dir);
        return -1;
    }
    source_init(&im.src, latin1);
    if (fs_replace_open(&out, dir, "postal-codes.tsv", err, errsz) < 0) {
        source_release(&im.src);
        return -1;
    }
    if (keyed_sink_init(&im.sink, 100000, dir, err, errsz) < 0)
        goto cleanup;
    int read = csv_stream_run(&stream, err, errsz);
    stats->tally = stream.tally;
    if (read < 0)
        goto cleanup;
    if (im.sink.lines == 0) {
        catalog_set_err(err, errsz, "%s: no settlements after the header", src);
        goto cleanup;
    }
    if (fputs(normalized_header, out.f) == EOF || fflush(out.f) != 0) {
        catalog_set_err(err, errsz, "%s: write error: %s", out.tmp, strerror(errno));
        goto cleanup;
    }
    if (keyed_sink_write(&im.sink, fileno(out.f), sizeof normalized_header - 1, err, errsz) < 0 ||
        fs_replace_commit(&out, err, errsz) < 0)
        goto cleanup;
    stats->settlements = (size_t)im.sink.lines;
    stats->postal_codes = im.codes;
    rc = 0;
cleanup:
    fs_replace_abort(&out);
    keyed_sink_release(&im.sink);
    source_release(&im.src);
    free(im.line);
    return rc;
}

/* ---- the normalized file ---- */

static int parse_normalized(struct postal_table *t, const char *path, char *err, size_t errsz)
{
    char *p = t->text + sizeof normalized_header - 1;
    unsigned long line = 1;
    while (*p) {
        char *f[N_COLS];
        int k = catalog_split_normalized(&p, f, N_COLS, ++line, path, IMPORT_HINT, err, errsz);
        if (k < 0)
            return -1;
        struct postal_settlement *s = &t->rows[t->n];
        if (k != N_COLS || !postal_valid_code(f[0], strlen(f[0])) ||
            parse_code(f[1], strlen(f[1]), 2, &s->state) < 0 ||
            parse_code(f[2], strlen(f[2]), 3, &s->municipality) < 0 || !*f[3]) {
            catalog_set_err(err, errsz, "%s: line %lu: malformed settlement" IMPORT_HINT, path,
                            line);
            return -1;
        }
        memcpy(s->cp, f[0], 6);
        if (t->n > 0 && memcmp(t->rows[t->n - 1].cp, s->cp, 5) > 0) {
            catalog_set_err(err, errsz, "%s: line %lu: not sorted by postal code" IMPORT_HINT, path,
                            line);
            return -1;
        }
        if (t->n == 0 || memcmp(t->rows[t->n - 1].cp, s->cp, 5) != 0)
            t->n_codes++;
        s->name = f[3];
        s->type = f[4];
        s->zone = f[5];
        s->city = f[6];
        t->n++;
    }
    return 0;
}

int postal_load(const char *data_dir, struct postal_table **out, char *err, size_t errsz)
{
    char path[PATH_MAX];
    struct postal_table *t = NULL;
    size_t size = 0, lines = 0;
    int w = snprintf(path, sizeof path, "%s/catalog/postal-codes.tsv", data_dir);
    if (w < 0 || (size_t)w >= sizeof path) {
        catalog_set_err(err, errsz, "%s: data directory path too long", data_dir);
        return -1;
    }
    t = xcalloc(1, sizeof *t);
    int got = fs_read_file(path, POSTAL_MAX_FILE, &t->text, &size, err, errsz);
    if (got == FS_NO_FILE)
        catalog_set_err(err, errsz,
                        "postal codes have not been imported into %s; import the SEPOMEX catalog "
                        "with: padron import postal-codes FILE --data %s",
                        data_dir, data_dir);
    if (got != 0) {
        postal_free(t);
        return got == FS_NO_FILE ? POSTAL_NOT_IMPORTED : -1;
    }
    if (memchr(t->text, '\0', size)) {
        catalog_set_err(err, errsz, "%s: embedded nul byte" IMPORT_HINT, path);
        goto fail;
    }
    if (size < sizeof normalized_header - 1 ||
        memcmp(t->text, normalized_header, sizeof normalized_header - 1) != 0) {
        catalog_set_err(err, errsz, "%s: line 1: not a padron postal-code file" IMPORT_HINT, path);
        goto fail;
    }
    for (const char *q = t->text; (q = memchr(q, '\n', size - (size_t)(q - t->text))); q++)
        lines++;
    t->rows = xmallocarray(lines, sizeof *t->rows);
    if (parse_normalized(t, path, err, errsz) < 0)
        goto fail;
    *out = t;
    return 0;
fail:
    postal_free(t);
    return -1;
}

void postal_free(struct postal_table *t)
{
    if (!t)
        return;
    free(t->text);
    free(t->rows);
    free(t);
}

const struct postal_settlement *postal_lookup(const struct postal_table *t, const char *cp,
                                              size_t *n)
{
    size_t lo = 0, hi = t->n, end;
    *n = 0;
    if (!postal_valid_code(cp, strlen(cp)))
        return NULL;
    while (lo < hi) { /* first row >= cp */
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(t->rows[mid].cp, cp, 5) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < t->n && memcmp(t->rows[end].cp, cp, 5) == 0; end++)
        ;
    *n = end - lo;
    return *n ? &t->rows[lo] : NULL;
}

void postal_table_stats(const struct postal_table *t, struct postal_stats *stats)
{
    stats->settlements = t->n;
    stats->postal_codes = t->n_codes;
}

int postal_parse_line(const struct catalog *cat, const char *header, size_t header_len,
                      const char *line, size_t len, bool latin1, char *err, size_t errsz)
{
    struct source s;
    struct row r;
    const char *text;
    size_t text_len;
    char *out = NULL;
    size_t out_len = 0, out_cap = 0;
    int rc = -1;

    source_init(&s, latin1);
    if (decode(&s, header, header_len, &text, &text_len, err, errsz) < 0 ||
        source_header(&s, text, text_len, err, errsz) < 0)
        goto cleanup;
    if (decode(&s, line, len, &text, &text_len, err, errsz) < 0 ||
        source_row(&s, cat, text, text_len, &r, err, errsz) < 0)
        goto cleanup;
    (void)append_row(&out, &out_len, &out_cap, &r);
    rc = 0;
cleanup:
    free(out);
    source_release(&s);
    return rc;
}
