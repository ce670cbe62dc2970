#!/bin/bash
# vhkeycheck on private key material that a public key line is followed
# by, or that is disguised (no armor lines, damaged armor, UTF-16, hex, DER),
# both pasted (vhkeycheck -) and as a file of keys (vhkeycheck FILE): always
# refused as private_key, never echoed.  Keys made here by the real tools.
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
cd "$T"

"$SSH_KEYGEN" -q -t ed25519 -N '' -C pub@host -f pub
"$SSH_KEYGEN" -q -t ed25519 -N '' -f ed
"$SSH_KEYGEN" -q -t rsa -b 2048 -N '' -f rsa
"$SSH_KEYGEN" -q -t ecdsa -N '' -f ec
"$SSH_KEYGEN" -q -t ed25519 -N 'correct horse' -f edenc
cp rsa pemrsa && "$SSH_KEYGEN" -q -p -N '' -m PEM -f pemrsa >/dev/null
cp ec pemec && "$SSH_KEYGEN" -q -p -N '' -m PEM -f pemec >/dev/null
cp rsa p8 && "$SSH_KEYGEN" -q -p -N '' -m PKCS8 -f p8 >/dev/null
cp rsa p8enc &&
	"$SSH_KEYGEN" -q -p -N 'correct horse' -m PKCS8 -f p8enc >/dev/null
publine=$(cut -d' ' -f1,2 pub.pub) # without its comment

# leaks TEXTFILE OUTFILE: a 16-character run of the private text, or of its
# base64 joined, in the output; but for runs of the public line (the start
# of every Ed25519 key's data is the same)
leaks() {
	{ cat "$1"; grep -v -- '-----' "$1" | tr -d '\n'; echo; } |
		awk -v pub="$publine" '{
			for (i = 1; i + 15 <= length($0); i++)
				if (index(pub, substr($0, i, 16)) == 0)
					print substr($0, i, 16) }' >"$T/windows"
	grep -q -F -f "$T/windows" "$2"
}

# refused NAME KEY: the paste in $T/in is refused as private_key, and so
# is the same text as a file: with a public key line first, every other
# line of it; without, the file as a whole, in one report, as the paste
# is (however its lines look alone: binary data, hex, a short last line).
# Nothing of the private key KEY in any output.
refused() {
	local name=$1 key=$2
	run_in "$T/in" "$VHKEYCHECK" --json -
	expect_eq "$name: exit" "$rc" 1
	case "$out" in
	*'"reason":"private_key"'*) ;;
	*) fail "$name: not private_key: $out" ;;
	esac
	! leaks "$key" "$T/out" || fail "$name: private key echoed"
	cp "$T/in" "$T/keys"
	run "$VHKEYCHECK" --json "$T/keys"
	[ "$rc" -ne 0 ] || fail "$name as a file: exit 0"
	! leaks "$key" "$T/out" || fail "$name as a file: private key echoed"
	if grep -q "^$publine" "$T/in"; then
		# every line but the public one (a body's lines together:
		# its last line alone says nothing)
		grep -v '"reason":"private_key"' "$T/out" |
			grep -v '"line":1,"verdict":"accepted"' \
				>"$T/other" || true
		[ ! -s "$T/other" ] ||
			fail "$name as a file: $(head -c 300 "$T/other")"
	else
		[ "$(wc -l <"$T/out")" -eq 1 ] &&
			grep -q '"line":null,"verdict":"rejected","reason":"private_key"' \
				"$T/out" ||
			fail "$name as a file: not one private_key: $(head -c 300 "$T/out")"
		# and the text output says so too, once
		run "$VHKEYCHECK" "$T/keys"
		expect_eq "$name as a file, text: exit" "$rc" 1
		[ "$(grep -c 'rejected (private_key)' "$T/out")" -eq 1 ] ||
			fail "$name as a file, text: $(head -c 300 "$T/out")"
		! leaks "$key" "$T/out" ||
			fail "$name as a file, text: private key echoed"
	fi
}

for k in ed rsa ec edenc pemrsa pemec p8 p8enc; do
	body=$(sed '1d;$d' "$k")
	# after a public key line without comment: with and without the
	# BEGIN and END lines, on lines of their own or joined
	{ echo "$publine"; cat "$k"; } >in
	refused "$k after the line" "$k"
	{ echo "$publine"; echo "$body"; } >in
	refused "$k body after the line" "$k"
	{ echo "$publine"; echo "$body" | sed 1d; } >in
	refused "$k body without its first line after the line" "$k"
	# ... with a last line too short to say anything alone
	joined=$(echo "$body" | tr -d '\n')
	{ echo "$publine"; echo "${joined%????????}" | fold -w 64;
		echo "${joined: -8}"; } >in
	refused "$k body with a short last line after the line" "$k"
	{ printf '%s %s\n' "$publine" "$(echo "$body" | tr '\n' ' ')"; } >in
	refused "$k body joined by spaces after the line" "$k"
	{ printf '%s%s\n' "$publine" "$(echo "$body" | tr -d '\n')"; } >in
	refused "$k body joined after the line" "$k"
	# damaged armor, UTF-16
	sed 's/-----/----/g' "$k" >in
	refused "$k with 4 dashes" "$k"
	sed 's/-----/\xe2\x80\x94/g' "$k" >in
	refused "$k with em dashes" "$k"
	sed '1s/.*/\L&/;$s/.*/\L&/' "$k" >in
	refused "$k lower case armor" "$k"
	# without the BEGIN line, without either armor line: the last line
	# alone says nothing, the file as a whole does
	sed 1d "$k" >in
	refused "$k without its first line" "$k"
	sed '1d;$d' "$k" >in
	refused "$k without its armor" "$k"
	# UTF-16 in both byte orders, with and without a byte order mark
	for enc in UTF-16 UTF-16LE UTF-16BE; do
		iconv -f UTF-8 -t "$enc" "$k" >in
		refused "$k in $enc" "$k"
	done
	{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$k"; } >in
	refused "$k in UTF-16BE with a byte order mark" "$k"
done
# the bytes of a PEM key: raw DER, and hex
for k in pemrsa pemec p8 p8enc; do
	sed '1d;$d' "$k" | base64 -d >in
	refused "$k as DER" "$k"
	sed '1d;$d' "$k" | base64 -d | od -An -tx1 -v >in
	refused "$k as hex" "$k"
	sed '1d;$d' "$k" | base64 -d | od -An -tx1 -v | tr -d ' ' >in
	refused "$k as hex without spaces" "$k"
	sed '1d;$d' "$k" | base64 -d | od -An -tx1 -v | sed 1d >in
	refused "$k as hex without its first line" "$k"
done
# the tail of a key's DER in hex, its first third gone: RSA's last
# INTEGERs (p, q, dP, dQ, qInv), DSA's g, y and x say what it is
if "$SSH_KEYGEN" -q -t dsa -N '' -m PEM -f dsa 2>/dev/null; then
	tails="pemrsa dsa"
else
	tails=pemrsa # an OpenSSH built without DSA
fi
for k in $tails; do
	sed '1d;$d' "$k" | base64 -d | od -An -tx1 -v >hex
	sed "1,$(($(wc -l <hex) / 3))d" hex >in
	refused "$k as hex without its first third" "$k"
done
# PuTTY's keys without their first line (or two) and their MAC line
PUTTYGEN=${PUTTYGEN:-$(command -v puttygen || true)}
if [ -n "$PUTTYGEN" ]; then
	for k in ed rsa; do
		"$PUTTYGEN" "$k" -O private -o "$k.ppk"
		"$PUTTYGEN" "$k" -O private -o "$k.ppk2" --ppk-param version=2
		for f in "$k.ppk" "$k.ppk2"; do
			sed 1d "$f" >in
			refused "$f without its first line" "$f"
			sed '1,2d' "$f" >in
			refused "$f without its first two lines" "$f"
			grep -v '^PuTTY\|^Private-MAC' "$f" >in
			refused "$f without its first and last lines" "$f"
		done
	done
	"$PUTTYGEN" rsa -O private-sshcom -o rsa.sshcom
	sed 1d rsa.sshcom >in
	refused "ssh.com key without its first line" rsa.sshcom
fi
exit 0
