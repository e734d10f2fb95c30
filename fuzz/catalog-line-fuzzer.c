/*
 * catalog-line: fuzzes the line splitter (CSV, TSV, '|'), the Latin-1 converter,
 * the header/column mapping and the row parsers of every catalog file and of the
 * SEPOMEX import. The first byte picks the target: '0'-'9', 'a' (localities),
 * 'b' (opening hours), or any other byte modulo 12; for the row parsers the rest
 * is "HEADER\nLINE".
 */
#include "catalog/catalog.h"
#include "catalog/csv.h"
#include "catalog/postal.h"
#include "util/alloc.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void split(enum csv_format fmt, const char *s, size_t len)
{
    struct csv_record r;
    char err[256];
    int idx[2];
    static const char *const names[] = {"cve_ent", "d_codigo"};
    csv_record_init(&r);
    if (csv_split(&r, fmt, s, len, err, sizeof err) == 0) {
        if (r.count < 1 || r.count > CSV_MAX_FIELDS)
            abort();
        for (size_t i = 0; i < r.count; i++) {
            /* a field never hides a NUL, and is always valid UTF-8 */
            if (strlen(r.field[i]) != r.len[i] || !csv_utf8_valid(r.field[i], r.len[i], NULL))
                abort();
            if (fmt != CSV_FORMAT_CSV &&
                memchr(r.field[i], fmt == CSV_FORMAT_TSV ? '\t' : '|', r.len[i]))
                abort();
        }
        csv_record_trim(&r);
        (void)csv_map_columns(&r, names, 2, idx, err, sizeof err);
    } else if (strlen(err) == 0) {
        abort(); /* every refusal says why */
    }
    csv_record_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    if (size < 1 || size > MAX_INPUT)
        return 0;
    unsigned mode = data[0] >= '0' && data[0] <= '9' ? data[0] - '0'
                    : data[0] == 'a'                 ? 10
                    : data[0] == 'b'                 ? 11
                                                     : data[0] % 12u;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    const char *nl = memchr(s, '\n', len);
    size_t hlen = nl ? (size_t)(nl - s) : len;
    const char *line = nl ? nl + 1 : s + len;
    size_t line_len = len - hlen - (nl ? 1 : 0);

    switch (mode) {
    case 0:
    case 1:
    case 2:
        split((enum csv_format)mode, s, len);
        break;
    case 3: {
        char *out = xmallocarray(2, len ? len : 1);
        size_t n = csv_latin1_to_utf8(s, len, out);
        if (n < len || n > 2 * len || !csv_utf8_valid(out, n, NULL))
            abort();
        free(out);
        break;
    }
    case 4:
    case 5:
    case 6:
    case 7:
        (void)catalog_parse_line((enum catalog_file)(mode - 4), s, hlen, line, line_len, err,
                                 sizeof err);
        break;
    case 10:
        (void)catalog_parse_line(CATALOG_FILE_LOCALITIES, s, hlen, line, line_len, err, sizeof err);
        break;
    case 11:
        (void)catalog_parse_line(CATALOG_FILE_HOURS, s, hlen, line, line_len, err, sizeof err);
        break;
    default:
        (void)postal_parse_line(NULL, s, hlen, line, line_len, mode == 9, err, sizeof err);
        break;
    }
    return 0;
}
