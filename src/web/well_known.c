/* GET /.well-known/padron/trust-list: the signed trust list for offline verifiers
 * (credential/trust_list.h), from the cache `padron serve` keeps
 * (credential/trust_cache.h). Public and cacheable: one hour, revalidated by ETag.
 * GET /.well-known/padron/revoked: the signed list of revoked credentials and
 * letters (credential/revocation_list.h), built from the store at most once a
 * minute; verifiers may keep it a minute. */
#include "web/routes.h"

#include "credential/revocation_list.h"
#include "credential/trust_cache.h"
#include "web/issued.h"

#include <microhttpd.h>
#include <pthread.h>
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

/* The signed revocation list, rebuilt at most once every REVOKED_MAX_AGE seconds: a
 * signature per request would let anyone make the signer work for every hit.
 * Verification by this server (POST /api/v1/verify) reads the store itself and
 * sees a revocation at once. */
#define REVOKED_MAX_AGE 60

static pthread_mutex_t revoked_lock = PTHREAD_MUTEX_INITIALIZER;
static char *revoked_text;
static size_t revoked_len;
static int64_t revoked_built_at;

/* A copy of the current document into *text, rebuilt when stale. 0, or -1. */
static int revoked_document(const struct web_request *req, char **text, size_t *len)
{
    int64_t now = req->app->clock();
    pthread_mutex_lock(&revoked_lock);
    if (!revoked_text || now - revoked_built_at >= REVOKED_MAX_AGE || now < revoked_built_at) {
        struct issued_revoked revoked;
        char err[256];
        size_t n = 0;
        char *built = NULL;
        if (issued_revoked_load(req, &revoked) == 0) {
            built = revocation_list_build(revoked.ids, revoked.n, req->app->signer, NULL, now, &n,
                                          err, sizeof err);
            if (!built)
                fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
            issued_revoked_release(&revoked);
        }
        if (built) {
            free(revoked_text);
            revoked_text = built;
            revoked_len = n;
            revoked_built_at = now;
        }
    }
    int rc = -1;
    if (revoked_text) { /* the last good one when a rebuild failed */
        *text = malloc(revoked_len + 1);
        if (*text) {
            memcpy(*text, revoked_text, revoked_len + 1);
            *len = revoked_len;
            rc = 0;
        }
    }
    pthread_mutex_unlock(&revoked_lock);
    return rc;
}

int api_revoked_list(const struct web_request *req)
{
    if (req->app->signer == NULL)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "not_found", NULL, MSG_NOT_FOUND);
    char *text = NULL;
    size_t len = 0;
    if (revoked_document(req, &text, &len) != 0)
        return web_reply_error_id(req, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL,
                                  MSG_INTERNAL);
    const char *headers[] = {"Cache-Control", "public, max-age=60", "Access-Control-Allow-Origin",
                             "*", NULL};
    int rc = web_reply_headers(req, MHD_HTTP_OK, "application/json", text, len, headers);
    free(text);
    return rc;
}
