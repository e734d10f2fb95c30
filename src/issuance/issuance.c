/* issuance: credentials and letters, signed and recorded (see issuance.h). */
#include "issuance/issuance.h"

#include "core/curp.h"
#include "core/folio.h"
#include "credential/claims.h"
#include "credential/envelope.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ID_TRIES 8 /* 40 random bits each: a second collision in a row is a bug */

/* A new id of kind (core/folio.h) for the year of now. */
static void draw_id(const char *kind, int64_t now, char out[STORE_ISSUED_ID_LEN + 1])
{
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    uint8_t random[FOLIO_RANDOM_BYTES];
    randombytes_buf(random, sizeof random);
    folio_format_kind(kind, random, tm.tm_year + 1900, out);
}

void issuance_birth_date(const char *curp, char out[11])
{
    struct curp_result r;
    curp_validate(curp, strlen(curp), 0, &r);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)r.year % 10000u, (unsigned)r.month % 100u,
             (unsigned)r.day % 100u);
}

/* The optional text s: absent when "". */
static struct claims_text optional(const char *s)
{
    return claims_text_of(s && *s ? s : NULL);
}

/* Signs person's claims under id into envelope (STORE_ENVELOPE_MAX + 1 bytes). */
static int sign(const struct issuance *is, const struct claims_person *person, const char *id,
                int64_t iat, int64_t exp, char *envelope, char *err, size_t errsz)
{
    struct cbor_out payload;
    cbor_out_init(&payload, 1024);
    if (claims_encode(person, &payload) != 0) {
        cbor_out_release(&payload);
        snprintf(err, errsz, "issuing: the data does not fit a credential's claims");
        return -1;
    }
    struct envelope_claims c = {
        .iss = is->issuer ? is->issuer : ISSUANCE_ISSUER,
        .iat = iat,
        .exp = exp,
        .cti = (const uint8_t *)id,
        .cti_len = strlen(id),
        .payload = payload.buf,
        .payload_len = payload.len,
    };
    char *text = NULL;
    int rc = envelope_issue(&c, is->signer, NULL, &text, err, errsz);
    cbor_out_release(&payload);
    if (rc != 0)
        return -1;
    if (strlen(text) > STORE_ENVELOPE_MAX) {
        free(text);
        snprintf(err, errsz, "issuing: the envelope is longer than a QR code holds");
        return -1;
    }
    memcpy(envelope, text, strlen(text) + 1);
    free(text);
    return 0;
}

/* What a credential carries of an enrollment beyond the registration itself. */
struct enrollment_data {
    struct store_registration reg;
    char clues[12]; /* the home clinic, "" when none is assigned */
    int64_t data_at;
};

/* Loads the active enrollment with names and its home clinic: ISSUANCE_OK, or
 * why not. */
static enum issuance_result load_enrollment(const struct issuance *is, const char *id,
                                            struct enrollment_data *d, char *err, size_t errsz)
{
    int found = store_registration_get(is->store, id, &d->reg, err, errsz);
    if (found < 0)
        return ISSUANCE_ERROR;
    if (found == 0 || d->reg.status != STORE_REG_ACTIVE)
        return ISSUANCE_NOT_ACTIVE;
    if (d->reg.suspended_at)
        return d->reg.suspended_institution == STORE_ISSSTE ? ISSUANCE_SUSPENDED_ISSSTE
                                                            : ISSUANCE_SUSPENDED_IMSS;
    if (!d->reg.names.given_names[0] || !d->reg.names.first_surname[0])
        return ISSUANCE_NO_NAMES;
    struct store_home_clinic clinic;
    int has_clinic = store_home_clinic_get(is->store, id, &clinic, err, errsz);
    if (has_clinic < 0)
        return ISSUANCE_ERROR;
    snprintf(d->clues, sizeof d->clues, "%s", has_clinic ? clinic.clues : "");
    d->data_at = d->reg.names_corrected_at;
    if (has_clinic && clinic.assigned_at > d->data_at)
        d->data_at = clinic.assigned_at;
    return ISSUANCE_OK;
}

/* Signs and records a new credential of reg, revoking the earlier ones with reason. */
static enum issuance_result issue_credential(const struct issuance *is,
                                             const struct enrollment_data *d, int64_t now,
                                             const char *reason, bool force,
                                             struct store_credential *out, char *err, size_t errsz)
{
    const struct store_registration *reg = &d->reg;
    char birth[11];
    issuance_birth_date(reg->curp, birth);
    struct claims_person person = {
        .kind = CLAIMS_CREDENTIAL,
        .folio = claims_text_of(reg->folio),
        .curp = claims_text_of(reg->curp),
        .given = claims_text_of(reg->names.given_names),
        .surname1 = claims_text_of(reg->names.first_surname),
        .surname2 = optional(reg->names.second_surname),
        .birth = claims_text_of(birth),
        .program = claims_text_of(ISSUANCE_PROGRAM),
        .levels = {1, 2},
        .level_count = 2,
        .clues = optional(d->clues),
    };
    for (int attempt = 0; attempt < ID_TRIES; attempt++) {
        memset(out, 0, sizeof *out);
        draw_id(FOLIO_CREDENTIAL, now, out->id);
        snprintf(out->registration, sizeof out->registration, "%s", reg->id);
        out->issued_at = now;
        out->expires_at = now + (int64_t)ISSUANCE_CREDENTIAL_DAYS * 86400;
        out->data_at = d->data_at;
        if (sign(is, &person, out->id, out->issued_at, out->expires_at, out->envelope, err,
                 errsz) != 0)
            return ISSUANCE_ERROR;
        int added = store_credential_add(is->store, out, reason, force, err, errsz);
        if (added == 1)
            return ISSUANCE_OK;
        if (added == 2) /* another request issued one for data as new: that one */
            return store_credential_current(is->store, reg->id, now, out, err, errsz) == 1
                       ? ISSUANCE_OK
                       : ISSUANCE_ERROR;
        if (added < 0)
            return ISSUANCE_ERROR;
    }
    snprintf(err, errsz, "issuing: no free credential id after %d tries", ID_TRIES);
    return ISSUANCE_ERROR;
}

enum issuance_result issuance_credential(const struct issuance *is, const char *registration_id,
                                         int64_t now, struct store_credential *out, char *err,
                                         size_t errsz)
{
    struct enrollment_data d;
    enum issuance_result r = load_enrollment(is, registration_id, &d, err, errsz);
    if (r != ISSUANCE_OK)
        return r;
    int current = store_credential_current(is->store, registration_id, now, out, err, errsz);
    if (current < 0)
        return ISSUANCE_ERROR;
    /* The credential records which version of the data it carries: any other
     * means it is out of date (a reissue after a correction failed, a new clinic). */
    if (current == 1 && out->data_at == d.data_at)
        return ISSUANCE_OK;
    return issue_credential(is, &d, now, current == 1 ? "corrected" : "reissued", false, out, err,
                            errsz);
}

enum issuance_result issuance_credential_reissue(const struct issuance *is,
                                                 const char *registration_id, int64_t now,
                                                 struct store_credential *out, char *err,
                                                 size_t errsz)
{
    struct enrollment_data d;
    enum issuance_result r = load_enrollment(is, registration_id, &d, err, errsz);
    return r == ISSUANCE_OK ? issue_credential(is, &d, now, "corrected", true, out, err, errsz) : r;
}

enum issuance_result issuance_letter(const struct issuance *is,
                                     const struct issuance_letter_request *rq, int64_t now,
                                     issuance_letter_mail_fn *mail, void *mail_ctx,
                                     struct store_letter *out, struct store_affiliation *found,
                                     char *err, size_t errsz)
{
    int64_t imported_at = 0;
    long rows = 0;
    int known = store_roll_info(is->store, rq->institution, &imported_at, &rows, err, errsz);
    if (known < 0)
        return ISSUANCE_ERROR;
    if (known == 0)
        return ISSUANCE_NO_ROLL;
    int listed = store_roll_find(is->store, rq->institution, rq->curp, found, err, errsz);
    if (listed < 0)
        return ISSUANCE_ERROR;
    if (listed == 1 && found->active)
        return ISSUANCE_AFFILIATED;

    char birth[11];
    issuance_birth_date(rq->curp, birth);
    const char *institution = store_institution_name(rq->institution);
    struct claims_person person = {
        .kind = CLAIMS_LETTER,
        .curp = claims_text_of(rq->curp),
        .given = optional(rq->names.given_names),
        .surname1 = optional(rq->names.first_surname),
        .surname2 = optional(rq->names.second_surname),
        .birth = claims_text_of(birth),
        .institution = claims_text_of(institution),
    };
    for (int attempt = 0; attempt < ID_TRIES; attempt++) {
        memset(out, 0, sizeof *out);
        draw_id(FOLIO_LETTER, now, out->folio);
        snprintf(out->curp, sizeof out->curp, "%s", rq->curp);
        out->institution = rq->institution;
        snprintf(out->email, sizeof out->email, "%s", rq->email);
        snprintf(out->language, sizeof out->language, "%s", rq->language);
        out->names = rq->names;
        memcpy(out->download_hash, rq->download_hash, sizeof out->download_hash);
        time_t t = (time_t)imported_at;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(out->roll_date, sizeof out->roll_date, "%Y-%m-%d", &tm);
        out->issued_at = now;
        out->expires_at = now + (int64_t)ISSUANCE_LETTER_DAYS * 86400;
        if (sign(is, &person, out->folio, out->issued_at, out->expires_at, out->envelope, err,
                 errsz) != 0)
            return ISSUANCE_ERROR;
        char *message = NULL;
        if (mail && mail(mail_ctx, out, &message, err, errsz) != 0)
            return ISSUANCE_ERROR;
        int added = store_letter_add(is->store, out, message, err, errsz);
        free(message);
        if (added == 1)
            return ISSUANCE_OK;
        if (added < 0)
            return ISSUANCE_ERROR;
    }
    snprintf(err, errsz, "issuing: no free letter folio after %d tries", ID_TRIES);
    return ISSUANCE_ERROR;
}
