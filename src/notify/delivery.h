/*
 * delivery: hands one composed message to its destination.
 *
 * Two transports: a Maildir (the development default: one RFC 5322 file per
 * message in DIR/new, written to DIR/tmp first and renamed, so a reader never
 * sees half a message) and SMTP through libcurl (smtp:// or smtps://, with
 * STARTTLS as configured). A recipient "sms:+52..." is a text message instead:
 * its message is the JSON body {"to","text"} POSTed to the SMS webhook (any 2xx
 * answer is a delivery). Nothing here logs the message or the recipient.
 */
#ifndef PADRON_NOTIFY_DELIVERY_H
#define PADRON_NOTIFY_DELIVERY_H

#include <stddef.h>

enum delivery_tls { DELIVERY_TLS_TRY, DELIVERY_TLS_REQUIRE, DELIVERY_TLS_NONE };

struct delivery_config {
    const char *maildir;             /* used when smtp_url is NULL */
    const char *smtp_url;            /* e.g. "smtp://127.0.0.1:2525"; NULL for the Maildir */
    const char *from;                /* envelope sender */
    const char *username, *password; /* SMTP AUTH, both NULL for none */
    enum delivery_tls tls;
    long timeout_seconds;
    long retry_seconds;    /* first retry delay of the sender (0: 30 s) */
    const char *sms_url;   /* http(s) webhook of an SMS gateway; NULL: no SMS */
    const char *sms_token; /* sent as "Authorization: Bearer TOKEN"; NULL: none */
};

#define DELIVERY_SMS_PREFIX "sms:"

/* Delivers message to recipient. Returns 0, or -1 with a short reason in err. */
int delivery_send(const struct delivery_config *cfg, const char *recipient, const char *message,
                  char *err, size_t errsz);

/* Writes message into the Maildir dir (creating dir/tmp, dir/new, dir/cur). */
int delivery_maildir(const char *dir, const char *message, char *err, size_t errsz);

#endif
