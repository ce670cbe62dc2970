#!/bin/bash
# A real sshd on 127.0.0.1 accepts a login with a key vhkeygen made, and
# refuses one it was not given.
. "$top_srcdir/tests/lib.sh"
require "${SSHD:-}" sshd
require "${SSH:-}" ssh
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"

"$VHKEYGEN" -q -f userkey
"$VHKEYGEN" -q -b 2048 -f otherkey
"$SSH_KEYGEN" -q -t ed25519 -N '' -f hostkey
cp userkey.pub authorized_keys
chmod 600 authorized_keys
user=$(id -un)

# sshd insists on its privilege separation directory when run as root
if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
	mkdir -p /run/sshd
	chmod 755 /run/sshd
fi

start_sshd() {
	cat >sshd_config <<CONF
ListenAddress 127.0.0.1
Port $1
HostKey $T/hostkey
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
LogLevel VERBOSE
CONF
	"$SSHD" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
	sshd_pid=$!
	# listening, or gone (port taken)
	for _ in $(seq 1 100); do
		grep -q "Server listening" "$T/sshd.log" && return 0
		kill -0 "$sshd_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
stop_sshd() {
	[ -n "${sshd_pid:-}" ] && kill "$sshd_pid" 2>/dev/null && wait "$sshd_pid" 2>/dev/null
	sshd_pid=""
}
cleanup_hooks="stop_sshd"

port=""
for _ in $(seq 1 20); do
	p=$((20000 + RANDOM % 40000))
	if start_sshd "$p"; then port=$p; break; fi
	stop_sshd || true
done
[ -n "$port" ] || { cat sshd.log >&2; fail "sshd did not start"; }

ssh_as() {
	timeout 60 "$SSH" -F /dev/null -i "$1" -p "$port" \
		-o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o ConnectTimeout=20 \
		"$user@127.0.0.1" echo logged-in-with-vhkey </dev/null
}

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
