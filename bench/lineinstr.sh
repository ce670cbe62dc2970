#!/bin/bash
# bench/lineinstr.sh - the instructions vhkeycheck spends on one line of an
# authorized_keys file of RSA-4096 keys, besides the weak-key arithmetic,
# counted by callgrind (repeatable, unlike wall time on a shared machine).
#
#   bench/lineinstr.sh
#
# Run it from the top of a built tree.  It makes KEYS distinct RSA-4096
# keys with ssh-keygen (default 50; kept in $BENCH_CACHE when that is set),
# writes files of 200 and 400 lines of them with varied comments, runs
# vhkeycheck on each under callgrind, and prints the difference divided by
# 200: what one more line costs, without the start-up and one-time costs,
# less check_rsa() (the weak-key tests, measured on their own), and the
# same for the main parts of a line.  Not part of make check.
set -euo pipefail
export LC_ALL=C

SSH_KEYGEN=${SSH_KEYGEN:-ssh-keygen}
KEYS=${KEYS:-50}
TOOL=./tools/.libs/vhkeycheck

for t in valgrind callgrind_annotate "$SSH_KEYGEN"; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "bench: $t not found" >&2; exit 1; }
done
[ -x "$TOOL" ] ||
	{ echo "bench: $TOOL not found: build the tree first" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/vhkey-lineinstr.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/keyfile.sh"
bench_keys

# inclusive instructions of each function, one "name count" a line
profile() {
	bench_lines "$1" "$dir/ak$1"
	LD_LIBRARY_PATH=lib/.libs valgrind --tool=callgrind \
		--callgrind-out-file="$dir/cg$1" "$TOOL" "$dir/ak$1" \
		>/dev/null 2>"$dir/valgrind$1" ||
		{ echo "bench: vhkeycheck failed" >&2; exit 1; }
	callgrind_annotate --inclusive=yes --threshold=100 "$dir/cg$1" |
		awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print "TOTAL", $1 }
		     /^ *[0-9,]+ \( *[0-9.]+%\)  [^ ]+ \[/ {
			c = $1; gsub(",", "", c)
			n = $0; sub(/^[^)]*\) +/, "", n); sub(/ .*/, "", n)
			sub(/.*:/, "", n)
			if (!(n in seen) || c + 0 > seen[n]) seen[n] = c + 0 }
		     END { for (n in seen) print n, seen[n] }' >"$dir/p$1"
}
profile 200
profile 400

awk -v keys="$KEYS" '
	FNR == 1 { f++ }
	{ v[f, $1] = $2; names[$1] = 1 }
	function per(n) { return (v[2, n] - v[1, n]) / 200 }
	END {
		rsa = per("check_rsa")
		printf "RSA-4096 lines (%d distinct keys), instructions per line\n", keys
		printf "  %-34s %9.0f\n", "all but check_rsa", per("TOTAL") - rsa
		printf "  %-34s %9.0f\n", "check_rsa (weak-key tests)", rsa
		split("vk_private_format vk_text_clean decode_b64 " \
		    "vk_key_from_blob vk_key_keep_fingerprint EVP_Digest " \
		    "vk_report_accept_join print_report vhkey_report_free", parts)
		print "of which:"
		for (i = 1; i in parts; i++)
			if ((2, parts[i]) in v)
				printf "  %-34s %9.0f\n", parts[i], per(parts[i])
	}' "$dir/p200" "$dir/p400"
