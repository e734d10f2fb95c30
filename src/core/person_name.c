#include "core/person_name.h"

#include "core/text_field.h"
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

/* Latin-1 letters made of an ASCII letter and a combining mark (NFD to NFC for
 * the accents Spanish, Portuguese, French and German names use). Upper case
 * bases; a lower-case base gives the composed letter + 0x20. */
static const struct {
    uint32_t mark;
    const char *bases;
    const unsigned char *composed;
} compositions[] = {
    {0x300, "AEIOU", (const unsigned char *)"\xc0\xc8\xcc\xd2\xd9"},      /* grave */
    {0x301, "AEIOUY", (const unsigned char *)"\xc1\xc9\xcd\xd3\xda\xdd"}, /* acute */
    {0x302, "AEIOU", (const unsigned char *)"\xc2\xca\xce\xd4\xdb"},      /* circumflex */
    {0x303, "ANO", (const unsigned char *)"\xc3\xd1\xd5"},                /* tilde */
    {0x308, "AEIOU", (const unsigned char *)"\xc4\xcb\xcf\xd6\xdc"},      /* diaeresis */
    {0x30a, "A", (const unsigned char *)"\xc5"},                          /* ring */
    {0x327, "C", (const unsigned char *)"\xc7"},                          /* cedilla */
};

/* The Latin-1 code point of base + mark, or 0 when there is none. */
static uint32_t compose(char base, uint32_t mark)
{
    if (base == 'y' && mark == 0x308)
        return 0xff;
    bool lower = base >= 'a' && base <= 'z';
    char upper = lower ? (char)(base - 'a' + 'A') : base;
    for (size_t i = 0; i < sizeof compositions / sizeof compositions[0]; i++) {
        const char *at = compositions[i].mark == mark ? strchr(compositions[i].bases, upper) : NULL;
        if (at && upper)
            return compositions[i].composed[at - compositions[i].bases] + (lower ? 0x20u : 0u);
    }
    return 0;
}

static bool is_letter(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7) ||
           (cp >= 0x1e00 && cp <= 0x1eff);
}

/* True for the letters a CURP is derived from (core/curp_derive): A-Z and the
 * Latin-1 letters that have a plain letter (Á, Ü, Ç, Ø...) or are Ñ; not Æ, Ð,
 * Þ, ß, which it reads as symbols. A name needs at least one. */
static bool derives(uint32_t cp)
{
    uint32_t upper = cp >= 0xe0 && cp <= 0xfe ? cp - 0x20 : cp;
    return (cp < 0x80 && is_letter(cp)) ||
           (upper >= 0xc0 && upper <= 0xde && upper != 0xc6 && upper != 0xd0 && upper != 0xd7 &&
            upper != 0xde) ||
           cp == 0xff;
}

/* The punctuation a name may hold, as stored: apostrophe look-alikes (’ ‘ ´ `)
 * become ', or 0 when cp is not allowed. */
static char punctuation(uint32_t cp)
{
    if (cp == ' ' || cp == '-' || cp == '.' || cp == '\'')
        return (char)cp;
    if (cp == 0x2019 || cp == 0x2018 || cp == 0xb4 || cp == '`')
        return '\'';
    return 0;
}

/* Appends cp as UTF-8 to out[*o]; false when it does not fit in PERSON_NAME_MAX. */
static bool put(char out[PERSON_NAME_MAX + 1], size_t *o, uint32_t cp)
{
    unsigned char b[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n == 1) {
        b[0] = (unsigned char)cp;
    } else if (n == 2) {
        b[0] = (unsigned char)(0xc0 | cp >> 6);
        b[1] = (unsigned char)(0x80 | (cp & 0x3f));
    } else if (n == 3) {
        b[0] = (unsigned char)(0xe0 | cp >> 12);
        b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
        b[2] = (unsigned char)(0x80 | (cp & 0x3f));
    } else {
        b[0] = (unsigned char)(0xf0 | cp >> 18);
        b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
        b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
        b[3] = (unsigned char)(0x80 | (cp & 0x3f));
    }
    if (*o + n > PERSON_NAME_MAX)
        return false;
    memcpy(out + *o, b, n);
    *o += n;
    out[*o] = '\0';
    return true;
}

static enum person_name_status fail(enum person_name_status st, char out[PERSON_NAME_MAX + 1])
{
    out[0] = '\0';
    return st;
}

enum person_name_status person_name_clean(const char *s, size_t len, char out[PERSON_NAME_MAX + 1],
                                          char bad[5])
{
    char text[4 * PERSON_NAME_CHARS + 1];
    if (bad)
        bad[0] = '\0';
    out[0] = '\0';
    switch (text_field_clean(s, len, PERSON_NAME_CHARS, text, sizeof text)) {
    case TEXT_FIELD_OK:
        break;
    case TEXT_FIELD_EMPTY:
        return PERSON_NAME_EMPTY;
    case TEXT_FIELD_TOO_LONG:
        return PERSON_NAME_TOO_LONG;
    case TEXT_FIELD_INVALID:
    default:
        return PERSON_NAME_INVALID;
    }
    const unsigned char *u = (const unsigned char *)text;
    size_t n = strlen(text), o = 0;
    bool has_letter = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_next(u + i, n - i, &cp);
        if (k == 0)
            return fail(PERSON_NAME_INVALID, out); /* text_field_clean let it through: never */
        uint32_t composed = cp >= 0x300 && cp <= 0x36f && o > 0 ? compose(out[o - 1], cp) : 0;
        if (composed) {
            o--; /* the base letter becomes the composed one */
            out[o] = '\0';
            cp = composed;
        }
        char p = punctuation(cp);
        if (!is_letter(cp) && !p) {
            if (bad) {
                memcpy(bad, text + i, k);
                bad[k] = '\0';
            }
            return fail(PERSON_NAME_CHARACTER, out);
        }
        has_letter |= p == 0 && derives(cp);
        if (!put(out, &o, p ? (uint32_t)(unsigned char)p : cp))
            return fail(PERSON_NAME_TOO_LONG, out);
        i += k;
    }
    return has_letter ? PERSON_NAME_OK : fail(PERSON_NAME_NO_LETTER, out);
}

const char *person_name_field_code(enum person_name_field field)
{
    switch (field) {
    case PERSON_NAME_FIRST_SURNAME:
        return "first_surname";
    case PERSON_NAME_SECOND_SURNAME:
        return "second_surname";
    case PERSON_NAME_GIVEN_NAMES:
        return "given_names";
    }
    return "names";
}

int person_name_match(const char *given_names, const char *first_surname,
                      const char *second_surname, const struct curp_result *curp,
                      struct person_name_mismatch *m)
{
    /* The 0-based positions each name decides, initials first. */
    static const struct {
        enum person_name_field field;
        int n, initials;
        int at[3];
    } fields[] = {
        {PERSON_NAME_FIRST_SURNAME, 3, 2, {0, 1, 13}},
        {PERSON_NAME_SECOND_SURNAME, 2, 1, {2, 14}},
        {PERSON_NAME_GIVEN_NAMES, 2, 1, {3, 15}},
    };
    memset(m, 0, sizeof *m);
    const struct curp_person person = {given_names, first_surname, second_surname, curp->year,
                                       curp->month, curp->day,     curp->sex,      curp->state};
    struct curp_derivation d;
    if (curp_derive(&person, &d) != 0) {
        m->field = strncmp(d.error, "given", 5) == 0    ? PERSON_NAME_GIVEN_NAMES
                   : strncmp(d.error, "second", 6) == 0 ? PERSON_NAME_SECOND_SURNAME
                                                        : PERSON_NAME_FIRST_SURNAME;
        return -1;
    }
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        bool same = true, initials_same = true;
        for (int k = 0; k < fields[f].n; k++) {
            int at = fields[f].at[k];
            char want = curp->curp[at], got = d.stem[at];
            /* Position 2 is X in the CURP when the four letters spell a word RENAPO avoids. */
            bool ok = want == got || (at == 1 && want == 'X');
            same &= ok;
            if (k < fields[f].initials)
                initials_same &= ok;
        }
        if (same)
            continue;
        m->field = fields[f].field;
        m->initials = !initials_same;
        for (int k = 0; k < fields[f].n; k++) {
            m->curp[k] = curp->curp[fields[f].at[k]];
            m->derived[k] = d.stem[fields[f].at[k]];
        }
        return 1;
    }
    return 0;
}
