#include "web/http.h"

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

int web_reply_headers(const struct web_request *req, unsigned status, const char *type,
                      const char *body, size_t len, const char *const *headers)
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
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Content-Language", i18n_code(req->lang));
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

void web_client_address(const struct web_request *req, char *buf, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    const char *ok = NULL;
    if (sa && sa->sa_family == AF_INET)
        ok = inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                       (socklen_t)size);
    else if (sa && sa->sa_family == AF_INET6)
        ok = inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                       (socklen_t)size);
    if (!ok)
        snprintf(buf, size, "unknown");
}
