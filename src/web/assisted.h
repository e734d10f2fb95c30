/*
 * assisted: enrollment at a unit's desk (docs/staff.md, "Assisted enrollment"). A
 * receptionist starts or resumes a person's application and completes its steps
 * through the applicant's own rules and store calls (web/enrollment.h); this
 * module adds who may act on which draft, the receptionist's identity check that
 * stands for the email proof, the per-account limits, and the audit record every
 * change commits with.
 *
 * Invariants:
 * - A change is one enrollment_* call (the applicant's) between
 *   assisted_change_begin and assisted_change_end (assisted_steps.c; callers use
 *   the assisted_<step> functions, not the pair): its audit record
 *   "enrollment.assist.<step>" commits in the change's own transaction
 *   (store_audit_attach), or neither does. A refused change writes no record.
 * - A draft the desk has touched (registration.assisted_by) belongs to the unit of
 *   the staff member who first assisted it; before that, to the units of the
 *   person's state of residence. Out of scope reads as an unknown id (404
 *   enrollment_not_found) and the attempt is audited as enrollment.assist.denied.
 * - Only drafts change here: an active enrollment answers 409 not_a_draft (its
 *   corrections are the person's, or other staff tools').
 * - The CURP or folio that finds an application travels in a body, never a URL.
 */
#ifndef PADRON_WEB_ASSISTED_H
#define PADRON_WEB_ASSISTED_H

#include "web/enrollment.h"
#include "web/staff_account.h"

/* Starts or resumes the application of the person at the desk. With curp: the
 * online checks (422 invalid_curp, 409 already_enrolled, affiliated_imss,
 * affiliated_issste), then the newest draft of the CURP who may reach (*resumed)
 * or a new one; either way marked as assisted by who, audited as
 * enrollment.assist.start. With folio (only active enrollments have one): 409
 * already_enrolled, or 404 enrollment_not_found. Also 403 out_of_scope for a role
 * that may not assist, 429 throttled (60 an hour per account), 500. Returns 0
 * with reg reloaded, or -1 with why. */
int assisted_start(const struct web_request *req, const struct staff_member *who, const char *curp,
                   const char *folio, struct store_registration *reg, bool *resumed,
                   struct refusal *why);

/* Loads the application id for who, counted against the account's step limit
 * (1,200 an hour). A change (change = true) needs a draft (409 not_a_draft).
 * Returns 0 with reg, or -1 with why: 404 enrollment_not_found (unknown, or out of
 * scope: audited), 403 out_of_scope, 409, 429, 500. */
int assisted_load(const struct web_request *req, const struct staff_member *who, const char *id,
                  bool change, struct store_registration *reg, struct refusal *why);

/* Writes the audit record of who reading reg (enrollment.assist.<what>: "read",
 * "credential") before it is shown: 0, or -1 with why (500). */
int assisted_audit_read(const struct web_request *req, const struct staff_member *who,
                        const struct store_registration *reg, const char *what,
                        struct refusal *why);

/* Binds rec, the record of who doing step ("names", "contact", ...) on reg, to
 * the next write of this request; assisted_change_end unbinds it. */
void assisted_change_begin(const struct web_request *req, const struct staff_member *who,
                           const struct store_registration *reg, const char *step,
                           struct store_audit_record *rec);
void assisted_change_end(const struct web_request *req);

/* The steps (assisted_steps.c): each is the applicant's function of the same name
 * in web/enrollment.h (same checks, store calls and refusals) on a draft who may
 * assist, audited as enrollment.assist.<step> with the change. assisted_contact
 * takes the email as optional and records the consent as read at the desk. */
int assisted_names(const struct web_request *req, const struct staff_member *who,
                   const struct store_registration *reg, const struct enrollment_names_input *in,
                   struct refusal *why);
int assisted_contact(const struct web_request *req, const struct staff_member *who,
                     const struct store_registration *reg, const char *state, const char *phone,
                     const char *email, const char *notice_version, struct refusal *why);
int assisted_email_code(const struct web_request *req, const struct staff_member *who,
                        const struct store_registration *reg, const char *code, int *attempts_left,
                        struct refusal *why);
int assisted_identity(const struct web_request *req, const struct staff_member *who,
                      const struct store_registration *reg, const char *nationality,
                      const char *id_type, struct refusal *why);
int assisted_password(const struct web_request *req, const struct staff_member *who,
                      const struct store_registration *reg, const char *password, size_t len,
                      unsigned *failed, struct refusal *why);
int assisted_address(const struct web_request *req, const struct staff_member *who,
                     const struct store_registration *reg,
                     const struct enrollment_address_input *in, struct refusal *why);
int assisted_document(const struct web_request *req, const struct staff_member *who,
                      const struct store_registration *reg, enum store_document_kind kind,
                      const uint8_t *data, size_t len, struct refusal *why);

/* The receptionist attests, with the person's original ID in hand, that the draft
 * is theirs, naming the kind of ID checked (checked_id_type: the application's
 * id_type, "ine" when not said; else 422 required or id_type_mismatch at
 * checked_id_type). Audited as enrollment.assist.id_check with the change. */
int assisted_verify_identity(const struct web_request *req, const struct staff_member *who,
                             const struct store_registration *reg, const char *checked_id_type,
                             struct refusal *why);

/* Whether reg, assisted at a desk, still lacks the receptionist's identity check. */
bool assisted_identity_missing(const struct store_registration *reg);

/* What reg still lacks, as the desk sees it: [{"step","message"}] in the request's
 * language, the ID check ("identity_verification") and the email code apart;
 * empty once active. A new reference. */
json_t *assisted_missing_json(const struct web_request *req, const struct store_registration *reg);

/* Submits reg as enrollment_submit does, after the identity check (422
 * identity_not_checked at checked_id_type when it is missing); audited as
 * enrollment.assist.submit with the change. */
int assisted_submit(const struct web_request *req, const struct staff_member *who,
                    const struct store_registration *reg, char folio[FOLIO_LENGTH + 1],
                    bool missing[ENROLLMENT_STEPS], struct refusal *why);

#define ASSISTED_PDF_NAME 48

/* The credential card of the active reg to print at the desk (malloc'd into *pdf)
 * and its file name; audited as enrollment.assist.credential before it is made.
 * -1 with why: 409 not_active, 500. */
int assisted_credential_pdf(const struct web_request *req, const struct staff_member *who,
                            const struct store_registration *reg, uint8_t **pdf, size_t *len,
                            char name[ASSISTED_PDF_NAME], struct refusal *why);

#endif
