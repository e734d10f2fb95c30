#include "notify/message.h"

#include "util/alloc.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A growable string; xreallocarray never fails, so there is no error to carry. */
struct text {
    char *buf;
    size_t len, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->buf = xreallocarray(t->buf, t->cap, 1);
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void put_str(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

static void putf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct text *t, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(t, small, (size_t)n < sizeof small ? (size_t)n : sizeof small - 1);
}

static bool safe_address(const char *a)
{
    if (!a || !*a || strlen(a) > 254 || !strchr(a, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' || *p == '(' || *p == ')' ||
            *p == ',' || *p == ';' || *p == '"' || *p == '\\')
            return false;
    return true;
}

static bool is_plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < ' ' || *p >= 0x7f)
            return false;
    return true;
}

/* Subject: as is when printable ASCII, else RFC 2047 base64 words of at most 45
 * input bytes each, split on UTF-8 character boundaries. */
static void put_subject(struct text *t, const char *s)
{
    put(t, "Subject: ", 9);
    if (is_plain_ascii(s) && strlen(s) < 900) {
        put(t, s, strlen(s));
        put(t, "\r\n", 2);
        return;
    }
    size_t len = strlen(s), i = 0;
    while (i < len) {
        size_t n = len - i < 45 ? len - i : 45;
        while (i + n < len && n > 0 && ((unsigned char)s[i + n] & 0xc0) == 0x80)
            n--; /* do not cut a character in two */
        char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i, n,
                          sodium_base64_VARIANT_ORIGINAL);
        putf(t, "%s=?UTF-8?B?%s?=", i == 0 ? "" : "\r\n ", b64);
        i += n;
    }
    put(t, "\r\n", 2);
}

/* Body as quoted-printable (RFC 2045): soft line breaks keep lines under 76. */
static void put_body(struct text *t, const char *s)
{
    size_t col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') {
            put(t, "\r\n", 2);
            col = 0;
            continue;
        }
        char enc[4];
        bool last_on_line = p[1] == '\n' || p[1] == '\0';
        bool literal = (*p >= 33 && *p <= 126 && *p != '=') || (*p == ' ' && !last_on_line);
        size_t n = literal ? 1 : 3;
        if (literal)
            enc[0] = (char)*p;
        else
            snprintf(enc, sizeof enc, "=%02X", *p);
        if (col + n > 75) {
            put(t, "=\r\n", 3);
            col = 0;
        }
        put(t, enc, n);
        col += n;
    }
    put(t, "\r\n", 2);
}

/* Whether s is a non-empty token of [A-Za-z0-9._/+-]: a file name or a media
 * type that is safe inside a header without quoting. */
static bool safe_token(const char *s, bool slash_allowed)
{
    if (!s || !*s || strlen(s) > 100)
        return false;
    for (const char *p = s; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-' ||
                  (slash_allowed && (*p == '/' || *p == '+'));
        if (!ok)
            return false;
    }
    return true;
}

/* The attachment in base64, 57 input bytes (76 characters) per line. */
static void put_base64(struct text *t, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i += 57) {
        size_t n = len - i < 57 ? len - i : 57;
        char line[sodium_base64_ENCODED_LEN(57, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(line, sizeof line, data + i, n, sodium_base64_VARIANT_ORIGINAL);
        put_str(t, line);
        put_str(t, "\r\n");
    }
}

int mail_compose(const struct mail_text *m, char **out, char *err, size_t errsz)
{
    if (!safe_address(m->from) || !safe_address(m->to)) {
        snprintf(err, errsz, "mail: %s address is not a bare address",
                 safe_address(m->from) ? "recipient" : "sender");
        return -1;
    }
    if (!m->subject || !m->body) {
        snprintf(err, errsz, "mail: subject and body are required");
        return -1;
    }
    if (m->attachment &&
        (!safe_token(m->attachment_name, false) || !safe_token(m->attachment_type, true) ||
         !strchr(m->attachment_type, '/'))) {
        snprintf(err, errsz, "mail: the attachment needs a plain file name and a media type");
        return -1;
    }
    struct text t = {0};
    char date[64];
    time_t when = (time_t)m->date;
    struct tm tm;
    if (!gmtime_r(&when, &tm) ||
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
        snprintf(date, sizeof date, "Thu, 01 Jan 1970 00:00:00 +0000");
    unsigned char id[16];
    char id_hex[33];
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(id_hex, sizeof id_hex, id, sizeof id);
    const char *domain = strchr(m->from, '@') + 1;

    putf(&t, "From: %s\r\nTo: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n", m->from, m->to, date,
         id_hex, domain);
    put_subject(&t, m->subject);
    static const char text_part[] = "Content-Type: text/plain; charset=UTF-8\r\n"
                                    "Content-Transfer-Encoding: quoted-printable\r\n";
    put_str(&t, "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
    if (!m->attachment) {
        put_str(&t, text_part);
        put_str(&t, "\r\n");
        put_body(&t, m->body);
        *out = t.buf;
        return 0;
    }
    /* The boundary is random, and base64 and quoted-printable never produce
     * "--" followed by it. */
    char boundary[40];
    snprintf(boundary, sizeof boundary, "=_%.32s", id_hex);
    putf(&t, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary);
    putf(&t, "--%s\r\n", boundary);
    put_str(&t, text_part);
    put_str(&t, "\r\n");
    put_body(&t, m->body);
    putf(&t, "--%s\r\nContent-Type: %s; name=\"%s\"\r\n", boundary, m->attachment_type,
         m->attachment_name);
    putf(&t, "Content-Disposition: attachment; filename=\"%s\"\r\n", m->attachment_name);
    put_str(&t, "Content-Transfer-Encoding: base64\r\n\r\n");
    put_base64(&t, m->attachment, m->attachment_len);
    putf(&t, "--%s--\r\n", boundary);
    *out = t.buf;
    return 0;
}
