/*
 * Fuzzes what a staff member types when deciding a review (core/review_reason):
 * the decision word and the written reason, with arbitrary bytes.
 *
 * Input: the decision, '|', the reason (the decision alone when there is no '|').
 * Invariants checked besides memory safety:
 * - a parsed decision is exactly "lift" or "confirm";
 * - an accepted reason is valid text of 10-400 characters that fits its buffer
 *   and cleans again to itself.
 */
#include "core/review_reason.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char *text = malloc(size + 1);
    require(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    char *reason = strchr(text, '|');
    if (reason)
        *reason++ = '\0';
    enum review_decision d;
    if (review_decision_parse(text, &d) == 0)
        require((d == REVIEW_LIFT && strcmp(text, "lift") == 0) ||
                (d == REVIEW_CONFIRM && strcmp(text, "confirm") == 0));
    static char out[4 * REVIEW_REASON_MAX + 1], again[4 * REVIEW_REASON_MAX + 1];
    if (reason && review_reason_clean(reason, out, sizeof out)) {
        size_t chars = 0;
        for (const char *p = out; *p; p++)
            chars += ((unsigned char)*p & 0xC0) != 0x80;
        require(chars >= REVIEW_REASON_MIN && chars <= REVIEW_REASON_MAX);
        require(strlen(out) < sizeof out);
        require(review_reason_clean(out, again, sizeof again) && strcmp(out, again) == 0);
    }
    free(text);
    return 0;
}
