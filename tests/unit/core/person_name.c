/* Unit tests for src/core/person_name.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/person_name.h"

#include <string.h>

static enum person_name_status clean(const char *s, char out[PERSON_NAME_MAX + 1], char bad[5])
{
    return person_name_clean(s, strlen(s), out, bad);
}

static void test_clean(void **state)
{
    (void)state;
    char out[PERSON_NAME_MAX + 1], bad[5];
    assert_int_equal(clean("  María   del\tCarmen ", out, bad), PERSON_NAME_OK);
    assert_string_equal(out, "María del Carmen");
    assert_int_equal(clean("O’Farril", out, bad), PERSON_NAME_OK); /* a phone's apostrophe */
    assert_string_equal(out, "O'Farril");
    assert_int_equal(clean("O´Farril", out, bad), PERSON_NAME_OK);
    assert_string_equal(out, "O'Farril");
    assert_int_equal(clean("Pérez-Núñez", out, bad), PERSON_NAME_OK);
    assert_int_equal(clean("Ma. de los Ángeles", out, bad), PERSON_NAME_OK);
    assert_int_equal(clean("Zoë Łukasz Dvořák", out, bad), PERSON_NAME_OK);
    /* Decomposed accents (e + U+0301, n + U+0303) become the single letters. */
    assert_int_equal(clean("Pe\xcc\x81rez Pen\xcc\x83"
                           "a",
                           out, bad),
                     PERSON_NAME_OK);
    assert_string_equal(out, "Pérez Peña");
    assert_int_equal(clean("JOSE\xcc\x81", out, bad), PERSON_NAME_OK);
    assert_string_equal(out, "JOSÉ");

    assert_int_equal(clean("   ", out, bad), PERSON_NAME_EMPTY);
    assert_int_equal(clean("", out, bad), PERSON_NAME_EMPTY);
    assert_int_equal(clean("Ana2", out, bad), PERSON_NAME_CHARACTER);
    assert_string_equal(bad, "2");
    assert_string_equal(out, "");
    assert_int_equal(clean("D/Amico", out, bad), PERSON_NAME_CHARACTER);
    assert_string_equal(bad, "/");
    assert_int_equal(clean("Ana 😀", out, bad), PERSON_NAME_CHARACTER);
    assert_string_equal(bad, "😀");
    assert_int_equal(clean("Анна", out, bad), PERSON_NAME_CHARACTER); /* not Latin script */
    assert_int_equal(clean("\xcc\x81"
                           "Ana",
                           out, NULL),
                     PERSON_NAME_CHARACTER); /* lone mark */
    assert_int_equal(clean("-.'", out, bad), PERSON_NAME_NO_LETTER);
    /* Fuzzer find: letters the CURP cannot be derived from, alone, made a 500. */
    assert_int_equal(clean("ǩ", out, bad), PERSON_NAME_NO_LETTER);
    assert_int_equal(clean("ð", out, bad), PERSON_NAME_NO_LETTER);
    assert_int_equal(clean("Øß", out, bad), PERSON_NAME_OK);
    assert_int_equal(clean("Ana\nLuz", out, bad), PERSON_NAME_INVALID);
    assert_int_equal(clean("Ana\xc3", out, bad), PERSON_NAME_INVALID);
    assert_int_equal(person_name_clean("A\0na", 4, out, bad), PERSON_NAME_INVALID);

    char longest[PERSON_NAME_CHARS + 2];
    memset(longest, 'a', PERSON_NAME_CHARS);
    longest[PERSON_NAME_CHARS] = '\0';
    assert_int_equal(clean(longest, out, bad), PERSON_NAME_OK);
    longest[PERSON_NAME_CHARS] = 'a';
    longest[PERSON_NAME_CHARS + 1] = '\0';
    assert_int_equal(clean(longest, out, bad), PERSON_NAME_TOO_LONG);
    /* 60 characters of two bytes each pass the character limit but not the bytes. */
    char wide[2 * PERSON_NAME_CHARS + 1] = "";
    for (int i = 0; i < PERSON_NAME_CHARS; i++)
        strcat(wide, "ñ");
    assert_int_equal(clean(wide, out, bad), PERSON_NAME_TOO_LONG);
}

static int match(const char *given, const char *first, const char *second, const char *curp,
                 struct person_name_mismatch *m)
{
    struct curp_result r;
    assert_int_equal(curp_validate(curp, strlen(curp), 0, &r), CURP_VALID);
    return person_name_match(given, first, second, &r, m);
}

/* Real CURPs with the names RENAPO issued them for (docs/identifiers.md). */
static void test_match_real_cases(void **state)
{
    (void)state;
    static const char *const cases[][4] = {
        {"Concepción", "Salgado", "Briseño", "SABC560626MDFLRN01"},
        {"Emma", "Gómez", "Díaz", "GODE561231MHGMZM07"},
        {"Enrique", "Peña", "Nieto", "PXNE660720HMCXTN06"}, /* PENE: X at 2; Ñ: X at 14 */
        {"Felipe de Jesús", "Calderón", "Hinojosa", "CAHF620818HMNLNL09"},
        {"Maria Del Carmen", "Loredo", "Caballero", "LOCC900627MSPRBR07"},
        {"José Saúl", "Galván", "del Río", "GARS700923HSPLXL06"},
        {"Jose Maria", "Tezoco", "Apale", "TEAM470622HVZZPR07"},
        {"Alberto", "Rodríguez", "Ñando", "ROXA750909HDFDNL07"},
        {"Andrés", "Ich", "Rodríguez", "IXRA750909HDFCDN09"},
        {"Angeline", "Zuleyka", "Netan", "ZUNA540308MNELTN05"}, /* born abroad */
        {"Rosa Guadalupe", "O Relling", "Alvarado", "OXAR970122MVZXLS09"},
        {"Anahi", "N. Luis", "Mendo", "NXMA810327MVZXNN08"},
        {"M Cristina", "Quiahua", "Calihua", "QUCC810919MVZHLR01"},
        {"Jesús Ociel", "Baena", "Saucedo", "BASJ841209XCLNCS02"},
        {"Juan", "Garcia", "", "GAXJ800709HNLRXN05"}, /* one surname */
        {"Luis", "Perez", NULL, "PEXL750909HDFRXS02"},
        {"Ana Maria", "Gomez", "Lopez", "GOLA991231MYNMPN03"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct person_name_mismatch m;
        int got = match(cases[i][0], cases[i][1], cases[i][2], cases[i][3], &m);
        if (got != 0)
            fail_msg("%s %s %s / %s: field %d, CURP %s, names %s", cases[i][0], cases[i][1],
                     cases[i][2] ? cases[i][2] : "-", cases[i][3], (int)m.field, m.curp, m.derived);
    }
}

static void test_mismatch(void **state)
{
    (void)state;
    struct person_name_mismatch m;
    /* Another first surname: the CURP starts with SA, Pérez gives PE. */
    assert_int_equal(match("Concepción", "Pérez", "Briseño", "SABC560626MDFLRN01", &m), 1);
    assert_int_equal(m.field, PERSON_NAME_FIRST_SURNAME);
    assert_true(m.initials);
    assert_string_equal(m.curp, "SAL");
    assert_string_equal(m.derived, "PER");
    assert_string_equal(person_name_field_code(m.field), "first_surname");

    /* Same initials, another internal consonant: Sánchez gives N, the CURP has L. */
    assert_int_equal(match("Concepción", "Sánchez", "Briseño", "SABC560626MDFLRN01", &m), 1);
    assert_int_equal(m.field, PERSON_NAME_FIRST_SURNAME);
    assert_false(m.initials);
    assert_string_equal(m.derived, "SAN");

    /* A second surname left out where the CURP has one, and one added where it has none. */
    assert_int_equal(match("Concepción", "Salgado", "", "SABC560626MDFLRN01", &m), 1);
    assert_int_equal(m.field, PERSON_NAME_SECOND_SURNAME);
    assert_string_equal(m.curp, "BR");
    assert_string_equal(m.derived, "XX");
    assert_int_equal(match("Juan", "Garcia", "Lopez", "GAXJ800709HNLRXN05", &m), 1);
    assert_int_equal(m.field, PERSON_NAME_SECOND_SURNAME);
    assert_string_equal(m.curp, "XX");
    assert_string_equal(m.derived, "LP");

    /* Given names: the first one counts unless it is María or José. */
    assert_int_equal(match("Carmen", "Loredo", "Caballero", "LOCC900627MSPRBR07", &m), 0);
    assert_int_equal(match("Luisa", "Loredo", "Caballero", "LOCC900627MSPRBR07", &m), 1);
    assert_int_equal(m.field, PERSON_NAME_GIVEN_NAMES);
    assert_string_equal(m.curp, "CR");
    assert_string_equal(m.derived, "LS");
    assert_int_equal(m.initials, true);
    assert_int_equal(match("Concepción", "Salgado", "Briseño", "SABC560626MDFLRN01", &m), 0);
    assert_int_equal(match("Conchita", "Salgado", "Briseño", "SABC560626MDFLRN01", &m), 0);
    assert_int_equal(match("Celia", "Salgado", "Briseño", "SABC560626MDFLRN01", &m), 1);
    assert_false(m.initials);
    assert_string_equal(m.curp, "CN");
    assert_string_equal(m.derived, "CL");
}

static void test_match_underivable(void **state)
{
    (void)state;
    struct person_name_mismatch m;
    assert_int_equal(match("", "Salgado", "Briseño", "SABC560626MDFLRN01", &m), -1);
    assert_int_equal(m.field, PERSON_NAME_GIVEN_NAMES);
    assert_int_equal(match("Ana", "--", NULL, "SABC560626MDFLRN01", &m), -1);
    assert_int_equal(m.field, PERSON_NAME_FIRST_SURNAME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_match_real_cases),
        cmocka_unit_test(test_mismatch),
        cmocka_unit_test(test_match_underivable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
