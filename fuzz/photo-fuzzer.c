/* libFuzzer harness for src/media/photo.c: photo_process on any bytes.
 *
 * Limits are lowered so each input stays fast (2000 px a side, half a megapixel,
 * 256 px out, no minimum size so tiny seeds decode). PNG chunk CRCs would stop almost
 * every mutation at the first chunk, so a PNG input whose CRCs are wrong is also run
 * with its CRCs recomputed (the CRC check itself is covered by the unit tests).
 *
 * Invariants checked (abort on violation):
 * - the status is one of the enum, with a stable code other than "unknown";
 * - failure: no output buffer, and error starts with "code: ";
 * - success: error is empty; the output starts FF D8 FF and ends FF D9; its segments
 *   before the scan are only APP0 JFIF, DQT, SOF0 and DHT (no metadata survives); its
 *   long side is at most out_long_side and is min(input long side, out_long_side); the
 *   sides are swapped exactly for orientations 5-8;
 * - the output is itself accepted by photo_process, at the same size, unrotated.
 */
#include "media/photo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FUZZ_MAX_INPUT (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static const struct photo_limits fuzz_limits = {
    .max_bytes = FUZZ_MAX_INPUT,
    .max_side = 2000,
    .max_pixels = 500000,
    .min_short_side = 1,
    .out_long_side = 256,
    .quality = 85,
    .max_interlaced = 250000,
    .max_decoder_memory = 16u << 20,
    .max_scans = 40,
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Only SOI, APP0 "JFIF", DQT, SOF0, DHT, then SOS; EOI at the end. */
static void check_clean_jpeg(const uint8_t *p, size_t n)
{
    require(n >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff);
    require(p[n - 2] == 0xff && p[n - 1] == 0xd9);
    size_t i = 2;
    for (;;) {
        require(i + 4 <= n && p[i] == 0xff);
        uint8_t m = p[i + 1];
        size_t len = (size_t)p[i + 2] << 8 | p[i + 3];
        if (m == 0xda)
            return;
        require(m == 0xdb || m == 0xc0 || m == 0xc4 ||
                (m == 0xe0 && i + 9 <= n && memcmp(p + i + 4, "JFIF", 5) == 0));
        i += 2 + len;
    }
}

static void check(const uint8_t *data, size_t size)
{
    /* A private copy so reading past size is caught by ASan. */
    uint8_t *copy = malloc(size ? size : 1);
    require(copy != NULL);
    memcpy(copy, data, size);

    struct photo_result r;
    enum photo_status st = photo_process(copy, size, &fuzz_limits, &r);
    require(st == r.status);
    require(st >= PHOTO_OK && st <= PHOTO_ERR_INTERNAL);
    const char *code = photo_status_code(st);
    require(strcmp(code, "unknown") != 0);
    require(memchr(r.error, '\0', sizeof r.error) != NULL);
    if (st != PHOTO_OK) {
        require(r.jpeg == NULL && r.jpeg_len == 0);
        size_t n = strlen(code);
        require(strncmp(r.error, code, n) == 0 && r.error[n] == ':' && r.error[n + 1] == ' ');
        require(st != PHOTO_ERR_INTERNAL); /* the limits are valid and encoding cannot fail */
        photo_result_release(&r);
        free(copy);
        return;
    }
    require(r.error[0] == '\0' && r.jpeg != NULL);
    check_clean_jpeg(r.jpeg, r.jpeg_len);
    require(r.orientation >= 1 && r.orientation <= 8);
    require(r.format == PHOTO_FORMAT_JPEG || r.orientation == 1);
    uint32_t in_long = r.src_width > r.src_height ? r.src_width : r.src_height;
    uint32_t out_long = r.width > r.height ? r.width : r.height;
    uint32_t want = in_long < fuzz_limits.out_long_side ? in_long : fuzz_limits.out_long_side;
    require(r.width >= 1 && r.height >= 1 && out_long == want);
    bool swapped = r.orientation >= 5;
    uint32_t w = swapped ? r.height : r.width; /* as stored */
    uint32_t h = swapped ? r.width : r.height;
    require(w <= r.src_width && h <= r.src_height);
    require(r.src_width > r.src_height ? w >= h : r.src_width < r.src_height ? h >= w : w == h);

    /* The output goes through again unchanged in size. */
    struct photo_result again;
    require(photo_process(r.jpeg, r.jpeg_len, &fuzz_limits, &again) == PHOTO_OK);
    require(again.width == r.width && again.height == r.height && again.orientation == 1);
    photo_result_release(&again);
    photo_result_release(&r);
    require(r.jpeg == NULL);
    free(copy);
}

/* Recomputes every chunk CRC of a PNG in place; true when any changed. */
static bool fix_png_crcs(uint8_t *p, size_t n)
{
    bool changed = false;
    size_t i = 8;
    while (i + 12 <= n) {
        uint32_t len = be32(p + i);
        if (len > n - i - 12)
            break;
        uint32_t crc = (uint32_t)crc32(0, p + i + 4, len + 4);
        uint8_t *c = p + i + 8 + len;
        uint8_t want[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8),
                           (uint8_t)crc};
        if (memcmp(c, want, 4) != 0) {
            memcpy(c, want, 4);
            changed = true;
        }
        i += 12 + len;
    }
    return changed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    check(data, size);
    if (size >= 8 && data[0] == 0x89 && data[1] == 'P') {
        uint8_t *fixed = malloc(size);
        require(fixed != NULL);
        memcpy(fixed, data, size);
        if (fix_png_crcs(fixed, size))
            check(fixed, size);
        free(fixed);
    }
    return 0;
}
