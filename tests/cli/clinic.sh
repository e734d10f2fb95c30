#!/usr/bin/env bash
# The care network's units and the home clinic: padron facility nearest, padron
# import facilities, the clinic assigned on submit and again after a move (history
# kept), the person's request for another clinic and its refusals, the facilities
# API and the facility page.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
P=$PADRON
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

# --- padron facility nearest ---
expect_output "nearest to the Zócalo" "DFIMB002534	CENTRO DE SALUD T-I ZÓCALO	1	0.10" \
    "$P" facility nearest --lat 19.4326 --lon -99.1332 --data "$data"
expect_output "three nearest level-3 units, nearest first" \
    "DFIMB002090 3 3.05
DFIMB001921 3 3.15
DFIMB002102 3 3.68" \
    bash -c '"$0" facility nearest --lat 19.4326 --lon -99.1332 --level 3 -n 3 | cut -f1,3,4 | tr "\t" " "' "$P"
expect_output "level 1 only" "1 1 1 1 1" \
    bash -c '"$0" facility nearest --lat 17.06 --lon -96.72 --level 1 -n 5 | cut -f3 | tr "\n" " " | sed "s/ $//"' "$P"
expect_contains "outside Mexico" "is outside Mexico" "$P" facility nearest --lat 40.7 --lon -74.0
expect_contains "swapped coordinates" "latitude and longitude look swapped" "$P" facility nearest --lat -99.13 --lon 19.43
expect_status "outside Mexico exits 1" 1 "$P" facility nearest --lat 40.7 --lon -74.0
expect_contains "not a number" "--lat '19,43' is not a number of degrees" "$P" facility nearest --lat 19,43 --lon -99.1
expect_status "level 4 is a usage error" 2 "$P" facility nearest --lat 19.43 --lon -99.13 --level 4
expect_status "-n 101 is a usage error" 2 "$P" facility nearest --lat 19.43 --lon -99.13 -n 101
expect_status "--lon missing" 2 "$P" facility nearest --lat 19.43
expect_contains "help" "TAB-separated" "$P" facility --help
expect_contains "catalog facility shows the hours" "hours: DLMXJVS 00:00-23:59" "$P" catalog facility BCIMB000010

# --- padron import facilities ---
catalogs=$(cd "$(dirname "$0")/../.." && pwd)/data
header=$(zcat "$catalogs/clues_imss_bienestar.csv.gz" | head -1)
{
    echo "$header"
    zcat "$catalogs/clues_imss_bienestar.csv.gz" | grep -E '^(DFIMB001904|DFIMB002090),'
} >"$tmp/cut.csv"
expect_output "a small cut imported" \
    "imported 2 facilities (2 in operation with a level of care) into $data/catalog/facilities.csv" \
    "$P" import facilities "$tmp/cut.csv" --data "$data"
expect_output "the imported cut replaces the vendored one" "DFIMB001904 DFIMB002090" \
    bash -c '"$0" facility nearest --lat 19.4326 --lon -99.1332 -n 5 --data "$1" | cut -f1 | tr "\n" " " | sed "s/ $//"' "$P" "$data"
{ cat "$tmp/cut.csv"; echo "$header" | sed 's/[^,]*/x/g'; } >"$tmp/bad.csv"
expect_contains "a bad row refuses the file, naming its line" "$tmp/bad.csv: line 4:" "$P" import facilities "$tmp/bad.csv" --data "$data"
expect_status "a bad row exits 1" 1 "$P" import facilities "$tmp/bad.csv" --data "$data"
sed 's/EN OPERACION/ABIERTA/' "$tmp/cut.csv" >"$tmp/status.csv"
expect_contains "an unknown status is refused" "unknown estatus_de_operacion 'ABIERTA'" "$P" import facilities "$tmp/status.csv" --data "$data"
expect_output "the previous import stays" "2" bash -c 'tail -n +2 "$0" | wc -l' "$data/catalog/facilities.csv"
expect_status "no FILE" 2 "$P" import facilities --data "$data"
expect_contains "a missing file" "cannot read" "$P" import facilities "$tmp/none.csv" --data "$data"
expect_output "a gzip cut: the whole vendored catalog again" \
    "imported 10573 facilities (10140 in operation with a level of care) into $data/catalog/facilities.csv" \
    "$P" import facilities "$catalogs/clues_imss_bienestar.csv.gz" --data "$data"

# --- the clinic on submit ---
serve_start "$data"
url=${base}api/v1
expect_contains "serve says the facilities are imported" "(imported into the data directory)" cat "$tmp/out"
# Tlacolula de Matamoros (20 551): placed at its county seat
seat_clinic=$("$P" facility nearest --lat 16.955624 --lon -96.479214 --level 1 | cut -f1)
enroll_start PXNE660720HMCXTN06
expect_output "no clinic before submit" "null" bash -c 'echo "$0" | jq -c .home_clinic' "$(enroll_call GET '')"
enroll_complete ana@ejemplo.mx
r=$(enroll_call POST /submit)
expect_output "submit assigns the unit nearest to the county seat" "$seat_clinic address 1 in_operation" \
    bash -c 'echo "$0" | jq -r ".home_clinic | \"\(.clues) \(.reason) \(.level) \(.status)\""' "$(enroll_call GET '')"
expect_output "placed by the county seat" "seat" \
    bash -c 'echo "$0" | jq -r .home_clinic.located_by' "$(enroll_call GET '')"
expect_contains "map link" "https://www.openstreetmap.org/?mlat=" bash -c 'echo "$0" | jq -r .home_clinic.map_url' "$(enroll_call GET '')"

# --- a move re-assigns, keeping the history ---
move='{"postal_code":"06000","state":"09","municipality":"015","settlement":"Centro","street":"Moneda","number":"1","lat":"19.4326","lon":"-99.1332"}'
r=$(enroll_call PUT /address -H 'Content-Type: application/json' -d "$move")
expect_output "a move with a chosen position: the nearest unit to it" "DFIMB002534 move chosen 0.1" \
    bash -c 'echo "$0" | jq -r ".home_clinic | \"\(.clues) \(.reason) \(.located_by) \(.distance_km)\""' "$r"
expect_output "both assignments kept" "2" sql "$data" "SELECT count(*) FROM home_clinic WHERE registration = '$id'"
bad='{"postal_code":"06000","state":"09","municipality":"015","settlement":"Centro","street":"Moneda","number":"1","lat":"40.7","lon":"-74"}'
expect_output "a position outside Mexico is refused" "invalid_position lat" \
    bash -c 'echo "$0" | jq -r "\"\(.error.code) \(.error.field)\""' "$(enroll_call PUT /address -H 'Content-Type: application/json' -d "$bad")"
half='{"postal_code":"06000","state":"09","municipality":"015","settlement":"Centro","street":"Moneda","number":"1","lat":"19.43"}'
expect_output "one coordinate alone is refused" "invalid_position lon" \
    bash -c 'echo "$0" | jq -r "\"\(.error.code) \(.error.field)\""' "$(enroll_call PUT /address -H 'Content-Type: application/json' -d "$half")"

# --- the person asks for another clinic ---
clinic() { curl -s -w ' %{http_code}' -X PUT -H 'Content-Type: application/json' -H "Authorization: Bearer $token" -d "$1" "$url/me/clinic"; }
code_of() { local b; b=$(clinic "$1"); echo "${b##* } $(echo "${b% *}" | jq -r '.error.code // .home_clinic.clues')"; }
expect_output "another level-1 unit nearby" "200 DFIMB001904" code_of '{"clues":"dfimb001904"}'
expect_output "recorded as a request" "request" bash -c 'echo "$0" | jq -r .home_clinic.reason' "$(enroll_call GET '')"
expect_output "a hospital is not a clinic" "422 not_level_1" code_of '{"clues":"DFIMB001933"}'
far=$("$P" facility nearest --lat 32.5 --lon -117.0 --level 1 | cut -f1) # Tijuana
expect_output "too far away" "422 too_far" code_of "{\"clues\":\"$far\"}"
expect_output "unknown key" "422 unknown_facility" code_of '{"clues":"DFIMB999999"}'
expect_output "no key" "422 required" code_of '{}'
expect_output "undeclared field" "400 unknown_field" code_of '{"clues":"DFIMB001904","x":"1"}'
expect_output "no token" "401" curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' -d '{"clues":"DFIMB001904"}' "$url/me/clinic"
expect_output "four assignments, oldest first" "address move request" \
    bash -c 'sql "$0" "SELECT reason FROM home_clinic WHERE registration = '"'"'$1'"'"' ORDER BY id" | paste -sd " "' "$data" "$id"
# Each change reissues the credential (and revokes one): three a day; asking for the
# clinic one has is free.
expect_output "asking for the current clinic changes nothing" "200 DFIMB001904" code_of '{"clues":"DFIMB001904"}'
others=$("$P" facility nearest --lat 19.427090 --lon -99.143640 --level 1 -n 4 | cut -f1 | grep -v DFIMB001904 | head -3)
set -- $others
expect_output "a second change today" "200 $1" code_of "{\"clues\":\"$1\"}"
expect_output "a third" "200 $2" code_of "{\"clues\":\"$2\"}"
expect_output "a fourth in a day is too many" "429 throttled" code_of "{\"clues\":\"$3\"}"
enroll_start SABC560626MDFLRN01
expect_output "a draft has no clinic to change" "409 not_active" code_of '{"clues":"DFIMB001904"}'

# --- the facilities API ---
expect_output "nearest level-1 units, as the command answers" \
    "$("$P" facility nearest --lat 17.06 --lon -96.72 --level 1 -n 3 | cut -f1 | tr '\n' ' ' | sed 's/ $//')" \
    bash -c 'curl -s "$0" | jq -r "[.facilities[].clues] | join(\" \")"' "$url/facilities?near=17.06,-96.72&level=1&limit=3"
expect_output "default limit 5, any level" "5" bash -c 'curl -s "$0" | jq ".facilities | length"' "$url/facilities?near=19.4326,-99.1332"
expect_output "near outside Mexico" "422 near" \
    bash -c 'b=$(curl -s -w " %{http_code}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.field)"' "$url/facilities?near=40.7,-74"
expect_output "bad level" "422 level" \
    bash -c 'b=$(curl -s -w " %{http_code}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.field)"' "$url/facilities?near=19.4,-99.1&level=9"
expect_output "one unit" "CENTRO DE SALUD T-I ZÓCALO 1 Cuauhtémoc" \
    bash -c 'curl -s "$0" | jq -r "\"\(.name) \(.level) \(.municipality.name)\""' "$url/facilities/DFIMB002534"
expect_output "an unknown unit" "404" curl -s -o /dev/null -w '%{http_code}' "$url/facilities/DFIMB999999"
expect_output "opening hours, as DGIS writes them" "LMXJV 08:00-15:30" \
    bash -c 'curl -s "$0" | jq -r .hours' "$url/facilities/BCIMB000034"

# --- the facility page ---
expect_contains "the page names the unit" "CENTRO DE SALUD T-I ZÓCALO" curl -s "${base}unidades/DFIMB002534"
expect_contains "with a map link" 'href="https://www.openstreetmap.org/?mlat&#61;19.432690' curl -s "${base}unidades/DFIMB002534"
expect_contains "in English" "First level: health centre" curl -s "${base}unidades/DFIMB002534?lang=en"
expect_contains "opening hours in words" "lun, mar, mié, jue, vie 08:00–15:30" curl -s "${base}unidades/BCIMB000034"
expect_contains "opening hours in English" "Mon, Tue, Wed, Thu, Fri 08:00–15:30" curl -s "${base}unidades/BCIMB000034?lang=en"
expect_output "an unknown unit's page" "404" curl -s -o /dev/null -w '%{http_code}' "${base}unidades/XX"
serve_stop
finish clinic
