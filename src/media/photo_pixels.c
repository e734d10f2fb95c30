/* Pixel geometry of the photo module: the output size, the area (box) filter that
 * downscales streamed RGB rows, and EXIF orientation (parsing the APP1 payload and
 * writing oriented rows). Pure computation on memory the caller owns: no libjpeg,
 * no libpng, no I/O. See photo_internal.h for the interface and photo.c for its use. */
#include "media/photo_internal.h"

#include "util/alloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- Output size ---- */

/* The output size for a w x h input: the long side at most long_side, the aspect
 * ratio kept (rounded), never upscaled, never zero. */
void photo_target_size(uint32_t w, uint32_t h, uint32_t long_side, uint32_t *dw, uint32_t *dh)
{
    *dw = w;
    *dh = h;
    if (w >= h && w > long_side) {
        *dw = long_side;
        *dh = (uint32_t)(((uint64_t)h * long_side + w / 2) / w);
    } else if (h > w && h > long_side) {
        *dh = long_side;
        *dw = (uint32_t)(((uint64_t)w * long_side + h / 2) / h);
    }
    if (*dw == 0)
        *dw = 1;
    if (*dh == 0)
        *dh = 1;
}

/* ---- Area (box) filter: streams source rows in, output rows out ----
 *
 * Exact area averaging in integer coordinates: source column sx covers
 * [sx*dw, (sx+1)*dw) and output column ox covers [ox*sw, (ox+1)*sw) on a common
 * axis, and likewise for rows. Horizontally each output pixel gathers the source
 * pixels it covers: the first and last with their integer overlaps, those between
 * with the full dw, summed in integers (at most 255 * sw < 2^24, exact in a float).
 * Vertically source rows are accumulated in float with their overlap / (sh * sw); an
 * output row is handed out as soon as the source rows covering it are in. Only the
 * sink uses it, and only when the size changes. */

/* The vertical loops work in blocks of four floats (rows are padded to a multiple of
 * four) on restrict pointers: the shape GCC 12's -O2 vectoriser (its "very cheap" cost
 * model) takes, as it needs neither runtime alias checks nor a scalar tail. */
#define BLOCK 4

void photo_resampler_init(struct resampler *r, uint32_t sw, uint32_t sh, uint32_t dw, uint32_t dh)
{
    r->sw = sw;
    r->sh = sh;
    r->dw = dw;
    r->dh = dh;
    r->sy = r->oy = 0;
    r->x0 = xmallocarray(dw, sizeof *r->x0);
    r->xn = xmallocarray(dw, sizeof *r->xn);
    r->xf = xmallocarray(dw, sizeof *r->xf);
    r->xl = xmallocarray(dw, sizeof *r->xl);
    r->padded = ((size_t)dw * PHOTO_CHANNELS + BLOCK - 1) / BLOCK * BLOCK;
    r->hrow = xcalloc(r->padded, sizeof *r->hrow);
    r->acc = xcalloc(r->padded, sizeof *r->acc);
    for (uint32_t ox = 0; ox < dw; ox++) {
        uint64_t a = (uint64_t)ox * sw, e = a + sw; /* the output column's span */
        uint32_t first = (uint32_t)(a / dw), last = (uint32_t)((e - 1) / dw);
        r->x0[ox] = first;
        r->xn[ox] = last - first + 1;
        if (first == last) {
            r->xf[ox] = sw;
            r->xl[ox] = 0;
        } else {
            r->xf[ox] = (uint32_t)((uint64_t)(first + 1) * dw - a);
            r->xl[ox] = (uint32_t)(e - (uint64_t)last * dw);
        }
    }
}

void photo_resampler_release(struct resampler *r)
{
    free(r->x0);
    free(r->xn);
    free(r->xf);
    free(r->xl);
    free(r->hrow);
    free(r->acc);
    memset(r, 0, sizeof *r);
}

/* Rounds a weighted mean of bytes (so within float error of 0-255) to a byte; clamped
 * in integers, which compiles without branches, unlike float comparisons. */
static inline uint8_t to_byte(float v)
{
    int i = (int)(v + 0.5f);
    return (uint8_t)(i < 0 ? 0 : i > 255 ? 255 : i);
}

/* Writes the accumulated row to out as bytes and clears the accumulator. */
static void emit_row(struct resampler *r, uint8_t *out)
{
    size_t n = (size_t)r->dw * PHOTO_CHANNELS;
    for (size_t i = 0; i < n; i++)
        out[i] = to_byte(r->acc[i]);
    memset(r->acc, 0, r->padded * sizeof *r->acc);
    r->oy++;
}

/* acc += h * w over the padded row. */
static void add_scaled(float *restrict acc, const float *restrict h, float w, size_t padded)
{
    for (size_t i = 0; i < padded; i += BLOCK)
        for (size_t k = 0; k < BLOCK; k++)
            acc[i + k] += h[i + k] * w;
}

/* acc = h * w over the padded row. */
static void set_scaled(float *restrict acc, const float *restrict h, float w, size_t padded)
{
    for (size_t i = 0; i < padded; i += BLOCK)
        for (size_t k = 0; k < BLOCK; k++)
            acc[i + k] = h[i + k] * w;
}

/* The horizontal pass: hrow = row resampled to dw pixels, times sw. */
static void resample_row(struct resampler *r, const uint8_t *row)
{
    float *h = r->hrow;
    for (uint32_t ox = 0; ox < r->dw; ox++, h += PHOTO_CHANNELS) {
        const uint8_t *p = row + (size_t)r->x0[ox] * PHOTO_CHANNELS;
        uint32_t n = r->xn[ox], f = r->xf[ox];
        uint32_t c0 = f * p[0], c1 = f * p[1], c2 = f * p[2];
        if (n > 1) {
            uint32_t m0 = 0, m1 = 0, m2 = 0, l = r->xl[ox];
            const uint8_t *q = p + PHOTO_CHANNELS, *end = p + (size_t)(n - 1) * PHOTO_CHANNELS;
            for (; q < end; q += PHOTO_CHANNELS) {
                m0 += q[0];
                m1 += q[1];
                m2 += q[2];
            }
            c0 += r->dw * m0 + l * end[0];
            c1 += r->dw * m1 + l * end[1];
            c2 += r->dw * m2 + l * end[2];
        }
        h[0] = (float)c0;
        h[1] = (float)c1;
        h[2] = (float)c2;
    }
}

bool photo_resampler_push(struct resampler *r, const uint8_t *row, uint8_t *out)
{
    if (r->sy >= r->sh)
        return false;
    resample_row(r, row);
    float unit = 1.0f / ((float)r->sh * (float)r->sw); /* a whole output pixel's weight */
    bool done = false;
    uint64_t a = (uint64_t)r->sy * r->dh, e = a + r->dh, b = (uint64_t)(r->oy + 1) * r->sh;
    if (e <= b) {
        add_scaled(r->acc, r->hrow, (float)r->dh * unit, r->padded);
        if (e == b) {
            emit_row(r, out);
            done = true;
        }
    } else {
        add_scaled(r->acc, r->hrow, (float)(b - a) * unit, r->padded);
        emit_row(r, out);
        done = true;
        set_scaled(r->acc, r->hrow, (float)(e - b) * unit, r->padded);
    }
    r->sy++;
    return done;
}

/* ---- EXIF orientation ---- */

/* The 16-bit value at p, little-endian when le, else big-endian. */
static uint32_t rd16(const uint8_t *p, bool le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 : (uint32_t)p[0] << 8 | p[1];
}

uint32_t photo_rd32(const uint8_t *p, bool le)
{
    return le ? rd16(p, true) | rd16(p + 2, true) << 16 : rd16(p, false) << 16 | rd16(p + 2, false);
}

/* The Orientation (0x0112) of IFD0 in an APP1 payload, 1-8; 0 when the payload is
 * not EXIF; 1 when it is EXIF but has no valid orientation. Every read is bounded by
 * n; the entry count is capped by the bytes present. */
int photo_exif_orientation(const uint8_t *p, size_t n)
{
    static const uint8_t exif[6] = {'E', 'x', 'i', 'f', 0, 0};
    if (n < sizeof exif || memcmp(p, exif, sizeof exif) != 0)
        return 0;
    const uint8_t *t = p + sizeof exif; /* the TIFF structure; offsets are from here */
    size_t tn = n - sizeof exif;
    if (tn < 8)
        return 1;
    bool le;
    if (t[0] == 'I' && t[1] == 'I')
        le = true;
    else if (t[0] == 'M' && t[1] == 'M')
        le = false;
    else
        return 1;
    if (rd16(t + 2, le) != 42)
        return 1;
    uint32_t ifd = photo_rd32(t + 4, le);
    if (ifd < 8 || ifd > tn || tn - ifd < 2)
        return 1;
    size_t count = rd16(t + ifd, le);
    size_t room = (tn - ifd - 2) / 12;
    if (count > room)
        count = room;
    for (size_t i = 0; i < count; i++) {
        const uint8_t *entry = t + ifd + 2 + 12 * i;
        if (rd16(entry, le) != 0x0112)
            continue;
        uint32_t type = rd16(entry + 2, le), n_values = photo_rd32(entry + 4, le), v;
        if (n_values != 1)
            return 1;
        if (type == 3) /* SHORT, as the standard says */
            v = rd16(entry + 8, le);
        else if (type == 4) /* LONG, as some writers do */
            v = photo_rd32(entry + 8, le);
        else
            return 1;
        return v >= 1 && v <= 8 ? (int)v : 1;
    }
    return 1;
}

/* The size of a w x h image shown with EXIF orientation o: 5-8 swap the sides. */
void photo_oriented_size(uint32_t w, uint32_t h, int o, uint32_t *ow, uint32_t *oh)
{
    bool swap = o >= 5 && o <= 8;
    *ow = swap ? h : w;
    *oh = swap ? w : h;
}

/* Writes row y of the w x h RGB image src as shown with EXIF orientation o (2-8)
 * into row, which holds one row of the oriented image. */
void photo_oriented_row(const uint8_t *src, uint32_t w, uint32_t h, int o, uint32_t y, uint8_t *row)
{
    uint32_t W, H;
    photo_oriented_size(w, h, o, &W, &H);
    for (uint32_t x = 0; x < W; x++) {
        uint32_t sx, sy;
        switch (o) {
        case 2: /* mirrored horizontally */
            sx = w - 1 - x;
            sy = y;
            break;
        case 3: /* rotated 180 */
            sx = w - 1 - x;
            sy = h - 1 - y;
            break;
        case 4: /* mirrored vertically */
            sx = x;
            sy = h - 1 - y;
            break;
        case 5: /* transposed */
            sx = y;
            sy = x;
            break;
        case 6: /* stored rotated 90 counter-clockwise: turn it clockwise */
            sx = y;
            sy = h - 1 - x;
            break;
        case 7: /* transversed */
            sx = w - 1 - y;
            sy = h - 1 - x;
            break;
        default: /* 8: stored rotated 90 clockwise: turn it counter-clockwise */
            sx = w - 1 - y;
            sy = x;
            break;
        }
        memcpy(row + (size_t)x * PHOTO_CHANNELS, src + ((size_t)sy * w + sx) * PHOTO_CHANNELS,
               PHOTO_CHANNELS);
    }
}
