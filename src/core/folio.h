/*
 * folio: the numbers padron gives out: the enrollment folio a person is given
 * when the application becomes active ("IB26-7K3M-9QXD"), the id of a signed
 * credential ("CR26-...") and the folio of a Carta de No Afiliación ("NA26-...").
 *
 * Shape: two letters naming the kind, the two digits of the year, then 8 symbols of Crockford's
 * base 32 (0-9 and A-Z without I, L, O, U, so nothing reads as another character over the phone) in
 * two groups: 40 random bits. Pure: the caller supplies the random bytes and the year.
 */
#ifndef PADRON_CORE_FOLIO_H
#define PADRON_CORE_FOLIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FOLIO_LENGTH       14
#define FOLIO_RANDOM_BYTES 5

/* The kinds, by their two-letter prefix. */
#define FOLIO_ENROLLMENT "IB" /* IMSS-Bienestar enrollment */
#define FOLIO_CREDENTIAL "CR" /* signed credential (the envelope's cti) */
#define FOLIO_LETTER     "NA" /* Carta de No Afiliación (the envelope's cti) */

/* Writes the folio of kind (one of the prefixes above) for the 5 random bytes
 * and the year into out (15 bytes). */
void folio_format_kind(const char *kind, const uint8_t random[FOLIO_RANDOM_BYTES], int year,
                       char out[FOLIO_LENGTH + 1]);

/* An enrollment folio: folio_format_kind(FOLIO_ENROLLMENT, ...). */
void folio_format(const uint8_t random[FOLIO_RANDOM_BYTES], int year, char out[FOLIO_LENGTH + 1]);

/* Reads a folio of kind as a person may type it (any case; spaces and dashes
 * optional; O read as 0, I and L as 1 in the symbols) into its canonical form.
 * Returns true when it has the shape of a folio of that kind. */
bool folio_normalize_kind(const char *kind, const char *s, size_t len, char out[FOLIO_LENGTH + 1]);

/* An enrollment folio: folio_normalize_kind(FOLIO_ENROLLMENT, ...). */
bool folio_normalize(const char *s, size_t len, char out[FOLIO_LENGTH + 1]);

#endif
