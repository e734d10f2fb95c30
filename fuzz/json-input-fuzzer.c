/*
 * Fuzzes the strict JSON body reader with arbitrary bytes.
 * Invariants: an accepted body is an object whose keys are all declared and
 * whose values are strings or null; a refused field is always named.
 */
#include "web/json_input.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const allowed[] = {"curp", "state", "phone", "email", NULL};
    if (size > 16 * 1024)
        return 0;
    json_t *obj;
    const char *bad;
    enum json_input_error e = json_input_object((const char *)data, size, allowed, &obj, &bad);
    if (e == JSON_INPUT_OK) {
        const char *key;
        json_t *value;
        if (!json_is_object(obj))
            abort();
        json_object_foreach(obj, key, value)
        {
            int declared = 0;
            for (size_t i = 0; allowed[i]; i++)
                declared |= strcmp(allowed[i], key) == 0;
            if (!declared || (!json_is_string(value) && !json_is_null(value)))
                abort();
        }
        json_input_text(obj, "curp");
        json_decref(obj);
    } else if ((e == JSON_INPUT_UNKNOWN_FIELD || e == JSON_INPUT_NOT_TEXT) && !bad) {
        abort();
    } else if (obj) {
        abort();
    }
    return 0;
}
