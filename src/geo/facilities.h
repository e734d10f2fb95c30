/*
 * facilities: where the operating IMSS-Bienestar units are, for "the nearest
 * unit of level L" questions (home clinic, referrals, emergencies).
 *
 * Invariants:
 * - Built once from a loaded catalog (catalog.h) and immutable afterwards; it
 *   borrows the catalog's facilities, so the catalog must outlive it.
 * - Only units EN OPERACION with a position and a level of care 1, 2 or 3 are
 *   indexed: units out of operation, under construction or pending, and those of
 *   level "no aplica" (mobile units, offices, warehouses) are never answered.
 * - One exact index (geo/nearest.h) per level, and one over all three levels;
 *   answers are nearest first, ties by CLUES, identical to a scan of every unit.
 */
#ifndef PADRON_GEO_FACILITIES_H
#define PADRON_GEO_FACILITIES_H

#include "catalog/catalog.h"
#include "geo/nearest.h"

#include <stddef.h>

struct geo_facilities;

struct geo_facility_hit {
    const struct catalog_facility *facility;
    double km;
};

/* Indexes the operating units of c. Never returns NULL; free with
 * geo_facilities_free. */
struct geo_facilities *geo_facilities_new(const struct catalog *c);

/* Frees f; NULL is a no-op. */
void geo_facilities_free(struct geo_facilities *f);

/* How many units of level (1, 2, 3; 0 for any of them) are indexed. */
size_t geo_facilities_count(const struct geo_facilities *f, int level);

/* True when the unit is one the index answers: EN OPERACION, with a position,
 * level 1, 2 or 3 (and equal to level unless level is 0). */
int geo_facility_assignable(const struct catalog_facility *fac, int level);

/* Up to k (at most GEO_MAX_K) nearest operating units of level (1, 2, 3; 0 for
 * any) to (lat, lon), nearest first; returns how many were written to out. An
 * unknown level gives 0. */
size_t geo_facilities_nearest(const struct geo_facilities *f, int level, double lat, double lon,
                              size_t k, struct geo_facility_hit *out);

/* The same by scanning every indexed unit (for tests and bench/nearest). */
size_t geo_facilities_brute(const struct geo_facilities *f, int level, double lat, double lon,
                            size_t k, struct geo_facility_hit *out);

#endif
