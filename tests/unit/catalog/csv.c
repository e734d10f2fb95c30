/* Tests src/catalog/csv.c: the strict line splitter and the line reader. */
/* nftw() for removing the fixture directory */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/csv.h"
#include "util/alloc.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static char err[256];

/* Splits s (NUL-terminated) and returns csv_split's result. */
static int split(struct csv_record *r, enum csv_format fmt, const char *s)
{
    err[0] = '\0';
    return csv_split(r, fmt, s, strlen(s), err, sizeof err);
}

static void test_csv_plain_and_quoted(void **state)
{
    (void)state;
    struct csv_record r;
    csv_record_init(&r);
    assert_int_equal(split(&r, CSV_FORMAT_CSV, "01,Aguascalientes,Ags.,AS"), 0);
    assert_int_equal(r.count, 4);
    assert_string_equal(r.field[1], "Aguascalientes");
    assert_int_equal(r.len[2], 4);

    assert_int_equal(split(&r, CSV_FORMAT_CSV, "a,\"b, \"\"quoted\"\"\",,\"\""), 0);
    assert_int_equal(r.count, 4);
    assert_string_equal(r.field[0], "a");
    assert_string_equal(r.field[1], "b, \"quoted\"");
    assert_string_equal(r.field[2], "");
    assert_string_equal(r.field[3], "");

    assert_int_equal(split(&r, CSV_FORMAT_CSV, "x,"), 0); /* trailing separator */
    assert_int_equal(r.count, 2);
    assert_string_equal(r.field[1], "");

    assert_int_equal(split(&r, CSV_FORMAT_CSV, ""), 0);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.len[0], 0);

    assert_int_equal(split(&r, CSV_FORMAT_CSV, "Álvaro Obregón,\"São\tPaulo\""), 0);
    assert_string_equal(r.field[0], "Álvaro Obregón");
    assert_string_equal(r.field[1], "São\tPaulo");
    csv_record_release(&r);
}

static void test_tsv_and_pipe_know_no_quotes(void **state)
{
    (void)state;
    struct csv_record r;
    csv_record_init(&r);
    assert_int_equal(split(&r, CSV_FORMAT_TSV, "01000\t\"El\" Ángel\t\t"), 0);
    assert_int_equal(r.count, 4);
    assert_string_equal(r.field[1], "\"El\" Ángel");
    assert_int_equal(split(&r, CSV_FORMAT_PIPE, "01000|San Ángel |Colonia"), 0);
    assert_int_equal(r.count, 3);
    assert_string_equal(r.field[1], "San Ángel ");
    csv_record_trim(&r);
    assert_string_equal(r.field[1], "San Ángel");
    assert_int_equal(r.len[1], strlen("San Ángel"));
    csv_record_release(&r);
}

static void test_csv_refuses_bad_quoting(void **state)
{
    (void)state;
    struct csv_record r;
    csv_record_init(&r);
    assert_int_equal(split(&r, CSV_FORMAT_CSV, "a,\"open"), -1);
    assert_non_null(strstr(err, "unterminated quoted field starting at byte 3"));
    assert_int_equal(r.count, 0);
    assert_int_equal(split(&r, CSV_FORMAT_CSV, "\"a\"b,c"), -1);
    assert_non_null(strstr(err, "after closing quote at byte 4"));
    assert_int_equal(split(&r, CSV_FORMAT_CSV, "ab\"c\",d"), -1);
    assert_non_null(strstr(err, "quote inside an unquoted field at byte 3"));
    assert_int_equal(split(&r, CSV_FORMAT_CSV, "\"\"\""), -1);
    csv_record_release(&r);
}

static void test_refuses_bad_bytes(void **state)
{
    (void)state;
    struct csv_record r;
    csv_record_init(&r);
    static const struct {
        const char *bytes;
        size_t len;
        const char *why;
    } cases[] = {
        {"ab\xc3", 3, "invalid utf-8 at byte 3"},           /* truncated sequence */
        {"\xc0\x80", 2, "invalid utf-8 at byte 1"},         /* overlong NUL */
        {"x\xe0\x80\x80", 4, "invalid utf-8 at byte 2"},    /* overlong */
        {"\xed\xa0\x80", 3, "invalid utf-8 at byte 1"},     /* surrogate */
        {"\xf4\x90\x80\x80", 4, "invalid utf-8 at byte 1"}, /* past U+10FFFF */
        {"\xf5\x80\x80\x80", 4, "invalid utf-8 at byte 1"},
        {"Sa\xf1o", 4, "invalid utf-8 at byte 3"}, /* latin-1 ñ */
        {"a\0b", 3, "embedded nul byte at byte 2"},
        {"a\rb", 3, "line break inside a line at byte 2"},
        {"a\x1b", 2, "control character 0x1b at byte 2"},
        {"a\x7f", 2, "control character 0x7f at byte 2"},
        {"a\xc2\x85", 3, "control character u+0085 at byte 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = '\0';
        assert_int_equal(
            csv_split(&r, CSV_FORMAT_TSV, cases[i].bytes, cases[i].len, err, sizeof err), -1);
        assert_non_null(strstr(err, cases[i].why));
    }
    /* valid 2-, 3- and 4-byte sequences pass */
    assert_int_equal(split(&r, CSV_FORMAT_TSV, "\xc3\xb1\t\xe2\x82\xac\t\xf0\x9f\x8f\xa5"), 0);
    assert_int_equal(r.count, 3);
    csv_record_release(&r);
}

static void test_limits(void **state)
{
    (void)state;
    struct csv_record r;
    char *line = xmallocarray(CSV_MAX_LINE + 2, 1);
    csv_record_init(&r);
    memset(line, ',', CSV_MAX_FIELDS - 1);
    line[CSV_MAX_FIELDS - 1] = '\0';
    assert_int_equal(split(&r, CSV_FORMAT_CSV, line), 0);
    assert_int_equal(r.count, CSV_MAX_FIELDS);
    line[CSV_MAX_FIELDS - 1] = ',';
    line[CSV_MAX_FIELDS] = '\0';
    assert_int_equal(split(&r, CSV_FORMAT_CSV, line), -1);
    assert_non_null(strstr(err, "more than 64 fields"));
    memset(line, 'a', CSV_MAX_LINE + 1);
    assert_int_equal(csv_split(&r, CSV_FORMAT_CSV, line, CSV_MAX_LINE, err, sizeof err), 0);
    assert_int_equal(csv_split(&r, CSV_FORMAT_CSV, line, CSV_MAX_LINE + 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "longer than"));
    free(line);
    csv_record_release(&r);
}

static void test_map_columns(void **state)
{
    (void)state;
    struct csv_record r;
    int idx[2];
    static const char *const want[] = {"cve_mun", "cve_ent"};
    csv_record_init(&r);
    assert_int_equal(split(&r, CSV_FORMAT_CSV, "cve_ent,nom_ent,cve_mun"), 0);
    assert_int_equal(csv_map_columns(&r, want, 2, idx, err, sizeof err), 0);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 0);
    assert_int_equal(split(&r, CSV_FORMAT_CSV, "cve_ent,nom_ent"), 0);
    assert_int_equal(csv_map_columns(&r, want, 2, idx, err, sizeof err), -1);
    assert_string_equal(err, "missing column 'cve_mun'");
    assert_int_equal(split(&r, CSV_FORMAT_CSV, "cve_ent,cve_mun,cve_ent"), 0);
    assert_int_equal(csv_map_columns(&r, want, 2, idx, err, sizeof err), -1);
    assert_non_null(strstr(err, "'cve_ent' appears twice"));
    csv_record_release(&r);
}

static void test_latin1(void **state)
{
    (void)state;
    char out[32];
    size_t n = csv_latin1_to_utf8("Pe\xf1\xf3n \xc1", 7, out);
    assert_int_equal(n, 10);
    assert_memory_equal(out, "Peñón Á", 10);
    assert_true(csv_utf8_valid(out, n, NULL));
}

static char tmpdir[64];

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/padron-csv-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void write_bytes(const char *path, const char *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_reader_lines(void **state)
{
    (void)state;
    char path[128];
    struct csv_reader rd;
    const char *line;
    size_t len;
    static const char text[] = "\xef\xbb\xbfh1,h2\r\nA,B\n\nlast";
    snprintf(path, sizeof path, "%s/plain.csv", tmpdir);
    write_bytes(path, text, sizeof text - 1);
    assert_int_equal(csv_reader_open(&rd, path, err, sizeof err), 0);
    assert_int_equal(csv_reader_next(&rd, &line, &len, err, sizeof err), 1);
    assert_int_equal(len, 5);
    assert_memory_equal(line, "h1,h2", 5); /* BOM and CR gone */
    assert_int_equal(csv_reader_next(&rd, &line, &len, err, sizeof err), 1);
    assert_memory_equal(line, "A,B", 3);
    assert_int_equal(csv_reader_next(&rd, &line, &len, err, sizeof err), 1);
    assert_int_equal(len, 0);
    assert_int_equal(csv_reader_next(&rd, &line, &len, err, sizeof err), 1);
    assert_int_equal(len, 4);
    assert_int_equal(rd.line, 4);
    assert_int_equal(csv_reader_next(&rd, &line, &len, err, sizeof err), 0);
    assert_int_equal(csv_reader_close(&rd, err, sizeof err), 0);
}

static void test_reader_gzip_and_damage(void **state)
{
    (void)state;
    char path[128], cut[128];
    struct csv_reader rd;
    const char *line;
    size_t len, n = 0;
    int got;
    snprintf(path, sizeof path, "%s/t.csv.gz", tmpdir);
    gzFile gz = gzopen(path, "wb9");
    assert_non_null(gz);
    for (int i = 0; i < 20000; i++)
        assert_true(gzprintf(gz, "%d,line number %d with some text\n", i, i) > 0);
    assert_int_equal(gzclose(gz), Z_OK);
    assert_int_equal(csv_reader_open(&rd, path, err, sizeof err), 0);
    while ((got = csv_reader_next(&rd, &line, &len, err, sizeof err)) > 0)
        n++;
    assert_int_equal(got, 0);
    assert_int_equal(n, 20000);
    assert_int_equal(csv_reader_close(&rd, err, sizeof err), 0);

    /* the same file cut in half must not read as a shorter, valid one */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = xmallocarray(1 << 20, 1);
    size_t size = fread(buf, 1, 1 << 20, f);
    assert_int_equal(fclose(f), 0);
    snprintf(cut, sizeof cut, "%s/cut.csv.gz", tmpdir);
    write_bytes(cut, buf, size / 2);
    free(buf);
    assert_int_equal(csv_reader_open(&rd, cut, err, sizeof err), 0);
    while ((got = csv_reader_next(&rd, &line, &len, err, sizeof err)) > 0)
        ;
    int closed = csv_reader_close(&rd, err, sizeof err);
    assert_true(got < 0 || closed < 0);
}

static void test_reader_long_line_and_missing_file(void **state)
{
    (void)state;
    char path[128];
    struct csv_reader rd;
    const char *line;
    size_t len;
    char *big = xmallocarray(3 * CSV_MAX_LINE, 1);
    memset(big, 'x', 3 * CSV_MAX_LINE);
    memcpy(big, "ok\n", 3);
    snprintf(path, sizeof path, "%s/long.csv", tmpdir);
    write_bytes(path, big, 3 * CSV_MAX_LINE);
    free(big);
    assert_int_equal(csv_reader_open(&rd, path, err, sizeof err), 0);
    assert_int_equal(csv_reader_next(&rd, &line, &len, err, sizeof err), 1);
    assert_int_equal(csv_reader_next(&rd, &line, &len, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 2 longer than"));
    assert_int_equal(csv_reader_close(&rd, err, sizeof err), 0);

    snprintf(path, sizeof path, "%s/absent.csv", tmpdir);
    assert_int_equal(csv_reader_open(&rd, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "absent.csv"));
    assert_int_equal(csv_reader_close(&rd, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_plain_and_quoted),
        cmocka_unit_test(test_tsv_and_pipe_know_no_quotes),
        cmocka_unit_test(test_csv_refuses_bad_quoting),
        cmocka_unit_test(test_refuses_bad_bytes),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_map_columns),
        cmocka_unit_test(test_latin1),
        cmocka_unit_test(test_reader_lines),
        cmocka_unit_test(test_reader_gzip_and_damage),
        cmocka_unit_test(test_reader_long_line_and_missing_file),
    };
    return cmocka_run_group_tests_name("catalog/csv", tests, setup, teardown);
}
