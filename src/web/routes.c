#include "web/routes.h"

#include "media/photo.h"

#include <string.h>

#define JSON_SMALL (16 * 1024)
#define FORM_SMALL (16 * 1024)
/* A photo and the few fields of its form (multipart framing included). */
#define UPLOAD_MAX (PHOTO_MAX_BYTES + 16 * 1024)

static const struct web_route routes[] = {
    {"GET", "/", WEB_BODY_NONE, 0, page_home},
    {"GET", "/healthz", WEB_BODY_NONE, 0, page_healthz},
    {"GET", "/.well-known/padron/trust-list", WEB_BODY_NONE, 0, api_trust_list},
    {"GET", "/requisitos", WEB_BODY_NONE, 0, page_requirements},
    {"GET", "/cobertura", WEB_BODY_NONE, 0, page_coverage},
    {"GET", "/registro/curp", WEB_BODY_NONE, 0, page_curp_get},
    {"POST", "/registro/curp", WEB_BODY_FORM, FORM_SMALL, page_curp_post},
    {"GET", "/registro/nombre", WEB_BODY_NONE, 0, page_names_get},
    {"POST", "/registro/nombre", WEB_BODY_FORM, FORM_SMALL, page_names_post},
    {"GET", "/registro/contacto", WEB_BODY_NONE, 0, page_contact_get},
    {"POST", "/registro/contacto", WEB_BODY_FORM, FORM_SMALL, page_contact_post},
    {"GET", "/registro/verificacion", WEB_BODY_NONE, 0, page_verification_get},
    {"POST", "/registro/verificacion", WEB_BODY_FORM, FORM_SMALL, page_verification_post},
    {"POST", "/registro/verificacion/reenviar", WEB_BODY_FORM, FORM_SMALL,
     page_verification_resend},
    {"GET", "/registro/celular", WEB_BODY_NONE, 0, page_phone_get},
    {"POST", "/registro/celular", WEB_BODY_FORM, FORM_SMALL, page_phone_post},
    {"POST", "/registro/celular/reenviar", WEB_BODY_FORM, FORM_SMALL, page_phone_resend},
    {"GET", "/registro/estado", WEB_BODY_NONE, 0, page_status},
    {"GET", "/registro/contrasena", WEB_BODY_NONE, 0, page_password_get},
    {"POST", "/registro/contrasena", WEB_BODY_FORM, FORM_SMALL, page_password_post},
    {"GET", "/registro/domicilio", WEB_BODY_NONE, 0, page_address_get},
    {"POST", "/registro/domicilio", WEB_BODY_FORM, FORM_SMALL, page_address_post},
    {"GET", "/registro/documentos", WEB_BODY_NONE, 0, page_documents_get},
    {"POST", "/registro/identificacion", WEB_BODY_FORM, FORM_SMALL, page_identity_post},
    {"POST", "/registro/documentos/{}", WEB_BODY_UPLOAD, UPLOAD_MAX, page_document_post},
    {"GET", "/registro/documentos/{}", WEB_BODY_NONE, 0, page_document_image},
    {"GET", "/registro/revision", WEB_BODY_NONE, 0, page_review},
    {"POST", "/registro/enviar", WEB_BODY_FORM, FORM_SMALL, page_submit},
    {"GET", "/registro/listo", WEB_BODY_NONE, 0, page_done},
    {"GET", "/entrar", WEB_BODY_NONE, 0, page_signin_get},
    {"POST", "/entrar", WEB_BODY_FORM, FORM_SMALL, page_signin_post},
    {"POST", "/salir", WEB_BODY_FORM, FORM_SMALL, page_signout},
    {"GET", "/cuenta", WEB_BODY_NONE, 0, page_account},
    {"GET", "/cuenta/documentos/{}", WEB_BODY_NONE, 0, page_account_document},
    {"GET", "/cuenta/contacto", WEB_BODY_NONE, 0, page_account_contact_get},
    {"POST", "/cuenta/contacto", WEB_BODY_FORM, FORM_SMALL, page_account_contact_post},
    {"GET", "/cuenta/correo", WEB_BODY_NONE, 0, page_email_change_get},
    {"POST", "/cuenta/correo", WEB_BODY_FORM, FORM_SMALL, page_email_change_post},
    {"POST", "/cuenta/correo/reenviar", WEB_BODY_FORM, FORM_SMALL, page_email_change_resend},
    {"GET", "/cuenta/celular", WEB_BODY_NONE, 0, page_account_phone_get},
    {"POST", "/cuenta/celular", WEB_BODY_FORM, FORM_SMALL, page_account_phone_post},
    {"POST", "/cuenta/celular/reenviar", WEB_BODY_FORM, FORM_SMALL, page_account_phone_resend},
    {"GET", "/cuenta/domicilio", WEB_BODY_NONE, 0, page_move_get},
    {"POST", "/cuenta/domicilio", WEB_BODY_FORM, FORM_SMALL, page_move_post},
    {"GET", "/cuenta/nombre", WEB_BODY_NONE, 0, page_name_correction_get},
    {"POST", "/cuenta/nombre", WEB_BODY_FORM, FORM_SMALL, page_name_correction_post},
    {"GET", "/cuenta/citas", WEB_BODY_NONE, 0, page_appointments_get},
    {"POST", "/cuenta/citas", WEB_BODY_FORM, FORM_SMALL, page_appointments_post},
    {"POST", "/cuenta/citas/{}/cancelar", WEB_BODY_FORM, FORM_SMALL, page_appointment_cancel},
    {"GET", "/cuenta/credencial", WEB_BODY_NONE, 0, page_credential},
    {"GET", "/cuenta/credencial.pdf", WEB_BODY_NONE, 0, page_credential_pdf},
    {"GET", "/cartas", WEB_BODY_NONE, 0, page_letters_get},
    {"POST", "/cartas", WEB_BODY_FORM, FORM_SMALL, page_letters_post},
    {"POST", "/cartas/{}/pdf", WEB_BODY_FORM, FORM_SMALL, page_letter_pdf},
    {"GET", "/cartas/{}", WEB_BODY_NONE, 0, page_letter_status},
    {"GET", "/verificar", WEB_BODY_NONE, 0, page_verify_get},
    {"POST", "/verificar", WEB_BODY_FORM, FORM_SMALL, page_verify_post},
    {"POST", "/verificar/foto", WEB_BODY_UPLOAD, UPLOAD_MAX, page_verify_photo_post},
    {"GET", "/recuperar", WEB_BODY_NONE, 0, page_reset_get},
    {"POST", "/recuperar", WEB_BODY_FORM, FORM_SMALL, page_reset_post},
    {"GET", "/recuperar/codigo", WEB_BODY_NONE, 0, page_reset_code_get},
    {"POST", "/recuperar/codigo", WEB_BODY_FORM, FORM_SMALL, page_reset_code_post},
    {"POST", "/api/v1/registrations", WEB_BODY_JSON, JSON_SMALL, api_registration_create},
    {"GET", "/api/v1/registrations/{}", WEB_BODY_NONE, 0, api_registration_get},
    {"PUT", "/api/v1/registrations/{}/contact", WEB_BODY_JSON, JSON_SMALL,
     api_registration_contact},
    {"POST", "/api/v1/registrations/{}/email-verification", WEB_BODY_JSON, JSON_SMALL,
     api_email_verification},
    {"POST", "/api/v1/registrations/{}/email-verification/resend", WEB_BODY_NONE, 0,
     api_email_verification_resend},
    {"PUT", "/api/v1/registrations/{}/contact-change", WEB_BODY_JSON, JSON_SMALL,
     api_contact_change},
    {"POST", "/api/v1/registrations/{}/email-change-verification", WEB_BODY_JSON, JSON_SMALL,
     api_email_change_verification},
    {"POST", "/api/v1/registrations/{}/phone-verification", WEB_BODY_JSON, JSON_SMALL,
     api_phone_verification},
    {"POST", "/api/v1/registrations/{}/phone-verification/resend", WEB_BODY_NONE, 0,
     api_phone_verification_resend},
    {"PUT", "/api/v1/registrations/{}/identity", WEB_BODY_JSON, JSON_SMALL,
     api_registration_identity},
    {"PUT", "/api/v1/registrations/{}/names", WEB_BODY_JSON, JSON_SMALL, api_registration_names},
    {"PUT", "/api/v1/registrations/{}/password", WEB_BODY_JSON, JSON_SMALL,
     api_registration_password},
    {"PUT", "/api/v1/registrations/{}/address", WEB_BODY_JSON, JSON_SMALL,
     api_registration_address},
    {"PUT", "/api/v1/registrations/{}/documents/{}", WEB_BODY_IMAGE, PHOTO_MAX_BYTES,
     api_document_put},
    {"GET", "/api/v1/registrations/{}/documents/{}", WEB_BODY_NONE, 0, api_document_get},
    {"POST", "/api/v1/registrations/{}/submit", WEB_BODY_NONE, 0, api_registration_submit},
    {"POST", "/api/v1/sessions", WEB_BODY_JSON, JSON_SMALL, api_session_create},
    {"DELETE", "/api/v1/sessions", WEB_BODY_NONE, 0, api_session_delete},
    {"POST", "/api/v1/password-resets", WEB_BODY_JSON, JSON_SMALL, api_password_reset_request},
    {"POST", "/api/v1/password-resets/confirm", WEB_BODY_JSON, JSON_SMALL,
     api_password_reset_confirm},
    {"GET", "/api/v1/me/credential", WEB_BODY_NONE, 0, api_me_credential},
    {"PUT", "/api/v1/me/clinic", WEB_BODY_JSON, JSON_SMALL, api_me_clinic},
    {"GET", "/api/v1/me/appointments/slots", WEB_BODY_NONE, 0, api_me_appointment_slots},
    {"GET", "/api/v1/me/appointments", WEB_BODY_NONE, 0, api_me_appointments},
    {"POST", "/api/v1/me/appointments", WEB_BODY_JSON, JSON_SMALL, api_me_appointment_create},
    {"PUT", "/api/v1/me/appointments/{}", WEB_BODY_JSON, JSON_SMALL, api_me_appointment_move},
    {"DELETE", "/api/v1/me/appointments/{}", WEB_BODY_NONE, 0, api_me_appointment_cancel},
    {"GET", "/api/v1/facilities", WEB_BODY_NONE, 0, api_facilities},
    {"GET", "/api/v1/facilities/{}", WEB_BODY_NONE, 0, api_facility},
    {"GET", "/unidades/{}", WEB_BODY_NONE, 0, page_facility},
    {"GET", "/api/v1/me/credential/pdf", WEB_BODY_NONE, 0, api_me_credential_pdf},
    {"POST", "/api/v1/letters", WEB_BODY_JSON, JSON_SMALL, api_letter_create},
    {"GET", "/api/v1/letters/{}", WEB_BODY_NONE, 0, api_letter_get},
    {"GET", "/api/v1/letters/{}/pdf", WEB_BODY_NONE, 0, api_letter_pdf},
    {"POST", "/api/v1/verify", WEB_BODY_JSON, JSON_SMALL, api_verify},
    {"GET", "/.well-known/padron/revoked", WEB_BODY_NONE, 0, api_revoked_list},
    {"GET", "/personal/entrar", WEB_BODY_NONE, 0, page_staff_signin_get},
    {"POST", "/personal/entrar", WEB_BODY_FORM, FORM_SMALL, page_staff_signin_post},
    {"POST", "/personal/salir", WEB_BODY_FORM, FORM_SMALL, page_staff_signout},
    {"GET", "/personal/contrasena", WEB_BODY_NONE, 0, page_staff_password_get},
    {"POST", "/personal/contrasena", WEB_BODY_FORM, FORM_SMALL, page_staff_password_post},
    {"GET", "/personal/persona", WEB_BODY_NONE, 0, page_staff_person},
    {"POST", "/personal/persona", WEB_BODY_FORM, FORM_SMALL, page_staff_person_post},
    {"GET", "/personal/persona/{}/documentos/{}", WEB_BODY_NONE, 0, page_staff_person_document},
    {"POST", "/api/v1/staff/sessions", WEB_BODY_JSON, JSON_SMALL, api_staff_session_create},
    {"DELETE", "/api/v1/staff/sessions", WEB_BODY_NONE, 0, api_staff_session_delete},
    {"POST", "/api/v1/staff/password", WEB_BODY_JSON, JSON_SMALL, api_staff_password},
    {"POST", "/api/v1/staff/people/lookup", WEB_BODY_JSON, JSON_SMALL, api_staff_person_lookup},
    {"GET", "/api/v1/staff/people/{}", WEB_BODY_NONE, 0, api_staff_person},
    {"GET", "/api/v1/staff/people/{}/documents/{}", WEB_BODY_NONE, 0, api_staff_person_document},
    /* Emergencies at hospital units (api_emergency.c, page_emergency.c). */
    {"POST", "/api/v1/staff/emergencies", WEB_BODY_JSON, JSON_SMALL, api_staff_emergency_open},
    {"GET", "/api/v1/staff/emergencies", WEB_BODY_NONE, 0, api_staff_emergency_list},
    {"GET", "/api/v1/staff/emergencies/{}", WEB_BODY_NONE, 0, api_staff_emergency_get},
    {"POST", "/api/v1/staff/emergencies/{}/events", WEB_BODY_JSON, JSON_SMALL,
     api_staff_emergency_event},
    {"GET", "/personal/urgencias", WEB_BODY_NONE, 0, page_staff_emergencies},
    {"POST", "/personal/urgencias", WEB_BODY_FORM, FORM_SMALL, page_staff_emergency_open},
    {"POST", "/personal/urgencias/evento", WEB_BODY_FORM, FORM_SMALL, page_staff_emergency_event},
    /* A unit administrator's override of a home clinic (api_staff_clinic.c, page_staff.c). */
    {"PUT", "/api/v1/staff/people/clinic", WEB_BODY_JSON, JSON_SMALL, api_staff_person_clinic},
    {"POST", "/personal/persona/unidad", WEB_BODY_FORM, FORM_SMALL, page_staff_person_clinic},
    /* Figures of a unit or of a state's units (api_figures.c). */
    {"GET", "/api/v1/staff/figures", WEB_BODY_NONE, 0, api_staff_figures},
    {"GET", "/personal/cifras", WEB_BODY_NONE, 0, page_staff_figures},
    {"GET", "/api/v1/me/accesses", WEB_BODY_NONE, 0, api_me_accesses},
    /* Assisted enrollment at a unit's desk (api_assisted.c). */
    {"POST", "/api/v1/staff/enrollments", WEB_BODY_JSON, JSON_SMALL, api_staff_enrollment_start},
    {"GET", "/api/v1/staff/enrollments/{}", WEB_BODY_NONE, 0, api_staff_enrollment_get},
    {"PUT", "/api/v1/staff/enrollments/{}/names", WEB_BODY_JSON, JSON_SMALL,
     api_staff_enrollment_names},
    {"PUT", "/api/v1/staff/enrollments/{}/contact", WEB_BODY_JSON, JSON_SMALL,
     api_staff_enrollment_contact},
    {"POST", "/api/v1/staff/enrollments/{}/email-verification", WEB_BODY_JSON, JSON_SMALL,
     api_staff_enrollment_email_code},
    {"PUT", "/api/v1/staff/enrollments/{}/identity", WEB_BODY_JSON, JSON_SMALL,
     api_staff_enrollment_identity},
    {"POST", "/api/v1/staff/enrollments/{}/identity-verification", WEB_BODY_JSON, JSON_SMALL,
     api_staff_enrollment_id_check},
    {"PUT", "/api/v1/staff/enrollments/{}/password", WEB_BODY_JSON, JSON_SMALL,
     api_staff_enrollment_password},
    {"PUT", "/api/v1/staff/enrollments/{}/address", WEB_BODY_JSON, JSON_SMALL,
     api_staff_enrollment_address},
    {"PUT", "/api/v1/staff/enrollments/{}/documents/{}", WEB_BODY_IMAGE, PHOTO_MAX_BYTES,
     api_staff_enrollment_document},
    {"POST", "/api/v1/staff/enrollments/{}/submit", WEB_BODY_NONE, 0, api_staff_enrollment_submit},
    {"GET", "/api/v1/staff/enrollments/{}/credential/pdf", WEB_BODY_NONE, 0,
     api_staff_enrollment_credential_pdf},
    {"GET", "/personal/inscripcion", WEB_BODY_NONE, 0, page_assisted_start_get},
    {"POST", "/personal/inscripcion", WEB_BODY_FORM, FORM_SMALL, page_assisted_start_post},
    {"GET", "/personal/inscripcion/{}", WEB_BODY_NONE, 0, page_assisted_get},
    {"POST", "/personal/inscripcion/{}/{}", WEB_BODY_FORM, FORM_SMALL, page_assisted_step_post},
    {"POST", "/personal/inscripcion/{}/documentos/{}", WEB_BODY_UPLOAD, UPLOAD_MAX,
     page_assisted_document_post},
    {"GET", "/personal/inscripcion/{}/credencial.pdf", WEB_BODY_NONE, 0, page_assisted_credential},
    /* referrals */
    {"GET", "/api/v1/staff/referrals/suggest", WEB_BODY_NONE, 0, api_staff_referral_suggest},
    {"POST", "/api/v1/staff/referrals", WEB_BODY_JSON, JSON_SMALL, api_staff_referral_create},
    {"GET", "/api/v1/staff/referrals", WEB_BODY_NONE, 0, api_staff_referrals},
    {"POST", "/api/v1/staff/referrals/{}/events", WEB_BODY_JSON, JSON_SMALL,
     api_staff_referral_event},
    {"POST", "/api/v1/staff/studies", WEB_BODY_JSON, JSON_SMALL, api_staff_study_create},
    {"GET", "/api/v1/staff/diagnoses", WEB_BODY_NONE, 0, api_staff_diagnoses},
    {"GET", "/api/v1/me/referrals", WEB_BODY_NONE, 0, api_me_referrals},
    {"GET", "/personal/referencias", WEB_BODY_NONE, 0, page_staff_referrals},
    {"POST", "/personal/referencias", WEB_BODY_FORM, FORM_SMALL, page_staff_referral_create},
    {"POST", "/personal/referencias/{}", WEB_BODY_FORM, FORM_SMALL, page_staff_referral_change},
    {"GET", "/cuenta/referencias", WEB_BODY_NONE, 0, page_account_referrals},
    /* reception: check-in, the unit's list of the day, status changes */
    {"POST", "/api/v1/staff/checkins", WEB_BODY_JSON, JSON_SMALL, api_staff_checkin},
    {"GET", "/api/v1/staff/queue", WEB_BODY_NONE, 0, api_staff_queue},
    {"PUT", "/api/v1/staff/appointments/{}/status", WEB_BODY_JSON, JSON_SMALL,
     api_staff_appointment_status},
    {"GET", "/personal/recepcion", WEB_BODY_NONE, 0, page_reception_get},
    {"POST", "/personal/recepcion", WEB_BODY_FORM, FORM_SMALL, page_reception_checkin},
    {"POST", "/personal/recepcion/citas/{}", WEB_BODY_FORM, FORM_SMALL, page_reception_status},
    /* Staff review of a suspension (api_suspension.c, page_suspension.c). */
    {"POST", "/api/v1/staff/suspensions/lookup", WEB_BODY_JSON, JSON_SMALL,
     api_staff_suspension_lookup},
    {"POST", "/api/v1/staff/suspensions/reviews", WEB_BODY_JSON, JSON_SMALL,
     api_staff_suspension_review},
    {"GET", "/personal/suspension", WEB_BODY_NONE, 0, page_staff_suspension},
    {"POST", "/personal/suspension", WEB_BODY_FORM, FORM_SMALL, page_staff_suspension_post},
    {"POST", "/personal/suspension/decision", WEB_BODY_FORM, FORM_SMALL,
     page_staff_suspension_decide},
    {"GET", "/api/v1/privacy-notice", WEB_BODY_NONE, 0, api_privacy_notice},
    {"GET", "/api/v1/postal-codes/{}", WEB_BODY_NONE, 0, api_postal_code},
};

static bool param_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
}

/* Matches path against pattern, filling params; true on a match. */
static bool match(const char *pattern, const char *path, char *buf, const char *params[])
{
    int n = 0;
    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            size_t len = 0;
            while (param_char(path[len]))
                len++;
            if (len == 0 || len > WEB_PARAM_MAX || n == WEB_MAX_PARAMS)
                return false;
            char *dst = buf + n * (WEB_PARAM_MAX + 1);
            memcpy(dst, path, len);
            dst[len] = '\0';
            params[n++] = dst;
            pattern += 2;
            path += len;
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

const struct web_route *web_route_match(const char *method, const char *path,
                                        char params_buf[2 * (WEB_PARAM_MAX + 1)],
                                        const char *params[WEB_MAX_PARAMS], unsigned *status)
{
    bool path_exists = false;
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!match(routes[i].pattern, path, params_buf, params))
            continue;
        path_exists = true;
        if (strcmp(routes[i].method, m) == 0)
            return &routes[i];
    }
    *status = path_exists ? 405 : 404;
    return NULL;
}
