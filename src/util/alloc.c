#include "util/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void out_of_memory(size_t n, size_t size)
{
    fprintf(stderr, "padron: out of memory allocating %zu x %zu bytes\n", n, size);
    abort();
}

static size_t checked_product(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        out_of_memory(n, size);
    return n * size;
}

void *xmallocarray(size_t n, size_t size)
{
    size_t total = checked_product(n, size);
    void *p = malloc(total ? total : 1);
    if (!p)
        out_of_memory(n, size);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    checked_product(n, size);
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n, size);
    return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
    size_t total = checked_product(n, size);
    void *q = realloc(p, total ? total : 1);
    if (!q)
        out_of_memory(n, size);
    return q;
}

char *xstrndup(const char *s, size_t len)
{
    char *copy = xmallocarray(len + 1, 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}
