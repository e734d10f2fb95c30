#!/usr/bin/env bash
# padron catalog / padron import: the vendored catalogs, catalog-directory
# resolution, postal-code import (fixture, Latin-1 original, real SEPOMEX file when
# ../shared/data has it), all-or-nothing imports, and the exit statuses.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
root=$(cd "$(dirname "$0")/../.." && pwd)

# --- help and usage ---
expect_status "catalog --help" 0 "$P" catalog --help
expect_status "help catalog" 0 "$P" help catalog
expect_status "import --help" 0 "$P" import --help
for sub in states municipalities postal-code facility summary; do
    expect_contains "catalog $sub --help" "usage: padron catalog $sub" "$P" catalog "$sub" --help
done
expect_contains "import postal-codes --help" "--latin1" "$P" import postal-codes --help
expect_status "catalog alone" 2 "$P" catalog
expect_status "unknown subcommand" 2 "$P" catalog bogus
expect_status "missing STATE" 2 "$P" catalog municipalities
expect_status "extra argument" 2 "$P" catalog facility BCIMB000010 extra
expect_status "unknown option" 2 "$P" catalog states --bogus
expect_status "option without value" 2 "$P" catalog states --catalogs
expect_status "import alone" 2 "$P" import
expect_status "import unknown catalog" 2 "$P" import zip-codes x
expect_status "import without FILE" 2 "$P" import postal-codes

# --- the vendored catalogs ---
expect_output "summary" "states: 32
participating states on 2026-01-01: 23
municipalities: 2478
facilities: 10573
facilities in operation: 10366
  first level: 9460
  second level: 612
  third level: 68
  not applicable: 226" "$P" catalog summary --on 2026-01-01
expect_contains "summary before the first accession" "participating states on 2025-12-30: 0" \
    "$P" catalog summary --on 2025-12-30
expect_status "summary bad date" 1 "$P" catalog summary --on 2025-02-30
expect_contains "states CDMX" "09       DF      yes            2025-12-31  Ciudad de México" \
    "$P" catalog states --on 2026-06-01
expect_contains "states Jalisco" "14       JC      no             -           Jalisco" \
    "$P" catalog states
expect_contains "states count" "23 of 32 states participating on 2026-06-01" \
    "$P" catalog states --on=2026-06-01
expect_contains "municipalities by INEGI code" "Ciudad de México (09, DF): 16 municipalities" \
    "$P" catalog municipalities 09
expect_contains "municipalities by one digit" "Ciudad de México (09, DF): 16 municipalities" \
    "$P" catalog municipalities 9
expect_contains "municipalities by RENAPO code" "Oaxaca (20, OC): 570 municipalities" \
    "$P" catalog municipalities oc
expect_contains "municipality row" "010      -                       19.332451,-99.244886    Álvaro Obregón (seat unknown)" \
    "$P" catalog municipalities DF
expect_status "unknown state" 1 "$P" catalog municipalities 33
expect_status "unknown RENAPO" 1 "$P" catalog municipalities XX
expect_contains "facility" "name: HOSPITAL GENERAL DE ENSENADA" "$P" catalog facility BCIMB000010
expect_contains "facility level" "level: second level" "$P" catalog facility bcimb000010
expect_contains "facility place" "municipality: Ensenada (001)" "$P" catalog facility BCIMB000010
expect_status "unknown facility" 1 "$P" catalog facility BCIMB999999
expect_status "malformed CLUES" 1 "$P" catalog facility BCIMB

# --- where the catalogs are found ---
expect_contains "catalogs from another cwd" "states: 32" bash -c 'cd / && "$0" catalog summary' "$P"
expect_contains "--catalogs wins" "missing catalog file" "$P" catalog summary --catalogs "$tmp"
expect_contains "PADRON_CATALOGS" "missing catalog file" env PADRON_CATALOGS="$tmp" "$P" catalog summary
expect_status "explicit good dir" 0 "$P" catalog summary --catalogs "$root/data"
mkdir "$tmp/badcat"
cp "$root"/data/* "$tmp/badcat/"
printf 'clave_renapo,participating_since\nDF,2025-12-31\nDF,2026-01-01\n' >"$tmp/badcat/participation.csv"
expect_contains "bad catalog refused" "participation.csv: line 3: state DF listed twice" \
    "$P" catalog summary --catalogs "$tmp/badcat"
expect_status "bad catalog status" 1 "$P" catalog summary --catalogs "$tmp/badcat"

# --- postal codes: never imported ---
expect_status "postal-code not imported" 1 "$P" catalog postal-code 01000 --data "$tmp/none"
expect_contains "postal-code says how to import" "padron import postal-codes FILE --data $tmp/none" \
    "$P" catalog postal-code 01000 --data "$tmp/none"
expect_status "postal-code malformed" 1 "$P" catalog postal-code 1000 --data "$tmp/none"

# --- postal codes: a small UTF-8 TSV fixture ---
hdr=$'d_codigo\td_asenta\td_tipo_asenta\tD_mnpio\td_estado\td_ciudad\td_CP\tc_estado\tc_oficina\tc_CP\tc_tipo_asenta\tc_mnpio\tid_asenta_cpcons\td_zona\tc_cve_ciudad'
{
    echo "$hdr"
    printf '01010\tLos Alpes\tColonia\tÁlvaro Obregón\tCiudad de México\tCiudad de México\t01001\t09\t01001\t\t09\t010\t0005\tUrbano\t01\n'
    printf '20000\tZona Centro\tColonia\tAguascalientes\tAguascalientes\tAguascalientes\t20001\t01\t20001\t\t09\t001\t0001\tUrbano\t01\n'
} >"$tmp/small.tsv"
d=$tmp/var
expect_output "import fixture" "imported 2 settlements in 2 postal codes into $d/catalog/postal-codes.tsv" \
    "$P" import postal-codes "$tmp/small.tsv" --data "$d"
expect_contains "lookup fixture" "  Los Alpes (Colonia, Urbano, city Ciudad de México)" \
    "$P" catalog postal-code 01010 --data "$d"
expect_status "unknown postal code" 1 "$P" catalog postal-code 99999 --data "$d"
expect_contains "unknown postal code says so" "postal code 99999 does not exist" \
    "$P" catalog postal-code 99999 --data "$d"

# a bad row refuses the whole file and leaves the previous import as it was
before=$(cksum <"$d/catalog/postal-codes.tsv")
{
    cat "$tmp/small.tsv"
    printf '20010\tX\tColonia\tM\tE\t\t20001\t01\t20001\t\t09\t999\t0001\tUrbano\t01\n'
} >"$tmp/bad.tsv"
expect_status "bad import fails" 1 "$P" import postal-codes "$tmp/bad.tsv" --data "$d"
expect_contains "bad import names the line" "bad.tsv: line 4: municipality 01 999 is not in the inegi catalog" \
    "$P" import postal-codes "$tmp/bad.tsv" --data "$d"
expect_output "previous import intact" "$before" bash -c 'cksum <"$0"' "$d/catalog/postal-codes.tsv"
expect_status "no temporary file left" 1 test -e "$d/catalog/postal-codes.tsv.tmp"
expect_status "missing source" 1 "$P" import postal-codes "$tmp/absent.txt" --data "$d"

# the original layout: terms line, '|', CRLF, Latin-1
printf '"El Cat\xe1logo Nacional de C\xf3digos Postales ..."\r\n%s\r\n01000|San \xc1ngel|Colonia|\xc1lvaro Obreg\xf3n|Ciudad de M\xe9xico|Ciudad de M\xe9xico|01001|09|01001||09|010|0001|Urbano|01\r\n' \
    "${hdr//$'\t'/|}" >"$tmp/CPdescarga.txt"
expect_contains "latin-1 refused without --latin1" "line 1: invalid utf-8" \
    "$P" import postal-codes "$tmp/CPdescarga.txt" --data "$tmp/l1"
expect_contains "latin-1 hint" "--latin1" "$P" import postal-codes "$tmp/CPdescarga.txt" --data "$tmp/l1"
expect_status "latin-1 import" 0 "$P" import postal-codes "$tmp/CPdescarga.txt" --latin1 --data "$tmp/l1"
expect_contains "latin-1 converted" "  San Ángel (Colonia, Urbano" \
    "$P" catalog postal-code 01000 --data "$tmp/l1"

# --- the real SEPOMEX catalog, when present beside the repository ---
sepomex=$root/../shared/data/sepomex_codigos_postales.tsv
if [ -r "$sepomex" ]; then
    r=$tmp/real
    expect_output "import SEPOMEX" "imported 155888 settlements in 32012 postal codes into $r/catalog/postal-codes.tsv" \
        "$P" import postal-codes "$sepomex" --data "$r"
    out=$("$P" catalog postal-code 01000 --data "$r" 2>&1)
    expect_contains "01000 state" "state: Ciudad de México (09)" echo "$out"
    expect_contains "01000 municipality" "municipality: Álvaro Obregón (010)" echo "$out"
    expect_contains "01000 settlement" "  San Ángel (Colonia, Urbano" echo "$out"
    before=$(cksum <"$r/catalog/postal-codes.tsv")
    expect_status "failed re-import" 1 "$P" import postal-codes "$tmp/bad.tsv" --data "$r"
    expect_output "SEPOMEX import intact" "$before" bash -c 'cksum <"$0"' "$r/catalog/postal-codes.tsv"
else
    echo "catalog: skipping the real SEPOMEX import ($sepomex not found)"
fi

finish catalog
