/*
 * folio: the enrollment number a person is given when the application becomes
 * active, e.g. "IB26-7K3M-9QXD".
 *
 * Shape: "IB", the two digits of the year, then 8 symbols of Crockford's base 32
 * (0-9 and A-Z without I, L, O, U, so nothing reads as another character over
 * the phone) in two groups: 40 random bits. Pure: the caller supplies the random
 * bytes and the year.
 */
#ifndef PADRON_CORE_FOLIO_H
#define PADRON_CORE_FOLIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FOLIO_LENGTH       14
#define FOLIO_RANDOM_BYTES 5

/* Writes the folio for the 5 random bytes and the year into out (15 bytes). */
void folio_format(const uint8_t random[FOLIO_RANDOM_BYTES], int year, char out[FOLIO_LENGTH + 1]);

/* Reads a folio as a person may type it (any case; spaces and dashes optional;
 * O read as 0, I and L as 1) into its canonical form. Returns true when it has
 * the shape of a folio. */
bool folio_normalize(const char *s, size_t len, char out[FOLIO_LENGTH + 1]);

#endif
