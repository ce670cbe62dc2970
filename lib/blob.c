/*
 * blob.c - a key's public blob (RFC 4253 6.6) and back: the type's name,
 * then its fields as rsa.c, ecdsa.c and ed25519.c read and write them.
 * Above the key object (key.c), which holds the blob but knows no type's
 * fields.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats.h"

int
vk_key_set_blob(vhkey *key)
{
	vk_writer w;
	int rc;

	vk_writer_init(&w, 0);
	if ((rc = vk_rsa_put_public(&w, &key->rsa)) != VHKEY_OK) {
		vk_writer_clear(&w);
		return rc;
	}
	free(key->blob);
	key->blob = vk_writer_take(&w, &key->bloblen);
	key->fp_sha256[0] = '\0';
	return VHKEY_OK;
}

/* A security key's application (PROTOCOL.u2f), usually "ssh:".  Only the
 * blob keeps it. */
static int
get_sk_application(vk_reader *r)
{
	const char *app;
	size_t len;

	return vk_get_cstring(r, &app, &len);
}

/* The fields after the type name. */
static int
get_public_fields(vk_reader *r, vhkey *key)
{
	int rc;

	switch (key->type) {
	case VHKEY_TYPE_RSA:
		if ((rc = vk_rsa_get_public(r, &key->rsa)) != VHKEY_OK)
			return rc;
		key->bits = (unsigned)BN_num_bits(key->rsa.n);
		return VHKEY_OK;
	case VHKEY_TYPE_ED25519:
		rc = vk_ed25519_get_public(r);
		break;
	case VHKEY_TYPE_SK_ED25519:
		if ((rc = vk_ed25519_get_public(r)) == VHKEY_OK)
			rc = get_sk_application(r);
		break;
	case VHKEY_TYPE_ECDSA_P256:
	case VHKEY_TYPE_ECDSA_P384:
	case VHKEY_TYPE_ECDSA_P521:
		rc = vk_ecdsa_get_public(r, key->type);
		break;
	case VHKEY_TYPE_SK_ECDSA_P256:
		if ((rc = vk_ecdsa_get_public(r, key->type)) == VHKEY_OK)
			rc = get_sk_application(r);
		break;
	default:
		return VHKEY_ERR_KEY_TYPE;
	}
	key->bits = vk_type_bits(key->type);
	return rc;
}

int
vk_key_from_blob(const uint8_t *blob, size_t len, vhkey **out)
{
	vk_reader r;
	const char *name;
	size_t namelen;
	vhkey_type type;
	vhkey *key = NULL;
	int rc;

	*out = NULL;
	vk_reader_init(&r, blob, len);
	if ((rc = vk_get_cstring(&r, &name, &namelen)) != VHKEY_OK)
		return rc;
	if ((type = vk_type_from_name(name, namelen)) == VHKEY_TYPE_UNKNOWN)
		return VHKEY_ERR_KEY_TYPE;
	if ((key = vk_key_new(type)) == NULL)
		return VHKEY_ERR_NOMEM;
	if ((rc = get_public_fields(&r, key)) != VHKEY_OK ||
	    (rc = vk_reader_expect_end(&r)) != VHKEY_OK)
		goto out;
	/* canonical on the way in, so the copy is the canonical blob */
	if ((key->blob = malloc(len)) == NULL) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	memcpy(key->blob, blob, len);
	key->bloblen = len;
	*out = key;
	key = NULL;
out:
	vhkey_free(key);
	return rc;
}
