/* test_secrets.c - no buffer the library frees still holds private key
 * bytes: free() is wrapped and every freed block is searched. */
#include "config.h"

#include <malloc.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/core_names.h>

#include "check.h"
#include "testutil.h"

/* Pieces of the fixture's private key, as bytes and as base64. */
static unsigned char needles[8][32];
static size_t needle_len[8];
static size_t nneedles;
static volatile int armed, found;

void __real_free(void *p);
void __wrap_free(void *p);

void
__wrap_free(void *p)
{
	if (p != NULL && armed) {
		size_t n = malloc_usable_size(p);
		for (size_t i = 0; i < nneedles; i++)
			if (memmem(p, n, needles[i], needle_len[i]) != NULL) {
				fprintf(stderr, "needle %zu in a freed block of "
				    "%zu bytes, freed from %p\n", i, n,
				    __builtin_return_address(0));
				found++;
			}
	}
	__real_free(p);
}

static void
add_needle(const void *p, size_t len)
{
	assert_true(len <= sizeof(needles[0]) && nneedles < 8);
	memcpy(needles[nneedles], p, len);
	needle_len[nneedles++] = len;
}

/* A passphrase: no freed block may hold it either. */
#define PASS "a passphrase nobody frees"

/* 16 bytes from the middle of d and of p, 24 base64 characters from the
 * private part of the file, and the passphrase */
static int
setup(void **state)
{
	vhkey *key = tu_load_private("rsa2048");
	unsigned char bin[512];
	BIGNUM *d = NULL, *p = NULL;
	size_t len;
	char *text = tu_read_file(tu_data("rsa2048"), &len);
	char *end = strstr(text, "-----END");

	(void)state;
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_D, &d),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key->rsa.pkey,
			     OSSL_PKEY_PARAM_RSA_FACTOR1, &p),
	    1);
	len = (size_t)BN_bn2bin(d, bin);
	add_needle(bin + len / 2, 16);
	len = (size_t)BN_bn2bin(p, bin);
	add_needle(bin + len / 2, 16);
	add_needle(end - 400, 24);
	add_needle(PASS, strlen(PASS));
	BN_clear_free(d);
	BN_clear_free(p);
	free(text);
	vhkey_free(key);
	/* 16 bytes from the middle of an Ed25519 seed and of an ECDSA d */
	key = tu_load_private("ed25519");
	add_needle(key->ed25519_sk + 8, 16);
	vhkey_free(key);
	key = tu_load_private("ecdsa521-private");
	d = NULL;
	assert_int_equal(EVP_PKEY_get_bn_param(key->ec_pkey,
			     OSSL_PKEY_PARAM_PRIV_KEY, &d),
	    1);
	len = (size_t)BN_bn2bin(d, bin);
	add_needle(bin + len / 2, 16);
	BN_clear_free(d);
	vhkey_free(key);
	return 0;
}

static void
run_armed(void (*f)(void))
{
	found = 0;
	armed = 1;
	f();
	armed = 0;
	assert_int_equal(found, 0);
}

static void
load_encode(const char *name)
{
	vhkey *key = NULL;
	char *text = NULL;
	size_t len;

	assert_int_equal(vhkey_load_private_file(tu_data(name), &key, NULL),
	    VHKEY_OK);
	assert_int_equal(vhkey_private_to_openssh(key, &text, &len), VHKEY_OK);
	vhkey_secret_free(text);
	vhkey_free(key);
}

/* each type's private part, read, written and freed */
static void
load_encode_free(void)
{
	load_encode("rsa2048");
	load_encode("ed25519");
	load_encode("ecdsa521-private");
}

static void
write_pair_free(void)
{
	vhkey *key = NULL;
	char *dir = tu_mkdtemp(), path[4096];

	snprintf(path, sizeof(path), "%s/k", dir);
	assert_int_equal(vhkey_load_private_file(tu_data("rsa2048"), &key,
			     NULL),
	    VHKEY_OK);
	assert_int_equal(vhkey_write_pair(key, path, 0, NULL), VHKEY_OK);
	/* refused: the error path frees what it built */
	assert_int_equal(vhkey_write_pair(key, path, 0, NULL),
	    VHKEY_ERR_EXISTS);
	vhkey_free(key);
	armed = 0;
	tu_rmtree(dir);
	armed = 1;
}

/* A key encrypted, read back with its passphrase and with a wrong one,
 * written encrypted, with a passphrase set on the way: the passphrase
 * copies, derived keys and decrypted sections are in guarded memory. */
static void
encrypted_free(void)
{
	vhkey *key = NULL, *back = NULL;
	char *text = NULL, *dir, path[4096];
	size_t len;

	assert_int_equal(vhkey_load_private_file(tu_data("rsa2048"), &key,
			     NULL),
	    VHKEY_OK);
	assert_int_equal(vhkey_set_passphrase(key, PASS, strlen(PASS), 1),
	    VHKEY_OK);
	assert_int_equal(vhkey_private_to_openssh(key, &text, &len), VHKEY_OK);
	assert_int_equal(vhkey_parse_private_passphrase(text, len, PASS,
			     strlen(PASS), &back),
	    VHKEY_OK);
	vhkey_free(back);
	assert_int_equal(vhkey_parse_private_passphrase(text, len, PASS,
			     strlen(PASS) - 1, &back),
	    VHKEY_ERR_BAD_PASSPHRASE);
	vhkey_secret_free(text);
	armed = 0;
	dir = tu_mkdtemp();
	armed = 1;
	snprintf(path, sizeof(path), "%s/k", dir);
	assert_int_equal(vhkey_write_pair(key, path, 0, NULL), VHKEY_OK);
	vhkey_free(key);
	armed = 0;
	tu_rmtree(dir);
	armed = 1;
}

/* Parse errors after the private numbers were read: padding, comment. */
static void
parse_errors(void)
{
	size_t len;
	char *text;
	vhkey *key = NULL;

	armed = 0;
	text = tu_read_file(tu_data("rsa2048"), &len);
	armed = 1;
	/* every truncation of the text: most fail in base64, some later */
	for (size_t n = len / 2; n < len; n += 7) {
		if (vhkey_parse_private(text, n, &key) == VHKEY_OK)
			vhkey_free(key);
	}
	/* a corrupt character in the private part: checks fail late */
	text[len - 120] = text[len - 120] == 'A' ? 'B' : 'A';
	assert_int_not_equal(vhkey_parse_private(text, len, &key), VHKEY_OK);
	armed = 0;
	free(text);
	armed = 1;
}

static void
test_load_encode(void **state)
{
	(void)state;
	run_armed(load_encode_free);
}

static void
test_write_pair(void **state)
{
	(void)state;
	run_armed(write_pair_free);
}

static void
test_encrypted(void **state)
{
	(void)state;
	run_armed(encrypted_free);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	run_armed(parse_errors);
}

/* The search itself works: a block holding a needle is found. */
static void
test_detector_works(void **state)
{
	/* through a volatile pointer: the compiler may not drop the block */
	void *(*volatile alloc)(size_t) = malloc;
	char *p = alloc(100);

	(void)state;
	memcpy(p + 10, needles[0], needle_len[0]);
	found = 0;
	armed = 1;
	free(p);
	armed = 0;
	assert_int_equal(found, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detector_works),
		cmocka_unit_test(test_load_encode),
		cmocka_unit_test(test_write_pair),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_parse_errors),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, setup, NULL);
}
