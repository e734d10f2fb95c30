/*
 * found_char: the offending character of an identifier, as text a message can
 * quote. Shared by the CURP and NSS validators so both quote alike.
 */
#ifndef PADRON_CORE_FOUND_CHAR_H
#define PADRON_CORE_FOUND_CHAR_H

#include <stddef.h>

#define FOUND_CHAR_SIZE 5

/* Writes the character starting at s[i] of s[0..len) into out, NUL-terminated: a
 * whole UTF-8 sequence when well formed, printable ASCII as it is, anything else
 * (controls, a backslash, a broken sequence) as "\xNN" of its first byte. */
void found_char_format(const unsigned char *s, size_t len, size_t i, char out[FOUND_CHAR_SIZE]);

#endif
