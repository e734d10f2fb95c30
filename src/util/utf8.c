#include "util/utf8.h"

size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t need;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (c < 0x80) {
        if (cp)
            *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        v = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        v = c & 0x0fu;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        else if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        v = c & 0x07u;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (n <= need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 1; k <= need; k++) {
        if (s[k] < 0x80 || s[k] > 0xbf)
            return 0;
        v = (v << 6) | (s[k] & 0x3fu);
    }
    if (cp)
        *cp = v;
    return need + 1;
}

bool utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_next(s + i, n - i, NULL);
        if (k == 0) {
            if (bad)
                *bad = i;
            return false;
        }
        i += k;
    }
    return true;
}
