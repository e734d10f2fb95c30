/*
 * message: RFC 5322 text messages, composed safely.
 *
 * Invariants: lines end in CRLF; header values never carry CR or LF (addresses
 * are refused, the subject is encoded), so no input can add a header; a subject
 * with any non-ASCII byte is RFC 2047 encoded; the body is UTF-8 sent as
 * quoted-printable, so every line stays under 78 characters and 7-bit clean.
 */
#ifndef PADRON_NOTIFY_MESSAGE_H
#define PADRON_NOTIFY_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

struct mail_text {
    const char *from;    /* bare address, e.g. "no-responder@padron.example" */
    const char *to;      /* bare address, already validated */
    const char *subject; /* UTF-8 */
    const char *body;    /* UTF-8, lines separated by \n */
    int64_t date;        /* Unix seconds, for the Date header */
};

/* Composes the message into a new string (*out, the caller frees it). Returns 0,
 * or -1 with the reason in err (an address with a control character, space or
 * angle bracket, or a missing field). */
int mail_compose(const struct mail_text *m, char **out, char *err, size_t errsz);

#endif
