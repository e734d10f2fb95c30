#include "core/found_char.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void found_char_format(const unsigned char *s, size_t len, size_t i, char out[FOUND_CHAR_SIZE])
{
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
    bool printable = c >= 0x21 && c < 0x7f && c != '\\';
    bool well_formed = c >= 0xc2 && c <= 0xf4 && i + n <= len;
    for (size_t k = 1; well_formed && k < n; k++)
        well_formed = (s[i + k] & 0xc0) == 0x80;
    if (printable || well_formed) {
        memcpy(out, s + i, n);
        out[n] = '\0';
    } else {
        snprintf(out, FOUND_CHAR_SIZE, "\\x%02x", c);
    }
}
