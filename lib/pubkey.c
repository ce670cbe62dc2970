/*
 * pubkey.c - the public key as one authorized_keys line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "formats.h"
#include "chars.h"

int
vk_key_line(const vhkey *key, const char *b64, size_t b64len, char **out)
{
	const char *name = vhkey_type_name(key->type);
	size_t namelen = strlen(name), clen = strlen(key->comment);
	/* the encoding's length, with its NUL */
	size_t enclen = sodium_base64_ENCODED_LEN(key->bloblen,
	    sodium_base64_VARIANT_ORIGINAL);
	char *line, *p;

	*out = NULL;
	/* "name b64 comment\0" */
	if ((line = malloc(namelen + 1 + enclen + 1 + clen)) == NULL)
		return VHKEY_ERR_NOMEM;
	memcpy(line, name, namelen);
	p = line + namelen;
	*p++ = ' ';
	if (b64 != NULL && b64len == enclen - 1)
		memcpy(p, b64, b64len);
	else
		(void)vk_base64_encode(p, key->blob, key->bloblen, 1);
	p += enclen - 1;
	if (clen > 0) {
		*p++ = ' ';
		memcpy(p, key->comment, clen);
		p += clen;
	}
	*p = '\0';
	*out = line;
	return VHKEY_OK;
}

int
vhkey_public_to_line(const vhkey *key, char **out)
{
	return vk_key_line(key, NULL, 0, out);
}

int
vhkey_parse_public(const void *text, size_t len, vhkey **out)
{
	const char *s = text, *end, *type, *b64, *comment;
	size_t typelen, b64len, clen, binmax, binlen;
	uint8_t *bin = NULL;
	vhkey *key = NULL;
	int rc;

	if (out == NULL || (text == NULL && len > 0))
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if (len > VHKEY_FILE_MAX)
		return VHKEY_ERR_TOO_LARGE;
	end = s + len;
	if (end > s && end[-1] == '\n')
		end--;
	if (end == s || memchr(s, '\n', (size_t)(end - s)) != NULL ||
	    memchr(s, '\0', (size_t)(end - s)) != NULL)
		return VHKEY_ERR_FORMAT;

	type = s;
	while (s < end && !vk_is_blank(*s))
		s++;
	typelen = (size_t)(s - type);
	while (s < end && vk_is_blank(*s))
		s++;
	b64 = s;
	while (s < end && !vk_is_blank(*s))
		s++;
	b64len = (size_t)(s - b64);
	while (s < end && vk_is_blank(*s))
		s++;
	comment = s;
	while (end > comment && vk_is_blank(end[-1]))
		end--;
	clen = (size_t)(end - comment);
	if (typelen == 0 || b64len == 0)
		return VHKEY_ERR_FORMAT;
	if (!vk_comment_valid(comment, clen))
		return VHKEY_ERR_FORMAT;

	/* the one strict decoder every path uses: libsodium's would take a
	 * byte from 0x80 up for '/' */
	binmax = b64len / 4 * 3;
	if ((bin = malloc(binmax > 0 ? binmax : 1)) == NULL)
		return VHKEY_ERR_NOMEM;
	if (vk_base64_decode(bin, binmax, b64, b64len, &binlen) != 0) {
		rc = VHKEY_ERR_BASE64;
		goto out;
	}
	if ((rc = vk_key_from_blob(bin, binlen, &key)) != VHKEY_OK)
		goto out;
	if (strlen(vhkey_type_name(key->type)) != typelen ||
	    memcmp(vhkey_type_name(key->type), type, typelen) != 0) {
		rc = VHKEY_ERR_TYPE_MISMATCH;
		goto out;
	}
	free(key->comment);
	if ((key->comment = strndup(comment, clen)) == NULL) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	*out = key;
	key = NULL;
	rc = VHKEY_OK;
out:
	vhkey_free(key);
	free(bin);
	return rc;
}
