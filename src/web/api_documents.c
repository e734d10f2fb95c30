/*
 * /api/v1/registrations/{id}/documents/{kind}: photos of the official ID (front
 * and back), of the face, and for foreigners of the proof of migration status.
 *
 * PUT takes the photo itself as the body (image/jpeg or image/png, at most 10 MB,
 * refused on the headers otherwise); enrollment_document decodes it, turns it
 * upright, scales it to at most 1600 px and re-encodes it without any metadata
 * (media/photo), then stores it encrypted (media/blobstore). GET gives back the
 * stored, re-encoded photo.
 */
#include "web/routes.h"

#include "media/blobstore.h"
#include "web/api_common.h"
#include "web/enrollment.h"

#include <jansson.h>
#include <microhttpd.h>
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

int api_document_put(const struct web_request *req)
{
    struct store_registration reg;
    int ret, kind;
    if (api_load_authorized(req, &reg, &ret) != 0 || (kind = path_kind(req, &ret)) < 0)
        return ret;
    struct refusal why;
    if (enrollment_document(req, &reg, (enum store_document_kind)kind, (const uint8_t *)req->body,
                            req->body_len, &why) != 0)
        return api_reply_refusal(req, &why);
    return api_reply_registration(req, reg.id);
}

int api_document_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret, kind;
    if (api_load_authorized(req, &reg, &ret) != 0 || (kind = path_kind(req, &ret)) < 0)
        return ret;
    return api_reply_document(req, &reg.documents[kind]);
}
