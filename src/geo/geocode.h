/*
 * geocode: where a person's address is, as coordinates, from what padron knows
 * without any outside service. Pure: no I/O, no clock.
 *
 * Invariants:
 * - The order of preference is fixed and recorded with the answer
 *   (enum geo_located): the position the person chose on the address page;
 *   else the INEGI locality of the address's municipality whose name is the
 *   settlement's or the city's (compared without case or accents; localities of
 *   1,000+ inhabitants, the most populous when names repeat); else the county
 *   seat of the municipality (the locality that is its cabecera); else the
 *   municipality's centroid (an older polygon vintage, see data/README.md).
 *   A chosen position outside Mexico's box is never used.
 * - A municipality with neither coordinate (10 of 2,478) gives no position:
 *   callers then assign no clinic and let the person choose one.
 * - Answers point into the catalog (the place name) and live as long as it.
 */
#ifndef PADRON_GEO_GEOCODE_H
#define PADRON_GEO_GEOCODE_H

#include "catalog/catalog.h"

#include <stdbool.h>

enum geo_located {
    GEO_LOCATED_NONE = 0,
    GEO_LOCATED_CHOSEN,   /* the person's own pick */
    GEO_LOCATED_LOCALITY, /* an INEGI locality named like the settlement or city */
    GEO_LOCATED_SEAT,     /* the municipality's county seat */
    GEO_LOCATED_CENTROID, /* the municipality's centroid */
};

struct geo_address {
    int state, municipality; /* INEGI codes of the address */
    const char *settlement;  /* as stored (SEPOMEX spelling), or NULL */
    const char *city;        /* SEPOMEX d_ciudad of the settlement, or NULL */
    bool chosen;             /* the person chose a position: */
    double lat, lon;
};

struct geo_position {
    enum geo_located by;
    double lat, lon;
    const char *place; /* the locality's or seat's name, else the municipality's; NULL for NONE */
};

/* "chosen", "locality", "seat", "centroid", or "" for none (the names the store
 * keeps). */
const char *geo_located_name(enum geo_located by);

/* Places a; returns 0 with out filled, or -1 (out->by = GEO_LOCATED_NONE) when
 * nothing places it: an unknown municipality, or one without coordinates. */
int geo_locate(const struct catalog *c, const struct geo_address *a, struct geo_position *out);

#endif
