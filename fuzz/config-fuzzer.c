/*
 * Fuzzes the configuration-file parser of padron serve with arbitrary bytes, as a
 * file found anywhere and as the data directory's own padron.conf.
 * Invariants: config_parse reports failure exactly when it recorded an error;
 * every value held is at most CONFIG_VALUE_MAX bytes without control bytes and
 * still passes its setting's check (booleans normalised, listen splits, address
 * lists parse, numbers in range); a value from the file names its line; the
 * data directory's own file never sets data.
 */
#include "cli/config.h"
#include "web/netaddr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_values(const struct config *c, unsigned flags)
{
    for (int k = 0; k < CONFIG_N; k++) {
        const char *v = c->value[k];
        const struct config_setting *s = config_setting(k);
        if (!v) {
            if (s->fallback || c->source[k] != CONFIG_SRC_DEFAULT)
                abort();
            continue;
        }
        size_t len = strlen(v);
        if (len == 0 || len > CONFIG_VALUE_MAX)
            abort();
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
                abort();
        if (c->source[k] == CONFIG_SRC_FILE && c->line[k] == 0)
            abort();
        if (k == CONFIG_DATA && (flags & CONFIG_IN_DATA) && c->source[k] != CONFIG_SRC_DEFAULT)
            abort();
        char host[NETADDR_TEXT_MAX], err[256];
        uint16_t port;
        struct netaddr_list l;
        switch (s->type) {
        case CONFIG_T_BOOL:
            if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
                abort();
            break;
        case CONFIG_T_INT:
            if (config_long(c, k) < s->min || config_long(c, k) > s->max)
                abort();
            break;
        case CONFIG_T_LISTEN:
            if (config_split_listen(v, host, sizeof host, &port) != 0)
                abort();
            break;
        case CONFIG_T_ADDRESSES:
            if (netaddr_list_parse(v, len, &l, err, sizeof err) != 0)
                abort();
            break;
        default:
            break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *null;
    if (size > 16384)
        return 0;
    if (!null && !(null = fopen("/dev/null", "w")))
        abort();
    static const unsigned flags[] = {0, CONFIG_IN_DATA};
    for (size_t i = 0; i < 2; i++) {
        struct config c;
        config_init(&c);
        int rc = config_parse(&c, "fuzz.conf", (const char *)data, size, flags[i]);
        if ((rc == 0) != (c.n_errors == 0))
            abort();
        for (size_t e = 0; e < c.n_errors && e < CONFIG_MAX_ERRORS; e++)
            if (strncmp(c.errors[e], "fuzz.conf:", 10) != 0)
                abort();
        check_values(&c, flags[i]);
        config_finish(&c);
        config_print(&c, null);
        config_release(&c);
    }
    return 0;
}
