#!/usr/bin/env bash
# Contact changes of an active enrollment: a new phone is recorded unconfirmed at
# once; a new email waits for the code mailed to it (the sign-in keeps the old
# one meanwhile); through the API and the account pages.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

serve_start "$data"
url=${base}api/v1
PW='Nopal-Azul#Tlayuda7'
change() { curl -s -w ' %{http_code}' -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$1" "$url/registrations/$id/contact-change"; }
signin() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$PW\"}" "$url/sessions"; }
code_to() { mail_code "$data" "$1"; }

enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
r=$(change '{"email":"ana@ejemplo.mx","phone":"5512345678"}')
expect_output "a draft changes contact in the wizard, not here" "409 not_active" echo "${r##* } $(echo "${r% *}" | jq -r .error.code)"
enroll_call POST /submit >/dev/null

r=$(change '{"email":"ana@correo.mx","phone":"55 1234 5678"}')
expect_output "a new email is pending, the phone recorded at once" "200 sent ana@correo.mx ana@ejemplo.mx 5512345678 false" \
    echo "${r##* } $(echo "${r% *}" | jq -r '"\(.email_change) \(.pending_email) \(.contact.email) \(.contact.phone) \(.contact.phone_confirmed)"')"
expect_output "the sign-in keeps the old email meanwhile" "201 401" echo "$(signin ana@ejemplo.mx) $(signin ana@correo.mx)"
r=$(change '{"email":"ana@","phone":""}')
expect_output "a malformed email is refused at its field" "422 email" echo "${r##* } $(echo "${r% *}" | jq -r .error.field)"
r=$(change '{"email":"ana@ejemplo.mx","phone":"12"}')
expect_output "a malformed phone too" "422 phone" echo "${r##* } $(echo "${r% *}" | jq -r .error.field)"
code=$(code_to ana@correo.mx)
expect_output "the code went to the new address" "6" bash -c 'echo -n "$0" | wc -c' "$code"
expect_output "the verification code of another purpose does not count" "422" \
    bash -c 'curl -s -o /dev/null -w "%{http_code}" -X POST -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"code\":\"$2\"}" "$0"' \
    "$url/registrations/$id/email-change-verification" "$token" "$(code_to ana@ejemplo.mx)"
expect_output "the right code switches the email" "ana@correo.mx null true" \
    bash -c 'curl -s -X POST -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"code\":\"$2\"}" "$0" | jq -r "\"\(.contact.email) \(.pending_email) \(.contact.email_verified)\""' \
    "$url/registrations/$id/email-change-verification" "$token" "$code"
expect_output "now the new email signs in, the old one not" "201 401" echo "$(signin ana@correo.mx) $(signin ana@ejemplo.mx)"
r=$(change '{"email":"otra@correo.mx","phone":"5512345678"}')
expect_output "a second new email within a minute: throttled, nothing pending" "429 null" \
    echo "${r##* } $(enroll_call GET "" | jq -r .pending_email)"
r=$(change '{"email":"ANA@correo.mx","phone":"5512345678"}')
expect_output "the current email again cancels a pending change" "none null" \
    echo "$(echo "${r% *}" | jq -r '"\(.email_change) \(.pending_email)"')"

# The pages, with another enrollment (codes are throttled per enrollment).
enroll_start SABC560626MDFLRN01
enroll_complete beto@ejemplo.mx
enroll_call POST /submit >/dev/null
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
page "${base}entrar" >/dev/null
csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
go --data-urlencode "csrf=$csrf" --data-urlencode "login=beto@ejemplo.mx" --data-urlencode "password=$PW" "${base}entrar" >/dev/null
csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
expect_contains "my account links to the contact form" 'href="/cuenta/contacto"' page "${base}cuenta"
expect_contains "the form shows the current email" 'value="beto@ejemplo.mx"' page "${base}cuenta/contacto"
expect_contains "a bad email: error at the field, typed value kept" 'value="ana@x"' \
    page --data-urlencode "csrf=$csrf" --data-urlencode "email=ana@x" --data-urlencode "phone=" "${base}cuenta/contacto"
expect_output "a new email: on to its code" "/cuenta/correo" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "email=ana.nueva@correo.mx" --data-urlencode "phone=" "${base}cuenta/contacto"
expect_contains "the code page names the new address" "ana.nueva@correo.mx" page "${base}cuenta/correo"
expect_contains "my account shows it pending" "ana.nueva@correo.mx" page "${base}cuenta"
expect_output "the right code: back to my account, changed" "/cuenta?correo=cambiado" \
    go -d "csrf=$csrf&code=$(code_to ana.nueva@correo.mx)" "${base}cuenta/correo"
expect_contains "my account shows the new email" "<dd>ana.nueva@correo.mx</dd>" page "${base}cuenta?correo=cambiado"
expect_output "nothing pending: the code page sends you back" "/cuenta" go "${base}cuenta/correo"
expect_output "a phone change without an SMS gateway: saved, unconfirmed" "/cuenta?contacto=guardado" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "email=ana.nueva@correo.mx" --data-urlencode "phone=951 123 4567" "${base}cuenta/contacto"
expect_contains "shown as unconfirmed" "9511234567 (sin confirmar)" page "${base}cuenta"

finish contact_change
