/* issued: credentials, letters and verification for the API and the pages (see issued.h). */
#include "web/issued.h"

#include "catalog/catalog.h"
#include "core/curp.h"
#include "core/folio.h"
#include "credential/claims.h"
#include "credential/trust_cache.h"
#include "issuance/documents.h"
#include "issuance/issuance.h"
#include "notify/sender.h"
#include "web/api_common.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Letters one client address may ask for in a window: a family, or a clinic's
 * desk helping people, stays well under it; a script walking CURPs does not. */
#define LETTERS_PER_WINDOW 20
#define LETTER_WINDOW      (60 * 60)
/* And per day for one person and for one mailbox, whatever the addresses asking:
 * a person needs a letter or two for a procedure, and padron must not become a
 * way to flood someone's inbox. */
#define LETTERS_PER_CURP  5
#define LETTERS_PER_EMAIL 10
#define LETTER_DAY        (24 * 60 * 60)

static struct issuance issuance_of(const struct web_request *req)
{
    struct issuance is = {.store = req->app->store, .signer = req->app->signer};
    return is;
}

int issued_suspended_refusal(const struct web_request *req, enum store_institution institution,
                             struct refusal *why)
{
    return refusal_set(req, why, MHD_HTTP_CONFLICT, "suspended", NULL,
                       institution == STORE_ISSSTE ? MSG_SUSPENDED_ISSSTE : MSG_SUSPENDED_IMSS);
}

/* The refusal for what issuance answered about a credential; 0 for ISSUANCE_OK. */
static int credential_outcome(const struct web_request *req, enum issuance_result r,
                              const char *err, struct refusal *why)
{
    switch (r) {
    case ISSUANCE_OK:
        return 0;
    case ISSUANCE_NO_NAMES:
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "no_names", "names",
                           MSG_CREDENTIAL_NO_NAMES);
    case ISSUANCE_NOT_ACTIVE:
        return refusal_set(req, why, MHD_HTTP_NOT_FOUND, "not_active", NULL,
                           MSG_CREDENTIAL_NOT_ACTIVE);
    case ISSUANCE_SUSPENDED_IMSS:
    case ISSUANCE_SUSPENDED_ISSSTE:
        return issued_suspended_refusal(
            req, r == ISSUANCE_SUSPENDED_ISSSTE ? STORE_ISSSTE : STORE_IMSS, why);
    default:
        return refusal_internal(req, why, err);
    }
}

int issued_credential(const struct web_request *req, const char *id, struct store_credential *out,
                      struct refusal *why)
{
    char err[256] = "";
    struct issuance is = issuance_of(req);
    enum issuance_result r = issuance_credential(&is, id, req->app->clock(), out, err, sizeof err);
    return credential_outcome(req, r, err, why);
}

int issued_credential_reissue(const struct web_request *req, const char *id,
                              struct store_credential *out, struct refusal *why)
{
    char err[256] = "";
    struct issuance is = issuance_of(req);
    enum issuance_result r =
        issuance_credential_reissue(&is, id, req->app->clock(), out, err, sizeof err);
    return credential_outcome(req, r, err, why);
}

int issued_credential_pdf(const struct web_request *req, const struct store_registration *reg,
                          const struct store_credential *c, uint8_t **pdf, size_t *len,
                          struct refusal *why)
{
    char err[256];
    struct store_home_clinic home;
    struct documents_clinic clinic = {NULL, NULL};
    int has = store_home_clinic_get(req->app->store, reg->id, &home, err, sizeof err);
    if (has < 0)
        return refusal_internal(req, why, err);
    if (has == 1) {
        const struct catalog_facility *f = catalog_facility(req->app->catalog, home.clues);
        clinic = (struct documents_clinic){home.clues, f ? f->name : NULL};
    }
    if (documents_card_pdf(reg, c, clinic, req->lang == I18N_EN, req->app->public_url, pdf, len,
                           err, sizeof err) != 0)
        return refusal_internal(req, why, err);
    return 0;
}

/* Reads the institution field: "IMSS" or "ISSSTE", in any case. */
static int check_institution(const struct web_request *req, const char *text,
                             enum store_institution *inst, struct refusal *why)
{
    if (!text || !*text)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "institution",
                           MSG_FIELD_REQUIRED);
    if (strcasecmp(text, "IMSS") == 0)
        *inst = STORE_IMSS;
    else if (strcasecmp(text, "ISSSTE") == 0)
        *inst = STORE_ISSSTE;
    else
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_institution",
                           "institution", MSG_INSTITUTION_UNKNOWN);
    return 0;
}

int issued_letter(const struct web_request *req, const struct issued_letter_input *in,
                  struct store_letter *out, char key[ISSUED_KEY_TEXT], struct refusal *why)
{
    struct curp_result curp;
    struct issuance_letter_request rq = {.language = req->lang == I18N_EN ? "en" : "es"};
    char email[CONTACT_EMAIL_MAX + 1], message[256];
    if (!in->curp || !*in->curp)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "curp",
                           MSG_FIELD_REQUIRED);
    if (curp_validate(in->curp, strlen(in->curp), api_today_key(req), &curp) != CURP_VALID) {
        i18n_curp_error(req->lang, &curp, message, sizeof message);
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_curp", "curp", message);
    }
    if (check_institution(req, in->institution, &rq.institution, why) != 0 ||
        enrollment_check_email(req, in->email, email, why) != 0)
        return -1;
    bool named = (in->given_names && *in->given_names) ||
                 (in->first_surname && *in->first_surname) ||
                 (in->second_surname && *in->second_surname);
    struct enrollment_names_input names = {in->given_names, in->first_surname, in->second_surname};
    if (named && enrollment_check_names(req, curp.curp, &names, &rq.names, why) != 0)
        return -1;
    if (enrollment_count_address(req, "letter", LETTER_WINDOW, LETTERS_PER_WINDOW, why) != 0 ||
        enrollment_count_subject(req, "letter-curp", curp.curp, LETTER_DAY, LETTERS_PER_CURP,
                                 why) != 0 ||
        enrollment_count_subject(req, "letter-email", email, LETTER_DAY, LETTERS_PER_EMAIL, why) !=
            0)
        return -1;
    rq.curp = curp.curp;
    rq.email = email;

    uint8_t key_bytes[32];
    randombytes_buf(key_bytes, sizeof key_bytes);
    sodium_bin2base64(key, ISSUED_KEY_TEXT, key_bytes, sizeof key_bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(key_bytes, sizeof key_bytes);
    struct store_affiliation found;
    struct documents_mail mail = {req->app->mail_from, req->app->public_url};
    struct issuance is = issuance_of(req);
    char err[256] = "";
    api_hash_token(key, strlen(key), rq.download_hash);
    enum issuance_result r = issuance_letter(&is, &rq, req->app->clock(), documents_letter_mail,
                                             &mail, out, &found, err, sizeof err);
    if (r != ISSUANCE_OK)
        sodium_memzero(key, ISSUED_KEY_TEXT);
    switch (r) {
    case ISSUANCE_OK:
        if (req->app->mailer)
            mail_sender_wake(req->app->mailer);
        return 0;
    case ISSUANCE_AFFILIATED:
        return rq.institution == STORE_IMSS
                   ? refusal_set(req, why, MHD_HTTP_CONFLICT, "affiliated_imss", "curp",
                                 MSG_LETTER_AFFILIATED_IMSS)
                   : refusal_set(req, why, MHD_HTTP_CONFLICT, "affiliated_issste", "curp",
                                 MSG_LETTER_AFFILIATED_ISSSTE);
    case ISSUANCE_NO_ROLL:
        return refusal_set(req, why, MHD_HTTP_SERVICE_UNAVAILABLE, "roll_not_loaded", "institution",
                           MSG_LETTER_NO_ROLL);
    default:
        return refusal_internal(req, why, err);
    }
}

int issued_letter_find(const struct web_request *req, const char *folio, struct store_letter *out,
                       struct refusal *why)
{
    /* Folios are 40 random bits, but revoked ones are published: a limit keeps
     * anyone from walking the status pages. */
    if (enrollment_count_address(req, "folio", ISSUED_WINDOW, ISSUED_FOLIO_LOOKUPS, why) != 0)
        return -1;
    char canonical[FOLIO_LENGTH + 1], err[256];
    if (!folio || !folio_normalize_kind(FOLIO_LETTER, folio, strlen(folio), canonical))
        return 0;
    int found = store_letter_get(req->app->store, canonical, out, err, sizeof err);
    return found < 0 ? refusal_internal(req, why, err) : found;
}

int issued_verify_allowed(const struct web_request *req, bool photo, struct refusal *why)
{
    return photo
               ? enrollment_count_address(req, "verify-photo", ISSUED_WINDOW,
                                          ISSUED_PHOTO_VERIFICATIONS, why)
               : enrollment_count_address(req, "verify", ISSUED_WINDOW, ISSUED_VERIFICATIONS, why);
}

static bool letter_key_ok(const struct store_letter *l, const char *key)
{
    if (!key || strlen(key) != ISSUED_KEY_TEXT - 1)
        return false;
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    api_hash_token(key, strlen(key), hash);
    return sodium_memcmp(hash, l->download_hash, sizeof hash) == 0;
}

int issued_letter_download(const struct web_request *req, const char *folio, const char *key,
                           uint8_t **pdf, size_t *len, char name[ISSUED_PDF_NAME],
                           struct refusal *why)
{
    struct store_letter l;
    int found = issued_letter_find(req, folio, &l, why);
    if (found < 0)
        return -1;
    if (found == 0 || !letter_key_ok(&l, key))
        return refusal_set(req, why, MHD_HTTP_NOT_FOUND, "not_found", NULL, MSG_LETTER_NOT_FOUND);
    char err[256];
    if (documents_letter_pdf(&l, req->app->public_url, pdf, len, err, sizeof err) != 0)
        return refusal_internal(req, why, err);
    snprintf(name, ISSUED_PDF_NAME, "carta-%s.pdf", l.folio);
    return 0;
}

const char *issued_letter_status(const struct web_request *req, const struct store_letter *l)
{
    if (l->revocation.revoked_at)
        return "revoked";
    return req->app->clock() >= l->expires_at ? "expired" : "valid";
}

void issued_letter_url(const struct web_request *req, const char *folio, char *buf, size_t size)
{
    documents_letter_url(req->app->public_url, folio, buf, size);
}

static int collect_revoked(void *ctx, const char *id)
{
    struct issued_revoked *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        char(*text)[STORE_ISSUED_ID_LEN + 1] = realloc(r->text, cap * sizeof *r->text);
        if (!text)
            return 1;
        r->text = text;
        r->cap = cap;
    }
    snprintf(r->text[r->n++], STORE_ISSUED_ID_LEN + 1, "%s", id);
    return 0;
}

int issued_revoked_load(const struct web_request *req, struct issued_revoked *out)
{
    char err[256];
    memset(out, 0, sizeof *out);
    long listed = store_revoked_each(req->app->store, req->app->clock(), collect_revoked, out, err,
                                     sizeof err);
    if (listed >= 0 && (size_t)listed != out->n)
        snprintf(err, sizeof err, "out of memory listing revocations");
    if (listed < 0 || (size_t)listed != out->n) {
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        issued_revoked_release(out);
        return -1;
    }
    out->ids = calloc(out->n ? out->n : 1, sizeof *out->ids);
    if (!out->ids) {
        issued_revoked_release(out);
        return -1;
    }
    for (size_t i = 0; i < out->n; i++)
        out->ids[i] = (struct envelope_id){(const uint8_t *)out->text[i], strlen(out->text[i])};
    return 0;
}

void issued_revoked_release(struct issued_revoked *r)
{
    free(r->ids);
    free(r->text);
    memset(r, 0, sizeof *r);
}

int issued_verify(const struct web_request *req, const char *text, size_t len,
                  struct envelope_verdict *v)
{
    int64_t now = req->app->clock();
    char err[256];
    struct issued_revoked revoked;
    if (issued_revoked_load(req, &revoked) != 0) {
        memset(v, 0, sizeof *v);
        return -1;
    }
    struct trust_list trust = {0};
    if (req->app->trust_list &&
        trust_cache_keys(req->app->trust_list, now, &trust, err, sizeof err) != 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    struct envelope_key keys[TRUST_LIST_MAX_KEYS];
    size_t n_keys = trust_list_envelope_keys(&trust, keys);
    struct envelope_options opt = {
        .keys = keys,
        .key_count = n_keys,
        .revoked = revoked.ids,
        .revoked_count = revoked.n,
        .now = now,
        .leeway = 300,
    };
    int result = (int)envelope_verify(text, len, &opt, v);
    trust_list_release(&trust);
    issued_revoked_release(&revoked);
    return result;
}

/* Adds key: the text t (when present) to j. */
static void put_text(json_t *j, const char *key, struct claims_text t)
{
    if (t.s)
        json_object_set_new(j, key, json_stringn(t.s, t.len));
}

json_t *issued_verdict_json(const struct envelope_verdict *v)
{
    json_t *j = json_pack("{s:s}", "result", envelope_result_code(v->result));
    if (v->reason[0])
        json_object_set_new(j, "reason", json_string(v->reason));
    if (v->layer[0])
        json_object_set_new(j, "layer", json_string(v->layer));
    if (v->kid_len == KEYS_KID_LEN) {
        char kid[KEYS_KID_TEXT_SIZE];
        keys_kid_text(v->kid, kid);
        json_object_set_new(j, "kid", json_string(kid));
    }
    if (!v->signed_ok)
        return j;
    char when[11];
    if (v->iss)
        json_object_set_new(j, "issuer", json_stringn(v->iss, v->iss_len));
    documents_day(v->iat, when);
    json_object_set_new(j, "issued", json_string(when));
    documents_day(v->exp, when);
    json_object_set_new(j, "expires", json_string(when));
    if (v->cti)
        json_object_set_new(j, "id", json_stringn((const char *)v->cti, v->cti_len));
    struct claims_person p;
    char why[CLAIMS_WHY_SIZE];
    if (!v->payload || claims_decode(v->payload, v->payload_len, &p, why) != 0)
        return j;
    json_object_set_new(j, "kind",
                        json_string(p.kind == CLAIMS_CREDENTIAL ? "credential" : "letter"));
    put_text(j, "folio", p.folio);
    put_text(j, "curp", p.curp);
    put_text(j, "given_names", p.given);
    put_text(j, "first_surname", p.surname1);
    put_text(j, "second_surname", p.surname2);
    put_text(j, "birth_date", p.birth);
    put_text(j, "program", p.program);
    put_text(j, "clues", p.clues);
    put_text(j, "institution", p.institution);
    if (p.level_count) {
        json_t *levels = json_array();
        for (size_t i = 0; i < p.level_count; i++)
            json_array_append_new(levels, json_integer(p.levels[i]));
        json_object_set_new(j, "levels", levels);
    }
    return j;
}

void issued_mask_curp(const char *curp, char *out, size_t size)
{
    /* The initials and the last four: enough to match the paper in hand, not
     * enough to learn a birth date or a birthplace. */
    snprintf(out, size, "%.4s··········%.4s", curp, strlen(curp) == 18 ? curp + 14 : "");
}
