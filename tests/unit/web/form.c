/* Unit tests for src/web/form.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fields[] = {"nombre", "curp", "estado", "comentario", NULL};
static const char *const lists[] = {"servicio", NULL};
static const struct form_file_decl files[] = {{"foto", 0}, {"ine", 16}, {NULL, 0}};
static const struct form_decl decl = {fields, lists, files};

static char err[256];

static enum form_status url(struct form *f, const char *body)
{
    return form_parse_urlencoded(body, strlen(body), NULL, f, err, sizeof err);
}

static enum form_status url_lim(struct form *f, const char *body, const struct form_limits *lim)
{
    return form_parse_urlencoded(body, strlen(body), lim, f, err, sizeof err);
}

/* Expects body to be refused with status st and exactly message msg, leaving f empty. */
static void url_refused(const char *body, enum form_status st, const char *msg)
{
    struct form f;
    form_init(&f, &decl);
    enum form_status got = url(&f, body);
    if (got != st || strcmp(err, msg) != 0)
        fprintf(stderr, "body %s: got %s '%s'\n", body, form_status_code(got), err);
    assert_int_equal(got, st);
    assert_string_equal(err, msg);
    assert_int_equal(f.count, 0);
    form_release(&f);
}

static void test_urlencoded_ok(void **state)
{
    (void)state;
    struct form f;
    form_init(&f, &decl);
    assert_int_equal(url(&f, "nombre=%C3%81lvaro+Obreg%c3%b3n&curp=&estado=Ciudad+de+M%C3%A9xico"),
                     FORM_OK);
    assert_string_equal(err, "");
    assert_int_equal(f.count, 3);
    size_t len = 99;
    const char *v = form_get(&f, "nombre", &len);
    assert_non_null(v);
    assert_string_equal(v, "Álvaro Obregón");
    assert_int_equal(len, strlen("Álvaro Obregón"));
    v = form_get(&f, "curp", &len);
    assert_non_null(v);
    assert_string_equal(v, "");
    assert_int_equal(len, 0);
    assert_string_equal(form_get(&f, "estado", NULL), "Ciudad de México");
    assert_null(form_get(&f, "comentario", &len));
    assert_null(form_get(&f, "nada", &len));
    assert_null(form_file(&f, "foto"));
    assert_int_equal(form_count(&f, "nombre"), 1);
    assert_int_equal(form_count(&f, "comentario"), 0);

    /* Parsing again replaces the contents. */
    assert_int_equal(url(&f, "comentario=l%C3%ADnea+1%0D%0Al%C3%ADnea%092"), FORM_OK);
    assert_int_equal(f.count, 1);
    assert_null(form_get(&f, "nombre", NULL));
    assert_string_equal(form_get(&f, "comentario", NULL), "línea 1\r\nlínea\t2");
    form_release(&f);
    assert_int_equal(f.count, 0);
    assert_ptr_equal(f.decl, &decl);
    form_release(&f);
}

static void test_urlencoded_shapes(void **state)
{
    (void)state;
    struct form f;
    form_init(&f, &decl);
    /* Empty pairs skipped, a name without '=' has an empty value, '+' in a value. */
    assert_int_equal(url(&f, "&&curp&&nombre=a+b+%2B&"), FORM_OK);
    assert_int_equal(f.count, 2);
    assert_string_equal(form_get(&f, "curp", NULL), "");
    assert_string_equal(form_get(&f, "nombre", NULL), "a b +");
    assert_string_equal(f.entry[0].name, "curp");
    assert_string_equal(f.entry[1].name, "nombre");
    assert_ptr_equal(f.entry[0].name, fields[1]);
    /* Empty body. */
    assert_int_equal(url(&f, ""), FORM_OK);
    assert_int_equal(f.count, 0);
    assert_int_equal(form_parse_urlencoded(NULL, 0, NULL, &f, err, sizeof err), FORM_OK);
    /* Lists repeat; names may be percent-encoded. */
    assert_int_equal(url(&f, "servicio=consulta&%73ervicio=vacunas&servicio="), FORM_OK);
    assert_int_equal(form_count(&f, "servicio"), 3);
    assert_string_equal(form_get_nth(&f, "servicio", 0, NULL), "consulta");
    assert_string_equal(form_get_nth(&f, "servicio", 1, NULL), "vacunas");
    assert_string_equal(form_get_nth(&f, "servicio", 2, NULL), "");
    assert_null(form_get_nth(&f, "servicio", 3, NULL));
    /* '=' inside a value; UTF-8 at the edge of the BMP and beyond. */
    assert_int_equal(url(&f, "curp=a=b&nombre=%F0%9F%98%80%EF%BF%BD"), FORM_OK);
    assert_string_equal(form_get(&f, "curp", NULL), "a=b");
    assert_string_equal(form_get(&f, "nombre", NULL), "\xf0\x9f\x98\x80\xef\xbf\xbd");
    form_release(&f);
}

static void test_urlencoded_refusals(void **state)
{
    (void)state;
    url_refused("nombre=Ana&evil=1", FORM_ERR_REFUSED, "field 2: undeclared name 'evil'");
    url_refused("%E2%80%AEx%27=1", FORM_ERR_REFUSED,
                "field 1: undeclared name '\\xe2\\x80\\xaex\\x27'");
    url_refused("curp=A&nombre=B&curp=C", FORM_ERR_REFUSED, "field 3 'curp': duplicate field");
    url_refused("nombre=%G1", FORM_ERR_MALFORMED, "field 1: bad percent escape");
    url_refused("curp=1&nombre=%4", FORM_ERR_MALFORMED, "field 2: bad percent escape");
    url_refused("nombre=abc%", FORM_ERR_MALFORMED, "field 1: bad percent escape");
    url_refused("nom%zzbre=a", FORM_ERR_MALFORMED, "field 1: bad percent escape");
    url_refused("=x", FORM_ERR_REFUSED, "field 1: empty name");
    url_refused("curp%00=x", FORM_ERR_REFUSED, "field 1: NUL in name");
    url_refused("nombre=a%00b", FORM_ERR_REFUSED, "field 1 'nombre': NUL in value");
    url_refused("nombre=%C3", FORM_ERR_REFUSED, "field 1 'nombre': invalid utf-8 in value");
    url_refused("nombre=%C0%AF", FORM_ERR_REFUSED, "field 1 'nombre': invalid utf-8 in value");
    url_refused("nombre=%ED%A0%80", FORM_ERR_REFUSED, "field 1 'nombre': invalid utf-8 in value");
    url_refused("nombre=%F4%90%80%80", FORM_ERR_REFUSED,
                "field 1 'nombre': invalid utf-8 in value");
    url_refused("nombre=%E1lvaro", FORM_ERR_REFUSED, "field 1 'nombre': invalid utf-8 in value");
    url_refused("nombre=a%01", FORM_ERR_REFUSED, "field 1 'nombre': control character in value");
    url_refused("nombre=a%7F", FORM_ERR_REFUSED, "field 1 'nombre': control character in value");
    url_refused("nombre=%C2%85", FORM_ERR_REFUSED, "field 1 'nombre': control character in value");
    url_refused("foto=x.jpg", FORM_ERR_REFUSED, "field 1 'foto': file field in an urlencoded body");
}

static void test_urlencoded_limits(void **state)
{
    (void)state;
    struct form f;
    form_init(&f, &decl);
    char *body = malloc(16384);
    assert_non_null(body);

    /* 64 fields pass, 65 do not. */
    body[0] = '\0';
    for (int i = 0; i < 64; i++)
        strcat(body, i ? "&servicio=x" : "servicio=x");
    assert_int_equal(url(&f, body), FORM_OK);
    assert_int_equal(form_count(&f, "servicio"), 64);
    strcat(body, "&servicio=x");
    url_refused(body, FORM_ERR_TOO_LARGE, "form: more than 64 fields");

    /* Names: 64 bytes is the limit (the name is then undeclared). */
    memset(body, 'n', 64);
    strcpy(body + 64, "=1");
    url_refused(body, FORM_ERR_REFUSED,
                "field 1: undeclared name 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...'");
    memset(body, 'n', 65);
    strcpy(body + 65, "=1");
    url_refused(body, FORM_ERR_TOO_LARGE, "field 1: name longer than 64 bytes");

    /* Values: 4096 decoded bytes pass, 4097 do not; escapes count decoded. */
    strcpy(body, "nombre=");
    memset(body + 7, 'a', FORM_MAX_VALUE);
    body[7 + FORM_MAX_VALUE] = '\0';
    assert_int_equal(url(&f, body), FORM_OK);
    assert_int_equal(strlen(form_get(&f, "nombre", NULL)), FORM_MAX_VALUE);
    strcat(body, "a");
    url_refused(body, FORM_ERR_TOO_LARGE, "field 1 'nombre': value longer than 4096 bytes");
    strcpy(body, "nombre=");
    for (int i = 0; i < 2048; i++)
        strcat(body, "%C3%A1");
    assert_int_equal(url(&f, body), FORM_OK);

    /* Configurable limits: total text, body size, fields, value. */
    struct form_limits lim = FORM_LIMITS_INIT;
    lim.max_text = 10;
    assert_int_equal(url_lim(&f, "nombre=12345&curp=12345", &lim), FORM_OK);
    assert_int_equal(url_lim(&f, "nombre=12345&curp=123456", &lim), FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "form: text longer than 10 bytes in all");
    assert_int_equal(f.count, 0);
    lim = (struct form_limits)FORM_LIMITS_INIT;
    lim.max_body = 8;
    assert_int_equal(url_lim(&f, "curp=123", &lim), FORM_OK);
    assert_int_equal(url_lim(&f, "curp=1234", &lim), FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "form: body longer than 8 bytes");
    lim = (struct form_limits)FORM_LIMITS_INIT;
    lim.max_fields = 2;
    assert_int_equal(url_lim(&f, "curp=1&&nombre=2&", &lim), FORM_OK);
    assert_int_equal(url_lim(&f, "curp=1&nombre=2&estado=3", &lim), FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "form: more than 2 fields");
    lim = (struct form_limits)FORM_LIMITS_INIT;
    lim.max_value = 3;
    assert_int_equal(url_lim(&f, "curp=%C3%A1x", &lim), FORM_OK);
    assert_int_equal(url_lim(&f, "curp=abcd", &lim), FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "field 1 'curp': value longer than 3 bytes");
    free(body);
    form_release(&f);
}

static void test_media_and_boundary(void **state)
{
    (void)state;
    char b[FORM_BOUNDARY_MAX + 1];
    assert_int_equal(form_media_type("application/x-www-form-urlencoded"), FORM_MEDIA_URLENCODED);
    assert_int_equal(form_media_type("Application/X-WWW-Form-Urlencoded;charset=UTF-8"),
                     FORM_MEDIA_URLENCODED);
    assert_int_equal(form_media_type("multipart/form-data; boundary=x"), FORM_MEDIA_MULTIPART);
    assert_int_equal(form_media_type("multipart/form-datax"), FORM_MEDIA_OTHER);
    assert_int_equal(form_media_type("application/json"), FORM_MEDIA_OTHER);
    assert_int_equal(form_media_type(NULL), FORM_MEDIA_OTHER);

    assert_int_equal(
        form_boundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", b,
                      sizeof b),
        0);
    assert_string_equal(b, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
    assert_int_equal(
        form_boundary("multipart/form-data; boundary=\"simple boundary\"", b, sizeof b), 0);
    assert_string_equal(b, "simple boundary");
    assert_int_equal(
        form_boundary("Multipart/Form-Data;charset=utf-8;BOUNDARY=\"a'()+_,-./:=?\" ", b, sizeof b),
        0);
    assert_string_equal(b, "a'()+_,-./:=?");
    assert_int_equal(form_boundary("multipart/form-data; boundary=----=_Part_0_1.2", b, sizeof b),
                     0);
    assert_string_equal(b, "----=_Part_0_1.2");
    char ct[200];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%070d", 7);
    assert_int_equal(form_boundary(ct, b, sizeof b), 0);
    assert_int_equal(strlen(b), 70);
    assert_int_equal(form_boundary(ct, b, 70), -1); /* out too small */
    assert_string_equal(b, "");

    const char *bad[] = {
        "multipart/form-data",
        "multipart/form-data; charset=utf-8",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc \"",
        "multipart/form-data; boundary=\"a@b\"",
        "multipart/form-data; boundary=\"a\\b\"",
        "multipart/form-data; boundary=\"abc",
        "multipart/form-data; boundary=a; boundary=a",
        "multipart/form-data; boundary=a b",
        "multipart/form-data boundary=a",
        "multipart/mixed; boundary=a",
        "text/plain; boundary=a",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (form_boundary(bad[i], b, sizeof b) != -1)
            fprintf(stderr, "accepted: %s\n", bad[i]);
        assert_int_equal(form_boundary(bad[i], b, sizeof b), -1);
        assert_string_equal(b, "");
    }
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%071d", 7);
    assert_int_equal(form_boundary(ct, b, sizeof b), -1);
    assert_int_equal(form_boundary(NULL, b, sizeof b), -1);
}

/* The multipart body of a registration with a photo, as a browser sends it. */
static const char photo_data[] = "\xff\xd8\xff\xe0line 1\r\n--not the boundary\r\n--\r\n"
                                 "--simple boundar\r\n-- simple boundary\r\n\r\n\x00\xff\xd9";

static size_t build(char *out, const char *boundary)
{
    size_t n = 0;
    n += (size_t)sprintf(out + n,
                         "This is the preamble.  It is to be ignored.\r\n"
                         "--%s\r\n"
                         "Content-Disposition: form-data; name=\"nombre\"\r\n"
                         "\r\n"
                         "Álvaro Obregón\r\n"
                         "--%s  \r\n"
                         "content-disposition: form-data; name=curp\r\n"
                         "Content-Type: text/plain; charset=UTF-8\r\n"
                         "\r\n"
                         "\r\n"
                         "--%s\r\n"
                         "Content-Disposition: form-data; name=\"foto\"; "
                         "filename=\"C:\\Users\\ana\\mi foto.jpg\"\r\n"
                         "Content-Type: image/jpeg\r\n"
                         "\r\n",
                         boundary, boundary, boundary);
    memcpy(out + n, photo_data, sizeof photo_data - 1);
    n += sizeof photo_data - 1;
    n += (size_t)sprintf(out + n, "\r\n--%s--\r\nThis is the epilogue.\r\n--%s\r\njunk", boundary,
                         boundary);
    return n;
}

static void test_multipart_ok(void **state)
{
    (void)state;
    char b[FORM_BOUNDARY_MAX + 1];
    assert_int_equal(
        form_boundary("multipart/form-data; boundary=\"simple boundary\"", b, sizeof b), 0);
    char body[2048];
    size_t n = build(body, b);
    struct form f;
    form_init(&f, &decl);
    enum form_status st = form_parse_multipart(body, n, b, NULL, &f, err, sizeof err);
    if (st != FORM_OK)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(st, FORM_OK);
    assert_string_equal(err, "");
    assert_int_equal(f.count, 3);
    assert_string_equal(form_get(&f, "nombre", NULL), "Álvaro Obregón");
    size_t len = 99;
    assert_string_equal(form_get(&f, "curp", &len), "");
    assert_int_equal(len, 0);
    assert_null(form_get(&f, "foto", NULL)); /* a file is not text */
    const struct form_entry *e = form_file(&f, "foto");
    assert_non_null(e);
    assert_true(e->is_file);
    assert_int_equal(e->len, sizeof photo_data - 1);
    assert_memory_equal(e->data, photo_data, sizeof photo_data - 1);
    assert_true(e->data > body && e->data + e->len <= body + n); /* not a copy */
    assert_string_equal(e->filename, "mi foto.jpg");
    assert_string_equal(e->content_type, "image/jpeg");
    assert_int_equal(form_count(&f, "foto"), 1);

    /* The same body without preamble (boundary first) and unquoted boundary. */
    n = build(body, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
    const char *start = strstr(body, "------WebKit");
    assert_int_equal(form_parse_multipart(start, n - (size_t)(start - body),
                                          "----WebKitFormBoundary7MA4YWxkTrZu0gW", NULL, &f, err,
                                          sizeof err),
                     FORM_OK);
    assert_int_equal(f.count, 3);
    assert_int_equal(form_file(&f, "foto")->len, sizeof photo_data - 1);
    form_release(&f);
}

static enum form_status mp_lim(struct form *f, const char *body, const struct form_limits *lim)
{
    return form_parse_multipart(body, strlen(body), "XyZ", lim, f, err, sizeof err);
}

static enum form_status mp(struct form *f, const char *body)
{
    return mp_lim(f, body, NULL);
}

static void mp_refused(const char *body, enum form_status st, const char *msg)
{
    struct form f;
    form_init(&f, &decl);
    enum form_status got = mp(&f, body);
    if (got != st || strcmp(err, msg) != 0)
        fprintf(stderr, "body %s: got %s '%s'\n", body, form_status_code(got), err);
    assert_int_equal(got, st);
    assert_string_equal(err, msg);
    assert_int_equal(f.count, 0);
    form_release(&f);
}

#define CD "Content-Disposition: form-data; "

static void test_multipart_shapes(void **state)
{
    (void)state;
    struct form f;
    form_init(&f, &decl);
    /* No parts at all (a form whose only checkbox is unchecked). */
    assert_int_equal(mp(&f, "--XyZ--\r\n"), FORM_OK);
    assert_int_equal(f.count, 0);
    assert_int_equal(mp(&f, "--XyZ--"), FORM_OK);
    /* A file input left empty; a file part without filename; lists; ignored headers. */
    assert_int_equal(mp(&f, "--XyZ\r\n" CD "name=\"ine\"; filename=\"\"\r\n"
                            "Content-Type: application/octet-stream\r\n\r\n"
                            "\r\n--XyZ\r\n" CD "name=\"foto\"\r\n"
                            "X-Whatever: 1\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                            "abc\r\n--XyZ\r\n" CD "name=servicio\r\n\r\nuno"
                            "\r\n--XyZ\r\n" CD "name=servicio\r\n\r\ndos\r\n\r\n--XyZ--"),
                     FORM_OK);
    assert_int_equal(f.count, 4);
    const struct form_entry *e = form_file(&f, "ine");
    assert_non_null(e);
    assert_int_equal(e->len, 0);
    assert_string_equal(e->filename, "");
    e = form_file(&f, "foto");
    assert_int_equal(e->len, 3);
    assert_memory_equal(e->data, "abc", 3);
    assert_string_equal(e->filename, "");
    assert_string_equal(e->content_type, "application/octet-stream");
    assert_string_equal(form_get_nth(&f, "servicio", 0, NULL), "uno");
    assert_string_equal(form_get_nth(&f, "servicio", 1, NULL), "dos\r\n");

    /* File names are cleaned for display. */
    struct {
        const char *sent, *shown;
    } names[] = {
        {"../../etc/passwd", "passwd"},
        {"a\tb.jpg", "ab.jpg"},
        {"\xe2\x80\xaegpj.exe", "gpj.exe"},
        {"fo\xffto\xc3.jpg", "foto.jpg"},
        {"dir/sub\\", ""},
        {"a\xe2\x80\xa8"
         "b\xc2\x9b.pdf",
         "ab.pdf"},
        {"Identificación oficial.png", "Identificación oficial.png"},
    };
    char body[1024];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(body, sizeof body,
                 "--XyZ\r\n" CD "name=\"foto\"; filename=\"%s\"\r\n\r\nx\r\n--XyZ--",
                 names[i].sent);
        assert_int_equal(mp(&f, body), FORM_OK);
        assert_string_equal(form_file(&f, "foto")->filename, names[i].shown);
    }
    /* Long names are cut to 255 bytes on a character boundary. */
    int o = snprintf(body, sizeof body, "--XyZ\r\n" CD "name=\"foto\"; filename=\"");
    for (int i = 0; i < 200; i++)
        o += snprintf(body + o, sizeof body - (size_t)o, "é");
    snprintf(body + o, sizeof body - (size_t)o, "\"\r\n\r\nx\r\n--XyZ--");
    assert_int_equal(mp(&f, body), FORM_OK);
    assert_int_equal(strlen(form_file(&f, "foto")->filename), 254);

    /* A data that holds the delimiter without its CR LF is data. */
    assert_int_equal(mp(&f, "--XyZ\r\n" CD "name=nombre\r\n\r\n--XyZ\n--XyZ--\r\n--XyZ--"),
                     FORM_OK);
    assert_string_equal(form_get(&f, "nombre", NULL), "--XyZ\n--XyZ--");
    form_release(&f);
}

static void test_multipart_refusals(void **state)
{
    (void)state;
    mp_refused("--XyZ\r\n" CD "name=nombre\r\n\r\nAna", FORM_ERR_MALFORMED,
               "multipart: missing closing boundary");
    mp_refused("--XyZ\r\n" CD "name=nombre\r\n\r\nAna\r\n--XyZ", FORM_ERR_MALFORMED,
               "multipart: missing closing boundary");
    mp_refused("--XyZ\r\n" CD "name=nombre\r\n\r\nAna\r\n--XyZ\r\n", FORM_ERR_MALFORMED,
               "multipart: missing closing boundary");
    mp_refused("--XyZ\r\n" CD "name=nombre\r", FORM_ERR_MALFORMED,
               "multipart: missing closing boundary");
    mp_refused("--XyZ", FORM_ERR_MALFORMED, "multipart: missing closing boundary");
    mp_refused("", FORM_ERR_MALFORMED, "multipart: no opening boundary");
    mp_refused("preamble --XyZ\r\n", FORM_ERR_MALFORMED, "multipart: no opening boundary");
    mp_refused("--XyZ-\r\n", FORM_ERR_MALFORMED, "part 1: junk after boundary");
    mp_refused("--XyZW\r\n" CD "name=nombre\r\n\r\nAna\r\n--XyZ--", FORM_ERR_MALFORMED,
               "part 1: junk after boundary");
    mp_refused("--XyZ\r\n" CD "name=nombre\r\n\r\nAna\r\n--XyZ2--", FORM_ERR_MALFORMED,
               "part 2: junk after boundary");
    mp_refused("--XyZ\n" CD "name=nombre\n\nAna\n--XyZ--\n", FORM_ERR_MALFORMED,
               "part 1: boundary line ends in bare LF (CRLF required)");
    mp_refused("--XyZ\r\n" CD "name=nombre\n\r\nAna\r\n--XyZ--", FORM_ERR_MALFORMED,
               "part 1: header line ends in bare LF (CRLF required)");
    mp_refused("--XyZ\r\nContent-Disposition: form-data;\r\n name=nombre\r\n\r\nAna\r\n--XyZ--",
               FORM_ERR_MALFORMED, "part 1: header folding");
    mp_refused("--XyZ\r\nContent-Disposition form-data\r\n\r\nAna\r\n--XyZ--", FORM_ERR_MALFORMED,
               "part 1: bad header line");
    mp_refused("--XyZ\r\nContent-Disposition: form-data; name\r\n\r\nAna\r\n--XyZ--",
               FORM_ERR_MALFORMED, "part 1: bad content-disposition");
    mp_refused("--XyZ\r\nContent-Disposition: attachment; name=nombre\r\n\r\nAna\r\n--XyZ--",
               FORM_ERR_MALFORMED, "part 1: content-disposition is not form-data");
    mp_refused("--XyZ\r\n" CD "name=nombre; name=curp\r\n\r\nAna\r\n--XyZ--", FORM_ERR_MALFORMED,
               "part 1: two name parameters");
    mp_refused("--XyZ\r\n" CD "name=nombre\r\n" CD "name=curp\r\n\r\nAna\r\n--XyZ--",
               FORM_ERR_MALFORMED, "part 1: two content-disposition headers");
    mp_refused("--XyZ\r\n" CD "name=nombre\r\nContent-Transfer-Encoding: base64\r\n\r\n"
               "QW5h\r\n--XyZ--",
               FORM_ERR_REFUSED, "part 1: content-transfer-encoding not supported");
    mp_refused("--XyZ\r\n" CD "filename=\"a.jpg\"\r\n\r\nAna\r\n--XyZ--", FORM_ERR_REFUSED,
               "part 1: missing name");
    mp_refused("--XyZ\r\n" CD "name=\"\"\r\n\r\nAna\r\n--XyZ--", FORM_ERR_REFUSED,
               "part 1: missing name");
    mp_refused("--XyZ\r\nContent-Type: text/plain\r\n\r\nAna\r\n--XyZ--", FORM_ERR_REFUSED,
               "part 1: missing content-disposition");
    mp_refused("--XyZ\r\n" CD "name=nombre\r\n\r\nAna\r\n--XyZ\r\n" CD "name=\"ev\"il\"\r\n"
               "\r\nx\r\n--XyZ--",
               FORM_ERR_MALFORMED, "part 2: bad content-disposition");
    mp_refused("--XyZ\r\n" CD "name=nombre\r\n\r\nAna\r\n--XyZ\r\n" CD "name=\"evil\"\r\n"
               "\r\nx\r\n--XyZ--",
               FORM_ERR_REFUSED, "part 2: undeclared name 'evil'");
    mp_refused("--XyZ\r\n" CD "name=\"nombre\"\r\n\r\nAna\r\n--XyZ\r\n" CD "name=\"nombre\"\r\n"
               "\r\nx\r\n--XyZ--",
               FORM_ERR_REFUSED, "part 2 'nombre': duplicate field");
    mp_refused("--XyZ\r\n" CD "name=foto; filename=a\r\n\r\nA\r\n--XyZ\r\n" CD "name=foto; "
               "filename=b\r\n\r\nB\r\n--XyZ--",
               FORM_ERR_REFUSED, "part 2 'foto': duplicate field");
    mp_refused("--XyZ\r\n" CD "name=\"nombre\"; filename=\"a.txt\"\r\n\r\nAna\r\n--XyZ--",
               FORM_ERR_REFUSED, "part 1 'nombre': file sent for a text field");
    mp_refused("--XyZ\r\n" CD "name=\"nombre\"\r\n\r\nA\0na\r\n--XyZ--", FORM_ERR_MALFORMED,
               "multipart: missing closing boundary"); /* strlen stops at the NUL */
    mp_refused("--XyZ\r\n" CD "name=\"nombre\"\r\n\r\n\xc1\x81lvaro\r\n--XyZ--", FORM_ERR_REFUSED,
               "part 1 'nombre': invalid utf-8 in value");
    mp_refused("--XyZ\r\n" CD "name=\"nombre\"\r\n\r\nA\x1b[2J\r\n--XyZ--", FORM_ERR_REFUSED,
               "part 1 'nombre': control character in value");
    mp_refused("--XyZ\r\n" CD "name=\"nombre\"\x01\r\n\r\nAna\r\n--XyZ--", FORM_ERR_REFUSED,
               "part 1: control character in header");
    mp_refused("--XyZ\r\n" CD "name=foto; filename=a\r\nContent-Type: image/jp\xc3\xa9g\r\n\r\n"
               "A\r\n--XyZ--",
               FORM_ERR_REFUSED, "part 1 'foto': content-type is not printable ascii");

    /* An embedded NUL inside a text part, with the real length. */
    static const char nul[] = "--XyZ\r\n" CD "name=\"nombre\"\r\n\r\nA\0na\r\n--XyZ--";
    struct form f;
    form_init(&f, &decl);
    assert_int_equal(form_parse_multipart(nul, sizeof nul - 1, "XyZ", NULL, &f, err, sizeof err),
                     FORM_ERR_REFUSED);
    assert_string_equal(err, "part 1 'nombre': NUL in value");
    assert_int_equal(form_parse_multipart(nul, sizeof nul - 1, "", NULL, &f, err, sizeof err),
                     FORM_ERR_MALFORMED);
    assert_string_equal(err, "multipart: invalid boundary");
    assert_int_equal(form_parse_multipart(nul, sizeof nul - 1, "a@b", NULL, &f, err, sizeof err),
                     FORM_ERR_MALFORMED);
    assert_int_equal(form_parse_multipart(nul, sizeof nul - 1, NULL, NULL, &f, err, sizeof err),
                     FORM_ERR_MALFORMED);
    form_release(&f);
}

static void test_multipart_limits(void **state)
{
    (void)state;
    struct form f;
    form_init(&f, &decl);
    char body[8192];

    /* "ine" is declared with 16 bytes: 16 pass, 17 do not. */
    assert_int_equal(mp(&f, "--XyZ\r\n" CD "name=ine; filename=x.png\r\n\r\n0123456789abcdef"
                            "\r\n--XyZ--"),
                     FORM_OK);
    assert_int_equal(form_file(&f, "ine")->len, 16);
    mp_refused("--XyZ\r\n" CD "name=ine; filename=x.png\r\n\r\n0123456789abcdefg\r\n--XyZ--",
               FORM_ERR_TOO_LARGE, "part 1 'ine': file larger than 16 bytes");
    mp_refused("--XyZ\r\n" CD "name=ine; filename=x.png\r\n\r\n0123456789abcdefghijklmnopqrstu"
               "vwxyz",
               FORM_ERR_TOO_LARGE, "part 1 'ine': file larger than 16 bytes");

    /* The default 10 MB of an undeclared size. */
    size_t big = FORM_MAX_FILE + 1;
    char *huge = malloc(big + 200);
    assert_non_null(huge);
    int h = sprintf(huge, "--XyZ\r\n" CD "name=foto; filename=x.jpg\r\n\r\n");
    memset(huge + h, 'x', big);
    strcpy(huge + h + big, "\r\n--XyZ--");
    assert_int_equal(form_parse_multipart(huge, strlen(huge), "XyZ", NULL, &f, err, sizeof err),
                     FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "part 1 'foto': file larger than 10485760 bytes");
    strcpy(huge + h + big - 1, "\r\n--XyZ--");
    assert_int_equal(form_parse_multipart(huge, strlen(huge), "XyZ", NULL, &f, err, sizeof err),
                     FORM_OK);
    assert_int_equal(form_file(&f, "foto")->len, FORM_MAX_FILE);
    free(huge);

    /* Part header lines: 1024 bytes pass, 1025 do not. */
    int o = sprintf(body, "--XyZ\r\n" CD "name=nombre; x=\"");
    memset(body + o, 'a', 1024 - (size_t)o + 7 - 1);
    o = 1024 + 7 - 1;
    strcpy(body + o, "\"\r\n\r\nAna\r\n--XyZ--");
    assert_int_equal(mp(&f, body), FORM_OK);
    memmove(body + o + 1, body + o, strlen(body + o) + 1);
    body[o] = 'a';
    mp_refused(body, FORM_ERR_TOO_LARGE, "part 1: header line longer than 1024 bytes");

    /* Header count. */
    strcpy(body, "--XyZ\r\n" CD "name=nombre\r\n");
    for (int i = 0; i < 7; i++)
        strcat(body, "X-A: b\r\n");
    strcat(body, "\r\nAna\r\n--XyZ--");
    assert_int_equal(mp(&f, body), FORM_OK);
    strcpy(strstr(body, "\r\n\r\nAna"), "\r\nX-A: b\r\n\r\nAna\r\n--XyZ--");
    mp_refused(body, FORM_ERR_TOO_LARGE, "part 1: more than 8 headers");

    /* Parts, text values, total text, names, body size. */
    body[0] = '\0';
    for (int i = 0; i < 64; i++)
        strcat(body, "--XyZ\r\n" CD "name=servicio\r\n\r\nx\r\n");
    strcat(body, "--XyZ--");
    assert_int_equal(mp(&f, body), FORM_OK);
    assert_int_equal(form_count(&f, "servicio"), 64);
    static const char one[] = "--XyZ\r\n" CD "name=servicio\r\n\r\nx\r\n";
    memmove(body + sizeof one - 1, body, strlen(body) + 1);
    memcpy(body, one, sizeof one - 1);
    mp_refused(body, FORM_ERR_TOO_LARGE, "multipart: more than 64 parts");

    struct form_limits lim = FORM_LIMITS_INIT;
    lim.max_value = 3;
    assert_int_equal(mp_lim(&f, "--XyZ\r\n" CD "name=curp\r\n\r\nabc\r\n--XyZ--", &lim), FORM_OK);
    assert_int_equal(mp_lim(&f, "--XyZ\r\n" CD "name=curp\r\n\r\nabcd\r\n--XyZ--", &lim),
                     FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "part 1 'curp': value longer than 3 bytes");
    lim = (struct form_limits)FORM_LIMITS_INIT;
    lim.max_text = 5;
    assert_int_equal(mp_lim(&f,
                            "--XyZ\r\n" CD "name=curp\r\n\r\nabc\r\n--XyZ\r\n" CD
                            "name=nombre\r\n\r\nabc\r\n--XyZ--",
                            &lim),
                     FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "form: text longer than 5 bytes in all");
    lim = (struct form_limits)FORM_LIMITS_INIT;
    lim.max_name = 3;
    assert_int_equal(mp_lim(&f, "--XyZ\r\n" CD "name=curp\r\n\r\nabc\r\n--XyZ--", &lim),
                     FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "part 1: name longer than 3 bytes");
    lim = (struct form_limits)FORM_LIMITS_INIT;
    lim.max_body = 10; /* plus 16 for ine and 10 MB for foto */
    struct form_file_decl one_file[] = {{"ine", 16}, {NULL, 0}};
    struct form_decl small = {fields, NULL, one_file};
    struct form g;
    form_init(&g, &small);
    assert_int_equal(mp_lim(&g, "--XyZ\r\n" CD "name=ine\r\n\r\nx\r\n--XyZ--", &lim),
                     FORM_ERR_TOO_LARGE);
    assert_string_equal(err, "multipart: body longer than 26 bytes");
    static const char fits[] = "--XyZ\r\n" CD "name=ine\r\n\r\nx\r\n--XyZ--";
    lim.max_body = sizeof fits - 1 - 16;
    assert_int_equal(mp_lim(&g, fits, &lim), FORM_OK);
    lim.max_body--;
    assert_int_equal(mp_lim(&g, fits, &lim), FORM_ERR_TOO_LARGE);
    form_release(&g);
    form_release(&f);
}

static void test_status_codes(void **state)
{
    (void)state;
    assert_string_equal(form_status_code(FORM_OK), "ok");
    assert_string_equal(form_status_code(FORM_ERR_MALFORMED), "malformed");
    assert_string_equal(form_status_code(FORM_ERR_TOO_LARGE), "too_large");
    assert_string_equal(form_status_code(FORM_ERR_REFUSED), "refused");
    /* A NULL or zero-sized err is fine. */
    struct form f;
    form_init(&f, &decl);
    assert_int_equal(form_parse_urlencoded("x=1", 3, NULL, &f, NULL, 0), FORM_ERR_REFUSED);
    assert_int_equal(form_parse_multipart("x", 1, "b", NULL, &f, err, 0), FORM_ERR_MALFORMED);
    form_release(&f);
    /* A form with no declaration refuses every field. */
    form_init(&f, NULL);
    assert_int_equal(url(&f, "curp=1"), FORM_ERR_REFUSED);
    assert_int_equal(url(&f, ""), FORM_OK);
    form_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urlencoded_ok),       cmocka_unit_test(test_urlencoded_shapes),
        cmocka_unit_test(test_urlencoded_refusals), cmocka_unit_test(test_urlencoded_limits),
        cmocka_unit_test(test_media_and_boundary),  cmocka_unit_test(test_multipart_ok),
        cmocka_unit_test(test_multipart_shapes),    cmocka_unit_test(test_multipart_refusals),
        cmocka_unit_test(test_multipart_limits),    cmocka_unit_test(test_status_codes),
    };
    return cmocka_run_group_tests_name("web/form", tests, NULL, NULL);
}
