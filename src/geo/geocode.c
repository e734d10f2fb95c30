/* geocode: the chosen position, else a locality by name, else the county seat,
 * else the centroid. */
#include "geo/geocode.h"

#include "core/password.h"
#include "geo/nearest.h"

#include <string.h>

#define FOLD_MAX 512

const char *geo_located_name(enum geo_located by)
{
    switch (by) {
    case GEO_LOCATED_CHOSEN:
        return "chosen";
    case GEO_LOCATED_LOCALITY:
        return "locality";
    case GEO_LOCATED_SEAT:
        return "seat";
    case GEO_LOCATED_CENTROID:
        return "centroid";
    case GEO_LOCATED_NONE:
        break;
    }
    return "";
}

/* The most populous locality of (state, municipality) named name (folded). */
static const struct catalog_locality *locality_named(const struct catalog *c, int state, int mun,
                                                     const char *name)
{
    char want[FOLD_MAX], have[FOLD_MAX];
    size_t want_len, have_len, n;
    const struct catalog_locality *best = NULL;
    if (!name || !*name || password_fold(name, strlen(name), want, sizeof want, &want_len) != 0)
        return NULL;
    const struct catalog_locality *l = catalog_localities_of(c, state, mun, &n);
    for (size_t i = 0; i < n; i++)
        if (password_fold(l[i].name, strlen(l[i].name), have, sizeof have, &have_len) == 0 &&
            have_len == want_len && memcmp(have, want, want_len) == 0 &&
            (!best || l[i].population > best->population))
            best = &l[i];
    return best;
}

int geo_locate(const struct catalog *c, const struct geo_address *a, struct geo_position *out)
{
    const struct catalog_municipality *m = catalog_municipality(c, a->state, a->municipality);
    *out = (struct geo_position){GEO_LOCATED_NONE, 0, 0, NULL};
    if (a->chosen && geo_in_mexico(a->lat, a->lon)) {
        *out = (struct geo_position){GEO_LOCATED_CHOSEN, a->lat, a->lon, m ? m->name : NULL};
        return 0;
    }
    if (!m)
        return -1;
    const struct catalog_locality *l = locality_named(c, a->state, a->municipality, a->settlement);
    if (!l)
        l = locality_named(c, a->state, a->municipality, a->city);
    if (l)
        *out = (struct geo_position){GEO_LOCATED_LOCALITY, l->pos.lat, l->pos.lon, l->name};
    else if (m->seat_pos.present)
        *out = (struct geo_position){GEO_LOCATED_SEAT, m->seat_pos.lat, m->seat_pos.lon,
                                     m->seat ? m->seat : m->name};
    else if (m->centroid.present)
        *out =
            (struct geo_position){GEO_LOCATED_CENTROID, m->centroid.lat, m->centroid.lon, m->name};
    return out->by == GEO_LOCATED_NONE ? -1 : 0;
}
