/*
 * templates: the page templates, compiled once at start.
 *
 * The template files live in templates/ of the source tree and are embedded into
 * the binary at build time (scripts/embed-templates), so a deployed binary needs
 * no files beside it. Every template is compiled when the server starts: a
 * template that does not compile stops the start with its name and LINE:COLUMN.
 * Each template is also a partial of all the others, by the same name.
 */
#ifndef PADRON_WEB_TEMPLATES_H
#define PADRON_WEB_TEMPLATES_H

#include <stddef.h>

struct template;
struct template_set;

struct embedded_template {
    const char *name; /* "layout/head", "page/home", ... */
    const char *source;
};

/* Generated: every file of templates/, in name order. */
extern const struct embedded_template embedded_templates[];
extern const size_t embedded_templates_count;

struct page_templates;

/* Compiles every embedded template. Returns 0 with *out set (free with
 * templates_free), or -1 with "NAME: LINE:COLUMN: why" in err. */
int templates_load(struct page_templates **out, char *err, size_t errsz);

/* Frees t; NULL is a no-op. */
void templates_free(struct page_templates *t);

/* The compiled template named name, or NULL. */
const struct template *templates_get(const struct page_templates *t, const char *name);

/* All templates as a partial set, for template_render. */
const struct template_set *templates_partials(const struct page_templates *t);

#endif
