#include "cli/input.h"

#include "core/civil_date.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

const char *cli_trim(const char *s, size_t *len)
{
    while (*len > 0 && is_space((unsigned char)s[0]))
        s++, (*len)--;
    while (*len > 0 && is_space((unsigned char)s[*len - 1]))
        (*len)--;
    return s;
}

/* Length of the well-formed UTF-8 sequence at s (2-4 bytes), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t len)
{
    size_t n = (s[0] & 0xe0) == 0xc0   ? 2
               : (s[0] & 0xf0) == 0xe0 ? 3
               : (s[0] & 0xf8) == 0xf0 ? 4
                                       : 0;
    if (n == 0 || s[0] < 0xc2 || s[0] > 0xf4 || n > len)
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    return n;
}

void cli_print_escaped(FILE *f, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (u[i] >= 0x20 && u[i] < 0x7f && u[i] != '\\') {
            fputc(u[i++], f);
            continue;
        }
        size_t n = u[i] >= 0x80 ? utf8_sequence(u + i, len - i) : 0;
        if (n > 0) {
            fwrite(u + i, 1, n, f);
            i += n;
        } else if (u[i] == '\\') {
            fputs("\\\\", f);
            i++;
        } else {
            fprintf(f, "\\x%02x", u[i++]);
        }
    }
}

/* Reads stdin byte by byte into a fixed buffer, so a NUL inside a line is just a
 * byte of that line and an overlong line is counted, drained and reported without
 * growing anything. */
static int run_stdin(cli_input_fn *fn, void *ctx)
{
    char line[CLI_MAX_LINE];
    size_t len = 0, total = 0;
    int worst = 0, c;
    for (;;) {
        c = getc_unlocked(stdin);
        if (c != EOF && c != '\n') {
            if (len < sizeof line)
                line[len++] = (char)c;
            total++;
            continue;
        }
        if (c == EOF && total == 0)
            break;
        if (total > sizeof line) {
            cli_print_escaped(stdout, line, 32);
            printf("...\tinvalid\tlength: line longer than %d bytes\n", CLI_MAX_LINE);
            worst = 1;
        } else {
            if (len > 0 && line[len - 1] == '\r')
                len--;
            if (fn(ctx, line, len) != 0)
                worst = 1;
        }
        len = total = 0;
        if (c == EOF)
            break;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "padron: reading standard input failed\n");
        return 2;
    }
    return worst;
}

int cli_for_each_input(int n, char **args, cli_input_fn *fn, void *ctx)
{
    if (n <= 0) {
        fprintf(stderr, "padron: nothing to check: give values or - to read standard input\n");
        return 2;
    }
    if (n == 1 && strcmp(args[0], "-") == 0)
        return run_stdin(fn, ctx);
    int worst = 0;
    for (int i = 0; i < n; i++)
        if (fn(ctx, args[i], strlen(args[i])) != 0)
            worst = 1;
    return worst;
}

int cli_option_value(const char *name, int argc, char **argv, int *i, const char **out)
{
    size_t n = strlen(name);
    const char *arg = argv[*i];
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *out = arg + n + 1;
        return **out ? 1 : -1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc || !*argv[*i + 1])
        return -1;
    *out = argv[++*i];
    return 1;
}

int cli_parse_time(const char *s, int64_t *out)
{
    size_t len = strlen(s);
    if (len > 0 && len <= 12 && strspn(s, "0123456789") == len) {
        *out = strtoll(s, NULL, 10);
        return 0;
    }
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (len < 10 || civil_parse_date(s, 10, &y, &mo, &d) != 0)
        return -1;
    if (len != 10) {
        char z = 0;
        int used = 0;
        if (len != 20 || s[10] != 'T' ||
            sscanf(s + 11, "%2d:%2d:%2d%c%n", &h, &mi, &sec, &z, &used) != 4 || z != 'Z' ||
            used != 9 || h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
            return -1;
    }
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    *out = (int64_t)timegm(&tm);
    return 0;
}

void cli_format_time(int64_t t, char buf[CLI_TIME_SIZE])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, CLI_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, CLI_TIME_SIZE, "@%lld", (long long)t);
}

long cli_today_key(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !localtime_r(&now, &tm))
        return 0;
    return civil_date_key(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "padron %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see padron %s --help)\n", command);
    va_end(ap);
    return 2;
}

int cli_dispatch(const char *command, const char *usage, const struct cli_subcommand *table,
                 int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    for (const struct cli_subcommand *c = table; c->name; c++)
        if (strcmp(c->name, sub) == 0)
            return c->run(argc - 1, argv + 1);
    return cli_usage_error(command, "unknown subcommand '%s'", sub);
}
