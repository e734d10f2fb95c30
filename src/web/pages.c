/* The plain pages: the home page with the catalog summary, and the health check. */
#include "web/routes.h"

#include "catalog/catalog.h"
#include "store/store.h"
#include "util/alloc.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PAGE_CAP (64 * 1024)

/* A bounded text builder with a sticky overflow flag, checked once at the end. */
struct page {
    char buf[PAGE_CAP];
    size_t len;
    bool overflow;
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
        p->overflow = true;
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

int page_home(const struct web_request *req)
{
    const struct catalog *cat = req->app->catalog;
    struct page *p = xcalloc(1, sizeof *p);
    size_t n_states, n_municipalities, n_facilities;
    const struct catalog_state *states = catalog_states(cat, &n_states);
    catalog_municipalities(cat, &n_municipalities);
    catalog_facilities(cat, &n_facilities);
    time_t now = (time_t)req->app->clock();
    struct tm tm;
    localtime_r(&now, &tm);

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
        if (!catalog_state_participating(&states[i], tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday))
            continue;
        page_append(p, "<li>");
        page_text(p, states[i].name);
        page_append(p, "</li>");
    }
    page_append(p, "</ul></body></html>\n");

    int ret = p->overflow ? web_reply(req, MHD_HTTP_INTERNAL_SERVER_ERROR,
                                      "text/plain; charset=utf-8", "page too large\n", 15)
                          : web_reply(req, MHD_HTTP_OK, "text/html; charset=utf-8", p->buf, p->len);
    free(p);
    return ret;
}

int page_healthz(const struct web_request *req)
{
    if (store_ping(req->app->store) != 0)
        return web_reply(req, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                         "database unreachable\n", 21);
    return web_reply(req, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n", 3);
}
