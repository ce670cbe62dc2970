/*
 * test_primesieve.c - the sieve keeps exactly the candidates with no odd
 * prime factor below its bound that are not 1 mod e, and the search finds
 * primes of the right shape, also when an interval holds none.  The
 * reference is OpenSSL's arithmetic (BN_mod_word, BN_gcd) and a sieve of
 * Eratosthenes of the test's own.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>

#include "check.h"

#define WORDS (VK_SIEVE_SPAN / 64)

struct fixture {
	struct vk_sieve *sv;
	uint32_t *primes; /* the odd primes below VK_SIEVE_BOUND */
	size_t nprimes;
	BIGNUM *chunk[64]; /* their products, a few thousand primes each */
	size_t nchunks;
	BN_CTX *ctx;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t *composite = calloc(VK_SIEVE_BOUND, 1);
	size_t per_chunk;

	if (f == NULL || composite == NULL)
		return -1;
	f->primes = calloc(VK_SIEVE_BOUND / 2, sizeof(uint32_t));
	f->ctx = BN_CTX_new();
	if (f->primes == NULL || f->ctx == NULL ||
	    vk_sieve_new(&f->sv) != VHKEY_OK)
		return -1;
	for (uint32_t i = 3; i < VK_SIEVE_BOUND; i += 2) {
		if (composite[i])
			continue;
		f->primes[f->nprimes++] = i;
		for (uint64_t j = (uint64_t)i * i; j < VK_SIEVE_BOUND; j += i)
			composite[j] = 1;
	}
	free(composite);
	per_chunk = f->nprimes / 63 + 1;
	for (size_t i = 0; i < f->nprimes; i++) {
		if (i % per_chunk == 0) {
			f->chunk[f->nchunks] = BN_new();
			if (f->chunk[f->nchunks] == NULL ||
			    !BN_one(f->chunk[f->nchunks]))
				return -1;
			f->nchunks++;
		}
		if (!BN_mul_word(f->chunk[f->nchunks - 1], f->primes[i]))
			return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	vk_sieve_free(f->sv);
	for (size_t i = 0; i < f->nchunks; i++)
		BN_free(f->chunk[i]);
	free(f->primes);
	BN_CTX_free(f->ctx);
	free(f);
	return 0;
}

/* Clear, in ref, the offsets k < span where start + 2k = want (mod p):
 * from the first number at or above start that is want mod p, stepping
 * to the odd ones. */
static void
ref_strike(uint64_t *ref, size_t span, const BIGNUM *start, uint32_t p,
    uint32_t want)
{
	BN_ULONG a = BN_mod_word(start, p);
	uint64_t d;

	assert_true(a != (BN_ULONG)-1);
	d = ((uint64_t)want + p - a) % p; /* start + d = want (mod p) */
	if (d % 2 != 0)
		d += p; /* start is odd: start + d must be odd too */
	for (uint64_t k = d / 2; k < span; k += p)
		ref[k / 64] &= ~((uint64_t)1 << (k % 64));
}

/* The sieve's bitmap, worked out from BN_mod_word of the start by every
 * odd prime below the bound, and by e. */
static void
reference(const struct fixture *f, const BIGNUM *start, uint32_t e,
    size_t span, uint64_t *ref)
{
	memset(ref, 0xff, span / 8);
	for (size_t i = 0; i < f->nprimes; i++)
		ref_strike(ref, span, start, f->primes[i], 0);
	ref_strike(ref, span, start, e, 1);
}

/* Whether n has an odd prime factor below the bound: gcd(n, product of
 * those primes) > 1, with the product reduced modulo n chunk by chunk. */
static int
has_small_factor(const struct fixture *f, const BIGNUM *n)
{
	BIGNUM *t = BN_new(), *acc = BN_new(), *g = BN_new();
	int r;

	assert_true(t != NULL && acc != NULL && g != NULL && BN_one(acc));
	for (size_t i = 0; i < f->nchunks; i++) {
		assert_true(BN_mod(t, f->chunk[i], n, f->ctx));
		assert_true(BN_mod_mul(acc, acc, t, n, f->ctx));
	}
	assert_true(BN_gcd(g, acc, n, f->ctx));
	/* acc = 0 too means a factor (then g = n) */
	r = !BN_is_one(g);
	BN_free(t);
	BN_free(acc);
	BN_free(g);
	return r;
}

/* Offset k of start, checked on the number itself. */
static void
check_offset(const struct fixture *f, const BIGNUM *start, uint32_t e,
    size_t k, int kept)
{
	BIGNUM *c = BN_dup(start);
	int one_mod_e;

	assert_non_null(c);
	assert_true(BN_add_word(c, (BN_ULONG)(2 * k)));
	one_mod_e = BN_mod_word(c, e) == 1;
	if (kept) {
		assert_false(one_mod_e);
		assert_false(has_small_factor(f, c));
	} else {
		assert_true(one_mod_e || has_small_factor(f, c));
	}
	BN_free(c);
}

static void
check_start(const struct fixture *f, const BIGNUM *start, uint32_t e)
{
	uint64_t keep[WORDS], ref[WORDS];
	size_t nkept = 0;

	assert_int_equal(vk_sieve_interval(f->sv, start, e, VK_SIEVE_SPAN,
			     keep),
	    VHKEY_OK);
	reference(f, start, e, VK_SIEVE_SPAN, ref);
	for (size_t j = 0; j < WORDS; j++) {
		if (keep[j] != ref[j])
			fail_msg("offsets %zu..%zu: kept %016llx, want %016llx",
			    64 * j, 64 * j + 63, (unsigned long long)keep[j],
			    (unsigned long long)ref[j]);
		nkept += (size_t)__builtin_popcountll(keep[j]);
	}
	/* about 1.12 / ln 2^20 of the odd numbers survive (half that for
	 * e = 3: only those that are 2 mod 3) */
	if (BN_num_bits(start) > 512) {
		assert_true(nkept > VK_SIEVE_SPAN / 32);
		assert_true(nkept < VK_SIEVE_SPAN / 8);
	}
	/* the first offsets and the last, on the numbers themselves (fewer
	 * for large numbers: a gcd of 16384 bits takes 30 ms) */
	for (size_t k = 0, first = BN_num_bits(start) <= 2048 ? 96 : 16;
	     k < VK_SIEVE_SPAN; k++) {
		if (k == first)
			k = VK_SIEVE_SPAN - first / 4;
		check_offset(f, start, e, k, (int)(keep[k / 64] >> (k % 64) & 1));
	}
}

static void
test_interval_is_the_reference(void **state)
{
	static const struct {
		int bits;
		uint32_t e;
	} cases[] = {
		{ 1024, 65537 },
		{ 2048, 65537 },
		{ 1025, 65537 },
		{ 4096, 3 },		  /* e itself a sieve prime */
		{ 1536, 4294967291u },	  /* e above the bound */
		{ 8192, 65537 },
		{ VHKEY_RSA_MAX_BITS, 65537 },
	};
	struct fixture *f = *state;
	BIGNUM *start = BN_new();

	assert_non_null(start);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int starts = cases[i].bits <= 2048 ? 4 : 1;

		for (int j = 0; j < starts; j++) {
			assert_true(BN_rand(start, cases[i].bits,
			    BN_RAND_TOP_TWO, BN_RAND_BOTTOM_ODD));
			check_start(f, start, cases[i].e);
		}
	}
	/* small starts: the candidates include sieve primes themselves,
	 * which count as having a factor below the bound */
	for (BN_ULONG s = 1; s < 8; s += 2) {
		assert_true(BN_set_word(start, s));
		check_start(f, start, 65537);
	}
	/* a start that is a multiple of many sieve primes */
	assert_true(BN_one(start));
	for (size_t i = 0; i < 60; i++)
		assert_true(BN_mul_word(start, f->primes[i]));
	check_start(f, start, 65537);
	BN_free(start);
}

static void
test_refuses_bad_arguments(void **state)
{
	struct fixture *f = *state;
	uint64_t keep[WORDS + 1];
	BIGNUM *start = BN_new(), *p = BN_new();
	int found = 1;

	assert_true(start != NULL && p != NULL);
	assert_true(BN_set_word(start, 1001));
	assert_int_equal(vk_sieve_interval(f->sv, start, 65537, 0, keep),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vk_sieve_interval(f->sv, start, 65537, 63, keep),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vk_sieve_interval(f->sv, start, 65537,
			     VK_SIEVE_SPAN + 64, keep),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vk_sieve_interval(f->sv, start, 1, 64, keep),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vk_sieve_interval(f->sv, start, 65536, 64, keep),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vk_sieve_scan(f->sv, start, 2, 64, p, NULL, f->ctx,
			     &found),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(found, 0);
	/* even, zero, negative, too large */
	assert_true(BN_set_word(start, 1000));
	assert_int_equal(vk_sieve_interval(f->sv, start, 65537, 64, keep),
	    VHKEY_ERR_ARGUMENT);
	BN_zero(start);
	assert_int_equal(vk_sieve_interval(f->sv, start, 65537, 64, keep),
	    VHKEY_ERR_ARGUMENT);
	assert_true(BN_set_word(start, 1001));
	BN_set_negative(start, 1);
	assert_int_equal(vk_sieve_interval(f->sv, start, 65537, 64, keep),
	    VHKEY_ERR_ARGUMENT);
	assert_true(BN_set_word(start, 1) &&
	    BN_lshift(start, start, VHKEY_RSA_MAX_BITS) &&
	    BN_add_word(start, 1));
	assert_int_equal(vk_sieve_interval(f->sv, start, 65537, 64, keep),
	    VHKEY_ERR_ARGUMENT);
	/* prime sizes */
	assert_int_equal(vk_sieve_find_prime(f->sv, 63, 65537, 64, p, NULL,
			     f->ctx),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vk_sieve_find_prime(f->sv, VHKEY_RSA_MAX_BITS + 1,
			     65537, 64, p, NULL, f->ctx),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vk_sieve_find_prime(f->sv, 1024, 65537, 100, p, NULL,
			     f->ctx),
	    VHKEY_ERR_ARGUMENT);
	BN_free(start);
	BN_free(p);
}

static void
assert_prime_of_shape(const BIGNUM *p, int bits, uint32_t e, BN_CTX *ctx)
{
	assert_int_equal(BN_num_bits(p), bits);
	assert_true(BN_is_bit_set(p, bits - 1) && BN_is_bit_set(p, bits - 2));
	assert_int_equal(BN_check_prime(p, ctx, NULL), 1);
	assert_true(BN_mod_word(p, e) != 1);
}

static void
test_found_primes_have_the_shape(void **state)
{
	static const int sizes[] = { 64, 65, 127, 512, 1024, 1025 };
	struct fixture *f = *state;
	BIGNUM *p = BN_new();

	assert_non_null(p);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int j = 0; j < 4; j++) {
			uint32_t e = j % 2 ? 3 : 65537;

			assert_int_equal(vk_sieve_find_prime(f->sv, sizes[i],
					     e, VK_SIEVE_SPAN, p, NULL, f->ctx),
			    VHKEY_OK);
			assert_prime_of_shape(p, sizes[i], e, f->ctx);
		}
	BN_free(p);
}

struct calls {
	int starts;
	int left; /* calls to allow before saying stop; < 0: never stop */
};

static int
counting(int a, int b, BN_GENCB *cb)
{
	struct calls *c = BN_GENCB_get_arg(cb);

	(void)b;
	if (a == 0)
		c->starts++;
	if (c->left < 0)
		return 1;
	return c->left-- > 0;
}

static void
test_interval_without_prime_moves_on(void **state)
{
	struct fixture *f = *state;
	BIGNUM *start = BN_new(), *p = BN_new(), *c = BN_new();
	BN_GENCB *cb = BN_GENCB_new();
	int found = 1, tries, moved = 0;

	assert_true(start != NULL && p != NULL && c != NULL && cb != NULL);
	/* 64 odd numbers of 1024 bits hold no prime 5 times in 6 */
	for (tries = 0; tries < 200 && found; tries++) {
		assert_true(BN_rand(start, 1024, BN_RAND_TOP_TWO,
		    BN_RAND_BOTTOM_ODD));
		assert_int_equal(vk_sieve_scan(f->sv, start, 65537, 64, p,
				     NULL, f->ctx, &found),
		    VHKEY_OK);
	}
	assert_int_equal(found, 0);
	/* none of the 64 is prime indeed */
	for (int k = 0; k < 64; k++) {
		assert_true(BN_copy(c, start) != NULL &&
		    BN_add_word(c, (BN_ULONG)(2 * k)));
		assert_int_equal(BN_check_prime(c, f->ctx, NULL), 0);
	}
	/* the search goes on from new starts until one holds a prime */
	for (tries = 0; tries < 40 && !moved; tries++) {
		struct calls calls = { 0, -1 };

		BN_GENCB_set(cb, counting, &calls);
		assert_int_equal(vk_sieve_find_prime(f->sv, 1024, 65537, 64, p,
				     cb, f->ctx),
		    VHKEY_OK);
		assert_prime_of_shape(p, 1024, 65537, f->ctx);
		moved = calls.starts > 1;
	}
	assert_true(moved);
	BN_free(start);
	BN_free(p);
	BN_free(c);
	BN_GENCB_free(cb);
}

static void
test_callback_stops_the_search(void **state)
{
	struct fixture *f = *state;
	BIGNUM *p = BN_new();
	BN_GENCB *cb = BN_GENCB_new();

	assert_true(p != NULL && cb != NULL);
	/* at once, then inside the primality test after a few calls */
	for (int left = 0; left < 40; left += 7) {
		struct calls calls = { 0, left };

		BN_GENCB_set(cb, counting, &calls);
		assert_int_equal(vk_sieve_find_prime(f->sv, 2048, 65537,
				     VK_SIEVE_SPAN, p, cb, f->ctx),
		    VHKEY_ERR_CRYPTO);
		assert_int_equal(calls.left, -1);
	}
	BN_free(p);
	BN_GENCB_free(cb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_is_the_reference),
		cmocka_unit_test(test_refuses_bad_arguments),
		cmocka_unit_test(test_found_primes_have_the_shape),
		cmocka_unit_test(test_interval_without_prime_moves_on),
		cmocka_unit_test(test_callback_stops_the_search),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
