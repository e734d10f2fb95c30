/*
 * sender: the background thread that empties the mail outbox.
 *
 * Invariants:
 * - Mail is durable before it is sent: requests only queue it (store.h) and wake
 *   the sender; a crash loses nothing, and a message interrupted mid-delivery is
 *   retried once its lease ends.
 * - Failed deliveries are retried with exponential backoff (cfg->retry_seconds,
 *   default 30, doubling up to an hour) and given up after SENDER_MAX_ATTEMPTS,
 *   with the reason recorded.
 * - Logs name the message number and the recipient's domain only: never the
 *   address, never the text (it may hold a code).
 */
#ifndef PADRON_NOTIFY_SENDER_H
#define PADRON_NOTIFY_SENDER_H

#include "notify/delivery.h"

#include <stddef.h>
#include <stdint.h>

#define SENDER_MAX_ATTEMPTS 10

struct store;
struct mail_sender;

/* Starts the thread. cfg (and the strings it points to) must outlive the sender.
 * Returns NULL with err when the thread cannot start. */
struct mail_sender *mail_sender_start(struct store *s, const struct delivery_config *cfg,
                                      int64_t (*clock)(void), char *err, size_t errsz);

/* Asks the sender to look at the outbox now (after queueing). NULL is a no-op. */
void mail_sender_wake(struct mail_sender *m);

/* A job the sender's thread runs before each look at the outbox (at least once a
 * second): job(ctx, now) queues mail of its own (the reminders of the day
 * before: web/reminders.h) and returns how many it queued. One job at most;
 * set it before mail is expected from it. NULL m is a no-op. */
void mail_sender_set_job(struct mail_sender *m, int (*job)(void *ctx, int64_t now), void *ctx);

/* Lets the current delivery finish, stops the thread, frees m. NULL is a no-op. */
void mail_sender_stop(struct mail_sender *m);

/* Seconds to wait before attempt number attempts + 1 (attempts >= 1), starting
 * from base seconds. */
int64_t mail_sender_backoff(int attempts, int64_t base);

#endif
