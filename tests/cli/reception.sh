#!/usr/bin/env bash
# Reception end to end against a real server: check-in by folio and by the
# credential's QR text (a revoked and a forged one refused with the reason), the
# turn of the day, walk-ins, already checked in, a person of another unit (404,
# audited as denied), roles, the unit's list of the day, the status changes and
# their refusals, the audit records, the reception page, and the reminder mail
# of the day before (queued when the server starts, once).
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
PW='Tlacolula-Verde#2026'

serve_start "$data"
url=${base}api/v1
# Three people of the same home clinic (HERE): Ana books today, Beto walks in,
# Emma books tomorrow.
enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
ana_folio=$(enroll_call POST /submit | jq -r .folio)
ana=$token
HERE=$(enroll_call GET "" | jq -r .home_clinic.clues)
OTHER=OCIMB000024
[ "$HERE" = "$OTHER" ] && OTHER=OCIMB000036
enroll_start SABC560626MDFLRN01
enroll_complete beto@ejemplo.mx
beto_folio=$(enroll_call POST /submit | jq -r .folio)
beto=$token
enroll_start GODE561231MHGMZM07
enroll_complete emma@ejemplo.mx
emma_folio=$(enroll_call POST /submit | jq -r .folio)
emma=$token

# Open all day with 5-minute slots, so a slot later today is always there
# (unless the test runs in the day's last minutes).
"$PADRON" schedule set --unit "$HERE" --hours "DLMXJVS 00:00-23:59" --slot-minutes 5 --capacity 2 \
    --data "$data" >/dev/null
book() { # book TOKEN DATE: books the first free slot of the day; prints the appointment id
    local slot
    slot=$(curl -s -H "Authorization: Bearer $1" "$url/me/appointments/slots?date=$2" |
        jq -r '[.slots[] | select(.free > 0 and (.started | not))][1].start')
    curl -s -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
        -d "{\"date\":\"$2\",\"time\":\"$slot\"}" "$url/me/appointments" | jq -r .appointment.id
}
today=$(date +%F)
tomorrow=$(date -d tomorrow +%F)
ana_appt=$(book "$ana" "$today")
emma_appt=$(book "$emma" "$tomorrow")
expect_status "Ana booked today" 0 grep -qE '^[0-9]+$' <<<"$ana_appt"
expect_status "Emma booked tomorrow" 0 grep -qE '^[0-9]+$' <<<"$emma_appt"

# Staff: a receptionist and a physician here, a receptionist elsewhere, a social worker here.
add() { "$PADRON" staff add --data "$data" "$@" 2>&1 | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}'; }
api() { curl -s -X "$1" -H 'Content-Type: application/json' "${@:3}" "$url$2"; }
staff() { # staff ROLE UNIT EMAIL: a signed-in account's token
    local code
    code=$(add --role "$1" --unit "$2" --email "$3")
    api POST /staff/password -d "{\"email\":\"$3\",\"code\":\"$code\",\"password\":\"$PW\"}" >/dev/null
    api POST /staff/sessions -d "{\"email\":\"$3\",\"password\":\"$PW\"}" | jq -r .token
}
rec=$(staff receptionist "$HERE" recepcion@salud.gob.mx)
doc=$(staff physician "$HERE" medica@salud.gob.mx)
other=$(staff receptionist "$OTHER" otra@salud.gob.mx)
social=$(staff social_worker "$HERE" social@salud.gob.mx)

# checkin TOKEN BODY: "STATUS" then the JSON body's chosen fields
checkin() {
    local r
    r=$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
        -d "$2" "$url/staff/checkins")
    echo "$(tail -1 <<<"$r") $(head -1 <<<"$r" | jq -r "$3")"
}
expect_output "no token: 401" "401 unauthorized" checkin "" '{"folio":"x"}' .error.code
expect_output "a social worker does not work reception: 403" "403 out_of_scope" \
    checkin "$social" "{\"folio\":\"$ana_folio\"}" .error.code
expect_output "a malformed folio" "422 invalid_folio" checkin "$rec" '{"folio":"nope"}' .error.code
expect_output "nothing sent" "422 required" checkin "$rec" '{}' .error.code
expect_output "both QR and folio" "422 one_of" checkin "$rec" "{\"folio\":\"$ana_folio\",\"qr\":\"PB1:x\"}" .error.code
expect_output "unknown fields are refused" "400 unknown_field" checkin "$rec" '{"curp":"PXNE660720HMCXTN06"}' .error.code
expect_output "an unknown folio" "404 person_not_found" checkin "$rec" '{"folio":"IB26-0000-0000"}' .error.code
expect_output "another unit's receptionist: 404 not_at_this_unit" "404 not_at_this_unit" \
    checkin "$other" "{\"folio\":\"$ana_folio\"}" .error.code

# Ana has a booking today: arrived, turn 1 (the folio in any case).
expect_output "Ana by folio: 201, turn 1, her booking" "201 1 Enrique Peña Nieto $ana_appt arrived false" \
    checkin "$rec" "{\"folio\":\"${ana_folio,,}\"}" '"\(.turn) \(.name) \(.appointment.id) \(.appointment.status) \(.appointment.walk_in)"'
expect_output "again: 409 already_checked_in with the same turn" "409 already_checked_in 1" \
    checkin "$rec" "{\"folio\":\"$ana_folio\"}" '"\(.error.code) \(.turn)"'

# Beto walks in with his credential's QR: a walk-in, turn 2.
qr=$(curl -s -H "Authorization: Bearer $beto" "$url/me/credential" | jq -r .qr)
cid=$(curl -s -H "Authorization: Bearer $beto" "$url/me/credential" | jq -r .credential_id)
bad="${qr%?}$([ "${qr: -1}" = 0 ] && echo 1 || echo 0)"
expect_output "a forged QR: credential_invalid, saying so" "422 credential_invalid" \
    checkin "$rec" "{\"qr\":\"$bad\"}" .error.code
expect_output "Beto by QR: a walk-in, turn 2" "201 2 true null arrived" \
    checkin "$doc" "{\"qr\":\"$qr\"}" '"\(.turn) \(.appointment.walk_in) \(.appointment.slot) \(.appointment.status)"'
"$PADRON" revoke "$cid" --data "$data" >/dev/null
expect_output "a revoked credential is refused with the reason" "422 Credential not accepted: the credential was revoked (a newer one replaces it)." \
    bash -c 'r=$(curl -s -w "\n%{http_code}" -X POST -H "Authorization: Bearer $0" -H "Accept-Language: en" -H "Content-Type: application/json" -d "{\"qr\":\"$1\"}" "$2/staff/checkins"); echo "$(tail -1 <<<"$r") $(head -1 <<<"$r" | jq -r .error.message)"' \
    "$rec" "$qr" "$url"

# The list of the day: checked in by turn, masked CURPs, no whole CURP.
queue() { curl -s -H "Authorization: Bearer $1" "$url/staff/queue${2:-}"; }
expect_output "the queue: Ana then Beto" "1 $ana_folio arrived false [\"in_consultation\"]
2 $beto_folio arrived true [\"in_consultation\"]" \
    bash -c 'echo "$0" | jq -r ".appointments[] | \"\(.turn) \(.folio) \(.status) \(.walk_in) \(.next | tojson)\""' "$(queue "$rec")"
expect_output "CURPs are masked" "PXNE··········TN06" bash -c 'echo "$0" | jq -r ".appointments[0].curp"' "$(queue "$rec")"
expect_status "no whole CURP in the queue" 1 grep -q PXNE660720HMCXTN06 <<<"$(queue "$rec")"
expect_output "tomorrow: Emma booked, no turn" "null booked []" \
    bash -c 'echo "$0" | jq -r ".appointments[] | \"\(.turn) \(.status) \(.next | tojson)\""' "$(queue "$rec" "?date=$tomorrow")"
expect_output "a bad date" "invalid_date" bash -c 'echo "$0" | jq -r .error.code' "$(queue "$rec" "?date=mañana")"
expect_output "another unit sees none of them" "0" bash -c 'echo "$0" | jq -r ".appointments | length"' "$(queue "$other")"

# Status changes.
status() {
    local r
    r=$(curl -s -w '\n%{http_code}' -X PUT -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
        -d "{\"status\":\"$3\"}" "$url/staff/appointments/$2/status")
    echo "$(tail -1 <<<"$r") $(head -1 <<<"$r" | jq -r '.error.code // .appointment.status')"
}
expect_output "arrived -> done skips a step: 409" "409 invalid_transition" status "$rec" "$ana_appt" done
expect_output "arrived -> no_show is not allowed" "409 invalid_transition" status "$rec" "$ana_appt" no_show
expect_output "a status that does not exist" "422 invalid_status" status "$rec" "$ana_appt" asleep
expect_output "another unit cannot touch it" "404 appointment_not_found" status "$other" "$ana_appt" in_consultation
expect_output "arrived -> in_consultation" "200 in_consultation" status "$doc" "$ana_appt" in_consultation
expect_output "in_consultation -> done" "200 done" status "$doc" "$ana_appt" done
expect_output "done is final" "409 invalid_transition" status "$doc" "$ana_appt" in_consultation
expect_output "a booking whose window has not passed is not a no-show yet" "409 invalid_transition" \
    status "$rec" "$emma_appt" no_show

# The audit log: each check-in, the denied one, the status changes, the list once a day.
expect_output "audit: what the desk did with Ana's data" "appointment.checkin
appointment.checkin
appointment.checkin.denied
appointment.list
appointment.status
appointment.status" \
    bash -c '"$0" audit show --person PXNE660720HMCXTN06 --data "$1" | cut -f5 | LC_ALL=C sort' "$PADRON" "$data"
expect_output "audit: the chain holds" "ok" bash -c '"$0" audit verify --data "$1" | head -1 | cut -d" " -f1' "$PADRON" "$data"

# The reception page: sign in, check Emma in by folio (a walk-in today), the list.
jar=$tmp/jar
site=$base
csrf() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//; s/"//'; }
curl -s -c "$jar" -b "$jar" "${site}personal/entrar" >"$tmp/p.html"
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$(csrf "$tmp/p.html")" \
    --data-urlencode email=recepcion@salud.gob.mx --data-urlencode "password=$PW" "${site}personal/entrar"
curl -s -c "$jar" -b "$jar" "${site}personal/recepcion" >"$tmp/r.html"
expect_contains "the page lists the day" "Enrique Peña Nieto" cat "$tmp/r.html"
expect_contains "grouped by status" "Atendidas (1)" cat "$tmp/r.html"
expect_output "check-in through the form: turn 3" "200" \
    curl -s -c "$jar" -b "$jar" -o "$tmp/c.html" -w '%{http_code}' --data-urlencode "csrf=$(csrf "$tmp/r.html")" \
    --data-urlencode "folio=$emma_folio" --data-urlencode qr= "${site}personal/recepcion"
expect_contains "the turn is shown" '<strong id="turn">3</strong>' cat "$tmp/c.html"
expect_contains "with a button to call her in" "Pasar a consulta" cat "$tmp/c.html"
expect_output "a form without its CSRF token is refused" "403" \
    curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "folio=$emma_folio" "${site}personal/recepcion"
expect_contains "on the reception page, at the folio" 'id="folio-error">El formulario venció' \
    curl -s -c "$jar" -b "$jar" --data-urlencode "folio=$emma_folio" "${site}personal/recepcion"
beto_appt=$(queue "$rec" | jq -r '.appointments[] | select(.turn == 2) | .id')
expect_output "a button moves a row: 303 back to the list" "303" \
    curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$(csrf "$tmp/r.html")" \
    --data-urlencode status=in_consultation "${site}personal/recepcion/citas/$beto_appt"
expect_output "and the API sees it" "in_consultation" bash -c 'echo "$0" | jq -r ".appointments[] | select(.turn == 2) | .status"' "$(queue "$rec")"
expect_contains "a refused move shows why" "no puede pasar a ese estado" \
    curl -s -c "$jar" -b "$jar" --data-urlencode "csrf=$(csrf "$tmp/r.html")" \
    --data-urlencode status=no_show "${site}personal/recepcion/citas/$beto_appt"
expect_output "without a session: to the sign-in page" "303" \
    curl -s -o /dev/null -w '%{http_code}' "${site}personal/recepcion"

# The reminder the day before: Emma's checked-in walk-in today does not matter;
# her booking of tomorrow gets one reminder when the server starts, once.
serve_stop
rm -f "$data"/mail/new/*
serve_start "$data"
file=$(newest_mail "$data" emma@ejemplo.mx "Le recordamos")
expect_status "a reminder for tomorrow's booking" 0 test -n "$file"
expect_contains "with the date and the arrival window" "$tomorrow" cat "$file"
expect_contains "in Spanish, with where to go" "Llegue entre las" cat "$file"
serve_stop
serve_start "$data"
sleep 2
expect_output "once: a restart queues no second reminder" "1" \
    bash -c 'grep -l "Le recordamos" "$0"/mail/new/* 2>/dev/null | wc -l' "$data"

finish reception
