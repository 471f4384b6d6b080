#!/bin/bash
# Class histogram of the live heap a server keeps per idle TLS connection (what RESULTS.md, TLS, calls "the class
# histogram"): starts BenchServer and IdleClient, opens and closes 500 connections (classes and pools warm), takes
# `jmap -histo:live`, opens N idle connections, takes it again, and prints the difference per connection.
#
#   benchmarks/idle-histogram.sh CLASSPATH PROVIDER KIND [N] [OUT_PREFIX]
#   e.g. benchmarks/idle-histogram.sh "$CP" openssl sluice 5000 /tmp/openssl-sluice
#
# CLASSPATH: the benchmarks module's class path (see README); PROVIDER: jdk, bc or openssl; KIND: sluice or reactor.
# The server presents the test fixtures' EC P-256 certificate. Needs the JDK's jmap on the PATH.
set -euo pipefail
CP=$1; PROVIDER=$2; KIND=$3; N=${4:-5000}; OUT=${5:-/tmp/idle-$PROVIDER-$KIND}
TLS=$(cd "$(dirname "$0")/../filters/src/test/resources/tls" && pwd)
DIR=$(mktemp -d)
mkfifo "$DIR/server.in" "$DIR/client.in"
java -Xms1g -Xmx1g -XX:+UseParallelGC -cp "$CP" io.sluice.benchmarks.BenchServer --kind "$KIND" --threads 1 \
    --tls "$PROVIDER" --cert "$TLS/server-ec.pem" --key "$TLS/server-ec-key.pem" \
    < "$DIR/server.in" > "$DIR/server.out" 2> "$DIR/server.err" &
SERVER=$!
exec 3> "$DIR/server.in"
java -Xmx2g -cp "$CP" io.sluice.benchmarks.IdleClient --tls "$PROVIDER" --ca "$TLS/ca.pem" \
    < "$DIR/client.in" > "$DIR/client.out" 2> "$DIR/client.err" &
CLIENT=$!
exec 4> "$DIR/client.in"
trap 'kill $CLIENT $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT

await() { # FILE TEXT SECONDS
    for _ in $(seq "$3"); do grep -q "$2" "$1" && return 0; sleep 1; done
    echo "timed out waiting for '$2' in $1" >&2; exit 1
}
await "$DIR/server.out" "listening on" 60
PORT=$(grep -o "listening on [^ ]*" "$DIR/server.out" | head -1 | sed 's/.*://')
echo "open $PORT 500" >&4; await "$DIR/client.out" "opened" 120
echo close >&4; await "$DIR/client.out" "closed" 120
sleep 1
jmap -histo:live "$SERVER" > "$OUT.base.histo"
: > "$DIR/client.out"
echo "open $PORT $N" >&4; await "$DIR/client.out" "opened" 300
sleep 2
jmap -histo:live "$SERVER" > "$OUT.loaded.histo"
echo close >&4

# per class: bytes and instances per connection, largest first; then the total
join -j 1 -a 1 -a 2 -e 0 -o 0,1.2,1.3,2.2,2.3 \
    <(awk '$1 ~ /^[0-9]+:$/ {print $4, $2, $3}' "$OUT.base.histo" | sort) \
    <(awk '$1 ~ /^[0-9]+:$/ {print $4, $2, $3}' "$OUT.loaded.histo" | sort) |
    awk -v n="$N" '{ b = ($5 - $3) / n; c = ($4 - $2) / n; total += b
                     if (c >= 0.5 || c <= -0.5) printf "%8.1f B %6.2f objects  %s\n", b, c, $1 }
                   END { printf "%8.1f B per connection in all\n", total }' | sort -rn
