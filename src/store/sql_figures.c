/* store.h unit figures: counts only, grouped by unit, in one read. */
#include "store/sql_internal.h"

#include <string.h>

long store_figures_each(struct store *s, const char *unit, const char *day,
                        int (*each)(void *ctx, const char *clues, const char *metric, long count),
                        void *ctx, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    /* People: active enrollments whose latest assignment is the unit. */
    struct sq_stmt *st = sq_query(
        conn,
        "SELECT h.clues, 'people', count(*) FROM home_clinic h"
        " JOIN registration r ON r.id = h.registration AND r.status = 1"
        " WHERE h.id = (SELECT max(id) FROM home_clinic WHERE registration = h.registration)"
        " AND (CAST(?1 AS TEXT) IS NULL OR h.clues = ?1) GROUP BY h.clues"
        " UNION ALL SELECT clues, 'appointments_' || status, count(*) FROM appointment"
        " WHERE day = ?2 AND (CAST(?1 AS TEXT) IS NULL OR clues = ?1) GROUP BY clues, status"
        " UNION ALL SELECT unit, 'emergencies_open', count(*) FROM emergency"
        " WHERE status = 'open' AND (CAST(?1 AS TEXT) IS NULL OR unit = ?1) GROUP BY unit"
        " ORDER BY 1, 2",
        SQ_OPT_TEXT(unit), SQ_TEXT(day));
    long rows = 0;
    int row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        const char *clues = sq_text(st, 0);
        const char *metric = sq_text(st, 1);
        rows++;
        if (clues && metric && each(ctx, clues, metric, (long)sq_int64(st, 2)) != 0)
            break;
    }
    if (row < 0)
        rows = sq_fail_db(conn, err, errsz, "counting unit figures");
    sq_release(s, conn);
    return rows;
}
