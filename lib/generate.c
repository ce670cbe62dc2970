/*
 * generate.c - key generation: its options, and the dispatch to each
 * type's generator (RSA: rsagen.c's prime race; Ed25519: ed25519.c;
 * ECDSA: ecdsa.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "formats.h"

struct vhkey_gen_options {
	vhkey_type type;
	unsigned bits;
	char *comment; /* NULL: none */
	unsigned threads; /* 0: one per processor */
	int (*cancel)(void *arg);
	void *cancel_arg;
	char *pass; /* guarded; NULL: none */
	size_t passlen;
	unsigned kdf_rounds;
};

static const struct vhkey_gen_options defaults = {
	.type = VHKEY_TYPE_RSA,
	.bits = VHKEY_RSA_DEFAULT_BITS,
	.kdf_rounds = VHKEY_KDF_ROUNDS_DEFAULT,
};

int
vhkey_gen_options_new(vhkey_gen_options **out)
{
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if ((*out = malloc(sizeof(**out))) == NULL)
		return VHKEY_ERR_NOMEM;
	**out = defaults;
	return VHKEY_OK;
}

void
vhkey_gen_options_free(vhkey_gen_options *opts)
{
	if (opts == NULL)
		return;
	free(opts->comment);
	vk_secret_release(opts->pass);
	free(opts);
}

/* The size a type is made in when none is asked for: RSA's is our choice,
 * the others have one size each. */
static unsigned
default_bits(vhkey_type type)
{
	return type == VHKEY_TYPE_RSA ? VHKEY_RSA_DEFAULT_BITS :
					vk_type_bits(type);
}

/* RSA: any even size in the range (odd ones cannot be hit exactly);
 * ECDSA and Ed25519: their one size. */
static int
bits_valid(vhkey_type type, unsigned bits)
{
	if (type != VHKEY_TYPE_RSA)
		return bits == vk_type_bits(type);
	return bits >= VHKEY_RSA_MIN_BITS && bits <= VHKEY_RSA_MAX_BITS &&
	    bits % 2 == 0;
}

int
vhkey_gen_options_set_type(vhkey_gen_options *opts, vhkey_type type)
{
	if (opts == NULL)
		return VHKEY_ERR_ARGUMENT;
	if (!vk_type_private(type))
		return VHKEY_ERR_KEY_TYPE;
	/* a size is a size of one type: another type starts from its own
	 * default */
	if (type != opts->type)
		opts->bits = default_bits(type);
	opts->type = type;
	return VHKEY_OK;
}

int
vhkey_gen_options_set_bits(vhkey_gen_options *opts, unsigned bits)
{
	if (opts == NULL)
		return VHKEY_ERR_ARGUMENT;
	if (bits == 0)
		bits = default_bits(opts->type);
	if (!bits_valid(opts->type, bits))
		return VHKEY_ERR_BITS;
	opts->bits = bits;
	return VHKEY_OK;
}

int
vhkey_gen_options_set_comment(vhkey_gen_options *opts, const char *comment)
{
	char *copy = NULL;
	size_t len;

	if (opts == NULL)
		return VHKEY_ERR_ARGUMENT;
	if (comment != NULL) {
		len = strlen(comment);
		if (!vk_comment_valid(comment, len))
			return VHKEY_ERR_ARGUMENT;
		if ((copy = strdup(comment)) == NULL)
			return VHKEY_ERR_NOMEM;
	}
	free(opts->comment);
	opts->comment = copy;
	return VHKEY_OK;
}

int
vhkey_gen_options_set_threads(vhkey_gen_options *opts, unsigned threads)
{
	if (opts == NULL || threads > VHKEY_GEN_THREADS_MAX)
		return VHKEY_ERR_ARGUMENT;
	opts->threads = threads;
	return VHKEY_OK;
}

int
vhkey_gen_options_set_cancel(vhkey_gen_options *opts,
    int (*cancel)(void *arg), void *arg)
{
	if (opts == NULL)
		return VHKEY_ERR_ARGUMENT;
	opts->cancel = cancel;
	opts->cancel_arg = arg;
	return VHKEY_OK;
}

int
vhkey_gen_options_set_passphrase(vhkey_gen_options *opts, const char *pass,
    size_t len)
{
	char *copy;
	int rc;

	if (opts == NULL)
		return VHKEY_ERR_ARGUMENT;
	if ((rc = vk_passphrase_copy(pass, len, &copy)) != VHKEY_OK)
		return rc;
	vk_secret_release(opts->pass);
	opts->pass = copy;
	opts->passlen = copy != NULL ? len : 0;
	return VHKEY_OK;
}

int
vhkey_gen_options_set_rounds(vhkey_gen_options *opts, unsigned rounds)
{
	if (opts == NULL)
		return VHKEY_ERR_ARGUMENT;
	return vk_kdf_rounds(rounds, &opts->kdf_rounds);
}

int
vhkey_generate_check(vhkey_type type, unsigned bits)
{
	struct vhkey_gen_options opts = defaults;
	int rc;

	if ((rc = vhkey_gen_options_set_type(&opts, type)) != VHKEY_OK)
		return rc;
	return vhkey_gen_options_set_bits(&opts, bits);
}

static int
generate_rsa(const vhkey_gen_options *opts, vhkey **out)
{
	struct vk_rsa_gen how;
	EVP_PKEY *pkey = NULL;
	vhkey *key = NULL;
	int rc;

	how = (struct vk_rsa_gen){ .bits = opts->bits,
		.threads = opts->threads != 0 ? (int)opts->threads :
						vk_cpus(VHKEY_GEN_THREADS_MAX),
		.cancel = opts->cancel,
		.cancel_arg = opts->cancel_arg };
	if ((key = vk_key_new(VHKEY_TYPE_RSA)) == NULL)
		return VHKEY_ERR_NOMEM;
	if ((rc = vk_rsa_generate(&how, &pkey)) != VHKEY_OK ||
	    (rc = vk_rsa_check_generated(pkey, how.bits)) != VHKEY_OK ||
	    (rc = vk_rsa_set_public(key, pkey)) != VHKEY_OK)
		goto out;
	pkey = NULL; /* the key owns it now */
	if ((rc = vk_key_set_blob(key)) != VHKEY_OK)
		goto out;
	*out = key;
	key = NULL;
out:
	EVP_PKEY_free(pkey);
	vhkey_free(key);
	return rc;
}

/*
 * An Ed25519 or ECDSA pair: the type's file makes the numbers and the
 * public blob, the key is decoded from the blob as any other (and so
 * checked), then takes the private part.  They take microseconds:
 * threads and cancel are RSA's prime race's.
 */
static int
generate_curve(vhkey_type type, vhkey **out)
{
	vk_writer blob;
	uint8_t *sk = NULL;
	EVP_PKEY *pkey = NULL;
	int rc;

	vk_writer_init(&blob, 0);
	rc = type == VHKEY_TYPE_ED25519 ? vk_ed25519_generate(&blob, &sk) :
					  vk_ecdsa_generate(type, &blob, &pkey);
	if (rc == VHKEY_OK &&
	    (rc = vk_key_from_blob(blob.data, blob.len, out)) == VHKEY_OK) {
		(*out)->ed25519_sk = sk;
		(*out)->ec_pkey = pkey;
		sk = NULL;
		pkey = NULL;
	}
	vk_secret_release(sk);
	EVP_PKEY_free(pkey);
	vk_writer_clear(&blob);
	return rc;
}

/* The pair, with no comment yet. */
static int
generate_pair(const vhkey_gen_options *opts, vhkey **out)
{
	switch (opts->type) {
	case VHKEY_TYPE_RSA:
		return generate_rsa(opts, out);
	case VHKEY_TYPE_ED25519:
	case VHKEY_TYPE_ECDSA_P256:
	case VHKEY_TYPE_ECDSA_P384:
	case VHKEY_TYPE_ECDSA_P521:
		return generate_curve(opts->type, out);
	default:
		return VHKEY_ERR_KEY_TYPE;
	}
}

int
vhkey_generate_with(const vhkey_gen_options *opts, vhkey **out)
{
	vhkey *key = NULL;
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if (opts == NULL)
		opts = &defaults;
	if ((rc = generate_pair(opts, &key)) != VHKEY_OK)
		return rc;
	if ((rc = vhkey_set_comment(key, opts->comment)) != VHKEY_OK ||
	    (rc = vhkey_set_passphrase(key, opts->pass, opts->passlen,
		 opts->kdf_rounds)) != VHKEY_OK) {
		vhkey_free(key);
		return rc;
	}
	*out = key;
	return VHKEY_OK;
}

int
vhkey_generate(vhkey_type type, unsigned bits, const char *comment,
    vhkey **out)
{
	struct vhkey_gen_options opts = defaults;
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((rc = vhkey_gen_options_set_type(&opts, type)) == VHKEY_OK &&
	    (rc = vhkey_gen_options_set_bits(&opts, bits)) == VHKEY_OK &&
	    (rc = vhkey_gen_options_set_comment(&opts, comment)) == VHKEY_OK)
		rc = vhkey_generate_with(&opts, out);
	free(opts.comment);
	return rc;
}
