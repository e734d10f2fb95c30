/*
 * emergency_intake: what an emergency encounter is opened with, checked. Pure:
 * no database, no clock; safe on any bytes.
 *
 * An encounter is opened for anyone, asking nothing first: one of three identity
 * kinds, and a triage colour (a Manchester-like scale).
 * - "curp": a CURP that passes the CURP rules (core/curp.h); the person need not
 *   be enrolled. A name may come along.
 * - "name": a name as said (1-200 characters), nothing else required.
 * - "unidentified": a description: sex if known ("female", "male"), apparent
 *   age (0-120), features (up to 1000 characters) and where the person was found
 *   (up to 400); at least one of features and where found.
 * Texts are cleaned by core/text_field.h. Anything else is refused with the field
 * at fault and a stable code.
 */
#ifndef PADRON_CORE_EMERGENCY_INTAKE_H
#define PADRON_CORE_EMERGENCY_INTAKE_H

#include <stdbool.h>
#include <stddef.h>

#define EMERGENCY_NAME_MAX     200  /* characters */
#define EMERGENCY_FEATURES_MAX 1000 /* characters */
#define EMERGENCY_FOUND_MAX    400  /* characters */
#define EMERGENCY_AGE_MAX      120

/* The intake as typed: NULL or "" for what was not given. */
struct emergency_intake_input {
    const char *triage, *identity, *curp, *name, *sex, *apparent_age, *features, *found_where;
};

/* The intake, checked and cleaned. */
struct emergency_intake {
    char triage[8];    /* red, orange, yellow, green, blue */
    char identity[16]; /* curp, name, unidentified */
    char curp[19];     /* "" unless identity is curp */
    char name[4 * EMERGENCY_NAME_MAX + 1];
    char sex[8];      /* female, male, "" */
    int apparent_age; /* -1 when not given */
    char features[4 * EMERGENCY_FEATURES_MAX + 1];
    char found_where[4 * EMERGENCY_FOUND_MAX + 1];
};

enum emergency_intake_status {
    EMERGENCY_INTAKE_OK = 0,
    EMERGENCY_INTAKE_TRIAGE,      /* triage missing or not one of the five colours */
    EMERGENCY_INTAKE_IDENTITY,    /* identity missing or not one of the three kinds */
    EMERGENCY_INTAKE_CURP,        /* a CURP that fails the CURP rules, or none for "curp" */
    EMERGENCY_INTAKE_NAME,        /* no name for "name", or one too long or invalid */
    EMERGENCY_INTAKE_SEX,         /* not female, male or empty */
    EMERGENCY_INTAKE_AGE,         /* not a whole number 0-120 */
    EMERGENCY_INTAKE_TEXT,        /* features or where found too long or invalid */
    EMERGENCY_INTAKE_DESCRIPTION, /* unidentified without features nor where found */
};

/* Checks in into out. Returns EMERGENCY_INTAKE_OK, or the first problem with
 * *field set to the input's name of the field at fault. */
enum emergency_intake_status emergency_intake_check(const struct emergency_intake_input *in,
                                                    struct emergency_intake *out,
                                                    const char **field);

/* The stable code of a status: "ok", "invalid_triage", "invalid_identity",
 * "invalid_curp", "invalid_name", "invalid_sex", "invalid_age", "invalid_text",
 * "description_required". */
const char *emergency_intake_code(enum emergency_intake_status st);

/* Whether text is a triage colour. */
bool emergency_triage_valid(const char *text);

/* Checks a CURP as typed into its 18 upper-case characters: true when valid. */
bool emergency_curp(const char *text, char out[19]);

/* Cleans a staff reason (a clinic override): 10-300 characters after cleaning.
 * True with out filled (at least 4 * 300 + 1 bytes). */
bool emergency_reason_clean(const char *text, char *out, size_t outsz);

#endif
