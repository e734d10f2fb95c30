/*
 * nearest: an exact k-nearest-neighbour index over points on the Earth, by
 * great-circle (haversine) distance in kilometres. Pure: no I/O, no clock.
 *
 * Invariants:
 * - The index is a static 3-d tree over the points' positions on the unit sphere
 *   (x, y, z), built once by geo_index_new and immutable afterwards: any number
 *   of threads may query it at once.
 * - Straight-line (chord) distance on the sphere grows with great-circle
 *   distance, so the tree prunes by chord distance; the answer is ranked by
 *   geo_distance_km, the same function a brute-force scan uses, and ties (equal
 *   distances, e.g. two units at one position) are broken by key (strcmp), so a
 *   query has one deterministic answer, identical to the brute-force one
 *   (geo_brute_nearest). Pruning keeps a relative slack of 1e-9 so floating-point
 *   rounding in the chord cannot hide an equal-or-nearer point.
 * - The index copies positions and references; each key must stay valid (and
 *   unchanged) as long as the index lives. It never frees a key.
 * - A query visits O(log n + k) nodes on typical data, never every point.
 */
#ifndef PADRON_GEO_NEAREST_H
#define PADRON_GEO_NEAREST_H

#include <stddef.h>

#define GEO_EARTH_RADIUS_KM 6371.0088 /* IUGG mean radius */
#define GEO_MAX_K           100       /* most neighbours one query returns */

/* Mexico's bounding box, the same one the catalogs check (catalog.h): latitude
 * 14..33, longitude -119..-86, islands included. */
#define GEO_MEXICO_LAT_MIN 14.0
#define GEO_MEXICO_LAT_MAX 33.0
#define GEO_MEXICO_LON_MIN -119.0
#define GEO_MEXICO_LON_MAX -86.0

struct geo_point {
    double lat, lon; /* WGS84 decimal degrees */
    const char *key; /* tie-breaker (e.g. the CLUES); borrowed, not NULL */
    size_t ref;      /* the caller's own reference (e.g. an array index) */
};

struct geo_hit {
    double km;       /* great-circle distance */
    const char *key; /* of the point found */
    size_t ref;
};

struct geo_index;

/* Great-circle distance between two positions, in km (haversine). */
double geo_distance_km(double lat1, double lon1, double lat2, double lon2);

/* True when (lat, lon) are finite and inside Mexico's bounding box. */
int geo_in_mexico(double lat, double lon);

/* Builds the index over n points (n may be 0). Never returns NULL (allocation
 * failure aborts); free with geo_index_free. */
struct geo_index *geo_index_new(const struct geo_point *points, size_t n);

/* Frees idx; NULL is a no-op. */
void geo_index_free(struct geo_index *idx);

/* How many points idx holds. */
size_t geo_index_size(const struct geo_index *idx);

/* Up to k (at most GEO_MAX_K) nearest points to (lat, lon), nearest first, ties
 * by key; writes them to out (room for k) and returns how many: min(k, size). */
size_t geo_index_nearest(const struct geo_index *idx, double lat, double lon, size_t k,
                         struct geo_hit *out);

/* The same answer by scanning every point: the reference the index is tested and
 * benchmarked against. */
size_t geo_brute_nearest(const struct geo_point *points, size_t n, double lat, double lon, size_t k,
                         struct geo_hit *out);

/* Parses a decimal coordinate as typed ("19.4326", "-99.1332"): optional sign,
 * digits, optional fraction, at most 24 bytes, no exponent, no spaces; the
 * locale plays no part. Returns 0 with *out set, or -1. */
int geo_parse_degrees(const char *s, size_t len, double *out);

/* Parses "LAT,LON" (two geo_parse_degrees numbers and one comma, no spaces, at
 * most 64 bytes) that must lie inside Mexico's box. Returns 0 with *lat, *lon
 * set, or -1. */
int geo_parse_point(const char *s, size_t len, double *lat, double *lon);

#endif
