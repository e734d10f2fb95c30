#!/usr/bin/env bash
# padron keys and padron verify: key generation and rotation, the trust list (file
# and endpoint), and every result code of verify with its exit status. Sample
# credentials come from build/tests/envelope-tool (tests/interop/envelope-tool.c),
# which signs through the same signer process as padron serve.
cd "$(dirname "$0")"
source ./lib.bash
: "${ENVELOPE_TOOL:=$(dirname "$PADRON")/tests/envelope-tool}"
TOOL=$ENVELOPE_TOOL
[ -x "$TOOL" ] || { echo "keys: $TOOL is not built"; exit 1; }
P=$PADRON
D=$tmp/data
now=$(date +%s)

# ---- generate, list, rotate ----
kid1=$($P keys generate --data "$D" 2>/dev/null)
expect_status "generate: prints an 11-character kid" 0 test ${#kid1} -eq 11
expect_output "private key mode 0600" "600" stat -c %a "$D/keys/sign-$kid1.pem"
expect_contains "private key is PKCS#8 PEM" "BEGIN PRIVATE KEY" cat "$D/keys/sign-$kid1.pem"
expect_contains "list: the one key is current" "$kid1	current" $P keys list --data "$D"
future=$($P keys generate --data "$D" --not-before 2099-01-01 --days 30 2>/dev/null)
expect_contains "list: a key valid from 2099 is future" "$future	future	2099-01-01T00:00:00Z	2099-01-31T00:00:00Z	IMSS-BIENESTAR" \
    $P keys list --data "$D"
expect_contains "list: the first key is still current" "$kid1	current" $P keys list --data "$D"
expect_status "generate: --days 0 is a usage error" 2 $P keys generate --data "$D" --days 0
expect_status "generate: a bad date is a usage error" 2 $P keys generate --data "$D" --not-before 2026-02-30
expect_status "keys: unknown subcommand" 2 $P keys rotate

# A credential signed by the first key.
now=$(date +%s)
T=$($TOOL issue-keys "$D/keys" "$now" 30)
expect_output "verify: valid" "valid" sh -c "$P verify --data '$D' '$T' | head -1"
expect_status "verify: valid exits 0" 0 $P verify --data "$D" "$T"
expect_contains "verify: claims" "curp: LOCM900627MSPRBR05" $P verify --data "$D" "$T"
expect_contains "verify: names" "given_names: María del Carmen" $P verify --data "$D" "$T"
expect_contains "verify: levels" "levels: 1,2" $P verify --data "$D" "$T"
expect_output "verify: reads standard input" "valid" sh -c "echo '$T' | $P verify --data '$D' - | head -1"

# Rotation: a new key becomes current; the old one still verifies what it signed.
sleep 1
kid2=$($P keys generate --data "$D" 2>/dev/null)
expect_contains "rotate: the new key is current" "$kid2	current" $P keys list --data "$D"
expect_contains "rotate: the old key is valid" "$kid1	valid" $P keys list --data "$D"
expect_output "rotate: the old credential still verifies" "valid" sh -c "$P verify --data '$D' '$T' | head -1"
T2=$($TOOL issue-keys "$D/keys" "$(date +%s)" 30)
expect_contains "rotate: new credentials carry the new kid" "kid: $kid2" $P verify --data "$D" "$T2"

# ---- the trust list ----
expect_status "export-trust-list" 0 $P keys export-trust-list --data "$D" "$tmp/trust.json"
expect_contains "trust list: the three keys" "$future" cat "$tmp/trust.json"
expect_contains "trust list: to stdout" '"use": "sig"' $P keys export-trust-list --data "$D" -
expect_output "verify --trust-list (self-signed)" "valid" sh -c "$P verify --trust-list '$tmp/trust.json' '$T' | head -1"
sed 's/"IMSS-BIENESTAR"/"IMSS-BIENESTAR-X"/' "$tmp/trust.json" >"$tmp/tampered.json"
expect_status "tampered trust list: exit 2" 2 $P verify --trust-list "$tmp/tampered.json" "$T"
expect_contains "tampered trust list: says why" "signature: does not verify" \
    $P verify --trust-list "$tmp/tampered.json" "$T"
O=$tmp/other
$P keys generate --data "$O" >/dev/null 2>&1
expect_status "a trust list not signed by DIR's keys is refused with --data" 2 \
    $P verify --trust-list "$tmp/trust.json" --data "$O" "$T"

# ---- every result code ----
expect_contains "expired" "expired: " $P verify --data "$D" --at $((now + 40 * 86400)) "$T"
expect_status "expired exits 3" 3 $P verify --data "$D" --at $((now + 40 * 86400)) "$T"
expect_contains "not_yet_valid" "not_yet_valid: " $P verify --data "$D" --at $((now - 86400)) "$T"
expect_status "not_yet_valid exits 4" 4 $P verify --data "$D" --at $((now - 86400)) "$T"
$TOOL revoke "$D/keys" >"$tmp/revoked.json"
expect_contains "revoked" "revoked: " $P verify --data "$D" --revoked "$tmp/revoked.json" "$T"
expect_status "revoked exits 5" 5 $P verify --data "$D" --revoked "$tmp/revoked.json" "$T"
expect_status "revoked, with the trust list" 5 $P verify --trust-list "$tmp/trust.json" --revoked "$tmp/revoked.json" "$T"
sed 's/"revoked":\[/"revoked":["AAAA",/' "$tmp/revoked.json" >"$tmp/revoked-tampered.json"
expect_status "tampered revocation list: exit 2" 2 $P verify --data "$D" --revoked "$tmp/revoked-tampered.json" "$T"
expect_output "revocation list: next_update is seven days after issued_at" 604800 \
    jq '.next_update - .issued_at' "$tmp/revoked.json"
stale_at=$(($(jq .next_update "$tmp/revoked.json") + 60))
expect_status "a stale revocation list is refused: exit 2" 2 \
    $P verify --data "$D" --revoked "$tmp/revoked.json" --at "$stale_at" "$T"
expect_contains "a stale revocation list: says since when and what to do" "fetch a fresh one" \
    $P verify --data "$D" --revoked "$tmp/revoked.json" --at "$stale_at" "$T"
expect_status "--stale-revoked uses it anyway" 5 \
    $P verify --data "$D" --revoked "$tmp/revoked.json" --stale-revoked --at "$stale_at" "$T"
expect_contains "--stale-revoked warns" "warning: stale since" \
    $P verify --data "$D" --revoked "$tmp/revoked.json" --stale-revoked --at "$stale_at" "$T"
expect_status "--stale-revoked without --revoked is a usage error" 2 \
    $P verify --data "$D" --stale-revoked "$T"
expect_contains "unknown_key" "unknown_key: no trusted key has this kid" $P verify --data "$O" "$T"
expect_status "unknown_key exits 6" 6 $P verify --data "$O" "$T"
early=$($TOOL issue-keys "$D/keys" $((now - 10 * 86400)) 30)
expect_contains "iat before the key's window: unknown_key" "unknown_key: the key was not valid at iat" \
    $P verify --data "$D" "$early"
B=$($TOOL issue-keys "$D/keys" "$(date +%s)" 30 bad-signature)
expect_contains "bad_signature" "bad_signature: signature does not verify" $P verify --data "$D" "$B"
expect_status "bad_signature exits 7" 7 $P verify --data "$D" "$B"
expect_output "malformed: base45, with the reason" "malformed: base45: char at character 4" \
    sh -c "$P verify --data '$D' 'PB1:abc' | head -1"
expect_contains "malformed: prefix" "malformed: prefix" $P verify --data "$D" "HC1:ABC"
expect_status "malformed exits 8" 8 $P verify --data "$D" "PB1:ABC"
expect_status "verify: no keys at all is exit 2" 2 $P verify --data "$tmp/empty" "$T"

# ---- a passphrase ----
E=$tmp/enc
PADRON_KEY_PASSPHRASE=correct-horse $P keys generate --data "$E" >/dev/null 2>&1
expect_contains "passphrase: the key is encrypted" "BEGIN ENCRYPTED PRIVATE KEY" cat "$E"/keys/sign-*.pem
expect_status "passphrase: export fails without it" 1 $P keys export-trust-list --data "$E" -
expect_status "passphrase: export fails with a wrong one" 1 env PADRON_KEY_PASSPHRASE=wrong $P keys export-trust-list --data "$E" -
printf 'correct-horse\n' >"$tmp/pass"
expect_status "passphrase: from key_passphrase_file" 0 env PADRON_KEY_PASSPHRASE_FILE="$tmp/pass" \
    $P keys export-trust-list --data "$E" "$tmp/enc-trust.json"
expect_status "passphrase: never printed" 1 grep -rq correct-horse "$tmp/enc-trust.json"

# ---- padron serve: the first key, the endpoint ----
S=$tmp/serve
serve_start "$S"
expect_contains "serve: says it created a signing key" "created the signing key" cat "$tmp/out"
url=${base}.well-known/padron/trust-list
expect_contains "endpoint: 200 JSON" "Content-Type: application/json" curl -si "$url"
expect_contains "endpoint: cacheable" "Cache-Control: public, max-age=3600" curl -si "$url"
etag=$(curl -si "$url" | sed -n 's/^ETag: //p' | tr -d '\r')
expect_contains "endpoint: 304 for the same ETag" "304" curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url"
curl -s "$url" >"$tmp/served.json"
T3=$($TOOL issue-keys "$S/keys" "$(date +%s)" 30)
expect_output "the served trust list verifies a credential of that key" "valid" \
    sh -c "$P verify --trust-list '$tmp/served.json' '$T3' | head -1"
expect_status "the server process holds no private key" 0 test "$(pgrep -P "$pid" | wc -l)" -eq 1
# A key generated while serving is published without a restart.
sleep 1
kid3=$($P keys generate --data "$S" 2>/dev/null)
expect_contains "endpoint: a new key appears" "$kid3" curl -s "$url"
# The signer process killed: the endpoint keeps serving the last good list.
kill -9 "$(pgrep -P "$pid")"
expect_contains "signer killed: endpoint still answers" "$kid3" curl -s "$url"
expect_contains "serve: the dead signer is logged" "signer process is gone" sh -c "sleep 0.2; kid=\$($P keys generate --data '$S' 2>/dev/null); curl -s '$url' >/dev/null; cat '$tmp/out'"
serve_stop
S2=$tmp/serve2
serve_start "$S2"
expect_contains "serve: the next start uses the key" "created the signing key" cat "$tmp/out"
serve_stop
serve_start "$S2"
expect_contains "serve: a restart reuses it" "signing with key" cat "$tmp/out"
serve_stop

finish keys
