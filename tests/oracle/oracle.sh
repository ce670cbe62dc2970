#!/bin/bash
# OpenSSH is the judge: a differential test of vhkeycheck against the real
# sshd, ssh and ssh-keygen over a corpus of a few thousand generated cases
# (tests/oracle/corpus.py), judged by tests/oracle/judge.py.  The table of
# outcomes, and the details of every unjustified disagreement, go to this
# test's log.
. "$top_srcdir/tests/lib.sh"
require "${SSHD:-}" sshd
require "${SSH:-}" ssh
require "${SSH_KEYGEN:-}" ssh-keygen
PUTTYGEN=${PUTTYGEN:-$(command -v puttygen || true)}
OPENSSL=${OPENSSL:-$(command -v openssl || true)}
PYTHON3=${PYTHON3:-$(command -v python3 || true)}
require "$PUTTYGEN" puttygen
require "$OPENSSL" openssl
require "$PYTHON3" python3
"$PYTHON3" -c 'import cryptography' 2>/dev/null ||
	skip "python3-cryptography not installed"

# The tool itself rather than libtool's wrapper script, which costs a
# shell per run; a few thousand runs add up.
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
if [ -x "$top_builddir/tools/.libs/vhkeycheck" ]; then
	VHKEYCHECK="$top_builddir/tools/.libs/vhkeycheck"
	LD_LIBRARY_PATH="$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	export LD_LIBRARY_PATH
fi
# a rotation policy that no fresh key is near
VHKEY_ROTATION=
unset VHKEY_ROTATION
export VHKEYCHECK SSHD SSH SSH_KEYGEN PUTTYGEN OPENSSL

# judge.py stops sshd and its agents itself; should it be killed, the
# process group goes with the test's temp dir
oracle_pid=""
stop_oracle() {
	[ -n "$oracle_pid" ] && kill -- "$oracle_pid" 2>/dev/null
	if [ -f "$T/sshd.pid" ]; then
		kill "$(cat "$T/sshd.pid")" 2>/dev/null
	fi
	return 0
}
cleanup_hooks="stop_oracle"
chmod 700 "$T"
"$PYTHON3" -B "$top_srcdir/tests/oracle/judge.py" "$T" &
oracle_pid=$!
wait "$oracle_pid"
rc=$?
oracle_pid=""
exit "$rc"
