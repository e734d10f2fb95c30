/* Unit tests for src/core/nss.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/nss.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define YEAR 2025 /* the "current year" of most tests */

/* ---- Helpers ---- */

static enum nss_status validate(const char *s, int current_year, struct nss_result *r)
{
    return nss_validate(s, strlen(s), current_year, r);
}

static void assert_describe(const struct nss_result *r, const char *expected)
{
    char buf[NSS_DESCRIBE_SIZE];
    assert_int_equal(nss_describe(r, buf, sizeof buf), 0);
    assert_string_equal(buf, expected);
}

/* The textbook Luhn test over a whole number, written independently of nss.c:
 * from the right, every second digit is doubled and its digits are added. */
static bool luhn_valid(const char *digits, size_t n)
{
    int sum = 0;
    for (size_t k = 0; k < n; k++) {
        int d = digits[n - 1 - k] - '0';
        if (k % 2 == 1) {
            d *= 2;
            d = d / 10 + d % 10;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

/* Writes the 11-digit NSS with these fields and a correct check digit into out[12],
 * finding the check digit by trying all ten with luhn_valid (not nss_check_digit). */
static void make_nss(char out[12], int sub, int reg, int birth, int consecutive)
{
    snprintf(out, 12, "%02d%02d%02d%04d0", sub, reg, birth, consecutive);
    for (char c = '0'; c <= '9'; c++) {
        out[10] = c;
        if (luhn_valid(out, 11))
            return;
    }
    fail_msg("no check digit for %s", out);
}

/* xorshift64*: a fixed-seed generator so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

/* ---- The worked example (identifiers.md §8.2) ---- */

static void test_worked_example(void **state)
{
    (void)state;
    struct nss_result r;
    assert_int_equal(nss_check_digit("9291908443"), '1');
    assert_int_equal(validate("92919084431", YEAR, &r), NSS_VALID);
    assert_int_equal(r.status, NSS_VALID);
    assert_string_equal(r.nss, "92919084431");
    assert_int_equal(r.length, 11);
    assert_int_equal(r.subdelegation, 92);
    assert_int_equal(r.registration_yy, 91);
    assert_int_equal(r.birth_yy, 90);
    assert_int_equal(r.consecutive, 8443);
    assert_int_equal(r.registration_year, 1991);
    assert_int_equal(r.birth_year, 1990);
    assert_int_equal(r.position, 0);
    assert_describe(&r, "valid: 92919084431");
    assert_true(luhn_valid("92919084431", 11));
}

/* The mod-11 variant of ksoftsas/doc-validator gives 7 here (identifiers.md §8.2). */
static void test_mod11_variant_is_rejected(void **state)
{
    (void)state;
    struct nss_result r;
    assert_int_equal(validate("92919084437", YEAR, &r), NSS_ERR_CHECK_DIGIT);
    assert_int_equal(r.expected, '1');
    assert_int_equal(r.found[0], '7');
    assert_describe(&r, "check_digit: expected 1, found 7");
    /* The fields are decoded even though the number is wrong. */
    assert_string_equal(r.nss, "92919084437");
    assert_int_equal(r.subdelegation, 92);
    assert_int_equal(r.consecutive, 8443);
}

/* ---- Each status code ---- */

static void test_status_codes(void **state)
{
    (void)state;
    assert_string_equal(nss_status_code(NSS_VALID), "valid");
    assert_string_equal(nss_status_code(NSS_ERR_LENGTH), "length");
    assert_string_equal(nss_status_code(NSS_ERR_CHARSET), "charset");
    assert_string_equal(nss_status_code(NSS_ERR_CHECK_DIGIT), "check_digit");
    assert_string_equal(nss_status_code(NSS_ERR_YEARS), "years");
    assert_string_equal(nss_status_code((enum nss_status)99), "unknown");
}

static void test_length(void **state)
{
    (void)state;
    struct nss_result r;
    assert_int_equal(validate("9291908443", YEAR, &r), NSS_ERR_LENGTH);
    assert_int_equal(r.length, 10);
    assert_string_equal(r.nss, "");
    assert_describe(&r, "length: 10 digits, expected 11");

    assert_int_equal(validate("929190844310", YEAR, &r), NSS_ERR_LENGTH);
    assert_describe(&r, "length: 12 digits, expected 11");

    assert_int_equal(validate("7", YEAR, &r), NSS_ERR_LENGTH);
    assert_describe(&r, "length: 1 digit, expected 11");

    assert_int_equal(validate("", YEAR, &r), NSS_ERR_LENGTH);
    assert_describe(&r, "length: 0 digits, expected 11");

    assert_int_equal(validate(" \t\r\n ", YEAR, &r), NSS_ERR_LENGTH);
    assert_int_equal(r.length, 0);

    /* A NULL pointer with no bytes is an empty input, not a crash. */
    assert_int_equal(nss_validate(NULL, 0, YEAR, &r), NSS_ERR_LENGTH);

    /* A long run of digits is measured, never copied. */
    char many[5000];
    memset(many, '1', sizeof many);
    assert_int_equal(nss_validate(many, sizeof many, YEAR, &r), NSS_ERR_LENGTH);
    assert_describe(&r, "length: 5000 digits, expected 11");
}

static void test_charset(void **state)
{
    (void)state;
    struct nss_result r;
    assert_int_equal(validate("929A9084431", YEAR, &r), NSS_ERR_CHARSET);
    assert_int_equal(r.position, 4);
    assert_string_equal(r.found, "A");
    assert_describe(&r, "charset: position 4 has 'A'; only digits are allowed");

    /* The charset is checked before the length: the first bad character is reported. */
    assert_int_equal(validate("12-34", YEAR, &r), NSS_ERR_CHARSET);
    assert_describe(&r, "charset: position 3 has '-'; only digits are allowed");
    assert_int_equal(validate("NSS 92919084431", YEAR, &r), NSS_ERR_CHARSET);
    assert_int_equal(r.position, 1);

    /* Inner whitespace is not trimmed; it is shown escaped. */
    assert_int_equal(validate("9291 9084431", YEAR, &r), NSS_ERR_CHARSET);
    assert_describe(&r, "charset: position 5 has '\\x20'; only digits are allowed");
    assert_int_equal(validate("9291\t9084431", YEAR, &r), NSS_ERR_CHARSET);
    assert_describe(&r, "charset: position 5 has '\\x09'; only digits are allowed");

    /* Non-ASCII: a well-formed UTF-8 character is shown whole, a stray byte escaped. */
    assert_int_equal(validate("9291\xc3\xb1"
                              "9084431",
                              YEAR, &r),
                     NSS_ERR_CHARSET);
    assert_string_equal(r.found, "\xc3\xb1");
    assert_int_equal(r.position, 5);
    assert_int_equal(validate("9291\xff", YEAR, &r), NSS_ERR_CHARSET);
    assert_describe(&r, "charset: position 5 has '\\xff'; only digits are allowed");
    assert_int_equal(validate("9291\xc3", YEAR, &r), NSS_ERR_CHARSET); /* truncated sequence */
    assert_string_equal(r.found, "\\xc3");
    assert_int_equal(validate("\xef\xbc\x99", YEAR, &r), NSS_ERR_CHARSET); /* fullwidth 9 */
    assert_int_equal(r.position, 1);
    assert_string_equal(r.found, "\xef\xbc\x99");

    /* A backslash is escaped so the message cannot be misread as an escape. */
    assert_int_equal(validate("\\x41", YEAR, &r), NSS_ERR_CHARSET);
    assert_string_equal(r.found, "\\x5c");
}

static void test_embedded_nul(void **state)
{
    (void)state;
    struct nss_result r;
    static const char with_nul[] = "92919\0"
                                   "84431";
    assert_int_equal(nss_validate(with_nul, 11, YEAR, &r), NSS_ERR_CHARSET);
    assert_int_equal(r.position, 6);
    assert_describe(&r, "charset: position 6 has '\\x00'; only digits are allowed");

    /* A NUL right after 11 good digits is not a terminator: the input is 12 bytes. */
    static const char trailing_nul[] = "92919084431\0";
    assert_int_equal(nss_validate(trailing_nul, 12, YEAR, &r), NSS_ERR_CHARSET);
    assert_int_equal(r.position, 12);

    /* Nor is a leading one whitespace. */
    static const char leading_nul[] = "\0"
                                      "92919084431";
    assert_int_equal(nss_validate(leading_nul, 12, YEAR, &r), NSS_ERR_CHARSET);
    assert_int_equal(r.position, 1);

    /* nss_check_digit stops at a NUL among its 10 bytes. */
    assert_int_equal(nss_check_digit("92919\0"
                                     "8443"),
                     0);
}

static void test_years(void **state)
{
    (void)state;
    struct nss_result r;
    /* catalogmx's "valid" example: registered 34, born 56 (identifiers.md §8.3). */
    assert_int_equal(validate("12345678903", YEAR, &r), NSS_ERR_YEARS);
    assert_int_equal(r.registration_year, 1934);
    assert_int_equal(r.birth_year, 1956);
    assert_describe(&r, "years: registered in 1934 but born in 1956");

    /* Without a current year there is no windowing and no plausibility check. */
    assert_int_equal(validate("12345678903", 0, &r), NSS_VALID);
    assert_int_equal(r.registration_year, 0);
    assert_int_equal(r.birth_year, 0);
    assert_int_equal(r.registration_yy, 34);
    assert_int_equal(r.birth_yy, 56);
    assert_int_equal(validate("12345678903", -5, &r), NSS_VALID);
    assert_int_equal(validate("12345678903", 99, &r), NSS_VALID);
    assert_int_equal(validate("12345678903", 10000, &r), NSS_VALID);

    /* The check digit is reported before the years. */
    assert_int_equal(validate("12345678904", YEAR, &r), NSS_ERR_CHECK_DIGIT);
}

/* ---- Trimming ---- */

static void test_trimming(void **state)
{
    (void)state;
    struct nss_result r;
    assert_int_equal(validate(" \t\n\v\f\r92919084431\r\n \t", YEAR, &r), NSS_VALID);
    assert_string_equal(r.nss, "92919084431");
    assert_int_equal(r.length, 11);

    assert_int_equal(validate("  929A", YEAR, &r), NSS_ERR_CHARSET);
    assert_int_equal(r.position, 4); /* counted after trimming */

    assert_int_equal(validate("\t9291908443 ", YEAR, &r), NSS_ERR_LENGTH);
    assert_int_equal(r.length, 10);

    /* Only ASCII whitespace: a no-break space (U+00A0) is a character. */
    assert_int_equal(validate("\xc2\xa0"
                              "92919084431",
                              YEAR, &r),
                     NSS_ERR_CHARSET);
    assert_int_equal(r.position, 1);

    /* The bytes after len are never read. */
    assert_int_equal(nss_validate("92919084431999", 11, YEAR, &r), NSS_VALID);
}

/* ---- Plausibility windowing (identifiers.md §8.3) ---- */

static void test_window_year(void **state)
{
    (void)state;
    assert_int_equal(nss_window_year(25, 2025), 2025); /* YY == current YY: this century */
    assert_int_equal(nss_window_year(26, 2025), 1926);
    assert_int_equal(nss_window_year(0, 2025), 2000);
    assert_int_equal(nss_window_year(99, 2025), 1999);
    assert_int_equal(nss_window_year(0, 2000), 2000);
    assert_int_equal(nss_window_year(1, 2000), 1901);
    assert_int_equal(nss_window_year(99, 2000), 1999);
    assert_int_equal(nss_window_year(99, 2099), 2099);
    assert_int_equal(nss_window_year(0, 2100), 2100);
    assert_int_equal(nss_window_year(99, 2100), 2099);
    assert_int_equal(nss_window_year(0, 1999), 1900);
    assert_int_equal(nss_window_year(99, 1999), 1999);
    assert_int_equal(nss_window_year(0, 100), 100);
    assert_int_equal(nss_window_year(1, 100), 1);
    assert_int_equal(nss_window_year(99, 9999), 9999);
    /* Out of range. */
    assert_int_equal(nss_window_year(-1, 2025), 0);
    assert_int_equal(nss_window_year(100, 2025), 0);
    assert_int_equal(nss_window_year(25, 99), 0);
    assert_int_equal(nss_window_year(25, 0), 0);
    assert_int_equal(nss_window_year(25, 10000), 0);
    assert_int_equal(nss_window_year(25, -2025), 0);

    /* The reference's rule, YY <= current YY => 20YY else 19YY, for every year of this
     * century and every YY. */
    for (int current = 2000; current <= 2099; current++)
        for (int yy = 0; yy <= 99; yy++)
            assert_int_equal(nss_window_year(yy, current),
                             yy <= current % 100 ? 2000 + yy : 1900 + yy);
}

static void test_windowing_edges(void **state)
{
    (void)state;
    static const struct {
        int reg, birth, current;
        enum nss_status status;
        int reg_year, birth_year;
    } cases[] = {
        {25, 25, 2025, NSS_VALID, 2025, 2025},     /* both this year */
        {25, 26, 2025, NSS_VALID, 2025, 1926},     /* born 26 is last century */
        {26, 25, 2025, NSS_ERR_YEARS, 1926, 2025}, /* registered 26 is last century too */
        {0, 99, 2025, NSS_VALID, 2000, 1999},      {99, 0, 2025, NSS_ERR_YEARS, 1999, 2000},
        {90, 90, 2025, NSS_VALID, 1990, 1990}, /* same year is plausible */
        {89, 90, 2025, NSS_ERR_YEARS, 1989, 1990}, {0, 0, 2000, NSS_VALID, 2000, 2000},
        {1, 0, 2000, NSS_ERR_YEARS, 1901, 2000}, /* in 2000, 01 is 1901 */
        {1, 0, 2001, NSS_VALID, 2001, 2000},       {24, 25, 2025, NSS_ERR_YEARS, 2024, 2025},
        {24, 25, 2024, NSS_VALID, 2024, 1925},     {0, 99, 2100, NSS_VALID, 2100, 2099},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char nss[12];
        make_nss(nss, 97, cases[i].reg, cases[i].birth, 1234);
        struct nss_result r;
        assert_int_equal(validate(nss, cases[i].current, &r), cases[i].status);
        assert_int_equal(r.registration_year, cases[i].reg_year);
        assert_int_equal(r.birth_year, cases[i].birth_year);
        /* Without a current year the same number only needs its check digit. */
        assert_int_equal(validate(nss, 0, &r), NSS_VALID);
    }
}

/* ---- Luhn agreement with an independent implementation ---- */

static void test_luhn_agreement(void **state)
{
    (void)state;
    for (int n = 0; n < 200000; n++) {
        char nss[12];
        uint64_t x = rng() % 10000000000u;
        snprintf(nss, sizeof nss, "%010llu", (unsigned long long)x);
        char check = nss_check_digit(nss);
        assert_true(check >= '0' && check <= '9');
        for (char c = '0'; c <= '9'; c++) {
            nss[10] = c;
            bool luhn = luhn_valid(nss, 11);
            assert_int_equal(luhn, c == check);
            struct nss_result r;
            enum nss_status st = nss_validate(nss, 11, 0, &r);
            assert_int_equal(st, luhn ? NSS_VALID : NSS_ERR_CHECK_DIGIT);
            if (!luhn)
                assert_int_equal(r.expected, check);
        }
    }
}

/* Every single-digit change is caught (a property of Luhn). */
static void test_single_digit_errors(void **state)
{
    (void)state;
    char nss[12] = "92919084431";
    struct nss_result r;
    for (int i = 0; i < 11; i++) {
        char orig = nss[i];
        for (char c = '0'; c <= '9'; c++) {
            if (c == orig)
                continue;
            nss[i] = c;
            assert_int_equal(nss_validate(nss, 11, 0, &r), NSS_ERR_CHECK_DIGIT);
        }
        nss[i] = orig;
    }
}

static void test_check_digit_input(void **state)
{
    (void)state;
    assert_int_equal(nss_check_digit("0000000000"), '0');
    assert_int_equal(nss_check_digit("1234567890"), '3'); /* 1+4+3+8+5+3+7+7+9+0 = 47 */
    assert_int_equal(nss_check_digit("929190844A"), 0);
    assert_int_equal(nss_check_digit("/929190844"), 0); /* '0' - 1 */
    assert_int_equal(nss_check_digit("92919084:3"), 0); /* '9' + 1 */
    assert_int_equal(nss_check_digit("\xb9\xb2\xb9\xb1\xb9\xb0\xb8\xb4\xb4\xb3"), 0);
}

/* ---- nss_describe ---- */

static void test_describe_truncation(void **state)
{
    (void)state;
    struct nss_result r;
    validate("92919084437", YEAR, &r);
    char buf[64];
    assert_int_equal(nss_describe(&r, buf, 0), -1);
    assert_int_equal(nss_describe(&r, buf, 1), -1);
    assert_string_equal(buf, "");
    assert_int_equal(nss_describe(&r, buf, 6), -1); /* "check" */
    assert_string_equal(buf, "check");
    assert_int_equal(nss_describe(&r, buf, 20), -1);
    assert_int_equal(strlen(buf), 19);
    size_t full = strlen("check_digit: expected 1, found 7");
    assert_int_equal(nss_describe(&r, buf, full), -1);
    assert_int_equal(nss_describe(&r, buf, full + 1), 0);
    assert_string_equal(buf, "check_digit: expected 1, found 7");

    /* The longest message fits NSS_DESCRIBE_SIZE. */
    memset(&r, 0, sizeof r);
    r.status = NSS_ERR_CHARSET;
    r.position = SIZE_MAX;
    strcpy(r.found, "\\xff");
    char big[NSS_DESCRIBE_SIZE];
    assert_int_equal(nss_describe(&r, big, sizeof big), 0);
    r.status = NSS_ERR_LENGTH;
    r.length = SIZE_MAX;
    assert_int_equal(nss_describe(&r, big, sizeof big), 0);
    r.status = NSS_ERR_YEARS;
    r.registration_year = INT32_MIN;
    r.birth_year = INT32_MIN;
    assert_int_equal(nss_describe(&r, big, sizeof big), 0);
    r.status = (enum nss_status)99;
    assert_int_equal(nss_describe(&r, big, sizeof big), 0);
    assert_string_equal(big, "unknown: unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_mod11_variant_is_rejected),
        cmocka_unit_test(test_status_codes),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_charset),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_years),
        cmocka_unit_test(test_trimming),
        cmocka_unit_test(test_window_year),
        cmocka_unit_test(test_windowing_edges),
        cmocka_unit_test(test_luhn_agreement),
        cmocka_unit_test(test_single_digit_errors),
        cmocka_unit_test(test_check_digit_input),
        cmocka_unit_test(test_describe_truncation),
    };
    return cmocka_run_group_tests_name("core/nss", tests, NULL, NULL);
}
