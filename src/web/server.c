#include "web/server.h"

#include "store/store.h"
#include "util/alloc.h"
#include "web/routes.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct web_server {
    struct MHD_Daemon *daemon;
    struct web_config cfg;
    uint16_t port;
};

/* One request's state across libmicrohttpd's calls. */
struct request_ctx {
    const struct web_route *route;
    char params_buf[2 * (WEB_PARAM_MAX + 1)];
    const char *params[WEB_MAX_PARAMS];
    char *body;
    size_t len, cap;
    bool too_large;
};

static void init_request(struct web_request *req, struct web_server *s, struct MHD_Connection *conn,
                         const char *method, const char *url)
{
    *req = (struct web_request){.conn = conn, .app = &s->cfg.app, .method = method, .url = url};
    /* ?lang= (the page's language switch) wins, then the remembered cookie, then
     * the browser's Accept-Language. */
    const char *chosen = web_query(req, "lang");
    if (!chosen || (strcmp(chosen, "es") != 0 && strcmp(chosen, "en") != 0))
        chosen = web_cookie(req, "lang");
    if (chosen && strcmp(chosen, "en") == 0)
        req->lang = I18N_EN;
    else if (chosen && strcmp(chosen, "es") == 0)
        req->lang = I18N_ES;
    else
        req->lang = web_pick_language(web_header(req, "Accept-Language"));
}

/* Refuses a request before its handler: JSON under /api/ and /.well-known/, plain text for the
 * health check, an HTML page elsewhere. */
static enum MHD_Result refuse(const struct web_request *req, unsigned status, const char *code,
                              enum i18n_msg msg)
{
    if (strncmp(req->url, "/api/", 5) == 0 || strncmp(req->url, "/.well-known/", 13) == 0)
        return (enum MHD_Result)web_reply_error_id(req, status, code, NULL, msg);
    if (strcmp(req->url, "/healthz") == 0) {
        const char *text = i18n(req->lang, msg);
        return (enum MHD_Result)web_reply(req, status, "text/plain; charset=utf-8", text,
                                          strlen(text));
    }
    return (enum MHD_Result)page_refusal(req, status, msg);
}

/* True when the media type of a Content-Type value (parameters ignored) is want. */
static bool media_type_is(const char *type, const char *want)
{
    if (!type)
        return false;
    size_t n = strcspn(type, ";");
    while (n > 0 && type[n - 1] == ' ')
        n--;
    return n == strlen(want) && strncasecmp(type, want, n) == 0;
}

static bool declared_type(enum web_body body, const char *type)
{
    if (body == WEB_BODY_JSON)
        return media_type_is(type, "application/json");
    if (body == WEB_BODY_FORM)
        return media_type_is(type, "application/x-www-form-urlencoded");
    if (body == WEB_BODY_UPLOAD)
        return media_type_is(type, "multipart/form-data");
    return media_type_is(type, "image/jpeg") || media_type_is(type, "image/png");
}

/* Checks the headers against what the route declares; 0 when acceptable, else
 * the reply has been queued and its result is in *ret. */
static int check_declared_input(const struct web_request *req, struct request_ctx *ctx,
                                enum MHD_Result *ret)
{
    const char *length = web_header(req, "Content-Length");
    const char *chunked = web_header(req, "Transfer-Encoding");
    char *end = NULL;
    unsigned long long declared = length ? strtoull(length, &end, 10) : 0;
    bool bad_length = length && (*length == '\0' || *end != '\0');
    bool has_body = chunked || declared > 0;

    if (ctx->route->body == WEB_BODY_NONE) {
        if (has_body || bad_length)
            *ret = refuse(req, MHD_HTTP_CONTENT_TOO_LARGE, "body_not_allowed", MSG_BODY_TOO_LARGE);
        return has_body || bad_length ? -1 : 0;
    }
    if (!length && !chunked) {
        *ret = refuse(req, MHD_HTTP_LENGTH_REQUIRED, "length_required", MSG_LENGTH_REQUIRED);
        return -1;
    }
    if (bad_length || declared > ctx->route->max_body) {
        *ret = refuse(req, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large", MSG_BODY_TOO_LARGE);
        return -1;
    }
    if (!declared_type(ctx->route->body, web_header(req, "Content-Type"))) {
        *ret = refuse(req, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                      MSG_UNSUPPORTED_MEDIA_TYPE);
        return -1;
    }
    /* Room for what was announced; a chunked body grows up to the route's limit. */
    ctx->cap = length ? (size_t)declared : 16 * 1024;
    ctx->body = xmallocarray(ctx->cap + 1, 1);
    return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct web_server *s = cls;
    struct web_request req;
    init_request(&req, s, conn, method, url);
    struct request_ctx *ctx = *con_cls;

    if (!ctx) {
        /* First call: headers only. Decide here whatever needs no body. */
        ctx = xcalloc(1, sizeof *ctx);
        *con_cls = ctx;
        unsigned status;
        ctx->route = web_route_match(method, url, ctx->params_buf, ctx->params, &status);
        if (!ctx->route)
            return refuse(&req, status, status == 404 ? "not_found" : "method_not_allowed",
                          status == 404 ? MSG_NOT_FOUND : MSG_METHOD_NOT_ALLOWED);
        enum MHD_Result ret;
        return check_declared_input(&req, ctx, &ret) == 0 ? MHD_YES : ret;
    }
    if (*upload_data_size > 0) {
        /* Past the route's limit (only a chunked body can get there): stop storing. */
        size_t need = ctx->len + *upload_data_size;
        if (need > ctx->route->max_body) {
            ctx->too_large = true;
        } else {
            if (need > ctx->cap) {
                ctx->cap = need * 2 < ctx->route->max_body ? need * 2 : ctx->route->max_body;
                ctx->body = xreallocarray(ctx->body, ctx->cap + 1, 1);
            }
            memcpy(ctx->body + ctx->len, upload_data, *upload_data_size);
            ctx->len = need;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (ctx->too_large)
        return refuse(&req, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large", MSG_BODY_TOO_LARGE);
    if (ctx->body)
        ctx->body[ctx->len] = '\0';
    memcpy(req.params, ctx->params, sizeof req.params);
    req.body = ctx->body ? ctx->body : "";
    req.body_len = ctx->len;
    store_unavailable_clear(); /* this thread's last request is not this one's */
    return (enum MHD_Result)ctx->route->handler(&req);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    struct request_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    /* Bodies carry passwords and codes: wipe them before the memory is reused. */
    if (ctx->body)
        explicit_bzero(ctx->body, ctx->len);
    free(ctx->body);
    free(ctx);
    *con_cls = NULL;
}

struct web_server *web_server_start(const struct web_config *cfg, char *err, size_t errsz)
{
    struct sockaddr_in6 a6 = {0};
    struct sockaddr_in a4 = {0};
    struct sockaddr *addr;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD;
    if (inet_pton(AF_INET, cfg->listen_host, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons(cfg->listen_port);
        addr = (struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, cfg->listen_host, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons(cfg->listen_port);
        addr = (struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, errsz, "listen address '%s' is not a numeric IPv4 or IPv6 address",
                 cfg->listen_host);
        return NULL;
    }

    struct web_server *s = xcalloc(1, sizeof *s);
    s->cfg = *cfg;
    s->daemon =
        MHD_start_daemon(flags, cfg->listen_port, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, addr,
                         MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)512, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errsz,
                 "cannot listen on %s port %u (in use, or not an address of this machine)",
                 cfg->listen_host, cfg->listen_port);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : cfg->listen_port;
    return s;
}

uint16_t web_server_port(const struct web_server *s)
{
    return s->port;
}

void web_server_stop(struct web_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    free(s);
}
