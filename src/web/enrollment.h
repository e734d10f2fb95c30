/*
 * enrollment: the rules of an application that the JSON API and the HTML pages
 * share, written once. A rule that refuses fills a struct refusal (HTTP status,
 * stable code, field, message in the request's language); the API turns it into
 * a JSON error, a page shows it next to the field.
 */
#ifndef PADRON_WEB_ENROLLMENT_H
#define PADRON_WEB_ENROLLMENT_H

#include "core/contact.h"
#include "core/curp.h"
#include "core/folio.h"
#include "crypto/passhash.h"
#include "store/store.h"
#include "web/http.h"

#define ENROLLMENT_TOKEN_MAX 64
#define ENROLLMENT_STEPS     10 /* see enrollment_steps[] below */

struct refusal {
    unsigned status;    /* 422, 409, 500, ... */
    const char *code;   /* stable, e.g. "invalid_curp" */
    const char *field;  /* or NULL */
    char message[1024]; /* for the person */
};

/* Fills why with status, code, field and message (already in the person's
 * language); returns -1. */
int refusal_text(struct refusal *why, unsigned status, const char *code, const char *field,
                 const char *message);

/* Fills why with status, code, field and the catalog message msg in the
 * request's language; returns -1 so a refusal is one statement. */
int refusal_set(const struct web_request *req, struct refusal *why, unsigned status,
                const char *code, const char *field, enum i18n_msg msg);

/* Logs err (never personal data) with the request line and fills why as 500
 * "internal" with the generic message, or as 503 "unavailable" when the
 * database was out of reach (store_unavailable); returns -1. */
int refusal_internal(const struct web_request *req, struct refusal *why, const char *err);

/* A CURP may start an application when it is valid, not enrolled, and not active
 * in the IMSS or ISSSTE roll. Returns 0 with r filled, or -1 with why filled
 * (status 500 when the database failed; the reason is logged, not shown). */
int enrollment_check_curp(const struct web_request *req, const char *curp, struct curp_result *r,
                          struct refusal *why);

/* Counts one request against key (e.g. "clinic:ID"): 0 while fewer than max were
 * counted in the last window seconds, else -1 with why (429 throttled; 500). */
int enrollment_count(const struct web_request *req, const char *key, int64_t window, int max,
                     struct refusal *why);

/* Counts one request of the kind what ("start", "letter") against the client's
 * address (an IPv6 address by its /64, what one subscriber holds): 0 while fewer than max were
 * counted in the last window seconds, else -1 with why (429 throttled; 500 when the database
 * failed). */
int enrollment_count_address(const struct web_request *req, const char *what, int64_t window,
                             int max, struct refusal *why);

/* Counts one request of the kind what against a person or an address (subject: a
 * CURP, an email), like enrollment_count; the throttle table keeps only a BLAKE2b
 * hash of subject, never the subject itself. */
int enrollment_count_subject(const struct web_request *req, const char *what, const char *subject,
                             int64_t window, int max, struct refusal *why);

/* Creates a draft for a checked CURP with a new id and bearer token (only the
 * token's hash is stored). A client address may start 30 applications an hour;
 * past that, 429 "throttled". Returns 0, or -1 with why filled. The caller wipes
 * token after use. */
int enrollment_start(const struct web_request *req, const struct curp_result *r,
                     char id[STORE_ID_LEN + 1], char token[ENROLLMENT_TOKEN_MAX],
                     struct refusal *why);

/* enrollment_start without the per-address count: a draft for a checked CURP with a
 * new id and bearer token, for callers that count otherwise (the desk counts per
 * staff account). Returns 0, or -1 with why filled; the caller wipes token. */
int enrollment_create(const struct web_request *req, const struct curp_result *r,
                      char id[STORE_ID_LEN + 1], char token[ENROLLMENT_TOKEN_MAX],
                      struct refusal *why);

/* Reads a state field ("01".."32") that must name a state taking part in
 * IMSS-Bienestar today. Returns 0 with *state set, or -1 with why filled
 * (invalid_state, or state_not_participating naming the state and where its
 * people get care). */
int enrollment_check_state(const struct web_request *req, const char *text, int *state,
                           struct refusal *why);

/* A phone as typed (optional: NULL or "" gives "") into its 10 national digits,
 * or -1 with why (422 invalid_phone at phone, saying what is wrong with it). */
int enrollment_check_phone(const struct web_request *req, const char *phone,
                           char out[CONTACT_PHONE_LEN + 1], struct refusal *why);

/* An email as typed (required) into its normalised form, or -1 with why (422
 * required or invalid_email at email). */
int enrollment_check_email(const struct web_request *req, const char *email,
                           char out[CONTACT_EMAIL_MAX + 1], struct refusal *why);

/* Checks the contact step: state of residence, optional Mexican mobile, email,
 * and the privacy-notice version accepted (must be the current one). Returns 0
 * with c filled (normalised), or -1 with why naming the first field at fault. */
int enrollment_contact(const struct web_request *req, const char *state, const char *phone,
                       const char *email, const char *notice_version, struct store_contact *c,
                       struct refusal *why);

/* enrollment_contact at a unit's desk: the same checks, but the email may be left
 * out (NULL or ""): the person may have only a phone, or nothing. */
int enrollment_contact_at_desk(const struct web_request *req, const char *state, const char *phone,
                               const char *email, const char *notice_version,
                               struct store_contact *c, struct refusal *why);

/* Checks a 6-digit email code against the application's outstanding one (see
 * api_verification.c for the policy). Returns 0 when it matched (the email is now
 * verified), or -1 with why filled; *attempts_left tells how many remain after a
 * wrong code. */
enum api_code_purpose;

/* The same for a code of purpose (API_CODE_VERIFY_EMAIL or API_CODE_VERIFY_PHONE,
 * whose match confirms the phone). */
int enrollment_check_code(const struct web_request *req, enum api_code_purpose purpose,
                          const char *id, const char *code, struct refusal *why,
                          int *attempts_left);

int enrollment_check_email_code(const struct web_request *req, const char *id, const char *code,
                                struct refusal *why, int *attempts_left);

/* The steps after the contact data (enrollment_steps.c). Each checks its input,
 * stores it in the draft reg, and returns 0, or -1 with why filled: 422 with the
 * field at fault, 409 not_a_draft once the application was submitted, 500
 * internal (logged, not shown). */

/* The answer of a store call that changes a draft (stored: 1 stored, 0 not a
 * draft any more, -1 failed with err): 0, or -1 with why (409 not_a_draft, 500). */
int enrollment_stored_or_refused(const struct web_request *req, int stored, const char *err,
                                 struct refusal *why);

/* Checks a password against every rule of core/password, with the person's CURP
 * and email (either may be NULL) as the personal data it must not hold. A weak
 * password is refused as weak_password with every broken rule's sentence in the
 * message and their bits in *failed (0 otherwise). */
int enrollment_check_password(const struct web_request *req, const char *curp, const char *email,
                              const char *password, size_t len, unsigned *failed,
                              struct refusal *why);

/* The argon2id hash string of a password, at most app->hash_slots at once. */
int enrollment_hash_password(const struct web_request *req, const char *password, size_t len,
                             char hash[PASSHASH_STRBYTES], struct refusal *why);

/* Checks a password against every rule of core/password and stores its argon2id
 * hash. A weak password is refused as weak_password with every broken rule's
 * sentence in the message and their bits in *failed (0 otherwise). */
int enrollment_password(const struct web_request *req, const struct store_registration *reg,
                        const char *password, size_t len, unsigned *failed, struct refusal *why);

/* The names as typed; NULL or "" for a field left empty. */
struct enrollment_names_input {
    const char *given_names, *first_surname, *second_surname;
};

/* Cleans and checks names (core/person_name) against curp: 0 with out filled, or
 * -1 with why: 422 at the field at fault with code required (given_names,
 * first_surname), too_long, invalid_text (control characters, bad UTF-8),
 * invalid_name (a character a name may not hold, named in the message) or
 * curp_mismatch (the message says what the CURP expects and what the name gives,
 * and to write the names as on the birth certificate). */
int enrollment_check_names(const struct web_request *req, const char *curp,
                           const struct enrollment_names_input *in, struct store_names *out,
                           struct refusal *why);

/* What enrollment_names did. */
enum enrollment_names_outcome {
    ENROLLMENT_NAMES_SAVED,     /* a draft's names were stored */
    ENROLLMENT_NAMES_CORRECTED, /* an active enrollment's names changed (history kept):
                                   a credential issued before carries the old names */
    ENROLLMENT_NAMES_UNCHANGED, /* an active enrollment sent its current names again */
};

/* Checks names as enrollment_check_names does and records them: for a draft, as
 * its names step; for an active enrollment, as a correction by the applicant
 * (store_registration_correct_names). *outcome says which. */
int enrollment_names(const struct web_request *req, const struct store_registration *reg,
                     const struct enrollment_names_input *in,
                     enum enrollment_names_outcome *outcome, struct refusal *why);

/* The address as typed; NULL or "" for a field left empty. lat and lon: the
 * position the person chose (decimal degrees inside Mexico), both or neither. */
struct enrollment_address_input {
    const char *postal_code, *state, *municipality, *settlement, *street, *number, *interior;
    const char *lat, *lon;
};

/* Checks an address (postal code, participating state, municipality and, with the
 * SEPOMEX catalog, that they agree and that the settlement is one of the postal
 * code's, in the catalog's spelling) and the optional chosen position (422
 * invalid_position at lat or lon), and records them, for a draft or, as a move,
 * for an active enrollment; earlier ones stay as history. A move re-assigns the
 * home clinic (web/home_clinic.h), keeping the earlier ones. */
int enrollment_address(const struct web_request *req, const struct store_registration *reg,
                       const struct enrollment_address_input *in, struct refusal *why);

/* Decodes, checks and re-encodes a photo (media/photo), stores it encrypted and
 * records it as the document kind. A refused photo has field "photo" and code
 * photo_type (415), photo_size (413), photo_dimensions, photo_unreadable or
 * photo_too_small (422). */
int enrollment_document(const struct web_request *req, const struct store_registration *reg,
                        enum store_document_kind kind, const uint8_t *data, size_t len,
                        struct refusal *why);

/* Submits a complete application: the CURP is checked again against the
 * enrollments and the rolls, then it becomes active with a new folio (written to
 * folio, FOLIO_LENGTH + 1 bytes). A repeated or concurrent submit of the same
 * application gets the same folio. An incomplete one is refused as "incomplete"
 * with missing[] marking what is left. */
int enrollment_submit(const struct web_request *req, const struct store_registration *reg,
                      char folio[FOLIO_LENGTH + 1], bool missing[ENROLLMENT_STEPS],
                      struct refusal *why);

/* The steps of an application, in order, with their stable names and texts. */
struct enrollment_step {
    const char *step;  /* "contact", "email_verification", ..., "documents.face" */
    enum i18n_msg msg; /* what the person still has to do */
};
extern const struct enrollment_step enrollment_steps[ENROLLMENT_STEPS];

/* Checks and records which official ID the person shows: nationality "mexican"
 * (id_type "ine" or "passport") or "foreign" ("passport", "inm_card" or "fmm").
 * Refused: 422 invalid_identity (field id_type), 409 not_a_draft. */
int enrollment_identity(const struct web_request *req, const struct store_registration *reg,
                        const char *nationality, const char *id_type, struct refusal *why);

/* True when reg's person is a foreigner whose ID does not itself prove a regular
 * stay (a passport or an FMM): the migration_status photo is then required. */
bool enrollment_needs_migration_document(const struct store_registration *reg);

/* Marks each step of enrollment_steps still missing; returns how many are. The
 * last step, the migration document, only counts when it is needed. For a draft a
 * desk assists (reg->assisted_by), the email is optional, "email_verification"
 * also needs the receptionist's check of the ID (verified_by_staff_at) and, only
 * when there is an email, its code; the password is optional. */
int enrollment_missing(const struct store_registration *reg, bool missing[ENROLLMENT_STEPS]);

#endif
