#!/bin/sh
# Writes the crawler's Yggdrasil config: the node key from a Secret (or a new one), the peers from a
# ConfigMap (one URI a line; blank lines and '#' comments are skipped), and fixed settings that
# fit a pod: no TUN device (IfName none, so no NET_ADMIN), no multicast, no listener (the node
# only dials out to its peers), and the admin API on loopback for the crawler beside it.
# POSIX sh and awk only: it runs in the Yggdrasil image's busybox. The deploy tests run it too.
set -eu

key_file=${YGG_KEY_FILE:?path of the private key file}
peers_file=${YGG_PEERS_FILE:?path of the peers file}
out=${YGG_CONFIG:?path of the config to write}

# Yggdrasil's PrivateKey: 64 bytes (seed and public key) in hex. With no key in the Secret (it is
# optional), every pod makes a node key of its own: two crawler replicas must not share one, or
# the overlay would route each one's traffic to the other.
if [ -s "$key_file" ]; then
  key=$(tr -d ' \t\r\n' < "$key_file")
else
  key=$("${YGG_BIN:-yggdrasil}" -genconf -json | sed -n 's/.*"PrivateKey": *"\([0-9a-fA-F]*\)".*/\1/p')
  echo "render-yggdrasil-config: no node key in $key_file; this pod uses a new one"
fi
case $key in
  '' | *[!0-9a-fA-F]*)
    echo "render-yggdrasil-config: $key_file does not hold a hex private key" >&2
    exit 1
    ;;
esac
if [ "${#key}" -ne 128 ]; then
  echo "render-yggdrasil-config: $key_file holds ${#key} hex digits, not 128" >&2
  exit 1
fi

# A peer URI never holds quotes, backslashes or spaces; refusing them keeps the JSON valid.
peers=$(awk '
  /^[ \t]*(#|$)/ { next }
  {
    uri = $0
    gsub(/^[ \t]+|[ \t]+$/, "", uri)
    if (uri ~ /["\\ \t]/) { print "render-yggdrasil-config: bad peer: " uri > "/dev/stderr"; bad = 1; exit 1 }
    printf "%s\"%s\"", (n++ ? ", " : ""), uri
  }
  END { if (bad) exit 1 }
' "$peers_file")

umask 077
cat > "$out.tmp" <<CONF
{
  "PrivateKey": "$key",
  "Peers": [$peers],
  "InterfacePeers": {},
  "Listen": [],
  "AdminListen": "tcp://127.0.0.1:9001",
  "MulticastInterfaces": [],
  "AllowedPublicKeys": [],
  "IfName": "none",
  "NodeInfoPrivacy": true,
  "NodeInfo": {}
}
CONF
mv "$out.tmp" "$out"
count=$(awk '!/^[ \t]*(#|$)/ { n++ } END { print n + 0 }' "$peers_file")
echo "render-yggdrasil-config: wrote $out with $count peer(s)"
