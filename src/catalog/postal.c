#include "catalog/postal.h"

#include "catalog/csv.h"
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

/* A normalized line in the import's text buffer. */
struct entry {
    struct fs_span span; /* first: fs_replace_spans writes it */
    char cp[5];
    size_t seq; /* source order, to keep the sort stable */
};

static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    if (!err || errsz == 0)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

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
        set_err(why, whysz, "line longer than %d bytes", CSV_MAX_LINE);
        return -1;
    }
    if (s->latin1) {
        bool ascii = true;
        for (size_t i = 0; i < len && ascii; i++)
            ascii = (unsigned char)line[i] < 0x80;
        /* converting UTF-8 again would silently turn "Á" into "Ã\u0081" */
        if (!ascii && csv_utf8_valid(line, len, NULL)) {
            set_err(why, whysz, "text is already utf-8: import without --latin1");
            return -1;
        }
        *outlen = csv_latin1_to_utf8(line, len, s->conv);
        *out = s->conv;
        return 0;
    }
    if (!csv_utf8_valid(line, len, &bad)) {
        set_err(why, whysz,
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
        set_err(why, whysz, "expected the header line starting with d_codigo");
        return -1;
    }
    if (memchr(line, '\t', len))
        s->fmt = CSV_FORMAT_TSV;
    else if (memchr(line, '|', len))
        s->fmt = CSV_FORMAT_PIPE;
    else {
        set_err(why, whysz, "the header is neither TAB- nor '|'-separated");
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
        set_err(why, whysz, "empty line");
        return -1;
    }
    if (csv_split(&s->rec, s->fmt, line, len, why, whysz) < 0)
        return -1;
    csv_record_trim(&s->rec);
    if (s->rec.count != s->n_header) {
        set_err(why, whysz, "%zu fields where the header has %zu", s->rec.count, s->n_header);
        return -1;
    }
    for (size_t k = 0; k < N_COLS; k++) {
        r->f[k] = s->rec.field[s->idx[k]];
        r->len[k] = s->rec.len[s->idx[k]];
        if (memchr(r->f[k], '\t', r->len[k])) {
            set_err(why, whysz, "%s contains a tab", source_columns[k]);
            return -1;
        }
    }
    if (!postal_valid_code(r->f[COL_CP], r->len[COL_CP])) {
        set_err(why, whysz, "d_codigo '%s' is not a 5-digit postal code", r->f[COL_CP]);
        return -1;
    }
    if (r->len[COL_NAME] == 0) {
        set_err(why, whysz, "empty d_asenta (settlement name)");
        return -1;
    }
    if (parse_code(r->f[COL_STATE], r->len[COL_STATE], 2, &r->state) < 0 || r->state < 1 ||
        r->state > 32) {
        set_err(why, whysz, "c_estado '%s' is not a state code 01-32", r->f[COL_STATE]);
        return -1;
    }
    if (cat && !catalog_state_by_code(cat, r->state)) {
        set_err(why, whysz, "state %02d is not in the inegi catalog", r->state);
        return -1;
    }
    if (parse_code(r->f[COL_MUN], r->len[COL_MUN], 3, &r->mun) < 0 || r->mun < 1) {
        set_err(why, whysz, "c_mnpio '%s' is not a municipality code 001-999", r->f[COL_MUN]);
        return -1;
    }
    if (cat && !catalog_municipality(cat, r->state, r->mun)) {
        set_err(why, whysz, "municipality %02d %03d is not in the inegi catalog", r->state, r->mun);
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

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int c = memcmp(x->cp, y->cp, 5);
    if (c)
        return c;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Reads and validates the whole source into text/rows. */
static int read_source(const struct catalog *cat, const char *src, bool latin1, char **text,
                       struct entry **rows, size_t *n_rows, char *err, size_t errsz)
{
    struct source s;
    struct csv_reader rd;
    struct row r;
    char why[512], cerr[128];
    const char *raw, *line;
    size_t raw_len, len, text_len = 0, text_cap = 0, cap = 0, n = 0;
    int got, rc = -1;

    source_init(&s, latin1);
    if (csv_reader_open(&rd, src, err, errsz) < 0) {
        source_release(&s);
        return -1;
    }
    got = csv_reader_next(&rd, &raw, &raw_len, why, sizeof why);
    if (got <= 0) {
        set_err(err, errsz, "%s: %s", src, got == 0 ? "empty file" : why);
        goto cleanup;
    }
    if (decode(&s, raw, raw_len, &line, &len, why, sizeof why) < 0)
        goto bad_line;
    if (!is_header(line, len)) {
        /* CPdescarga.txt: the first line is SEPOMEX's terms of use */
        got = csv_reader_next(&rd, &raw, &raw_len, why, sizeof why);
        if (got <= 0) {
            set_err(err, errsz, "%s: %s", src, got == 0 ? "no header line" : why);
            goto cleanup;
        }
        if (decode(&s, raw, raw_len, &line, &len, why, sizeof why) < 0)
            goto bad_line;
    }
    if (source_header(&s, line, len, why, sizeof why) < 0)
        goto bad_line;
    while ((got = csv_reader_next(&rd, &raw, &raw_len, why, sizeof why)) > 0) {
        if (decode(&s, raw, raw_len, &line, &len, why, sizeof why) < 0 ||
            source_row(&s, cat, line, len, &r, why, sizeof why) < 0)
            goto bad_line;
        if (n == POSTAL_MAX_ROWS) {
            set_err(why, sizeof why, "more than %d settlements", POSTAL_MAX_ROWS);
            goto bad_line;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            *rows = xreallocarray(*rows, cap, sizeof **rows);
        }
        struct entry *e = &(*rows)[n];
        e->span.off = text_len;
        e->span.len = append_row(text, &text_len, &text_cap, &r);
        memcpy(e->cp, r.f[COL_CP], 5);
        e->seq = n++;
    }
    if (got < 0) {
        set_err(err, errsz, "%s: %s", src, why);
        goto cleanup;
    }
    if (n == 0) {
        set_err(err, errsz, "%s: no settlements after the header", src);
        goto cleanup;
    }
    *n_rows = n;
    rc = 0;
    goto cleanup;
bad_line:
    set_err(err, errsz, "%s: line %lu: %s", src, rd.line, why);
cleanup:
    if (csv_reader_close(&rd, cerr, sizeof cerr) < 0 && rc == 0) {
        set_err(err, errsz, "%s: %s", src, cerr);
        rc = -1;
    }
    source_release(&s);
    return rc;
}

int postal_import(const struct catalog *cat, const char *src, const char *data_dir, bool latin1,
                  struct postal_stats *stats, char *err, size_t errsz)
{
    char dir[PATH_MAX];
    char *text = NULL;
    struct entry *rows = NULL;
    size_t n = 0, codes = 0;
    int rc = -1;

    int w = snprintf(dir, sizeof dir, "%s/catalog", data_dir);
    if (w < 0 || (size_t)w >= sizeof dir) {
        set_err(err, errsz, "%s: data directory path too long", data_dir);
        return -1;
    }
    if (read_source(cat, src, latin1, &text, &rows, &n, err, errsz) < 0)
        goto cleanup;
    qsort(rows, n, sizeof *rows, cmp_entry);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || memcmp(rows[i].cp, rows[i - 1].cp, 5) != 0)
            codes++;

    if (fs_replace_spans(dir, "postal-codes.tsv", normalized_header, text, rows, n, sizeof *rows,
                         err, errsz) < 0)
        goto cleanup;
    stats->settlements = n;
    stats->postal_codes = codes;
    rc = 0;
cleanup:
    free(text);
    free(rows);
    return rc;
}

/* ---- the normalized file ---- */

static int parse_normalized(struct postal_table *t, const char *path, char *err, size_t errsz)
{
    char *p = t->text + sizeof normalized_header - 1;
    unsigned long line = 1;
    size_t bad;
    while (*p) {
        char *f[N_COLS], *end = strchr(p, '\n');
        size_t k = 0;
        line++;
        if (!end) {
            set_err(err, errsz, "%s: line %lu: unterminated line (truncated file?)" IMPORT_HINT,
                    path, line);
            return -1;
        }
        *end = '\0';
        if (!csv_utf8_valid(p, (size_t)(end - p), &bad)) {
            set_err(err, errsz, "%s: line %lu: invalid utf-8" IMPORT_HINT, path, line);
            return -1;
        }
        f[k++] = p;
        for (char *q = p; (q = memchr(q, '\t', (size_t)(end - q))); q++) {
            if (k == N_COLS) {
                k++;
                break;
            }
            *q = '\0';
            f[k++] = q + 1;
        }
        struct postal_settlement *s = &t->rows[t->n];
        if (k != N_COLS || !postal_valid_code(f[0], strlen(f[0])) ||
            parse_code(f[1], strlen(f[1]), 2, &s->state) < 0 ||
            parse_code(f[2], strlen(f[2]), 3, &s->municipality) < 0 || !*f[3]) {
            set_err(err, errsz, "%s: line %lu: malformed settlement" IMPORT_HINT, path, line);
            return -1;
        }
        memcpy(s->cp, f[0], 6);
        if (t->n > 0 && memcmp(t->rows[t->n - 1].cp, s->cp, 5) > 0) {
            set_err(err, errsz, "%s: line %lu: not sorted by postal code" IMPORT_HINT, path, line);
            return -1;
        }
        if (t->n == 0 || memcmp(t->rows[t->n - 1].cp, s->cp, 5) != 0)
            t->n_codes++;
        s->name = f[3];
        s->type = f[4];
        s->zone = f[5];
        s->city = f[6];
        t->n++;
        p = end + 1;
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
        set_err(err, errsz, "%s: data directory path too long", data_dir);
        return -1;
    }
    t = xcalloc(1, sizeof *t);
    int got = fs_read_file(path, POSTAL_MAX_FILE, &t->text, &size, err, errsz);
    if (got == FS_NO_FILE)
        set_err(err, errsz,
                "postal codes have not been imported into %s; import the SEPOMEX catalog "
                "with: padron import postal-codes FILE --data %s",
                data_dir, data_dir);
    if (got != 0) {
        postal_free(t);
        return got == FS_NO_FILE ? POSTAL_NOT_IMPORTED : -1;
    }
    if (memchr(t->text, '\0', size)) {
        set_err(err, errsz, "%s: embedded nul byte" IMPORT_HINT, path);
        goto fail;
    }
    if (size < sizeof normalized_header - 1 ||
        memcmp(t->text, normalized_header, sizeof normalized_header - 1) != 0) {
        set_err(err, errsz, "%s: line 1: not a padron postal-code file" IMPORT_HINT, path);
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
