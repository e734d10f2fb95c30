#!/usr/bin/env bash
# padron nss: check and check-digit, output format and exit statuses.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON

expect_output "worked example" $'92919084431\tvalid\tsubdelegation=92\tregistered=1991\tborn=1990\tconsecutive=8443' \
    "$P" nss check --today 2026-11-23 92919084431
expect_output "options after values" $'92919084431\tvalid' \
    bash -c '"$0" nss check 92919084431 --today 2026-11-23 | cut -f1,2' "$P"
expect_output "check digit" $'92919084432\tinvalid\tcheck_digit: expected 1, found 2' "$P" nss check 92919084432
expect_output "length" $'9291908443\tinvalid\tlength: 10 digits, expected 11' "$P" nss check 9291908443
expect_contains "charset" $'invalid\tcharset: position 11 has \'A\'' "$P" nss check 9291908443A
expect_contains "years" $'invalid\tyears:' "$P" nss check --today 2026-11-23 "12345678903"
expect_output "check-digit" "1" "$P" nss check-digit 9291908443
expect_status "check-digit usage" 2 "$P" nss check-digit 929190844
expect_status "all valid" 0 "$P" nss check 92919084431
expect_status "any invalid" 1 "$P" nss check 92919084431 92919084432
expect_status "no input" 2 "$P" nss check
expect_output "stdin" $'92919084431\tvalid\n92919084432\tinvalid' \
    bash -c 'printf " 92919084431 \r\n92919084432\n" | "$0" nss check - | cut -f1,2' "$P"
expect_status "help" 0 "$P" nss --help

finish nss
