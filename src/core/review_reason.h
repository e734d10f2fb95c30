/*
 * review_reason: what a staff member types when deciding a review (lifting or
 * confirming a suspension, web/suspension_review.h): the decision word and the
 * written reason, checked. Pure: no database, no clock; safe on any bytes.
 *
 * Invariants:
 * - The decision is exactly "lift" or "confirm"; anything else is refused.
 * - A reason is 10-400 characters once cleaned by core/text_field.h (valid UTF-8,
 *   no control characters, trimmed, runs of blanks folded); it is stored and
 *   shown as cleaned, and never holds more than 4 * 400 bytes.
 */
#ifndef PADRON_CORE_REVIEW_REASON_H
#define PADRON_CORE_REVIEW_REASON_H

#include <stdbool.h>
#include <stddef.h>

#define REVIEW_REASON_MIN 10  /* characters */
#define REVIEW_REASON_MAX 400 /* characters */

enum review_decision { REVIEW_LIFT, REVIEW_CONFIRM };

/* The decision named text: 0 with *out set, or -1 (NULL, "" or another word). */
int review_decision_parse(const char *text, enum review_decision *out);

/* Cleans text into out (outsz at least 4 * REVIEW_REASON_MAX + 1): true when the
 * cleaned reason has 10-400 characters. */
bool review_reason_clean(const char *text, char *out, size_t outsz);

#endif
