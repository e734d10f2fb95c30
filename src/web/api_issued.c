/*
 * /api/v1/me/credential: the signed credential of the bearer's enrollment (JSON,
 * or its printable card as PDF); /api/v1/letters: Cartas de No Afiliación, asked
 * for with a CURP and an email, their status by folio and their PDF with the
 * download key; /api/v1/verify: what a QR says. The rules are web/issued.c's.
 */
#include "web/routes.h"

#include "issuance/documents.h"
#include "web/api_common.h"
#include "web/issued.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int api_me_credential(const struct web_request *req)
{
    struct store_registration reg;
    struct store_credential c;
    struct refusal why;
    int ret;
    if (api_load_me(req, &reg, &ret) != 0)
        return ret;
    if (issued_credential(req, reg.id, &c, &why) != 0)
        return api_reply_refusal(req, &why);
    char issued[11], expires[11];
    documents_day(c.issued_at, issued);
    documents_day(c.expires_at, expires);
    return web_reply_json(req, MHD_HTTP_OK,
                          json_pack("{s:s, s:s, s:s, s:s}", "qr", c.envelope, "credential_id", c.id,
                                    "issued", issued, "expires", expires));
}

int api_me_credential_pdf(const struct web_request *req)
{
    struct store_registration reg;
    struct store_credential c;
    struct refusal why;
    uint8_t *pdf;
    size_t len;
    int ret;
    if (api_load_me(req, &reg, &ret) != 0)
        return ret;
    if (issued_credential(req, reg.id, &c, &why) != 0 ||
        issued_credential_pdf(req, &reg, &c, &pdf, &len, &why) != 0)
        return api_reply_refusal(req, &why);
    char name[48];
    snprintf(name, sizeof name, "credencial-%s.pdf", c.id);
    return web_reply_pdf(req, pdf, len, name);
}

/* The letter as its status reply shows it: only what whoever holds the folio
 * needs to match the paper in hand. */
static json_t *letter_status_json(const struct web_request *req, const struct store_letter *l)
{
    char issued[11], expires[11], curp[40], url[256];
    documents_day(l->issued_at, issued);
    documents_day(l->expires_at, expires);
    issued_mask_curp(l->curp, curp, sizeof curp);
    issued_letter_url(req, l->folio, url, sizeof url);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "folio", l->folio, "status",
                     issued_letter_status(req, l), "institution",
                     store_institution_name(l->institution), "curp", curp, "issued", issued,
                     "expires", expires, "roll_date", l->roll_date, "verify_url", url);
}

int api_letter_create(const struct web_request *req)
{
    static const char *const fields[] = {"curp",          "institution",    "email", "given_names",
                                         "first_surname", "second_surname", NULL};
    json_t *body;
    int ret;
    if (api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct issued_letter_input in = {
        json_input_text(body, "curp"),          json_input_text(body, "institution"),
        json_input_text(body, "email"),         json_input_text(body, "given_names"),
        json_input_text(body, "first_surname"), json_input_text(body, "second_surname"),
    };
    struct store_letter l;
    struct refusal why;
    char key[ISSUED_KEY_TEXT];
    if (issued_letter(req, &in, &l, key, &why) != 0) {
        ret = api_reply_refusal(req, &why);
    } else {
        json_t *j = letter_status_json(req, &l);
        char pdf_url[WEB_PUBLIC_URL_MAX + 128];
        snprintf(pdf_url, sizeof pdf_url, "%s/api/v1/letters/%s/pdf", req->app->public_url,
                 l.folio);
        json_object_set_new(j, "curp", json_string(l.curp));
        json_object_set_new(j, "qr", json_string(l.envelope));
        json_object_set_new(j, "pdf_url", json_string(pdf_url));
        /* Shown only here; sent back as "Authorization: Bearer KEY". */
        json_object_set_new(j, "download_key", json_string(key));
        json_object_set_new(j, "emailed_to", json_string(l.email));
        ret = web_reply_json(req, MHD_HTTP_CREATED, j);
        sodium_memzero(key, sizeof key);
    }
    json_decref(body);
    return ret;
}

int api_letter_get(const struct web_request *req)
{
    struct store_letter l;
    struct refusal why;
    int found = issued_letter_find(req, req->params[0], &l, &why);
    if (found < 0)
        return api_reply_refusal(req, &why);
    if (found == 0)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "not_found", NULL, MSG_LETTER_NOT_FOUND);
    return web_reply_json(req, MHD_HTTP_OK, letter_status_json(req, &l));
}

int api_letter_pdf(const struct web_request *req)
{
    struct refusal why;
    if (web_query(req, "key"))
        return web_reply_error_id(req, MHD_HTTP_BAD_REQUEST, "key_in_url", "key",
                                  MSG_LETTER_KEY_IN_URL);
    size_t key_len = 0;
    const char *bearer = api_bearer_token(req, &key_len);
    char key[ISSUED_KEY_TEXT] = "";
    if (bearer && key_len < sizeof key)
        memcpy(key, bearer, key_len);
    uint8_t *pdf;
    size_t len;
    char name[ISSUED_PDF_NAME];
    int ret = issued_letter_download(req, req->params[0], key, &pdf, &len, name, &why) != 0
                  ? api_reply_refusal(req, &why)
                  : web_reply_pdf(req, pdf, len, name);
    sodium_memzero(key, sizeof key);
    return ret;
}

int api_verify(const struct web_request *req)
{
    static const char *const fields[] = {"qr", NULL};
    json_t *body;
    int ret;
    if (api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    json_t *qr = json_object_get(body, "qr");
    struct refusal why;
    if (issued_verify_allowed(req, false, &why) != 0) {
        ret = api_reply_refusal(req, &why);
    } else if (!json_is_string(qr)) {
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, qr ? "not_text" : "required",
                                 "qr", qr ? MSG_FIELD_NOT_TEXT : MSG_FIELD_REQUIRED);
    } else {
        struct envelope_verdict v;
        if (issued_verify(req, json_string_value(qr), json_string_length(qr), &v) < 0)
            ret = api_internal_error(req, "reading the revocations failed");
        else
            ret = web_reply_json(req, MHD_HTTP_OK, issued_verdict_json(&v));
        envelope_verdict_release(&v);
    }
    json_decref(body);
    return ret;
}
