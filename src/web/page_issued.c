/* page_issued: QR codes, dates and signed data for the issued-document pages (see page_issued.h).
 */
#include "web/page_issued.h"

#include "render/pdf_doc.h"
#include "render/qr.h"
#include "web/textbuf.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SVG_CAP (64 * 1024) /* a version 40 code is about 40 KB of path */

int page_issued_qr(struct page *p, const char *key, const char *text, const char *title)
{
    struct qr_matrix m;
    char err[160];
    if (qr_encode(text, strlen(text), &m, err, sizeof err) != 0) {
        fprintf(stderr, "padron: %s %s: qr: %s\n", p->req->method, p->req->url, err);
        qr_matrix_release(&m);
        return -1;
    }
    struct textbuf svg;
    textbuf_init(&svg, SVG_CAP);
    qr_svg_append(&svg, &m, title, PAGE_QR_PX);
    qr_matrix_release(&m);
    int rc = textbuf_status(&svg);
    if (rc == 0)
        json_object_set_new(p->view, key, json_string(textbuf_str(&svg)));
    else
        fprintf(stderr, "padron: %s %s: qr svg: %s\n", p->req->method, p->req->url,
                textbuf_error(&svg));
    textbuf_release(&svg);
    return rc == 0 ? 0 : -1;
}

json_t *page_issued_date(const struct page *p, const char *iso)
{
    char words[64], err[96];
    enum pdf_lang lang = p->req->lang == I18N_EN ? PDF_LANG_EN : PDF_LANG_ES;
    if (pdf_date("date", iso, lang, true, words, sizeof words, err, sizeof err) != 0)
        return json_string(iso);
    return json_string(words);
}

json_t *page_issued_day(const struct page *p, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char iso[16];
    if (!gmtime_r(&tt, &tm) || strftime(iso, sizeof iso, "%Y-%m-%d", &tm) == 0)
        snprintf(iso, sizeof iso, "1970-01-01");
    return page_issued_date(p, iso);
}

/* The text member key of j, or NULL. */
static const char *text_of(const json_t *j, const char *key)
{
    const json_t *v = json_object_get(j, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The levels of care as people read them: "1", "1 y 2", "1, 2 y 3". */
static void levels_text(const struct page *p, const json_t *levels, char *out, size_t size)
{
    size_t n = json_array_size(levels), used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        const char *sep = i == 0                    ? ""
                          : i + 1 < n               ? ", "
                          : p->req->lang == I18N_EN ? " and "
                                                    : " y ";
        int w = snprintf(out + used, size - used, "%s%lld", sep,
                         (long long)json_integer_value(json_array_get(levels, i)));
        used += w > 0 ? (size_t)w : 0;
    }
}

json_t *page_issued_claims(const struct page *p, const json_t *verdict)
{
    if (!text_of(verdict, "issued"))
        return NULL; /* the signature did not verify: nothing signed to show */
    json_t *c = json_object();
    const char *kind = text_of(verdict, "kind");
    if (kind) {
        json_object_set_new(c, "kind", json_string(kind));
        json_object_set_new(c, "is_credential", json_boolean(strcmp(kind, "credential") == 0));
        json_object_set_new(c, "is_letter", json_boolean(strcmp(kind, "letter") == 0));
    }
    const char *given = text_of(verdict, "given_names"), *first = text_of(verdict, "first_surname");
    if (given && first) {
        const char *second = text_of(verdict, "second_surname");
        char name[512];
        snprintf(name, sizeof name, "%s %s%s%s", given, first, second ? " " : "",
                 second ? second : "");
        json_object_set_new(c, "name", json_string(name));
    }
    static const char *const texts[] = {"curp", "folio", "program", "clues", "institution"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (text_of(verdict, texts[i]))
            json_object_set_new(c, texts[i], json_string(text_of(verdict, texts[i])));
    static const char *const dates[] = {"birth_date", "issued", "expires"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        if (text_of(verdict, dates[i]))
            json_object_set_new(c, dates[i], page_issued_date(p, text_of(verdict, dates[i])));
    const json_t *levels = json_object_get(verdict, "levels");
    if (json_array_size(levels)) {
        char text[64];
        levels_text(p, levels, text, sizeof text);
        json_object_set_new(c, "levels", json_string(text));
    }
    return c;
}
