#!/usr/bin/env bash
# The pages of credentials, letters and verification, without JavaScript: the
# credential of a signed-in person (QR as SVG, its data, the printable card), a
# Carta de No Afiliación asked for on /cartas with its refusals at the field, its
# PDF link (a wrong key opens nothing), its public status page, and /verificar
# with pasted text (valid, tampered, revoked after a name correction) and with
# photos (a QR code, and one without). Spanish and English.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

# The IMSS roll: Concepción (SABC...) is an active IMSS member. No ISSSTE roll.
printf 'curp,status\nSABC560626MDFLRN01,active\n' >"$tmp/imss.csv"
"$PADRON" import affiliations --institution IMSS "$tmp/imss.csv" --data "$data" >/dev/null

serve_start "$data"
url=${base}api/v1
site=$base
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
en() { curl -s -c "$jar" -b "$jar" -H 'Accept-Language: en' "$@"; }
status() { curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
cookie() { awk -v n="$1" '$6 == n {print $7}' "$jar"; }


# ---- the credential -------------------------------------------------------------
enroll_start PXNE660720HMCXTN06
enroll_complete enrique@ejemplo.mx
enroll_call POST /submit >/dev/null
PW='Nopal-Azul#Tlayuda7'
expect_output "the credential without a session: to the sign-in" "/entrar" go "${site}cuenta/credencial"
expect_output "the card without a session: to the sign-in" "/entrar" go "${site}cuenta/credencial.pdf"
page "${site}entrar" >/dev/null
go --data-urlencode "csrf=$(cookie csrf)" --data-urlencode "login=enrique@ejemplo.mx" --data-urlencode "password=$PW" "${site}entrar" >/dev/null
csrf=$(cookie csrf)
expect_contains "my account links to the credential" 'href="/cuenta/credencial"' page "${site}cuenta"
page "${site}cuenta/credencial" >"$tmp/cred.html"
expect_contains "the QR code as inline SVG" '<svg' cat "$tmp/cred.html"
expect_contains "with a title for screen readers" '<title>Código QR de su credencial</title>' cat "$tmp/cred.html"
expect_contains "the name" 'Enrique Peña Nieto' cat "$tmp/cred.html"
expect_contains "the CURP" 'PXNE660720HMCXTN06' cat "$tmp/cred.html"
expect_contains "the levels" '<dd>1 y 2</dd>' cat "$tmp/cred.html"
expect_contains "the birth date in words" '20 de julio de 1966' cat "$tmp/cred.html"
expect_contains "the folio" "$(enroll_call GET '' | jq -r .folio)" cat "$tmp/cred.html"
expect_contains "what it does not prove" 'identificación oficial' cat "$tmp/cred.html"
expect_contains "the card's link" 'href="/cuenta/credencial.pdf"' cat "$tmp/cred.html"
expect_contains "in English" 'Levels of care covered' en "${site}cuenta/credencial"
expect_contains "English dates" '20 July 1966' en "${site}cuenta/credencial"
expect_contains "the card is a download" 'Content-Disposition: attachment; filename="credencial-' \
    curl -s -D - -o "$tmp/card.pdf" -b "$jar" "${site}cuenta/credencial.pdf"
expect_output "a PDF" "%PDF" head -c 4 "$tmp/card.pdf"
# The QR the page shows is the credential in force (the API says the same).
session=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"enrique@ejemplo.mx\",\"password\":\"$PW\"}" "$url/sessions" | jq -r .token)
qr=$(curl -s -H "Authorization: Bearer $session" "$url/me/credential" | jq -r .qr)

# ---- verification by pasted text -------------------------------------------------
verify() { page --data-urlencode "csrf=$csrf" --data-urlencode "qr=$1" "${site}verificar"; }
expect_contains "/verificar: the form" 'name="qr"' page "${site}verificar"
expect_contains "/verificar in English" 'Verify a credential or a letter' en "${site}verificar"
verify "$qr" >"$tmp/valid.html"
expect_contains "a valid credential: said in words" '<span aria-hidden="true">✓</span> Válido' cat "$tmp/valid.html"
expect_contains "with its state class" 'class="state ok"' cat "$tmp/valid.html"
expect_contains "the signed data" 'Enrique Peña Nieto' cat "$tmp/valid.html"
expect_contains "the kind" 'Credencial de IMSS-Bienestar' cat "$tmp/valid.html"
expect_contains "and the reminder" 'compare el nombre, la CURP' cat "$tmp/valid.html"
expect_contains "spaces and line ends around the text are fine" 'Válido' verify "  $qr
"
expect_contains "in English" 'Valid' en --data-urlencode "csrf=$csrf" --data-urlencode "qr=$qr" "${site}verificar"
# One character of the signed part changed: base45 still decodes, the signature fails.
mid=$((${#qr} / 2))
c=${qr:$mid:1}
[ "$c" = "A" ] && r=B || r=A
tampered="${qr:0:$mid}$r${qr:$((mid + 1))}"
verify "$tampered" >"$tmp/tampered.html"
expect_contains "a tampered text is refused in words" 'class="state bad"' cat "$tmp/tampered.html"
expect_output "and shows no signed data" "0" grep -c 'Enrique Peña Nieto' "$tmp/tampered.html"
expect_contains "not our code: unreadable" 'Ilegible' verify "HC1:NCFOXN%TS3DH"
expect_output "empty text: 422" "422" status --data-urlencode "csrf=$csrf" --data-urlencode "qr= " "${site}verificar"
expect_contains "at the field" 'id="qr-error"' verify ""
expect_output "a wrong CSRF token: 403" "403" status -d "csrf=x&qr=x" "${site}verificar"

# ---- verification by photo --------------------------------------------------------
qrencode -o "$tmp/qr.png" -s 6 "$qr"
photo() { page -F "csrf=$csrf" -F "photo=@$1;type=$2" "${site}verificar/foto"; }
expect_contains "a photo of the QR code: valid" 'Válido' photo "$tmp/qr.png" image/png
expect_contains "with the data" 'PXNE660720HMCXTN06' photo "$tmp/qr.png" image/png
/usr/bin/python3 "$tools/make-png.py" 640 480 >"$tmp/plain.png"
expect_contains "a photo without a QR code: said clearly" 'No encontramos un código QR en la foto' photo "$tmp/plain.png" image/png
expect_contains "at the field" 'id="photo-error"' photo "$tmp/plain.png" image/png
echo "not an image" >"$tmp/notes.txt"
expect_output "a text file: 415" "415" status -F "csrf=$csrf" -F "photo=@$tmp/notes.txt;type=text/plain" "${site}verificar/foto"
expect_output "no file: 422" "422" status -F "csrf=$csrf" "${site}verificar/foto"
expect_output "a photo without CSRF: 403" "403" status -F "csrf=x" -F "photo=@$tmp/qr.png;type=image/png" "${site}verificar/foto"

# ---- a name correction revokes the old credential --------------------------------
token=$session
enroll_call PUT /names -H "Content-Type: application/json" \
    -d '{"given_names":"José Enrique","first_surname":"Peña","second_surname":"Nieto"}' >/dev/null
page "${site}cuenta/credencial" >/dev/null # issues the new one
expect_contains "the old credential: revoked, in words" '<span aria-hidden="true">✗</span> Revocado' verify "$qr"
expect_contains "the new one is valid" 'Válido' verify "$(curl -s -H "Authorization: Bearer $session" "$url/me/credential" | jq -r .qr)"

# ---- enrolled before names were asked -------------------------------------------
sql "$data" "UPDATE registration SET given_names = NULL, first_surname = NULL, second_surname = NULL WHERE curp = 'PXNE660720HMCXTN06'"
expect_output "no names: 409" "409" status "${site}cuenta/credencial"
expect_contains "says what to do" 'href="/cuenta/nombre"' page "${site}cuenta/credencial"

# ---- letters --------------------------------------------------------------------
expect_contains "the home page links to the letters" 'href="/cartas"' page "$site"
expect_contains "and to verification" 'href="/verificar"' page "$site"
expect_contains "/cartas: the form" 'name="institution" value="ISSSTE"' page "${site}cartas"
expect_contains "/cartas in English" 'letter of non-affiliation' en "${site}cartas"
letter() { page --data-urlencode "csrf=$csrf" --data-urlencode "curp=$1" --data-urlencode "institution=$2" --data-urlencode "email=$3" "${@:4}" "${site}cartas"; }
letter_status() { curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "curp=$1" --data-urlencode "institution=$2" --data-urlencode "email=$3" "${site}cartas"; }
expect_output "a wrong CSRF token: 403" "403" status -d "csrf=x&curp=x" "${site}cartas"
expect_output "an invalid CURP: 422" "422" letter_status SABC560626MDFLRN09 IMSS ana@ejemplo.mx
expect_contains "at the CURP" 'id="curp-error"' letter SABC560626MDFLRN09 IMSS ana@ejemplo.mx
expect_contains "what was typed is kept" 'value="ana@ejemplo.mx"' letter SABC560626MDFLRN09 IMSS ana@ejemplo.mx
expect_contains "a bad email: at the email" 'id="email-error"' letter PXNE660720HMCXTN06 IMSS ana@localhost
expect_contains "names that do not match the CURP: at the field" 'id="first_surname-error"' \
    letter PXNE660720HMCXTN06 IMSS ana@ejemplo.mx --data-urlencode given_names=Enrique --data-urlencode first_surname=Pérez --data-urlencode second_surname=Nieto
expect_output "an active IMSS member: 409" "409" letter_status SABC560626MDFLRN01 IMSS ana@ejemplo.mx
expect_contains "naming the institution, at the CURP" 'derechohabiente vigente del IMSS' letter SABC560626MDFLRN01 IMSS ana@ejemplo.mx
expect_output "no ISSSTE roll: 503" "503" letter_status PXNE660720HMCXTN06 ISSSTE ana@ejemplo.mx
expect_contains "said at the institution" 'id="institution-error"' letter PXNE660720HMCXTN06 ISSSTE ana@ejemplo.mx
expect_contains "the ISSSTE choice is kept" 'value="ISSSTE" checked' letter PXNE660720HMCXTN06 ISSSTE ana@ejemplo.mx

letter pxne660720hmcxtn06 IMSS enrique@ejemplo.mx --data-urlencode given_names=Enrique \
    --data-urlencode first_surname=Peña --data-urlencode second_surname=Nieto >"$tmp/letter.html"
folio=$(grep -o '<strong>NA[0-9]*-[0-9A-Z]*-[0-9A-Z]*</strong>' "$tmp/letter.html" | head -1 | sed 's/<[^>]*>//g')
key=$(grep -o 'name="key" value="[^"]*"' "$tmp/letter.html" | sed 's/.*value="//; s/"$//')
pdf=$(grep -o 'action="/cartas/[^"]*/pdf"' "$tmp/letter.html" | sed 's/action="//; s/"$//')
expect_output "the letter is issued with a folio" "yes" bash -c '[ -n "$0" ] && echo yes' "$folio"
expect_contains "its QR code" '<title>Código QR de su carta</title>' cat "$tmp/letter.html"
expect_contains "where it was sent" 'enrique@ejemplo.mx' cat "$tmp/letter.html"
expect_contains "how to verify it" 'No necesita sello ni firma' cat "$tmp/letter.html"
expect_output "the download is a form to the letter's folio" "/cartas/$folio/pdf" echo "$pdf"
expect_output "the download form works" "200 %PDF" bash -c 'curl -s -b "$2" -o "$1" -w "%{http_code} " --data-urlencode "csrf=$3" --data-urlencode "key=$4" "$0" && head -c 4 "$1"' \
    "${site%/}$pdf" "$tmp/letter.pdf" "$jar" "$csrf" "$key"
expect_output "a wrong key opens nothing" "404" curl -s -b "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "csrf=$csrf" --data-urlencode "key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "${site%/}$pdf"
expect_output "without the form's token, nothing either" "403" curl -s -b "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "key=$key" "${site%/}$pdf"
expect_output "the key is in no link of the page" "0" grep -c "key=" "$tmp/letter.html"
expect_output "the key is stored nowhere" "0" bash -c 'dump_db "$0" | grep -c -- "$1"' "$data" "$key"
mail=$(newest_mail "$data" enrique@ejemplo.mx "carta-$folio.pdf")
expect_contains "and was emailed with its PDF" "application/pdf" cat "${mail:-/dev/null}"
expect_contains "the letter in English" 'Your letter is ready' \
    en --data-urlencode "csrf=$csrf" --data-urlencode "curp=PXNE660720HMCXTN06" --data-urlencode "institution=imss" --data-urlencode "email=enrique@ejemplo.mx" "${site}cartas"

# ---- the letter's status page ---------------------------------------------------
page "${site}cartas/$folio" >"$tmp/status.html"
expect_contains "status in words" 'Estado: Vigente' cat "$tmp/status.html"
expect_contains "the institution" '<dd>IMSS</dd>' cat "$tmp/status.html"
expect_contains "the CURP masked" 'PXNE··········TN06' cat "$tmp/status.html"
expect_output "never whole" "0" grep -c 'PXNE660720HMCXTN06' "$tmp/status.html"
expect_output "nor the name" "0" grep -c 'Enrique' "$tmp/status.html"
lower=$(echo "$folio" | tr -d '-' | tr 'A-Z' 'a-z')
expect_contains "a folio typed in lower case, without dashes" 'Estado: Vigente' page "${site}cartas/$lower"
expect_contains "in English" 'Status: Valid' en "${site}cartas/$folio"
expect_output "an unknown folio: 404" "404" status "${site}cartas/NA26-ZZZZ-ZZZZ"
expect_contains "in the person's language" 'There is no letter with that folio' en "${site}cartas/NA26-ZZZZ-ZZZZ"
sql "$data" "UPDATE letter SET revoked_at = 1, revoked_reason = 'test' WHERE folio = '$folio'"
expect_contains "a revoked letter says so" 'Estado: Revocada' page "${site}cartas/$folio"

finish pages_issued
