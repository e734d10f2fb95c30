#include "catalog/catalog.h"

#include "catalog/catalog_internal.h"

#include "catalog/csv.h"
#include "catalog/csv_stream.h"
#include "core/civil_date.h"
#include "util/alloc.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POOL_CHUNK (64 * 1024)

/* Mexico with its islands (Guadalupe, Revillagigedo) and a margin: a swapped or
 * sign-flipped coordinate falls outside. */
#define LAT_MIN 14.0
#define LAT_MAX 33.0
#define LON_MIN -119.0
#define LON_MAX -86.0

void catalog_set_err(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    if (!err || errsz == 0)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

int catalog_split_normalized(char **p, char **f, size_t max, unsigned long line, const char *path,
                             const char *hint, char *err, size_t errsz)
{
    char *end = strchr(*p, '\n');
    size_t bad;
    if (!end) {
        catalog_set_err(err, errsz, "%s: line %lu: unterminated line (truncated file?)%s", path,
                        line, hint);
        return -1;
    }
    *end = '\0';
    if (!csv_utf8_valid(*p, (size_t)(end - *p), &bad)) {
        catalog_set_err(err, errsz, "%s: line %lu: invalid utf-8%s", path, line, hint);
        return -1;
    }
    size_t k = 0;
    f[k++] = *p;
    for (char *q = *p; (q = memchr(q, '\t', (size_t)(end - q))); q++) {
        if (k == max) {
            k++;
            break;
        }
        *q = '\0';
        f[k++] = q + 1;
    }
    *p = end + 1;
    return (int)k;
}

const char *catalog_pool_strndup(struct catalog *c, const char *s, size_t len)
{
    struct pool_chunk *ch = c->pool;
    if (!ch || ch->cap - ch->used < len + 1) {
        size_t cap = len + 1 > POOL_CHUNK ? len + 1 : POOL_CHUNK;
        ch = xmallocarray(1, sizeof *ch + cap);
        ch->next = c->pool;
        ch->used = 0;
        ch->cap = cap;
        c->pool = ch;
    }
    char *p = ch->data + ch->used;
    memcpy(p, s, len);
    p[len] = '\0';
    ch->used += len + 1;
    return p;
}

/* Makes room for one more element of an array that grows by doubling. */
void *catalog_grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 64;
    return xreallocarray(p, *cap, size);
}

/* Exactly width decimal digits, as INEGI writes its zero-padded codes. */
int catalog_parse_code(const char *s, size_t len, size_t width, int *out)
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

/* [-+]D{1,3}[.D{1,17}], converted without strtod so the locale cannot matter;
 * digits past the 15th decimal (below a nanometre) are read but not used. */
static int parse_decimal(const char *s, size_t len, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t i = 0, int_digits = 0, frac_digits = 0, used = 0;
    uint64_t mant = 0;
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    while (i < len && s[i] >= '0' && s[i] <= '9' && int_digits < 3) {
        mant = mant * 10 + (uint64_t)(s[i++] - '0');
        int_digits++;
    }
    if (int_digits == 0)
        return -1;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9' && frac_digits < 17) {
            if (used < 15) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                used++;
            }
            i++;
            frac_digits++;
        }
        if (frac_digits == 0)
            return -1;
    }
    if (i != len)
        return -1;
    double v = (double)mant / pow10[used];
    *out = neg ? -v : v;
    return 0;
}

/* Both empty: absent. Both numbers inside the box: present. Else an error. */
int catalog_parse_coord(const char *lat, size_t lat_len, const char *lon, size_t lon_len,
                        const char *what, struct catalog_coord *out, char *why, size_t whysz)
{
    out->present = false;
    out->lat = out->lon = 0;
    if (lat_len == 0 && lon_len == 0)
        return 0;
    if (lat_len == 0 || lon_len == 0) {
        catalog_set_err(why, whysz, "%s has only one of latitude and longitude", what);
        return -1;
    }
    if (parse_decimal(lat, lat_len, &out->lat) < 0 || parse_decimal(lon, lon_len, &out->lon) < 0) {
        catalog_set_err(why, whysz, "%s coordinates are not decimal numbers", what);
        return -1;
    }
    if (out->lat < LAT_MIN || out->lat > LAT_MAX || out->lon < LON_MIN || out->lon > LON_MAX) {
        catalog_set_err(why, whysz, "%s coordinates %.6f, %.6f are outside mexico", what, out->lat,
                        out->lon);
        return -1;
    }
    out->present = true;
    return 0;
}

static bool is_upper(char ch)
{
    return ch >= 'A' && ch <= 'Z';
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

bool catalog_valid_clues(const char *s, size_t len)
{
    if (len != 11)
        return false;
    for (size_t i = 0; i < 11; i++)
        if (i < 5 ? !is_upper(s[i]) : !is_digit(s[i]))
            return false;
    return true;
}

/* ---- rows ---- */

static const char *const state_columns[] = {"cve_ent", "nom_ent", "nom_abr", "clave_renapo"};

static int row_state(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz)
{
    struct catalog *c = ld->c;
    int code;
    if (catalog_parse_code(f[0], len[0], 2, &code) < 0 || code < 1 || code > 32) {
        catalog_set_err(why, whysz, "cve_ent '%s' is not a state code 01-32", f[0]);
        return -1;
    }
    if (len[1] == 0) {
        catalog_set_err(why, whysz, "empty nom_ent");
        return -1;
    }
    if (len[3] != 2 || !is_upper(f[3][0]) || !is_upper(f[3][1])) {
        catalog_set_err(why, whysz, "clave_renapo '%s' is not 2 capital letters", f[3]);
        return -1;
    }
    c->states = catalog_grow(c->states, &c->cap_states, c->n_states, sizeof *c->states);
    struct catalog_state *s = &c->states[c->n_states++];
    memset(s, 0, sizeof *s);
    s->code = code;
    memcpy(s->renapo, f[3], 3);
    s->name = catalog_pool_strndup(c, f[1], len[1]);
    s->abbreviation = catalog_pool_strndup(c, f[2], len[2]);
    s->line = ld->line;
    return 0;
}

static const char *const participation_columns[] = {"clave_renapo", "participating_since"};

static int row_participation(struct loader *ld, char **f, const size_t *len, char *why,
                             size_t whysz)
{
    int y, m, d;
    if (civil_parse_date(f[1], len[1], &y, &m, &d) < 0) {
        catalog_set_err(why, whysz, "participating_since '%s' is not a date YYYY-MM-DD", f[1]);
        return -1;
    }
    if (!ld->check_refs)
        return 0;
    /* states are sorted by now, and read-only in every other sense */
    struct catalog_state *s = (struct catalog_state *)catalog_state_by_renapo(ld->c, f[0]);
    if (!s) {
        catalog_set_err(why, whysz, "clave_renapo '%s' is not a state in inegi_estados", f[0]);
        return -1;
    }
    if (ld->participation_line[s->code]) {
        catalog_set_err(why, whysz, "state %s listed twice (first at line %lu)", s->renapo,
                        ld->participation_line[s->code]);
        return -1;
    }
    ld->participation_line[s->code] = ld->line;
    s->participating_since = civil_date_key(y, m, d);
    return 0;
}

static const char *const municipality_columns[] = {
    "cve_ent",     "cve_mun",      "nom_mun",           "nom_cab",
    "cab_latitud", "cab_longitud", "centroide_latitud", "centroide_longitud"};

static int row_municipality(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz)
{
    struct catalog *c = ld->c;
    struct catalog_municipality m = {0};
    if (catalog_parse_code(f[0], len[0], 2, &m.state) < 0 || m.state < 1 || m.state > 32) {
        catalog_set_err(why, whysz, "cve_ent '%s' is not a state code 01-32", f[0]);
        return -1;
    }
    if (ld->check_refs && !catalog_state_by_code(c, m.state)) {
        catalog_set_err(why, whysz, "state %02d is not in inegi_estados", m.state);
        return -1;
    }
    if (catalog_parse_code(f[1], len[1], 3, &m.code) < 0 || m.code < 1) {
        catalog_set_err(why, whysz, "cve_mun '%s' is not a municipality code 001-999", f[1]);
        return -1;
    }
    if (len[2] == 0) {
        catalog_set_err(why, whysz, "empty nom_mun");
        return -1;
    }
    if (catalog_parse_coord(f[4], len[4], f[5], len[5], "county seat", &m.seat_pos, why, whysz) <
            0 ||
        catalog_parse_coord(f[6], len[6], f[7], len[7], "centroid", &m.centroid, why, whysz) < 0)
        return -1;
    m.name = catalog_pool_strndup(c, f[2], len[2]);
    m.seat = len[3] ? catalog_pool_strndup(c, f[3], len[3]) : NULL;
    m.line = ld->line;
    c->muns = catalog_grow(c->muns, &c->cap_muns, c->n_muns, sizeof *c->muns);
    c->muns[c->n_muns++] = m;
    return 0;
}

static const struct table tables[] = {
    [CATALOG_FILE_STATES] = {"inegi_estados", state_columns, 4, row_state},
    [CATALOG_FILE_MUNICIPALITIES] = {"inegi_municipios", municipality_columns, 8, row_municipality},
    [CATALOG_FILE_FACILITIES] = {"clues_imss_bienestar", catalog_facility_columns, 11,
                                 catalog_row_facility},
    [CATALOG_FILE_PARTICIPATION] = {"participation", participation_columns, 2, row_participation},
    [CATALOG_FILE_LOCALITIES] = {"inegi_localidades", catalog_locality_columns, 7,
                                 catalog_row_locality},
    [CATALOG_FILE_HOURS] = {"clues_horarios", catalog_hours_columns, 2, catalog_row_hours},
};

/* ---- lines and files ---- */

static int parse_header(const struct table *t, struct csv_record *rec, const char *line, size_t len,
                        int *idx, char *why, size_t whysz)
{
    if (csv_split(rec, CSV_FORMAT_CSV, line, len, why, whysz) < 0)
        return -1;
    return csv_map_columns(rec, t->columns, t->n_columns, idx, why, whysz);
}

static int parse_row(struct loader *ld, const struct table *t, struct csv_record *rec,
                     const int *idx, size_t n_header, const char *line, size_t len, char *why,
                     size_t whysz)
{
    char *f[MAX_COLUMNS];
    size_t flen[MAX_COLUMNS];
    if (len == 0) {
        catalog_set_err(why, whysz, "empty line");
        return -1;
    }
    if (csv_split(rec, CSV_FORMAT_CSV, line, len, why, whysz) < 0)
        return -1;
    if (rec->count != n_header) {
        catalog_set_err(why, whysz, "%zu fields where the header has %zu", rec->count, n_header);
        return -1;
    }
    for (size_t k = 0; k < t->n_columns; k++) {
        f[k] = rec->field[idx[k]];
        flen[k] = rec->len[idx[k]];
    }
    return t->row(ld, f, flen, why, whysz);
}

/* dir/base.csv.gz or dir/base.csv, whichever exists; both is an error. */
static int resolve_file(const char *dir, const char *base, char *path, size_t pathsz, char *err,
                        size_t errsz)
{
    char gz[PATH_MAX], plain[PATH_MAX];
    int a = snprintf(gz, sizeof gz, "%s/%s.csv.gz", dir, base);
    int b = snprintf(plain, sizeof plain, "%s/%s.csv", dir, base);
    if (a < 0 || b < 0 || (size_t)a >= sizeof gz || (size_t)b >= sizeof plain) {
        catalog_set_err(err, errsz, "%s: catalog directory path too long", dir);
        return -1;
    }
    bool has_gz = access(gz, F_OK) == 0, has_plain = access(plain, F_OK) == 0;
    if (has_gz && has_plain) {
        catalog_set_err(err, errsz, "%s: both %s.csv and %s.csv.gz exist; keep one", dir, base,
                        base);
        return -1;
    }
    if (!has_gz && !has_plain) {
        catalog_set_err(err, errsz, "%s: missing catalog file (neither %s.csv.gz nor %s.csv)", dir,
                        base, base);
        return -1;
    }
    a = snprintf(path, pathsz, "%s", has_gz ? gz : plain);
    if (a < 0 || (size_t)a >= pathsz) {
        catalog_set_err(err, errsz, "%s: catalog directory path too long", dir);
        return -1;
    }
    return 0;
}

/* True when dir holds base.csv or base.csv.gz (an optional file is read then). */
static bool present(const char *dir, const struct table *t)
{
    char gz[PATH_MAX], plain[PATH_MAX];
    int a = snprintf(gz, sizeof gz, "%s/%s.csv.gz", dir, t->base);
    int b = snprintf(plain, sizeof plain, "%s/%s.csv", dir, t->base);
    return a > 0 && b > 0 && (size_t)a < sizeof gz && (size_t)b < sizeof plain &&
           (access(gz, F_OK) == 0 || access(plain, F_OK) == 0);
}

/* One table being read through csv_stream. */
struct table_reading {
    struct loader *ld;
    const struct table *t;
    struct csv_record rec;
    int idx[MAX_COLUMNS];
    size_t n_header;
};

static enum csv_verdict table_header(void *ctx, const char *line, size_t len, char *why,
                                     size_t whysz)
{
    struct table_reading *tr = ctx;
    tr->ld->line = 1;
    if (parse_header(tr->t, &tr->rec, line, len, tr->idx, why, whysz) < 0)
        return CSV_REFUSED;
    tr->n_header = tr->rec.count;
    return CSV_TAKEN;
}

/* A catalog is all or nothing and one bad row says enough: stop at it. */
static enum csv_verdict table_row(void *ctx, const char *line, size_t len, unsigned long line_no,
                                  char *why, size_t whysz)
{
    struct table_reading *tr = ctx;
    tr->ld->line = line_no;
    return parse_row(tr->ld, tr->t, &tr->rec, tr->idx, tr->n_header, line, len, why, whysz) < 0
               ? CSV_STOP
               : CSV_TAKEN;
}

/* Loads table t from dir, or from file when not NULL. */
static int load_table(struct loader *ld, const char *dir, const struct table *t, const char *file,
                      char *err, size_t errsz)
{
    char *path = ld->path;
    struct table_reading tr = {.ld = ld, .t = t};
    struct csv_stream stream = {.path = path, .ctx = &tr, .header = table_header, .row = table_row};

    if (file) {
        int w = snprintf(path, sizeof ld->path, "%s", file);
        if (w < 0 || (size_t)w >= sizeof ld->path) {
            catalog_set_err(err, errsz, "%s: path too long", file);
            return -1;
        }
    } else if (resolve_file(dir, t->base, path, sizeof ld->path, err, errsz) < 0) {
        return -1;
    }
    csv_record_init(&tr.rec);
    int rc = csv_stream_run(&stream, err, errsz);
    csv_record_release(&tr.rec);
    return rc;
}

/* qsort and bsearch without a NULL base: empty tables have no array yet. */
void catalog_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

void *catalog_find(const void *key, const void *base, size_t n, size_t size,
                   int (*cmp)(const void *, const void *))
{
    return n ? bsearch(key, base, n, size, cmp) : NULL;
}

/* ---- ordering ---- */

static int cmp_state(const void *a, const void *b)
{
    const struct catalog_state *x = a, *y = b;
    return (x->code > y->code) - (x->code < y->code);
}

static int cmp_state_ptr_renapo(const void *a, const void *b)
{
    const struct catalog_state *const *x = a, *const *y = b;
    return strcmp((*x)->renapo, (*y)->renapo);
}

static int cmp_mun(const void *a, const void *b)
{
    const struct catalog_municipality *x = a, *y = b;
    if (x->state != y->state)
        return (x->state > y->state) - (x->state < y->state);
    return (x->code > y->code) - (x->code < y->code);
}

/* The later of two equal neighbours is the duplicate reported. */
unsigned long catalog_later(unsigned long a, unsigned long b)
{
    return a > b ? a : b;
}

unsigned long catalog_earlier(unsigned long a, unsigned long b)
{
    return a < b ? a : b;
}

static int index_states(struct catalog *c, const char *path, char *err, size_t errsz)
{
    catalog_sort(c->states, c->n_states, sizeof *c->states, cmp_state);
    for (size_t i = 1; i < c->n_states; i++) {
        const struct catalog_state *a = &c->states[i - 1], *b = &c->states[i];
        if (a->code == b->code) {
            catalog_set_err(err, errsz, "%s: line %lu: duplicate state %02d (first at line %lu)",
                            path, catalog_later(a->line, b->line), a->code,
                            catalog_earlier(a->line, b->line));
            return -1;
        }
    }
    c->by_renapo = xmallocarray(c->n_states ? c->n_states : 1, sizeof *c->by_renapo);
    for (size_t i = 0; i < c->n_states; i++)
        c->by_renapo[i] = &c->states[i];
    catalog_sort(c->by_renapo, c->n_states, sizeof *c->by_renapo, cmp_state_ptr_renapo);
    for (size_t i = 1; i < c->n_states; i++) {
        const struct catalog_state *a = c->by_renapo[i - 1], *b = c->by_renapo[i];
        if (strcmp(a->renapo, b->renapo) == 0) {
            catalog_set_err(
                err, errsz, "%s: line %lu: duplicate clave_renapo %s (first at line %lu)", path,
                catalog_later(a->line, b->line), a->renapo, catalog_earlier(a->line, b->line));
            return -1;
        }
    }
    return 0;
}

static int index_municipalities(struct catalog *c, const char *path, char *err, size_t errsz)
{
    catalog_sort(c->muns, c->n_muns, sizeof *c->muns, cmp_mun);
    for (size_t i = 1; i < c->n_muns; i++) {
        const struct catalog_municipality *a = &c->muns[i - 1], *b = &c->muns[i];
        if (cmp_mun(a, b) == 0) {
            catalog_set_err(err, errsz,
                            "%s: line %lu: duplicate municipality %02d %03d (first at line %lu)",
                            path, catalog_later(a->line, b->line), a->state, a->code,
                            catalog_earlier(a->line, b->line));
            return -1;
        }
    }
    return 0;
}

/* ---- public ---- */

int catalog_load(const char *dir, struct catalog **out, char *err, size_t errsz)
{
    return catalog_load_with(dir, NULL, out, err, errsz);
}

int catalog_load_with(const char *dir, const char *facilities_file, struct catalog **out, char *err,
                      size_t errsz)
{
    struct loader ld;
    int rc = -1;
    memset(&ld, 0, sizeof ld);
    ld.c = xcalloc(1, sizeof *ld.c);
    ld.check_refs = true;
    if (load_table(&ld, dir, &tables[CATALOG_FILE_STATES], NULL, err, errsz) < 0 ||
        index_states(ld.c, ld.path, err, errsz) < 0)
        goto cleanup;
    if (load_table(&ld, dir, &tables[CATALOG_FILE_PARTICIPATION], NULL, err, errsz) < 0)
        goto cleanup;
    if (load_table(&ld, dir, &tables[CATALOG_FILE_MUNICIPALITIES], NULL, err, errsz) < 0 ||
        index_municipalities(ld.c, ld.path, err, errsz) < 0)
        goto cleanup;
    if (load_table(&ld, dir, &tables[CATALOG_FILE_FACILITIES], facilities_file, err, errsz) < 0 ||
        catalog_index_facilities(ld.c, ld.path, err, errsz) < 0)
        goto cleanup;
    /* the optional files */
    if (present(dir, &tables[CATALOG_FILE_LOCALITIES]) &&
        (load_table(&ld, dir, &tables[CATALOG_FILE_LOCALITIES], NULL, err, errsz) < 0 ||
         catalog_index_localities(ld.c, ld.path, err, errsz) < 0))
        goto cleanup;
    if (present(dir, &tables[CATALOG_FILE_HOURS]) &&
        (load_table(&ld, dir, &tables[CATALOG_FILE_HOURS], NULL, err, errsz) < 0 ||
         catalog_index_hours(ld.c, ld.path, err, errsz) < 0))
        goto cleanup;
    *out = ld.c;
    ld.c = NULL;
    rc = 0;
cleanup:
    catalog_free(ld.c);
    return rc;
}

void catalog_free(struct catalog *c)
{
    if (!c)
        return;
    while (c->pool) {
        struct pool_chunk *next = c->pool->next;
        free(c->pool);
        c->pool = next;
    }
    free(c->states);
    free(c->by_renapo);
    free(c->muns);
    free(c->facilities);
    free(c->localities);
    free(c->hours);
    free(c);
}

int catalog_parse_line(enum catalog_file file, const char *header, size_t header_len,
                       const char *line, size_t len, char *err, size_t errsz)
{
    struct loader ld;
    struct csv_record rec;
    int idx[MAX_COLUMNS];
    int rc = -1;

    if ((unsigned)file >= sizeof tables / sizeof tables[0]) {
        catalog_set_err(err, errsz, "unknown catalog file");
        return -1;
    }
    memset(&ld, 0, sizeof ld);
    ld.c = xcalloc(1, sizeof *ld.c);
    ld.line = 2;
    csv_record_init(&rec);
    if (parse_header(&tables[file], &rec, header, header_len, idx, err, errsz) < 0)
        goto cleanup;
    if (parse_row(&ld, &tables[file], &rec, idx, rec.count, line, len, err, errsz) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    csv_record_release(&rec);
    catalog_free(ld.c);
    return rc;
}

const struct catalog_state *catalog_states(const struct catalog *c, size_t *n)
{
    *n = c->n_states;
    return c->states;
}

const struct catalog_state *catalog_state_by_code(const struct catalog *c, int code)
{
    struct catalog_state key = {.code = code};
    return catalog_find(&key, c->states, c->n_states, sizeof key, cmp_state);
}

const struct catalog_state *catalog_state_by_renapo(const struct catalog *c, const char *renapo)
{
    struct catalog_state key = {0};
    const struct catalog_state *kp = &key;
    if (strlen(renapo) != 2 || !c->by_renapo)
        return NULL;
    memcpy(key.renapo, renapo, 3);
    const struct catalog_state *const *hit =
        catalog_find(&kp, c->by_renapo, c->n_states, sizeof *c->by_renapo, cmp_state_ptr_renapo);
    return hit ? *hit : NULL;
}

bool catalog_state_participating(const struct catalog_state *s, int year, int month, int day)
{
    return s->participating_since != 0 &&
           s->participating_since <= civil_date_key(year, month, day);
}

const struct catalog_municipality *catalog_municipalities(const struct catalog *c, size_t *n)
{
    *n = c->n_muns;
    return c->muns;
}

const struct catalog_municipality *catalog_municipalities_of(const struct catalog *c, int state,
                                                             size_t *n)
{
    size_t lo = 0, hi = c->n_muns, end;
    while (lo < hi) { /* first municipality of a state >= state */
        size_t mid = lo + (hi - lo) / 2;
        if (c->muns[mid].state < state)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < c->n_muns && c->muns[end].state == state; end++)
        ;
    *n = end - lo;
    return *n ? &c->muns[lo] : NULL;
}

const struct catalog_municipality *catalog_municipality(const struct catalog *c, int state,
                                                        int code)
{
    struct catalog_municipality key = {.state = state, .code = code};
    return catalog_find(&key, c->muns, c->n_muns, sizeof key, cmp_mun);
}
