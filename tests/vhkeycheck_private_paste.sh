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

# refused NAME: the paste in $T/in is refused as private_key, and as a
# file every line of it that is not the public line is, with nothing of
# the private key KEY in either output
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
	# every line but the public one, a last line too short to tell, and
	# binary data that is no line of text (the NUL byte left after
	# UTF-16's last line end, the pieces of DER between its 0x0a bytes)
	grep -v '"reason":"private_key"' "$T/out" |
		grep -v '"line":1,"verdict":"accepted"' |
		grep -v '"reason":"malformed".*"message":"This is not a public' |
		grep -v '"reason":"malformed".*"message":"The text holds control' \
			>"$T/other" || true
	[ ! -s "$T/other" ] || fail "$name as a file: $(head -c 300 "$T/other")"
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
	iconv -f UTF-8 -t UTF-16 "$k" >in
	refused "$k in UTF-16" "$k"
done
# the bytes of a PEM key: raw DER, and hex
for k in pemrsa pemec p8 p8enc; do
	sed '1d;$d' "$k" | base64 -d >in
	refused "$k as DER" "$k"
	sed '1d;$d' "$k" | base64 -d | od -An -tx1 -v >in
	refused "$k as hex" "$k"
done
exit 0
