/*
 * text_field: free text typed by a person (street, settlement, house number),
 * cleaned into the form padron stores.
 *
 * Invariants: pure; safe on any bytes; the output is valid UTF-8 without control
 * characters, trimmed, with runs of spaces and tabs folded into one space, and
 * never longer than the caller's limit in characters.
 */
#ifndef PADRON_CORE_TEXT_FIELD_H
#define PADRON_CORE_TEXT_FIELD_H

#include <stddef.h>

enum text_field_status {
    TEXT_FIELD_OK = 0,
    TEXT_FIELD_EMPTY,    /* nothing but spaces */
    TEXT_FIELD_TOO_LONG, /* more characters than allowed */
    TEXT_FIELD_INVALID,  /* invalid UTF-8, NUL or another control character */
};

/* Cleans s[0..len) into out (outsz must be at least 4 * max_chars + 1). */
enum text_field_status text_field_clean(const char *s, size_t len, size_t max_chars, char *out,
                                        size_t outsz);

#endif
