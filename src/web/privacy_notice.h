/*
 * privacy_notice: the versioned privacy notice applicants accept, in es and en.
 *
 * Invariants: versions are never edited once published; a new text is a new
 * version at the end of the list, and only the latest can be accepted.
 */
#ifndef PADRON_WEB_PRIVACY_NOTICE_H
#define PADRON_WEB_PRIVACY_NOTICE_H

#include "web/i18n.h"

struct privacy_notice {
    const char *version; /* e.g. "2026-11" */
    const char *text[2]; /* indexed by enum i18n_lang */
};

/* The notice in force. */
const struct privacy_notice *privacy_notice_current(void);

#endif
