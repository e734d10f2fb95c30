/* Unit tests for src/core/curp.c and src/core/curp_derive.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/civil_date.h"
#include "core/curp.h"

#include <stdio.h>
#include <string.h>

static enum curp_status validate(const char *s, struct curp_result *r)
{
    return curp_validate(s, strlen(s), 0, r);
}

static void assert_message(const char *curp, const char *expected)
{
    struct curp_result r;
    char buf[256];
    curp_validate(curp, strlen(curp), civil_date_key(2026, 11, 23), &r);
    assert_int_equal(curp_describe(&r, buf, sizeof buf), 0);
    assert_string_equal(buf, expected);
}

static void test_worked_example(void **state)
{
    (void)state;
    struct curp_result r;
    assert_int_equal(curp_check_digit("SABC560626MDFLRN0"), '1');
    assert_int_equal(validate("SABC560626MDFLRN01", &r), CURP_VALID);
    assert_int_equal(r.year, 1956);
    assert_int_equal(r.month, 6);
    assert_int_equal(r.day, 26);
    assert_int_equal(r.sex, 'M');
    assert_string_equal(r.state, "DF");
    assert_false(r.upper_cased);
    /* The Instructivo's illustration ends in 09, which fails the algorithm. */
    assert_int_equal(validate("SABC560626MDFLRN09", &r), CURP_ERR_CHECK_DIGIT);
    assert_int_equal(r.expected, '1');
}

static void test_each_error_has_its_code_and_message(void **state)
{
    (void)state;
    assert_message("SABC560626MDFLRN0", "length: 17 characters, expected 18");
    assert_message("", "length: 0 characters, expected 18");
    assert_message("SABC560626MDFLRN0_",
                   "charset: position 18 has '_'; only letters A-Z and digits are allowed");
    assert_message("SAÑC560626MDFLRN01",
                   "charset: position 3 has 'Ñ'; only letters A-Z and digits are allowed");
    assert_message("S1BC560626MDFLRN01", "position_2: position 2 must be a vowel or X, found '1'");
    assert_message("SA1C560626MDFLRN01", "initials: position 3 must be a letter, found '1'");
    assert_message("SABC56O626MDFLRN01",
                   "date: positions 5-10 must be digits (YYMMDD), found 'O' at 7");
    assert_message("SABC560230MDFLRN01", "date: 1956-02-30 does not exist");
    assert_message("SABC561301MDFLRN01", "date: 1956-13-01 does not exist");
    assert_message("TOMA880125HMNRRNO2", "date: 2088-01-25 is in the future");
    assert_message("SABC560626FDFLRN01", "sex: position 11 must be H, M or X, found 'F'");
    assert_message("SABC560626MZZLRN01", "state: ZZ is not a state code");
    assert_message("SABC560626MD1LRN01", "state: positions 12-13 must be letters, found '1' at 13");
    assert_message("SABC560626MDFARN01", "consonants: position 14 must be a consonant, found 'A'");
    assert_message("SABC200626MDFLRNA2", "check_digit: expected 1, found 2");
    assert_message("SABC560626MDFLRN0A", "check_digit: position 18 must be a digit, found 'A'");
    assert_message(
        "PENE660720HMCXTN06",
        "inconvenient_word: PENE is on RENAPO's list of inconvenient words; RENAPO writes PXNE");
}

static void test_trim_and_lower_case(void **state)
{
    (void)state;
    struct curp_result r;
    assert_int_equal(validate(" \tsabc560626mdflrn01\r\n", &r), CURP_VALID);
    assert_true(r.upper_cased);
    assert_string_equal(r.curp, "SABC560626MDFLRN01");
}

static void test_hostile_bytes(void **state)
{
    (void)state;
    struct curp_result r;
    const char with_nul[18] = "SABC560626MD\0LRN01";
    assert_int_equal(curp_validate(with_nul, 18, 0, &r), CURP_ERR_CHARSET);
    assert_int_equal(r.position, 13);
    assert_string_equal(r.found, "\\x00");
    const char bad_utf8[] = "SABC560626MDFLRN0\xff";
    assert_int_equal(validate(bad_utf8, &r), CURP_ERR_CHARSET);
    const char lone_continuation[] = "SABC560626MDFLRN01\x80";
    assert_int_equal(validate(lone_continuation, &r), CURP_ERR_CHARSET);
    assert_int_equal(curp_validate(NULL, 0, 0, &r), CURP_ERR_LENGTH);
    /* A backslash is quoted as \x5c, as in NSS messages: never ambiguous in a log. */
    assert_int_equal(validate("SABC560626MDFLRN0\\", &r), CURP_ERR_CHARSET);
    assert_string_equal(r.found, "\\x5c");
}

static void test_century_and_leap_years(void **state)
{
    (void)state;
    struct curp_result r;
    char curp[19] = "LOPA000229MDFPNNA";
    curp[17] = curp_check_digit(curp);
    assert_int_equal(validate(curp, &r), CURP_VALID); /* 2000 is leap */
    assert_int_equal(r.year, 2000);
    memcpy(curp, "LOPA000229MDFPNN0", 17);
    curp[17] = curp_check_digit(curp);
    assert_int_equal(validate(curp, &r), CURP_ERR_DATE); /* 1900 is not */
    assert_true(civil_is_leap_year(2024));
    assert_false(civil_is_leap_year(2100));
    assert_int_equal(civil_days_in_month(2023, 2), 28);
    assert_int_equal(civil_days_in_month(2023, 13), 0);
    assert_false(civil_date_exists(2023, 4, 31));
}

static void test_every_word_on_the_list_is_refused(void **state)
{
    (void)state;
    static const char *words[] = {
        "BACA", "BAKA", "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE",
        "COGI", "COJA", "COJE", "COJI", "COJO", "COLA", "CULO", "FALO", "FETO", "GETA", "GUEI",
        "GUEY", "JETA", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KAKO", "KOGE", "KOGI",
        "KOJA", "KOJE", "KOJI", "KOJO", "KOLA", "KULO", "LILO", "LOCA", "LOCO", "LOKA", "LOKO",
        "MAME", "MAMO", "MEAR", "MEAS", "MEON", "MIAR", "MION", "MOCO", "MOKO", "MULA", "MULO",
        "NACA", "NACO", "PEDA", "PEDO", "PENE", "PIPI", "PITO", "POPO", "PUTA", "PUTO", "QULO",
        "RATA", "ROBA", "ROBE", "ROBO", "RUIN", "SENO", "TETA", "VACA", "VAGA", "VAGO", "VAKA",
        "VUEI", "VUEY", "WUEI", "WUEY"};
    assert_int_equal(sizeof words / sizeof words[0], 81);
    for (size_t i = 0; i < 81; i++) {
        char curp[19];
        snprintf(curp, sizeof curp, "%s560626MDFLRN0", words[i]);
        curp[17] = curp_check_digit(curp);
        curp[18] = '\0';
        struct curp_result r;
        assert_int_equal(validate(curp, &r), CURP_ERR_INCONVENIENT_WORD);
    }
    assert_false(curp_is_inconvenient_word("BXCA"));
    assert_false(curp_is_inconvenient_word("AAAA"));
    assert_false(curp_is_inconvenient_word("ZZZZ"));
}

static void test_all_state_codes(void **state)
{
    (void)state;
    static const char *codes[] = {"AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT",
                                  "GR", "HG", "JC", "MC", "MN", "MS", "NT", "NL", "OC", "PL", "QT",
                                  "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"};
    int accepted = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            char code[3] = {a, b, 0};
            accepted += curp_state_name(code) != NULL;
        }
    assert_int_equal(accepted, 33);
    for (size_t i = 0; i < 33; i++) {
        assert_non_null(curp_state_name(codes[i]));
        for (size_t j = 0; j < i; j++) /* each code has its own name */
            assert_string_not_equal(curp_state_name(codes[i]), curp_state_name(codes[j]));
    }
    assert_string_equal(curp_state_name("AS"), "Aguascalientes");
    assert_string_equal(curp_state_name("ZS"), "Zacatecas");
    assert_string_equal(curp_state_name("OC"), "Oaxaca");
    assert_null(curp_state_name("a1"));
    assert_null(curp_state_name("\xff\xff"));
    assert_string_equal(curp_state_name("NE"), "born abroad");
    assert_string_equal(curp_state_name("DF"), "Ciudad de México");
}

/* A simple generator: random CURPs that satisfy every rule validate, and every
 * single-character change of the check digit is caught. */
static void test_generated_curps(void **state)
{
    (void)state;
    uint32_t seed = 12345;
#define RAND() (seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff)
    static const char consonants[] = "BCDFGHJKLMNPQRSTVWXYZ", vowels[] = "AEIOUX";
    for (int n = 0; n < 20000; n++) {
        char c[19];
        c[0] = (char)('A' + RAND() % 26);
        c[1] = vowels[RAND() % 6];
        c[2] = (char)('A' + RAND() % 26);
        c[3] = (char)('A' + RAND() % 26);
        int year = 1900 + (int)(RAND() % 126), month = 1 + (int)(RAND() % 12);
        int day = 1 + (int)(RAND() % (unsigned)civil_days_in_month(year, month));
        char date[16];
        snprintf(date, sizeof date, "%02d%02d%02d", year % 100, month, day);
        memcpy(c + 4, date, 6);
        c[10] = "HMX"[RAND() % 3];
        memcpy(c + 11, "DF", 2);
        for (int i = 13; i < 16; i++)
            c[i] = consonants[RAND() % 21];
        c[16] = year < 2000 ? (char)('0' + RAND() % 10) : (char)('A' + RAND() % 26);
        c[17] = curp_check_digit(c);
        c[18] = '\0';
        struct curp_result r;
        enum curp_status s = validate(c, &r);
        if (curp_is_inconvenient_word(c)) {
            assert_int_equal(s, CURP_ERR_INCONVENIENT_WORD);
            continue;
        }
        assert_int_equal(s, CURP_VALID);
        assert_int_equal(r.year, year);
        c[17] = (char)('0' + (c[17] - '0' + 1 + (int)(RAND() % 9)) % 10);
        assert_int_equal(validate(c, &r), CURP_ERR_CHECK_DIGIT);
    }
#undef RAND
}

static void test_describe_truncation(void **state)
{
    (void)state;
    struct curp_result r;
    char small[8];
    validate("SABC560626MDFLRN09", &r);
    assert_int_equal(curp_describe(&r, small, sizeof small), -1);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_int_equal(curp_describe(&r, small, 0), -1);
}

static void derive_ok(const char *given, const char *first, const char *second, const char *stem)
{
    struct curp_person p = {given, first, second, 1980, 1, 1, 'H', "DF"};
    struct curp_derivation d;
    assert_int_equal(curp_derive(&p, &d), 0);
    assert_memory_equal(d.stem, stem, 4);
    assert_memory_equal(d.stem + 13, stem + 4, 3);
}

static bool has_rule(const struct curp_derivation *d, enum curp_rule rule)
{
    for (int i = 0; i < d->n_notes; i++)
        if (d->notes[i].rule == rule)
            return true;
    return false;
}

static void test_derive_rules(void **state)
{
    (void)state;
    /* first 4 letters, then positions 14-16 */
    derive_ok("ALBERTO", "ÑANDO", "RODRIGUEZ", "XARANDL");
    derive_ok("MA. DE LOS ANGELES", "MORENO", "SANCHEZ", "MOSARNN");
    derive_ok("JOSÉ", "ÁLVAREZ", "", "AAXJLXS");
    derive_ok("MARIA", "VILLA", "TRUJILLO", "VITMLRR");
    derive_ok("JUAN", "DE LA O", "ROJAS", "OXRJXJN");
    derive_ok("JUAN", "VON DER HEIDE", "KRUSE", "HEKJDRN");
    derive_ok("José", "O'Farril", "Müller", "OXMJXLS");
    derive_ok("Ximena", "Pérez-Núñez", "Ibarra", "PEIXRBM");
    derive_ok("li", "ng", "wu", "NXWLGXX");

    struct curp_person p = {"Ofelia", "Pedrero", "Domínguez", 1980, 1, 1, 'm', "df"};
    struct curp_derivation d;
    assert_int_equal(curp_derive(&p, &d), 0);
    assert_string_equal(d.stem, "PXDO800101MDFDMF");
    assert_true(has_rule(&d, CURP_RULE_INCONVENIENT_WORD));
    assert_true(has_rule(&d, CURP_RULE_ACCENTS));
    assert_false(has_rule(&d, CURP_RULE_NO_SECOND_SURNAME));

    p = (struct curp_person){"Luis", "Pérez", "   ", 2005, 8, 5, 'H', "NE"};
    assert_int_equal(curp_derive(&p, &d), 0);
    assert_string_equal(d.stem, "PEXL050805HNERXS");
    assert_true(has_rule(&d, CURP_RULE_NO_SECOND_SURNAME));
}

static void derive_fails(struct curp_person p, const char *error)
{
    struct curp_derivation d;
    assert_int_equal(curp_derive(&p, &d), -1);
    assert_string_equal(d.error, error);
}

static void test_derive_errors(void **state)
{
    (void)state;
    derive_fails((struct curp_person){"", "A", NULL, 1980, 1, 1, 'H', "DF"},
                 "given names: required");
    derive_fails((struct curp_person){"Ana", NULL, NULL, 1980, 1, 1, 'H', "DF"},
                 "first surname: required");
    derive_fails((struct curp_person){"Ana", "--", NULL, 1980, 1, 1, 'H', "DF"},
                 "first surname: has no letters");
    derive_fails((struct curp_person){"Ana", "L\xc3", NULL, 1980, 1, 1, 'H', "DF"},
                 "first surname: not valid UTF-8");
    derive_fails((struct curp_person){"Ana", "L\xc0\xaf", NULL, 1980, 1, 1, 'H', "DF"},
                 "first surname: not valid UTF-8"); /* overlong encoding */
    derive_fails((struct curp_person){"A\tna", "Lopez", NULL, 1980, 1, 1, 'H', "DF"},
                 "given names: contains a control character");
    derive_fails((struct curp_person){"Ana", "Lopez", NULL, 1899, 12, 31, 'H', "DF"},
                 "birth date: year 1899 is outside 1900-2099, the CURP's range");
    derive_fails((struct curp_person){"Ana", "Lopez", NULL, 2023, 2, 29, 'H', "DF"},
                 "birth date: 2023-02-29 does not exist");
    derive_fails((struct curp_person){"Ana", "Lopez", NULL, 1980, 1, 1, 'F', "DF"},
                 "sex: must be H, M or X");
    derive_fails((struct curp_person){"Ana", "Lopez", NULL, 1980, 1, 1, 'M', "XX"},
                 "state: XX is not a state code or NE");
    derive_fails((struct curp_person){"Ana", "Lopez", NULL, 1980, 1, 1, 'M', NULL},
                 "state: must be a two-letter RENAPO code or NE");
    char long_name[200];
    memset(long_name, 'A', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    derive_fails((struct curp_person){long_name, "Lopez", NULL, 1980, 1, 1, 'M', "DF"},
                 "given names: longer than 100 bytes");
    derive_fails(
        (struct curp_person){"a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g",
                             "Lopez", NULL, 1980, 1, 1, 'M', "DF"},
        "given names: more than 32 words");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_each_error_has_its_code_and_message),
        cmocka_unit_test(test_trim_and_lower_case),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_century_and_leap_years),
        cmocka_unit_test(test_every_word_on_the_list_is_refused),
        cmocka_unit_test(test_all_state_codes),
        cmocka_unit_test(test_generated_curps),
        cmocka_unit_test(test_describe_truncation),
        cmocka_unit_test(test_derive_rules),
        cmocka_unit_test(test_derive_errors),
    };
    return cmocka_run_group_tests_name("core/curp", tests, NULL, NULL);
}
