/* Unit tests for src/web/template.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "web/template.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Helpers ---- */

static struct template *compile(const char *src)
{
    struct template *t = NULL;
    char err[TEMPLATE_ERROR_SIZE];
    if (template_compile(src, strlen(src), &t, err, sizeof err) != 0)
        fail_msg("compile \"%s\": %s", src, err);
    return t;
}

/* The compile error for src (which must fail). */
static void assert_compile_error(const char *src, size_t len, const char *expected)
{
    struct template *t = (struct template *)1;
    char err[TEMPLATE_ERROR_SIZE];
    assert_int_equal(template_compile(src, len, &t, err, sizeof err), -1);
    assert_null(t);
    assert_string_equal(err, expected);
}

#define COMPILE_ERROR(lit, expected) assert_compile_error(lit, sizeof lit - 1, expected)

static json_t *data(const char *json)
{
    json_error_t e;
    json_t *v = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!v)
        fail_msg("bad test json %s: %s", json, e.text);
    return v;
}

/* Renders src against the JSON text json (NULL: no data) and compares. */
static void assert_render_set(const char *src, const char *json, const struct template_set *set,
                              const char *expected)
{
    struct template *t = compile(src);
    json_t *d = json ? data(json) : NULL;
    struct textbuf out;
    textbuf_init(&out, 1 << 20);
    int rc = template_render(t, d, set, &out);
    if (rc != 0)
        fail_msg("render \"%s\": %s", src, textbuf_error(&out));
    assert_string_equal(textbuf_str(&out), expected);
    textbuf_release(&out);
    json_decref(d);
    template_free(t);
}

static void assert_render(const char *src, const char *json, const char *expected)
{
    assert_render_set(src, json, NULL, expected);
}

/* Renders src (which must fail) and compares the error. */
static void assert_render_error(const char *src, const char *json, const struct template_set *set,
                                const char *expected)
{
    struct template *t = compile(src);
    json_t *d = json ? data(json) : NULL;
    struct textbuf out;
    textbuf_init(&out, 1 << 20);
    assert_int_equal(template_render(t, d, set, &out), -1);
    assert_string_equal(textbuf_error(&out), expected);
    textbuf_release(&out);
    json_decref(d);
    template_free(t);
}

/* ---- Values and escaping ---- */

static void test_text_only(void **state)
{
    (void)state;
    assert_render("", "{}", "");
    assert_render("<p>Hola</p>\n", "{}", "<p>Hola</p>\n");
    assert_render("a } b }} c { d", "{}", "a } b }} c { d");
    assert_render("{{!comment}}", NULL, "");
}

static void test_variables_are_escaped(void **state)
{
    (void)state;
    assert_render("<p>{{name}}</p>", "{\"name\": \"María\"}", "<p>María</p>");
    /* every special character, each on its own and all together */
    assert_render("{{v}}", "{\"v\": \"&\"}", "&amp;");
    assert_render("{{v}}", "{\"v\": \"<\"}", "&lt;");
    assert_render("{{v}}", "{\"v\": \">\"}", "&gt;");
    assert_render("{{v}}", "{\"v\": \"\\\"\"}", "&quot;");
    assert_render("{{v}}", "{\"v\": \"'\"}", "&#39;");
    assert_render("{{v}}", "{\"v\": \"`\"}", "&#96;");
    assert_render("{{v}}", "{\"v\": \"=\"}", "&#61;");
    assert_render("{{v}}", "{\"v\": \"a\\u0000b\"}", "a&#xFFFD;b");
    assert_render("<input value={{v}}>", "{\"v\": \"x onfocus=alert(1)\"}",
                  "<input value=x onfocus&#61;alert(1)>");
    assert_render("{{ v }}", "{\"v\": \"<script>&\\\"'`=</script>\"}",
                  "&lt;script&gt;&amp;&quot;&#39;&#96;&#61;&lt;/script&gt;");
}

static void test_raw(void **state)
{
    (void)state;
    const char *json = "{\"html\": \"<b>bold</b> & 'q'\"}";
    assert_render("{{{html}}}", json, "<b>bold</b> & 'q'");
    assert_render("{{& html}}", json, "<b>bold</b> & 'q'");
    assert_render("{{&html}}", json, "<b>bold</b> & 'q'");
    assert_render("{{{ html }}}", json, "<b>bold</b> & 'q'");
    assert_render("{{html}}", json, "&lt;b&gt;bold&lt;/b&gt; &amp; &#39;q&#39;");
    assert_render("{{{n}}}|{{&b}}|{{{missing}}}", "{\"n\": 5, \"b\": true}", "5||");
}

static void test_numbers(void **state)
{
    (void)state;
    assert_render("{{n}}", "{\"n\": 42}", "42");
    assert_render("{{n}}", "{\"n\": -7}", "-7");
    assert_render("{{n}}", "{\"n\": 0}", "0");
    assert_render("{{n}}", "{\"n\": 9223372036854775807}", "9223372036854775807");
    assert_render("{{n}}", "{\"n\": 3.0}", "3");
    assert_render("{{n}}", "{\"n\": -0.0}", "0");
    assert_render("{{n}}", "{\"n\": 2.5}", "2.5");
    assert_render("{{n}}", "{\"n\": 0.1}", "0.1");
    assert_render("{{n}}", "{\"n\": 3.14159265}", "3.14159");
    assert_render("{{n}}", "{\"n\": 123456789012345.0}", "123456789012345");
    assert_render("{{n}}", "{\"n\": 1e15}", "1e+15");
    assert_render("{{n}}", "{\"n\": -2.5e-7}", "-2.5e-07");
}

static void test_non_text_values_render_nothing(void **state)
{
    (void)state;
    assert_render("[{{t}}|{{f}}|{{z}}|{{o}}|{{a}}|{{missing}}]",
                  "{\"t\": true, \"f\": false, \"z\": null, \"o\": {\"x\": 1}, \"a\": [1, 2]}",
                  "[|||||]");
    assert_render("[{{x}}]", NULL, "[]"); /* no data at all */
    assert_render("[{{x}}]", "[1, 2]", "[]");
    assert_render("[{{.}}]", "\"top\"", "[top]");
}

static void test_dotted_names(void **state)
{
    (void)state;
    const char *json = "{\"person\": {\"name\": {\"given\": \"Ana\"}, \"age\": 30}, \"age\": 99}";
    assert_render("{{person.name.given}} {{person.age}}", json, "Ana 30");
    assert_render("[{{person.missing}}][{{person.name.given.x}}][{{nobody.name}}]", json, "[][][]");
    /* Only the first part is searched outward: person.name has no age, and the
     * outer age is not used for it. */
    assert_render("{{#person}}[{{name.age}}][{{age}}]{{/person}}", json, "[][30]");
    assert_render("{{#person.name}}{{given}} {{age}}{{/person.name}}", json, "Ana 99");
}

static void test_data_is_never_a_template(void **state)
{
    (void)state;
    const char *json = "{\"x\": \"{{y}}\", \"y\": \"boom\", \"p\": \"{{> part}}{{#y}}\"}";
    assert_render("{{x}}|{{{x}}}|{{p}}|{{{p}}}", json,
                  "{{y}}|{{y}}|{{&gt; part}}{{#y}}|{{> part}}{{#y}}");
}

static void test_malformed_utf8_in_data(void **state)
{
    (void)state;
    /* Escaped values become valid UTF-8 (U+FFFD for each bad subpart); raw values
     * are trusted and pass as they are. An overlong '<' never becomes '<'. */
    struct template *t = compile("{{v}}|{{{v}}}");
    json_t *d = json_object();
    json_object_set_new(d, "v",
                        json_stringn_nocheck("a\xC0\xBC\xFF"
                                             "b\xC3",
                                             6));
    struct textbuf out;
    textbuf_init(&out, 1024);
    assert_int_equal(template_render(t, d, NULL, &out), 0);
    assert_string_equal(textbuf_str(&out), "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                           "b\xEF\xBF\xBD|a\xC0\xBC\xFF"
                                           "b\xC3");
    textbuf_release(&out);
    json_decref(d);
    template_free(t);
}

/* ---- Sections ---- */

static void test_sections_falsy_skip(void **state)
{
    (void)state;
    const char *json = "{\"f\": false, \"z\": null, \"e\": [], \"s\": \"\", \"n\": 0, \"r\": 0.0}";
    assert_render("[{{#f}}x{{/f}}{{#z}}x{{/z}}{{#e}}x{{/e}}{{#missing}}x{{/missing}}]", json, "[]");
    assert_render("[{{#s}}x{{/s}}{{#n}}x{{/n}}{{#r}}x{{/r}}]", json, "[]");
}

static void test_sections_truthy(void **state)
{
    (void)state;
    const char *json = "{\"t\": true, \"name\": \"Ana\", \"o\": {}, \"s\": \"hi\", \"n\": 7, "
                       "\"r\": 0.5}";
    assert_render("[{{#t}}{{name}}{{/t}}]", json, "[Ana]");
    assert_render("[{{#o}}{{name}}{{/o}}]", json, "[Ana]"); /* an empty object still shows */
    assert_render("[{{#s}}{{.}}!{{/s}}][{{#n}}{{.}}{{/n}}][{{#r}}{{.}}{{/r}}]", json,
                  "[hi!][7][0.5]");
}

static void test_sections_arrays(void **state)
{
    (void)state;
    assert_render("<ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>", "{\"items\": [\"a\", \"<b>\", 3]}",
                  "<ul><li>a</li><li>&lt;b&gt;</li><li>3</li></ul>");
    assert_render("{{#people}}{{name}} ({{age}}); {{/people}}",
                  "{\"people\": [{\"name\": \"Ana\", \"age\": 30}, {\"name\": \"Luis\"}]}",
                  "Ana (30); Luis (); ");
    /* arrays of arrays, and a section over the current item */
    assert_render("{{#rows}}[{{#.}}{{.}},{{/.}}]{{/rows}}", "{\"rows\": [[1, 2], [], [3]]}",
                  "[1,2,][][3,]");
    /* items that are false or null still take a pass (the array is not empty) */
    assert_render("{{#a}}<{{.}}>{{/a}}", "{\"a\": [false, null, \"\"]}", "<><><>");
}

static void test_sections_objects(void **state)
{
    (void)state;
    assert_render("{{#clinic}}{{name}}, {{city}}{{/clinic}}",
                  "{\"clinic\": {\"name\": \"Centro de Salud\", \"city\": \"Oaxaca\"}}",
                  "Centro de Salud, Oaxaca");
    assert_render("{{# clinic }}{{ name }}{{/ clinic }}", "{\"clinic\": {\"name\": \"x\"}}", "x");
}

static void test_inverted(void **state)
{
    (void)state;
    const char *json = "{\"f\": false, \"z\": null, \"e\": [], \"s\": \"\", \"n\": 0, \"t\": true, "
                       "\"a\": [1], \"o\": {}, \"name\": \"Ana\"}";
    assert_render("{{^f}}f{{/f}}{{^z}}z{{/z}}{{^e}}e{{/e}}{{^s}}s{{/s}}{{^n}}n{{/n}}"
                  "{{^missing}}m{{/missing}}",
                  json, "fzesnm");
    assert_render("[{{^t}}t{{/t}}{{^a}}a{{/a}}{{^o}}o{{/o}}{{^name}}x{{/name}}]", json, "[]");
    /* an inverted section pushes nothing: names resolve as outside it */
    assert_render("{{^e}}{{name}}{{/e}}", json, "Ana");
    assert_render("{{#a}}yes{{/a}}{{^a}}no{{/a}}", "{\"a\": []}", "no");
}

static void test_nesting_and_context_lookup(void **state)
{
    (void)state;
    const char *json = "{\"lang\": \"es\", \"title\": \"Clínicas\", \"states\": ["
                       "{\"name\": \"Oaxaca\", \"units\": [{\"name\": \"CS 1\"}, {\"clues\": "
                       "\"OCSSA001\"}]},"
                       "{\"name\": \"Sonora\", \"units\": []}]}";
    /* inner names shadow outer ones; missing inner names fall back outward */
    assert_render("{{#states}}<h2 lang={{lang}}>{{name}}</h2>"
                  "{{#units}}<p>{{name}}|{{title}}|{{clues}}</p>{{/units}}"
                  "{{^units}}<p>-</p>{{/units}}{{/states}}",
                  json,
                  "<h2 lang=es>Oaxaca</h2><p>CS 1|Clínicas|</p><p>Oaxaca|Clínicas|OCSSA001</p>"
                  "<h2 lang=es>Sonora</h2><p>-</p>");
    /* the same section name nested: each lookup finds the innermost */
    assert_render("{{#a}}{{#a}}{{#a}}{{v}}{{/a}}{{/a}}{{/a}}",
                  "{\"a\": {\"a\": {\"a\": {\"v\": 3}, \"v\": 2}, \"v\": 1}}", "3");
}

static void test_comments(void **state)
{
    (void)state;
    assert_render("a{{! one }}b{{!\n two\n lines }}c{{!}}d", NULL, "abcd");
    assert_render("{{! {{name}} }}x", "{\"name\": \"n\"}", " }}x"); /* ends at the first }} */
}

/* Regression: text after a section close was merged into the text node at the
 * end of the section body, so it rendered once per item (or not at all). */
static void test_text_after_close_stays_outside_section(void **state)
{
    (void)state;
    assert_render("{{#a}}x{{/a}}y", "{\"a\": []}", "y");
    assert_render("{{#a}}x{{/a}}y", "{\"a\": [1, 2]}", "xxy");
    assert_render("{{^a}}x{{/a}}y", "{\"a\": true}", "y");
    assert_render("a{{!c}}b{{#f}}c{{/f}}d{{!e}}", "{\"f\": false}", "abd");
}

/* ---- Partials ---- */

static void test_partials(void **state)
{
    (void)state;
    struct template *header = compile("<h1>{{title}}</h1>");
    struct template *item = compile("<li>{{name}}{{#tag}} <em>{{.}}</em>{{/tag}}</li>");
    struct template_partial items[] = {{"header", header}, {"list/item", item}};
    struct template_set set = {items, 2};
    assert_render_set("{{> header}}<ul>{{#people}}{{>list/item}}{{/people}}</ul>",
                      "{\"title\": \"<Hola>\", \"people\": [{\"name\": \"Ana\", \"tag\": \"new\"}, "
                      "{\"name\": \"Luis\"}]}",
                      &set, "<h1>&lt;Hola&gt;</h1><ul><li>Ana <em>new</em></li><li>Luis</li></ul>");
    /* the same partial twice, side by side, is not a cycle */
    assert_render_set("{{>header}}{{>header}}", "{\"title\": \"t\"}", &set, "<h1>t</h1><h1>t</h1>");
    assert_render_error("a{{> footer}}b", NULL, &set, "template: partial not found: {{> footer}}");
    assert_render_error("a{{> header}}b", NULL, NULL, "template: partial not found: {{> header}}");
    template_free(header);
    template_free(item);
}

static void test_partial_cycles(void **state)
{
    (void)state;
    struct template *a = compile("a{{> b}}");
    struct template *b = compile("b{{#x}}{{> a}}{{/x}}");
    struct template *self = compile("s{{> self}}");
    struct template_partial items[] = {{"a", a}, {"b", b}, {"self", self}};
    struct template_set set = {items, 3};
    assert_render_error("{{> self}}", NULL, &set,
                        "template: partial cycle: {{> self}} is already being rendered");
    assert_render_error("{{> a}}", "{\"x\": true}", &set,
                        "template: partial cycle: {{> a}} is already being rendered");
    /* a cycle the data never reaches is no error */
    assert_render_set("{{> a}}", "{\"x\": false}", &set, "ab");
    /* the template being rendered is on the stack too: a pulls in b, which
     * pulls in a again; b pulls in a, which pulls in b again */
    struct textbuf out;
    textbuf_init(&out, 1024);
    json_t *x = data("{\"x\": 1}");
    assert_int_equal(template_render(a, x, &set, &out), -1);
    assert_string_equal(textbuf_error(&out),
                        "template: partial cycle: {{> a}} is already being rendered");
    assert_string_equal(textbuf_str(&out), "ab");
    textbuf_reset(&out);
    assert_int_equal(template_render(b, x, &set, &out), -1);
    assert_string_equal(textbuf_error(&out),
                        "template: partial cycle: {{> b}} is already being rendered");
    json_decref(x);
    textbuf_release(&out);
    template_free(a);
    template_free(b);
    template_free(self);
}

static void test_partial_depth(void **state)
{
    (void)state;
    /* p0 includes p1 ... includes p9: ten distinct partials, no cycle */
    struct template *p[10];
    struct template_partial items[10];
    char names[10][16];
    for (int i = 0; i < 10; i++) {
        char src[32];
        snprintf(names[i], sizeof names[i], "p%d", i);
        if (i < 9)
            snprintf(src, sizeof src, "%d{{> p%d}}", i, i + 1);
        else
            snprintf(src, sizeof src, "%d", i);
        p[i] = compile(src);
        items[i] = (struct template_partial){names[i], p[i]};
    }
    struct template_set set = {items, 10};
    assert_render_set("{{> p2}}", NULL, &set, "23456789"); /* 8 deep: allowed */
    assert_render_error("{{> p1}}", NULL, &set, "template: partials nested more than 8 deep");
    for (int i = 0; i < 10; i++)
        template_free(p[i]);
}

/* ---- Bounds ---- */

static void test_render_depth(void **state)
{
    (void)state;
    /* 32 nested sections in a template, plus 32 in a partial: 64 is the limit */
    char deep[400] = "";
    for (int i = 0; i < 32; i++)
        strcat(deep, "{{#t}}");
    strcat(deep, "{{> inner}}");
    for (int i = 0; i < 32; i++)
        strcat(deep, "{{/t}}");
    char inner[400] = "";
    for (int i = 0; i < 32; i++)
        strcat(inner, "{{#t}}");
    strcat(inner, "x{{> more}}");
    for (int i = 0; i < 32; i++)
        strcat(inner, "{{/t}}");
    struct template *in = compile(inner);
    struct template *empty = compile("");
    struct template *one = compile("{{#t}}y{{/t}}");
    struct template_partial items[] = {{"inner", in}, {"more", empty}};
    struct template_set set = {items, 2};
    assert_render_set(deep, "{\"t\": [1]}", &set, "x");
    items[1].tmpl = one; /* the 65th section */
    assert_render_error(deep, "{\"t\": [1]}", &set,
                        "template: more than 64 sections open while rendering");
    template_free(in);
    template_free(empty);
    template_free(one);
}

static void test_step_budget(void **state)
{
    (void)state;
    /* 100^4 passes over empty blocks would write nothing and run for long */
    json_t *d = json_object();
    json_t *a = json_array();
    for (int i = 0; i < 100; i++)
        json_array_append_new(a, json_integer(i));
    json_object_set_new(d, "a", a);
    struct template *t = compile("{{#a}}{{#a}}{{#a}}{{#a}}{{/a}}{{/a}}{{/a}}{{/a}}");
    struct textbuf out;
    textbuf_init(&out, 1024);
    assert_int_equal(template_render(t, d, NULL, &out), -1);
    assert_string_equal(textbuf_error(&out), "template: more than 1000000 steps in one render");
    textbuf_release(&out);
    template_free(t);
    json_decref(d);
}

static void test_output_cap(void **state)
{
    (void)state;
    struct template *t = compile("<ul>{{#a}}<li>{{.}}</li>{{/a}}</ul>");
    json_t *d = data("{\"a\": [\"uno\", \"dos\", \"tres\", \"<cuatro>\"]}");
    /* the full page is 69 bytes */
    struct textbuf out;
    textbuf_init(&out, 69);
    assert_int_equal(template_render(t, d, NULL, &out), 0);
    assert_int_equal(out.len, 69);
    textbuf_release(&out);
    textbuf_init(&out, 68); /* one byte short */
    assert_int_equal(template_render(t, d, NULL, &out), -1);
    textbuf_release(&out);

    textbuf_init(&out, 40);
    assert_int_equal(template_render(t, d, NULL, &out), -1);
    assert_string_equal(textbuf_error(&out), "textbuf: output would pass the cap of 40 bytes");
    assert_string_equal(textbuf_str(&out), "<ul><li>uno</li><li>dos</li><li>tres"); /* cut */
    /* sticky: a second render into the same builder refuses at once */
    size_t len = out.len;
    assert_int_equal(template_render(t, d, NULL, &out), -1);
    assert_int_equal(out.len, len);
    assert_null(textbuf_detach(&out, NULL));
    textbuf_release(&out);

    /* a render appends to what the builder already holds */
    textbuf_init(&out, 200);
    textbuf_append_str(&out, "<!doctype html>");
    assert_int_equal(template_render(t, d, NULL, &out), 0);
    assert_int_equal(strncmp(textbuf_str(&out), "<!doctype html><ul>", 19), 0);
    textbuf_release(&out);
    json_decref(d);
    template_free(t);
}

/* ---- Compile errors ---- */

static void test_compile_errors(void **state)
{
    (void)state;
    COMPILE_ERROR("<p>\n  {{name</p>", "2:3: unclosed tag: {{ without }}");
    COMPILE_ERROR("{{{raw}}", "1:1: unclosed tag: {{{ without }}}");
    COMPILE_ERROR("ab{{", "1:3: unclosed tag: {{ without }}");
    COMPILE_ERROR("{{#a}}\n{{#b}}x{{/a}}{{/b}}",
                  "2:8: mismatched section close: {{/a}} closes {{#b}} opened at 2:1");
    COMPILE_ERROR("x{{^list}}y{{/lists}}",
                  "1:12: mismatched section close: {{/lists}} closes {{^list}} opened at 1:2");
    COMPILE_ERROR("x\n\n{{/a}}", "3:1: unexpected section close: {{/a}} with no open section");
    COMPILE_ERROR("<ul>\n {{#items}}\n<li>{{.}}</li>\n",
                  "2:2: unclosed section: {{#items}} has no {{/items}}");
    COMPILE_ERROR("{{#a}}{{^b}}", "1:7: unclosed section: {{^b}} has no {{/b}}");
    COMPILE_ERROR("{{first name}}", "1:8: bad name character: a space in a name (letters, digits, "
                                    "_ - and . between parts only)");
    COMPILE_ERROR("{{ #a}}", "1:4: bad name character: '#' in a name (letters, digits, _ - and . "
                             "between parts only)");
    COMPILE_ERROR("ñandú {{año}}", "1:10: bad name character: 'ñ' in a name (letters, digits, _ "
                                   "- and . between parts only)");
    COMPILE_ERROR("{{a\tb}}", "1:4: bad name character: a line break or tab in a name (letters, "
                              "digits, _ - and . between parts only)");
    COMPILE_ERROR("{{a\x01}}", "1:4: bad name character: byte 0x01 in a name (letters, digits, _ "
                               "- and . between parts only)");
    COMPILE_ERROR("{{> a b}}", "1:6: bad name character: a space in a partial name (letters, "
                               "digits, _ - . / only)");
    COMPILE_ERROR("{{a..b}}", "1:5: bad name: empty part in a dotted name");
    COMPILE_ERROR("{{.a}}", "1:3: bad name: empty part in a dotted name");
    COMPILE_ERROR("{{a.}}", "1:4: bad name: empty part in a dotted name");
    COMPILE_ERROR("x {{}}", "1:3: empty name: a tag needs a name");
    COMPILE_ERROR("{{  }}", "1:1: empty name: a tag needs a name");
    COMPILE_ERROR("{{#}}{{/}}", "1:1: empty name: a tag needs a name");
    COMPILE_ERROR("{{{ }}}", "1:1: empty name: a tag needs a name");
    COMPILE_ERROR("{{=<% %>=}}",
                  "1:1: unsupported tag: set delimiters {{=...=}} are not available");
    COMPILE_ERROR("ok\0{{x}}", "1:3: nul byte: templates are text");
    COMPILE_ERROR("día\n\xC0\xBC", "2:1: invalid utf-8: byte 0xc0");
    COMPILE_ERROR("\xED\xA0\x80", "1:1: invalid utf-8: byte 0xed");
    COMPILE_ERROR("ab\xE2\x82", "1:3: invalid utf-8: byte 0xe2");
}

static void test_compile_nesting_limit(void **state)
{
    (void)state;
    char src[600] = "";
    for (int i = 0; i < 32; i++)
        strcat(src, "{{#a}}");
    for (int i = 0; i < 32; i++)
        strcat(src, "{{/a}}");
    template_free(compile(src)); /* 32 is fine */
    char deeper[600] = "";
    for (int i = 0; i < 33; i++)
        strcat(deeper, i % 2 ? "{{^a}}" : "{{#a}}");
    assert_compile_error(deeper, strlen(deeper),
                         "1:193: nesting too deep: more than 32 open sections");
}

static void test_compile_size_limit(void **state)
{
    (void)state;
    size_t n = TEMPLATE_MAX_SIZE + 1;
    char *big = malloc(n);
    memset(big, 'x', n);
    for (size_t i = 99; i < n; i += 100)
        big[i] = '\n';
    struct template *t;
    template_free(NULL);
    assert_int_equal(template_compile(big, n - 1, &t, NULL, 0), 0); /* exactly the limit */
    template_free(t);
    /* the error points at the first byte past the limit: 262144 = 2621 * 100 + 44 */
    assert_compile_error(big, n, "2622:45: template too large: more than 262144 bytes");
    free(big);
}

static void test_compile_error_buffer(void **state)
{
    (void)state;
    struct template *t;
    char tiny[8];
    assert_int_equal(template_compile("{{", 2, &t, tiny, sizeof tiny), -1);
    assert_string_equal(tiny, "1:1: un"); /* cut, still terminated */
    assert_int_equal(template_compile("{{", 2, &t, NULL, 0), -1);
    char ok[4] = "old";
    assert_int_equal(template_compile("fine", 4, &t, ok, sizeof ok), 0);
    assert_string_equal(ok, ""); /* cleared on success */
    template_free(t);
}

/* ---- Threads ---- */

struct job {
    const struct template *t;
    const json_t *d;
    const char *expected;
    int ok;
};

static void *render_many(void *arg)
{
    struct job *j = arg;
    j->ok = 1;
    struct textbuf out;
    textbuf_init(&out, 1 << 16);
    for (int i = 0; i < 2000 && j->ok; i++) {
        textbuf_reset(&out);
        j->ok = template_render(j->t, j->d, NULL, &out) == 0 &&
                strcmp(textbuf_str(&out), j->expected) == 0;
    }
    textbuf_release(&out);
    return NULL;
}

static void test_concurrent_renders(void **state)
{
    (void)state;
    struct template *t = compile("{{#rows}}<tr><td>{{n}}</td><td>{{s}}</td></tr>{{/rows}}");
    json_t *d = data("{\"rows\": [{\"n\": 1, \"s\": \"<a>\"}, {\"n\": 2, \"s\": \"b&\"}]}");
    const char *expected =
        "<tr><td>1</td><td>&lt;a&gt;</td></tr><tr><td>2</td><td>b&amp;</td></tr>";
    pthread_t th[4];
    struct job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct job){t, d, expected, 0};
        assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_true(jobs[i].ok);
    }
    json_decref(d);
    template_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_only),
        cmocka_unit_test(test_variables_are_escaped),
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_non_text_values_render_nothing),
        cmocka_unit_test(test_dotted_names),
        cmocka_unit_test(test_data_is_never_a_template),
        cmocka_unit_test(test_malformed_utf8_in_data),
        cmocka_unit_test(test_sections_falsy_skip),
        cmocka_unit_test(test_sections_truthy),
        cmocka_unit_test(test_sections_arrays),
        cmocka_unit_test(test_sections_objects),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_nesting_and_context_lookup),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_text_after_close_stays_outside_section),
        cmocka_unit_test(test_partials),
        cmocka_unit_test(test_partial_cycles),
        cmocka_unit_test(test_partial_depth),
        cmocka_unit_test(test_render_depth),
        cmocka_unit_test(test_step_budget),
        cmocka_unit_test(test_output_cap),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_compile_nesting_limit),
        cmocka_unit_test(test_compile_size_limit),
        cmocka_unit_test(test_compile_error_buffer),
        cmocka_unit_test(test_concurrent_renders),
    };
    return cmocka_run_group_tests_name("web/template", tests, NULL, NULL);
}
