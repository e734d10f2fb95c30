#include "core/folio.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void folio_format_kind(const char *kind, const uint8_t random[FOLIO_RANDOM_BYTES], int year,
                       char out[FOLIO_LENGTH + 1])
{
    uint64_t bits = 0;
    for (int i = 0; i < FOLIO_RANDOM_BYTES; i++)
        bits = bits << 8 | random[i];
    char sym[8];
    for (int i = 7; i >= 0; i--, bits >>= 5)
        sym[i] = alphabet[bits & 31];
    int yy = ((year % 100) + 100) % 100;
    out[0] = kind[0], out[1] = kind[1], out[2] = (char)('0' + yy / 10),
    out[3] = (char)('0' + yy % 10);
    out[4] = '-';
    for (int i = 0; i < 4; i++)
        out[5 + i] = sym[i], out[10 + i] = sym[4 + i];
    out[9] = '-';
    out[14] = '\0';
}

void folio_format(const uint8_t random[FOLIO_RANDOM_BYTES], int year, char out[FOLIO_LENGTH + 1])
{
    folio_format_kind(FOLIO_ENROLLMENT, random, year, out);
}

/* The Crockford symbol c stands for, upper-cased and with look-alikes read as
 * digits; 0 when c is not one. */
static char symbol(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    if (c == 'O')
        return '0';
    if (c == 'I' || c == 'L')
        return '1';
    for (const char *a = alphabet; *a; a++)
        if (*a == c)
            return c;
    return 0;
}

/* Whether c is letter (upper case) in either case. */
static bool same_letter(char c, char letter)
{
    return c == letter || c == letter - 'A' + 'a';
}

bool folio_normalize_kind(const char *kind, const char *s, size_t len, char out[FOLIO_LENGTH + 1])
{
    char raw[12];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '-' || s[i] == ' ')
            continue;
        if (n == sizeof raw)
            return false;
        raw[n++] = s[i];
    }
    if (n != 12 || !same_letter(raw[0], kind[0]) || !same_letter(raw[1], kind[1]) || raw[2] < '0' ||
        raw[2] > '9' || raw[3] < '0' || raw[3] > '9')
        return false;
    out[0] = kind[0], out[1] = kind[1], out[2] = raw[2], out[3] = raw[3], out[4] = '-',
    out[9] = '-';
    for (int i = 0; i < 8; i++) {
        char c = symbol(raw[4 + i]);
        if (!c)
            return false;
        out[i < 4 ? 5 + i : 6 + i] = c;
    }
    out[14] = '\0';
    return true;
}

bool folio_normalize(const char *s, size_t len, char out[FOLIO_LENGTH + 1])
{
    return folio_normalize_kind(FOLIO_ENROLLMENT, s, len, out);
}
