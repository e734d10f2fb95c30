/*
 * nss: the IMSS Número de Seguridad Social, validated and decoded.
 *
 * Rules: ../shared/reference/identifiers.md §8. Layout of the 11 digits:
 *
 *   1-2  subdelegación (IMSS office) of first registration; any two digits
 *   3-4  year of first registration, last two digits
 *   5-6  year of birth, last two digits
 *   7-10 consecutive number within subdelegation and year
 *   11   check digit: Luhn over digits 1-10 (weights 1,2,1,2,... from the left, a
 *        product of 10 or more loses 9, check = (10 - sum mod 10) mod 10), so the
 *        whole 11-digit number passes the standard Luhn test
 *
 * Plausibility (a policy of MX and PF, §8.3): two-digit years are windowed against
 * the current year, YY <= current YY gives this century and a larger YY the previous
 * one, and a number registered before its holder was born is refused. No
 * subdelegation code is refused (PF's unexplained exemption of 97 is not copied).
 *
 * Invariants:
 * - Pure functions: no I/O, no clock, no locale, no allocation. The current year is
 *   a parameter. Every function is safe on any byte sequence, including embedded
 *   NULs and invalid UTF-8, and on any length.
 * - Strings from outside travel as pointer + length; results are fixed-size structs
 *   owned by the caller.
 * - Status codes (nss_status_code) are stable identifiers for logs, tests and API
 *   clients; messages (nss_describe) are English text for people.
 */
#ifndef PADRON_CORE_NSS_H
#define PADRON_CORE_NSS_H

#include <stddef.h>

#define NSS_LENGTH 11

/* A buffer of this size always holds nss_describe's text without truncation. */
#define NSS_DESCRIBE_SIZE 128

enum nss_status {
    NSS_VALID = 0,
    NSS_ERR_LENGTH,      /* only digits, but not 11 of them after trimming */
    NSS_ERR_CHARSET,     /* a character other than 0-9 (letters, '-', NUL, non-ASCII, ...) */
    NSS_ERR_CHECK_DIGIT, /* digit 11 does not match digits 1-10 */
    NSS_ERR_YEARS,       /* registered (digits 3-4) before born (digits 5-6) */
};

/* What nss_validate found. The decoded fields are set whenever the input is 11
 * digits (also on NSS_ERR_CHECK_DIGIT and NSS_ERR_YEARS); on an earlier error the
 * fields that locate it (length, position, found) are set and the rest are 0.
 * found holds printable ASCII and well-formed UTF-8 characters as they are and any
 * other byte (space, control, backslash, broken UTF-8) as "\xNN", so it is always
 * free of ASCII control bytes (NUL, TAB, newline). */
struct nss_result {
    enum nss_status status;
    char nss[NSS_LENGTH + 1]; /* the trimmed NSS when it is 11 digits, else "" */
    size_t length;            /* bytes after trimming (the digits on NSS_ERR_LENGTH) */
    size_t position;          /* NSS_ERR_CHARSET: 1-based position of the first non-digit */
    char found[5];            /* NSS_ERR_CHARSET: the character; NSS_ERR_CHECK_DIGIT: digit 11 */
    char expected;            /* NSS_ERR_CHECK_DIGIT: the digit that 1-10 require */
    int subdelegation;        /* digits 1-2, 0-99 */
    int registration_yy;      /* digits 3-4, 0-99 */
    int birth_yy;             /* digits 5-6, 0-99 */
    int consecutive;          /* digits 7-10, 0-9999 */
    int registration_year;    /* windowed year, or 0 when windowing was skipped */
    int birth_year;           /* windowed year, or 0 when windowing was skipped */
};

/*
 * Validates the len bytes at s (s may be NULL when len is 0). Surrounding ASCII
 * whitespace is trimmed; nothing else is normalised (no separators are removed).
 * current_year is the full current year (e.g. 2025) used to window the two-digit
 * years; a value outside 100-9999 (0 by convention) skips windowing and the
 * plausibility check.
 * Checks, in order: charset (the first character that is not 0-9), length, the
 * check digit, the years. The first failure is reported.
 * Returns out->status.
 */
enum nss_status nss_validate(const char *s, size_t len, int current_year, struct nss_result *out);

/* The year for the two-digit yy (0-99) as seen in current_year (100-9999): the latest
 * year ending in yy that is not after current_year. For 2000-2099 this is the
 * reference's rule: yy <= current yy gives 20yy, else 19yy. Returns 0 when either
 * argument is out of range. */
int nss_window_year(int yy, int current_year);

/* The stable code of a status: "valid", "length", "charset", "check_digit", "years". */
const char *nss_status_code(enum nss_status status);

/* Writes "code: human message" for r into buf (always NUL-terminated when size > 0):
 *   valid: 92919084431
 *   length: 10 digits, expected 11
 *   charset: position 4 has 'A'; only digits are allowed
 *   check_digit: expected 1, found 7
 *   years: registered in 1934 but born in 1956
 * Returns 0, or -1 if truncated (never with size >= NSS_DESCRIBE_SIZE). */
int nss_describe(const struct nss_result *r, char *buf, size_t size);

/* The check digit ('0'-'9') for the 10 bytes at ten_digits, or 0 if any of them is
 * not a digit. Reads exactly 10 bytes. */
char nss_check_digit(const char *ten_digits);

#endif
