/*
 * base45: the encoding of RFC 9285, which maps bytes onto the 45 characters of a
 * QR code's alphanumeric mode (0-9 A-Z space $ % * + - . / :), so a QR code can
 * carry binary data at 5.5 bits per character instead of byte mode's 8.
 *
 * Two bytes [a, b] become n = a * 256 + b written as three characters c, d, e with
 * n = c + d * 45 + e * 45 * 45; a final odd byte becomes two characters.
 *
 * Invariants:
 * - Decoding is strict: a character outside the alphabet (lower case included), a
 *   length of 3k + 1, a triplet worth more than 65535 or a final pair worth more
 *   than 255 is refused, never repaired. So every accepted text has exactly one
 *   decoding and re-encodes to itself.
 * - Neither function allocates; the caller sizes the output with the _size
 *   helpers. Input travels as pointer + length: an embedded NUL is simply a
 *   character outside the alphabet.
 */
#ifndef PADRON_CREDENTIAL_BASE45_H
#define PADRON_CREDENTIAL_BASE45_H

#include <stddef.h>
#include <stdint.h>

enum base45_status {
    BASE45_OK = 0,
    BASE45_ERR_LENGTH, /* length is 1 more than a multiple of 3 */
    BASE45_ERR_CHAR,   /* a character outside the alphabet */
    BASE45_ERR_VALUE,  /* a triplet over 65535 or a final pair over 255 */
    BASE45_ERR_SPACE,  /* the output buffer is too small */
};

/* Characters that n bytes encode to (without a terminating NUL); SIZE_MAX when
 * that would overflow. */
size_t base45_encoded_size(size_t n);

/* Bytes that n characters decode to when n is a valid length; otherwise an upper
 * bound (so a buffer of this size is always large enough). */
size_t base45_decoded_size(size_t n);

/* Encodes the n bytes at in into out followed by a NUL: out needs
 * base45_encoded_size(n) + 1 bytes. Returns BASE45_OK, or BASE45_ERR_SPACE (out
 * untouched) when cap is too small. */
enum base45_status base45_encode(const uint8_t *in, size_t n, char *out, size_t cap);

/* Decodes the n characters at in into out (cap bytes) and stores the byte count in
 * *outlen. On any error *outlen is 0 and out holds nothing usable; the error is the
 * first one found from the left, and *where (when where is not NULL) is the
 * 0-based offset of the offending character or group. */
enum base45_status base45_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen,
                                 size_t *where);

/* A stable lowercase name of a status: "ok", "length", "char", "value", "space". */
const char *base45_status_code(enum base45_status st);

#endif
