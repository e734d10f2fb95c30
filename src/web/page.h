/*
 * page: what every HTML page shares: the base view model (language, the other
 * language's switch, the layout's texts), the CSRF token, and rendering.
 *
 * Invariants:
 * - Text comes from the page-text catalog (i18n_pages.c) in the request's
 *   language; templates hold markup only.
 * - Every form carries a CSRF token that must equal the csrf cookie (double
 *   submit, SameSite=Lax, HttpOnly); a POST without the match is refused before
 *   its fields are read.
 * - A page that fails to render is answered with a short fixed 500 page, never a
 *   partial one.
 */
#ifndef PADRON_WEB_PAGE_H
#define PADRON_WEB_PAGE_H

#include "web/http.h"

#include <stdbool.h>

/* One text of the catalog: a key and its Spanish and English versions. */
struct page_text {
    const char *key;
    const char *text[2];
};

#define PAGE_CSRF_LEN 43 /* base64url of 32 random bytes */

/* A page being built: its view model and the cookies to set with it. */
struct page {
    const struct web_request *req;
    json_t *view;
    char csrf[PAGE_CSRF_LEN + 1];
    bool new_csrf;    /* the csrf cookie must be (re)set */
    bool set_lang;    /* ?lang= chose a language: remember it */
    char cookie[256]; /* one more Set-Cookie header, or "" */
};

/* Starts a page: the base view model with "lang", "other_lang", "other_lang_name",
 * "csrf", "title" and "t" holding the layout texts plus the page's own texts. */
void page_init(struct page *p, const struct web_request *req, const struct page_text *texts,
               size_t n_texts, const char *title_key);

/* Adds to the view's "t" the texts of a shared catalog (e.g. of a partial) that
 * the page's own catalog does not already word. */
void page_add_texts(struct page *p, const struct page_text *texts, size_t n);

/* The texts of the layout/contact_fields partial (email and phone). */
void page_contact_fields(struct page *p);

/* The text of key in texts for the page's language ("" when absent). */
const char *page_text(const struct page *p, const struct page_text *texts, size_t n,
                      const char *key);

/* Renders the template name with the view model and sends it with status; frees
 * the view. Returns the libmicrohttpd result. */
int page_send(struct page *p, const char *name, unsigned status);

/* Sends the short fixed 500 page (both languages). */
int page_fail(const struct web_request *req);

/* Sends a 303 redirect to location (a path) with the page's cookies; frees the view. */
int page_redirect(struct page *p, const char *location);

/* True when the form's csrf field equals the request's csrf cookie. */
bool page_csrf_ok(const struct web_request *req, const char *form_value, size_t len);

/* Sets p->cookie to "name=value; Path=/; HttpOnly; SameSite=Lax" (plus Secure when
 * the deployment says so). */
void page_set_cookie(struct page *p, const char *name, const char *value);

/* A new CSRF token for the page and its cookie (at sign-in: nothing issued before
 * it is accepted after). */
void page_rotate_csrf(struct page *p);

/* Sets p->cookie to remove the cookie name. */
void page_clear_cookie(struct page *p, const char *name);

struct store_registration;
struct refusal;

/* The application of the wizard's "solicitud" cookie ("ID.TOKEN"): 1 when it
 * names an application and its token matches, 0 when there is none or it does
 * not, -1 on a database error (logged). */
int page_application(const struct web_request *req, struct store_registration *reg);

/* The privacy notice in force, in the request's language, as an array of its
 * paragraphs (page_wizard.c). A new reference. */
json_t *page_notice_paragraphs(const struct web_request *req);

/* Sets "error" (the summary: {"message","field"}) and "errors.FIELD" in the view. */
void page_error(struct page *p, const char *field, const char *message);

/* The states taking part in IMSS-Bienestar today, as options for a select:
 * [{"code":"20","name":"Oaxaca","selected":bool}], selected the one whose INEGI
 * code is selected (0: none). A new reference. */
json_t *page_state_options(const struct web_request *req, int selected);

/* Sets the view's keys for a registration's details, as review, folio and account
 * pages show them: names {given_names, first_surname, second_surname} (when
 * given), curp, birth_date, sex, state, email, email_verified, phone,
 * privacy, folio, address {street, number, interior, settlement, postal_code,
 * municipality, state} (when recorded) and documents (page_documents_view). */
void page_registration_view(struct page *p, const struct store_registration *reg);

/* The documents a person uploads, for a view: [{kind, title, uploaded, and when
 * uploaded width, height (at most 240 px wide) and version}]. A new reference. */
json_t *page_documents_view(const struct web_request *req, const struct store_registration *reg);

/* Sends the stored photo of the document kind_name of reg (404 page when unknown
 * or not uploaded). */
int page_send_document(const struct web_request *req, const struct store_registration *reg,
                       const char *kind_name);

/* What the layout/new_password partial needs: "rules" (the rules a person can act
 * on, [{text, failed}], failed for the bits in failed) and its texts in "t" (those
 * the page's own catalog does not already word). */
void page_new_password(struct page *p, unsigned failed);

/* 0 when the two typed passwords are equal (or the first is empty, which the rules
 * refuse), else -1 with why (422 passwords_differ at password2). */
int page_passwords_match(const struct web_request *req, const char *pw, size_t len,
                         const char *again, size_t again_len, struct refusal *why);

/* True when reg's phone waits for its SMS code (a gateway is configured, a phone
 * was given and is not confirmed yet): the wizard then offers /registro/celular. */
bool page_phone_pending(const struct web_request *req, const struct store_registration *reg);

/* The wizard page where step (an index of enrollment_steps) is done. */
const char *page_step_path(int step);

/* Sends a sign-in page (page_account.c: the applicants' /entrar and the staff's
 * /personal/entrar) begun with page_init and the page's texts: "field" holds
 * typed (the name as typed, "" when NULL); a redirect's ?hecho= puts the notice
 * "signed_out" (salida) or password_notice (contrasena) on top unless why
 * refuses the form; why is the error, at its field (else at field). Renders
 * template with why's status (200 without one); frees the view. */
int page_send_signin(struct page *p, const char *field, const char *typed,
                     const char *password_notice, const struct refusal *why,
                     const char *template_name);

/* A session that a sign-in page opens and its sign-out form ends: the
 * applicants' (page_account.c) or the staff's (page_staff.c). */
struct page_session {
    const char *cookie; /* the cookie that carries its token */
    /* Sets p->cookie to the session cookie of token, or to remove it (NULL). */
    void (*set_cookie)(struct page *p, const char *token);
    int (*sign_out)(const struct web_request *req, const char *token, size_t len);
    const char *home;       /* where a sign-in leads */
    const char *signed_out; /* where a sign-out leads */
};

/* After a sign-in: a new CSRF token, the session cookie of token (size bytes),
 * and a 303 to s->home; the cookie text and the token are wiped. */
int page_signed_in(const struct web_request *req, const struct page_session *s, char *token,
                   size_t size);

/* The sign-out form: its CSRF token checked (else page_refused), the session of
 * s's cookie ended, the cookie removed, and a 303 to s->signed_out. */
int page_sign_out(const struct web_request *req, const struct page_session *s);

/* Sends a 303 to location (a path) with nothing but the cookies every page sets. */
int page_go(const struct web_request *req, const char *location);

/* The wizard's pages: loads the application of the cookie into reg and returns 0;
 * or, when there is none, sends the person back to the first step (or the 500
 * page) and returns -1 with the libmicrohttpd result in *ret. */
int page_need_application(const struct web_request *req, struct store_registration *reg, int *ret);

/* The account pages: loads the enrollment of the "sesion" cookie into reg and
 * returns 0; or sends the person to /entrar (or the 500 page) and returns -1
 * with the libmicrohttpd result in *ret. */
int page_need_session(const struct web_request *req, struct store_registration *reg, int *ret);

/* page_need_application for the wizard's steps: an application that is no longer
 * a draft sends the person to its folio page instead. */
int page_need_draft(const struct web_request *req, struct store_registration *reg, int *ret);

struct form;
struct form_decl;
struct refusal;

/* Parses a posted form (urlencoded, or multipart for WEB_BODY_UPLOAD routes) into
 * f (form_init'ed here; the caller releases it) and checks its CSRF token.
 * Returns 0, or -1 with why filled at field: 400 unreadable or 413 too large
 * (MSG_FORM_UNREADABLE, MSG_BODY_TOO_LARGE), 403 token mismatch (MSG_FORM_EXPIRED). */
int page_read_form(const struct web_request *req, const struct form_decl *decl, struct form *f,
                   const char *field, struct refusal *why);

#endif
