#!/usr/bin/env bash
# Phone confirmation by SMS through a generic webhook: the code goes out as JSON
# to the gateway (retried while it fails), confirms the phone through the API and
# the page; a wrong code is refused; without a gateway the phone stays
# unconfirmed and nothing is sent.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)

mkdir -p "$tmp/sms"
/usr/bin/python3 "$tools/webhook.py" "$tmp/port" "$tmp/sms" 1 &
gateway=$!
trap 'kill $gateway 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
data=$tmp/var
serve_start "$data" PADRON_SMS_WEBHOOK_URL="http://127.0.0.1:$(cat "$tmp/port")/sms" \
    PADRON_SMS_WEBHOOK_TOKEN=s3creto PADRON_MAIL_RETRY_SECONDS=1
url=${base}api/v1
# sms_body N: the Nth request the gateway received, once it has arrived.
sms_body() { for _ in $(seq 600); do [ -s "$tmp/sms/$1.json" ] && break; sleep 0.1; done; cat "$tmp/sms/$1.json"; }

enroll_start PXNE660720HMCXTN06
r=$(enroll_call PUT /contact -H 'Content-Type: application/json' \
    -d '{"state":"20","email":"ana@ejemplo.mx","phone":"951 123 4567","privacy_notice_version":"2026-11"}')
expect_output "the contact step sends a code by SMS" "sent" bash -c 'echo "$0" | jq -r .phone_verification' "$r"
expect_output "the gateway failed once; the retry reached it" "+529511234567" bash -c 'echo "$0" | jq -r .to' "$(sms_body 2)"
expect_output "with the configured bearer token" "Bearer s3creto" cat "$tmp/sms/2.auth"
code=$(sms_body 2 | jq -r .text | grep -oE '[0-9]{6}')
expect_output "the text is short enough for one SMS" "yes" \
    bash -c '[ "$(echo "$0" | jq -r .text | wc -c)" -le 161 ] && echo yes' "$(sms_body 2)"
expect_output "the code never reaches the server's log" "0" grep -c "$code" "$tmp/out"
wrong=$(printf '%06d' $(( (10#$code + 1) % 1000000 )))
expect_output "a wrong code is refused" "422 wrong_code" \
    bash -c 'r=$(curl -s -w " %{http_code}" -X POST -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"code\":\"$2\"}" "$0"); echo "${r##* } $(echo "${r% *}" | jq -r .error.code)"' \
    "$url/registrations/$id/phone-verification" "$token" "$wrong"
expect_output "an email code does not confirm the phone" "422" \
    bash -c 'curl -s -o /dev/null -w "%{http_code}" -X POST -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"code\":\"$2\"}" "$0"' \
    "$url/registrations/$id/phone-verification" "$token" "$(grep -hoE '^    [0-9]{6}' "$data"/mail/new/* 2>/dev/null | head -1 | tr -d ' ')"
expect_output "the right code confirms the phone" "true" \
    bash -c 'curl -s -X POST -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"code\":\"$2\"}" "$0" | jq -r .contact.phone_confirmed' \
    "$url/registrations/$id/phone-verification" "$token" "$code"
expect_output "a confirmed phone needs no other code" "verified" \
    bash -c 'curl -s -X POST -H "Authorization: Bearer $1" "$0" | jq -r .phone_verification' "$url/registrations/$id/phone-verification/resend" "$token"
r=$(enroll_call PUT /contact -H 'Content-Type: application/json' \
    -d '{"state":"20","email":"ana@ejemplo.mx","phone":"951 765 4321","privacy_notice_version":"2026-11"}')
expect_output "a new number loses the confirmation" "false" bash -c 'echo "$0" | jq -r .contact.phone_confirmed' "$r"

# The page: after the email code, the SMS code is offered and may be skipped.
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
page "${base}registro/curp" >/dev/null
csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
go -d "csrf=$csrf&curp=SABC560626MDFLRN01" "${base}registro/curp" >/dev/null
go -d "csrf=$csrf&state=20&email=beto@ejemplo.mx&phone=5512345678&privacy_notice_version=2026-11" "${base}registro/contacto" >/dev/null
ecode=$(mail_code "$data" beto@ejemplo.mx)
expect_output "a right email code leads to the phone's code" "/registro/celular" \
    go -d "csrf=$csrf&code=$ecode" "${base}registro/verificacion"
expect_contains "the page names the number as people write it" "55 1234 5678" page "${base}registro/celular"
expect_contains "and the skip link" 'href="/registro/contrasena"' page "${base}registro/celular"
n=$(ls "$tmp/sms"/*.json | wc -l)
pcode=$(cat "$tmp/sms/$n.json" | jq -r .text | grep -oE '[0-9]{6}')
expect_contains "a wrong SMS code: error at the field" 'id="code-error"' page -d "csrf=$csrf&code=$wrong" "${base}registro/celular"
expect_output "the right one: on to the password" "/registro/contrasena?celular=confirmado" \
    go -d "csrf=$csrf&code=$pcode" "${base}registro/celular"
expect_output "nothing left to confirm: the page sends you on" "/registro/contrasena" go "${base}registro/celular"
serve_stop

# Without a gateway: nothing is sent, the phone is recorded unconfirmed.
serve_start "$tmp/var2"
url=${base}api/v1
enroll_start GODE561231MHGMZM07
r=$(enroll_call PUT /contact -H 'Content-Type: application/json' \
    -d '{"state":"20","email":"carla@ejemplo.mx","phone":"9511234567","privacy_notice_version":"2026-11"}')
expect_output "no gateway: the phone stays unconfirmed" "unconfirmed false" \
    bash -c 'echo "$0" | jq -r "\"\(.phone_verification) \(.contact.phone_confirmed)\""' "$r"
expect_output "and the phone endpoint says why" "409 sms_not_configured" \
    bash -c 'r=$(curl -s -w " %{http_code}" -X POST -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"code\":\"123456\"}" "$0"); echo "${r##* } $(echo "${r% *}" | jq -r .error.code)"' \
    "$url/registrations/$id/phone-verification" "$token"

finish sms
