/* libFuzzer harness for src/render/qr_scan.c's image path: qr_scan_image on any
 * bytes (PNG or JPEG decoding through media/photo, the grey re-decode, zbar).
 *
 * The PDF path is not fuzzed here: poppler is not built with coverage, so libFuzzer
 * would mutate blind, and one hostile PDF can take poppler seconds, which a few-second
 * smoke run cannot afford; poppler has its own OSS-Fuzz harnesses. Our PDF code (the
 * header check, page size and pixel bounds, the two passes) is covered by the unit
 * tests' truncated, garbage, huge- and tiny-page PDFs.
 *
 * Limits are lowered so each input stays fast (64 KiB, 1 megapixel as stored, 512
 * pixels a side after scaling). Invariants checked (abort on violation):
 * - the status is one of the enum, with a stable code other than "unknown";
 * - success: text is NUL-terminated at len, 1 to QR_SCAN_TEXT_MAX bytes, holds no
 *   NUL, and error is empty;
 * - failure: no text, and error starts with "code: ";
 * - with valid limits the status is never QR_SCAN_ERR_INTERNAL.
 */
#include "render/qr_scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_INPUT (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    uint8_t *copy = malloc(size ? size : 1); /* so reading past size is caught */
    require(copy != NULL);
    memcpy(copy, data, size);
    struct qr_scan_limits lim;
    qr_scan_limits_init(&lim);
    lim.max_image_bytes = FUZZ_MAX_INPUT;
    lim.max_image_pixels = 1000000;
    lim.max_long_side = 512;

    struct qr_scan_result r;
    enum qr_scan_status st = qr_scan_image(copy, size, &lim, &r);
    require(st == r.status && st >= QR_SCAN_OK && st <= QR_SCAN_ERR_INTERNAL);
    require(st != QR_SCAN_ERR_INTERNAL);
    const char *code = qr_scan_status_code(st);
    require(strcmp(code, "unknown") != 0);
    require(memchr(r.error, '\0', sizeof r.error) != NULL);
    if (st == QR_SCAN_OK) {
        require(r.text != NULL && r.len >= 1 && r.len <= QR_SCAN_TEXT_MAX);
        require(strlen(r.text) == r.len && r.error[0] == '\0');
    } else {
        size_t n = strlen(code);
        require(r.text == NULL && r.len == 0);
        require(strncmp(r.error, code, n) == 0 && r.error[n] == ':' && r.error[n + 1] == ' ');
    }
    qr_scan_result_release(&r);
    free(copy);
    return 0;
}
