# lib.sh - shared by the test scripts: a temp dir, failing, skipping.
# Sourced; top_srcdir and top_builddir come from the test environment.
set -eu

: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
VHKEYGEN="$top_builddir/tools/vhkeygen"
KEYINFO="$top_builddir/tests/keyinfo"

T=$(mktemp -d "${TMPDIR:-/tmp}/vhkey-sh-XXXXXX")
cleanup_hooks=""
cleanup() {
	for h in $cleanup_hooks; do "$h" || true; done
	rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# require VAR: the tool configure found, else skip (only when truly absent)
require() {
	[ -n "$1" ] && [ -x "$1" ] || skip "$2 not installed"
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# mode of a file, octal
mode_of() {
	stat -c %a "$1"
}

# run_in INPUT CMD...: run CMD with INPUT as its standard input; sets out,
# err (its output, without the final newline) and rc; never hangs
run_in() {
	local input=$1
	shift
	set +e
	timeout 120 "$@" <"$input" >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# run CMD...: the same with no input (not a terminal)
run() { run_in /dev/null "$@"; }

# start_test_sshd HOSTKEY: a real sshd on 127.0.0.1, on a free port (in
# $port), reading $T/authorized_keys; its log in $T/sshd.log; stopped on
# exit.  Fails the test when no port works.
start_test_sshd() {
	local hostkey=$1 p
	# sshd insists on its privilege separation directory when run as root
	if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
		mkdir -p /run/sshd
		chmod 755 /run/sshd
	fi
	cleanup_hooks="$cleanup_hooks stop_sshd"
	port=""
	for _ in $(seq 1 20); do
		p=$((20000 + RANDOM % 40000))
		if sshd_on "$p" "$hostkey"; then port=$p; return 0; fi
		stop_sshd || true
	done
	cat "$T/sshd.log" >&2
	fail "sshd did not start"
}

# sshd_on PORT HOSTKEY: started and listening (0), or gone (1)
sshd_on() {
	cat >"$T/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $1
HostKey $2
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
	for _ in $(seq 1 100); do
		grep -q "Server listening" "$T/sshd.log" && return 0
		kill -0 "$sshd_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

stop_sshd() {
	[ -n "${sshd_pid:-}" ] && kill "$sshd_pid" 2>/dev/null &&
		wait "$sshd_pid" 2>/dev/null
	sshd_pid=""
}

# ssh_as KEY: log in as $user to the test sshd with KEY alone and run echo
# logged-in-with-vhkey there (no agent, no config, no known_hosts)
ssh_as() {
	timeout 60 "$SSH" -F /dev/null -i "$1" -p "$port" \
		-o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o ConnectTimeout=20 \
		"$user@127.0.0.1" echo logged-in-with-vhkey </dev/null
}
