/*
 * form_internal: what the form parser's files (form.c, form_multipart.c) share.
 * Private to the form module, not part of form.h: nothing outside src/web/form*.c
 * includes this. Every function here is pure apart from the allocations it names,
 * which abort on exhaustion (util/alloc.h) and so never fail.
 */
#ifndef PADRON_WEB_FORM_INTERNAL_H
#define PADRON_WEB_FORM_INTERNAL_H

#include "web/form.h"

#include <stddef.h>

/* Input quoted in a message is cut to FORM_SHOW_MAX bytes; a buffer of FORM_SHOW_SIZE
 * holds the escaped result. */
#define FORM_SHOW_MAX  40
#define FORM_SHOW_SIZE (FORM_SHOW_MAX * 4 + 4)

/* How a name is declared in a struct form_decl. */
enum form_kind { FORM_KIND_NONE, FORM_KIND_FIELD, FORM_KIND_LIST, FORM_KIND_FILE };

/* The declaration a name matches, from form_decl_lookup. */
struct form_decl_hit {
    enum form_kind kind;
    const char *name; /* the declaration's string */
    size_t max_size;  /* FORM_KIND_FILE */
};

/* Formats into err (when err is not NULL and errsz > 0, always NUL-terminated); a
 * message that does not fit is cut short. */
void form_set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes s[0..n) escaped for a message into out (see FORM_SHOW_MAX) and returns out. */
const char *form_show(const char *s, size_t n, char out[FORM_SHOW_SIZE]);

/* NULL when s[0..n) is acceptable text (valid UTF-8, no NUL, no control character but
 * TAB, CR, LF), otherwise a static string saying why not. */
const char *form_text_problem(const char *s, size_t n);

/* A display copy of the file name s[0..n), as struct form_entry describes; the caller
 * owns it (free). Never NULL. */
char *form_display_name(const char *s, size_t n);

/* The declaration in d (may be NULL) that s[0..n) names exactly; kind FORM_KIND_NONE
 * when none. Nothing is allocated. */
struct form_decl_hit form_decl_lookup(const struct form_decl *d, const char *s, size_t n);

/* True when f holds an entry of this declared name (the declaration's pointer). */
int form_seen(const struct form *f, const char *declared);

/* A new zeroed entry at the end of f, growing its table (owned by f) up to max_fields
 * entries; the caller has checked count < max_fields. Never NULL. */
struct form_entry *form_add_entry(struct form *f, size_t max_fields);

/* True when s[0..n) equals the lower-case word w, ignoring ASCII case. */
int form_same_ci(const char *s, size_t n, const char *w);

/* True when c is an RFC 9110 token character. */
int form_is_tchar(unsigned char c);

/* True when c is RFC 9110 optional whitespace (space or TAB). */
int form_is_ows(char c);

/* True when b[0..n) is a valid RFC 2046 boundary: 1 to FORM_BOUNDARY_MAX bchars, not
 * ending in a space. */
int form_boundary_valid(const char *b, size_t n);

/* Reads one `; name=value` header parameter at s[*i]: 1 with the parts pointing into s
 * and *i past it, 0 at the end of the value, -1 when malformed. loose_token lets an
 * unquoted value hold any visible character but ';'. */
int form_next_param(const char *s, size_t n, size_t *i, int loose_token, const char **name,
                    size_t *name_len, const char **value, size_t *value_len);

#endif
