#include "catalog/diagnoses.h"

#include "catalog/csv.h"
#include "core/password.h"
#include "util/alloc.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
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
        set_err(why, whysz, "%zu fields where the header has %zu", s->rec.count, s->n_header);
        return -1;
    }
    const char *code = s->rec.field[s->idx[COL_CODE]];
    if (diagnoses_code_normalize(code, s->rec.len[s->idx[COL_CODE]], r->code) < 0) {
        set_err(why, whysz, "codigo '%.16s' is not a CIE-10 code (like E11 or E11.9)", code);
        return -1;
    }
    r->desc = s->rec.field[s->idx[COL_DESC]];
    r->desc_len = s->rec.len[s->idx[COL_DESC]];
    r->chapter = s->chapter >= 0 ? s->rec.field[s->chapter] : "";
    r->chapter_len = s->chapter >= 0 ? s->rec.len[s->chapter] : 0;
    if (r->desc_len == 0) {
        set_err(why, whysz, "empty descripcion");
        return -1;
    }
    if (memchr(r->desc, '\t', r->desc_len) || memchr(r->chapter, '\t', r->chapter_len)) {
        set_err(why, whysz, "a field contains a tab");
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

/* A normalized line in the import's text buffer. */
struct entry {
    struct fs_span span; /* first: fs_replace_spans writes it */
    char code[DIAGNOSIS_CODE_SIZE];
    unsigned long line;
};

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->code, ((const struct entry *)b)->code);
}

static void append(char **text, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t want = *cap ? *cap : 1 << 16;
        while (want < *len + n + 1)
            want *= 2;
        *text = xreallocarray(*text, want, 1);
        *cap = want;
    }
    memcpy(*text + *len, s, n);
    *len += n;
}

/* Reads and checks the whole source: the normalized lines in *text, one entry each. */
static int read_source(const char *src, char **text, struct entry **rows, size_t *n_rows, char *err,
                       size_t errsz)
{
    struct csv_reader rd;
    struct source s = {.chapter = -1};
    struct row r;
    const char *line;
    size_t len, n = 0, cap_rows = 0, text_len = 0, text_cap = 0;
    char why[512], cerr[256];
    int got, rc = -1;

    if (csv_reader_open(&rd, src, err, errsz) < 0)
        return -1;
    csv_record_init(&s.rec);
    got = csv_reader_next(&rd, &line, &len, why, sizeof why);
    if (got == 0) {
        set_err(err, errsz, "%s: empty file", src);
        goto cleanup;
    }
    if (got < 0 || source_header(&s, line, len, why, sizeof why) < 0)
        goto bad_line;
    while ((got = csv_reader_next(&rd, &line, &len, why, sizeof why)) == 1) {
        if (len == 0)
            continue;
        if (source_row(&s, line, len, &r, why, sizeof why) < 0)
            goto bad_line;
        if (n == DIAGNOSES_MAX_ROWS) {
            set_err(why, sizeof why, "more than %d codes", DIAGNOSES_MAX_ROWS);
            goto bad_line;
        }
        if (n == cap_rows) {
            cap_rows = cap_rows ? cap_rows * 2 : 4096;
            *rows = xreallocarray(*rows, cap_rows, sizeof **rows);
        }
        struct entry *e = &(*rows)[n++];
        e->span.off = text_len;
        memcpy(e->code, r.code, sizeof e->code);
        e->line = rd.line;
        append(text, &text_len, &text_cap, r.code, strlen(r.code));
        append(text, &text_len, &text_cap, "\t", 1);
        append(text, &text_len, &text_cap, r.desc, r.desc_len);
        append(text, &text_len, &text_cap, "\t", 1);
        append(text, &text_len, &text_cap, r.chapter, r.chapter_len);
        append(text, &text_len, &text_cap, "\n", 1);
        e->span.len = text_len - e->span.off;
    }
    if (got < 0) {
        set_err(err, errsz, "%s: %s", src, why);
        goto cleanup;
    }
    if (n == 0) {
        set_err(err, errsz, "%s: no codes after the header", src);
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
    csv_record_release(&s.rec);
    return rc;
}

int diagnoses_import(const char *src, const char *data_dir, size_t *count, char *err, size_t errsz)
{
    char dir[PATH_MAX];
    char *text = NULL;
    struct entry *rows = NULL;
    size_t n = 0;
    int rc = -1;

    int w = snprintf(dir, sizeof dir, "%s/catalog", data_dir);
    if (w < 0 || (size_t)w >= sizeof dir) {
        set_err(err, errsz, "%s: data directory path too long", data_dir);
        return -1;
    }
    if (read_source(src, &text, &rows, &n, err, errsz) < 0)
        goto cleanup;
    qsort(rows, n, sizeof *rows, cmp_entry);
    for (size_t i = 1; i < n; i++)
        if (strcmp(rows[i].code, rows[i - 1].code) == 0) {
            const struct entry *a = rows[i].line < rows[i - 1].line ? &rows[i] : &rows[i - 1];
            const struct entry *b = a == &rows[i] ? &rows[i - 1] : &rows[i];
            set_err(err, errsz, "%s: line %lu: code %s listed twice (first at line %lu)", src,
                    b->line, b->code, a->line);
            goto cleanup;
        }
    if (fs_replace_spans(dir, DIAGNOSES_FILE, normalized_header, text, rows, n, sizeof *rows, err,
                         errsz) < 0)
        goto cleanup;
    *count = n;
    rc = 0;
cleanup:
    free(text);
    free(rows);
    return rc;
}

/* ---- the normalized file ---- */

static int parse_normalized(struct diagnoses *t, size_t size, const char *path, char *err,
                            size_t errsz)
{
    char *p = t->text + sizeof normalized_header - 1;
    size_t folded_at = 0, bad;
    unsigned long line = 1;
    t->folded = xmallocarray(2 * size + 1, 1);
    while (*p) {
        char *f[3], *end = strchr(p, '\n');
        size_t k = 0, n;
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
        for (char *q = p; k <= 3 && (q = strchr(q, '\t')); q++) {
            if (k == 3) {
                k++;
                break;
            }
            *q = '\0';
            f[k++] = q + 1;
        }
        struct diagnosis *d = &t->rows[t->n];
        if (k != 3 || diagnoses_code_normalize(f[0], strlen(f[0]), d->code) < 0 ||
            strcmp(d->code, f[0]) != 0 || !*f[1] ||
            (t->n > 0 && strcmp(t->rows[t->n - 1].code, d->code) >= 0)) {
            set_err(err, errsz, "%s: line %lu: malformed or out of order" IMPORT_HINT, path, line);
            return -1;
        }
        d->description = f[1];
        d->chapter = f[2];
        if (password_fold(f[1], strlen(f[1]), t->folded + folded_at, 2 * size + 1 - folded_at,
                          &n) != 0) {
            set_err(err, errsz, "%s: line %lu: description too long", path, line);
            return -1;
        }
        t->folded_of[t->n] = t->folded + folded_at;
        folded_at += n + 1;
        t->n++;
        p = end + 1;
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
        set_err(err, errsz, "%s: data directory path too long", data_dir);
        return -1;
    }
    t = xcalloc(1, sizeof *t);
    rc = fs_read_file(path, DIAGNOSES_MAX_FILE, &t->text, &size, err, errsz);
    if (rc == FS_NO_FILE)
        set_err(err, errsz,
                "the CIE-10 diagnoses have not been imported into %s; import them with: "
                "padron import diagnoses FILE --data %s",
                data_dir, data_dir);
    if (rc != 0) {
        rc = rc == FS_NO_FILE ? DIAGNOSES_NOT_IMPORTED : -1;
        goto fail;
    }
    rc = -1;
    if (memchr(t->text, '\0', size)) {
        set_err(err, errsz, "%s: embedded nul byte" IMPORT_HINT, path);
        goto fail;
    }
    if (size < sizeof normalized_header - 1 ||
        memcmp(t->text, normalized_header, sizeof normalized_header - 1) != 0) {
        set_err(err, errsz, "%s: line 1: not a padron diagnoses file" IMPORT_HINT, path);
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
