/*
 * Fuzzes the template compiler with arbitrary bytes (at most 8 KB) and renders
 * whatever compiles against fixed data, with partials that include the input
 * itself (directly and through another partial) so cycles are exercised.
 *
 * Invariants:
 * - A refused template gets an error "LINE:COLUMN: ..."; an accepted one renders
 *   to 0, or to -1 with the builder's error set; output never passes the cap.
 * - The data holds strings full of < > & " ' ` = NUL and ill-formed UTF-8. The
 *   same template is rendered against twin data whose strings have the same
 *   lengths but only letters. Unless the template has a raw tag ({{{ or {{&),
 *   both outputs must hold exactly as many < > " ' ` = as each other (so none
 *   came from the data) and the first must be valid UTF-8.
 * - No hang: the compiler is linear and every render is bounded by the step
 *   budget and the cap.
 */
#include "web/template.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_CAP  (8 * 1024)
#define OUTPUT_CAP (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A string value; in the twin, every byte that matters to HTML or is not
 * ASCII becomes 'x', keeping the length (and so the truthiness). */
static json_t *str(const char *s, size_t len, bool twin)
{
    char buf[128];
    if (len > sizeof buf)
        abort();
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[i] = twin && (c == 0 || c >= 0x80 || strchr("<>&\"'`=", c)) ? 'x' : s[i];
    }
    return json_stringn_nocheck(buf, len);
}

#define STR(lit, twin) str(lit, sizeof lit - 1, twin)

static json_t *make_data(bool twin)
{
    json_t *items = json_array();
    for (int i = 0; i < 3; i++) {
        json_t *tags = json_array();
        json_array_append_new(tags, STR("<b>&amp;</b>", twin));
        json_array_append_new(tags, STR("\"quoted\" 'single' `tick` a=b", twin));
        json_array_append_new(tags, json_array());
        json_t *item = json_object();
        json_object_set_new(item, "name", STR("<img src=x onerror=alert(1)>", twin));
        json_object_set_new(item, "n", json_integer(i));
        json_object_set_new(item, "tags", tags);
        json_object_set_new(item, "t", i % 2 ? json_true() : json_false());
        json_array_append_new(items, item);
    }
    json_t *matrix = json_array();
    for (int i = 0; i < 3; i++) {
        json_t *row = json_array();
        for (int k = 0; k <= i; k++)
            json_array_append_new(row, STR("<td>", twin));
        json_array_append_new(matrix, row);
    }
    json_t *d = json_object();
    json_object_set_new(d, "title", STR("<script>alert(\"x\")</script>", twin));
    json_object_set_new(d, "html", STR("&\"'`=<>", twin));
    json_object_set_new(d, "bad", STR("\xC0\xBC\xFF\xE2\x82<\xED\xA0\x80\xF0\x9F\x98", twin));
    json_object_set_new(d, "nul", STR("a\0<b", twin));
    json_object_set_new(d, "tpl", STR("{{title}}{{> self}}{{#items}}", twin));
    json_object_set_new(d, "name", STR("Ñandú <María>", twin));
    json_object_set_new(d, "empty", STR("", twin));
    json_object_set_new(d, "n", json_integer(-42));
    json_object_set_new(d, "r", json_real(2.5));
    json_object_set_new(d, "big", json_real(1e300));
    json_object_set_new(d, "t", json_true());
    json_object_set_new(d, "f", json_false());
    json_object_set_new(d, "z", json_null());
    json_object_set_new(d, "none", json_array());
    json_object_set_new(d, "obj", json_object());
    json_object_set_new(d, "items", items);
    json_object_set_new(d, "matrix", matrix);
    json_object_set_new(d, "a", json_pack("{s:{s:{s:o}}}", "b", "c", "d", STR("<deep>", twin)));
    return d;
}

static struct template *fixed(const char *src)
{
    struct template *t;
    if (template_compile(src, strlen(src), &t, NULL, 0) != 0)
        abort();
    return t;
}

static size_t count(const char *s, size_t len, char c)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == c;
    return n;
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t need = c < 0x80                 ? 1
                      : c >= 0xC2 && c <= 0xDF ? 2
                      : c >= 0xE0 && c <= 0xEF ? 3
                      : c >= 0xF0 && c <= 0xF4 ? 4
                                               : 0;
        if (need == 0 || n - i < need)
            return false;
        unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (need > 1 && (s[i + 1] < lo || s[i + 1] > hi))
            return false;
        for (size_t k = 2; k < need; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        i += need;
    }
    return true;
}

static bool contains(const uint8_t *s, size_t n, const char *pat)
{
    size_t m = strlen(pat);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(s + i, pat, m) == 0)
            return true;
    return false;
}

static int render(const struct template *t, const json_t *d, const struct template_set *set,
                  struct textbuf *out)
{
    textbuf_init(out, OUTPUT_CAP);
    int rc = template_render(t, d, set, out);
    if (out->len > OUTPUT_CAP || (rc != 0) != (textbuf_error(out) != NULL))
        abort();
    if (rc != 0 && textbuf_error(out)[0] == '\0')
        abort();
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *real, *twin;
    static struct template *item, *indirect;
    if (!real) {
        real = make_data(false);
        twin = make_data(true);
        item = fixed("<li class=\"{{n}}\">{{name}}{{#tags}}<b>{{.}}</b>{{/tags}}</li>");
        indirect = fixed("<div>{{> self}}</div>");
    }
    if (size > INPUT_CAP)
        return 0;
    struct template *t;
    char err[TEMPLATE_ERROR_SIZE];
    if (template_compile((const char *)data, size, &t, err, sizeof err) != 0) {
        if (t || err[0] < '1' || err[0] > '9' || !strchr(err, ':'))
            abort();
        return 0;
    }
    const struct template_partial parts[] = {
        {"item", item},
        {"self", t},
        {"p", indirect},
    };
    const struct template_set set = {parts, sizeof parts / sizeof *parts};
    struct textbuf a, b;
    int ra = render(t, real, &set, &a);
    int rb = render(t, twin, &set, &b);
    bool raw = contains(data, size, "{{{") || contains(data, size, "{{&");
    if (ra == 0 && rb == 0 && !raw) {
        for (const char *c = "<>\"'`="; *c; c++)
            if (count(a.buf ? a.buf : "", a.len, *c) != count(b.buf ? b.buf : "", b.len, *c))
                abort();
        if (!valid_utf8((const unsigned char *)textbuf_str(&a), a.len))
            abort();
    }
    textbuf_release(&a);
    textbuf_release(&b);
    template_free(t);
    return 0;
}
