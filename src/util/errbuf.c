#include "util/errbuf.h"

#include <stdarg.h>
#include <stdio.h>

void errbuf_set(char *err, size_t errsz, const char *fmt, ...)
{
    if (err == NULL || errsz == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(err, errsz, fmt, ap) < 0)
        err[0] = '\0';
    va_end(ap);
}
