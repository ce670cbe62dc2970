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

const char *
vk_decimal(unsigned v, char buf[VK_DECIMAL_MAX])
{
	size_t at = VK_DECIMAL_MAX - 1;

	buf[at] = '\0';
	do
		buf[--at] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	return buf + at;
}

/* Append s (n bytes) at *len, when it fits with a NUL after it. */
static int
put(char *buf, size_t buflen, size_t *len, const char *s, size_t n)
{
	if (n >= buflen - *len)
		return VHKEY_ERR_BUFFER;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return VHKEY_OK;
}

int
vhkey_fingerprint_line(const vhkey *key, vhkey_hash hash,
    unsigned escape_flags, char *buf, size_t buflen)
{
	char fp[VHKEY_FINGERPRINT_MAX], digits[VK_DECIMAL_MAX];
	const char *bits, *label, *comment;
	size_t len = 0, n;
	int rc;

	if (buflen > 0)
		buf[0] = '\0';
	if (key == NULL || (escape_flags & ~VHKEY_ESCAPE_ASCII) != 0)
		return VHKEY_ERR_ARGUMENT;
	if ((rc = vhkey_fingerprint(key, hash, fp, sizeof(fp))) != VHKEY_OK)
		return rc;
	bits = vk_decimal(vhkey_get_bits(key), digits);
	if ((label = vhkey_type_label(vhkey_get_type(key))) == NULL)
		return VHKEY_ERR_ARGUMENT;
	comment = vhkey_get_comment(key);
	if ((rc = put(buf, buflen, &len, bits, strlen(bits))) != VHKEY_OK ||
	    (rc = put(buf, buflen, &len, " ", 1)) != VHKEY_OK ||
	    (rc = put(buf, buflen, &len, fp, strlen(fp))) != VHKEY_OK ||
	    (rc = put(buf, buflen, &len, " ", 1)) != VHKEY_OK)
		goto out;
	if (comment[0] == '\0')
		rc = put(buf, buflen, &len, "no comment", 10);
	else if ((n = vhkey_escape(buf + len, buflen - len, comment,
		      escape_flags)) >= buflen - len)
		rc = VHKEY_ERR_BUFFER;
	else
		len += n;
	if (rc == VHKEY_OK &&
	    (rc = put(buf, buflen, &len, " (", 2)) == VHKEY_OK &&
	    (rc = put(buf, buflen, &len, label, strlen(label))) == VHKEY_OK)
		rc = put(buf, buflen, &len, ")", 1);
out:
	if (rc != VHKEY_OK && buflen > 0)
		buf[0] = '\0'; /* never half a line */
	return rc;
}
