#!/usr/bin/env bash
# The documents step: photos are re-encoded to a bare JPEG of at most 1600 px,
# stored encrypted, and given back; every refusal says why, and oversized or
# mistyped bodies are refused on the headers.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
tools=$(cd "$(dirname "$0")/tools" && pwd)

serve_start "$tmp/var"
url=${base}api/v1
r=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"curp":"PXNE660720HMCXTN06"}' "$url/registrations")
id=$(echo "$r" | jq -r .id)
token=$(echo "$r" | jq -r .token)
doc="$url/registrations/$id/documents"
upload() { # kind file [content-type]
    curl -s -X PUT -H "Authorization: Bearer $token" -H "Content-Type: ${3:-image/png}" --data-binary "@$2" "$doc/$1"
}
status_code() { # kind file [content-type] -> "HTTP code"
    local b
    b=$(curl -s -w " %{http_code}" -X PUT -H "Authorization: Bearer $token" -H "Content-Type: ${3:-image/png}" \
        --data-binary "@$2" "$doc/$1")
    echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"
}

/usr/bin/python3 "$tools/make-png.py" 2400 1800 >"$tmp/id.png"
/usr/bin/python3 "$tools/make-png.py" 200 150 >"$tmp/tiny.png"
head -c 5000 "$tmp/id.png" >"$tmp/cut.png"
printf 'not an image at all' >"$tmp/text.jpg"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero >"$tmp/huge.jpg"

expect_output "upload: scaled to 1600 px" "1600 1200" \
    bash -c 'echo "$0" | jq -r ".documents.id_front | \"\(.width) \(.height)\""' "$(upload id_front "$tmp/id.png")"
curl -s -H "Authorization: Bearer $token" "$doc/id_front" >"$tmp/back.jpg"
expect_output "given back as JPEG" "ffd8ff" bash -c 'head -c 3 "$0" | od -An -tx1 | tr -d " \n"' "$tmp/back.jpg"
expect_output "no EXIF in the stored photo" "0" bash -c 'grep -c Exif "$0"' "$tmp/back.jpg"
expect_output "stored encrypted (no JPEG header on disk)" "0" \
    bash -c 'grep -rlc JFIF "$0" | wc -l' "$tmp/var/documents"
expect_output "documents key is private" "600" stat -c %a "$tmp/var/keys/documents.key"
expect_output "too small to read" "422 photo_too_small" status_code face "$tmp/tiny.png"
expect_output "unreadable" "422 photo_unreadable" status_code face "$tmp/cut.png"
expect_output "not an image" "415 photo_type" status_code face "$tmp/text.jpg" image/jpeg
expect_output "over 10 MB, refused on the headers" "413 body_too_large" status_code face "$tmp/huge.jpg" image/jpeg
expect_output "wrong content type" "415 unsupported_media_type" status_code face "$tmp/id.png" application/pdf
expect_output "unknown kind" "404 unknown_document_kind" status_code selfie "$tmp/id.png"
expect_output "not uploaded yet" "404" curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$doc/face"
expect_output "needs the token" "401" curl -s -o /dev/null -w '%{http_code}' "$doc/id_front"
expect_output "refusals kept nothing" "null" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r .documents.face' "$url/registrations/$id" "$token"
expect_contains "message in English" "too small to read" \
    curl -s -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: image/png' -H 'Accept-Language: en' \
    --data-binary "@$tmp/tiny.png" "$doc/face"

finish documents
