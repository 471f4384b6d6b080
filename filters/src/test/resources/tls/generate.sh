#!/usr/bin/env bash
# Regenerates the TLS test fixtures in this folder with the openssl command-line tool (OpenSSL 3).
# Test-only key material: never use these keys anywhere else. Valid until 2126 except expired-*.
set -euo pipefail
cd "$(dirname "$0")"
rm -f *.pem *.p12 *.srl
days=36500
ca() { # name subject
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1-key.pem" -out "$1.pem" -days $days -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
leaf() { # name keyspec subject san issuer [extra openssl-ca args]
  local name=$1 keyspec=$2 subject=$3 san=$4 issuer=$5; shift 5
  openssl genpkey $keyspec -out "$name-key.pem" 2>/dev/null
  openssl req -new -key "$name-key.pem" -subj "/CN=$subject" -out "$name.csr"
  printf 'basicConstraints=CA:FALSE\nsubjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer-key.pem" -CAcreateserial \
    -out "$name.pem" -extfile "$name.ext" "$@" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}
ca ca "Sluice Test CA"
ca other-ca "Sluice Unknown CA"
leaf server "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" localhost "DNS:localhost,IP:127.0.0.1,IP:::1" ca -days $days
leaf server-ec "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" localhost "DNS:localhost,IP:127.0.0.1,IP:::1" ca -days $days
leaf a-example "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" a.example "DNS:a.example" ca -days $days
leaf b-example "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" b.example "DNS:b.example" ca -days $days
leaf client "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" "Sluice Test Client" "DNS:client.test" ca -days $days
leaf untrusted "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" localhost "DNS:localhost,IP:127.0.0.1" other-ca -days $days
# Expired: valid for one day, backdated with the -not_before/-not_after flags when available, else via 'openssl ca'.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out expired-key.pem 2>/dev/null
openssl req -new -key expired-key.pem -subj "/CN=localhost" -out expired.csr
mkdir -p ca.db && : > ca.db/index.txt && echo 1000 > ca.db/serial
cat > ca.db/ca.cnf <<CNF
[ ca ]
default_ca = test
[ test ]
database = ca.db/index.txt
serial = ca.db/serial
new_certs_dir = ca.db
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = leaf
[ any ]
commonName = supplied
[ leaf ]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost,IP:127.0.0.1
extendedKeyUsage = serverAuth
CNF
openssl ca -batch -config ca.db/ca.cnf -cert ca.pem -keyfile ca-key.pem -in expired.csr -out expired.pem \
  -startdate 20200101000000Z -enddate 20200102000000Z -notext 2>/dev/null
rm -rf ca.db expired.csr
# Chains (leaf first) and a PKCS#12 keystore of the RSA server (password "changeit").
cat server.pem ca.pem > server-chain.pem
openssl pkcs12 -export -in server.pem -inkey server-key.pem -certfile ca.pem -name server \
  -out server.p12 -passout pass:changeit
keytool -importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 -storetype PKCS12 -storepass changeit >/dev/null
rm -f *.srl
