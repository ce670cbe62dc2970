#!/bin/bash
# Ed25519 and ECDSA pairs vhkeygen made, against the real OpenSSH: field by
# field the private key file ssh-keygen writes for the same key (both
# ways: ssh-keygen rewriting ours, and our writer rewriting ssh-keygen's),
# ssh-keygen -y and -l, and a login to a real sshd on 127.0.0.1 with each.
. "$top_srcdir/tests/lib.sh"
require "${SSHD:-}" sshd
require "${SSH:-}" ssh
require "${SSH_KEYGEN:-}" ssh-keygen
require "$(command -v python3)" python3
cd "$T"

# fields FILE: every field of an unencrypted openssh-key-v1 file, one a
# line (PROTOCOL.key; the private section's fields by type, as sshkey.c
# writes them), the check integers only said to be equal: they are random
fields() {
	python3 - "$1" <<'PY'
import base64, struct, sys
text = open(sys.argv[1]).read().split("\n")
assert text[0] == "-----BEGIN OPENSSH PRIVATE KEY-----", "armor"
assert text[-2:] == ["-----END OPENSSH PRIVATE KEY-----", ""], "armor"
body = text[1:-2]
assert all(len(l) == 70 for l in body[:-1]) and 0 < len(body[-1]) <= 70, "wrap"
b = base64.b64decode("".join(body), validate=True)
def take(buf, off, n):
    assert off + n <= len(buf), "truncated"
    return buf[off:off + n], off + n
def u32(buf, off):
    v, off = take(buf, off, 4)
    return struct.unpack(">I", v)[0], off
def string(buf, off):
    n, off = u32(buf, off)
    return take(buf, off, n)
magic, off = take(b, 0, 15)
print("magic", magic)
for name in ("cipher", "kdf", "kdfoptions"):
    v, off = string(b, off)
    print(name, v.hex())
n, off = u32(b, off)
print("nkeys", n)
pub, off = string(b, off)
print("public", pub.hex())
priv, off = string(b, off)
assert off == len(b), "trailing bytes"
print("private length", len(priv))
c1, p = u32(priv, 0)
c2, p = u32(priv, p)
print("checkints equal", c1 == c2)
t, p = string(priv, p)
print("type", t)
names = {b"ssh-ed25519": ("pk", "sk"),
         b"ssh-rsa": ("n", "e", "d", "iqmp", "p", "q")}.get(t, ("curve", "Q", "d"))
for name in names + ("comment",):
    v, p = string(priv, p)
    print(name, v.hex())
print("padding", priv[p:].hex())
PY
}

# same_fields A B: the two files' fields, line by line
same_fields() {
	fields "$1" >"$1.fields" || fail "$1: not openssh-key-v1"
	fields "$2" >"$2.fields" || fail "$2: not openssh-key-v1"
	diff "$1.fields" "$2.fields" >&2 || fail "$1 and $2 differ (above)"
}

"$SSH_KEYGEN" -q -t ed25519 -N '' -f hostkey
: >authorized_keys
keys=""
for spec in ed25519: ecdsa:256 ecdsa:384 ecdsa:521; do
	IFS=: read -r t b <<<"$spec"
	k=ours-$t$b
	"$VHKEYGEN" -N '' -q -t "$t" ${b:+-b "$b"} -C "ours $t$b" -f "$k" ||
		fail "vhkeygen -t $t $b"
	# ssh-keygen reads it: the public key and comment, the size and type
	expect_eq "$k: ssh-keygen -y" "$("$SSH_KEYGEN" -y -f "$k")" "$(cat "$k.pub")"
	expect_eq "$k: ssh-keygen -l" "$("$SSH_KEYGEN" -l -f "$k")" "$("$KEYINFO" "$k")"
	# ssh-keygen writing our key (a passphrase change from none to none
	# rewrites it) gives the same fields
	cp "$k" "$k.theirs"
	"$SSH_KEYGEN" -q -p -P '' -N '' -f "$k.theirs" >/dev/null ||
		fail "$k: ssh-keygen cannot rewrite it"
	same_fields "$k" "$k.theirs"
	# and our writer, a key ssh-keygen made
	"$SSH_KEYGEN" -q -t "$t" ${b:+-b "$b"} -N '' -C "theirs $t$b" -f "theirs-$t$b"
	"$KEYINFO" -p "theirs-$t$b" >"theirs-$t$b.ours" ||
		fail "theirs-$t$b: not written again"
	same_fields "theirs-$t$b" "theirs-$t$b.ours"
	cat "$k.pub" >>authorized_keys
	keys="$keys $k"
	echo "$k: as ssh-keygen writes it"
done
chmod 600 authorized_keys
user=$(id -un)

start_test_sshd "$T/hostkey"
for k in $keys; do
	out=$(ssh_as "$k") || { cat sshd.log >&2; fail "login with $k refused"; }
	expect_eq "$k: remote command" "$out" "logged-in-with-vhkey"
	fp=$("$KEYINFO" "$k" | cut -d' ' -f2)
	grep -q "Accepted publickey for $user.*$fp" sshd.log ||
		fail "sshd did not log $k ($fp)"
	echo "sshd accepted $k ($fp)"
done
if ssh_as theirs-ed25519 >/dev/null 2>&1; then fail "a key not authorized got in"; fi
stop_sshd
echo "interop of Ed25519 and ECDSA keys: all checks passed"
