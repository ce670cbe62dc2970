# bench/keyfile.sh - sourced by the benchmarks that check authorized_keys
# files of RSA-4096 keys (checkkeys.sh, lineinstr.sh).  Needs KEYS,
# SSH_KEYGEN and a temporary directory $dir; BENCH_CACHE, when set, keeps
# the keys for the next run.

# bench_keys: make KEYS distinct RSA-4096 keys (in parallel, in the cache)
# and write their "type data" to $dir/keys.
bench_keys() {
	local cache=${BENCH_CACHE:-$dir/keys.d}
	mkdir -p "$cache"
	echo "making $KEYS RSA-4096 keys in $cache ..."
	seq 1 "$KEYS" | xargs -P "$(nproc)" -I{} sh -c \
		'[ -f "$1/k{}.pub" ] || "$2" -q -t rsa -b 4096 -N "" -C k{} -f "$1/k{}"' \
		sh "$cache" "$SSH_KEYGEN"
	cat "$cache"/k*.pub | cut -d' ' -f1,2 >"$dir/keys"
}

# bench_lines N FILE: N lines of the keys over and over, each with its own
# comment, in FILE.
bench_lines() {
	awk -v n="$1" '{ k[NR] = $0 }
		END { for (i = 0; i < n; i++)
			printf "%s user%06d@host-%d.example.com\n",
			    k[i % NR + 1], i, i % 97 }' "$dir/keys" >"$2"
}
