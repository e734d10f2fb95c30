/*
 * alloc: allocation wrappers that never return NULL.
 *
 * Invariant: every function here either returns usable memory or aborts the
 * process after printing what failed; a size product that overflows size_t is
 * treated as an allocation failure, never wrapped. Callers therefore never test
 * for NULL. Memory is released with the C library's free().
 */
#ifndef PADRON_UTIL_ALLOC_H
#define PADRON_UTIL_ALLOC_H

#include <stddef.h>

/* malloc(n * size); aborts on overflow or exhaustion. */
void *xmallocarray(size_t n, size_t size);

/* calloc(n, size); aborts on overflow or exhaustion. */
void *xcalloc(size_t n, size_t size);

/* realloc(p, n * size); aborts on overflow or exhaustion. p may be NULL. */
void *xreallocarray(void *p, size_t n, size_t size);

/* A NUL-terminated copy of the len bytes at s. */
char *xstrndup(const char *s, size_t len);

/* A copy of the NUL-terminated string s. */
char *xstrdup(const char *s);

#endif
