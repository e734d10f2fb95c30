#!/usr/bin/env bash
# Appointments at the home clinic through the API against a real server: the
# day's slots with their arrival windows, booking (201, confirmation mail), a
# double booking, a full slot (capacity set with padron schedule set), another
# clinic, dates out of range and closed days refused; moving and cancelling.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
P=$PADRON
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

# --- padron schedule ---
expect_status "schedule without --unit is a usage error" 2 "$P" schedule set --data "$data"
expect_contains "bad hours are refused, naming where" "--hours: time at character 7" \
    "$P" schedule set --unit DFIMB002534 --hours "LMXJV 8:00" --data "$data"
expect_status "capacity 0 is a usage error" 2 "$P" schedule set --unit DFIMB002534 --capacity 0 --data "$data"
expect_status "close needs a real date" 2 "$P" schedule close --unit DFIMB002534 --date 2026-02-30 --data "$data"

serve_start "$data"
url=${base}api/v1
enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
enroll_call POST /submit >/dev/null
ana=$token
clinic=$(enroll_call GET '' | jq -r .home_clinic.clues)
# every day 08:00-10:00, slots of 20 minutes, 2 places each: deterministic whatever the catalog says
expect_output "schedule set" "$clinic slot_minutes=20 capacity=2 hours=DLMXJVS 08:00-10:00" \
    "$P" schedule set --unit "$clinic" --hours "DLMXJVS 08:00-10:00" --capacity 2 --data "$data"

call() { # call TOKEN METHOD PATH [BODY]: prints the body then the status
    local t=$1 m=$2 p=$3
    shift 3
    curl -s -w ' %{http_code}' -X "$m" -H "Authorization: Bearer $t" ${1:+-H 'Content-Type: application/json' -d "$1"} "$url/me/appointments$p"
}
tomorrow=$(date -d tomorrow +%F)
later=$(date -d '+3 days' +%F)
closed=$(date -d '+4 days' +%F)
far=$(date -d '+31 days' +%F)

r=$(call "$ana" GET "/slots?date=$tomorrow")
expect_output "six slots of 20 minutes" "6 200" bash -c 'echo "${0% *}" | jq ".slots | length" | tr -d "\n"; echo " ${0##* }"' "$r"
expect_output "the first slot, two places, the first arrives 08:00-08:10" "08:00 08:20 2 08:00 08:10" \
    bash -c 'echo "${0% *}" | jq -r ".slots[0] | \"\(.start) \(.end) \(.free) \(.arrival.from) \(.arrival.to)\""' "$r"

r=$(call "$ana" POST "" "{\"date\":\"$tomorrow\",\"time\":\"08:00\"}")
expect_output "booked: 201 with the arrival window" "201 $tomorrow 08:00 08:00 08:10 0 booked" \
    bash -c 'echo -n "${0##* } "; echo "${0% *}" | jq -r ".appointment | \"\(.date) \(.slot.start) \(.arrival.from) \(.arrival.to) \(.position) \(.status)\""' "$r"
first=$(echo "${r% *}" | jq -r .appointment.id)
mail=$(newest_mail "$data" ana@ejemplo.mx "Su cita de consulta")
expect_contains "the confirmation mail tells the arrival window" "Llegue entre las 08:00-08:10" cat "$mail"
r=$(call "$ana" GET "/slots?date=$tomorrow")
expect_output "one place left; the next arrives 08:10-08:20" "1 08:10" \
    bash -c 'echo "${0% *}" | jq -r ".slots[0] | \"\(.free) \(.arrival.from)\""' "$r"
expect_output "a double booking is refused" "already_booked 409" \
    bash -c 'echo "${0% *}" | jq -r .error.code | tr -d "\n"; echo " ${0##* }"' "$(call "$ana" POST "" "{\"date\":\"$later\",\"time\":\"09:00\"}")"
expect_output "another clinic is refused" "not_your_clinic clues 422" \
    bash -c 'echo "${0% *}" | jq -r "\"\(.error.code) \(.error.field)\"" | tr -d "\n"; echo " ${0##* }"' \
    "$(call "$ana" POST "" "{\"date\":\"$later\",\"time\":\"09:00\",\"clues\":\"DFIMB002534\"}")"
expect_output "a date past 30 days is refused" "date_out_of_range 422" \
    bash -c 'echo "${0% *}" | jq -r .error.code | tr -d "\n"; echo " ${0##* }"' "$(call "$ana" GET "/slots?date=$far")"
expect_output "a malformed date is refused" "invalid_date 422" \
    bash -c 'echo "${0% *}" | jq -r .error.code | tr -d "\n"; echo " ${0##* }"' "$(call "$ana" GET "/slots?date=mañana")"
"$P" schedule close --unit "$clinic" --date "$closed" --data "$data" >/dev/null
expect_output "a closed day is refused" "clinic_closed 422" \
    bash -c 'echo "${0% *}" | jq -r .error.code | tr -d "\n"; echo " ${0##* }"' "$(call "$ana" GET "/slots?date=$closed")"
expect_output "a time that is not a slot is refused" "invalid_time" \
    bash -c 'echo "${0% *}" | jq -r .error.code' "$(call "$ana" PUT "/$first" "{\"date\":\"$later\",\"time\":\"09:05\"}")"

# --- a full slot: a second person, one place per slot ---
enroll_start SABC560626MDFLRN01
enroll_complete beto@ejemplo.mx
enroll_call POST /submit >/dev/null
beto=$token
"$P" schedule set --unit "$clinic" --capacity 1 --data "$data" >/dev/null
expect_output "a full slot is refused" "slot_full 409" \
    bash -c 'echo "${0% *}" | jq -r .error.code | tr -d "\n"; echo " ${0##* }"' "$(call "$beto" POST "" "{\"date\":\"$tomorrow\",\"time\":\"08:00\"}")"
expect_output "the next slot is free" "201" bash -c 'echo "${0##* }"' "$(call "$beto" POST "" "{\"date\":\"$tomorrow\",\"time\":\"08:20\"}")"
expect_output "moving into a full slot is refused" "slot_full" \
    bash -c 'echo "${0% *}" | jq -r .error.code' "$(call "$ana" PUT "/$first" "{\"date\":\"$tomorrow\",\"time\":\"08:20\"}")"

# --- move and cancel ---
r=$(call "$ana" PUT "/$first" "{\"date\":\"$later\",\"time\":\"09:00\"}")
expect_output "moved" "200 $later 09:00" bash -c 'echo -n "${0##* } "; echo "${0% *}" | jq -r ".appointment | \"\(.date) \(.slot.start)\""' "$r"
moved=$(echo "${r% *}" | jq -r .appointment.id)
expect_output "the list holds the moved one" "$later 09:00 booked" \
    bash -c 'echo "${0% *}" | jq -r "[.appointments[] | select(.status == \"booked\")][0] | \"\(.date) \(.slot.start) \(.status)\""' "$(call "$ana" GET "")"
r=$(call "$beto" GET "")
beto_first=$(echo "${r% *}" | jq -r '.appointments[0].id')
expect_output "Beto moves into the place Ana freed" "200 08:00 0" \
    bash -c 'echo -n "${0##* } "; echo "${0% *}" | jq -r ".appointment | \"\(.slot.start) \(.position)\""' \
    "$(call "$beto" PUT "/$beto_first" "{\"date\":\"$tomorrow\",\"time\":\"08:00\"}")"
expect_output "cancel" "cancelled 200" \
    bash -c 'echo "${0% *}" | jq -r .appointment.status | tr -d "\n"; echo " ${0##* }"' "$(call "$ana" DELETE "/$moved")"
expect_output "cancel twice: not found" "appointment_not_found 404" \
    bash -c 'echo "${0% *}" | jq -r .error.code | tr -d "\n"; echo " ${0##* }"' "$(call "$ana" DELETE "/$moved")"
expect_output "somebody else's appointment: not found" "404" bash -c 'echo "${0##* }"' "$(call "$beto" DELETE "/$first")"
expect_output "no token" "401" curl -s -o /dev/null -w '%{http_code}' "$url/me/appointments"
expect_output "one live booking left, every change kept as a row" "1 4" \
    sql "$data" "SELECT sum(CASE WHEN status = 'booked' THEN 1 ELSE 0 END), count(*) FROM appointment" ' '

# --- the page /cuenta/citas (no JavaScript: a date form, then radio buttons) ---
site=$base
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
cookie() { awk -v n="$1" '$6 == n {print $7}' "$jar"; }
expect_output "without a session: to the sign-in" "/entrar" go "${site}cuenta/citas"
page "${site}entrar" >/dev/null
csrf=$(cookie csrf)
go --data-urlencode "csrf=$csrf" --data-urlencode "login=ana@ejemplo.mx" --data-urlencode "password=Nopal-Azul#Tlayuda7" "${site}entrar" >/dev/null
csrf=$(cookie csrf)
expect_contains "the account links to the appointments" 'href="/cuenta/citas"' page "${site}cuenta"
expect_contains "no appointment yet" "No tiene citas próximas." page "${site}cuenta/citas"
expect_contains "the day's slots as radio buttons" 'name="hora" value="08:40"' page "${site}cuenta/citas?fecha=$later"
expect_contains "a full slot is disabled" 'value="08:00" disabled' page "${site}cuenta/citas?fecha=$tomorrow"
expect_output "booking on the page" "/cuenta/citas?hecho=reservada" \
    go -d "csrf=$csrf&fecha=$later&hora=08:40&mover=" "${site}cuenta/citas"
expect_contains "listed with its arrival window" "08:40–09:00" page "${site}cuenta/citas?hecho=reservada"
expect_contains "in English" "You already have a consultation appointment" \
    page -d "csrf=$csrf&fecha=$later&hora=09:00&mover=" "${site}cuenta/citas?lang=en"
mine=$(curl -s -H "Authorization: Bearer $ana" "$url/me/appointments" | jq -r '.appointments[] | select(.status == "booked") | .id')
expect_output "moving on the page" "/cuenta/citas?hecho=cambiada" \
    go -d "csrf=$csrf&fecha=$later&hora=09:20&mover=$mine" "${site}cuenta/citas"
expect_output "cancelling on the page" "/cuenta/citas?hecho=cancelada" \
    go -d "csrf=$csrf" "${site}cuenta/citas/$(curl -s -H "Authorization: Bearer $ana" "$url/me/appointments" | jq -r '.appointments[] | select(.status == "booked") | .id')/cancelar"
expect_output "a wrong CSRF token is refused" "403" \
    curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -d "csrf=x&fecha=$later&hora=09:20" "${site}cuenta/citas"

finish appointments
