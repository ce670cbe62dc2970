#!/bin/sh
# gen-keytypes.sh - how the Ed25519, ECDSA and security-key (sk-) public key
# fixtures in this directory were made.  Not run by the tests: the files it
# writes are committed.  Run it here with OpenSSH's ssh-keygen to remake them
# (new keys, so new fingerprints).
#
#   ecdsa256.pub ecdsa384.pub ecdsa521.pub   ssh-keygen -t ecdsa -b N
#   ecdsa-private ecdsa-private.pub          ssh-keygen -t ecdsa -b 256 -N ''
#       -C 'fixture ecdsa private' (made by hand, not by this script)
#   rsa2048-pass ed25519-pass ecdsa384-pass rsa2048-pass-cbc (and .pub)
#       passphrase 'fixture passphrase', made by hand with OpenSSH 9.2's
#       ssh-keygen -N 'fixture passphrase' and: -t rsa -b 2048 -a 16;
#       -t ed25519 -a 1; -t ecdsa -b 384 -a 1; -t rsa -b 2048 -a 1
#       -Z aes128-cbc (comments 'fixture NAME passphrase' and
#       'fixture rsa2048 aes128-cbc')
#   sk-ecdsa.pub sk-ed25519.pub              the ecdsa256 and ed25519 public
#       keys re-wrapped as sk- keys with application "ssh:" (sk- keys cannot
#       be generated without a hardware token; the wire format is
#       OpenSSH's PROTOCOL.u2f: string type, the key's own fields, string
#       application)
#   NAME.sha256 NAME.md5                     ssh-keygen -l [-E md5] -f NAME.pub
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for bits in 256 384 521; do
	rm -f "$tmp/k"
	ssh-keygen -q -t ecdsa -b "$bits" -N '' -C "fixture ecdsa$bits" \
	    -f "$tmp/k"
	cp "$tmp/k.pub" "ecdsa$bits.pub"
done

# sk_line TYPE SKIP SRC COMMENT: SRC's blob with its type name (SKIP bytes
# with the length) replaced by TYPE and the application "ssh:" appended
sk_line() {
	awk '{ print $2 }' "$3" | base64 -d >"$tmp/blob"
	{
		printf "\\000\\000\\000\\$(printf %03o ${#1})%s" "$1"
		tail -c +"$(($2 + 1))" "$tmp/blob"
		printf '\000\000\000\004ssh:'
	} >"$tmp/sk"
	printf '%s %s %s\n' "$1" "$(base64 -w0 <"$tmp/sk")" "$4"
}
sk_line sk-ecdsa-sha2-nistp256@openssh.com 23 ecdsa256.pub \
    "fixture sk-ecdsa" >sk-ecdsa.pub
sk_line sk-ssh-ed25519@openssh.com 15 ed25519.pub \
    "fixture sk-ed25519" >sk-ed25519.pub

for k in ed25519 ecdsa256 ecdsa384 ecdsa521 sk-ecdsa sk-ed25519; do
	ssh-keygen -l -f "$k.pub" >"$k.sha256"
	ssh-keygen -l -E md5 -f "$k.pub" >"$k.md5"
done
