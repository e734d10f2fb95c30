/*
 * csv: strict, bounded reading of the line-oriented text tables padron imports.
 *
 * Invariants:
 * - A line is at most CSV_MAX_LINE bytes (terminator excluded) and splits into at
 *   most CSV_MAX_FIELDS fields; anything longer is refused, never truncated.
 * - A split line is valid UTF-8 (no overlong forms, surrogates or code points past
 *   U+10FFFF) and holds no NUL, CR, LF, DEL or other control character except TAB.
 * - Three formats: CSV_FORMAT_CSV is RFC 4180 without line breaks inside fields
 *   ("" escapes a quote inside a quoted field; a quote inside an unquoted field or
 *   anything but a comma after a closing quote is refused); CSV_FORMAT_TSV and
 *   CSV_FORMAT_PIPE split on TAB or '|' and know no quoting.
 * - Memory: a record owns one buffer of at most CSV_MAX_LINE + 1 bytes, reused
 *   across lines; a reader owns one fixed buffer. Nothing grows with hostile input.
 * - Error messages are lowercase, say what failed first and give 1-based byte
 *   positions; callers prefix the file name and line number.
 */
#ifndef PADRON_CATALOG_CSV_H
#define PADRON_CATALOG_CSV_H

#include <stdbool.h>
#include <stddef.h>

#define CSV_MAX_LINE   8192
#define CSV_MAX_FIELDS 64

enum csv_format {
    CSV_FORMAT_CSV,  /* RFC 4180, comma-separated, optional "quoting" */
    CSV_FORMAT_TSV,  /* TAB-separated, no quoting */
    CSV_FORMAT_PIPE, /* '|'-separated, no quoting (SEPOMEX CPdescarga.txt) */
};

/* One split line. field[i] points into buf and is NUL-terminated; len[i] is its
 * length. Valid until the next csv_split or csv_record_release on the record. */
struct csv_record {
    size_t count;
    char *field[CSV_MAX_FIELDS];
    size_t len[CSV_MAX_FIELDS];
    char *buf;
    size_t cap;
};

/* Sequential lines of a file, plain or gzip-compressed (zlib detects which). */
struct csv_reader {
    void *gz;           /* gzFile */
    char *buf;          /* fixed size, allocated by csv_reader_open */
    size_t start, end;  /* unread bytes are buf[start..end) */
    bool eof;           /* the file has no more bytes to give */
    unsigned long line; /* 1-based number of the line last returned */
    size_t path_len;    /* zlib prefixes its messages with the path: skipped */
};

/* Makes r an empty record that owns nothing yet. */
void csv_record_init(struct csv_record *r);

/* Frees what r owns and leaves it empty; r may be reused after csv_record_init. */
void csv_record_release(struct csv_record *r);

/* Splits line[0..len) (no terminator) into r, replacing its previous contents.
 * Returns 0, or -1 with the reason in err (r then holds no fields). An empty line
 * is one empty field. Allocates at most len + 1 bytes, once per record. */
int csv_split(struct csv_record *r, enum csv_format fmt, const char *line, size_t len, char *err,
              size_t errsz);

/* Trims ASCII spaces from both ends of every field of r, in place. */
void csv_record_trim(struct csv_record *r);

/* Finds each of names[0..n) in the header record and stores its position in
 * index[i]. Returns 0, or -1 naming the first missing column (or a column that
 * appears twice in the header) in err. */
int csv_map_columns(const struct csv_record *header, const char *const *names, size_t n, int *index,
                    char *err, size_t errsz);

/* True when s[0..len) is valid UTF-8; otherwise stores the offset of the first
 * bad byte in *bad (when bad is not NULL). */
bool csv_utf8_valid(const char *s, size_t len, size_t *bad);

/* Converts Latin-1 s[0..len) to UTF-8 into out (at least 2 * len bytes). Returns
 * the length written. Every Latin-1 byte maps to one code point, so it cannot fail;
 * C1 controls (0x80-0x9f) come out as control code points that csv_split refuses. */
size_t csv_latin1_to_utf8(const char *s, size_t len, char *out);

/* Opens path for reading. Returns 0, or -1 with "PATH: reason" in err (r then
 * owns nothing). */
int csv_reader_open(struct csv_reader *r, const char *path, char *err, size_t errsz);

/* Returns the next line without its LF or CRLF in *line / *len (valid until the
 * next call): 1 when there was a line, 0 at end of file, -1 on a read error, a
 * line longer than CSV_MAX_LINE or a damaged gzip stream (reason in err, without
 * the path). A UTF-8 byte order mark at the start of line 1 is skipped. */
int csv_reader_next(struct csv_reader *r, const char **line, size_t *len, char *err, size_t errsz);

/* How many bytes of the file as stored (compressed, for gzip) have been read so
 * far, for a progress indicator; 0 before the first read. */
unsigned long long csv_reader_offset(const struct csv_reader *r);

/* Closes the file and frees the buffer. Returns 0, or -1 when zlib reports that
 * the stream was damaged or truncated (reason in err). Safe on a reader whose
 * open failed. */
int csv_reader_close(struct csv_reader *r, char *err, size_t errsz);

#endif
