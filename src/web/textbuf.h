/*
 * textbuf: a bounded text builder for HTML, JSON and log lines.
 *
 * Invariants:
 * - len <= cap, always. buf (when not NULL) is NUL-terminated at len, so
 *   textbuf_str() is always a C string; the content may itself hold NULs if
 *   textbuf_append was given them.
 * - The error is sticky: the first failure (an append that would pass the cap,
 *   an encoding error in a format, or textbuf_fail) records a message and every
 *   later append is a no-op. A failed append adds nothing at all (no partial
 *   piece), so the content is always a prefix of what was asked for, cut at an
 *   append boundary. Callers append without checking and look once, at the end,
 *   with textbuf_status().
 * - Memory grows geometrically and never beyond cap + 1 bytes; allocation goes
 *   through util/alloc (aborts rather than return NULL), so running out of
 *   memory is not one of the errors. Nothing is allocated before the first
 *   append.
 * - Escaped output (textbuf_append_html_escaped) is always valid UTF-8 and never
 *   contains a byte that is significant in HTML text or in a quoted or unquoted
 *   attribute value: & < > " ' ` = and NUL are written as character references,
 *   and every ill-formed UTF-8 sequence becomes U+FFFD.
 * - Not thread-safe: one builder belongs to one thread (one request).
 *
 * Fields are public so a builder can live on the stack; read len and buf, write
 * them only through these functions.
 */
#ifndef PADRON_WEB_TEXTBUF_H
#define PADRON_WEB_TEXTBUF_H

#include <stdarg.h>
#include <stddef.h>

#define TEXTBUF_ERROR_SIZE 160

struct textbuf {
    char *buf;                      /* NULL until the first append; NUL-terminated at len */
    size_t len;                     /* bytes of content */
    size_t alloc;                   /* bytes allocated at buf */
    size_t cap;                     /* hard limit on len */
    int failed;                     /* sticky: nonzero once anything failed */
    char error[TEXTBUF_ERROR_SIZE]; /* "what: why" of the first failure, "" while none */
};

/* Prepares tb, empty, holding at most cap bytes. Allocates nothing; cannot fail.
 * A cap of 0 makes every non-empty append fail. */
void textbuf_init(struct textbuf *tb, size_t cap);

/* Frees tb's memory and leaves it as textbuf_init(tb, 0) did; tb itself belongs
 * to the caller. Safe to call twice. */
void textbuf_release(struct textbuf *tb);

/* Empties tb and clears its error, keeping its memory and cap for reuse. */
void textbuf_reset(struct textbuf *tb);

/* Appends the len bytes at s (any bytes, copied verbatim). On passing the cap
 * appends nothing and sets the sticky error. */
void textbuf_append(struct textbuf *tb, const char *s, size_t len);

/* Appends the NUL-terminated string s, as textbuf_append. */
void textbuf_append_str(struct textbuf *tb, const char *s);

/* Appends printf-style text (C locale conventions of the process). On passing
 * the cap or an encoding error appends nothing and sets the sticky error. */
void textbuf_appendf(struct textbuf *tb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* As textbuf_appendf, with a va_list (consumed). */
void textbuf_vappendf(struct textbuf *tb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Appends the len bytes at s escaped for HTML text and attribute values:
 *   &  -> &amp;    <  -> &lt;     >  -> &gt;     "  -> &quot;
 *   '  -> &#39;    `  -> &#96;    =  -> &#61;    NUL -> &#xFFFD;
 * and each maximal ill-formed UTF-8 subpart (Unicode 15, 3.9, as browsers
 * decode) -> U+FFFD as the bytes EF BF BD. Everything else, including control
 * characters and valid multi-byte UTF-8, is copied. On passing the cap the
 * error is set; the escaped text appended before that point stays (it is cut
 * between two input characters, never inside an entity or a UTF-8 sequence). */
void textbuf_append_html_escaped(struct textbuf *tb, const char *s, size_t len);

/* Sets the sticky error with a printf-style "what: why" message, unless an
 * error is already set (the first failure wins). Appends nothing. */
void textbuf_fail(struct textbuf *tb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 0 while nothing has failed, -1 after any failure. */
int textbuf_status(const struct textbuf *tb);

/* The message of the first failure, or NULL while nothing has failed. Valid
 * until tb is reset or released. */
const char *textbuf_error(const struct textbuf *tb);

/* The content as a C string ("" before the first append). Valid until the next
 * append, reset or release. */
const char *textbuf_str(const struct textbuf *tb);

/* Hands the content to the caller as a malloc'd, NUL-terminated buffer (free()
 * it) and its length in *len (when len is not NULL), and leaves tb empty with
 * its cap. After a failure returns NULL instead and discards the content, so a
 * cut-off page cannot be sent by mistake; tb is then empty with its error
 * cleared. */
char *textbuf_detach(struct textbuf *tb, size_t *len);

#endif
