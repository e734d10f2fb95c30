/*
 * Sample texts for the render tests, the tool in tests/render and bench/render: real
 * signed envelopes (credential/envelope.c, "PB1:" + base45) issued once with a
 * throwaway key, so the tests do not depend on how envelopes are signed. What the
 * QR code holds is only text to these modules; verifying it is credential/'s job.
 *
 * SAMPLE_ENVELOPE: 391 characters, the realistic credential of docs/credential.md
 * ("María del Carmen" "Loredo" "Caballero", folio, CURP, CLUES, levels 1 and 2).
 * SAMPLE_ENVELOPE_LONG: 477 characters, the same with long accented names.
 */
#ifndef PADRON_TESTS_RENDER_SAMPLE_H
#define PADRON_TESTS_RENDER_SAMPLE_H

#define SAMPLE_ENVELOPE                                                                            \
    ("PB1:/9BOXN%TSMAHN-HXWKPBP%QOPAQ9ODUU88RB%EJ5LT5S3/ TWPTW9TET3+53XG4P+DA2"                    \
     "L:X9WM6.-4XOFOJ4HK6AK5 K7H.4A/63/5J9OOT28J4CUOZ*8V0LD0ABK4S BU3EN2C5YP11"                    \
     "194T8:333DXL99I0UL4RDS+8GY5L-I0 :I:CS.PK6ODDV22JABR28L2HKEGYU5XQ TUFIAOV"                    \
     "U.H6GL2/E2GKE6VHLNRCO1DV59UE5%PU-H+D7*+R%NR6HP-.IE.SXPT+SCXP0NY0S%1+HA+4"                    \
     "RZ.V2WUVJPGQIY2OA UFVU$SF+0FX2KVE69ZV/ZRL8S.9FI1FNATI5SBQDWOAZ:6:8DCS6X:"                    \
     "B$JD0G7F35E.SL.K. 5C43PJG7NTQCB")

#define SAMPLE_ENVELOPE_LONG                                                                       \
    ("PB1:/9BOXN%TSMAHN-HXWKPBP%QOPAQ9OD1V8B:B%EJ5LT5S3/ TWPTW9TET3+53XG4P+DA2"                    \
     "L:X9WM6.-4XOFOJ4HK6AK5 K7H.4A/63/5J9OOT28J4CUOZ*8V0LD0ABK4S BU3EN2C5YP11"                    \
     "194T8:333DXL99I0UL4RDS+8GY5L-I0P/I.Y3S%OWVOPI2A%R.J2/E2AG9/GA*$JTZUJMAWL"                    \
     "I .1Y3QA690%ANJPM+A.*RO7JGOJOLBEQJT4F5DR++HZXAK90A4H6+4KYA9EF3W3011Y30AT"                    \
     "9B21M PKD7S1NGL6OBA*XK8L6/K6WB6O 7/HQ4QQHCR6W9BGPSL0QM47 9IT9ALRJ5QS2OPZ"                    \
     "0K8C162*66%+MP4DU:J%7ICPHS$8QUMW8K77FJKJ8$I-JFPML$HCF.TVAA*P71US1TR+1GQV"                    \
     "J42FLJB+45S89EF1T-5U$EB T-$LRH3R0LA3AHB025V-FE")

#define SAMPLE_NAME "María del Carmen Loredo Caballero"
#define SAMPLE_LONG_NAME                                                                           \
    "María Guadalupe Concepción de los Ángeles Núñez Peña Ibáñez de la Santísima Trinidad"

#endif
