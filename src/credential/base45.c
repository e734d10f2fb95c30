/* base45 (RFC 9285): see base45.h. */
#include "credential/base45.h"

#include <stdint.h>

static const char alphabet[45] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* The value of character c, or -1 when c is not in the alphabet. */
static int value_of(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    switch (c) {
    case ' ':
        return 36;
    case '$':
        return 37;
    case '%':
        return 38;
    case '*':
        return 39;
    case '+':
        return 40;
    case '-':
        return 41;
    case '.':
        return 42;
    case '/':
        return 43;
    case ':':
        return 44;
    default:
        return -1;
    }
}

size_t base45_encoded_size(size_t n)
{
    if (n / 2 > (SIZE_MAX - 2) / 3)
        return SIZE_MAX;
    return n / 2 * 3 + (n % 2) * 2;
}

size_t base45_decoded_size(size_t n)
{
    return n / 3 * 2 + (n % 3 != 0 ? 1 : 0);
}

enum base45_status base45_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t need = base45_encoded_size(n);
    if (need == SIZE_MAX || cap <= need)
        return BASE45_ERR_SPACE;
    size_t o = 0;
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        unsigned v = (unsigned)in[i] * 256u + in[i + 1];
        out[o++] = alphabet[v % 45];
        out[o++] = alphabet[v / 45 % 45];
        out[o++] = alphabet[v / (45 * 45)];
    }
    if (i < n) {
        unsigned v = in[i];
        out[o++] = alphabet[v % 45];
        out[o++] = alphabet[v / 45];
    }
    out[o] = '\0';
    return BASE45_OK;
}

enum base45_status base45_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen,
                                 size_t *where)
{
    size_t dummy;
    if (where == NULL)
        where = &dummy;
    *outlen = 0;
    *where = 0;
    /* Every character is checked before the length, so the caller hears about the
     * first bad character even in a text of the wrong length. */
    for (size_t i = 0; i < n; i++) {
        if (value_of((unsigned char)in[i]) < 0) {
            *where = i;
            return BASE45_ERR_CHAR;
        }
    }
    if (n % 3 == 1) {
        *where = n - 1;
        return BASE45_ERR_LENGTH;
    }
    if (base45_decoded_size(n) > cap)
        return BASE45_ERR_SPACE;
    size_t o = 0;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned long v = (unsigned long)value_of((unsigned char)in[i]) +
                          (unsigned long)value_of((unsigned char)in[i + 1]) * 45ul +
                          (unsigned long)value_of((unsigned char)in[i + 2]) * 2025ul;
        if (v > 65535ul) {
            *where = i;
            *outlen = 0;
            return BASE45_ERR_VALUE;
        }
        out[o++] = (uint8_t)(v >> 8);
        out[o++] = (uint8_t)(v & 0xff);
    }
    if (i < n) {
        unsigned v = (unsigned)value_of((unsigned char)in[i]) +
                     (unsigned)value_of((unsigned char)in[i + 1]) * 45u;
        if (v > 255u) {
            *where = i;
            *outlen = 0;
            return BASE45_ERR_VALUE;
        }
        out[o++] = (uint8_t)v;
    }
    *outlen = o;
    return BASE45_OK;
}

const char *base45_status_code(enum base45_status st)
{
    switch (st) {
    case BASE45_OK:
        return "ok";
    case BASE45_ERR_LENGTH:
        return "length";
    case BASE45_ERR_CHAR:
        return "char";
    case BASE45_ERR_VALUE:
        return "value";
    case BASE45_ERR_SPACE:
        return "space";
    }
    return "unknown";
}
