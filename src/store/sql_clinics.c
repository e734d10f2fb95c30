/* store.h home clinic: a history of assignments (the latest is
 * current) and the position a person chose for their address. */
#include "store/sql_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const reasons[] = {
    [STORE_CLINIC_ADDRESS] = "address",
    [STORE_CLINIC_MOVE] = "move",
    [STORE_CLINIC_REQUEST] = "request",
    [STORE_CLINIC_STAFF] = "staff",
};

const char *store_clinic_reason_name(enum store_clinic_reason r)
{
    return (unsigned)r < sizeof reasons / sizeof reasons[0] ? reasons[r] : "?";
}

static int64_t micro(double degrees)
{
    return (int64_t)llround(degrees * 1e6);
}

/* Inserts c as the current clinic of the active enrollment id on conn: 1, 0 when
 * not active, -1 (the reason in the connection's error). */
static int assign_on(struct sq_conn *conn, const char *id, const struct store_home_clinic *c)
{
    struct sq_value lat = {.kind = SQ_KIND_OPT_TEXT}, lon = lat, dist = lat;
    char lat_text[24], lon_text[24], dist_text[24];
    /* NULL or an integer: bound as text, SQLite's INTEGER affinity stores a number */
    if (c->has_position) {
        snprintf(lat_text, sizeof lat_text, "%lld", (long long)micro(c->lat));
        snprintf(lon_text, sizeof lon_text, "%lld", (long long)micro(c->lon));
        lat.text = lat_text;
        lon.text = lon_text;
    }
    if (c->distance_m >= 0) {
        snprintf(dist_text, sizeof dist_text, "%lld", (long long)c->distance_m);
        dist.text = dist_text;
    }
    const struct sq_value values[] = {SQ_TEXT(c->clues),
                                      SQ_TEXT(reasons[c->reason]),
                                      SQ_INT(c->assigned_at),
                                      SQ_OPT_TEXT(c->assigned_by),
                                      SQ_OPT_TEXT(c->note),
                                      SQ_OPT_TEXT(c->located_by),
                                      lat,
                                      lon,
                                      dist,
                                      SQ_TEXT(id)};
    int changed = sq_run_values(
        conn,
        "INSERT INTO home_clinic (registration, clues, reason, assigned_at, assigned_by, note,"
        " located_by, lat_e6, lon_e6, distance_m)"
        " SELECT id, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM registration"
        " WHERE id = ?10 AND status = 1",
        values, (int)(sizeof values / sizeof values[0]));
    return changed < 0 ? -1 : changed > 0;
}

int store_home_clinic_assign(struct store *s, const char *id, const struct store_home_clinic *c,
                             char *err, size_t errsz)
{
    if ((unsigned)c->reason >= sizeof reasons / sizeof reasons[0])
        return sq_fail(err, errsz, "assigning a clinic: unknown reason");
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    int rc = assign_on(conn, id, c);
    if (rc < 0)
        sq_fail_db(conn, err, errsz, "assigning the home clinic");
    sq_release(s, conn);
    return rc;
}

int store_home_clinic_override(struct store *s, const char *id, const char *clues,
                               const char *staff, const char *note, int64_t now,
                               struct store_audit_record *audit, char *err, size_t errsz)
{
    struct store_home_clinic c = {
        .reason = STORE_CLINIC_STAFF, .assigned_at = now, .distance_m = -1};
    if (strlen(clues) != 11 || !staff || !*staff || strlen(staff) >= sizeof c.assigned_by ||
        !note || !*note || strlen(note) >= sizeof c.note)
        return sq_fail(err, errsz, "overriding the home clinic: clues, staff or note malformed");
    memcpy(c.clues, clues, 12);
    snprintf(c.assigned_by, sizeof c.assigned_by, "%s", staff);
    snprintf(c.note, sizeof c.note, "%s", note);
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    /* The change and its audit record commit together, or neither does. */
    int rc = assign_on(conn, id, &c);
    if (rc == 1 && audit && sq_audit_append(conn, audit) != 0)
        rc = -1;
    if (rc < 0)
        sq_fail_db(conn, err, errsz, "overriding the home clinic");
    else if (rc == 1 && sq_commit(conn, err, errsz) != 0)
        rc = -1;
    sq_release(s, conn);
    return rc;
}

#define CLINIC_COLUMNS                                                                             \
    "clues, reason, assigned_at, assigned_by, note, located_by, lat_e6, lon_e6, distance_m"

static void read_clinic(struct sq_stmt *st, struct store_home_clinic *c)
{
    memset(c, 0, sizeof *c);
    sq_copy_column(st, 0, c->clues, sizeof c->clues);
    const char *reason = sq_text(st, 1);
    for (size_t r = 0; r < sizeof reasons / sizeof reasons[0]; r++)
        if (reason && strcmp(reason, reasons[r]) == 0)
            c->reason = (enum store_clinic_reason)r;
    c->assigned_at = sq_int64(st, 2);
    sq_copy_column(st, 3, c->assigned_by, sizeof c->assigned_by);
    sq_copy_column(st, 4, c->note, sizeof c->note);
    sq_copy_column(st, 5, c->located_by, sizeof c->located_by);
    c->has_position = !sq_is_null(st, 6);
    if (c->has_position) {
        c->lat = (double)sq_int64(st, 6) / 1e6;
        c->lon = (double)sq_int64(st, 7) / 1e6;
    }
    c->distance_m = sq_is_null(st, 8) ? -1 : sq_int64(st, 8);
}

int store_home_clinic_history(struct store *s, const char *id, struct store_home_clinic *out,
                              int max, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT " CLINIC_COLUMNS " FROM home_clinic"
                                  " WHERE registration = ? ORDER BY id",
                                  SQ_TEXT(id));
    int count = 0, row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st), count++)
        if (count < max)
            read_clinic(st, &out[count]);
    if (row < 0)
        count = sq_fail_db(conn, err, errsz, "reading the home clinics");
    sq_release(s, conn);
    return count;
}

int store_home_clinic_get(struct store *s, const char *id, struct store_home_clinic *out, char *err,
                          size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT " CLINIC_COLUMNS " FROM home_clinic"
                                  " WHERE registration = ? ORDER BY id DESC LIMIT 1",
                                  SQ_TEXT(id));
    int found = st ? sq_row(st) : -1;
    if (found == 1)
        read_clinic(st, out);
    else if (found < 0)
        sq_fail_db(conn, err, errsz, "reading the home clinic");
    sq_release(s, conn);
    return found;
}

int store_chosen_position_set(struct store *s, const char *id, bool present, double lat, double lon,
                              int64_t now, char *err, size_t errsz)
{
    int changed;
    if (!present) {
        changed = sq_write(s, "clearing the chosen position", err, errsz,
                           "DELETE FROM chosen_position WHERE registration = ?", SQ_TEXT(id));
        return changed < 0 ? -1 : 1;
    }
    changed = sq_write(s, "saving the chosen position", err, errsz,
                       "INSERT INTO chosen_position (registration, lat_e6, lon_e6, recorded_at)"
                       " SELECT id, ?, ?, ? FROM registration WHERE id = ?"
                       " ON CONFLICT (registration) DO UPDATE SET lat_e6 = excluded.lat_e6,"
                       " lon_e6 = excluded.lon_e6, recorded_at = excluded.recorded_at",
                       SQ_INT(micro(lat)), SQ_INT(micro(lon)), SQ_INT(now), SQ_TEXT(id));
    return changed < 0 ? -1 : changed > 0;
}

int store_chosen_position_get(struct store *s, const char *id, double *lat, double *lon, char *err,
                              size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(
        conn, "SELECT lat_e6, lon_e6 FROM chosen_position WHERE registration = ?", SQ_TEXT(id));
    int found = st ? sq_row(st) : -1;
    if (found == 1) {
        *lat = (double)sq_int64(st, 0) / 1e6;
        *lon = (double)sq_int64(st, 1) / 1e6;
    } else if (found < 0) {
        sq_fail_db(conn, err, errsz, "reading the chosen position");
    }
    sq_release(s, conn);
    return found;
}
