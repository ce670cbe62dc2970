/*
 * generate.c - key generation: its options, and the key made from them
 * (the RSA numbers come from rsagen.c's prime race).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "vhkey_internal.h"

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

int
vhkey_gen_options_set_type(vhkey_gen_options *opts, vhkey_type type)
{
	if (opts == NULL)
		return VHKEY_ERR_ARGUMENT;
	if (type != VHKEY_TYPE_RSA)
		return VHKEY_ERR_KEY_TYPE;
	opts->type = type;
	return VHKEY_OK;
}

int
vhkey_gen_options_set_bits(vhkey_gen_options *opts, unsigned bits)
{
	if (opts == NULL)
		return VHKEY_ERR_ARGUMENT;
	if (bits == 0)
		bits = VHKEY_RSA_DEFAULT_BITS;
	if (bits < VHKEY_RSA_MIN_BITS || bits > VHKEY_RSA_MAX_BITS ||
	    bits % 2 != 0)
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

int
vhkey_generate_with(const vhkey_gen_options *opts, vhkey **out)
{
	struct vk_rsa_gen how;
	EVP_PKEY *pkey = NULL;
	vhkey *key = NULL;
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if (opts == NULL)
		opts = &defaults;
	how = (struct vk_rsa_gen){ .bits = opts->bits,
		.threads = opts->threads != 0 ? (int)opts->threads :
						vk_cpus(VHKEY_GEN_THREADS_MAX),
		.cancel = opts->cancel,
		.cancel_arg = opts->cancel_arg };
	if ((key = vk_key_new(opts->type)) == NULL)
		return VHKEY_ERR_NOMEM;
	if ((rc = vhkey_set_comment(key, opts->comment)) != VHKEY_OK ||
	    (rc = vhkey_set_passphrase(key, opts->pass, opts->passlen,
		 opts->kdf_rounds)) != VHKEY_OK ||
	    (rc = vk_rsa_generate(&how, &pkey)) != VHKEY_OK ||
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
