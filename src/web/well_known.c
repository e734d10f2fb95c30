/* GET /.well-known/padron/trust-list: the signed trust list for offline verifiers
 * (credential/trust_list.h), from the cache `padron serve` keeps
 * (credential/trust_cache.h). Public and cacheable: one hour, revalidated by ETag.
 * GET /.well-known/padron/revoked: the signed list of revoked credentials and
 * letters (credential/revocation_list.h), built from the store on each request so
 * a revocation counts at once; verifiers may keep it five minutes. */
#include "web/routes.h"

#include "credential/revocation_list.h"
#include "credential/trust_cache.h"
#include "web/issued.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRUST_LIST_CACHE_CONTROL "public, max-age=3600"

int api_trust_list(const struct web_request *req)
{
    if (req->app->trust_list == NULL)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "not_found", NULL, MSG_NOT_FOUND);
    char *text = NULL, etag[TRUST_CACHE_ETAG_SIZE], err[256];
    size_t len = 0;
    if (trust_cache_get(req->app->trust_list, req->app->clock(), &text, &len, etag, err,
                        sizeof err) != 0) {
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        return web_reply_error_id(req, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL,
                                  MSG_INTERNAL);
    }
    const char *headers[] = {"Cache-Control",   TRUST_LIST_CACHE_CONTROL,      "ETag", etag, "Vary",
                             "Accept-Encoding", "Access-Control-Allow-Origin", "*",    NULL};
    const char *match = web_header(req, "If-None-Match");
    int rc;
    if (match != NULL && strcmp(match, etag) == 0)
        rc = web_reply_headers(req, MHD_HTTP_NOT_MODIFIED, "application/json", "", 0, headers);
    else
        rc = web_reply_headers(req, MHD_HTTP_OK, "application/json", text, len, headers);
    free(text);
    return rc;
}

int api_revoked_list(const struct web_request *req)
{
    if (req->app->signer == NULL)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "not_found", NULL, MSG_NOT_FOUND);
    struct issued_revoked revoked;
    char err[256];
    size_t len = 0;
    char *text = NULL;
    if (issued_revoked_load(req, &revoked) == 0) {
        text = revocation_list_build(revoked.ids, revoked.n, req->app->signer, NULL,
                                     req->app->clock(), &len, err, sizeof err);
        if (!text)
            fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        issued_revoked_release(&revoked);
    }
    if (!text)
        return web_reply_error_id(req, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL,
                                  MSG_INTERNAL);
    const char *headers[] = {"Cache-Control", "public, max-age=300", "Access-Control-Allow-Origin",
                             "*", NULL};
    int rc = web_reply_headers(req, MHD_HTTP_OK, "application/json", text, len, headers);
    free(text);
    return rc;
}
