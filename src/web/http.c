#include "web/http.h"

#include "store/store.h"
#include "web/netaddr.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int web_reply(const struct web_request *req, unsigned status, const char *type, const char *body,
              size_t len)
{
    return web_reply_headers(req, status, type, body, len, NULL);
}

/* Whether the caller's header list names the header name. */
static bool given(const char *const *headers, const char *name)
{
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        if (strcasecmp(headers[i], name) == 0)
            return true;
    return false;
}

int web_reply_headers(const struct web_request *req, unsigned status, const char *type,
                      const char *body, size_t len, const char *const *headers)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    /* A failure because the database was out of reach (a restart, a lost
     * connection) is temporary: 503 and when to come back, whatever the
     * handler called it. */
    if ((status == MHD_HTTP_INTERNAL_SERVER_ERROR || status == MHD_HTTP_SERVICE_UNAVAILABLE) &&
        store_unavailable()) {
        status = MHD_HTTP_SERVICE_UNAVAILABLE;
        if (!given(headers, "Retry-After"))
            MHD_add_response_header(r, "Retry-After", WEB_RETRY_AFTER_UNAVAILABLE);
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'");
    if (!given(headers, "Cache-Control"))
        MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Content-Language", i18n_code(req->lang));
    if (!given(headers, "Vary"))
        MHD_add_response_header(r, "Vary", "Accept-Language, Cookie");
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(r, headers[i], headers[i + 1]);
    int ret = MHD_queue_response(req->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

int web_reply_json(const struct web_request *req, unsigned status, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!text) {
        static const char fallback[] = "{\"error\":{\"code\":\"internal\",\"field\":null,"
                                       "\"message\":\"internal error\"}}";
        return web_reply(req, 500, "application/json", fallback, strlen(fallback));
    }
    int ret = web_reply(req, status, "application/json", text, strlen(text));
    free(text);
    return ret;
}

int web_reply_error(const struct web_request *req, unsigned status, const char *code,
                    const char *field, const char *message)
{
    json_t *j = json_pack("{s:{s:s, s:s?, s:s}}", "error", "code", code, "field", field, "message",
                          message);
    return web_reply_json(req, status, j);
}

int web_reply_error_id(const struct web_request *req, unsigned status, const char *code,
                       const char *field, enum i18n_msg msg)
{
    return web_reply_error(req, status, code, field, i18n(req->lang, msg));
}

const char *web_cookie(const struct web_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *web_query(const struct web_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_header(const struct web_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* Parses the q of one language range ("en;q=0.8"); 1000 when absent, in thousandths. */
static int quality(const char *range, size_t len)
{
    const char *q = memchr(range, ';', len);
    if (!q)
        return 1000;
    q++;
    while (q < range + len && *q == ' ')
        q++;
    if (range + len - q < 3 || q[0] != 'q' || q[1] != '=')
        return 1000;
    q += 2;
    int value = 0, digits = 0, scale = 1000;
    if (*q == '1')
        return 1000;
    if (*q++ != '0')
        return 0;
    if (q < range + len && *q == '.')
        for (q++; q < range + len && *q >= '0' && *q <= '9' && digits < 3; q++, digits++)
            value += (*q - '0') * (scale /= 10);
    return value;
}

enum i18n_lang web_pick_language(const char *accept)
{
    enum i18n_lang best = I18N_ES;
    int best_q = -1;
    while (accept && *accept) {
        size_t len = strcspn(accept, ",");
        const char *range = accept;
        while (len > 0 && *range == ' ')
            range++, len--;
        int q = quality(range, len);
        bool es = len >= 2 && strncasecmp(range, "es", 2) == 0 &&
                  (len == 2 || range[2] == '-' || range[2] == ';');
        bool en = len >= 2 && strncasecmp(range, "en", 2) == 0 &&
                  (len == 2 || range[2] == '-' || range[2] == ';');
        if ((es || en) && q > 0 && q > best_q) {
            best = en ? I18N_EN : I18N_ES;
            best_q = q;
        }
        accept += strcspn(accept, ",");
        if (*accept == ',')
            accept++;
    }
    return best;
}

/* Every X-Forwarded-For header of a request joined with commas, keeping the tail
 * when they do not fit: the entries trusted proxies appended are the right-most. */
struct forwarded {
    char buf[1024];
    size_t len;
    bool cut; /* the front was dropped: the first entry may be a fragment */
};

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
    struct forwarded *f = cls;
    const size_t cap = sizeof f->buf;
    (void)kind;
    if (!key || !value || strcasecmp(key, "X-Forwarded-For") != 0)
        return MHD_YES;
    size_t n = strlen(value), sep = f->len > 0 ? 1 : 0;
    if (n >= cap) { /* this value alone fills the buffer: its tail */
        memcpy(f->buf, value + n - cap, cap);
        f->len = cap;
        f->cut = true;
        return MHD_YES;
    }
    if (f->len + sep + n > cap) { /* drop <= f->len because n < cap */
        size_t drop = f->len + sep + n - cap;
        memmove(f->buf, f->buf + drop, f->len - drop);
        f->len -= drop;
        f->cut = true;
    }
    if (sep)
        f->buf[f->len++] = ',';
    memcpy(f->buf + f->len, value, n);
    f->len += n;
    return MHD_YES;
}

void web_client_address(const struct web_request *req, char *buf, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    const char *ok = NULL;
    struct netaddr peer;
    if (sa && sa->sa_family == AF_INET) {
        const struct in_addr *in = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
        ok = inet_ntop(AF_INET, in, buf, (socklen_t)size);
        netaddr_from_ipv4((const uint8_t *)in, &peer);
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct in6_addr *in6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        ok = inet_ntop(AF_INET6, in6, buf, (socklen_t)size);
        netaddr_from_ipv6(in6->s6_addr, &peer);
    }
    if (!ok) {
        snprintf(buf, size, "unknown");
        return;
    }
    const struct netaddr_list *trusted = req->app ? req->app->trusted_proxies : NULL;
    if (!netaddr_list_contains(trusted, &peer))
        return; /* the header is the client's own words: ignored */
    struct forwarded f = {.len = 0};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, collect_forwarded, &f);
    const char *x = f.buf;
    size_t len = f.len;
    if (f.cut) {
        const char *comma = memchr(x, ',', len);
        len = comma ? len - (size_t)(comma + 1 - x) : 0;
        x = comma ? comma + 1 : x;
    }
    struct netaddr client = netaddr_forwarded_client(trusted, &peer, x, len);
    char text[NETADDR_TEXT_MAX];
    netaddr_format(&client, text);
    snprintf(buf, size, "%s", text);
}

int web_reply_pdf(const struct web_request *req, uint8_t *pdf, size_t len, const char *name)
{
    char disposition[128];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
    const char *headers[] = {"Content-Disposition", disposition, "Cache-Control", "no-store", NULL};
    int ret =
        web_reply_headers(req, MHD_HTTP_OK, "application/pdf", (const char *)pdf, len, headers);
    free(pdf);
    return ret;
}
