#include "web/textbuf.h"

#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_ALLOC 256

void textbuf_init(struct textbuf *tb, size_t cap)
{
    tb->buf = NULL;
    tb->len = 0;
    tb->alloc = 0;
    tb->cap = cap;
    tb->failed = 0;
    tb->error[0] = '\0';
}

void textbuf_release(struct textbuf *tb)
{
    free(tb->buf);
    textbuf_init(tb, 0);
}

void textbuf_reset(struct textbuf *tb)
{
    tb->len = 0;
    if (tb->buf)
        tb->buf[0] = '\0';
    tb->failed = 0;
    tb->error[0] = '\0';
}

static void set_error(struct textbuf *tb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void set_error(struct textbuf *tb, const char *fmt, va_list ap)
{
    if (tb->failed)
        return;
    tb->failed = 1;
    /* A message cut short is still the right message; truncation is accepted. */
    if (vsnprintf(tb->error, sizeof tb->error, fmt, ap) < 0)
        snprintf(tb->error, sizeof tb->error, "textbuf: unprintable error");
}

void textbuf_fail(struct textbuf *tb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(tb, fmt, ap);
    va_end(ap);
}

/* Makes room for n more bytes plus the terminating NUL; 0, or -1 with the sticky
 * error set when n does not fit under the cap. */
static int reserve(struct textbuf *tb, size_t n)
{
    if (tb->failed)
        return -1;
    if (n > tb->cap - tb->len) {
        textbuf_fail(tb, "textbuf: output would pass the cap of %zu bytes", tb->cap);
        return -1;
    }
    size_t need = tb->len + n + 1; /* cannot overflow: len + n <= cap < SIZE_MAX */
    if (need <= tb->alloc)
        return 0;
    size_t want = tb->alloc < MIN_ALLOC ? MIN_ALLOC : tb->alloc;
    while (want < need && want <= tb->cap / 2)
        want *= 2;
    if (want < need)
        want = need;
    if (want > tb->cap + 1)
        want = tb->cap + 1;
    tb->buf = xreallocarray(tb->buf, want, 1);
    tb->alloc = want;
    return 0;
}

void textbuf_append(struct textbuf *tb, const char *s, size_t len)
{
    if (len == 0 || reserve(tb, len) != 0)
        return;
    memcpy(tb->buf + tb->len, s, len);
    tb->len += len;
    tb->buf[tb->len] = '\0';
}

void textbuf_append_str(struct textbuf *tb, const char *s)
{
    textbuf_append(tb, s, strlen(s));
}

void textbuf_vappendf(struct textbuf *tb, const char *fmt, va_list ap)
{
    if (tb->failed)
        return;
    va_list again;
    va_copy(again, ap);
    char *dst = tb->buf ? tb->buf + tb->len : NULL;
    size_t room = tb->buf ? tb->alloc - tb->len : 0;
    int n = vsnprintf(dst, room, fmt, ap);
    if (n < 0) {
        textbuf_fail(tb, "textbuf: format error in \"%.40s\"", fmt);
    } else if ((size_t)n < room) {
        tb->len += (size_t)n;
    } else if (reserve(tb, (size_t)n) == 0) {
        int m = vsnprintf(tb->buf + tb->len, tb->alloc - tb->len, fmt, again);
        if (m != n)
            textbuf_fail(tb, "textbuf: format \"%.40s\" changed length", fmt);
        else
            tb->len += (size_t)n;
    }
    if (tb->buf)
        tb->buf[tb->len] = '\0'; /* undo whatever a failed attempt wrote */
    va_end(again);
}

void textbuf_appendf(struct textbuf *tb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textbuf_vappendf(tb, fmt, ap);
    va_end(ap);
}

/* The character reference for each byte that must not appear as itself. */
static const struct {
    const char *text;
    size_t len;
} entity[128] = {
    ['&'] = {"&amp;", 5},  ['<'] = {"&lt;", 4},  ['>'] = {"&gt;", 4},  ['"'] = {"&quot;", 6},
    ['\''] = {"&#39;", 5}, ['`'] = {"&#96;", 5}, ['='] = {"&#61;", 5}, ['\0'] = {"&#xFFFD;", 8},
};

/* The length of the well-formed UTF-8 sequence starting at s[0] (a byte >= 0x80),
 * or 0 when it is ill-formed, with *bad set to the length of its maximal subpart
 * (the bytes one U+FFFD stands for). n >= 1 bytes are available. */
static size_t utf8_sequence(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90; /* no overlong forms */
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *bad = 1; /* a continuation byte, C0, C1 or F5-FF */
        return 0;
    }
    size_t i = 1;
    for (; i < need && i < n; i++) {
        unsigned char b = s[i];
        if (i == 1 ? b < lo || b > hi : b < 0x80 || b > 0xBF)
            break;
    }
    if (i == need)
        return need;
    *bad = i;
    return 0;
}

void textbuf_append_html_escaped(struct textbuf *tb, const char *s, size_t len)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0; /* start of the pending run of bytes copied as they are */
    size_t i = 0;
    while (!tb->failed) {
        while (i < len && u[i] < 0x80 && entity[u[i]].len == 0)
            i++; /* the common case: plain ASCII */
        if (i == len)
            break;
        unsigned char c = u[i];
        if (c < 0x80) {
            textbuf_append(tb, s + run, i - run);
            textbuf_append(tb, entity[c].text, entity[c].len);
            run = ++i;
            continue;
        }
        size_t bad = 0;
        size_t n = utf8_sequence(u + i, len - i, &bad);
        if (n) {
            i += n;
            continue;
        }
        textbuf_append(tb, s + run, i - run);
        textbuf_append(tb, replacement, sizeof replacement - 1);
        i += bad;
        run = i;
    }
    textbuf_append(tb, s + run, i - run);
}

int textbuf_status(const struct textbuf *tb)
{
    return tb->failed ? -1 : 0;
}

const char *textbuf_error(const struct textbuf *tb)
{
    return tb->failed ? tb->error : NULL;
}

const char *textbuf_str(const struct textbuf *tb)
{
    return tb->buf ? tb->buf : "";
}

char *textbuf_detach(struct textbuf *tb, size_t *len)
{
    size_t cap = tb->cap;
    if (tb->failed) {
        textbuf_release(tb);
        tb->cap = cap;
        if (len)
            *len = 0;
        return NULL;
    }
    char *out = tb->buf ? tb->buf : xstrndup("", 0);
    if (len)
        *len = tb->len;
    textbuf_init(tb, cap);
    return out;
}
