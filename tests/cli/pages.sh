#!/usr/bin/env bash
# The wizard's HTML pages without JavaScript: CSRF on every form post, errors in a
# summary and at the field, the same rules as the API, and the application cookie.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON

serve_start "$tmp/var"
url=${base}
jar=$tmp/jar
curl -s -c "$jar" -b "$jar" "${url}registro/curp" >"$tmp/form.html"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$tmp/form.html" | sed 's/.*value="//; s/"$//')
post() { curl -s -c "$jar" -b "$jar" -d "$1" "${url}registro/curp"; }

expect_output "the form carries a CSRF token" "43" bash -c 'echo -n "$0" | wc -c' "$csrf"
expect_contains "the csrf cookie is HttpOnly" "HttpOnly; SameSite=Lax" curl -si "${url}registro/curp"
expect_contains "invalid CURP: summary" 'role="alert"' post "csrf=$csrf&curp=SABC560626MDFLRN09"
expect_contains "invalid CURP: marked on the field" 'aria-invalid="true"' post "csrf=$csrf&curp=SABC560626MDFLRN09"
expect_contains "the typed value is kept" 'value="SABC560626MDFLRN09"' post "csrf=$csrf&curp=SABC560626MDFLRN09"
expect_contains "in English" "The last digit of the CURP" \
    curl -s -c "$jar" -b "$jar" -H 'Accept-Language: en' -d "csrf=$csrf&curp=SABC560626MDFLRN09" "${url}registro/curp"
expect_output "wrong CSRF token refused" "403" \
    curl -s -o /dev/null -w '%{http_code}' -b "$jar" -d "csrf=x&curp=SABC560626MDFLRN01" "${url}registro/curp"
expect_output "no CSRF cookie refused" "403" \
    curl -s -o /dev/null -w '%{http_code}' -d "csrf=$csrf&curp=SABC560626MDFLRN01" "${url}registro/curp"
expect_output "undeclared field refused" "400" \
    curl -s -o /dev/null -w '%{http_code}' -b "$jar" -d "csrf=$csrf&curp=X&admin=1" "${url}registro/curp"
expect_output "wrong content type" "415" \
    curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H 'Content-Type: text/plain' -d "x" "${url}registro/curp"
headers=$(curl -s -D - -o /dev/null -c "$jar" -b "$jar" -d "csrf=$csrf&curp=sabc560626mdflrn01" "${url}registro/curp")
expect_contains "valid CURP: next step" "Location: /registro/nombre" echo "$headers"
expect_contains "application cookie, HttpOnly" "solicitud=" echo "$headers"
expect_output "the draft exists through the API too" "SABC560626MDFLRN01" bash -c '
    c=$(grep solicitud "$1" | awk "{print \$7}"); id=${c%%.*}; tok=${c#*.}
    curl -s -H "Authorization: Bearer $tok" "$0api/v1/registrations/$id" | jq -r .curp' "$url" "$jar"

# Step 2: contact data and the privacy notice.
page() { curl -s -c "$jar" -b "$jar" "$@"; }
expect_contains "contact form lists participating states" '<option value="20">Oaxaca</option>' page "${url}registro/contacto"
expect_contains "and the privacy notice" "Aviso de privacidad" page "${url}registro/contacto"
expect_output "without the application cookie: back to step 1" "303 /registro/curp" \
    bash -c 'curl -s -o /dev/null -w "%{http_code} %{redirect_url}" "$0" | sed "s|http://[^/]*||"' "${url}registro/contacto"
contact() { page -d "csrf=$csrf&state=$1&email=$2&phone=$3&privacy_notice_version=$4" "${url}registro/contacto"; }
expect_contains "a state outside the program is explained" "Jalisco no forma parte de IMSS-Bienestar" contact 14 ana@ejemplo.mx "" 2026-11
expect_contains "notice not accepted: error at the checkbox" 'id="privacy_notice_version-error"' contact 20 ana@ejemplo.mx "" ""
expect_contains "bad email: error at the field, value kept" 'value="ana@localhost"' contact 20 ana@localhost "" 2026-11
expect_output "valid contact: on to the code" "/registro/verificacion" \
    bash -c 'curl -s -o /dev/null -w "%{redirect_url}" -c "$1" -b "$1" -d "csrf=$2&state=20&email=ana@ejemplo.mx&phone=951+123+4567&privacy_notice_version=2026-11" "$0" | sed "s|http://[^/]*||"' \
    "${url}registro/contacto" "$jar" "$csrf"
code=$(mail_code "$tmp/var" ana@ejemplo.mx)

# Step 3: the code.
expect_contains "the page names the address" "ana@ejemplo.mx" page "${url}registro/verificacion"
expect_contains "wrong code: error at the field" 'id="code-error"' page -d "csrf=$csrf&code=000000" "${url}registro/verificacion"
expect_output "right code: on to the password" "/registro/contrasena?correo=confirmado" \
    bash -c 'curl -s -o /dev/null -w "%{redirect_url}" -c "$1" -b "$1" -d "csrf=$2&code=$3" "$0" | sed "s|http://[^/]*||"' \
    "${url}registro/verificacion" "$jar" "$csrf" "$code"
expect_contains "password page: email confirmed" "Su correo quedó confirmado" page "${url}registro/contrasena?correo=confirmado"
expect_output "status: contact, email and notice done; six pending (the names too)" "3 6" \
    bash -c 'h=$(curl -s -b "$1" "$0"); echo "$(grep -c ">hecho<" <<<"$h") $(grep -c ">pendiente<" <<<"$h")"' "${url}registro/estado" "$jar"

# The program's phone line: none is invented; a configured one is on every page.
expect_contains "no help line configured: where to ask instead" "Pregunte en su centro de salud" page "${url}cobertura"
serve_stop
serve_start "$tmp/var" PADRON_HELP_PHONE="800 123 4567"
expect_contains "a configured help line, callable" '<a href="tel:8001234567">800 123 4567</a>' curl -s "${base}cobertura"
serve_stop
expect_status "a help line that is not a phone number is refused" 2 \
    env PADRON_HELP_PHONE="llame ya" "$PADRON" serve --check-config --data "$tmp/var"

finish pages
