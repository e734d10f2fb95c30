/*
 * person_name: a person's given names and surnames as typed, cleaned into the
 * form padron stores, and checked against the person's CURP.
 *
 * A name is cleaned like every free-text field (core/text_field: valid UTF-8,
 * trimmed, runs of spaces folded), then it may hold only letters (Latin script:
 * A-Z, the Latin-1 letters such as Ñ, Á, Ü, Ç, and Latin Extended-A/B), spaces,
 * apostrophes (the typographic ’ that phones type is stored as '), hyphens and
 * dots, and at least one letter a CURP is derived from (A-Z, or a Latin-1 letter
 * with a plain form such as Á or Ñ; a name of only others, such as ß or Ł, is
 * refused as having none). A letter followed by a combining accent (what
 * some keyboards send for "é") is composed into the single letter.
 *
 * The check against the CURP derives positions 1-16 (core/curp, curp_derive)
 * from the names with the CURP's own birth date, sex and state, and compares
 * the positions the names decide: 1, 2 and 14 (first surname), 3 and 15 (second
 * surname), 4 and 16 (given names). Position 2 also matches when the CURP has X
 * there (RENAPO writes X for words it will not issue).
 *
 * Invariants: pure (no I/O, no allocation, no locale); safe on any bytes; the
 * results are fixed-size structs owned by the caller.
 */
#ifndef PADRON_CORE_PERSON_NAME_H
#define PADRON_CORE_PERSON_NAME_H

#include "core/curp.h"

#include <stddef.h>

#define PERSON_NAME_CHARS 60            /* characters per field */
#define PERSON_NAME_MAX   CURP_NAME_MAX /* bytes per field once cleaned (100) */

enum person_name_status {
    PERSON_NAME_OK = 0,
    PERSON_NAME_EMPTY,     /* nothing but spaces */
    PERSON_NAME_TOO_LONG,  /* more than PERSON_NAME_CHARS characters or PERSON_NAME_MAX bytes */
    PERSON_NAME_INVALID,   /* invalid UTF-8 or a control character */
    PERSON_NAME_CHARACTER, /* a character that is not a letter, space, ' - or . */
    PERSON_NAME_NO_LETTER, /* only punctuation (or letters beyond Latin-1) */
};

/* Cleans s[0..len) into out. On PERSON_NAME_CHARACTER, bad receives the
 * offending character as UTF-8 (NUL-terminated); bad may be NULL. out is "" on
 * any failure. */
enum person_name_status person_name_clean(const char *s, size_t len, char out[PERSON_NAME_MAX + 1],
                                          char bad[5]);

/* Which name a position of the CURP comes from. */
enum person_name_field {
    PERSON_NAME_FIRST_SURNAME = 0, /* positions 1, 2 and 14 */
    PERSON_NAME_SECOND_SURNAME,    /* positions 3 and 15 */
    PERSON_NAME_GIVEN_NAMES,       /* positions 4 and 16 */
};

/* The stable name of a field: "first_surname", "second_surname", "given_names". */
const char *person_name_field_code(enum person_name_field field);

/* Where the names and the CURP disagree: the first field at fault, the CURP's
 * letters at that field's positions and the letters the names give there, both
 * in the order of the positions (e.g. "GOM" and "PER" for the first surname:
 * positions 1, 2 and 14). */
struct person_name_mismatch {
    enum person_name_field field;
    char curp[4];
    char derived[4];
    bool initials; /* the disagreement is in positions 1-4 (else only in 14-16) */
};

/*
 * Compares cleaned names (second_surname NULL or "" when the person has one
 * surname) with a CURP that curp_validate accepted (curp->status CURP_VALID).
 * Returns 0 when every position agrees, 1 with *m filled at the first field
 * that does not (first surname, then second, then given names), or -1 when the
 * stem cannot be derived (m->field names the field; cannot happen for names that
 * person_name_clean accepted and a valid CURP).
 */
int person_name_match(const char *given_names, const char *first_surname,
                      const char *second_surname, const struct curp_result *curp,
                      struct person_name_mismatch *m);

#endif
