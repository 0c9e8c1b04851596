#!/bin/sh
# Prints a new naming-mirror signing key for the crawler (canopy.mirror.key-file) on stdout,
# and its verifier key, which peers and agents configure, on stderr. The format is Go's note
# signer key, as the crawler writes it on first start (crawler/README.md, "Identity"):
#   PRIVATE+KEY+<origin>+<key id, 8 hex>+<base64 of 0x01 and the 32-byte Ed25519 seed>
# with key id = the first 4 bytes of SHA-256(<origin> "\n" 0x01 <public key>).
# Needs OpenSSL 1.1.1 or later. The deploy tests parse its output with the crawler's parser.
#
#   k8s/mirror-key.sh mesh.alt/mirror/example-org > mirror.key
set -eu

origin=${1:?usage: mirror-key.sh ORIGIN (the name of the log, e.g. mesh.alt/mirror/example-org)}
case $origin in
  *+* | *[[:space:]]*)
    echo "mirror-key.sh: an origin holds no '+' and no white space" >&2
    exit 2
    ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077

openssl genpkey -algorithm ed25519 -outform DER -out "$tmp/key.der"
# The PKCS#8 form of an Ed25519 key ends with its 32-byte seed, the SPKI form of the public key
# with the 32-byte key (RFC 8410).
tail -c 32 "$tmp/key.der" > "$tmp/seed"
openssl pkey -inform DER -in "$tmp/key.der" -pubout -outform DER | tail -c 32 > "$tmp/public"

id=$({ printf '%s\n\001' "$origin"; cat "$tmp/public"; } \
  | openssl dgst -sha256 -binary | head -c 4 | od -An -tx1 | tr -d ' \n')
seed=$({ printf '\001'; cat "$tmp/seed"; } | openssl base64 -A)
public=$({ printf '\001'; cat "$tmp/public"; } | openssl base64 -A)

echo "verifier key: $origin+$id+$public" >&2
echo "PRIVATE+KEY+$origin+$id+$seed"
