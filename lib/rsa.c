/*
 * rsa.c - RSA key generation, its checks, and OpenSSH's RSA fields.
 */
#include "config.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "vhkey_internal.h"

int
vk_rsa_generate(unsigned bits, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *e = NULL;
	int rc = VHKEY_ERR_CRYPTO;

	*out = NULL;
	if ((e = BN_new()) == NULL || BN_set_word(e, VK_RSA_E) != 1) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) != 1 ||
	    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) != 1 ||
	    EVP_PKEY_generate(ctx, &pkey) != 1)
		goto out;
	*out = pkey;
	pkey = NULL;
	rc = VHKEY_OK;
out:
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	BN_free(e);
	return rc;
}

/* Run OpenSSL's full check of a key pair: primes, n = pq, d, CRT values. */
static int
full_check(EVP_PKEY *pkey)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL)
		return VHKEY_ERR_NOMEM;
	ok = EVP_PKEY_check(ctx);
	EVP_PKEY_CTX_free(ctx);
	return ok == 1 ? VHKEY_OK : VHKEY_ERR_KEY_CHECK;
}

struct rsa_secrets {
	BIGNUM *n, *e, *d, *p, *q, *iqmp;
};

static void
secrets_clear(struct rsa_secrets *s)
{
	BN_free(s->n);
	BN_free(s->e);
	BN_clear_free(s->d);
	BN_clear_free(s->p);
	BN_clear_free(s->q);
	BN_clear_free(s->iqmp);
	s->n = s->e = s->d = s->p = s->q = s->iqmp = NULL;
}

static int
secrets_get(EVP_PKEY *pkey, struct rsa_secrets *s)
{
	*s = (struct rsa_secrets){ 0 };
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &s->n) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &s->e) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D, &s->d) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1,
		&s->p) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2,
		&s->q) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
		&s->iqmp) != 1) {
		secrets_clear(s);
		return VHKEY_ERR_CRYPTO;
	}
	return VHKEY_OK;
}

/* gcd(e, x - 1) == 1 */
static int
coprime_to_pred(const BIGNUM *e, const BIGNUM *x, BN_CTX *bnctx)
{
	BIGNUM *t, *g;
	int ok = 0;

	BN_CTX_start(bnctx);
	t = BN_CTX_get(bnctx);
	g = BN_CTX_get(bnctx);
	if (g != NULL && BN_sub(t, x, BN_value_one()) &&
	    BN_gcd(g, t, e, bnctx))
		ok = BN_is_one(g);
	BN_CTX_end(bnctx);
	return ok;
}

int
vk_rsa_check_generated(EVP_PKEY *pkey, unsigned bits)
{
	struct rsa_secrets s;
	BN_CTX *bnctx = NULL;
	BIGNUM *diff;
	int rc;

	if ((rc = secrets_get(pkey, &s)) != VHKEY_OK)
		return rc;
	if ((bnctx = BN_CTX_secure_new()) == NULL) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	rc = VHKEY_ERR_KEY_CHECK;
	if ((unsigned)BN_num_bits(s.n) != bits || !BN_is_word(s.e, VK_RSA_E))
		goto out;
	if (!coprime_to_pred(s.e, s.p, bnctx) ||
	    !coprime_to_pred(s.e, s.q, bnctx))
		goto out;
	/* |p - q| > 2^(bits/2 - 100) and d > 2^(bits/2) (FIPS 186-4 B.3.1) */
	BN_CTX_start(bnctx);
	diff = BN_CTX_get(bnctx);
	if (diff == NULL || !BN_sub(diff, s.p, s.q)) {
		BN_CTX_end(bnctx);
		goto out;
	}
	BN_set_negative(diff, 0);
	if (BN_num_bits(diff) <= (int)(bits / 2 - 100) ||
	    BN_num_bits(s.d) <= (int)(bits / 2)) {
		BN_CTX_end(bnctx);
		goto out;
	}
	BN_CTX_end(bnctx);
	rc = full_check(pkey);
out:
	BN_CTX_free(bnctx);
	secrets_clear(&s);
	return rc;
}

int
vk_rsa_set_public(vhkey *key, EVP_PKEY *pkey)
{
	BIGNUM *n = NULL, *e = NULL;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
		BN_free(n);
		BN_free(e);
		return VHKEY_ERR_CRYPTO;
	}
	vk_rsa_clear(&key->rsa);
	key->rsa.n = n;
	key->rsa.e = e;
	key->rsa.pkey = pkey;
	key->bits = (unsigned)BN_num_bits(n);
	return VHKEY_OK;
}

void
vk_rsa_clear(struct vk_rsa *rsa)
{
	BN_free(rsa->n);
	BN_free(rsa->e);
	EVP_PKEY_free(rsa->pkey); /* OpenSSL clears RSA private numbers */
	rsa->n = rsa->e = NULL;
	rsa->pkey = NULL;
}

int
vk_rsa_put_public(vk_writer *w, const struct vk_rsa *rsa)
{
	int rc;

	if ((rc = vk_put_cstring(w, "ssh-rsa")) != VHKEY_OK ||
	    (rc = vk_put_bignum(w, rsa->e)) != VHKEY_OK ||
	    (rc = vk_put_bignum(w, rsa->n)) != VHKEY_OK)
		return rc;
	return VHKEY_OK;
}

/* Numbers OpenSSH would refuse to call an RSA key at all. */
static int
public_numbers_valid(const BIGNUM *n, const BIGNUM *e)
{
	if (BN_is_zero(n) || BN_is_zero(e))
		return VHKEY_ERR_FORMAT;
	if (BN_num_bits(n) > VHKEY_RSA_MAX_BITS)
		return VHKEY_ERR_TOO_LARGE;
	return VHKEY_OK;
}

int
vk_rsa_get_public(vk_reader *r, struct vk_rsa *rsa)
{
	vk_reader save = *r;
	BIGNUM *n = NULL, *e = NULL;
	int rc;

	if ((rc = vk_get_bignum(r, &e)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &n)) != VHKEY_OK ||
	    (rc = public_numbers_valid(n, e)) != VHKEY_OK) {
		BN_free(n);
		BN_free(e);
		*r = save;
		return rc;
	}
	vk_rsa_clear(rsa);
	rsa->n = n;
	rsa->e = e;
	return VHKEY_OK;
}

int
vk_rsa_put_private(vk_writer *w, const struct vk_rsa *rsa)
{
	struct rsa_secrets s;
	int rc;

	if (rsa->pkey == NULL)
		return VHKEY_ERR_NOT_PRIVATE;
	if ((rc = secrets_get(rsa->pkey, &s)) != VHKEY_OK)
		return rc;
	if ((rc = vk_put_cstring(w, "ssh-rsa")) != VHKEY_OK ||
	    (rc = vk_put_bignum(w, s.n)) != VHKEY_OK ||
	    (rc = vk_put_bignum(w, s.e)) != VHKEY_OK ||
	    (rc = vk_put_bignum(w, s.d)) != VHKEY_OK ||
	    (rc = vk_put_bignum(w, s.iqmp)) != VHKEY_OK ||
	    (rc = vk_put_bignum(w, s.p)) != VHKEY_OK ||
	    (rc = vk_put_bignum(w, s.q)) != VHKEY_OK)
		goto out;
	rc = VHKEY_OK;
out:
	secrets_clear(&s);
	return rc;
}

/* Build an OpenSSL key pair from OpenSSH's fields, adding d mod (p-1)
 * and d mod (q-1), which OpenSSH does not store. */
static int
pkey_from_secrets(const struct rsa_secrets *s, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BN_CTX *bnctx = NULL;
	BIGNUM *t, *dmp1, *dmq1;
	int rc = VHKEY_ERR_NOMEM;

	*out = NULL;
	if ((bnctx = BN_CTX_secure_new()) == NULL)
		return VHKEY_ERR_NOMEM;
	BN_CTX_start(bnctx);
	t = BN_CTX_get(bnctx);
	dmp1 = BN_CTX_get(bnctx);
	dmq1 = BN_CTX_get(bnctx);
	if (dmq1 == NULL)
		goto out;
	rc = VHKEY_ERR_KEY_CHECK;
	if (BN_is_zero(s->p) || BN_is_zero(s->q) || BN_is_one(s->p) ||
	    BN_is_one(s->q))
		goto out;
	rc = VHKEY_ERR_CRYPTO;
	if (!BN_sub(t, s->p, BN_value_one()) ||
	    !BN_mod(dmp1, s->d, t, bnctx) ||
	    !BN_sub(t, s->q, BN_value_one()) ||
	    !BN_mod(dmq1, s->d, t, bnctx))
		goto out;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, s->n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, s->e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, s->d) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, s->p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, s->q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
		s->iqmp) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1)
		goto out;
	rc = VHKEY_ERR_KEY_CHECK;
	if (EVP_PKEY_fromdata(ctx, out, EVP_PKEY_KEYPAIR, params) != 1)
		goto out;
	if ((rc = full_check(*out)) != VHKEY_OK) {
		EVP_PKEY_free(*out);
		*out = NULL;
		goto out;
	}
	rc = VHKEY_OK;
out:
	EVP_PKEY_CTX_free(ctx);
	/* the BIGNUMs are BN_FLG_SECURE, so their copies sit in the
	 * secure block, which OSSL_PARAM_free() clears */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_CTX_end(bnctx);
	BN_CTX_free(bnctx);
	return rc;
}

int
vk_rsa_get_private(vk_reader *r, struct vk_rsa *rsa)
{
	vk_reader save = *r;
	struct rsa_secrets s = { 0 };
	EVP_PKEY *pkey = NULL;
	int rc;

	if ((rc = vk_get_bignum(r, &s.n)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.e)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.d)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.iqmp)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.p)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.q)) != VHKEY_OK ||
	    (rc = public_numbers_valid(s.n, s.e)) != VHKEY_OK ||
	    (rc = pkey_from_secrets(&s, &pkey)) != VHKEY_OK)
		goto out;
	vk_rsa_clear(rsa);
	rsa->n = s.n;
	rsa->e = s.e;
	rsa->pkey = pkey;
	s.n = s.e = NULL;
	rc = VHKEY_OK;
out:
	if (rc != VHKEY_OK)
		*r = save;
	secrets_clear(&s);
	return rc;
}
