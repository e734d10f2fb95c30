/* The password policy; see password.h for the rules. The list is common_passwords.c. */
#include "core/password.h"

#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

/* Folded forms of a password within PASSWORD_MAX_BYTES: at most 2 bytes per byte. */
#define FOLD_SIZE (2 * PASSWORD_MAX_BYTES + 1)
/* Longest context field considered, in bytes. */
#define CONTEXT_MAX 256
/* Folded context field: 2 bytes per byte, NUL. */
#define CONTEXT_FOLD_SIZE (2 * CONTEXT_MAX + 1)
/* Shortest listed word that "decorated" matching looks for. */
#define MIN_WORD 4

/* ---- UTF-8 ---- */

/* Decodes the character at s[*i] (*i < len) and advances *i past it. Returns the
 * code point, or -1 for a byte that does not start a well-formed sequence (then
 * *i advances by one byte). Overlong forms, surrogates and values over U+10FFFF are
 * not well formed (Unicode table 3-7). */
static int32_t decode(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t cp;
    size_t n = utf8_next(s + *i, len - *i, &cp);
    *i += n ? n : 1;
    return n ? (int32_t)cp : -1;
}

/* ---- Character classes ---- */

enum char_class {
    CLASS_INVALID,
    CLASS_CONTROL,
    CLASS_UPPER,
    CLASS_LOWER,
    CLASS_DIGIT,
    CLASS_OTHER
};

/* Latin Extended-A (U+0100-017F): upper and lower case mostly alternate. */
static enum char_class latin_extended_a(int32_t cp)
{
    if (cp <= 0x137 || (cp >= 0x14a && cp <= 0x177))
        return cp % 2 == 0 ? CLASS_UPPER : CLASS_LOWER;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
        return cp % 2 == 1 ? CLASS_UPPER : CLASS_LOWER;
    return cp == 0x178 ? CLASS_UPPER : CLASS_LOWER; /* Ÿ; ĸ ŉ ſ are lower case */
}

static enum char_class classify(int32_t cp)
{
    if (cp < 0)
        return CLASS_INVALID;
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
        return CLASS_CONTROL;
    if (cp >= 'A' && cp <= 'Z')
        return CLASS_UPPER;
    if (cp >= 'a' && cp <= 'z')
        return CLASS_LOWER;
    if (cp >= '0' && cp <= '9')
        return CLASS_DIGIT;
    if (cp < 0xc0)
        return cp == 0xb5 ? CLASS_LOWER : CLASS_OTHER; /* µ */
    if (cp <= 0xff) {
        if (cp == 0xd7 || cp == 0xf7) /* × ÷ */
            return CLASS_OTHER;
        return cp <= 0xde ? CLASS_UPPER : CLASS_LOWER;
    }
    if (cp <= 0x17f)
        return latin_extended_a(cp);
    /* Greek: tonos capitals, Α-Ω; ΐ, ά-ώ. */
    if (cp == 0x386 || (cp >= 0x388 && cp <= 0x38a) || cp == 0x38c || cp == 0x38e || cp == 0x38f ||
        (cp >= 0x391 && cp <= 0x3a1) || (cp >= 0x3a3 && cp <= 0x3ab))
        return CLASS_UPPER;
    if (cp == 0x390 || (cp >= 0x3ac && cp <= 0x3ce))
        return CLASS_LOWER;
    /* Cyrillic: Ѐ-Я, а-џ. */
    if (cp >= 0x400 && cp <= 0x42f)
        return CLASS_UPPER;
    if (cp >= 0x430 && cp <= 0x45f)
        return CLASS_LOWER;
    return CLASS_OTHER;
}

/* ---- Folding ---- */

/* Base letters of U+00C0-00FF: '*' two letters (see fold_pair), '#' not a letter. */
static const char latin1_base[] = "aaaaaa*ceeeeiiiidnooooo#ouuuuy**"
                                  "aaaaaa*ceeeeiiiidnooooo#ouuuuy*y";
/* Base letters of U+0100-017F; '*' two letters. */
static const char latin_ext_a_base[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkk"
                                       "llllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuu"
                                       "uuwwyyyzzzzzzs";
_Static_assert(sizeof latin1_base == 65, "latin-1 table covers U+00C0-00FF");
_Static_assert(sizeof latin_ext_a_base == 129, "latin extended-a table covers U+0100-017F");

static const char *fold_pair(int32_t cp)
{
    switch (cp) {
    case 0xc6:
    case 0xe6:
        return "ae";
    case 0xde:
    case 0xfe:
        return "th";
    case 0xdf:
        return "ss";
    case 0x132:
    case 0x133:
        return "ij";
    case 0x152:
    case 0x153:
        return "oe";
    }
    return NULL;
}

int password_fold(const char *input, size_t len, char *out, size_t size, size_t *n)
{
    const unsigned char *s = (const unsigned char *)input;
    size_t o = 0;
    *n = 0;
    if (size == 0)
        return -1;
    for (size_t i = 0; i < len;) {
        size_t start = i;
        int32_t cp = decode(s, len, &i);
        char one[2] = {0, 0};
        const char *rep = NULL;
        size_t rep_len = 0;
        if (cp >= 'A' && cp <= 'Z') {
            one[0] = (char)(cp - 'A' + 'a');
        } else if (cp >= 0xc0 && cp <= 0xff && latin1_base[cp - 0xc0] != '#') {
            one[0] = latin1_base[cp - 0xc0];
        } else if (cp >= 0x100 && cp <= 0x17f) {
            one[0] = latin_ext_a_base[cp - 0x100];
        }
        if (one[0] == '*') {
            rep = fold_pair(cp);
            rep_len = 2;
        } else if (one[0] != 0) {
            rep = one;
            rep_len = 1;
        } else {
            rep = input + start;
            rep_len = i - start;
        }
        if (size - o <= rep_len) {
            out[0] = '\0';
            return -1;
        }
        memcpy(out + o, rep, rep_len);
        o += rep_len;
    }
    out[o] = '\0';
    *n = o;
    return 0;
}

/* ---- Small string helpers over folded text ---- */

static bool is_letter(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The letter a look-alike character stands for, or 0. */
static char leet(unsigned char c)
{
    switch (c) {
    case '@':
    case '4':
        return 'a';
    case '8':
        return 'b';
    case '3':
        return 'e';
    case '1':
    case '!':
        return 'i';
    case '0':
        return 'o';
    case '$':
    case '5':
        return 's';
    case '7':
    case '+':
        return 't';
    }
    return 0;
}

static bool contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
    if (needle_len == 0 || needle_len > hay_len)
        return false;
    for (size_t i = 0; i + needle_len <= hay_len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, needle_len) == 0)
            return true;
    return false;
}

/* A byte string and its length; the forms below never exceed FOLD_SIZE - 1. */
struct text {
    char s[FOLD_SIZE];
    size_t n;
};

/* Copies into out the bytes of in[from, to) that are letters a-z (when letters) or
 * digits (when digits); when look_alikes, any other look-alike byte is written as
 * its letter. Everything else is dropped. */
static void filter(const char *in, size_t from, size_t to, bool letters, bool digits,
                   bool look_alikes, struct text *out)
{
    out->n = 0;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)in[i];
        if ((letters && is_letter(c)) || (digits && is_digit(c)))
            out->s[out->n++] = (char)c;
        else if (look_alikes && leet(c))
            out->s[out->n++] = leet(c);
    }
    out->s[out->n] = '\0';
}

/* Whether the n digits at d follow a pattern: a group of 1 to 4 digits repeated
 * ("111111", "121212", "123123", "20242024"), or a run up or down (wrapping:
 * "7890123"). */
static bool digits_pattern(const char *d, size_t n)
{
    if (n < 2)
        return true;
    for (size_t period = 1; period <= 4 && 2 * period <= n; period++) {
        size_t i = period;
        while (i < n && d[i] == d[i - period])
            i++;
        if (i == n)
            return true;
    }
    for (int step = 1; step <= 9; step += 8) { /* +1 and -1 modulo 10 */
        size_t i = 1;
        while (i < n && (d[i] - '0') == (d[i - 1] - '0' + step) % 10)
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* Whether the n letters at w run along the alphabet or a keyboard row, either way:
 * "abcdef", "qwerty", "lkjhgf", "mnbvcxz". */
static bool letters_run(const char *w, size_t n)
{
    static const char *const rows[] = {
        "abcdefghijklmnopqrstuvwxyz",
        "zyxwvutsrqponmlkjihgfedcba",
        "qwertyuiop",
        "poiuytrewq",
        "asdfghjkln",
        "nlkjhgfdsa", /* n: the folded ñ of Spanish keyboards */
        "zxcvbnm",
        "mnbvcxz",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (contains(rows[i], strlen(rows[i]), w, n))
            return true;
    return false;
}

static bool digits_weak(const char *d, size_t n)
{
    return digits_pattern(d, n) || password_is_listed(d, n);
}

/* ---- common ---- */

/* Decorated: a listed word between look-alikes and weak digits. f is folded. */
static bool decorated(const struct text *f)
{
    size_t a = 0, b = f->n;
    while (a < f->n && !is_letter((unsigned char)f->s[a]))
        a++;
    while (b > a && !is_letter((unsigned char)f->s[b - 1]))
        b--;
    if (a == b)
        return false;
    /* Spans [a - left, b + right): also try one look-alike beyond each end. */
    for (int left = 0; left <= 1; left++) {
        if (left && (a == 0 || !leet((unsigned char)f->s[a - 1])))
            continue;
        for (int right = 0; right <= 1; right++) {
            if (right && (b == f->n || !leet((unsigned char)f->s[b])))
                continue;
            size_t from = a - (size_t)left, to = b + (size_t)right;
            struct text word, around;
            filter(f->s, from, to, true, false, true, &word);
            if (word.n < MIN_WORD ||
                !(password_is_listed(word.s, word.n) || letters_run(word.s, word.n)))
                continue;
            /* The digits outside the span. */
            struct text tail;
            filter(f->s, 0, from, false, true, false, &around);
            filter(f->s, to, f->n, false, true, false, &tail);
            memcpy(around.s + around.n, tail.s, tail.n + 1);
            around.n += tail.n;
            if (around.n <= 4 || digits_weak(around.s, around.n))
                return true;
        }
    }
    return false;
}

/* Fewer than PASSWORD_MIN_DISTINCT different characters in f: compares the UTF-8
 * sequences (or single broken bytes) as decode() delimits them. */
static bool repetitive(const struct text *f)
{
    const unsigned char *s = (const unsigned char *)f->s;
    int32_t seen[PASSWORD_MIN_DISTINCT];
    size_t n_seen = 0;
    for (size_t i = 0; i < f->n;) {
        size_t start = i;
        int32_t cp = decode(s, f->n, &i);
        if (cp < 0)
            cp = 0x110000 + s[start]; /* outside Unicode: one key per broken byte */
        bool known = false;
        for (size_t k = 0; k < n_seen && !known; k++)
            known = seen[k] == cp;
        if (!known) {
            if (n_seen + 1 == PASSWORD_MIN_DISTINCT)
                return false;
            seen[n_seen++] = cp;
        }
    }
    return true;
}

static enum password_common check_common(const struct text *f, size_t letters)
{
    struct text t;
    if (password_is_listed(f->s, f->n))
        return PASSWORD_COMMON_LISTED;
    filter(f->s, 0, f->n, true, true, false, &t);
    if (t.n != f->n && password_is_listed(t.s, t.n))
        return PASSWORD_COMMON_LISTED;
    if (decorated(f))
        return PASSWORD_COMMON_DECORATED;
    if (letters < MIN_WORD) {
        filter(f->s, 0, f->n, false, true, false, &t);
        if (t.n >= 4 && digits_weak(t.s, t.n))
            return PASSWORD_COMMON_DIGITS;
    }
    if (repetitive(f))
        return PASSWORD_COMMON_REPETITIVE;
    return PASSWORD_COMMON_NONE;
}

/* ---- contains_personal ---- */

/* The forms of the password that personal data is looked for in. */
struct forms {
    struct text folded;  /* password_fold */
    struct text alnum;   /* folded letters and digits */
    struct text letters; /* folded letters */
    struct text leet;    /* folded letters and look-alikes as letters */
    struct text digits;  /* digits */
};

/* Whether the folded password has word (3 letters) as a whole run of letters. */
static bool has_letter_run(const struct text *f, const char *word, size_t n)
{
    for (size_t i = 0; i < f->n;) {
        if (!is_letter((unsigned char)f->s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < f->n && is_letter((unsigned char)f->s[i]))
            i++;
        if (i - start == n && memcmp(f->s + start, word, n) == 0)
            return true;
    }
    return false;
}

/* Folds a context field into out, or returns -1 when it is NULL, empty or too long. */
static int fold_field(const char *field, char out[CONTEXT_FOLD_SIZE], size_t *n)
{
    if (!field)
        return -1;
    size_t len = strnlen(field, CONTEXT_MAX + 1);
    if (len == 0 || len > CONTEXT_MAX)
        return -1;
    return password_fold(field, len, out, CONTEXT_FOLD_SIZE, n);
}

static bool particle(const char *w, size_t n)
{
    static const char particles[][4] = {"das", "del", "den", "der", "dos", "las",
                                        "los", "mac", "san", "van", "von"};
    if (n != 3)
        return false;
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
        if (memcmp(w, particles[i], 3) == 0)
            return true;
    return false;
}

static bool has_name(const struct forms *p, const char *field)
{
    char f[CONTEXT_FOLD_SIZE];
    size_t n;
    if (fold_field(field, f, &n) != 0)
        return false;
    for (size_t i = 0; i < n;) {
        if (!is_letter((unsigned char)f[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < n && is_letter((unsigned char)f[i]))
            i++;
        const char *w = f + start;
        size_t wn = i - start;
        if (wn < 3 || particle(w, wn))
            continue;
        bool found = wn == 3 ? has_letter_run(&p->folded, w, wn)
                             : (contains(p->letters.s, p->letters.n, w, wn) ||
                                contains(p->leet.s, p->leet.n, w, wn));
        if (found)
            return true;
    }
    return false;
}

static bool has_email(const struct forms *p, const char *email)
{
    char f[CONTEXT_FOLD_SIZE];
    size_t n;
    if (fold_field(email, f, &n) != 0)
        return false;
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (f[i] == '@')
            at = f + i;
    if (at)
        n = (size_t)(at - f);
    struct text local;
    filter(f, 0, n, true, true, false, &local);
    if (local.n >= 4 && contains(p->alnum.s, p->alnum.n, local.s, local.n))
        return true;
    /* The pieces between dots, dashes, underscores, plus signs... */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)f[i];
        if (!is_letter(c) && !is_digit(c)) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < n && (is_letter((unsigned char)f[i]) || is_digit((unsigned char)f[i])))
            i++;
        if (i - start >= 4 && contains(p->alnum.s, p->alnum.n, f + start, i - start))
            return true;
    }
    return false;
}

/* The CURP (18 letters and digits, any case) lower-cased into c, or -1. */
static int read_curp(const char *curp, char c[19])
{
    if (!curp || strnlen(curp, 19) != 18)
        return -1;
    for (int i = 0; i < 18; i++) {
        unsigned char u = (unsigned char)curp[i];
        if (u >= 'A' && u <= 'Z')
            u = (unsigned char)(u - 'A' + 'a');
        if (!is_letter(u) && !is_digit(u))
            return -1;
        c[i] = (char)u;
    }
    c[18] = '\0';
    return 0;
}

static unsigned check_curp(const struct forms *p, const char *curp)
{
    char c[19];
    if (read_curp(curp, c) != 0)
        return 0;
    unsigned found = 0;
    if (contains(p->alnum.s, p->alnum.n, c, 10))
        found |= PASSWORD_PERSONAL_CURP; /* also covers the whole CURP */
    for (int i = 4; i < 10; i++)
        if (!is_digit((unsigned char)c[i]))
            return found;
    /* Position 17: a digit for births before 2000, a letter after. */
    const char *century = is_digit((unsigned char)c[16]) ? "19" : "20";
    const char *yy = c + 4, *mm = c + 6, *dd = c + 8;
    char forms[4][9];
    memcpy(forms[0], yy, 6); /* YYMMDD */
    forms[0][6] = '\0';
    memcpy(forms[1], dd, 2); /* DDMMYY */
    memcpy(forms[1] + 2, mm, 2);
    memcpy(forms[1] + 4, yy, 2);
    forms[1][6] = '\0';
    memcpy(forms[2], forms[1], 4); /* DDMMYYYY */
    memcpy(forms[2] + 4, century, 2);
    memcpy(forms[2] + 6, yy, 2);
    forms[2][8] = '\0';
    memcpy(forms[3], century, 2); /* YYYYMMDD */
    memcpy(forms[3] + 2, yy, 6);
    forms[3][8] = '\0';
    for (int i = 0; i < 4; i++)
        if (contains(p->digits.s, p->digits.n, forms[i], strlen(forms[i])))
            found |= PASSWORD_PERSONAL_BIRTH_DATE;
    return found;
}

static unsigned check_personal(const char *pw, size_t len, const struct text *folded,
                               const struct password_context *ctx)
{
    struct forms p;
    p.folded = *folded;
    filter(folded->s, 0, folded->n, true, true, false, &p.alnum);
    filter(folded->s, 0, folded->n, true, false, false, &p.letters);
    filter(folded->s, 0, folded->n, true, false, true, &p.leet);
    filter(pw, 0, len, false, true, false, &p.digits);

    unsigned found = check_curp(&p, ctx->curp);
    if (has_name(&p, ctx->given_names) || has_name(&p, ctx->first_surname) ||
        has_name(&p, ctx->second_surname))
        found |= PASSWORD_PERSONAL_NAME;
    if (has_email(&p, ctx->email))
        found |= PASSWORD_PERSONAL_EMAIL;
    return found;
}

/* ---- The check ---- */

unsigned password_check(const char *pw, size_t len, const struct password_context *ctx,
                        struct password_result *out)
{
    const unsigned char *s = (const unsigned char *)pw;
    bool invalid = false, control = false;
    size_t letters = 0;
    memset(out, 0, sizeof *out);
    out->bytes = len;

    for (size_t i = 0; i < len;) {
        switch (classify(decode(s, len, &i))) {
        case CLASS_INVALID:
            invalid = true;
            break;
        case CLASS_CONTROL:
            control = true;
            break;
        case CLASS_UPPER:
            out->upper = true;
            letters++;
            break;
        case CLASS_LOWER:
            out->lower = true;
            letters++;
            break;
        case CLASS_DIGIT:
            out->digit = true;
            break;
        case CLASS_OTHER:
            out->special = true;
            break;
        }
        out->characters++;
    }

    unsigned failed = 0;
    if (out->characters < PASSWORD_MIN_LENGTH)
        failed |= PASSWORD_BIT(PASSWORD_RULE_TOO_SHORT);
    if (len > PASSWORD_MAX_BYTES)
        failed |= PASSWORD_BIT(PASSWORD_RULE_TOO_LONG);
    if (invalid)
        failed |= PASSWORD_BIT(PASSWORD_RULE_INVALID_UTF8);
    if (control)
        failed |= PASSWORD_BIT(PASSWORD_RULE_CONTROL_CHARACTER);
    if (!out->upper)
        failed |= PASSWORD_BIT(PASSWORD_RULE_NO_UPPER);
    if (!out->lower)
        failed |= PASSWORD_BIT(PASSWORD_RULE_NO_LOWER);
    if (!out->digit)
        failed |= PASSWORD_BIT(PASSWORD_RULE_NO_DIGIT);
    if (!out->special)
        failed |= PASSWORD_BIT(PASSWORD_RULE_NO_SPECIAL);

    /* A longer password is refused as too_long alone; the folded forms need the bound. */
    struct text folded;
    if (len <= PASSWORD_MAX_BYTES &&
        password_fold(pw, len, folded.s, sizeof folded.s, &folded.n) == 0) {
        out->common = check_common(&folded, letters);
        if (out->common != PASSWORD_COMMON_NONE)
            failed |= PASSWORD_BIT(PASSWORD_RULE_COMMON);
        if (ctx) {
            out->personal = check_personal(pw, len, &folded, ctx);
            if (out->personal)
                failed |= PASSWORD_BIT(PASSWORD_RULE_CONTAINS_PERSONAL);
        }
    }
    out->failed = failed;
    return failed;
}

/* ---- Codes and messages ---- */

const char *password_rule_code(enum password_rule rule)
{
    switch (rule) {
    case PASSWORD_RULE_TOO_SHORT:
        return "too_short";
    case PASSWORD_RULE_TOO_LONG:
        return "too_long";
    case PASSWORD_RULE_INVALID_UTF8:
        return "invalid_utf8";
    case PASSWORD_RULE_CONTROL_CHARACTER:
        return "control_character";
    case PASSWORD_RULE_NO_UPPER:
        return "no_upper";
    case PASSWORD_RULE_NO_LOWER:
        return "no_lower";
    case PASSWORD_RULE_NO_DIGIT:
        return "no_digit";
    case PASSWORD_RULE_NO_SPECIAL:
        return "no_special";
    case PASSWORD_RULE_COMMON:
        return "common";
    case PASSWORD_RULE_CONTAINS_PERSONAL:
        return "contains_personal";
    case PASSWORD_RULE_COUNT:
        break;
    }
    return "unknown";
}

#define STR_(x) #x
#define STR(x)  STR_(x)

static const char *const messages[PASSWORD_RULE_COUNT][2] = {
    [PASSWORD_RULE_TOO_SHORT] =
        {"Su contraseña debe tener al menos " STR(PASSWORD_MIN_LENGTH) " caracteres.",
         "Your password must have at least " STR(PASSWORD_MIN_LENGTH) " characters."},
    [PASSWORD_RULE_TOO_LONG] = {"Su contraseña debe tener como máximo " STR(
                                    PASSWORD_MAX_BYTES) " caracteres (las letras con acento y "
                                                        "otros signos cuentan como dos o más).",
                                "Your password must have at most " STR(
                                    PASSWORD_MAX_BYTES) " characters (accented letters and "
                                                        "other signs count as two or more)."},
    [PASSWORD_RULE_INVALID_UTF8] = {"Su contraseña tiene caracteres que no podemos leer. "
                                    "Escríbala de nuevo con el teclado en lugar de pegarla.",
                                    "Your password has characters we cannot read. Type it again "
                                    "on the keyboard instead of pasting it."},
    [PASSWORD_RULE_CONTROL_CHARACTER] = {"Su contraseña tiene caracteres invisibles, como "
                                         "tabuladores o saltos de línea. Escríbala de nuevo "
                                         "sin ellos.",
                                         "Your password has invisible characters, such as tabs "
                                         "or line breaks. Type it again without them."},
    [PASSWORD_RULE_NO_UPPER] = {"Su contraseña debe tener al menos una letra mayúscula (A-Z; "
                                "también cuentan Á o Ñ).",
                                "Your password must have at least one capital letter (A-Z; Á "
                                "or Ñ also count)."},
    [PASSWORD_RULE_NO_LOWER] = {"Su contraseña debe tener al menos una letra minúscula (a-z; "
                                "también cuentan á o ñ).",
                                "Your password must have at least one lower-case letter (a-z; "
                                "á or ñ also count)."},
    [PASSWORD_RULE_NO_DIGIT] = {"Su contraseña debe tener al menos un número (0-9).",
                                "Your password must have at least one digit (0-9)."},
    [PASSWORD_RULE_NO_SPECIAL] = {"Su contraseña debe tener al menos un carácter especial, "
                                  "como ! # $ % & * ? @ o un espacio.",
                                  "Your password must have at least one special character, "
                                  "such as ! # $ % & * ? @ or a space."},
    [PASSWORD_RULE_COMMON] = {"Esa contraseña es muy común o fácil de adivinar, como una "
                              "palabra conocida con números o signos alrededor, o caracteres "
                              "repetidos. Elija otra.",
                              "That password is too common or easy to guess, such as a "
                              "well-known word with numbers or signs around it, or repeated "
                              "characters. Choose another one."},
    [PASSWORD_RULE_CONTAINS_PERSONAL] = {"Su contraseña no debe incluir su CURP, su fecha de "
                                         "nacimiento, su nombre ni su correo electrónico.",
                                         "Your password must not include your CURP, your birth "
                                         "date, your name or your email address."},
};

const char *password_rule_message(enum password_rule rule, int lang)
{
    int l = lang == 1;
    if ((unsigned)rule >= PASSWORD_RULE_COUNT)
        return l ? "Your password does not meet the rules. Choose another one."
                 : "Su contraseña no cumple las reglas. Elija otra.";
    return messages[rule][l];
}
