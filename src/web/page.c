#include "web/page.h"

#include "catalog/catalog.h"
#include "store/store.h"
#include "web/api_common.h"
#include "web/enrollment.h"
#include "web/form.h"
#include "web/template.h"
#include "web/templates.h"
#include "web/textbuf.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_CAP (256 * 1024)

/* The texts of the layout, shared by every page. */
static const struct page_text layout_texts[] = {
    {"skip", {"Ir al contenido", "Skip to content"}},
    {"footer_help",
     {"La afiliación a IMSS-Bienestar es gratuita: nadie puede cobrarle por ella ni por la "
      "atención.",
      "Enrollment in IMSS-Bienestar is free: nobody may charge you for it or for your care."}},
    {"nav_account", {"Mi cuenta", "My account"}},
    {"help_line", {"Línea de ayuda del programa:", "The program's help line:"}},
    {"help_ask",
     {"¿Dudas? Pregunte en su centro de salud o en la oficina de IMSS-Bienestar de su entidad.",
      "Questions? Ask at your health center or at the IMSS-Bienestar office of your state."}},
    {"nav_requirements", {"Qué necesita para registrarse", "What you need to register"}},
    {"nav_coverage", {"Qué cubre IMSS-Bienestar", "What IMSS-Bienestar covers"}},
};

static void add_texts(json_t *t, const struct page_text *texts, size_t n, enum i18n_lang lang)
{
    for (size_t i = 0; i < n; i++)
        json_object_set_new(t, texts[i].key, json_string(texts[i].text[lang == I18N_EN]));
}

void page_add_texts(struct page *p, const struct page_text *texts, size_t n)
{
    json_t *t = json_object_get(p->view, "t");
    for (size_t i = 0; i < n; i++)
        if (!json_object_get(t, texts[i].key))
            json_object_set_new(t, texts[i].key,
                                json_string(texts[i].text[p->req->lang == I18N_EN]));
}

void page_contact_fields(struct page *p)
{
    static const struct page_text texts[] = {
        {"email_label", {"Correo electrónico", "Email address"}},
        {"email_hint", {"Por ejemplo: nombre@correo.com", "For example: name@mail.com"}},
        {"phone_label", {"Celular (opcional)", "Mobile phone (optional)"}},
        {"phone_hint",
         {"10 dígitos, con lada. Ejemplo: 951 123 4567",
          "10 digits with area code. Example: 951 123 4567"}},
    };
    page_add_texts(p, texts, sizeof texts / sizeof texts[0]);
}

const char *page_text(const struct page *p, const struct page_text *texts, size_t n,
                      const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(texts[i].key, key) == 0)
            return texts[i].text[p->req->lang == I18N_EN];
    return "";
}

/* A usable csrf cookie value: 43 base64url characters. */
static bool csrf_shape(const char *s)
{
    if (!s || strlen(s) != PAGE_CSRF_LEN)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_'))
            return false;
    return true;
}

void page_init(struct page *p, const struct web_request *req, const struct page_text *texts,
               size_t n_texts, const char *title_key)
{
    memset(p, 0, sizeof *p);
    p->req = req;
    const char *cookie = web_cookie(req, "csrf");
    if (csrf_shape(cookie))
        memcpy(p->csrf, cookie, PAGE_CSRF_LEN + 1);
    else
        page_rotate_csrf(p);
    const char *asked = web_query(req, "lang");
    p->set_lang = asked && (strcmp(asked, "es") == 0 || strcmp(asked, "en") == 0);

    bool en = req->lang == I18N_EN;
    json_t *t = json_object();
    add_texts(t, layout_texts, sizeof layout_texts / sizeof layout_texts[0], req->lang);
    add_texts(t, texts, n_texts, req->lang);
    p->view =
        json_pack("{s:s, s:s, s:s, s:s}", "lang", en ? "en" : "es", "other_lang", en ? "es" : "en",
                  "other_lang_name", en ? "Español" : "English", "csrf", p->csrf);
    json_object_set_new(p->view, "title", json_string(page_text(p, texts, n_texts, title_key)));
    if (req->app->help_phone) {
        /* The tel: link keeps only what a dialler reads. */
        char tel[32];
        size_t n = 0;
        for (const char *c = req->app->help_phone; *c && n < sizeof tel - 1; c++)
            if ((*c >= '0' && *c <= '9') || *c == '+')
                tel[n++] = *c;
        tel[n] = '\0';
        json_object_set_new(p->view, "help_phone",
                            json_pack("{s:s, s:s}", "shown", req->app->help_phone, "tel", tel));
    }
    json_object_set_new(p->view, "t", t);
}

void page_rotate_csrf(struct page *p)
{
    uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(p->csrf, sizeof p->csrf, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    p->new_csrf = true;
    if (p->view)
        json_object_set_new(p->view, "csrf", json_string(p->csrf));
}

void page_clear_cookie(struct page *p, const char *name)
{
    snprintf(p->cookie, sizeof p->cookie, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", name,
             p->req->app->secure_cookies ? "; Secure" : "");
}

void page_set_cookie(struct page *p, const char *name, const char *value)
{
    snprintf(p->cookie, sizeof p->cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value,
             p->req->app->secure_cookies ? "; Secure" : "");
}

/* The Set-Cookie headers of the page into h (room for 3 pairs and the NULL). */
static void cookie_headers(struct page *p, const char *h[7], char csrf_cookie[128],
                           char lang_cookie[96])
{
    size_t n = 0;
    const char *secure = p->req->app->secure_cookies ? "; Secure" : "";
    if (p->new_csrf) {
        snprintf(csrf_cookie, 128, "csrf=%s; Path=/; HttpOnly; SameSite=Lax%s", p->csrf, secure);
        h[n++] = "Set-Cookie", h[n++] = csrf_cookie;
    }
    if (p->set_lang) {
        snprintf(lang_cookie, 96, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax%s",
                 i18n_code(p->req->lang), secure);
        h[n++] = "Set-Cookie", h[n++] = lang_cookie;
    }
    if (p->cookie[0])
        h[n++] = "Set-Cookie", h[n++] = p->cookie;
    h[n] = NULL;
}

int page_fail(const struct web_request *req)
{
    static const char broken[] = "<!doctype html><html lang=\"es\"><title>Error</title>"
                                 "<p>Tuvimos un problema y no se guardó nada. Intente de nuevo en "
                                 "unos minutos. / Something went wrong and nothing was saved. "
                                 "Try again in a few minutes.</p>";
    static const char away[] = "<!doctype html><html lang=\"es\"><title>Error</title>"
                               "<p>El servicio no está disponible por un momento. Intente de "
                               "nuevo en unos segundos. / The service is unavailable for a "
                               "moment. Try again in a few seconds.</p>";
    if (store_unavailable()) /* web_reply adds Retry-After */
        return web_reply(req, MHD_HTTP_SERVICE_UNAVAILABLE, "text/html; charset=utf-8", away,
                         sizeof away - 1);
    return web_reply(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", broken,
                     sizeof broken - 1);
}

int page_send(struct page *p, const char *name, unsigned status)
{
    const struct page_templates *all = p->req->app->templates;
    const struct template *t = all ? templates_get(all, name) : NULL;
    struct textbuf out;
    textbuf_init(&out, PAGE_CAP);
    int rendered = t ? template_render(t, p->view, templates_partials(all), &out) : -1;
    json_decref(p->view);
    p->view = NULL;
    int ret;
    if (rendered != 0) {
        fprintf(stderr, "padron: page %s: %s\n", name,
                t ? textbuf_error(&out) : "no such template");
        ret = page_fail(p->req);
    } else {
        const char *h[7];
        char csrf_cookie[128], lang_cookie[96];
        cookie_headers(p, h, csrf_cookie, lang_cookie);
        ret = web_reply_headers(p->req, status, "text/html; charset=utf-8", textbuf_str(&out),
                                strlen(textbuf_str(&out)), h);
    }
    textbuf_release(&out);
    return ret;
}

int page_redirect(struct page *p, const char *location)
{
    json_decref(p->view);
    p->view = NULL;
    const char *h[9];
    char csrf_cookie[128], lang_cookie[96];
    cookie_headers(p, h, csrf_cookie, lang_cookie);
    size_t n = 0;
    while (h[n])
        n++;
    h[n++] = "Location", h[n++] = location, h[n] = NULL;
    return web_reply_headers(p->req, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", "", 0, h);
}

bool page_csrf_ok(const struct web_request *req, const char *form_value, size_t len)
{
    const char *cookie = web_cookie(req, "csrf");
    return csrf_shape(cookie) && form_value && len == PAGE_CSRF_LEN &&
           sodium_memcmp(cookie, form_value, PAGE_CSRF_LEN) == 0;
}

int page_application(const struct web_request *req, struct store_registration *reg)
{
    const char *cookie = web_cookie(req, "solicitud");
    const char *dot = cookie ? strchr(cookie, '.') : NULL;
    if (!dot || dot - cookie != STORE_ID_LEN || strlen(dot + 1) >= API_TOKEN_TEXT_MAX)
        return 0;
    char id[STORE_ID_LEN + 1], err[256];
    memcpy(id, cookie, STORE_ID_LEN);
    id[STORE_ID_LEN] = '\0';
    if (strspn(id, "0123456789abcdef") != STORE_ID_LEN)
        return 0;
    int found = store_registration_get(req->app->store, id, reg, err, sizeof err);
    if (found < 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    if (found != 1)
        return found;
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    api_hash_token(dot + 1, strlen(dot + 1), hash);
    return sodium_memcmp(hash, reg->token_hash, sizeof hash) == 0;
}

void page_error(struct page *p, const char *field, const char *message)
{
    json_object_set_new(p->view, "error",
                        json_pack("{s:s, s:s}", "message", message, "field", field ? field : ""));
    json_t *errors = json_object();
    if (field)
        json_object_set_new(errors, field, json_string(message));
    json_object_set_new(p->view, "errors", errors);
}

int page_go(const struct web_request *req, const char *location)
{
    struct page p;
    page_init(&p, req, NULL, 0, "title");
    return page_redirect(&p, location);
}

int page_need_application(const struct web_request *req, struct store_registration *reg, int *ret)
{
    int found = page_application(req, reg);
    if (found == 1)
        return 0;
    *ret = found < 0 ? page_fail(req) : page_go(req, "/registro/curp");
    return -1;
}

int page_need_draft(const struct web_request *req, struct store_registration *reg, int *ret)
{
    if (page_need_application(req, reg, ret) != 0)
        return -1;
    if (reg->status == STORE_REG_DRAFT)
        return 0;
    *ret = page_go(req, "/registro/listo");
    return -1;
}

int page_read_form(const struct web_request *req, const struct form_decl *decl, struct form *f,
                   const char *field, struct refusal *why)
{
    char err[256] = "", boundary[FORM_BOUNDARY_MAX + 1];
    size_t len = 0;
    enum form_status st;
    form_init(f, decl);
    if (form_media_type(web_header(req, "Content-Type")) == FORM_MEDIA_MULTIPART) {
        st =
            form_boundary(web_header(req, "Content-Type"), boundary, sizeof boundary) == 0
                ? form_parse_multipart(req->body, req->body_len, boundary, NULL, f, err, sizeof err)
                : FORM_ERR_MALFORMED;
    } else {
        st = form_parse_urlencoded(req->body, req->body_len, NULL, f, err, sizeof err);
    }
    unsigned status = st == FORM_OK              ? 0
                      : st == FORM_ERR_TOO_LARGE ? MHD_HTTP_CONTENT_TOO_LARGE
                                                 : MHD_HTTP_BAD_REQUEST;
    if (!status) {
        const char *csrf = form_get(f, "csrf", &len);
        if (!page_csrf_ok(req, csrf, len))
            status = MHD_HTTP_FORBIDDEN;
    }
    if (!status)
        return 0;
    if (status != MHD_HTTP_FORBIDDEN)
        fprintf(stderr, "padron: %s %s: form refused: %s\n", req->method, req->url, err);
    *why = (struct refusal){status, "form", field, ""};
    snprintf(why->message, sizeof why->message, "%s",
             i18n(req->lang, status == MHD_HTTP_FORBIDDEN           ? MSG_FORM_EXPIRED
                             : status == MHD_HTTP_CONTENT_TOO_LARGE ? MSG_BODY_TOO_LARGE
                                                                    : MSG_FORM_UNREADABLE));
    return -1;
}

json_t *page_state_options(const struct web_request *req, int selected)
{
    long today = api_today_key(req);
    size_t n;
    const struct catalog_state *states = catalog_states(req->app->catalog, &n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!catalog_state_participating(&states[i], (int)(today / 10000), (int)(today / 100 % 100),
                                         (int)(today % 100)))
            continue;
        char code[8];
        snprintf(code, sizeof code, "%02d", states[i].code % 100);
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:b}", "code", code, "name", states[i].name,
                                        "selected", selected == states[i].code));
    }
    return list;
}
