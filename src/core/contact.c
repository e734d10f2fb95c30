#include "core/contact.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

enum contact_status contact_phone(const char *s, size_t len, char out[CONTACT_PHONE_LEN + 1])
{
    char digits[16];
    size_t n = 0;
    while (len > 0 && is_space(s[0]))
        s++, len--;
    while (len > 0 && is_space(s[len - 1]))
        len--;
    bool plus = len > 0 && s[0] == '+';
    for (size_t i = plus ? 1 : 0; i < len; i++) {
        char c = s[i];
        if (is_digit(c)) {
            if (n == sizeof digits)
                return CONTACT_PHONE_LENGTH;
            digits[n++] = c;
        } else if (!is_space(c) && c != '-' && c != '.' && c != '(' && c != ')') {
            return CONTACT_PHONE_CHARSET;
        }
    }
    const char *d = digits;
    if (plus && (n < 2 || memcmp(d, "52", 2) != 0))
        return CONTACT_PHONE_COUNTRY;
    if (n == 13 && memcmp(d, "521", 3) == 0)
        d += 3, n -= 3;
    else if ((n == 12 || plus) && memcmp(d, "52", 2) == 0)
        d += 2, n -= 2;
    if (n != CONTACT_PHONE_LEN)
        return CONTACT_PHONE_LENGTH;
    if (d[0] == '0' || d[0] == '1')
        return CONTACT_PHONE_AREA;
    memcpy(out, d, CONTACT_PHONE_LEN);
    out[CONTACT_PHONE_LEN] = '\0';
    return CONTACT_OK;
}

static bool local_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static bool domain_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-';
}

enum contact_status contact_email(const char *s, size_t len, char out[CONTACT_EMAIL_MAX + 1])
{
    while (len > 0 && is_space(s[0]))
        s++, len--;
    while (len > 0 && is_space(s[len - 1]))
        len--;
    if (len > CONTACT_EMAIL_MAX)
        return CONTACT_EMAIL_LENGTH;
    const char *at = memchr(s, '@', len);
    if (!at || at == s || at == s + len - 1 || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
        return CONTACT_EMAIL_SHAPE;
    size_t local_len = (size_t)(at - s);
    if (local_len > 64)
        return CONTACT_EMAIL_LENGTH;
    for (size_t i = 0; i < local_len; i++) {
        if (s[i] == '.') {
            if (i == 0 || i == local_len - 1 || s[i - 1] == '.')
                return CONTACT_EMAIL_SHAPE;
        } else if (!local_char(s[i])) {
            return CONTACT_EMAIL_CHARSET;
        }
    }
    const char *domain = at + 1;
    size_t domain_len = len - local_len - 1, label = 0, dots = 0;
    for (size_t i = 0; i < domain_len; i++) {
        char c = domain[i];
        if (c == '.') {
            if (label == 0 || domain[i - 1] == '-')
                return CONTACT_EMAIL_DOMAIN;
            label = 0, dots++;
        } else if (!domain_char(c)) {
            return CONTACT_EMAIL_CHARSET;
        } else if (label == 0 && c == '-') {
            return CONTACT_EMAIL_DOMAIN;
        } else if (++label > 63) {
            return CONTACT_EMAIL_DOMAIN;
        }
    }
    if (label == 0 || dots == 0 || domain[domain_len - 1] == '-')
        return CONTACT_EMAIL_DOMAIN;
    memcpy(out, s, len);
    for (size_t i = local_len + 1; i < len; i++)
        if (out[i] >= 'A' && out[i] <= 'Z')
            out[i] = (char)(out[i] - 'A' + 'a');
    out[len] = '\0';
    return CONTACT_OK;
}

const char *contact_status_code(enum contact_status status)
{
    switch (status) {
    case CONTACT_OK:
        return "ok";
    case CONTACT_PHONE_CHARSET:
        return "phone_charset";
    case CONTACT_PHONE_LENGTH:
        return "phone_length";
    case CONTACT_PHONE_AREA:
        return "phone_area";
    case CONTACT_PHONE_COUNTRY:
        return "phone_country";
    case CONTACT_EMAIL_SHAPE:
        return "email_shape";
    case CONTACT_EMAIL_LENGTH:
        return "email_length";
    case CONTACT_EMAIL_CHARSET:
        return "email_charset";
    case CONTACT_EMAIL_DOMAIN:
        return "email_domain";
    }
    return "unknown";
}

void contact_phone_display(const char *phone, char out[13])
{
    bool two = strncmp(phone, "55", 2) == 0 || strncmp(phone, "33", 2) == 0 ||
               strncmp(phone, "81", 2) == 0;
    if (strlen(phone) != CONTACT_PHONE_LEN)
        snprintf(out, 13, "%.12s", phone);
    else if (two)
        snprintf(out, 13, "%.2s %.4s %.4s", phone, phone + 2, phone + 6);
    else
        snprintf(out, 13, "%.3s %.3s %.4s", phone, phone + 3, phone + 6);
}
