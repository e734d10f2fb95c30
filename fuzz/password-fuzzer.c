/*
 * Fuzzes the password policy (password_check, password_fold) with arbitrary bytes.
 *
 * Input: the password, optionally followed by '\n' and a context
 * "curp|email|given names|first surname|second surname" (fields may be missing).
 * Inputs over MAX_INPUT bytes are skipped.
 *
 * Invariants checked besides memory safety:
 * - the result is deterministic, equals out->failed, uses only known rule bits, and
 *   every failed rule has a code and messages in both languages;
 * - invalid_utf8 and control_character agree with an independent validator written
 *   here; for ASCII input each class flag agrees with a byte scan, and characters
 *   equals bytes;
 * - too_long holds exactly when len > PASSWORD_MAX_BYTES, and then neither common
 *   nor contains_personal is evaluated;
 * - an accepted password (no failed rule) is valid UTF-8 without controls, has
 *   PASSWORD_MIN_LENGTH to PASSWORD_MAX_BYTES, and contains each class;
 * - the context changes contains_personal and nothing else;
 * - the common reason is set exactly when common failed, and a password whose
 *   folded form is listed is common;
 * - folding fits 2 * len + 1 bytes, has no A-Z, and is idempotent.
 */
#include "core/password.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 256

#define PERSONAL PASSWORD_BIT(PASSWORD_RULE_CONTAINS_PERSONAL)

/* Written from the Unicode standard's table 3-7, independently of password.c:
 * 1 if s is well-formed UTF-8, and *control set when it has a C0, DEL or C1 code. */
static int utf8_valid(const uint8_t *s, size_t n, int *control, size_t *chars)
{
    *control = 0;
    *chars = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t need;
        uint8_t c = s[i];
        if (c <= 0x7f) {
            cp = c;
            need = 0;
        } else if (c >= 0xc2 && c <= 0xdf) {
            cp = c & 0x1fu;
            need = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            cp = c & 0x0fu;
            need = 2;
        } else if (c >= 0xf0 && c <= 0xf4) {
            cp = c & 0x07u;
            need = 3;
        } else {
            return 0;
        }
        if (need > 0 && n - i <= need)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3fu);
        }
        /* Shortest form, no surrogates, in range. */
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
            *control = 1;
        i += need + 1;
        (*chars)++;
    }
    return 1;
}

static int has_ascii_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

static void check_messages(unsigned failed)
{
    for (int rule = 0; rule < PASSWORD_RULE_COUNT; rule++) {
        if (!(failed & PASSWORD_BIT(rule)))
            continue;
        enum password_rule r = (enum password_rule)rule;
        const char *es = password_rule_message(r, 0), *en = password_rule_message(r, 1);
        if (!es || !en || !es[0] || !en[0] || strcmp(password_rule_code(r), "unknown") == 0)
            abort();
    }
}

static void check_ascii(const uint8_t *s, size_t n, const struct password_result *r)
{
    int upper = 0, lower = 0, digit = 0, special = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 0x80)
            return;
        upper |= s[i] >= 'A' && s[i] <= 'Z';
        lower |= s[i] >= 'a' && s[i] <= 'z';
        digit |= s[i] >= '0' && s[i] <= '9';
        special |= s[i] >= 0x20 && s[i] < 0x7f && !(s[i] >= 'A' && s[i] <= 'Z') &&
                   !(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= '0' && s[i] <= '9');
    }
    if (r->upper != upper || r->lower != lower || r->digit != digit || r->special != special ||
        r->characters != n)
        abort();
}

static void check_fold(const char *pw, size_t len)
{
    char a[2 * MAX_INPUT + 1], b[4 * MAX_INPUT + 1];
    size_t na, nb;
    if (password_fold(pw, len, a, 2 * len + 1, &na) != 0 || na > 2 * len || a[na] != '\0')
        abort();
    for (size_t i = 0; i < na; i++)
        if (a[i] >= 'A' && a[i] <= 'Z')
            abort();
    if (password_fold(a, na, b, sizeof b, &nb) != 0 || nb != na || memcmp(a, b, na) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;

    /* Password before the first newline; a context after it. */
    const uint8_t *nl = memchr(data, '\n', size);
    size_t len = nl ? (size_t)(nl - data) : size;
    char *pw = malloc(len ? len : 1); /* exact size: ASan sees any overread */
    if (!pw)
        return 0;
    memcpy(pw, data, len);

    struct password_result r, again, with;
    unsigned failed = password_check(pw, len, NULL, &r);
    if (failed != r.failed || r.bytes != len || failed >> PASSWORD_RULE_COUNT != 0)
        abort();
    if (password_check(pw, len, NULL, &again) != failed || memcmp(&r, &again, sizeof r) != 0)
        abort();
    check_messages(failed);

    int control;
    size_t chars;
    int valid = utf8_valid((const uint8_t *)pw, len, &control, &chars);
    if (valid != !(failed & PASSWORD_BIT(PASSWORD_RULE_INVALID_UTF8)))
        abort();
    if (valid && control != !!(failed & PASSWORD_BIT(PASSWORD_RULE_CONTROL_CHARACTER)))
        abort();
    if (valid && chars != r.characters)
        abort();
    check_ascii((const uint8_t *)pw, len, &r);

    int too_long = !!(failed & PASSWORD_BIT(PASSWORD_RULE_TOO_LONG));
    if (too_long != (len > PASSWORD_MAX_BYTES))
        abort();
    if ((r.common != PASSWORD_COMMON_NONE) != !!(failed & PASSWORD_BIT(PASSWORD_RULE_COMMON)))
        abort();
    if (too_long && r.common != PASSWORD_COMMON_NONE)
        abort();
    if (r.personal != 0 || (failed & PERSONAL))
        abort();

    if (failed == 0 &&
        (!valid || control || r.characters < PASSWORD_MIN_LENGTH || len > PASSWORD_MAX_BYTES ||
         !r.upper || !r.lower || !r.digit || !r.special || !has_ascii_digit(pw, len)))
        abort();

    check_fold(pw, len);
    if (len <= PASSWORD_MAX_BYTES) {
        char folded[2 * MAX_INPUT + 1];
        size_t n;
        if (password_fold(pw, len, folded, sizeof folded, &n) != 0)
            abort();
        if (password_is_listed(folded, n) && r.common != PASSWORD_COMMON_LISTED)
            abort();
    }

    if (nl) {
        /* Context fields: NUL-terminated copies of the '|'-separated pieces. */
        char ctx_buf[MAX_INPUT + 1];
        size_t ctx_len = size - len - 1;
        memcpy(ctx_buf, nl + 1, ctx_len);
        ctx_buf[ctx_len] = '\0';
        char *fields[5] = {NULL, NULL, NULL, NULL, NULL};
        char *p = ctx_buf;
        for (int i = 0; i < 5 && p; i++) {
            fields[i] = p;
            p = strchr(p, '|');
            if (p)
                *p++ = '\0';
        }
        struct password_context ctx = {fields[0], fields[1], fields[2], fields[3], fields[4]};
        unsigned f2 = password_check(pw, len, &ctx, &with);
        if ((f2 & ~PERSONAL) != failed || !!(f2 & PERSONAL) != (with.personal != 0))
            abort();
        if (too_long && with.personal != 0)
            abort();
        if (with.personal & ~(unsigned)(PASSWORD_PERSONAL_CURP | PASSWORD_PERSONAL_BIRTH_DATE |
                                        PASSWORD_PERSONAL_NAME | PASSWORD_PERSONAL_EMAIL))
            abort();
        check_messages(f2);
    }
    free(pw);
    return 0;
}
