/*
 * keyed_sink: writes lines to a file in the order of a small integer key, stably
 * (lines of one key keep the order they came in), in memory that does not grow
 * with the number of lines.
 *
 * How: lines go, as they come, to an anonymous scratch file next to the output
 * (key, length, bytes), while a counter per key adds up their bytes; then every
 * key's first byte in the output is known, and a second pass over the scratch
 * file writes each line at its place with pwrite. The imports of postal codes
 * (100,000 possible codes) and CIE-10 codes (28,600) sort this way.
 *
 * Invariants:
 * - Memory: one 8-byte counter per key, fixed at keyed_sink_init, and one
 *   read buffer; nothing per line.
 * - A line is at most KEYED_SINK_MAX_LINE bytes; keys are below n_keys.
 * - The scratch file is unlinked as soon as it is created: nothing is left
 *   behind, whatever happens.
 */
#ifndef PADRON_CATALOG_KEYED_SINK_H
#define PADRON_CATALOG_KEYED_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KEYED_SINK_MAX_LINE (64 * 1024)

struct keyed_sink {
    FILE *scratch;
    uint64_t *bytes; /* per key: bytes so far, then the next offset to write at */
    size_t n_keys;
    uint64_t lines;
};

/* Makes s ready for keys 0..n_keys-1, with its scratch file in dir. Returns 0,
 * or -1 with "dir: reason" in err (s then owns nothing). */
int keyed_sink_init(struct keyed_sink *s, size_t n_keys, const char *dir, char *err, size_t errsz);

/* Adds line[0..len) (its terminator included, if any) under key. Returns 0, or -1
 * with the reason in err. */
int keyed_sink_add(struct keyed_sink *s, size_t key, const char *line, size_t len, char *err,
                   size_t errsz);

/* Writes every line to fd, in key order, starting at offset at (the bytes before
 * it, a header, are the caller's). Returns 0, or -1 with the reason in err. */
int keyed_sink_write(struct keyed_sink *s, int fd, uint64_t at, char *err, size_t errsz);

/* Frees what s owns; safe after a failed init and twice. */
void keyed_sink_release(struct keyed_sink *s);

#endif
