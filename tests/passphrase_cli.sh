#!/bin/bash
# vhkeygen's passphrases against the real ssh-keygen and sshd: -N, the
# passphrase files, -a, the prompts (on a pseudo-terminal), -y and -p, and a
# login with a passphrase-protected key through ssh's SSH_ASKPASS.
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
PTY="$top_srcdir/tests/pty_drive.py"
cd "$T"

# kdf NAME ROUNDS of an openssh-key-v1 file: "cipher kdf rounds"
kdf() {
	python3 - "$1" <<'PY'
import base64, struct, sys
lines = open(sys.argv[1]).read().split("\n")
b = base64.b64decode("".join(lines[1:lines.index("-----END OPENSSH PRIVATE KEY-----")]))
o = 15
def s(o):
    n = struct.unpack(">I", b[o:o + 4])[0]
    return b[o + 4:o + 4 + n], o + 4 + n
c, o = s(o); k, o = s(o); opt, o = s(o)
r = struct.unpack(">I", opt[-4:])[0] if opt else 0
print(c.decode(), k.decode(), r)
PY
}
# pubkey FILE: "TYPE BASE64" of a public key line
pubkey() { cut -d' ' -f1,2 "$1"; }
# decrypts FILE PASS: ssh-keygen reads the key with that passphrase
decrypts() { "$SSH_KEYGEN" -y -P "$2" -f "$1" >/dev/null 2>&1; }

# no -N, standard input not a terminal: refused, nothing written
run "$VHKEYGEN" -q -b 2048 -f nopass
expect_eq "no -N, no terminal: status" "$rc" 1
case $err in *"standard input is not a terminal"*"-N ''"*) ;;
*) fail "no -N, no terminal: $err" ;; esac
[ ! -e nopass ] && [ ! -e nopass.pub ] || fail "no -N: a key was written"

# -N '' : no passphrase, as before
run "$VHKEYGEN" -q -N '' -b 2048 -f plain
expect_eq "-N '' status" "$rc" 0
expect_eq "-N '' kdf" "$(kdf plain)" "none none 0"

# -N PASS: aes256-ctr + bcrypt, 24 rounds; ssh-keygen decrypts it with the
# passphrase only
run "$VHKEYGEN" -q -N 'sekrit pass' -b 2048 -f enc
expect_eq "-N status" "$rc" 0
expect_eq "-N kdf" "$(kdf enc)" "aes256-ctr bcrypt 24"
expect_eq "-N mode" "$(mode_of enc)" 600
decrypts enc 'sekrit pass' || fail "ssh-keygen cannot decrypt our key"
expect_eq "-N public" "$("$SSH_KEYGEN" -y -P 'sekrit pass' -f enc | pubkey /dev/stdin)" \
	"$(pubkey enc.pub)"
! decrypts enc 'wrong' || fail "ssh-keygen took a wrong passphrase"
! decrypts enc '' || fail "ssh-keygen read our key without its passphrase"

# -a ROUNDS, and the passphrase from a file and from a descriptor
printf 'from a file\n' >pf
run "$VHKEYGEN" -q --new-passphrase-file pf -a 3 -b 2048 -f fromfile
expect_eq "--new-passphrase-file status" "$rc" 0
expect_eq "-a 3 kdf" "$(kdf fromfile)" "aes256-ctr bcrypt 3"
decrypts fromfile 'from a file' || fail "passphrase file: wrong passphrase used"
printf 'from fd 3' >pf3
run "$VHKEYGEN" -q --new-passphrase-file /dev/fd/3 -a 1 -b 2048 -f fromfd 3<pf3
expect_eq "/dev/fd/3 status" "$rc" 0
decrypts fromfd 'from fd 3' || fail "passphrase fd: wrong passphrase used"
for bad in 0 2049 x; do
	run "$VHKEYGEN" -q -N x -a "$bad" -b 2048 -f badrounds
	expect_eq "-a $bad status" "$rc" 1
done
[ ! -e badrounds ] || fail "bad -a: a key was written"
run "$VHKEYGEN" -q -N x --new-passphrase-file pf -f both
expect_eq "-N and --new-passphrase-file status" "$rc" 1
head -c 2000 /dev/zero | tr '\0' a >long
run "$VHKEYGEN" -q --new-passphrase-file long -b 2048 -f toolong
expect_eq "too long a passphrase status" "$rc" 1
[ ! -e toolong ] || fail "too long a passphrase: a key was written"

# -y: ours and ssh-keygen's keys, with -P, --passphrase-file, or none
run "$VHKEYGEN" -y -P 'sekrit pass' -f enc
expect_eq "-y status" "$rc" 0
expect_eq "-y" "$out" "$(cat enc.pub)"
run "$VHKEYGEN" -y -P 'wrong' -f enc
expect_eq "-y wrong passphrase status" "$rc" 1
case $err in *"incorrect passphrase"*) ;; *) fail "-y wrong: $err" ;; esac
run "$VHKEYGEN" -y -f enc
expect_eq "-y no passphrase, no terminal status" "$rc" 1
case $err in *"protected by a passphrase"*"--passphrase-file"*) ;;
*) fail "-y without passphrase: $err" ;; esac
run "$VHKEYGEN" -y -f plain
expect_eq "-y unencrypted" "$out" "$(cat plain.pub)"
for r in 1 16 24; do
	"$SSH_KEYGEN" -q -t rsa -b 2048 -a "$r" -N "theirs $r" -C "theirs $r" -f "theirs$r"
	run "$VHKEYGEN" -y -P "theirs $r" -f "theirs$r"
	expect_eq "-y of ssh-keygen -a $r" "$out" "$(cat "theirs$r.pub")"
done

# -p: in place, atomically (a new inode), 0600, the .pub untouched
cp enc.pub enc.pub.before
ino=$(stat -c %i enc)
run "$VHKEYGEN" -p -P 'sekrit pass' -N 'new pass' -a 2 -f enc
expect_eq "-p status" "$rc" 0
decrypts enc 'new pass' || fail "-p: the new passphrase does not work"
! decrypts enc 'sekrit pass' || fail "-p: the old passphrase still works"
expect_eq "-p kdf" "$(kdf enc)" "aes256-ctr bcrypt 2"
expect_eq "-p mode" "$(mode_of enc)" 600
[ "$(stat -c %i enc)" != "$ino" ] || fail "-p wrote the file in place, not atomically"
cmp -s enc.pub enc.pub.before || fail "-p changed the .pub"
cp enc enc.before
run "$VHKEYGEN" -p -P 'wrong' -N 'other' -f enc
expect_eq "-p wrong old passphrase status" "$rc" 1
cmp -s enc enc.before || fail "-p with a wrong passphrase changed the key"
run "$VHKEYGEN" -p -P 'new pass' -N '' -f enc
expect_eq "-p to none status" "$rc" 0
expect_eq "-p to none kdf" "$(kdf enc)" "none none 0"
run "$VHKEYGEN" -p -P 'theirs 16' -N 'ours now' -f theirs16
expect_eq "-p of ssh-keygen's key status" "$rc" 0
decrypts theirs16 'ours now' || fail "-p of ssh-keygen's key: not readable"
run "$VHKEYGEN" -p -N x -f enc.pub
expect_eq "-p on a .pub status" "$rc" 1
ln -s plain plainlink
run "$VHKEYGEN" -p -N x -f plainlink
expect_eq "-p on a symbolic link status" "$rc" 1
run "$VHKEYGEN" -p -y -f plain
expect_eq "-p with -y status" "$rc" 1

# vhkeycheck: an encrypted key is checked without its passphrase (and says
# so), read whole with --passphrase-file, and a wrong one is bad_passphrase
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
"$VHKEYGEN" -q -N 'check me' -b 2048 -f checked
printf 'check me\n' >right
printf 'not it\n' >wrong
run "$VHKEYCHECK" checked
expect_eq "vhkeycheck encrypted status" "$rc" 0
case $out in *"protected by a passphrase;"*"can only be read with the passphrase"*) ;;
*) fail "vhkeycheck encrypted: $out" ;; esac
run "$VHKEYCHECK" --json checked
case $out in *'"encrypted":true'*) ;; *) fail "json encrypted: $out" ;; esac
run "$VHKEYCHECK" --passphrase-file right checked
expect_eq "vhkeycheck right passphrase status" "$rc" 0
case $out in *"protected by a passphrase (which opened it)"*) ;;
*) fail "vhkeycheck right passphrase: $out" ;; esac
run "$VHKEYCHECK" --json --passphrase-file wrong checked
expect_eq "vhkeycheck wrong passphrase status" "$rc" 1
case $out in *'"reason":"bad_passphrase"'*'"encrypted":true'*) ;;
*) fail "vhkeycheck wrong passphrase: $out" ;; esac
run "$VHKEYCHECK" --json plain
case $out in *'"encrypted":false'*) ;; *) fail "json not encrypted: $out" ;; esac
run "$VHKEYCHECK" --json plain.pub
case $out in *'"encrypted":null'*) ;; *) fail "json public: $out" ;; esac
# damage after the first block is damage, not a wrong passphrase
python3 - checked <<'PY'
import base64, sys
p = sys.argv[1]
lines = open(p).read().split("\n")
end = lines.index("-----END OPENSSH PRIVATE KEY-----")
b = bytearray(base64.b64decode("".join(lines[1:end])))
b[-400] ^= 0x55
body = base64.b64encode(bytes(b)).decode()
out = [lines[0]] + [body[i:i + 70] for i in range(0, len(body), 70)] + lines[end:]
open(p, "w").write("\n".join(out))
PY
run "$VHKEYCHECK" --json --passphrase-file right checked
expect_eq "vhkeycheck damaged status" "$rc" 1
case $out in *'"reason":"bad_passphrase"'*) fail "damage called a bad passphrase: $out" ;;
*'"reason":"malformed"'*) ;; *) fail "vhkeycheck damaged: $out" ;; esac

# the prompts, on a terminal: asked twice, never echoed
python3 "$PTY" tty.out \
	'Enter passphrase (empty for no passphrase): ' 'typed secret' \
	'Enter same passphrase again: ' 'typed secret' \
	-- "$VHKEYGEN" -q -b 2048 -f prompted ||
	fail "prompted generation failed: $(cat -v tty.out)"
! grep -q 'typed secret' tty.out || fail "the passphrase was echoed"
decrypts prompted 'typed secret' || fail "prompted: wrong passphrase used"
set +e
python3 "$PTY" tty2.out \
	'Enter passphrase (empty for no passphrase): ' 'one' \
	'Enter same passphrase again: ' 'two' \
	-- "$VHKEYGEN" -q -b 2048 -f mismatched
rc=$?
set -e
expect_eq "mismatched prompts status" "$rc" 1
grep -q 'do not match' tty2.out || fail "mismatch: $(cat -v tty2.out)"
[ ! -e mismatched ] || fail "mismatched passphrases: a key was written"
python3 "$PTY" tty3.out 'Enter passphrase: ' 'typed secret' \
	-- "$VHKEYGEN" -y -f prompted || fail "-y prompt: $(cat -v tty3.out)"
grep -qF "$(pubkey prompted.pub)" tty3.out || fail "-y prompt printed no key"
python3 "$PTY" tty4.out 'Enter passphrase: ' 'typed secret' \
	'Enter new passphrase (empty for no passphrase): ' 'newer' \
	'Enter same passphrase again: ' 'newer' \
	-- "$VHKEYGEN" -p -f prompted || fail "-p prompts: $(cat -v tty4.out)"
decrypts prompted 'newer' || fail "-p prompts: wrong passphrase used"

# a login to sshd with a passphrase-protected key of ours, the passphrase
# given to ssh through SSH_ASKPASS
if [ -n "${SSHD:-}" ] && [ -x "$SSHD" ] && [ -n "${SSH:-}" ]; then
	"$SSH_KEYGEN" -q -t ed25519 -N '' -f hostkey
	cp prompted.pub authorized_keys
	chmod 600 authorized_keys
	printf '#!/bin/sh\necho newer\n' >askpass
	chmod 700 askpass
	start_test_sshd "$T/hostkey"
	out=$(SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none \
		timeout 60 "$SSH" -F /dev/null -i prompted -p "$port" \
		-o IdentitiesOnly=yes -o IdentityAgent=none \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o ConnectTimeout=20 \
		"$(id -un)@127.0.0.1" echo logged-in-with-passphrase </dev/null) ||
		{ cat sshd.log >&2; fail "login with our protected key refused"; }
	expect_eq "login with a passphrase" "$out" logged-in-with-passphrase
	echo "sshd: login with our passphrase-protected key (SSH_ASKPASS)"
	stop_sshd
fi
echo "passphrases: all checks passed"
