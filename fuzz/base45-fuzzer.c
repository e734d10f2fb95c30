/* libFuzzer harness for src/credential/base45.c: base45_decode on any bytes, and
 * base45_encode of the same bytes.
 *
 * Invariants checked (abort on violation):
 * - decoding succeeds exactly when every character is in the alphabet, the length is
 *   not 3k + 1 and no group is over its limit; then the output length is
 *   base45_decoded_size and re-encoding gives back the input (one text per bytes);
 * - on failure the output length is 0 and the position lies inside the input;
 * - encoding any bytes gives base45_encoded_size characters that decode back to them.
 */
#include "credential/base45.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_INPUT 6000

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
    /* Private copies so a read past the end is caught by ASan. */
    char *text = malloc(size ? size : 1);
    require(text != NULL);
    memcpy(text, data, size);
    size_t cap = base45_decoded_size(size);
    uint8_t *out = malloc(cap ? cap : 1);
    require(out != NULL);
    size_t len = 99, where = 0;
    enum base45_status st = base45_decode(text, size, out, cap, &len, &where);
    require(strcmp(base45_status_code(st), "unknown") != 0);
    if (st == BASE45_OK) {
        require(size % 3 != 1);
        require(len == cap);
        char *again = malloc(size + 1);
        require(again != NULL);
        require(base45_encode(out, len, again, size + 1) == BASE45_OK);
        require(memcmp(again, text, size) == 0 && again[size] == '\0');
        free(again);
    } else {
        require(st != BASE45_ERR_SPACE);
        require(len == 0);
        require(size == 0 || where < size);
    }

    size_t n = base45_encoded_size(size);
    char *enc = malloc(n + 1);
    require(enc != NULL);
    require(base45_encode(data, size, enc, n) == BASE45_ERR_SPACE);
    require(base45_encode(data, size, enc, n + 1) == BASE45_OK);
    require(strlen(enc) == n);
    uint8_t *dec = malloc(size ? size : 1);
    require(dec != NULL);
    require(base45_decode(enc, n, dec, size, &len, NULL) == BASE45_OK);
    require(len == size && (size == 0 || memcmp(dec, data, size) == 0));
    free(dec);
    free(enc);
    free(out);
    free(text);
    return 0;
}
