/*
 * Fuzzes the application/x-www-form-urlencoded parser with arbitrary bytes, once
 * under tight limits (so every limit is reachable) and once under the defaults.
 * Invariants: an accepted body gives only declared names, each plain field at most
 * once, and values that are NUL-terminated, valid UTF-8 without NUL or control
 * characters (but TAB, CR, LF) and within the limits; a refused body leaves the form
 * empty and says why.
 */
#include "web/form.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fields[] = {"curp", "nombre", "correo", "a", NULL};
static const char *const lists[] = {"servicio", "b", NULL};
static const struct form_file_decl files[] = {{"foto", 0}, {NULL, 0}};
static const struct form_decl decl = {fields, lists, files};

/* True when s[0..n) is valid UTF-8 with no NUL and no control but TAB, CR, LF. */
static int clean_text(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
                return 0;
            i++;
            continue;
        }
        size_t need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
        if (c < 0xc2 || c > 0xf4 || n - i <= need)
            return 0;
        uint32_t cp = c & (need == 1 ? 0x1fu : need == 2 ? 0x0fu : 0x07u);
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp <= 0x9f)
            return 0;
        i += need + 1;
    }
    return 1;
}

static void check(const char *body, size_t size, const struct form_limits *lim)
{
    static const struct form_limits defaults = FORM_LIMITS_INIT;
    const struct form_limits *l = lim ? lim : &defaults;
    struct form f;
    char err[256];
    form_init(&f, &decl);
    enum form_status st = form_parse_urlencoded(body, size, lim, &f, err, sizeof err);
    if (st != FORM_OK) {
        if (f.count != 0 || err[0] == '\0' || strlen(err) >= sizeof err)
            abort();
        form_release(&f);
        return;
    }
    if (f.count > l->max_fields || size > l->max_body)
        abort();
    size_t total = 0;
    for (size_t i = 0; i < f.count; i++) {
        const struct form_entry *e = &f.entry[i];
        int kind = 0;
        for (size_t k = 0; fields[k]; k++)
            if (e->name == fields[k])
                kind = 1;
        for (size_t k = 0; lists[k]; k++)
            if (e->name == lists[k])
                kind = 2;
        if (kind == 0 || e->is_file || e->filename || e->content_type)
            abort();
        if (kind == 1 && form_count(&f, e->name) != 1)
            abort();
        if (e->len > l->max_value || e->data[e->len] != '\0' ||
            !clean_text((const unsigned char *)e->data, e->len))
            abort();
        total += e->len;
        size_t len;
        if (form_get_nth(&f, e->name, 0, &len) == NULL)
            abort();
    }
    if (total > l->max_text)
        abort();
    form_release(&f);
    if (f.count != 0 || f.entry != NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    struct form_limits tight = {4, 8, 16, 40, 512, 2, 64};
    check((const char *)data, size, &tight);
    check((const char *)data, size, NULL);
    return 0;
}
