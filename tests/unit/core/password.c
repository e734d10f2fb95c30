/* Unit tests for src/core/password.c and src/core/common_passwords.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/password.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* ---- Helpers ---- */

#define B(rule) PASSWORD_BIT(PASSWORD_RULE_##rule)

static unsigned check(const char *pw, struct password_result *r)
{
    return password_check(pw, strlen(pw), NULL, r);
}

/* Names the failed rules, for messages on failure. */
static const char *rules_text(unsigned failed)
{
    static char buf[256];
    size_t n = 0;
    buf[0] = '\0';
    for (int rule = 0; rule < PASSWORD_RULE_COUNT; rule++)
        if (failed & PASSWORD_BIT(rule))
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s ",
                                  password_rule_code((enum password_rule)rule));
    return n ? buf : "(none)";
}

static void expect_failed(const char *pw, size_t len, const struct password_context *ctx,
                          unsigned expected)
{
    struct password_result r;
    unsigned got = password_check(pw, len, ctx, &r);
    if (got != expected || r.failed != got) {
        char want[256];
        snprintf(want, sizeof want, "%s", rules_text(expected));
        fail_msg("'%.*s': expected %s, got %s", (int)len, pw, want, rules_text(got));
    }
}

static void expect(const char *pw, unsigned expected)
{
    expect_failed(pw, strlen(pw), NULL, expected);
}

static void expect_common(const char *pw, enum password_common why)
{
    struct password_result r;
    check(pw, &r);
    if (r.common != why || !(r.failed & B(COMMON)) != (why == PASSWORD_COMMON_NONE))
        fail_msg("'%s': expected common reason %d, got %d (%s)", pw, (int)why, (int)r.common,
                 rules_text(r.failed));
}

/* ---- Accepted passwords ---- */

static void test_accepts_good_passwords(void **state)
{
    (void)state;
    static const char *const good[] = {
        "Río Bravo 2024!",
        "Xochimilco#58",
        "Tengo 3 gatos negros!",
        "Correcaminos&Coyote9",
        "Ñandú-Azul-2024",
        "Calle3ªNorte",
        "Luna#7392018",
        "Chivas#7392018",
        "Volcán Popo 5426?",
        "Ab1!xyzw9q",
        "Москва#2024xy",
        "Αθήνα!2024ok",
        "Mi perro se llama Firulais 3!",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct password_result r;
        expect(good[i], 0);
        check(good[i], &r);
        assert_true(r.upper && r.lower && r.digit && r.special);
        assert_int_equal(r.common, PASSWORD_COMMON_NONE);
        assert_int_equal(r.personal, 0);
        assert_int_equal(r.bytes, strlen(good[i]));
    }
}

/* ---- One rule at a time ---- */

static void test_each_class(void **state)
{
    (void)state;
    expect("abcdefgh1!x", B(NO_UPPER));
    expect("ABCDEFGH1!X", B(NO_LOWER));
    expect("Abcdefgh!!x", B(NO_DIGIT));
    expect("Abcdefgh12x", B(NO_SPECIAL));
    expect("Ab1!xyzw9", B(TOO_SHORT));
}

static void test_accented_letters(void **state)
{
    (void)state;
    /* Á and Ñ are upper case, á ñ ß lower case: the decision in password.h. */
    expect("Árbol#verde93", 0);
    expect("árbol#verde93", B(NO_UPPER));
    expect("ÁRBOL#VERDE93", B(NO_LOWER));
    expect("ÁRBOL#VERDEñ93", 0);
    expect("STRAßE-UNO-42", 0);
    expect("ŁÓDŹ-miasto-7", 0);
    /* × and ÷ are symbols, not letters. */
    expect("QWZ×KPM÷123", B(NO_LOWER));
    /* ª and º are letters without case: they count as special characters. */
    expect("Calle3aNorte", B(NO_SPECIAL));
    expect("Calle3ºNorte", 0);
    /* µ is a lower-case letter. */
    expect("QWZKPM#12µ", 0);
    /* Letters of scripts without case count as special, not as letters. */
    expect("漢字仮名交じり文12", B(NO_UPPER) | B(NO_LOWER));
    /* Greek and Cyrillic have case. */
    expect("ΑΘΗΝΑ!2024ok", 0);
    expect("αθηνα!2024OK", 0);
    expect("ЖЁЛТЫЙ#2024", B(NO_LOWER));
    expect("жёлтый#2024", B(NO_UPPER));
}

static void test_special_characters(void **state)
{
    (void)state;
    static const char *const specials[] = {" ", "!", "\"", "#", "$",  "%", "&", "'",     "(", ")",
                                           "*", "+", ",",  "-", ".",  "/", ":", ";",     "<", "=",
                                           ">", "?", "@",  "[", "\\", "]", "^", "_",     "`", "{",
                                           "|", "}", "~",  "¿", "¡",  "€", "😀", "\u00a0"};
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        char pw[64];
        snprintf(pw, sizeof pw, "Kwpzvx%sq947", specials[i]);
        expect(pw, 0);
    }
}

/* ---- Lengths ---- */

/* Writes a password of exactly n bytes with every class: "Ab1!" then varied letters. */
static void make_length(char *buf, size_t n)
{
    static const char fill[] = "kqzvwxjmfhp";
    memcpy(buf, "Ab1!", 4);
    for (size_t i = 4; i < n; i++)
        buf[i] = fill[i % (sizeof fill - 1)];
    buf[n] = '\0';
}

static void test_boundary_lengths(void **state)
{
    (void)state;
    char buf[512];
    make_length(buf, PASSWORD_MIN_LENGTH - 1);
    expect(buf, B(TOO_SHORT));
    make_length(buf, PASSWORD_MIN_LENGTH);
    expect(buf, 0);
    make_length(buf, PASSWORD_MAX_BYTES);
    expect(buf, 0);
    make_length(buf, PASSWORD_MAX_BYTES + 1);
    expect(buf, B(TOO_LONG));
    make_length(buf, 500);
    expect(buf, B(TOO_LONG));

    /* The minimum counts characters, the maximum bytes. */
    struct password_result r;
    expect("Ñandú#7ab", B(TOO_SHORT)); /* 9 characters in 11 bytes */
    expect("Ñandú#7abc", 0);
    check("Ñandú#7abc", &r);
    assert_int_equal(r.characters, 10);
    assert_int_equal(r.bytes, 12);

    /* 128 bytes with two-byte letters at the end, then one more. */
    make_length(buf, PASSWORD_MAX_BYTES - 4);
    strcat(buf, "ññ");
    assert_int_equal(strlen(buf), PASSWORD_MAX_BYTES);
    expect(buf, 0);
    strcat(buf, "q");
    expect(buf, B(TOO_LONG));

    /* A too-long password skips common and personal checks (they need the bound). */
    memset(buf, '1', 300);
    buf[300] = '\0';
    expect(buf, B(TOO_LONG) | B(NO_UPPER) | B(NO_LOWER) | B(NO_SPECIAL));
}

/* ---- UTF-8 ---- */

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        const char *why;
    } bad[] = {
        {"\xff", "never in UTF-8"},
        {"\xfe", "never in UTF-8"},
        {"\x80", "stray continuation byte"},
        {"\xbf", "stray continuation byte"},
        {"\xc0\xaf", "overlong '/'"},
        {"\xc1\xbf", "overlong"},
        {"\xe0\x80\xaf", "overlong three bytes"},
        {"\xf0\x80\x80\xaf", "overlong four bytes"},
        {"\xed\xa0\x80", "surrogate U+D800"},
        {"\xed\xbf\xbf", "surrogate U+DFFF"},
        {"\xf4\x90\x80\x80", "above U+10FFFF"},
        {"\xf5\x80\x80\x80", "above U+10FFFF"},
        {"\xc3", "truncated at the end"},
        {"\xe2\x82", "truncated at the end"},
        {"\xc3(", "second byte not a continuation"},
        {"\xe2\x28\xa1", "second byte not a continuation"},
        {"\xe2\x82\x28", "third byte not a continuation"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char pw[64];
        snprintf(pw, sizeof pw, "Kwpzvx#947%s", bad[i].bytes);
        struct password_result r;
        password_check(pw, strlen(pw), NULL, &r);
        if (r.failed != B(INVALID_UTF8))
            fail_msg("%s: got %s", bad[i].why, rules_text(r.failed));
    }
    /* Well-formed edges are accepted. */
    static const char *const good[] = {"\xc2\xa1",         "\xdf\xbf",        "\xe0\xa0\x80",
                                       "\xed\x9f\xbf",     "\xee\x80\x80",    "\xef\xbf\xbd",
                                       "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char pw[64];
        snprintf(pw, sizeof pw, "Kwpzvx9qr%s", good[i]);
        expect(pw, 0);
    }
    /* Each byte of a broken sequence counts as one character. */
    struct password_result r;
    password_check("Ab1!\xe2\x82", 6, NULL, &r);
    assert_int_equal(r.characters, 6);
    /* Invalid bytes are not special characters. */
    expect("Kwpzvx947q\xff", B(INVALID_UTF8) | B(NO_SPECIAL));
}

static void test_control_characters(void **state)
{
    (void)state;
    /* A NUL inside, with the explicit length. */
    static const char nul[] = "Kwpzvx#947\0abc";
    expect_failed(nul, sizeof nul - 1, NULL, B(CONTROL_CHARACTER));
    expect_failed("\0\0\0\0\0\0\0\0\0\0", 10, NULL,
                  B(CONTROL_CHARACTER) | B(NO_UPPER) | B(NO_LOWER) | B(NO_DIGIT) | B(NO_SPECIAL) |
                      B(COMMON));
    expect("Kwpzvx#947\t", B(CONTROL_CHARACTER));
    expect("Kwpzvx#947\n", B(CONTROL_CHARACTER));
    expect("Kwpzvx#947\r", B(CONTROL_CHARACTER));
    expect("Kwpzvx#947\x1b", B(CONTROL_CHARACTER));
    expect("Kwpzvx#947\x7f", B(CONTROL_CHARACTER));
    expect("Kwpzvx#947\xc2\x85", B(CONTROL_CHARACTER)); /* U+0085, C1 */
    expect("Kwpzvx#947\xc2\x9f", B(CONTROL_CHARACTER)); /* U+009F */
    /* Control characters are not special characters either. */
    expect("Kwpzvx947q\t", B(CONTROL_CHARACTER) | B(NO_SPECIAL));
}

/* ---- Every failure at once ---- */

static void test_multiple_failures(void **state)
{
    (void)state;
    expect("", B(TOO_SHORT) | B(NO_UPPER) | B(NO_LOWER) | B(NO_DIGIT) | B(NO_SPECIAL) | B(COMMON));
    expect("abc", B(TOO_SHORT) | B(NO_UPPER) | B(NO_DIGIT) | B(NO_SPECIAL) | B(COMMON));
    expect("123456", B(TOO_SHORT) | B(NO_UPPER) | B(NO_LOWER) | B(NO_SPECIAL) | B(COMMON));
    expect("password", B(TOO_SHORT) | B(NO_UPPER) | B(NO_DIGIT) | B(NO_SPECIAL) | B(COMMON));
    expect("contraseña", B(NO_UPPER) | B(NO_DIGIT) | B(NO_SPECIAL) | B(COMMON));
    expect("kwpz\x01\xff", B(TOO_SHORT) | B(INVALID_UTF8) | B(CONTROL_CHARACTER) | B(NO_UPPER) |
                               B(NO_DIGIT) | B(NO_SPECIAL));

    struct password_context ctx = {.given_names = "Lupita"};
    expect_failed("lupita", 6, &ctx,
                  B(TOO_SHORT) | B(NO_UPPER) | B(NO_DIGIT) | B(NO_SPECIAL) | B(COMMON) |
                      B(CONTAINS_PERSONAL));

    /* The classes seen are reported too. */
    struct password_result r;
    check("abc1", &r);
    assert_false(r.upper);
    assert_true(r.lower);
    assert_true(r.digit);
    assert_false(r.special);
    assert_int_equal(r.characters, 4);
}

/* ---- common ---- */

static void test_common_listed_any_case(void **state)
{
    (void)state;
    static const char *const listed[] = {
        "Password1!",     "PASSWORD1!",     "pAsSwOrD1!",  "P@ssw0rd1!",  "Contraseña1!",
        "CONTRASEÑA123!", "contrasena123!", "Mexico2024!", "MÉXICO2024!", "Qwerty123!",
        "QWERTY123$",     "Te amo 123!",    "Teamo123!",   "Mexico-123$", "Bienestar2024!",
    };
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
        expect_common(listed[i], PASSWORD_COMMON_LISTED);
    expect("Password1!", B(COMMON)); /* nothing else */
    expect("PASSWORD1!", B(NO_LOWER) | B(COMMON));
    /* Plain listed words fail other rules too, and are common in any case. */
    static const char *const words[] = {"123456",     "password",   "qwerty",    "contraseña",
                                        "Contraseña", "CONTRASEÑA", "mexico123", "america",
                                        "tequila",    "guadalupe",  "cruzazul",  "chivas",
                                        "PUMAS",      "teamo",      "Jalapeño",  "iloveyou"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        expect_common(words[i], PASSWORD_COMMON_LISTED);
}

static void test_common_decorated(void **state)
{
    (void)state;
    static const char *const decorated[] = {
        "México2030#",    "M3x1c0!2030",    "P@ssw0rd-77",   "Te Amo 2030?",    "Contrasena2030!",
        "Guadalupe1975!", "!!Chivas2030",   "Cruz Azul 10!", "Chivas#1234567",  "Chivas#1212121",
        "Chivas#9876543", "Chivas#7890123", "2030*Tequila",  "Ch1v@s-2030",     "Pumas#123456789",
        "4mor-Eterno-99", "1Love-You-2030", "Amor!!!!!!22",  "Qwertyui#9",      "Abcdefg#12",
        "Lkjhgf!2030",    "Mnbvcxz.99",     "Asdfghjklñ#1",  "Chivas#20242024",
    };
    for (size_t i = 0; i < sizeof decorated / sizeof decorated[0]; i++) {
        expect(decorated[i], B(COMMON));
        expect_common(decorated[i], PASSWORD_COMMON_DECORATED);
    }
    /* Random-looking digits around a listed word are not weak decoration; a run of
     * letters broken by another letter is not a run. */
    expect("Chivas#7392018", 0);
    expect("Abcdefg1!h", 0);
    expect("Qwerty-Mx#2030", 0);
    expect("Tequila%59036", 0);
    /* Two listed words together are a passphrase, not a listed word. */
    expect("Tequila-Mezcal-9", 0);
}

static void test_common_digits_and_repetition(void **state)
{
    (void)state;
    expect_common("Aa123456789!", PASSWORD_COMMON_DIGITS);
    expect_common("Ab#$%^&*1234", PASSWORD_COMMON_DIGITS);
    expect_common("Xy!0000000000", PASSWORD_COMMON_DIGITS);
    expect_common("Xx!20242024", PASSWORD_COMMON_DIGITS);
    expect_common("Xx!1985.1985", PASSWORD_COMMON_DIGITS);
    expect("Xy!8305172946", 0);
    /* Four or more letters and a run of digits: nothing listed, so accepted. */
    expect("Kwpz!123456789", 0);

    expect_common("Aa1!Aa1!Aa1!", PASSWORD_COMMON_REPETITIVE);
    expect_common("Ññññññññ1!", PASSWORD_COMMON_REPETITIVE); /* folds to n, 1, ! */
    expect_common("Abab!!1111", PASSWORD_COMMON_REPETITIVE);
    expect("Abab!!1212", 0); /* a, b, !, 1, 2 */
    expect("Kwpz!1212", B(TOO_SHORT));
}

/* ---- contains_personal ---- */

static const struct password_context lupita = {
    .curp = "lomg850312mdfpzd08",
    .email = "cielo.rojo77@example.com",
    .given_names = "María Guadalupe",
    .first_surname = "López",
    .second_surname = "de la Cruz",
};

static void expect_personal(const struct password_context *ctx, const char *pw, unsigned expected)
{
    struct password_result r;
    password_check(pw, strlen(pw), ctx, &r);
    if (r.personal != expected)
        fail_msg("'%s': expected personal %#x, got %#x", pw, expected, r.personal);
    assert_int_equal(!!(r.failed & B(CONTAINS_PERSONAL)), expected != 0);
    /* Without the context, the same password does not fail that rule. */
    password_check(pw, strlen(pw), NULL, &r);
    assert_int_equal(r.failed & B(CONTAINS_PERSONAL), 0);
    assert_int_equal(r.personal, 0);
}

static void test_personal_curp_and_birth_date(void **state)
{
    (void)state;
    const struct password_context *c = &lupita;
    expect_personal(c, "Xk!LOMG850312MDFPZD08",
                    PASSWORD_PERSONAL_CURP | PASSWORD_PERSONAL_BIRTH_DATE);
    expect_personal(c, "Lomg850312!Qz", PASSWORD_PERSONAL_CURP | PASSWORD_PERSONAL_BIRTH_DATE);
    expect_personal(c, "LOMG-850312-Qz!", PASSWORD_PERSONAL_CURP | PASSWORD_PERSONAL_BIRTH_DATE);
    expect_personal(c, "Rojo!12031985x", PASSWORD_PERSONAL_BIRTH_DATE); /* DDMMYYYY */
    expect_personal(c, "Rojo!12/03/1985x", PASSWORD_PERSONAL_BIRTH_DATE);
    expect_personal(c, "Rojo!850312xQ", PASSWORD_PERSONAL_BIRTH_DATE);  /* YYMMDD */
    expect_personal(c, "Rojo!19850312Q", PASSWORD_PERSONAL_BIRTH_DATE); /* YYYYMMDD */
    expect_personal(c, "Rojo!120385Qx", PASSWORD_PERSONAL_BIRTH_DATE);  /* DDMMYY */
    expect_personal(c, "Rojo!1985Qxkw", 0); /* the year alone is allowed */
    expect_personal(c, "Zorro!7391Qx", 0);

    /* A letter at position 17 means born in 2000 or later. */
    struct password_context young = {.curp = "LOMG050312MDFPZDA8"};
    expect_personal(&young, "Rojo!12032005x", PASSWORD_PERSONAL_BIRTH_DATE);
    expect_personal(&young, "Rojo!12031905x", 0);

    /* A CURP that is not 18 letters and digits is ignored. */
    struct password_context odd = {.curp = "LOMG850312"};
    expect_personal(&odd, "Lomg850312!Qz", 0);
    odd.curp = "LOMG850312MDFPZD0Ñ";
    expect_personal(&odd, "Lomg850312!Qz", 0);
}

static void test_personal_names(void **state)
{
    (void)state;
    const struct password_context *c = &lupita;
    expect_personal(c, "MaRía#Perro93", PASSWORD_PERSONAL_NAME);
    expect_personal(c, "M4ria#Perro93", PASSWORD_PERSONAL_NAME);
    expect_personal(c, "Mar1a#Perro93", PASSWORD_PERSONAL_NAME);
    expect_personal(c, "Ma-ri-a#Perro93", PASSWORD_PERSONAL_NAME);
    expect_personal(c, "GUADA-LUPE!93x", PASSWORD_PERSONAL_NAME);
    expect_personal(c, "Perro#Lopez93", PASSWORD_PERSONAL_NAME);
    expect_personal(c, "Perro#Cruz9301", PASSWORD_PERSONAL_NAME);
    /* "de" and "la" are particles, and too short anyway. */
    expect_personal(c, "Perro#de#la#93", 0);

    /* Three-letter names only as a whole word. */
    struct password_context ana = {.given_names = "Ana Luz", .first_surname = "de los Santos"};
    expect_personal(&ana, "Ana#Perro2031", PASSWORD_PERSONAL_NAME);
    expect_personal(&ana, "Perro#LUZ2031", PASSWORD_PERSONAL_NAME);
    expect_personal(&ana, "Banana#Perro2031", 0);
    expect_personal(&ana, "Los#Perro2031x", 0); /* particle */
    expect_personal(&ana, "Perro#Santos31", PASSWORD_PERSONAL_NAME);

    /* Empty and NULL fields are skipped. */
    struct password_context empty = {.given_names = "", .first_surname = NULL, .email = ""};
    expect_personal(&empty, "Perro#Santos31", 0);
}

static void test_personal_email(void **state)
{
    (void)state;
    struct password_context c = {.email = "cielo.rojo77@example.com"};
    expect_personal(&c, "Cielorojo77!x", PASSWORD_PERSONAL_EMAIL);
    expect_personal(&c, "Cielo.Rojo.77!", PASSWORD_PERSONAL_EMAIL);
    expect_personal(&c, "Gato!rojo77Q", PASSWORD_PERSONAL_EMAIL);
    expect_personal(&c, "Cielo#Gato55", PASSWORD_PERSONAL_EMAIL);
    expect_personal(&c, "Gato#Rojo55x", 0);  /* "rojo" alone is not a piece */
    expect_personal(&c, "Example#Gato5", 0); /* the domain is not personal */

    /* The local part is what precedes the last '@'. */
    c.email = "\"pepe@casa\"@example.com";
    expect_personal(&c, "Pepecasa#91x", PASSWORD_PERSONAL_EMAIL);
    /* Without '@' the whole field is the local part. */
    c.email = "tortuga99";
    expect_personal(&c, "Tortuga99#Qx", PASSWORD_PERSONAL_EMAIL);
}

static void test_personal_field_limits(void **state)
{
    (void)state;
    char huge[400];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    memcpy(huge, "Perro ", 6);
    struct password_context c = {.given_names = huge};
    expect_personal(&c, "Perro#Gato931", 0); /* fields over 256 bytes are ignored */
    huge[256] = '\0';
    expect_personal(&c, "Perro#Gato931", PASSWORD_PERSONAL_NAME);
}

/* ---- Codes and messages ---- */

static void test_codes_and_messages(void **state)
{
    (void)state;
    static const char *const codes[PASSWORD_RULE_COUNT] = {
        "too_short", "too_long",   "invalid_utf8", "control_character", "no_upper", "no_lower",
        "no_digit",  "no_special", "common",       "contains_personal"};
    for (int rule = 0; rule < PASSWORD_RULE_COUNT; rule++) {
        enum password_rule r = (enum password_rule)rule;
        assert_string_equal(password_rule_code(r), codes[rule]);
        const char *es = password_rule_message(r, 0), *en = password_rule_message(r, 1);
        assert_non_null(es);
        assert_non_null(en);
        assert_true(strlen(es) > 20 && strlen(en) > 20);
        assert_true(es[strlen(es) - 1] == '.' && en[strlen(en) - 1] == '.');
        assert_true(es[0] >= 'A' && es[0] <= 'Z' && en[0] >= 'A' && en[0] <= 'Z');
        assert_string_not_equal(es, en);
        assert_string_equal(password_rule_message(r, 2), es); /* Spanish by default */
        assert_string_equal(password_rule_message(r, -1), es);
        for (int other = 0; other < rule; other++) {
            assert_string_not_equal(es, password_rule_message((enum password_rule)other, 0));
            assert_string_not_equal(en, password_rule_message((enum password_rule)other, 1));
        }
    }
    assert_non_null(strstr(password_rule_message(PASSWORD_RULE_TOO_SHORT, 0), "10 caracteres"));
    assert_non_null(strstr(password_rule_message(PASSWORD_RULE_TOO_SHORT, 1), "10 characters"));
    assert_non_null(strstr(password_rule_message(PASSWORD_RULE_TOO_LONG, 0), "128"));
    assert_non_null(strstr(password_rule_message(PASSWORD_RULE_TOO_LONG, 1), "128"));
    assert_string_equal(password_rule_code(PASSWORD_RULE_COUNT), "unknown");
    assert_string_equal(password_rule_code((enum password_rule)99), "unknown");
    assert_non_null(password_rule_message((enum password_rule)99, 0));
    assert_non_null(password_rule_message(PASSWORD_RULE_COUNT, 1));
}

/* ---- Folding ---- */

static void expect_fold(const char *in, const char *want)
{
    char out[256];
    size_t n;
    assert_int_equal(password_fold(in, strlen(in), out, sizeof out, &n), 0);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_fold(void **state)
{
    (void)state;
    expect_fold("ÁÉÍÓÚÜÑ áéíóúüñ", "aeiouun aeiouun");
    expect_fold("ÀÂÃÄÅÇÈÊËÌÎÏÒÔÕÖØÙÛÝàâãäåçèêëìîïòôõöøùûýÿ",
                "aaaaaceeeiiiooooouuyaaaaaceeeiiiooooouuyy");
    expect_fold("Straße ÆæŒœĲĳÞþ", "strasse aeaeoeoeijijthth");
    expect_fold("ŁÓDŹ Łódź Ğİı Ŧ ſ", "lodz lodz gii t s");
    expect_fold("×÷µª¿ 漢 😀", "×÷µª¿ 漢 😀");
    expect_fold("ЖЁЛТЫЙ", "ЖЁЛТЫЙ"); /* other scripts are kept as they are */
    expect_fold("", "");

    /* Invalid bytes and NULs are copied. */
    char out[16];
    size_t n;
    assert_int_equal(password_fold("A\0\xffZ", 4, out, sizeof out, &n), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "a\0\xffz", 5);

    /* Too small a buffer: -1 and "". 2 * len + 1 always suffices. */
    assert_int_equal(password_fold("abc", 3, out, 3, &n), -1);
    assert_string_equal(out, "");
    assert_int_equal(password_fold("abc", 3, out, 4, &n), 0);
    assert_int_equal(password_fold("ßß", 4, out, 9, &n), 0);
    assert_string_equal(out, "ssss");
    assert_int_equal(password_fold("ßß", 4, out, 4, &n), -1);
    assert_int_equal(password_fold("x", 1, out, 0, &n), -1);
}

/* ---- The list ---- */

static void test_list_sorted_unique_folded(void **state)
{
    (void)state;
    size_t count;
    const char *const *list = password_common_list(&count);
    assert_true(count >= 300);
    for (size_t i = 0; i < count; i++) {
        const char *e = list[i];
        size_t len = strlen(e);
        if (len < 4 || len > 32)
            fail_msg("entry %zu '%s' has %zu bytes", i, e, len);
        for (size_t k = 0; k < len; k++)
            if (e[k] < 0x21 || e[k] > 0x7e || (e[k] >= 'A' && e[k] <= 'Z'))
                fail_msg("entry %zu '%s' is not folded printable ASCII", i, e);
        char folded[80];
        size_t n;
        assert_int_equal(password_fold(e, len, folded, sizeof folded, &n), 0);
        assert_string_equal(folded, e);
        if (i > 0 && strcmp(list[i - 1], e) >= 0)
            fail_msg("entries %zu '%s' and %zu '%s' are not sorted and unique", i - 1, list[i - 1],
                     i, e);
        assert_true(password_is_listed(e, len));
        /* Prefixes and extensions of an entry are not matched by it. */
        if (!password_is_listed(e, len - 1)) {
            char longer[40];
            snprintf(longer, sizeof longer, "%s~", e);
            assert_false(password_is_listed(longer, len + 1));
        }
    }
}

static void test_list_contents(void **state)
{
    (void)state;
    static const char *const must[] = {
        "123456",     "password",    "qwerty",     "contrasena",   "mexico123", "america",
        "tequila",    "guadalupe",   "cruzazul",   "chivas",       "pumas",     "teamo",
        "password1!", "mexico2024!", "qwerty123!", "contrasena1!", "iloveyou",  "imssbienestar"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (!password_is_listed(must[i], strlen(must[i])))
            fail_msg("'%s' is not on the list", must[i]);
    assert_false(password_is_listed("", 0));
    assert_false(password_is_listed("zzzzzzzzzzz", 11));
    assert_false(password_is_listed("passwor", 7));
    assert_false(password_is_listed("Password", 8)); /* keys are folded first */
    assert_false(password_is_listed("contraseña", strlen("contraseña")));
    /* An entry followed by a NUL is another key. */
    assert_false(password_is_listed("password\0", 9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_good_passwords),
        cmocka_unit_test(test_each_class),
        cmocka_unit_test(test_accented_letters),
        cmocka_unit_test(test_special_characters),
        cmocka_unit_test(test_boundary_lengths),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_multiple_failures),
        cmocka_unit_test(test_common_listed_any_case),
        cmocka_unit_test(test_common_decorated),
        cmocka_unit_test(test_common_digits_and_repetition),
        cmocka_unit_test(test_personal_curp_and_birth_date),
        cmocka_unit_test(test_personal_names),
        cmocka_unit_test(test_personal_email),
        cmocka_unit_test(test_personal_field_limits),
        cmocka_unit_test(test_codes_and_messages),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_list_sorted_unique_folded),
        cmocka_unit_test(test_list_contents),
    };
    return cmocka_run_group_tests_name("core/password", tests, NULL, NULL);
}
