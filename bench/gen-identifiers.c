/*
 * gen-identifiers: writes a deterministic mix of valid and invalid CURPs or NSS,
 * one per line, for bench/identifiers.
 *
 *   gen-identifiers curp|nss COUNT SEED > FILE
 *
 * Same COUNT and SEED, same bytes, on every machine (a private xorshift generator,
 * no libc rand). About 60% of the lines are valid; the rest are invalid in exactly
 * one way each (the check digit is recomputed after every other corruption), so the
 * validator's status histogram can be compared with the kinds written. The count of
 * each kind goes to stderr as "kind=N" lines.
 *
 * CURP kinds: valid, check_digit, date (Feb 30, Feb 29 of a common year, Apr 31,
 * month 13, day 00), state, lowercase (all or part of a valid CURP; curp_validate
 * accepts it, a strict regex does not), length (17 or 19 characters), charset (Ñ in
 * UTF-8 or a '-'), inconvenient_word.
 * NSS kinds: valid, check_digit, years (registered before born), length (10 or 12
 * digits), charset (a letter O for a zero, or separators).
 */
#include "core/civil_date.h"
#include "core/curp.h"
#include "core/nss.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rng(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n) (the bias for n far below 2^64 does not matter here). */
static unsigned pick(unsigned n)
{
    return (unsigned)((rng() >> 11) % n);
}

static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char vowels[] = "AEIOU";
static const char consonants[] = "BCDFGHJKLMNPQRSTVWXYZ";
static const char *const states[] = {
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT",
    "GR", "HG", "JC", "MC", "MN", "MS", "NT", "NL", "OC", "PL", "QT",
    "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE",
};
#define N_STATES (sizeof states / sizeof states[0])
static const char *const bad_states[] = {"XX", "ZZ", "DX", "MX", "AA", "JL", "EM", "CD"};
static const char *const words[] = {"BACA", "CACA", "CULO", "FETO", "LOCO", "MULA",
                                    "PENE", "PUTO", "RATA", "VACA", "GUEY", "KAKA"};

/* Writes v % 100 as two digits at p. */
static void put2(char *p, int v)
{
    unsigned u = (unsigned)v % 100;
    p[0] = (char)('0' + u / 10);
    p[1] = (char)('0' + u % 10);
}

static char any(const char *set)
{
    return set[pick((unsigned)strlen(set))];
}

/* A valid CURP (no NUL) into c[18]; birth dates 1930-01-01 to 2024-12-31. */
static void valid_curp(char c[CURP_LENGTH])
{
    do {
        c[0] = any(letters);
        c[1] = pick(50) == 0 ? 'X' : any(vowels);
        c[2] = pick(40) == 0 ? 'X' : any(letters);
        c[3] = any(letters);
    } while (curp_is_inconvenient_word(c));
    int year = 1930 + (int)pick(95);
    int month = 1 + (int)pick(12);
    int day = 1 + (int)pick((unsigned)civil_days_in_month(year, month));
    put2(c + 4, year);
    put2(c + 6, month);
    put2(c + 8, day);
    unsigned s = pick(200);
    c[10] = s == 0 ? 'X' : s % 2 ? 'H' : 'M';
    memcpy(c + 11, states[pick(N_STATES)], 2);
    c[13] = any(consonants);
    c[14] = any(consonants);
    c[15] = any(consonants);
    c[16] = year < 2000 ? (char)('0' + (pick(4) == 0 ? pick(10) : 0))
            : pick(3)   ? 'A'
                        : any(letters);
    c[17] = curp_check_digit(c);
}

static int yy_of(const char c[CURP_LENGTH])
{
    return (c[4] - '0') * 10 + (c[5] - '0');
}

static void set_date(char c[CURP_LENGTH], int yy, int mm, int dd)
{
    put2(c + 4, yy);
    put2(c + 6, mm);
    put2(c + 8, dd);
}

enum curp_kind {
    K_VALID,
    K_CHECK_DIGIT,
    K_DATE,
    K_STATE,
    K_LOWERCASE,
    K_LENGTH,
    K_CHARSET,
    K_WORD,
    N_CURP_KINDS
};
static const char *const curp_kind_name[N_CURP_KINDS] = {
    "valid", "check_digit", "date", "state", "lowercase", "length", "charset", "inconvenient_word",
};

/* Writes one line (without newline) into line; returns its length. */
static size_t curp_line(char *line, enum curp_kind kind)
{
    char c[CURP_LENGTH];
    valid_curp(c);
    size_t len = CURP_LENGTH;
    switch (kind) {
    case K_VALID:
    case N_CURP_KINDS:
        break;
    case K_CHECK_DIGIT:
        c[17] = (char)('0' + (c[17] - '0' + 1 + pick(9)) % 10);
        break;
    case K_DATE:
        switch (pick(5)) {
        case 0: /* February 30, any year */
            set_date(c, yy_of(c), 2, 30);
            break;
        case 1: /* February 29 of a common year (1931, 1997, 2023, ...) */
            set_date(c, c[16] <= '9' ? 97 : 23, 2, 29);
            break;
        case 2:
            set_date(c, yy_of(c), 4, 31);
            break;
        case 3:
            set_date(c, yy_of(c), 13, 1 + pick(28));
            break;
        default:
            set_date(c, yy_of(c), 1 + pick(12), 0);
            break;
        }
        c[17] = curp_check_digit(c);
        break;
    case K_STATE:
        memcpy(c + 11, bad_states[pick(sizeof bad_states / sizeof bad_states[0])], 2);
        c[17] = curp_check_digit(c);
        break;
    case K_LOWERCASE: {
        size_t from = pick(2) ? 0 : pick(16);
        for (size_t i = from; i < CURP_LENGTH; i++)
            if (c[i] >= 'A' && c[i] <= 'Z')
                c[i] = (char)(c[i] - 'A' + 'a');
        break;
    }
    case K_LENGTH:
        if (pick(2)) {
            len = CURP_LENGTH - 1;
        } else {
            memcpy(line, c, CURP_LENGTH);
            line[CURP_LENGTH] = (char)('0' + pick(10));
            return CURP_LENGTH + 1;
        }
        break;
    case K_CHARSET: {
        /* Ñ (2 bytes in UTF-8) or '-' in place of a letter of positions 1-4 */
        size_t at = pick(4);
        if (pick(2)) {
            memcpy(line, c, at);
            memcpy(line + at, "\xc3\x91", 2);
            memcpy(line + at + 2, c + at + 1, CURP_LENGTH - at - 1);
            return CURP_LENGTH + 1;
        }
        c[at] = '-';
        break;
    }
    case K_WORD:
        memcpy(c, words[pick(sizeof words / sizeof words[0])], 4);
        c[17] = curp_check_digit(c);
        break;
    }
    memcpy(line, c, len);
    return len;
}

/* Picks a kind: 60% valid, the rest shared evenly. */
static unsigned pick_kind(unsigned n_kinds)
{
    unsigned r = pick(1000);
    if (r < 600)
        return 0;
    return 1 + (r - 600) * (n_kinds - 1) / 400;
}

enum nss_kind { N_VALID, N_CHECK_DIGIT, N_YEARS, N_LENGTH, N_CHARSET, N_NSS_KINDS };
static const char *const nss_kind_name[N_NSS_KINDS] = {"valid", "check_digit", "years", "length",
                                                       "charset"};

/* A valid NSS as of 2025 into n[11]: born 1940-2007, registered at 14 or later, by 2024. */
static void valid_nss(char n[NSS_LENGTH], int *birth_out)
{
    int birth = 1940 + (int)pick(68);
    int first = birth + 14;
    int reg = first + (int)pick((unsigned)(2024 - first + 1));
    put2(n, (int)pick(100));
    put2(n + 2, reg);
    put2(n + 4, birth);
    put2(n + 6, (int)pick(100));
    put2(n + 8, (int)pick(100));
    n[10] = nss_check_digit(n);
    *birth_out = birth;
}

static size_t nss_line(char *line, enum nss_kind kind)
{
    char n[NSS_LENGTH];
    int birth;
    valid_nss(n, &birth);
    size_t len = NSS_LENGTH;
    switch (kind) {
    case N_VALID:
    case N_NSS_KINDS:
        break;
    case N_CHECK_DIGIT:
        n[10] = (char)('0' + (n[10] - '0' + 1 + pick(9)) % 10);
        break;
    case N_YEARS: {
        /* registered 1-10 years before birth, both windowed as of 2025 */
        int reg = birth - 1 - (int)pick(10); /* 1929 at the earliest: windows to 19xx */
        put2(n + 2, reg);
        n[10] = nss_check_digit(n);
        break;
    }
    case N_LENGTH:
        if (pick(2)) {
            len = NSS_LENGTH - 1;
        } else {
            memcpy(line, n, NSS_LENGTH);
            line[NSS_LENGTH] = (char)('0' + pick(10));
            return NSS_LENGTH + 1;
        }
        break;
    case N_CHARSET:
        if (pick(2)) {
            n[pick(NSS_LENGTH)] = 'O';
        } else { /* printed with separators: 92-91-90-8443-1 */
            char sep = pick(2) ? '-' : ' ';
            size_t k = 0;
            for (size_t i = 0; i < NSS_LENGTH; i++) {
                if (i == 2 || i == 4 || i == 6 || i == 10)
                    line[k++] = sep;
                line[k++] = n[i];
            }
            return k;
        }
        break;
    }
    memcpy(line, n, len);
    return len;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "curp") != 0 && strcmp(argv[1], "nss") != 0)) {
        fprintf(stderr, "usage: gen-identifiers curp|nss COUNT SEED > FILE\n");
        return 2;
    }
    int is_curp = strcmp(argv[1], "curp") == 0;
    long count = strtol(argv[2], NULL, 10);
    rng_state = strtoull(argv[3], NULL, 0) | 1;
    unsigned n_kinds = is_curp ? N_CURP_KINDS : N_NSS_KINDS;
    long seen[N_CURP_KINDS] = {0};

    static char out[1 << 16];
    size_t used = 0;
    for (long i = 0; i < count; i++) {
        unsigned kind = pick_kind(n_kinds);
        seen[kind]++;
        char line[64];
        size_t len =
            is_curp ? curp_line(line, (enum curp_kind)kind) : nss_line(line, (enum nss_kind)kind);
        if (used + len + 1 > sizeof out) {
            if (fwrite(out, 1, used, stdout) != used)
                goto write_failed;
            used = 0;
        }
        memcpy(out + used, line, len);
        used += len;
        out[used++] = '\n';
    }
    if (fwrite(out, 1, used, stdout) != used || fflush(stdout) != 0)
        goto write_failed;
    for (unsigned k = 0; k < n_kinds; k++)
        fprintf(stderr, "%s=%ld\n", is_curp ? curp_kind_name[k] : nss_kind_name[k], seen[k]);
    return 0;

write_failed:
    fprintf(stderr, "gen-identifiers: writing the output failed\n");
    return 1;
}
