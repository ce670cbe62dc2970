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

# bench_distinct_lines N FILE: N lines, each a different RSA-4096 modulus:
# the products of pairs of 2048-bit primes from `openssl prime -generate`
# (k primes make k (k - 1) / 2 moduli; kept in the cache), e = 65537.
# Needs python3 for the arithmetic.
bench_distinct_lines() {
	local cache=${BENCH_CACHE:-$dir/keys.d} primes
	command -v python3 >/dev/null 2>&1 ||
		{ echo "bench: DISTINCT=1 needs python3" >&2; exit 1; }
	primes=$(awk -v n="$1" 'BEGIN { k = 2; while (k * (k - 1) / 2 < n) k++; print k }')
	mkdir -p "$cache/primes"
	echo "making $primes 2048-bit primes in $cache/primes ..."
	seq 1 "$primes" | xargs -P "$(nproc)" -I{} sh -c \
		'[ -s "$1/p{}" ] || { openssl prime -generate -bits 2048 -hex >"$1/p{}.tmp" && mv "$1/p{}.tmp" "$1/p{}"; }' \
		sh "$cache/primes"
	cat "$cache"/primes/p* | python3 -c '
import base64, sys
lines = int(sys.argv[1])
ps = [int(l, 16) for l in sys.stdin.read().split()]
def s(b): return len(b).to_bytes(4, "big") + b
def mpint(v): return s(v.to_bytes((v.bit_length() + 8) // 8, "big"))
out, i = [], 0
for a in range(len(ps)):
    for b in range(a + 1, len(ps)):
        if i == lines: break
        n = ps[a] * ps[b]
        assert n.bit_length() == 4096
        blob = s(b"ssh-rsa") + mpint(65537) + mpint(n)
        out.append("ssh-rsa %s user%06d@host-%d.example.com" %
                   (base64.b64encode(blob).decode(), i, i % 97))
        i += 1
sys.stdout.write("\n".join(out) + "\n")
' "$1" >"$2"
}
