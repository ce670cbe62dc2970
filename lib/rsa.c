/*
 * rsa.c - RSA key generation, its checks, and OpenSSH's RSA fields.
 */
#include "config.h"

#include <pthread.h>

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "formats.h"

void
vk_rsa_secrets_clear(struct vk_rsa_secrets *s)
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
secrets_get(EVP_PKEY *pkey, struct vk_rsa_secrets *s)
{
	*s = (struct vk_rsa_secrets){ 0 };
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &s->n) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &s->e) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D, &s->d) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1,
		&s->p) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2,
		&s->q) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
		&s->iqmp) != 1) {
		vk_rsa_secrets_clear(s);
		return VHKEY_ERR_CRYPTO;
	}
	return VHKEY_OK;
}

struct prime_check {
	const BIGNUM *x;
	int prime; /* 1 prime, 0 composite, -1 error */
};

static void *
check_prime(void *arg)
{
	struct prime_check *c = arg;
	BN_CTX *ctx = BN_CTX_secure_new();

	c->prime = ctx == NULL ? -1 : BN_check_prime(c->x, ctx, NULL);
	BN_CTX_free(ctx);
	return NULL;
}

/* Both factors prime, at OpenSSL's default strength; the two tests, the
 * costliest part of the check, run side by side. */
static int
factors_prime(const BIGNUM *p, const BIGNUM *q)
{
	struct prime_check cp = { .x = p }, cq = { .x = q };
	pthread_t tid;
	int threaded = pthread_create(&tid, NULL, check_prime, &cp) == 0;

	check_prime(&cq);
	if (threaded)
		pthread_join(tid, NULL);
	else
		check_prime(&cp);
	if (cp.prime < 0 || cq.prime < 0)
		return VHKEY_ERR_CRYPTO;
	return cp.prime == 1 && cq.prime == 1 ? VHKEY_OK : VHKEY_ERR_KEY_CHECK;
}

/* A signature made with the private key (through OpenSSL's CRT path)
 * verifies with the public key. */
static int
pairwise(EVP_PKEY *pkey)
{
	static const unsigned char msg[] = "libvhkey pairwise consistency";
	unsigned char sig[VHKEY_RSA_MAX_BITS / 8];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int rc = VHKEY_ERR_KEY_CHECK;

	if (md == NULL)
		return VHKEY_ERR_NOMEM;
	if (EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, pkey,
		NULL) != 1 ||
	    EVP_DigestSign(md, sig, &siglen, msg, sizeof(msg)) != 1)
		goto out;
	EVP_MD_CTX_reset(md);
	if (EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, pkey,
		NULL) == 1 &&
	    EVP_DigestVerify(md, sig, siglen, msg, sizeof(msg)) == 1)
		rc = VHKEY_OK;
out:
	EVP_MD_CTX_free(md);
	return rc;
}

/*
 * The check of a key pair, as OpenSSL's RSA key check does it (n = pq, d
 * an inverse of e modulo p-1 and q-1, the CRT values right, and when
 * primality is set both factors prime, the two tests run in parallel),
 * plus a signature round trip.
 */
static int
pair_check(EVP_PKEY *pkey, int primality)
{
	struct vk_rsa_secrets s;
	BIGNUM *dmp1 = NULL, *dmq1 = NULL, *t, *m;
	BN_CTX *ctx = NULL;
	int rc;

	if ((rc = secrets_get(pkey, &s)) != VHKEY_OK)
		return rc;
	rc = VHKEY_ERR_NOMEM;
	if ((ctx = BN_CTX_secure_new()) == NULL)
		goto out;
	rc = VHKEY_ERR_KEY_CHECK;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1,
		&dmp1) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2,
		&dmq1) != 1)
		goto out;
	if (BN_is_negative(s.p) || BN_is_negative(s.q) ||
	    BN_cmp(s.p, BN_value_one()) <= 0 ||
	    BN_cmp(s.q, BN_value_one()) <= 0 || !BN_is_odd(s.e) ||
	    BN_is_one(s.e))
		goto out;
	BN_CTX_start(ctx);
	t = BN_CTX_get(ctx);
	m = BN_CTX_get(ctx);
	rc = VHKEY_ERR_CRYPTO;
	if (m == NULL)
		goto end;
	rc = VHKEY_ERR_KEY_CHECK;
	/* n = p q */
	if (!BN_mul(t, s.p, s.q, ctx) || BN_cmp(t, s.n) != 0)
		goto end;
	/* d e = 1 mod (p-1), and d mod (p-1) is dmp1; likewise for q */
	if (!BN_sub(m, s.p, BN_value_one()) ||
	    !BN_mod_mul(t, s.d, s.e, m, ctx) || !BN_is_one(t) ||
	    !BN_mod(t, s.d, m, ctx) || BN_cmp(t, dmp1) != 0)
		goto end;
	if (!BN_sub(m, s.q, BN_value_one()) ||
	    !BN_mod_mul(t, s.d, s.e, m, ctx) || !BN_is_one(t) ||
	    !BN_mod(t, s.d, m, ctx) || BN_cmp(t, dmq1) != 0)
		goto end;
	/* iqmp q = 1 mod p */
	if (!BN_mod_mul(t, s.iqmp, s.q, s.p, ctx) || !BN_is_one(t) ||
	    BN_cmp(s.iqmp, s.p) >= 0)
		goto end;
	if (primality && (rc = factors_prime(s.p, s.q)) != VHKEY_OK)
		goto end;
	rc = pairwise(pkey);
end:
	BN_CTX_end(ctx);
out:
	BN_clear_free(dmp1);
	BN_clear_free(dmq1);
	BN_CTX_free(ctx);
	vk_rsa_secrets_clear(&s);
	return rc;
}

/* Everything, primality included: a key read from a file. */
static int
full_check(EVP_PKEY *pkey)
{
	return pair_check(pkey, 1);
}

/* gcd(e, x - 1) == 1 */
int
vk_rsa_coprime_to_pred(const BIGNUM *e, const BIGNUM *x, BN_CTX *bnctx)
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
	struct vk_rsa_secrets s;
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
	if (!vk_rsa_coprime_to_pred(s.e, s.p, bnctx) ||
	    !vk_rsa_coprime_to_pred(s.e, s.q, bnctx))
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
	/*
	 * Everything but the primality of p and q, which were tested when
	 * they were found: vk_rsa_generate() takes them only from
	 * vk_sieve_find_prime(), which returns a number once BN_check_prime()
	 * has found it prime at OpenSSL's default strength (64 Miller-Rabin
	 * rounds with random bases up to 2048 bits, 128 above: an error
	 * below 2^-128, far below it for random candidates).  full_check()
	 * would run that very test again, at the same strength, on the same
	 * numbers, a moment later: as costly as the first run (140 ms of
	 * wall time for a 4096-bit key, a quarter of its generation) for
	 * next to no assurance.  What could go wrong in between is our own
	 * code handing over another number than the one tested; assemble()
	 * derives n, d and the CRT values from whatever it is given, so the
	 * relations would still hold, but with a composite factor d is not
	 * a working exponent (bar composites built for it, as test_rsa
	 * does) and the signature round trip fails.  A key read from a file
	 * gets full_check(), primality and all.
	 */
	rc = pair_check(pkey, 0);
out:
	BN_CTX_free(bnctx);
	vk_rsa_secrets_clear(&s);
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

	if ((rc = vk_get_public_bignum(r, &e)) != VHKEY_OK ||
	    (rc = vk_get_public_bignum(r, &n)) != VHKEY_OK ||
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
	struct vk_rsa_secrets s;
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
	vk_rsa_secrets_clear(&s);
	return rc;
}

/* Build an OpenSSL key pair from OpenSSH's fields, adding d mod (p-1)
 * and d mod (q-1), which OpenSSH does not store.  No check is run here. */
int
vk_rsa_pkey_from_secrets(const struct vk_rsa_secrets *s, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
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
	rc = vk_pkey_fromdata("RSA", params, out);
out:
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
	struct vk_rsa_secrets s = { 0 };
	EVP_PKEY *pkey = NULL;
	int rc;

	if ((rc = vk_get_bignum(r, &s.n)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.e)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.d)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.iqmp)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.p)) != VHKEY_OK ||
	    (rc = vk_get_bignum(r, &s.q)) != VHKEY_OK ||
	    (rc = public_numbers_valid(s.n, s.e)) != VHKEY_OK ||
	    (rc = vk_rsa_pkey_from_secrets(&s, &pkey)) != VHKEY_OK ||
	    (rc = full_check(pkey)) != VHKEY_OK)
		goto out;
	vk_rsa_clear(rsa);
	rsa->n = s.n;
	rsa->e = s.e;
	rsa->pkey = pkey;
	s.n = s.e = NULL;
	pkey = NULL;
	rc = VHKEY_OK;
out:
	if (rc != VHKEY_OK)
		*r = save;
	EVP_PKEY_free(pkey); /* a key that failed its check */
	vk_rsa_secrets_clear(&s);
	return rc;
}
