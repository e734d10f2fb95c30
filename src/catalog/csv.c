#include "catalog/csv.h"

#include "util/alloc.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Bytes asked of zlib per read; the buffer also holds one partial line. */
#define READ_CHUNK (64 * 1024)
#define READER_CAP (READ_CHUNK + CSV_MAX_LINE + 2)

/* A message that does not fit err is cut short, which loses only words. */
static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    if (!err || errsz == 0)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

void csv_record_init(struct csv_record *r)
{
    memset(r, 0, sizeof *r);
}

void csv_record_release(struct csv_record *r)
{
    free(r->buf);
    csv_record_init(r);
}

bool csv_utf8_valid(const char *s, size_t len, size_t *bad)
{
    return utf8_valid((const unsigned char *)s, len, bad);
}

size_t csv_latin1_to_utf8(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[o++] = (char)c;
        } else {
            out[o++] = (char)(0xc0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3f));
        }
    }
    return o;
}

/* Refuses bytes no field of ours may hold; UTF-8 is checked separately. */
static int check_controls(const char *line, size_t len, char *err, size_t errsz)
{
    const unsigned char *p = (const unsigned char *)line;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c == 0) {
            set_err(err, errsz, "embedded nul byte at byte %zu", i + 1);
            return -1;
        }
        if (c == '\r' || c == '\n') {
            set_err(err, errsz, "line break inside a line at byte %zu", i + 1);
            return -1;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            set_err(err, errsz, "control character 0x%02x at byte %zu", c, i + 1);
            return -1;
        }
        /* U+0080-U+009F: C1 controls, the usual trace of a mislabelled encoding */
        if (c == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
            set_err(err, errsz, "control character u+%04x at byte %zu", p[i + 1], i + 1);
            return -1;
        }
    }
    return 0;
}

int csv_split(struct csv_record *r, enum csv_format fmt, const char *line, size_t len, char *err,
              size_t errsz)
{
    size_t bad = 0;
    char sep = fmt == CSV_FORMAT_CSV ? ',' : fmt == CSV_FORMAT_TSV ? '\t' : '|';
    size_t i = 0, o = 0;

    r->count = 0;
    if (len > CSV_MAX_LINE) {
        set_err(err, errsz, "line longer than %d bytes", CSV_MAX_LINE);
        return -1;
    }
    if (!csv_utf8_valid(line, len, &bad)) {
        set_err(err, errsz, "invalid utf-8 at byte %zu", bad + 1);
        return -1;
    }
    if (check_controls(line, len, err, errsz) < 0)
        return -1;
    if (r->cap < len + 1) {
        /* one allocation per record in practice: grow straight to the cap */
        r->buf = xreallocarray(r->buf, CSV_MAX_LINE + 1, 1);
        r->cap = CSV_MAX_LINE + 1;
    }
    for (;;) {
        size_t start = o;
        if (r->count == CSV_MAX_FIELDS) {
            set_err(err, errsz, "more than %d fields", CSV_MAX_FIELDS);
            goto fail;
        }
        if (fmt == CSV_FORMAT_CSV && i < len && line[i] == '"') {
            size_t open = i++;
            for (;;) {
                if (i == len) {
                    set_err(err, errsz, "unterminated quoted field starting at byte %zu", open + 1);
                    goto fail;
                }
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        r->buf[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                r->buf[o++] = line[i++];
            }
            if (i < len && line[i] != sep) {
                set_err(err, errsz, "unexpected character after closing quote at byte %zu", i + 1);
                goto fail;
            }
        } else {
            while (i < len && line[i] != sep) {
                if (fmt == CSV_FORMAT_CSV && line[i] == '"') {
                    set_err(err, errsz, "quote inside an unquoted field at byte %zu", i + 1);
                    goto fail;
                }
                r->buf[o++] = line[i++];
            }
        }
        r->buf[o++] = '\0';
        r->field[r->count] = r->buf + start;
        r->len[r->count] = o - 1 - start;
        r->count++;
        if (i == len)
            return 0;
        i++; /* the separator; a trailing one yields a last, empty field */
    }
fail:
    r->count = 0;
    return -1;
}

void csv_record_trim(struct csv_record *r)
{
    for (size_t i = 0; i < r->count; i++) {
        char *s = r->field[i];
        size_t n = r->len[i];
        while (n > 0 && *s == ' ') {
            s++;
            n--;
        }
        while (n > 0 && s[n - 1] == ' ')
            n--;
        s[n] = '\0';
        r->field[i] = s;
        r->len[i] = n;
    }
}

int csv_map_columns(const struct csv_record *header, const char *const *names, size_t n, int *index,
                    char *err, size_t errsz)
{
    for (size_t k = 0; k < n; k++) {
        int found = -1;
        for (size_t i = 0; i < header->count; i++) {
            if (strcmp(header->field[i], names[k]) != 0)
                continue;
            if (found >= 0) {
                set_err(err, errsz, "column '%s' appears twice in the header", names[k]);
                return -1;
            }
            found = (int)i;
        }
        if (found < 0) {
            set_err(err, errsz, "missing column '%s'", names[k]);
            return -1;
        }
        index[k] = found;
    }
    return 0;
}

int csv_reader_open(struct csv_reader *r, const char *path, char *err, size_t errsz)
{
    memset(r, 0, sizeof *r);
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        set_err(err, errsz, "%s: %s", path, errno ? strerror(errno) : "cannot open");
        return -1;
    }
    if (gzbuffer(gz, 128 * 1024) != 0) {
        (void)gzclose(gz);
        set_err(err, errsz, "%s: cannot size the read buffer", path);
        return -1;
    }
    r->gz = gz;
    r->buf = xmallocarray(READER_CAP, 1);
    r->path_len = strlen(path);
    return 0;
}

/* Appends more bytes after the unread ones; sets eof when there are none. */
static int fill(struct csv_reader *r, char *err, size_t errsz)
{
    int errnum = Z_OK;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    int n = gzread(r->gz, r->buf + r->end, (unsigned)(READER_CAP - r->end));
    const char *msg = gzerror(r->gz, &errnum);
    if (n < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
        if (errnum == Z_ERRNO || !msg || !*msg)
            msg = errnum == Z_ERRNO ? strerror(errno) : "damaged data";
        else if (strlen(msg) > r->path_len + 2 && memcmp(msg + r->path_len, ": ", 2) == 0)
            msg += r->path_len + 2; /* "PATH: unexpected end of file" */
        set_err(err, errsz, "read error: %s", msg);
        return -1;
    }
    if (n == 0)
        r->eof = true;
    r->end += (size_t)n;
    return 0;
}

int csv_reader_next(struct csv_reader *r, const char **line, size_t *len, char *err, size_t errsz)
{
    const char *s;
    size_t n;
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        if (nl) {
            s = r->buf + r->start;
            n = (size_t)(nl - s);
            r->start += n + 1;
            break;
        }
        if (r->end - r->start > CSV_MAX_LINE + 1) {
            set_err(err, errsz, "line %lu longer than %d bytes", r->line + 1, CSV_MAX_LINE);
            return -1;
        }
        if (r->eof) {
            if (r->end == r->start)
                return 0;
            s = r->buf + r->start; /* a last line without LF */
            n = r->end - r->start;
            r->start = r->end;
            break;
        }
        if (fill(r, err, errsz) < 0)
            return -1;
    }
    r->line++;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n > CSV_MAX_LINE) {
        set_err(err, errsz, "line %lu longer than %d bytes", r->line, CSV_MAX_LINE);
        return -1;
    }
    if (r->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3;
        n -= 3;
    }
    *line = s;
    *len = n;
    return 1;
}

unsigned long long csv_reader_offset(const struct csv_reader *r)
{
    z_off_t at = r->gz ? gzoffset(r->gz) : 0;
    return at > 0 ? (unsigned long long)at : 0;
}

int csv_reader_close(struct csv_reader *r, char *err, size_t errsz)
{
    int rc = 0;
    if (r->gz) {
        int z = gzclose(r->gz);
        /* Z_BUF_ERROR: the file ended in the middle of a gzip stream */
        if (z != Z_OK) {
            set_err(err, errsz, "%s",
                    z == Z_BUF_ERROR ? "truncated gzip stream" : "error closing the file");
            rc = -1;
        }
    }
    free(r->buf);
    memset(r, 0, sizeof *r);
    return rc;
}
