#!/usr/bin/env bash
# padron curp: every derivation in the reference notes (docs/identifiers.md), the
# check/check-digit conventions, and the exit statuses.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON

# given | first surname | second surname | sex | birth | state | CURP (full or 16-char stem)
while IFS='|' read -r given first second sex birth state curp; do
    [ -z "$given" ] && continue
    args=(curp derive --given "$given" --first-surname "$first" --birth "$birth" --sex "$sex" --state "$state")
    [ -n "$second" ] && args+=(--second-surname "$second")
    expect_output "derive $given $first $second" "${curp:0:16}" bash -c '"$0" "$@" | head -n 1' "$P" "${args[@]}"
    if [ ${#curp} -eq 18 ]; then
        expect_output "check $curp" "valid" bash -c '"$0" curp check "$1" | cut -f2' "$P" "$curp"
        expect_output "check-digit $curp" "${curp:17:1}" "$P" curp check-digit "${curp:0:17}"
    fi
done <<'TABLE'
Concepción|Salgado|Briseño|M|1956-06-26|DF|SABC560626MDFLRN01
Emma|Gómez|Díaz|M|1956-12-31|HG|GODE561231MHGMZM07
Jesús Israel|Perales|Martínez|H|1992-09-06|NL|PEMJ920906HNLRRS00
Felipe de Jesús|Calderón|Hinojosa|H|1962-08-18|MN|CAHF620818HMNLNL09
Enrique|Peña|Nieto|H|1966-07-20|MC|PXNE660720HMCXTN06
Andrés Manuel|López|Obrador|H|1953-11-13|TC|LOOA531113HTCPBN07
Luis|Perez||H|1975-09-09|DF|PEXL750909HDFRXS02
Luis|Perez|Piedra|H|2000-09-09|NL|PEPL000909HNLRDSA1
Maria Del Carmen|Loredo|Caballero|M|1990-06-27|SP|LOCC900627MSPRBR07
MARIA GILA|HURTADO|HERRERA|M|1920-09-01|SP|HUHG200901MSPRRL09
MARIA DEL ROSARIO|MARTINEZ|RIVAS|M|1981-09-08|SP|MARR810908MSPRVS00
ONDREJ JUAN|HERNANDEZ|LOPEZ|H|1999-05-01|VZ|HELO990501HVZRPN09
IRMA LETICIA|MAR|SOLIS|M|2005-08-05|VZ|MASI050805MVZRLRA8
MARIA ERNESTINA RAFAELA|CONTRERAS|MORALES|M|1972-11-10|VZ|COME721110MVZNRR03
MARIA|VILLA|TRUJILLO|M|1982-09-06|VZ|VITM820906MVZLRR00
JOSE MARIA|TEZOCO|APALE|H|1947-06-22|VZ|TEAM470622HVZZPR07
JOSE SAUL|GALVAN|DEL RIO|H|1970-09-23|SP|GARS700923HSPLXL06
ALBERTO|RODRIGUEZ|ÑANDO|H|1975-09-09|DF|ROXA750909HDFDNL07
ANDRES|ICH|RODRIGUEZ|H|1975-09-09|DF|IXRA750909HDFCDN09
ANGELINE|ZULEYKA|NETAN|M|1954-03-08|NE|ZUNA540308MNELTN05
ROSA GUADALUPE|O RELLING|ALVARADO|M|1997-01-22|VZ|OXAR970122MVZXLS09
ANAHI|N. LUIS|MENDO|M|1981-03-27|VZ|NXMA810327MVZXNN08
EDNA|PEREZ|H. TOLENTINO|M|1977-11-20|VZ|PEHE771120MVZRXD09
M CRISTINA|QUIAHUA|CALIHUA|M|1981-09-19|VZ|QUCC810919MVZHLR01
JESÚS OCIEL|BAENA|SAUCEDO|X|1984-12-09|CL|BASJ841209XCLNCS02
Luis Fernando|Barrera|Castro|H|1989-12-17|DF|BACL891217HDFRSS09
Maria Fernanda|Lopez|Hernandez|M|1992-01-03|JC|LOHF920103MJCPRR03
Juan|Garcia||H|1980-07-09|NL|GAXJ800709HNLRXN05
Jose Luis|Ramirez|Diaz|H|1985-06-20|PL|RADL850620HPLMZS05
Ana Maria|Gomez|Lopez|M|1999-12-31|YN|GOLA991231MYNMPN03
ALBERTO|ÑANDO|RODRIGUEZ|H|1980-01-01|DF|XARA800101HDFNDL
MARIA LUISA|PEREZ|HERNANDEZ|M|1980-01-01|DF|PEHL800101MDFRRS
LUIS ENRIQUE|ROMERO|PALAZUELOS|H|1980-01-01|DF|ROPL800101HDFMLS
JUAN JOSE|D/AMICO|ALVAREZ|H|1980-01-01|DF|DXAJ800101HDFXLN
ROCIO|RIVA PALACIO|CRUZ|M|1980-01-01|DF|RICR800101MDFVRC
CARLOS|MC GREGOR|LOPEZ|H|1980-01-01|DF|GELC800101HDFRPR
OFELIA|PEDRERO|DOMINGUEZ|M|1980-01-01|DF|PXDO800101MDFDMF
ALBERTO|OÑATE|RODRIGUEZ|H|1980-01-01|DF|OARA800101HDFXDL
ANDRES|PO|BARRIOS|H|1980-01-01|DF|POBA800101HDFXRN
LETICIA|LUNA||M|1980-01-01|DF|LUXL800101MDFNXT
MA. DE LOS ANGELES|MORENO|SANCHEZ|M|1980-01-01|DF|MOSA800101MDFRNN
Eva|Iriarte|Méndez|M|1980-01-01|DF|IIME800101MDFRNV
Ernesto|Ek|Rivera|H|1980-01-01|DF|EXRE800101HDFKVR
Luis|Bárcenas||H|1980-01-01|DF|BAXL800101HDFRXS
Adan|Baca|Castro|H|1980-01-01|DF|BXCA800101HDFCSD
Ana|Caca|Cruz|M|1980-01-01|DF|CXCA800101MDFCRN
Omar|Perez|Dominguez|H|1980-01-01|DF|PXDO800101HDFRMM
Elena|Martinez|Mejia|M|1980-01-01|DF|MXME800101MDFRJL
Ana|Puente|Torres|M|1980-01-01|DF|PXTA800101MDFNRN
Juan|Pérez|García|H|1980-01-01|DF|PEGJ800101HDFRRN
TABLE

# Each exception is explained.
expect_contains "note n_tilde" "n_tilde: Ñ in first surname PEÑA gives X at position 14" \
    "$P" curp derive --given Enrique --first-surname Peña --second-surname Nieto --birth 1966-07-20 --sex H --state MC
expect_contains "note inconvenient word" "inconvenient_word: PENE" \
    "$P" curp derive --given Enrique --first-surname Peña --second-surname Nieto --birth 1966-07-20 --sex H --state MC
expect_contains "note particle" "particle: the particle MC in first surname is not used" \
    "$P" curp derive --given CARLOS --first-surname "MC GREGOR" --second-surname LOPEZ --birth 1980-01-01 --sex H --state DF
expect_contains "note maria" "maria_jose: given names MARIA DEL CARMEN: MARIA is skipped" \
    "$P" curp derive --given "Maria del Carmen" --first-surname Loredo --second-surname Caballero --birth 1990-06-27 --sex M --state SP
expect_contains "note no second surname" "no_second_surname: no second surname: X at positions 3 and 15" \
    "$P" curp derive --given Luis --first-surname Perez --birth 1975-09-09 --sex H --state DF
expect_contains "note special" "special_character: '/' in first surname D/AMICO gives X at position 2" \
    "$P" curp derive --given "JUAN JOSE" --first-surname "D/AMICO" --second-surname ALVAREZ --birth 1980-01-01 --sex H --state DF
expect_contains "note accents" "accents: first surname \"Gómez\" is written GOMEZ" \
    "$P" curp derive --given Emma --first-surname Gómez --second-surname Díaz --birth 1956-12-31 --sex M --state HG
expect_contains "derive bad date" "--birth: '1990-02-30' is not a real date" \
    "$P" curp derive --given A --first-surname B --birth 1990-02-30 --sex H --state DF
expect_contains "derive bad state" "state: ZZ is not a state code or NE" \
    "$P" curp derive --given Ana --first-surname Lopez --birth 1990-02-03 --sex M --state ZZ
expect_contains "derive no letters" "first surname: has no letters" \
    "$P" curp derive --given Ana --first-surname "..." --birth 1990-02-03 --sex M --state DF
expect_status "derive missing option" 2 "$P" curp derive --given Ana --birth 1990-02-03 --sex M --state DF
expect_status "derive invalid name" 1 "$P" curp derive --given Ana --first-surname "..." --birth 1990-02-03 --sex M --state DF

# check: one line per input, stable codes, exit statuses.
expect_output "valid fields" $'SABC560626MDFLRN01\tvalid\tbirth=1956-06-26\tsex=M\tstate=DF\tstate_name=Ciudad de México' \
    "$P" curp check SABC560626MDFLRN01
expect_output "born abroad" $'ZUNA540308MNELTN05\tvalid\tbirth=1954-03-08\tsex=M\tstate=NE\tstate_name=born abroad' \
    "$P" curp check ZUNA540308MNELTN05
expect_contains "lower case noted" $'note=upper-cased from the input' "$P" curp check " sabc560626mdflrn01 "
expect_output "check digit" $'SABC560626MDFLRN09\tinvalid\tcheck_digit: expected 1, found 9' "$P" curp check SABC560626MDFLRN09
expect_output "date" $'SABC560230MDFLRN01\tinvalid\tdate: 1956-02-30 does not exist' "$P" curp check SABC560230MDFLRN01
expect_contains "state" $'invalid\tstate: ZZ is not a state code' "$P" curp check SABC560626MZZLRN01
expect_output "length" $'SABC560626MDFLRN0\tinvalid\tlength: 17 characters, expected 18' "$P" curp check SABC560626MDFLRN0
expect_contains "word" $'invalid\tinconvenient_word: BACA' "$P" curp check BACA560626MDFLRN01
expect_contains "charset" $'invalid\tcharset: position 3 has \'Ñ\'' "$P" curp check SAÑC560626MDFLRN01
expect_contains "position 2" $'invalid\tposition_2: position 2 must be a vowel or X' "$P" curp check SBBC560626MDFLRN01
expect_contains "consonants" $'invalid\tconsonants: position 14 must be a consonant' "$P" curp check SABC560626MDFARN01
expect_contains "sex" $'invalid\tsex: position 11 must be H, M or X' "$P" curp check SABC560626FDFLRN01
expect_contains "future birth" $'invalid\tdate: 2088-01-25 is in the future' "$P" curp check --today 2026-11-23 TOMA880125HMNRRNO2
expect_contains "leap 2000" $'valid' "$P" curp check --today 2026-01-01 "$("$P" curp check-digit LOPA000229MDFPNNA 2>/dev/null | sed 's/^/LOPA000229MDFPNNA/')"
expect_contains "1900 is not leap" "date: 1900-02-29 does not exist" "$P" curp check LOPA000229MDFPNN01
expect_status "all valid exits 0" 0 "$P" curp check SABC560626MDFLRN01 PXNE660720HMCXTN06
expect_status "any invalid exits 1" 1 "$P" curp check SABC560626MDFLRN01 SABC560626MDFLRN09
expect_status "no input exits 2" 2 "$P" curp check
expect_status "unknown option exits 2" 2 "$P" curp check --frobnicate X
expect_status "unknown subcommand exits 2" 2 "$P" curp frobnicate
expect_output "stdin, CRLF" $'SABC560626MDFLRN01\tvalid\nPXNE660720HMCXTN06\tvalid' \
    bash -c 'printf "SABC560626MDFLRN01\r\n  PXNE660720HMCXTN06\n" | "$0" curp check - | cut -f1,2' "$P"
expect_output "embedded tab escaped" $'SABC\\x09560626\tinvalid' \
    bash -c 'printf "SABC\t560626\n" | "$0" curp check - | cut -f1,2' "$P"
expect_output "overlong line" "invalid" \
    bash -c 'head -c 100000 /dev/zero | tr "\0" A | "$0" curp check - | cut -f2' "$P"
# Regression: a NUL inside a stdin line is part of that line, never the end of it,
# and the next line is still read.
expect_output "nul inside a line" $'SABC\\x00560626MDFLRN01\tinvalid\nPXNE660720HMCXTN06\tvalid' \
    bash -c 'printf "SABC\x00560626MDFLRN01\nPXNE660720HMCXTN06\n" | "$0" curp check - | cut -f1,2' "$P"
expect_output "last line without newline" $'PXNE660720HMCXTN06\tvalid' \
    bash -c 'printf "PXNE660720HMCXTN06" | "$0" curp check - | cut -f1,2' "$P"
expect_status "help" 0 "$P" curp --help
expect_status "help via padron help" 0 "$P" help curp
expect_output "check-digit lower case" "1" "$P" curp check-digit sabc560626mdflrn0
expect_status "check-digit bad length" 2 "$P" curp check-digit SABC

finish curp
