/*
 * Fuzzes the intake of an emergency encounter (core/emergency_intake) and the
 * staff reason of a clinic override with arbitrary bytes.
 *
 * Input: eight fields separated by '|' (triage, identity, curp, name, sex,
 * apparent age, features, where found); missing ones are absent.
 * Invariants checked besides memory safety:
 * - an accepted intake names no field, has a triage colour, a CURP of 18
 *   characters exactly for "curp", a name for "name", a description for
 *   "unidentified", and an age of -1 or 0-120;
 * - a refused one names the field at fault and has a stable code;
 * - a cleaned reason cleans again to itself.
 */
#include "core/emergency_intake.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char *text = malloc(size + 1);
    require(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    const char *fields[8] = {0};
    char *p = text;
    for (int i = 0; i < 8 && p; i++) {
        fields[i] = p;
        p = strchr(p, '|');
        if (p)
            *p++ = '\0';
    }
    struct emergency_intake_input in = {fields[0], fields[1], fields[2], fields[3],
                                        fields[4], fields[5], fields[6], fields[7]};
    static struct emergency_intake out;
    const char *field = "unset";
    enum emergency_intake_status st = emergency_intake_check(&in, &out, &field);
    require(strcmp(emergency_intake_code(st), "unknown") != 0);
    if (st == EMERGENCY_INTAKE_OK) {
        require(field == NULL && emergency_triage_valid(out.triage));
        if (strcmp(out.identity, "curp") == 0)
            require(strlen(out.curp) == 18);
        else
            require(out.curp[0] == '\0');
        if (strcmp(out.identity, "name") == 0)
            require(out.name[0] != '\0');
        if (strcmp(out.identity, "unidentified") == 0)
            require(out.features[0] || out.found_where[0]);
        require(out.apparent_age >= -1 && out.apparent_age <= EMERGENCY_AGE_MAX);
    } else {
        require(field != NULL && strcmp(field, "unset") != 0);
    }
    char reason[4 * 300 + 1], again[4 * 300 + 1];
    if (fields[0] && emergency_reason_clean(fields[0], reason, sizeof reason)) {
        require(emergency_reason_clean(reason, again, sizeof again));
        require(strcmp(reason, again) == 0);
    }
    free(text);
    return 0;
}
