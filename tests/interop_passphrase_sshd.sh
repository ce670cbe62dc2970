#!/bin/bash
# A real ssh logs in to a real sshd on 127.0.0.1 with a private key we
# encrypted, unlocking it with the passphrase SSH_ASKPASS gives; with a
# wrong passphrase it cannot load the key and gets no login.
. "$top_srcdir/tests/lib.sh"
require "${SSHD:-}" sshd
require "${SSH:-}" ssh
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"

"$SSH_KEYGEN" -q -t ed25519 -N '' -f hostkey
# an RSA pair read from ssh-keygen's file, written encrypted by us
"$SSH_KEYGEN" -q -t rsa -b 2048 -N '' -C 'login test' -f plain
"$KEYINFO" -N 'login pass phrase' -a 24 -o userkey plain ||
	fail "writing userkey"
if "$KEYINFO" userkey 2>/dev/null; then fail "userkey is not encrypted"; fi
cp userkey.pub authorized_keys
chmod 600 authorized_keys
user=$(id -un)

# askpass PASSPHRASE: a program that prints it, for ssh's SSH_ASKPASS
askpass() {
	printf '#!/bin/sh\nprintf "%%s\\n" %q\n' "$1" >askpass
	chmod 700 askpass
}

start_test_sshd "$T/hostkey"

ssh_with_askpass() {
	SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none \
		timeout 60 setsid "$SSH" -F /dev/null -i userkey -p "$port" \
		-o IdentitiesOnly=yes -o IdentityAgent=none \
		-o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
		-o NumberOfPasswordPrompts=1 \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o ConnectTimeout=20 \
		"$user@127.0.0.1" echo logged-in-with-passphrase </dev/null
}

askpass 'login pass phrase'
out=$(ssh_with_askpass) || { cat sshd.log >&2; fail "login with our encrypted key refused"; }
expect_eq "remote command" "$out" "logged-in-with-passphrase"
fp=$("$KEYINFO" userkey.pub | cut -d' ' -f2)
grep -q "Accepted publickey for $user.*$fp" sshd.log ||
	fail "sshd did not log our key $fp"
echo "ssh unlocked our encrypted key and sshd accepted it ($fp)"

askpass 'login pass phrasE'
if ssh_with_askpass >/dev/null 2>err; then fail "logged in with a wrong passphrase"; fi
# refused for the key, not for a broken connection
grep -q "Permission denied (publickey)" err || fail "wrong passphrase: $(cat err)"
echo "a wrong passphrase gets no login"
stop_sshd
echo "passphrase login through sshd: all checks passed"
