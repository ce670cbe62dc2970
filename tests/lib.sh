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
