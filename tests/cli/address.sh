#!/usr/bin/env bash
# The address step and the postal-code lookup: without the SEPOMEX catalog
# (INEGI state and municipality, typed settlement) and with it (postal code,
# state, municipality and settlement must agree). The second half needs the
# SEPOMEX file beside the repository (../shared/data) and is skipped without it.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
sepomex="$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/sepomex_codigos_postales.tsv"

start() {
    serve_stop
    serve_start "$tmp/var"
    url=${base}api/v1
    local r
    r=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"curp":"PXNE660720HMCXTN06"}' "$url/registrations")
    id=$(echo "$r" | jq -r .id)
    token=$(echo "$r" | jq -r .token)
}
addr() { # postal_code state municipality settlement street number interior
    printf '{"postal_code":"%s","state":"%s","municipality":"%s","settlement":"%s","street":"%s","number":"%s","interior":"%s"}' "$@"
}
put() { curl -s -X PUT -H 'Content-Type: application/json' -H "Authorization: Bearer $token" -d "$1" "$url/registrations/$id/address"; }
code_field() { bash -c 'echo "$0" | jq -r "\"\\(.error.code) \\(.error.field)\""' "$(put "$1")"; }

# Without SEPOMEX.
start
expect_contains "server says postal codes are not imported" "postal codes not imported" cat "$tmp/out"
expect_output "typed settlement accepted" "01000 09 010 San Ángel Av. Revolución 1500" \
    bash -c 'echo "$0" | jq -r ".address | \"\(.postal_code) \(.state) \(.municipality) \(.settlement) \(.street) \(.number)\""' \
    "$(put "$(addr 01000 09 010 '  San Ángel ' 'Av.  Revolución' 1500 '')")"
expect_output "interior is optional" "null" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r .address.interior' "$url/registrations/$id" "$token"
expect_output "bad postal code" "invalid_postal_code postal_code" code_field "$(addr 1000 09 010 x y 1 '')"
expect_output "unknown municipality" "invalid_municipality municipality" code_field "$(addr 01000 09 999 x y 1 '')"
expect_output "state not participating" "state_not_participating state" code_field "$(addr 44100 14 039 x y 1 '')"
expect_output "street required" "required street" code_field "$(addr 01000 09 010 x '  ' 1 '')"
expect_output "number too long" "too_long number" code_field "$(addr 01000 09 010 x y 123456789012345678901 '')"
expect_output "line break refused" "invalid_text street" code_field "$(addr 01000 09 010 x 'a\nb' 1 '')"
expect_output "lookup without the catalog" "503 postal_codes_not_imported" \
    bash -c 'b=$(curl -s -w " %{http_code}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' "$url/postal-codes/01000"

if [ ! -f "$sepomex" ]; then
    echo "address: SEPOMEX file not found beside the repository: catalog checks skipped"
    finish address
    exit $?
fi

# With SEPOMEX.
"$P" import postal-codes "$sepomex" --data "$tmp/var" >/dev/null
start
expect_output "lookup" "Ciudad de México Álvaro Obregón San Ángel" \
    bash -c 'curl -s "$0" | jq -r "\"\(.state.name) \(.municipality.name) \(.settlements[0].name)\""' "$url/postal-codes/01000"
expect_output "unknown code" "404" curl -s -o /dev/null -w '%{http_code}' "$url/postal-codes/00000"
expect_output "settlement without case or accents, catalog spelling kept" "San Ángel" \
    bash -c 'echo "$0" | jq -r .address.settlement' "$(put "$(addr 01000 09 010 'san angel' 'Av. Revolución' 1500 'A')")"
first=$(curl -s "$url/postal-codes/70400" | jq -r .settlements[0].name)
expect_output "a later address replaces it" "70400 20 551 $first" \
    bash -c 'echo "$0" | jq -r ".address | \"\(.postal_code) \(.state) \(.municipality) \(.settlement)\""' \
    "$(put "$(addr 70400 20 551 "$first" 'Juárez' 3 '')")"
expect_output "postal code of another state" "postal_code_other_state postal_code" code_field "$(addr 01000 20 551 x y 1 '')"
expect_output "postal code of another municipality" "postal_code_other_municipality municipality" code_field "$(addr 01000 09 002 x y 1 '')"
expect_output "settlement not of that code" "unknown_settlement settlement" code_field "$(addr 01000 09 010 'Narvarte' y 1 '')"
expect_output "unknown postal code" "unknown_postal_code postal_code" code_field "$(addr 00000 09 010 x y 1 '')"

finish address
