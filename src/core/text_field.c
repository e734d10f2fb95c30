#include "core/text_field.h"

#include <stdbool.h>
#include <stdint.h>

/* Length of the well-formed UTF-8 sequence at s (1-4) with its code point, or 0. */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t n = c < 0x80                 ? 1
               : c >= 0xc2 && c <= 0xdf ? 2
               : c >= 0xe0 && c <= 0xef ? 3
               : c >= 0xf0 && c <= 0xf4 ? 4
                                        : 0;
    if (n == 0 || n > len)
        return 0;
    uint32_t v = n == 1 ? c : n == 2 ? c & 0x1fu : n == 3 ? c & 0x0fu : c & 0x07u;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[k] & 0x3fu);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

enum text_field_status text_field_clean(const char *s, size_t len, size_t max_chars, char *out,
                                        size_t outsz)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, chars = 0;
    bool pending_space = false;
    if (outsz == 0)
        return TEXT_FIELD_TOO_LONG;
    out[0] = '\0';
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode(u + i, len - i, &cp);
        if (n == 0)
            return TEXT_FIELD_INVALID;
        if (cp == ' ' || cp == '\t' || cp == 0xa0) { /* NBSP too: phones paste it */
            pending_space = o > 0;
            i += n;
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029)
            return TEXT_FIELD_INVALID;
        size_t need = n + (pending_space ? 1 : 0);
        if (chars + (pending_space ? 2 : 1) > max_chars || o + need + 1 > outsz)
            return TEXT_FIELD_TOO_LONG;
        if (pending_space) {
            out[o++] = ' ';
            chars++;
            pending_space = false;
        }
        for (size_t k = 0; k < n; k++)
            out[o++] = (char)u[i + k];
        chars++;
        i += n;
    }
    out[o] = '\0';
    return o == 0 ? TEXT_FIELD_EMPTY : TEXT_FIELD_OK;
}
