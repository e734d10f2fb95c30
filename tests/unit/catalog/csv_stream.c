/* Tests src/catalog/csv_stream.c: the one import loop over a table's lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/csv_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64], err[512];

static void write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/padron-csv-stream-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(close(fd), 0);
}

/* The header is "h"; a preamble line is anything starting with '#'. */
static enum csv_verdict header(void *ctx, const char *line, size_t len, char *why, size_t whysz)
{
    (void)ctx;
    if (len > 0 && line[0] == '#')
        return CSV_SKIPPED;
    if (len == 1 && line[0] == 'h')
        return CSV_TAKEN;
    snprintf(why, whysz, "not the header");
    return CSV_REFUSED;
}

/* "ok" is taken, "" skipped, "stop" stops, anything else is refused. */
static enum csv_verdict row(void *ctx, const char *line, size_t len, unsigned long line_no,
                            char *why, size_t whysz)
{
    unsigned long *sum = ctx;
    if (len == 0)
        return CSV_SKIPPED;
    if (len == 2 && memcmp(line, "ok", 2) == 0) {
        *sum += line_no;
        return CSV_TAKEN;
    }
    if (len == 4 && memcmp(line, "stop", 4) == 0) {
        snprintf(why, whysz, "disk full");
        return CSV_STOP;
    }
    snprintf(why, whysz, "bad '%.*s'", (int)len, line);
    return CSV_REFUSED;
}

static unsigned ticks;
static uint64_t last_bytes;

static void tick(void *arg, const struct csv_tally *t)
{
    (void)arg;
    ticks++;
    last_bytes = t->bytes_read;
}

static int run(const char *text, bool all_or_nothing, unsigned preamble, unsigned long *sum,
               struct csv_stream *s)
{
    static const struct csv_observer observer = {tick, NULL};
    write_file(text);
    *s = (struct csv_stream){.path = path,
                             .ctx = sum,
                             .header = header,
                             .row = row,
                             .max_preamble = preamble,
                             .refuse_file_on_refused_row = all_or_nothing,
                             .observer = &observer};
    *sum = 0;
    ticks = 0;
    err[0] = '\0';
    int rc = csv_stream_run(s, err, sizeof err);
    unlink(path);
    return rc;
}

static void test_counts_and_refusals(void **state)
{
    (void)state;
    struct csv_stream s;
    unsigned long sum;
    const char *text = "h\nok\nx1\n\nok\nx2\nx3\nx4\nx5\nx6\nx7\nok";
    assert_int_equal(run(text, false, 0, &sum, &s), 0);
    assert_int_equal(s.tally.lines, 12);
    assert_int_equal(s.tally.taken, 3);
    assert_int_equal(s.tally.refused, 7);
    assert_int_equal(sum, 2 + 5 + 12);
    assert_int_equal(s.tally.first[0].line, 3);
    assert_string_equal(s.tally.first[0].why, "bad 'x1'");
    assert_int_equal(s.tally.first[CSV_SHOWN_REFUSALS - 1].line, 9);
    assert_int_equal(s.tally.bytes_total, strlen(text));
    assert_int_equal(last_bytes, strlen(text));
    assert_int_equal(ticks, 1); /* the end only: fewer lines than CSV_TICK_ROWS */

    /* all or nothing: the whole file is still read, the first refusal is the error */
    assert_int_equal(run(text, true, 0, &sum, &s), -1);
    assert_non_null(strstr(err, ": line 3: bad 'x1'"));
    assert_int_equal(s.tally.refused, 7);
    assert_int_equal(s.tally.taken, 3);
}

static void test_header_preamble_and_stop(void **state)
{
    (void)state;
    struct csv_stream s;
    unsigned long sum;
    assert_int_equal(run("# terms\nh\nok\n", false, 1, &sum, &s), 0);
    assert_int_equal(s.tally.taken, 1);
    assert_int_equal(sum, 3);
    assert_int_equal(run("# terms\n# more\nh\nok\n", false, 1, &sum, &s), -1);
    assert_non_null(strstr(err, ": line 2: "));
    assert_int_equal(run("nope\nok\n", false, 1, &sum, &s), -1);
    assert_non_null(strstr(err, ": line 1: not the header"));
    assert_int_equal(run("", false, 0, &sum, &s), -1);
    assert_non_null(strstr(err, "empty file"));
    assert_int_equal(run("# only\n", false, 3, &sum, &s), -1);
    assert_non_null(strstr(err, "no header line"));
    assert_int_equal(run("h\nok\nstop\nok\n", false, 0, &sum, &s), -1);
    assert_non_null(strstr(err, ": line 3: disk full"));
    assert_int_equal(s.tally.taken, 1);
    assert_int_equal(ticks, 1);
}

static void test_many_lines_tick(void **state)
{
    (void)state;
    struct csv_stream s;
    unsigned long sum;
    size_t n = 3 * CSV_TICK_ROWS + 10;
    char *text = malloc(2 + 3 * n + 1), *p = text;
    assert_non_null(text);
    p += sprintf(p, "h\n");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "ok\n");
    assert_int_equal(run(text, true, 0, &sum, &s), 0);
    assert_int_equal(s.tally.taken, n);
    assert_int_equal(ticks, 4); /* lines 4096, 8192, 12288, then the end */
    assert_int_equal(last_bytes, strlen(text));
    free(text);
}

static void test_missing_file(void **state)
{
    (void)state;
    struct csv_stream s = {.path = "/nonexistent/roll.csv", .header = header, .row = row};
    assert_int_equal(csv_stream_run(&s, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/roll.csv: "));
    assert_int_equal(s.tally.lines, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_refusals),
        cmocka_unit_test(test_header_preamble_and_stop),
        cmocka_unit_test(test_many_lines_tick),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
