/*
 * Fuzzes the names a person types (core/person_name) with arbitrary bytes.
 *
 * Input: "given|first|second|" then 4 bytes for birth date, sex and state.
 * Invariants checked besides memory safety:
 * - a cleaned name is valid UTF-8 of at most PERSON_NAME_MAX bytes, and cleaning
 *   it again gives it back unchanged (cleaning is idempotent);
 * - names that clean never fail to derive (person_name_match is not -1);
 * - the CURP derived from cleaned names (completed with a differentiator and its
 *   check digit) always matches them.
 */
#include "core/person_name.h"
#include "util/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 512

/* Cleans text into out and checks the invariants of a cleaned name. */
static enum person_name_status clean(const char *text, char out[PERSON_NAME_MAX + 1])
{
    char bad[5], again[PERSON_NAME_MAX + 1];
    enum person_name_status st = person_name_clean(text, strlen(text), out, bad);
    if (st != PERSON_NAME_OK) {
        if (out[0] != '\0')
            abort();
        return st;
    }
    size_t len = strlen(out);
    if (len == 0 || len > PERSON_NAME_MAX || !utf8_valid((const unsigned char *)out, len, NULL))
        abort();
    if (person_name_clean(out, len, again, bad) != PERSON_NAME_OK || strcmp(out, again) != 0)
        abort();
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char buf[MAX_INPUT + 1];
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *fields[4] = {buf, NULL, NULL, NULL};
    for (int i = 1; i < 4; i++) {
        char *bar = fields[i - 1] ? strchr(fields[i - 1], '|') : NULL;
        if (!bar) {
            char out[PERSON_NAME_MAX + 1];
            clean(buf, out); /* a single name still exercises the cleaning */
            return 0;
        }
        *bar = '\0';
        fields[i] = bar + 1;
    }
    char given[PERSON_NAME_MAX + 1], first[PERSON_NAME_MAX + 1], second[PERSON_NAME_MAX + 1];
    enum person_name_status s2 = clean(fields[2], second);
    if (clean(fields[0], given) != PERSON_NAME_OK || clean(fields[1], first) != PERSON_NAME_OK ||
        (s2 != PERSON_NAME_OK && s2 != PERSON_NAME_EMPTY))
        return 0;
    const uint8_t *tail = (const uint8_t *)fields[3];
    size_t tail_len = size - (size_t)(fields[3] - buf);
    if (tail_len < 4)
        return 0;
    static const char *const states[] = {"DF", "NE", "OC", "ZS"};
    const struct curp_person p = {given,
                                  first,
                                  second,
                                  1900 + tail[0] % 200,
                                  1 + tail[1] % 12,
                                  1 + tail[2] % 28,
                                  "HMX"[tail[3] % 3],
                                  states[tail[3] / 3 % 4]};
    struct curp_derivation d;
    if (curp_derive(&p, &d) != 0)
        abort(); /* cleaned names always derive */
    char curp[CURP_LENGTH + 1];
    memcpy(curp, d.stem, CURP_STEM_LENGTH);
    curp[16] = p.year < 2000 ? '0' : 'A';
    curp[17] = curp_check_digit(curp);
    curp[18] = '\0';
    struct curp_result r;
    struct person_name_mismatch m;
    if (curp_validate(curp, CURP_LENGTH, 0, &r) != CURP_VALID ||
        person_name_match(given, first, second, &r, &m) != 0)
        abort();
    return 0;
}
