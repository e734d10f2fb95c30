/* facilities: one exact nearest-unit index per level of care. */
#include "geo/facilities.h"

#include "util/alloc.h"

#include <stdlib.h>

#define LEVELS 4 /* [0] any of 1-3, then 1, 2, 3 */

struct geo_facilities {
    const struct catalog_facility *all; /* the catalog's array; ref indexes it */
    struct geo_point *points[LEVELS];
    size_t n[LEVELS];
    struct geo_index *index[LEVELS];
};

int geo_facility_assignable(const struct catalog_facility *fac, int level)
{
    if (fac->status != CATALOG_IN_OPERATION || !fac->pos.present)
        return 0;
    if (fac->level != CATALOG_LEVEL_1 && fac->level != CATALOG_LEVEL_2 &&
        fac->level != CATALOG_LEVEL_3)
        return 0;
    return level == 0 || (int)fac->level == level;
}

struct geo_facilities *geo_facilities_new(const struct catalog *c)
{
    struct geo_facilities *f = xcalloc(1, sizeof *f);
    size_t n;
    f->all = catalog_facilities(c, &n);
    for (int l = 0; l < LEVELS; l++) {
        f->points[l] = xmallocarray(n ? n : 1, sizeof *f->points[l]);
        for (size_t i = 0; i < n; i++)
            if (geo_facility_assignable(&f->all[i], l))
                f->points[l][f->n[l]++] =
                    (struct geo_point){f->all[i].pos.lat, f->all[i].pos.lon, f->all[i].clues, i};
        f->index[l] = geo_index_new(f->points[l], f->n[l]);
    }
    return f;
}

void geo_facilities_free(struct geo_facilities *f)
{
    if (!f)
        return;
    for (int l = 0; l < LEVELS; l++) {
        geo_index_free(f->index[l]);
        free(f->points[l]);
    }
    free(f);
}

size_t geo_facilities_count(const struct geo_facilities *f, int level)
{
    return level >= 0 && level < LEVELS ? f->n[level] : 0;
}

static size_t to_facilities(const struct geo_facilities *f, const struct geo_hit *hits, size_t n,
                            struct geo_facility_hit *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (struct geo_facility_hit){&f->all[hits[i].ref], hits[i].km};
    return n;
}

size_t geo_facilities_nearest(const struct geo_facilities *f, int level, double lat, double lon,
                              size_t k, struct geo_facility_hit *out)
{
    struct geo_hit hits[GEO_MAX_K];
    if (level < 0 || level >= LEVELS)
        return 0;
    return to_facilities(f, hits, geo_index_nearest(f->index[level], lat, lon, k, hits), out);
}

size_t geo_facilities_brute(const struct geo_facilities *f, int level, double lat, double lon,
                            size_t k, struct geo_facility_hit *out)
{
    struct geo_hit hits[GEO_MAX_K];
    if (level < 0 || level >= LEVELS)
        return 0;
    return to_facilities(f, hits,
                         geo_brute_nearest(f->points[level], f->n[level], lat, lon, k, hits), out);
}
