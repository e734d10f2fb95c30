/*
 * The names step: the person's given names and surnames as on the birth
 * certificate, cleaned and checked against the CURP (core/person_name), stored
 * for a draft or, for an active enrollment, recorded as a correction with its
 * history. The JSON API (api_names.c) and the pages (page_names.c) call these.
 */
#include "web/enrollment.h"
#include "web/issued.h"

#include "core/person_name.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

/* Cleans one name into out (out[0] = '\0' when empty and optional). */
static int clean_name(const struct web_request *req, const char *field, const char *s,
                      bool required, char out[PERSON_NAME_MAX + 1], struct refusal *why)
{
    char bad[5];
    enum person_name_status st =
        s ? person_name_clean(s, strlen(s), out, bad) : (out[0] = '\0', PERSON_NAME_EMPTY);
    switch (st) {
    case PERSON_NAME_OK:
        return 0;
    case PERSON_NAME_EMPTY:
        return required ? refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", field,
                                      MSG_FIELD_REQUIRED)
                        : 0;
    case PERSON_NAME_TOO_LONG:
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "too_long", field,
                           MSG_TEXT_TOO_LONG);
    case PERSON_NAME_NO_LETTER:
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_name", field,
                           MSG_NAME_NO_LETTER);
    case PERSON_NAME_CHARACTER:
        *why = (struct refusal){MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_name", field, ""};
        i18n_name_character(req->lang, bad, why->message, sizeof why->message);
        return -1;
    case PERSON_NAME_INVALID:
    default:
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_text", field,
                           MSG_TEXT_INVALID);
    }
}

int enrollment_check_names(const struct web_request *req, const char *curp,
                           const struct enrollment_names_input *in, struct store_names *out,
                           struct refusal *why)
{
    memset(out, 0, sizeof *out);
    if (clean_name(req, "given_names", in->given_names, true, out->given_names, why) != 0 ||
        clean_name(req, "first_surname", in->first_surname, true, out->first_surname, why) != 0 ||
        clean_name(req, "second_surname", in->second_surname, false, out->second_surname, why) != 0)
        return -1;
    struct curp_result r;
    if (curp_validate(curp, strlen(curp), 0, &r) != CURP_VALID)
        return refusal_internal(req, why, "a stored CURP does not validate");
    struct person_name_mismatch m;
    int matched =
        person_name_match(out->given_names, out->first_surname, out->second_surname, &r, &m);
    if (matched == 0)
        return 0;
    if (matched < 0)
        return refusal_internal(req, why, "cleaned names do not derive a CURP stem");
    const char *typed = m.field == PERSON_NAME_FIRST_SURNAME    ? out->first_surname
                        : m.field == PERSON_NAME_SECOND_SURNAME ? out->second_surname
                                                                : out->given_names;
    *why = (struct refusal){MHD_HTTP_UNPROCESSABLE_CONTENT, "curp_mismatch",
                            person_name_field_code(m.field), ""};
    i18n_name_mismatch(req->lang, &m, typed, why->message, sizeof why->message);
    return -1;
}

int enrollment_names(const struct web_request *req, const struct store_registration *reg,
                     const struct enrollment_names_input *in,
                     enum enrollment_names_outcome *outcome, struct refusal *why)
{
    struct store_names n;
    char err[256];
    if (enrollment_check_names(req, reg->curp, in, &n, why) != 0)
        return -1;
    int stored;
    if (reg->status == STORE_REG_ACTIVE) {
        stored = store_registration_correct_names(req->app->store, reg->id, &n, "applicant",
                                                  req->app->clock(), err, sizeof err);
        *outcome = stored == 2 ? ENROLLMENT_NAMES_UNCHANGED : ENROLLMENT_NAMES_CORRECTED;
    } else {
        stored = store_registration_set_names(req->app->store, reg->id, &n, req->app->clock(), err,
                                              sizeof err);
        *outcome = ENROLLMENT_NAMES_SAVED;
    }
    if (stored < 0)
        return refusal_internal(req, why, err);
    if (stored == 0) /* submitted or changed status meanwhile */
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    if (*outcome == ENROLLMENT_NAMES_CORRECTED) {
        /* The credential carries the names: issue it anew at once, which revokes the
         * one with the old names. A failure is logged; the next look at the
         * credential issues it then (it records which names it carries). */
        struct store_credential c;
        struct refusal ignored;
        issued_credential_reissue(req, reg->id, &c, &ignored);
    }
    return 0;
}
