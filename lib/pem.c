/*
 * pem.c - PEM public keys, as ssh-keygen -e -m PKCS8 / -m PEM write them,
 * made into SSH public blobs.  OpenSSL's decoder reads the DER (bounded by
 * the caller: the paste is); this file only re-encodes the numbers.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "formats.h"

static int
rsa_blob(EVP_PKEY *pkey, vk_writer *blob)
{
	BIGNUM *n = NULL, *e = NULL;
	int rc;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
		rc = VHKEY_ERR_FORMAT;
		goto out;
	}
	if ((rc = vk_put_cstring(blob, "ssh-rsa")) != VHKEY_OK ||
	    (rc = vk_put_bignum(blob, e)) != VHKEY_OK ||
	    (rc = vk_put_bignum(blob, n)) != VHKEY_OK)
		goto out;
out:
	BN_free(n);
	BN_free(e);
	/* a negative number is no key */
	return rc == VHKEY_ERR_ARGUMENT ? VHKEY_ERR_FORMAT : rc;
}

static const struct {
	const char *group; /* OpenSSL's name */
	const char *curve; /* SSH's */
	const char *type;
	size_t point_len; /* uncompressed */
} curves[] = {
	{ "prime256v1", "nistp256", "ecdsa-sha2-nistp256", 65 },
	{ "secp384r1", "nistp384", "ecdsa-sha2-nistp384", 97 },
	{ "secp521r1", "nistp521", "ecdsa-sha2-nistp521", 133 },
};

static int
ec_blob(EVP_PKEY *pkey, vk_writer *blob, char *alg, size_t alglen)
{
	char group[64];
	unsigned char point[133];
	size_t glen = 0, plen = 0, i;
	int rc;

	if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
		group, sizeof(group), &glen) != 1)
		return VHKEY_ERR_FORMAT;
	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (strcmp(group, curves[i].group) == 0)
			break;
	if (i == sizeof(curves) / sizeof(curves[0])) {
		if (alglen > 0)
			snprintf(alg, alglen, "EC on the curve %s", group);
		return VHKEY_ERR_KEY_TYPE;
	}
	/* SSH carries the point uncompressed, whatever the DER held */
	if (EVP_PKEY_set_utf8_string_param(pkey,
		OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
		OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED) != 1 ||
	    EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY,
		point, sizeof(point), &plen) != 1 ||
	    plen != curves[i].point_len || point[0] != 0x04)
		return VHKEY_ERR_FORMAT;
	if ((rc = vk_put_cstring(blob, curves[i].type)) != VHKEY_OK ||
	    (rc = vk_put_cstring(blob, curves[i].curve)) != VHKEY_OK ||
	    (rc = vk_put_string(blob, point, plen)) != VHKEY_OK)
		return rc;
	return VHKEY_OK;
}

static int
ed25519_blob(EVP_PKEY *pkey, vk_writer *blob)
{
	unsigned char pub[32];
	size_t len = sizeof(pub);
	int rc;

	if (EVP_PKEY_get_raw_public_key(pkey, pub, &len) != 1 ||
	    len != sizeof(pub))
		return VHKEY_ERR_FORMAT;
	if ((rc = vk_put_cstring(blob, "ssh-ed25519")) != VHKEY_OK ||
	    (rc = vk_put_string(blob, pub, len)) != VHKEY_OK)
		return rc;
	return VHKEY_OK;
}

int
vk_pkey_public_blob(EVP_PKEY *pkey, vk_writer *blob, char *alg,
    size_t alglen)
{
	const char *name;

	if (EVP_PKEY_is_a(pkey, "RSA"))
		return rsa_blob(pkey, blob);
	if (EVP_PKEY_is_a(pkey, "EC"))
		return ec_blob(pkey, blob, alg, alglen);
	if (EVP_PKEY_is_a(pkey, "ED25519"))
		return ed25519_blob(pkey, blob);
	name = EVP_PKEY_get0_type_name(pkey);
	if (alglen > 0)
		snprintf(alg, alglen, "%s", name ? name : "unknown");
	return VHKEY_ERR_KEY_TYPE;
}

int
vk_pem_public_blob(const uint8_t *der, size_t len, int pkcs1,
    vk_writer *blob, char *alg, size_t alglen)
{
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY *pkey = NULL;
	const unsigned char *p = der;
	size_t left = len;
	int rc;

	if (alglen > 0)
		alg[0] = '\0';
	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "DER",
	    pkcs1 ? "type-specific" : "SubjectPublicKeyInfo",
	    pkcs1 ? "RSA" : NULL, EVP_PKEY_PUBLIC_KEY, NULL, NULL);
	if (dctx == NULL)
		return VHKEY_ERR_CRYPTO;
	if (OSSL_DECODER_from_data(dctx, &p, &left) != 1 || pkey == NULL) {
		rc = VHKEY_ERR_FORMAT;
		goto out;
	}
	if (left != 0) {
		rc = VHKEY_ERR_TRAILING;
		goto out;
	}
	rc = vk_pkey_public_blob(pkey, blob, alg, alglen);
out:
	/* the decoder's complaints about hostile input are no one's business */
	ERR_clear_error();
	OSSL_DECODER_CTX_free(dctx);
	EVP_PKEY_free(pkey);
	return rc;
}
