#!/bin/bash
# bench/checkkeys.sh - check an authorized_keys file of 100,000 RSA-4096
# public keys: vhkeycheck against ssh-keygen -lf, on the same file, in the
# same runs.
#
#   bench/checkkeys.sh [RUNS]        (default 5)
#
# Run it from the top of a built tree.  It makes KEYS distinct RSA-4096 keys
# with ssh-keygen (default 50; kept in $BENCH_CACHE when that is set, so a
# second run need not make them again), repeats them with varied comments
# up to LINES lines (default 100000), then times both programs on that
# file, alternating which goes first.  Prints each run, the medians, keys
# per second, peak memory (RSS, from /usr/bin/time) and the ratios.
#
# DISTINCT=1 makes every line a different RSA-4096 modulus instead: the
# products of pairs of 2048-bit primes from `openssl prime -generate`
# (about sqrt(2 * LINES) primes; kept in $BENCH_CACHE too), e = 65537.
# They are RSA moduli as any generator makes them, except that each prime
# is shared by many moduli, which no check here looks for; so every key
# costs its full check.  Needs python3 for the arithmetic.
# Not part of make check.
set -euo pipefail
export LC_ALL=C

# the program itself, as installed, not libtool's wrapper script (a shell
# that adds 10 ms or so to every run), with the library just built
VHKEYCHECK=./tools/.libs/vhkeycheck
export LD_LIBRARY_PATH="$PWD/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
SSH_KEYGEN=${SSH_KEYGEN:-ssh-keygen}
TIME=/usr/bin/time
KEYS=${KEYS:-50}
LINES=${LINES:-100000}

usage() {
	echo "usage: bench/checkkeys.sh [RUNS]   (RUNS >= 1, default 5)" >&2
	exit 2
}

[ $# -le 1 ] || usage
RUNS=${1:-5}
case $RUNS in
'' | *[!0-9]*) usage ;;
esac
RUNS=$((10#$RUNS))
[ "$RUNS" -ge 1 ] || usage

if [ ! -x "$VHKEYCHECK" ]; then
	echo "bench: $VHKEYCHECK not found: run this from the top of the" \
		"source tree after building it with ./bootstrap.sh" >&2
	exit 1
fi
command -v "$SSH_KEYGEN" >/dev/null 2>&1 ||
	{ echo "bench: $SSH_KEYGEN not found: install openssh-client" >&2; exit 1; }
[ -x "$TIME" ] ||
	{ echo "bench: $TIME not found: install the Debian package time" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/vhkey-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/keyfile.sh"

file=$dir/authorized_keys
if [ "${DISTINCT:-0}" = 1 ]; then
	bench_distinct_lines "$LINES" "$file"
	what="all distinct"
else
	# the distinct keys, then LINES lines of them
	bench_keys
	bench_lines "$LINES" "$file"
	what="$KEYS distinct keys"
fi
echo "file: $(wc -l <"$file") keys ($what), $(du -h "$file" | cut -f1)"

# the outputs agree before anything is timed
"$VHKEYCHECK" "$file" >"$dir/ours.out"
"$SSH_KEYGEN" -l -f "$file" >"$dir/theirs.out"
cmp -s "$dir/ours.out" "$dir/theirs.out" ||
	{ echo "bench: the outputs differ" >&2; diff "$dir/ours.out" "$dir/theirs.out" | head >&2; exit 1; }

# now: seconds since the epoch, to the microsecond
now() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "$EPOCHREALTIME"; else date +%s.%N; fi; }

# time_cmd SECONDS_VAR KB_VAR CMD...: wall time (to the millisecond; time's
# own %e has only hundredths) and peak RSS of CMD
time_cmd() {
	local tvar=$1 mvar=$2 t0 t1 t m
	shift 2
	t0=$(now)
	"$TIME" -f '%M' -o "$dir/time" "$@" "$file" >/dev/null ||
		{ echo "bench: failed: $*" >&2; exit 1; }
	t1=$(now)
	t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	read -r m <"$dir/time"
	printf -v "$tvar" '%s' "$t"
	printf -v "$mvar" '%s' "$m"
}

median() { sort -n | awk '{ v[NR] = $1 }
	END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2];
	      else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

t_ours=0 m_ours=0 t_theirs=0 m_theirs=0
all_t_ours="" all_t_theirs="" all_m_ours="" all_m_theirs=""
echo
echo "checking $LINES RSA-4096 keys, $RUNS runs (wall time in seconds, peak RSS in KiB)"
printf '%4s  %-11s %10s %10s %12s %12s\n' run first vhkeycheck ssh-keygen \
	"RSS ours" "RSS theirs"
for ((i = 1; i <= RUNS; i++)); do
	if ((i % 2)); then
		first=vhkeycheck
		time_cmd t_ours m_ours "$VHKEYCHECK"
		time_cmd t_theirs m_theirs "$SSH_KEYGEN" -l -f
	else
		first=ssh-keygen
		time_cmd t_theirs m_theirs "$SSH_KEYGEN" -l -f
		time_cmd t_ours m_ours "$VHKEYCHECK"
	fi
	printf '%4d  %-11s %10.3f %10.3f %12d %12d\n' "$i" "$first" "$t_ours" \
		"$t_theirs" "$m_ours" "$m_theirs"
	all_t_ours+="$t_ours"$'\n'
	all_t_theirs+="$t_theirs"$'\n'
	all_m_ours+="$m_ours"$'\n'
	all_m_theirs+="$m_theirs"$'\n'
done

mt_ours=$(printf '%s' "$all_t_ours" | median)
mt_theirs=$(printf '%s' "$all_t_theirs" | median)
mm_ours=$(printf '%s' "$all_m_ours" | median)
mm_theirs=$(printf '%s' "$all_m_theirs" | median)
rate() { awk -v n="$LINES" -v t="$1" 'BEGIN { printf("%.0f", (t > 0 ? n / t : 0)) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%.3f", (b > 0 ? a / b : 0)) }'; }
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null |
	head -n 1)

echo
printf 'median vhkeycheck: %8.3f s  %8s keys/s  %8.0f KiB peak RSS\n' \
	"$mt_ours" "$(rate "$mt_ours")" "$mm_ours"
printf 'median ssh-keygen: %8.3f s  %8s keys/s  %8.0f KiB peak RSS\n' \
	"$mt_theirs" "$(rate "$mt_theirs")" "$mm_theirs"
echo "ratio vhkeycheck/ssh-keygen, time (median/median): $(ratio "$mt_ours" "$mt_theirs")"
echo "ratio vhkeycheck/ssh-keygen, peak RSS (median/median): $(ratio "$mm_ours" "$mm_theirs")"
echo
echo "vhkeycheck: $("$VHKEYCHECK" --version)"
echo "ssh-keygen: $(ssh -V 2>&1 || echo unknown)"
echo "machine:    $(nproc) CPUs, ${cpu:-unknown CPU}"
echo "date:       $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "command:    ${DISTINCT:+DISTINCT=$DISTINCT }bench/checkkeys.sh $RUNS"
