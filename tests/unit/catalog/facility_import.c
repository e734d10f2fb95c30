/* Tests src/catalog/facility_import.c: a checked, atomic import of a newer CLUES
 * cut into a data directory, and loading the catalogs with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/facility_import.h"
#include "util/fs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp[64], catalogs[PATH_MAX], err[1024];

static const char header[] =
    "clues_imb,nombre_de_la_unidad,estatus_de_operacion,nivel_atencion,nombre_de_tipologia,"
    "cve_ent,cve_mun,cve_loc,localidad,latitud,longitud\n";

static void write_file(const char *name, const char *body)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(header, f) >= 0, 1);
    assert_int_equal(fputs(body, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/padron-facilities-XXXXXX");
    if (!mkdtemp(tmp) || catalog_find_dir(NULL, catalogs, sizeof catalogs, err, sizeof err) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_import_and_load(void **state)
{
    (void)state;
    char src[2 * PATH_MAX], data[2 * PATH_MAX];
    struct facility_import_stats st;
    struct catalog *c = NULL;
    bool imported;
    snprintf(src, sizeof src, "%s/cut.csv", tmp);
    snprintf(data, sizeof data, "%s/var", tmp);
    write_file("cut.csv", "DFIMB000001,CENTRO,EN OPERACION,PRIMER NIVEL,CS,09,015,0001,X,19.43,"
                          "-99.13\n"
                          "DFIMB000002,MOVIL,EN OPERACION,NO APLICA,UM,09,015,0001,X,,\n");
    /* nothing imported yet: the vendored facilities */
    assert_int_equal(facility_import_load(catalogs, data, &c, &imported, err, sizeof err), 0);
    assert_false(imported);
    assert_non_null(catalog_facility(c, "DFIMB002534"));
    catalog_free(c);

    assert_int_equal(facility_import(catalogs, src, data, NULL, &st, err, sizeof err), 0);
    assert_int_equal(st.facilities, 2);
    assert_int_equal(st.operating, 1);
    assert_int_equal(facility_import_load(catalogs, data, &c, &imported, err, sizeof err), 0);
    assert_true(imported);
    size_t n;
    catalog_facilities(c, &n);
    assert_int_equal(n, 2);
    assert_null(catalog_facility(c, "DFIMB002534"));
    catalog_free(c);

    /* a bad row refuses the whole file, naming the source and the line; the
     * previous import stays */
    write_file("bad.csv", "DFIMB000003,CENTRO,EN OPERACION,PRIMER NIVEL,CS,09,015,0001,X,19.43,"
                          "-99.13\n"
                          "DFIMB000004,CENTRO,EN OPERACION,PRIMER NIVEL,CS,09,999,0001,X,19.43,"
                          "-99.13\n");
    snprintf(src, sizeof src, "%s/bad.csv", tmp);
    assert_int_equal(facility_import(catalogs, src, data, NULL, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "bad.csv: line 3: municipality 09 999 is not in inegi_municipios"));
    assert_non_null(strstr(err, "nothing was imported"));
    assert_int_equal(facility_import_load(catalogs, data, &c, &imported, err, sizeof err), 0);
    assert_non_null(catalog_facility(c, "DFIMB000001"));
    catalog_free(c);
    char leftover[3 * PATH_MAX];
    snprintf(leftover, sizeof leftover, "%s/catalog/facilities.csv.tmp", data);
    assert_int_equal(access(leftover, F_OK), -1);

    /* an unreadable source */
    snprintf(src, sizeof src, "%s/none.csv", tmp);
    assert_int_equal(facility_import(catalogs, src, data, NULL, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read"));
}

static void test_one_import_at_a_time(void **state)
{
    (void)state;
    char src[2 * PATH_MAX], data[2 * PATH_MAX], dir[3 * PATH_MAX];
    struct facility_import_stats st;
    struct fs_replace other;
    snprintf(src, sizeof src, "%s/cut.csv", tmp);
    snprintf(data, sizeof data, "%s/var2", tmp);
    snprintf(dir, sizeof dir, "%s/catalog", data);
    write_file("cut.csv", "DFIMB000001,CENTRO,EN OPERACION,PRIMER NIVEL,CS,09,015,0001,X,19.43,"
                          "-99.13\n");
    assert_int_equal(fs_replace_open(&other, dir, FACILITY_IMPORT_FILE, err, sizeof err), 0);
    assert_int_equal(facility_import(catalogs, src, data, NULL, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "another import is running"));
    fs_replace_abort(&other);
    assert_int_equal(facility_import(catalogs, src, data, NULL, &st, err, sizeof err), 0);
}

static void test_gzip_source(void **state)
{
    (void)state;
    char src[2 * PATH_MAX], data[2 * PATH_MAX];
    struct facility_import_stats st;
    snprintf(src, sizeof src, "%s/clues_imss_bienestar.csv.gz", catalogs);
    snprintf(data, sizeof data, "%s/var3", tmp);
    assert_int_equal(facility_import(catalogs, src, data, NULL, &st, err, sizeof err), 0);
    assert_int_equal(st.facilities, 10573);
    assert_int_equal(st.operating, 9460 + 612 + 68);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_and_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_import_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gzip_source, setup, teardown),
    };
    return cmocka_run_group_tests_name("catalog/facility_import", tests, NULL, NULL);
}
