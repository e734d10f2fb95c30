/*
 * contact: the applicant's mobile phone and email, checked and normalised.
 *
 * Invariants: pure functions, safe on any bytes; the normalised forms are what
 * padron stores and compares (so the same phone typed two ways is one phone).
 */
#ifndef PADRON_CORE_CONTACT_H
#define PADRON_CORE_CONTACT_H

#include <stddef.h>

#define CONTACT_PHONE_LEN 10
#define CONTACT_EMAIL_MAX 254

enum contact_status {
    CONTACT_OK = 0,
    CONTACT_PHONE_CHARSET, /* something other than digits, spaces, - . ( ) and a leading +52 */
    CONTACT_PHONE_LENGTH,  /* not 10 digits once the country code is removed */
    CONTACT_PHONE_AREA,    /* starts with 0 or 1: no Mexican area code does */
    CONTACT_PHONE_COUNTRY, /* an international number outside Mexico (+ without 52) */
    CONTACT_EMAIL_SHAPE,   /* not local@domain */
    CONTACT_EMAIL_LENGTH,  /* longer than 254 bytes, or a local part over 64 */
    CONTACT_EMAIL_CHARSET, /* a character outside the ASCII forms we accept */
    CONTACT_EMAIL_DOMAIN,  /* a domain without a dot, or an empty or malformed label */
};

/* Normalises a Mexican mobile number: accepts 10 digits with spaces, dashes,
 * dots or parentheses, optionally preceded by +52, 52 or 521 (old mobile prefix).
 * Writes the 10 digits and a NUL into out. */
enum contact_status contact_phone(const char *s, size_t len, char out[CONTACT_PHONE_LEN + 1]);

/* Checks an email address (ASCII; the local part may hold letters, digits and
 * ! # $ % & ' * + - / = ? ^ _ ` { | } ~ and single dots) and writes it into out
 * with the domain lower-cased. */
enum contact_status contact_email(const char *s, size_t len, char out[CONTACT_EMAIL_MAX + 1]);

/* A normalised phone (10 digits) as people write it: the area code apart, which
 * has two digits in Mexico City, Guadalajara and Monterrey (55, 33, 81) and
 * three elsewhere: "55 1234 5678", "951 123 4567". Anything but 10 digits is
 * copied as it is (cut to 12 bytes). out holds at least 13 bytes. */
void contact_phone_display(const char *phone, char out[13]);

/* The stable code of a status, e.g. "phone_length". */
const char *contact_status_code(enum contact_status status);

#endif
