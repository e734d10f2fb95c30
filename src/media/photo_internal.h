/*
 * photo_internal: what the photo module's files (photo.c, photo_pixels.c) share.
 * Private to the photo module, not part of photo.h: nothing outside src/media/photo*.c
 * includes this. Everything here is pure computation on memory the caller owns, apart
 * from the allocations it names, which abort on exhaustion (util/alloc.h) and so never
 * fail.
 */
#ifndef PADRON_MEDIA_PHOTO_INTERNAL_H
#define PADRON_MEDIA_PHOTO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHOTO_CHANNELS 3 /* every pipeline row is 8-bit RGB */

/* An area (box) filter downscaling sw x sh RGB rows, pushed one at a time, to dw x dh
 * (dw <= sw, dh <= sh). Owned by the caller; zero-initialised it is safe to release. */
struct resampler {
    uint32_t sw, sh, dw, dh;
    uint32_t *xo;    /* per source column: the first output column it touches */
    float *xw0;      /* its weight there */
    float *xw1;      /* its weight in the next output column (0 when none) */
    float *hrow;     /* the current source row, resampled horizontally: dw * PHOTO_CHANNELS */
    float *acc;      /* the output row being accumulated: dw * PHOTO_CHANNELS */
    uint8_t *pixels; /* the output: dw * dh * PHOTO_CHANNELS */
    uint32_t sy, oy; /* next source row, output row being accumulated (dh once complete) */
};

/* The output size of a w x h input: long side at most long_side, aspect kept, never
 * upscaled, never zero. */
void photo_target_size(uint32_t w, uint32_t h, uint32_t long_side, uint32_t *dw, uint32_t *dh);

/* Sets up *r for sw x sh -> dw x dh and allocates its buffers (aborts on exhaustion). */
void photo_resampler_init(struct resampler *r, uint32_t sw, uint32_t sh, uint32_t dw, uint32_t dh);

/* Frees r's buffers, r->pixels included, and zeroes *r; safe on a zeroed resampler. */
void photo_resampler_release(struct resampler *r);

/* Adds one RGB source row of sw pixels (not retained); rows beyond sh are ignored. */
void photo_resampler_push(struct resampler *r, const uint8_t *row);

/* The 32-bit value at p (4 readable bytes), little-endian when le, else big-endian. */
uint32_t photo_rd32(const uint8_t *p, bool le);

/* The EXIF orientation of the n-byte APP1 payload p: 1-8; 0 when not EXIF; 1 when
 * EXIF without a valid one. Never reads past n. */
int photo_exif_orientation(const uint8_t *p, size_t n);

/* The size *ow x *oh of a w x h image shown with EXIF orientation o (5-8 swap sides). */
void photo_oriented_size(uint32_t w, uint32_t h, int o, uint32_t *ow, uint32_t *oh);

/* Writes row y of the w x h RGB image src, shown with orientation o (2-8), into row
 * (room for one oriented row, caller-owned). */
void photo_oriented_row(const uint8_t *src, uint32_t w, uint32_t h, int o, uint32_t y,
                        uint8_t *row);

#endif
