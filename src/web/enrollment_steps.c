/*
 * The steps of an application after its contact data: password, address,
 * document photos and the final submit. Each one checks its input and stores it,
 * or says why not in a struct refusal; the JSON API (api_*.c) and the wizard's
 * pages (page_*.c) call these same functions, so the rules exist once.
 */
#include "web/enrollment.h"

#include "catalog/catalog.h"
#include "catalog/postal.h"
#include "core/folio.h"
#include "core/password.h"
#include "core/text_field.h"
#include "crypto/passhash.h"
#include "media/blobstore.h"
#include "media/photo.h"
#include "geo/nearest.h"
#include "web/api_common.h"
#include "web/home_clinic.h"

#include <microhttpd.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SETTLEMENT_CHARS 100
#define STREET_CHARS     100
#define NUMBER_CHARS     20
#define FOLIO_TRIES      5

int enrollment_stored_or_refused(const struct web_request *req, int stored, const char *err,
                                 struct refusal *why)
{
    if (stored < 0)
        return refusal_internal(req, why, err);
    if (stored == 0)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    return 0;
}

int enrollment_check_password(const struct web_request *req, const char *curp, const char *email,
                              const char *password, size_t len, unsigned *failed,
                              struct refusal *why)
{
    *failed = 0;
    if (!password || len == 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "password",
                           MSG_FIELD_REQUIRED);
    struct password_context ctx = {.curp = curp, .email = email};
    struct password_result check;
    if (password_check(password, len, &ctx, &check) == 0)
        return 0;
    *failed = check.failed;
    *why = (struct refusal){MHD_HTTP_UNPROCESSABLE_CONTENT, "weak_password", "password", ""};
    size_t used = 0;
    for (int r = 0; r < PASSWORD_RULE_COUNT; r++) {
        if (!(check.failed & PASSWORD_BIT(r)))
            continue;
        int n = snprintf(why->message + used, sizeof why->message - used, "%s%s", used ? " " : "",
                         password_rule_message(r, (int)req->lang));
        if (n > 0 && (size_t)n < sizeof why->message - used)
            used += (size_t)n;
    }
    return -1;
}

int enrollment_hash_password(const struct web_request *req, const char *password, size_t len,
                             char hash[PASSHASH_STRBYTES], struct refusal *why)
{
    /* Hashing is the expensive part of enrollment: at most hash_slots run at once. */
    if (req->app->hash_slots)
        sem_wait(req->app->hash_slots);
    enum passhash_status hs = passhash_hash(password, len, hash);
    if (req->app->hash_slots)
        sem_post(req->app->hash_slots);
    return hs == PASSHASH_OK ? 0 : refusal_internal(req, why, "hashing the password failed");
}

int enrollment_password(const struct web_request *req, const struct store_registration *reg,
                        const char *password, size_t len, unsigned *failed, struct refusal *why)
{
    char hash[PASSHASH_STRBYTES], err[256];
    if (enrollment_check_password(req, reg->curp, reg->contact.email, password, len, failed, why) !=
            0 ||
        enrollment_hash_password(req, password, len, hash, why) != 0)
        return -1;
    int stored = store_registration_set_password(req->app->store, reg->id, hash, req->app->clock(),
                                                 err, sizeof err);
    sodium_memzero(hash, sizeof hash);
    return enrollment_stored_or_refused(req, stored, err, why);
}

/* Cleans one text field into out (out[0] = '\0' when empty and optional). */
static int text_field(const struct web_request *req, const char *name, const char *s, bool required,
                      size_t max_chars, char *out, size_t outsz, struct refusal *why)
{
    enum text_field_status st =
        s ? text_field_clean(s, strlen(s), max_chars, out, outsz) : TEXT_FIELD_EMPTY;
    if (st == TEXT_FIELD_OK || (st == TEXT_FIELD_EMPTY && !required)) {
        if (st == TEXT_FIELD_EMPTY)
            out[0] = '\0';
        return 0;
    }
    if (st == TEXT_FIELD_EMPTY)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", name,
                           MSG_FIELD_REQUIRED);
    if (st == TEXT_FIELD_TOO_LONG)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "too_long", name,
                           MSG_TEXT_TOO_LONG);
    return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_text", name,
                       MSG_TEXT_INVALID);
}

/* The settlement of the catalog's list that the typed name designates, compared
 * without case or accents ("san angel" is San Ángel); NULL when none does. */
static const char *catalog_settlement(const struct postal_settlement *s, size_t n,
                                      const char *typed_name)
{
    char typed[2 * STORE_TEXT_MAX + 1], listed[2 * STORE_TEXT_MAX + 1];
    size_t typed_len, listed_len;
    if (password_fold(typed_name, strlen(typed_name), typed, sizeof typed, &typed_len) != 0)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (password_fold(s[i].name, strlen(s[i].name), listed, sizeof listed, &listed_len) == 0 &&
            listed_len == typed_len && memcmp(listed, typed, typed_len) == 0)
            return s[i].name;
    return NULL;
}

/* Checks postal code, state, municipality and settlement against the catalogs. */
static int check_place(const struct web_request *req, const struct enrollment_address_input *in,
                       struct store_address *a, struct refusal *why)
{
    const char *cp = in->postal_code;
    if (!cp || !*cp)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "postal_code",
                           MSG_FIELD_REQUIRED);
    if (!postal_valid_code(cp, strlen(cp)))
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_postal_code",
                           "postal_code", MSG_POSTAL_CODE_SHAPE);
    memcpy(a->postal_code, cp, 6);
    if (enrollment_check_state(req, in->state, &a->state, why) != 0)
        return -1;
    const char *mun = in->municipality;
    int code = 0;
    if (mun && strlen(mun) == 3 && strspn(mun, "0123456789") == 3)
        code = (mun[0] - '0') * 100 + (mun[1] - '0') * 10 + (mun[2] - '0');
    if (!catalog_municipality(req->app->catalog, a->state, code))
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT,
                           mun && *mun ? "invalid_municipality" : "required", "municipality",
                           mun && *mun ? MSG_MUNICIPALITY_UNKNOWN : MSG_FIELD_REQUIRED);
    a->municipality = code;
    if (text_field(req, "settlement", in->settlement, true, SETTLEMENT_CHARS, a->settlement,
                   sizeof a->settlement, why) != 0)
        return -1;
    if (!req->app->postal)
        return 0; /* without SEPOMEX the settlement stays as typed */

    size_t n;
    const struct postal_settlement *s = postal_lookup(req->app->postal, cp, &n);
    if (n == 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "unknown_postal_code",
                           "postal_code", MSG_POSTAL_CODE_UNKNOWN);
    if (s[0].state != a->state)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "postal_code_other_state",
                           "postal_code", MSG_POSTAL_CODE_OTHER_STATE);
    if (s[0].municipality != a->municipality)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT,
                           "postal_code_other_municipality", "municipality",
                           MSG_POSTAL_CODE_OTHER_MUNICIPALITY);
    const char *name = catalog_settlement(s, n, a->settlement);
    if (!name)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "unknown_settlement",
                           "settlement", MSG_SETTLEMENT_UNKNOWN);
    snprintf(a->settlement, sizeof a->settlement, "%s", name); /* the catalog's spelling */
    return 0;
}

/* The optional position the person chose: both coordinates or neither. */
static int check_position(const struct web_request *req, const struct enrollment_address_input *in,
                          bool *present, double *lat, double *lon, struct refusal *why)
{
    bool has_lat = in->lat && *in->lat, has_lon = in->lon && *in->lon;
    *present = false;
    if (!has_lat && !has_lon)
        return 0;
    if (!has_lat || geo_parse_degrees(in->lat, strlen(in->lat), lat) != 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_position", "lat",
                           MSG_POSITION_INVALID);
    if (!has_lon || geo_parse_degrees(in->lon, strlen(in->lon), lon) != 0 ||
        !geo_in_mexico(*lat, *lon))
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_position",
                           geo_in_mexico(*lat, -100.0) ? "lon" : "lat", MSG_POSITION_INVALID);
    *present = true;
    return 0;
}

int enrollment_address(const struct web_request *req, const struct store_registration *reg,
                       const struct enrollment_address_input *in, struct refusal *why)
{
    struct store_address a = {0};
    char err[256];
    bool chosen;
    double lat = 0, lon = 0;
    if (check_place(req, in, &a, why) != 0 ||
        check_position(req, in, &chosen, &lat, &lon, why) != 0 ||
        text_field(req, "street", in->street, true, STREET_CHARS, a.street, sizeof a.street, why) !=
            0 ||
        text_field(req, "number", in->number, true, NUMBER_CHARS, a.number, sizeof a.number, why) !=
            0 ||
        text_field(req, "interior", in->interior, false, NUMBER_CHARS, a.interior,
                   sizeof a.interior, why) != 0)
        return -1;
    /* A draft records its address; an active enrollment moves, keeping the history. */
    int stored = reg->status == STORE_REG_ACTIVE
                     ? store_registration_move(req->app->store, reg->id, &a, req->app->clock(), err,
                                               sizeof err)
                     : store_registration_add_address(req->app->store, reg->id, &a,
                                                      req->app->clock(), err, sizeof err);
    if (enrollment_stored_or_refused(req, stored, err, why) != 0)
        return -1;
    if (store_chosen_position_set(req->app->store, reg->id, chosen, lat, lon, req->app->clock(),
                                  err, sizeof err) < 0)
        return refusal_internal(req, why, err);
    if (reg->status != STORE_REG_ACTIVE)
        return 0;
    /* a move: the clinic follows the new address, the old one stays in the history */
    struct store_registration moved;
    if (store_registration_get(req->app->store, reg->id, &moved, err, sizeof err) != 1 ||
        home_clinic_assign_nearest(req->app, &moved, STORE_CLINIC_MOVE, err, sizeof err) < 0)
        return refusal_internal(req, why, err);
    return 0;
}

int enrollment_document(const struct web_request *req, const struct store_registration *reg,
                        enum store_document_kind kind, const uint8_t *data, size_t len,
                        struct refusal *why)
{
    /* Why a photo was refused, by photo_process's verdict. */
    static const struct {
        unsigned status;
        const char *code;
        enum i18n_msg msg;
    } refused[] = {
        [PHOTO_ERR_TYPE] = {MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "photo_type", MSG_PHOTO_TYPE},
        [PHOTO_ERR_SIZE] = {MHD_HTTP_CONTENT_TOO_LARGE, "photo_size", MSG_PHOTO_SIZE},
        [PHOTO_ERR_DIMENSIONS] = {MHD_HTTP_UNPROCESSABLE_CONTENT, "photo_dimensions",
                                  MSG_PHOTO_DIMENSIONS},
        [PHOTO_ERR_UNREADABLE] = {MHD_HTTP_UNPROCESSABLE_CONTENT, "photo_unreadable",
                                  MSG_PHOTO_UNREADABLE},
        [PHOTO_ERR_TOO_SMALL] = {MHD_HTTP_UNPROCESSABLE_CONTENT, "photo_too_small",
                                 MSG_PHOTO_TOO_SMALL},
    };
    if (reg->status != STORE_REG_DRAFT)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);

    struct photo_result photo;
    /* Decoding is the other expensive part: at most photo_slots run at once. */
    if (req->app->photo_slots)
        sem_wait(req->app->photo_slots);
    photo_process(data, len, NULL, &photo);
    if (req->app->photo_slots)
        sem_post(req->app->photo_slots);
    if (photo.status != PHOTO_OK) {
        unsigned s = (unsigned)photo.status;
        int ret;
        if (photo.status == PHOTO_ERR_INTERNAL || s >= sizeof refused / sizeof refused[0])
            ret = refusal_internal(req, why, photo.error);
        else
            ret =
                refusal_set(req, why, refused[s].status, refused[s].code, "photo", refused[s].msg);
        photo_result_release(&photo);
        return ret;
    }
    struct store_document d = {
        .width = (int)photo.width, .height = (int)photo.height, .bytes = (int64_t)photo.jpeg_len};
    char err[256];
    int stored = -1;
    if (blobstore_put(req->app->documents, photo.jpeg, photo.jpeg_len, d.blob, err, sizeof err) ==
        0)
        stored = store_document_add(req->app->store, reg->id, kind, &d, req->app->clock(), err,
                                    sizeof err);
    photo_result_release(&photo);
    return enrollment_stored_or_refused(req, stored, err, why);
}

int enrollment_submit(const struct web_request *req, const struct store_registration *reg,
                      char folio[FOLIO_LENGTH + 1], bool missing[ENROLLMENT_STEPS],
                      struct refusal *why)
{
    memset(missing, 0, ENROLLMENT_STEPS * sizeof missing[0]);
    if (reg->status == STORE_REG_ACTIVE) { /* a repeated submit gets the same answer */
        snprintf(folio, FOLIO_LENGTH + 1, "%.*s", FOLIO_LENGTH, reg->folio);
        return 0;
    }
    if (enrollment_missing(reg, missing) > 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "incomplete", NULL,
                           MSG_INCOMPLETE);
    /* The rolls and the enrollments may have changed since the application began. */
    struct curp_result curp;
    if (enrollment_check_curp(req, reg->curp, &curp, why) != 0)
        return -1;

    char err[256];
    time_t now = (time_t)req->app->clock();
    struct tm tm;
    gmtime_r(&now, &tm);
    for (int attempt = 0; attempt < FOLIO_TRIES; attempt++) {
        uint8_t random[FOLIO_RANDOM_BYTES];
        randombytes_buf(random, sizeof random);
        folio_format(random, tm.tm_year + 1900, folio);
        struct store_registration again;
        switch (store_registration_submit(req->app->store, reg->id, folio, (int64_t)now, err,
                                          sizeof err)) {
        case STORE_SUBMIT_OK:
            /* all care starts at the nearest level-1 unit: assign it now; a failure
             * leaves the enrollment without one (the person may ask for one) */
            if (home_clinic_assign_nearest(req->app, reg, STORE_CLINIC_ADDRESS, err, sizeof err) <
                0)
                fprintf(stderr, "padron: %s %s: assigning the home clinic: %s\n", req->method,
                        req->url, err);
            return 0;
        case STORE_SUBMIT_FOLIO_TAKEN:
            continue;
        case STORE_SUBMIT_CURP_ACTIVE:
            return refusal_set(req, why, MHD_HTTP_CONFLICT, "already_enrolled", "curp",
                               MSG_ALREADY_ENROLLED);
        case STORE_SUBMIT_NOT_DRAFT:
            /* Submitted by a concurrent request of the same applicant: same answer. */
            if (store_registration_get(req->app->store, reg->id, &again, err, sizeof err) == 1 &&
                again.status == STORE_REG_ACTIVE) {
                snprintf(folio, FOLIO_LENGTH + 1, "%.*s", FOLIO_LENGTH, again.folio);
                return 0;
            }
            return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
        case STORE_SUBMIT_ERROR:
        default:
            return refusal_internal(req, why, err);
        }
    }
    return refusal_internal(req, why, "no free folio after several draws");
}
