/*
 * Fuzzes the affiliation-roll parser: the first line of the input is the header,
 * each further line a row. Invariant: an accepted row holds a CURP that
 * validates and, when present, an 11-digit NSS and a 10-character date.
 */
#include "catalog/csv.h"
#include "catalog/roll.h"
#include "core/curp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    const char *s = (const char *)data, *end = s + size;
    struct csv_record rec;
    struct roll_columns cols;
    char err[512];
    csv_record_init(&rec);
    const char *nl = memchr(s, '\n', size);
    size_t len = nl ? (size_t)(nl - s) : size;
    if (csv_split(&rec, CSV_FORMAT_CSV, s, len, err, sizeof err) != 0 ||
        (csv_record_trim(&rec), roll_map_header(&rec, &cols, err, sizeof err)) != 0)
        goto done;
    for (s = nl ? nl + 1 : end; s < end; s = nl ? nl + 1 : end) {
        nl = memchr(s, '\n', (size_t)(end - s));
        len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        struct roll_row row;
        if (csv_split(&rec, CSV_FORMAT_CSV, s, len, err, sizeof err) != 0)
            continue;
        csv_record_trim(&rec);
        if (roll_parse_row(&cols, &rec, 20261123, &row, err, sizeof err) != 0)
            continue;
        struct curp_result r;
        if (curp_validate(row.curp, strlen(row.curp), 0, &r) != CURP_VALID ||
            (row.nss[0] && strlen(row.nss) != 11) || (row.as_of[0] && strlen(row.as_of) != 10))
            abort();
    }
done:
    csv_record_release(&rec);
    return 0;
}
