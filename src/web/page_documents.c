/*
 * Step 7 of the wizard, /registro/documentos: photos of the official ID (front
 * and back) and of the face, one form each so a slow connection sends one photo
 * at a time and a refused photo does not cost the others. The limits are said
 * before anything is chosen; a refused photo says why at its own form. The
 * checks and storage are enrollment_document's, the same as the API's.
 *
 * GET /registro/documentos/{kind} gives back a stored photo to the holder of the
 * application cookie, so the person sees what was received.
 */
#include "web/routes.h"

#include "media/blobstore.h"
#include "media/photo.h"
#include "web/api_common.h"
#include "web/enrollment.h"
#include "web/form.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Paso 7 de 8: sus documentos", "Step 7 of 8: your documents"}},
    {"heading", {"Paso 7 de 8: sus documentos", "Step 7 of 8: your documents"}},
    {"lead",
     {"Suba una foto de cada lado de su identificación oficial y una foto de su cara. Puede "
      "tomarlas con la cámara de su celular.",
      "Upload a photo of each side of your official ID and a photo of your face. You can take "
      "them with your phone's camera."}},
    {"limit_type",
     {"Fotos JPEG o PNG de hasta 10 MB cada una.", "JPEG or PNG photos of up to 10 MB each."}},
    {"limit_read",
     {"Que se vea el documento completo, enfocado y sin reflejos (al menos 300 píxeles por "
      "lado). Quitamos los datos ocultos de la foto (ubicación, fecha, modelo del teléfono).",
      "The whole document must show, in focus and without glare (at least 300 pixels on a "
      "side). We remove the photo's hidden data (location, date, phone model)."}},
    {"received", {"Recibida", "Received"}},
    {"choose", {"Elegir foto", "Choose photo"}},
    {"replace", {"Cambiar foto", "Replace photo"}},
    {"upload", {"Subir foto", "Upload photo"}},
    {"uploaded", {"Recibimos su foto.", "We received your photo."}},
    {"identity_legend", {"¿Qué identificación va a usar?", "Which ID will you use?"}},
    {"identity_save", {"Guardar", "Save"}},
    {"identity_saved", {"Guardamos su elección.", "We saved your choice."}},
    {"identity_mexican-ine",
     {"Credencial para votar (INE), si es mexicano", "Voter card (INE), for Mexicans"}},
    {"identity_mexican-passport", {"Pasaporte mexicano", "Mexican passport"}},
    {"identity_foreign-passport",
     {"Pasaporte extranjero (con su documento migratorio)",
      "Foreign passport (with your migration document)"}},
    {"identity_foreign-inm_card",
     {"Tarjeta de residente temporal o permanente del INM",
      "INM temporary or permanent resident card"}},
    {"identity_foreign-fmm",
     {"Forma Migratoria Múltiple (FMM, con su pasaporte)",
      "Multiple Migration Form (FMM, with your passport)"}},
    {"migration_status_hint",
     {"Su tarjeta de residente, su FMM sellada o la resolución del INM que acredita su estancia "
      "regular.",
      "Your resident card, your stamped FMM or the INM resolution that proves your regular "
      "stay."}},
    {"continue", {"Continuar: revisar y enviar", "Continue: review and send"}},
    {"status_link", {"Ver los pasos de mi solicitud", "See the steps of my application"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"id_front_hint",
     {"INE, pasaporte o, si es extranjero, tarjeta de residente del INM.",
      "Voter card (INE), passport or, for foreigners, an INM residence card."}},
    {"id_back_hint",
     {"El otro lado de la misma identificación (en un pasaporte, la página de la firma).",
      "The other side of the same ID (for a passport, the signature page)."}},
    {"face_hint",
     {"De frente, sin lentes oscuros ni gorra, con luz de día.",
      "Facing the camera, without sunglasses or a cap, in daylight."}},
};

/* The documents the page asks for, in order, with their titles; the last only
 * of the foreigners whose ID does not prove a regular stay. */
static const enum store_document_kind asked[] = {STORE_DOC_ID_FRONT, STORE_DOC_ID_BACK,
                                                 STORE_DOC_FACE, STORE_DOC_MIGRATION_STATUS};
static const enum i18n_msg titles[] = {MSG_DOC_ID_FRONT, MSG_DOC_ID_BACK, MSG_DOC_FACE,
                                       MSG_DOC_MIGRATION};

static size_t asked_of(const struct store_registration *reg)
{
    return enrollment_needs_migration_document(reg) ? N(asked) : N(asked) - 1;
}

/* The ID choices, as "nationality-id_type" values of one radio group. */
static const struct {
    const char *value, *nationality, *id_type;
} identities[] = {
    {"mexican-ine", "mexican", "ine"},           {"mexican-passport", "mexican", "passport"},
    {"foreign-passport", "foreign", "passport"}, {"foreign-inm_card", "foreign", "inm_card"},
    {"foreign-fmm", "foreign", "fmm"},
};

static const struct form_file_decl photo_file[] = {{"photo", PHOTO_MAX_BYTES}, {NULL, 0}};
static const char *const fields[] = {"csrf", NULL};
static const struct form_decl declaration = {fields, NULL, photo_file};

/* The kind named in the path among those the page asks for, or -1. */
static int path_kind(const struct web_request *req)
{
    for (size_t i = 0; i < N(asked); i++)
        if (strcmp(req->params[0], api_document_kind_name(asked[i])) == 0)
            return (int)asked[i];
    return -1;
}

json_t *page_documents_view(const struct web_request *req, const struct store_registration *reg)
{
    json_t *list = json_array();
    for (size_t i = 0; i < asked_of(reg); i++) {
        const char *name = api_document_kind_name(asked[i]);
        const struct store_document *d = &reg->documents[asked[i]];
        json_t *item = json_pack("{s:s, s:s, s:b}", "kind", name, "title",
                                 i18n(req->lang, titles[i]), "uploaded", d->uploaded_at != 0);
        if (d->uploaded_at) {
            /* Shown at most 240 px wide, in proportion, so the page does not jump. */
            int w = d->width < 240 ? d->width : 240;
            int h = d->width ? (int)((long)d->height * w / d->width) : 0;
            json_object_set_new(item, "width", json_integer(w));
            json_object_set_new(item, "height", json_integer(h));
            json_object_set_new(item, "version", json_integer(d->uploaded_at));
        }
        json_array_append_new(list, item);
    }
    return list;
}

/* The page, with the refusal why shown at the form of kind (when why is set). */
static int show(const struct web_request *req, const struct store_registration *reg, int kind,
                const struct refusal *why)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    json_t *list = page_documents_view(req, reg);
    bool complete = true;
    for (size_t i = 0; i < asked_of(reg); i++) {
        char hint_key[32];
        json_t *item = json_array_get(list, i);
        snprintf(hint_key, sizeof hint_key, "%s_hint", api_document_kind_name(asked[i]));
        json_object_set_new(item, "hint", json_string(page_text(&p, texts, N(texts), hint_key)));
        json_object_set_new(item, "photo_error",
                            json_string(why && (int)asked[i] == kind ? why->message : ""));
        complete = complete && reg->documents[asked[i]].uploaded_at != 0;
    }
    json_object_set_new(p.view, "documents", list);
    json_object_set_new(p.view, "complete", json_boolean(complete));
    json_t *choices = json_array();
    for (size_t i = 0; i < N(identities); i++) {
        char key[40];
        snprintf(key, sizeof key, "identity_%s", identities[i].value);
        bool chosen = reg->nationality[0]
                          ? strcmp(reg->nationality, identities[i].nationality) == 0 &&
                                strcmp(reg->id_type, identities[i].id_type) == 0
                          : i == 0; /* not said: a Mexican voter card */
        json_array_append_new(choices,
                              json_pack("{s:s, s:s, s:b}", "value", identities[i].value, "label",
                                        page_text(&p, texts, N(texts), key), "checked", chosen));
    }
    json_object_set_new(p.view, "identities", choices);
    const char *notice = web_query(req, "subida")           ? "uploaded"
                         : web_query(req, "identificacion") ? "identity_saved"
                                                            : NULL;
    if (notice && !why)
        json_object_set_new(p.view, "notice", json_string(page_text(&p, texts, N(texts), notice)));
    if (why) {
        char field[48];
        snprintf(field, sizeof field, "photo-%s", api_document_kind_name(kind));
        page_error(&p, kind < 0 ? why->field : field, why->message);
    }
    return page_send(&p, "page/documents", why ? why->status : MHD_HTTP_OK);
}

int page_documents_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_draft(req, &reg, &ret) != 0)
        return ret;
    return show(req, &reg, -1, NULL);
}

int page_document_post(const struct web_request *req)
{
    struct store_registration reg;
    int ret, kind = path_kind(req);
    if (kind < 0)
        return page_refusal(req, MHD_HTTP_NOT_FOUND, MSG_DOCUMENT_KIND_UNKNOWN);
    if (page_need_draft(req, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    const struct form_entry *file;
    if (page_read_form(req, &declaration, &f, NULL, &why) != 0) {
        ret = show(req, &reg, kind, &why);
    } else if (!(file = form_file(&f, "photo")) || file->len == 0) {
        why = (struct refusal){MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "photo", ""};
        snprintf(why.message, sizeof why.message, "%s", i18n(req->lang, MSG_DOCUMENT_MISSING));
        ret = show(req, &reg, kind, &why);
    } else if (enrollment_document(req, &reg, (enum store_document_kind)kind,
                                   (const uint8_t *)file->data, file->len, &why) != 0) {
        ret = show(req, &reg, kind, &why);
    } else {
        char location[64];
        snprintf(location, sizeof location, "/registro/documentos?subida=%s",
                 api_document_kind_name(kind));
        ret = page_go(req, location);
    }
    form_release(&f);
    return ret;
}

int page_send_document(const struct web_request *req, const struct store_registration *reg,
                       const char *kind_name)
{
    int kind = -1;
    for (size_t i = 0; i < N(asked) && kind < 0; i++)
        if (strcmp(kind_name, api_document_kind_name(asked[i])) == 0)
            kind = (int)asked[i];
    if (kind < 0)
        return page_refusal(req, MHD_HTTP_NOT_FOUND, MSG_DOCUMENT_KIND_UNKNOWN);
    const struct store_document *d = &reg->documents[kind];
    if (!d->uploaded_at)
        return page_refusal(req, MHD_HTTP_NOT_FOUND, MSG_DOCUMENT_MISSING);
    uint8_t *data = NULL;
    size_t len = 0;
    char err[256];
    if (blobstore_get(req->app->documents, d->blob, &data, &len, err, sizeof err) != 1) {
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url,
                err[0] ? err : "document blob missing");
        free(data);
        return page_fail(req);
    }
    int ret = web_reply(req, MHD_HTTP_OK, "image/jpeg", (const char *)data, len);
    free(data);
    return ret;
}

int page_document_image(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_application(req, &reg, &ret) != 0)
        return ret;
    return page_send_document(req, &reg, req->params[0]);
}

static const char *const identity_fields[] = {"csrf", "identity", NULL};
static const struct form_decl identity_form = {identity_fields, NULL, NULL};

int page_identity_post(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_draft(req, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    if (page_read_form(req, &identity_form, &f, "identity", &why) == 0) {
        const char *value = form_get(&f, "identity", NULL);
        const char *nationality = NULL, *id_type = value;
        for (size_t i = 0; i < N(identities) && !nationality; i++)
            if (value && strcmp(value, identities[i].value) == 0)
                nationality = identities[i].nationality, id_type = identities[i].id_type;
        if (enrollment_identity(req, &reg, nationality, id_type, &why) == 0) {
            form_release(&f);
            return page_go(req, "/registro/documentos?identificacion=guardada");
        }
        why.field = "identity";
    }
    ret = show(req, &reg, -1, &why);
    form_release(&f);
    return ret;
}
