#!/bin/bash
# A real sshd on 127.0.0.1 accepts a login with a key vhkeygen made, and
# refuses one it was not given.
. "$top_srcdir/tests/lib.sh"
require "${SSHD:-}" sshd
require "${SSH:-}" ssh
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"

"$VHKEYGEN" -N '' -q -f userkey
"$VHKEYGEN" -N '' -q -b 2048 -f otherkey
"$SSH_KEYGEN" -q -t ed25519 -N '' -f hostkey
cp userkey.pub authorized_keys
chmod 600 authorized_keys
user=$(id -un)

start_test_sshd "$T/hostkey"

out=$(ssh_as userkey) || { cat sshd.log >&2; fail "login with our key refused"; }
expect_eq "remote command" "$out" "logged-in-with-vhkey"
fp=$("$KEYINFO" userkey | cut -d' ' -f2)
grep -q "Accepted publickey for $user.*$fp" sshd.log ||
	fail "sshd did not log our key $fp"
echo "sshd accepted userkey ($fp)"

if ssh_as otherkey >/dev/null 2>&1; then fail "a key not authorized got in"; fi
echo "sshd refused a key it was not given"
stop_sshd
echo "interop with sshd: all checks passed"
