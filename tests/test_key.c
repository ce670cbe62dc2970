/* test_key.c - key generation and the key object. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/core_names.h>

#include "check.h"
#include "testutil.h"

static void
assert_generated_key_sound(vhkey *key, unsigned bits)
{
	BIGNUM *p = NULL, *q = NULL, *n = NULL;
	BN_CTX *ctx = BN_CTX_new();

	assert_non_null(ctx);
	assert_int_equal(vhkey_get_type(key), VHKEY_TYPE_RSA);
	assert_int_equal(vhkey_get_bits(key), bits);
	assert_true(vhkey_has_private(key));
	assert_true(BN_is_word(key->rsa.e, 65537));
	assert_int_equal(BN_num_bits(key->rsa.n), (int)bits);
	/* the same checks the generator ran, run again from outside (all
	 * but primality, tested below) */
	assert_int_equal(vk_rsa_check_generated(key->rsa.pkey, bits),
	    VHKEY_OK);
	/* n really is p * q */
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_FACTOR1, &p),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_FACTOR2, &q),
	    1);
	n = BN_new();
	assert_true(BN_mul(n, p, q, ctx));
	assert_int_equal(BN_cmp(n, key->rsa.n), 0);
	/* both prime: the generator's test, which the check above leaves
	 * out, run again */
	assert_int_equal(BN_check_prime(p, ctx, NULL), 1);
	assert_int_equal(BN_check_prime(q, ctx, NULL), 1);
	/* each of exactly bits / 2 bits, the top two set */
	assert_int_equal(BN_num_bits(p), (int)bits / 2);
	assert_int_equal(BN_num_bits(q), (int)bits / 2);
	assert_true(BN_is_bit_set(p, (int)bits / 2 - 2) &&
	    BN_is_bit_set(q, (int)bits / 2 - 2));
	BN_clear_free(p);
	BN_clear_free(q);
	BN_free(n);
	BN_CTX_free(ctx);
}

static void
test_generate_2048(void **state)
{
	vhkey *key = NULL;

	(void)state;
	assert_int_equal(vhkey_generate(VHKEY_TYPE_RSA, 2048, "me@host", &key),
	    VHKEY_OK);
	assert_generated_key_sound(key, 2048);
	assert_string_equal(vhkey_get_comment(key), "me@host");
	vhkey_free(key);
}

static void
test_generate_default_is_4096(void **state)
{
	vhkey *key = NULL;

	(void)state;
	assert_int_equal(vhkey_generate(VHKEY_TYPE_RSA, 0, NULL, &key),
	    VHKEY_OK);
	assert_generated_key_sound(key, 4096);
	assert_string_equal(vhkey_get_comment(key), "");
	vhkey_free(key);
}

static void
test_generate_odd_size(void **state)
{
	vhkey *key = NULL;

	(void)state;
	/* not a multiple of 8 or 1024: still exactly that many bits */
	assert_int_equal(vhkey_generate(VHKEY_TYPE_RSA, 2050, "x", &key),
	    VHKEY_OK);
	assert_generated_key_sound(key, 2050);
	vhkey_free(key);
}

static void
test_generate_refuses_bad_arguments(void **state)
{
	static const unsigned bad_bits[] = { 1, 512, 1024, 2047, 2049, 16385,
		1u << 20, 0xffffffffu };
	vhkey *key = (vhkey *)&key; /* must be set to NULL */

	(void)state;
	for (size_t i = 0; i < sizeof(bad_bits) / sizeof(bad_bits[0]); i++) {
		key = (vhkey *)&key;
		assert_int_equal(vhkey_generate(VHKEY_TYPE_RSA, bad_bits[i],
				     NULL, &key),
		    VHKEY_ERR_BITS);
		assert_null(key);
	}
	assert_int_equal(vhkey_generate(VHKEY_TYPE_UNKNOWN, 2048, NULL, &key),
	    VHKEY_ERR_KEY_TYPE);
	assert_int_equal(vhkey_generate((vhkey_type)99, 2048, NULL, &key),
	    VHKEY_ERR_KEY_TYPE);
	assert_int_equal(vhkey_generate(VHKEY_TYPE_RSA, 2048, "a\nb", &key),
	    VHKEY_ERR_ARGUMENT);
	assert_null(key);
	assert_int_equal(vhkey_generate(VHKEY_TYPE_RSA, 2048, NULL, NULL),
	    VHKEY_ERR_ARGUMENT);
}

static void
test_check_generated_rejects(void **state)
{
	vhkey *key = tu_load_private("rsa2048");

	(void)state;
	/* a sound key, but not of the size asked for */
	assert_int_equal(vk_rsa_check_generated(key->rsa.pkey, 2048),
	    VHKEY_OK);
	assert_int_equal(vk_rsa_check_generated(key->rsa.pkey, 3072),
	    VHKEY_ERR_KEY_CHECK);
	vhkey_free(key);
}

static void
test_comment(void **state)
{
	char longc[VHKEY_COMMENT_MAX + 2];
	vhkey *key = tu_load_private("rsa2048");

	(void)state;
	assert_string_equal(vhkey_get_comment(key), "fixture rsa2048");
	assert_int_equal(vhkey_set_comment(key, "new one"), VHKEY_OK);
	assert_string_equal(vhkey_get_comment(key), "new one");
	assert_int_equal(vhkey_set_comment(key, NULL), VHKEY_OK);
	assert_string_equal(vhkey_get_comment(key), "");
	assert_int_equal(vhkey_set_comment(key, "a\rb"), VHKEY_ERR_ARGUMENT);
	memset(longc, 'c', sizeof(longc) - 1);
	longc[sizeof(longc) - 1] = '\0';
	assert_int_equal(vhkey_set_comment(key, longc), VHKEY_ERR_ARGUMENT);
	longc[VHKEY_COMMENT_MAX] = '\0';
	assert_int_equal(vhkey_set_comment(key, longc), VHKEY_OK);
	assert_string_equal(vhkey_get_comment(key), longc);
	vhkey_free(key);
}

static void
test_type_names(void **state)
{
	(void)state;
	assert_string_equal(vhkey_type_name(VHKEY_TYPE_RSA), "ssh-rsa");
	assert_string_equal(vhkey_type_label(VHKEY_TYPE_RSA), "RSA");
	/* a value that names no type has no name (as every naming call) */
	assert_null(vhkey_type_name(VHKEY_TYPE_UNKNOWN));
	assert_null(vhkey_type_label((vhkey_type)42));
	assert_null(vhkey_type_name((vhkey_type)-1));
}

static void
test_type_table(void **state)
{
	static const struct {
		vhkey_type type;
		const char *name, *label;
	} types[] = {
		{ VHKEY_TYPE_RSA, "ssh-rsa", "RSA" },
		{ VHKEY_TYPE_ED25519, "ssh-ed25519", "ED25519" },
		{ VHKEY_TYPE_ECDSA_P256, "ecdsa-sha2-nistp256", "ECDSA" },
		{ VHKEY_TYPE_ECDSA_P384, "ecdsa-sha2-nistp384", "ECDSA" },
		{ VHKEY_TYPE_ECDSA_P521, "ecdsa-sha2-nistp521", "ECDSA" },
		{ VHKEY_TYPE_SK_ECDSA_P256,
		    "sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK" },
		{ VHKEY_TYPE_SK_ED25519, "sk-ssh-ed25519@openssh.com",
		    "ED25519-SK" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_string_equal(vhkey_type_name(types[i].type),
		    types[i].name);
		assert_string_equal(vhkey_type_label(types[i].type),
		    types[i].label);
		assert_int_equal(vk_type_from_name(types[i].name,
				     strlen(types[i].name)),
		    types[i].type);
		/* a prefix is no name */
		assert_int_equal(vk_type_from_name(types[i].name,
				     strlen(types[i].name) - 1),
		    VHKEY_TYPE_UNKNOWN);
	}
	assert_int_equal(vk_type_from_name("SSH-RSA", 7), VHKEY_TYPE_UNKNOWN);
	assert_int_equal(vk_type_from_name("ssh-rsa\0", 8),
	    VHKEY_TYPE_UNKNOWN);
	assert_int_equal(vk_type_from_name("", 0), VHKEY_TYPE_UNKNOWN);
}

/* Types that are no vhkey_type: refused by name, whatever follows. */
static void
test_other_types_refused(void **state)
{
	static const char *names[] = { "ssh-dss", "ssh-rsa-cert-v01@openssh.com",
		"ssh-ed25519-cert-v01@openssh.com",
		"ecdsa-sha2-nistp256-cert-v01@openssh.com",
		"sk-ssh-ed25519-cert-v01@openssh.com", "ssh-ed448",
		"rsa-sha2-256", "x509v3-ssh-rsa", "ssh-rsa1", "" };
	uint8_t body[64] = { 0 };
	vhkey *key = (vhkey *)&key;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		vk_writer w;

		vk_writer_init(&w, 0);
		assert_int_equal(vk_put_cstring(&w, names[i]), VHKEY_OK);
		assert_int_equal(vk_put_string(&w, body, 32), VHKEY_OK);
		assert_int_equal(vk_key_from_blob(w.data, w.len, &key),
		    VHKEY_ERR_KEY_TYPE);
		assert_null(key);
		vk_writer_clear(&w);
	}
}

static void
test_public_equal_and_blob(void **state)
{
	vhkey *a = tu_load_private("rsa2048"), *b = tu_load_private("rsa3072");
	vhkey *a2 = NULL;
	size_t len;
	const uint8_t *blob;

	(void)state;
	assert_int_equal(vhkey_load_public_file(tu_data("rsa2048.pub"), &a2,
			     NULL),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(a, a2));
	assert_false(vhkey_public_equal(a, b));
	assert_false(vhkey_has_private(a2));
	blob = vhkey_public_blob(a, &len);
	assert_int_equal(len, 4 + 7 + 4 + 3 + 4 + 257); /* 2048-bit n */
	assert_memory_equal(blob, "\0\0\0\7ssh-rsa\0\0\0\3\1\0\1", 18);
	vhkey_free(a);
	vhkey_free(a2);
	vhkey_free(b);
	vhkey_free(NULL);
}

#define NTHREADS 4

static void *
generate_thread(void *arg)
{
	vhkey **out = arg;

	if (vhkey_generate(VHKEY_TYPE_RSA, 2048, "thread", out) != VHKEY_OK)
		*out = NULL;
	return NULL;
}

static void
test_generate_from_threads(void **state)
{
	pthread_t t[NTHREADS];
	vhkey *keys[NTHREADS] = { 0 };

	(void)state;
	for (int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, generate_thread,
				     &keys[i]),
		    0);
	for (int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < NTHREADS; i++) {
		assert_non_null(keys[i]);
		assert_generated_key_sound(keys[i], 2048);
		for (int j = 0; j < i; j++)
			assert_false(vhkey_public_equal(keys[i], keys[j]));
	}
	for (int i = 0; i < NTHREADS; i++)
		vhkey_free(keys[i]);
}

/* The options object: each setter checks its value and keeps the old one
 * when it refuses. */
static void
test_gen_options(void **state)
{
	vhkey_gen_options *o = NULL;
	vhkey *key = NULL;

	(void)state;
	assert_int_equal(vhkey_gen_options_new(NULL), VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_gen_options_new(&o), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_type(o, VHKEY_TYPE_SK_ED25519),
	    VHKEY_ERR_KEY_TYPE);
	assert_int_equal(vhkey_gen_options_set_type(o, VHKEY_TYPE_RSA),
	    VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_bits(o, 1024), VHKEY_ERR_BITS);
	assert_int_equal(vhkey_gen_options_set_bits(o, 2049), VHKEY_ERR_BITS);
	assert_int_equal(vhkey_gen_options_set_bits(o, 2050), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_threads(o,
			     VHKEY_GEN_THREADS_MAX + 1),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_gen_options_set_threads(o, 1), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_comment(o, "a\nb"),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_gen_options_set_comment(o, "first"), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_comment(o, "ops@host"),
	    VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_type(NULL, VHKEY_TYPE_RSA),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_generate_with(o, NULL), VHKEY_ERR_ARGUMENT);
	/* one thread: the calling thread alone, and the size kept from
	 * before the refused ones */
	assert_int_equal(vhkey_generate_with(o, &key), VHKEY_OK);
	assert_int_equal(vhkey_get_bits(key), 2050);
	assert_string_equal(vhkey_get_comment(key), "ops@host");
	assert_true(vhkey_has_private(key));
	vhkey_free(key);
	vhkey_gen_options_free(o);
	vhkey_gen_options_free(NULL);
}

static int
cancel_at_once(void *arg)
{
	int *calls = arg;

	__atomic_add_fetch(calls, 1, __ATOMIC_RELAXED);
	return 1;
}

/* A cancel that says stop stops the search, on every thread. */
static void
test_generate_cancelled(void **state)
{
	vhkey_gen_options *o = NULL;
	vhkey *key = NULL;
	int calls = 0;

	(void)state;
	assert_int_equal(vhkey_gen_options_new(&o), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_threads(o, 4), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_cancel(o, cancel_at_once,
			     &calls),
	    VHKEY_OK);
	assert_int_equal(vhkey_generate_with(o, &key), VHKEY_ERR_STOPPED);
	assert_null(key);
	assert_true(calls >= 1);
	vhkey_gen_options_free(o);
}

/* A public copy holds no private part and is the same key. */
static void
test_public_copy(void **state)
{
	vhkey *key = NULL, *pub = NULL;

	(void)state;
	assert_int_equal(vhkey_generate(VHKEY_TYPE_RSA, 2048, "c", &key),
	    VHKEY_OK);
	assert_int_equal(vhkey_public_copy(key, NULL), VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_public_copy(NULL, &pub), VHKEY_ERR_ARGUMENT);
	assert_null(pub);
	assert_int_equal(vhkey_public_copy(key, &pub), VHKEY_OK);
	assert_false(vhkey_has_private(pub));
	assert_true(vhkey_public_equal(key, pub));
	assert_string_equal(vhkey_get_comment(pub), "c");
	assert_int_equal(vhkey_get_bits(pub), 2048);
	vhkey_free(key);
	vhkey_free(pub);
}

/* The rule vhkey_generate applies, on its own and without the work. */
static void
test_generate_check(void **state)
{
	(void)state;
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_RSA, 0), VHKEY_OK);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_RSA,
			     VHKEY_RSA_MIN_BITS),
	    VHKEY_OK);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_RSA,
			     VHKEY_RSA_MAX_BITS),
	    VHKEY_OK);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_RSA,
			     VHKEY_RSA_MIN_BITS - 2),
	    VHKEY_ERR_BITS);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_RSA,
			     VHKEY_RSA_MAX_BITS + 2),
	    VHKEY_ERR_BITS);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_RSA, 3071),
	    VHKEY_ERR_BITS);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_UNKNOWN, 2048),
	    VHKEY_ERR_KEY_TYPE);
	/* Ed25519 and ECDSA: their one size, or 0 for it */
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_ED25519, 0),
	    VHKEY_OK);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_ED25519, 256),
	    VHKEY_OK);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_ED25519, 4096),
	    VHKEY_ERR_BITS);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_ECDSA_P256, 0),
	    VHKEY_OK);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_ECDSA_P384, 384),
	    VHKEY_OK);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_ECDSA_P521, 521),
	    VHKEY_OK);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_ECDSA_P256, 384),
	    VHKEY_ERR_BITS);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_ECDSA_P521, 512),
	    VHKEY_ERR_BITS);
	/* security keys are a device's to make */
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_SK_ECDSA_P256, 0),
	    VHKEY_ERR_KEY_TYPE);
	assert_int_equal(vhkey_generate_check(VHKEY_TYPE_SK_ED25519, 0),
	    VHKEY_ERR_KEY_TYPE);
}

/* A size belongs to a type: setting another type starts from its default
 * size, and a size is judged by the type set. */
static void
test_gen_options_type_and_bits(void **state)
{
	vhkey_gen_options *o = NULL;
	vhkey *key = NULL;

	(void)state;
	assert_int_equal(vhkey_gen_options_new(&o), VHKEY_OK);
	/* RSA's 4096 is no ECDSA size: the new type's default replaces it */
	assert_int_equal(vhkey_gen_options_set_type(o, VHKEY_TYPE_ECDSA_P384),
	    VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_bits(o, 4096), VHKEY_ERR_BITS);
	assert_int_equal(vhkey_gen_options_set_bits(o, 256), VHKEY_ERR_BITS);
	assert_int_equal(vhkey_gen_options_set_bits(o, 384), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_comment(o, "ec"), VHKEY_OK);
	assert_int_equal(vhkey_generate_with(o, &key), VHKEY_OK);
	assert_int_equal(vhkey_get_type(key), VHKEY_TYPE_ECDSA_P384);
	assert_int_equal(vhkey_get_bits(key), 384);
	assert_string_equal(vhkey_get_comment(key), "ec");
	assert_true(vhkey_has_private(key));
	vhkey_free(key);
	/* setting the same type keeps the size; RSA starts again at 4096 */
	assert_int_equal(vhkey_gen_options_set_type(o, VHKEY_TYPE_ECDSA_P384),
	    VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_type(o, VHKEY_TYPE_ED25519),
	    VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_bits(o, 2048), VHKEY_ERR_BITS);
	assert_int_equal(vhkey_generate_with(o, &key), VHKEY_OK);
	assert_int_equal(vhkey_get_type(key), VHKEY_TYPE_ED25519);
	assert_int_equal(vhkey_get_bits(key), 256);
	vhkey_free(key);
	assert_int_equal(vhkey_gen_options_set_type(o, VHKEY_TYPE_RSA),
	    VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_bits(o, 256), VHKEY_ERR_BITS);
	assert_int_equal(vhkey_gen_options_set_bits(o, 0), VHKEY_OK);
	vhkey_gen_options_free(o);
}

/* Each type generated is written as ssh-keygen writes it and read back
 * whole: the same public key and comment, the private part kept, and
 * written again to the same text. */
static void
test_generate_each_type(void **state)
{
	static const vhkey_type types[] = { VHKEY_TYPE_ED25519,
		VHKEY_TYPE_ECDSA_P256, VHKEY_TYPE_ECDSA_P384,
		VHKEY_TYPE_ECDSA_P521 };
	static const unsigned bits[] = { 256, 256, 384, 521 };

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		vhkey *key = NULL, *back = NULL, *again = NULL;
		char *text, *text2;
		size_t len, len2;
		struct vk_openssh_seal seal;

		assert_int_equal(vhkey_generate(types[i], 0, "made here", &key),
		    VHKEY_OK);
		assert_int_equal(vhkey_get_type(key), types[i]);
		assert_int_equal(vhkey_get_bits(key), bits[i]);
		assert_true(vhkey_has_private(key));
		assert_int_equal(vhkey_private_to_openssh(key, &text, &len),
		    VHKEY_OK);
		assert_int_equal(vk_openssh_decode(text, len, NULL, 0, &back,
				     &seal),
		    VHKEY_OK);
		assert_true(vhkey_public_equal(key, back));
		assert_true(vhkey_has_private(back));
		assert_string_equal(vhkey_get_comment(back), "made here");
		assert_int_equal(vk_openssh_encode(back, &seal, &text2, &len2),
		    VHKEY_OK);
		assert_int_equal(len2, len);
		assert_string_equal(text2, text);
		vhkey_secret_free(text2);
		/* the public copy has no private part */
		assert_int_equal(vhkey_public_copy(back, &again), VHKEY_OK);
		assert_false(vhkey_has_private(again));
		assert_int_equal(vhkey_private_to_openssh(again, &text2, &len2),
		    VHKEY_ERR_NOT_PRIVATE);
		vhkey_free(again);
		vhkey_secret_free(text);
		vhkey_free(back);
		vhkey_free(key);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate_check),
		cmocka_unit_test(test_gen_options_type_and_bits),
		cmocka_unit_test(test_generate_each_type),
		cmocka_unit_test(test_generate_2048),
		cmocka_unit_test(test_generate_default_is_4096),
		cmocka_unit_test(test_generate_odd_size),
		cmocka_unit_test(test_generate_refuses_bad_arguments),
		cmocka_unit_test(test_check_generated_rejects),
		cmocka_unit_test(test_comment),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_type_table),
		cmocka_unit_test(test_other_types_refused),
		cmocka_unit_test(test_public_equal_and_blob),
		cmocka_unit_test(test_generate_from_threads),
		cmocka_unit_test(test_gen_options),
		cmocka_unit_test(test_generate_cancelled),
		cmocka_unit_test(test_public_copy),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
