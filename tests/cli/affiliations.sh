#!/usr/bin/env bash
# padron import affiliations, and its effect on the registrations API: an active
# IMSS or ISSSTE CURP is refused with the institution named; re-imports replace the
# roll atomically; bad rolls are refused whole, with the line number.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
data=$tmp/var

cat >"$tmp/imss.csv" <<'CSV'
CURP,NSS,Status,as_of,extra
SABC560626MDFLRN01,92919084431,active,2026-10-31,x
pxne660720hmcxtn06,,inactive,,y
CSV
printf 'curp\nLOOA531113HTCPBN07\n' | gzip >"$tmp/issste.csv.gz"

expect_output "import IMSS" "imported 2 rows (1 active) into the IMSS roll" \
    "$P" import affiliations --institution IMSS "$tmp/imss.csv" --data "$data"
expect_output "import ISSSTE (gzip)" "imported 1 rows (1 active) into the ISSSTE roll" \
    "$P" import affiliations --institution issste "$tmp/issste.csv.gz" --data "$data"

# Refused whole, naming the line; the previous roll stays.
printf 'curp\nSABC560626MDFLRN01\nSABC560626MDFLRN09\n' >"$tmp/bad-digit.csv"
expect_contains "bad check digit names the line" "line 3: curp: check_digit: expected 1, found 9 (nothing was imported)" \
    "$P" import affiliations --institution IMSS "$tmp/bad-digit.csv" --data "$data"
expect_status "bad roll exits 1" 1 "$P" import affiliations --institution IMSS "$tmp/bad-digit.csv" --data "$data"
printf 'curp\nSABC560626MDFLRN01\nsabc560626mdflrn01\n' >"$tmp/dup.csv"
expect_contains "duplicate CURP" "line 3: the CURP appears twice in this roll" \
    "$P" import affiliations --institution IMSS "$tmp/dup.csv" --data "$data"
# --skip-invalid goes on past a CURP listed twice (PostgreSQL too: the repeat must not
# abort the import's transaction).
printf 'curp\nSABC560626MDFLRN01\nsabc560626mdflrn01\nLOOA531113HTCPBN07\n' >"$tmp/dup3.csv"
expect_output "--skip-invalid: a repeated CURP is skipped, the rest imported" \
    "imported 2 rows (2 active) into the IMSS roll; skipped 1 invalid rows" \
    "$P" import affiliations --institution IMSS "$tmp/dup3.csv" --data "$tmp/skip" --skip-invalid
expect_output "--skip-invalid: both people are in the roll" "2" \
    sql "$tmp/skip" "SELECT count(*) FROM affiliation"
printf 'nss,status\n92919084431,active\n' >"$tmp/no-curp.csv"
expect_contains "missing curp column" "line 1: header: missing column 'curp'" \
    "$P" import affiliations --institution IMSS "$tmp/no-curp.csv" --data "$data"
printf 'curp,status\nSABC560626MDFLRN01,retired\n' >"$tmp/status.csv"
expect_contains "bad status" "line 2: status: 'retired' is neither active nor inactive" \
    "$P" import affiliations --institution IMSS "$tmp/status.csv" --data "$data"
printf 'curp,nss\nSABC560626MDFLRN01,92919084432\n' >"$tmp/nss.csv"
expect_contains "bad nss" "line 2: nss: check_digit" \
    "$P" import affiliations --institution IMSS "$tmp/nss.csv" --data "$data"
printf 'curp,as_of\nSABC560626MDFLRN01,31/10/2026\n' >"$tmp/date.csv"
expect_contains "bad date" "line 2: as_of: '31/10/2026' is not a date YYYY-MM-DD" \
    "$P" import affiliations --institution IMSS "$tmp/date.csv" --data "$data"
printf 'curp\n"SABC560626MDFLRN01\n' >"$tmp/quote.csv"
expect_contains "broken quoting" "line 2:" "$P" import affiliations --institution IMSS "$tmp/quote.csv" --data "$data"
: >"$tmp/empty.csv"
expect_contains "empty file" "empty file: a header row is required" \
    "$P" import affiliations --institution IMSS "$tmp/empty.csv" --data "$data"
expect_status "unknown institution" 2 "$P" import affiliations --institution SEDENA "$tmp/imss.csv" --data "$data"
expect_status "no institution" 2 "$P" import affiliations "$tmp/imss.csv" --data "$data"
expect_status "missing file" 1 "$P" import affiliations --institution IMSS "$tmp/nope.csv" --data "$data"
expect_output "skip invalid rows" "imported 1 rows (1 active) into the IMSS roll; skipped 1 invalid rows" \
    "$P" import affiliations --institution IMSS "$tmp/bad-digit.csv" --data "$data" --skip-invalid
# Put the full IMSS roll back for the API checks.
"$P" import affiliations --institution IMSS "$tmp/imss.csv" --data "$data" >/dev/null

serve_start "$data"
url=${base}api/v1/registrations
create() { curl -s -X POST -H 'Content-Type: application/json' -H "Accept-Language: ${2:-es}" -d "{\"curp\":\"$1\"}" "$url"; }
expect_output "active IMSS refused" "affiliated_imss curp" \
    bash -c 'echo "$0" | jq -r ".error | \"\(.code) \(.field)\""' "$(create SABC560626MDFLRN01)"
expect_contains "says where to go" "Unidad de Medicina Familiar del IMSS" create SABC560626MDFLRN01
expect_contains "in English too" "IMSS family medicine unit" create SABC560626MDFLRN01 en
expect_output "active ISSSTE refused" "affiliated_issste" \
    bash -c 'echo "$0" | jq -r .error.code' "$(create LOOA531113HTCPBN07)"
expect_output "inactive in the roll may enroll" "draft" \
    bash -c 'echo "$0" | jq -r .status' "$(create PXNE660720HMCXTN06)"
expect_output "absent from the rolls may enroll" "draft" \
    bash -c 'echo "$0" | jq -r .status' "$(create GODE561231MHGMZM07)"

# A re-import while serving takes effect at once, and replaces the old roll.
printf 'curp\nGODE561231MHGMZM07\n' >"$tmp/imss2.csv"
"$P" import affiliations --institution IMSS "$tmp/imss2.csv" --data "$data" >/dev/null
expect_output "new roll applies" "affiliated_imss" bash -c 'echo "$0" | jq -r .error.code' "$(create GODE561231MHGMZM07)"
expect_output "old roll is gone" "draft" bash -c 'echo "$0" | jq -r .status' "$(create SABC560626MDFLRN01)"

finish affiliations
