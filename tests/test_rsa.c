/* test_rsa.c - RSA generation and the full key check. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/core_names.h>

#include "check.h"
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

/* vk_rsa_generate() with two threads, as on a small machine */
static int
generate(unsigned bits, EVP_PKEY **pkey)
{
	const struct vk_rsa_gen how = { .bits = bits, .threads = 2 };

	return vk_rsa_generate(&how, pkey);
}

static void
test_generated_keys_pass_openssl_check(void **state)
{
	static const unsigned sizes[] = { 2048, 2050, 3072, 4096 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		EVP_PKEY *pkey = NULL;
		BIGNUM *n = NULL, *e = NULL;

		assert_int_equal(generate(sizes[i], &pkey), VHKEY_OK);
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

static BIGNUM *
param(EVP_PKEY *pkey, const char *name)
{
	BIGNUM *v = NULL;

	assert_int_equal(EVP_PKEY_get_bn_param(pkey, name, &v), 1);
	return v;
}

/* Every condition vhkey_generate() promises, each checked on its own,
 * from outside the library's checks. */
static void
test_generated_keys_meet_every_condition(void **state)
{
	static const unsigned sizes[] = { 2048, 2048, 2050, 3072, 4096 };
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *t = BN_new(), *p1 = BN_new(), *q1 = BN_new(), *l = BN_new();

	(void)state;
	assert_true(ctx != NULL && t != NULL && p1 != NULL && q1 != NULL &&
	    l != NULL);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int bits = (int)sizes[i];
		EVP_PKEY *pkey = NULL;
		BIGNUM *n, *e, *d, *p, *q, *dmp1, *dmq1, *iqmp;

		assert_int_equal(generate(sizes[i], &pkey), VHKEY_OK);
		n = param(pkey, OSSL_PKEY_PARAM_RSA_N);
		e = param(pkey, OSSL_PKEY_PARAM_RSA_E);
		d = param(pkey, OSSL_PKEY_PARAM_RSA_D);
		p = param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1);
		q = param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2);
		dmp1 = param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1);
		dmq1 = param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2);
		iqmp = param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
		/* sizes, e, n = pq, both prime */
		assert_int_equal(BN_num_bits(n), bits);
		assert_int_equal(BN_num_bits(p), bits / 2);
		assert_int_equal(BN_num_bits(q), bits / 2);
		assert_true(BN_is_word(e, 65537));
		assert_true(BN_mul(t, p, q, ctx));
		assert_int_equal(BN_cmp(t, n), 0);
		assert_int_equal(BN_check_prime(p, ctx, NULL), 1);
		assert_int_equal(BN_check_prime(q, ctx, NULL), 1);
		/* gcd(e, p-1) = gcd(e, q-1) = 1 */
		assert_true(BN_sub(p1, p, BN_value_one()));
		assert_true(BN_sub(q1, q, BN_value_one()));
		assert_true(BN_gcd(t, e, p1, ctx) && BN_is_one(t));
		assert_true(BN_gcd(t, e, q1, ctx) && BN_is_one(t));
		/* |p - q| > 2^(bits/2 - 100), d > 2^(bits/2) */
		assert_true(BN_sub(t, p, q));
		BN_set_negative(t, 0);
		assert_true(BN_num_bits(t) > bits / 2 - 100);
		assert_true(BN_num_bits(d) > bits / 2);
		/* e d = 1 mod lcm(p-1, q-1), and d < lcm */
		assert_true(BN_gcd(t, p1, q1, ctx));
		assert_true(BN_mul(l, p1, q1, ctx));
		assert_true(BN_div(l, NULL, l, t, ctx));
		assert_true(BN_mod_mul(t, e, d, l, ctx) && BN_is_one(t));
		assert_true(BN_cmp(d, l) < 0);
		/* the CRT values */
		assert_true(BN_mod(t, d, p1, ctx));
		assert_int_equal(BN_cmp(t, dmp1), 0);
		assert_true(BN_mod(t, d, q1, ctx));
		assert_int_equal(BN_cmp(t, dmq1), 0);
		assert_true(BN_mod_mul(t, iqmp, q, p, ctx) && BN_is_one(t));
		BN_free(n);
		BN_free(e);
		BN_clear_free(d);
		BN_clear_free(p);
		BN_clear_free(q);
		BN_clear_free(dmp1);
		BN_clear_free(dmq1);
		BN_clear_free(iqmp);
		EVP_PKEY_free(pkey);
	}
	BN_free(t);
	BN_free(p1);
	BN_free(q1);
	BN_free(l);
	BN_CTX_free(ctx);
}

/* The numbers of the rsa2048 fixture. */
static void
fixture_secrets(struct vk_rsa_secrets *s)
{
	vhkey *key = tu_load_private("rsa2048");

	s->n = param(key->rsa.pkey, OSSL_PKEY_PARAM_RSA_N);
	s->e = param(key->rsa.pkey, OSSL_PKEY_PARAM_RSA_E);
	s->d = param(key->rsa.pkey, OSSL_PKEY_PARAM_RSA_D);
	s->p = param(key->rsa.pkey, OSSL_PKEY_PARAM_RSA_FACTOR1);
	s->q = param(key->rsa.pkey, OSSL_PKEY_PARAM_RSA_FACTOR2);
	s->iqmp = param(key->rsa.pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
	vhkey_free(key);
}

/* The numbers of the rsa2048 fixture, one of them spoilt. */
static EVP_PKEY *
spoilt(int which)
{
	struct vk_rsa_secrets s = { 0 };
	EVP_PKEY *pkey = NULL;
	BIGNUM **field[] = { &s.d, &s.iqmp, &s.p, &s.n };

	fixture_secrets(&s);
	if (which >= 0)
		assert_true(BN_add_word(*field[which], 2));
	assert_int_equal(vk_rsa_pkey_from_secrets(&s, &pkey), VHKEY_OK);
	vk_rsa_secrets_clear(&s);
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

/* lcm(r, x) into r */
static void
lcm_into(BIGNUM *r, const BIGNUM *x, BN_CTX *ctx)
{
	BIGNUM *g = BN_new();

	assert_non_null(g);
	assert_true(BN_gcd(g, r, x, ctx));
	assert_true(BN_mul(r, r, x, ctx));
	assert_true(BN_div(r, NULL, r, g, ctx));
	BN_free(g);
}

/* The private fields as OpenSSH stores them (n e d iqmp p q), read back
 * through the loader's own function. */
static int
load_secrets(const struct vk_rsa_secrets *s)
{
	struct vk_rsa rsa = { 0 };
	vk_writer w;
	vk_reader r;
	int rc;

	vk_writer_init(&w, 0);
	assert_int_equal(vk_put_bignum(&w, s->n), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, s->e), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, s->d), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, s->iqmp), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, s->p), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, s->q), VHKEY_OK);
	vk_reader_init(&r, w.data, w.len);
	rc = vk_rsa_get_private(&r, &rsa);
	vk_rsa_clear(&rsa);
	vk_writer_clear(&w);
	return rc;
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
	/* p = ab, and d made so that every relation the check tests holds
	 * (e d = 1 mod p-1 and mod q-1) and signatures work (e d = 1 mod
	 * a-1, b-1 and q-1): only a primality test can tell */
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
	assert_true(BN_sub(lambda, s.p, BN_value_one()));
	assert_true(BN_sub_word(a, 1) && BN_sub_word(b, 1));
	lcm_into(lambda, a, ctx);
	lcm_into(lambda, b, ctx);
	assert_true(BN_sub(t, s.q, BN_value_one()));
	lcm_into(lambda, t, ctx);
	if (BN_mod_inverse(s.d, s.e, lambda, ctx) == NULL) {
		/* e not invertible for these primes: nothing to test */
		skip();
	}
	assert_non_null(BN_mod_inverse(s.iqmp, s.q, s.p, ctx));
	assert_int_equal(vk_rsa_pkey_from_secrets(&s, &pkey), VHKEY_OK);
	/* a generated key's check leaves primality to the generator, which
	 * has just run the same test (rsa.c says why) */
	assert_int_equal(vk_rsa_check_generated(pkey, (unsigned)BN_num_bits(
							 s.n)),
	    VHKEY_OK);
	/* a key read from a file is tested for it */
	assert_int_equal(load_secrets(&s), VHKEY_ERR_KEY_CHECK);
	/* and OpenSSL's own check agrees */
	assert_int_equal(openssl_check(pkey), 0);
	EVP_PKEY_free(pkey);
	vk_rsa_secrets_clear(&s);
	BN_free(a);
	BN_free(b);
	BN_free(lambda);
	BN_free(t);
	BN_CTX_free(ctx);
}

/* A key assembled, as assemble() does, from a prime q and a random odd
 * composite p (another number than the one tested, handed over by
 * mistake): the relations hold, but d is no working exponent, so the
 * generation check refuses it through its signature round trip. */
static void
test_generated_check_refuses_untested_factor(void **state)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *p1 = BN_new(), *q1 = BN_new(), *g = BN_new(), *l = BN_new();
	int tried = 0;

	(void)state;
	assert_true(ctx != NULL && p1 != NULL && q1 != NULL && g != NULL &&
	    l != NULL);
	for (int i = 0; i < 20 && tried < 4; i++) {
		struct vk_rsa_secrets s = { 0 };
		EVP_PKEY *pkey = NULL;

		assert_true((s.p = BN_new()) != NULL &&
		    (s.q = BN_new()) != NULL && (s.n = BN_new()) != NULL &&
		    (s.e = BN_new()) != NULL && (s.d = BN_new()) != NULL &&
		    (s.iqmp = BN_new()) != NULL && BN_set_word(s.e, 65537));
		do
			assert_true(BN_rand(s.p, 1024, BN_RAND_TOP_TWO,
			    BN_RAND_BOTTOM_ODD));
		while (BN_check_prime(s.p, ctx, NULL) != 0);
		assert_true(BN_generate_prime_ex2(s.q, 1024, 0, NULL, NULL,
		    NULL, ctx));
		assert_true(BN_mul(s.n, s.p, s.q, ctx));
		assert_true(BN_sub(p1, s.p, BN_value_one()) &&
		    BN_sub(q1, s.q, BN_value_one()) && BN_gcd(g, p1, q1, ctx) &&
		    BN_mul(l, p1, q1, ctx) && BN_div(l, NULL, l, g, ctx));
		if (BN_mod_inverse(s.d, s.e, l, ctx) != NULL &&
		    BN_mod_inverse(s.iqmp, s.q, s.p, ctx) != NULL &&
		    BN_num_bits(s.n) == 2048) {
			assert_int_equal(vk_rsa_pkey_from_secrets(&s, &pkey),
			    VHKEY_OK);
			assert_int_equal(vk_rsa_check_generated(pkey, 2048),
			    VHKEY_ERR_KEY_CHECK);
			EVP_PKEY_free(pkey);
			tried++;
		}
		vk_rsa_secrets_clear(&s);
	}
	assert_int_equal(tried, 4);
	BN_free(p1);
	BN_free(q1);
	BN_free(g);
	BN_free(l);
	BN_CTX_free(ctx);
}

/* The fixture's numbers, all sound, pass the loader's full check. */
static void
test_loader_accepts_sound_numbers(void **state)
{
	struct vk_rsa_secrets s = { 0 };

	(void)state;
	fixture_secrets(&s);
	assert_int_equal(load_secrets(&s), VHKEY_OK);
	vk_rsa_secrets_clear(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_keys_pass_openssl_check),
		cmocka_unit_test(test_generated_keys_meet_every_condition),
		cmocka_unit_test(test_full_check_catches_spoilt_numbers),
		cmocka_unit_test(test_key_with_composite_factor),
		cmocka_unit_test(test_generated_check_refuses_untested_factor),
		cmocka_unit_test(test_loader_accepts_sound_numbers),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
