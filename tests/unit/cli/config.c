/* Unit tests for src/cli/config.c: the file format, every error path, the
 * precedence of the sources, secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Helpers ---- */

/* Parses text (a C string) into a fresh config and returns how many errors. */
static size_t parse(struct config *c, const char *text, unsigned flags)
{
    config_init(c);
    config_parse(c, "t.conf", text, strlen(text), flags);
    return c->n_errors;
}

/* text must be refused with exactly one error containing want. */
static void assert_refused(const char *text, const char *want)
{
    struct config c;
    size_t n = parse(&c, text, 0);
    if (n != 1 || !strstr(c.errors[0], want))
        fail_msg("'%s': %zu errors, first '%s'; wanted '%s'", text, n, n ? c.errors[0] : "", want);
    config_release(&c);
}

/* text must be accepted and leave key k holding want. */
static void assert_value(const char *text, enum config_key k, const char *want)
{
    struct config c;
    size_t n = parse(&c, text, 0);
    if (n != 0)
        fail_msg("'%s' refused: %s", text, c.errors[0]);
    assert_string_equal(config_str(&c, k), want);
    assert_int_equal(c.source[k], CONFIG_SRC_FILE);
    config_release(&c);
}

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/padron-config-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to dir/name with mode; returns the path (static buffer). */
static const char *write_file(const char *name, const char *text, mode_t mode)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
    return path;
}

/* ---- The format ---- */

static void test_defaults(void **state)
{
    (void)state;
    struct config c;
    config_init(&c);
    assert_string_equal(config_str(&c, CONFIG_DATA), "var");
    assert_string_equal(config_str(&c, CONFIG_LISTEN), "127.0.0.1:8080");
    assert_null(config_str(&c, CONFIG_SMTP_URL));
    assert_false(config_bool(&c, CONFIG_SECURE_COOKIES));
    assert_int_equal(config_long(&c, CONFIG_MAIL_RETRY_SECONDS), 30);
    for (int k = 0; k < CONFIG_N; k++) {
        assert_int_equal(c.source[k], CONFIG_SRC_DEFAULT);
        /* every row is complete: a name, a PADRON_ variable spelled after it, help */
        const struct config_setting *s = config_setting(k);
        char env[64];
        snprintf(env, sizeof env, "PADRON_%s", s->name);
        for (char *p = env; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        assert_string_equal(s->env, env);
        assert_non_null(s->help);
        assert_int_equal(config_key_by_name(s->name, strlen(s->name)), k);
    }
    assert_int_equal(config_key_by_name("smtp", 4), -1);
    config_release(&c);
    config_release(&c); /* twice is fine */
}

static void test_comments_blanks_crlf_bom(void **state)
{
    (void)state;
    struct config c;
    const char text[] = "\xef\xbb\xbf# a comment\r\n\r\n   \t\n  # indented comment\n"
                        "  listen\t=  [::1]:9000  \r\nmail_retry_seconds=007";
    assert_int_equal(parse(&c, text, 0), 0);
    assert_string_equal(config_str(&c, CONFIG_LISTEN), "[::1]:9000");
    assert_int_equal(c.line[CONFIG_LISTEN], 5);
    assert_int_equal(config_long(&c, CONFIG_MAIL_RETRY_SECONDS), 7);
    assert_string_equal(config_str(&c, CONFIG_MAIL_RETRY_SECONDS), "7");
    assert_string_equal(c.file, "t.conf");
    config_release(&c);
}

static void test_sections(void **state)
{
    (void)state;
    struct config c;
    const char text[] = "listen = 127.0.0.1:1\n[smtp]\nurl = smtp://relay:25\n[ mail ]\n"
                        "from = a@b.mx\n";
    assert_int_equal(parse(&c, text, 0), 0);
    assert_string_equal(config_str(&c, CONFIG_SMTP_URL), "smtp://relay:25");
    assert_string_equal(config_str(&c, CONFIG_MAIL_FROM), "a@b.mx");
    config_release(&c);
    /* A flat key after a section header is prefixed too. */
    assert_refused("[smtp]\nlisten = 127.0.0.1:1\n", "unknown key 'listen' in [smtp]");
    assert_refused("[smtp]\nsmtp_tls = none\n",
                   "t.conf:2: unknown key 'smtp_tls' in [smtp] (under a section, keys drop");
    /* A value may hold '=' and '#'. */
    assert_value("smtp_password = a=b#c\nsmtp_user = u\n", CONFIG_SMTP_PASSWORD, "a=b#c");
}

static void test_values_of_each_type(void **state)
{
    (void)state;
    assert_value("secure_cookies = YES", CONFIG_SECURE_COOKIES, "true");
    assert_value("secure_cookies = off", CONFIG_SECURE_COOKIES, "false");
    assert_value("secure_cookies = 1", CONFIG_SECURE_COOKIES, "true");
    assert_value("mail_retry_seconds = 3600", CONFIG_MAIL_RETRY_SECONDS, "3600");
    assert_value("smtp_tls = require", CONFIG_SMTP_TLS, "require");
    assert_value("listen = 0.0.0.0:0", CONFIG_LISTEN, "0.0.0.0:0");
    assert_value("trusted_proxies = 127.0.0.1, 10.0.0.0/8 ::1", CONFIG_TRUSTED_PROXIES,
                 "127.0.0.1, 10.0.0.0/8 ::1");
    assert_value("smtp_url = smtps://mail.example.mx:465", CONFIG_SMTP_URL,
                 "smtps://mail.example.mx:465");
    assert_value("mail_from = registro@imssbienestar.gob.mx", CONFIG_MAIL_FROM,
                 "registro@imssbienestar.gob.mx");
    assert_value("catalogs = /usr/share/padron/data ñ", CONFIG_CATALOGS,
                 "/usr/share/padron/data ñ");
}

/* ---- Every error path of the file ---- */

static void test_line_errors(void **state)
{
    (void)state;
    assert_refused("listen 127.0.0.1:1", "t.conf:1: expected 'key = value'");
    assert_refused("\n\nListen = 127.0.0.1:1", "t.conf:3: 'Listen' is not a key");
    assert_refused("= 1", "t.conf:1: '' is not a key");
    assert_refused("smtp url = x", "'smtp url' is not a key");
    assert_refused("smtp_urll = smtp://x", "t.conf:1: unknown key 'smtp_urll'");
    assert_refused("[smtp", "t.conf:1: a section header is [name]");
    assert_refused("[]", "a section header is [name]");
    assert_refused("[ ]", "a section header is [name]");
    /* One error for an unknown section, none for the keys under it; known again after. */
    assert_refused("[server]\nlisten = 1\nfoo = 2\n[smtp]\nurl = smtp://x\n",
                   "t.conf:1: unknown section [server]");
    struct config c;
    assert_int_equal(parse(&c, "listen = 127.0.0.1:1\x00zzz\n", 0), 0); /* C string ends */
    config_release(&c);
    static const char nul[] = "listen = 127.0.0.1:1\x00zzz\nmail_from = a@b";
    config_init(&c);
    assert_int_equal(config_parse(&c, "t.conf", nul, sizeof nul - 1, 0), -1);
    assert_int_equal(c.n_errors, 1);
    assert_non_null(strstr(c.errors[0], "t.conf:1: NUL byte"));
    assert_string_equal(config_str(&c, CONFIG_MAIL_FROM), "a@b");
    config_release(&c);
}

static void test_value_errors(void **state)
{
    (void)state;
    assert_refused("listen =", "t.conf:1: listen: empty value");
    assert_refused("listen = \"127.0.0.1:1\"", "listen: values are not quoted");
    assert_refused("smtp_user = a\tb", "smtp_user: control character");
    assert_refused("smtp_user = a\x7f", "control character");
    char long_value[CONFIG_VALUE_MAX + 32];
    snprintf(long_value, sizeof long_value, "smtp_user = %0*d", CONFIG_VALUE_MAX + 1, 0);
    assert_refused(long_value, "value longer than 1024 bytes");
    assert_refused("secure_cookies = si", "secure_cookies: 'si' is not true or false");
    assert_refused("mail_retry_seconds = 0", "'0' is not a whole number from 1 to 3600");
    assert_refused("mail_retry_seconds = 3601", "from 1 to 3600");
    assert_refused("mail_retry_seconds = -5", "from 1 to 3600");
    assert_refused("mail_retry_seconds = 1e3", "from 1 to 3600");
    assert_refused("mail_retry_seconds = 99999999999999999999", "from 1 to 3600");
    assert_refused("smtp_tls = yes", "smtp_tls: 'yes' is not one of try, require, none");
    assert_refused("listen = localhost:8080", "listen: 'localhost:8080' is not ADDR:PORT");
    assert_refused("listen = 127.0.0.1", "is not ADDR:PORT");
    assert_refused("listen = 127.0.0.1:", "is not ADDR:PORT");
    assert_refused("listen = 127.0.0.1:65536", "is not ADDR:PORT");
    assert_refused("listen = 127.0.0.1:8o", "is not ADDR:PORT");
    assert_refused("listen = ::1:8080", "is not ADDR:PORT");
    assert_refused("listen = [127.0.0.1]:80x", "is not ADDR:PORT");
    assert_refused("listen = :8080", "is not ADDR:PORT");
    assert_refused("trusted_proxies = 10.0.0.1/8", "trusted_proxies: '10.0.0.1/8' has bits set");
    assert_refused("trusted_proxies = proxy.local", "'proxy.local' is not a numeric IP address");
    assert_refused("trusted_proxies = ::1/129", "the prefix must be 0 to 128");
    assert_refused("smtp_url = http://relay", "smtp_url: 'http://relay' does not start with");
    assert_refused("smtp_url = smtp://", "does not start with smtp://");
    assert_refused("mail_from = Padron <a@b.mx>", "mail_from: 'Padron <a@b.mx>' is not a bare");
    assert_refused("mail_from = nobody", "is not a bare address");
    assert_refused("mail_from = a@", "is not a bare address");
    assert_refused("mail_from = a@b@c", "is not a bare address");
}

static void test_duplicates(void **state)
{
    (void)state;
    assert_refused("listen = 127.0.0.1:1\nlisten = 127.0.0.1:2",
                   "t.conf:2: listen: already given on line 1");
    /* The same key spelled flat and under its section. */
    assert_refused("smtp_tls = none\n[smtp]\ntls = none", "t.conf:3: smtp_tls: already given");
    /* Given twice even when the first was refused. */
    struct config c;
    assert_int_equal(parse(&c, "smtp_tls = no\nsmtp_tls = none\n", 0), 2);
    assert_non_null(strstr(c.errors[1], "t.conf:2: smtp_tls: already given on line 1"));
    config_release(&c);
    /* The password and its file exclude each other in one source. */
    assert_refused("smtp_password = x\nsmtp_password_file = /run/pw\n",
                   "t.conf:2: smtp_password_file: smtp_password is set too");
}

static void test_data_in_data_directory(void **state)
{
    (void)state;
    struct config c;
    assert_int_equal(parse(&c, "data = /srv/padron\n", CONFIG_IN_DATA), 1);
    assert_non_null(strstr(c.errors[0], "t.conf:1: data: cannot be set"));
    assert_string_equal(config_str(&c, CONFIG_DATA), "var");
    config_release(&c);
    assert_value("data = /srv/padron\n", CONFIG_DATA, "/srv/padron");
}

static void test_errors_are_all_counted(void **state)
{
    (void)state;
    char text[4096] = "";
    for (int i = 0; i < CONFIG_MAX_ERRORS + 5; i++)
        strcat(text, "nonsense\n");
    struct config c;
    assert_int_equal(parse(&c, text, 0), CONFIG_MAX_ERRORS + 5);
    assert_non_null(strstr(c.errors[CONFIG_MAX_ERRORS - 1], "t.conf:20:"));
    config_release(&c);
}

/* ---- Secrets ---- */

static void test_secret_never_echoed(void **state)
{
    (void)state;
    struct config c;
    assert_int_equal(parse(&c, "smtp_password = \"hunter2\"\n", 0), 1);
    assert_null(strstr(c.errors[0], "hunter2"));
    config_release(&c);
    assert_int_equal(parse(&c, "smtp_user = u\nsmtp_password = hunter2\n", 0), 0);
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    config_print(&c, f);
    fclose(f);
    assert_null(strstr(out, "hunter2"));
    assert_non_null(strstr(out, "smtp_password      = (hidden)"));
    assert_non_null(strstr(out, "# t.conf:2\n"));
    assert_non_null(strstr(out, "smtp_url           = (unset)"));
    free(out);
    char pw[64], err[256];
    assert_int_equal(config_smtp_password(&c, pw, sizeof pw, err, sizeof err), 1);
    assert_string_equal(pw, "hunter2");
    assert_int_equal(config_smtp_password(&c, pw, 4, err, sizeof err), -1);
    assert_null(strstr(err, "hunter2"));
    config_release(&c);
    assert_null(c.value[CONFIG_SMTP_PASSWORD]);
}

static void test_password_file(void **state)
{
    (void)state;
    struct config c;
    char text[256], pw[64], err[256];
    const char *path = write_file("pw", "s3cret\n", 0600);
    snprintf(text, sizeof text, "smtp_user = u\nsmtp_password_file = %s\n", path);
    assert_int_equal(parse(&c, text, 0), 0);
    assert_int_equal(config_smtp_password(&c, pw, sizeof pw, err, sizeof err), 1);
    assert_string_equal(pw, "s3cret");
    write_file("pw", "s3cret\r\n", 0600);
    assert_int_equal(config_smtp_password(&c, pw, sizeof pw, err, sizeof err), 1);
    assert_string_equal(pw, "s3cret");
    static const char *const bad[] = {"", "\n", "two\nlines\n", "a\nb", "trailing\n\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file("pw", bad[i], 0600);
        assert_int_equal(config_smtp_password(&c, pw, sizeof pw, err, sizeof err), -1);
        assert_non_null(strstr(err, "must hold one non-empty line"));
    }
    unlink(path);
    assert_int_equal(config_smtp_password(&c, pw, sizeof pw, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
    config_release(&c);
    config_init(&c);
    assert_int_equal(config_smtp_password(&c, pw, sizeof pw, err, sizeof err), 0);
    config_release(&c);
}

/* ---- Files ---- */

static void test_load_file(void **state)
{
    (void)state;
    struct config c;
    config_init(&c);
    const char *path = write_file("ok.conf", "listen = 127.0.0.1:7\n", 0644);
    assert_int_equal(config_load_file(&c, path, 0), 0);
    assert_string_equal(config_str(&c, CONFIG_LISTEN), "127.0.0.1:7");
    assert_string_equal(c.file, path);
    char where[256];
    config_describe_source(&c, CONFIG_LISTEN, where, sizeof where);
    assert_non_null(strstr(where, "ok.conf:1"));
    config_release(&c);

    config_init(&c);
    char missing[128];
    snprintf(missing, sizeof missing, "%s/missing.conf", dir);
    assert_int_equal(config_load_file(&c, missing, 0), -1);
    assert_non_null(strstr(c.errors[0], "cannot read the configuration file: No such file"));
    config_release(&c);

    config_init(&c);
    assert_int_equal(config_load_file(&c, dir, 0), -1);
    assert_non_null(strstr(c.errors[0], "not a regular file"));
    config_release(&c);

    char *big = malloc(CONFIG_FILE_MAX + 2);
    memset(big, '#', CONFIG_FILE_MAX + 1);
    big[CONFIG_FILE_MAX + 1] = '\0';
    path = write_file("big.conf", big, 0600);
    free(big);
    config_init(&c);
    assert_int_equal(config_load_file(&c, path, 0), -1);
    assert_non_null(strstr(c.errors[0], "larger than 65536 bytes"));
    config_release(&c);

    /* A password in a file every user can read is refused; 0640 is fine. */
    path = write_file("pw.conf", "smtp_user = u\nsmtp_password = x\n", 0644);
    config_init(&c);
    assert_int_equal(config_load_file(&c, path, 0), -1);
    assert_non_null(strstr(c.errors[0], "pw.conf:2: smtp_password: the file is readable by"));
    config_release(&c);
    path = write_file("pw.conf", "smtp_user = u\nsmtp_password = x\n", 0640);
    config_init(&c);
    assert_int_equal(config_load_file(&c, path, 0), 0);
    config_release(&c);
}

/* ---- Precedence ---- */

static void test_precedence(void **state)
{
    (void)state;
    struct config c;
    const char text[] = "listen = 127.0.0.1:1\nsmtp_tls = none\nmail_retry_seconds = 5\n"
                        "smtp_user = u\nsmtp_password_file = /run/pw\n";
    parse(&c, text, 0);
    setenv("PADRON_SMTP_TLS", "require", 1);
    setenv("PADRON_LISTEN", "127.0.0.1:2", 1);
    setenv("PADRON_MAIL_RETRY_SECONDS", "", 1); /* empty: as if unset */
    setenv("PADRON_SMTP_PASSWORD", "from-env", 1);
    assert_int_equal(config_load_env(&c), 0);
    assert_int_equal(config_set_option(&c, CONFIG_LISTEN, "127.0.0.1:3"), 0);
    assert_int_equal(config_finish(&c), 0);
    assert_int_equal(c.n_errors, 0);
    assert_string_equal(config_str(&c, CONFIG_LISTEN), "127.0.0.1:3");
    assert_int_equal(c.source[CONFIG_LISTEN], CONFIG_SRC_OPTION);
    assert_string_equal(config_str(&c, CONFIG_SMTP_TLS), "require");
    assert_int_equal(c.source[CONFIG_SMTP_TLS], CONFIG_SRC_ENV);
    assert_int_equal(config_long(&c, CONFIG_MAIL_RETRY_SECONDS), 5);
    assert_int_equal(c.source[CONFIG_MAIL_RETRY_SECONDS], CONFIG_SRC_FILE);
    /* The environment's password replaces the file's password file. */
    assert_null(config_str(&c, CONFIG_SMTP_PASSWORD_FILE));
    assert_int_equal(c.source[CONFIG_SMTP_PASSWORD_FILE], CONFIG_SRC_DEFAULT);
    char where[256];
    config_describe_source(&c, CONFIG_LISTEN, where, sizeof where);
    assert_string_equal(where, "--listen");
    config_describe_source(&c, CONFIG_SMTP_TLS, where, sizeof where);
    assert_string_equal(where, "PADRON_SMTP_TLS");
    config_describe_source(&c, CONFIG_MAIL_RETRY_SECONDS, where, sizeof where);
    assert_string_equal(where, "t.conf:3");
    config_describe_source(&c, CONFIG_DATA, where, sizeof where);
    assert_string_equal(where, "default");

    /* A bad value from the environment or an option is named by where it came from
     * and leaves the value below it in place. */
    unsetenv("PADRON_LISTEN");
    setenv("PADRON_SMTP_TLS", "maybe", 1);
    setenv("PADRON_SMTP_PASSWORD_FILE", "/run/other", 1); /* with PADRON_SMTP_PASSWORD */
    assert_int_equal(config_load_env(&c), -1);
    assert_int_equal(config_set_option(&c, CONFIG_LISTEN, "localhost:1"), -1);
    assert_int_equal(c.n_errors, 3);
    assert_non_null(strstr(c.errors[0], "PADRON_SMTP_TLS: 'maybe' is not one of"));
    assert_non_null(strstr(c.errors[1], "PADRON_SMTP_PASSWORD_FILE: smtp_password is set too"));
    assert_non_null(strstr(c.errors[2], "--listen: 'localhost:1' is not ADDR:PORT"));
    assert_string_equal(config_str(&c, CONFIG_LISTEN), "127.0.0.1:3");
    unsetenv("PADRON_SMTP_TLS");
    unsetenv("PADRON_MAIL_RETRY_SECONDS");
    unsetenv("PADRON_SMTP_PASSWORD");
    unsetenv("PADRON_SMTP_PASSWORD_FILE");
    config_release(&c);
}

static void test_finish_user_and_password(void **state)
{
    (void)state;
    struct config c;
    parse(&c, "smtp_user = u\n", 0);
    assert_int_equal(config_finish(&c), -1);
    assert_non_null(strstr(c.errors[0], "t.conf:1: smtp_user: smtp_user and a password"));
    config_release(&c);
    parse(&c, "smtp_password_file = /run/pw\n", 0);
    assert_int_equal(config_finish(&c), -1);
    assert_non_null(strstr(c.errors[0], "smtp_password_file: smtp_user and a password"));
    config_release(&c);
    parse(&c, "", 0);
    assert_int_equal(config_finish(&c), 0);
    config_release(&c);
}

static void test_split_listen(void **state)
{
    (void)state;
    char host[64];
    uint16_t port;
    assert_int_equal(config_split_listen("[::1]:443", host, sizeof host, &port), 0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 443);
    assert_int_equal(config_split_listen("10.1.2.3:65535", host, sizeof host, &port), 0);
    assert_string_equal(host, "10.1.2.3");
    assert_int_equal(port, 65535);
    assert_int_equal(config_split_listen("10.1.2.3:8080", host, 8, &port), -1); /* too small */
    assert_int_equal(config_split_listen("[]:1", host, sizeof host, &port), -1);
    assert_int_equal(config_split_listen("[::1:1", host, sizeof host, &port), -1);
    assert_int_equal(config_split_listen("1.2.3.4:000001", host, sizeof host, &port), -1);
}

static void collect(const char *name, void *ctx)
{
    strcat(ctx, name);
    strcat(ctx, ";");
}

static void test_unknown_env(void **state)
{
    (void)state;
    char *envp[] = {"PADRON=build/padron", "PADRON_SMTP_URL=x", "PADRON_SMTP_URLL=x",
                    "HOME=/root",          "PADRON_DEV=1",      NULL};
    char seen[256] = "";
    config_unknown_env(envp, collect, seen);
    assert_string_equal(seen, "PADRON_SMTP_URLL;PADRON_DEV;");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_comments_blanks_crlf_bom),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_values_of_each_type),
        cmocka_unit_test(test_line_errors),
        cmocka_unit_test(test_value_errors),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_data_in_data_directory),
        cmocka_unit_test(test_errors_are_all_counted),
        cmocka_unit_test(test_secret_never_echoed),
        cmocka_unit_test(test_password_file),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_finish_user_and_password),
        cmocka_unit_test(test_split_listen),
        cmocka_unit_test(test_unknown_env),
    };
    return cmocka_run_group_tests_name("cli/config", tests, make_dir, remove_dir);
}
