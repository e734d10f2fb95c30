#include "web/enrollment.h"

#include "catalog/catalog.h"
#include "core/contact.h"
#include "web/api_common.h"
#include "web/privacy_notice.h"

#include <microhttpd.h>
#include <sodium.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int refusal_text(struct refusal *why, unsigned status, const char *code, const char *field,
                 const char *message)
{
    why->status = status;
    why->code = code;
    why->field = field;
    snprintf(why->message, sizeof why->message, "%s", message);
    return -1;
}

int refusal_set(const struct web_request *req, struct refusal *why, unsigned status,
                const char *code, const char *field, enum i18n_msg msg)
{
    return refusal_text(why, status, code, field, i18n(req->lang, msg));
}

int refusal_internal(const struct web_request *req, struct refusal *why, const char *err)
{
    fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    if (store_unavailable())
        return refusal_text(why, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL,
                            i18n(req->lang, MSG_UNAVAILABLE));
    return refusal_text(why, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL,
                        i18n(req->lang, MSG_INTERNAL));
}

int enrollment_check_curp(const struct web_request *req, const char *curp, struct curp_result *r,
                          struct refusal *why)
{
    char message[256], err[256];
    if (curp_validate(curp, strlen(curp), api_today_key(req), r) != CURP_VALID) {
        i18n_curp_error(req->lang, r, message, sizeof message);
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_curp", "curp", message);
    }
    int enrolled = store_curp_enrolled(req->app->store, r->curp, err, sizeof err);
    struct store_affiliation a;
    int affiliated =
        enrolled == 0 ? store_roll_lookup(req->app->store, r->curp, &a, err, sizeof err) : 0;
    if (enrolled < 0 || affiliated < 0)
        return refusal_internal(req, why, err);
    if (enrolled)
        return refusal_text(why, MHD_HTTP_CONFLICT, "already_enrolled", "curp",
                            i18n(req->lang, MSG_ALREADY_ENROLLED));
    if (affiliated && a.active) {
        bool imss = a.institution == STORE_IMSS;
        return refusal_text(why, MHD_HTTP_CONFLICT, imss ? "affiliated_imss" : "affiliated_issste",
                            "curp",
                            i18n(req->lang, imss ? MSG_AFFILIATED_IMSS : MSG_AFFILIATED_ISSSTE));
    }
    return 0;
}

int enrollment_count(const struct web_request *req, const char *key, int64_t window, int max,
                     struct refusal *why)
{
    char err[256];
    int64_t now = req->app->clock(), retry_after = 0;
    int allowed =
        store_throttle_count(req->app->store, key, now, window, max, &retry_after, err, sizeof err);
    if (allowed < 0)
        return refusal_internal(req, why, err);
    if (!allowed)
        return refusal_text(why, MHD_HTTP_TOO_MANY_REQUESTS, "throttled", NULL,
                            i18n(req->lang, MSG_RATE_LIMITED));
    return 0;
}

int enrollment_count_address(const struct web_request *req, const char *what, int64_t window,
                             int max, struct refusal *why)
{
    char address[64], key[96];
    web_client_address(req, address, sizeof address);
    /* One IPv6 subscriber holds a whole /64: count the prefix, not each address. */
    struct in6_addr v6;
    if (strchr(address, ':') && inet_pton(AF_INET6, address, &v6) == 1) {
        memset(v6.s6_addr + 8, 0, 8);
        inet_ntop(AF_INET6, &v6, address, sizeof address);
        strncat(address, "/64", sizeof address - strlen(address) - 1);
    }
    snprintf(key, sizeof key, "%s:%s", what, address);
    return enrollment_count(req, key, window, max, why);
}

int enrollment_count_subject(const struct web_request *req, const char *what, const char *subject,
                             int64_t window, int max, struct refusal *why)
{
    uint8_t digest[16];
    char hex[2 * sizeof digest + 1], key[96];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)subject, strlen(subject), NULL,
                       0);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    snprintf(key, sizeof key, "%s:%s", what, hex);
    return enrollment_count(req, key, window, max, why);
}

/* Applications one client address may start in a window: generous for a family or
 * a clinic's shared computer, tight enough to stop a script filling the database. */
#define STARTS_PER_WINDOW 30
#define START_WINDOW      (60 * 60)

int enrollment_start(const struct web_request *req, const struct curp_result *r,
                     char id[STORE_ID_LEN + 1], char token[ENROLLMENT_TOKEN_MAX],
                     struct refusal *why)
{
    if (enrollment_count_address(req, "start", START_WINDOW, STARTS_PER_WINDOW, why) != 0)
        return -1;
    return enrollment_create(req, r, id, token, why);
}

int enrollment_create(const struct web_request *req, const struct curp_result *r,
                      char id[STORE_ID_LEN + 1], char token[ENROLLMENT_TOKEN_MAX],
                      struct refusal *why)
{
    uint8_t id_bytes[STORE_ID_LEN / 2], token_bytes[32], hash[STORE_TOKEN_HASH_LEN];
    char err[256];
    randombytes_buf(id_bytes, sizeof id_bytes);
    randombytes_buf(token_bytes, sizeof token_bytes);
    sodium_bin2hex(id, STORE_ID_LEN + 1, id_bytes, sizeof id_bytes);
    sodium_bin2base64(token, ENROLLMENT_TOKEN_MAX, token_bytes, sizeof token_bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(token_bytes, sizeof token_bytes);
    api_hash_token(token, strlen(token), hash);
    if (store_registration_create(req->app->store, id, r->curp, hash, req->app->clock(), err,
                                  sizeof err) != 0) {
        sodium_memzero(token, ENROLLMENT_TOKEN_MAX);
        return refusal_internal(req, why, err);
    }
    return 0;
}

int enrollment_check_state(const struct web_request *req, const char *text, int *state,
                           struct refusal *why)
{
    const struct catalog_state *st = NULL;
    if (text && strlen(text) == 2 && text[0] >= '0' && text[0] <= '9' && text[1] >= '0' &&
        text[1] <= '9')
        st = catalog_state_by_code(req->app->catalog, (text[0] - '0') * 10 + (text[1] - '0'));
    if (!st)
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT,
                            text ? "invalid_state" : "required", "state",
                            i18n(req->lang, text ? MSG_STATE_UNKNOWN : MSG_FIELD_REQUIRED));
    long today = api_today_key(req);
    if (!catalog_state_participating(st, (int)(today / 10000), (int)(today / 100 % 100),
                                     (int)(today % 100))) {
        char message[512];
        i18n_state_not_participating(req->lang, st->name, message, sizeof message);
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "state_not_participating", "state",
                            message);
    }
    *state = st->code;
    return 0;
}

static enum i18n_msg phone_message(enum contact_status s)
{
    switch (s) {
    case CONTACT_PHONE_CHARSET:
        return MSG_PHONE_CHARSET;
    case CONTACT_PHONE_AREA:
        return MSG_PHONE_AREA;
    case CONTACT_PHONE_COUNTRY:
        return MSG_PHONE_COUNTRY;
    default:
        return MSG_PHONE_LENGTH;
    }
}

int enrollment_check_phone(const struct web_request *req, const char *phone,
                           char out[CONTACT_PHONE_LEN + 1], struct refusal *why)
{
    enum contact_status cs;
    out[0] = '\0';
    /* The phone is optional: a newcomer may not have a Mexican number yet. */
    if (phone && *phone && (cs = contact_phone(phone, strlen(phone), out)) != CONTACT_OK)
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_phone", "phone",
                            i18n(req->lang, phone_message(cs)));
    return 0;
}

int enrollment_check_email(const struct web_request *req, const char *email,
                           char out[CONTACT_EMAIL_MAX + 1], struct refusal *why)
{
    enum contact_status cs;
    if (!email || !*email)
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "email",
                            i18n(req->lang, MSG_FIELD_REQUIRED));
    if ((cs = contact_email(email, strlen(email), out)) != CONTACT_OK)
        return refusal_text(
            why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_email", "email",
            i18n(req->lang, cs == CONTACT_EMAIL_LENGTH ? MSG_EMAIL_LENGTH : MSG_EMAIL_INVALID));
    return 0;
}

/* The contact step's checks; at a desk (email_optional) the email may be left out. */
static int check_contact(const struct web_request *req, const char *state, const char *phone,
                         const char *email, bool email_optional, const char *notice_version,
                         struct store_contact *c, struct refusal *why)
{
    memset(c, 0, sizeof *c);
    if (enrollment_check_state(req, state, &c->state, why) != 0 ||
        enrollment_check_phone(req, phone, c->phone, why) != 0 ||
        (!(email_optional && (!email || !*email)) &&
         enrollment_check_email(req, email, c->email, why) != 0))
        return -1;
    const struct privacy_notice *notice = privacy_notice_current();
    if (!notice_version || !*notice_version)
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required",
                            "privacy_notice_version", i18n(req->lang, MSG_FIELD_REQUIRED));
    if (strcmp(notice_version, notice->version) != 0)
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "privacy_notice_outdated",
                            "privacy_notice_version", i18n(req->lang, MSG_PRIVACY_OUTDATED));
    snprintf(c->privacy_version, sizeof c->privacy_version, "%s", notice->version);
    return 0;
}

int enrollment_contact(const struct web_request *req, const char *state, const char *phone,
                       const char *email, const char *notice_version, struct store_contact *c,
                       struct refusal *why)
{
    return check_contact(req, state, phone, email, false, notice_version, c, why);
}

int enrollment_contact_at_desk(const struct web_request *req, const char *state, const char *phone,
                               const char *email, const char *notice_version,
                               struct store_contact *c, struct refusal *why)
{
    return check_contact(req, state, phone, email, true, notice_version, c, why);
}

const struct enrollment_step enrollment_steps[ENROLLMENT_STEPS] = {
    {"names", MSG_STEP_NAMES},
    {"contact", MSG_STEP_CONTACT},
    {"email_verification", MSG_STEP_EMAIL},
    {"privacy_notice", MSG_STEP_PRIVACY},
    {"password", MSG_STEP_PASSWORD},
    {"address", MSG_STEP_ADDRESS},
    {"documents.id_front", MSG_STEP_ID_FRONT},
    {"documents.id_back", MSG_STEP_ID_BACK},
    {"documents.face", MSG_STEP_FACE},
    {"documents.migration_status", MSG_STEP_MIGRATION},
};

bool enrollment_needs_migration_document(const struct store_registration *reg)
{
    return strcmp(reg->nationality, "foreign") == 0 &&
           (strcmp(reg->id_type, "passport") == 0 || strcmp(reg->id_type, "fmm") == 0);
}

int enrollment_identity(const struct web_request *req, const struct store_registration *reg,
                        const char *nationality, const char *id_type, struct refusal *why)
{
    /* The IDs each nationality may show. */
    static const struct {
        const char *nationality, *id_type;
    } allowed[] = {{"mexican", "ine"},
                   {"mexican", "passport"},
                   {"foreign", "passport"},
                   {"foreign", "inm_card"},
                   {"foreign", "fmm"}};
    bool ok = false;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0] && !ok; i++)
        ok = nationality && id_type && strcmp(nationality, allowed[i].nationality) == 0 &&
             strcmp(id_type, allowed[i].id_type) == 0;
    if (!ok)
        return refusal_text(
            why, MHD_HTTP_UNPROCESSABLE_CONTENT,
            id_type && *id_type ? "invalid_identity" : "required", "id_type",
            i18n(req->lang, id_type && *id_type ? MSG_IDENTITY_INVALID : MSG_FIELD_REQUIRED));
    char err[256];
    int stored = store_registration_set_identity(req->app->store, reg->id, nationality, id_type,
                                                 req->app->clock(), err, sizeof err);
    if (stored < 0)
        return refusal_internal(req, why, err);
    if (stored == 0)
        return refusal_text(why, MHD_HTTP_CONFLICT, "not_a_draft", NULL,
                            i18n(req->lang, MSG_NOT_A_DRAFT));
    return 0;
}

int enrollment_missing(const struct store_registration *reg, bool missing[ENROLLMENT_STEPS])
{
    const struct store_contact *c = &reg->contact;
    missing[0] = !reg->names.given_names[0] || !reg->names.first_surname[0];
    /* At a desk the email is optional and the receptionist's check of the ID in hand
     * is part of the proof of identity (with the email code when there is an email);
     * the password may come later (docs/staff.md). */
    bool at_desk = reg->assisted_by != 0;
    missing[1] = c->state == 0 || (!c->email[0] && !at_desk);
    missing[2] = !missing[1] && ((c->email[0] && c->email_verified_at == 0) ||
                                 (at_desk && reg->verified_by_staff_at == 0));
    missing[3] = strcmp(c->privacy_version, privacy_notice_current()->version) != 0;
    missing[4] = !reg->password_set && !at_desk;
    missing[5] = reg->address.recorded_at == 0;
    missing[6] = reg->documents[STORE_DOC_ID_FRONT].uploaded_at == 0;
    missing[7] = reg->documents[STORE_DOC_ID_BACK].uploaded_at == 0;
    missing[8] = reg->documents[STORE_DOC_FACE].uploaded_at == 0;
    missing[9] = enrollment_needs_migration_document(reg) &&
                 reg->documents[STORE_DOC_MIGRATION_STATUS].uploaded_at == 0;
    int n = 0;
    for (int i = 0; i < ENROLLMENT_STEPS; i++)
        n += missing[i];
    return n;
}
