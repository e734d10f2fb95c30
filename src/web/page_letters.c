/*
 * The Cartas de No Afiliación for people, no account needed: /cartas asks for
 * one (CURP, institution, email, and the names if the person wants them on the
 * letter) and answers with the letter issued, its QR code and the link to its
 * PDF; /cartas/{folio} is the public page the letter's URL points to: its status
 * and only the data needed to match the paper in hand. The rules are
 * issued_letter's, the same as POST /api/v1/letters.
 *
 * The PDF's download key is shown once, on the page that answers the request,
 * and is stored nowhere but as its hash (issued.h).
 */
#include "web/routes.h"

#include "web/form.h"
#include "web/issued.h"
#include "web/page_issued.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Carta de No Afiliación", "Letter of non-affiliation"}},
    {"heading",
     {"Pida su Carta de No Afiliación al IMSS o al ISSSTE",
      "Ask for your letter of non-affiliation to IMSS or ISSSTE"}},
    {"lead",
     {"La carta dice que usted no está afiliado con derechos vigentes a esa institución, según "
      "su padrón. Es gratuita, no necesita cuenta, y no hay que imprimirla, sellarla ni firmarla: "
      "su código QR la hace válida.",
      "The letter says that you are not an active member of that institution, according to its "
      "roll. It is free, needs no account, and does not have to be printed, stamped or signed: "
      "its QR code makes it valid."}},
    {"curp_label", {"CURP", "CURP"}},
    {"curp_hint", {"18 letras y números.", "18 letters and digits."}},
    {"institution_legend", {"¿De qué institución?", "Which institution?"}},
    {"imss",
     {"IMSS (Instituto Mexicano del Seguro Social)", "IMSS (Mexican Social Security Institute)"}},
    {"issste",
     {"ISSSTE (Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado)",
      "ISSSTE (Social Security Institute for State Workers)"}},
    {"email_label", {"Correo electrónico", "Email address"}},
    {"email_hint", {"Le enviamos la carta a este correo.", "We send the letter to this address."}},
    {"names_legend", {"Su nombre (opcional)", "Your name (optional)"}},
    {"names_hint",
     {"Si lo escribe, aparece en la carta y debe coincidir con su CURP, tal como en su acta de "
      "nacimiento.",
      "If you write it, it appears on the letter and must match your CURP, as on your birth "
      "certificate."}},
    {"given_label", {"Nombre o nombres", "Given name or names"}},
    {"first_label", {"Primer apellido", "First surname"}},
    {"second_label", {"Segundo apellido", "Second surname"}},
    {"send", {"Pedir la carta", "Ask for the letter"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"verify_link", {"Verificar una credencial o una carta", "Verify a credential or a letter"}},
};

static const struct page_text issued_texts[] = {
    {"title", {"Su Carta de No Afiliación", "Your letter of non-affiliation"}},
    {"heading", {"Su carta está lista", "Your letter is ready"}},
    {"folio", {"Folio", "Folio"}},
    {"institution", {"Institución", "Institution"}},
    {"curp", {"CURP", "CURP"}},
    {"valid_from", {"Válida desde el", "Valid from"}},
    {"valid_until", {"hasta el", "until"}},
    {"qr_title", {"Código QR de su carta", "QR code of your letter"}},
    {"download", {"Descargar la carta (PDF)", "Download the letter (PDF)"}},
    {"download_once",
     {"Guarde el archivo: este enlace de descarga solo se muestra en esta página.",
      "Save the file: this download link is shown only on this page."}},
    {"emailed", {"También se la enviamos a", "We also sent it to"}},
    {"how_title", {"Cómo se verifica", "How it is verified"}},
    {"how",
     {"No necesita sello ni firma. Quien la recibe escanea el código QR o abre la dirección "
      "impresa en la carta, que lleva el folio, y compara la CURP con una identificación oficial.",
      "It needs no stamp or signature. Whoever receives it scans the QR code or opens the address "
      "printed on the letter, which carries the folio, and compares the CURP with an official "
      "ID."}},
    {"status_link", {"Ver el estado de esta carta", "See this letter's status"}},
    {"another", {"Pedir otra carta", "Ask for another letter"}},
};

static const struct page_text status_texts[] = {
    {"title", {"Estado de una Carta de No Afiliación", "Status of a letter of non-affiliation"}},
    {"heading", {"Carta de No Afiliación", "Letter of non-affiliation"}},
    {"folio", {"Folio", "Folio"}},
    {"status", {"Estado", "Status"}},
    {"valid", {"Vigente", "Valid"}},
    {"valid_text",
     {"La carta fue emitida por IMSS-Bienestar y está vigente.",
      "The letter was issued by IMSS-Bienestar and is in force."}},
    {"revoked", {"Revocada", "Revoked"}},
    {"revoked_text",
     {"IMSS-Bienestar retiró esta carta: ya no es válida.",
      "IMSS-Bienestar withdrew this letter: it is no longer valid."}},
    {"expired", {"Vencida", "Expired"}},
    {"expired_text",
     {"Su vigencia terminó: la persona puede pedir una nueva en esta página.",
      "Its validity has ended: the person can ask for a new one on this site."}},
    {"institution", {"No afiliación a", "Not affiliated to"}},
    {"curp", {"CURP (en parte)", "CURP (in part)"}},
    {"roll_date", {"Padrón consultado con fecha", "Roll consulted as of"}},
    {"issued", {"Emitida el", "Issued on"}},
    {"expires", {"Vigente hasta el", "Valid until"}},
    {"compare",
     {"Compare el folio y la CURP con la carta que tiene en la mano, y la CURP con una "
      "identificación oficial de la persona.",
      "Compare the folio and the CURP with the letter in your hand, and the CURP with the "
      "person's official ID."}},
    {"verify_link", {"Verificar el código QR de la carta", "Verify the letter's QR code"}},
};

static const char *const fields[] = {"csrf",        "curp",          "institution",    "email",
                                     "given_names", "first_surname", "second_surname", NULL};
static const struct form_decl declaration = {fields, NULL, NULL};

/* The request form, with what was typed and the refusal why (when set). */
static int show_form(const struct web_request *req, const struct issued_letter_input *in,
                     const struct refusal *why)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    const char *const values[] = {in->curp,          in->email,          in->given_names,
                                  in->first_surname, in->second_surname, in->institution};
    static const char *const keys[] = {"curp",          "email",          "given_names",
                                       "first_surname", "second_surname", "institution"};
    for (size_t i = 0; i < N(keys); i++)
        json_object_set_new(p.view, keys[i], json_string(values[i] ? values[i] : ""));
    bool issste = in->institution && strcasecmp(in->institution, "ISSSTE") == 0;
    json_object_set_new(p.view, "imss_checked", json_boolean(!issste));
    json_object_set_new(p.view, "issste_checked", json_boolean(issste));
    if (why)
        page_error(&p, why->field ? why->field : "curp", why->message);
    return page_send(&p, "page/letters", why ? why->status : MHD_HTTP_OK);
}

int page_letters_get(const struct web_request *req)
{
    const struct issued_letter_input none = {0};
    return show_form(req, &none, NULL);
}

/* The page that answers a granted request: the only place the key is shown. */
static int show_issued(const struct web_request *req, const struct store_letter *l, const char *key)
{
    struct page p;
    page_init(&p, req, issued_texts, N(issued_texts), "title");
    if (page_issued_qr(&p, "qr_svg", l->envelope,
                       page_text(&p, issued_texts, N(issued_texts), "qr_title")) != 0) {
        json_decref(p.view);
        return page_fail(req);
    }
    json_object_set_new(p.view, "folio", json_string(l->folio));
    json_object_set_new(p.view, "institution", json_string(store_institution_name(l->institution)));
    json_object_set_new(p.view, "curp", json_string(l->curp));
    json_object_set_new(p.view, "issued", page_issued_day(&p, l->issued_at));
    json_object_set_new(p.view, "expires", page_issued_day(&p, l->expires_at));
    json_object_set_new(p.view, "email", json_string(l->email));
    /* A posted form carries the key: a link would leave it in the browser's history. */
    json_object_set_new(p.view, "download_key", json_string(key));
    return page_send(&p, "page/letter_issued", MHD_HTTP_OK);
}

static const char *const download_fields[] = {"csrf", "key", NULL};
static const struct form_decl download_declaration = {download_fields, NULL, NULL};

int page_letter_pdf(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    uint8_t *pdf;
    size_t len;
    char name[ISSUED_PDF_NAME];
    int ret;
    if (page_read_form(req, &download_declaration, &f, "key", &why) != 0)
        ret = page_refused(req, &why);
    else if (issued_letter_download(req, req->params[0], form_get(&f, "key", NULL), &pdf, &len,
                                    name, &why) != 0)
        ret = why.status >= 500 ? page_fail(req) : page_refused(req, &why);
    else
        ret = web_reply_pdf(req, pdf, len, name);
    form_release(&f);
    return ret;
}

int page_letters_post(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    int ret;
    if (page_read_form(req, &declaration, &f, "curp", &why) != 0) {
        const struct issued_letter_input none = {0};
        ret = show_form(req, &none, &why);
        form_release(&f);
        return ret;
    }
    const struct issued_letter_input in = {
        form_get(&f, "curp", NULL),          form_get(&f, "institution", NULL),
        form_get(&f, "email", NULL),         form_get(&f, "given_names", NULL),
        form_get(&f, "first_surname", NULL), form_get(&f, "second_surname", NULL),
    };
    struct store_letter l;
    char key[ISSUED_KEY_TEXT];
    if (issued_letter(req, &in, &l, key, &why) != 0) {
        ret = why.status >= 500 && why.status != MHD_HTTP_SERVICE_UNAVAILABLE
                  ? page_fail(req)
                  : show_form(req, &in, &why);
    } else {
        ret = show_issued(req, &l, key);
        sodium_memzero(key, sizeof key);
    }
    form_release(&f);
    return ret;
}

int page_letter_status(const struct web_request *req)
{
    struct store_letter l;
    struct refusal why;
    int found = issued_letter_find(req, req->params[0], &l, &why);
    if (found < 0 && why.status == MHD_HTTP_TOO_MANY_REQUESTS)
        return page_refusal(req, MHD_HTTP_TOO_MANY_REQUESTS, MSG_RATE_LIMITED);
    if (found < 0)
        return page_fail(req);
    if (found == 0)
        return page_refusal(req, MHD_HTTP_NOT_FOUND, MSG_LETTER_NOT_FOUND);
    struct page p;
    page_init(&p, req, status_texts, N(status_texts), "title");
    const char *status = issued_letter_status(req, &l);
    char text_key[24], curp[40];
    snprintf(text_key, sizeof text_key, "%s_text", status);
    issued_mask_curp(l.curp, curp, sizeof curp);
    json_object_set_new(p.view, "state",
                        json_pack("{s:s, s:s, s:s, s:b}", "code", status, "label",
                                  page_text(&p, status_texts, N(status_texts), status), "text",
                                  page_text(&p, status_texts, N(status_texts), text_key), "ok",
                                  strcmp(status, "valid") == 0));
    json_object_set_new(p.view, "folio", json_string(l.folio));
    json_object_set_new(p.view, "institution", json_string(store_institution_name(l.institution)));
    json_object_set_new(p.view, "curp", json_string(curp));
    json_object_set_new(p.view, "roll_date", page_issued_date(&p, l.roll_date));
    json_object_set_new(p.view, "issued", page_issued_day(&p, l.issued_at));
    json_object_set_new(p.view, "expires", page_issued_day(&p, l.expires_at));
    return page_send(&p, "page/letter_status", MHD_HTTP_OK);
}
