#!/bin/bash
# Passphrase-protected private keys against the real OpenSSH ssh-keygen, in
# both directions, with 1, 16 and 24 bcrypt rounds: keys ssh-keygen -N
# encrypts are read with their passphrase (and refused with another, or
# none), and keys we encrypt are read by ssh-keygen -y -P (and refused by
# it with another passphrase).
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"

# field_hex FILE OFFSET COUNT: bytes of an openssh-key-v1 file's binary, in
# hex without spaces
field_hex() {
	sed '1d;$d' "$1" | tr -d '\n' | base64 -d |
		od -An -tx1 -j "$2" -N "$3" | tr -d ' \n'
}

# expect_refused WHAT PATTERN CMD...: CMD fails, saying PATTERN
expect_refused() {
	local what=$1 pattern=$2
	shift 2
	run "$@"
	[ "$rc" -ne 0 ] || fail "$what: accepted"
	echo "$err" | grep -q "$pattern" || fail "$what: $err"
}

for rounds in 1 16 24; do
	pass="their pass $rounds"
	# ssh-keygen -> ours: RSA, Ed25519, ECDSA
	for type in rsa ed25519 ecdsa; do
		k="theirs-$type-$rounds"
		"$SSH_KEYGEN" -q -t "$type" -a "$rounds" -N "$pass" \
			-C "theirs $type $rounds" -f "$k"
		expect_eq "-y $k" "$("$KEYINFO" -P "$pass" -y "$k")" "$(cat "$k.pub")"
		expect_refused "$k, wrong passphrase" "incorrect passphrase" \
			"$KEYINFO" -P "${pass}x" "$k"
		expect_refused "$k, no passphrase" "protected by a passphrase" \
			"$KEYINFO" "$k"
	done
	echo "ssh-keygen -a $rounds: we read its RSA, Ed25519 and ECDSA keys"

	# ours -> ssh-keygen: the RSA key read, written again encrypted by us
	ours="ours-$rounds"
	"$KEYINFO" -P "$pass" -N "our pass $rounds" -a "$rounds" -o "$ours" \
		"theirs-rsa-$rounds" || fail "writing $ours"
	expect_eq "$ours mode" "$(mode_of "$ours")" 600
	# cipher "aes256-ctr" (after the 15-byte magic and its length), and
	# the rounds after the 16-byte salt (and the kdfoptions and salt
	# lengths)
	expect_eq "$ours cipher" "$(field_hex "$ours" 19 10)" \
		"$(printf aes256-ctr | od -An -tx1 | tr -d ' \n')"
	expect_eq "$ours rounds" "$(field_hex "$ours" 63 4)" \
		"$(printf %08x "$rounds")"
	y=$("$SSH_KEYGEN" -y -P "our pass $rounds" -f "$ours") ||
		fail "ssh-keygen -y refused $ours"
	expect_eq "ssh-keygen -y $ours" "$y" "$(cat "theirs-rsa-$rounds.pub")"
	expect_refused "ssh-keygen, wrong passphrase" "incorrect passphrase" \
		"$SSH_KEYGEN" -y -P "our pass ${rounds}x" -f "$ours"
	expect_refused "ssh-keygen, no passphrase" "incorrect passphrase" \
		"$SSH_KEYGEN" -y -P "" -f "$ours"
	# ssh-keygen changes our passphrase; we read its rewrite
	"$SSH_KEYGEN" -q -p -a "$rounds" -P "our pass $rounds" -N "new $rounds" \
		-f "$ours" >/dev/null || fail "ssh-keygen -p $ours"
	expect_eq "-y $ours after -p" "$("$KEYINFO" -P "new $rounds" -y "$ours")" \
		"$(cat "theirs-rsa-$rounds.pub")"
	echo "-a $rounds: ssh-keygen reads the keys we encrypt"
done

# the other ciphers ssh-keygen -Z offers that we decrypt; the ones we do
# not (their tag after the private section) are refused as encrypted,
# never misread
for cipher in aes128-ctr aes192-ctr aes128-cbc aes192-cbc aes256-cbc; do
	"$SSH_KEYGEN" -q -t rsa -b 2048 -a 1 -Z "$cipher" -N "pass" -f "z-$cipher"
	expect_eq "-y z-$cipher" "$("$KEYINFO" -P pass -y "z-$cipher")" \
		"$(cat "z-$cipher.pub")"
	expect_refused "z-$cipher, wrong" "incorrect passphrase" \
		"$KEYINFO" -P pasS "z-$cipher"
done
for cipher in chacha20-poly1305@openssh.com aes256-gcm@openssh.com; do
	"$SSH_KEYGEN" -q -t ed25519 -a 1 -Z "$cipher" -N "pass" -f "z-$cipher"
	expect_refused "z-$cipher" "protected by a passphrase" \
		"$KEYINFO" -P pass "z-$cipher"
done
echo "ssh-keygen -Z: every AES CTR and CBC cipher read"
echo "passphrase interop with ssh-keygen: all checks passed"
