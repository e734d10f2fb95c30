/* Tests src/catalog/diagnoses.c: codes in either form, import, load, lookup, search. */
/* nftw() for removing the fixture directory */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "catalog/diagnoses.h"

#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];
static char err[1024];

static const char fixture[] =
    "codigo,codigo_punto,nivel,descripcion,capitulo,nombre_capitulo\n"
    "E11,E11,categoria,Diabetes mellitus no insulinodependiente,IV,Endocrinas\n"
    "E119,E11.9,subcategoria,\"Diabetes mellitus no insulinodependiente, sin mención de "
    "complicación\",IV,Endocrinas\n"
    "A00,A00,categoria,Cólera,I,Infecciosas\n"
    "I10,I10,categoria,Hipertension esencial (primaria),IX,Circulatorio\n"
    "E10,E10,categoria,Diabetes mellitus insulinodependiente,IV,Endocrinas\n"
    "\n"
    "e100,E10.0,subcategoria,Diabetes mellitus insulinodependiente con coma,IV,Endocrinas\n";

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
    strcpy(tmpdir, "/tmp/padron-diagnoses-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *write_source(const char *name, const char *text)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_code_forms(void **state)
{
    (void)state;
    char c[DIAGNOSIS_CODE_SIZE], d[DIAGNOSIS_DOTTED];
    static const char *const good[][2] = {
        {"E119", "E119"}, {"E11.9", "E119"}, {"e11.9", "E119"}, {" e119 ", "E119"},
        {"E11", "E11"},   {"a00", "A00"},    {"Z99.9", "Z999"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(diagnoses_code_normalize(good[i][0], strlen(good[i][0]), c), 0);
        assert_string_equal(c, good[i][1]);
    }
    static const char *const bad[] = {"",     "E",     "E1",    "E11.", "E1.19",  "E1199",
                                      "11E9", "E11.X", "E11 9", "É119", "E11.9.", "E11..9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(diagnoses_code_normalize(bad[i], strlen(bad[i]), c), -1);
    diagnoses_code_dotted("E119", d);
    assert_string_equal(d, "E11.9");
    diagnoses_code_dotted("E11", d);
    assert_string_equal(d, "E11");
}

static void test_import_load_lookup_search(void **state)
{
    (void)state;
    struct diagnoses *t = NULL;
    const struct diagnosis *hits[10];
    size_t count = 0;
    if (diagnoses_import(write_source("cie.csv", fixture), tmpdir, NULL, &count, NULL, err,
                         sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(count, 6);
    if (diagnoses_load(tmpdir, &t, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(diagnoses_count(t), 6);

    const struct diagnosis *d = diagnoses_lookup(t, "e11.9");
    assert_non_null(d);
    assert_string_equal(d->code, "E119");
    assert_string_equal(d->chapter, "IV");
    assert_non_null(strstr(d->description, "sin mención"));
    assert_ptr_equal(diagnoses_lookup(t, "E119"), d);
    assert_string_equal(diagnoses_lookup(t, "E10.0")->code, "E100");
    assert_null(diagnoses_lookup(t, "E12"));
    assert_null(diagnoses_lookup(t, "E11.99"));
    assert_null(diagnoses_lookup(t, "nonsense"));

    /* a code or its start: codes in order */
    assert_int_equal(diagnoses_search(t, "E1", hits, 10), 4);
    assert_string_equal(hits[0]->code, "E10");
    assert_string_equal(hits[1]->code, "E100");
    assert_string_equal(hits[3]->code, "E119");
    assert_int_equal(diagnoses_search(t, "e11.", hits, 10), 2);
    assert_int_equal(diagnoses_search(t, "E11.9", hits, 10), 1);
    assert_int_equal(diagnoses_search(t, "E", hits, 2), 2);
    /* words: every one, without case or accents */
    assert_int_equal(diagnoses_search(t, "DIABETES insulinodependiente", hits, 10), 4);
    assert_int_equal(diagnoses_search(t, "diabetes sin mencion", hits, 10), 1);
    assert_string_equal(hits[0]->code, "E119");
    assert_int_equal(diagnoses_search(t, "colera", hits, 10), 1);
    assert_int_equal(diagnoses_search(t, "HIPERTENSIÓN", hits, 10), 1);
    assert_int_equal(diagnoses_search(t, "diabetes coma", hits, 10), 1);
    assert_int_equal(diagnoses_search(t, "gripe", hits, 10), 0);
    assert_int_equal(diagnoses_search(t, "", hits, 10), 0);
    assert_int_equal(diagnoses_search(t, "  ", hits, 10), 0);
    char longq[DIAGNOSES_QUERY_MAX + 2];
    memset(longq, 'a', sizeof longq - 1);
    longq[sizeof longq - 1] = '\0';
    assert_int_equal(diagnoses_search(t, longq, hits, 10), 0);
    diagnoses_free(t);
}

static void test_bad_sources_keep_previous(void **state)
{
    (void)state;
    struct diagnoses *t = NULL;
    size_t count = 0;
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"codigo,descripcion\nE11,Diabetes\nE11.0,Uno\nE11,Otra vez\n",
         "line 4: code E11 listed twice (first at line 2)"},
        {"codigo,descripcion\nE1X,Algo\n", "line 2: codigo 'E1X' is not a CIE-10 code"},
        {"codigo,descripcion\nE11,\n", "line 2: empty descripcion"},
        {"codigo,descripcion\nE11,Uno,Dos\n", "line 2: 3 fields where the header has 2"},
        {"code,descripcion\nE11,Uno\n", "codigo"},
        {"codigo,descripcion\n", "no codes after the header"},
        {"", "empty file"},
    };
    if (diagnoses_import(write_source("good.csv", fixture), tmpdir, NULL, &count, NULL, err,
                         sizeof err) < 0)
        fail_msg("%s", err);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(diagnoses_import(write_source("bad.csv", bad[i].text), tmpdir, NULL,
                                          &count, NULL, err, sizeof err),
                         -1);
        if (!strstr(err, bad[i].why))
            fail_msg("case %zu: '%s' does not say '%s'", i, err, bad[i].why);
    }
    assert_int_equal(diagnoses_load(tmpdir, &t, err, sizeof err), 0);
    assert_int_equal(diagnoses_count(t), 6);
    diagnoses_free(t);
}

static void test_not_imported_and_damaged(void **state)
{
    (void)state;
    struct diagnoses *t = NULL;
    char empty[PATH_MAX], path[PATH_MAX + 32];
    snprintf(empty, sizeof empty, "%s/none", tmpdir);
    assert_int_equal(diagnoses_load(empty, &t, err, sizeof err), DIAGNOSES_NOT_IMPORTED);
    assert_non_null(strstr(err, "padron import diagnoses"));
    assert_null(t);

    snprintf(path, sizeof path, "%s/catalog", tmpdir);
    mkdir(path, 0700);
    static const char *const damaged[] = {
        "code\tdescription\tchapter\nE11\tUno\tIV\nE10\tDos\tIV\n", /* out of order */
        "code\tdescription\tchapter\nE11\tUno\n",                   /* two fields */
        "code\tdescription\tchapter\ne11\tUno\tIV\n",               /* not canonical */
        "code\tdescription\tchapter\nE11\tUno\tIV",                 /* truncated */
        "codigo\tdescription\tchapter\n",                           /* not ours */
    };
    snprintf(path, sizeof path, "%s/catalog/%s", tmpdir, DIAGNOSES_FILE);
    for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(damaged[i], f);
        assert_int_equal(fclose(f), 0);
        assert_int_equal(diagnoses_load(tmpdir, &t, err, sizeof err), -1);
        assert_null(t);
    }
    assert_int_equal(remove(path), 0);
}

static void test_parse_line(void **state)
{
    (void)state;
    static const char h[] = "codigo,descripcion,capitulo";
    static const char ok[] = "e11.9,\"Diabetes, sin complicacion\",IV";
    static const char bad[] = "E11,Dia\tbetes,IV";
    assert_int_equal(diagnoses_parse_line(h, strlen(h), ok, strlen(ok), err, sizeof err), 0);
    assert_int_equal(diagnoses_parse_line(h, strlen(h), bad, strlen(bad), err, sizeof err), -1);
    assert_int_equal(diagnoses_parse_line("x", 1, ok, strlen(ok), err, sizeof err), -1);
}

/* The real CIE-10 list, when ../shared/data beside the repository holds it. */
static void test_real_cie10(void **state)
{
    (void)state;
    char dir[PATH_MAX], root[PATH_MAX], src[PATH_MAX + 64];
    struct diagnoses *t = NULL;
    const struct diagnosis *hits[20];
    size_t count = 0;
    assert_int_equal(catalog_find_dir(NULL, dir, sizeof dir, err, sizeof err), 0);
    assert_non_null(realpath(dir, root));
    snprintf(src, sizeof src, "%s/../shared/data/cie10_diagnosticos.csv", dirname(root));
    if (access(src, R_OK) != 0) {
        print_message("skipping: %s not found\n", src);
        skip();
    }
    if (diagnoses_import(src, tmpdir, NULL, &count, NULL, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(count, 14204);
    assert_int_equal(diagnoses_load(tmpdir, &t, err, sizeof err), 0);
    assert_non_null(diagnoses_lookup(t, "E11.9"));
    assert_non_null(diagnoses_lookup(t, "i10"));
    assert_int_equal(diagnoses_search(t, "E11", hits, 20), 11); /* E11 and E11.0-E11.9 */
    assert_true(diagnoses_search(t, "hipertension esencial", hits, 20) >= 1);
    diagnoses_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_forms),
        cmocka_unit_test(test_import_load_lookup_search),
        cmocka_unit_test(test_bad_sources_keep_previous),
        cmocka_unit_test(test_not_imported_and_damaged),
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test(test_real_cie10),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
