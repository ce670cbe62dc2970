/* test_rsa.c - RSA generation and the full key check. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/core_names.h>

#include "vhkey_internal.h"
#include "testutil.h"

/* OpenSSL's own check, independent of ours. */
static int
openssl_check(EVP_PKEY *pkey)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	int ok;

	assert_non_null(ctx);
	ok = EVP_PKEY_check(ctx);
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

static void
test_generated_keys_pass_openssl_check(void **state)
{
	static const unsigned sizes[] = { 2048, 2050, 3072, 4096 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		EVP_PKEY *pkey = NULL;
		BIGNUM *n = NULL, *e = NULL;

		assert_int_equal(vk_rsa_generate(sizes[i], &pkey), VHKEY_OK);
		assert_int_equal(openssl_check(pkey), 1);
		assert_int_equal(vk_rsa_check_generated(pkey, sizes[i]),
		    VHKEY_OK);
		assert_int_equal(EVP_PKEY_get_bn_param(pkey,
				     OSSL_PKEY_PARAM_RSA_N, &n),
		    1);
		assert_int_equal(EVP_PKEY_get_bn_param(pkey,
				     OSSL_PKEY_PARAM_RSA_E, &e),
		    1);
		assert_int_equal(BN_num_bits(n), (int)sizes[i]);
		assert_true(BN_is_word(e, 65537));
		BN_free(n);
		BN_free(e);
		EVP_PKEY_free(pkey);
	}
}

/* The numbers of the rsa2048 fixture, one of them spoilt. */
static EVP_PKEY *
spoilt(int which)
{
	vhkey *key = tu_load_private("rsa2048");
	struct vk_rsa_secrets s = { 0 };
	EVP_PKEY *pkey = NULL;
	BIGNUM **field[] = { &s.d, &s.iqmp, &s.p, &s.n };

	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_N, &s.n),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_E, &s.e),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_D, &s.d),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_FACTOR1, &s.p),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_FACTOR2, &s.q),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_COEFFICIENT1, &s.iqmp),
	    1);
	if (which >= 0)
		assert_true(BN_add_word(*field[which], 2));
	assert_int_equal(vk_rsa_pkey_from_secrets(&s, &pkey), VHKEY_OK);
	vk_rsa_secrets_clear(&s);
	vhkey_free(key);
	return pkey;
}

static void
test_full_check_catches_spoilt_numbers(void **state)
{
	EVP_PKEY *pkey;

	(void)state;
	pkey = spoilt(-1);
	assert_int_equal(vk_rsa_check_generated(pkey, 2048), VHKEY_OK);
	EVP_PKEY_free(pkey);
	for (int which = 0; which < 4; which++) {
		pkey = spoilt(which);
		assert_int_equal(vk_rsa_check_generated(pkey, 2048),
		    VHKEY_ERR_KEY_CHECK);
		EVP_PKEY_free(pkey);
	}
}

static void
test_key_with_composite_factor(void **state)
{
	struct vk_rsa_secrets s = { 0 };
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *a = BN_new(), *b = BN_new(), *lambda = BN_new(),
	       *t = BN_new();
	EVP_PKEY *pkey = NULL;

	(void)state;
	/* p a product of two primes: every relation between the numbers
	 * holds, only the primality test can tell */
	assert_true(BN_generate_prime_ex2(a, 512, 0, NULL, NULL, NULL, ctx));
	assert_true(BN_generate_prime_ex2(b, 512, 0, NULL, NULL, NULL, ctx));
	s.p = BN_new();
	s.q = BN_new();
	s.n = BN_new();
	s.e = BN_new();
	s.d = BN_new();
	s.iqmp = BN_new();
	assert_true(BN_mul(s.p, a, b, ctx));
	assert_true(BN_generate_prime_ex2(s.q, 1024, 0, NULL, NULL, NULL, ctx));
	assert_true(BN_mul(s.n, s.p, s.q, ctx));
	assert_true(BN_set_word(s.e, 65537));
	/* d for the composite: e^-1 mod lcm(a-1, b-1, q-1) */
	assert_true(BN_sub_word(a, 1) && BN_sub_word(b, 1));
	assert_true(BN_mul(lambda, a, b, ctx));
	assert_true(BN_sub(t, s.q, BN_value_one()));
	assert_true(BN_mul(lambda, lambda, t, ctx));
	if (BN_mod_inverse(s.d, s.e, lambda, ctx) == NULL) {
		/* e not invertible for these primes: nothing to test */
		skip();
	}
	assert_non_null(BN_mod_inverse(s.iqmp, s.q, s.p, ctx));
	assert_int_equal(vk_rsa_pkey_from_secrets(&s, &pkey), VHKEY_OK);
	assert_int_equal(vk_rsa_check_generated(pkey, 2048),
	    VHKEY_ERR_KEY_CHECK);
	EVP_PKEY_free(pkey);
	vk_rsa_secrets_clear(&s);
	BN_free(a);
	BN_free(b);
	BN_free(lambda);
	BN_free(t);
	BN_CTX_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_keys_pass_openssl_check),
		cmocka_unit_test(test_full_check_catches_spoilt_numbers),
		cmocka_unit_test(test_key_with_composite_factor),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
