#include "core/review_reason.h"

#include "core/text_field.h"

#include <string.h>

int review_decision_parse(const char *text, enum review_decision *out)
{
    if (text && strcmp(text, "lift") == 0)
        *out = REVIEW_LIFT;
    else if (text && strcmp(text, "confirm") == 0)
        *out = REVIEW_CONFIRM;
    else
        return -1;
    return 0;
}

bool review_reason_clean(const char *text, char *out, size_t outsz)
{
    if (!text || outsz < 4 * REVIEW_REASON_MAX + 1 ||
        text_field_clean(text, strlen(text), REVIEW_REASON_MAX, out, outsz) != TEXT_FIELD_OK)
        return false;
    size_t chars = 0; /* characters, not bytes: count UTF-8 lead bytes */
    for (const char *p = out; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    return chars >= REVIEW_REASON_MIN;
}
