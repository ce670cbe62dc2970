#!/bin/bash
# vhkeygen as a person uses it: output, options, and every refusal.
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"

run "$VHKEYGEN" -N '' --help
expect_eq "--help exit" "$rc" 0
grep -q -- '-f FILE' "$T/out" || fail "--help lacks -f"
run "$VHKEYGEN" -N '' --version
expect_eq "--version exit" "$rc" 0
case "$out" in "vhkeygen (libvhkey) "*) ;; *) fail "--version: $out" ;; esac

# the main job, with the default comment user@host
run "$VHKEYGEN" -N '' -f valohai-debug-key
expect_eq "generate exit" "$rc" 0
[ -z "$err" ] || fail "stderr on success: $err"
expect_eq "private mode" "$(mode_of valohai-debug-key)" 600
expect_eq "public mode" "$(mode_of valohai-debug-key.pub)" 644
user=$(id -un)
host=$(hostname)
comment=$(cut -d' ' -f3- valohai-debug-key.pub)
# user@host and the creation stamp (its dates: tests/rotate_cli.sh)
case "$comment" in
"$user@$host vhkey-created="????-??-??T??:??:??Z) ;;
*) fail "default comment: $comment" ;;
esac
fp=$("$KEYINFO" valohai-debug-key.pub | cut -d' ' -f2)
echo "$out" | grep -qF "$fp" || fail "fingerprint $fp not shown: $out"
echo "$out" | grep -qF "valohai-debug-key.pub" || fail ".pub not named"
echo "$out" | grep -qi "paste" || fail "no next step: $out"
expect_eq "bits" "$("$KEYINFO" valohai-debug-key | cut -d' ' -f1)" 4096

# an existing pair is kept, and the refusal says how to replace it
before=$(sha256sum valohai-debug-key valohai-debug-key.pub)
run "$VHKEYGEN" -N '' -q -f valohai-debug-key
expect_eq "exists exit" "$rc" 1
echo "$err" | grep -q "valohai-debug-key already exists" || fail "exists: $err"
echo "$err" | grep -q -- "--force" || fail "exists: no hint: $err"
expect_eq "exists unchanged" "$(sha256sum valohai-debug-key valohai-debug-key.pub)" "$before"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "more than one line: $err"

# --force replaces it; -q prints nothing; -C and -b are taken
run "$VHKEYGEN" -N '' -q --force -b 2048 -C 'job 42' -f valohai-debug-key
expect_eq "force exit" "$rc" 0
expect_eq "quiet" "$out$err" ""
comment=$(cut -d' ' -f3- valohai-debug-key.pub)
expect_eq "forced comment" "${comment% vhkey-created=*}" "job 42"
expect_eq "forced bits" "$("$KEYINFO" valohai-debug-key | cut -d' ' -f1)" 2048
expect_eq "forced mode" "$(mode_of valohai-debug-key)" 600
ls -A | grep -q vhkey-tmp && fail "temporary file left behind"

# -t rsa and -N '' as ssh-keygen takes them
run "$VHKEYGEN" -q -t rsa -N '' -b 2048 -f k2
expect_eq "-t rsa -N ''" "$rc" 0

# bad values: one clear line naming the value, exit 1, nothing written
for bits in 1024 2047 2049 16385 abc -4096 ''; do
	run "$VHKEYGEN" -N '' -q -b "$bits" -f bad
	expect_eq "-b '$bits' exit" "$rc" 1
	echo "$err" | grep -qF "'$bits'" || fail "-b $bits: $err"
done
run "$VHKEYGEN" -N '' -q -t dsa -f bad
expect_eq "-t dsa exit" "$rc" 1
echo "$err" | grep -q "'dsa'" || fail "-t dsa: $err"
# sizes are judged by the type, whichever option comes first: ECDSA's
# are its curves', Ed25519 has one (ssh-keygen ignores -b for it; we
# refuse a size it cannot have rather than ignore it)
for args in "-t ecdsa -b 1024" "-b 1024 -t ecdsa" "-t ecdsa -b 2048" \
	"-t ecdsa -b 512" "-t ed25519 -b 4096" "-b 384 -t ed25519" \
	"-t rsa -b 384" "-t ecdsa -b 0"; do
	run "$VHKEYGEN" -N '' -q $args -f bad
	expect_eq "$args exit" "$rc" 1
	[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "$args: $err"
	case $args in
	*ecdsa*) want="ECDSA keys are 256, 384 or 521 bits" ;;
	*ed25519*) want="Ed25519 keys have one size, 256 bits; leave out -b" ;;
	*) want="RSA keys must be an even number of bits" ;;
	esac
	echo "$err" | grep -qF "$want" || fail "$args: $err"
done
for t in ecdsa-sk ed25519-sk RSA ssh-ed25519 ''; do
	run "$VHKEYGEN" -N '' -q -t "$t" -f bad
	expect_eq "-t '$t' exit" "$rc" 1
	echo "$err" | grep -qF "unknown key type '$t': rsa, ed25519 or ecdsa" ||
		fail "-t $t: $err"
done
# each type and size, as ssh-keygen -l reads it (-b 256 for Ed25519 is its
# one size, taken)
for spec in "ed25519::256:ED25519" "ed25519:256:256:ED25519" \
	"ecdsa::256:ECDSA" "ecdsa:256:256:ECDSA" "ecdsa:384:384:ECDSA" \
	"ecdsa:521:521:ECDSA"; do
	IFS=: read -r t b bits label <<<"$spec"
	run "$VHKEYGEN" -N '' -q -t "$t" ${b:+-b "$b"} -f "k-$t$b"
	expect_eq "-t $t -b '$b' exit" "$rc" 0
	"$SSH_KEYGEN" -l -f "k-$t$b" | grep -q "^$bits SHA256:.* ($label)\$" ||
		fail "-t $t -b '$b': $("$SSH_KEYGEN" -l -f "k-$t$b")"
	expect_eq "-t $t -b '$b' mode" "$(mode_of "k-$t$b")" 600
done
run "$VHKEYGEN" -q -f bad
expect_eq "no -N, no terminal exit" "$rc" 1
echo "$err" | grep -q "not a terminal" || fail "no -N: $err"
run "$VHKEYGEN" -N '' -q -f bad extra
expect_eq "extra argument exit" "$rc" 1
run "$VHKEYGEN" -N '' -q --bogus
expect_eq "unknown option exit" "$rc" 1
run "$VHKEYGEN" -N '' -q -f ''
expect_eq "empty -f exit" "$rc" 1
ls bad* 2>/dev/null && fail "a refused run wrote files"

# a missing directory: one line naming the file
run "$VHKEYGEN" -N '' -q -f nodir/key
expect_eq "missing dir exit" "$rc" 1
echo "$err" | grep -q "nodir/key" || fail "missing dir: $err"
echo "$err" | grep -q "No such file or directory" || fail "missing dir: $err"

# a symlink at the target is refused and not followed
echo precious >victim
ln -s victim linked
run "$VHKEYGEN" -N '' -q -f linked
expect_eq "symlink exit" "$rc" 1
echo "$err" | grep -q "symbolic link" || fail "symlink: $err"
expect_eq "victim" "$(cat victim)" precious
[ -e linked.pub ] && fail "symlink: .pub written"

# a full disk, when this machine lets us make one (tmpfs needs root)
if [ "$(id -u)" -eq 0 ] && mkdir full && mount -t tmpfs -o size=12k tmpfs full 2>/dev/null; then
	unmount_full() { umount "$T/full"; }
	cleanup_hooks="unmount_full"
	head -c 9000 /dev/zero >full/filler || true
	run "$VHKEYGEN" -N '' -q -f full/key
	expect_eq "full disk exit" "$rc" 1
	echo "$err" | grep -q "full/key" || fail "full disk: $err"
	echo "$err" | grep -qi "no space" || fail "full disk: $err"
	expect_eq "full disk leftovers" "$(ls -A full)" filler
	echo "full disk: refused cleanly"
else
	echo "full disk: not tested here (needs root and tmpfs)"
fi
echo "vhkeygen CLI: all checks passed"
