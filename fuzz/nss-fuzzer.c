/* libFuzzer harness for src/core/nss.c: nss_validate and nss_describe on any bytes.
 *
 * Invariants checked (abort on violation):
 * - every status is one of the five, with a stable code other than "unknown";
 * - describe never truncates at NSS_DESCRIBE_SIZE, starts with "code: ", and its text
 *   is a NUL-terminated C string free of TAB and newline (one field of one line);
 * - a valid result re-validates as valid from its own r.nss, with the same fields,
 *   and r.nss passes an independent Luhn test;
 * - the check digit of an 11-digit result agrees with nss_check_digit;
 * - charset positions lie within the trimmed input; lengths match the trimmed input;
 * - the result does not depend on the current year except through the years check.
 */
#include "core/nss.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static bool luhn_valid(const char *digits, size_t n)
{
    int sum = 0;
    for (size_t k = 0; k < n; k++) {
        int d = digits[n - 1 - k] - '0';
        if (k % 2 == 1)
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return sum % 10 == 0;
}

static void check_describe(const struct nss_result *r)
{
    char buf[NSS_DESCRIBE_SIZE];
    require(nss_describe(r, buf, sizeof buf) == 0);
    const char *code = nss_status_code(r->status);
    size_t n = strlen(code);
    require(strncmp(buf, code, n) == 0 && buf[n] == ':' && buf[n + 1] == ' ');
    require(strchr(buf, '\t') == NULL && strchr(buf, '\n') == NULL);

    /* Any smaller buffer either holds the same text or reports truncation. */
    char small[NSS_DESCRIBE_SIZE];
    size_t full = strlen(buf);
    for (size_t size = 0; size <= full + 1; size += 7) {
        int rc = nss_describe(r, small, size);
        require(rc == (size > full ? 0 : -1));
        if (size > 0)
            require(strlen(small) < size && strncmp(small, buf, strlen(small)) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    /* A private copy so reading past size is caught by ASan. */
    char *s = malloc(size ? size : 1);
    require(s != NULL);
    memcpy(s, data, size);

    /* The first byte, when present, also picks a current year (0 = no windowing). */
    int current_year = size > 0 ? 1950 + data[0] : 0;
    struct nss_result r, plain;
    enum nss_status st = nss_validate(s, size, current_year, &r);
    require(st == r.status);
    require(st >= NSS_VALID && st <= NSS_ERR_YEARS);
    require(strcmp(nss_status_code(st), "unknown") != 0);
    require(r.length <= size);
    check_describe(&r);

    enum nss_status st0 = nss_validate(s, size, 0, &plain);
    require(st0 != NSS_ERR_YEARS);
    require(st == st0 || (st == NSS_ERR_YEARS && st0 == NSS_VALID));

    switch (st) {
    case NSS_ERR_CHARSET:
        require(r.position >= 1 && r.position <= r.length);
        require(r.found[0] != '\0' || r.found[1] == '\0');
        require(r.nss[0] == '\0');
        break;
    case NSS_ERR_LENGTH:
        require(r.length != NSS_LENGTH && r.nss[0] == '\0');
        break;
    case NSS_ERR_CHECK_DIGIT:
        require(strlen(r.nss) == NSS_LENGTH && !luhn_valid(r.nss, NSS_LENGTH));
        require(r.expected == nss_check_digit(r.nss) && r.found[0] == r.nss[10]);
        require(r.expected != r.found[0]);
        break;
    case NSS_ERR_YEARS:
        require(r.registration_year < r.birth_year);
        require(r.registration_year != 0 && r.birth_year != 0);
        break;
    case NSS_VALID: {
        require(strlen(r.nss) == NSS_LENGTH && luhn_valid(r.nss, NSS_LENGTH));
        require(nss_check_digit(r.nss) == r.nss[10]);
        require(r.registration_year >= r.birth_year);
        struct nss_result again;
        require(nss_validate(r.nss, strlen(r.nss), current_year, &again) == NSS_VALID);
        require(memcmp(again.nss, r.nss, sizeof r.nss) == 0);
        require(again.subdelegation == r.subdelegation && again.consecutive == r.consecutive);
        require(again.registration_year == r.registration_year);
        require(again.birth_year == r.birth_year);
        break;
    }
    }
    if (r.nss[0] != '\0') {
        require(r.subdelegation >= 0 && r.subdelegation <= 99);
        require(r.consecutive >= 0 && r.consecutive <= 9999);
        require(nss_window_year(r.registration_yy, current_year) == r.registration_year);
    }

    /* nss_check_digit reads exactly 10 bytes. */
    if (size >= NSS_LENGTH - 1) {
        char ten[NSS_LENGTH - 1];
        memcpy(ten, s, sizeof ten);
        char c = nss_check_digit(ten);
        require(c == 0 || (c >= '0' && c <= '9'));
    }
    free(s);
    return 0;
}
