#!/bin/bash
# vhkeygen's creation stamp and --rotate, with the clock set by faketime
# (through the libtool wrapper script: LD_PRELOAD reaches the real binary).
. "$top_srcdir/tests/lib.sh"
require "${FAKETIME_BIN:-}" faketime
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"
export TZ=UTC

# at 'YYYY-MM-DD hh:mm:ss' CMD...: run CMD with the clock frozen there
at() {
	local when=$1
	shift
	run "$FAKETIME_BIN" -f "$when" "$@"
}

comment_of() { cut -d' ' -f3- "$1"; }
fp_of() { "$KEYINFO" "$1" | cut -d' ' -f2; }
user=$(id -un)
host=$(hostname)

# a stamp by default, in the .pub and in the private key (ssh-keygen -y
# prints the private key's comment); the time is the clock's
at '2025-11-01 12:00:00' "$VHKEYGEN" -N '' -q -b 2048 -f old
expect_eq "keygen exit" "$rc" 0
expect_eq "stamp in .pub" "$(comment_of old.pub)" \
	"$user@$host vhkey-created=2025-11-01T12:00:00Z"
expect_eq "stamp in private key" "$("$SSH_KEYGEN" -y -f old)" "$(cat old.pub)"
# OpenSSH takes the comment as it is
"$SSH_KEYGEN" -l -f old | grep -qF "vhkey-created=2025-11-01T12:00:00Z (RSA)" ||
	fail "ssh-keygen -l: $("$SSH_KEYGEN" -l -f old)"

# the real clock without faketime (a stamp within a minute of now)
run "$VHKEYGEN" -N '' -q -b 2048 -C 'job 42' -f now
expect_eq "now exit" "$rc" 0
stamp=$(comment_of now.pub)
case "$stamp" in "job 42 vhkey-created="*) ;; *) fail "-C: $stamp" ;; esac
made=$(date -u -d "$(echo "${stamp#job 42 vhkey-created=}" | tr T ' ' | tr -d Z)" +%s)
[ $(($(date -u +%s) - made)) -lt 60 ] || fail "stamp is not now: $stamp"

# --no-stamp: the comment alone
run "$VHKEYGEN" -N '' -q -b 2048 --no-stamp -C 'plain' -f plain
expect_eq "--no-stamp" "$(comment_of plain.pub)" "plain"

# a copy (cp without -p: a new mtime) carries the same stamp
cp old copied && cp old.pub copied.pub
expect_eq "copied stamp" "$("$SSH_KEYGEN" -y -f copied | cut -d' ' -f3-)" \
	"$user@$host vhkey-created=2025-11-01T12:00:00Z"

# --rotate: a fresh pair in place, the old one kept under a dated name
chmod 644 old # and the backup will not be readable by others
oldfp=$(fp_of old)
oldsum=$(sha256sum <old)
oldpubsum=$(sha256sum <old.pub)
at '2026-02-01 08:00:00' "$VHKEYGEN" -N '' --rotate -b 2048 -f old
expect_eq "rotate exit" "$rc" 0
[ -z "$err" ] || fail "rotate stderr: $err"
bk=old.old-20260201T080000Z
[ -f "$bk" ] && [ -f "$bk.pub" ] || fail "no backup $bk: $(ls)"
expect_eq "backup content" "$(sha256sum <"$bk")" "$oldsum"
expect_eq "backup .pub content" "$(sha256sum <"$bk.pub")" "$oldpubsum"
expect_eq "backup mode" "$(mode_of "$bk")" 600
expect_eq "backup fingerprint" "$(fp_of "$bk")" "$oldfp"
newfp=$(fp_of old)
[ "$newfp" != "$oldfp" ] || fail "rotate kept the key"
expect_eq "new mode" "$(mode_of old)" 600
expect_eq "new .pub mode" "$(mode_of old.pub)" 644
expect_eq "new pair" "$("$SSH_KEYGEN" -y -f old)" "$(cat old.pub)"
# the old comment kept, with a new stamp
expect_eq "new comment" "$(comment_of old.pub)" \
	"$user@$host vhkey-created=2026-02-01T08:00:00Z"
# both fingerprints shown, and which one to remove
echo "$out" | grep -qF "Old key: $oldfp" || fail "old fingerprint: $out"
echo "$out" | grep -qF "New key: $newfp" || fail "new fingerprint: $out"
echo "$out" | grep -qF "Remove the old key ($oldfp)" || fail "removal: $out"
echo "$out" | grep -qF "kept as $bk and $bk.pub" || fail "backup name: $out"
ls -A | grep -q '^\.vhkey-' && fail "temporary file left behind"

# again in the same second: a second backup, nothing overwritten
bksum=$(sha256sum <"$bk")
at '2026-02-01 08:00:00' "$VHKEYGEN" -N '' -q --rotate -b 2048 -C laptop -f old
expect_eq "rotate again exit" "$rc" 0
expect_eq "quiet" "$out$err" ""
[ -f "$bk-2" ] && [ -f "$bk-2.pub" ] || fail "no second backup: $(ls)"
expect_eq "first backup kept" "$(sha256sum <"$bk")" "$bksum"
expect_eq "-C on rotate" "$(comment_of old.pub)" \
	"laptop vhkey-created=2026-02-01T08:00:00Z"

# --no-stamp on rotate takes the old stamp away
run "$VHKEYGEN" -N '' -q --rotate --no-stamp -b 2048 -f old
expect_eq "rotate --no-stamp exit" "$rc" 0
expect_eq "rotate --no-stamp" "$(comment_of old.pub)" "laptop"

# a private key without its .pub: rotated, only it kept
rm now.pub
at '2026-03-01 00:00:00' "$VHKEYGEN" -N '' --rotate -b 2048 -f now
expect_eq "no .pub exit" "$rc" 0
[ -f now.old-20260301T000000Z ] || fail "no backup: $(ls)"
[ -e now.old-20260301T000000Z.pub ] && fail "a .pub backup from nothing"
expect_eq "no .pub: new pair" "$("$SSH_KEYGEN" -y -f now)" "$(cat now.pub)"
echo "$out" | grep -q "kept as now\.old-20260301T000000Z$" || fail "no .pub: $out"

# refusals: one clear line, exit 1, nothing changed on disk
before=$(ls -l --time-style=+ -I out -I err | sha256sum)
run "$VHKEYGEN" -N '' -q --rotate -f missing
expect_eq "missing exit" "$rc" 1
echo "$err" | grep -q "cannot rotate missing: no such file" || fail "missing: $err"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "more than one line: $err"
ln -s old linked
run "$VHKEYGEN" -N '' -q --rotate -f linked
expect_eq "symlink exit" "$rc" 1
echo "$err" | grep -q "linked is a symbolic link" || fail "symlink: $err"
rm linked
mkdir dir
run "$VHKEYGEN" -N '' -q --rotate -f dir
expect_eq "directory exit" "$rc" 1
echo "$err" | grep -q "dir is not a regular file" || fail "directory: $err"
rmdir dir
run "$VHKEYGEN" -N '' -q --rotate --force -f old
expect_eq "--rotate --force exit" "$rc" 1
# a comment that the stamp would make too long
run "$VHKEYGEN" -N '' -q -C "$(printf '%0990d' 0)" -f long
expect_eq "long comment exit" "$rc" 1
echo "$err" | grep -q "with the creation stamp" || fail "long comment: $err"
# a file that is not a key is not replaced by one; a .pub given for the
# key gets the hint
printf '#!/bin/sh\necho hi\n' >script
chmod 700 script
run "$VHKEYGEN" -N '' -q --rotate -b 2048 -f script
expect_eq "not a key exit" "$rc" 1
echo "$err" | grep -q "script is not an OpenSSH private key; not replacing it" ||
	fail "not a key: $err"
expect_eq "not a key untouched" "$(cat script)" "$(printf '#!/bin/sh\necho hi')"
run "$VHKEYGEN" -N '' -q --rotate -b 2048 -f old.pub
expect_eq ".pub exit" "$rc" 1
echo "$err" | grep -q "that is a public key: give the private key" || fail ".pub: $err"
# hard links: the mode change would reach the file behind them
chmod 644 old
ln old hardlink
run "$VHKEYGEN" -N '' -q --rotate -b 2048 -f old
expect_eq "hard link exit" "$rc" 1
echo "$err" | grep -q "old has other names (hard links)" || fail "hard link: $err"
expect_eq "hard link mode" "$(mode_of hardlink)" 644
rm hardlink
chmod 600 old
ln old.pub hardlink.pub
run "$VHKEYGEN" -N '' -q --rotate -b 2048 -f old
expect_eq "hard link .pub exit" "$rc" 1
echo "$err" | grep -q "old.pub has other names (hard links)" || fail "hard link .pub: $err"
rm hardlink.pub
# an Ed25519 pair is not made RSA: -b or -t that ask for another type or
# size are refused, the pair left as it was
"$SSH_KEYGEN" -q -t ed25519 -N '' -f ed
edsum=$(cat ed ed.pub | sha256sum)
for opts in "-b 2048" "-t rsa" "-t ecdsa" "-t ed25519 -b 4096"; do
	run "$VHKEYGEN" -N '' -q --rotate $opts -f ed
	expect_eq "ed25519 rotate $opts exit" "$rc" 1
	echo "$err" | grep -q "rotate keeps the key type and size: ed holds a 256-bit ED25519 key" ||
		fail "ed25519 rotate $opts: $err"
done
expect_eq "ed25519 pair untouched" "$(cat ed ed.pub | sha256sum)" "$edsum"
# nor a 2048-bit RSA pair made 4096 bits
run "$VHKEYGEN" -N '' -q --rotate -b 4096 -f old
expect_eq "rsa rotate -b 4096 exit" "$rc" 1
echo "$err" | grep -q "holds a 2048-bit RSA key" || fail "rsa rotate -b 4096: $err"
rm ed ed.pub script
expect_eq "refusals changed nothing" "$(ls -l --time-style=+ -I out -I err | sha256sum)" "$before"

# a rotation keeps the old pair's type and size: ssh-keygen's Ed25519,
# ECDSA P-384 and 3072-bit RSA pairs (no -t or -b; -t naming the old type
# is fine), the new pair one that ssh-keygen reads as such
"$SSH_KEYGEN" -q -t ed25519 -N '' -C ed -f ked
"$SSH_KEYGEN" -q -t ecdsa -b 384 -N '' -C ec -f kec
"$SSH_KEYGEN" -q -t rsa -b 3072 -N '' -C rsa -f krsa
# a passphrase-protected pair: its type and size from the clear envelope
"$SSH_KEYGEN" -q -t ecdsa -b 521 -N 'secret' -C locked -f klocked
for k in "ked:256:ED25519:" "kec:384:ECDSA:-t ecdsa" "krsa:3072:RSA:" \
	"klocked:521:ECDSA:-b 521"; do
	IFS=: read -r f bits label opts <<<"$k"
	oldfp=$(fp_of "$f.pub")
	run "$VHKEYGEN" -N '' -q --rotate --no-stamp $opts -f "$f"
	expect_eq "rotate $f exit" "$rc" 0
	"$SSH_KEYGEN" -l -f "$f" | grep -q "^$bits SHA256:.* ($label)\$" ||
		fail "rotate $f: $("$SSH_KEYGEN" -l -f "$f")"
	expect_eq "rotate $f: new pair" "$("$SSH_KEYGEN" -y -f "$f")" "$(cat "$f.pub")"
	[ "$(fp_of "$f.pub")" != "$oldfp" ] || fail "rotate $f: same key"
	expect_eq "rotate $f: old pair kept" "$(fp_of "$f".old-*Z.pub)" "$oldfp"
done
echo "rotate CLI: all checks passed"
