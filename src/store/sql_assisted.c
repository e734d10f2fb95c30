/*
 * store.h assisted enrollment: the audit record bound to a thread so a
 * staff member's change commits with it, the desk's marks on a draft (who
 * assisted, who attested the identity), and the drafts of a CURP.
 *
 * The bound record is per thread: a request is served on one thread from start
 * to end (libmicrohttpd's thread per connection), so no other request's write can
 * pick it up.
 */
#include "store/sql_internal.h"

#include <stdio.h>
#include <string.h>

static _Thread_local struct store_audit_record *attached;
static _Thread_local bool attached_written;

struct store_audit_record *sq_audit_attached(void)
{
    return attached_written ? NULL : attached;
}

void sq_audit_attached_written(void)
{
    attached_written = true;
}

void store_audit_attach(struct store *s, struct store_audit_record *r)
{
    (void)s;
    attached = r;
    attached_written = false;
}

int store_audit_detach(struct store *s)
{
    (void)s;
    int written = attached && attached_written;
    attached = NULL;
    attached_written = false;
    return written;
}

int store_registration_set_assisted(struct store *s, const char *id, int64_t staff, int64_t now,
                                    char *err, size_t errsz)
{
    int n = sq_write(s, "recording the desk's assistance", err, errsz,
                     "UPDATE registration SET assisted_by = coalesce(assisted_by, ?),"
                     " updated_at = ? WHERE id = ? AND status = 0",
                     SQ_INT(staff), SQ_INT(now), SQ_TEXT(id));
    return n < 0 ? -1 : n > 0;
}

int store_registration_verify_by_staff(struct store *s, const char *id, int64_t staff, int64_t now,
                                       char *err, size_t errsz)
{
    int n = sq_write(s, "recording the identity check", err, errsz,
                     "UPDATE registration SET verified_by_staff = ?, verified_by_staff_at = ?,"
                     " updated_at = ? WHERE id = ? AND status = 0",
                     SQ_INT(staff), SQ_INT(now), SQ_INT(now), SQ_TEXT(id));
    return n < 0 ? -1 : n > 0;
}

int store_drafts_of_curp(struct store *s, const char *curp, char (*ids)[STORE_ID_LEN + 1], int max,
                         char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT id FROM registration WHERE curp = ? AND status = 0"
                                  " ORDER BY updated_at DESC, created_at DESC LIMIT ?",
                                  SQ_TEXT(curp), SQ_INT(max));
    int n = 0, row = st ? sq_row(st) : -1;
    for (; row == 1 && n < max; row = sq_row(st))
        sq_copy_column(st, 0, ids[n++], STORE_ID_LEN + 1);
    if (row < 0)
        n = sq_fail_db(conn, err, errsz, "listing drafts");
    sq_release(s, conn);
    return n;
}

int store_consent_assisted_by(struct store *s, const char *id, int64_t *staff, char *err,
                              size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT assisted_by FROM consent WHERE registration = ?"
                                  " ORDER BY accepted_at DESC, rowid DESC LIMIT 1",
                                  SQ_TEXT(id));
    int row = st ? sq_row(st) : -1;
    if (row < 0)
        sq_fail_db(conn, err, errsz, "reading consent");
    *staff = row == 1 ? sq_int64(st, 0) : 0;
    sq_release(s, conn);
    return row < 0 ? -1 : *staff != 0;
}
