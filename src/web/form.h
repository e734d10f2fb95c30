/*
 * form: strict, bounded parsing of HTML form posts (application/x-www-form-urlencoded
 * and multipart/form-data), with no HTTP and no I/O in it (so it is fuzzed on its own).
 *
 * Invariants:
 * - Input is declared: a route describes its fields once (struct form_decl) and every
 *   name the body carries must be declared, with the offending name (escaped) in the
 *   error otherwise. Each name arrives at most once unless declared in `lists`
 *   (checkboxes, multi-selects). File fields are declared apart, each with its own
 *   maximum size, and are accepted only in multipart bodies.
 * - Every text value handed back is a decoded, NUL-terminated copy that is valid UTF-8
 *   (no overlong forms, surrogates or code points past U+10FFFF), holds no NUL and no
 *   control character (C0, DEL, C1) except TAB, CR and LF, and respects the limits.
 *   Names are compared byte for byte with the declaration after decoding; a name with
 *   an embedded NUL is refused.
 * - File data is never copied: it is pointer + length into the caller's body, so it
 *   lives as long as the body does. Its file name is sanitised for display only (see
 *   struct form_entry) and must never be used as a path.
 * - Memory: the field table (at most max_fields entries), the decoded copies of text
 *   values (at most max_text bytes in all), and per file a display name and a content
 *   type (each shorter than max_header_line). Nothing else grows with hostile input;
 *   no recursion; work is linear in the body.
 * - Limits are checked before the work they protect: the body size before parsing, the
 *   field count before the table is allocated (urlencoded) or grown (multipart), each
 *   length before its copy is made.
 * - multipart/form-data follows RFC 7578 and RFC 2046: CRLF is required everywhere
 *   (header lines, the line after a boundary, before a delimiter). Bare LF is refused,
 *   not tolerated: every browser and curl send CRLF, and a second reading of the same
 *   bytes is how a proxy and a server come to disagree about what was posted. A
 *   preamble before the first boundary and an epilogue after the closing one are
 *   ignored. Header folding, junk after a boundary line, a missing closing boundary,
 *   a part without Content-Disposition: form-data; name="..." are refused. Quoted
 *   parameter values end at the next '"' (browsers percent-encode '"' and CR LF in
 *   names and file names, and a backslash is a Windows path separator, not an
 *   escape). Headers other than Content-Disposition and Content-Type are ignored,
 *   except Content-Transfer-Encoding, which may only be 7bit, 8bit or binary.
 * - Reentrant: no globals. Error messages are lowercase English for logs, say what
 *   failed first ("field 3: bad percent escape", "part 2 'foto': file larger than
 *   10485760 bytes") and never echo an undeclared name or a value unescaped.
 */
#ifndef PADRON_WEB_FORM_H
#define PADRON_WEB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define FORM_MAX_FIELDS       64                    /* fields or parts per body */
#define FORM_MAX_NAME         64                    /* bytes of a decoded name */
#define FORM_NAME_CAP         255                   /* max_name above this acts as this */
#define FORM_MAX_VALUE        4096                  /* bytes of one decoded text value */
#define FORM_MAX_TEXT         (64u * 1024u)         /* bytes of all decoded text values */
#define FORM_MAX_BODY         (64u * 1024u)         /* bytes of body, besides file data */
#define FORM_MAX_PART_HEADERS 8                     /* header lines per multipart part */
#define FORM_MAX_HEADER_LINE  1024                  /* bytes of one part header line */
#define FORM_MAX_FILE         (10u * 1024u * 1024u) /* a file field declared with max_size 0 */
#define FORM_FILENAME_MAX     255                   /* bytes of a sanitised file name */
#define FORM_BOUNDARY_MAX     70                    /* RFC 2046 */

struct form_limits {
    size_t max_fields;       /* FORM_MAX_FIELDS */
    size_t max_name;         /* FORM_MAX_NAME, at most FORM_NAME_CAP */
    size_t max_value;        /* FORM_MAX_VALUE */
    size_t max_text;         /* FORM_MAX_TEXT */
    size_t max_body;         /* FORM_MAX_BODY: a multipart body may also carry, on top, the
                                max_size of each declared file field */
    size_t max_part_headers; /* FORM_MAX_PART_HEADERS */
    size_t max_header_line;  /* FORM_MAX_HEADER_LINE, CRLF excluded */
};

/* The defaults above, for static initialisation; a NULL limits pointer means these. */
#define FORM_LIMITS_INIT                                                                           \
    {                                                                                              \
        FORM_MAX_FIELDS, FORM_MAX_NAME, FORM_MAX_VALUE, FORM_MAX_TEXT, FORM_MAX_BODY,              \
            FORM_MAX_PART_HEADERS, FORM_MAX_HEADER_LINE                                            \
    }

/* A file field: multipart only, at most once, data of at most max_size bytes
 * (0 means FORM_MAX_FILE). */
struct form_file_decl {
    const char *name;
    size_t max_size;
};

/* What a route accepts. Every list may be NULL (nothing of that kind); the names
 * are NUL-terminated and must outlive every form parsed with the declaration (they
 * are normally string literals in a static const struct). */
struct form_decl {
    const char *const *fields;          /* NULL-terminated: text fields, at most once each */
    const char *const *lists;           /* NULL-terminated: text fields that may repeat */
    const struct form_file_decl *files; /* ends with an entry whose name is NULL */
};

/* One parsed field, in body order. Read-only for callers. */
struct form_entry {
    const char *name;   /* the declaration's own string (not a copy of the input) */
    const char *data;   /* text: decoded copy owned by the form, NUL-terminated;
                           file: the part's bytes inside the body, not terminated */
    size_t len;         /* bytes at data */
    bool is_file;       /* declared in files */
    char *filename;     /* file: display name owned by the form, "" when none was sent
                           (a file input left empty arrives as len 0 and filename "");
                           path components (up to the last '/' or '\\'), control
                           characters, bidirectional marks and overrides, line
                           separators and invalid UTF-8 are removed and it is cut
                           to FORM_FILENAME_MAX bytes on a character boundary.
                           text: NULL */
    char *content_type; /* file: the part's Content-Type as sent, trimmed, printable ASCII,
                           "application/octet-stream" when absent (RFC 7578 4.4); checking
                           it is the caller's business. text: NULL */
};

/* A parsed body. Initialise with form_init; release with form_release. */
struct form {
    const struct form_decl *decl;
    size_t count;             /* entries in entry[] */
    struct form_entry *entry; /* owned */
    size_t cap;               /* allocated entries */
};

/* What went wrong, for the HTTP status; the message says exactly what. */
enum form_status {
    FORM_OK = 0,
    FORM_ERR_MALFORMED, /* not the encoding it claims: bad percent escape, invalid boundary,
                           no opening or closing boundary, header folding, junk after a
                           boundary, broken Content-Disposition (HTTP 400) */
    FORM_ERR_TOO_LARGE, /* a limit: body, fields, name, value, text total, file size, part
                           headers (HTTP 413) */
    FORM_ERR_REFUSED,   /* well-formed but not acceptable: undeclared, duplicate or missing
                           name, NUL, invalid UTF-8, control characters, a file where text
                           was declared or the reverse (HTTP 422) */
};

/* The stable code of a status: "ok", "malformed", "too_large", "refused". */
const char *form_status_code(enum form_status status);

/* What kind of body a Content-Type header (NUL-terminated, may be NULL) announces.
 * The media type is compared case-insensitively and parameters are not checked. */
enum form_media {
    FORM_MEDIA_OTHER = 0, /* anything else, or no header (HTTP 415) */
    FORM_MEDIA_URLENCODED,
    FORM_MEDIA_MULTIPART,
};
enum form_media form_media_type(const char *content_type);

/* Makes f an empty form bound to decl (which must outlive f). Never fails. */
void form_init(struct form *f, const struct form_decl *decl);

/* Frees what f owns (text values are wiped first: they may be passwords or
 * codes) and leaves it empty, still bound to its declaration, so it may be parsed
 * into again. Safe on an empty form. */
void form_release(struct form *f);

/* Parses body[0..len) as application/x-www-form-urlencoded into f, replacing what f
 * held. lim NULL means FORM_LIMITS_INIT. Pairs are split on '&' (empty pairs are
 * skipped) and '=' (a pair without '=' is a name with an empty value); '+' is a space
 * and %XX a byte (anything else after '%' is refused). Returns FORM_OK, or an error
 * with the reason in err (always NUL-terminated when errsz > 0) and f left empty. */
enum form_status form_parse_urlencoded(const char *body, size_t len, const struct form_limits *lim,
                                       struct form *out, char *err, size_t errsz);

/* Writes the boundary parameter of a multipart/form-data Content-Type header
 * (NUL-terminated, quoted or not) into out as a NUL-terminated string. Returns 0, or
 * -1 when content_type is NULL or not multipart/form-data, the parameter is absent,
 * repeated, empty, longer than FORM_BOUNDARY_MAX, holds a character outside RFC 2046's
 * bchars or ends in a space, or out (size bytes) cannot hold it. out is "" on -1. */
int form_boundary(const char *content_type, char *out, size_t size);

/* Parses body[0..len) as multipart/form-data delimited by boundary (NUL-terminated,
 * as form_boundary gives it; checked again here) into f, replacing what f held. lim
 * NULL means FORM_LIMITS_INIT. Text parts are checked and copied as for urlencoded
 * bodies; file parts point into body, which must outlive f. Returns FORM_OK, or an
 * error with the reason in err and f left empty. */
enum form_status form_parse_multipart(const char *body, size_t len, const char *boundary,
                                      const struct form_limits *lim, struct form *out, char *err,
                                      size_t errsz);

/* The first text value named name (NUL-terminated) in f, NUL-terminated, with its
 * length in *len (len may be NULL); "" for an empty value; NULL when absent or when
 * name is a file field. */
const char *form_get(const struct form *f, const char *name, size_t *len);

/* The number of values named name in f (text or file). */
size_t form_count(const struct form *f, const char *name);

/* The n-th (0-based) text value named name, as form_get, for fields declared in
 * lists; NULL past the last. */
const char *form_get_nth(const struct form *f, const char *name, size_t n, size_t *len);

/* The file part named name, or NULL when absent or not a file field. */
const struct form_entry *form_file(const struct form *f, const char *name);

#endif
