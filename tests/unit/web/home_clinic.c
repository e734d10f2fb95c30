/* Tests the pure parts of src/web/home_clinic.c: opening hours in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/home_clinic.h"

#include <string.h>

static void test_hours_text(void **state)
{
    (void)state;
    char buf[256];
    home_clinic_hours_text("LMXJV 08:00-15:30; DS 08:00-14:00", I18N_ES, buf, sizeof buf);
    assert_string_equal(buf, "lun, mar, mié, jue, vie 08:00–15:30; dom, sáb 08:00–14:00");
    home_clinic_hours_text("DLMXJVS 00:00-23:59", I18N_EN, buf, sizeof buf);
    assert_string_equal(buf, "every day 00:00–23:59");
    home_clinic_hours_text("DLMXJVS 00:00-23:59", I18N_ES, buf, sizeof buf);
    assert_string_equal(buf, "todos los días 00:00–23:59");
    home_clinic_hours_text("LMXJV 08:00-15:30;  07:00-19:00", I18N_EN, buf, sizeof buf);
    assert_string_equal(buf, "Mon, Tue, Wed, Thu, Fri 08:00–15:30; 07:00–19:00");
    home_clinic_hours_text("DS 08:00-", I18N_EN, buf, sizeof buf);
    assert_string_equal(buf, "Sun, Sat 08:00–?");
    home_clinic_hours_text("DLMXJVS -23:59", I18N_EN, buf, sizeof buf);
    assert_string_equal(buf, "every day ?–23:59");
    home_clinic_hours_text(NULL, I18N_ES, buf, sizeof buf);
    assert_string_equal(buf, "");
    /* cut short, never overrun; a shape the catalog refuses does not spin */
    home_clinic_hours_text("LMXJV 08:00-15:30; DS 08:00-14:00", I18N_ES, buf, 12);
    assert_true(strlen(buf) < 12);
    home_clinic_hours_text("Q???", I18N_ES, buf, sizeof buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hours_text),
    };
    return cmocka_run_group_tests_name("web/home_clinic", tests, NULL, NULL);
}
