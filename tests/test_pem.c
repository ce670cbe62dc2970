/* test_pem.c - PEM public keys (as ssh-keygen -e -m PKCS8 / -m PEM write
 * them) to SSH blobs, and what is not one. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "check.h"
#include "testutil.h"

/* The base64 of a fixture after its first from (a character) up to until
 * (a string) or, with until NULL, to the next blank or newline; decoded. */
static uint8_t *
decoded_part(const char *name, char from, const char *until, size_t *len)
{
	char *text = tu_read_file(tu_data(name), NULL), *b, *e;
	uint8_t *bin;

	assert_non_null(text);
	b = strchr(text, from) + 1;
	e = until != NULL ? strstr(b, until) : b + strcspn(b, " \n");
	assert_non_null(e);
	bin = tu_unb64(b, (size_t)(e - b), len);
	free(text);
	return bin;
}

/* The DER inside a PEM fixture, and the blob of a .pub one. */
static uint8_t *
pem_der(const char *name, size_t *len)
{
	return decoded_part(name, '\n', "-----END", len);
}

static uint8_t *
pub_blob(const char *name, size_t *len)
{
	return decoded_part(name, ' ', NULL, len);
}

static void
same_blob(const char *pem, int pkcs1, const char *pub)
{
	size_t dlen, blen;
	uint8_t *der = pem_der(pem, &dlen), *want = pub_blob(pub, &blen);
	char alg[64];
	vk_writer w;

	vk_writer_init(&w, 0);
	assert_int_equal(vk_pem_public_blob(der, dlen, pkcs1, &w, alg,
			     sizeof(alg)),
	    VHKEY_OK);
	assert_int_equal(w.len, blen);
	assert_memory_equal(w.data, want, blen);
	vk_writer_clear(&w);
	free(der);
	free(want);
}

static void
test_fixtures(void **state)
{
	(void)state;
	same_blob("paste/rsa4096.pkcs8", 0, "paste/rsa4096.pub");
	same_blob("paste/rsa4096.pem", 1, "paste/rsa4096.pub");
	same_blob("paste/ecdsa256.pkcs8", 0, "paste/ecdsa256.pub");
	same_blob("paste/ecdsa384.pkcs8", 0, "paste/ecdsa384.pub");
	same_blob("paste/ecdsa521.pkcs8", 0, "paste/ecdsa521.pub");
	same_blob("paste/ed25519.pkcs8", 0, "paste/ed25519.pub");
}

static int
blob_of(const uint8_t *der, size_t len, int pkcs1, char *alg, size_t alglen)
{
	vk_writer w;
	int rc;

	vk_writer_init(&w, 0);
	rc = vk_pem_public_blob(der, len, pkcs1, &w, alg, alglen);
	if (rc != VHKEY_OK)
		assert_int_equal(w.len, 0);
	vk_writer_clear(&w);
	return rc;
}

static void
test_not_a_public_key(void **state)
{
	size_t len;
	uint8_t *der = pem_der("paste/rsa4096.pkcs8", &len), *more;
	char alg[64];

	(void)state;
	/* a byte more, or fewer */
	more = malloc(len + 1);
	memcpy(more, der, len);
	more[len] = 0;
	assert_int_equal(blob_of(more, len + 1, 0, alg, sizeof(alg)),
	    VHKEY_ERR_TRAILING);
	for (size_t n = 0; n < len; n += 7)
		assert_int_equal(blob_of(der, n, 0, alg, sizeof(alg)),
		    VHKEY_ERR_FORMAT);
	assert_int_equal(blob_of((const uint8_t *)"hello", 5, 0, alg,
			     sizeof(alg)),
	    VHKEY_ERR_FORMAT);
	assert_int_equal(blob_of((const uint8_t *)"hello", 5, 1, alg,
			     sizeof(alg)),
	    VHKEY_ERR_FORMAT);
	free(more);
	free(der);
}

static uint8_t *
spki_of(EVP_PKEY *pkey, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(pkey, &der);

	assert_true(n > 0);
	*len = (size_t)n;
	return der;
}

static void
test_other_algorithms(void **state)
{
	EVP_PKEY *k;
	uint8_t *der;
	size_t len;
	char alg[64];

	(void)state;
	k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
	assert_non_null(k);
	der = spki_of(k, &len);
	assert_int_equal(blob_of(der, len, 0, alg, sizeof(alg)),
	    VHKEY_ERR_KEY_TYPE);
	assert_string_equal(alg, "EC on the curve secp256k1");
	OPENSSL_free(der);
	EVP_PKEY_free(k);

	k = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	assert_non_null(k);
	der = spki_of(k, &len);
	assert_int_equal(blob_of(der, len, 0, alg, sizeof(alg)),
	    VHKEY_ERR_KEY_TYPE);
	assert_string_equal(alg, "X25519");
	/* the name is cut to fit, never overflows */
	assert_int_equal(blob_of(der, len, 0, alg, 3), VHKEY_ERR_KEY_TYPE);
	assert_string_equal(alg, "X2");
	OPENSSL_free(der);
	EVP_PKEY_free(k);
}

/* A compressed point in the SPKI still gives SSH's uncompressed one. */
static void
test_compressed_point(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	unsigned char point[65];
	size_t plen, len;
	uint8_t *der;
	char alg[64];
	vk_writer w;

	(void)state;
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_octet_string_param(k,
			     OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point),
			     &plen),
	    1);
	assert_int_equal(plen, 65);
	assert_int_equal(EVP_PKEY_set_utf8_string_param(k,
			     OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
			     OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_COMPRESSED),
	    1);
	der = spki_of(k, &len);
	assert_true(len < 65); /* 33 bytes of point: compressed */
	vk_writer_init(&w, 0);
	assert_int_equal(vk_pem_public_blob(der, len, 0, &w, alg, sizeof(alg)),
	    VHKEY_OK);
	/* string type, string curve, string point */
	assert_int_equal(w.len, 4 + 19 + 4 + 8 + 4 + 65);
	assert_memory_equal(w.data + w.len - 65, point, 65);
	vk_writer_clear(&w);
	OPENSSL_free(der);
	EVP_PKEY_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_not_a_public_key),
		cmocka_unit_test(test_other_algorithms),
		cmocka_unit_test(test_compressed_point),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
