/* Tests src/catalog/keyed_sink.c: lines written in key order, stably, through a
 * scratch file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/keyed_sink.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[256];

/* Files in dir (the scratch file must not be one of them). */
static int entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    closedir(d);
    return n;
}

static void test_sorted_and_stable(void **state)
{
    (void)state;
    char dir[] = "/tmp/padron-keyed-sink-XXXXXX", out[64], got[256];
    struct keyed_sink s;
    static const struct {
        size_t key;
        const char *line;
    } in[] = {{7, "7a\n"}, {2, "2a\n"}, {7, "7b\n"}, {0, "0a\n"}, {9, "9a\n"}, {2, "2b\n"}};
    assert_non_null(mkdtemp(dir));
    assert_int_equal(keyed_sink_init(&s, 10, dir, err, sizeof err), 0);
    assert_int_equal(entries(dir), 0);
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_int_equal(
            keyed_sink_add(&s, in[i].key, in[i].line, strlen(in[i].line), err, sizeof err), 0);
    assert_int_equal(keyed_sink_add(&s, 10, "x\n", 2, err, sizeof err), -1);
    snprintf(out, sizeof out, "%s/out", dir);
    int fd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "HDR\n", 4), 4);
    assert_int_equal(keyed_sink_write(&s, fd, 4, err, sizeof err), 0);
    ssize_t n = pread(fd, got, sizeof got - 1, 0);
    assert_true(n > 0);
    got[n] = '\0';
    assert_string_equal(got, "HDR\n0a\n2a\n2b\n7a\n7b\n9a\n");
    close(fd);
    keyed_sink_release(&s);
    keyed_sink_release(&s); /* twice is harmless */
    unlink(out);
    assert_int_equal(entries(dir), 0);
    rmdir(dir);
}

static void test_bad_dir(void **state)
{
    (void)state;
    struct keyed_sink s;
    assert_int_equal(keyed_sink_init(&s, 10, "/nonexistent/dir", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir: cannot create a scratch file"));
    keyed_sink_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_and_stable),
        cmocka_unit_test(test_bad_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
