/* CURP validation and check digit. Derivation lives in curp_derive.c. */
#include "core/curp.h"

#include "core/found_char.h"

#include "core/civil_date.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- Character classes, one bit each, looked up per byte ---- */

enum {
    C_LETTER = 1 << 0,
    C_VOWEL_OR_X = 1 << 1,
    C_DIGIT = 1 << 2,
    C_SEX = 1 << 3,
    C_CONSONANT = 1 << 4,
    C_ALNUM = 1 << 5,
};

#define UPPER_LETTER (C_LETTER | C_ALNUM)
#define VOWEL        (UPPER_LETTER | C_VOWEL_OR_X)
#define CONSONANT    (UPPER_LETTER | C_CONSONANT)

/* Upper-case classes; lower case is folded before the lookup. */
static const uint8_t char_class[256] = {
    ['0'] = C_DIGIT | C_ALNUM,
    ['1'] = C_DIGIT | C_ALNUM,
    ['2'] = C_DIGIT | C_ALNUM,
    ['3'] = C_DIGIT | C_ALNUM,
    ['4'] = C_DIGIT | C_ALNUM,
    ['5'] = C_DIGIT | C_ALNUM,
    ['6'] = C_DIGIT | C_ALNUM,
    ['7'] = C_DIGIT | C_ALNUM,
    ['8'] = C_DIGIT | C_ALNUM,
    ['9'] = C_DIGIT | C_ALNUM,
    ['A'] = VOWEL,
    ['B'] = CONSONANT,
    ['C'] = CONSONANT,
    ['D'] = CONSONANT,
    ['E'] = VOWEL,
    ['F'] = CONSONANT,
    ['G'] = CONSONANT,
    ['H'] = CONSONANT | C_SEX,
    ['I'] = VOWEL,
    ['J'] = CONSONANT,
    ['K'] = CONSONANT,
    ['L'] = CONSONANT,
    ['M'] = CONSONANT | C_SEX,
    ['N'] = CONSONANT,
    ['O'] = VOWEL,
    ['P'] = CONSONANT,
    ['Q'] = CONSONANT,
    ['R'] = CONSONANT,
    ['S'] = CONSONANT,
    ['T'] = CONSONANT,
    ['U'] = VOWEL,
    ['V'] = CONSONANT,
    ['W'] = CONSONANT,
    ['X'] = CONSONANT | C_VOWEL_OR_X | C_SEX,
    ['Y'] = CONSONANT,
    ['Z'] = CONSONANT,
};

/* What each position requires, and the status reported when it does not hold. */
static const struct {
    uint8_t need;
    enum curp_status status;
} position_rule[CURP_LENGTH] = {
    {C_LETTER, CURP_ERR_INITIALS},
    {C_VOWEL_OR_X, CURP_ERR_POSITION_2},
    {C_LETTER, CURP_ERR_INITIALS},
    {C_LETTER, CURP_ERR_INITIALS},
    {C_DIGIT, CURP_ERR_DATE},
    {C_DIGIT, CURP_ERR_DATE},
    {C_DIGIT, CURP_ERR_DATE},
    {C_DIGIT, CURP_ERR_DATE},
    {C_DIGIT, CURP_ERR_DATE},
    {C_DIGIT, CURP_ERR_DATE},
    {C_SEX, CURP_ERR_SEX},
    {C_LETTER, CURP_ERR_STATE},
    {C_LETTER, CURP_ERR_STATE},
    {C_CONSONANT, CURP_ERR_CONSONANTS},
    {C_CONSONANT, CURP_ERR_CONSONANTS},
    {C_CONSONANT, CURP_ERR_CONSONANTS},
    {C_ALNUM, CURP_ERR_CHARSET},
    {C_DIGIT, CURP_ERR_CHECK_DIGIT},
};

/* ---- Tables from the Instructivo ---- */

/* Anexo 2: the 81 palabras inconvenientes, sorted, packed 8 bits per letter. */
#define WORD(s) ((uint32_t)(s)[0] << 24 | (uint32_t)(s)[1] << 16 | (uint32_t)(s)[2] << 8 | (s)[3])
static const uint32_t inconvenient_words[] = {
    WORD("BACA"), WORD("BAKA"), WORD("BUEI"), WORD("BUEY"), WORD("CACA"), WORD("CACO"),
    WORD("CAGA"), WORD("CAGO"), WORD("CAKA"), WORD("CAKO"), WORD("COGE"), WORD("COGI"),
    WORD("COJA"), WORD("COJE"), WORD("COJI"), WORD("COJO"), WORD("COLA"), WORD("CULO"),
    WORD("FALO"), WORD("FETO"), WORD("GETA"), WORD("GUEI"), WORD("GUEY"), WORD("JETA"),
    WORD("JOTO"), WORD("KACA"), WORD("KACO"), WORD("KAGA"), WORD("KAGO"), WORD("KAKA"),
    WORD("KAKO"), WORD("KOGE"), WORD("KOGI"), WORD("KOJA"), WORD("KOJE"), WORD("KOJI"),
    WORD("KOJO"), WORD("KOLA"), WORD("KULO"), WORD("LILO"), WORD("LOCA"), WORD("LOCO"),
    WORD("LOKA"), WORD("LOKO"), WORD("MAME"), WORD("MAMO"), WORD("MEAR"), WORD("MEAS"),
    WORD("MEON"), WORD("MIAR"), WORD("MION"), WORD("MOCO"), WORD("MOKO"), WORD("MULA"),
    WORD("MULO"), WORD("NACA"), WORD("NACO"), WORD("PEDA"), WORD("PEDO"), WORD("PENE"),
    WORD("PIPI"), WORD("PITO"), WORD("POPO"), WORD("PUTA"), WORD("PUTO"), WORD("QULO"),
    WORD("RATA"), WORD("ROBA"), WORD("ROBE"), WORD("ROBO"), WORD("RUIN"), WORD("SENO"),
    WORD("TETA"), WORD("VACA"), WORD("VAGA"), WORD("VAGO"), WORD("VAKA"), WORD("VUEI"),
    WORD("VUEY"), WORD("WUEI"), WORD("WUEY"),
};
#define N_WORDS (sizeof inconvenient_words / sizeof inconvenient_words[0])

/* Anexo 4: the 32 state codes and NE, sorted by code. */
static const struct {
    char code[3];
    const char *name;
} states[] = {
    {"AS", "Aguascalientes"}, {"BC", "Baja California"}, {"BS", "Baja California Sur"},
    {"CC", "Campeche"},       {"CH", "Chihuahua"},       {"CL", "Coahuila"},
    {"CM", "Colima"},         {"CS", "Chiapas"},         {"DF", "Ciudad de México"},
    {"DG", "Durango"},        {"GR", "Guerrero"},        {"GT", "Guanajuato"},
    {"HG", "Hidalgo"},        {"JC", "Jalisco"},         {"MC", "Estado de México"},
    {"MN", "Michoacán"},      {"MS", "Morelos"},         {"NE", "born abroad"},
    {"NL", "Nuevo León"},     {"NT", "Nayarit"},         {"OC", "Oaxaca"},
    {"PL", "Puebla"},         {"QR", "Quintana Roo"},    {"QT", "Querétaro"},
    {"SL", "Sinaloa"},        {"SP", "San Luis Potosí"}, {"SR", "Sonora"},
    {"TC", "Tabasco"},        {"TL", "Tlaxcala"},        {"TS", "Tamaulipas"},
    {"VZ", "Veracruz"},       {"YN", "Yucatán"},         {"ZS", "Zacatecas"},
};

/* Check-digit values: 0-9, A=10 ... N=23, (Ñ=24), O=25 ... Z=36; -1 = not allowed. */
static int check_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'N')
        return c - 'A' + 10;
    if (c >= 'O' && c <= 'Z')
        return c - 'O' + 25;
    return -1;
}

/* The same values mod 10 (only the sum mod 10 matters), for the validator's hot
 * path; bytes outside 0-9 A-Z never reach it. */
static const uint8_t check_value_mod10[256] = {
    ['0'] = 0, ['1'] = 1, ['2'] = 2, ['3'] = 3, ['4'] = 4, ['5'] = 5, ['6'] = 6, ['7'] = 7,
    ['8'] = 8, ['9'] = 9, ['A'] = 0, ['B'] = 1, ['C'] = 2, ['D'] = 3, ['E'] = 4, ['F'] = 5,
    ['G'] = 6, ['H'] = 7, ['I'] = 8, ['J'] = 9, ['K'] = 0, ['L'] = 1, ['M'] = 2, ['N'] = 3,
    ['O'] = 5, ['P'] = 6, ['Q'] = 7, ['R'] = 8, ['S'] = 9, ['T'] = 0, ['U'] = 1, ['V'] = 2,
    ['W'] = 3, ['X'] = 4, ['Y'] = 5, ['Z'] = 6,
};

/* For each first letter, the second letters that begin some word of Anexo 2: most
 * CURPs skip the word search. Every word on the list is tested to be refused. */
#define L(c) (1u << ((c) - 'A'))
static const uint32_t word_prefixes[26] = {
    ['B' - 'A'] = L('A') | L('U'), ['C' - 'A'] = L('A') | L('O') | L('U'),
    ['F' - 'A'] = L('A') | L('E'), ['G' - 'A'] = L('E') | L('U'),
    ['J' - 'A'] = L('E') | L('O'), ['K' - 'A'] = L('A') | L('O') | L('U'),
    ['L' - 'A'] = L('I') | L('O'), ['M' - 'A'] = L('A') | L('E') | L('I') | L('O') | L('U'),
    ['N' - 'A'] = L('A'),          ['P' - 'A'] = L('E') | L('I') | L('O') | L('U'),
    ['Q' - 'A'] = L('U'),          ['R' - 'A'] = L('A') | L('O') | L('U'),
    ['S' - 'A'] = L('E'),          ['T' - 'A'] = L('E'),
    ['V' - 'A'] = L('A') | L('U'), ['W' - 'A'] = L('U'),
};
#undef L

/* Index + 1 into states[] of each two-letter code, 0 for none. */
#define S(a, b, i) [((a) - 'A') * 26 + ((b) - 'A')] = (i) + 1
static const uint8_t state_index[26 * 26] = {
    S('A', 'S', 0),  S('B', 'C', 1),  S('B', 'S', 2),  S('C', 'C', 3),  S('C', 'H', 4),
    S('C', 'L', 5),  S('C', 'M', 6),  S('C', 'S', 7),  S('D', 'F', 8),  S('D', 'G', 9),
    S('G', 'R', 10), S('G', 'T', 11), S('H', 'G', 12), S('J', 'C', 13), S('M', 'C', 14),
    S('M', 'N', 15), S('M', 'S', 16), S('N', 'E', 17), S('N', 'L', 18), S('N', 'T', 19),
    S('O', 'C', 20), S('P', 'L', 21), S('Q', 'R', 22), S('Q', 'T', 23), S('S', 'L', 24),
    S('S', 'P', 25), S('S', 'R', 26), S('T', 'C', 27), S('T', 'L', 28), S('T', 'S', 29),
    S('V', 'Z', 30), S('Y', 'N', 31), S('Z', 'S', 32),
};
#undef S

bool curp_is_inconvenient_word(const char *word)
{
    uint32_t key = WORD((const unsigned char *)word);
    size_t lo = 0, hi = N_WORDS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (inconvenient_words[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < N_WORDS && inconvenient_words[lo] == key;
}

const char *curp_state_name(const char *code)
{
    unsigned a = (unsigned char)code[0] - 'A', b = (unsigned char)code[1] - 'A';
    if (a >= 26 || b >= 26 || state_index[a * 26 + b] == 0)
        return NULL;
    return states[state_index[a * 26 + b] - 1].name;
}

char curp_check_digit(const char *stem)
{
    int sum = 0;
    for (int i = 0; i < CURP_LENGTH - 1; i++) {
        int v = check_value((unsigned char)stem[i]);
        if (v < 0)
            return 0;
        sum += v * (CURP_LENGTH - i);
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

/* ---- Validation ---- */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Code points in a byte run: every byte that is not a UTF-8 continuation byte. */
static size_t count_characters(const unsigned char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += (s[i] & 0xc0) != 0x80;
    return n;
}

static int digit_pair(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

static enum curp_status fail(struct curp_result *out, enum curp_status status, int position)
{
    out->status = status;
    out->position = position;
    return status;
}

enum curp_status curp_validate(const char *input, size_t len, long today_key,
                               struct curp_result *out)
{
    const unsigned char *s = (const unsigned char *)input;
    memset(out, 0, sizeof *out);
    while (len > 0 && is_space(s[0]))
        s++, len--;
    while (len > 0 && is_space(s[len - 1]))
        len--;

    /* Fast path for the usual input, 18 bytes that pass: one fused pass that folds
     * case, copies and checks each position's class. Any failure falls through to
     * the passes below, which report the first error in the documented order. */
    if (len == CURP_LENGTH) {
        unsigned ok = 1, folded = 0;
        for (int i = 0; i < CURP_LENGTH; i++) {
            unsigned char c = s[i];
            unsigned char u = (unsigned char)(c - 'a') < 26 ? (unsigned char)(c - 32) : c;
            folded |= c ^ u;
            out->curp[i] = (char)u;
            ok &= (char_class[u] & position_rule[i].need) != 0;
        }
        if (ok) {
            out->length = CURP_LENGTH;
            out->upper_cased = folded != 0;
            goto classes_ok;
        }
        memset(out->curp, 0, sizeof out->curp);
    }

    out->length = count_characters(s, len);
    if (out->length != CURP_LENGTH)
        return fail(out, CURP_ERR_LENGTH, 0);

    /* Eighteen characters in more than 18 bytes means a multi-byte character; the
     * loop stops at its first byte, and every byte before it is one character, so
     * the stores below never pass curp[17]. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c >= 'a' && c <= 'z') {
            c = (unsigned char)(c - 'a' + 'A');
            out->upper_cased = true;
        }
        if (!(char_class[c] & C_ALNUM)) {
            found_char_format(s, len, i, out->found);
            return fail(out, CURP_ERR_CHARSET, (int)count_characters(s, i) + 1);
        }
        out->curp[i] = (char)c;
    }

    for (int i = 0; i < CURP_LENGTH; i++) {
        unsigned char c = (unsigned char)out->curp[i];
        if (!(char_class[c] & position_rule[i].need)) {
            out->found[0] = (char)c;
            return fail(out, position_rule[i].status, i + 1);
        }
    }

classes_ok:;
    const char *u = out->curp;
    /* Positions 1-2 are capital letters here, so the prefix table index is safe. */
    if ((word_prefixes[u[0] - 'A'] >> (u[1] - 'A') & 1) && curp_is_inconvenient_word(u))
        return fail(out, CURP_ERR_INCONVENIENT_WORD, 0);

    /* Position 17 carries the century: a digit for 19xx, a letter for 20xx. */
    out->year = (u[16] <= '9' ? 1900 : 2000) + digit_pair(u + 4);
    out->month = digit_pair(u + 6);
    out->day = digit_pair(u + 8);
    if (!civil_date_exists(out->year, out->month, out->day))
        return fail(out, CURP_ERR_DATE, 5);
    if (today_key > 0 && civil_date_key(out->year, out->month, out->day) > today_key)
        return fail(out, CURP_ERR_DATE, 5);

    out->sex = u[10];
    memcpy(out->state, u + 11, 2);
    if (!curp_state_name(out->state))
        return fail(out, CURP_ERR_STATE, 12);

    unsigned sum = 0;
    for (int i = 0; i < CURP_LENGTH - 1; i++)
        sum += check_value_mod10[(unsigned char)u[i]] * (unsigned)(CURP_LENGTH - i);
    char expected = (char)('0' + (10 - sum % 10) % 10);
    if (u[17] != expected) {
        out->expected = expected;
        out->found[0] = u[17];
        return fail(out, CURP_ERR_CHECK_DIGIT, 18);
    }
    out->status = CURP_VALID;
    return CURP_VALID;
}

const char *curp_status_code(enum curp_status status)
{
    switch (status) {
    case CURP_VALID:
        return "valid";
    case CURP_ERR_LENGTH:
        return "length";
    case CURP_ERR_CHARSET:
        return "charset";
    case CURP_ERR_INITIALS:
        return "initials";
    case CURP_ERR_POSITION_2:
        return "position_2";
    case CURP_ERR_DATE:
        return "date";
    case CURP_ERR_SEX:
        return "sex";
    case CURP_ERR_STATE:
        return "state";
    case CURP_ERR_CONSONANTS:
        return "consonants";
    case CURP_ERR_CHECK_DIGIT:
        return "check_digit";
    case CURP_ERR_INCONVENIENT_WORD:
        return "inconvenient_word";
    }
    return "unknown";
}

/* The message after "code: " for r. */
static int describe_detail(const struct curp_result *r, char *buf, size_t size)
{
    const char *f = r->found;
    int p = r->position;
    char word[5] = {0};
    memcpy(word, r->curp, 4);

    switch (r->status) {
    case CURP_VALID:
        return snprintf(buf, size, "%s", r->curp);
    case CURP_ERR_LENGTH:
        return snprintf(buf, size, "%zu characters, expected 18", r->length);
    case CURP_ERR_CHARSET:
        return snprintf(buf, size, "position %d has '%s'; only letters A-Z and digits are allowed",
                        p, f);
    case CURP_ERR_INITIALS:
        return snprintf(buf, size, "position %d must be a letter, found '%s'", p, f);
    case CURP_ERR_POSITION_2:
        return snprintf(buf, size, "position 2 must be a vowel or X, found '%s'", f);
    case CURP_ERR_DATE:
        if (r->year == 0)
            return snprintf(buf, size, "positions 5-10 must be digits (YYMMDD), found '%s' at %d",
                            f, p);
        return snprintf(buf, size, "%04d-%02d-%02d %s", r->year, r->month, r->day,
                        civil_date_exists(r->year, r->month, r->day) ? "is in the future"
                                                                     : "does not exist");
    case CURP_ERR_SEX:
        return snprintf(buf, size, "position 11 must be H, M or X, found '%s'", f);
    case CURP_ERR_STATE:
        if (r->state[0] == '\0')
            return snprintf(buf, size, "positions 12-13 must be letters, found '%s' at %d", f, p);
        return snprintf(buf, size, "%s is not a state code", r->state);
    case CURP_ERR_CONSONANTS:
        return snprintf(buf, size, "position %d must be a consonant, found '%s'", p, f);
    case CURP_ERR_CHECK_DIGIT:
        if (r->expected == 0)
            return snprintf(buf, size, "position 18 must be a digit, found '%s'", f);
        return snprintf(buf, size, "expected %c, found %s", r->expected, f);
    case CURP_ERR_INCONVENIENT_WORD:
        return snprintf(buf, size,
                        "%s is on RENAPO's list of inconvenient words; RENAPO writes %c%c%c%c",
                        word, word[0], 'X', word[2], word[3]);
    }
    return snprintf(buf, size, "unknown error");
}

int curp_describe(const struct curp_result *r, char *buf, size_t size)
{
    if (size == 0)
        return -1;
    int n = snprintf(buf, size, "%s: ", curp_status_code(r->status));
    if (n < 0 || (size_t)n >= size)
        return -1;
    int m = describe_detail(r, buf + n, size - (size_t)n);
    return m < 0 || (size_t)m >= size - (size_t)n ? -1 : 0;
}
