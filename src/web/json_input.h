/*
 * json_input: strict reading of JSON request bodies, with no HTTP in it (so it
 * is fuzzed on its own).
 *
 * Invariants: the body must be exactly one JSON object (no trailing data, no
 * duplicate keys, no NUL inside strings); every key must be declared by the
 * route; anything else is refused with the offending key named.
 */
#ifndef PADRON_WEB_JSON_INPUT_H
#define PADRON_WEB_JSON_INPUT_H

#include <stddef.h>

typedef struct json_t json_t;

#define JSON_INPUT_MAX_DEPTH 8

enum json_input_error {
    JSON_INPUT_OK = 0,
    JSON_INPUT_INVALID,       /* not JSON, or duplicate keys, or too deep */
    JSON_INPUT_NOT_OBJECT,    /* valid JSON, but not an object */
    JSON_INPUT_UNKNOWN_FIELD, /* a key not in allowed; *bad_field names it */
    JSON_INPUT_NOT_TEXT,      /* a declared key whose value is not a string */
};

/* Parses body[0..len) into *out (a new reference the caller releases) when it is
 * an object whose keys are all in allowed (NULL-terminated) and whose values are
 * all strings or null. On failure *out is NULL and, for the field errors,
 * *bad_field points at a static copy of the key (valid until the next call in
 * this thread). */
enum json_input_error json_input_object(const char *body, size_t len, const char *const allowed[],
                                        json_t **out, const char **bad_field);

/* The string value of key in obj, or NULL when absent, null or empty. */
const char *json_input_text(json_t *obj, const char *key);

/* A secret of obj (a password): the string value of key and its length in *len,
 * or NULL and 0 when absent or null. Its bytes are obj's: json_input_wipe them
 * before obj is released. */
const char *json_input_secret(json_t *obj, const char *key, size_t *len);

/* Overwrites the string value of key in obj, if any, with zero bytes, so that a
 * secret does not linger in freed memory. */
void json_input_wipe(json_t *obj, const char *key);

#endif
