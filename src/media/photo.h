/*
 * photo: an uploaded photo (ID front/back, face) checked, decoded, oriented,
 * downscaled and re-encoded as a clean baseline JPEG.
 *
 * Invariants:
 * - Checks run before the work they protect, in this order: byte size (before
 *   anything is parsed), type by magic bytes, dimensions read from the file header
 *   (before any pixel buffer exists, so a decompression bomb never allocates), the
 *   short side, then decoding. The first failure is reported.
 * - Only JPEG (FF D8 FF) and PNG (the 8-byte PNG signature) are accepted.
 * - Memory is bounded by the output, not the input: rows are decoded one at a time,
 *   area (box) filtered when the size changes, and go straight to the encoder, so a
 *   60-megapixel photo never exists in memory as pixels; orientations 2-8 keep the
 *   output image (at most out_long_side squared, 3 bytes a pixel). Two documented
 *   exceptions, both capped by the limits below: progressive/multi-scan JPEGs need
 *   libjpeg's coefficient buffer (max_decoder_memory), and Adam7-interlaced PNGs are
 *   decoded whole (max_interlaced_pixels).
 * - JPEGs are decoded at the smallest scale M/8 (M = 1-8) that still leaves at least
 *   the output size, then area-filtered to the output size when they are not exactly
 *   it; nothing is upscaled.
 * - Corrupt input never exits, never prints and never returns partial pixels: every
 *   libjpeg/libpng error and every libjpeg warning that means damaged pixel data
 *   (truncation, bad Huffman code, missing restart marker, ...) is PHOTO_ERR_UNREADABLE.
 *   A PNG chunk whose CRC does not match is unreadable too; the zlib stream's Adler-32
 *   is not checked, since the IDAT CRCs already cover the same bytes.
 * - JPEG EXIF orientation (APP1 "Exif", IFD0 tag 0x0112, values 1-8) is applied to the
 *   pixels; other values and malformed EXIF mean "as stored". PNG has no orientation.
 * - Grayscale, RGB, palette, 1/2/4/16-bit and alpha PNGs become 8-bit RGB; alpha is
 *   composited on white. CMYK/YCCK JPEGs are converted with the naive formula (no ICC
 *   profile; Adobe-marked files are taken as inverted CMYK, as Photoshop writes them).
 * - The output is a baseline (sequential, standard Huffman tables) 3-component JPEG whose
 *   only segments are SOI, APP0 JFIF (fixed content: version 1.01, aspect 1:1, no
 *   thumbnail), DQT, SOF0, DHT, SOS and EOI: no EXIF, GPS, ICC, XMP or comment from the
 *   input survives, because only pixels cross from decoder to encoder.
 * - Reentrant: no globals; any number of threads may call photo_process at once.
 * - Status codes are stable identifiers for logs, tests and the web layer (which
 *   translates them for people); out->error is English "code: why" for logs, with
 *   numbers but never any byte of the photo.
 */
#ifndef PADRON_MEDIA_PHOTO_H
#define PADRON_MEDIA_PHOTO_H

#include <stddef.h>
#include <stdint.h>

/* The limits an upload page states before upload. */
#define PHOTO_MAX_BYTES       (10u * 1024u * 1024u)  /* 10 MB (MiB) of upload */
#define PHOTO_MAX_SIDE        12000u                 /* pixels, either side */
#define PHOTO_MAX_PIXELS      60000000u              /* 60 megapixels */
#define PHOTO_MIN_SHORT_SIDE  300u                   /* pixels: anything smaller is unreadable */
#define PHOTO_OUT_LONG_SIDE   1600u                  /* the stored photo's long side, at most */
#define PHOTO_JPEG_QUALITY    85                     /* libjpeg quality of the stored photo */
#define PHOTO_MAX_INTERLACED  16000000u              /* pixels of an interlaced PNG */
#define PHOTO_MAX_DECODER_MEM (200u * 1024u * 1024u) /* bytes of libjpeg working memory */
#define PHOTO_MAX_SCANS       100                    /* scans of a progressive JPEG */

struct photo_limits {
    size_t max_bytes;          /* PHOTO_MAX_BYTES */
    uint32_t max_side;         /* PHOTO_MAX_SIDE */
    uint64_t max_pixels;       /* PHOTO_MAX_PIXELS */
    uint32_t min_short_side;   /* PHOTO_MIN_SHORT_SIDE */
    uint32_t out_long_side;    /* PHOTO_OUT_LONG_SIDE */
    int quality;               /* PHOTO_JPEG_QUALITY, 1-100 */
    uint64_t max_interlaced;   /* PHOTO_MAX_INTERLACED */
    size_t max_decoder_memory; /* PHOTO_MAX_DECODER_MEM */
    int max_scans;             /* PHOTO_MAX_SCANS */
};

/* The defaults above, for static initialisation. */
#define PHOTO_LIMITS_INIT                                                                          \
    {                                                                                              \
        PHOTO_MAX_BYTES, PHOTO_MAX_SIDE, PHOTO_MAX_PIXELS, PHOTO_MIN_SHORT_SIDE,                   \
            PHOTO_OUT_LONG_SIDE, PHOTO_JPEG_QUALITY, PHOTO_MAX_INTERLACED, PHOTO_MAX_DECODER_MEM,  \
            PHOTO_MAX_SCANS                                                                        \
    }

enum photo_status {
    PHOTO_OK = 0,
    PHOTO_ERR_TYPE,       /* neither JPEG nor PNG by its magic bytes (HTTP 415) */
    PHOTO_ERR_SIZE,       /* more than max_bytes (HTTP 413) */
    PHOTO_ERR_DIMENSIONS, /* a side over max_side, over max_pixels, or over a decoder memory
                             limit (HTTP 422) */
    PHOTO_ERR_UNREADABLE, /* corrupt, truncated or unsupported (e.g. 12-bit JPEG) (HTTP 422) */
    PHOTO_ERR_TOO_SMALL,  /* short side under min_short_side (HTTP 422) */
    PHOTO_ERR_INTERNAL,   /* invalid limits or an encoder failure: not the uploader's fault
                             (HTTP 500) */
};

enum photo_format { PHOTO_FORMAT_NONE = 0, PHOTO_FORMAT_JPEG, PHOTO_FORMAT_PNG };

/* What photo_process made. Owned by the caller; photo_result_release frees jpeg. */
struct photo_result {
    enum photo_status status;
    enum photo_format format; /* of the input, once the magic bytes are known */
    uint32_t src_width;       /* as stored in the input's header, once read */
    uint32_t src_height;
    int orientation;        /* EXIF orientation applied, 1-8 (1 = as stored) */
    uint32_t width, height; /* of the output, after orientation */
    uint8_t *jpeg;          /* PHOTO_OK: the output JPEG (malloc), else NULL */
    size_t jpeg_len;
    char error[160]; /* not PHOTO_OK: "code: why", English, for logs */
};

/* Fills *lim with the defaults (PHOTO_LIMITS_INIT). */
void photo_limits_init(struct photo_limits *lim);

/*
 * Checks and converts the len bytes at data (not modified, not retained) under lim
 * (NULL means the defaults). out is always initialised first, so photo_result_release
 * is safe whatever the outcome. On PHOTO_OK out->jpeg holds the re-encoded photo, whose
 * long side is min(the input's, lim->out_long_side). On failure out->jpeg is NULL and
 * out->error says why. Limits with a zero field or a quality outside 1-100 give
 * PHOTO_ERR_INTERNAL. Returns out->status.
 */
enum photo_status photo_process(const uint8_t *data, size_t len, const struct photo_limits *lim,
                                struct photo_result *out);

/* Frees r->jpeg and clears r; safe on a released or zeroed result. */
void photo_result_release(struct photo_result *r);

/* Hands r->jpeg to the caller (free() it) and stores its length in *len; r keeps
 * its other fields but no longer owns a buffer. NULL when there is none. */
uint8_t *photo_result_detach(struct photo_result *r, size_t *len);

/* The stable code of a status: "ok", "type", "size", "dimensions", "unreadable",
 * "too_small", "internal" ("unknown" for a value outside the enum). */
const char *photo_status_code(enum photo_status status);

#endif
