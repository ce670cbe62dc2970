#!/bin/bash
# generate.sh - how the fixtures in this directory were made, with the real
# tools (OpenSSH 9.2p1's ssh-keygen, PuTTY 0.78's puttygen, OpenSSL 3.0).
# Not run by make check: the files it wrote are committed.  Run it from this
# directory to remake them all (every key changes, and so every fingerprint).
#
#   public keys    NAME.pub, NAME.sha256 and NAME.md5 (ssh-keygen -l of it),
#                  NAME.rfc4716 (ssh-keygen -e), NAME.pkcs8 (-e -m PKCS8),
#                  NAME.pem (-e -m PEM, RSA only)
#   private keys   priv-*: every format a person might paste by mistake
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")"
rm -f ./*.pub ./*.sha256 ./*.md5 ./*.rfc4716 ./*.pkcs8 ./*.pem ./priv-* \
	./*.ppk ./*.tmp ./*.tmp.*

pass=$(mktemp)
nopass=$(mktemp)
trap 'rm -f "$pass" "$nopass" ./*.tmp ./*.tmp.*' EXIT
printf 'correct horse\n' >"$pass"

# fingerprints as ssh-keygen prints them: the judge of every test
fingerprints() {
	ssh-keygen -l -f "$1.pub" >"$1.sha256"
	ssh-keygen -l -E md5 -f "$1.pub" >"$1.md5"
}

# ssh-keygen makes every type it can (DSA is disabled in OpenSSH 9.2)
ssh-keygen -q -t rsa -b 4096 -N '' -C 'alice@laptop' -f rsa4096.tmp
ssh-keygen -q -t rsa -b 1024 -N '' -C 'weak 1024-bit key' -f rsa1024.tmp
ssh-keygen -q -t ed25519 -N '' -C 'bob@desk' -f ed25519.tmp
ssh-keygen -q -t ecdsa -b 256 -N '' -C 'ecdsa 256' -f ecdsa256.tmp
ssh-keygen -q -t ecdsa -b 384 -N '' -C 'ecdsa 384' -f ecdsa384.tmp
ssh-keygen -q -t ecdsa -b 521 -N '' -C '' -f ecdsa521.tmp # no comment
ssh-keygen -q -t rsa -b 2048 -N '' -C 'dave@putty' -f rsa2048.tmp
for k in rsa4096 rsa1024 ed25519 ecdsa256 ecdsa384 ecdsa521; do
	cp "$k.tmp.pub" "$k.pub"
	fingerprints "$k"
	ssh-keygen -e -f "$k.pub" >"$k.rfc4716"
done
# ssh-keygen writes "ecdsa-sha2-nistp521 AAAA... " for an empty comment;
# keep the file as written
for k in rsa4096 ecdsa256 ecdsa384 ecdsa521; do
	ssh-keygen -e -m PKCS8 -f "$k.pub" >"$k.pkcs8"
done
ssh-keygen -e -m PEM -f rsa4096.pub >rsa4096.pem
# Ed25519 in SPKI: ssh-keygen cannot write it; OpenSSL can (the 32 public
# bytes are the last 32 of the blob)
raw=$(cut -d' ' -f2 ed25519.pub | base64 -d | tail -c 32 | xxd -p -c 64)
printf '302a300506032b6570032100%s' "$raw" | xxd -r -p |
	openssl pkey -pubin -inform DER -pubout >ed25519.pkcs8

# a certificate, and a DSA key from puttygen (ssh-keygen 9.2 makes none)
ssh-keygen -q -t ed25519 -N '' -C ca -f ca.tmp
ssh-keygen -q -s ca.tmp -I alice -n alice ed25519.tmp.pub
cp ed25519.tmp-cert.pub ed25519-cert.pub
rm -f ed25519.tmp-cert.pub
puttygen -q -t dsa -b 1024 -C 'old dsa key' -o dsa.tmp.ppk \
	--new-passphrase "$nopass" 2>/dev/null
puttygen dsa.tmp.ppk -O public-openssh -o dsa.pub
fingerprints dsa

# security-key variants: no token here, so built from the keys above with
# the application "ssh:" (as ssh-keygen -t ed25519-sk would); ssh-keygen -l
# reads them, and gives the fingerprints
blob_str() { printf '%08x' "${#1}" | xxd -r -p; printf '%s' "$1"; }
{
	blob_str sk-ssh-ed25519@openssh.com
	cut -d' ' -f2 ed25519.pub | base64 -d | tail -c 36
	blob_str ssh:
} | base64 -w0 | sed 's/^/sk-ssh-ed25519@openssh.com /; s/$/ bob@yubikey\n/' \
	>sk-ed25519.pub
{
	blob_str sk-ecdsa-sha2-nistp256@openssh.com
	cut -d' ' -f2 ecdsa256.pub | base64 -d | tail -c +24
	blob_str ssh:
} | base64 -w0 |
	sed 's/^/sk-ecdsa-sha2-nistp256@openssh.com /; s/$/ carol@yubikey\n/' \
	>sk-ecdsa256.pub
fingerprints sk-ed25519
fingerprints sk-ecdsa256

# ---------------------------------------------------- private keys
cp rsa4096.tmp priv-openssh-rsa
cp ed25519.tmp priv-openssh-ed25519
cp rsa2048.tmp priv-openssh-encrypted
ssh-keygen -q -p -N 'correct horse' -f priv-openssh-encrypted
cp rsa2048.tmp priv-pem-rsa
ssh-keygen -q -p -N '' -m PEM -f priv-pem-rsa
cp rsa2048.tmp priv-pem-rsa-encrypted
ssh-keygen -q -p -N 'correct horse' -m PEM -f priv-pem-rsa-encrypted
cp ecdsa256.tmp priv-pem-ec
ssh-keygen -q -p -N '' -m PEM -f priv-pem-ec
cp rsa2048.tmp priv-pkcs8
ssh-keygen -q -p -N '' -m PKCS8 -f priv-pkcs8
cp rsa2048.tmp priv-pkcs8-encrypted
ssh-keygen -q -p -N 'correct horse' -m PKCS8 -f priv-pkcs8-encrypted
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 \
	-pass pass:secret -out priv-openssl-pkcs8-encrypted 2>/dev/null
openssl ecparam -genkey -name prime256v1 -noout -out priv-openssl-ec
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 \
	-out dsa.tmp 2>/dev/null
openssl genpkey -paramfile dsa.tmp 2>/dev/null |
	openssl pkey -traditional -out priv-openssl-dsa
puttygen rsa2048.tmp -O private -o priv-ppk3.ppk
puttygen rsa2048.tmp -O private --ppk-param version=2 -o priv-ppk2.ppk
puttygen rsa2048.tmp -O private --new-passphrase "$pass" -o priv-ppk3-encrypted.ppk
puttygen rsa2048.tmp -O private-sshcom -o priv-sshcom
puttygen rsa2048.tmp -O private-sshcom --new-passphrase "$pass" \
	-o priv-sshcom-encrypted
puttygen rsa2048.tmp -O private-openssh -o priv-putty-openssh
puttygen -q -t rsa1 -b 2048 -o priv-ssh1 --new-passphrase "$nopass"
# the inside of an OpenSSH private key without its BEGIN and END lines
sed '1d;$d' ed25519.tmp >priv-openssh-body
# a private key with its public line after it
cat ed25519.tmp ed25519.pub >priv-with-public
# as JSON Web Keys, with their private members
./jwk.py priv-pem-rsa >priv-jwk-rsa
./jwk.py priv-pem-ec >priv-jwk-ec

# puttygen's public export (RFC 4716, its own Comment header)
puttygen rsa2048.tmp -O public -o rsa2048-putty.rfc4716
cp rsa2048.tmp.pub rsa2048-putty.pub
fingerprints rsa2048-putty
echo "fixtures written"
