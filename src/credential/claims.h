/*
 * claims: padron's own claim inside the CWT (envelope.h's ENVELOPE_CLAIM_PADRON),
 * a CBOR map with small integer keys so the QR code stays small:
 *
 *   1 kind         uint: 1 credential, 2 Carta de No Afiliación
 *   2 folio        text, the enrollment folio ("IB26-7K3M-9QXD")
 *   3 curp         text, 18 characters
 *   4 given names  text (with 5: required in a credential, both or neither in a letter)
 *   5 surname 1    text
 *   6 surname 2    text, optional (many people have one surname)
 *   7 birth date   text, "YYYY-MM-DD"
 *   8 program      text, "IMSS-BIENESTAR"
 *   9 levels       array of uint (1, 2, 3), ascending: the levels of care covered
 *  10 clues        text, the home clinic's CLUES, optional
 *  11 institution  text, "IMSS" or "ISSSTE": letters only, required there
 *
 * Invariants: encoding writes keys in ascending order (deterministic CBOR);
 * decoding refuses unknown keys, wrong types, texts over CLAIMS_TEXT_MAX bytes,
 * a missing required member, and levels out of order. The meaning of the values
 * (a valid CURP, a real CLUES) is checked by core/ and catalog/, not here.
 * docs/credential.md lists the same table.
 */
#ifndef PADRON_CREDENTIAL_CLAIMS_H
#define PADRON_CREDENTIAL_CLAIMS_H

#include "credential/cbor.h"

#include <stddef.h>
#include <stdint.h>

#define CLAIMS_TEXT_MAX   128
#define CLAIMS_LEVELS_MAX 3
#define CLAIMS_WHY_SIZE   96

enum claims_kind {
    CLAIMS_CREDENTIAL = 1,
    CLAIMS_LETTER = 2,
};

/* A text as pointer + length; s is NULL when absent. When decoded it points into
 * the decoded bytes and is not NUL-terminated. */
struct claims_text {
    const char *s;
    size_t len;
};

struct claims_person {
    enum claims_kind kind;
    struct claims_text folio, curp, given, surname1, surname2, birth, program, clues, institution;
    uint8_t levels[CLAIMS_LEVELS_MAX];
    size_t level_count;
};

/* A claims_text of the NUL-terminated s (NULL stays absent). */
struct claims_text claims_text_of(const char *s);

/* Appends p as one CBOR map to out. Returns 0, or -1 when p breaks the rules
 * above (out is then failed). */
int claims_encode(const struct claims_person *p, struct cbor_out *out);

/* Reads the encoded map at buf (len bytes) into *p. Returns 0, or -1 with the
 * reason in why. */
int claims_decode(const uint8_t *buf, size_t len, struct claims_person *p,
                  char why[CLAIMS_WHY_SIZE]);

#endif
