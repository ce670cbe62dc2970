/*
 * key.c - the key object: type, public blob, comment, private part.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "vhkey_internal.h"

/* name and its length */
#define NAME(s) s, sizeof(s) - 1

static const struct {
	vhkey_type type;
	const char *name;
	size_t namelen;
	const char *label;
	unsigned bits; /* as ssh-keygen -l prints it; 0: the modulus's */
} key_types[] = {
	{ VHKEY_TYPE_RSA, NAME("ssh-rsa"), "RSA", 0 },
	{ VHKEY_TYPE_ED25519, NAME("ssh-ed25519"), "ED25519", 256 },
	{ VHKEY_TYPE_ECDSA_P256, NAME("ecdsa-sha2-nistp256"), "ECDSA", 256 },
	{ VHKEY_TYPE_ECDSA_P384, NAME("ecdsa-sha2-nistp384"), "ECDSA", 384 },
	{ VHKEY_TYPE_ECDSA_P521, NAME("ecdsa-sha2-nistp521"), "ECDSA", 521 },
	{ VHKEY_TYPE_SK_ECDSA_P256, NAME("sk-ecdsa-sha2-nistp256@openssh.com"),
	    "ECDSA-SK", 256 },
	{ VHKEY_TYPE_SK_ED25519, NAME("sk-ssh-ed25519@openssh.com"),
	    "ED25519-SK", 256 },
};
#define KEY_TYPES (sizeof(key_types) / sizeof(key_types[0]))

const char *
vhkey_type_name(vhkey_type type)
{
	for (size_t i = 0; i < KEY_TYPES; i++)
		if (key_types[i].type == type)
			return key_types[i].name;
	return NULL;
}

const char *
vhkey_type_label(vhkey_type type)
{
	for (size_t i = 0; i < KEY_TYPES; i++)
		if (key_types[i].type == type)
			return key_types[i].label;
	return NULL;
}

vhkey_type
vk_type_from_name(const char *name, size_t len)
{
	for (size_t i = 0; i < KEY_TYPES; i++)
		if (key_types[i].namelen == len &&
		    memcmp(key_types[i].name, name, len) == 0)
			return key_types[i].type;
	return VHKEY_TYPE_UNKNOWN;
}

/* The fixed size of a type's keys, 0 for RSA. */
static unsigned
type_bits(vhkey_type type)
{
	for (size_t i = 0; i < KEY_TYPES; i++)
		if (key_types[i].type == type)
			return key_types[i].bits;
	return 0;
}

vhkey *
vk_key_new(vhkey_type type)
{
	vhkey *key;

	if ((key = calloc(1, sizeof(*key))) == NULL)
		return NULL;
	if ((key->comment = strdup("")) == NULL) {
		free(key);
		return NULL;
	}
	key->type = type;
	return key;
}

void
vhkey_free(vhkey *key)
{
	if (key == NULL)
		return;
	vk_rsa_clear(&key->rsa);
	vk_secret_release(key->pass);
	free(key->blob);
	if (key->comment != NULL) {
		sodium_memzero(key->comment, strlen(key->comment));
		free(key->comment);
	}
	sodium_memzero(key, sizeof(*key));
	free(key);
}

vhkey_type
vhkey_get_type(const vhkey *key)
{
	return key->type;
}

unsigned
vhkey_get_bits(const vhkey *key)
{
	return key->bits;
}

const char *
vhkey_get_comment(const vhkey *key)
{
	return key->comment;
}

int
vhkey_has_private(const vhkey *key)
{
	return key->rsa.pkey != NULL;
}

/* A comment fits on the key's line: bounded, no NUL, no line break. */
int
vk_comment_valid(const char *s, size_t len)
{
	if (len > VHKEY_COMMENT_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' || s[i] == '\n' || s[i] == '\r')
			return 0;
	return 1;
}

int
vk_key_set_comment(vhkey *key, const char *s, size_t len)
{
	char *copy;

	if (!vk_comment_valid(s, len))
		return VHKEY_ERR_ARGUMENT;
	if ((copy = strndup(s, len)) == NULL)
		return VHKEY_ERR_NOMEM;
	free(key->comment);
	key->comment = copy;
	return VHKEY_OK;
}

int
vhkey_set_comment(vhkey *key, const char *comment)
{
	if (comment == NULL)
		comment = "";
	return vk_key_set_comment(key, comment,
	    strnlen(comment, VHKEY_COMMENT_MAX + 1));
}

/* ssh-keygen reads a passphrase as a C string: one with a NUL in it could
 * be written, and never typed to unlock the key. */
int
vk_passphrase_valid(const char *pass, size_t len)
{
	return len <= VHKEY_PASSPHRASE_MAX && memchr(pass, '\0', len) == NULL;
}

int
vk_passphrase_copy(const char *pass, size_t len, char **out)
{
	*out = NULL;
	if (pass == NULL || len == 0)
		return VHKEY_OK;
	if (!vk_passphrase_valid(pass, len))
		return VHKEY_ERR_ARGUMENT;
	if ((*out = vk_secret_alloc(len)) == NULL)
		return VHKEY_ERR_NOMEM;
	memcpy(*out, pass, len);
	return VHKEY_OK;
}

int
vk_kdf_rounds(unsigned rounds, unsigned *out)
{
	if (rounds > VHKEY_KDF_ROUNDS_MAX)
		return VHKEY_ERR_KDF_ROUNDS;
	*out = rounds != 0 ? rounds : VHKEY_KDF_ROUNDS_DEFAULT;
	return VHKEY_OK;
}

int
vhkey_set_passphrase(vhkey *key, const char *pass, size_t len,
    unsigned rounds)
{
	char *copy;
	int rc;

	if (key == NULL)
		return VHKEY_ERR_ARGUMENT;
	if ((rc = vk_kdf_rounds(rounds, &rounds)) != VHKEY_OK ||
	    (rc = vk_passphrase_copy(pass, len, &copy)) != VHKEY_OK)
		return rc;
	vk_secret_release(key->pass);
	key->pass = copy;
	key->passlen = copy != NULL ? len : 0;
	key->kdf_rounds = rounds;
	return VHKEY_OK;
}

int
vhkey_has_passphrase(const vhkey *key)
{
	return key->pass != NULL;
}

const uint8_t *
vhkey_public_blob(const vhkey *key, size_t *len)
{
	*len = key->bloblen;
	return key->blob;
}

int
vhkey_public_equal(const vhkey *a, const vhkey *b)
{
	return a->bloblen == b->bloblen &&
	    memcmp(a->blob, b->blob, a->bloblen) == 0;
}

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
	key->bits = type_bits(key->type);
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

int
vk_key_public_copy(const vhkey *key, vhkey **out)
{
	vhkey *copy;

	*out = NULL;
	if ((copy = vk_key_new(key->type)) == NULL)
		return VHKEY_ERR_NOMEM;
	/* the public numbers, blob, comment and kept fingerprint; never the
	 * key pair (rsa.pkey) */
	copy->bits = key->bits;
	memcpy(copy->fp_sha256, key->fp_sha256, sizeof(copy->fp_sha256));
	if ((copy->blob = malloc(key->bloblen)) == NULL ||
	    (key->rsa.n != NULL && (copy->rsa.n = BN_dup(key->rsa.n)) == NULL) ||
	    (key->rsa.e != NULL && (copy->rsa.e = BN_dup(key->rsa.e)) == NULL) ||
	    vhkey_set_comment(copy, key->comment) != VHKEY_OK) {
		vhkey_free(copy);
		return VHKEY_ERR_NOMEM;
	}
	memcpy(copy->blob, key->blob, key->bloblen);
	copy->bloblen = key->bloblen;
	*out = copy;
	return VHKEY_OK;
}

int
vhkey_public_copy(const vhkey *key, vhkey **out)
{
	if (out != NULL)
		*out = NULL;
	if (key == NULL || out == NULL)
		return VHKEY_ERR_ARGUMENT;
	return vk_key_public_copy(key, out);
}
