/*
 * /cuenta/credencial: the signed credential of the signed-in person's enrollment,
 * its QR code on the screen (an inline SVG large enough to scan from a phone),
 * the data it carries and what it proves; /cuenta/credencial.pdf: the printable
 * card. Issuing (when none is in force) and its refusals are issued_credential's,
 * the same as GET /api/v1/me/credential.
 */
#include "web/routes.h"

#include "web/issued.h"
#include "web/page_issued.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Mi credencial", "My credential"}},
    {"heading", {"Mi credencial de IMSS-Bienestar", "My IMSS-Bienestar credential"}},
    {"lead",
     {"Muestre este código QR en su unidad de salud, en la pantalla de su teléfono o impreso. No "
      "necesita imprimirlo ni sellarlo.",
      "Show this QR code at your health unit, on your phone's screen or printed. You do not need "
      "to print it or have it stamped."}},
    {"qr_title", {"Código QR de su credencial", "QR code of your credential"}},
    {"name", {"Nombre", "Name"}},
    {"birth_date", {"Fecha de nacimiento", "Date of birth"}},
    {"folio", {"Folio de afiliación", "Enrollment folio"}},
    {"levels", {"Niveles de atención cubiertos", "Levels of care covered"}},
    {"issued", {"Emitida el", "Issued on"}},
    {"expires", {"Vigente hasta el", "Valid until"}},
    {"download",
     {"Descargar la credencial para imprimir (PDF)", "Download the card to print (PDF)"}},
    {"download_hint",
     {"Una hoja con el frente y el reverso: recorte y doble por la mitad.",
      "One page with the front and the back: cut out and fold in half."}},
    {"proves_title", {"Qué demuestra el código QR", "What the QR code proves"}},
    {"proves",
     {"Que IMSS-Bienestar emitió estos datos y que nadie los ha cambiado. Cualquier unidad lo "
      "comprueba, aun sin internet.",
      "That IMSS-Bienestar issued this data and nobody has changed it. Any health unit can check "
      "it, even without internet."}},
    {"not_proves",
     {"No demuestra que quien lo muestra sea usted: el personal compara sus datos con una "
      "identificación oficial. Lleve la suya.",
      "It does not prove that whoever shows it is you: staff compare your data with an official "
      "ID. Bring yours."}},
    {"names_title", {"Falta su nombre", "Your name is missing"}},
    {"names_link", {"Escribir mi nombre", "Enter my name"}},
    {"suspended_title", {"Su afiliación está suspendida", "Your enrollment is suspended"}},
    {"back", {"Volver a mi cuenta", "Back to my account"}},
};

int page_credential(const struct web_request *req)
{
    struct store_registration reg;
    struct store_credential c;
    struct refusal why;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    if (issued_credential(req, reg.id, &c, &why) != 0) {
        if (why.status != MHD_HTTP_CONFLICT) {
            json_decref(p.view);
            return page_fail(req);
        }
        /* Suspended, or enrolled before names were asked: the refusal says what to do. */
        json_object_set_new(p.view, strcmp(why.code, "suspended") == 0 ? "suspended" : "no_names",
                            json_string(why.message));
        return page_send(&p, "page/credential", MHD_HTTP_CONFLICT);
    }
    /* What the page shows is what the QR code says: its own signed data. */
    struct envelope_verdict v;
    if (issued_verify(req, c.envelope, strlen(c.envelope), &v) < 0 ||
        page_issued_qr(&p, "qr_svg", c.envelope, page_text(&p, texts, N(texts), "qr_title")) != 0) {
        envelope_verdict_release(&v);
        json_decref(p.view);
        return page_fail(req);
    }
    json_t *verdict = issued_verdict_json(&v);
    envelope_verdict_release(&v);
    json_t *claims = page_issued_claims(&p, verdict);
    json_decref(verdict);
    if (!claims) {
        fprintf(stderr, "padron: %s %s: credential %s does not verify\n", req->method, req->url,
                c.id);
        json_decref(p.view);
        return page_fail(req);
    }
    json_object_set_new(p.view, "credential", claims);
    return page_send(&p, "page/credential", MHD_HTTP_OK);
}

int page_credential_pdf(const struct web_request *req)
{
    struct store_registration reg;
    struct store_credential c;
    struct refusal why;
    uint8_t *pdf;
    size_t len;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    if (issued_credential(req, reg.id, &c, &why) != 0)
        return why.status == MHD_HTTP_CONFLICT ? page_go(req, "/cuenta/credencial")
                                               : page_fail(req);
    if (issued_credential_pdf(req, &reg, &c, &pdf, &len, &why) != 0)
        return page_fail(req);
    char name[48];
    snprintf(name, sizeof name, "credencial-%s.pdf", reg.folio);
    return web_reply_pdf(req, pdf, len, name);
}
