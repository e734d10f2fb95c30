/*
 * routes: the table of every URL padron answers, with the input each declares.
 *
 * Invariants:
 * - A request reaches a handler only through this table: method, path shape,
 *   body kind and body size are checked by the server before the handler runs;
 *   anything undeclared is refused (404, 405, 411, 413, 415).
 * - A "{}" segment matches 1-64 characters of [0-9A-Za-z_-]; its value is handed
 *   to the handler in req->params.
 */
#ifndef PADRON_WEB_ROUTES_H
#define PADRON_WEB_ROUTES_H

#include "web/http.h"

#include <stdbool.h>
#include <stddef.h>

enum web_body {
    WEB_BODY_NONE,
    WEB_BODY_JSON,   /* application/json */
    WEB_BODY_IMAGE,  /* image/jpeg or image/png */
    WEB_BODY_FORM,   /* application/x-www-form-urlencoded (an HTML form) */
    WEB_BODY_UPLOAD, /* multipart/form-data (an HTML form with a file) */
};

struct web_route {
    const char *method; /* "GET" also answers HEAD */
    const char *pattern;
    enum web_body body;
    size_t max_body;
    int (*handler)(const struct web_request *req);
};

#define WEB_PARAM_MAX 64

/* Finds the route for method and path (no query string). On success returns it
 * and copies the {} values into params_buf (2 * (WEB_PARAM_MAX + 1) bytes), with
 * params pointing into it. On failure returns NULL and sets *status to 404 (no
 * such path) or 405 (path exists, not with this method). */
const struct web_route *web_route_match(const char *method, const char *path,
                                        char params_buf[2 * (WEB_PARAM_MAX + 1)],
                                        const char *params[WEB_MAX_PARAMS], unsigned *status);

/* Handlers, one file per page or endpoint group. */
int page_home(const struct web_request *req);
int page_healthz(const struct web_request *req);
/* An HTML page telling why a request to a page was refused (404, 405, 413, ...). */
int page_refusal(const struct web_request *req, unsigned status, enum i18n_msg msg);
/* The same page with a refusal's own status and message: a form page_read_form
 * refused (expired, unreadable, too large), a lookup refused (not found, throttled). */
struct refusal;
int page_refused(const struct web_request *req, const struct refusal *why);
int page_requirements(const struct web_request *req);
int page_coverage(const struct web_request *req);
int page_curp_get(const struct web_request *req);
int page_curp_post(const struct web_request *req);
int page_contact_get(const struct web_request *req);
int page_contact_post(const struct web_request *req);
int page_verification_get(const struct web_request *req);
int page_verification_post(const struct web_request *req);
int page_verification_resend(const struct web_request *req);
int page_phone_get(const struct web_request *req);
int page_phone_post(const struct web_request *req);
int page_phone_resend(const struct web_request *req);
int page_email_change_get(const struct web_request *req);
int page_email_change_post(const struct web_request *req);
int page_email_change_resend(const struct web_request *req);
int page_account_phone_get(const struct web_request *req);
int page_account_phone_post(const struct web_request *req);
int page_account_phone_resend(const struct web_request *req);
int page_account_contact_get(const struct web_request *req);
int page_account_contact_post(const struct web_request *req);
int page_status(const struct web_request *req);
int page_password_get(const struct web_request *req);
int page_password_post(const struct web_request *req);
int page_address_get(const struct web_request *req);
int page_address_post(const struct web_request *req);
int page_documents_get(const struct web_request *req);
int page_document_post(const struct web_request *req);
int page_document_image(const struct web_request *req);
int page_review(const struct web_request *req);
int page_submit(const struct web_request *req);
int page_done(const struct web_request *req);
int page_signin_get(const struct web_request *req);
int page_signin_post(const struct web_request *req);
int page_signout(const struct web_request *req);
int page_account(const struct web_request *req);
int page_account_document(const struct web_request *req);
int page_move_get(const struct web_request *req);
int page_move_post(const struct web_request *req);
int page_reset_get(const struct web_request *req);
int page_reset_post(const struct web_request *req);
int page_reset_code_get(const struct web_request *req);
int page_reset_code_post(const struct web_request *req);
int api_registration_create(const struct web_request *req);
int api_registration_get(const struct web_request *req);
int api_registration_contact(const struct web_request *req);
int api_registration_identity(const struct web_request *req);
int page_identity_post(const struct web_request *req);
int api_privacy_notice(const struct web_request *req);
int api_registration_password(const struct web_request *req);
int api_registration_address(const struct web_request *req);
int api_postal_code(const struct web_request *req);
int api_document_put(const struct web_request *req);
int api_document_get(const struct web_request *req);
int api_registration_submit(const struct web_request *req);
int api_session_create(const struct web_request *req);
int api_session_delete(const struct web_request *req);
int api_password_reset_request(const struct web_request *req);
int api_password_reset_confirm(const struct web_request *req);
int api_email_verification(const struct web_request *req);
int api_email_verification_resend(const struct web_request *req);
int api_phone_verification(const struct web_request *req);
int api_contact_change(const struct web_request *req);
int api_email_change_verification(const struct web_request *req);
int api_phone_verification_resend(const struct web_request *req);
/* The names step and its correction (api_names.c, page_names.c). */
int api_registration_names(const struct web_request *req);
int page_names_get(const struct web_request *req);
int page_names_post(const struct web_request *req);
int page_name_correction_get(const struct web_request *req);
int page_name_correction_post(const struct web_request *req);
int api_trust_list(const struct web_request *req);
/* Credentials, letters and verification (api_issued.c), the revocation list (api_trust.c). */
int api_me_credential(const struct web_request *req);
int api_me_clinic(const struct web_request *req);
int api_facilities(const struct web_request *req);
int api_facility(const struct web_request *req);
int page_facility(const struct web_request *req);
int api_me_credential_pdf(const struct web_request *req);
int api_letter_create(const struct web_request *req);
int api_letter_get(const struct web_request *req);
int api_letter_pdf(const struct web_request *req);
int api_verify(const struct web_request *req);
int api_revoked_list(const struct web_request *req);
/* Staff: sign-in, password, the desk's person lookup (api_staff.c, page_staff.c). */
int api_staff_session_create(const struct web_request *req);
int api_staff_session_delete(const struct web_request *req);
int api_staff_password(const struct web_request *req);
int api_staff_person(const struct web_request *req);
int api_staff_person_lookup(const struct web_request *req);
int api_staff_person_document(const struct web_request *req);
int api_me_accesses(const struct web_request *req);

/* referrals (api_referrals.c) */
int api_staff_referral_create(const struct web_request *req);
int api_staff_referrals(const struct web_request *req);
int api_staff_referral_event(const struct web_request *req);
int api_staff_referral_suggest(const struct web_request *req);
int api_staff_study_create(const struct web_request *req);
int api_staff_diagnoses(const struct web_request *req);
int api_me_referrals(const struct web_request *req);
int page_staff_referrals(const struct web_request *req);
int page_staff_referral_create(const struct web_request *req);
int page_staff_referral_change(const struct web_request *req);
int page_account_referrals(const struct web_request *req);
int page_staff_signin_get(const struct web_request *req);
int page_staff_signin_post(const struct web_request *req);
int page_staff_signout(const struct web_request *req);
int page_staff_password_get(const struct web_request *req);
int page_staff_password_post(const struct web_request *req);
int page_staff_person(const struct web_request *req);
int page_staff_person_post(const struct web_request *req);
int page_staff_person_document(const struct web_request *req);
/* Emergencies at hospital units (api_emergency.c, page_emergency.c). */
int api_staff_emergency_open(const struct web_request *req);
int api_staff_emergency_list(const struct web_request *req);
int api_staff_emergency_get(const struct web_request *req);
int api_staff_emergency_event(const struct web_request *req);
int page_staff_emergencies(const struct web_request *req);
int page_staff_emergency_open(const struct web_request *req);
int page_staff_emergency_event(const struct web_request *req);
/* A unit administrator's override of a home clinic (api_staff_clinic.c, page_staff.c). */
int api_staff_person_clinic(const struct web_request *req);
int page_staff_person_clinic(const struct web_request *req);
/* Figures of a unit or of a state's units (api_figures.c). */
int api_staff_figures(const struct web_request *req);
int page_staff_figures(const struct web_request *req);
/* Assisted enrollment at a unit's desk (api_assisted.c). */
int api_staff_enrollment_start(const struct web_request *req);
int api_staff_enrollment_get(const struct web_request *req);
int api_staff_enrollment_names(const struct web_request *req);
int api_staff_enrollment_contact(const struct web_request *req);
int api_staff_enrollment_email_code(const struct web_request *req);
int api_staff_enrollment_identity(const struct web_request *req);
int api_staff_enrollment_id_check(const struct web_request *req);
int api_staff_enrollment_password(const struct web_request *req);
int api_staff_enrollment_address(const struct web_request *req);
int api_staff_enrollment_document(const struct web_request *req);
int api_staff_enrollment_submit(const struct web_request *req);
int api_staff_enrollment_credential_pdf(const struct web_request *req);
/* Its pages at the desk (page_assisted.c). */
int page_assisted_start_get(const struct web_request *req);
int page_assisted_start_post(const struct web_request *req);
int page_assisted_get(const struct web_request *req);
int page_assisted_step_post(const struct web_request *req);
int page_assisted_document_post(const struct web_request *req);
int page_assisted_credential(const struct web_request *req);

/* Reception: check-in, the unit's list of the day, status changes (api_reception.c,
 * page_reception.c). */
int api_staff_checkin(const struct web_request *req);
int api_staff_queue(const struct web_request *req);
int api_staff_appointment_status(const struct web_request *req);
int page_reception_get(const struct web_request *req);
int page_reception_checkin(const struct web_request *req);
int page_reception_status(const struct web_request *req);
/* Their pages: the credential (page_credential.c), the letters (page_letters.c)
 * and verification (page_verify.c). */
int page_credential(const struct web_request *req);
int page_credential_pdf(const struct web_request *req);
int page_letters_get(const struct web_request *req);
int page_letters_post(const struct web_request *req);
int page_letter_pdf(const struct web_request *req);
int page_letter_status(const struct web_request *req);
int page_verify_get(const struct web_request *req);
int page_verify_post(const struct web_request *req);
int page_verify_photo_post(const struct web_request *req);

/* Appointments at the home clinic: the API (api_appointments.c) and the account
 * page (page_appointments.c). */
int api_me_appointment_slots(const struct web_request *req);
int api_me_appointments(const struct web_request *req);
int api_me_appointment_create(const struct web_request *req);
int api_me_appointment_move(const struct web_request *req);
int api_me_appointment_cancel(const struct web_request *req);
int page_appointments_get(const struct web_request *req);
int page_appointments_post(const struct web_request *req);
int page_appointment_cancel(const struct web_request *req);

/* Staff review of a suspension: the API (api_suspension.c) and the page
 * (page_suspension.c); the rules are web/suspension_review.h's. */
int api_staff_suspension_lookup(const struct web_request *req);
int api_staff_suspension_review(const struct web_request *req);
int page_staff_suspension(const struct web_request *req);
int page_staff_suspension_post(const struct web_request *req);
int page_staff_suspension_decide(const struct web_request *req);

#endif
