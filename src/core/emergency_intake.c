#include "core/emergency_intake.h"

#include "core/curp.h"
#include "core/text_field.h"

#include <stdio.h>
#include <string.h>

static const char *const colours[] = {"red", "orange", "yellow", "green", "blue"};
static const char *const kinds[] = {"curp", "name", "unidentified"};

static bool one_of(const char *text, const char *const *list, size_t n)
{
    for (size_t i = 0; text && i < n; i++)
        if (strcmp(text, list[i]) == 0)
            return true;
    return false;
}

static bool given(const char *s)
{
    return s && *s;
}

bool emergency_triage_valid(const char *text)
{
    return one_of(text, colours, sizeof colours / sizeof colours[0]);
}

bool emergency_curp(const char *text, char out[19])
{
    struct curp_result r;
    if (!text || curp_validate(text, strlen(text), 0, &r) != CURP_VALID)
        return false;
    memcpy(out, r.curp, 19);
    return true;
}

/* Cleans an optional text: true when absent (out "") or clean. */
static bool clean_optional(const char *s, size_t max, char *out, size_t outsz)
{
    out[0] = '\0';
    if (!given(s))
        return true;
    enum text_field_status st = text_field_clean(s, strlen(s), max, out, outsz);
    if (st == TEXT_FIELD_EMPTY)
        out[0] = '\0';
    return st == TEXT_FIELD_OK || st == TEXT_FIELD_EMPTY;
}

static bool parse_age(const char *s, int *age)
{
    *age = -1;
    if (!given(s))
        return true;
    int v = 0;
    size_t n = strlen(s);
    if (n > 3)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v > EMERGENCY_AGE_MAX)
        return false;
    *age = v;
    return true;
}

#define FAIL(st, name)                                                                             \
    do {                                                                                           \
        *field = (name);                                                                           \
        return (st);                                                                               \
    } while (0)

enum emergency_intake_status emergency_intake_check(const struct emergency_intake_input *in,
                                                    struct emergency_intake *out,
                                                    const char **field)
{
    memset(out, 0, sizeof *out);
    out->apparent_age = -1;
    *field = NULL;
    if (!emergency_triage_valid(in->triage))
        FAIL(EMERGENCY_INTAKE_TRIAGE, "triage");
    snprintf(out->triage, sizeof out->triage, "%s", in->triage);
    if (!one_of(in->identity, kinds, sizeof kinds / sizeof kinds[0]))
        FAIL(EMERGENCY_INTAKE_IDENTITY, "identity");
    snprintf(out->identity, sizeof out->identity, "%s", in->identity);
    bool by_curp = strcmp(in->identity, "curp") == 0;
    bool by_name = strcmp(in->identity, "name") == 0;
    if (by_curp && !emergency_curp(in->curp, out->curp))
        FAIL(EMERGENCY_INTAKE_CURP, "curp");
    if (!by_curp && given(in->curp))
        FAIL(EMERGENCY_INTAKE_CURP, "curp"); /* a known CURP makes it a "curp" intake */
    if (!clean_optional(in->name, EMERGENCY_NAME_MAX, out->name, sizeof out->name) ||
        (by_name && !out->name[0]))
        FAIL(EMERGENCY_INTAKE_NAME, "name");
    if (given(in->sex) && strcmp(in->sex, "female") != 0 && strcmp(in->sex, "male") != 0)
        FAIL(EMERGENCY_INTAKE_SEX, "sex");
    snprintf(out->sex, sizeof out->sex, "%s", given(in->sex) ? in->sex : "");
    if (!parse_age(in->apparent_age, &out->apparent_age))
        FAIL(EMERGENCY_INTAKE_AGE, "apparent_age");
    if (!clean_optional(in->features, EMERGENCY_FEATURES_MAX, out->features, sizeof out->features))
        FAIL(EMERGENCY_INTAKE_TEXT, "features");
    if (!clean_optional(in->found_where, EMERGENCY_FOUND_MAX, out->found_where,
                        sizeof out->found_where))
        FAIL(EMERGENCY_INTAKE_TEXT, "found_where");
    if (strcmp(in->identity, "unidentified") == 0 && !out->features[0] && !out->found_where[0])
        FAIL(EMERGENCY_INTAKE_DESCRIPTION, "features");
    return EMERGENCY_INTAKE_OK;
}

const char *emergency_intake_code(enum emergency_intake_status st)
{
    static const char *const codes[] = {
        [EMERGENCY_INTAKE_OK] = "ok",
        [EMERGENCY_INTAKE_TRIAGE] = "invalid_triage",
        [EMERGENCY_INTAKE_IDENTITY] = "invalid_identity",
        [EMERGENCY_INTAKE_CURP] = "invalid_curp",
        [EMERGENCY_INTAKE_NAME] = "invalid_name",
        [EMERGENCY_INTAKE_SEX] = "invalid_sex",
        [EMERGENCY_INTAKE_AGE] = "invalid_age",
        [EMERGENCY_INTAKE_TEXT] = "invalid_text",
        [EMERGENCY_INTAKE_DESCRIPTION] = "description_required",
    };
    return (unsigned)st < sizeof codes / sizeof codes[0] ? codes[st] : "unknown";
}

bool emergency_reason_clean(const char *text, char *out, size_t outsz)
{
    if (!given(text) || text_field_clean(text, strlen(text), 300, out, outsz) != TEXT_FIELD_OK)
        return false;
    /* characters, not bytes: count UTF-8 lead bytes */
    size_t chars = 0;
    for (const char *p = out; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    return chars >= 10;
}
