#!/usr/bin/env bash
# Password reset through the API: a code by email for an active enrollment, a
# new password with it; the same answer for unknown logins; a spent, wrong or
# purpose-crossed code refused; every session ends with a reset.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

serve_start "$data"
url=${base}api/v1
post() { curl -s -w ' %{http_code}' -X POST -H 'Content-Type: application/json' -d "$2" "$url/$1"; }
code_of() { echo "${1% *}" | jq -r "$2"; }
newest_code() { mail_code "$data" "$1" "$2"; }
OLD='Nopal-Azul#Tlayuda7' NEW='Mole-Negro#Chapulin8'

enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
enroll_call POST /submit >/dev/null
session=$(post sessions "{\"login\":\"ana@ejemplo.mx\",\"password\":\"$OLD\"}" | sed 's/ [0-9]*$//' | jq -r .token)

expect_output "a reset request is accepted" "202 sent_if_enrolled" \
    bash -c 'r=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"login\":\"PXNE660720HMCXTN06\"}" "$0"); echo "${r##* } $(echo "${r% *}" | jq -r .status)"' "$url/password-resets"
expect_output "an unknown login gets the same answer" "202 sent_if_enrolled" \
    bash -c 'r=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"login\":\"nadie@ejemplo.mx\"}" "$0"); echo "${r##* } $(echo "${r% *}" | jq -r .status)"' "$url/password-resets"
code=$(newest_code ana@ejemplo.mx "elegir una")
expect_output "the code arrives by mail" "6" bash -c 'echo -n "$0" | wc -c' "$code"
expect_output "and no mail for the unknown login" "0" bash -c 'grep -l "^To: nadie@" "$0"/mail/new/* 2>/dev/null | wc -l' "$data"

expect_output "no code: 422 required at the field" "422 code" \
    bash -c 'r=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"login\":\"ana@ejemplo.mx\",\"password\":\"$1\"}" "$0"); echo "${r##* } $(echo "${r% *}" | jq -r .error.field)"' "$url/password-resets/confirm" "$NEW"
r=$(post password-resets/confirm "{\"login\":\"ana@ejemplo.mx\",\"code\":\"$code\",\"password\":\"corta\"}")
expect_output "a weak new password: 422 weak_password, code not spent" "422 weak_password" echo "${r##* } $(code_of "$r" .error.code)"
wrong=$(printf '%06d' $(( (10#$code + 1) % 1000000 )))
r=$(post password-resets/confirm "{\"login\":\"ana@ejemplo.mx\",\"code\":\"$wrong\",\"password\":\"$NEW\"}")
expect_output "a wrong code: 422 wrong_code" "422 wrong_code" echo "${r##* } $(code_of "$r" .error.code)"
r=$(post password-resets/confirm "{\"login\":\"nadie@ejemplo.mx\",\"code\":\"$code\",\"password\":\"$NEW\"}")
expect_output "an unknown login with a code: the same wrong_code" "422 wrong_code" echo "${r##* } $(code_of "$r" .error.code)"
r=$(post password-resets/confirm "{\"login\":\"PXNE660720HMCXTN06\",\"code\":\"$code\",\"password\":\"$NEW\"}")
expect_output "the right code sets the password" "200 changed" echo "${r##* } $(code_of "$r" .status)"
expect_output "the old session ended" "401" curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $session" "$url/registrations/$id"
expect_output "the old password no longer signs in" "401" \
    bash -c 'curl -s -o /dev/null -w "%{http_code}" -X POST -H "Content-Type: application/json" -d "{\"login\":\"ana@ejemplo.mx\",\"password\":\"$1\"}" "$0"' "$url/sessions" "$OLD"
expect_output "the new one does" "201" \
    bash -c 'curl -s -o /dev/null -w "%{http_code}" -X POST -H "Content-Type: application/json" -d "{\"login\":\"ana@ejemplo.mx\",\"password\":\"$1\"}" "$0"' "$url/sessions" "$NEW"
r=$(post password-resets/confirm "{\"login\":\"ana@ejemplo.mx\",\"code\":\"$code\",\"password\":\"Otra-Mas#Segura99\"}")
expect_output "a spent code does not work twice" "422 wrong_code" echo "${r##* } $(code_of "$r" .error.code)"

# A draft's email-verification code is not a reset code, nor the reverse.
enroll_start SABC560626MDFLRN01
enroll_call PUT /contact -H 'Content-Type: application/json' \
    -d '{"state":"20","email":"beto@ejemplo.mx","privacy_notice_version":"2026-11"}' >/dev/null
vcode=$(newest_code beto@ejemplo.mx "confirmar este")
r=$(post password-resets/confirm "{\"login\":\"beto@ejemplo.mx\",\"code\":\"$vcode\",\"password\":\"$NEW\"}")
expect_output "a draft's verification code resets nothing" "422 wrong_code" echo "${r##* } $(code_of "$r" .error.code)"
post password-resets '{"login":"ana@ejemplo.mx"}' >/dev/null
expect_output "a second request within a minute sends no second mail" "1" \
    bash -c 'grep -l "^To: ana@ejemplo.mx" "$0"/mail/new/* | xargs grep -l "elegir una" | wc -l' "$data"
expect_output "unknown fields are refused" "400" \
    curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"login":"a@b.mx","admin":true}' "$url/password-resets"

finish reset
