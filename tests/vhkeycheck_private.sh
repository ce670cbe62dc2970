#!/bin/bash
# vhkeycheck on a private key file, as a person uses it: permissions,
# owner, the .pub beside it, the key's age, --fix, and bad paths.
. "$top_srcdir/tests/lib.sh"
require "${FAKETIME_BIN:-}" faketime
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
unset VHKEY_ROTATION

"$VHKEYGEN" -N '' -q -b 2048 -f key

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
"$VHKEYGEN" -N '' -q -b 2048 -f other
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

# --fix on another user's file cannot fix it: an error (exit 2, said on
# standard error, as the manual says), nothing changed
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	cp key foreign2
	chown nobody foreign2
	chmod 644 foreign2
	run "$VHKEYCHECK" --fix foreign2
	expect_eq "--fix foreign exit" "$rc" 2
	echo "$err" | grep -q "foreign2: file belongs to another user" ||
		fail "--fix foreign stderr: $err"
	expect_eq "--fix foreign mode" "$(mode_of foreign2)" 644
fi

# the private half is named as such, and the file to paste instead; in
# JSON too
run "$VHKEYCHECK" key
echo "$out" | grep -qF "warning: 'key' is the private half of the key pair" ||
	fail "private half: $out"
echo "$out" | grep -qF "paste 'key.pub' into" || fail "private half: $out"
run "$VHKEYCHECK" --json key
echo "$out" | grep -qF "is the private half" || fail "json note: $out"

# the .pub beside its private key: accepted as a public key, with a hint
# (on standard error) for whoever would give it to ssh -i
run "$VHKEYCHECK" key.pub
expect_eq ".pub exit" "$rc" 0
echo "$out" | grep -qxF "$("$SSH_KEYGEN" -l -f key.pub)" || fail ".pub: $out"
echo "$err" | grep -qF "use the private key key with ssh -i, not key.pub" ||
	fail ".pub hint: $err"

# the policy applies to the private key file's key
run "$VHKEYCHECK" --min-bits 4096 key
expect_eq "--min-bits 4096 exit" "$rc" 1
echo "$out" | grep -q "rejected (weak_key): 'key': This RSA key has 2048 bits" ||
	fail "min-bits: $out"
echo "$out" | grep -qF "fix: vhkeygen --rotate -f 'key'" || fail "min-bits: $out"
"$SSH_KEYGEN" -q -t rsa -b 1024 -N '' -f small
run "$VHKEYCHECK" small
expect_eq "1024-bit exit" "$rc" 1
echo "$out" | grep -q "rejected (weak_key): 'small': This RSA key has 1024 bits" ||
	fail "1024 bits: $out"

# OpenSSH is the judge: each way of spoiling a key file's lines, and our
# verdict against what ssh-keygen -y does with the same file.  Where ssh
# cannot load it, the file is "damaged", and the fix given repairs it.
# judge NAME: compare our verdict on NAME with ssh-keygen -y's
judge() {
	local f=$1 ssh_ok=0
	chmod 600 "$f"
	"$SSH_KEYGEN" -y -f "$f" </dev/null >/dev/null 2>&1 && ssh_ok=1
	run "$VHKEYCHECK" --max-age 36500 "$f"
	if [ "$ssh_ok" = 1 ]; then
		expect_eq "$f: ssh loads it; exit" "$rc" 0
		return
	fi
	expect_eq "$f: ssh cannot load it; exit" "$rc" 1
	echo "$out" | grep -q "is damaged, so ssh cannot load it" || fail "$f: $out"
	fix=$(echo "$out" | sed -n 's/^  fix: //p' | head -1)
	[ -n "$fix" ] || fail "$f: no fix: $out"
	eval "$fix"
	"$SSH_KEYGEN" -y -f "$f" </dev/null >/dev/null 2>&1 ||
		fail "$f: ssh still cannot load it after: $fix"
	run "$VHKEYCHECK" --max-age 36500 "$f"
	expect_eq "$f: after the fix, exit" "$rc" 0
}
body() { sed '1d;$d' "$1"; }
"$SSH_KEYGEN" -q -t ed25519 -N '' -C ed -f ed
"$SSH_KEYGEN" -q -t ecdsa -N '' -C ec -f ec
for k in key ed ec; do
	sed 's/$/\r/' $k >$k.crlf && cp $k.pub $k.crlf.pub
	printf '%s' "$(cat $k)" >$k.nonl && cp $k.pub $k.nonl.pub
	printf '%s' "$(sed 's/$/\r/' $k)" >$k.crlfnonl
	{ printf '\357\273\277'; cat $k; } >$k.bom
	{ echo; cat $k; } >$k.blank
	{ printf ' \n\t\n'; cat $k; } >$k.blanks
	sed 's/^/  /' $k >$k.indent
	{ printf '  '; cat $k; } >$k.indent1
	{ sed '$d' $k; echo '-----END OPENSSH PRIVATE KEY----- '; } >$k.endspace
	{ head -1 $k; body $k | sed 's/$/\r/'; tail -1 $k; } >$k.bodycrlf
	{ head -1 $k; body $k | sed 's/^/  /'; tail -1 $k; } >$k.bodyindent
	{ cat $k; echo; echo; } >$k.trailing
	{ head -1 $k; body $k | tr -d '\n'; echo; tail -1 $k; } >$k.oneline
	for v in crlf nonl crlfnonl bom blank blanks indent indent1 endspace \
		bodycrlf bodyindent trailing oneline; do
		judge $k.$v
	done
done
# text after the END line: ssh ignores it; we do not read such a file,
# and say so without claiming that ssh cannot load it
{ cat key; echo 'some notes'; } >key.notes
chmod 600 key.notes
"$SSH_KEYGEN" -y -f key.notes >/dev/null 2>&1 || fail "ssh-keygen: key.notes"
run "$VHKEYCHECK" key.notes
expect_eq "notes exit" "$rc" 1
echo "$out" | grep -q "has text after its END line: ssh ignores it" || fail "notes: $out"

# an Ed25519 key is read whole: its .pub is checked
cp other.pub ed.pub.bad
cp ed.pub ed.pub.good && cp ed.pub.bad ed.pub
run "$VHKEYCHECK" ed
expect_eq "ed25519 stale .pub exit" "$rc" 1
echo "$out" | grep -q "rejected (pair_mismatch)" || fail "ed25519 pair: $out"
cp ed.pub.good ed.pub
run "$VHKEYCHECK" ed
expect_eq "ed25519 exit" "$rc" 0
echo "$out" | grep -q "(ED25519)" || fail "ed25519: $out"

# other formats: PEM and PKCS#8, which ssh loads, checked as ssh reads
# them; a PKCS#8 Ed25519 key and a PuTTY key, which it does not, never fit
if command -v openssl >/dev/null; then
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out p8rsa 2>/dev/null
	openssl pkey -in p8rsa -traditional -out pkcs1rsa
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p8ec
	openssl genpkey -algorithm ED25519 -out p8ed
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
		-out p8pss 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 \
		-out p8k1
	for f in p8rsa pkcs1rsa p8ec p8ed p8pss p8k1; do
		chmod 644 "$f"
		run "$VHKEYCHECK" "$f"
		expect_eq "$f 0644 exit" "$rc" 1
		echo "$out" | grep -q "bad_permissions" || fail "$f 0644: $out"
		chmod 600 "$f"
		ssh_ok=0
		"$SSH_KEYGEN" -y -f "$f" >/dev/null 2>&1 && ssh_ok=1
		run "$VHKEYCHECK" --max-age 36500 "$f"
		expect_eq "$f: ours against ssh-keygen -y" "$((1 - rc))" "$ssh_ok"
	done
	sed 's/^/ /' p8rsa >p8rsa.indent
	judge p8rsa.indent
	openssl pkcs8 -topk8 -in p8rsa -passout pass:secret -out p8enc
	chmod 600 p8enc
	run "$VHKEYCHECK" p8enc
	expect_eq "encrypted PKCS#8 exit" "$rc" 1
	echo "$out" | grep -q "rejected (unsupported_type)" || fail "p8enc: $out"
	echo "$out" | grep -qF "fix: ssh-keygen -p -f 'p8enc'" || fail "p8enc: $out"
fi
if command -v puttygen >/dev/null; then
	puttygen key -O private -o key.ppk
	chmod 600 key.ppk
	"$SSH_KEYGEN" -y -f key.ppk >/dev/null 2>&1 && fail "ssh loads a PPK?"
	run "$VHKEYCHECK" key.ppk
	expect_eq "ppk exit" "$rc" 1
	echo "$out" | grep -q "rejected (unsupported_type)" || fail "ppk: $out"
	fix=$(echo "$out" | sed -n 's/^  fix: //p' | head -1)
	expect_eq "ppk fix" "$fix" "puttygen 'key.ppk' -O private-openssh -o 'key-openssh'"
	eval "$fix"
	"$SSH_KEYGEN" -y -f key-openssh >/dev/null || fail "ppk fix: no key"
	# --fix takes away the bits of every kind of private key file
	chmod 644 key.ppk
	run "$VHKEYCHECK" --fix key.ppk
	expect_eq "ppk --fix exit" "$rc" 1
	expect_eq "ppk --fix mode" "$(mode_of key.ppk)" 600
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
run "$FAKETIME_BIN" -f "$made" "$VHKEYGEN" -N '' -q -b 2048 -f old
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
