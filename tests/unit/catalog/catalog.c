/* Tests src/catalog/catalog.c on fixture files and on the vendored data/. */
/* nftw() for removing the fixture directory */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

static char tmpdir[64];
static char err[1024];

static const char states_csv[] = "cve_ent,nom_ent,nom_abr,clave_renapo,pob_total_2020\n"
                                 "01,Aguascalientes,Ags.,AS,1425607\n"
                                 "09,Ciudad de México,CDMX,DF,9209944\n"
                                 "20,Oaxaca,Oax.,OC,4132148\n";

static const char participation_csv[] = "clave_renapo,participating_since\n"
                                        "DF,2025-12-31\n"
                                        "OC,2026-03-01\n";

/* columns in another order than the real file: found by name */
static const char municipalities_csv[] =
    "cve_mun,cve_ent,nom_mun,nom_cab,cab_latitud,cab_longitud,centroide_latitud,"
    "centroide_longitud\n"
    "001,01,Aguascalientes,Aguascalientes,21.879822,-102.296046,21.811486,-102.294333\n"
    "010,09,Álvaro Obregón,,,,19.336,-99.236\n"
    "002,09,Azcapotzalco,,,,,\n"
    "067,20,\"Oaxaca de Juárez, capital\",Oaxaca de Juárez,17.06,-96.72,17.07,-96.71\n";

static const char facilities_csv[] =
    "clues_imb,nombre_de_la_unidad,estatus_de_operacion,nivel_atencion,nombre_de_tipologia,"
    "cve_ent,cve_mun,cve_loc,localidad,latitud,longitud\n"
    "OCIMB000002,HOSPITAL,FUERA DE OPERACION,SEGUNDO NIVEL,HOSPITAL GENERAL,20,067,0001,"
    "OAXACA,17.06,-96.72\n"
    "DFIMB000001,\"CENTRO DE SALUD \"\"T-III\"\"\",EN OPERACION,PRIMER NIVEL,CENTRO DE SALUD,09,"
    "010,0001,ÁLVARO OBREGÓN,19.35,-99.2\n"
    "ASIMB000003,UNIDAD MÓVIL,PENDIENTE DE ENTRAR EN OPERACION,NO APLICA,UNIDAD MÓVIL,01,001,"
    "0001,,,\n";

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
    strcpy(tmpdir, "/tmp/padron-catalog-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *dir, const char *name, const char *bytes, size_t len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* A fresh directory holding the good fixtures, with file (when not NULL) replaced
 * by the len bytes of content. */
static const char *fixture(const char *file, const char *content, size_t len)
{
    static char dir[PATH_MAX];
    static int n;
    snprintf(dir, sizeof dir, "%s/f%d", tmpdir, n++);
    assert_int_equal(mkdir(dir, 0700), 0);
    write_file(dir, "inegi_estados.csv", states_csv, sizeof states_csv - 1);
    write_file(dir, "participation.csv", participation_csv, sizeof participation_csv - 1);
    write_file(dir, "inegi_municipios.csv", municipalities_csv, sizeof municipalities_csv - 1);
    write_file(dir, "clues_imss_bienestar.csv", facilities_csv, sizeof facilities_csv - 1);
    if (file)
        write_file(dir, file, content, len);
    return dir;
}

static void test_fixture_loads(void **state)
{
    (void)state;
    struct catalog *c = NULL;
    size_t n;
    assert_int_equal(catalog_load(fixture(NULL, NULL, 0), &c, err, sizeof err), 0);
    catalog_states(c, &n);
    assert_int_equal(n, 3);
    const struct catalog_state *df = catalog_state_by_renapo(c, "DF");
    assert_non_null(df);
    assert_ptr_equal(df, catalog_state_by_code(c, 9));
    assert_string_equal(df->name, "Ciudad de México");
    assert_string_equal(df->abbreviation, "CDMX");
    assert_null(catalog_state_by_renapo(c, "XX"));
    assert_null(catalog_state_by_renapo(c, "D"));
    assert_null(catalog_state_by_code(c, 2));

    /* participation is data with a date, judged on the date asked about */
    assert_false(catalog_state_participating(df, 2025, 12, 30));
    assert_true(catalog_state_participating(df, 2025, 12, 31));
    const struct catalog_state *oc = catalog_state_by_renapo(c, "OC");
    assert_false(catalog_state_participating(oc, 2026, 2, 28));
    assert_true(catalog_state_participating(oc, 2026, 3, 1));
    assert_false(catalog_state_participating(catalog_state_by_code(c, 1), 2099, 1, 1));

    const struct catalog_municipality *m = catalog_municipality(c, 9, 10);
    assert_non_null(m);
    assert_string_equal(m->name, "Álvaro Obregón");
    assert_null(m->seat);
    assert_false(m->seat_pos.present);
    assert_true(m->centroid.present);
    assert_true(m->centroid.lat > 19.335 && m->centroid.lat < 19.337);
    m = catalog_municipalities_of(c, 9, &n);
    assert_int_equal(n, 2);
    assert_int_equal(m[0].code, 2); /* sorted by code */
    assert_false(m[0].centroid.present);
    assert_null(catalog_municipalities_of(c, 5, &n));
    assert_int_equal(n, 0);
    assert_string_equal(catalog_municipality(c, 20, 67)->name, "Oaxaca de Juárez, capital");

    const struct catalog_facility *f = catalog_facility(c, "DFIMB000001");
    assert_non_null(f);
    assert_string_equal(f->name, "CENTRO DE SALUD \"T-III\"");
    assert_int_equal(f->status, CATALOG_IN_OPERATION);
    assert_int_equal(f->level, CATALOG_LEVEL_1);
    assert_int_equal(f->municipality, 10);
    assert_true(f->pos.present);
    f = catalog_facility(c, "ASIMB000003");
    assert_int_equal(f->status, CATALOG_PENDING);
    assert_int_equal(f->level, CATALOG_LEVEL_NA);
    assert_false(f->pos.present);
    assert_string_equal(f->locality_name, "");
    assert_null(catalog_facility(c, "ASIMB00000"));
    catalog_facilities(c, &n);
    assert_int_equal(n, 3);
    catalog_free(c);
}

static void test_gzip_files_load(void **state)
{
    (void)state;
    struct catalog *c = NULL;
    char path[PATH_MAX];
    const char *dir = fixture(NULL, NULL, 0);
    snprintf(path, sizeof path, "%s/inegi_estados.csv", dir);
    assert_int_equal(remove(path), 0);
    snprintf(path, sizeof path, "%s/inegi_estados.csv.gz", dir);
    gzFile gz = gzopen(path, "wb9");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, states_csv, sizeof states_csv - 1), sizeof states_csv - 1);
    assert_int_equal(gzclose(gz), Z_OK);
    assert_int_equal(catalog_load(dir, &c, err, sizeof err), 0);
    catalog_free(c);

    /* .csv beside .csv.gz: ambiguous, refused */
    write_file(dir, "inegi_estados.csv", states_csv, sizeof states_csv - 1);
    assert_int_equal(catalog_load(dir, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "both inegi_estados.csv and inegi_estados.csv.gz"));
}

/* Loads a fixture with one file replaced and expects every needle in the error. */
static void refuse(const char *file, const char *content, size_t len, const char *needle1,
                   const char *needle2)
{
    static int sentinel;
    struct catalog *c = (struct catalog *)&sentinel;
    err[0] = '\0';
    assert_int_equal(catalog_load(fixture(file, content, len), &c, err, sizeof err), -1);
    assert_ptr_equal(c, &sentinel); /* nothing handed over */
    if (!strstr(err, file) || !strstr(err, needle1) || (needle2 && !strstr(err, needle2)))
        fail_msg("error '%s' lacks '%s' / '%s' / '%s'", err, file, needle1, needle2 ? needle2 : "");
}

static void refuse_str(const char *file, const char *content, const char *n1, const char *n2)
{
    refuse(file, content, strlen(content), n1, n2);
}

#define MUN_HEADER                                                                                 \
    "cve_ent,cve_mun,nom_mun,nom_cab,cab_latitud,cab_longitud,centroide_latitud,"                  \
    "centroide_longitud\n"
#define FAC_HEADER                                                                                 \
    "clues_imb,nombre_de_la_unidad,estatus_de_operacion,nivel_atencion,nombre_de_tipologia,"       \
    "cve_ent,cve_mun,cve_loc,localidad,latitud,longitud\n"
#define FAC_ROW(clues, status, level, ent, mun, lat, lon)                                          \
    clues ",X," status "," level ",T," ent "," mun ",0001,L," lat "," lon "\n"

static void test_bad_encoding(void **state)
{
    (void)state;
    static const char latin1[] = MUN_HEADER "01,001,Aguascalientes,,,,,\n"
                                            "09,010,\xc1lvaro Obreg\xf3n,,,,,\n";
    refuse("inegi_municipios.csv", latin1, sizeof latin1 - 1, "line 3: invalid utf-8 at byte 8",
           NULL);
    static const char nul[] = MUN_HEADER "01,001,Aguas\0calientes,,,,,\n";
    refuse("inegi_municipios.csv", nul, sizeof nul - 1, "line 2: embedded nul", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "01,001,\"Aguas,,,,,,\n",
               "line 2: unterminated quoted field", NULL);
}

static void test_missing_column(void **state)
{
    (void)state;
    refuse_str("clues_imss_bienestar.csv",
               "clues_imb,nombre_de_la_unidad,estatus_de_operacion,nivel_atencion,"
               "nombre_de_tipologia,cve_ent,cve_mun,cve_loc,localidad,longitud\n",
               "line 1: missing column 'latitud'", NULL);
    refuse_str("participation.csv", "clave_renapo\nDF\n", "missing column 'participating_since'",
               NULL);
    refuse_str("inegi_estados.csv", "", "empty file", NULL);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    refuse_str("inegi_estados.csv",
               "cve_ent,nom_ent,nom_abr,clave_renapo\n01,A,A,AS\n09,B,B,DF\n01,C,C,OC\n",
               "line 4: duplicate state 01", "first at line 2");
    refuse_str("inegi_estados.csv", "cve_ent,nom_ent,nom_abr,clave_renapo\n01,A,A,AS\n09,B,B,AS\n",
               "line 3: duplicate clave_renapo AS", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "09,010,X,,,,,\n01,001,Y,,,,,\n09,010,Z,,,,,\n",
               "line 4: duplicate municipality 09 010", "first at line 2");
    refuse_str(
        "clues_imss_bienestar.csv",
        FAC_HEADER FAC_ROW("DFIMB000001", "EN OPERACION", "PRIMER NIVEL", "09", "010", "", "")
            FAC_ROW("DFIMB000002", "EN OPERACION", "PRIMER NIVEL", "09", "010", "", "")
                FAC_ROW("DFIMB000001", "EN OPERACION", "TERCER NIVEL", "09", "010", "", ""),
        "line 4: duplicate clues DFIMB000001", "first at line 2");
    refuse_str("participation.csv",
               "clave_renapo,participating_since\nDF,2025-12-31\nDF,2026-01-01\n",
               "line 3: state DF listed twice", "first at line 2");
}

static void test_bad_values(void **state)
{
    (void)state;
    refuse_str("inegi_estados.csv", "cve_ent,nom_ent,nom_abr,clave_renapo\n1,A,A,AS\n",
               "line 2: cve_ent '1'", NULL);
    refuse_str("inegi_estados.csv", "cve_ent,nom_ent,nom_abr,clave_renapo\n33,A,A,AS\n",
               "line 2: cve_ent '33'", NULL);
    refuse_str("inegi_estados.csv", "cve_ent,nom_ent,nom_abr,clave_renapo\n01,A,A,as\n",
               "clave_renapo 'as'", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "01,001,A,,21.8x,-102.2,,\n",
               "line 2: county seat coordinates are not decimal numbers", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "01,001,A,,,,-102.2,21.8\n",
               "line 2: centroid coordinates -102.200000, 21.800000 are outside mexico", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "01,001,A,,21.8,,,\n",
               "only one of latitude and longitude", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "01,001,A,,,,,\n01,000,B,,,,,\n",
               "line 3: cve_mun '000'", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "05,001,A,,,,,\n",
               "line 2: state 05 is not in inegi_estados", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "01,001,A,,,,\n", "line 2: 7 fields", NULL);
    refuse_str("inegi_municipios.csv", MUN_HEADER "01,001,A,,,,,\n\n", "line 3: empty line", NULL);
    refuse_str(
        "clues_imss_bienestar.csv",
        FAC_HEADER FAC_ROW("DFIMB000001", "EN OPERACION", "PRIMER NIVEL", "09", "999", "", ""),
        "line 2: municipality 09 999 is not in inegi_municipios", NULL);
    refuse_str(
        "clues_imss_bienestar.csv",
        FAC_HEADER FAC_ROW("DFIMB00000X", "EN OPERACION", "PRIMER NIVEL", "09", "010", "", ""),
        "line 2: clues_imb 'DFIMB00000X'", NULL);
    refuse_str("clues_imss_bienestar.csv",
               FAC_HEADER FAC_ROW("DFIMB000001", "CERRADA", "PRIMER NIVEL", "09", "010", "", ""),
               "unknown estatus_de_operacion 'CERRADA'", NULL);
    refuse_str(
        "clues_imss_bienestar.csv",
        FAC_HEADER FAC_ROW("DFIMB000001", "EN OPERACION", "CUARTO NIVEL", "09", "010", "", ""),
        "unknown nivel_atencion", NULL);
    refuse_str("clues_imss_bienestar.csv",
               FAC_HEADER FAC_ROW("DFIMB000001", "EN OPERACION", "PRIMER NIVEL", "09", "010",
                                  "95.1", "-99.1"),
               "outside mexico", NULL);
    refuse_str("participation.csv", "clave_renapo,participating_since\nZZ,2025-12-31\n",
               "line 2: clave_renapo 'ZZ' is not a state", NULL);
    refuse_str("participation.csv", "clave_renapo,participating_since\nDF,2025-02-30\n",
               "line 2: participating_since '2025-02-30'", NULL);
}

static void test_missing_file(void **state)
{
    (void)state;
    struct catalog *c = NULL;
    char path[PATH_MAX];
    const char *dir = fixture(NULL, NULL, 0);
    snprintf(path, sizeof path, "%s/participation.csv", dir);
    assert_int_equal(remove(path), 0);
    assert_int_equal(catalog_load(dir, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "neither participation.csv.gz nor participation.csv"));
    assert_null(c);
}

static void test_parse_line(void **state)
{
    (void)state;
    static const char h[] = "cve_ent,nom_ent,nom_abr,clave_renapo";
    assert_int_equal(catalog_parse_line(CATALOG_FILE_STATES, h, strlen(h), "09,CDMX,CDMX,DF", 15,
                                        err, sizeof err),
                     0);
    assert_int_equal(
        catalog_parse_line(CATALOG_FILE_STATES, h, strlen(h), "09,CDMX,CDMX", 12, err, sizeof err),
        -1);
    assert_int_equal(catalog_parse_line(CATALOG_FILE_STATES, "x", 1, "09", 2, err, sizeof err), -1);
    assert_non_null(strstr(err, "missing column 'cve_ent'"));
    assert_int_equal(catalog_parse_line((enum catalog_file)99, h, 1, h, 1, err, sizeof err), -1);
}

static void test_find_dir(void **state)
{
    (void)state;
    char dir[PATH_MAX];
    assert_int_equal(catalog_find_dir("/some/where", dir, sizeof dir, err, sizeof err), 0);
    assert_string_equal(dir, "/some/where");
    assert_int_equal(catalog_find_dir("/some/where", dir, 5, err, sizeof err), -1);
    char *saved = getenv("PADRON_CATALOGS") ? strdup(getenv("PADRON_CATALOGS")) : NULL;
    assert_int_equal(setenv("PADRON_CATALOGS", "/from/env", 1), 0);
    assert_int_equal(catalog_find_dir(NULL, dir, sizeof dir, err, sizeof err), 0);
    assert_string_equal(dir, "/from/env");
    assert_int_equal(unsetenv("PADRON_CATALOGS"), 0);
    /* from the repository root (make) or beside the test binary in build/ */
    assert_int_equal(catalog_find_dir(NULL, dir, sizeof dir, err, sizeof err), 0);
    assert_non_null(strstr(dir, "data"));
    if (saved) {
        assert_int_equal(setenv("PADRON_CATALOGS", saved, 1), 0);
        free(saved);
    }
}

/* The vendored catalogs: the facts data/README.md states. */
static void test_real_data(void **state)
{
    (void)state;
    char dir[PATH_MAX];
    struct catalog *c = NULL;
    size_t n, yes = 0, seat = 0, centroid = 0, in_op = 0, level[4] = {0};
    assert_int_equal(catalog_find_dir(NULL, dir, sizeof dir, err, sizeof err), 0);
    if (catalog_load(dir, &c, err, sizeof err) < 0)
        fail_msg("%s", err);

    const struct catalog_state *s = catalog_states(c, &n);
    assert_int_equal(n, 32);
    for (size_t i = 0; i < n; i++)
        yes += catalog_state_participating(&s[i], 2026, 1, 1);
    assert_int_equal(yes, 23);
    yes = 0;
    for (size_t i = 0; i < n; i++)
        yes += catalog_state_participating(&s[i], 2025, 12, 30);
    assert_int_equal(yes, 0);
    assert_true(catalog_state_participating(catalog_state_by_renapo(c, "MC"), 2026, 1, 1));
    assert_false(catalog_state_participating(catalog_state_by_renapo(c, "JC"), 2026, 1, 1));
    assert_string_equal(catalog_state_by_code(c, 20)->renapo, "OC");

    const struct catalog_municipality *m = catalog_municipalities(c, &n);
    assert_int_equal(n, 2478);
    for (size_t i = 0; i < n; i++) {
        seat += m[i].seat_pos.present;
        centroid += m[i].centroid.present;
    }
    assert_int_equal(seat, 2065);
    assert_int_equal(centroid, 2436);
    assert_string_equal(catalog_municipality(c, 9, 10)->name, "Álvaro Obregón");
    catalog_municipalities_of(c, 20, &n);
    assert_int_equal(n, 570);

    const struct catalog_facility *f = catalog_facilities(c, &n);
    assert_int_equal(n, 10573);
    for (size_t i = 0; i < n; i++) {
        if (f[i].status != CATALOG_IN_OPERATION)
            continue;
        in_op++;
        level[f[i].level]++;
    }
    assert_int_equal(in_op, 10366);
    assert_int_equal(level[CATALOG_LEVEL_1], 9460);
    assert_int_equal(level[CATALOG_LEVEL_2], 612);
    assert_int_equal(level[CATALOG_LEVEL_3], 68);
    assert_int_equal(level[CATALOG_LEVEL_NA], 226);
    f = catalog_facility(c, "BCIMB000010");
    assert_non_null(f);
    assert_string_equal(f->name, "HOSPITAL GENERAL DE ENSENADA");
    /* the optional files: localities of 1,000+ inhabitants, and opening hours for
     * the IMB keys of the DGIS 2026-04 list (10,232 of them with shifts, 48 of
     * which care/hours refuses: a shift without days or without one end) */
    size_t n_loc = 0, with_hours = 0, n_all;
    const struct catalog_municipality *ms = catalog_municipalities(c, &n_all);
    for (size_t i = 0; i < n_all; i++) {
        size_t k;
        (void)catalog_localities_of(c, ms[i].state, ms[i].code, &k);
        n_loc += k;
    }
    assert_int_equal(n_loc, 10635);
    const struct catalog_facility *all = catalog_facilities(c, &n_all);
    for (size_t i = 0; i < n_all; i++)
        with_hours += all[i].hours != NULL;
    assert_int_equal(with_hours, 10184);
    assert_string_equal(f->hours, "DLMXJVS 00:00-23:59");
    assert_int_equal(f->level, CATALOG_LEVEL_2);
    assert_int_equal(f->status, CATALOG_IN_OPERATION);
    assert_string_equal(f->typology, "HOSPITAL GENERAL");
    assert_int_equal(f->state, 2);
    assert_int_equal(f->municipality, 1);
    assert_true(f->pos.present);
    assert_true(f->pos.lat > 31.82 && f->pos.lat < 31.83);
    assert_true(f->pos.lon > -116.61 && f->pos.lon < -116.60);
    catalog_free(c);
}

static void test_hours_and_localities(void **state)
{
    (void)state;
    const char *h = "clues,horarios";
    const char *line = "DFIMB002534,LMXJV 08:00-15:30";
    assert_int_equal(
        catalog_parse_line(CATALOG_FILE_HOURS, h, strlen(h), line, strlen(line), err, sizeof err),
        0);
    line = "DFIMB002534,";
    assert_int_equal(
        catalog_parse_line(CATALOG_FILE_HOURS, h, strlen(h), line, strlen(line), err, sizeof err),
        0);                       /* no shifts recorded */
    line = "DFIMB002534,siempre"; /* unreadable hours are unknown, not an error */
    assert_int_equal(
        catalog_parse_line(CATALOG_FILE_HOURS, h, strlen(h), line, strlen(line), err, sizeof err),
        0);
    line = "DFIMB00253,LMXJV 08:00-15:30";
    assert_int_equal(
        catalog_parse_line(CATALOG_FILE_HOURS, h, strlen(h), line, strlen(line), err, sizeof err),
        -1);
    const char *lh = "cve_ent,cve_mun,cve_loc,nom_loc,latitud,longitud,pob_total";
    line = "20,067,0051,Viguera,17.12993,-96.749318,8506";
    assert_int_equal(catalog_parse_line(CATALOG_FILE_LOCALITIES, lh, strlen(lh), line, strlen(line),
                                        err, sizeof err),
                     0);
    line = "20,067,0051,Viguera,,,8506";
    assert_int_equal(catalog_parse_line(CATALOG_FILE_LOCALITIES, lh, strlen(lh), line, strlen(line),
                                        err, sizeof err),
                     -1);
    assert_string_equal(err, "locality without coordinates");
    line = "20,067,0051,Viguera,17.1,-96.7,mucha";
    assert_int_equal(catalog_parse_line(CATALOG_FILE_LOCALITIES, lh, strlen(lh), line, strlen(line),
                                        err, sizeof err),
                     -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_loads),
        cmocka_unit_test(test_gzip_files_load),
        cmocka_unit_test(test_bad_encoding),
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test(test_find_dir),
        cmocka_unit_test(test_real_data),
        cmocka_unit_test(test_hours_and_localities),
    };
    return cmocka_run_group_tests_name("catalog/catalog", tests, setup, teardown);
}
