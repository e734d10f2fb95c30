/* The catalog's units: IMSS-Bienestar facilities (CLUES), their opening hours
 * (DGIS), and INEGI's localities of 1,000+ inhabitants. */
#include "catalog/catalog_internal.h"

#include "care/hours.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const catalog_facility_columns[11] = {"clues_imb",
                                                  "nombre_de_la_unidad",
                                                  "estatus_de_operacion",
                                                  "nivel_atencion",
                                                  "nombre_de_tipologia",
                                                  "cve_ent",
                                                  "cve_mun",
                                                  "cve_loc",
                                                  "localidad",
                                                  "latitud",
                                                  "longitud"};

static const struct {
    const char *text;
    enum catalog_status status;
} statuses[] = {
    {"EN OPERACION", CATALOG_IN_OPERATION},
    {"FUERA DE OPERACION", CATALOG_OUT_OF_OPERATION},
    {"EN PROCESO DE CONSTRUCCION", CATALOG_UNDER_CONSTRUCTION},
    {"PENDIENTE DE ENTRAR EN OPERACION", CATALOG_PENDING},
};

static const struct {
    const char *text;
    enum catalog_level level;
} levels[] = {
    {"PRIMER NIVEL", CATALOG_LEVEL_1},
    {"SEGUNDO NIVEL", CATALOG_LEVEL_2},
    {"TERCER NIVEL", CATALOG_LEVEL_3},
    {"NO APLICA", CATALOG_LEVEL_NA},
};

int catalog_row_facility(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz)
{
    struct catalog *c = ld->c;
    struct catalog_facility fa = {0};
    size_t i;
    if (!catalog_valid_clues(f[0], len[0])) {
        catalog_set_err(why, whysz, "clues_imb '%s' is not 5 capital letters and 6 digits", f[0]);
        return -1;
    }
    memcpy(fa.clues, f[0], 12);
    if (len[1] == 0) {
        catalog_set_err(why, whysz, "empty nombre_de_la_unidad");
        return -1;
    }
    for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (strcmp(f[2], statuses[i].text) == 0)
            break;
    if (i == sizeof statuses / sizeof statuses[0]) {
        catalog_set_err(why, whysz, "unknown estatus_de_operacion '%s'", f[2]);
        return -1;
    }
    fa.status = statuses[i].status;
    for (i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (strcmp(f[3], levels[i].text) == 0)
            break;
    if (i == sizeof levels / sizeof levels[0]) {
        catalog_set_err(why, whysz, "unknown nivel_atencion '%s'", f[3]);
        return -1;
    }
    fa.level = levels[i].level;
    if (catalog_parse_code(f[5], len[5], 2, &fa.state) < 0 || fa.state < 1 || fa.state > 32) {
        catalog_set_err(why, whysz, "cve_ent '%s' is not a state code 01-32", f[5]);
        return -1;
    }
    if (catalog_parse_code(f[6], len[6], 3, &fa.municipality) < 0 || fa.municipality < 1) {
        catalog_set_err(why, whysz, "cve_mun '%s' is not a municipality code 001-999", f[6]);
        return -1;
    }
    if (ld->check_refs && !catalog_municipality(c, fa.state, fa.municipality)) {
        catalog_set_err(why, whysz, "municipality %02d %03d is not in inegi_municipios", fa.state,
                        fa.municipality);
        return -1;
    }
    if (catalog_parse_code(f[7], len[7], 4, &fa.locality) < 0) {
        catalog_set_err(why, whysz, "cve_loc '%s' is not a 4-digit locality code", f[7]);
        return -1;
    }
    if (catalog_parse_coord(f[9], len[9], f[10], len[10], "facility", &fa.pos, why, whysz) < 0)
        return -1;
    fa.name = catalog_pool_strndup(c, f[1], len[1]);
    fa.typology = catalog_pool_strndup(c, f[4], len[4]);
    fa.locality_name = catalog_pool_strndup(c, f[8], len[8]);
    fa.line = ld->line;
    c->facilities = catalog_grow(c->facilities, &c->cap_facilities, c->n_facilities, sizeof fa);
    c->facilities[c->n_facilities++] = fa;
    return 0;
}

/* ---- opening hours ---- */

const char *const catalog_hours_columns[2] = {"clues", "horarios"};

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int catalog_row_hours(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz)
{
    struct catalog *c = ld->c;
    struct catalog_hours_row h = {.line = ld->line};
    if (!catalog_valid_clues(f[0], len[0])) {
        catalog_set_err(why, whysz, "clues '%s' is not 5 capital letters and 6 digits", f[0]);
        return -1;
    }
    memcpy(h.clues, f[0], 12);
    /* Hours care/hours reads are kept in its canonical form; none, or a shift no
     * reader can honestly complete ("DS 08:00-", a shift without days), are unknown. */
    struct care_hours parsed;
    size_t at;
    char canonical[CARE_HOURS_TEXT_MAX + 1];
    if (care_hours_parse(f[1], len[1], &parsed, &at) == CARE_HOURS_OK &&
        care_hours_format(&parsed, canonical, sizeof canonical) == 0)
        h.hours = catalog_pool_strndup(c, canonical, strlen(canonical));
    else
        c->hours_unknown++;
    c->hours = catalog_grow(c->hours, &c->cap_hours, c->n_hours, sizeof h);
    c->hours[c->n_hours++] = h;
    return 0;
}

static int cmp_hours(const void *a, const void *b)
{
    const struct catalog_hours_row *x = a, *y = b;
    return strcmp(x->clues, y->clues);
}

int catalog_index_hours(struct catalog *c, const char *path, char *err, size_t errsz)
{
    catalog_sort(c->hours, c->n_hours, sizeof *c->hours, cmp_hours);
    for (size_t i = 0; i < c->n_hours; i++) {
        const struct catalog_hours_row *h = &c->hours[i];
        if (i > 0 && strcmp(h[-1].clues, h->clues) == 0) {
            catalog_set_err(err, errsz, "%s: line %lu: duplicate clues %s (first at line %lu)",
                            path, catalog_later(h[-1].line, h->line), h->clues,
                            catalog_earlier(h[-1].line, h->line));
            return -1;
        }
        struct catalog_facility *fac = (struct catalog_facility *)catalog_facility(c, h->clues);
        if (fac)
            fac->hours = h->hours;
    }
    free(c->hours);
    c->hours = NULL;
    c->n_hours = c->cap_hours = 0;
    return 0;
}

/* ---- localities ---- */

const char *const catalog_locality_columns[7] = {"cve_ent", "cve_mun",  "cve_loc",  "nom_loc",
                                                 "latitud", "longitud", "pob_total"};

int catalog_row_locality(struct loader *ld, char **f, const size_t *len, char *why, size_t whysz)
{
    struct catalog *c = ld->c;
    struct catalog_locality l = {.line = ld->line};
    if (catalog_parse_code(f[0], len[0], 2, &l.state) < 0 || l.state < 1 || l.state > 32) {
        catalog_set_err(why, whysz, "cve_ent '%s' is not a state code 01-32", f[0]);
        return -1;
    }
    if (catalog_parse_code(f[1], len[1], 3, &l.municipality) < 0 || l.municipality < 1) {
        catalog_set_err(why, whysz, "cve_mun '%s' is not a municipality code 001-999", f[1]);
        return -1;
    }
    if (ld->check_refs && !catalog_municipality(c, l.state, l.municipality)) {
        catalog_set_err(why, whysz, "municipality %02d %03d is not in inegi_municipios", l.state,
                        l.municipality);
        return -1;
    }
    if (catalog_parse_code(f[2], len[2], 4, &l.code) < 0) {
        catalog_set_err(why, whysz, "cve_loc '%s' is not a 4-digit locality code", f[2]);
        return -1;
    }
    if (len[3] == 0) {
        catalog_set_err(why, whysz, "empty nom_loc");
        return -1;
    }
    if (catalog_parse_coord(f[4], len[4], f[5], len[5], "locality", &l.pos, why, whysz) < 0)
        return -1;
    if (!l.pos.present) {
        catalog_set_err(why, whysz, "locality without coordinates");
        return -1;
    }
    l.population = 0;
    if (len[6] > 9 || !digits(f[6], len[6])) {
        catalog_set_err(why, whysz, "pob_total '%s' is not a number of inhabitants", f[6]);
        return -1;
    }
    for (size_t i = 0; i < len[6]; i++)
        l.population = l.population * 10 + (f[6][i] - '0');
    l.name = catalog_pool_strndup(c, f[3], len[3]);
    c->localities = catalog_grow(c->localities, &c->cap_localities, c->n_localities, sizeof l);
    c->localities[c->n_localities++] = l;
    return 0;
}

static int cmp_locality(const void *a, const void *b)
{
    const struct catalog_locality *x = a, *y = b;
    if (x->state != y->state)
        return (x->state > y->state) - (x->state < y->state);
    if (x->municipality != y->municipality)
        return (x->municipality > y->municipality) - (x->municipality < y->municipality);
    return (x->code > y->code) - (x->code < y->code);
}

int catalog_index_localities(struct catalog *c, const char *path, char *err, size_t errsz)
{
    catalog_sort(c->localities, c->n_localities, sizeof *c->localities, cmp_locality);
    for (size_t i = 1; i < c->n_localities; i++) {
        const struct catalog_locality *a = &c->localities[i - 1], *b = &c->localities[i];
        if (cmp_locality(a, b) == 0) {
            catalog_set_err(err, errsz,
                            "%s: line %lu: duplicate locality %02d %03d %04d (first at line %lu)",
                            path, catalog_later(a->line, b->line), a->state, a->municipality,
                            a->code, catalog_earlier(a->line, b->line));
            return -1;
        }
    }
    return 0;
}

const struct catalog_locality *catalog_localities_of(const struct catalog *c, int state,
                                                     int municipality, size_t *n)
{
    size_t lo = 0, hi = c->n_localities, end;
    struct catalog_locality key = {.state = state, .municipality = municipality, .code = -1};
    while (lo < hi) { /* the first locality at or after (state, municipality) */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_locality(&c->localities[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < c->n_localities && c->localities[end].state == state &&
                   c->localities[end].municipality == municipality;
         end++)
        ;
    *n = end - lo;
    return *n ? &c->localities[lo] : NULL;
}

/* ---- facilities: index and lookups ---- */

static int cmp_facility(const void *a, const void *b)
{
    const struct catalog_facility *x = a, *y = b;
    return strcmp(x->clues, y->clues);
}

int catalog_index_facilities(struct catalog *c, const char *path, char *err, size_t errsz)
{
    catalog_sort(c->facilities, c->n_facilities, sizeof *c->facilities, cmp_facility);
    for (size_t i = 1; i < c->n_facilities; i++) {
        const struct catalog_facility *a = &c->facilities[i - 1], *b = &c->facilities[i];
        if (strcmp(a->clues, b->clues) == 0) {
            catalog_set_err(err, errsz, "%s: line %lu: duplicate clues %s (first at line %lu)",
                            path, catalog_later(a->line, b->line), a->clues,
                            catalog_earlier(a->line, b->line));
            return -1;
        }
    }
    return 0;
}

const struct catalog_facility *catalog_facilities(const struct catalog *c, size_t *n)
{
    *n = c->n_facilities;
    return c->facilities;
}

const struct catalog_facility *catalog_facility(const struct catalog *c, const char *clues)
{
    struct catalog_facility key;
    size_t len = strlen(clues);
    if (len != 11)
        return NULL;
    memset(&key, 0, sizeof key);
    memcpy(key.clues, clues, 12);
    return catalog_find(&key, c->facilities, c->n_facilities, sizeof key, cmp_facility);
}
