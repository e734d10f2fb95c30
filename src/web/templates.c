#include "web/templates.h"

#include "util/alloc.h"
#include "web/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page_templates {
    struct template_partial *items;
    size_t count;
    struct template_set set;
};

int templates_load(struct page_templates **out, char *err, size_t errsz)
{
    struct page_templates *t = xcalloc(1, sizeof *t);
    t->items = xcalloc(embedded_templates_count, sizeof *t->items);
    for (size_t i = 0; i < embedded_templates_count; i++) {
        const struct embedded_template *e = &embedded_templates[i];
        char why[256];
        struct template *compiled;
        if (template_compile(e->source, strlen(e->source), &compiled, why, sizeof why) != 0) {
            snprintf(err, errsz, "template %s: %s", e->name, why);
            templates_free(t);
            return -1;
        }
        t->items[t->count++] = (struct template_partial){e->name, compiled};
    }
    t->set = (struct template_set){t->items, t->count};
    *out = t;
    return 0;
}

void templates_free(struct page_templates *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++)
        template_free((struct template *)t->items[i].tmpl);
    free(t->items);
    free(t);
}

const struct template *templates_get(const struct page_templates *t, const char *name)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->items[i].name, name) == 0)
            return t->items[i].tmpl;
    return NULL;
}

const struct template_set *templates_partials(const struct page_templates *t)
{
    return &t->set;
}
