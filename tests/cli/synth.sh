#!/usr/bin/env bash
# padron synth: the same seed writes the same enrollments and roll; every CURP is
# valid; the roll imports as it is; missing name tables are refused clearly.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
names=$(cd "$(dirname "$0")/../.." && pwd)/../shared/data
if [ ! -f "$names/nombres_apellidos.csv" ]; then
    echo "synth: skipped (no name-frequency tables in ../shared/data)"
    exit 0
fi
synth() { "$P" synth --people 3000 --names "$names" --roll-share 0.2 "$@"; }

expect_contains "summary" "synthesized 3000 active enrollments" \
    synth --seed 11 --data "$tmp/a" --out-roll "$tmp/a.csv" --out-enrolled "$tmp/a.txt"
synth --seed 11 --data "$tmp/b" --out-roll "$tmp/b.csv" --out-enrolled "$tmp/b.txt" >/dev/null
synth --seed 12 --data "$tmp/c" --out-roll "$tmp/c.csv" >/dev/null
dump() { sql "$1" "SELECT r.id, curp, folio, given_names, first_surname,
    second_surname, email, r.created_at, a.state, a.municipality, settlement, street, number
    FROM registration r JOIN address a ON a.registration = r.id ORDER BY r.id" | sha256sum; }
expect_output "same seed, same enrollments" "$(dump "$tmp/a")" dump "$tmp/b"
expect_output "same seed, same roll" "$(sha256sum <"$tmp/a.csv")" sha256sum <"$tmp/b.csv"
expect_status "another seed, other people" 1 cmp -s "$tmp/a.csv" "$tmp/c.csv"
expect_output "every enrolled CURP is valid" "3000" \
    bash -c '"$0" curp check --today 2025-06-30 - <"$1" | grep -c "	valid"' "$P" "$tmp/a.txt"
expect_output "all active" "3000|3000" sql "$tmp/a" \
    "SELECT count(*), count(DISTINCT curp) FROM registration WHERE status = 1"
# Addresses are written 100 to a statement; each commit writes the ones waiting.
expect_output "one address each" "3000|3000" sql "$tmp/a" \
    "SELECT count(*), count(DISTINCT registration) FROM address"
synth --seed 11 --batch 1330 --data "$tmp/e" >/dev/null
expect_output "commits every 1330 (addresses left over at a commit and at the end): the same" "$(dump "$tmp/a")" \
    dump "$tmp/e"
expect_output "roll size is 0.7 N plus its header" "2101" bash -c 'wc -l <"$0"' "$tmp/a.csv"
expect_contains "roll imports as written" "imported 2100 rows" \
    "$P" import affiliations --institution IMSS "$tmp/a.csv" --data "$tmp/a"
share=$(grep -c ',active,' <(grep -Ff "$tmp/a.txt" "$tmp/a.csv"))
expect_status "about a fifth of the people active in the roll" 0 test "$share" -gt 500 -a "$share" -lt 700

expect_contains "missing name tables refused" "nombres_hombres.csv: cannot read it" \
    "$P" synth --people 5 --names "$tmp/nowhere" --data "$tmp/d"
expect_status "missing name tables exit 1" 1 "$P" synth --people 5 --names "$tmp/nowhere" --data "$tmp/d"
expect_status "--people required" 2 "$P" synth --data "$tmp/d"
expect_status "bad --roll-share" 2 "$P" synth --people 5 --roll-share 1.5 --data "$tmp/d"
expect_status "unknown option" 2 "$P" synth --people 5 --bogus

finish synth
