/*
 * curp: the Clave Única de Registro de Población, validated and derived.
 *
 * Rules: RENAPO's Instructivo Normativo para la Asignación de la CURP (the 2006
 * text) as summarised in docs/identifiers.md. Layout of the 18 characters:
 *
 *   1 initial of first surname     5-10 birth date YYMMDD    14 internal consonant, 1st surname
 *   2 first internal vowel (or X)  11 sex H, M or X           15 internal consonant, 2nd surname
 *   3 initial of second surname    12-13 birth state or NE    16 internal consonant, given name
 *   4 initial of given name                                   17 differentiator: digit <= 1999,
 *                                                                letter >= 2000
 *                                                             18 check digit
 *
 * Invariants:
 * - Pure functions: no I/O, no clock, no locale, no allocation. "Today" is a
 *   parameter. Every function is safe on any byte sequence, including embedded NULs
 *   and invalid UTF-8, and on any length.
 * - Strings from outside travel as pointer + length; results are fixed-size structs
 *   owned by the caller.
 * - Error codes (curp_status_code) are stable identifiers for logs, tests and API
 *   clients; messages (curp_describe) are English text for people.
 */
#ifndef PADRON_CORE_CURP_H
#define PADRON_CORE_CURP_H

#include <stdbool.h>
#include <stddef.h>

#define CURP_LENGTH      18
#define CURP_STEM_LENGTH 16

enum curp_status {
    CURP_VALID = 0,
    CURP_ERR_LENGTH,            /* not 18 characters after trimming */
    CURP_ERR_CHARSET,           /* a character outside A-Z, a-z, 0-9 (Ñ, accents, NUL, ...) */
    CURP_ERR_INITIALS,          /* positions 1, 3 or 4 are not letters */
    CURP_ERR_POSITION_2,        /* position 2 is not a vowel or X */
    CURP_ERR_DATE,              /* positions 5-10 not digits, not a real date, or in the future */
    CURP_ERR_SEX,               /* position 11 is not H, M or X */
    CURP_ERR_STATE,             /* positions 12-13 are not one of the 32 state codes or NE */
    CURP_ERR_CONSONANTS,        /* positions 14-16 are not consonants */
    CURP_ERR_CHECK_DIGIT,       /* position 18 is not a digit or does not match 1-17 */
    CURP_ERR_INCONVENIENT_WORD, /* positions 1-4 spell a word RENAPO never issues */
};

/* What curp_validate found. On CURP_VALID every decoded field is set; on an error
 * the fields that locate it (position, found, expected, length, date) are set. */
struct curp_result {
    enum curp_status status;
    char curp[CURP_LENGTH + 1]; /* the trimmed, upper-cased CURP when 18 characters */
    bool upper_cased;           /* the input had lower-case letters */
    size_t length;              /* characters (UTF-8 code points) after trimming */
    int position;               /* 1-based position of the offending character, or 0 */
    char found[5];              /* the offending character as UTF-8 (or "\\xNN"), NUL-terminated */
    char expected;              /* CURP_ERR_CHECK_DIGIT: the digit that 1-17 require */
    int year, month, day;       /* birth date (also set for a date that does not exist) */
    char sex;                   /* 'H', 'M' or 'X' */
    char state[3];              /* RENAPO state code, or "NE" for born abroad */
};

/*
 * Validates the len bytes at s. Surrounding ASCII whitespace is trimmed and lower
 * case is accepted (the result says so). today_key is civil_date_key() of the
 * current date, used to refuse birth dates in the future; 0 skips that check.
 * Checks, in order: length, charset, the character class of each position, the
 * inconvenient-word list, the calendar date with the century from position 17,
 * the state list, the check digit. The first failure is reported.
 * Returns out->status.
 */
enum curp_status curp_validate(const char *s, size_t len, long today_key, struct curp_result *out);

/* The stable code of a status: "valid", "length", "charset", "initials", "position_2",
 * "date", "sex", "state", "consonants", "check_digit", "inconvenient_word". */
const char *curp_status_code(enum curp_status status);

/* Writes "code: human message" for r into buf (always NUL-terminated when size > 0),
 * e.g. "check_digit: expected 4, found 9". Returns 0, or -1 if truncated. */
int curp_describe(const struct curp_result *r, char *buf, size_t size);

/* The check digit ('0'-'9') for the 17 characters at stem, or 0 if any of them is
 * outside 0-9 / A-Z. */
char curp_check_digit(const char *stem);

/* The name of a RENAPO state code ("DF" -> "Ciudad de México", "NE" -> "born
 * abroad"), or NULL if code (2 bytes) is not one of the 33 codes. */
const char *curp_state_name(const char *code);

/* True if the 4 upper-case letters at word are on RENAPO's Anexo 2 list. */
bool curp_is_inconvenient_word(const char *word);

/* ---- Derivation of positions 1-16 from a person's data ---- */

struct curp_person {
    const char *given_names;    /* UTF-8, required, e.g. "María del Carmen" */
    const char *first_surname;  /* UTF-8, required (a single surname goes here) */
    const char *second_surname; /* UTF-8, NULL or "" when the person has none */
    int year, month, day;       /* birth date, 1900-01-01 to 2099-12-31 */
    char sex;                   /* 'H', 'M' or 'X' (upper or lower case) */
    const char *state;          /* RENAPO code or "NE" (upper or lower case) */
};

/* Which exception of the Instructivo a note explains. */
enum curp_rule {
    CURP_RULE_ACCENTS,               /* accents and diaeresis removed */
    CURP_RULE_PARTICLE,              /* DE, DEL, LA, MC, VON, ... dropped */
    CURP_RULE_COMPOUND_SURNAME,      /* only the first word of a surname is used */
    CURP_RULE_COMPOUND_GIVEN_NAME,   /* only the first given name is used */
    CURP_RULE_MARIA_JOSE,            /* MARIA / JOSE (and MA., J., M, ...) skipped */
    CURP_RULE_N_TILDE,               /* Ñ written as X */
    CURP_RULE_SPECIAL_CHARACTER,     /* / - . ' and other symbols give X */
    CURP_RULE_NO_INTERNAL_VOWEL,     /* no vowel after the first letter: X at position 2 */
    CURP_RULE_NO_INTERNAL_CONSONANT, /* no consonant after the first letter: X */
    CURP_RULE_NO_SECOND_SURNAME,     /* X at positions 3 and 15 */
    CURP_RULE_INCONVENIENT_WORD,     /* position 2 replaced by X */
};

#define CURP_MAX_NOTES 24
#define CURP_NOTE_SIZE 160
#define CURP_NAME_MAX  100 /* bytes per name field */

struct curp_derivation {
    char stem[CURP_STEM_LENGTH + 1]; /* positions 1-16, NUL-terminated */
    int n_notes;
    struct {
        enum curp_rule rule;
        char text[CURP_NOTE_SIZE]; /* "code: explanation", e.g. "n_tilde: ..." */
    } notes[CURP_MAX_NOTES];
    char error[160]; /* set when curp_derive fails: "field: why" */
};

/* Derives the 16-character stem of p into out and explains each exception that
 * applied, in the order applied. Returns 0, or -1 with out->error naming the field
 * and the reason (empty name, invalid UTF-8, name without letters, date outside
 * 1900-2099 or not a real day, unknown sex or state). Position 17 is assigned by
 * RENAPO and cannot be derived. */
int curp_derive(const struct curp_person *p, struct curp_derivation *out);

/* The stable code of a rule, e.g. "n_tilde". */
const char *curp_rule_code(enum curp_rule rule);

#endif
