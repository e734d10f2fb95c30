/*
 * message: RFC 5322 text messages, composed safely.
 *
 * Invariants: lines end in CRLF; header values never carry CR or LF (addresses
 * are refused, the subject is encoded), so no input can add a header; a subject
 * with any non-ASCII byte is RFC 2047 encoded; the body is UTF-8 sent as
 * quoted-printable, so every line stays under 78 characters and 7-bit clean.
 * An attachment makes the message multipart/mixed (RFC 2046): the text part
 * first, then the attachment in base64 lines of 76 characters; its file name is
 * limited to [A-Za-z0-9._-] so it needs no encoding and cannot break a header.
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
    /* Optional attachment: none when attachment is NULL. */
    const char *attachment_name; /* e.g. "carta-NA26-7K3M-9QXD.pdf" */
    const char *attachment_type; /* e.g. "application/pdf" */
    const uint8_t *attachment;
    size_t attachment_len;
};

/* Composes the message into a new string (*out, the caller frees it). Returns 0,
 * or -1 with the reason in err (an address with a control character, space or
 * angle bracket, a missing field, an attachment without a safe name or type). */
int mail_compose(const struct mail_text *m, char **out, char *err, size_t errsz);

#endif
