/*
 * /api/v1/registrations/{id}/documents/{kind}: photos of the official ID (front
 * and back), of the face, and for foreigners of the proof of migration status.
 *
 * PUT takes the photo itself as the body (image/jpeg or image/png, at most 10 MB,
 * refused on the headers otherwise); it is decoded, turned upright, scaled to at
 * most 1600 px and re-encoded without any metadata (media/photo), then stored
 * encrypted (media/blobstore). GET gives back the stored, re-encoded photo.
 */
#include "web/routes.h"

#include "media/blobstore.h"
#include "media/photo.h"
#include "web/api_common.h"

#include <jansson.h>
#include <microhttpd.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[STORE_DOC_KINDS] = {
    [STORE_DOC_ID_FRONT] = "id_front",
    [STORE_DOC_ID_BACK] = "id_back",
    [STORE_DOC_FACE] = "face",
    [STORE_DOC_MIGRATION_STATUS] = "migration_status",
};

const char *api_document_kind_name(enum store_document_kind kind)
{
    return (unsigned)kind < STORE_DOC_KINDS ? kinds[kind] : "unknown";
}

/* The kind named in the path, or -1 (the 404 reply sent, its result in *ret). */
static int path_kind(const struct web_request *req, int *ret)
{
    for (int k = 0; k < STORE_DOC_KINDS; k++)
        if (strcmp(req->params[1], kinds[k]) == 0)
            return k;
    *ret = web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "unknown_document_kind", NULL,
                              MSG_DOCUMENT_KIND_UNKNOWN);
    return -1;
}

/* The reply for a photo that was refused, by photo_process's verdict. */
static int reply_refused_photo(const struct web_request *req, const struct photo_result *r)
{
    static const struct {
        unsigned status;
        enum i18n_msg msg;
    } map[] = {
        [PHOTO_ERR_TYPE] = {MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, MSG_PHOTO_TYPE},
        [PHOTO_ERR_SIZE] = {MHD_HTTP_CONTENT_TOO_LARGE, MSG_PHOTO_SIZE},
        [PHOTO_ERR_DIMENSIONS] = {MHD_HTTP_UNPROCESSABLE_CONTENT, MSG_PHOTO_DIMENSIONS},
        [PHOTO_ERR_UNREADABLE] = {MHD_HTTP_UNPROCESSABLE_CONTENT, MSG_PHOTO_UNREADABLE},
        [PHOTO_ERR_TOO_SMALL] = {MHD_HTTP_UNPROCESSABLE_CONTENT, MSG_PHOTO_TOO_SMALL},
    };
    if (r->status == PHOTO_ERR_INTERNAL || (unsigned)r->status >= sizeof map / sizeof map[0])
        return api_internal_error(req, r->error);
    char code[32];
    snprintf(code, sizeof code, "photo_%s", photo_status_code(r->status));
    return web_reply_error_id(req, map[r->status].status, code, "photo", map[r->status].msg);
}

int api_document_put(const struct web_request *req)
{
    struct store_registration reg;
    int ret, kind;
    if (api_load_authorized(req, &reg, &ret) != 0 || (kind = path_kind(req, &ret)) < 0)
        return ret;
    if (reg.status != STORE_REG_DRAFT)
        return web_reply_error_id(req, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);

    struct photo_result photo;
    if (req->app->photo_slots)
        sem_wait(req->app->photo_slots);
    photo_process((const uint8_t *)req->body, req->body_len, NULL, &photo);
    if (req->app->photo_slots)
        sem_post(req->app->photo_slots);
    if (photo.status != PHOTO_OK) {
        ret = reply_refused_photo(req, &photo);
        photo_result_release(&photo);
        return ret;
    }

    struct store_document d = {
        .width = (int)photo.width, .height = (int)photo.height, .bytes = (int64_t)photo.jpeg_len};
    char err[256];
    int stored = -1;
    if (blobstore_put(req->app->documents, photo.jpeg, photo.jpeg_len, d.blob, err, sizeof err) ==
        0)
        stored = store_document_add(req->app->store, reg.id, (enum store_document_kind)kind, &d,
                                    req->app->clock(), err, sizeof err);
    photo_result_release(&photo);
    if (stored < 0)
        return api_internal_error(req, err);
    if (stored == 0)
        return web_reply_error_id(req, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) != 1)
        return api_internal_error(req, err);
    return web_reply_json(req, MHD_HTTP_OK, api_registration_json(&reg));
}

int api_document_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret, kind;
    if (api_load_authorized(req, &reg, &ret) != 0 || (kind = path_kind(req, &ret)) < 0)
        return ret;
    const struct store_document *d = &reg.documents[kind];
    if (!d->uploaded_at)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "no_document", NULL,
                                  MSG_DOCUMENT_MISSING);
    uint8_t *data = NULL;
    size_t len = 0;
    char err[256];
    if (blobstore_get(req->app->documents, d->blob, &data, &len, err, sizeof err) != 1) {
        free(data);
        return api_internal_error(req, err[0] ? err : "document blob missing");
    }
    ret = web_reply(req, MHD_HTTP_OK, "image/jpeg", (const char *)data, len);
    free(data);
    return ret;
}
