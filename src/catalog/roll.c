#include "catalog/roll.h"

#include "core/civil_date.h"
#include "core/curp.h"
#include "core/nss.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool field_is(const struct csv_record *h, size_t i, const char *name)
{
    return h->len[i] == strlen(name) && strncasecmp(h->field[i], name, h->len[i]) == 0;
}

int roll_map_header(const struct csv_record *header, struct roll_columns *cols, char *err,
                    size_t errsz)
{
    static const char *const names[] = {"curp", "nss", "status", "as_of"};
    int *slot[] = {&cols->curp, &cols->nss, &cols->status, &cols->as_of};
    for (size_t k = 0; k < 4; k++)
        *slot[k] = -1;
    for (size_t i = 0; i < header->count; i++) {
        for (size_t k = 0; k < 4; k++) {
            if (!field_is(header, i, names[k]))
                continue;
            if (*slot[k] >= 0) {
                snprintf(err, errsz, "header: column '%s' appears twice", names[k]);
                return -1;
            }
            *slot[k] = (int)i;
        }
    }
    if (cols->curp < 0) {
        snprintf(err, errsz, "header: missing column 'curp' (found %zu columns)", header->count);
        return -1;
    }
    return 0;
}

/* The cell of column col, or "" when the column is absent or the row is short. */
static const char *cell(const struct csv_record *rec, int col, size_t *len)
{
    if (col < 0 || (size_t)col >= rec->count) {
        *len = 0;
        return "";
    }
    *len = rec->len[col];
    return rec->field[col];
}

int roll_parse_row(const struct roll_columns *cols, const struct csv_record *rec, long today_key,
                   struct roll_row *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    size_t len;
    const char *s = cell(rec, cols->curp, &len);
    char why[256];

    struct curp_result curp;
    if (curp_validate(s, len, today_key, &curp) != CURP_VALID) {
        curp_describe(&curp, why, sizeof why);
        snprintf(err, errsz, "curp: %s", why);
        return -1;
    }
    memcpy(out->curp, curp.curp, sizeof out->curp);

    s = cell(rec, cols->nss, &len);
    if (len > 0) {
        struct nss_result nss;
        if (nss_validate(s, len, 0, &nss) != NSS_VALID) {
            nss_describe(&nss, why, sizeof why);
            snprintf(err, errsz, "nss: %s", why);
            return -1;
        }
        memcpy(out->nss, nss.nss, sizeof out->nss);
    }

    s = cell(rec, cols->status, &len);
    if (len == 0 || (len == 6 && strncasecmp(s, "active", 6) == 0)) {
        out->active = true;
    } else if (len == 8 && strncasecmp(s, "inactive", 8) == 0) {
        out->active = false;
    } else {
        snprintf(err, errsz, "status: '%.*s' is neither active nor inactive",
                 (int)(len > 20 ? 20 : len), s);
        return -1;
    }

    s = cell(rec, cols->as_of, &len);
    int y, m, d;
    if (len > 0) {
        if (civil_parse_date(s, len, &y, &m, &d) != 0) {
            snprintf(err, errsz, "as_of: '%.*s' is not a date YYYY-MM-DD",
                     (int)(len > 20 ? 20 : len), s);
            return -1;
        }
        memcpy(out->as_of, s, 10);
    }
    return 0;
}
