#include "web/reminders.h"

#include "catalog/catalog.h"
#include "core/civil_date.h"
#include "notify/message.h"
#include "store/store.h"
#include "web/appointments.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* "Locality, Municipality, State" of a unit from the catalog ("" parts left out). */
static void unit_place(const struct catalog *c, const struct catalog_facility *f, char *buf,
                       size_t size)
{
    const struct catalog_municipality *m = catalog_municipality(c, f->state, f->municipality);
    const struct catalog_state *st = catalog_state_by_code(c, f->state);
    const char *parts[] = {f->locality_name, m ? m->name : "", st ? st->name : ""};
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        if (!parts[i] || !parts[i][0] || at >= size)
            continue;
        int n = snprintf(buf + at, size - at, "%s%s", at ? ", " : "", parts[i]);
        at = n < 0 ? size : at + (size_t)n;
    }
}

static char *compose(void *ctx, const struct store_reminder *r)
{
    const struct web_app *app = ctx;
    const struct store_appointment *a = &r->appointment;
    const struct catalog_facility *f =
        app->catalog ? catalog_facility(app->catalog, a->clues) : NULL;
    char place[256] = "", s1[6], s2[6], a1[6], a2[6], subject[256], body[2048], err[128];
    if (f)
        unit_place(app->catalog, f, place, sizeof place);
    const char *unit = f ? f->name : a->clues;
    appointments_time_text(a->slot_start, s1);
    appointments_time_text(a->slot_end, s2);
    appointments_time_text(a->arrival_from, a1);
    appointments_time_text(a->arrival_to, a2);
    if (strcmp(r->language, "en") == 0) {
        snprintf(subject, sizeof subject, "Reminder: your appointment tomorrow, %s", a->date);
        snprintf(body, sizeof body,
                 "This is a reminder of your consultation appointment tomorrow:\n\n"
                 "    %s (%s)\n    %s\n    %s, slot %s-%s\n    Please arrive between %s-%s.\n\n"
                 "Show your credential (on your phone or printed) at reception: you will be "
                 "given your turn. If you cannot come, cancel the appointment in your account "
                 "so somebody else can use the place.\n",
                 unit, a->clues, place, a->date, s1, s2, a1, a2);
    } else {
        snprintf(subject, sizeof subject, "Recordatorio: su cita de mañana, %s", a->date);
        snprintf(body, sizeof body,
                 "Le recordamos su cita de consulta de mañana:\n\n"
                 "    %s (%s)\n    %s\n    %s, horario %s-%s\n    Llegue entre las %s-%s.\n\n"
                 "Muestre su credencial (en el teléfono o impresa) en la recepción: ahí le "
                 "darán su turno. Si no puede venir, cancele la cita en su cuenta para que otra "
                 "persona use el lugar.\n",
                 unit, a->clues, place, a->date, s1, s2, a1, a2);
    }
    struct mail_text text = {.from = app->mail_from,
                             .to = r->email,
                             .subject = subject,
                             .body = body,
                             .date = app->clock()};
    char *out = NULL;
    return mail_compose(&text, &out, err, sizeof err) == 0 ? out : NULL;
}

int reminders_queue(const struct web_app *app, const char *date, int64_t now, char *err,
                    size_t errsz)
{
    int total = 0;
    for (;;) {
        int n = store_appointment_remind(app->store, date, now, REMINDERS_BATCH, compose,
                                         (void *)app, err, errsz);
        if (n < 0)
            return -1;
        total += n;
        if (n < REMINDERS_BATCH)
            return total;
    }
}

int reminders_job(void *ctx, int64_t now)
{
    struct reminders *r = ctx;
    time_t t = (time_t)now;
    struct tm tm;
    if (now < r->retry_at || !localtime_r(&t, &tm))
        return 0;
    int y, m, d;
    civil_date_from_days(civil_days_from_epoch(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) + 1,
                         &y, &m, &d);
    char tomorrow[16], err[256];
    snprintf(tomorrow, sizeof tomorrow, "%04d-%02d-%02d", y % 10000, m, d);
    if (strcmp(tomorrow, r->done_for) == 0)
        return 0;
    int n = reminders_queue(r->app, tomorrow, now, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "padron: reminders for %s: %s\n", tomorrow, err);
        r->retry_at = now + 60;
        return 0;
    }
    snprintf(r->done_for, sizeof r->done_for, "%s", tomorrow);
    if (n > 0)
        printf("padron: %d %s for %s queued\n", n, n == 1 ? "reminder" : "reminders", tomorrow);
    return n;
}
