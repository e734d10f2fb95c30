#include "web/json_input.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Depth of nesting, refused past JSON_INPUT_MAX_DEPTH before jansson recurses. */
static int too_deep(const char *body, size_t len)
{
    int depth = 0;
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = body[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > JSON_INPUT_MAX_DEPTH)
                return 1;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return 0;
}

enum json_input_error json_input_object(const char *body, size_t len, const char *const allowed[],
                                        json_t **out, const char **bad_field)
{
    static _Thread_local char field[64];
    *out = NULL;
    *bad_field = NULL;
    if (too_deep(body, len))
        return JSON_INPUT_INVALID;
    json_error_t error;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &error);
    if (!root)
        return JSON_INPUT_INVALID;
    if (!json_is_object(root)) {
        json_decref(root);
        return JSON_INPUT_NOT_OBJECT;
    }
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        enum json_input_error e = !allowed[i] ? JSON_INPUT_UNKNOWN_FIELD
                                  : !json_is_string(value) && !json_is_null(value)
                                      ? JSON_INPUT_NOT_TEXT
                                      : JSON_INPUT_OK;
        if (e != JSON_INPUT_OK) {
            snprintf(field, sizeof field, "%s", key);
            *bad_field = field;
            json_decref(root);
            return e;
        }
    }
    *out = root;
    return JSON_INPUT_OK;
}

const char *json_input_text(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && *s ? s : NULL;
}

const char *json_input_secret(json_t *obj, const char *key, size_t *len)
{
    json_t *value = json_object_get(obj, key);
    *len = json_string_length(value);
    return json_string_value(value);
}

void json_input_wipe(json_t *obj, const char *key)
{
    size_t len;
    const char *s = json_input_secret(obj, key, &len);
    if (s)
        sodium_memzero((void *)s, len);
}
