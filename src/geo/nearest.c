/* nearest: a static 3-d tree over unit-sphere positions, ranked by haversine. */
#include "geo/nearest.h"

#include "util/alloc.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEG    (M_PI / 180.0)
#define SLACK  1e-9  /* relative slack of the chord bound (see the header) */
#define FLOOR2 1e-24 /* absolute slack, squared chord units */

struct node {
    double xyz[3];
    double lat, lon;
    const char *key;
    size_t ref;
    int axis; /* split axis of the subtree this node is the median of */
};

struct geo_index {
    struct node *nodes; /* in tree order: the median of [lo, hi) sits at (lo + hi) / 2 */
    size_t n;
};

double geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
    double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
    double a = s1 * s1 + cos(lat1 * DEG) * cos(lat2 * DEG) * s2 * s2;
    if (a > 1.0)
        a = 1.0;
    return 2.0 * GEO_EARTH_RADIUS_KM * asin(sqrt(a));
}

int geo_in_mexico(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= GEO_MEXICO_LAT_MIN &&
           lat <= GEO_MEXICO_LAT_MAX && lon >= GEO_MEXICO_LON_MIN && lon <= GEO_MEXICO_LON_MAX;
}

static void to_xyz(double lat, double lon, double xyz[3])
{
    double cl = cos(lat * DEG);
    xyz[0] = cl * cos(lon * DEG);
    xyz[1] = cl * sin(lon * DEG);
    xyz[2] = sin(lat * DEG);
}

/* ---- building ---- */

static void swap(struct node *a, struct node *b)
{
    struct node t = *a;
    *a = *b;
    *b = t;
}

/* Hoare-style quickselect: puts the element of rank k (by axis) at k, smaller or
 * equal before, larger or equal after. */
static void select_rank(struct node *v, size_t lo, size_t hi, size_t k, int axis)
{
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        /* median of three as the pivot, moved to hi - 1 */
        if (v[mid].xyz[axis] < v[lo].xyz[axis])
            swap(&v[mid], &v[lo]);
        if (v[hi - 1].xyz[axis] < v[lo].xyz[axis])
            swap(&v[hi - 1], &v[lo]);
        if (v[mid].xyz[axis] < v[hi - 1].xyz[axis])
            swap(&v[mid], &v[hi - 1]);
        double pivot = v[hi - 1].xyz[axis];
        size_t store = lo;
        for (size_t i = lo; i < hi - 1; i++)
            if (v[i].xyz[axis] < pivot)
                swap(&v[i], &v[store++]);
        swap(&v[store], &v[hi - 1]);
        if (store == k)
            return;
        if (k < store)
            hi = store;
        else
            lo = store + 1;
    }
}

static void build(struct node *v, size_t lo, size_t hi)
{
    if (hi - lo <= 1)
        return;
    double min[3], max[3];
    for (int a = 0; a < 3; a++)
        min[a] = max[a] = v[lo].xyz[a];
    for (size_t i = lo + 1; i < hi; i++)
        for (int a = 0; a < 3; a++) {
            if (v[i].xyz[a] < min[a])
                min[a] = v[i].xyz[a];
            if (v[i].xyz[a] > max[a])
                max[a] = v[i].xyz[a];
        }
    int axis = 0;
    for (int a = 1; a < 3; a++)
        if (max[a] - min[a] > max[axis] - min[axis])
            axis = a;
    size_t mid = lo + (hi - lo) / 2;
    select_rank(v, lo, hi, mid, axis);
    v[mid].axis = axis;
    build(v, lo, mid);
    build(v, mid + 1, hi);
}

struct geo_index *geo_index_new(const struct geo_point *points, size_t n)
{
    struct geo_index *idx = xcalloc(1, sizeof *idx);
    idx->n = n;
    idx->nodes = n ? xmallocarray(n, sizeof *idx->nodes) : NULL;
    for (size_t i = 0; i < n; i++) {
        struct node *d = &idx->nodes[i];
        to_xyz(points[i].lat, points[i].lon, d->xyz);
        d->lat = points[i].lat;
        d->lon = points[i].lon;
        d->key = points[i].key;
        d->ref = points[i].ref;
        d->axis = 0;
    }
    if (n)
        build(idx->nodes, 0, n);
    return idx;
}

void geo_index_free(struct geo_index *idx)
{
    if (!idx)
        return;
    free(idx->nodes);
    free(idx);
}

size_t geo_index_size(const struct geo_index *idx)
{
    return idx->n;
}

/* ---- the k best so far ---- */

struct best {
    struct geo_hit *hits; /* sorted, nearest first */
    size_t k, n;
};

static bool nearer(double km, const char *key, size_t ref, const struct geo_hit *than)
{
    if (km != than->km)
        return km < than->km;
    int c = strcmp(key, than->key);
    return c != 0 ? c < 0 : ref < than->ref;
}

/* Offers a candidate; keeps the k nearest (insertion into a short sorted list). */
static void offer(struct best *b, double km, const char *key, size_t ref)
{
    if (b->n == b->k && !nearer(km, key, ref, &b->hits[b->n - 1]))
        return;
    size_t i = b->n < b->k ? b->n++ : b->n - 1;
    while (i > 0 && nearer(km, key, ref, &b->hits[i - 1])) {
        b->hits[i] = b->hits[i - 1];
        i--;
    }
    b->hits[i] = (struct geo_hit){km, key, ref};
}

/* ---- searching ---- */

struct query {
    double xyz[3], lat, lon;
    struct best best;
    double bound2; /* squared chord beyond which nothing can enter; INFINITY while not full */
};

static void update_bound(struct query *q)
{
    if (q->best.n < q->best.k)
        return;
    double km = q->best.hits[q->best.n - 1].km;
    double chord = 2.0 * sin(km / (2.0 * GEO_EARTH_RADIUS_KM)) * (1.0 + SLACK);
    q->bound2 = chord * chord + FLOOR2;
}

static void visit(const struct geo_index *idx, struct query *q, size_t lo, size_t hi)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct node *p = &idx->nodes[mid];
        double dx = q->xyz[0] - p->xyz[0], dy = q->xyz[1] - p->xyz[1], dz = q->xyz[2] - p->xyz[2];
        if (dx * dx + dy * dy + dz * dz <= q->bound2) {
            offer(&q->best, geo_distance_km(q->lat, q->lon, p->lat, p->lon), p->key, p->ref);
            update_bound(q);
        }
        if (hi - lo == 1)
            return;
        double diff = q->xyz[p->axis] - p->xyz[p->axis];
        size_t near_lo = diff < 0 ? lo : mid + 1, near_hi = diff < 0 ? mid : hi;
        size_t far_lo = diff < 0 ? mid + 1 : lo, far_hi = diff < 0 ? hi : mid;
        visit(idx, q, near_lo, near_hi);
        if (diff * diff > q->bound2)
            return;
        lo = far_lo; /* the far side, iteratively */
        hi = far_hi;
    }
}

static size_t clamp_k(size_t k, size_t n)
{
    if (k > GEO_MAX_K)
        k = GEO_MAX_K;
    return k < n ? k : n;
}

size_t geo_index_nearest(const struct geo_index *idx, double lat, double lon, size_t k,
                         struct geo_hit *out)
{
    struct query q = {.lat = lat, .lon = lon, .bound2 = INFINITY};
    q.best = (struct best){out, clamp_k(k, idx->n), 0};
    if (q.best.k == 0)
        return 0;
    to_xyz(lat, lon, q.xyz);
    visit(idx, &q, 0, idx->n);
    return q.best.n;
}

size_t geo_brute_nearest(const struct geo_point *points, size_t n, double lat, double lon, size_t k,
                         struct geo_hit *out)
{
    struct best b = {out, clamp_k(k, n), 0};
    if (b.k == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        offer(&b, geo_distance_km(lat, lon, points[i].lat, points[i].lon), points[i].key,
              points[i].ref);
    return b.n;
}

int geo_parse_degrees(const char *s, size_t len, double *out)
{
    static const double scale[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t i = 0, int_digits = 0, frac_digits = 0;
    uint64_t whole = 0, frac = 0;
    bool negative = false;
    if (len == 0 || len > 24)
        return -1;
    if (s[0] == '-' || s[0] == '+') {
        negative = s[0] == '-';
        i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, int_digits++) {
        if (int_digits == 3)
            return -1; /* degrees never need more than 3 digits */
        whole = whole * 10 + (uint64_t)(s[i] - '0');
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac_digits++) {
            if (frac_digits == 15)
                return -1;
            frac = frac * 10 + (uint64_t)(s[i] - '0');
        }
        if (frac_digits == 0)
            return -1;
    }
    if (i != len || int_digits == 0)
        return -1;
    double v = (double)whole + (double)frac / scale[frac_digits];
    *out = negative ? -v : v;
    return 0;
}

int geo_parse_point(const char *s, size_t len, double *lat, double *lon)
{
    const char *comma = len <= 64 ? memchr(s, ',', len) : NULL;
    if (!comma)
        return -1;
    size_t first = (size_t)(comma - s);
    if (geo_parse_degrees(s, first, lat) != 0 ||
        geo_parse_degrees(comma + 1, len - first - 1, lon) != 0)
        return -1;
    return geo_in_mexico(*lat, *lon) ? 0 : -1;
}
