#!/bin/bash
# The tools under valgrind memcheck: no errors, no leaks, on success and
# on every kind of refusal.
. "$top_srcdir/tests/lib.sh"
# (--enable-sanitizers, or -fsanitize in CC, CFLAGS or LDFLAGS)
case " ${VHKEY_BUILD_CC:-} " in
*" -fsanitize="*) skip "valgrind cannot run a sanitizer build (-fsanitize=)" ;;
esac
require "${VALGRIND:-}" valgrind
cd "$T"

vg() {
	"$top_builddir/libtool" --mode=execute "$VALGRIND" -q \
		--error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect \
		--log-file="$T/vg.%p.log" "$@" </dev/null
}

# expect STATUS CMD...: the command exits STATUS and valgrind found nothing
expect() {
	local want=$1 rc=0
	shift
	rm -f "$T"/vg.*.log
	vg "$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ -n "$(cat "$T"/vg.*.log 2>/dev/null)" ] || [ "$rc" -eq 99 ]; then
		cat "$T"/vg.*.log >&2
		fail "valgrind: $*"
	fi
	[ "$rc" -eq "$want" ] || fail "exit $rc, want $want: $* ($(cat "$T/err"))"
	echo "clean: $*"
}

expect 0 "$VHKEYGEN" -N '' -q -b 2048 -C valgrind -f key
expect 1 "$VHKEYGEN" -N '' -q -b 2048 -f key
expect 1 "$VHKEYGEN" -N '' -q -b 1 -f other
expect 1 "$VHKEYGEN" -N '' -q -f nodir/key
expect 0 "$VHKEYGEN" -N '' --help
expect 0 "$VHKEYGEN" -N '' -q -t ed25519 -f ked
expect 0 "$VHKEYGEN" -N '' -q -t ecdsa -b 521 -f kec
expect 0 "$VHKEYGEN" -N '' -q --rotate -f ked
expect 1 "$VHKEYGEN" -N '' -q --rotate -t rsa -f kec
expect 0 "$KEYINFO" -p kec
expect 0 "$top_builddir/tools/vhkeycheck" ked
expect 0 "$KEYINFO" key
expect 0 "$KEYINFO" -E md5 key.pub
expect 0 "$KEYINFO" -y key
head -c 700 key >truncated
expect 1 "$KEYINFO" truncated
expect 1 "$KEYINFO" "$top_srcdir/tests/data/rsa2048-encrypted"
# a passphrase: bcrypt_pbkdf, AES, the decrypted section; written again
expect 0 "$KEYINFO" -P 'fixture passphrase' -y "$top_srcdir/tests/data/ed25519-pass"
expect 1 "$KEYINFO" -P 'wrong' "$top_srcdir/tests/data/rsa2048-pass-cbc"
expect 0 "$KEYINFO" -P 'fixture passphrase' -N 'again' -a 1 -o rewritten \
	"$top_srcdir/tests/data/rsa2048-pass-cbc"
expect 0 "$KEYINFO" -P 'again' rewritten
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
D="$top_srcdir/tests/data/paste"
expect 0 "$VHKEYCHECK" key.pub
expect 0 "$VHKEYCHECK" key
expect 0 "$VHKEYCHECK" --json -E md5 "$D/ed25519.pub" "$D/ecdsa384.pub"
expect 1 "$VHKEYCHECK" "$D/priv-ppk3.ppk" "$D/dsa.pub" "$D/rsa1024.pub"
expect 2 "$VHKEYCHECK" missing
chmod 644 key
expect 0 "$VHKEYCHECK" --fix key
expect 0 "$VHKEYCHECK" --max-age 30 --warn 5 key
# standard input, one paste each
for f in ed25519.rfc4716 ecdsa256.pkcs8 priv-pem-rsa-encrypted; do
	rm -f "$T"/vg.*.log
	rc=0
	"$top_builddir/libtool" --mode=execute "$VALGRIND" -q \
		--error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect \
		--log-file="$T/vg.%p.log" "$VHKEYCHECK" - <"$D/$f" >/dev/null 2>&1 || rc=$?
	[ -z "$(cat "$T"/vg.*.log 2>/dev/null)" ] && [ "$rc" -ne 99 ] ||
		{ cat "$T"/vg.*.log >&2; fail "valgrind: vhkeycheck - < $f"; }
	echo "clean: vhkeycheck - < $f"
done
echo "valgrind: all clean"
