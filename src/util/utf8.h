/*
 * utf8: strict UTF-8 decoding (Unicode table 3-7), the one rule every parser of
 * outside text here uses: no overlong forms, no surrogates, nothing past
 * U+10FFFF, no truncated sequence, no stray continuation byte.
 */
#ifndef PADRON_UTIL_UTF8_H
#define PADRON_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length (1-4) of the sequence at s[0..n) (n >= 1) with its code point in *cp
 * (cp may be NULL), or 0 when it is not well-formed UTF-8. */
size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* True when s[0..n) is well-formed UTF-8; otherwise false with the offset of the
 * first bad sequence in *bad (bad may be NULL). */
bool utf8_valid(const unsigned char *s, size_t n, size_t *bad);

#endif
