/*
 * fingerprint.c - key fingerprints exactly as ssh-keygen -l prints them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "core.h"

/* The digest of the key's blob. */
static int
digest(const vhkey *key, const EVP_MD *alg, unsigned char *md,
    unsigned int *mdlen)
{
	return EVP_Digest(key->blob, key->bloblen, md, mdlen, alg, NULL) == 1 ?
	    VHKEY_OK :
	    VHKEY_ERR_CRYPTO;
}

/* "SHA256:" and the digest (sha256 NULL: the one OpenSSL fetches) in
 * unpadded base64, into out (VK_FP_SHA256_LEN bytes). */
static int
sha256_fingerprint(const vhkey *key, const EVP_MD *sha256, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int rc;

	if ((rc = digest(key, sha256 != NULL ? sha256 : EVP_sha256(), md,
		 &mdlen)) != VHKEY_OK)
		return rc;
	memcpy(out, "SHA256:", 7);
	(void)vk_base64_encode(out + 7, md, mdlen, 0);
	return VHKEY_OK;
}

int
vk_key_keep_fingerprint(vhkey *key, const vhkey_policy *policy)
{
	if (key->fp_sha256[0] != '\0')
		return VHKEY_OK;
	return sha256_fingerprint(key, policy != NULL ? policy->sha256 : NULL,
	    key->fp_sha256);
}

/* "MD5:" and the digest as colon-separated lowercase hex. */
static int
md5_fingerprint(const vhkey *key, char *buf, size_t buflen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int rc;

	if ((rc = digest(key, EVP_md5(), md, &mdlen)) != VHKEY_OK)
		return rc;
	/* "xx:" each, the last ':' is the NUL */
	if (buflen < 4 + 3 * (size_t)mdlen)
		return VHKEY_ERR_BUFFER;
	memcpy(buf, "MD5:", 4);
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(buf + 4 + 3 * i, 4, i + 1 < mdlen ? "%02x:" : "%02x",
		    md[i]);
	return VHKEY_OK;
}

int
vhkey_fingerprint(const vhkey *key, vhkey_hash hash, char *buf,
    size_t buflen)
{
	if (buflen > 0)
		buf[0] = '\0';
	switch (hash) {
	case VHKEY_HASH_SHA256:
		if (buflen < VK_FP_SHA256_LEN)
			return VHKEY_ERR_BUFFER;
		if (key->fp_sha256[0] == '\0')
			return sha256_fingerprint(key, NULL, buf);
		memcpy(buf, key->fp_sha256, VK_FP_SHA256_LEN);
		return VHKEY_OK;
	case VHKEY_HASH_MD5:
		return md5_fingerprint(key, buf, buflen);
	default:
		return VHKEY_ERR_ARGUMENT;
	}
}
