/* form_multipart: parsing of multipart/form-data bodies (RFC 7578, RFC 2046) for form.h;
 * the helpers it shares with form.c are in form_internal.h. */
#include "web/form.h"
#include "web/form_internal.h"

#include "util/alloc.h"

#include <stdint.h>
#include <string.h>

static const struct form_limits default_limits = FORM_LIMITS_INIT;

/* ---- multipart/form-data ---- */

struct part_headers {
    const char *disposition; /* value, trimmed; NULL when absent */
    size_t disposition_len;
    const char *type; /* Content-Type value, trimmed; NULL when absent */
    size_t type_len;
};

/* Reads the header lines of part number part starting at body[*pp], up to and including
 * the empty line, into h; *pp is then the first byte of the part's data. */
static enum form_status read_headers(const char *body, size_t len, size_t *pp,
                                     const struct form_limits *lim, size_t part,
                                     struct part_headers *h, char *err, size_t errsz)
{
    size_t p = *pp, lines = 0;
    for (;;) {
        size_t start = p, i = p;
        for (;;) {
            if (i == len || (body[i] == '\r' && i + 1 == len)) {
                form_set_err(err, errsz, "multipart: missing closing boundary");
                return FORM_ERR_MALFORMED;
            }
            unsigned char c = (unsigned char)body[i];
            if (c == '\r' && body[i + 1] == '\n')
                break;
            if (c == '\n') {
                form_set_err(err, errsz, "part %zu: header line ends in bare LF (CRLF required)",
                             part);
                return FORM_ERR_MALFORMED;
            }
            if (i - start >= lim->max_header_line) {
                form_set_err(err, errsz, "part %zu: header line longer than %zu bytes", part,
                             lim->max_header_line);
                return FORM_ERR_TOO_LARGE;
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                form_set_err(err, errsz, "part %zu: control character in header", part);
                return FORM_ERR_REFUSED;
            }
            i++;
        }
        const char *line = body + start;
        size_t n = i - start;
        p = i + 2;
        if (n == 0)
            break;
        if (form_is_ows(line[0])) {
            form_set_err(err, errsz, "part %zu: header folding", part);
            return FORM_ERR_MALFORMED;
        }
        if (++lines > lim->max_part_headers) {
            form_set_err(err, errsz, "part %zu: more than %zu headers", part,
                         lim->max_part_headers);
            return FORM_ERR_TOO_LARGE;
        }
        size_t k = 0;
        while (k < n && form_is_tchar((unsigned char)line[k]))
            k++;
        if (k == 0 || k == n || line[k] != ':') {
            form_set_err(err, errsz, "part %zu: bad header line", part);
            return FORM_ERR_MALFORMED;
        }
        size_t name_len = k, v = k + 1, e = n;
        while (v < e && form_is_ows(line[v]))
            v++;
        while (e > v && form_is_ows(line[e - 1]))
            e--;
        if (form_same_ci(line, name_len, "content-disposition")) {
            if (h->disposition) {
                form_set_err(err, errsz, "part %zu: two content-disposition headers", part);
                return FORM_ERR_MALFORMED;
            }
            h->disposition = line + v;
            h->disposition_len = e - v;
        } else if (form_same_ci(line, name_len, "content-type")) {
            if (h->type) {
                form_set_err(err, errsz, "part %zu: two content-type headers", part);
                return FORM_ERR_MALFORMED;
            }
            h->type = line + v;
            h->type_len = e - v;
        } else if (form_same_ci(line, name_len, "content-transfer-encoding")) {
            if (!form_same_ci(line + v, e - v, "binary") &&
                !form_same_ci(line + v, e - v, "8bit") && !form_same_ci(line + v, e - v, "7bit")) {
                form_set_err(err, errsz, "part %zu: content-transfer-encoding not supported", part);
                return FORM_ERR_REFUSED;
            }
        }
    }
    *pp = p;
    return FORM_OK;
}

struct disposition {
    const char *name; /* NULL when absent */
    size_t name_len;
    const char *filename; /* NULL when absent */
    size_t filename_len;
};

/* Splits a Content-Disposition value; NULL, or why it is malformed. */
static const char *parse_disposition(const char *s, size_t n, struct disposition *d)
{
    size_t i = 0;
    while (i < n && form_is_tchar((unsigned char)s[i]))
        i++;
    if (!form_same_ci(s, i, "form-data"))
        return "content-disposition is not form-data";
    for (;;) {
        const char *name, *value;
        size_t name_len, value_len;
        int r = form_next_param(s, n, &i, 0, &name, &name_len, &value, &value_len);
        if (r < 0)
            return "bad content-disposition";
        if (r == 0)
            return NULL;
        if (form_same_ci(name, name_len, "name")) {
            if (d->name)
                return "two name parameters";
            d->name = value;
            d->name_len = value_len;
        } else if (form_same_ci(name, name_len, "filename")) {
            if (d->filename)
                return "two filename parameters";
            d->filename = value;
            d->filename_len = value_len;
        }
    }
}

/* True when s[0..n) is printable ASCII. */
static int printable_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return 0;
    return 1;
}

/* The first delimiter d[0..dn) (which starts with CR and holds no other CR) in
 * s[0..n), or NULL. Linear: a failed comparison starting at one CR ends before the
 * next CR can start another. */
static const char *find_delim(const char *s, size_t n, const char *d, size_t dn)
{
    size_t i = 0;
    while (n - i >= dn) {
        const char *cr = memchr(s + i, '\r', n - i - dn + 1);
        if (!cr)
            return NULL;
        if (memcmp(cr, d, dn) == 0)
            return cr;
        i = (size_t)(cr - s) + 1;
    }
    return NULL;
}

enum form_status form_parse_multipart(const char *body, size_t len, const char *boundary,
                                      const struct form_limits *lim, struct form *out, char *err,
                                      size_t errsz)
{
    enum form_status st = FORM_OK;
    char shown[FORM_SHOW_SIZE];
    if (!lim)
        lim = &default_limits;
    size_t max_name = lim->max_name < FORM_NAME_CAP ? lim->max_name : FORM_NAME_CAP;
    form_release(out);
    form_set_err(err, errsz, "%s", "");
    size_t blen = boundary ? strnlen(boundary, FORM_BOUNDARY_MAX + 1) : 0;
    if (!form_boundary_valid(boundary, blen)) {
        form_set_err(err, errsz, "multipart: invalid boundary");
        return FORM_ERR_MALFORMED;
    }
    size_t allowance = lim->max_body;
    for (size_t i = 0; out->decl && out->decl->files && out->decl->files[i].name; i++) {
        size_t m = out->decl->files[i].max_size ? out->decl->files[i].max_size : FORM_MAX_FILE;
        allowance = m > SIZE_MAX - allowance ? SIZE_MAX : allowance + m;
    }
    if (len > allowance) {
        form_set_err(err, errsz, "multipart: body longer than %zu bytes", allowance);
        return FORM_ERR_TOO_LARGE;
    }
    /* delim is CRLF "--" boundary; the opening one may lack the CRLF. */
    char delim[4 + FORM_BOUNDARY_MAX];
    size_t dlen = 4 + blen;
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, blen);
    size_t p;
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        p = dlen - 2;
    } else {
        const char *q = find_delim(body, len, delim, dlen);
        if (!q) {
            form_set_err(err, errsz, "multipart: no opening boundary");
            return FORM_ERR_MALFORMED;
        }
        p = (size_t)(q - body) + dlen;
    }
    size_t part = 0, total = 0;
    for (;;) {
        /* p is just past a delimiter: "--" closes, else padding and CRLF open a part. */
        if (len - p >= 2 && body[p] == '-' && body[p + 1] == '-')
            break;
        while (p < len && form_is_ows(body[p]))
            p++;
        if (len - p < 2) {
            form_set_err(err, errsz, "multipart: missing closing boundary");
            st = FORM_ERR_MALFORMED;
            goto cleanup;
        }
        part++;
        if (body[p] != '\r' || body[p + 1] != '\n') {
            if (body[p] == '\n')
                form_set_err(err, errsz, "part %zu: boundary line ends in bare LF (CRLF required)",
                             part);
            else
                form_set_err(err, errsz, "part %zu: junk after boundary", part);
            st = FORM_ERR_MALFORMED;
            goto cleanup;
        }
        p += 2;
        if (part > lim->max_fields) {
            form_set_err(err, errsz, "multipart: more than %zu parts", lim->max_fields);
            st = FORM_ERR_TOO_LARGE;
            goto cleanup;
        }
        struct part_headers h = {NULL, 0, NULL, 0};
        st = read_headers(body, len, &p, lim, part, &h, err, errsz);
        if (st != FORM_OK)
            goto cleanup;
        if (!h.disposition) {
            form_set_err(err, errsz, "part %zu: missing content-disposition", part);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        struct disposition d = {NULL, 0, NULL, 0};
        const char *why = parse_disposition(h.disposition, h.disposition_len, &d);
        if (why) {
            form_set_err(err, errsz, "part %zu: %s", part, why);
            st = FORM_ERR_MALFORMED;
            goto cleanup;
        }
        if (!d.name || d.name_len == 0) {
            form_set_err(err, errsz, "part %zu: missing name", part);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        if (d.name_len > max_name) {
            form_set_err(err, errsz, "part %zu: name longer than %zu bytes", part, max_name);
            st = FORM_ERR_TOO_LARGE;
            goto cleanup;
        }
        struct form_decl_hit hit = form_decl_lookup(out->decl, d.name, d.name_len);
        if (hit.kind == FORM_KIND_NONE) {
            form_set_err(err, errsz, "part %zu: undeclared name '%s'", part,
                         form_show(d.name, d.name_len, shown));
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        if (hit.kind != FORM_KIND_FILE && d.filename) {
            form_set_err(err, errsz, "part %zu '%s': file sent for a text field", part, hit.name);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        if (hit.kind != FORM_KIND_LIST && form_seen(out, hit.name)) {
            form_set_err(err, errsz, "part %zu '%s': duplicate field", part, hit.name);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        if (hit.kind == FORM_KIND_FILE && h.type && !printable_ascii(h.type, h.type_len)) {
            form_set_err(err, errsz, "part %zu '%s': content-type is not printable ascii", part,
                         hit.name);
            st = FORM_ERR_REFUSED;
            goto cleanup;
        }
        /* The data ends at the next delimiter, looked for only as far as the limit
         * allows, so an oversized part costs no more than the limit. */
        size_t limit = hit.kind == FORM_KIND_FILE ? hit.max_size : lim->max_value;
        size_t avail = len - p;
        size_t window = limit < avail && avail - limit > dlen ? limit + dlen : avail;
        const char *q = find_delim(body + p, window, delim, dlen);
        if (!q) {
            if (window < avail) {
                if (hit.kind == FORM_KIND_FILE)
                    form_set_err(err, errsz, "part %zu '%s': file larger than %zu bytes", part,
                                 hit.name, limit);
                else
                    form_set_err(err, errsz, "part %zu '%s': value longer than %zu bytes", part,
                                 hit.name, limit);
                st = FORM_ERR_TOO_LARGE;
            } else {
                form_set_err(err, errsz, "multipart: missing closing boundary");
                st = FORM_ERR_MALFORMED;
            }
            goto cleanup;
        }
        size_t data_len = (size_t)(q - (body + p));
        if (hit.kind == FORM_KIND_FILE) {
            struct form_entry *e = form_add_entry(out, lim->max_fields);
            e->name = hit.name;
            e->is_file = true;
            e->data = body + p;
            e->len = data_len;
            e->filename = d.filename ? form_display_name(d.filename, d.filename_len) : xstrdup("");
            e->content_type =
                h.type ? xstrndup(h.type, h.type_len) : xstrdup("application/octet-stream");
        } else {
            if (data_len > lim->max_text - (total < lim->max_text ? total : lim->max_text)) {
                form_set_err(err, errsz, "form: text longer than %zu bytes in all", lim->max_text);
                st = FORM_ERR_TOO_LARGE;
                goto cleanup;
            }
            total += data_len;
            why = form_text_problem(body + p, data_len);
            if (why) {
                form_set_err(err, errsz, "part %zu '%s': %s", part, hit.name, why);
                st = FORM_ERR_REFUSED;
                goto cleanup;
            }
            struct form_entry *e = form_add_entry(out, lim->max_fields);
            e->name = hit.name;
            e->data = xstrndup(body + p, data_len);
            e->len = data_len;
        }
        p = (size_t)(q - body) + dlen;
    }
cleanup:
    if (st != FORM_OK)
        form_release(out);
    return st;
}
