/*
 * Fuzzes the multipart/form-data parser. The first line of the input (up to LF, a
 * trailing CR dropped) is the boundary and also, behind "multipart/form-data;
 * boundary=", a Content-Type for form_boundary; the rest is the body.
 * Invariants: an accepted body gives only declared names; file data lies inside the
 * body and within its declared size, with a display name that is clean UTF-8 without
 * path separators and a printable ASCII content type; text values are NUL-terminated
 * clean UTF-8 within the limits; a refused body leaves the form empty and says why.
 */
#include "web/form.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fields[] = {"curp", "nombre", "a", NULL};
static const char *const lists[] = {"servicio", NULL};
static const struct form_file_decl files[] = {{"foto", 64}, {"ine", 0}, {NULL, 0}};
static const struct form_decl decl = {fields, lists, files};

/* True when s[0..n) is valid UTF-8 with no NUL and no control characters, except
 * TAB, CR and LF when text is set. */
static int clean(const unsigned char *s, size_t n, int text)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && !(text && (c == '\t' || c == '\r' || c == '\n'))) || c == 0x7f)
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

static void check(const char *body, size_t size, const char *boundary,
                  const struct form_limits *lim)
{
    static const struct form_limits defaults = FORM_LIMITS_INIT;
    const struct form_limits *l = lim ? lim : &defaults;
    struct form f;
    char err[256];
    form_init(&f, &decl);
    enum form_status st = form_parse_multipart(body, size, boundary, lim, &f, err, sizeof err);
    if (st != FORM_OK) {
        if (f.count != 0 || err[0] == '\0' || strlen(err) >= sizeof err)
            abort();
        form_release(&f);
        return;
    }
    if (f.count > l->max_fields)
        abort();
    size_t total = 0;
    for (size_t i = 0; i < f.count; i++) {
        const struct form_entry *e = &f.entry[i];
        int kind = 0;
        size_t max = 0;
        for (size_t k = 0; fields[k]; k++)
            if (e->name == fields[k])
                kind = 1;
        for (size_t k = 0; lists[k]; k++)
            if (e->name == lists[k])
                kind = 2;
        for (size_t k = 0; files[k].name; k++)
            if (e->name == files[k].name) {
                kind = 3;
                max = files[k].max_size ? files[k].max_size : FORM_MAX_FILE;
            }
        if (kind == 0 || (kind == 3) != e->is_file)
            abort();
        if (kind != 2 && form_count(&f, e->name) != 1)
            abort();
        if (e->is_file) {
            if (e->data < body || e->len > size || e->data > body + size - e->len || e->len > max)
                abort();
            size_t fl = strlen(e->filename);
            if (fl > FORM_FILENAME_MAX || !clean((const unsigned char *)e->filename, fl, 0) ||
                strchr(e->filename, '/') || strchr(e->filename, '\\'))
                abort();
            for (const char *c = e->content_type; *c; c++)
                if (*c < 0x20 || *c > 0x7e)
                    abort();
            if (form_file(&f, e->name) != e || form_get(&f, e->name, NULL) != NULL)
                abort();
        } else {
            if (e->filename || e->content_type || e->len > l->max_value ||
                e->data[e->len] != '\0' || !clean((const unsigned char *)e->data, e->len, 1))
                abort();
            if (e->data >= body && e->data < body + size)
                abort(); /* text is a copy */
            total += e->len;
        }
    }
    if (total > l->max_text)
        abort();
    form_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const uint8_t *nl = memchr(data, '\n', size);
    size_t line = nl ? (size_t)(nl - data) : size;
    size_t rest = nl ? line + 1 : size;
    size_t blen = line;
    if (blen > 0 && data[blen - 1] == '\r')
        blen--;
    char boundary[FORM_BOUNDARY_MAX + 8];
    if (blen >= sizeof boundary)
        blen = sizeof boundary - 1;
    memcpy(boundary, data, blen);
    boundary[blen] = '\0';

    /* The same line as a Content-Type parameter. */
    char ct[sizeof boundary + 40], out[FORM_BOUNDARY_MAX + 1];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", boundary);
    if (form_boundary(ct, out, sizeof out) == 0) {
        size_t n = strlen(out);
        if (n == 0 || n > FORM_BOUNDARY_MAX || out[n - 1] == ' ')
            abort();
    } else if (out[0] != '\0') {
        abort();
    }
    if (form_media_type(ct) != FORM_MEDIA_MULTIPART)
        abort();

    /* The body in its own allocation, so a read past it is caught. */
    size_t n = size - rest;
    char *body = malloc(n ? n : 1);
    if (!body)
        return 0;
    memcpy(body, data + rest, n);
    struct form_limits tight = {4, 8, 16, 40, 512, 3, 96};
    check(body, n, boundary, &tight);
    check(body, n, boundary, NULL);
    free(body);
    return 0;
}
