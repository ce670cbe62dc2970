#!/bin/bash
# bench/checkone.sh - one key, whole process: vhkeycheck KEY.pub against
# ssh-keygen -lf KEY.pub, alternating, medians over RUNS runs (default 51).
#
#   bench/checkone.sh [RUNS]
#
# Run from the top of a built tree.  The tool runs as installed programs
# run (the real binary, not libtool's wrapper script, whose shell start-up
# would be timed too).  Not part of make check.
set -euo pipefail
export LC_ALL=C
RUNS=${1:-51}
KEY=${KEY:-tests/data/paste/rsa4096.pub}
BIN=tools/.libs/vhkeycheck
[ -x "$BIN" ] || { echo "bench: build first (./bootstrap.sh)" >&2; exit 1; }
export LD_LIBRARY_PATH="$PWD/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
"$BIN" "$KEY" >/dev/null

ms() { # the wall time of "$@" in milliseconds
	local t0=$EPOCHREALTIME
	"$@" >/dev/null
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }'
}
ours=() theirs=()
for i in $(seq 1 "$RUNS"); do
	if [ $((i % 2)) -eq 1 ]; then
		ours+=("$(ms "$BIN" "$KEY")")
		theirs+=("$(ms ssh-keygen -lf "$KEY")")
	else
		theirs+=("$(ms ssh-keygen -lf "$KEY")")
		ours+=("$(ms "$BIN" "$KEY")")
	fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mo=$(median "${ours[@]}")
mt=$(median "${theirs[@]}")
echo "vhkeycheck $KEY: median $mo ms"
echo "ssh-keygen -lf $KEY: median $mt ms"
awk -v a="$mo" -v b="$mt" 'BEGIN { printf "ratio vhkeycheck / ssh-keygen: %.3f\n", a / b }'
echo "runs: $RUNS, $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d)"
