#!/bin/bash
# bench/keygen.sh - time 4096-bit RSA key generation: vhkeygen against
# ssh-keygen, on the same machine, in the same runs.
#
#   bench/keygen.sh [RUNS]        (default 21)
#
# Run it from the top of a built tree.  Odd runs start with vhkeygen, even
# runs with ssh-keygen, so that neither always gets the warmer machine.
# Prints each run, both medians and their ratio (vhkeygen / ssh-keygen).
# Not part of make check: it takes a few seconds per run.
set -euo pipefail
export LC_ALL=C # a '.' in EPOCHREALTIME and in awk's numbers

# the program itself, as installed, not libtool's wrapper script (a shell
# that adds 10 ms or so to every run), with the library just built
VHKEYGEN=./tools/.libs/vhkeygen
export LD_LIBRARY_PATH="$PWD/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
SSH_KEYGEN=${SSH_KEYGEN:-ssh-keygen}

usage() {
	echo "usage: bench/keygen.sh [RUNS]   (RUNS >= 1, default 21)" >&2
	exit 2
}

[ $# -le 1 ] || usage
RUNS=${1:-21}
case $RUNS in
'' | *[!0-9]*) usage ;;
esac
RUNS=$((10#$RUNS)) # "08" is eight, not bad octal
[ "$RUNS" -ge 1 ] || usage

if [ ! -x "$VHKEYGEN" -N '' ]; then
	echo "bench: $VHKEYGEN not found: run this from the top of the" \
		"source tree after building it with ./bootstrap.sh" >&2
	exit 1
fi
if ! command -v "$SSH_KEYGEN" >/dev/null 2>&1; then
	echo "bench: $SSH_KEYGEN not found: install openssh-client" >&2
	exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/vhkey-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

# Wall-clock time now, in seconds with microseconds.
if [ -n "${EPOCHREALTIME:-}" ]; then
	now() { printf '%s\n' "$EPOCHREALTIME"; }
else
	now() { date +%s.%N; }
fi

# time_cmd VAR CMD...: run CMD, store its wall time in seconds in VAR.
time_cmd() {
	local var=$1 t0 t1
	shift
	t0=$(now)
	if ! "$@" </dev/null; then
		echo "bench: failed: $*" >&2
		exit 1
	fi
	t1=$(now)
	printf -v "$var" '%s' "$(awk -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.6f", b - a }')"
}

run_ours() { time_cmd t_ours "$VHKEYGEN" -N '' -q -f "$dir/v"; }
run_theirs() {
	time_cmd t_theirs "$SSH_KEYGEN" -q -t rsa -b 4096 -N '' -f "$dir/s"
}

median() { sort -n | awk '{ v[NR] = $1 }
	END { if (NR % 2) printf "%.6f", v[(NR + 1) / 2];
	      else printf "%.6f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

t_ours=0 t_theirs=0 # set by run_ours and run_theirs
ours_all=""
theirs_all=""
echo "4096-bit RSA key generation, $RUNS runs (wall time, seconds)"
printf '%4s  %-16s %10s %10s\n' run first vhkeygen ssh-keygen
for ((i = 1; i <= RUNS; i++)); do
	rm -f "$dir/v" "$dir/v.pub" "$dir/s" "$dir/s.pub"
	if ((i % 2)); then
		first=vhkeygen
		run_ours
		run_theirs
	else
		first=ssh-keygen
		run_theirs
		run_ours
	fi
	printf '%4d  %-16s %10.3f %10.3f\n' "$i" "$first" "$t_ours" \
		"$t_theirs"
	ours_all+="$t_ours"$'\n'
	theirs_all+="$t_theirs"$'\n'
done

m_ours=$(printf '%s' "$ours_all" | median)
m_theirs=$(printf '%s' "$theirs_all" | median)
ratio=$(awk -v a="$m_ours" -v b="$m_theirs" 'BEGIN { printf "%.3f", a / b }')
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null |
	head -n 1)

echo
printf 'median vhkeygen:   %.3f s\n' "$m_ours"
printf 'median ssh-keygen: %.3f s\n' "$m_theirs"
echo "ratio vhkeygen/ssh-keygen (median/median): $ratio"
echo
echo "vhkeygen:   $("$VHKEYGEN" -N '' --version)"
echo "ssh-keygen: $(ssh -V 2>&1 || echo unknown)"
echo "machine:    $(nproc) CPUs, ${cpu:-unknown CPU}"
echo "date:       $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "command:    bench/keygen.sh $RUNS"
