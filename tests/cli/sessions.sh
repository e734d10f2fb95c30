#!/usr/bin/env bash
# Signing in with CURP or email and password, sessions as bearer tokens, signing
# out, uniform refusals, and throttling per login and per client address.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
P=$PADRON
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

serve_start "$data"
url=${base}api/v1
login() { curl -s -X POST -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$2\"}" "$url/sessions"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$2\"}" "$url/sessions"; }
PW='Nopal-Azul#Tlayuda7'

enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
expect_output "a draft cannot sign in" "401" status_of PXNE660720HMCXTN06 "$PW"
enroll_call POST /submit >/dev/null
app=$id

r=$(login PXNE660720HMCXTN06 "$PW")
session=$(echo "$r" | jq -r .token)
expect_output "sign in with the CURP" "$app" bash -c 'echo "$0" | jq -r .registration' "$r"
expect_output "the session reads the account" "active" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r .status' "$url/registrations/$app" "$session"
expect_output "sign in with the email, any case" "201" status_of Ana@EJEMPLO.mx "$PW"
expect_output "sign in with a lower-case CURP" "201" status_of pxne660720hmcxtn06 "$PW"
expect_output "wrong password" "401 invalid_credentials" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"login\":\"ana@ejemplo.mx\",\"password\":\"Otra-Cosa#123\"}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' "$url/sessions"
expect_output "unknown login: the same answer" \
    "$(login ana@ejemplo.mx 'Otra-Cosa#123' | jq -c .error)" bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{\"login\":\"nadie@ejemplo.mx\",\"password\":\"x\"}" "$0" | jq -c .error' "$url/sessions"
enroll_start SABC560626MDFLRN01
expect_output "a session opens no other application" "401" curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $session" "$url/registrations/$id"
expect_output "missing password" "422" status_of ana@ejemplo.mx ""

# Five failures for one login block it, even with the right password, for a while.
# (One failure by email above; CURP and email count against the same account.)
for _ in 1 2 3 4; do status_of PXNE660720HMCXTN06 'Mal#Clave1234' >/dev/null; done
expect_output "throttled after five failures" "429 throttled" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"login\":\"PXNE660720HMCXTN06\",\"password\":\"$1\"}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' "$url/sessions" "$PW"
expect_output "says when to retry" "1" \
    bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{\"login\":\"PXNE660720HMCXTN06\",\"password\":\"x\"}" "$0" | jq -r "if .retry_after > 0 and .retry_after <= 900 then 1 else 0 end"' "$url/sessions"

# Signing out ends the session.
expect_output "sign out" "204" curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $session" "$url/sessions"
expect_output "the token is dead" "401" curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $session" "$url/registrations/$app"
expect_output "signing out twice" "401" curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $session" "$url/sessions"

# Twenty failures from one address block every login from it.
for i in $(seq 14); do status_of "otro$i@ejemplo.mx" 'x' >/dev/null; done
expect_output "address throttled" "429" status_of ana@ejemplo.mx "$PW"

finish sessions
