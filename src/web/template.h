/*
 * template: a Mustache subset with automatic HTML escaping, for the
 * server-rendered pages. The language, the escaping rules and how pages use it
 * are in docs/templates.md.
 *
 *   {{name}}  {{a.b}}  {{.}}     the value, HTML-escaped (textbuf_append_html_escaped)
 *   {{{name}}}  {{& name}}       the value as it is: ONLY for trusted HTML that is
 *                                already escaped (never anything a person typed)
 *   {{#name}}...{{/name}}        section: skipped for missing, null, false, "", 0 and
 *                                []; once for true; once per item of an array with
 *                                the item as context; once with an object, a
 *                                non-empty string or a non-zero number as context
 *   {{^name}}...{{/name}}        inverted section: once exactly when {{#name}} skips
 *   {{! comment }}               nothing
 *   {{> name}}                   the partial called name in the template_set, with
 *                                the current context
 *
 * Invariants:
 * - A compiled template is immutable: any number of threads may render one
 *   template (and the same data, which is only read) at the same time.
 * - Data is never parsed as a template: "{{" in a value is just text.
 * - Escaped output is valid UTF-8 and holds no & < > " ' ` = NUL of its own, so
 *   every '<' of a page comes from a template's text or from a raw tag.
 * - Templates are our own files, not outside input, but the compiler is still
 *   fuzzed and bounded: at most TEMPLATE_MAX_SIZE bytes, sections nested at most
 *   TEMPLATE_MAX_NESTING deep, valid UTF-8 without NUL bytes.
 * - Rendering is bounded too: context depth across partials, partial depth,
 *   partial cycles (an error, not a hang), a step budget and the textbuf's cap.
 * - Names are [A-Za-z0-9_-] segments joined by '.', or "." alone; partial names
 *   may also use '/'. Whitespace is allowed around a name, not before a sigil.
 * - Not supported: set delimiters ({{=...=}} is an error), lambdas, standalone
 *   line trimming (whitespace is kept as written), partial indentation.
 */
#ifndef PADRON_WEB_TEMPLATE_H
#define PADRON_WEB_TEMPLATE_H

#include <stddef.h>

#include "web/textbuf.h"

typedef struct json_t json_t;

#define TEMPLATE_MAX_SIZE     (256 * 1024) /* bytes of source */
#define TEMPLATE_MAX_NESTING  32           /* open sections within one template */
#define TEMPLATE_MAX_DEPTH    64           /* open sections while rendering, across partials */
#define TEMPLATE_MAX_PARTIALS 8            /* partials inside partials */
#define TEMPLATE_MAX_STEPS    1000000      /* tags and section passes per render */
#define TEMPLATE_ERROR_SIZE   160          /* enough for any compile error message */

struct template;

/* One named, compiled template that {{> name}} can include. */
struct template_partial {
    const char *name;
    const struct template *tmpl;
};

/* The partials a render may use: a caller-owned array, searched by name (first
 * match wins). Everything in it must outlive the render. */
struct template_set {
    const struct template_partial *items;
    size_t count;
};

/*
 * Compiles the len bytes at src into *out (a new template the caller frees with
 * template_free; src is copied, so it need not outlive the template).
 * On failure *out is NULL, -1 is returned, and err (when errsz > 0) holds
 * "LINE:COLUMN: what: why", e.g. "3:14: unclosed tag: {{ without }}", with a
 * 1-based line and a 1-based column counted in UTF-8 characters. Errors:
 * template too large, NUL byte, invalid UTF-8, unclosed tag, empty name, bad
 * name character, unsupported tag ({{= }}), unexpected section close,
 * mismatched section close, unclosed section, nesting too deep.
 */
int template_compile(const char *src, size_t len, struct template **out, char *err, size_t errsz);

/*
 * Renders t against data (a jansson value, usually an object, only read; NULL
 * acts as an empty object) appending to out. partials may be NULL when t
 * includes none. Values: strings escaped as in textbuf_append_html_escaped;
 * integers in decimal; reals in decimal without a fraction when integral and
 * below 1e15 in magnitude, else with "%g" (C locale, '.' decimal point); true,
 * false, null, missing, objects and arrays as nothing.
 * Returns 0, or -1 with out's sticky error set, saying why: the cap was passed,
 * a partial is missing or forms a cycle, or a depth or step bound was passed.
 * After -1 out holds a cut-off page: send an error page instead. If out
 * already had an error, returns -1 without rendering.
 */
int template_render(const struct template *t, const json_t *data,
                    const struct template_set *partials, struct textbuf *out);

/* Frees t. template_free(NULL) is a no-op. */
void template_free(struct template *t);

#endif
