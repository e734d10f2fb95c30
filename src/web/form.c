/* form: declarations and the field table, text checks, lexical helpers, urlencoded bodies
 * and lookup. multipart/form-data bodies are in form_multipart.c. */
#include "web/form.h"

#include "util/utf8.h"
#include "web/form_internal.h"

#include "util/alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct form_limits default_limits = FORM_LIMITS_INIT;

/* A message that does not fit err is cut short, which loses only words. */
void form_set_err(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    if (!err || errsz == 0)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

/* Input shown in a message: at most FORM_SHOW_MAX bytes of s[0..n), printable ASCII as
 * is (except quote and backslash), every other byte as \xNN, "..." when cut. */
const char *form_show(const char *s, size_t n, char out[FORM_SHOW_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n && i < FORM_SHOW_MAX; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    if (n > FORM_SHOW_MAX) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

/* ---- Text ---- */

/* NULL when s[0..n) is acceptable text, otherwise why not. */
const char *form_text_problem(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        if (u[i] == 0)
            return "NUL in value";
        size_t k = utf8_next(u + i, n - i, &cp);
        if (k == 0)
            return "invalid utf-8 in value";
        if ((cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n') || (cp >= 0x7f && cp <= 0x9f))
            return "control character in value";
        i += k;
    }
    return NULL;
}

/* Characters a display name drops besides C0, DEL and C1: the invisible marks and
 * overrides that make "gpj.exe" read as "exe.jpg", and the line separators. */
static int invisible(uint32_t cp)
{
    return cp == 0x061c || cp == 0x200b || cp == 0x200e || cp == 0x200f || cp == 0x2028 ||
           cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xfeff;
}

/* A display copy of the file name s[0..n): see struct form_entry. */
char *form_display_name(const char *s, size_t n)
{
    for (size_t i = n; i > 0; i--) {
        if (s[i - 1] == '/' || s[i - 1] == '\\') {
            s += i;
            n -= i;
            break;
        }
    }
    const unsigned char *u = (const unsigned char *)s;
    char *out = xmallocarray((n < FORM_FILENAME_MAX ? n : FORM_FILENAME_MAX) + 1, 1);
    size_t o = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_next(u + i, n - i, &cp);
        if (k == 0) {
            i++;
            continue;
        }
        if (cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f) && !invisible(cp)) {
            if (o + k > FORM_FILENAME_MAX)
                break;
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    return out;
}

/* ---- Declarations and the field table ---- */

static int same(const char *declared, const char *s, size_t n)
{
    return strlen(declared) == n && memcmp(declared, s, n) == 0;
}

struct form_decl_hit form_decl_lookup(const struct form_decl *d, const char *s, size_t n)
{
    struct form_decl_hit h = {FORM_KIND_NONE, NULL, 0};
    if (!d)
        return h;
    for (size_t i = 0; d->fields && d->fields[i]; i++)
        if (same(d->fields[i], s, n))
            return (struct form_decl_hit){FORM_KIND_FIELD, d->fields[i], 0};
    for (size_t i = 0; d->lists && d->lists[i]; i++)
        if (same(d->lists[i], s, n))
            return (struct form_decl_hit){FORM_KIND_LIST, d->lists[i], 0};
    for (size_t i = 0; d->files && d->files[i].name; i++)
        if (same(d->files[i].name, s, n))
            return (struct form_decl_hit){FORM_KIND_FILE, d->files[i].name,
                                          d->files[i].max_size ? d->files[i].max_size
                                                               : FORM_MAX_FILE};
    return h;
}

/* True when a field of this declared name (the declaration's pointer) is in f. */
int form_seen(const struct form *f, const char *declared)
{
    for (size_t i = 0; i < f->count; i++)
        if (f->entry[i].name == declared)
            return 1;
    return 0;
}

/* A new zeroed entry at the end of f; the caller has checked count < max_fields. */
struct form_entry *form_add_entry(struct form *f, size_t max_fields)
{
    if (f->count == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        if (cap > max_fields)
            cap = max_fields;
        f->entry = xreallocarray(f->entry, cap, sizeof *f->entry);
        f->cap = cap;
    }
    struct form_entry *e = &f->entry[f->count++];
    memset(e, 0, sizeof *e);
    return e;
}

const char *form_status_code(enum form_status status)
{
    switch (status) {
    case FORM_OK:
        return "ok";
    case FORM_ERR_MALFORMED:
        return "malformed";
    case FORM_ERR_TOO_LARGE:
        return "too_large";
    case FORM_ERR_REFUSED:
        return "refused";
    }
    return "unknown";
}

void form_init(struct form *f, const struct form_decl *decl)
{
    memset(f, 0, sizeof *f);
    f->decl = decl;
}

void form_release(struct form *f)
{
    for (size_t i = 0; i < f->count; i++) {
        struct form_entry *e = &f->entry[i];
        /* Text values may be passwords or codes: wiped before the memory is reused. */
        if (!e->is_file) {
            explicit_bzero((void *)e->data, e->len);
            free((void *)e->data);
        }
        free(e->filename);
        free(e->content_type);
    }
    free(f->entry);
    form_init(f, f->decl);
}

/* ---- Lexical helpers (RFC 9110) ---- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* True when s[0..n) equals the lower-case word w, ignoring ASCII case. */
int form_same_ci(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != w[i])
            return 0;
    return 1;
}

int form_is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

int form_is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 2046 bchars (space allowed, but not last). */
static int is_bchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != 0 && strchr("'()+_,-./:=? ", c) != NULL);
}

int form_boundary_valid(const char *b, size_t n)
{
    if (n == 0 || n > FORM_BOUNDARY_MAX || b[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_bchar((unsigned char)b[i]))
            return 0;
    return 1;
}

/* When s starts (after OWS) with the media type w (lower case) followed by the end, OWS
 * or ';', the index just past it; otherwise 0. */
static size_t media_match(const char *s, size_t n, const char *w)
{
    size_t i = 0, wl = strlen(w);
    while (i < n && form_is_ows(s[i]))
        i++;
    if (n - i < wl || !form_same_ci(s + i, wl, w))
        return 0;
    i += wl;
    return i == n || form_is_ows(s[i]) || s[i] == ';' ? i : 0;
}

enum form_media form_media_type(const char *content_type)
{
    if (!content_type)
        return FORM_MEDIA_OTHER;
    size_t n = strlen(content_type);
    if (media_match(content_type, n, "application/x-www-form-urlencoded"))
        return FORM_MEDIA_URLENCODED;
    if (media_match(content_type, n, "multipart/form-data"))
        return FORM_MEDIA_MULTIPART;
    return FORM_MEDIA_OTHER;
}

/* One `; name=value` parameter of a header value, starting at s[*i] (just past the
 * previous item). Returns 1 with the parts set and *i past it, 0 at the end of the
 * value, -1 when it is not a parameter. A quoted value ends at the next '"' (no
 * escapes). An unquoted value is a token; loose_token also lets it hold any visible
 * character but ';' (boundaries like ----=_Part_1 are sent unquoted). */
int form_next_param(const char *s, size_t n, size_t *i, int loose_token, const char **name,
                    size_t *name_len, const char **value, size_t *value_len)
{
    size_t p = *i;
    while (p < n && form_is_ows(s[p]))
        p++;
    if (p == n)
        return 0;
    if (s[p] != ';')
        return -1;
    p++;
    while (p < n && form_is_ows(s[p]))
        p++;
    size_t start = p;
    while (p < n && form_is_tchar((unsigned char)s[p]))
        p++;
    if (p == start || p == n || s[p] != '=')
        return -1;
    *name = s + start;
    *name_len = p - start;
    p++;
    if (p < n && s[p] == '"') {
        const char *close = memchr(s + p + 1, '"', n - p - 1);
        if (!close)
            return -1;
        *value = s + p + 1;
        *value_len = (size_t)(close - (s + p + 1));
        p = (size_t)(close - s) + 1;
    } else {
        start = p;
        while (p < n && (loose_token ? (unsigned char)s[p] > 0x20 && s[p] != ';' && s[p] != 0x7f
                                     : form_is_tchar((unsigned char)s[p])))
            p++;
        if (p == start)
            return -1;
        *value = s + start;
        *value_len = p - start;
    }
    *i = p;
    return 1;
}

int form_boundary(const char *content_type, char *out, size_t size)
{
    if (out && size > 0)
        out[0] = '\0';
    if (!content_type || !out)
        return -1;
    size_t n = strlen(content_type);
    size_t i = media_match(content_type, n, "multipart/form-data");
    if (i == 0)
        return -1;
    const char *found = NULL;
    size_t found_len = 0;
    for (;;) {
        const char *name, *value;
        size_t name_len, value_len;
        int r = form_next_param(content_type, n, &i, 1, &name, &name_len, &value, &value_len);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        if (form_same_ci(name, name_len, "boundary")) {
            if (found)
                return -1;
            found = value;
            found_len = value_len;
        }
    }
    if (!found || !form_boundary_valid(found, found_len) || found_len >= size)
        return -1;
    memcpy(out, found, found_len);
    out[found_len] = '\0';
    return 0;
}

/* ---- application/x-www-form-urlencoded ---- */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char)lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The decoded length of s[0..n) in *out; -1 on a '%' not followed by two hex digits. */
static int decoded_len(const char *s, size_t n, size_t *out)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++, d++) {
        if (s[i] == '%') {
            if (n - i < 3 || hexval((unsigned char)s[i + 1]) < 0 ||
                hexval((unsigned char)s[i + 2]) < 0)
                return -1;
            i += 2;
        }
    }
    *out = d;
    return 0;
}

/* Decodes s[0..n) (checked by decoded_len) into out. */
static void decode(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            out[o++] =
                (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i] == '+' ? ' ' : s[i];
        }
    }
}

enum form_status form_parse_urlencoded(const char *body, size_t len, const struct form_limits *lim,
                                       struct form *out, char *err, size_t errsz)
{
    enum form_status st = FORM_OK;
    char shown[FORM_SHOW_SIZE];
    if (!lim)
        lim = &default_limits;
    size_t max_name = lim->max_name < FORM_NAME_CAP ? lim->max_name : FORM_NAME_CAP;
    form_release(out);
    form_set_err(err, errsz, "%s", "");
    if (len > lim->max_body) {
        form_set_err(err, errsz, "form: body longer than %zu bytes", lim->max_body);
        return FORM_ERR_TOO_LARGE;
    }
    size_t pairs = 0;
    for (size_t i = 0; i < len;) {
        const char *amp = memchr(body + i, '&', len - i);
        size_t j = amp ? (size_t)(amp - body) : len;
        pairs += j > i;
        i = j + 1;
    }
    if (pairs > lim->max_fields) {
        form_set_err(err, errsz, "form: more than %zu fields", lim->max_fields);
        return FORM_ERR_TOO_LARGE;
    }
    if (pairs > 0) {
        out->entry = xcalloc(pairs, sizeof *out->entry);
        out->cap = pairs;
    }
    size_t field = 0, total = 0;
    for (size_t i = 0; i < len;) {
        const char *amp = memchr(body + i, '&', len - i);
        size_t j = amp ? (size_t)(amp - body) : len;
        size_t pair_start = i;
        i = j + 1;
        if (j == pair_start)
            continue;
        field++;
        const char *name = body + pair_start;
        const char *eq = memchr(name, '=', j - pair_start);
        size_t raw_name = eq ? (size_t)(eq - name) : j - pair_start;
        const char *value = eq ? eq + 1 : body + j;
        size_t raw_value = (size_t)(body + j - value);
        size_t name_len, value_len;
        if (decoded_len(name, raw_name, &name_len) < 0 ||
            decoded_len(value, raw_value, &value_len) < 0) {
            form_set_err(err, errsz, "field %zu: bad percent escape", field);
            st = FORM_ERR_MALFORMED;
            goto cleanup;
        }
        if (name_len == 0) {
            form_set_err(err, errsz, "field %zu: empty name", field);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        if (name_len > max_name) {
            form_set_err(err, errsz, "field %zu: name longer than %zu bytes", field, max_name);
            st = FORM_ERR_TOO_LARGE;
            goto cleanup;
        }
        char decoded_name[FORM_NAME_CAP + 1];
        decode(name, raw_name, decoded_name);
        if (memchr(decoded_name, '\0', name_len)) {
            form_set_err(err, errsz, "field %zu: NUL in name", field);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        struct form_decl_hit hit = form_decl_lookup(out->decl, decoded_name, name_len);
        if (hit.kind == FORM_KIND_NONE) {
            form_set_err(err, errsz, "field %zu: undeclared name '%s'", field,
                         form_show(decoded_name, name_len, shown));
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        if (hit.kind == FORM_KIND_FILE) {
            form_set_err(err, errsz, "field %zu '%s': file field in an urlencoded body", field,
                         hit.name);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        if (hit.kind == FORM_KIND_FIELD && form_seen(out, hit.name)) {
            form_set_err(err, errsz, "field %zu '%s': duplicate field", field, hit.name);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        if (value_len > lim->max_value) {
            form_set_err(err, errsz, "field %zu '%s': value longer than %zu bytes", field, hit.name,
                         lim->max_value);
            st = FORM_ERR_TOO_LARGE;
            goto cleanup;
        }
        if (value_len > lim->max_text - (total < lim->max_text ? total : lim->max_text)) {
            form_set_err(err, errsz, "form: text longer than %zu bytes in all", lim->max_text);
            st = FORM_ERR_TOO_LARGE;
            goto cleanup;
        }
        total += value_len;
        struct form_entry *e = form_add_entry(out, pairs);
        char *copy = xmallocarray(value_len + 1, 1);
        decode(value, raw_value, copy);
        copy[value_len] = '\0';
        e->name = hit.name;
        e->data = copy;
        e->len = value_len;
        const char *why = form_text_problem(copy, value_len);
        if (why) {
            form_set_err(err, errsz, "field %zu '%s': %s", field, hit.name, why);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
    }
cleanup:
    if (st != FORM_OK)
        form_release(out);
    return st;
}

/* ---- Lookup ---- */

const char *form_get_nth(const struct form *f, const char *name, size_t n, size_t *len)
{
    for (size_t i = 0; i < f->count; i++) {
        const struct form_entry *e = &f->entry[i];
        if (e->is_file || strcmp(e->name, name) != 0)
            continue;
        if (n-- == 0) {
            if (len)
                *len = e->len;
            return e->data;
        }
    }
    return NULL;
}

const char *form_get(const struct form *f, const char *name, size_t *len)
{
    return form_get_nth(f, name, 0, len);
}

size_t form_count(const struct form *f, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < f->count; i++)
        n += strcmp(f->entry[i].name, name) == 0;
    return n;
}

const struct form_entry *form_file(const struct form *f, const char *name)
{
    for (size_t i = 0; i < f->count; i++)
        if (f->entry[i].is_file && strcmp(f->entry[i].name, name) == 0)
            return &f->entry[i];
    return NULL;
}
