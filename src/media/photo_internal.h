/*
 * photo_internal: what the photo module's files (photo.c: checks and decoders,
 * photo_sink.c: scaling, turning and encoding, photo_pixels.c: pixel geometry) share.
 * Private to the photo module, not part of photo.h: nothing outside src/media/photo*.c
 * includes this. Allocations abort on exhaustion (util/alloc.h) and so never fail;
 * libjpeg errors of the sink longjmp to the caller's jmp_buf, as documented below.
 */
#ifndef PADRON_MEDIA_PHOTO_INTERNAL_H
#define PADRON_MEDIA_PHOTO_INTERNAL_H

#include "media/photo.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHOTO_CHANNELS 3 /* every pipeline row is 8-bit RGB */

/* An area (box) filter downscaling sw x sh RGB rows, pushed one at a time, to dw x dh
 * (dw <= sw, dh <= sh), handing out each output row as soon as it is complete. Owned
 * by the caller; zero-initialised it is safe to release. */
struct resampler {
    uint32_t sw, sh, dw, dh;
    uint32_t *x0;    /* per output column: the first source column it covers */
    uint32_t *xn;    /* how many source columns it covers, at least 1 */
    uint32_t *xf;    /* the first one's overlap, in units where a source column is dw */
    uint32_t *xl;    /* the last one's overlap (when xn > 1); the others overlap fully */
    size_t padded;   /* dw * PHOTO_CHANNELS rounded up to a multiple of 4 */
    float *hrow;     /* the current source row, resampled horizontally, times sw */
    float *acc;      /* the output row being accumulated */
    uint32_t sy, oy; /* next source row, output row being accumulated (dh once complete) */
};

/* The output size of a w x h input: long side at most long_side, aspect kept, never
 * upscaled, never zero. */
void photo_target_size(uint32_t w, uint32_t h, uint32_t long_side, uint32_t *dw, uint32_t *dh);

/* Sets up *r for sw x sh -> dw x dh and allocates its buffers (aborts on exhaustion). */
void photo_resampler_init(struct resampler *r, uint32_t sw, uint32_t sh, uint32_t dw, uint32_t dh);

/* Frees r's buffers and zeroes *r; safe on a zeroed resampler. */
void photo_resampler_release(struct resampler *r);

/* Adds one RGB source row of sw pixels (not retained). When that completes output row
 * r->oy, writes it (dw RGB pixels) to out and returns true; out is not touched
 * otherwise. A source row completes at most one output row. Rows beyond sh are
 * ignored. */
bool photo_resampler_push(struct resampler *r, const uint8_t *row, uint8_t *out);

/*
 * The output side of a photo: a decoder hands it sw x sh RGB rows, top to bottom; it
 * makes them dw x dh (the box filter, only when the size changes), turns them to
 * orientation 1-8 and encodes a clean baseline JPEG. With orientation 1 every row goes
 * straight on to the encoder, so no image buffer exists; orientations 2-8 need the
 * whole dw x dh image, which is kept and written out turned at the end.
 *
 * Usage, inside the decoder's setjmp context: photo_sink_new; photo_sink_start; sh
 * times (decode into photo_sink_row, then photo_sink_push); photo_sink_finish;
 * photo_sink_detach. A libjpeg error in start, push or finish (or rows missing at
 * finish) longjmps to *jmp; photo_sink_error then returns its message. photo_sink_free
 * is needed whatever happened.
 */
struct photo_sink;

/* A sink for sw x sh rows becoming dw x dh (dw <= sw, dh <= sh) shown with orientation
 * (1-8), encoded at quality (1-100). Only allocates: never longjmps. */
struct photo_sink *photo_sink_new(uint32_t sw, uint32_t sh, uint32_t dw, uint32_t dh,
                                  int orientation, int quality, jmp_buf *jmp);

/* Starts the encoder. May longjmp. */
void photo_sink_start(struct photo_sink *s);

/* Where to decode the next source row: sw RGB pixels, owned by s, valid until the next
 * photo_sink_push. */
uint8_t *photo_sink_row(struct photo_sink *s);

/* Takes the row decoded into photo_sink_row. May longjmp. */
void photo_sink_push(struct photo_sink *s);

/* After the last row: checks every row came, writes a turned image out, finishes the
 * JPEG. May longjmp. */
void photo_sink_finish(struct photo_sink *s);

/* The encoder's or the sink's own message once one has longjmped, else NULL. */
const char *photo_sink_error(const struct photo_sink *s);

/* After photo_sink_finish: hands the JPEG to out (jpeg, jpeg_len, width, height,
 * orientation); s keeps nothing. */
void photo_sink_detach(struct photo_sink *s, struct photo_result *out);

/* Frees s and everything it holds; NULL is a no-op. */
void photo_sink_free(struct photo_sink *s);

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
