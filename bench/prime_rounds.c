/*
 * prime_rounds.c - what one RSA prime costs, counted rather than timed:
 * the candidates that reach a Miller-Rabin round and the rounds run, for
 * OpenSSL's BN_generate_prime_ex2() (what vhkeygen used before) and for
 * the sieve of lib/primesieve.c (what it uses now), on one thread, with
 * the thread's CPU time beside them.  Counts do not depend on how busy the
 * machine is; they vary only with the random numbers drawn, so their mean
 * over many primes is a stable proxy for the time to make a key.
 *
 *   bench/prime_rounds [PRIMES [BITS]]     (default 100 primes of 2048 bits)
 *
 * Built on demand (make bench/prime_rounds), not by make check.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/bn.h>

#include "check.h"

struct counts {
	long starts;	 /* random starts (the sieve only) */
	long candidates; /* numbers that reached a Miller-Rabin round */
	long passed;	 /* rounds passed (a composite fails its first) */
};

/* OpenSSL's callback: (0, n) before a candidate (BN_generate_prime_ex2)
 * or a start (vk_sieve_find_prime), (1, -1) after trial division
 * (BN_check_prime), (1, i) after each round passed. */
static int
count(int a, int b, BN_GENCB *cb)
{
	struct counts *c = BN_GENCB_get_arg(cb);

	if (a == 0)
		c->starts++;
	else if (a == 1 && b == -1)
		c->candidates++;
	else if (a == 1)
		c->passed++;
	return 1;
}

static double
cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

struct tally {
	double sum, sum2;
	int n;
};

static void
stat_add(struct tally *s, double v)
{
	s->sum += v;
	s->sum2 += v * v;
	s->n++;
}

static void
stat_print(const char *what, const struct tally *s)
{
	double mean = s->sum / s->n;
	double var = s->n > 1 ? (s->sum2 - s->n * mean * mean) / (s->n - 1) : 0;

	printf("  %-32s %9.1f +- %.1f\n", what, mean,
	    sqrt(var > 0 ? var : 0) / sqrt((double)s->n));
}

int
main(int argc, char **argv)
{
	int primes = argc > 1 ? atoi(argv[1]) : 100;
	int bits = argc > 2 ? atoi(argv[2]) : 2048;
	struct vk_sieve *sv = NULL;
	BN_CTX *ctx = BN_CTX_secure_new();
	BN_GENCB *cb = BN_GENCB_new();
	BIGNUM *p = BN_secure_new();
	double t0;

	if (primes < 1 || bits < 64 || bits > VHKEY_RSA_MAX_BITS) {
		fprintf(stderr, "usage: prime_rounds [PRIMES [BITS]]\n");
		return 2;
	}
	t0 = cpu_now();
	if (ctx == NULL || cb == NULL || p == NULL ||
	    vk_sieve_new(&sv) != VHKEY_OK) {
		fprintf(stderr, "prime_rounds: out of memory\n");
		return 1;
	}
	printf("%d primes of %d bits, one thread; mean +- standard error\n",
	    primes, bits);
	printf("sieve table (odd primes below %u): %.2f ms CPU, once per key\n",
	    VK_SIEVE_BOUND, (cpu_now() - t0) * 1e3);
	for (int method = 0; method < 2; method++) {
		struct tally cand = { 0 }, rounds = { 0 }, ms = { 0 },
			    starts = { 0 };

		printf("%s\n", method == 0 ?
			"BN_generate_prime_ex2 (before):" :
			"vk_sieve_find_prime (now):");
		for (int i = 0; i < primes; i++) {
			struct counts c = { 0 };
			int ok;

			BN_GENCB_set(cb, count, &c);
			t0 = cpu_now();
			ok = method == 0 ?
			    BN_generate_prime_ex2(p, bits, 0, NULL, NULL, cb,
				ctx) :
			    vk_sieve_find_prime(sv, bits, VK_RSA_E,
				VK_SIEVE_SPAN, p, cb, ctx) == VHKEY_OK;
			if (!ok) {
				fprintf(stderr, "prime_rounds: failed\n");
				return 1;
			}
			stat_add(&ms, (cpu_now() - t0) * 1e3);
			/* BN_generate_prime_ex2 calls (0, n) per candidate
			 * and does its trial division without a call */
			if (method == 0) {
				c.candidates = c.starts;
				c.starts = 0;
			}
			stat_add(&starts, (double)c.starts);
			stat_add(&cand, (double)c.candidates);
			/* every candidate but the prime failed one round */
			stat_add(&rounds,
			    (double)(c.candidates - 1 + c.passed));
		}
		if (method == 1)
			stat_print("random starts per prime", &starts);
		stat_print("candidates tested per prime", &cand);
		stat_print("Miller-Rabin rounds per prime", &rounds);
		stat_print("CPU ms per prime", &ms);
	}
	vk_sieve_free(sv);
	BN_clear_free(p);
	BN_GENCB_free(cb);
	BN_CTX_free(ctx);
	return 0;
}
