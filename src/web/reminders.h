/*
 * reminders: the mail the day before a booked consultation. The sender's thread
 * runs reminders_job about once a second (notify/sender.h); the job does real
 * work once per server run and local day: it queues, through the outbox, one
 * reminder for every booked appointment of tomorrow that has none yet.
 *
 * Invariants:
 * - Idempotent: the store stamps each appointment's reminded_at in the same
 *   transaction that queues its mail, so a restart, a second server on the same
 *   database or a second run of the day queues nothing twice.
 * - Batches of REMINDERS_BATCH appointments, one write transaction each, so the
 *   job never holds the write lock for long.
 * - Only bookings still booked whose person has an email; the mail is in the
 *   person's language (their consent's, Spanish when unknown) and gives the
 *   date, the arrival window, the slot, and the unit's name and place (the
 *   catalog has no street: locality, municipality, state).
 * - A failed run is logged and tried again a minute later.
 */
#ifndef PADRON_WEB_REMINDERS_H
#define PADRON_WEB_REMINDERS_H

#include "web/http.h"

#include <stdint.h>

#define REMINDERS_BATCH 100

/* The job's state: the app it works for and the day it last finished. */
struct reminders {
    const struct web_app *app;
    char done_for[16]; /* the date whose reminders are queued, "" at first */
    int64_t retry_at;  /* after a failure, not before */
};

/* Queues the reminders of the bookings of date (YYYY-MM-DD) at now. Returns how
 * many were queued, or -1 with err. */
int reminders_queue(const struct web_app *app, const char *date, int64_t now, char *err,
                    size_t errsz);

/* For mail_sender_set_job: ctx is a struct reminders. When tomorrow (the server's
 * local date) is not done yet, queues its reminders; returns how many. */
int reminders_job(void *ctx, int64_t now);

#endif
