/* test_wordmod.c - remainders by word-sized moduli agree with OpenSSL's. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>

#include "check.h"
#include "wordmod.h"

/* Moduli at the edges: 1 (padding), the smallest primes, the largest
 * below 2^32, and ones whose 2^64 mod m is large (carries in the step). */
static const uint32_t edge_moduli[] = { 1, 3, 5, 65521, 65537, 1048573,
	4294967291u, 4294967295u, 4294967294u, 2147483648u, 2147483647u,
	3u * 1431655765u, 65521u * 65519u, 6700417u };
#define NEDGE (sizeof(edge_moduli) / sizeof(edge_moduli[0]))

static void
check_number(const BIGNUM *n)
{
	uint64_t w[VK_WORDMOD_MAX_WORDS];
	size_t nw = vk_bn_to_words(n, w, VK_WORDMOD_MAX_WORDS);

	assert_true(nw > 0);
	for (size_t i = 0; i < NEDGE; i += VK_WORDMOD_LANES) {
		struct vk_wordmod md[VK_WORDMOD_LANES];
		uint64_t r[VK_WORDMOD_LANES];

		for (size_t k = 0; k < VK_WORDMOD_LANES; k++)
			vk_wordmod_init(&md[k],
			    i + k < NEDGE ? edge_moduli[i + k] : 1);
		vk_wordmod_residues(w, nw, md, r);
		for (size_t k = 0; k < VK_WORDMOD_LANES; k++) {
			BN_ULONG want = BN_mod_word(n, md[k].m);

			assert_true(want != (BN_ULONG)-1);
			assert_true(r[k] == want);
		}
	}
}

static void
test_residues_match_bn_mod_word(void **state)
{
	BIGNUM *n = BN_new();

	(void)state;
	assert_non_null(n);
	for (int i = 0; i < 300; i++) {
		int bits = 1 + i * 37 % (VK_WORDMOD_MAX_WORDS * 64);

		assert_true(BN_rand(n, bits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY));
		if (BN_is_zero(n))
			continue;
		check_number(n);
	}
	/* every word all ones: the largest sums in each step */
	for (int words = 1; words <= VK_WORDMOD_MAX_WORDS; words *= 2) {
		assert_true(BN_set_word(n, 0) && BN_set_bit(n, 64 * words));
		assert_true(BN_sub_word(n, 1));
		check_number(n);
	}
	BN_free(n);
}

static void
test_reduce_edges(void **state)
{
	static const uint64_t xs[] = { 0, 1, 2, UINT64_MAX, UINT64_MAX - 1,
		(uint64_t)1 << 63, ((uint64_t)1 << 32) - 1, (uint64_t)1 << 32 };

	(void)state;
	for (size_t i = 0; i < NEDGE; i++) {
		struct vk_wordmod md;

		vk_wordmod_init(&md, edge_moduli[i]);
		/* 2^64 mod m, from (2^64 - 1) mod m */
		assert_true(md.c == (UINT64_MAX % edge_moduli[i] + 1) %
			edge_moduli[i]);
		for (size_t j = 0; j < sizeof(xs) / sizeof(xs[0]); j++)
			assert_true(vk_wordmod_reduce(xs[j], &md) ==
			    xs[j] % edge_moduli[i]);
	}
}

static void
test_to_words_refuses(void **state)
{
	uint64_t w[4];
	BIGNUM *n = BN_new();

	(void)state;
	assert_non_null(n);
	BN_zero(n);
	assert_int_equal(vk_bn_to_words(n, w, 4), 0);
	/* 4 words fit, 5 do not */
	assert_true(BN_set_bit(n, 255));
	assert_int_equal(vk_bn_to_words(n, w, 4), 4);
	assert_true(w[0] == (uint64_t)1 << 63 && w[3] == 0);
	assert_true(BN_set_bit(n, 256));
	assert_int_equal(vk_bn_to_words(n, w, 4), 0);
	/* past the largest RSA modulus */
	assert_true(BN_set_bit(n, VK_WORDMOD_MAX_WORDS * 64));
	{
		uint64_t big[VK_WORDMOD_MAX_WORDS + 1];

		assert_int_equal(vk_bn_to_words(n, big,
				     VK_WORDMOD_MAX_WORDS + 1),
		    0);
	}
	BN_set_word(n, 5);
	BN_set_negative(n, 1);
	assert_int_equal(vk_bn_to_words(n, w, 4), 0);
	BN_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_residues_match_bn_mod_word),
		cmocka_unit_test(test_reduce_edges),
		cmocka_unit_test(test_to_words_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
