/* Unit tests for src/util/fs.c: writing whole buffers and creating directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { BIG = 1 << 20 }; /* far past a pipe's buffer: write returns short or blocks */

struct drain {
    int fd;
    unsigned char *got;
    size_t len;
};

/* Reads the pipe 1,000 bytes at a time until the writer closes it. */
static void *drain_pipe(void *arg)
{
    struct drain *d = arg;
    ssize_t r;
    while (d->len < BIG && (r = read(d->fd, d->got + d->len, 1000)) > 0)
        d->len += (size_t)r;
    return NULL;
}

static void test_write_all_through_a_slow_reader(void **state)
{
    (void)state;
    unsigned char *data = malloc(BIG);
    struct drain d = {.got = calloc(1, BIG)};
    assert_non_null(data);
    assert_non_null(d.got);
    for (size_t i = 0; i < BIG; i++)
        data[i] = (unsigned char)(i * 31 + i / 4096);
    int p[2];
    assert_int_equal(pipe(p), 0);
    d.fd = p[0];
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, drain_pipe, &d), 0);
    assert_int_equal(fs_write_all(p[1], data, BIG), 0);
    close(p[1]);
    assert_int_equal(pthread_join(t, NULL), 0);
    close(p[0]);
    assert_int_equal(d.len, BIG);
    assert_memory_equal(d.got, data, BIG);
    free(data);
    free(d.got);
}

static void test_write_all_reports_failure(void **state)
{
    (void)state;
    char path[] = "/tmp/padron-fs-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    fd = open(path, O_RDONLY); /* not open for writing */
    assert_true(fd >= 0);
    errno = 0;
    assert_int_equal(fs_write_all(fd, "x", 1), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(fs_write_all(fd, "", 0), 0); /* nothing to write: nothing fails */
    close(fd);
    unlink(path);
}

static void test_mkdir_p(void **state)
{
    (void)state;
    char dir[] = "/tmp/padron-fs-XXXXXX", path[128], err[256] = "";
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    assert_int_equal(fs_mkdir_p(path, 0700, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(fs_mkdir_p(path, 0700, err, sizeof err), 0); /* already there */

    /* A file where a directory should be is refused, naming the path. */
    char file[160], below[200];
    snprintf(file, sizeof file, "%s/a/file", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(below, sizeof below, "%s/x", file);
    assert_int_equal(fs_mkdir_p(below, 0700, err, sizeof err), -1);
    assert_non_null(strstr(err, file));

    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_all_through_a_slow_reader),
        cmocka_unit_test(test_write_all_reports_failure),
        cmocka_unit_test(test_mkdir_p),
    };
    return cmocka_run_group_tests_name("util/fs", tests, NULL, NULL);
}
