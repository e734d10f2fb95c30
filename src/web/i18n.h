/*
 * i18n: every text padron shows a person, in Spanish and English.
 *
 * Invariants:
 * - Each message exists in both languages (a unit test walks the table).
 * - Spanish is the default; English is chosen only when asked for.
 * - Messages are whole sentences in plain language: they say what is wrong and
 *   what the person can do, never an internal detail.
 */
#ifndef PADRON_WEB_I18N_H
#define PADRON_WEB_I18N_H

#include <stddef.h>

struct curp_result;
struct person_name_mismatch;

enum i18n_lang { I18N_ES = 0, I18N_EN = 1 };

enum i18n_msg {
    MSG_NOT_FOUND,
    MSG_METHOD_NOT_ALLOWED,
    MSG_UNSUPPORTED_MEDIA_TYPE,
    MSG_BODY_TOO_LARGE,
    MSG_LENGTH_REQUIRED,
    MSG_INVALID_JSON,
    MSG_NOT_AN_OBJECT,
    MSG_UNKNOWN_FIELD,
    MSG_FIELD_REQUIRED,
    MSG_FIELD_NOT_TEXT,
    MSG_UNAUTHORIZED,
    MSG_REGISTRATION_NOT_FOUND,
    MSG_ALREADY_ENROLLED,
    MSG_AFFILIATED_IMSS,
    MSG_AFFILIATED_ISSSTE,
    MSG_RATE_LIMITED,
    MSG_NOT_A_DRAFT,
    MSG_STATE_UNKNOWN,
    MSG_PHONE_CHARSET,
    MSG_PHONE_LENGTH,
    MSG_PHONE_AREA,
    MSG_PHONE_COUNTRY,
    MSG_EMAIL_INVALID,
    MSG_EMAIL_LENGTH,
    MSG_PRIVACY_OUTDATED,
    MSG_CODE_SHAPE,
    MSG_CODE_WRONG,
    MSG_CODE_EXPIRED,
    MSG_CODE_EXHAUSTED,
    MSG_CODE_NONE,
    MSG_CODE_THROTTLED,
    MSG_NO_EMAIL_YET,
    MSG_POSTAL_CODE_SHAPE,
    MSG_POSTAL_CODE_UNKNOWN,
    MSG_POSTAL_CODE_OTHER_STATE,
    MSG_POSTAL_CODE_OTHER_MUNICIPALITY,
    MSG_MUNICIPALITY_UNKNOWN,
    MSG_SETTLEMENT_UNKNOWN,
    MSG_TEXT_TOO_LONG,
    MSG_TEXT_INVALID,
    MSG_POSTAL_NOT_IMPORTED,
    MSG_DOCUMENT_KIND_UNKNOWN,
    MSG_DOCUMENT_MISSING,
    MSG_PHOTO_TYPE,
    MSG_PHOTO_SIZE,
    MSG_PHOTO_DIMENSIONS,
    MSG_PHOTO_UNREADABLE,
    MSG_PHOTO_TOO_SMALL,
    MSG_INCOMPLETE,
    MSG_STEP_NAMES,
    MSG_STEP_CONTACT,
    MSG_STEP_EMAIL,
    MSG_STEP_PRIVACY,
    MSG_STEP_PASSWORD,
    MSG_STEP_ADDRESS,
    MSG_STEP_ID_FRONT,
    MSG_STEP_ID_BACK,
    MSG_STEP_FACE,
    MSG_STEP_MIGRATION,
    MSG_IDENTITY_INVALID,
    MSG_DOC_MIGRATION,
    MSG_BAD_CREDENTIALS,
    MSG_LOGIN_THROTTLED,
    MSG_PASSWORD_SAVED,
    MSG_DOC_ID_FRONT,
    MSG_DOC_ID_BACK,
    MSG_DOC_FACE,
    MSG_SMS_OFF,
    MSG_NOT_ACTIVE,
    MSG_NO_PHONE_YET,
    MSG_FORM_EXPIRED,
    MSG_FORM_UNREADABLE,
    MSG_PASSWORDS_DIFFER,
    MSG_NAME_NO_LETTER,
    MSG_CREDENTIAL_NO_NAMES,
    MSG_CREDENTIAL_NOT_ACTIVE,
    MSG_INSTITUTION_UNKNOWN,
    MSG_LETTER_AFFILIATED_IMSS,
    MSG_LETTER_AFFILIATED_ISSSTE,
    MSG_LETTER_NO_ROLL,
    MSG_LETTER_NOT_FOUND,
    MSG_LETTER_KEY_IN_URL,
    MSG_STAFF_KEY_IN_URL,
    MSG_POSITION_INVALID,
    MSG_CLINIC_NOT_ACTIVE,
    MSG_CLINIC_UNKNOWN,
    MSG_CLINIC_NOT_LEVEL_1,
    MSG_CLINIC_TOO_FAR,
    MSG_CLINIC_OTHER_STATE,
    MSG_FACILITY_NOT_FOUND,
    MSG_NEAR_INVALID,
    MSG_APPT_NOT_ACTIVE,
    MSG_APPT_NO_CLINIC,
    MSG_APPT_NOT_YOUR_CLINIC,
    MSG_APPT_HOURS_UNKNOWN,
    MSG_APPT_DATE_INVALID,
    MSG_APPT_DATE_RANGE,
    MSG_APPT_CLOSED_WEEKDAY,
    MSG_APPT_CLOSED_DAY,
    MSG_APPT_TIME_INVALID,
    MSG_APPT_SLOT_STARTED,
    MSG_APPT_ALREADY_BOOKED,
    MSG_APPT_SLOT_FULL,
    MSG_APPT_NOT_FOUND,
    /* A suspended enrollment (padron crosscheck --suspend): no credential, no check-in. */
    MSG_SUSPENDED_IMSS,
    MSG_SUSPENDED_ISSSTE,
    /* The database out of reach for a moment (a restart): HTTP 503. */
    MSG_UNAVAILABLE,
    MSG_INTERNAL,
    MSG_COUNT
};

/* The text of msg in lang. */
const char *i18n(enum i18n_lang lang, enum i18n_msg msg);

/* "es" or "en". */
const char *i18n_code(enum i18n_lang lang);

/* Why a state that is not part of IMSS-Bienestar cannot be chosen, and where its
 * people get care instead, naming the state; written into buf. */
void i18n_state_not_participating(enum i18n_lang lang, const char *state_name, char *buf,
                                  size_t size);

/* The mails that carry a one-time code. */
enum i18n_mail { I18N_MAIL_VERIFY, I18N_MAIL_RESET, I18N_MAIL_CHANGE };

/* The subject and body of the mail carrying a code of that kind. */
void i18n_code_mail(enum i18n_lang lang, enum i18n_mail kind, const char *code, int minutes,
                    char *subject, size_t subject_size, char *body, size_t body_size);

/* The subject and body of the mail carrying a Carta de No Afiliación (attached)
 * to institution, with its folio and verification URL. */
void i18n_letter_mail(enum i18n_lang lang, const char *institution, const char *folio,
                      const char *url, char *subject, size_t subject_size, char *body,
                      size_t body_size);

/* The subject and body of the mail confirming an appointment (booked or moved)
 * at clinic on date (YYYY-MM-DD) in the slot slot_text ("09:00–09:20"), to
 * arrive in arrival_text ("09:07–09:13"). */
void i18n_appointment_mail(enum i18n_lang lang, const char *clinic, const char *date,
                           const char *slot_text, const char *arrival_text, char *subject,
                           size_t subject_size, char *body, size_t body_size);

/* The text of the SMS carrying a phone-verification code (short: one SMS). */
void i18n_code_sms(enum i18n_lang lang, const char *code, int minutes, char *text, size_t size);

/* A sentence for an invalid CURP (r->status != CURP_VALID) in lang, written
 * into buf (always NUL-terminated). */
void i18n_curp_error(enum i18n_lang lang, const struct curp_result *r, char *buf, size_t size);

/* Why a name was refused for the character bad (UTF-8, e.g. "2"): which
 * characters a name may hold, written into buf. */
void i18n_name_character(enum i18n_lang lang, const char *bad, char *buf, size_t size);

/* Why names disagree with the CURP (core/person_name's m), quoting typed (the
 * name of the field at fault as the person wrote it) and what the CURP expects,
 * with the hint to write the names as on the birth certificate; into buf. */
void i18n_name_mismatch(enum i18n_lang lang, const struct person_name_mismatch *m,
                        const char *typed, char *buf, size_t size);

#endif
