/*
 * primesieve.c - random probable primes for RSA keys: a sieve by every
 * odd prime below VK_SIEVE_BOUND, then OpenSSL's own primality test.
 *
 * BN_generate_prime_ex2() sieves its candidates by its first 384 primes
 * (for 2048 bits; up to 2657) and runs a Miller-Rabin round on each
 * survivor; a 2048-bit prime costs about a hundred such rounds on
 * composites, then 64 on the prime.  The share of odd numbers with no odd
 * prime factor up to B is about 1.12 / ln B (Mertens): 0.142 for
 * B = 2657, 0.081 for B = 2^20.  Sieving up to 2^20 leaves 43% fewer
 * composites to test, for the price of reducing each start by every
 * sieve prime (3.5 ms or so for 2048 bits, against 2 ms per round; about
 * one start per prime).
 *
 * A search: a random odd start of exactly bits bits with its top two bits
 * set, as BN_generate_prime_ex2() draws them (any two such primes make a
 * modulus of exactly 2 * bits bits); its remainders modulo every sieve
 * prime and e; the offsets k < span for which start + 2k has no such
 * factor and is not 1 modulo e (e prime, so gcd(e, p - 1) = 1); then
 * those candidates in order, each through BN_check_prime() at OpenSSL's
 * default strength (a composite fails its first round).  An interval with
 * no prime in it, rare at the span used, means a new random start.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "formats.h"
#include "wordmod.h"

/* The table's primes pair up below 2^16 (a product below 2^32), the rest
 * is sieved from them in whole 64-bit words of odd numbers (up to 2^32
 * would do); the sieve's memory and the time to reduce by every modulus
 * grow with the bound, so it stays far below that. */
_Static_assert(VK_SIEVE_BOUND >= 1u << 16 && VK_SIEVE_BOUND <= 1u << 24 &&
	VK_SIEVE_BOUND % 128 == 0,
    "the sieve primes are vk_small_primes and odd numbers up to 2^24, "
    "in whole words");
/* Whole words of offsets; 2 * offset fits a BN_ULONG of 32 bits, and an
 * interval is a negligible part of the numbers of any size searched. */
_Static_assert(VK_SIEVE_SPAN >= 64 && VK_SIEVE_SPAN % 64 == 0 &&
	VK_SIEVE_SPAN <= 1u << 20,
    "the span is whole 64-bit words, at most 2^20 offsets");

/* The smallest prime size searched: above the bound, and far from the
 * span. */
#define MIN_BITS 64

/* The table of small primes ends below this. */
#define TABLE_END (1u << 16)

struct vk_sieve {
	/* mod[0..npairs): vk_small_primes[2i] * vk_small_primes[2i + 1];
	 * mod[npairs..nmod): one odd prime each, the rest below the bound;
	 * then m = 1 up to a whole number of lanes */
	struct vk_wordmod *mod;
	size_t npairs;
	size_t nmod;
};

/* The odd numbers in [TABLE_END, VK_SIEVE_BOUND), TABLE_END + 1 + 2i for
 * i < ABOVE, as bits of whole words. */
#define ABOVE ((VK_SIEVE_BOUND - TABLE_END) / 2)

/* The odd primes in [TABLE_END, VK_SIEVE_BOUND): their count, and when
 * out is not NULL, the primes themselves. */
static size_t
primes_above_table(const uint64_t *prime, uint32_t *out)
{
	size_t n = 0;

	for (size_t j = 0; j < ABOVE / 64; j++) {
		if (out == NULL) {
			n += (size_t)__builtin_popcountll(prime[j]);
			continue;
		}
		for (uint64_t bits = prime[j]; bits != 0; bits &= bits - 1)
			out[n++] = TABLE_END + 1 +
			    2 * (uint32_t)(64 * j + (size_t)__builtin_ctzll(bits));
	}
	return n;
}

/* Eratosthenes on the odd numbers in [TABLE_END, VK_SIEVE_BOUND), with
 * the table's primes up to the square root of the bound: bit i set when
 * TABLE_END + 1 + 2i is prime. */
static uint64_t *
sieve_above_table(void)
{
	uint64_t *prime = malloc(ABOVE / 8);

	if (prime == NULL)
		return NULL;
	memset(prime, 0xff, ABOVE / 8);
	for (size_t j = 0; j < VK_SMALL_PRIMES; j++) {
		uint64_t p = vk_small_primes[j];
		/* the first odd multiple of p above the table */
		uint64_t x = (TABLE_END / p + 1) * p;

		if (p * p >= VK_SIEVE_BOUND)
			break;
		if (x % 2 == 0)
			x += p;
		for (uint64_t i = (x - TABLE_END - 1) / 2; i < ABOVE; i += p)
			prime[i / 64] &= ~((uint64_t)1 << (i % 64));
	}
	return prime;
}

int
vk_sieve_new(struct vk_sieve **out)
{
	struct vk_sieve *sv = NULL;
	uint64_t *prime = NULL;
	uint32_t *singles = NULL;
	size_t nabove, nsingles, alloc, k;
	int rc = VHKEY_ERR_NOMEM;

	*out = NULL;
	if ((prime = sieve_above_table()) == NULL ||
	    (sv = calloc(1, sizeof(*sv))) == NULL)
		goto out;
	nabove = primes_above_table(prime, NULL);
	sv->npairs = VK_SMALL_PRIMES / 2;
	nsingles = VK_SMALL_PRIMES % 2 + nabove;
	sv->nmod = sv->npairs + nsingles;
	alloc = (sv->nmod + VK_WORDMOD_LANES - 1) / VK_WORDMOD_LANES *
	    VK_WORDMOD_LANES;
	if ((sv->mod = calloc(alloc, sizeof(*sv->mod))) == NULL ||
	    (singles = calloc(nsingles, sizeof(*singles))) == NULL)
		goto out;
	if (VK_SMALL_PRIMES % 2 != 0)
		singles[0] = vk_small_primes[VK_SMALL_PRIMES - 1];
	primes_above_table(prime, singles + VK_SMALL_PRIMES % 2);
	for (k = 0; k < sv->npairs; k++)
		vk_wordmod_init(&sv->mod[k], (uint32_t)vk_small_primes[2 * k] *
			vk_small_primes[2 * k + 1]);
	for (k = 0; k < nsingles; k++)
		vk_wordmod_init(&sv->mod[sv->npairs + k], singles[k]);
	for (k = sv->nmod; k < alloc; k++)
		vk_wordmod_init(&sv->mod[k], 1);
	*out = sv;
	sv = NULL;
	rc = VHKEY_OK;
out:
	free(prime);
	free(singles);
	vk_sieve_free(sv);
	return rc;
}

void
vk_sieve_free(struct vk_sieve *sv)
{
	if (sv == NULL)
		return;
	free(sv->mod);
	free(sv);
}

static int
span_valid(size_t span)
{
	return span > 0 && span % 64 == 0 && span <= VK_SIEVE_SPAN;
}

/*
 * Clear the offsets k < span at which start + 2k is a multiple of the odd
 * prime p, given k0, the first of them (k0 = -start / 2 modulo p).
 */
static void
strike(uint64_t *keep, size_t span, uint64_t p, uint64_t k0)
{
	for (uint64_t k = k0; k < span; k += p)
		keep[k / 64] &= ~((uint64_t)1 << (k % 64));
}

/* -a / 2 modulo p, for a < p: (p - a) * (p + 1) / 2 < 2^63 for p < 2^32. */
static inline uint64_t
half_neg(uint64_t a, uint64_t p)
{
	return (p - a) * ((p + 1) / 2);
}

int
vk_sieve_interval(const struct vk_sieve *sv, const BIGNUM *start, uint32_t e,
    size_t span, uint64_t *keep)
{
	uint64_t w[VK_WORDMOD_MAX_WORDS], r[VK_WORDMOD_LANES], re = 0;
	struct vk_wordmod me;
	size_t nw;

	if (!span_valid(span) || e < 3 || e % 2 == 0 || !BN_is_odd(start) ||
	    (nw = vk_bn_to_words(start, w, VK_WORDMOD_MAX_WORDS)) == 0)
		return VHKEY_ERR_ARGUMENT;
	memset(keep, 0xff, span / 8);
	for (size_t i = 0; i < sv->nmod; i += VK_WORDMOD_LANES) {
		vk_wordmod_residues(w, nw, &sv->mod[i], r);
		for (size_t k = 0; k < VK_WORDMOD_LANES && i + k < sv->nmod;
		     k++) {
			const struct vk_wordmod *md = &sv->mod[i + k];

			if (i + k < sv->npairs) {
				uint64_t p = vk_small_primes[2 * (i + k)];
				uint64_t q = vk_small_primes[2 * (i + k) + 1];

				strike(keep, span, p,
				    half_neg(r[k] % p, p) % p);
				strike(keep, span, q,
				    half_neg(r[k] % q, q) % q);
			} else {
				strike(keep, span, md->m,
				    vk_wordmod_reduce(half_neg(r[k], md->m),
					md));
			}
		}
	}
	/* start + 2k = 1 (mod e): start - 1 + 2k is a multiple of e */
	vk_wordmod_init(&me, e);
	for (size_t j = 0; j < nw; j++)
		re = vk_wordmod_step(re, w[j], &me);
	strike(keep, span, e, half_neg((re + e - 1) % e, e) % e);
	sodium_memzero(w, nw * sizeof(w[0]));
	sodium_memzero(r, sizeof(r));
	return VHKEY_OK;
}

int
vk_sieve_scan(const struct vk_sieve *sv, const BIGNUM *start, uint32_t e,
    size_t span, BIGNUM *p, BN_GENCB *cb, BN_CTX *ctx, int *found)
{
	uint64_t keep[VK_SIEVE_SPAN / 64];
	BIGNUM *c;
	int rc;

	*found = 0;
	if ((rc = vk_sieve_interval(sv, start, e, span, keep)) != VHKEY_OK)
		return rc;
	BN_CTX_start(ctx);
	rc = VHKEY_ERR_NOMEM;
	if ((c = BN_CTX_get(ctx)) == NULL)
		goto out;
	rc = VHKEY_ERR_CRYPTO;
	for (size_t j = 0; j < span / 64; j++) {
		for (uint64_t bits = keep[j]; bits != 0; bits &= bits - 1) {
			size_t k = 64 * j + (size_t)__builtin_ctzll(bits);
			int prime;

			if (BN_copy(c, start) == NULL ||
			    !BN_add_word(c, (BN_ULONG)(2 * k)))
				goto out;
			if ((prime = BN_check_prime(c, ctx, cb)) < 0)
				goto out; /* an error, or cb said stop */
			if (prime == 1) {
				if (BN_copy(p, c) == NULL)
					goto out;
				*found = 1;
				rc = VHKEY_OK;
				goto out;
			}
		}
	}
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	sodium_memzero(keep, sizeof(keep));
	return rc;
}

/*
 * Scanning up from a random start finds the first prime after it, so a
 * prime that follows a long gap is found more often than one that follows
 * a short gap.  That is the same small bias as OpenSSL's own incremental
 * search (BN_generate_prime_ex2() adds 2 until its sieve passes), which we
 * used before: it costs a few bits of the prime's entropy at most (Brandt
 * and Damgard, CRYPTO '92), out of nearly bits of it.
 */
int
vk_sieve_find_prime(const struct vk_sieve *sv, int bits, uint32_t e,
    size_t span, BIGNUM *p, BN_GENCB *cb, BN_CTX *ctx)
{
	BIGNUM *start, *last;
	int found = 0, rc;

	if (bits < MIN_BITS || bits > VK_WORDMOD_MAX_WORDS * 64 ||
	    !span_valid(span))
		return VHKEY_ERR_ARGUMENT;
	BN_CTX_start(ctx);
	start = BN_CTX_get(ctx);
	last = BN_CTX_get(ctx);
	rc = VHKEY_ERR_NOMEM;
	if (last == NULL)
		goto out;
	for (int n = 0; !found; n++) {
		rc = VHKEY_ERR_CRYPTO;
		/* cb may stop the search between intervals too */
		if (!BN_GENCB_call(cb, 0, n) ||
		    !BN_priv_rand_ex(start, bits, BN_RAND_TOP_TWO,
			BN_RAND_BOTTOM_ODD, 0, ctx) ||
		    BN_copy(last, start) == NULL ||
		    !BN_add_word(last, (BN_ULONG)(2 * (span - 1))))
			goto out;
		/* every candidate keeps exactly bits bits, the top two set */
		if (BN_num_bits(last) != bits)
			continue;
		if ((rc = vk_sieve_scan(sv, start, e, span, p, cb, ctx,
			 &found)) != VHKEY_OK)
			goto out;
	}
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	return rc;
}
