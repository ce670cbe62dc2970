#!/bin/bash
# vhkeycheck on a private key file, as a person uses it: permissions,
# owner, the .pub beside it, the key's age, --fix, and bad paths.
. "$top_srcdir/tests/lib.sh"
require "${FAKETIME_BIN:-}" faketime
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
unset VHKEY_ROTATION

"$VHKEYGEN" -q -b 2048 -f key

# modes: 0600, 0400 and 0700 pass; anything for group or others fails
for mode in 600 400 700; do
	chmod "$mode" key
	run "$VHKEYCHECK" key
	expect_eq "mode $mode exit" "$rc" 0
	echo "$out" | grep -q "is fit for ssh" || fail "mode $mode: $out"
done
for mode in 640 644 666 604; do
	chmod "$mode" key
	run "$VHKEYCHECK" key
	expect_eq "mode $mode exit" "$rc" 1
	echo "$out" | grep -q "rejected (bad_permissions)" || fail "mode $mode: $out"
	echo "$out" | grep -q "Permissions 0$mode for 'key'" || fail "mode $mode: $out"
	echo "$out" | grep -qF "fix: chmod 600 'key'" || fail "mode $mode: no fix: $out"
	expect_eq "mode $mode unchanged" "$(mode_of key)" "$mode"
done

# --fix applies the fix and checks again
chmod 644 key
run "$VHKEYCHECK" --fix key
expect_eq "--fix exit" "$rc" 0
expect_eq "--fix mode" "$(mode_of key)" 600
echo "$out" | grep -q "fixed" || fail "--fix: $out"

# JSON fields
chmod 640 key
run "$VHKEYCHECK" --json key
expect_eq "json exit" "$rc" 1
for field in '"reason":"bad_permissions"' '"rotation":"ok"' '"age_days":0' \
	'"created_estimated":false' '"findings":[{"reason":"bad_permissions"'; do
	echo "$out" | grep -qF "$field" || fail "json lacks $field: $out"
done
chmod 600 key

# the pair: a stale .pub is found
cp key.pub key.pub.good
"$VHKEYGEN" -q -b 2048 -f other
cp other.pub key.pub
run "$VHKEYCHECK" key
expect_eq "mismatch exit" "$rc" 1
echo "$out" | grep -q "rejected (pair_mismatch)" || fail "mismatch: $out"
echo "$out" | grep -qF "fix: ssh-keygen -y -f 'key' > 'key.pub'" || fail "mismatch: $out"
cp key.pub.good key.pub

# a symbolic link is followed, and said
ln -s key linked
run "$VHKEYCHECK" linked
expect_eq "symlink exit" "$rc" 0
echo "$out" | grep -qi "symbolic link" || fail "symlink: $out"

# owned by another user (root can make one)
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	cp key foreign
	chown nobody foreign
	run "$VHKEYCHECK" foreign
	expect_eq "foreign exit" "$rc" 1
	echo "$out" | grep -q "rejected (bad_owner)" || fail "foreign: $out"
fi

# bad paths: a clear message and exit 2, nothing changed
run "$VHKEYCHECK" missing
expect_eq "missing exit" "$rc" 2
run "$VHKEYCHECK" .
expect_eq "directory exit" "$rc" 2
mkfifo fifo
run "$VHKEYCHECK" fifo </dev/null
expect_eq "fifo exit" "$rc" 2

# age: a key made 380 days ago (relative to today, so that the test does
# not expire) is overdue; near the end of a 400-day policy, due soon
made=$(date -u -d '380 days ago' '+%Y-%m-%d %H:%M:%S')
run "$FAKETIME_BIN" -f "$made" "$VHKEYGEN" -q -b 2048 -f old
run "$VHKEYCHECK" old
expect_eq "overdue exit" "$rc" 1
echo "$out" | grep -q "rejected (rotation_overdue)" || fail "overdue: $out"
echo "$out" | grep -qF "fix: vhkeygen --rotate -f 'old'" || fail "overdue: $out"
echo "$out" | grep -q "rotation policy: a key is due after 90 days" || fail "policy: $out"
# the same key's .pub, pasted: the stamp travels with it
run_in old.pub "$VHKEYCHECK" -
expect_eq "overdue paste exit" "$rc" 1
echo "$out" | grep -q "rotation_overdue" || fail "overdue paste: $out"
# a copy (cp without -p: a new mtime) keeps its age
cp old copied
chmod 600 copied
run "$VHKEYCHECK" --max-age 400 --warn 30 copied
expect_eq "due soon exit" "$rc" 0
echo "$out" | grep -q "due_soon" || fail "due soon: $out"
echo "$out" | grep -q "(from the options)" || fail "policy source: $out"
# the policy from the environment
VHKEY_ROTATION=500,10 run "$VHKEYCHECK" copied
expect_eq "env policy exit" "$rc" 0
echo "$out" | grep -q "due after 500 days, with a warning 10 days before (from VHKEY_ROTATION)" ||
	fail "env policy: $out"
VHKEY_ROTATION=banana run "$VHKEYCHECK" copied
expect_eq "bad env exit" "$rc" 2

# a key made elsewhere: its age is estimated from the file
"$SSH_KEYGEN" -q -t rsa -b 2048 -N '' -f theirs
touch -d '2025-06-01' theirs
run "$VHKEYCHECK" theirs
expect_eq "estimated exit" "$rc" 1
echo "$out" | grep -q "estimated" || fail "estimate: $out"
echo "vhkeycheck on private key files: all checks passed"
