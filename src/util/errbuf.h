/*
 * errbuf: writing an error message into a caller's buffer, the "char *err,
 * size_t errsz" pair most modules take. A NULL buffer or a zero size is allowed
 * (the message is dropped); a message that does not fit is cut; a formatting
 * failure leaves an empty string.
 */
#ifndef PADRON_UTIL_ERRBUF_H
#define PADRON_UTIL_ERRBUF_H

#include <stddef.h>

void errbuf_set(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
