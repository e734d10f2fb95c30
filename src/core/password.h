/*
 * password: the password policy for applicant and staff accounts.
 *
 * A password is accepted when every rule below holds; password_check reports every
 * rule that fails at once, so the page can list them all. docs/passwords.md has the
 * reasons for each choice.
 *
 *   too_short          at least PASSWORD_MIN_LENGTH (10) characters (code points)
 *   too_long           at most PASSWORD_MAX_BYTES (128) bytes of UTF-8
 *   invalid_utf8       well-formed UTF-8: no stray continuation bytes, overlong
 *                      forms, surrogates (U+D800-DFFF) or code points over U+10FFFF
 *   control_character  no control characters: U+0000-001F (NUL, TAB, newline...),
 *                      U+007F and U+0080-009F
 *   no_upper           an upper-case letter: A-Z, or an upper-case letter of Latin-1
 *                      (Á É Í Ó Ú Ü Ñ ...), Latin Extended-A (Ł Ő Ž ...), basic Greek or
 *                      basic Cyrillic
 *   no_lower           a lower-case letter from the same ranges (á ñ ß ł ж ...)
 *   no_digit           a digit 0-9 (ASCII only)
 *   no_special         a special character: any character that is not one of the
 *                      letters above and not 0-9. Space counts (as in OWASP's list),
 *                      and so do punctuation, symbols, emoji, ª º and letters of scripts
 *                      without case. Controls and invalid bytes do not.
 *   common             not an easily guessed password (evaluated only within 128 bytes):
 *                      - listed: the password, or the password without its spaces and
 *                        symbols, is on the common-password list after folding (upper
 *                        to lower case, accents removed: "CONTRASEÑA" is "contrasena");
 *                      - decorated: its letters, from the first to the last, with
 *                        look-alike characters read as letters (@ 4 -> a, 3 -> e,
 *                        1 ! -> i, 0 -> o, $ 5 -> s, 7 + -> t, 8 -> b; one more on
 *                        each side is tried) and spaces and symbols dropped, form a
 *                        listed word of 4 letters or more, or a run along the
 *                        alphabet or a keyboard row ("abcd", "qwertyu", "lkjh"), and
 *                        the digits around it are weak (4 or fewer, a run or a
 *                        repeated group of up to 4 like 123456, 121212 or 20242024, or
 *                        listed): "Mexico2024!", "P@ssw0rd123", "Te Amo 2030?";
 *                      - digits: it has fewer than 4 letters and its digits are a run,
 *                        a repeated group or listed: "Aa123456789!", "Xx!20242024";
 *                      - repetitive: fewer than PASSWORD_MIN_DISTINCT (5) different
 *                        characters after folding: "Aa1!Aa1!Aa1!".
 *   contains_personal  with a context: does not contain the person's CURP or its first
 *                      10 characters, their birth date (from the CURP: YYMMDD, DDMMYY,
 *                      DDMMYYYY or YYYYMMDD among the password's digits), a word of
 *                      their names (4 letters or more, look-alikes read as letters and
 *                      separators ignored; 3-letter names such as Ana or Luz only as a
 *                      whole word; particles such as de, del, los skipped), or their
 *                      email's local part or its pieces of 4 characters or more, all
 *                      compared after folding.
 *
 * Invariants:
 * - Pure functions: no I/O, no clock, no locale, no allocation. Safe on any byte
 *   sequence of any length, embedded NULs and invalid UTF-8 included; the password
 *   is read only within its length and never copied outside the caller's result.
 * - The password is compared as the bytes given: no trimming and no Unicode
 *   normalisation (the web layer passes the field untouched, and hashes the same
 *   bytes).
 * - Rule codes (password_rule_code) are stable identifiers for logs, tests and API
 *   clients; messages (password_rule_message) are whole sentences for people, in
 *   Spanish (usted) and English.
 * - The common-password list (common_passwords.c) is sorted by strcmp, free of
 *   duplicates and folded (lower-case ASCII, 4-32 printable bytes); a unit test
 *   keeps it so.
 */
#ifndef PADRON_CORE_PASSWORD_H
#define PADRON_CORE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_LENGTH   10  /* characters */
#define PASSWORD_MAX_BYTES    128 /* bytes of UTF-8 */
#define PASSWORD_MIN_DISTINCT 5   /* different characters after folding */

/* The rules, in the order a page lists them. */
enum password_rule {
    PASSWORD_RULE_TOO_SHORT = 0,
    PASSWORD_RULE_TOO_LONG,
    PASSWORD_RULE_INVALID_UTF8,
    PASSWORD_RULE_CONTROL_CHARACTER,
    PASSWORD_RULE_NO_UPPER,
    PASSWORD_RULE_NO_LOWER,
    PASSWORD_RULE_NO_DIGIT,
    PASSWORD_RULE_NO_SPECIAL,
    PASSWORD_RULE_COMMON,
    PASSWORD_RULE_CONTAINS_PERSONAL,
    PASSWORD_RULE_COUNT
};

/* The bit of a rule in password_result.failed. */
#define PASSWORD_BIT(rule) (1u << (rule))

/* Why PASSWORD_RULE_COMMON failed (the first reason found, in this order). */
enum password_common {
    PASSWORD_COMMON_NONE = 0,
    PASSWORD_COMMON_LISTED,     /* on the list as a whole */
    PASSWORD_COMMON_DECORATED,  /* a listed word with weak digits or symbols around it */
    PASSWORD_COMMON_DIGITS,     /* fewer than 4 letters and weak digits */
    PASSWORD_COMMON_REPETITIVE, /* fewer than PASSWORD_MIN_DISTINCT different characters */
};

/* Which personal data PASSWORD_RULE_CONTAINS_PERSONAL found (bits). */
enum {
    PASSWORD_PERSONAL_CURP = 1 << 0,
    PASSWORD_PERSONAL_BIRTH_DATE = 1 << 1,
    PASSWORD_PERSONAL_NAME = 1 << 2,
    PASSWORD_PERSONAL_EMAIL = 1 << 3,
};

/* What the person told us, to refuse passwords built from it. Every field is a
 * NUL-terminated UTF-8 string or NULL; empty and NULL fields are skipped, and so is a
 * CURP that is not 18 letters and digits. Fields longer than 256 bytes are ignored. */
struct password_context {
    const char *curp;           /* e.g. "SABC560626MDFLRN09" (any case) */
    const char *email;          /* the local part (before the last '@') is used */
    const char *given_names;    /* e.g. "María del Carmen" */
    const char *first_surname;  /* e.g. "López" */
    const char *second_surname; /* e.g. "de la Cruz" */
};

struct password_result {
    unsigned failed;                   /* PASSWORD_BIT(rule) for each failed rule; 0 = accepted */
    size_t bytes;                      /* the length given */
    size_t characters;                 /* code points; each byte of a broken sequence counts 1 */
    bool upper, lower, digit, special; /* which classes were seen */
    enum password_common common;       /* why PASSWORD_RULE_COMMON failed, or NONE */
    unsigned personal;                 /* PASSWORD_PERSONAL_* bits found, or 0 */
};

/*
 * Checks the len bytes at pw against every rule, with the personal data in ctx
 * (NULL for none), into out (always fully written). Returns out->failed: 0 when
 * the password is accepted.
 */
unsigned password_check(const char *pw, size_t len, const struct password_context *ctx,
                        struct password_result *out);

/* The stable code of a rule: "too_short", "too_long", "invalid_utf8",
 * "control_character", "no_upper", "no_lower", "no_digit", "no_special", "common",
 * "contains_personal"; "unknown" for anything else. */
const char *password_rule_code(enum password_rule rule);

/* A whole sentence telling a person what rule asks, in Spanish (lang 0) or English
 * (lang 1; any other value gives Spanish). Never NULL: an unknown rule gets a
 * general sentence. Static storage. */
const char *password_rule_message(enum password_rule rule, int lang);

/*
 * Folds the len bytes at s for comparison: A-Z to a-z; the letters of Latin-1 and
 * Latin Extended-A to their lower-case ASCII base letter (Á á -> a, Ñ -> n, Ç -> c,
 * Ł -> l) or two (ß -> ss, Æ -> ae, Œ -> oe, Þ -> th, Ĳ -> ij); every other byte
 * copied unchanged (so invalid UTF-8 stays invalid). Writes the result and a NUL
 * into out; 2 * len + 1 bytes always suffice. Sets *n to the bytes written before
 * the NUL. Returns 0, or -1 (out holds "" when size > 0) if size is too small.
 */
int password_fold(const char *s, size_t len, char *out, size_t size, size_t *n);

/* Whether the len bytes at key (already folded) are on the common-password list. */
bool password_is_listed(const char *key, size_t len);

/* The common-password list, sorted, and its size in *count. For tests and docs. */
const char *const *password_common_list(size_t *count);

#endif
