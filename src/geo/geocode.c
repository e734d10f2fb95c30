/* geocode: the chosen position, else the county seat, else the centroid. */
#include "geo/geocode.h"

#include "geo/nearest.h"

const char *geo_located_name(enum geo_located by)
{
    switch (by) {
    case GEO_LOCATED_CHOSEN:
        return "chosen";
    case GEO_LOCATED_SEAT:
        return "seat";
    case GEO_LOCATED_CENTROID:
        return "centroid";
    case GEO_LOCATED_NONE:
        break;
    }
    return "";
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
    if (m->seat_pos.present)
        *out = (struct geo_position){GEO_LOCATED_SEAT, m->seat_pos.lat, m->seat_pos.lon,
                                     m->seat ? m->seat : m->name};
    else if (m->centroid.present)
        *out =
            (struct geo_position){GEO_LOCATED_CENTROID, m->centroid.lat, m->centroid.lon, m->name};
    return out->by == GEO_LOCATED_NONE ? -1 : 0;
}
