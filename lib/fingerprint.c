/*
 * fingerprint.c - key fingerprints exactly as ssh-keygen -l prints them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "vhkey_internal.h"

int
vhkey_fingerprint(const vhkey *key, vhkey_hash hash, char *buf,
    size_t buflen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *alg;
	const char *prefix;
	size_t need, pos;

	if (buflen > 0)
		buf[0] = '\0';
	switch (hash) {
	case VHKEY_HASH_SHA256:
		alg = EVP_sha256();
		prefix = "SHA256:";
		break;
	case VHKEY_HASH_MD5:
		alg = EVP_md5();
		prefix = "MD5:";
		break;
	default:
		return VHKEY_ERR_ARGUMENT;
	}
	if (EVP_Digest(key->blob, key->bloblen, md, &mdlen, alg, NULL) != 1)
		return VHKEY_ERR_CRYPTO;
	pos = strlen(prefix);
	if (hash == VHKEY_HASH_SHA256)
		need = pos + sodium_base64_ENCODED_LEN(mdlen,
		    sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	else
		need = pos + 3 * mdlen; /* "xx:" each, the last ':' is NUL */
	if (buflen < need)
		return VHKEY_ERR_BUFFER;
	memcpy(buf, prefix, pos);
	if (hash == VHKEY_HASH_SHA256) {
		sodium_bin2base64(buf + pos, buflen - pos, md, mdlen,
		    sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
		return VHKEY_OK;
	}
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(buf + pos + 3 * i, 4, i + 1 < mdlen ? "%02x:" : "%02x",
		    md[i]);
	return VHKEY_OK;
}
