#!/usr/bin/env bash
# Assisted enrollment at a unit's desk, end to end against a real server: a
# receptionist enrolls a person without email (the identity checked with the ID in
# hand, the consent read at the desk) up to an active enrollment with a folio; the
# online refusals come back the same (bad CURP, an IMSS-affiliated CURP, a state
# not taking part); another unit's receptionist cannot reach the draft; an
# application started online is found by CURP and finished at the desk; every
# change leaves its audit record, and the chain stays valid.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
PW='Tlacolula-Verde#2026'
HERE=OCIMB000024  # a unit in operation in Oaxaca (20)
OTHER=OCIMB000036 # another unit of Oaxaca
CHIS=CSIMB000011  # a unit in operation in Chiapas (07)
P=PXNE660720HMCXTN06 # enrolled at the desk, without email
S=SABC560626MDFLRN01 # a desk draft another unit tries to reach
G=GODE561231MHGMZM07 # started online, finished at the desk
AFFILIATED=LOOA531113HTCPBN07

printf 'curp,status\n%s,active\n' "$AFFILIATED" >"$tmp/imss.csv"
"$PADRON" import affiliations --institution IMSS "$tmp/imss.csv" --data "$data" >/dev/null
add() { "$PADRON" staff add --data "$data" "$@" 2>&1 | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}'; }
rec_code=$(add --role receptionist --unit $HERE --email recepcion@salud.gob.mx)
other_code=$(add --role receptionist --unit $OTHER --email otra@salud.gob.mx)
chis_code=$(add --role receptionist --unit $CHIS --email chiapas@salud.gob.mx)
doc_code=$(add --role physician --unit $HERE --email medica@salud.gob.mx)

serve_start "$data"
url=${base}api/v1
api() { curl -s -X "$1" -H 'Content-Type: application/json' "${@:3}" "$url$2"; }
for pair in "recepcion $rec_code" "otra $other_code" "chiapas $chis_code" "medica $doc_code"; do
    set -- $pair
    api POST /staff/password -d "{\"email\":\"$1@salud.gob.mx\",\"code\":\"$2\",\"password\":\"$PW\"}" >/dev/null
done
signin() { api POST /staff/sessions -d "{\"email\":\"$1@salud.gob.mx\",\"password\":\"$PW\"}" | jq -r .token; }
rec=$(signin recepcion)
other=$(signin otra)
chis=$(signin chiapas)
doc=$(signin medica)

# desk TOKEN METHOD PATH [curl args...]: a staff call under /staff/enrollments.
desk() {
    local t=$1 m=$2 p=$3
    shift 3
    curl -s -X "$m" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' "$@" "$url/staff/enrollments$p"
}
# "STATUS CODE FIELD" of a call.
answer() {
    local r
    r=$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' "$@")
    echo "$(tail -1 <<<"$r") $(head -1 <<<"$r" | jq -r '"\(.error.code) \(.error.field)"')"
}
start() { answer -X POST -H "Authorization: Bearer $1" -d "$2" "$url/staff/enrollments"; }
online() { answer -X POST -d "$1" "$url/registrations"; }

# The online refusals, the same at the desk.
for body in '{"curp":"PXNE660720HMCXTN09"}' "{\"curp\":\"$AFFILIATED\"}" '{"curp":"hola"}'; do
    expect_output "the desk refuses as online does: $body" "$(online "$body")" start "$rec" "$body"
done
expect_output "an IMSS-affiliated CURP is refused with the institution" "409 affiliated_imss curp" start "$rec" "{\"curp\":\"$AFFILIATED\"}"
expect_output "a physician may not enroll" "403 out_of_scope null" start "$doc" "{\"curp\":\"$P\"}"
expect_output "no staff session: 401" "401 unauthorized null" answer -X POST -d "{\"curp\":\"$P\"}" "$url/staff/enrollments"
expect_output "unknown keys are refused" "400 unknown_field email" start "$rec" "{\"curp\":\"$P\",\"email\":\"x@y.mx\"}"

# A person without email, at the desk.
r=$(desk "$rec" POST "" -d "{\"curp\":\"$P\"}")
id=$(jq -r .id <<<"$r")
expect_output "the desk starts a draft" "draft false true" jq -r '"\(.status) \(.resumed) \(.assisted)"' <<<"$r"
expect_output "no person's token is handed out" "null" jq -r .token <<<"$r"
expect_output "names: the online rule against the CURP" "422 curp_mismatch first_surname" \
    answer -X PUT -H "Authorization: Bearer $rec" -d '{"given_names":"Enrique","first_surname":"Lopez"}' "$url/staff/enrollments/$id/names"
desk "$rec" PUT "/$id/names" -d "$(enroll_names $P)" >/dev/null
version=$(api GET /privacy-notice | jq -r .version)
contact() { answer -X PUT -H "Authorization: Bearer $rec" -d "$1" "$url/staff/enrollments/$id/contact"; }
expect_output "a state not taking part: refused as online" "422 state_not_participating state" \
    contact "{\"state\":\"14\",\"phone\":\"9515551234\",\"privacy_notice_version\":\"$version\"}"
expect_output "a bad phone: refused as online" "422 invalid_phone phone" \
    contact "{\"state\":\"20\",\"phone\":\"12\",\"privacy_notice_version\":\"$version\"}"
expect_output "the notice must be the current one" "422 privacy_notice_outdated privacy_notice_version" \
    contact '{"state":"20","privacy_notice_version":"1999-01"}'
expect_output "a phone and no email is enough at the desk" "200 null null" \
    contact "{\"state\":\"20\",\"phone\":\"9515551234\",\"privacy_notice_version\":\"$version\"}"
missing() { desk "$rec" GET "/$id" | jq -r '[.missing[].step] | join(" ")'; }
expect_output "missing: address, photos and the desk's ID check; no email code, no password" \
    "address documents.id_front documents.id_back documents.face identity_verification" missing
expect_output "submit before the ID check: refused, saying so" "422 identity_not_checked checked_id_type" \
    answer -X POST -H "Authorization: Bearer $rec" "$url/staff/enrollments/$id/submit"
expect_output "the ID check must name the ID checked" "422 required checked_id_type" \
    answer -X POST -H "Authorization: Bearer $rec" -d '{}' "$url/staff/enrollments/$id/identity-verification"
expect_output "and it must be the application's ID" "422 id_type_mismatch checked_id_type" \
    answer -X POST -H "Authorization: Bearer $rec" -d '{"checked_id_type":"passport"}' "$url/staff/enrollments/$id/identity-verification"
desk "$rec" POST "/$id/identity-verification" -d '{"checked_id_type":"ine"}' >/dev/null
expect_output "submit with the address and photos missing: incomplete" "422 incomplete null" \
    answer -X POST -H "Authorization: Bearer $rec" "$url/staff/enrollments/$id/submit"
expect_output "an unknown municipality: refused as online" "422 invalid_municipality municipality" \
    answer -X PUT -H "Authorization: Bearer $rec" -d '{"postal_code":"70400","state":"20","municipality":"999","settlement":"Centro","street":"Juárez","number":"3"}' "$url/staff/enrollments/$id/address"
expect_output "an address without a street: refused as online" "422 required street" \
    answer -X PUT -H "Authorization: Bearer $rec" -d '{"postal_code":"70400","state":"20","municipality":"551","settlement":"Centro","number":"3"}' "$url/staff/enrollments/$id/address"
desk "$rec" PUT "/$id/address" -d '{"postal_code":"70400","state":"20","municipality":"551","settlement":"Centro","street":"Juárez","number":"3"}' >/dev/null
/usr/bin/python3 "$tools/make-png.py" 640 480 >"$tmp/photo.png"
expect_output "a photo that is not an image: refused as online" "415 unsupported_media_type null" \
    answer -X PUT -H "Authorization: Bearer $rec" -H 'Content-Type: image/png' --data-binary 'not a png' "$url/staff/enrollments/$id/documents/face"
for kind in id_front id_back face; do
    curl -s -X PUT -H "Authorization: Bearer $rec" -H 'Content-Type: image/png' --data-binary "@$tmp/photo.png" \
        "$url/staff/enrollments/$id/documents/$kind" >/dev/null
done
expect_output "nothing is missing now" "" missing
expect_output "another unit of the state cannot reach the desk's draft" "404 enrollment_not_found null" \
    answer -H "Authorization: Bearer $other" "$url/staff/enrollments/$id"
expect_output "nor submit it" "404 enrollment_not_found null" \
    answer -X POST -H "Authorization: Bearer $other" "$url/staff/enrollments/$id/submit"
r=$(desk "$rec" POST "/$id/submit")
folio=$(jq -r .folio <<<"$r")
expect_output "submitted: active with a folio" "active" jq -r .status <<<"$r"
expect_output "the folio's shape" "0" bash -c 'grep -qE "^IB[0-9]{2}-" <<<"$0"; echo $?' "$folio"
expect_output "a repeated submit: the same folio" "$folio" bash -c "curl -s -X POST -H 'Authorization: Bearer $rec' '$url/staff/enrollments/$id/submit' | jq -r .folio"
expect_output "the CURP is now enrolled for the online flow too" "409 already_enrolled curp" online "{\"curp\":\"$P\"}"
expect_output "the desk sees it active, with the home clinic assigned on submit" "active true" \
    bash -c "curl -s -H 'Authorization: Bearer $rec' '$url/staff/enrollments/$id' | jq -r '\"\\(.status) \\(.home_clinic.clues != null)\"'"
expect_output "the desk prints the credential card" "200 application/pdf %PDF" \
    bash -c "curl -s -o '$tmp/card.pdf' -w '%{http_code} %{content_type} ' -H 'Authorization: Bearer $rec' '$url/staff/enrollments/$id/credential/pdf'; head -c 4 '$tmp/card.pdf'"
expect_output "the card carries the folio" "1" bash -c "pdftotext '$tmp/card.pdf' - | grep -c '$folio'"
expect_output "another unit may not print it" "404 enrollment_not_found null" \
    answer -H "Authorization: Bearer $other" "$url/staff/enrollments/$id/credential/pdf"
expect_output "a change after the submit: not a draft" "409 not_a_draft null" \
    answer -X PUT -H "Authorization: Bearer $rec" -d "$(enroll_names $P)" "$url/staff/enrollments/$id/names"
expect_output "by folio: nothing left to finish" "409 already_enrolled folio" start "$rec" "{\"folio\":\"${folio,,}\"}"
expect_output "an unknown folio" "404 enrollment_not_found folio" start "$rec" '{"folio":"IB26-0000-0000"}'

db() { sql "$data" "$1" ' '; }
words() { db "$1" | paste -sd ' '; } # the rows on one line
staff_id() { db "SELECT id FROM staff WHERE email = '$1@salud.gob.mx'"; }
REC_ID=$(staff_id recepcion)
expect_output "the registration records who assisted and who checked the ID" "$REC_ID $REC_ID 1" \
    db "SELECT assisted_by, verified_by_staff, CASE WHEN verified_by_staff_at > 0 THEN 1 ELSE 0 END FROM registration WHERE id = '$id'"
expect_output "the consent read at the desk names the receptionist" "$REC_ID" \
    db "SELECT assisted_by FROM consent WHERE registration = '$id'"
expect_output "every change of the desk is audited with the person's CURP" \
    "enrollment.assist.start enrollment.assist.names enrollment.assist.contact enrollment.assist.id_check enrollment.assist.address enrollment.assist.document enrollment.assist.submit enrollment.assist.credential" \
    words "SELECT action FROM audit WHERE subject = '$P' AND staff = $REC_ID AND action LIKE 'enrollment.assist.%' AND action <> 'enrollment.assist.read' GROUP BY action ORDER BY min(seq)"
expect_output "three photos, three records" "3" db "SELECT count(*) FROM audit WHERE subject = '$P' AND action = 'enrollment.assist.document'"
expect_output "refused changes write no record (one names, one contact)" "1 1" \
    db "SELECT (SELECT count(*) FROM audit WHERE subject = '$P' AND action = 'enrollment.assist.names'), (SELECT count(*) FROM audit WHERE subject = '$P' AND action = 'enrollment.assist.contact')"
expect_output "the other unit's attempts are audited as denied" "3" \
    db "SELECT count(*) FROM audit WHERE subject = '$P' AND action = 'enrollment.assist.denied' AND staff = $(staff_id otra)"
expect_contains "audit show lists the desk's work" "enrollment.assist.submit" "$PADRON" audit show --person $P --data "$data"

# A desk draft is its unit's: another unit starts its own (drafts never block a CURP).
r=$(desk "$rec" POST "" -d "{\"curp\":\"$S\"}")
sid=$(jq -r .id <<<"$r")
expect_output "another unit cannot change it" "404 enrollment_not_found null" \
    answer -X PUT -H "Authorization: Bearer $other" -d "$(enroll_names $S)" "$url/staff/enrollments/$sid/names"
r=$(desk "$other" POST "" -d "{\"curp\":\"$S\"}")
expect_output "the same CURP at another unit: a new draft, not the first one" "false true" \
    jq -r "\"\(.resumed) \(.id != \"$sid\")\"" <<<"$r"
expect_output "the first unit resumes its own" "true $sid" \
    bash -c "curl -s -X POST -H 'Authorization: Bearer $rec' -H 'Content-Type: application/json' -d '{\"curp\":\"$S\"}' '$url/staff/enrollments' | jq -r '\"\(.resumed) \(.id)\"'"

# Started online (names, contact with an email), finished at the desk (the password
# is optional there, as for every assisted enrollment).
enroll_start $G
enroll_call PUT /names -H 'Content-Type: application/json' -d "$(enroll_names $G)" >/dev/null
enroll_call PUT /contact -H 'Content-Type: application/json' \
    -d "{\"state\":\"20\",\"email\":\"emma@ejemplo.mx\",\"privacy_notice_version\":\"$version\"}" >/dev/null
online_id=$id
expect_output "a unit of another state does not find it: it starts a new one" "false" \
    bash -c "curl -s -X POST -H 'Authorization: Bearer $chis' -H 'Content-Type: application/json' -d '{\"curp\":\"$G\"}' '$url/staff/enrollments' | jq -r .resumed"
expect_output "the person's unit finds it by CURP (any case), with what is missing" \
    "200 $online_id true email_verification address documents.id_front documents.id_back documents.face identity_verification" \
    bash -c "curl -s -w '\n%{http_code}' -X POST -H 'Authorization: Bearer $other' -H 'Content-Type: application/json' -d '{\"curp\":\"${G,,}\"}' '$url/staff/enrollments' | tac | jq -rs '\"\(.[0]) \(.[1].id) \(.[1].resumed) \([.[1].missing[].step] | join(\" \"))\"'"
expect_output "once taken over by one unit, the other may not" "404 enrollment_not_found null" \
    answer -H "Authorization: Bearer $rec" "$url/staff/enrollments/$online_id"
code=$(mail_code "$data" emma@ejemplo.mx)
expect_output "a wrong email code at the desk" "422 wrong_code code" \
    answer -X POST -H "Authorization: Bearer $other" -d '{"code":"000000"}' "$url/staff/enrollments/$online_id/email-verification"
desk "$other" POST "/$online_id/email-verification" -d "{\"code\":\"$code\"}" >/dev/null
desk "$other" POST "/$online_id/identity-verification" -d '{"checked_id_type":"ine"}' >/dev/null
desk "$other" PUT "/$online_id/address" -d '{"postal_code":"70400","state":"20","municipality":"551","settlement":"Centro","street":"Juárez","number":"5"}' >/dev/null
for kind in id_front id_back face; do
    curl -s -X PUT -H "Authorization: Bearer $other" -H 'Content-Type: image/png' --data-binary "@$tmp/photo.png" \
        "$url/staff/enrollments/$online_id/documents/$kind" >/dev/null
done
expect_output "finished at the desk: active" "active" \
    bash -c "curl -s -X POST -H 'Authorization: Bearer $other' '$url/staff/enrollments/$online_id/submit' | jq -r .status"
expect_output "the person's own view agrees" "active" bash -c "curl -s -H 'Authorization: Bearer $token' '$url/registrations/$online_id' | jq -r .status"
expect_output "the person sees the desk's work among who looked at their data" "receptionist $OTHER enrollment.assist.submit" \
    bash -c "curl -s -H 'Authorization: Bearer $token' '$url/me/accesses' | jq -r '.accesses[] | select(.action == \"enrollment.assist.submit\") | \"\\(.role) \\(.unit) \\(.action)\"'"
expect_output "the online consent stays the person's own" "" \
    db "SELECT assisted_by FROM consent WHERE registration = '$online_id'"
expect_output "the takeover and its steps are audited" "enrollment.assist.start enrollment.assist.email_code enrollment.assist.id_check enrollment.assist.address enrollment.assist.document enrollment.assist.submit" \
    words "SELECT action FROM audit WHERE subject = '$G' AND staff = $(staff_id otra) AND action NOT IN ('enrollment.assist.read', 'enrollment.assist.denied') GROUP BY action ORDER BY min(seq)"

# The desk's pages, without JavaScript: the CURP posted, the steps, photos from a
# file input, the submit, the folio and the card to print.
site=$base
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
cookie() { awk -v n="$1" '$6 == n {print $7}' "$jar"; }
expect_output "the desk's enrollment page needs a staff session" "/personal/entrar" go "${site}personal/inscripcion"
page "${site}personal/entrar" >/dev/null
go --data-urlencode "csrf=$(cookie csrf)" --data-urlencode "email=recepcion@salud.gob.mx" --data-urlencode "password=$PW" "${site}personal/entrar" >/dev/null
csrf=$(cookie csrf)
expect_contains "the CURP form" 'action="/personal/inscripcion"' page "${site}personal/inscripcion"
expect_contains "in English too" "Enroll a person at the desk" page -H 'Accept-Language: en' "${site}personal/inscripcion"
post() { go --data-urlencode "csrf=$csrf" "$@"; }
expect_contains "a bad CURP: the online message, at the field" 'id="curp-error"' \
    page --data-urlencode "csrf=$csrf" --data-urlencode "curp=SABC560626MDFLRN09" "${site}personal/inscripcion"
where=$(post --data-urlencode "curp=$S" "${site}personal/inscripcion")
expect_output "the CURP is posted; the page's address holds an opaque id only" "0" \
    bash -c 'grep -qE "^/personal/inscripcion/[0-9a-f]{32}$" <<<"$0"; echo $?' "$where"
pid_=${where##*/}
expect_output "the desk's own draft of that CURP is resumed" "$sid" echo "$pid_"
expect_contains "a name against the CURP: the online message" "first_surname-error" \
    page --data-urlencode "csrf=$csrf" --data-urlencode "given_names=Concepción" --data-urlencode "first_surname=Pérez" "${site}personal/inscripcion/$pid_/nombre"
expect_output "names" "$where" post --data-urlencode "given_names=Concepción" --data-urlencode "first_surname=Salgado" \
    --data-urlencode "second_surname=Briseño" "${site}personal/inscripcion/$pid_/nombre"
expect_contains "a state not taking part: the online message" "state-error" \
    page --data-urlencode "csrf=$csrf" -d "state=14" -d "privacy_notice_version=$version" "${site}personal/inscripcion/$pid_/contacto"
expect_output "contact without email, the notice read at the desk" "$where" \
    post -d "state=20" -d "privacy_notice_version=$version" "${site}personal/inscripcion/$pid_/contacto"
expect_output "the ID checked" "$where" post -d "checked_id_type=ine" "${site}personal/inscripcion/$pid_/identificacion"
expect_output "the address" "$where" post -d "postal_code=70400" -d "state=20" -d "municipality=551" \
    -d "settlement=Centro" -d "street=Hidalgo" -d "number=8" "${site}personal/inscripcion/$pid_/domicilio"
for kind in id_front id_back face; do
    go -F "csrf=$csrf" -F "photo=@$tmp/photo.png;type=image/png" "${site}personal/inscripcion/$pid_/documentos/$kind" >/dev/null
done
expect_contains "a file that is no photo: the online message" "<p class=\"error\" id=\"photo\">" \
    page -F "csrf=$csrf" -F "photo=@$tmp/imss.csv;type=image/png" "${site}personal/inscripcion/$pid_/documentos/face"
expect_output "submitted" "$where" post "${site}personal/inscripcion/$pid_/enviar"
expect_contains "the page shows the folio and the card to print" "credencial.pdf" page "${site}personal/inscripcion/$pid_"
expect_output "the card prints" "%PDF" bash -c "curl -s -b '$jar' '${site}personal/inscripcion/$pid_/credencial.pdf' | head -c 4"
expect_output "the page's enrollment is active" "active" db "SELECT CASE status WHEN 1 THEN 'active' ELSE 'draft' END FROM registration WHERE id = '$pid_'"

# Limits per staff account: 60 starts an hour.
for _ in $(seq 60); do desk "$chis" POST "" -d '{"curp":"hola"}' >/dev/null; done
expect_output "the 61st start within the hour is throttled" "429 throttled null" start "$chis" '{"curp":"hola"}'
expect_output "other accounts are not" "422 invalid_curp curp" start "$rec" '{"curp":"hola"}'

expect_contains "audit verify: the chain holds" "ok " "$PADRON" audit verify --data "$data"
finish assisted
