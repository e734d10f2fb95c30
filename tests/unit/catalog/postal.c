/* Tests src/catalog/postal.c: import of SEPOMEX files, the normalized file, lookups. */
/* nftw() for removing the fixture directory */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "catalog/postal.h"
#include "util/alloc.h"
#include "util/fs.h"

#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];
static char err[1024];
static struct catalog *cat;

static const char *const header =
    "d_codigo\td_asenta\td_tipo_asenta\tD_mnpio\td_estado\td_ciudad\td_CP\tc_estado\tc_oficina\t"
    "c_CP\tc_tipo_asenta\tc_mnpio\tid_asenta_cpcons\td_zona\tc_cve_ciudad";

static const char disclaimer[] =
    "\"El Catálogo Nacional de Códigos Postales, es elaborado por Correos de México y se "
    "proporciona en forma gratuita para uso particular, no estando permitida su "
    "comercialización, total o parcial, ni su distribución a terceros bajo ningún concepto.\"";

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void write_file(const char *path, const char *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The whole file at path, NUL-terminated; the caller frees it. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = xmallocarray(1 << 16, 1);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    assert_int_equal(fclose(f), 0);
    return buf;
}

static int setup(void **state)
{
    (void)state;
    char dir[256], path[PATH_MAX];
    static const struct {
        const char *name, *text;
    } files[] = {
        {"inegi_estados.csv", "cve_ent,nom_ent,nom_abr,clave_renapo\n"
                              "01,Aguascalientes,Ags.,AS\n09,Ciudad de México,CDMX,DF\n"},
        {"participation.csv", "clave_renapo,participating_since\nDF,2025-12-31\n"},
        {"inegi_municipios.csv", "cve_ent,cve_mun,nom_mun,nom_cab,cab_latitud,cab_longitud,"
                                 "centroide_latitud,centroide_longitud\n"
                                 "01,001,Aguascalientes,,,,,\n09,002,Azcapotzalco,,,,,\n"
                                 "09,010,Álvaro Obregón,,,,,\n"},
        {"clues_imss_bienestar.csv",
         "clues_imb,nombre_de_la_unidad,estatus_de_operacion,nivel_atencion,nombre_de_tipologia,"
         "cve_ent,cve_mun,cve_loc,localidad,latitud,longitud\n"},
    };
    strcpy(tmpdir, "/tmp/padron-postal-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(dir, sizeof dir, "%s/catalogs", tmpdir);
    if (mkdir(dir, 0700) < 0)
        return -1;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        FILE *f = fopen(path, "wb");
        if (!f || fputs(files[i].text, f) < 0 || fclose(f) != 0)
            return -1;
    }
    return catalog_load(dir, &cat, err, sizeof err);
}

static int teardown(void **state)
{
    (void)state;
    catalog_free(cat);
    return nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* One source row, 15 TAB-separated columns, appended to buf. */
static void row(char *buf, size_t sz, const char *cp, const char *name, const char *type,
                const char *state, const char *mun, const char *zone)
{
    size_t used = strlen(buf);
    int n = snprintf(buf + used, sz - used,
                     "%s\t%s\t%s\tMun\tEdo\tCiudad\t%s\t%s\t%s\t\t09\t%s\t0001\t%s\t01\n", cp, name,
                     type, cp, state, cp, mun, zone);
    assert_true(n > 0 && (size_t)n < sz - used);
}

static char *good_source(char *buf, size_t sz)
{
    snprintf(buf, sz, "%s\n", header);
    row(buf, sz, "01010", "Los Alpes", "Colonia", "09", "010", "Urbano");
    row(buf, sz, "20000", "Zona Centro", "Colonia", "01", "001", "Urbano");
    row(buf, sz, "01000", "San Ángel", "Colonia", "09", "010", "Urbano");
    row(buf, sz, "20000", "El \"Barrio\"", "Barrio", "01", "001", "");
    return buf;
}

/* A fresh data directory path (not created: import creates it). */
static const char *data_dir(void)
{
    static char dir[256];
    static int n;
    snprintf(dir, sizeof dir, "%s/var%d/sub", tmpdir, n++);
    return dir;
}

static const char *source_file(const char *bytes, size_t len)
{
    static char path[256];
    static int n;
    snprintf(path, sizeof path, "%s/src%d.txt", tmpdir, n++);
    write_file(path, bytes, len);
    return path;
}

static void test_import_and_lookup(void **state)
{
    (void)state;
    char buf[4096], path[PATH_MAX];
    struct postal_stats st;
    struct postal_table *t = NULL;
    size_t n, len;
    const char *dir = data_dir();
    good_source(buf, sizeof buf);
    assert_int_equal(
        postal_import(cat, source_file(buf, strlen(buf)), dir, false, NULL, &st, err, sizeof err),
        0);
    assert_int_equal(st.settlements, 4);
    assert_int_equal(st.postal_codes, 3);

    snprintf(path, sizeof path, "%s/catalog/postal-codes.tsv", dir);
    char *text = read_all(path, &len);
    assert_string_equal(text, "cp\tstate\tmunicipality\tsettlement\ttype\tzone\tcity\n"
                              "01000\t09\t010\tSan Ángel\tColonia\tUrbano\tCiudad\n"
                              "01010\t09\t010\tLos Alpes\tColonia\tUrbano\tCiudad\n"
                              "20000\t01\t001\tZona Centro\tColonia\tUrbano\tCiudad\n"
                              "20000\t01\t001\tEl \"Barrio\"\tBarrio\t\tCiudad\n");
    free(text);
    snprintf(path, sizeof path, "%s/catalog/postal-codes.tsv.tmp", dir);
    assert_int_equal(access(path, F_OK), -1);

    assert_int_equal(postal_load(dir, &t, err, sizeof err), 0);
    postal_table_stats(t, &st);
    assert_int_equal(st.settlements, 4);
    assert_int_equal(st.postal_codes, 3);
    const struct postal_settlement *s = postal_lookup(t, "01000", &n);
    assert_int_equal(n, 1);
    assert_string_equal(s->name, "San Ángel");
    assert_int_equal(s->state, 9);
    assert_int_equal(s->municipality, 10);
    s = postal_lookup(t, "20000", &n);
    assert_int_equal(n, 2);
    assert_string_equal(s[0].name, "Zona Centro"); /* source order within a code */
    assert_string_equal(s[1].name, "El \"Barrio\"");
    assert_string_equal(s[1].zone, "");
    assert_null(postal_lookup(t, "01001", &n));
    assert_int_equal(n, 0);
    assert_null(postal_lookup(t, "0100", &n));
    assert_null(postal_lookup(t, "99999", &n));
    postal_free(t);
}

/* The original CPdescarga.txt: terms line, '|', CRLF, Latin-1, padded fields. */
static void test_original_latin1(void **state)
{
    (void)state;
    char utf8[4096], latin1[4096];
    struct postal_stats st;
    struct postal_table *t = NULL;
    size_t n = 0;
    snprintf(utf8, sizeof utf8, "%s\r\n%s\r\n", disclaimer, header);
    size_t used = strlen(utf8);
    snprintf(utf8 + used, sizeof utf8 - used,
             "01000|San Ángel |Colonia|Álvaro Obregón|Ciudad de México|Ciudad de México|01001|"
             "09|01001||09|010|0001|Urbano|01\r\n");
    for (char *p = utf8; *p; p++)
        if (*p == '\t')
            *p = '|';
    /* UTF-8 to Latin-1: every character here is below U+0100 */
    for (size_t i = 0; utf8[i]; i++) {
        unsigned char c = (unsigned char)utf8[i];
        latin1[n++] = c < 0x80 ? (char)c : (char)(((c & 0x03) << 6) | (utf8[++i] & 0x3f));
    }
    const char *src = source_file(latin1, n);
    const char *dir = data_dir();

    assert_int_equal(postal_import(cat, src, dir, false, NULL, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 1: invalid utf-8"));
    assert_non_null(strstr(err, "--latin1"));

    assert_int_equal(postal_import(cat, src, dir, true, NULL, &st, err, sizeof err), 0);
    assert_int_equal(st.settlements, 1);
    assert_int_equal(postal_load(dir, &t, err, sizeof err), 0);
    const struct postal_settlement *s = postal_lookup(t, "01000", &n);
    assert_int_equal(n, 1);
    assert_string_equal(s->name, "San Ángel"); /* converted and trimmed */
    assert_string_equal(s->city, "Ciudad de México");
    postal_free(t);

    /* --latin1 on a file that is UTF-8 already would double-encode: refused */
    src = source_file(utf8, strlen(utf8));
    assert_int_equal(postal_import(cat, src, dir, true, NULL, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 1: text is already utf-8"));
}

/* Imports a source made of the header and the given rows; expects failure with
 * both needles in the error. */
static void refuse(const char *rows, const char *needle1, const char *needle2)
{
    char buf[4096];
    struct postal_stats st;
    snprintf(buf, sizeof buf, "%s\n%s", header, rows);
    err[0] = '\0';
    assert_int_equal(postal_import(cat, source_file(buf, strlen(buf)), data_dir(), false, NULL, &st,
                                   err, sizeof err),
                     -1);
    if (!strstr(err, needle1) || (needle2 && !strstr(err, needle2)))
        fail_msg("error '%s' lacks '%s' / '%s'", err, needle1, needle2 ? needle2 : "");
}

static void test_bad_rows(void **state)
{
    (void)state;
    char ok[512] = "", rows[1024];
#define WITH(extra) (snprintf(rows, sizeof rows, "%s%s", ok, extra), rows)
    row(ok, sizeof ok, "01000", "San Ángel", "Colonia", "09", "010", "Urbano");
    char bad[512] = "";
    row(bad, sizeof bad, "1000", "X", "Colonia", "09", "010", "Urbano");
    refuse(WITH(bad), "line 3: d_codigo '1000' is not a 5-digit postal code", NULL);
    bad[0] = '\0';
    row(bad, sizeof bad, "01001", "X", "Colonia", "09", "999", "Urbano");
    refuse(WITH(bad), "line 3: municipality 09 999 is not in the inegi catalog", NULL);
    bad[0] = '\0';
    row(bad, sizeof bad, "01001", "X", "Colonia", "05", "001", "Urbano");
    refuse(WITH(bad), "line 3: state 05 is not in the inegi catalog", NULL);
    bad[0] = '\0';
    row(bad, sizeof bad, "01001", "X", "Colonia", "33", "001", "Urbano");
    refuse(WITH(bad), "line 3: c_estado '33'", NULL);
    bad[0] = '\0';
    row(bad, sizeof bad, "01001", "X", "Colonia", "09", "10", "Urbano");
    refuse(WITH(bad), "line 3: c_mnpio '10'", NULL);
    bad[0] = '\0';
    row(bad, sizeof bad, "01001", " ", "Colonia", "09", "010", "Urbano");
    refuse(WITH(bad), "line 3: empty d_asenta", NULL);
    bad[0] = '\0';
    row(bad, sizeof bad, "01001", "Pe\xf1on", "Colonia", "09", "010", "Urbano");
    refuse(WITH(bad), "line 3: invalid utf-8 at byte 9", "--latin1");
    refuse(WITH("01001\tX\n"), "line 3: 2 fields where the header has 15", NULL);
    refuse(WITH("\n"), "line 3: empty line", NULL);
    refuse("", "no settlements", NULL);
#undef WITH
    struct postal_stats st;
    static const char no_mun[] = "d_codigo\td_asenta\td_tipo_asenta\td_zona\td_ciudad\tc_estado\n";
    assert_int_equal(postal_import(cat, source_file(no_mun, strlen(no_mun)), data_dir(), false,
                                   NULL, &st, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "line 1: missing column 'c_mnpio'"));
    static const char junk[] = "terms\nnot a header\n";
    assert_int_equal(postal_import(cat, source_file(junk, strlen(junk)), data_dir(), false, NULL,
                                   &st, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "line 2: expected the header line starting with d_codigo"));
}

static void test_failed_import_keeps_previous(void **state)
{
    (void)state;
    char buf[4096], path[PATH_MAX], tmp[PATH_MAX + 8];
    struct postal_stats st;
    size_t before_len, after_len;
    const char *dir = data_dir();
    good_source(buf, sizeof buf);
    assert_int_equal(
        postal_import(cat, source_file(buf, strlen(buf)), dir, false, NULL, &st, err, sizeof err),
        0);
    snprintf(path, sizeof path, "%s/catalog/postal-codes.tsv", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    char *before = read_all(path, &before_len);

    row(buf, sizeof buf, "01001", "X", "Colonia", "09", "999", "Urbano");
    assert_int_equal(
        postal_import(cat, source_file(buf, strlen(buf)), dir, false, NULL, &st, err, sizeof err),
        -1);
    assert_non_null(strstr(err, "line 6"));
    char *after = read_all(path, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    assert_int_equal(access(tmp, F_OK), -1);
    free(after);

    /* an import holding the temporary file's lock keeps a second one out */
    good_source(buf, sizeof buf);
    int fd = open(tmp, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    assert_int_equal(
        postal_import(cat, source_file(buf, strlen(buf)), dir, false, NULL, &st, err, sizeof err),
        -1);
    assert_non_null(strstr(err, "another import is running"));
    assert_int_equal(access(tmp, F_OK), 0); /* not ours to remove */
    assert_int_equal(close(fd), 0);
    after = read_all(path, &after_len);
    assert_memory_equal(before, after, before_len);
    free(after);
    free(before);
    assert_int_equal(
        postal_import(cat, source_file(buf, strlen(buf)), dir, false, NULL, &st, err, sizeof err),
        0);
}

static void test_not_imported_and_damaged(void **state)
{
    (void)state;
    char path[PATH_MAX];
    struct postal_table *t = NULL;
    const char *dir = data_dir();
    assert_int_equal(postal_load(dir, &t, err, sizeof err), POSTAL_NOT_IMPORTED);
    assert_null(t);
    assert_non_null(strstr(err, "padron import postal-codes FILE"));

    snprintf(path, sizeof path, "%s/catalog", dir);
    assert_int_equal(fs_mkdir_p(path, 0700, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/catalog/postal-codes.tsv", dir);
    static const struct {
        const char *text, *why;
    } cases[] = {
        {"something else\n", "line 1: not a padron postal-code file"},
        {"cp\tstate\tmunicipality\tsettlement\ttype\tzone\tcity\n"
         "01010\t09\t010\tA\tColonia\tUrbano\t\n01000\t09\t010\tB\tColonia\tUrbano\t\n",
         "line 3: not sorted"},
        {"cp\tstate\tmunicipality\tsettlement\ttype\tzone\tcity\n01000\t09\t010\tA\tColonia",
         "line 2: unterminated line (truncated file?); re-import with: padron import postal-codes"},
        {"cp\tstate\tmunicipality\tsettlement\ttype\tzone\tcity\n01000\t09\t010\t\xff\tColonia\tUrb"
         "ano\t\n",
         "line 2: invalid utf-8; re-import with: padron import postal-codes"},
        {"cp\tstate\tmunicipality\tsettlement\ttype\tzone\tcity\n01000\t09\t010\tA\n",
         "line 2: malformed settlement"},
        {"cp\tstate\tmunicipality\tsettlement\ttype\tzone\tcity\n01000\t09\t010\tA\tb\tc\td\te\n",
         "line 2: malformed settlement"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(path, cases[i].text, strlen(cases[i].text));
        assert_int_equal(postal_load(dir, &t, err, sizeof err), -1);
        assert_null(t);
        if (!strstr(err, cases[i].why))
            fail_msg("error '%s' lacks '%s'", err, cases[i].why);
    }
}

static void test_parse_line(void **state)
{
    (void)state;
    char line[512] = "";
    row(line, sizeof line, "01000", "San Ángel", "Colonia", "09", "010", "Urbano");
    size_t len = strlen(line) - 1;
    assert_int_equal(
        postal_parse_line(NULL, header, strlen(header), line, len, false, err, sizeof err), 0);
    assert_int_equal(
        postal_parse_line(cat, header, strlen(header), line, len, false, err, sizeof err), 0);
    line[0] = 'x';
    assert_int_equal(
        postal_parse_line(NULL, header, strlen(header), line, len, false, err, sizeof err), -1);
    assert_int_equal(postal_parse_line(NULL, "d_codigo", 8, line, len, false, err, sizeof err), -1);
}

/* The real SEPOMEX catalog, when ../shared/data beside the repository holds it. */
static void test_real_sepomex(void **state)
{
    (void)state;
    char dir[PATH_MAX], root[PATH_MAX], src[PATH_MAX + 64];
    struct catalog *real = NULL;
    struct postal_table *t = NULL;
    struct postal_stats st;
    size_t n;
    assert_int_equal(catalog_find_dir(NULL, dir, sizeof dir, err, sizeof err), 0);
    assert_non_null(realpath(dir, root));
    snprintf(src, sizeof src, "%s/../shared/data/sepomex_codigos_postales.tsv", dirname(root));
    if (access(src, R_OK) != 0) {
        print_message("skipping: %s not found\n", src);
        skip();
    }
    if (catalog_load(dir, &real, err, sizeof err) < 0)
        fail_msg("%s", err);
    const char *out = data_dir();
    if (postal_import(real, src, out, false, NULL, &st, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(st.settlements, 155888);
    assert_int_equal(st.postal_codes, 32012);
    assert_int_equal(postal_load(out, &t, err, sizeof err), 0);
    const struct postal_settlement *s = postal_lookup(t, "01000", &n);
    assert_int_equal(n, 1);
    assert_string_equal(s->name, "San Ángel");
    assert_string_equal(s->type, "Colonia");
    assert_int_equal(s->state, 9);
    assert_int_equal(s->municipality, 10);
    assert_string_equal(catalog_municipality(real, s->state, s->municipality)->name,
                        "Álvaro Obregón");
    postal_lookup(t, "85203", &n);
    assert_int_equal(n, 302);
    postal_free(t);
    catalog_free(real);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_and_lookup),
        cmocka_unit_test(test_original_latin1),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_failed_import_keeps_previous),
        cmocka_unit_test(test_not_imported_and_damaged),
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test(test_real_sepomex),
    };
    return cmocka_run_group_tests_name("catalog/postal", tests, setup, teardown);
}
