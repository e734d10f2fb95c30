#!/usr/bin/env bash
# padron import: every import streams and reports. The summary on stderr names the
# refused rows with their line numbers (all-or-nothing imports and --skip-invalid
# alike); the progress bar is drawn only when stderr is a terminal (faked with
# `script`); the peak memory of a roll import does not grow with the roll.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
data=$tmp/var

# A roll with two bad rows (lines 3 and 5) among good ones.
cat >"$tmp/roll.csv" <<'CSV'
curp,nss,status
SABC560626MDFLRN01,92919084431,active
SABC560626MDFLRN09,,active
pxne660720hmcxtn06,,inactive
LOOA531113HTCPBN07,,retired
CSV
expect_contains "refused roll names line 3" "refused line 3: curp: check_digit" \
    "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data"
expect_contains "refused roll names line 5 too" "refused line 5: status: 'retired' is neither" \
    "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data"
expect_contains "refused roll counts" "5 lines (0.0 MB)" \
    "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data"
expect_contains "refused roll counts rows" "2 rows taken, 2 refused" \
    "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data"
expect_status "refused roll exits 1" 1 \
    "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data"
expect_output "skip-invalid keeps the good rows" \
    "imported 2 rows (1 active) into the IMSS roll; skipped 2 invalid rows" \
    "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data" --skip-invalid
expect_contains "skip-invalid summary names the lines" "refused line 5: status" \
    "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data" --skip-invalid

# More refusals than the summary shows: the first five, then a count.
{
    echo codigo,descripcion
    for i in 1 2 3 4 5 6 7; do echo "X$i,bad code $i"; done
    echo "E11,Diabetes"
} >"$tmp/cie.csv"
expect_contains "diagnoses: first refusal is the error" "cie.csv: line 2: codigo 'X1'" \
    "$P" import diagnoses "$tmp/cie.csv" --data "$data"
expect_contains "diagnoses: the fifth refusal is listed" "refused line 6: codigo 'X5'" \
    "$P" import diagnoses "$tmp/cie.csv" --data "$data"
expect_contains "diagnoses: the rest are counted" "... and 2 more refused rows" \
    "$P" import diagnoses "$tmp/cie.csv" --data "$data"
printf 'codigo,descripcion\nE11,Diabetes\nE119,Diabetes sin complicaciones\ne11,Otra vez\n' >"$tmp/dup.csv"
expect_contains "diagnoses: a code twice names both lines" \
    "refused line 4: code E11 listed twice (first at line 2)" \
    "$P" import diagnoses "$tmp/dup.csv" --data "$data"

# Progress: never on a pipe or a file, always on a terminal.
printf 'curp\nSABC560626MDFLRN01\nLOOA531113HTCPBN07\n' >"$tmp/good.csv"
"$P" import affiliations --institution IMSS "$tmp/good.csv" --data "$data" >"$tmp/out" 2>"$tmp/err"
expect_output "summary on stderr when not a terminal" "1" \
    grep -c "read 3 lines .* 2 rows taken, 0 refused" "$tmp/err"
expect_output "no progress bar when not a terminal" "0" \
    bash -c 'tr "\r" "\n" <"$0" | grep -c "ETA"' "$tmp/err"
expect_output "no carriage return when not a terminal" "0" bash -c 'grep -c $'"'"'\r'"'"' "$0"' "$tmp/err"
if command -v script >/dev/null; then
    script -qec "$P import affiliations --institution IMSS $tmp/good.csv --data $data" \
        /dev/null </dev/null >"$tmp/tty" 2>&1
    expect_output "progress bar on a terminal" "1" \
        bash -c 'tr "\r" "\n" <"$0" | grep -c "^import affiliations \[#*\] 100% .* 2 rows .*ETA"' \
        "$tmp/tty"
    expect_contains "the bar is cleared before the summary" $'\r\033[K' cat "$tmp/tty"
fi

# Streaming: the peak resident size of a roll import does not grow with the roll
# (10,000 rows against 100,000; a whole-file reader would need 3.4 MB more). Under
# AddressSanitizer freed memory waits in a quarantine that grows with the work done:
# it is turned off for this measurement.
if [ -x /usr/bin/time ]; then
    peak() {
        rm -rf "$tmp/peak"
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
            /usr/bin/time -f '%M' -o "$tmp/rss" "$P" import affiliations --institution ISSSTE "$1" \
            --data "$tmp/peak" >/dev/null 2>&1 && cat "$tmp/rss"
    }
    for n in 10000 300000; do
        "$P" synth --people 10 --roll-entries "$n" --data "$tmp/synth-$n" \
            --out-roll "$tmp/roll-$n.csv" >/dev/null 2>&1
    done
    small=$(peak "$tmp/roll-10000.csv") big=$(peak "$tmp/roll-300000.csv")
    # 30 times the rows (an 11 MB file) within 6 MB: room for the sanitizers' allocator,
    # not for the file.
    expect_output "peak RSS flat from 10k to 300k rows (${small} KB, ${big} KB)" "yes" \
        bash -c '[ "$1" -gt 0 ] && [ "$2" -lt $(($1 + 6144)) ] && echo yes' _ "${small:-0}" "${big:-0}"
fi

finish imports
