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
 * axis, and likewise for rows. Since dw <= sw a source pixel overlaps at most two
 * output pixels, so each keeps two weights. Rows are accumulated in float; an output
 * row is handed out as soon as the source rows covering it are in. Only the sink uses
 * it, and only when the size changes. */

void photo_resampler_init(struct resampler *r, uint32_t sw, uint32_t sh, uint32_t dw, uint32_t dh)
{
    r->sw = sw;
    r->sh = sh;
    r->dw = dw;
    r->dh = dh;
    r->sy = r->oy = 0;
    r->xo = xmallocarray(sw, sizeof *r->xo);
    r->xw0 = xmallocarray(sw, sizeof *r->xw0);
    r->xw1 = xmallocarray(sw, sizeof *r->xw1);
    r->hrow = xcalloc((size_t)dw * PHOTO_CHANNELS, sizeof *r->hrow);
    r->acc = xcalloc((size_t)dw * PHOTO_CHANNELS, sizeof *r->acc);
    for (uint32_t sx = 0; sx < sw; sx++) {
        uint64_t a = (uint64_t)sx * dw, e = a + dw;
        uint32_t ox = (uint32_t)(a / sw);
        uint64_t b = (uint64_t)(ox + 1) * sw;
        r->xo[sx] = ox;
        if (e <= b) {
            r->xw0[sx] = (float)dw / (float)sw;
            r->xw1[sx] = 0.0f;
        } else {
            r->xw0[sx] = (float)(b - a) / (float)sw;
            r->xw1[sx] = (float)(e - b) / (float)sw;
        }
    }
}

void photo_resampler_release(struct resampler *r)
{
    free(r->xo);
    free(r->xw0);
    free(r->xw1);
    free(r->hrow);
    free(r->acc);
    memset(r, 0, sizeof *r);
}

/* Rounds and clamps the accumulated row into dst and clears the accumulator;
 * branch-free so the compiler vectorises it. */
static void emit_row(struct resampler *r, uint8_t *dst)
{
    float *acc = r->acc;
    size_t n = (size_t)r->dw * PHOTO_CHANNELS;
    for (size_t i = 0; i < n; i++) {
        float v = acc[i] + 0.5f;
        v = v < 0.0f ? 0.0f : v;
        v = v > 255.0f ? 255.0f : v;
        dst[i] = (uint8_t)(int)v;
        acc[i] = 0.0f;
    }
    r->oy++;
}

bool photo_resampler_push(struct resampler *r, const uint8_t *row, uint8_t *out)
{
    if (r->sy >= r->sh)
        return false;
    float *h = r->hrow;
    size_t n = (size_t)r->dw * PHOTO_CHANNELS;
    memset(h, 0, n * sizeof *h);
    for (uint32_t sx = 0; sx < r->sw; sx++) {
        const uint8_t *p = row + (size_t)sx * PHOTO_CHANNELS;
        float *o = h + (size_t)r->xo[sx] * PHOTO_CHANNELS;
        float w0 = r->xw0[sx], w1 = r->xw1[sx];
        o[0] += p[0] * w0;
        o[1] += p[1] * w0;
        o[2] += p[2] * w0;
        if (w1 != 0.0f) {
            o[3] += p[0] * w1;
            o[4] += p[1] * w1;
            o[5] += p[2] * w1;
        }
    }
    bool done = false;
    uint64_t a = (uint64_t)r->sy * r->dh, e = a + r->dh, b = (uint64_t)(r->oy + 1) * r->sh;
    if (e <= b) {
        float w = (float)r->dh / (float)r->sh;
        for (size_t i = 0; i < n; i++)
            r->acc[i] += h[i] * w;
        if (e == b) {
            emit_row(r, out);
            done = true;
        }
    } else {
        float w0 = (float)(b - a) / (float)r->sh, w1 = (float)(e - b) / (float)r->sh;
        for (size_t i = 0; i < n; i++)
            r->acc[i] += h[i] * w0;
        emit_row(r, out);
        done = true;
        for (size_t i = 0; i < n; i++)
            r->acc[i] = h[i] * w1;
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
