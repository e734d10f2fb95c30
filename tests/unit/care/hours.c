/* Unit tests for src/care/hours.c, including every hours text of the national
 * CLUES catalog in ../shared/data when it is there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "care/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum care_hours_status parse(const char *text, struct care_hours *h, size_t *pos)
{
    return care_hours_parse(text, strlen(text), h, pos);
}

static void expect_shift(const struct care_hours *h, int wd, int k, int open, int close)
{
    assert_true(h->count[wd] > k);
    assert_int_equal(h->day[wd][k].open, open);
    assert_int_equal(h->day[wd][k].close, close);
}

static void test_catalog_forms(void **state)
{
    (void)state;
    struct care_hours h;
    size_t pos;
    assert_int_equal(parse("LMXJV 08:00-13:00; LMXJV 15:00-18:00", &h, &pos), CARE_HOURS_OK);
    for (int wd = 1; wd <= 5; wd++) {
        expect_shift(&h, wd, 0, 480, 780);
        expect_shift(&h, wd, 1, 900, 1080);
    }
    assert_int_equal(h.count[0], 0);
    assert_int_equal(h.count[6], 0);
    /* Shifts given out of order are kept in order of opening. */
    assert_int_equal(parse("S 15:00-18:00;S 08:00-13:00;", &h, &pos), CARE_HOURS_OK);
    expect_shift(&h, 6, 0, 480, 780);
    /* Midnight as the end, round the clock, and a night shift. */
    assert_int_equal(parse("DLMXJVS 09:00-00:00", &h, &pos), CARE_HOURS_OK);
    expect_shift(&h, 3, 0, 540, 1440);
    assert_int_equal(parse("D 00:00-00:00", &h, &pos), CARE_HOURS_OK);
    expect_shift(&h, 0, 0, 0, 1440);
    assert_int_equal(parse("LMXJV 19:30-08:00", &h, &pos), CARE_HOURS_OK);
    expect_shift(&h, 1, 0, 1170, 1440); /* Monday evening */
    expect_shift(&h, 2, 0, 0, 480);     /* into Tuesday morning */
    expect_shift(&h, 6, 0, 0, 480);     /* Friday's night ends on Saturday */
    assert_int_equal(h.count[1], 1);    /* nothing on Monday morning */
    assert_true(care_hours_open_at(&h, 2, 7 * 60));
    assert_false(care_hours_open_at(&h, 2, 12 * 60));
    assert_int_equal(parse("   ", &h, &pos), CARE_HOURS_EMPTY);
    assert_int_equal(parse("", &h, &pos), CARE_HOURS_EMPTY);
}

static void test_refusals(void **state)
{
    (void)state;
    struct care_hours h;
    size_t pos;
    assert_int_equal(parse("08:00-20:00", &h, &pos), CARE_HOURS_DAYS);
    assert_int_equal(pos, 1);
    assert_int_equal(parse("DLMXJVS -23:59", &h, &pos), CARE_HOURS_TIME);
    assert_int_equal(pos, 9);
    assert_int_equal(parse("DS 08:00-", &h, &pos), CARE_HOURS_TIME);
    assert_int_equal(pos, 10);
    assert_int_equal(parse("LL 08:00-09:00", &h, &pos), CARE_HOURS_DAYS);
    assert_int_equal(pos, 2);
    assert_int_equal(parse("LMQ 08:00-09:00", &h, &pos), CARE_HOURS_DAYS);
    assert_int_equal(parse("L 25:00-26:00", &h, &pos), CARE_HOURS_TIME);
    assert_int_equal(parse("L 08:60-09:00", &h, &pos), CARE_HOURS_TIME);
    assert_int_equal(parse("L 24:00-09:00", &h, &pos), CARE_HOURS_TIME);
    /* Overlapping and repeated shifts are joined, as the catalog needs. */
    assert_int_equal(parse("L 08:00-12:00; L 11:00-14:00; L 14:00-15:00; L 08:00-12:00", &h, &pos),
                     CARE_HOURS_OK);
    assert_int_equal(h.count[1], 1);
    expect_shift(&h, 1, 0, 480, 900);
    assert_int_equal(parse("L 08:00-12:00, M 08:00-12:00", &h, &pos), CARE_HOURS_SEPARATOR);
    assert_int_equal(pos, 14);
    assert_int_equal(
        parse("L 01:00-02:00;L 03:00-04:00;L 05:00-06:00;L 07:00-08:00;L 09:00-10:00", &h, &pos),
        CARE_HOURS_TOO_MANY);
    /* A refused text leaves no half-parsed hours behind. */
    assert_int_equal(h.count[1], 0);
    char big[CARE_HOURS_TEXT_MAX + 2];
    memset(big, 'L', sizeof big);
    assert_int_equal(care_hours_parse(big, sizeof big, &h, &pos), CARE_HOURS_TOO_LONG);
    assert_string_equal(care_hours_status_code(CARE_HOURS_TOO_MANY), "too_many");
    /* NUL and other bytes are only characters that are not day letters. */
    assert_int_equal(care_hours_parse("L\0 08:00-09:00", 14, &h, &pos), CARE_HOURS_DAYS);
}

static void test_format(void **state)
{
    (void)state;
    struct care_hours h, again;
    size_t pos;
    char buf[256];
    assert_int_equal(parse("lmxjv 15:00-18:00; LMXJV 08:00-13:00 ; S 09:00-12:00", &h, &pos),
                     CARE_HOURS_OK);
    assert_int_equal(care_hours_format(&h, buf, sizeof buf), 0);
    assert_string_equal(buf, "LMXJV 08:00-13:00; S 09:00-12:00; LMXJV 15:00-18:00");
    assert_int_equal(parse(buf, &again, &pos), CARE_HOURS_OK);
    assert_memory_equal(&h, &again, sizeof h);
    assert_int_equal(parse("V 22:00-06:00", &h, &pos), CARE_HOURS_OK);
    assert_int_equal(care_hours_format(&h, buf, sizeof buf), 0);
    assert_string_equal(buf, "S 00:00-06:00; V 22:00-24:00");
    assert_int_equal(care_hours_format(&h, buf, 10), -1);
    assert_int_equal(strlen(buf) < 10, 1);
}

static void test_slots_and_windows(void **state)
{
    (void)state;
    struct care_hours h;
    size_t pos;
    assert_int_equal(parse("LMXJV 08:00-13:00; LMXJV 15:00-17:50", &h, &pos), CARE_HOURS_OK);
    struct care_slot slots[64];
    /* 5 h of 30-min slots, then 2 h 50 min: 5 slots, the last 20 minutes too short. */
    size_t n = care_hours_slots(&h, 1, 30, slots, 64);
    assert_int_equal(n, 10 + 5);
    assert_int_equal(slots[0].start, 480);
    assert_int_equal(slots[9].end, 780);
    assert_int_equal(slots[10].start, 900);
    assert_int_equal(slots[14].end, 1050);
    assert_int_equal(care_hours_slots(&h, 0, 30, slots, 64), 0); /* Sunday: closed */
    assert_int_equal(care_hours_slots(&h, 1, 30, slots, 3), 15); /* counts past max */
    assert_int_equal(care_hours_slots(&h, 1, 4, slots, 64), 0);  /* too short a slot */
    assert_int_equal(care_hours_slots(&h, 7, 30, slots, 64), 0); /* no such weekday */
    /* Four people in a 30-minute slot arrive in four windows covering it. */
    struct care_slot s = {540, 570};
    int from, to, end = 540;
    for (int k = 0; k < 4; k++) {
        assert_int_equal(care_arrival_window(s, 4, k, &from, &to), 0);
        assert_int_equal(from, end);
        assert_true(to > from);
        end = to;
    }
    assert_int_equal(end, 570);
    assert_int_equal(care_arrival_window(s, 4, 4, &from, &to), -1);
    assert_int_equal(care_arrival_window(s, 0, 0, &from, &to), -1);
}

/* Every hours text of the national catalog: parsed or refused with a position,
 * and what parses formats back to text that parses to the same hours. */
static void test_national_catalog(void **state)
{
    (void)state;
    FILE *f = fopen("../shared/data/clues_nacional_claves_horarios_202604.csv", "r");
    if (!f) {
        skip();
        return;
    }
    char line[1024], buf[512];
    long ok = 0, empty = 0, refused = 0;
    while (fgets(line, sizeof line, f)) {
        char *text = line;
        for (int commas = 0; commas < 3 && text; commas++)
            text = strchr(text, ',') ? strchr(text, ',') + 1 : NULL;
        if (!text)
            continue;
        text[strcspn(text, "\r\n")] = '\0';
        struct care_hours h, again;
        size_t pos;
        enum care_hours_status st = parse(text, &h, &pos);
        if (st == CARE_HOURS_OK) {
            ok++;
            assert_int_equal(care_hours_format(&h, buf, sizeof buf), 0);
            assert_int_equal(parse(buf, &again, &pos), CARE_HOURS_OK);
            assert_memory_equal(&h, &again, sizeof h);
        } else if (st == CARE_HOURS_EMPTY) {
            empty++;
        } else {
            refused++;
            assert_true(pos >= 1 && pos <= strlen(text) + 1);
        }
    }
    fclose(f);
    printf("national catalog: %ld parsed, %ld empty, %ld refused\n", ok, empty, refused);
    /* 48,812 units have hours; 134 of them write a shift without its start or days
     * ("DLMXJVS -23:59"), which no reader can honestly guess. */
    assert_true(ok > 48600);
    assert_true(refused < 150);
    assert_true(empty > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_forms),    cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_format),           cmocka_unit_test(test_slots_and_windows),
        cmocka_unit_test(test_national_catalog),
    };
    return cmocka_run_group_tests_name("care/hours", tests, NULL, NULL);
}
