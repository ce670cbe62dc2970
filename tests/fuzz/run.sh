#!/bin/bash
# tests/fuzz/run.sh - build the libFuzzer targets with ASan and UBSan and run
# each for a while.  Run from the top of a configured tree:
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      (make fuzz FUZZ_SECONDS=...)
#
# SECONDS per target (default 30).  Targets are tests/fuzz/fuzz_*.c.  Seeds
# come from tests/fuzz/corpus/TARGET; what a run learns is kept in
# fuzz-build/corpus-TARGET for the next run.  A crash leaves its input in
# fuzz-build/ and makes this script fail; turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-30}
shift || true
[ -f config.h ] || { echo "fuzz: run ./bootstrap.sh (or configure) first" >&2; exit 2; }
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null || { echo "fuzz: clang not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

if [ $# -eq 0 ]; then
	set -- $(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')
fi
mkdir -p fuzz-build
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-I. -Iinclude -Ilib -DOPENSSL_API_COMPAT=30000 -DOPENSSL_NO_DEPRECATED"
libs="$(pkg-config --libs libcrypto libsodium) -lpthread"

status=0
for t in "$@"; do
	# shellcheck disable=SC2086
	"$CLANG" $flags -o "fuzz-build/$t" "tests/fuzz/$t.c" lib/*.c $libs
	mkdir -p "fuzz-build/corpus-$t"
	seeds="tests/fuzz/corpus/$t"
	[ -d "$seeds" ] || seeds=""
	echo "fuzz: $t for ${seconds}s"
	if ! ASAN_OPTIONS=detect_leaks=1 "fuzz-build/$t" \
		-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=20000 -dict=tests/fuzz/vhkey.dict -print_final_stats=1 \
		-artifact_prefix="fuzz-build/$t-" \
		"fuzz-build/corpus-$t" $seeds >"fuzz-build/$t.log" 2>&1; then
		tail -n 40 "fuzz-build/$t.log"
		echo "fuzz: $t FAILED (input in fuzz-build/$t-*)"
		status=1
		continue
	fi
	# "#123456 DONE cov: 789 ft: ... exec/s: ..." and the final stats
	grep -E '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb' \
		"fuzz-build/$t.log" | sed "s/^/fuzz: $t: /"
done
exit $status
