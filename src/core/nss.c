/* NSS validation, decoding and check digit. */
#include "core/nss.h"

#include "core/found_char.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define MIN_WINDOW_YEAR 100
#define MAX_WINDOW_YEAR 9999

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int digit_pair(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

char nss_check_digit(const char *ten_digits)
{
    /* Luhn from the left: digits 1, 3, 5, ... weigh 1; digits 2, 4, ... weigh 2, and
     * a doubled digit d >= 5 contributes 2d - 9. */
    static const unsigned char doubled[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
    const unsigned char *s = (const unsigned char *)ten_digits;
    unsigned sum = 0;
    for (int i = 0; i < NSS_LENGTH - 1; i++) {
        if (!is_digit(s[i]))
            return 0;
        unsigned d = s[i] - '0';
        sum += i % 2 == 0 ? d : doubled[d];
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

int nss_window_year(int yy, int current_year)
{
    if (yy < 0 || yy > 99 || current_year < MIN_WINDOW_YEAR || current_year > MAX_WINDOW_YEAR)
        return 0;
    int year = current_year / 100 * 100 + yy;
    return year > current_year ? year - 100 : year;
}

static enum nss_status fail(struct nss_result *out, enum nss_status status)
{
    out->status = status;
    return status;
}

enum nss_status nss_validate(const char *input, size_t len, int current_year,
                             struct nss_result *out)
{
    const unsigned char *s = (const unsigned char *)input;
    memset(out, 0, sizeof *out);
    while (len > 0 && is_space(s[0]))
        s++, len--;
    while (len > 0 && is_space(s[len - 1]))
        len--;

    out->length = len;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i])) {
            found_char_format(s, len, i, out->found);
            out->position = i + 1; /* only digits before it: bytes and characters agree */
            return fail(out, NSS_ERR_CHARSET);
        }
    }
    if (len != NSS_LENGTH)
        return fail(out, NSS_ERR_LENGTH);

    memcpy(out->nss, s, NSS_LENGTH);
    const char *n = out->nss;
    out->subdelegation = digit_pair(n);
    out->registration_yy = digit_pair(n + 2);
    out->birth_yy = digit_pair(n + 4);
    out->consecutive = digit_pair(n + 6) * 100 + digit_pair(n + 8);
    out->registration_year = nss_window_year(out->registration_yy, current_year);
    out->birth_year = nss_window_year(out->birth_yy, current_year);

    char expected = nss_check_digit(n);
    if (n[10] != expected) {
        out->expected = expected;
        out->found[0] = n[10];
        return fail(out, NSS_ERR_CHECK_DIGIT);
    }
    if (out->registration_year != 0 && out->registration_year < out->birth_year)
        return fail(out, NSS_ERR_YEARS);
    return fail(out, NSS_VALID);
}

const char *nss_status_code(enum nss_status status)
{
    switch (status) {
    case NSS_VALID:
        return "valid";
    case NSS_ERR_LENGTH:
        return "length";
    case NSS_ERR_CHARSET:
        return "charset";
    case NSS_ERR_CHECK_DIGIT:
        return "check_digit";
    case NSS_ERR_YEARS:
        return "years";
    }
    return "unknown";
}

/* The message after "code: " for r. */
static int describe_detail(const struct nss_result *r, char *buf, size_t size)
{
    switch (r->status) {
    case NSS_VALID:
        return snprintf(buf, size, "%s", r->nss);
    case NSS_ERR_LENGTH:
        return snprintf(buf, size, "%zu digit%s, expected 11", r->length,
                        r->length == 1 ? "" : "s");
    case NSS_ERR_CHARSET:
        return snprintf(buf, size, "position %zu has '%s'; only digits are allowed", r->position,
                        r->found);
    case NSS_ERR_CHECK_DIGIT:
        return snprintf(buf, size, "expected %c, found %c", r->expected, r->found[0]);
    case NSS_ERR_YEARS:
        return snprintf(buf, size, "registered in %d but born in %d", r->registration_year,
                        r->birth_year);
    }
    return snprintf(buf, size, "unknown error");
}

int nss_describe(const struct nss_result *r, char *buf, size_t size)
{
    if (size == 0)
        return -1;
    int n = snprintf(buf, size, "%s: ", nss_status_code(r->status));
    if (n < 0 || (size_t)n >= size)
        return -1;
    int m = describe_detail(r, buf + n, size - (size_t)n);
    return m < 0 || (size_t)m >= size - (size_t)n ? -1 : 0;
}
