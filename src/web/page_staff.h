/*
 * page_staff: what the staff pages share (page_staff.c): the frame of a staff
 * form POST, and the person lookup of the pages that look a person up by a
 * posted key (the desk's /personal/persona, the suspension review's
 * /personal/suspension): its form (the layout/staff_lookup partial), the
 * audited read of the person, and the refusals shown on the page.
 *
 * Invariants:
 * - No form is read before the staff session is checked, and no field of it is
 *   used before its CSRF token matched (page_read_form).
 * - The key travels in the POST body only, never in a URL (a CURP must not sit
 *   in history or logs); every read of the person is the caller's audited read.
 * - A form's own refusal is what the page shows: a refused read of the person
 *   on the same page does not hide it.
 */
#ifndef PADRON_WEB_PAGE_STAFF_H
#define PADRON_WEB_PAGE_STAFF_H

#include "web/form.h"
#include "web/page.h"
#include "web/staff_account.h"

/* What a staff page does with a form that was read and whose token matched:
 * sends its reply and returns its result. */
typedef int page_staff_handler(const struct web_request *req, const struct staff_member *who,
                               const struct form *f);

/* What a staff page shows when a form is refused before its fields are read
 * (unreadable, too large, an expired token): the page again, with why. */
typedef int page_staff_refused(const struct web_request *req, const struct staff_member *who,
                               const struct refusal *why);

/* A staff form POST: the staff member of the session (else the sign-in page),
 * the form of decl read with its CSRF token checked, then handle; a form refused
 * there (its refusal at field) goes to refused, or to page_refused when refused
 * is NULL. Releases the form; returns the reply's result. */
int page_staff_form(const struct web_request *req, const struct form_decl *decl, const char *field,
                    page_staff_handler *handle, page_staff_refused *refused);

/* The lookup form's declaration: its token and "curp" (a CURP or folio as typed). */
extern const struct form_decl page_staff_lookup_form;

/* An audited read of the person key names, as staff_read_person does it:
 * 0 with reg and its home clinic, or -1 with why. */
typedef int staff_person_read(const struct web_request *req, const struct staff_member *who,
                              const char *key, struct store_registration *reg,
                              char clinic[STORE_CLUES_LEN + 1], struct refusal *why);

/* A staff page's person lookup. */
struct page_staff_lookup {
    const char *action;           /* the path the lookup form posts to */
    const char *key;              /* the key as typed, or NULL before a lookup */
    const char *notice;           /* a notice on top, already worded, or NULL */
    const struct refusal *failed; /* the refusal of a form to show, or NULL */
    staff_person_read *read;      /* the audited read of the person */
};

/* The lookup part of a staff page: puts in p's view "lookup_action", "key", the
 * notice and the texts of the layout/staff_lookup partial (those the page does
 * not word itself), and l->failed as the page's error (at its field, else
 * "curp"). When the key is not empty, reads the person with l->read: returns 1
 * with reg and clinic, or 0 with the read's refusal as the error (unless a
 * form's is shown); 0 too when there is no key. *status: the status to send the
 * page with. */
int page_staff_lookup(struct page *p, const struct staff_member *who,
                      const struct page_staff_lookup *l, struct store_registration *reg,
                      char clinic[STORE_CLUES_LEN + 1], unsigned *status);

#endif
