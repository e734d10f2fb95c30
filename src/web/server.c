#include "web/server.h"

#include "catalog/catalog.h"
#include "util/alloc.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_CAP (64 * 1024)

struct web_server {
    struct MHD_Daemon *daemon;
    struct web_config cfg;
    uint16_t port;
};

/* A bounded text builder with a sticky overflow flag, checked once at the end. */
struct page {
    char buf[PAGE_CAP];
    size_t len;
    int overflow;
};

static void page_append(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void page_append(struct page *p, const char *fmt, ...)
{
    if (p->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->buf + p->len, sizeof p->buf - p->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof p->buf - p->len)
        p->overflow = 1;
    else
        p->len += (size_t)n;
}

/* Appends s with the five HTML-significant characters escaped. */
static void page_text(struct page *p, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            page_append(p, "&amp;");
            break;
        case '<':
            page_append(p, "&lt;");
            break;
        case '>':
            page_append(p, "&gt;");
            break;
        case '"':
            page_append(p, "&quot;");
            break;
        case '\'':
            page_append(p, "&#39;");
            break;
        default:
            page_append(p, "%c", *s);
        }
    }
}

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, const char *type,
                               const char *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result respond_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
    return respond(conn, status, "text/plain; charset=utf-8", text, strlen(text));
}

static enum MHD_Result home_page(struct web_server *s, struct MHD_Connection *conn)
{
    struct page *p = xcalloc(1, sizeof *p);
    size_t n_states, n_municipalities, n_facilities;
    const struct catalog_state *states = catalog_states(s->cfg.catalog, &n_states);
    catalog_municipalities(s->cfg.catalog, &n_municipalities);
    catalog_facilities(s->cfg.catalog, &n_facilities);
    int year = (int)(s->cfg.today_key / 10000), month = (int)(s->cfg.today_key / 100 % 100),
        day = (int)(s->cfg.today_key % 100);

    page_append(p, "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<title>padron — IMSS-Bienestar</title>"
                   "<style>body{font-family:sans-serif;max-width:40rem;margin:1rem auto;"
                   "padding:0 1rem;color:#161a1d}h1{color:#611232}</style></head><body>"
                   "<h1>padron</h1><p lang=\"es\">Afiliación a los servicios de salud "
                   "IMSS-Bienestar. El registro en línea llegará pronto.</p>"
                   "<p lang=\"en\">Enrollment in IMSS-Bienestar health care. Online "
                   "registration is coming soon.</p>");
    page_append(p,
                "<h2>Catálogos</h2><ul><li>%zu entidades</li><li>%zu municipios</li>"
                "<li>%zu unidades IMSS-Bienestar</li></ul>",
                n_states, n_municipalities, n_facilities);
    page_append(p, "<h2>Entidades participantes</h2><ul>");
    for (size_t i = 0; i < n_states; i++) {
        if (!catalog_state_participating(&states[i], year, month, day))
            continue;
        page_append(p, "<li>");
        page_text(p, states[i].name);
        page_append(p, "</li>");
    }
    page_append(p, "</ul></body></html>\n");

    enum MHD_Result ret =
        p->overflow ? respond_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "page too large\n")
                    : respond(conn, MHD_HTTP_OK, "text/html; charset=utf-8", p->buf, p->len);
    free(p);
    return ret;
}

/* True when the request announces a body (Content-Length above 0 or chunked). */
static bool has_body(struct MHD_Connection *conn)
{
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    const char *chunked = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
    return chunked != NULL || (length != NULL && strspn(length, "0") != strlen(length));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version, (void)upload_data, (void)upload_data_size;
    struct web_server *s = cls;
    static int headers_seen;
    bool known = strcmp(url, "/healthz") == 0 || strcmp(url, "/") == 0;
    bool is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

    /* The first call carries only the headers: refuse here whatever would need a
     * body, before any of it is read; answer the rest on the next call. */
    if (*con_cls == NULL) {
        *con_cls = &headers_seen;
        if (!known)
            return respond_text(conn, MHD_HTTP_NOT_FOUND, "not found\n");
        if (!is_get)
            return respond_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
        if (has_body(conn))
            return respond_text(conn, MHD_HTTP_CONTENT_TOO_LARGE, "this resource takes no body\n");
        return MHD_YES;
    }
    if (strcmp(url, "/healthz") == 0)
        return respond_text(conn, MHD_HTTP_OK, "ok\n");
    return home_page(s, conn);
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
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)512, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errsz,
                 "cannot listen on %s port %u (in use, or not an address of this "
                 "machine)",
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
