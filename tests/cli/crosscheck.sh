#!/usr/bin/env bash
# padron crosscheck: finds exactly the enrollments active in a roll (not the
# inactive rows, not people of nobody enrolled), masks CURPs on stdout, suspends
# them in batches with a mail each, and leaves them out of the next run.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
names=$(cd "$(dirname "$0")/../.." && pwd)/../shared/data
if [ ! -f "$names/nombres_apellidos.csv" ]; then
    echo "crosscheck: skipped (no name-frequency tables in ../shared/data)"
    exit 0
fi
data=$tmp/var
"$P" synth --people 2500 --seed 5 --names "$names" --data "$data" --roll-share 0.1 \
    --out-roll "$tmp/roll.csv" --out-enrolled "$tmp/enrolled.txt" >/dev/null
# Split the roll: the first 150 rows to ISSSTE, the rest to IMSS.
{ head -1 "$tmp/roll.csv"; sed -n 2,151p "$tmp/roll.csv"; } >"$tmp/issste.csv"
{ head -1 "$tmp/roll.csv"; sed -n '152,$p' "$tmp/roll.csv"; } >"$tmp/imss.csv"
"$P" import affiliations --institution IMSS "$tmp/imss.csv" --data "$data" >/dev/null
"$P" import affiliations --institution ISSSTE "$tmp/issste.csv" --data "$data" >/dev/null
# What sort | join says: enrolled CURPs active in either roll.
sort "$tmp/enrolled.txt" >"$tmp/e.sorted"
grep ',active,' "$tmp/roll.csv" | cut -d, -f1 | sort >"$tmp/r.sorted"
want=$(join "$tmp/e.sorted" "$tmp/r.sorted" | wc -l)
expect_status "the roll holds enrolled people" 0 test "$want" -gt 150

"$P" crosscheck --data "$data" --out "$tmp/found.csv" 2>"$tmp/summary"
expect_output "finds exactly them" "$want" bash -c 'wc -l <"$0"' "$tmp/found.csv"
expect_output "the same CURPs as join" "" bash -c \
    'cut -d, -f2 "$0" | sort | diff - <(join "$1" "$2")' "$tmp/found.csv" "$tmp/e.sorted" "$tmp/r.sorted"
expect_contains "summary counts" "2500 active enrollments compared" cat "$tmp/summary"
expect_contains "ISSSTE matches named" ",ISSSTE" cat "$tmp/found.csv"
expect_output "stdout masks the CURP" "0" bash -c \
    '"$0" crosscheck --data "$1" 2>/dev/null | grep -cE "[A-Z]{4}[0-9]{6}"' "$P" "$data"
expect_output "stdout lists them all" "$want" bash -c \
    '"$0" crosscheck --data "$1" 2>/dev/null | grep -c "\*\*\*\*"' "$P" "$data"

expect_status "--notify needs --suspend" 2 "$P" crosscheck --notify --data "$data"
"$P" crosscheck --suspend --notify --data "$data" --out "$tmp/suspended.csv" 2>"$tmp/summary2"
expect_contains "suspended them" "suspended: $want" cat "$tmp/summary2"
with_email=$(sql "$data" "SELECT count(*) FROM registration
    WHERE suspended_at IS NOT NULL AND email IS NOT NULL")
expect_output "one mail each, with an email" "$with_email" sql "$data" \
    "SELECT count(*) FROM outbox"
expect_output "suspended by their roll" "$want" sql "$data" \
    "SELECT count(*) FROM registration WHERE suspended_at IS NOT NULL
     AND suspended_institution IN (0, 1)"
"$P" crosscheck --data "$data" --out "$tmp/again.csv" 2>"$tmp/summary3"
expect_output "next run skips the suspended" "0" bash -c 'wc -l <"$0"' "$tmp/again.csv"
expect_contains "and counts the rest" "$((2500 - want)) active enrollments compared" cat "$tmp/summary3"

sqlite_only crosscheck "the query plans checked are SQLite's"
plan=$(sql "$data" "EXPLAIN QUERY PLAN SELECT curp FROM registration
    WHERE status = 1 AND suspended_at IS NULL ORDER BY curp;
    EXPLAIN QUERY PLAN SELECT curp FROM affiliation WHERE institution = 1 AND active = 1
    ORDER BY curp")
expect_contains "enrollments from a covering index" "USING COVERING INDEX registration_unsuspended" echo "$plan"
expect_contains "roll from its primary key" "USING PRIMARY KEY" echo "$plan"
expect_status "no sort" 1 grep -q "TEMP B-TREE" <<<"$plan"

finish crosscheck
