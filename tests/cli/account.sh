#!/usr/bin/env bash
# The account pages without JavaScript: sign in with CURP or email, the session
# cookie and its rotation, my enrollment with its photos, a move, signing out, and
# the password reset by emailed code.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

serve_start "$data"
url=${base}api/v1
site=$base
enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
folio=$(enroll_call POST /submit | jq -r .folio)
PW='Nopal-Azul#Tlayuda7' NEW='Mole-Negro#Chapulin8'

jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
status() { curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "$@"; }
cookie() { awk -v n="$1" '$6 == n {print $7}' "$jar"; }

expect_output "my account without a session: to the sign-in" "/entrar" go "${site}cuenta"
page "${site}entrar" >/dev/null
csrf=$(cookie csrf)
expect_contains "wrong password: one message for all" "no son correctos" \
    page --data-urlencode "csrf=$csrf" --data-urlencode "login=ana@ejemplo.mx" --data-urlencode "password=Mal#Clave1234" "${site}entrar"
expect_output "and no session cookie" "" cookie sesion
expect_output "a wrong CSRF token: 403" "403" status -d "csrf=x&login=ana@ejemplo.mx&password=x" "${site}entrar"
expect_output "sign in with the CURP: to my account" "/cuenta" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "login=pxne660720hmcxtn06" --data-urlencode "password=$PW" "${site}entrar"
expect_output "the session cookie is set" "43" bash -c 'echo -n "$0" | wc -c' "$(cookie sesion)"
expect_output "and the CSRF token rotated" "rotated" bash -c '[ "$0" != "$1" ] && [ -n "$1" ] && echo rotated' "$csrf" "$(cookie csrf)"
csrf=$(cookie csrf)
expect_contains "the session cookie is HttpOnly and SameSite" "sesion=" \
    bash -c 'curl -s -D - -o /dev/null --data-urlencode "csrf=$1" --data-urlencode "login=ana@ejemplo.mx" --data-urlencode "password=$2" -b "csrf=$1" "$0" | grep -i "^set-cookie: sesion=.*HttpOnly; SameSite=Lax"' "${site}entrar" "$csrf" "$PW"

page "${site}cuenta" >"$tmp/account.html"
expect_contains "my account shows the folio" "<strong>$folio</strong>" cat "$tmp/account.html"
expect_contains "and the address" "Juárez 3" cat "$tmp/account.html"
expect_output "and the three photos" "3" grep -c '<img src="/cuenta/documentos/' "$tmp/account.html"
expect_output "a photo comes back to the session" "image/jpeg" \
    curl -s -o /dev/null -w '%{content_type}' -b "$jar" "${site}cuenta/documentos/id_front"
expect_output "an unknown kind: 404" "404" status "${site}cuenta/documentos/selfie"

# A move keeps the enrollment active and shows the new address.
expect_contains "the move form asks the postal code first" 'action="/cuenta/domicilio"' page "${site}cuenta/domicilio?cambiar=1"
expect_output "a move saved: back to my account" "/cuenta?domicilio=cambiado" \
    go -d "csrf=$csrf&postal_code=68000&state=20&municipality=067&settlement=Centro&street=Morelos&number=10&interior=" "${site}cuenta/domicilio"
expect_contains "my account shows the new address" "Morelos 10" page "${site}cuenta?domicilio=cambiado"
expect_output "the API sees it too, still active" "Morelos active" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r "\"\(.address.street) \(.status)\""' "$url/registrations/$id" "$token"
expect_contains "a move outside the program is refused" 'id="estado-error"' page "${site}cuenta/domicilio?cp=44100&estado=14"

# The home clinic follows the move; a chosen position places it more precisely.
expect_contains "my account shows my clinic, nearest to the new address" \
    "$("$PADRON" facility nearest --lat 17.059993 --lon -96.725450 --level 1 | cut -f2)" page "${site}cuenta"
expect_contains "with a link to its page" 'href="/unidades/' page "${site}cuenta"
expect_contains "the move form offers an exact location" 'name="lat"' page "${site}cuenta/domicilio"
expect_contains "a position outside Mexico is refused next to the field" 'id="lat-error"' \
    page -d "csrf=$csrf&postal_code=68000&state=20&municipality=067&settlement=Centro&street=Morelos&number=10&interior=&lat=40.7&lon=-74" "${site}cuenta/domicilio"
expect_output "a move with a position saved" "/cuenta?domicilio=cambiado" \
    go -d "csrf=$csrf&postal_code=68000&state=20&municipality=067&settlement=Centro&street=Morelos&number=10&interior=&lat=17.0654&lon=-96.7237" "${site}cuenta/domicilio"
expect_output "the clinic nearest to that position" \
    "$("$PADRON" facility nearest --lat 17.0654 --lon -96.7237 --level 1 | cut -f1) move chosen" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r ".home_clinic | \"\(.clues) \(.reason) \(.located_by)\""' "$url/registrations/$id" "$token"
expect_contains "the form shows the stored position" 'value="17.065400"' page "${site}cuenta/domicilio"

# Signing out ends the session on the server, not only in the browser.
session=$(cookie sesion)
expect_output "sign out: to the sign-in page" "/entrar?hecho=salida" go -d "csrf=$csrf" "${site}salir"
expect_output "the cookie is gone" "" cookie sesion
expect_contains "the sign-in page says so" 'role="status">Salió de su cuenta.' curl -s "${site}entrar?hecho=salida"
expect_contains "after a reset, in English" 'role="status">Your password has changed.' \
    curl -s -H 'Accept-Language: en' "${site}entrar?hecho=contrasena"
expect_output "an unknown notice shows none" "0" bash -c 'curl -s "$0" | grep -c "role=\"status\""' "${site}entrar?hecho=x"
expect_output "the old session cookie opens nothing" "/entrar" \
    bash -c 'curl -s -o /dev/null -w "%{redirect_url}" -b "sesion=$1" "$0" | sed "s|http://[^/]*||"' "${site}cuenta" "$session"

# Password reset.
expect_contains "reset: the code form, whoever asks" 'action="/recuperar/codigo"' \
    page -d "csrf=$csrf&login=nadie@ejemplo.mx" "${site}recuperar"
expect_contains "reset: the same for a real account" 'action="/recuperar/codigo"' \
    page -d "csrf=$csrf&login=ana@ejemplo.mx" "${site}recuperar"
code=$(mail_code "$data" ana@ejemplo.mx "elegir una")
reset() { page --data-urlencode "csrf=$csrf" --data-urlencode "login=ana@ejemplo.mx" --data-urlencode "code=$1" \
    --data-urlencode "password=$2" --data-urlencode "password2=$3" "${site}recuperar/codigo"; }
expect_contains "reset: different passwords" 'id="password2-error"' reset "$code" "$NEW" "$PW"
expect_contains "reset: a weak password marks its rules" 'class="error">✗' reset "$code" "corta" "corta"
expect_contains "reset: a wrong code" 'id="code-error"' reset 000000 "$NEW" "$NEW"
expect_output "reset: the right code, then sign in" "/entrar?hecho=contrasena" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "login=ana@ejemplo.mx" --data-urlencode "code=$code" \
    --data-urlencode "password=$NEW" --data-urlencode "password2=$NEW" "${site}recuperar/codigo"
expect_output "the new password signs in" "/cuenta" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "login=ana@ejemplo.mx" --data-urlencode "password=$NEW" "${site}entrar"
expect_output "the login never travels in a URL" "0" grep -c 'recuperar?.*@' "$tmp/out"

finish account
