/*
 * store_care: the part of the store (store.h) for the care network: the home
 * clinic, appointments and reception, emergency encounters, referrals and the
 * socioeconomic study, and the units' figures. Included by store.h; the
 * invariants of store.h hold here too, and every staff change commits with its
 * audit record (store_staff.h).
 */
#ifndef PADRON_STORE_STORE_CARE_H
#define PADRON_STORE_STORE_CARE_H

#include "store/store.h"
#include "store/store_staff.h"

/* ---- The home clinic (sqlite_clinics.c) ---- */

/* Why a clinic was assigned. */
enum store_clinic_reason {
    STORE_CLINIC_ADDRESS = 0, /* the nearest to the address, on submit */
    STORE_CLINIC_MOVE = 1,    /* the nearest to the new address, after a move */
    STORE_CLINIC_REQUEST = 2, /* the person asked for this one */
    STORE_CLINIC_STAFF = 3,   /* a staff override, with a note */
};

/* "address", "move", "request", "staff". */
const char *store_clinic_reason_name(enum store_clinic_reason r);

/* How the person's position was found ("" when it was not). */
#define STORE_LOCATED_MAX 12

struct store_home_clinic {
    char clues[12];
    enum store_clinic_reason reason;
    int64_t assigned_at;
    char assigned_by[65];               /* staff id for STAFF; "" otherwise */
    char note[STORE_TEXT_MAX + 1];      /* the staff's reason; "" otherwise */
    char located_by[STORE_LOCATED_MAX]; /* "chosen", "locality", "seat", "centroid" or "" */
    bool has_position;                  /* lat, lon: where the person was placed */
    double lat, lon;                    /* stored to the microdegree */
    int64_t distance_m;                 /* from there to the clinic; -1 unknown */
};

/* Records c as the current home clinic of an active enrollment (earlier ones
 * stay as history). Returns 1, 0 when the enrollment is not active (or does not
 * exist), -1 on error. */
int store_home_clinic_assign(struct store *s, const char *id, const struct store_home_clinic *c,
                             char *err, size_t errsz);

struct store_audit_record; /* below, with the staff accounts */

/* A staff override (reason STAFF) of the home clinic, with who made it and why,
 * and audit (when not NULL) appended in the same transaction; the same answers as
 * store_home_clinic_assign. For the staff accounts (web/clinic_override.h). */
int store_home_clinic_override(struct store *s, const char *id, const char *clues,
                               const char *staff, const char *note, int64_t now,
                               struct store_audit_record *audit, char *err, size_t errsz);

/* The current home clinic: 1 found, 0 none assigned, -1 error. */
int store_home_clinic_get(struct store *s, const char *id, struct store_home_clinic *out, char *err,
                          size_t errsz);

/* The assignments, oldest first: up to max into out. Returns how many there are
 * (possibly more than max), or -1 on error. */
int store_home_clinic_history(struct store *s, const char *id, struct store_home_clinic *out,
                              int max, char *err, size_t errsz);

/* Records the position a person chose on the address step (present) or clears it
 * (!present), for a draft or an active enrollment. Returns 1, 0 when the
 * registration does not exist, -1 on error. */
int store_chosen_position_set(struct store *s, const char *id, bool present, double lat, double lon,
                              int64_t now, char *err, size_t errsz);

/* The chosen position: 1 with *lat, *lon set, 0 when none, -1 on error. */
int store_chosen_position_get(struct store *s, const char *id, double *lat, double *lon, char *err,
                              size_t errsz);

/* ---- Appointments at the home clinic (sqlite_appointments.c) ---- */

/* Where an appointment stands. Booked, arrived and in consultation are live:
 * they hold their place in the slot. */
enum store_appointment_status {
    STORE_APPT_BOOKED = 0,
    STORE_APPT_CANCELLED = 1,
    STORE_APPT_ARRIVED = 2,
    STORE_APPT_IN_CONSULTATION = 3,
    STORE_APPT_DONE = 4,
    STORE_APPT_NO_SHOW = 5,
};

/* "booked", "cancelled", "arrived", "in_consultation", "done", "no_show". */
const char *store_appointment_status_name(enum store_appointment_status st);

#define STORE_SERVICE_MAX 16 /* "consulta" is the only service yet */

struct store_appointment {
    int64_t id;
    char registration[STORE_ID_LEN + 1];
    char clues[12];
    char service[STORE_SERVICE_MAX + 1];
    char date[11];                /* the clinic's local date, YYYY-MM-DD */
    int slot_start, slot_end;     /* minutes after midnight */
    int position;                 /* 0-based place in the slot */
    int arrival_from, arrival_to; /* the person's window (care_arrival_window), as told */
    enum store_appointment_status status;
    int64_t created_at, updated_at;
    bool walk_in;       /* came without a booking: no slot, place or window (all 0) */
    int turn;           /* the unit's turn of the day from check-in on (1, 2, ...); 0 before */
    int64_t arrived_at; /* when checked in; 0 before */
};

/* A booking asked for: the person, the unit, the service, the slot, how many
 * people the slot takes, and today (YYYY-MM-DD: live bookings dated before it
 * no longer count against a new one). The confirmation mail goes in the same
 * transaction: compose (when not NULL) is called with the appointment as it
 * will be stored (its position chosen) and returns a complete RFC 5322 text to
 * recipient (malloc'ed; the store frees it) or NULL to fail the booking. */
struct store_booking {
    const char *registration, *clues, *service, *date, *today;
    int slot_start, slot_end, capacity;
    int64_t now;
    const char *recipient;
    char *(*compose)(void *ctx, const struct store_appointment *a);
    void *ctx;
};

enum store_booking_result {
    STORE_BOOKING_OK = 1,
    STORE_BOOKING_ERROR = -1,   /* err says why */
    STORE_BOOKING_ALREADY = -2, /* the person has a live booking of the service from today on */
    STORE_BOOKING_FULL = -3,    /* the slot has capacity live bookings */
    STORE_BOOKING_UNKNOWN = -4, /* (move) no booked appointment with that id for the person */
};

/* Books the lowest free position of the slot in one write transaction (BEGIN
 * IMMEDIATE), refusing a double booking and a full slot; the position's arrival
 * window (care/hours.h) is stored with it. On OK *out holds the new appointment. */
enum store_booking_result store_appointment_book(struct store *s, const struct store_booking *b,
                                                 struct store_appointment *out, char *err,
                                                 size_t errsz);

/* Moves the person's booked appointment id to b's slot: cancels it and books the
 * new one atomically (a refused booking leaves the old one as it was). */
enum store_booking_result store_appointment_move(struct store *s, int64_t id,
                                                 const struct store_booking *b,
                                                 struct store_appointment *out, char *err,
                                                 size_t errsz);

/* Cancels the booked appointment id of registration at now: 1, 0 when there is
 * none (or it is no longer booked), -1 on error. */
int store_appointment_cancel(struct store *s, int64_t id, const char *registration, int64_t now,
                             char *err, size_t errsz);

/* The appointment id of registration: 1 (out filled), 0, -1. */
int store_appointment_get(struct store *s, int64_t id, const char *registration,
                          struct store_appointment *out, char *err, size_t errsz);

/* The appointments of registration dated from from_date (YYYY-MM-DD) on, in
 * date and time order: up to max into out. Returns how many there are, or -1. */
int store_appointment_list(struct store *s, const char *registration, const char *from_date,
                           struct store_appointment *out, int max, char *err, size_t errsz);

/* How many live bookings each slot of a unit's day holds: for each live
 * appointment of (clues, date), its slot_start and position into out (up to
 * max). Returns how many there are, or -1. */
struct store_place {
    int slot_start, position;
};
int store_appointment_places(struct store *s, const char *clues, const char *date,
                             struct store_place *out, int max, char *err, size_t errsz);

#define STORE_SLOT_MINUTES_DEFAULT 20
#define STORE_CAPACITY_DEFAULT     3
#define STORE_HOURS_MAX            256

/* A unit's schedule: slots of slot_minutes (5-240), capacity people each
 * (1-100), and opening hours in DGIS notation overriding the catalog's ("" to
 * use the catalog's). */
struct store_schedule {
    int slot_minutes, capacity;
    char hours[STORE_HOURS_MAX + 1];
};

/* The schedule of clues: 1 when one was set, 0 when not (out holds the defaults),
 * -1 on error. */
int store_schedule_get(struct store *s, const char *clues, struct store_schedule *out, char *err,
                       size_t errsz);

/* Sets the schedule of clues (replacing any earlier one); 0 or -1. */
int store_schedule_set(struct store *s, const char *clues, const struct store_schedule *sc,
                       int64_t now, char *err, size_t errsz);

/* Marks (closed) or unmarks a day (YYYY-MM-DD) as closed at clues; 0 or -1. */
int store_closed_day_set(struct store *s, const char *clues, const char *date, bool closed,
                         int64_t now, char *err, size_t errsz);

/* 1 when clues is closed on date, 0 when not, -1 on error. */
int store_closed_day_get(struct store *s, const char *clues, const char *date, char *err,
                         size_t errsz);

/* ---- Emergency encounters (sqlite_emergencies.c) ----
 * An encounter at a hospital unit for anyone: identified by CURP, by a name only,
 * or an unidentified person described. The rules are web/emergency.h's; the store
 * keeps the invariants that races could break: at most one open encounter per
 * CURP and unit, and each change commits with its audit record. */

#define STORE_EMERGENCY_ID_LEN 14 /* "UR26-7K3M-9QXD" */

struct store_emergency {
    char id[STORE_EMERGENCY_ID_LEN + 1];
    char unit[STORE_CLUES_LEN + 1];
    int64_t opened_at, opened_by;                 /* staff account id */
    char triage[8];                               /* red, orange, yellow, green, blue */
    char identity[16];                            /* curp, name, unidentified */
    char curp[19];                                /* "" when unknown */
    char name[801];                               /* "" when not given; 200 characters at most */
    char sex[8];                                  /* female, male, "" when unknown */
    int apparent_age;                             /* years, -1 when not given */
    char features[4001];                          /* what the person looks like, "" */
    char found_where[1601];                       /* where the person was found, "" */
    char status[16];                              /* open, discharged, transferred, merged */
    int64_t closed_at, closed_by;                 /* 0 while open */
    char transfer_to[STORE_CLUES_LEN + 1];        /* "" unless transferred */
    char merged_into[STORE_EMERGENCY_ID_LEN + 1]; /* "" unless merged */
    char registration[STORE_ID_LEN + 1];          /* the linked enrollment, "" */
    int64_t updated_at;
};

/* What a change of an encounter came to. */
enum store_emergency_result {
    STORE_EMERGENCY_ERROR = -1,
    STORE_EMERGENCY_NONE = 0, /* no such encounter */
    STORE_EMERGENCY_OK = 1,
    STORE_EMERGENCY_DUPLICATE = 2, /* another open one for this CURP at the unit: existing */
    STORE_EMERGENCY_NOT_OPEN = 3,  /* the encounter (or the one merged into) is closed */
    STORE_EMERGENCY_MISMATCH = 4,  /* a merge across units, into itself, or of another CURP */
};

/* Opens e (every field set by the caller, status "open") and appends audit, in
 * one transaction. DUPLICATE (existing filled with the open encounter's id) when
 * e has a CURP that is open at the unit already; OK; ERROR. */
enum store_emergency_result store_emergency_open(struct store *s, const struct store_emergency *e,
                                                 struct store_audit_record *audit,
                                                 char existing[STORE_EMERGENCY_ID_LEN + 1],
                                                 char *err, size_t errsz);

/* The encounter with this id: 1 (filled), 0, -1. */
int store_emergency_get(struct store *s, const char *id, struct store_emergency *out, char *err,
                        size_t errsz);

/* Identifies the open encounter id with curp (and the enrollment registration,
 * NULL or "" when none) and appends audit, in one transaction. DUPLICATE with
 * existing when another encounter is open for curp at the same unit. */
enum store_emergency_result store_emergency_identify(struct store *s, const char *id,
                                                     const char *curp, const char *registration,
                                                     int64_t now, struct store_audit_record *audit,
                                                     char existing[STORE_EMERGENCY_ID_LEN + 1],
                                                     char *err, size_t errsz);

/* Merges the open encounter id into the open encounter into of the same unit
 * (id then reads "merged", merged_into set; into takes id's CURP and link when it
 * has none), and appends audit, in one transaction. MISMATCH across units, into
 * itself, or when both have different CURPs. */
enum store_emergency_result store_emergency_merge(struct store *s, const char *id, const char *into,
                                                  int64_t now, int64_t staff,
                                                  struct store_audit_record *audit, char *err,
                                                  size_t errsz);

/* Closes the open encounter id as status ("discharged", or "transferred" to the
 * unit transfer_to) and appends audit, in one transaction. */
enum store_emergency_result store_emergency_close(struct store *s, const char *id,
                                                  const char *status, const char *transfer_to,
                                                  int64_t now, int64_t staff,
                                                  struct store_audit_record *audit, char *err,
                                                  size_t errsz);

/* Records that encounter id (with a CURP, no link yet) belongs to the enrollment
 * registration: 1 linked, 0 nothing to do, -1. */
int store_emergency_link(struct store *s, const char *id, const char *registration, char *err,
                         size_t errsz);

/* Calls each(ctx, e) for the open encounters of unit, oldest first; or, when
 * merged_into is not NULL, for the encounters merged into that one (unit is then
 * ignored). Stops when each returns non-zero. Returns how many, or -1. */
long store_emergency_each(struct store *s, const char *unit, const char *merged_into,
                          int (*each)(void *ctx, const struct store_emergency *e), void *ctx,
                          char *err, size_t errsz);

/* ---- Unit figures (sqlite_figures.c): counts only, never a person ---- */

/* Calls each(ctx, clues, metric, count) for every non-zero count of unit (NULL:
 * every unit), ordered by unit then metric. Metrics: "people" (active
 * enrollments whose current home clinic is the unit), "appointments_<status>"
 * on day (YYYY-MM-DD; booked, arrived, in_consultation, done, no_show,
 * cancelled), "emergencies_open". Stops when each returns non-zero. Returns how
 * many rows, or -1 on error. */
long store_figures_each(struct store *s, const char *unit, const char *day,
                        int (*each)(void *ctx, const char *clues, const char *metric, long count),
                        void *ctx, char *err, size_t errsz);

/* ---- Referrals and socioeconomic studies (sqlite_referrals.c) ----
 *
 * A referral sends a person from one unit to a unit of the next level of care
 * (care/referral.h has the rules). Every change is one transaction: the rules
 * checked against the row as it is under the write lock, the new state, one
 * referral_event row (when, who, the note) and the audit record. Events are
 * append-only. A socioeconomic study (level 3) is one row per study, with its
 * audit record in the same transaction; the latest one of a person at a unit
 * counts. */
#include "care/referral.h"

#define STORE_REFERRAL_TEXT_MAX 1000 /* bytes of a reason or a note */
#define STORE_REFERRAL_ID_LEN   14   /* "RF26-7K3M-9QXD" */

struct store_referral {
    int64_t id;
    char public_id[STORE_REFERRAL_ID_LEN + 1];
    char registration[STORE_ID_LEN + 1];
    char from_unit[STORE_CLUES_LEN + 1], to_unit[STORE_CLUES_LEN + 1];
    int to_level; /* 2 or 3 */
    char reason[STORE_REFERRAL_TEXT_MAX + 1];
    char cie10[6]; /* canonical, "E119" */
    enum referral_urgency urgency;
    enum referral_state state;
    char scheduled_date[11]; /* YYYY-MM-DD once scheduled, else "" */
    char scheduled_time[6];  /* HH:MM once scheduled, else "" */
    char rejection_reason[STORE_REFERRAL_TEXT_MAX + 1];
    int64_t created_by; /* staff id */
    int64_t created_at, updated_at;
    char emergency[STORE_EMERGENCY_ID_LEN + 1]; /* the encounter referred from, "" when none */
};

struct store_referral_event {
    int64_t at;
    enum referral_state state;
    int64_t staff;
    char role[STORE_ROLE_MAX];
    char unit[STORE_CLUES_LEN + 1];
    char note[STORE_REFERRAL_TEXT_MAX + 1];
};

/* Creates r (state requested; id, state, dates ignored) with its first event and
 * audit (filled but for seq and hashes) in one transaction: 1 with r->id set, 0
 * when the public id is taken (draw another), -1 on error. */
int store_referral_create(struct store *s, struct store_referral *r,
                          struct store_audit_record *audit, char *err, size_t errsz);

/* The referral of a public id (canonical form): 1 (filled), 0, -1. */
int store_referral_get(struct store *s, const char *public_id, struct store_referral *out,
                       char *err, size_t errsz);

enum store_referral_list {
    STORE_REFERRALS_OUTGOING, /* key: the referring unit */
    STORE_REFERRALS_INCOMING, /* key: the receiving unit */
    STORE_REFERRALS_OF_PERSON /* key: the registration id */
};

/* Calls each(ctx, r) for the referrals of key, newest first, at most limit;
 * stops when each returns non-zero. How many were listed, or -1. */
long store_referral_each(struct store *s, enum store_referral_list list, const char *key, int limit,
                         int (*each)(void *ctx, const struct store_referral *r), void *ctx,
                         char *err, size_t errsz);

/* Calls each(ctx, e) for every event of a referral, oldest first; -1 on error. */
long store_referral_events(struct store *s, int64_t referral,
                           int (*each)(void *ctx, const struct store_referral_event *e), void *ctx,
                           char *err, size_t errsz);

/* A change asked of a referral by a staff member. */
struct store_referral_change {
    const char *public_id;
    enum referral_state to;
    const char *note;        /* the reason of a rejection; optional otherwise */
    const char *date, *time; /* YYYY-MM-DD and HH:MM, for scheduled */
    int64_t staff;           /* who */
    enum referral_role role; /* ... in the rules' terms */
    const char *unit;        /* ... at which unit */
    int64_t now;
};

/* Applies c in one transaction when referral_may_change allows it against the
 * row under the write lock (with study_recorded from the person's studies at the
 * receiving unit): the state, the schedule or rejection reason, one event and
 * audit. Returns 1 with *verdict (REFERRAL_ALLOWED when applied; then *out holds
 * the new row when out is not NULL), 0 when there is no such referral, -1. */
int store_referral_change(struct store *s, const struct store_referral_change *c,
                          struct store_audit_record *audit, enum referral_verdict *verdict,
                          struct store_referral *out, char *err, size_t errsz);

struct store_study {
    int64_t id;
    char registration[STORE_ID_LEN + 1];
    char unit[STORE_CLUES_LEN + 1];
    int64_t social_worker;
    enum study_outcome outcome;
    int64_t fee_centavos; /* reduced only; 0 otherwise */
    char note[STORE_REFERRAL_TEXT_MAX + 1];
    int64_t at;
};

/* Records st (id ignored) with audit in one transaction: 0 with st->id set, -1
 * (an outcome and fee that do not go together is an error). */
int store_study_record(struct store *s, struct store_study *st, struct store_audit_record *audit,
                       char *err, size_t errsz);

/* The latest study of a person at a unit: 1 (filled), 0, -1. */
int store_study_latest(struct store *s, const char *registration, const char *unit,
                       struct store_study *out, char *err, size_t errsz);

/* ---- Reception: check-in, the unit's day, status changes, reminders
 * (sqlite_reception.c) ---- */

enum store_checkin_result {
    STORE_CHECKIN_ARRIVED = 1, /* the person's booking of the day at the unit is now arrived */
    STORE_CHECKIN_WALK_IN = 2, /* no booking: a walk-in appointment was created, arrived */
    STORE_CHECKIN_ALREADY = 3, /* already arrived or in consultation there today: *out is it */
    STORE_CHECKIN_ERROR = -1,
};

/* Checks registration in at clues on date (the unit's today) at now, in one
 * write transaction: a booked appointment of that day becomes arrived, or else a
 * walk-in (service "consulta") is created; either takes the unit's next turn of
 * the day (unique per unit and day). audit (its at, staff, role, unit, action,
 * subject and client set by the caller) is appended in the same transaction,
 * whatever the result; NULL appends nothing. *out is the appointment. */
enum store_checkin_result store_appointment_checkin(struct store *s, const char *registration,
                                                    const char *clues, const char *date,
                                                    int64_t now, struct store_audit_record *audit,
                                                    struct store_appointment *out, char *err,
                                                    size_t errsz);

/* The appointment id at the unit clues: 1 (out filled), 0, -1. */
int store_appointment_at_unit(struct store *s, int64_t id, const char *clues,
                              struct store_appointment *out, char *err, size_t errsz);

/* Moves the appointment id of clues from status from to status to at now, and
 * appends audit (when not NULL) in the same transaction. Returns 1, 0 when the
 * appointment is not (or no longer) at from there (nothing written), or -1. */
int store_appointment_set_status(struct store *s, int64_t id, const char *clues,
                                 enum store_appointment_status from,
                                 enum store_appointment_status to, int64_t now,
                                 struct store_audit_record *audit, char *err, size_t errsz);

/* The unit's appointments of date except cancelled ones: the checked-in by turn,
 * then the others by slot and place. Returns how many there are (only the first
 * max are filled), or -1. */
int store_appointment_day_list(struct store *s, const char *clues, const char *date,
                               struct store_appointment *out, int max, char *err, size_t errsz);

/* What a reminder is composed from: the appointment, its person's email and
 * language ("es" or "en", the latest consent's; "es" when unknown). */
struct store_reminder {
    struct store_appointment appointment;
    char email[255];
    char language[3];
};

/* Queues in the outbox, in one write transaction, a reminder for up to max booked
 * appointments of date not reminded yet whose person has an email, and stamps
 * their reminded_at with now. compose returns a complete RFC 5322 text
 * (malloc'ed; the store frees it) or NULL to skip that one (left for a later
 * run). Returns how many were queued, or -1 (nothing queued). */
int store_appointment_remind(struct store *s, const char *date, int64_t now, int max,
                             char *(*compose)(void *ctx, const struct store_reminder *r), void *ctx,
                             char *err, size_t errsz);

/* Appends r (as store_audit_append) unless the same staff account already has a
 * record of the same action and subject at or after since: for reads repeated
 * all day (the reception list), one record per person, staff member and day.
 * Returns 1 (appended), 0 (already there) or -1. */
int store_audit_append_since(struct store *s, struct store_audit_record *r, int64_t since,
                             char *err, size_t errsz);

#endif
