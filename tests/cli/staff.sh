#!/usr/bin/env bash
# Staff accounts, staff sign-in and the desk's person lookup, end to end: padron
# staff add|list|disable|code, the set-password code mailed through the outbox,
# the uniform sign-in refusals and throttling, roles and unit scope (refusals
# across states, no faces for a state administrator), the audit records every
# read writes, what the person sees of them, and padron audit verify on a good and
# a tampered database.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
CHIS=CSIMB000011  # a unit in operation in Chiapas (07)
PW='Tlacolula-Verde#2026'

# A person enrolled in Oaxaca: the home clinic assigned on submit is HERE, where
# the desk staff work; OTHER is another unit of the same state.
serve_start "$data"
url=${base}api/v1
site=$base
enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
folio=$(enroll_call POST /submit | jq -r .folio)
HERE=$(enroll_call GET "" | jq -r .home_clinic.clues)
HERE_NAME=$(enroll_call GET "" | jq -r .home_clinic.name)
OTHER=OCIMB000024
[ "$HERE" = "$OTHER" ] && OTHER=OCIMB000036
expect_status "the person has a home clinic" 0 grep -qE '^[A-Z]{5}[0-9]{6}$' <<<"$HERE"

# Accounts from the command line.
expect_status "staff add: a unit out of operation is refused" 1 \
    "$PADRON" staff add --role receptionist --unit BCIMB000022 --email x@salud.gob.mx --data "$data"
expect_contains "staff add: not in operation, says so" "is not in operation" \
    "$PADRON" staff add --role receptionist --unit BCIMB000022 --email x@salud.gob.mx --data "$data"
expect_contains "staff add: an unknown CLUES" "not a facility of the catalog" \
    "$PADRON" staff add --role receptionist --unit ZZIMB999999 --email x@salud.gob.mx --data "$data"
expect_status "staff add: an unknown role is a usage error" 2 \
    "$PADRON" staff add --role janitor --unit $HERE --email x@salud.gob.mx --data "$data"
expect_status "staff add: a state admin needs --state, not --unit" 2 \
    "$PADRON" staff add --role state_admin --unit $HERE --email x@salud.gob.mx --data "$data"
expect_status "staff add: a bad email" 1 \
    "$PADRON" staff add --role physician --unit $HERE --email not-an-email --data "$data"
add() { "$PADRON" staff add --data "$data" "$@" 2>&1; }
out=$(add --role receptionist --unit $HERE --email recepcion@salud.gob.mx)
expect_contains "staff add prints the account" "added recepcion@salud.gob.mx	receptionist	$HERE" echo "$out"
code=$(echo "$out" | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}')
expect_output "and a 20-character code" "24" bash -c 'echo -n "$0" | wc -c' "$code"
expect_output "the queued mail is sealed: the database does not show the code" "0" \
    sql "$data" "SELECT count(*) FROM outbox WHERE message LIKE '%${code:0:4}-${code:5:4}%' OR (message != '' AND message NOT LIKE 'padron-mail-v1:%')"
expect_output "under the data directory's mail key" "600" stat -c %a "$data/keys/mail.key"
expect_status "the same email twice is refused" 1 \
    "$PADRON" staff add --role physician --unit $HERE --email RECEPCION@salud.gob.mx --data "$data"
chis_code=$(add --role receptionist --unit $CHIS --email chiapas@salud.gob.mx | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}')
other_code=$(add --role receptionist --unit $OTHER --email otra@salud.gob.mx | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}')
doc_code=$(add --role physician --unit $HERE --email medica@salud.gob.mx | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}')
state_code=$(add --role state_admin --state 20 --email estatal@salud.gob.mx | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}')
expect_output "staff list: every account, no password yet" \
    "recepcion@salud.gob.mx receptionist $HERE no_password
chiapas@salud.gob.mx receptionist $CHIS no_password
otra@salud.gob.mx receptionist $OTHER no_password
medica@salud.gob.mx physician $HERE no_password
estatal@salud.gob.mx state_admin 20 no_password" \
    bash -c '"$PADRON" staff list --data "$0" | cut -f1-4 | tr "\t" " "' "$data"

serve_start "$data"
url=${base}api/v1
site=$base
mailed() { local f; f=$(newest_mail "$data" "$1") && grep -h '^    [0-9A-Z]' "$f" | tr -d '\r'; }
expect_output "the code is mailed through the outbox" "    $code" mailed recepcion@salud.gob.mx

# The first password, with the mailed code.
api() { curl -s -X "$1" -H 'Content-Type: application/json' "${@:3}" "$url$2"; }
setpw() { api POST /staff/password -d "{\"email\":\"$1\",\"code\":\"$2\",\"password\":\"$3\"}" | jq -r '.error.code // .status'; }
expect_output "a malformed code" "invalid_code" setpw recepcion@salud.gob.mx 123 "$PW"
expect_output "a wrong code" "wrong_code" setpw recepcion@salud.gob.mx AAAA-AAAA-AAAA-AAAA-AAAA "$PW"
expect_output "a weak password" "weak_password" setpw recepcion@salud.gob.mx "$code" corta
expect_output "an unknown email reads like a wrong code" "wrong_code" setpw nadie@salud.gob.mx "$code" "$PW"
expect_output "the right code (any case) sets the password" "set" setpw recepcion@salud.gob.mx "${code,,}" "$PW"
expect_output "the code works once" "wrong_code" setpw recepcion@salud.gob.mx "$code" "$PW"
setpw chiapas@salud.gob.mx "$chis_code" "$PW" >/dev/null
setpw otra@salud.gob.mx "$other_code" "$PW" >/dev/null
setpw medica@salud.gob.mx "$doc_code" "$PW" >/dev/null
setpw estatal@salud.gob.mx "$state_code" "$PW" >/dev/null

# Sign-in: one refusal for everything, then throttling.
signin() { api POST /staff/sessions -d "{\"email\":\"$1\",\"password\":\"$2\"}"; }
signin_code() { signin "$@" | jq -r .error.code; }
# "STATUS CODE" of a refused call: curl arguments.
refused() {
    local r
    r=$(curl -s -w '\n%{http_code}' "$@")
    echo "$(tail -1 <<<"$r") $(head -1 <<<"$r" | jq -r .error.code)"
}
expect_output "wrong password: invalid_credentials" "invalid_credentials" signin_code recepcion@salud.gob.mx 'Mal#Clave1234'
expect_output "unknown email: the same" "invalid_credentials" signin_code nadie@salud.gob.mx "$PW"
expect_output "an applicant's login opens no staff session" "invalid_credentials" signin_code PXNE660720HMCXTN06 "$PW"
r=$(signin recepcion@salud.gob.mx "$PW")
expect_output "sign in: a token for 8 hours, role and unit" "receptionist $HERE 28800 20" \
    jq -r '"\(.role) \(.unit) \(.expires_in) \(.state)"' <<<"$r"
rec=$(jq -r .token <<<"$r")
doc=$(signin medica@salud.gob.mx "$PW" | jq -r .token)
chis=$(signin chiapas@salud.gob.mx "$PW" | jq -r .token)
other=$(signin otra@salud.gob.mx "$PW" | jq -r .token)
state=$(signin estatal@salud.gob.mx "$PW" | jq -r .token)
for _ in 1 2 3 4 5; do signin chiapas@salud.gob.mx 'Mal#Clave1234' >/dev/null; done
expect_output "five failures: throttled, even with the right password" "429 throttled" \
    refused -X POST -H 'Content-Type: application/json' -d "{\"email\":\"chiapas@salud.gob.mx\",\"password\":\"$PW\"}" "$url/staff/sessions"

# The desk at the person's home clinic. A CURP or folio travels in the body of a lookup;
# URLs carry only the registration id the lookup returns.
lookup() { curl -s -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "{\"key\":\"$2\"}" "$url/staff/people/lookup"; }
lookup_refused() { refused -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "{\"key\":\"$2\"}" "$url/staff/people/lookup"; }
person() { curl -s -H "Authorization: Bearer $1" "$url/staff/people/$2" | jq -r "$3"; }
P=PXNE660720HMCXTN06
lookup "$rec" $P >"$tmp/person.json"
ID=$(jq -r .id "$tmp/person.json")
expect_output "the desk finds the person by CURP" "$folio Enrique active" jq -r '"\(.folio) \(.names.given_names) \(.status)"' "$tmp/person.json"
expect_output "with an opaque id for URLs" "32" sh -c "printf %s '$ID' | tr -cd 0-9a-f | wc -c"
expect_output "and by folio, typed in any case" "$P" sh -c "curl -s -X POST -H 'Authorization: Bearer $rec' -H 'Content-Type: application/json' -d '{\"key\":\"${folio,,}\"}' '$url/staff/people/lookup' | jq -r .curp"
expect_output "the receptionist may open the photos and IDs" "id_front id_back face" jq -r '[.documents[].kind] | join(" ")' "$tmp/person.json"
expect_output "their URLs carry the id, not the CURP" "/api/v1/staff/people/$ID/documents/face" jq -r '.documents[2].url' "$tmp/person.json"
expect_output "the person's home clinic comes along" "$HERE" jq -r .home_clinic.clues "$tmp/person.json"
expect_output "the physician, by id, the face only" "face" person "$doc" "$ID" '[.documents[].kind] | join(" ")'
expect_output "a photo comes back to the receptionist" "200 image/jpeg" \
    curl -s -o /dev/null -w '%{http_code} %{content_type}' -H "Authorization: Bearer $rec" "$url/staff/people/$ID/documents/face"
expect_output "the physician may not open the ID" "403 out_of_scope" \
    refused -H "Authorization: Bearer $doc" "$url/staff/people/$ID/documents/id_front"
expect_output "the id opens the same person as the CURP" "$P" person "$rec" "$ID" .curp
expect_output "a CURP in the URL is refused, saying how to look it up" "400 key_in_url" refused -H "Authorization: Bearer $rec" "$url/staff/people/$P"
expect_output "so is a folio" "400 key_in_url" refused -H "Authorization: Bearer $rec" "$url/staff/people/$folio/documents/face"
# Out of the unit's scope reads as "not found" (no telling whether the CURP is enrolled
# elsewhere), and the attempt is audited.
expect_output "another unit of the same state: refused as not found" "404 person_not_found" lookup_refused "$other" $P
expect_output "a unit in another state: refused as not found" "404 person_not_found" lookup_refused "$chis" $P
expect_output "a state administrator sees no person" "403 out_of_scope" lookup_refused "$state" $P
expect_output "nor their face" "403 out_of_scope" refused -H "Authorization: Bearer $state" "$url/staff/people/$ID/documents/face"
expect_output "someone not enrolled: 404" "404 person_not_found" lookup_refused "$rec" SABC560626MDFLRN01
expect_output "an unknown id: 404" "404 person_not_found" refused -H "Authorization: Bearer $rec" "$url/staff/people/0123456789abcdef0123456789abcdef"
expect_output "not a CURP or folio: 422" "422 invalid_key" lookup_refused "$rec" hola
expect_output "no token: 401" "401 unauthorized" refused "$url/staff/people/$ID"
expect_output "an applicant's token opens nothing here" "401 unauthorized" lookup_refused "$token" $P

# What the person sees: who looked (role, unit, when), never staff emails.
session=$(api POST /sessions -d '{"login":"PXNE660720HMCXTN06","password":"Nopal-Azul#Tlayuda7"}' | jq -r .token)
accesses=$(curl -s -H "Authorization: Bearer $session" "$url/me/accesses")
expect_output "the person sees the five reads" \
    "receptionist $HERE person.lookup
receptionist $HERE person.lookup
physician $HERE person.lookup
receptionist $HERE person.face
receptionist $HERE person.lookup" \
    bash -c 'echo "$0" | jq -r ".accesses[] | select(.action | endswith(\".denied\") | not) | \"\(.role) \(.unit) \(.action)\""' "$accesses"
expect_output "and the two refused attempts from other units" "2" \
    bash -c 'echo "$0" | jq "[.accesses[] | select(.action == \"person.lookup.denied\" and .unit != \"$1\")] | length"' "$accesses" "$HERE"
expect_output "with the unit's name" "$HERE_NAME" bash -c 'echo "$0" | jq -r ".accesses[0].unit_name"' "$accesses"
expect_output "and no staff email" "0" bash -c 'echo "$0" | grep -c salud.gob.mx' "$accesses"
expect_output "accesses need the person's session" "401" curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $rec" "$url/me/accesses"

# Operators see who it was.
expect_output "audit show: who, role, unit, action, from where" \
    "recepcion@salud.gob.mx receptionist $HERE person.lookup 127.0.0.1" \
    bash -c '"$PADRON" audit show --person pxne660720hmcxtn06 --data "$0" | head -1 | cut -f2- | tr "\t" " "' "$data"
expect_output "audit show: one line per read or refused attempt" "7" bash -c '"$PADRON" audit show --person PXNE660720HMCXTN06 --data "$0" | wc -l' "$data"

# Disabling ends the sessions at once.
expect_output "staff disable" "disabled medica@salud.gob.mx" "$PADRON" staff disable --email medica@salud.gob.mx --data "$data"
expect_output "the disabled account's token is dead" "401" \
    curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $doc" "$url/staff/people/$ID"
expect_output "and it cannot sign in" "invalid_credentials" signin_code medica@salud.gob.mx "$PW"
expect_status "disabling twice fails" 1 "$PADRON" staff disable --email medica@salud.gob.mx --data "$data"
expect_contains "a new code for an enabled account" "set-password code:" "$PADRON" staff code --email recepcion@salud.gob.mx --data "$data"
expect_status "but none for a disabled one" 1 "$PADRON" staff code --email medica@salud.gob.mx --data "$data"
expect_output "signing out ends the session" "204 401" \
    bash -c 'a=$(curl -s -o /dev/null -w "%{http_code}" -X DELETE -H "Authorization: Bearer $1" "$0/staff/sessions"); b=$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $1" "$0/staff/people/$2"); echo "$a $b"' "$url" "$rec" "$ID"

# The pages, without JavaScript: sign-in, the cookie, CSRF, the lookup, photos.
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
status() { curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "$@"; }
cookie() { awk -v n="$1" '$6 == n {print $7}' "$jar"; }
expect_output "the desk page without a session: to the staff sign-in" "/personal/entrar" go "${site}personal/persona"
page "${site}personal/entrar" >/dev/null
csrf=$(cookie csrf)
expect_contains "a wrong password on the page: the one message" "no son correctos" \
    page --data-urlencode "csrf=$csrf" --data-urlencode "email=recepcion@salud.gob.mx" --data-urlencode "password=Mal#Clave1234" "${site}personal/entrar"
expect_output "and no staff cookie" "" cookie personal
expect_output "a wrong CSRF token: 403" "403" status -d "csrf=x&email=recepcion@salud.gob.mx&password=x" "${site}personal/entrar"
headers=$(curl -s -D - -o /dev/null -b "csrf=$csrf" --data-urlencode "csrf=$csrf" --data-urlencode "email=recepcion@salud.gob.mx" --data-urlencode "password=$PW" "${site}personal/entrar")
expect_contains "the staff cookie: 8 hours, HttpOnly, SameSite=Strict, only under /personal" \
    "Path=/personal; Max-Age=28800; HttpOnly; SameSite=Strict" grep -i '^set-cookie: personal=' <<<"$headers"
expect_output "sign in on the page: to the lookup" "/personal/persona" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "email=recepcion@salud.gob.mx" --data-urlencode "password=$PW" "${site}personal/entrar"
expect_output "the CSRF token rotated" "rotated" bash -c '[ "$0" != "$1" ] && [ -n "$1" ] && echo rotated' "$csrf" "$(cookie csrf)"
csrf=$(cookie csrf)
expect_output "the lookup form posts (a CURP stays out of URLs)" "1" grep -c '<form method="post" action="/personal/persona"' <(page "${site}personal/persona")
page --data-urlencode "csrf=$csrf" --data-urlencode "curp=pxne660720hmcxtn06" "${site}personal/persona" >"$tmp/person.html"
expect_contains "the lookup page shows the folio" "<strong>$folio</strong>" cat "$tmp/person.html"
expect_contains "and the name" "Enrique Peña Nieto" cat "$tmp/person.html"
expect_output "and the three photos a receptionist may see" "3" grep -c "<img src=\"/personal/persona/$ID/documentos/" "$tmp/person.html"
expect_output "a photo from the page" "200 image/jpeg" \
    curl -s -o /dev/null -w '%{http_code} %{content_type}' -b "$jar" "${site}personal/persona/$ID/documentos/id_back"
expect_output "no CURP anywhere in the page's links" "0" grep -c "=\"[^\"]*PXNE660720HMCXTN06" "$tmp/person.html"
expect_output "a lookup without the form's token: 403" "403" status --data-urlencode "curp=$P" "${site}personal/persona"
expect_output "someone not enrolled: 404 on the page" "404" status --data-urlencode "csrf=$csrf" --data-urlencode "curp=SABC560626MDFLRN01" "${site}personal/persona"
expect_contains "with the reason" "No hay una afiliación activa" page --data-urlencode "csrf=$csrf" --data-urlencode "curp=SABC560626MDFLRN01" "${site}personal/persona"
expect_output "the applicant's cookie does not open the desk" "/personal/entrar" \
    bash -c 'curl -s -o /dev/null -w "%{redirect_url}" -b "sesion=$1" "$0" | sed "s|http://[^/]*||"' "${site}personal/persona" "$session"
staff_cookie=$(cookie personal)
expect_output "sign out on the page" "/personal/entrar?hecho=salida" go -d "csrf=$csrf" "${site}personal/salir"
expect_contains "the staff sign-in page says so" 'role="status">Salió de la cuenta de personal.' \
    curl -s "${site}personal/entrar?hecho=salida"
expect_contains "after the first password" 'role="status">Su contraseña quedó guardada.' \
    curl -s "${site}personal/entrar?hecho=contrasena"
expect_output "the old staff cookie opens nothing" "/personal/entrar" \
    bash -c 'curl -s -o /dev/null -w "%{redirect_url}" -b "personal=$1" "$0" | sed "s|http://[^/]*||"' "${site}personal/persona" "$staff_cookie"
expect_contains "the first-password page asks email, code and password" 'name="code"' page "${site}personal/contrasena"
# The state administrator's page refuses a person.
page "${site}personal/entrar" >/dev/null
go --data-urlencode "csrf=$(cookie csrf)" --data-urlencode "email=estatal@salud.gob.mx" --data-urlencode "password=$PW" "${site}personal/entrar" >/dev/null
expect_output "a state administrator's lookup: 403" "403" status --data-urlencode "csrf=$(cookie csrf)" --data-urlencode "curp=PXNE660720HMCXTN06" "${site}personal/persona"
# The person's account page lists the reads.
pjar=$tmp/pjar
curl -s -c "$pjar" -b "$pjar" "${site}entrar" >/dev/null
curl -s -o /dev/null -c "$pjar" -b "$pjar" --data-urlencode "csrf=$(awk '$6 == "csrf" {print $7}' "$pjar")" \
    --data-urlencode "login=ana@ejemplo.mx" --data-urlencode "password=Nopal-Azul#Tlayuda7" "${site}entrar"
curl -s -b "$pjar" "${site}cuenta" >"$tmp/account.html"
expect_contains "my account: who looked at my data" "Quién consultó mis datos" cat "$tmp/account.html"
expect_output "one row per read (5 by API, 2 refused, 2 by the page)" "9" grep -c '^<tr><td>' "$tmp/account.html"
expect_contains "by role and unit name" "<td>Recepción</td><td>$HERE_NAME</td><td>Sus datos de afiliación</td>" cat "$tmp/account.html"
expect_output "never a staff email" "0" grep -c 'salud.gob.mx' "$tmp/account.html"

# The chain: good, then tampered with the sqlite3 CLI (past the triggers).
sqlite_only staff "the rest tampers with the SQLite file"
expect_output "audit verify: a good chain" "ok 9 records" bash -c '"$PADRON" audit verify --data "$0" | head -1' "$data"
anchor=$("$PADRON" audit verify --data "$data" | sed -n 's/^anchor //p')
expect_output "audit verify: prints the anchor N:HASH to keep" "9" sh -c "echo '$anchor' | cut -d: -f1"
expect_output "audit verify --anchor: the log still holds it" "ok 9 records" \
    bash -c '"$PADRON" audit verify --anchor "$1" --data "$0" | head -1' "$data" "$anchor"
expect_output "audit verify --anchor: a record whose hash is not the anchor's" \
    "broken at record 9: its hash is not the anchor's (the log was rewritten up to there)" \
    "$PADRON" audit verify --anchor "9:$(printf '%064d' 0)" --data "$data"
expect_status "a malformed anchor is a usage error" 2 "$PADRON" audit verify --anchor "10:xyz" --data "$data"
serve_stop
expect_contains "the log refuses an UPDATE" "append-only" \
    sqlite3 "$data/padron.db" "UPDATE audit SET client = '10.6.6.6' WHERE seq = 3"
sqlite3 "$data/padron.db" ".backup '$tmp/good.db'"
sqlite3 "$data/padron.db" "DROP TRIGGER audit_no_update; UPDATE audit SET client = '10.6.6.6' WHERE seq = 3"
expect_output "audit verify: an edited record is found" "broken at record 3: hash does not match the record" \
    "$PADRON" audit verify --data "$data"
expect_status "and exits 1" 1 "$PADRON" audit verify --data "$data"
sqlite3 "$data/padron.db" ".restore '$tmp/good.db'"
sqlite3 "$data/padron.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2"
expect_output "audit verify: a removed record is found" "broken at record 3: seq out of order (a record is missing or was added)" \
    "$PADRON" audit verify --data "$data"
sqlite3 "$data/padron.db" ".restore '$tmp/good.db'"
sqlite3 "$data/padron.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq > 7"
expect_output "audit verify: the newest records cut off still make a chain" "ok 7 records" \
    bash -c '"$PADRON" audit verify --data "$0" | head -1' "$data"
expect_output "audit verify --anchor: the cut is found" \
    "broken after record 7: the anchor names record 9 (records were removed from the end)" \
    "$PADRON" audit verify --anchor "$anchor" --data "$data"
expect_status "and exits 1" 1 "$PADRON" audit verify --anchor "$anchor" --data "$data"

finish staff
