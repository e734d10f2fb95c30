/*
 * Fuzzes CURP validation and derivation with arbitrary bytes.
 *
 * Invariants checked besides memory safety:
 * - the description of any result fits a 512-byte buffer;
 * - a valid CURP re-validates as valid from its normalised form;
 * - any successful derivation, completed with a differentiator and its check
 *   digit, is a valid CURP (the derivation never emits a class or word that
 *   the validator refuses).
 * Input for derivation: "given|first|second|" then 4 bytes for date, sex and state.
 */
#include "core/curp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 512

static void check_validation(const uint8_t *data, size_t size)
{
    struct curp_result r;
    char message[512];
    enum curp_status s = curp_validate((const char *)data, size, 20261123, &r);
    if (curp_describe(&r, message, sizeof message) != 0)
        abort();
    if (s == CURP_VALID) {
        struct curp_result again;
        if (curp_validate(r.curp, strlen(r.curp), 20261123, &again) != CURP_VALID)
            abort();
        if (curp_check_digit(r.curp) != r.curp[17])
            abort();
    }
}

static void check_derivation(const uint8_t *data, size_t size)
{
    char buf[MAX_INPUT + 1];
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *fields[4] = {buf, NULL, NULL, NULL};
    for (int i = 1; i < 4; i++) {
        char *bar = fields[i - 1] ? strchr(fields[i - 1], '|') : NULL;
        if (!bar)
            return;
        *bar = '\0';
        fields[i] = bar + 1;
    }
    const uint8_t *tail = (const uint8_t *)fields[3];
    size_t tail_len = size - (size_t)(fields[3] - buf);
    if (tail_len < 4)
        return;
    static const char *const states[] = {"DF", "NE", "OC", "zs", "XX"};
    struct curp_person p = {
        .given_names = fields[0],
        .first_surname = fields[1],
        .second_surname = fields[2],
        .year = 1890 + tail[0],
        .month = 1 + tail[1] % 13,
        .day = 1 + tail[2] % 32,
        .sex = "HMXhf"[tail[3] % 5],
        .state = states[tail[3] / 5 % 5],
    };
    struct curp_derivation d;
    if (curp_derive(&p, &d) != 0) {
        if (d.error[0] == '\0')
            abort();
        return;
    }
    char curp[CURP_LENGTH + 1];
    memcpy(curp, d.stem, CURP_STEM_LENGTH);
    curp[16] = p.year < 2000 ? '0' : 'A';
    curp[17] = curp_check_digit(curp);
    curp[18] = '\0';
    struct curp_result r;
    if (curp_validate(curp, CURP_LENGTH, 0, &r) != CURP_VALID)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    check_validation(data, size);
    check_derivation(data, size);
    return 0;
}
