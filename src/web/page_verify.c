/*
 * /verificar: for clinic staff, what a credential's or a letter's QR code says.
 * The text is pasted (what a scanner types), or a photo of the code is uploaded
 * (read with qr_scan_image, the same limits as the document photos). The answer
 * is the verdict in words with a state that reads without colour (a symbol and
 * a label), the signed data when the signature verified, and the reminder that
 * the code does not prove who shows it. Verification is issued_verify, the same
 * as POST /api/v1/verify: the server's keys and revocations, nothing the
 * request brings.
 */
#include "web/routes.h"

#include "render/qr_scan.h"
#include "web/form.h"
#include "web/issued.h"
#include "web/page_issued.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Verificar una credencial o una carta", "Verify a credential or a letter"}},
    {"heading", {"Verificar una credencial o una carta", "Verify a credential or a letter"}},
    {"lead",
     {"Para el personal de las unidades: compruebe que una credencial o una Carta de No "
      "Afiliación la emitió IMSS-Bienestar y sigue vigente. No hace falta sello ni firma.",
      "For health unit staff: check that a credential or a letter of non-affiliation was issued "
      "by IMSS-Bienestar and is still in force. No stamp or signature is needed."}},
    {"text_title", {"Pegar el texto del código", "Paste the code's text"}},
    {"qr_label", {"Texto del código QR", "Text of the QR code"}},
    {"qr_hint",
     {"Empieza con «PB1:». Un lector de códigos lo escribe aquí por usted.",
      "It starts with «PB1:». A code scanner types it here for you."}},
    {"check", {"Verificar", "Verify"}},
    {"photo_title", {"O subir una foto del código", "Or upload a photo of the code"}},
    {"photo_label", {"Foto del código QR", "Photo of the QR code"}},
    {"photo_hint",
     {"JPEG o PNG de hasta 10 MB: el código completo, de frente, enfocado y con buena luz.",
      "JPEG or PNG up to 10 MB: the whole code, straight on, in focus and well lit."}},
    {"check_photo", {"Verificar la foto", "Verify the photo"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"result_title", {"Resultado", "Result"}},
    {"data_title", {"Datos firmados", "Signed data"}},
    {"kind", {"Documento", "Document"}},
    {"kind_credential", {"Credencial de IMSS-Bienestar", "IMSS-Bienestar credential"}},
    {"kind_letter", {"Carta de No Afiliación", "Letter of non-affiliation"}},
    {"name", {"Nombre", "Name"}},
    {"birth_date", {"Fecha de nacimiento", "Date of birth"}},
    {"folio", {"Folio", "Folio"}},
    {"levels", {"Niveles de atención cubiertos", "Levels of care covered"}},
    {"clues", {"Unidad de salud (CLUES)", "Health unit (CLUES)"}},
    {"institution", {"No afiliación a", "Not affiliated to"}},
    {"issued", {"Emitido el", "Issued on"}},
    {"expires", {"Vigente hasta el", "Valid until"}},
    {"compare",
     {"El código no prueba que quien lo muestra sea esa persona: compare el nombre, la CURP y "
      "la fecha de nacimiento con una identificación oficial.",
      "The code does not prove that whoever shows it is that person: compare the name, the CURP "
      "and the date of birth with an official ID."}},
    {"another", {"Verificar otro código", "Verify another code"}},
    {"photo_missing", {"Elija una foto del código QR.", "Choose a photo of the QR code."}},
    {"no_qr",
     {"No encontramos un código QR en la foto. Tómela de cerca, de frente, con todo el código "
      "dentro y buena luz, o pegue el texto del código.",
      "We found no QR code in the photo. Take it close up, straight on, with the whole code in "
      "it and good light, or paste the code's text."}},
};

/* Each verdict in words: a label, what it means for the person at the desk, and
 * its state (ok, warn, bad) with the symbol that says it without colour. */
static const struct {
    const char *state, *symbol;
    const char *label[2], *text[2];
} verdicts[] = {
    [ENVELOPE_VALID] = {"ok",
                        "✓",
                        {"Válido", "Valid"},
                        {"Lo emitió IMSS-Bienestar, nadie lo ha cambiado y está vigente.",
                         "IMSS-Bienestar issued it, nobody has changed it, and it is in force."}},
    [ENVELOPE_EXPIRED] = {"warn",
                          "!",
                          {"Vencido", "Expired"},
                          {"Lo emitió IMSS-Bienestar, pero su vigencia terminó. La persona "
                           "puede obtener uno nuevo en línea.",
                           "IMSS-Bienestar issued it, but its validity has ended. The person "
                           "can get a new one online."}},
    [ENVELOPE_NOT_YET_VALID] = {"warn",
                                "!",
                                {"Aún no vigente", "Not yet valid"},
                                {"Lo emitió IMSS-Bienestar, pero su vigencia aún no empieza. "
                                 "Revise la fecha y la hora de este equipo.",
                                 "IMSS-Bienestar issued it, but its validity has not started "
                                 "yet. Check this device's date and time."}},
    [ENVELOPE_REVOKED] = {"bad",
                          "✗",
                          {"Revocado", "Revoked"},
                          {"IMSS-Bienestar lo retiró (por ejemplo, al corregir los datos y "
                           "emitir otro). No lo acepte: la persona puede descargar el vigente.",
                           "IMSS-Bienestar withdrew it (for example, when the data was "
                           "corrected and a new one issued). Do not accept it: the person can "
                           "download the one in force."}},
    [ENVELOPE_UNKNOWN_KEY] = {"bad",
                              "✗",
                              {"Firma desconocida", "Unknown signature"},
                              {"Está firmado con una llave que IMSS-Bienestar no reconoce. No "
                               "lo acepte.",
                               "It is signed with a key IMSS-Bienestar does not recognise. Do "
                               "not accept it."}},
    [ENVELOPE_BAD_SIGNATURE] = {"bad",
                                "✗",
                                {"Firma no válida", "Invalid signature"},
                                {"Los datos fueron alterados o la firma no corresponde. No lo "
                                 "acepte.",
                                 "The data was altered or the signature does not match. Do not "
                                 "accept it."}},
    [ENVELOPE_MALFORMED] = {"bad",
                            "?",
                            {"Ilegible", "Unreadable"},
                            {"No es un código completo de IMSS-Bienestar. Copie el texto otra "
                             "vez o suba una foto más nítida.",
                             "It is not a complete IMSS-Bienestar code. Copy the text again or "
                             "upload a sharper photo."}},
};

static const char *const text_fields[] = {"csrf", "qr", NULL};
static const struct form_decl text_form = {text_fields, NULL, NULL};
static const struct form_file_decl photo_file[] = {{"photo", QR_SCAN_MAX_IMAGE_BYTES}, {NULL, 0}};
static const char *const photo_fields[] = {"csrf", NULL};
static const struct form_decl photo_form = {photo_fields, NULL, photo_file};

/* The page: the forms, with the refusal why at its field, or the verdict v. */
static int show(const struct web_request *req, const char *typed, const struct refusal *why,
                const struct envelope_verdict *v)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    json_object_set_new(p.view, "qr", json_string(typed ? typed : ""));
    if (why)
        page_error(&p, why->field, why->message);
    if (v && (size_t)v->result < N(verdicts)) {
        bool en = req->lang == I18N_EN;
        json_t *verdict = issued_verdict_json(v);
        json_t *claims = page_issued_claims(&p, verdict);
        json_object_set_new(
            p.view, "result",
            json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", envelope_result_code(v->result), "state",
                      verdicts[v->result].state, "symbol", verdicts[v->result].symbol, "label",
                      verdicts[v->result].label[en], "text", verdicts[v->result].text[en]));
        if (claims)
            json_object_set_new(p.view, "claims", claims);
        json_decref(verdict);
    }
    return page_send(&p, "page/verify", why ? why->status : MHD_HTTP_OK);
}

int page_verify_get(const struct web_request *req)
{
    return show(req, NULL, NULL, NULL);
}

/* Verifies text and shows the verdict. */
static int verify_and_show(const struct web_request *req, const char *text, size_t len,
                           const char *typed)
{
    struct envelope_verdict v;
    int ret = issued_verify(req, text, len, &v) < 0 ? page_fail(req) : show(req, typed, NULL, &v);
    envelope_verdict_release(&v);
    return ret;
}

int page_verify_post(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    int ret;
    size_t len = 0;
    if (page_read_form(req, &text_form, &f, "qr", &why) != 0 ||
        issued_verify_allowed(req, false, &why) != 0) {
        ret = show(req, NULL, &why, NULL);
        form_release(&f);
        return ret;
    }
    const char *typed = form_get(&f, "qr", &len);
    /* What a scanner or a copy adds around the code: spaces and line ends. */
    const char *text = typed ? typed : "";
    while (len && strchr(" \t\r\n", text[0]))
        text++, len--;
    while (len && strchr(" \t\r\n", text[len - 1]))
        len--;
    if (len == 0) {
        refusal_set(req, &why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "qr",
                    MSG_FIELD_REQUIRED);
        ret = show(req, typed, &why, NULL);
    } else {
        ret = verify_and_show(req, text, len, typed);
    }
    form_release(&f);
    return ret;
}

/* The text of key in the page's catalog, in the request's language. */
static const char *text_of(const struct web_request *req, const char *key)
{
    for (size_t i = 0; i < N(texts); i++)
        if (strcmp(texts[i].key, key) == 0)
            return texts[i].text[req->lang == I18N_EN];
    return "";
}

/* A refusal at the photo field with a text of the page's catalog. */
static void photo_refusal(const struct web_request *req, const char *code, const char *key,
                          struct refusal *why)
{
    *why = (struct refusal){MHD_HTTP_UNPROCESSABLE_CONTENT, code, "photo", ""};
    snprintf(why->message, sizeof why->message, "%s", text_of(req, key));
}

/* The refusal of a photo that gave no QR text. */
static void scan_refusal(const struct web_request *req, enum qr_scan_status status,
                         struct refusal *why)
{
    static const struct {
        enum qr_scan_status status;
        unsigned http;
        enum i18n_msg msg;
    } photo_msgs[] = {
        {QR_SCAN_ERR_SIZE, MHD_HTTP_CONTENT_TOO_LARGE, MSG_PHOTO_SIZE},
        {QR_SCAN_ERR_TYPE, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, MSG_PHOTO_TYPE},
        {QR_SCAN_ERR_DIMENSIONS, MHD_HTTP_UNPROCESSABLE_CONTENT, MSG_PHOTO_DIMENSIONS},
        {QR_SCAN_ERR_UNREADABLE, MHD_HTTP_UNPROCESSABLE_CONTENT, MSG_PHOTO_UNREADABLE},
    };
    for (size_t i = 0; i < N(photo_msgs); i++)
        if (photo_msgs[i].status == status) {
            refusal_set(req, why, photo_msgs[i].http, qr_scan_status_code(status), "photo",
                        photo_msgs[i].msg);
            return;
        }
    photo_refusal(req, "not_found", "no_qr", why);
}

int page_verify_photo_post(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    const struct form_entry *file;
    int ret;
    if (page_read_form(req, &photo_form, &f, "photo", &why) != 0 ||
        issued_verify_allowed(req, true, &why) != 0) {
        ret = show(req, NULL, &why, NULL);
    } else if (!(file = form_file(&f, "photo")) || file->len == 0) {
        photo_refusal(req, "required", "photo_missing", &why);
        ret = show(req, NULL, &why, NULL);
    } else {
        struct qr_scan_result scan;
        qr_scan_image((const uint8_t *)file->data, file->len, NULL, &scan);
        if (scan.status == QR_SCAN_OK) {
            ret = verify_and_show(req, scan.text, scan.len, scan.text);
        } else if (scan.status == QR_SCAN_ERR_INTERNAL) {
            fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, scan.error);
            ret = page_fail(req);
        } else {
            scan_refusal(req, scan.status, &why);
            ret = show(req, NULL, &why, NULL);
        }
        qr_scan_result_release(&scan);
    }
    form_release(&f);
    return ret;
}
