/* Unit tests for src/media/blobstore.c against real files in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/blobstore.h"

#include <dirent.h>
#include <sodium.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
    char dir[64];
    char store[96];
    uint8_t key[BLOBSTORE_KEY_LEN];
    struct blobstore *bs;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/padron-blob-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->store, sizeof f->store, "%s/blobs/nested", f->dir);
    for (size_t i = 0; i < sizeof f->key; i++)
        f->key[i] = (uint8_t)(i * 7 + 1);
    char err[256];
    if (blobstore_open(f->store, f->key, &f->bs, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    blobstore_close(f->bs);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* ---- Helpers ---- */

static uint8_t *pattern(size_t n, uint32_t seed)
{
    uint8_t *p = malloc(n ? n : 1);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++) {
        seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
        p[i] = (uint8_t)seed;
    }
    return p;
}

static void blob_path(const struct fixture *f, const char *id, char *path, size_t size)
{
    snprintf(path, size, "%s/%.2s/%s", f->store, id, id + 2);
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void put_ok(struct fixture *f, const uint8_t *data, size_t len, char id[65])
{
    char err[256] = "";
    if (blobstore_put(f->bs, data, len, id, err, sizeof err) != 0)
        fail_msg("put: %s", err);
    assert_true(blobstore_id_valid(id));
}

static void get_fails(struct fixture *f, const char *id, const char *why)
{
    uint8_t *out = (uint8_t *)1;
    size_t len = 99;
    char err[256] = "";
    assert_int_equal(blobstore_get(f->bs, id, &out, &len, err, sizeof err), -1);
    assert_null(out);
    assert_int_equal(len, 0);
    if (why && !strstr(err, why))
        fail_msg("error \"%s\" does not say \"%s\"", err, why);
}

/* Rewrites the byte at off of a file (or cuts the file to off when cut). */
static void damage(const char *path, long off, int cut)
{
    if (cut) {
        assert_int_equal(truncate(path, off), 0);
        return;
    }
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    uint8_t b;
    assert_int_equal(pread(fd, &b, 1, off), 1);
    b ^= 0x01;
    assert_int_equal(pwrite(fd, &b, 1, off), 1);
    assert_int_equal(close(fd), 0);
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* ---- Round trips ---- */

static void test_round_trip_sizes(void **state)
{
    struct fixture *f = *state;
    const size_t sizes[] = {0,
                            1,
                            1000,
                            BLOBSTORE_CHUNK - 1,
                            BLOBSTORE_CHUNK,
                            BLOBSTORE_CHUNK + 1,
                            2 * BLOBSTORE_CHUNK,
                            300000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *data = pattern(sizes[i], (uint32_t)i + 1);
        char id[65], path[256], err[256];
        put_ok(f, data, sizes[i], id);
        uint8_t *out = NULL;
        size_t len = 0;
        assert_int_equal(blobstore_get(f->bs, id, &out, &len, err, sizeof err), 1);
        assert_non_null(out);
        assert_int_equal(len, sizes[i]);
        if (sizes[i])
            assert_memory_equal(out, data, sizes[i]);
        /* Layout: 32 header bytes, then one 17-byte tag per chunk (at least one). */
        size_t chunks = sizes[i] ? (sizes[i] + BLOBSTORE_CHUNK - 1) / BLOBSTORE_CHUNK : 1;
        blob_path(f, id, path, sizeof path);
        assert_int_equal(file_size(path), (long)(32 + sizes[i] + 17 * chunks));
        free(out);
        free(data);
    }
}

static void test_same_content_same_id_written_once(void **state)
{
    struct fixture *f = *state;
    uint8_t *data = pattern(5000, 42);
    char a[65], b[65], path[256];
    put_ok(f, data, 5000, a);
    blob_path(f, a, path, sizeof path);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    put_ok(f, data, 5000, b);
    assert_string_equal(a, b);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino); /* not rewritten */
    /* One byte of difference: a different id. */
    data[4999] ^= 1;
    put_ok(f, data, 5000, b);
    assert_string_not_equal(a, b);
    free(data);
}

static void test_id_is_keyed(void **state)
{
    struct fixture *f = *state;
    const uint8_t data[] = "a face photo";
    char a[65], b[65], err[256];
    put_ok(f, data, sizeof data, a);

    /* An unkeyed BLAKE2b-256 of the content is not the id. */
    uint8_t h[32];
    char plain_hex[65];
    assert_int_equal(crypto_generichash(h, sizeof h, data, sizeof data, NULL, 0), 0);
    sodium_bin2hex(plain_hex, sizeof plain_hex, h, sizeof h);
    assert_string_not_equal(a, plain_hex);

    /* Another key: another id, and the first key's blob does not open. */
    char other_dir[128];
    snprintf(other_dir, sizeof other_dir, "%s/blobs/nested", f->dir);
    uint8_t key2[BLOBSTORE_KEY_LEN];
    memcpy(key2, f->key, sizeof key2);
    key2[0] ^= 0x80;
    struct blobstore *bs2;
    assert_int_equal(blobstore_open(other_dir, key2, &bs2, err, sizeof err), 0);
    assert_int_equal(blobstore_put(bs2, data, sizeof data, b, err, sizeof err), 0);
    assert_string_not_equal(a, b);
    uint8_t *out = (uint8_t *)1;
    size_t len = 1;
    assert_int_equal(blobstore_get(bs2, a, &out, &len, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "authentication failed"));
    blobstore_close(bs2);
}

static void test_stored_file_is_not_plaintext(void **state)
{
    struct fixture *f = *state;
    char text[4096];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "CURP PEGJ850101HDFRRN09 "[i % 24];
    char id[65], path[256];
    put_ok(f, (const uint8_t *)text, sizeof text, id);
    blob_path(f, id, path, sizeof path);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_memory_equal(buf, "PADRONB1", 8);
    for (size_t i = 0; i + 4 <= n; i++)
        assert_false(memcmp(buf + i, "CURP", 4) == 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char sub[160];
    snprintf(sub, sizeof sub, "%s/%.2s", f->store, id);
    assert_int_equal(stat(sub, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(count_entries(sub), 1); /* no temporary file left behind */
}

static void test_not_found(void **state)
{
    struct fixture *f = *state;
    char id[65], err[256];
    memset(id, 'a', 64);
    id[64] = '\0';
    uint8_t *out = (uint8_t *)1;
    size_t len = 1;
    assert_int_equal(blobstore_get(f->bs, id, &out, &len, err, sizeof err), 0);
    assert_null(out);
    assert_int_equal(len, 0);
    /* The subdirectory exists but not the file. */
    put_ok(f, (const uint8_t *)"x", 1, id);
    id[63] = id[63] == '0' ? '1' : '0';
    assert_int_equal(blobstore_get(f->bs, id, &out, &len, err, sizeof err), 0);
}

/* ---- Damage ---- */

static void test_tampered_and_truncated(void **state)
{
    struct fixture *f = *state;
    size_t n = 2 * BLOBSTORE_CHUNK + 100;
    uint8_t *data = pattern(n, 7);
    char id[65], path[256], saved[300];
    put_ok(f, data, n, id);
    blob_path(f, id, path, sizeof path);
    snprintf(saved, sizeof saved, "%s.saved", path);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, saved);
    assert_int_equal(system(cmd), 0);
    long size = file_size(path);
    long sealed = BLOBSTORE_CHUNK + 17;
    struct {
        long off;
        int cut;
        const char *why;
    } cases[] = {
        {0, 0, "not a padron blob"},                   /* magic */
        {10, 0, "authentication failed"},              /* stream header */
        {32 + 5, 0, "authentication failed"},          /* first chunk */
        {32 + sealed + 3, 0, "authentication failed"}, /* second chunk */
        {size - 1, 0, "authentication failed"},        /* last tag byte */
        {size - 1, 1, "authentication failed"},        /* one byte short */
        {32 + 2 * sealed + 10, 1, "impossible size"},  /* a last chunk shorter than a tag */
        {32 + 2 * sealed, 1, "truncated"},             /* whole chunks dropped */
        {32 + sealed, 1, "truncated"},
        {32 + 8, 1, "truncated"},
        {20, 1, "truncated"},
        {0, 1, "truncated"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", saved, path);
        assert_int_equal(system(cmd), 0);
        damage(path, cases[i].off, cases[i].cut);
        get_fails(f, id, cases[i].why);
    }
    /* A byte appended. */
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && printf x >> '%s'", saved, path, path);
    assert_int_equal(system(cmd), 0);
    get_fails(f, id, NULL);
    /* Intact again: readable. */
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", saved, path);
    assert_int_equal(system(cmd), 0);
    uint8_t *out;
    size_t len;
    char err[256];
    assert_int_equal(blobstore_get(f->bs, id, &out, &len, err, sizeof err), 1);
    assert_int_equal(len, n);
    free(out);
    free(data);
}

static void test_file_moved_to_another_id(void **state)
{
    struct fixture *f = *state;
    char a[65], b[65], pa[256], pb[256], err[256];
    put_ok(f, (const uint8_t *)"first document", 14, a);
    put_ok(f, (const uint8_t *)"second document", 15, b);
    blob_path(f, a, pa, sizeof pa);
    blob_path(f, b, pb, sizeof pb);
    assert_int_equal(rename(pa, pb), 0);
    get_fails(f, b, "authentication failed");
    uint8_t *out;
    size_t len;
    assert_int_equal(blobstore_get(f->bs, a, &out, &len, err, sizeof err), 0);
}

/* ---- Ids ---- */

static void test_bad_ids_refused(void **state)
{
    struct fixture *f = *state;
    char good[65];
    put_ok(f, (const uint8_t *)"doc", 3, good);
    char upper[65], shortid[65], longid[70], nul[65], dots[70], slash[65];
    strcpy(upper, good);
    upper[0] = 'A';
    for (int i = 0; i < 64; i++)
        if (upper[i] >= 'a' && upper[i] <= 'f')
            upper[i] = (char)(upper[i] - 32);
    snprintf(shortid, sizeof shortid, "%.63s", good);
    snprintf(longid, sizeof longid, "%s0", good);
    memcpy(nul, good, sizeof nul);
    nul[30] = '\0';
    snprintf(dots, sizeof dots, "../../../../etc/passwd%s", good + 22);
    memcpy(slash, good, sizeof slash);
    slash[2] = '/';
    const char *bad[] = {upper, shortid, longid, nul, dots, slash, "", "g" /* not hex */};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(blobstore_id_valid(bad[i]));
        get_fails(f, bad[i], "blob id: not 64 characters 0-9 a-f");
        char err[256] = "";
        assert_int_equal(blobstore_remove(f->bs, bad[i], err, sizeof err), -1);
        assert_string_equal(err, "blob id: not 64 characters 0-9 a-f");
    }
    assert_false(blobstore_id_valid(NULL));
    assert_true(blobstore_id_valid(good));
    uint8_t *out;
    size_t len;
    char err[256];
    assert_int_equal(blobstore_get(f->bs, good, &out, &len, err, sizeof err), 1);
    free(out);
}

static void test_remove(void **state)
{
    struct fixture *f = *state;
    char id[65], err[256];
    put_ok(f, (const uint8_t *)"erase me", 8, id);
    assert_int_equal(blobstore_remove(f->bs, id, err, sizeof err), 0);
    uint8_t *out;
    size_t len;
    assert_int_equal(blobstore_get(f->bs, id, &out, &len, err, sizeof err), 0);
    assert_int_equal(blobstore_remove(f->bs, id, err, sizeof err), 0); /* already gone */
    char other[65];
    memset(other, 'e', 64);
    other[64] = '\0';
    assert_int_equal(blobstore_remove(f->bs, other, err, sizeof err), 0); /* no subdirectory */
    put_ok(f, (const uint8_t *)"erase me", 8, other);                     /* and it can come back */
    assert_string_equal(other, id);
}

static void test_too_large(void **state)
{
    struct fixture *f = *state;
    char id[65] = "x", err[256];
    static const uint8_t byte;
    /* The length is checked before the data is touched. */
    assert_int_equal(
        blobstore_put(f->bs, &byte, (size_t)BLOBSTORE_MAX_BYTES + 1, id, err, sizeof err), -1);
    assert_string_equal(id, "");
    assert_non_null(strstr(err, "over the limit"));
}

/* ---- Key file ---- */

static void test_key_file(void **state)
{
    struct fixture *f = *state;
    char path[128], err[256];
    uint8_t k1[BLOBSTORE_KEY_LEN], k2[BLOBSTORE_KEY_LEN], zero[BLOBSTORE_KEY_LEN] = {0};
    snprintf(path, sizeof path, "%s/master.key", f->dir);

    assert_int_equal(blobstore_key_load_or_create(path, k1, err, sizeof err), 0);
    struct stat sb;
    assert_int_equal(lstat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(sb.st_size, BLOBSTORE_KEY_LEN);
    assert_memory_not_equal(k1, zero, sizeof zero);
    assert_int_equal(blobstore_key_load_or_create(path, k2, err, sizeof err), 0);
    assert_memory_equal(k1, k2, sizeof k1);

    /* Group or other permissions: refused, key zeroed. */
    assert_int_equal(chmod(path, 0640), 0);
    memset(k2, 0xaa, sizeof k2);
    assert_int_equal(blobstore_key_load_or_create(path, k2, err, sizeof err), -1);
    assert_memory_equal(k2, zero, sizeof zero);
    char expected[256];
    snprintf(expected, sizeof expected, "%s: key file permissions 0640 are wider than 0600", path);
    assert_string_equal(err, expected);
    assert_int_equal(chmod(path, 0604), 0);
    assert_int_equal(blobstore_key_load_or_create(path, k2, err, sizeof err), -1);
    assert_int_equal(chmod(path, 0400), 0); /* narrower is fine */
    assert_int_equal(blobstore_key_load_or_create(path, k2, err, sizeof err), 0);
    assert_memory_equal(k1, k2, sizeof k1);
    assert_int_equal(chmod(path, 0600), 0);

    /* Wrong sizes. */
    assert_int_equal(truncate(path, 31), 0);
    assert_int_equal(blobstore_key_load_or_create(path, k2, err, sizeof err), -1);
    assert_non_null(strstr(err, "has 31 bytes, not 32"));
    assert_int_equal(truncate(path, 33), 0);
    assert_int_equal(blobstore_key_load_or_create(path, k2, err, sizeof err), -1);
    assert_int_equal(truncate(path, 0), 0);
    assert_int_equal(blobstore_key_load_or_create(path, k2, err, sizeof err), -1);

    /* A symbolic link, even to a good key file, and a directory. */
    char good[160], link[160];
    snprintf(good, sizeof good, "%s/good.key", f->dir);
    snprintf(link, sizeof link, "%s/link.key", f->dir);
    assert_int_equal(blobstore_key_load_or_create(good, k1, err, sizeof err), 0);
    assert_int_equal(symlink(good, link), 0);
    assert_int_equal(blobstore_key_load_or_create(link, k2, err, sizeof err), -1);
    assert_non_null(strstr(err, "symbolic link"));
    assert_int_equal(blobstore_key_load_or_create(f->dir, k2, err, sizeof err), -1);

    /* A missing directory: nothing created. */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no/such/dir/key", f->dir);
    assert_int_equal(blobstore_key_load_or_create(missing, k2, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot create key file"));
}

static void test_key_file_opens_store(void **state)
{
    struct fixture *f = *state;
    char path[128], dir[128], err[256], id[65];
    uint8_t key[BLOBSTORE_KEY_LEN];
    snprintf(path, sizeof path, "%s/store.key", f->dir);
    snprintf(dir, sizeof dir, "%s/other", f->dir);
    assert_int_equal(blobstore_key_load_or_create(path, key, err, sizeof err), 0);
    struct blobstore *bs;
    assert_int_equal(blobstore_open(dir, key, &bs, err, sizeof err), 0);
    sodium_memzero(key, sizeof key);
    assert_int_equal(blobstore_put(bs, (const uint8_t *)"hola", 4, id, err, sizeof err), 0);
    blobstore_close(bs);
    /* Reopened with the key loaded again from its file. */
    assert_int_equal(blobstore_key_load_or_create(path, key, err, sizeof err), 0);
    assert_int_equal(blobstore_open(dir, key, &bs, err, sizeof err), 0);
    uint8_t *out;
    size_t len;
    assert_int_equal(blobstore_get(bs, id, &out, &len, err, sizeof err), 1);
    assert_int_equal(len, 4);
    assert_memory_equal(out, "hola", 4);
    free(out);
    blobstore_close(bs);
    blobstore_close(NULL);

    /* A store directory that is a file. */
    assert_int_equal(blobstore_open(path, key, &bs, err, sizeof err), -1);
    assert_null(bs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_content_same_id_written_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_id_is_keyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stored_file_is_not_plaintext, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_and_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_moved_to_another_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_ids_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_file_opens_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
