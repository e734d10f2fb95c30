#include "web/template.h"

#include "util/alloc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The compiled form ----
 *
 * A flat array of nodes. A section node's block is the nodes from the next one
 * up to (not including) its end index, so rendering is a walk over ranges and no
 * pointer inside a template is ever written after compilation. */

enum node_kind { NODE_TEXT, NODE_VAR, NODE_RAW, NODE_SECTION, NODE_INVERTED, NODE_PARTIAL };

struct node {
    enum node_kind kind;
    uint32_t off, len; /* NODE_TEXT: bytes of text[] */
    uint32_t seg;      /* tags: first name segment in segs[] */
    uint32_t nseg;     /* tags: segments; 0 means "." (the current context) */
    uint32_t end;      /* sections: index of the node after the block */
};

/* One part of a name: names[off, off + len), NUL-terminated. */
struct segment {
    uint32_t off, len;
};

struct template
{
    char *text;           /* literal text of all NODE_TEXT nodes */
    char *names;          /* the name segments (a partial name is one segment) */
    struct segment *segs; /* each tag's segments, consecutive */
    struct node *nodes;
    size_t n_nodes;
};

/* A growable array of bytes or elements during compilation. */
struct vec {
    void *p;
    size_t n, alloc;
};

static void *vec_push(struct vec *v, size_t elem, size_t count)
{
    if (count > v->alloc - v->n) {
        size_t want = v->alloc ? v->alloc * 2 : 64;
        while (want - v->n < count)
            want *= 2;
        v->p = xreallocarray(v->p, want, elem);
        v->alloc = want;
    }
    void *at = (char *)v->p + v->n * elem;
    v->n += count;
    return at;
}

/* ---- Compilation ---- */

struct open_section {
    size_t node;       /* index of the section node */
    size_t tag;        /* offset of its "{{" */
    size_t name, nlen; /* its name in the source, trimmed */
    char sigil;        /* '#' or '^' */
};

struct compiler {
    const char *src;
    size_t len;
    struct vec text, names, segs, nodes;
    struct open_section open[TEMPLATE_MAX_NESTING];
    size_t n_open;
    bool merge; /* the last node is text that more text may extend (only a comment since) */
    char *err;
    size_t errsz;
};

/* Line and column (1-based; columns in UTF-8 characters) of byte off. */
static void position(const char *src, size_t off, unsigned long *line, unsigned long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\n') {
            ++*line;
            *col = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

static int fail(struct compiler *c, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "LINE:COLUMN: message" for byte off into the caller's buffer; returns -1. */
static int fail(struct compiler *c, size_t off, const char *fmt, ...)
{
    if (c->errsz == 0)
        return -1;
    unsigned long line, col;
    position(c->src, off, &line, &col);
    int n = snprintf(c->err, c->errsz, "%lu:%lu: ", line, col);
    if (n >= 0 && (size_t)n < c->errsz) {
        va_list ap;
        va_start(ap, fmt);
        /* A message cut to the caller's buffer is still the right message. */
        if (vsnprintf(c->err + n, c->errsz - (size_t)n, fmt, ap) < 0)
            c->err[n] = '\0';
        va_end(ap);
    }
    return -1;
}

/* Length of the well-formed UTF-8 sequence at s (n >= 1 bytes left), or 0. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need;
}

/* Refuses oversized input, NUL bytes and ill-formed UTF-8 before any parsing. */
static int check_source(struct compiler *c)
{
    if (c->len > TEMPLATE_MAX_SIZE)
        return fail(c, TEMPLATE_MAX_SIZE, "template too large: more than %d bytes",
                    TEMPLATE_MAX_SIZE);
    const unsigned char *u = (const unsigned char *)c->src;
    for (size_t i = 0; i < c->len;) {
        if (u[i] == 0)
            return fail(c, i, "nul byte: templates are text");
        size_t n = utf8_length(u + i, c->len - i);
        if (n == 0)
            return fail(c, i, "invalid utf-8: byte 0x%02x", u[i]);
        i += n;
    }
    return 0;
}

static void add_text(struct compiler *c, size_t off, size_t len)
{
    if (len == 0)
        return;
    struct node *nodes = c->nodes.p;
    struct node *last = c->nodes.n ? &nodes[c->nodes.n - 1] : NULL;
    size_t at = c->text.n;
    memcpy(vec_push(&c->text, 1, len), c->src + off, len);
    if (c->merge && last && last->kind == NODE_TEXT && last->off + last->len == at) {
        last->len += (uint32_t)len; /* text around a comment is one node */
        return;
    }
    struct node *n = vec_push(&c->nodes, sizeof *n, 1);
    *n = (struct node){.kind = NODE_TEXT, .off = (uint32_t)at, .len = (uint32_t)len};
    c->merge = true;
}

/* The first occurrence of the n bytes of pat (n >= 1) in s[0, len), or NULL
 * (memmem is a GNU extension). */
static const char *find(const char *s, size_t len, const char *pat, size_t n)
{
    const char *end = s + len;
    while ((size_t)(end - s) >= n) {
        const char *hit = memchr(s, pat[0], (size_t)(end - s) - n + 1);
        if (!hit)
            return NULL;
        if (memcmp(hit, pat, n) == 0)
            return hit;
        s = hit + 1;
    }
    return NULL;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static bool is_name_char(char ch, bool partial)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || (partial && (ch == '/' || ch == '.'));
}

static void add_segment(struct compiler *c, const char *s, size_t len)
{
    struct segment *seg = vec_push(&c->segs, sizeof *seg, 1);
    *seg = (struct segment){(uint32_t)c->names.n, (uint32_t)len};
    char *copy = vec_push(&c->names, 1, len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
}

/* Describes the character at s for an error message. */
static int describe_char(const char *s, char *buf, size_t size)
{
    unsigned char ch = (unsigned char)*s;
    if (ch == ' ')
        return snprintf(buf, size, "a space");
    if (ch == '\t' || ch == '\r' || ch == '\n')
        return snprintf(buf, size, "a line break or tab");
    if (ch < 0x20 || ch == 0x7F)
        return snprintf(buf, size, "byte 0x%02x", ch);
    size_t n = utf8_length((const unsigned char *)s, 4); /* the source is valid UTF-8 */
    return snprintf(buf, size, "'%.*s'", (int)(n ? n : 1), s);
}

/*
 * Parses the name in src[from, to) of the tag at tag into a new node of kind.
 * Sets *name and *nlen to the trimmed name. Returns 0 or -1 (error written).
 */
static int add_tag(struct compiler *c, enum node_kind kind, size_t tag, size_t from, size_t to,
                   size_t *name, size_t *nlen)
{
    while (from < to && is_space(c->src[from]))
        from++;
    while (to > from && is_space(c->src[to - 1]))
        to--;
    if (from == to)
        return fail(c, tag, "empty name: a tag needs a name");
    bool partial = kind == NODE_PARTIAL;
    struct node n = {.kind = kind, .seg = (uint32_t)c->segs.n};
    const char *s = c->src;
    if (partial) {
        for (size_t i = from; i < to; i++) {
            if (!is_name_char(s[i], true)) {
                char what[32];
                describe_char(s + i, what, sizeof what);
                return fail(c, i,
                            "bad name character: %s in a partial name (letters, digits, "
                            "_ - . / only)",
                            what);
            }
        }
        add_segment(c, s + from, to - from);
        n.nseg = 1;
    } else if (!(to - from == 1 && s[from] == '.')) {
        size_t start = from;
        for (size_t i = from; i <= to; i++) {
            if (i < to && s[i] != '.') {
                if (!is_name_char(s[i], false)) {
                    char what[32];
                    describe_char(s + i, what, sizeof what);
                    return fail(c, i,
                                "bad name character: %s in a name (letters, digits, _ - "
                                "and . between parts only)",
                                what);
                }
                continue;
            }
            if (i == start)
                return fail(c, i < to ? i : i - 1, "bad name: empty part in a dotted name");
            add_segment(c, s + start, i - start);
            n.nseg++;
            start = i + 1;
        }
    }
    struct node *slot = vec_push(&c->nodes, sizeof *slot, 1);
    *slot = n;
    *name = from;
    *nlen = to - from;
    return 0;
}

static int open_section(struct compiler *c, char sigil, size_t tag, size_t from, size_t to)
{
    if (c->n_open == TEMPLATE_MAX_NESTING)
        return fail(c, tag, "nesting too deep: more than %d open sections", TEMPLATE_MAX_NESTING);
    struct open_section *o = &c->open[c->n_open];
    o->node = c->nodes.n;
    o->tag = tag;
    o->sigil = sigil;
    if (add_tag(c, sigil == '#' ? NODE_SECTION : NODE_INVERTED, tag, from, to, &o->name,
                &o->nlen) != 0)
        return -1;
    c->n_open++;
    return 0;
}

static int close_section(struct compiler *c, size_t tag, size_t from, size_t to)
{
    while (from < to && is_space(c->src[from]))
        from++;
    while (to > from && is_space(c->src[to - 1]))
        to--;
    int len = (int)(to - from > 40 ? 40 : to - from);
    if (c->n_open == 0)
        return fail(c, tag, "unexpected section close: {{/%.*s}} with no open section", len,
                    c->src + from);
    struct open_section *o = &c->open[c->n_open - 1];
    if (o->nlen != to - from || memcmp(c->src + o->name, c->src + from, o->nlen) != 0) {
        unsigned long line, col;
        position(c->src, o->tag, &line, &col);
        return fail(c, tag,
                    "mismatched section close: {{/%.*s}} closes {{%c%.*s}} opened at %lu:%lu", len,
                    c->src + from, o->sigil, (int)(o->nlen > 40 ? 40 : o->nlen), c->src + o->name,
                    line, col);
    }
    struct node *nodes = c->nodes.p;
    nodes[o->node].end = (uint32_t)c->nodes.n;
    c->n_open--;
    return 0;
}

/* One tag whose "{{" is at tag; *pos is set past its closing braces. */
static int parse_tag(struct compiler *c, size_t tag, size_t *pos)
{
    const char *s = c->src;
    size_t p = tag + 2;
    size_t name, nlen;
    if (p < c->len && s[p] == '{') {
        const char *close = find(s + p + 1, c->len - p - 1, "}}}", 3);
        if (!close)
            return fail(c, tag, "unclosed tag: {{{ without }}}");
        *pos = (size_t)(close - s) + 3;
        c->merge = false;
        return add_tag(c, NODE_RAW, tag, p + 1, (size_t)(close - s), &name, &nlen);
    }
    const char *close = find(s + p, c->len - p, "}}", 2);
    if (!close)
        return fail(c, tag, "unclosed tag: {{ without }}");
    size_t end = (size_t)(close - s);
    *pos = end + 2;
    char sigil = p < end ? s[p] : '\0';
    if (sigil == '!')
        return 0; /* a comment: text on both sides joins up */
    c->merge = false;
    switch (sigil) {
    case '=':
        return fail(c, tag, "unsupported tag: set delimiters {{=...=}} are not available");
    case '#':
    case '^':
        return open_section(c, sigil, tag, p + 1, end);
    case '/':
        return close_section(c, tag, p + 1, end);
    case '>':
        return add_tag(c, NODE_PARTIAL, tag, p + 1, end, &name, &nlen);
    case '&':
        return add_tag(c, NODE_RAW, tag, p + 1, end, &name, &nlen);
    default:
        return add_tag(c, NODE_VAR, tag, p, end, &name, &nlen);
    }
}

static int parse(struct compiler *c)
{
    if (check_source(c) != 0)
        return -1;
    size_t pos = 0;
    while (pos < c->len) {
        const char *open = find(c->src + pos, c->len - pos, "{{", 2);
        size_t tag = open ? (size_t)(open - c->src) : c->len;
        add_text(c, pos, tag - pos);
        if (!open)
            break;
        if (parse_tag(c, tag, &pos) != 0)
            return -1;
    }
    if (c->n_open > 0) {
        struct open_section *o = &c->open[c->n_open - 1];
        int len = (int)(o->nlen > 40 ? 40 : o->nlen);
        return fail(c, o->tag, "unclosed section: {{%c%.*s}} has no {{/%.*s}}", o->sigil, len,
                    c->src + o->name, len, c->src + o->name);
    }
    return 0;
}

int template_compile(const char *src, size_t len, struct template **out, char *err, size_t errsz)
{
    struct compiler c = {.src = src, .len = len, .err = err, .errsz = errsz};
    *out = NULL;
    if (errsz > 0)
        err[0] = '\0';
    if (parse(&c) != 0) {
        free(c.text.p);
        free(c.names.p);
        free(c.segs.p);
        free(c.nodes.p);
        return -1;
    }
    struct template *t = xcalloc(1, sizeof *t);
    t->text = c.text.p;
    t->names = c.names.p;
    t->segs = c.segs.p;
    t->nodes = c.nodes.p;
    t->n_nodes = c.nodes.n;
    *out = t;
    return 0;
}

void template_free(struct template *t)
{
    if (!t)
        return;
    free(t->text);
    free(t->names);
    free(t->segs);
    free(t->nodes);
    free(t);
}

/* ---- Rendering ---- */

struct render {
    const struct template_set *partials;
    struct textbuf *out;
    const json_t *ctx[TEMPLATE_MAX_DEPTH + 1]; /* ctx[0] is the data */
    size_t n_ctx;
    size_t depth; /* open sections */
    const struct template *active[TEMPLATE_MAX_PARTIALS + 1];
    size_t n_active;
    unsigned long steps;
};

/* The member of v named by segment i, or NULL (also when v is not an object). */
static const json_t *member(const struct template *t, const json_t *v, uint32_t i)
{
    return json_object_getn(v, t->names + t->segs[i].off, t->segs[i].len);
}

/* The value a tag names, or NULL: the first part is looked up from the innermost
 * context outwards, the other parts only inside what the first part found. */
static const json_t *lookup(const struct render *r, const struct template *t, const struct node *n)
{
    if (n->nseg == 0)
        return r->ctx[r->n_ctx - 1];
    const json_t *v = NULL;
    for (size_t i = r->n_ctx; i-- > 0 && !v;)
        v = member(t, r->ctx[i], n->seg);
    for (uint32_t k = 1; k < n->nseg && v; k++)
        v = member(t, v, n->seg + k);
    return v;
}

static bool truthy(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT:
    case JSON_TRUE:
        return true;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    case JSON_FALSE:
    case JSON_NULL:
    default:
        return false;
    }
}

/* Decimal digits without printf, which dominated the cost of short numbers. */
static void emit_integer(struct textbuf *out, long long n)
{
    char buf[24];
    char *p = buf + sizeof buf;
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (n < 0)
        *--p = '-';
    textbuf_append(out, p, (size_t)(buf + sizeof buf - p));
}

static void emit(struct textbuf *out, const json_t *v, bool escape)
{
    if (json_is_string(v)) {
        if (escape)
            textbuf_append_html_escaped(out, json_string_value(v), json_string_length(v));
        else
            textbuf_append(out, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        emit_integer(out, json_integer_value(v));
    } else if (json_is_real(v)) {
        double d = json_real_value(v);
        if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
            emit_integer(out, (long long)d); /* -0.0 prints as 0 */
        else
            textbuf_appendf(out, "%g", d);
    }
}

static int render_block(struct render *r, const struct template *t, size_t begin, size_t end);

static int step(struct render *r)
{
    if (r->out->failed)
        return -1;
    if (++r->steps > TEMPLATE_MAX_STEPS) {
        textbuf_fail(r->out, "template: more than %d steps in one render", TEMPLATE_MAX_STEPS);
        return -1;
    }
    return 0;
}

/* Renders a section block once with v pushed as context (v NULL: nothing pushed). */
static int render_with(struct render *r, const struct template *t, const struct node *n,
                       size_t begin, const json_t *v)
{
    if (v)
        r->ctx[r->n_ctx++] = v;
    int rc = render_block(r, t, begin, n->end);
    if (v)
        r->n_ctx--;
    return rc;
}

static int render_section(struct render *r, const struct template *t, size_t i)
{
    const struct node *n = &t->nodes[i];
    const json_t *v = lookup(r, t, n);
    bool show = truthy(v);
    if (n->kind == NODE_INVERTED ? show : !show)
        return 0;
    if (r->depth == TEMPLATE_MAX_DEPTH) {
        textbuf_fail(r->out, "template: more than %d sections open while rendering",
                     TEMPLATE_MAX_DEPTH);
        return -1;
    }
    r->depth++;
    int rc = 0;
    if (n->kind == NODE_INVERTED || json_is_true(v)) {
        rc = render_with(r, t, n, i + 1, NULL);
    } else if (json_is_array(v)) {
        for (size_t k = 0; k < json_array_size(v) && rc == 0; k++) {
            rc = k == 0 ? 0 : step(r);
            if (rc == 0)
                rc = render_with(r, t, n, i + 1, json_array_get(v, k));
        }
    } else {
        rc = render_with(r, t, n, i + 1, v);
    }
    r->depth--;
    return rc;
}

static int render_partial(struct render *r, const struct template *t, const struct node *n)
{
    const char *name = t->names + t->segs[n->seg].off;
    const struct template *p = NULL;
    for (size_t k = 0; r->partials && k < r->partials->count && !p; k++)
        if (strcmp(r->partials->items[k].name, name) == 0)
            p = r->partials->items[k].tmpl;
    if (!p) {
        textbuf_fail(r->out, "template: partial not found: {{> %.60s}}", name);
        return -1;
    }
    for (size_t k = 0; k < r->n_active; k++) {
        if (r->active[k] == p) {
            textbuf_fail(r->out, "template: partial cycle: {{> %.60s}} is already being rendered",
                         name);
            return -1;
        }
    }
    if (r->n_active == TEMPLATE_MAX_PARTIALS + 1) {
        textbuf_fail(r->out, "template: partials nested more than %d deep", TEMPLATE_MAX_PARTIALS);
        return -1;
    }
    r->active[r->n_active++] = p;
    int rc = render_block(r, p, 0, p->n_nodes);
    r->n_active--;
    return rc;
}

static int render_block(struct render *r, const struct template *t, size_t begin, size_t end)
{
    size_t i = begin;
    while (i < end) {
        if (step(r) != 0)
            return -1;
        const struct node *n = &t->nodes[i];
        int rc = 0;
        switch (n->kind) {
        case NODE_TEXT:
            textbuf_append(r->out, t->text + n->off, n->len);
            break;
        case NODE_VAR:
        case NODE_RAW:
            emit(r->out, lookup(r, t, n), n->kind == NODE_VAR);
            break;
        case NODE_SECTION:
        case NODE_INVERTED:
            rc = render_section(r, t, i);
            i = n->end;
            break;
        case NODE_PARTIAL:
            rc = render_partial(r, t, n);
            break;
        }
        if (rc != 0)
            return -1;
        if (n->kind != NODE_SECTION && n->kind != NODE_INVERTED)
            i++;
    }
    return textbuf_status(r->out);
}

int template_render(const struct template *t, const json_t *data,
                    const struct template_set *partials, struct textbuf *out)
{
    if (out->failed)
        return -1;
    struct render r = {.partials = partials, .out = out, .n_ctx = 1, .n_active = 1};
    r.ctx[0] = data; /* NULL: every lookup misses */
    r.active[0] = t;
    return render_block(&r, t, 0, t->n_nodes);
}
