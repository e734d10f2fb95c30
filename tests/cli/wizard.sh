#!/usr/bin/env bash
# The wizard's steps 5 to 8 through the plain HTML forms, as a browser without
# JavaScript sends them: password typed twice, the two-stage address (postal code
# first), one multipart upload per photo, review, submit and the folio page. The
# first four steps are pages.sh's and names.sh's; here they are done through the same forms.
set -u
. "$(dirname "$0")/lib.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)

serve_start "$tmp/var"
url=${base}
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
# go METHOD-ARGS...: the path a form post redirects to ("" when it does not).
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
status() { curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "$@"; }

page "${url}registro/curp" >"$tmp/form.html"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$tmp/form.html" | sed 's/.*value="//; s/"$//')
go -d "csrf=$csrf&curp=SABC560626MDFLRN01" "${url}registro/curp" >/dev/null
go --data-urlencode "csrf=$csrf" --data-urlencode "given_names=Concepción" --data-urlencode "first_surname=Salgado" \
    --data-urlencode "second_surname=Briseño" "${url}registro/nombre" >/dev/null

expect_output "password before the email: the page still opens" "200" status "${url}registro/contrasena"
go -d "csrf=$csrf&state=20&email=ana@ejemplo.mx&privacy_notice_version=2026-11" "${url}registro/contacto" >/dev/null
code=$(mail_code "$tmp/var" ana@ejemplo.mx)
go -d "csrf=$csrf&code=$code" "${url}registro/verificacion" >/dev/null

# Step 4: the password.
expect_contains "the rules are listed before typing" "al menos una letra mayúscula" page "${url}registro/contrasena"
expect_contains "two different passwords: error at the second" 'id="password2-error"' \
    page -d "csrf=$csrf&password=Nopal-Azul%23Tlayuda7&password2=Nopal-Azul%23Tlayuda8" "${url}registro/contrasena"
expect_contains "a weak password marks the rules it breaks" 'class="error">✗ Su contraseña debe tener al menos un número' \
    page -d "csrf=$csrf&password=nopalazultlayuda&password2=nopalazultlayuda" "${url}registro/contrasena"
expect_contains "the CURP inside the password is refused" "no debe incluir su CURP" \
    page -d "csrf=$csrf&password=Sabc560626MDFLRN01%21&password2=Sabc560626MDFLRN01%21" "${url}registro/contrasena"
expect_output "a wrong CSRF token: 403, nothing stored" "403" \
    status -d "csrf=x&password=Nopal-Azul%23Tlayuda7&password2=Nopal-Azul%23Tlayuda7" "${url}registro/contrasena"
expect_output "an undeclared field: refused" "400" \
    status -d "csrf=$csrf&password=Nopal-Azul%23Tlayuda7&password2=Nopal-Azul%23Tlayuda7&admin=1" "${url}registro/contrasena"
expect_output "a good password: on to the address" "/registro/domicilio" \
    go -d "csrf=$csrf&password=Nopal-Azul%23Tlayuda7&password2=Nopal-Azul%23Tlayuda7" "${url}registro/contrasena"

# Step 5: the address. No SEPOMEX catalog here: state first, then municipality.
expect_contains "first stage asks the postal code and the state" 'name="estado"' page "${url}registro/domicilio"
expect_contains "a malformed postal code: error at the field" 'id="cp-error"' page "${url}registro/domicilio?cp=7040&estado=20"
expect_contains "a state outside the program: error at the state" 'id="estado-error"' page "${url}registro/domicilio?cp=44100&estado=14"
page "${url}registro/domicilio?cp=70400&estado=20" >"$tmp/address.html"
expect_contains "second stage lists the state's municipalities" '<option value="551">' cat "$tmp/address.html"
expect_contains "and asks the settlement as text" 'id="settlement" name="settlement" value=""' cat "$tmp/address.html"
address() { page -d "csrf=$csrf&postal_code=70400&state=20&municipality=$1&settlement=Centro&street=$2&number=3&interior=" "${url}registro/domicilio"; }
expect_contains "no street: error at the field, typed values kept" 'id="street-error"' address 551 ""
expect_contains "an unknown municipality: error at the select" 'id="municipality-error"' address 999 "Juárez"
expect_output "a complete address: on to the documents" "/registro/documentos" \
    go -d "csrf=$csrf&postal_code=70400&state=20&municipality=551&settlement=Centro&street=Ju%C3%A1rez&number=3&interior=" "${url}registro/domicilio"
expect_contains "coming back shows the stored address" 'value="Juárez"' page "${url}registro/domicilio"

# Step 6: one photo per form, multipart.
/usr/bin/python3 "$tools/make-png.py" 640 480 >"$tmp/photo.png"
/usr/bin/python3 "$tools/make-png.py" 200 150 >"$tmp/tiny.png"
printf 'not an image' >"$tmp/note.txt"
upload() { page -F "csrf=$csrf" -F "photo=@$1" "${url}registro/documentos/$2"; }
expect_contains "limits are told before choosing" "hasta 10 MB" page "${url}registro/documentos"
expect_contains "a text file: refused at its form" 'id="photo-id_front-error"' upload "$tmp/note.txt" id_front
expect_contains "a tiny photo: too small to read" "demasiado pequeña" upload "$tmp/tiny.png" id_back
expect_output "no file chosen: 422" "422" status -F "csrf=$csrf" -F "photo=@/dev/null;filename=" "${url}registro/documentos/face"
expect_output "a wrong CSRF token on an upload: 403" "403" status -F "csrf=x" -F "photo=@$tmp/photo.png" "${url}registro/documentos/face"
expect_output "an unknown kind: 404" "404" status -F "csrf=$csrf" -F "photo=@$tmp/photo.png" "${url}registro/documentos/selfie"
expect_output "review before the photos lists the three missing, with links" "3" \
    bash -c 'curl -s -b "$1" "$0" | grep -c "<li><a href=\"/registro/documentos\">"' "${url}registro/revision" "$jar"
for kind in id_front id_back face; do
    expect_output "$kind uploaded" "/registro/documentos?subida=$kind" \
        go -F "csrf=$csrf" -F "photo=@$tmp/photo.png;type=image/png" "${url}registro/documentos/$kind"
done
page "${url}registro/documentos" >"$tmp/docs.html"
expect_output "the page shows the three photos received" "3" grep -c '<img src="/registro/documentos/' "$tmp/docs.html"
expect_output "a stored photo comes back as JPEG to its owner" "image/jpeg" \
    curl -s -o /dev/null -w '%{content_type}' -b "$jar" "${url}registro/documentos/face"
expect_output "and to nobody else" "303" curl -s -o /dev/null -w '%{http_code}' "${url}registro/documentos/face"

# Step 7: review, submit, folio.
page "${url}registro/revision" >"$tmp/review.html"
expect_contains "review shows the address" "Juárez 3" cat "$tmp/review.html"
expect_contains "review shows the birth date from the CURP" "26/06/1956" cat "$tmp/review.html"
expect_contains "and offers the submit" 'action="/registro/enviar"' cat "$tmp/review.html"
expect_output "a submit without the CSRF token: 403" "403" status -d "csrf=x" "${url}registro/enviar"
# summary_link_without_field: an error of the whole form (no field) is said in
# the summary as text, not as a link to "#" that leads nowhere.
expect_output "a form-level error: no summary link to \"#\"" "0" \
    bash -c 'curl -s -b "$1" -d "csrf=x" "$0" | grep -c "href=\"#\""' "${url}registro/enviar" "$jar"
expect_output "submit: on to the folio page" "/registro/listo" go -d "csrf=$csrf" "${url}registro/enviar"
page "${url}registro/listo" >"$tmp/done.html"
expect_contains "the folio page shows an IB folio" "<strong>IB" cat "$tmp/done.html"
expect_output "a second submit: same folio page" "/registro/listo" go -d "csrf=$csrf" "${url}registro/enviar"
expect_output "steps of an active enrollment lead to the folio page" "/registro/listo" go "${url}registro/contrasena"
expect_output "no upload once active" "/registro/listo" \
    go -F "csrf=$csrf" -F "photo=@$tmp/photo.png;type=image/png" "${url}registro/documentos/face"
# The application cookie is ID.TOKEN: the same application through the API.
cookie=$(awk '$6 == "solicitud" {print $7}' "$jar")
expect_output "the API sees it active with the same folio" "active $(grep -o '<strong>IB[^<]*' "$tmp/done.html" | sed 's/<strong>//')" \
    bash -c 'curl -s -H "Authorization: Bearer ${0#*.}" "$1api/v1/registrations/${0%%.*}" | jq -r ".status + \" \" + .folio"' "$cookie" "$url"

finish wizard
