/*
 * CURP derivation: positions 1-16 from names, birth date, sex and birth state,
 * following the general norms and the exception criteria of the Instructivo.
 *
 * Names are first normalised into "letters": upper-case A-Z, the Ñ marker, word
 * separators, and anything else as a special character that yields X where it
 * lands. Each letter remembers where it came from, so notes quote the original.
 */
#include "core/curp.h"

#include "core/civil_date.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N_TILDE   '\x01' /* normalised Ñ: kept while scanning, written as X */
#define SYMBOL    '?'    /* a non-ASCII character with no letter equivalent */
#define MAX_WORDS 32

struct letter {
    char c;
    uint8_t off, len; /* the original UTF-8 bytes of this letter */
};

struct word {
    int start, len; /* a run of letters in field.letters */
};

struct field {
    const char *label; /* "given names", "first surname", "second surname" */
    const char *text;  /* the original UTF-8 */
    struct letter letters[CURP_NAME_MAX];
    int n_letters;
    struct word words[MAX_WORDS];
    int n_words;
    bool had_accents;
};

static const char *const particles[] = {"DA",  "DAS", "DE",  "DEL", "DER", "DI", "DIE",
                                        "DD",  "EL",  "LA",  "LOS", "LAS", "LE", "LES",
                                        "MAC", "MC",  "VAN", "VON", "Y"};

/* MARIA and JOSE with the abbreviations of the Instructivo; M and M. are not in
 * its list but RENAPO assigns CURPs that skip them (QUCC810919MVZHLR01 for
 * "M CRISTINA"), so they are skipped too. */
static const char *const common_first_names[] = {"MARIA", "MA.",  "MA", "M.",
                                                 "M",     "JOSE", "J.", "J"};

/* ---- Notes and errors ---- */

static void add_note(struct curp_derivation *out, enum curp_rule rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_note(struct curp_derivation *out, enum curp_rule rule, const char *fmt, ...)
{
    if (out->n_notes >= CURP_MAX_NOTES)
        return;
    char *text = out->notes[out->n_notes].text;
    int n = snprintf(text, CURP_NOTE_SIZE, "%s: ", curp_rule_code(rule));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text + n, CURP_NOTE_SIZE - (size_t)n, fmt, ap); /* names are capped: fits */
    va_end(ap);
    out->notes[out->n_notes++].rule = rule;
}

static int derive_error(struct curp_derivation *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int derive_error(struct curp_derivation *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->error, sizeof out->error, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- Normalisation ---- */

/* The letter for a Latin-1 code point, or 0 when it has none. Accented vowels,
 * diaeresis and cedilla lose their marks; Ñ stays distinct. */
static char latin1_letter(uint32_t cp, bool *accent)
{
    static const char map[64] = "AAAAAA?CEEEEIIII?\x01OOOOO?OUUUUY??"
                                "AAAAAA?CEEEEIIII?\x01OOOOO?OUUUUY?Y";
    if (cp < 0xc0 || cp > 0xff)
        return 0;
    char c = map[cp - 0xc0];
    if (c == '?')
        return 0;
    *accent = c != N_TILDE;
    return c;
}

/* Decodes one UTF-8 sequence at s[i]; returns its length (1-4) or 0 if malformed. */
static int decode_utf8(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned char c = s[i];
    int n = c < 0x80                 ? 1
            : c >= 0xc2 && c <= 0xdf ? 2
            : c >= 0xe0 && c <= 0xef ? 3
            : c >= 0xf0 && c <= 0xf4 ? 4
                                     : 0;
    if (n == 0 || i + (size_t)n > len)
        return 0;
    uint32_t v = n == 1 ? c : n == 2 ? c & 0x1fu : n == 3 ? c & 0x0fu : c & 0x07u;
    for (int k = 1; k < n; k++) {
        if ((s[i + k] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i + k] & 0x3fu);
    }
    static const uint32_t min_for_length[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min_for_length[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

static int normalise(struct field *f, struct curp_derivation *out)
{
    const unsigned char *s = (const unsigned char *)(f->text ? f->text : "");
    size_t len = strlen((const char *)s);
    if (len > CURP_NAME_MAX)
        return derive_error(out, "%s: longer than %d bytes", f->label, CURP_NAME_MAX);

    bool in_word = false, has_letter = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = decode_utf8(s, len, i, &cp);
        if (n == 0)
            return derive_error(out, "%s: not valid UTF-8", f->label);
        if (cp < 0x20 || cp == 0x7f)
            return derive_error(out, "%s: contains a control character", f->label);
        char c;
        bool accent = false;
        if (cp == ' ') {
            in_word = false;
            i += (size_t)n;
            continue;
        } else if (cp < 0x80) {
            c = (char)(cp >= 'a' && cp <= 'z' ? cp - 'a' + 'A' : cp);
        } else if ((c = latin1_letter(cp, &accent)) == 0) {
            c = SYMBOL;
        }
        f->had_accents |= accent;
        has_letter |= (c >= 'A' && c <= 'Z') || c == N_TILDE;
        if (!in_word) {
            if (f->n_words == MAX_WORDS)
                return derive_error(out, "%s: more than %d words", f->label, MAX_WORDS);
            f->words[f->n_words++] = (struct word){f->n_letters, 0};
            in_word = true;
        }
        f->letters[f->n_letters++] = (struct letter){c, (uint8_t)i, (uint8_t)n};
        f->words[f->n_words - 1].len++;
        i += (size_t)n;
    }
    if (f->n_words == 0)
        return derive_error(out, "%s: required", f->label);
    if (!has_letter)
        return derive_error(out, "%s: has no letters", f->label);
    return 0;
}

/* Appends len bytes to buf[*n], keeping room for the NUL; false when full. */
static bool append(char *buf, size_t size, size_t *n, const char *piece, size_t len)
{
    if (*n + len + 1 > size)
        return false;
    memcpy(buf + *n, piece, len);
    *n += len;
    buf[*n] = '\0';
    return true;
}

/* Renders words [first, first + count) of f: upper-case ASCII without accents,
 * Ñ and symbols as typed. */
static const char *render(const struct field *f, int first, int count, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int w = first; w < first + count && w < f->n_words; w++) {
        if (w > first && !append(buf, size, &n, " ", 1))
            return buf;
        for (int k = 0; k < f->words[w].len; k++) {
            const struct letter *l = &f->letters[f->words[w].start + k];
            bool ok = l->c == N_TILDE  ? append(buf, size, &n, "Ñ", strlen("Ñ"))
                      : l->c == SYMBOL ? append(buf, size, &n, f->text + l->off, l->len)
                                       : append(buf, size, &n, &l->c, 1);
            if (!ok)
                return buf;
        }
    }
    return buf;
}

static bool word_is(const struct field *f, int w, const char *const *list, size_t n_list)
{
    for (size_t i = 0; i < n_list; i++) {
        size_t len = strlen(list[i]);
        if ((size_t)f->words[w].len != len)
            continue;
        bool same = true;
        for (size_t k = 0; k < len && same; k++)
            same = f->letters[f->words[w].start + (int)k].c == list[i][k];
        if (same)
            return true;
    }
    return false;
}

#define IS_PARTICLE(f, w) word_is(f, w, particles, sizeof particles / sizeof particles[0])

/* Drops leading particles (never the last word); returns the first word kept. */
static int skip_particles(const struct field *f, int w, struct curp_derivation *out)
{
    char buf[3 * CURP_NAME_MAX];
    while (w < f->n_words - 1 && IS_PARTICLE(f, w)) {
        add_note(out, CURP_RULE_PARTICLE, "the particle %s in %s is not used",
                 render(f, w, 1, buf, sizeof buf), f->label);
        w++;
    }
    return w;
}

/* ---- The word each position is read from ---- */

static int choose_surname_word(const struct field *f, struct curp_derivation *out)
{
    char all[3 * CURP_NAME_MAX], used[3 * CURP_NAME_MAX];
    int w = skip_particles(f, 0, out);
    if (w < f->n_words - 1)
        add_note(out, CURP_RULE_COMPOUND_SURNAME, "%s %s uses only %s", f->label,
                 render(f, 0, f->n_words, all, sizeof all), render(f, w, 1, used, sizeof used));
    return w;
}

static int choose_given_word(const struct field *f, struct curp_derivation *out)
{
    char all[3 * CURP_NAME_MAX], used[3 * CURP_NAME_MAX];
    int w = skip_particles(f, 0, out);
    if (w < f->n_words - 1 && word_is(f, w, common_first_names,
                                      sizeof common_first_names / sizeof common_first_names[0])) {
        add_note(out, CURP_RULE_MARIA_JOSE, "%s %s: %s is skipped when another name follows",
                 f->label, render(f, 0, f->n_words, all, sizeof all),
                 render(f, w, 1, used, sizeof used));
        w = skip_particles(f, w + 1, out);
    }
    if (w < f->n_words - 1)
        add_note(out, CURP_RULE_COMPOUND_GIVEN_NAME, "%s %s uses only %s", f->label,
                 render(f, 0, f->n_words, all, sizeof all), render(f, w, 1, used, sizeof used));
    return w;
}

static bool is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static bool is_letter(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* The character a letter contributes at a position: itself, or X for Ñ and symbols. */
static char code_letter(const struct field *f, int w, int k, int position,
                        struct curp_derivation *out)
{
    char buf[3 * CURP_NAME_MAX];
    const struct letter *l = &f->letters[f->words[w].start + k];
    if (is_letter(l->c))
        return l->c;
    if (l->c == N_TILDE)
        add_note(out, CURP_RULE_N_TILDE, "Ñ in %s %s gives X at position %d", f->label,
                 render(f, w, 1, buf, sizeof buf), position);
    else
        add_note(out, CURP_RULE_SPECIAL_CHARACTER, "'%.*s' in %s %s gives X at position %d",
                 (int)l->len, f->text + l->off, f->label, render(f, w, 1, buf, sizeof buf),
                 position);
    return 'X';
}

/* Position 2: the first vowel after the first letter; X when a symbol comes first
 * or there is none. Consonants (Ñ included) are passed over. */
static char internal_vowel(const struct field *f, int w, struct curp_derivation *out)
{
    char buf[3 * CURP_NAME_MAX];
    for (int k = 1; k < f->words[w].len; k++) {
        char c = f->letters[f->words[w].start + k].c;
        if (is_vowel(c))
            return c;
        if (!is_letter(c) && c != N_TILDE)
            return code_letter(f, w, k, 2, out);
    }
    add_note(out, CURP_RULE_NO_INTERNAL_VOWEL,
             "%s %s has no vowel after its first letter: X at position 2", f->label,
             render(f, w, 1, buf, sizeof buf));
    return 'X';
}

/* Positions 14-16: the first consonant after the first letter; X for Ñ, for a
 * symbol reached first, or when there is none. */
static char internal_consonant(const struct field *f, int w, int position,
                               struct curp_derivation *out)
{
    char buf[3 * CURP_NAME_MAX];
    for (int k = 1; k < f->words[w].len; k++) {
        char c = f->letters[f->words[w].start + k].c;
        if (!is_vowel(c))
            return code_letter(f, w, k, position, out);
    }
    add_note(out, CURP_RULE_NO_INTERNAL_CONSONANT,
             "%s %s has no consonant after its first letter: X at position %d", f->label,
             render(f, w, 1, buf, sizeof buf), position);
    return 'X';
}

static void note_accents(const struct field *f, struct curp_derivation *out)
{
    char buf[3 * CURP_NAME_MAX];
    if (f->had_accents)
        add_note(out, CURP_RULE_ACCENTS, "%s \"%s\" is written %s", f->label, f->text,
                 render(f, 0, f->n_words, buf, sizeof buf));
}

static int check_person(const struct curp_person *p, char *sex, char state[3],
                        struct curp_derivation *out)
{
    if (p->year < 1900 || p->year > 2099)
        return derive_error(out, "birth date: year %d is outside 1900-2099, the CURP's range",
                            p->year);
    if (!civil_date_exists(p->year, p->month, p->day))
        return derive_error(out, "birth date: %04d-%02d-%02d does not exist", p->year, p->month,
                            p->day);
    *sex = (char)(p->sex >= 'a' && p->sex <= 'z' ? p->sex - 'a' + 'A' : p->sex);
    if (*sex != 'H' && *sex != 'M' && *sex != 'X')
        return derive_error(out, "sex: must be H, M or X");
    const char *s = p->state ? p->state : "";
    if (strlen(s) != 2)
        return derive_error(out, "state: must be a two-letter RENAPO code or NE");
    for (int i = 0; i < 2; i++)
        state[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
    state[2] = '\0';
    if (!curp_state_name(state))
        return derive_error(out, "state: %s is not a state code or NE", state);
    return 0;
}

int curp_derive(const struct curp_person *p, struct curp_derivation *out)
{
    memset(out, 0, sizeof *out);
    struct field given = {.label = "given names", .text = p->given_names};
    struct field first = {.label = "first surname", .text = p->first_surname};
    struct field second = {.label = "second surname", .text = p->second_surname};
    bool has_second =
        p->second_surname && strspn(p->second_surname, " ") < strlen(p->second_surname);

    char sex = 0, state[3] = {0};
    if (normalise(&first, out) != 0 || (has_second && normalise(&second, out) != 0) ||
        normalise(&given, out) != 0 || check_person(p, &sex, state, out) != 0)
        return -1;

    note_accents(&first, out);
    if (has_second)
        note_accents(&second, out);
    note_accents(&given, out);

    int w1 = choose_surname_word(&first, out);
    int w2 = has_second ? choose_surname_word(&second, out) : 0;
    int wg = choose_given_word(&given, out);

    char *stem = out->stem;
    stem[0] = code_letter(&first, w1, 0, 1, out);
    stem[1] = internal_vowel(&first, w1, out);
    stem[2] = has_second ? code_letter(&second, w2, 0, 3, out) : 'X';
    stem[3] = code_letter(&given, wg, 0, 4, out);
    if (!has_second)
        add_note(out, CURP_RULE_NO_SECOND_SURNAME, "no second surname: X at positions 3 and 15");
    if (curp_is_inconvenient_word(stem)) {
        add_note(out, CURP_RULE_INCONVENIENT_WORD,
                 "%.4s is on RENAPO's list of inconvenient words: X at position 2", stem);
        stem[1] = 'X';
    }
    const int date_parts[3] = {p->year % 100, p->month, p->day};
    for (int i = 0; i < 3; i++) {
        stem[4 + 2 * i] = (char)('0' + date_parts[i] / 10);
        stem[5 + 2 * i] = (char)('0' + date_parts[i] % 10);
    }
    stem[10] = sex;
    stem[11] = state[0];
    stem[12] = state[1];
    stem[13] = internal_consonant(&first, w1, 14, out);
    stem[14] = has_second ? internal_consonant(&second, w2, 15, out) : 'X';
    stem[15] = internal_consonant(&given, wg, 16, out);
    stem[16] = '\0';
    return 0;
}

const char *curp_rule_code(enum curp_rule rule)
{
    switch (rule) {
    case CURP_RULE_ACCENTS:
        return "accents";
    case CURP_RULE_PARTICLE:
        return "particle";
    case CURP_RULE_COMPOUND_SURNAME:
        return "compound_surname";
    case CURP_RULE_COMPOUND_GIVEN_NAME:
        return "compound_given_name";
    case CURP_RULE_MARIA_JOSE:
        return "maria_jose";
    case CURP_RULE_N_TILDE:
        return "n_tilde";
    case CURP_RULE_SPECIAL_CHARACTER:
        return "special_character";
    case CURP_RULE_NO_INTERNAL_VOWEL:
        return "no_internal_vowel";
    case CURP_RULE_NO_INTERNAL_CONSONANT:
        return "no_internal_consonant";
    case CURP_RULE_NO_SECOND_SURNAME:
        return "no_second_surname";
    case CURP_RULE_INCONVENIENT_WORD:
        return "inconvenient_word";
    }
    return "unknown";
}
