#!/bin/bash
# Never print a byte we did not choose: comments, file names and link
# targets that hold control characters reach the terminal escaped, in the
# text output ("\033", as ssh-keygen prints them) and in JSON ("\u001b").
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
cd "$T"

# every hostile class: C0 (ESC, BEL, CR, LF in names), DEL, C1 as a code
# point and as a raw byte, bidirectional controls, U+2028, invalid UTF-8
hostile=$(printf 'a\033[31mb\007c\177d\302\233e\233f\342\200\256g\330\234h\342\201\246i\342\200\250j\377k')
hostile_shown='a\033[31mb\007c\177d\302\233e\233f\342\200\256g\330\234h\342\201\246i\342\200\250j\377k'
hostile_json='a\\u001b[31mb\\u0007c\\u007fd\\u009be\\ufffdf\\u202eg\\u061ch\\u2066i\\u2028j\\ufffdk'
name=$(printf 'n\033]0;x\007\r\233\342\200\256')
name_shown='n\033]0;x\007\015\233\342\200\256'

export LC_ALL=C.UTF-8

# out/err hold nothing a terminal acts on: valid UTF-8, no C0 but the line
# feed, no DEL, no C1, no bidirectional control, no U+2028/U+2029
assert_safe() {
	local what=$1 f hex
	for f in "$T/out" "$T/err"; do
		iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 ||
			fail "$what: $(basename "$f") is not valid UTF-8"
		hex=" $(od -An -v -tx1 "$f" | tr -s ' \n' '  ') "
		if echo "$hex" | grep -Eq ' (0[0-9b-f]|1[0-9a-f]|7f) '; then
			fail "$what: a raw control byte in $(basename "$f")"
		fi
		if echo "$hex" | grep -Eq ' c2 [89][0-9a-f] | d8 9c | e2 80 (8e|8f|a[89a-e]) | e2 81 a[6-9] '; then
			fail "$what: a raw C1 or bidirectional control in $(basename "$f")"
		fi
	done
}
# the same, and nothing above 0x7F at all (a terminal not in UTF-8)
assert_ascii() {
	assert_safe "$1"
	if od -An -v -tx1 "$T/out" "$T/err" | grep -Eq '(^| )[89a-f][0-9a-f]'; then
		fail "$1: a byte above 0x7F in the C locale"
	fi
}
contains() {
	grep -qF -- "$2" "$T/out" "$T/err" || fail "$1: no '$2' in: $out $err"
}

# a .pub file whose comment holds them all: the key works with sshd, so it
# is taken, with the comment escaped
"$SSH_KEYGEN" -q -t rsa -b 2048 -N '' -C "$hostile" -f priv
run "$VHKEYCHECK" priv.pub
assert_safe "public key file"
contains "public key file" "$hostile_shown (RSA)"
contains "public key file" "repaired: The comment holds control characters"
run "$VHKEYCHECK" --json priv.pub
assert_safe "public key file, JSON"
contains "public key file, JSON" "\"comment\":\"${hostile_shown//\\/\\\\}\""
run_in priv.pub "$VHKEYCHECK"
assert_safe "pasted"
contains "pasted" "$hostile_shown"
run "$VHKEYCHECK" --json - <priv.pub
assert_safe "pasted, JSON"

# the private key file: its comment, its name, the fix line
cp priv "$name"
cp priv.pub "$name.pub"
chmod 644 "$name"
run "$VHKEYCHECK" "$name"
assert_safe "private key file"
contains "private key file" "$name_shown"
contains "private key file" "fix: chmod 600 \$'$name_shown'"
# the fix is exact too: bash reads the very name back from $'...'
fix=$(sed -n 's/^  fix: //p' "$T/out")
(cd "$T" && eval "$fix")
expect_eq "mode after the fix" "$(mode_of "$name")" 600
chmod 644 "$name"
run "$VHKEYCHECK" --json "$name"
assert_safe "private key file, JSON"
contains "private key file, JSON" '"file":"n\u001b]0;x\u0007\u000d\ufffd\u202e"'
chmod 600 "$name"
run "$VHKEYCHECK" "$name"
assert_safe "fit private key file"
contains "fit private key file" "$hostile_shown (RSA)"
chmod 644 "$name"
run "$VHKEYCHECK" --fix "$name"
assert_safe "--fix"
contains "--fix" "$name_shown: fixed: the file is now mode 0600"

# a symbolic link with a hostile target
ln -s "$name" link
run "$VHKEYCHECK" link
assert_safe "symbolic link"
contains "symbolic link" "'link' is a symbolic link to '$name_shown'"

# a file that is not there, and bad option values
run "$VHKEYCHECK" "$name.missing"
assert_safe "missing file"
contains "missing file" "$name_shown.missing"
run "$VHKEYCHECK" -E "$hostile"
assert_safe "-E"
expect_eq "-E status" "$rc" 2
run env VHKEY_ROTATION="$hostile" "$VHKEYCHECK" priv.pub
assert_safe "VHKEY_ROTATION"
expect_eq "VHKEY_ROTATION status" "$rc" 2

# getopt echoes an unknown option raw: the tools say it themselves
run "$VHKEYCHECK" "--a$hostile"
assert_safe "unknown long option"
expect_eq "unknown long option status" "$rc" 2
contains "unknown long option" "vhkeycheck: unrecognized option '--a$hostile_shown'"
run "$VHKEYCHECK" "-$(printf '\033')"
assert_safe "unknown short option"
contains "unknown short option" "vhkeycheck: invalid option '-\033'"
run "$VHKEYCHECK" "--json=$hostile"
assert_safe "option with a value it does not take"
contains "option with a value it does not take" "takes no value"
run "$VHKEYCHECK" --min-bits
contains "option without its value" "vhkeycheck: option '--min-bits' requires a value"
run "$VHKEYGEN" -N '' "--$hostile"
assert_safe "vhkeygen, unknown option"
expect_eq "vhkeygen, unknown option status" "$rc" 1
contains "vhkeygen, unknown option" "vhkeygen: unrecognized option '--$hostile_shown'"
run "$VHKEYGEN" -N '' -f
contains "vhkeygen -f without its value" "vhkeygen: option '-f' requires a value"

# the C locale: everything above 0x7F escaped too, as ssh-keygen does
run env LC_ALL=C "$VHKEYCHECK" priv.pub
assert_ascii "C locale"
contains "C locale" "${hostile_shown}"
printf 'ssh-rsa %s caf\303\251\n' "$(cut -d' ' -f2 priv.pub)" >cafe.pub
run env LC_ALL=C "$VHKEYCHECK" cafe.pub
assert_ascii "C locale, UTF-8 comment"
contains "C locale, UTF-8 comment" 'caf\303\251 (RSA)'
run "$VHKEYCHECK" cafe.pub
contains "UTF-8 comment kept" "$(printf 'caf\303\251 (RSA)')"

# vhkeygen: -C refuses them; a hostile file name is printed escaped
run "$VHKEYGEN" -N '' -q -b 2048 -C "$hostile" -f refused
assert_safe "vhkeygen -C"
expect_eq "vhkeygen -C status" "$rc" 1
contains "vhkeygen -C" "invalid comment '$hostile_shown'"
[ ! -e refused ] || fail "vhkeygen -C wrote a key"
for c in "$(printf 'a\033b')" "$(printf 'a\302\233b')" "$(printf 'a\342\200\256b')" \
	"$(printf 'a\342\200\250b')" "$(printf 'a\377b')" "$(printf 'a\tb')"; do
	run "$VHKEYGEN" -N '' -q -b 2048 -C "$c" -f refused
	expect_eq "vhkeygen -C status" "$rc" 1
done
run "$VHKEYGEN" -N '' -b 2048 -C "caf$(printf '\303\251') 日本" -f "$name.new"
assert_safe "vhkeygen -f"
expect_eq "vhkeygen -f status" "$rc" 0
contains "vhkeygen -f" "Your private key: $name_shown.new"
run "$VHKEYGEN" -N '' -b 2048 -f "$name.new"
assert_safe "vhkeygen, file exists"
contains "vhkeygen, file exists" "$name_shown.new already exists"

# --rotate: an old comment with control characters is carried escaped
"$SSH_KEYGEN" -q -t rsa -b 2048 -N '' -C "$hostile" -f old
run "$VHKEYGEN" -N '' --rotate --no-stamp -b 2048 -f old
assert_safe "vhkeygen --rotate"
expect_eq "vhkeygen --rotate status" "$rc" 0
contains "vhkeygen --rotate" "the new key carries it escaped"
contains "vhkeygen --rotate" "$hostile_shown"
expect_eq "rotated comment" "$(cut -d' ' -f3- old.pub)" "$hostile_shown"
run "$VHKEYCHECK" old.pub
assert_safe "rotated key"
expect_eq "rotated key status" "$rc" 0
contains "rotated key" "$hostile_shown (RSA)"
echo "escaping: all checks passed"
