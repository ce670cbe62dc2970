#!/bin/bash
# Random mutations of real public key lines (bits flipped, bytes inserted,
# deleted or replaced, ends cut off), checked as pastes with vhkeycheck:
# it never crashes, and whenever it accepts a mutant, ssh-keygen -l accepts
# the key it accepted (the normalised line, and the mutant itself when
# nothing had to be repaired), with the same fingerprint.
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
MUTATE="$top_builddir/tests/mutate"
D="$top_srcdir/tests/data/paste"
N=${PASTE_FUZZ_N:-60} # mutants per key type

total=0 accepted=0 unrepaired=0 seed=0
for k in rsa4096 ed25519 ecdsa256 ecdsa384 ecdsa521 sk-ed25519 sk-ecdsa256; do
	mkdir "$T/$k"
	seed=$((seed + 1))
	"$MUTATE" $((0x5eed0000 + seed)) "$N" "$D/$k.pub" "$T/$k"
	for m in "$T/$k"/m-*; do
		total=$((total + 1))
		set +e
		json=$("$VHKEYCHECK" --json - <"$m" 2>"$T/err")
		rc=$?
		set -e
		case $rc in
		0 | 1) ;;
		*) fail "$m: exit $rc: $(cat "$T/err")" ;;
		esac
		[ "$(printf '%s\n' "$json" | wc -l)" -eq 1 ] ||
			fail "$m: not one line of JSON: $json"
		case $json in
		'{"verdict":"accepted"'*) [ "$rc" -eq 0 ] || fail "$m: exit $rc" ;;
		'{"verdict":"rejected"'*)
			[ "$rc" -eq 1 ] || fail "$m: exit $rc"
			continue
			;;
		*) fail "$m: no verdict: $json" ;;
		esac
		accepted=$((accepted + 1))
		fp=$(printf '%s' "$json" |
			sed -n 's/.*"fingerprint":"\(SHA256:[A-Za-z0-9+/]*\)".*/\1/p')
		key=$(printf '%s' "$json" |
			sed -n 's/.*"key":"\([a-z0-9@.-]* [A-Za-z0-9+/=]*\).*/\1/p')
		[ -n "$fp" ] && [ -n "$key" ] || fail "$m: $json"
		printf '%s\n' "$key" >"$T/normalised.pub"
		got=$("$SSH_KEYGEN" -l -f "$T/normalised.pub" 2>&1) ||
			fail "$m: accepted, but ssh-keygen -l rejects '$key': $got"
		expect_eq "$m: fingerprint" "$(echo "$got" | cut -d' ' -f2)" "$fp"
		case $json in
		*'"repairs":[]'*)
			unrepaired=$((unrepaired + 1))
			got=$("$SSH_KEYGEN" -l -f "$m" 2>&1) ||
				fail "$m: accepted as it is, but ssh-keygen -l rejects it: $got"
			expect_eq "$m: fingerprint as is" \
				"$(echo "$got" | cut -d' ' -f2)" "$fp"
			;;
		esac
	done
done
echo "paste fuzz: $total mutants, $accepted accepted ($unrepaired without" \
	"repairs), every one accepted by ssh-keygen -l too"
[ "$accepted" -gt 0 ] || fail "no mutant was accepted: nothing was compared"
[ "$accepted" -lt "$total" ] || fail "every mutant was accepted"
