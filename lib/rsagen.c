/*
 * rsagen.c - RSA key generation: two probable primes found by threads
 * racing each other, then the key assembled and checked.
 *
 * OpenSSL 3's EVP RSA key generation follows SP 800-56B (auxiliary primes,
 * several proofs per prime) and takes seconds for 4096 bits.  Two probable
 * primes that passed BN_check_prime() at OpenSSL's default strength make
 * an equally strong key: the conditions that matter (exact size,
 * gcd(e, p-1) = gcd(e, q-1) = 1, |p - q| > 2^(bits/2 - 100),
 * d > 2^(bits/2)) are enforced below and checked again, with the rest of
 * the key, by vk_rsa_check_generated() before a key leaves the library.
 * The primes come from primesieve.c: random starts, sieved by every odd
 * prime below 2^20 before OpenSSL's test, which leaves far fewer
 * composites to test than BN_generate_prime_ex2()'s own sieve.
 *
 * Finding a prime is a search of random length.  Every thread searches;
 * the first two primes found, by whichever threads, are p and q, and the
 * others are told to stop through OpenSSL's progress callback.  The
 * expected time for two primes is then that of one prime on one thread.
 * Each prime comes from a random start of its own, never from the
 * interval of the other: two primes of one interval would be close enough
 * for Fermat's method.
 */
#include "config.h"

#include <pthread.h>
#include <unistd.h>

#include <openssl/bn.h>

#include "formats.h"

/* The state all searching threads share, under its lock. */
struct race {
	pthread_mutex_t lock;
	int bits;	    /* of each prime */
	int (*cancel)(void *arg); /* the caller's, or NULL */
	void *cancel_arg;
	const BIGNUM *e;
	const struct vk_sieve *sieve;
	BIGNUM *found[2];   /* the first two primes p with gcd(e, p-1) = 1 */
	int nfound;
	int status;	    /* the first error a thread met, or VHKEY_OK */
};

static void race_fail(struct race *r, int status);

/* Two primes found, an error met, or the caller wants no more. */
static int
race_over(struct race *r)
{
	int over;

	pthread_mutex_lock(&r->lock);
	over = r->nfound == 2 || r->status != VHKEY_OK;
	pthread_mutex_unlock(&r->lock);
	if (!over && r->cancel != NULL && r->cancel(r->cancel_arg) != 0) {
		race_fail(r, VHKEY_ERR_STOPPED);
		over = 1;
	}
	return over;
}

/* OpenSSL calls this while it searches; 0 makes it give up. */
static int
keep_going(int a, int b, BN_GENCB *cb)
{
	(void)a;
	(void)b;
	return !race_over(BN_GENCB_get_arg(cb));
}

static void
race_fail(struct race *r, int status)
{
	pthread_mutex_lock(&r->lock);
	if (r->status == VHKEY_OK && r->nfound < 2)
		r->status = status;
	pthread_mutex_unlock(&r->lock);
}

static void *
search(void *arg)
{
	struct race *r = arg;
	BN_CTX *ctx = BN_CTX_secure_new();
	BN_GENCB *cb = BN_GENCB_new();
	BIGNUM *p = NULL;
	int rc;

	if (ctx == NULL || cb == NULL) {
		race_fail(r, VHKEY_ERR_NOMEM);
		goto out;
	}
	BN_GENCB_set(cb, keep_going, r);
	while (!race_over(r)) {
		if (p == NULL && (p = BN_secure_new()) == NULL) {
			race_fail(r, VHKEY_ERR_NOMEM);
			break;
		}
		/* top two bits set: any two such primes make a modulus of
		 * exactly 2 * bits bits */
		if ((rc = vk_sieve_find_prime(r->sieve, r->bits, VK_RSA_E,
			 VK_SIEVE_SPAN, p, cb, ctx)) != VHKEY_OK) {
			if (!race_over(r))
				race_fail(r, rc);
			break;
		}
		/* the sieve left out p = 1 mod e; this costs nothing */
		if (!vk_rsa_coprime_to_pred(r->e, p, ctx))
			continue;
		pthread_mutex_lock(&r->lock);
		if (r->nfound < 2) {
			r->found[r->nfound++] = p;
			p = NULL;
		}
		pthread_mutex_unlock(&r->lock);
	}
out:
	BN_clear_free(p);
	BN_GENCB_free(cb);
	BN_CTX_free(ctx);
	return NULL;
}

/* Two distinct primes of the given size, from how->threads threads (the
 * calling thread alone for 1). */
static int
race_primes(const struct vk_sieve *sieve, const struct vk_rsa_gen *how,
    const BIGNUM *e, BIGNUM **p, BIGNUM **q)
{
	struct race r = { .bits = (int)how->bits / 2, .e = e, .sieve = sieve,
		.cancel = how->cancel, .cancel_arg = how->cancel_arg,
		.status = VHKEY_OK };
	pthread_t tid[VHKEY_GEN_THREADS_MAX];
	int n = how->threads, started = 0;

	*p = *q = NULL;
	if (pthread_mutex_init(&r.lock, NULL) != 0)
		return VHKEY_ERR_NOMEM;
	/* the calling thread searches too: n - 1 more threads */
	if (n > VHKEY_GEN_THREADS_MAX)
		n = VHKEY_GEN_THREADS_MAX;
	for (; started < n - 1; started++)
		if (pthread_create(&tid[started], NULL, search, &r) != 0)
			break;
	search(&r);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&r.lock);
	if (r.status != VHKEY_OK || r.nfound < 2) {
		BN_clear_free(r.found[0]);
		BN_clear_free(r.found[1]);
		return r.status != VHKEY_OK ? r.status : VHKEY_ERR_CRYPTO;
	}
	*p = r.found[0];
	*q = r.found[1];
	return VHKEY_OK;
}

/*
 * n, d and iqmp from p and q.  VHKEY_ERR_KEY_CHECK when this pair must be
 * thrown away: too close together, or a d too small (neither happens with
 * any real chance, but both are conditions of FIPS 186-4 B.3.1).
 */
static int
assemble(unsigned bits, struct vk_rsa_secrets *s, BN_CTX *ctx)
{
	BIGNUM *p1, *q1, *g, *lambda, *diff;
	int rc = VHKEY_ERR_NOMEM;

	BN_CTX_start(ctx);
	p1 = BN_CTX_get(ctx);
	q1 = BN_CTX_get(ctx);
	g = BN_CTX_get(ctx);
	lambda = BN_CTX_get(ctx);
	diff = BN_CTX_get(ctx);
	if (diff == NULL || (s->n = BN_new()) == NULL ||
	    (s->d = BN_secure_new()) == NULL ||
	    (s->iqmp = BN_secure_new()) == NULL)
		goto out;
	rc = VHKEY_ERR_CRYPTO;
	/* by convention p > q */
	if (BN_cmp(s->p, s->q) < 0) {
		BIGNUM *t = s->p;
		s->p = s->q;
		s->q = t;
	}
	if (!BN_sub(diff, s->p, s->q) || !BN_mul(s->n, s->p, s->q, ctx) ||
	    !BN_sub(p1, s->p, BN_value_one()) ||
	    !BN_sub(q1, s->q, BN_value_one()) || !BN_gcd(g, p1, q1, ctx) ||
	    !BN_mul(lambda, p1, q1, ctx) ||
	    !BN_div(lambda, NULL, lambda, g, ctx))
		goto out;
	rc = VHKEY_ERR_KEY_CHECK;
	if (BN_num_bits(diff) <= (int)(bits / 2 - 100) ||
	    (unsigned)BN_num_bits(s->n) != bits)
		goto out;
	/* d = e^-1 mod lcm(p-1, q-1); iqmp = q^-1 mod p */
	BN_set_flags(lambda, BN_FLG_CONSTTIME);
	if (BN_mod_inverse(s->d, s->e, lambda, ctx) == NULL ||
	    BN_mod_inverse(s->iqmp, s->q, s->p, ctx) == NULL)
		goto out;
	if (BN_num_bits(s->d) <= (int)(bits / 2))
		goto out;
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	return rc;
}

int
vk_rsa_generate(const struct vk_rsa_gen *how, EVP_PKEY **out)
{
	struct vk_rsa_secrets s = { 0 };
	struct vk_sieve *sieve = NULL;
	BN_CTX *ctx = NULL;
	int rc = VHKEY_ERR_NOMEM;

	*out = NULL;
	if ((ctx = BN_CTX_secure_new()) == NULL ||
	    (rc = vk_sieve_new(&sieve)) != VHKEY_OK)
		goto out;
	for (int attempt = 0; attempt < 4; attempt++) {
		vk_rsa_secrets_clear(&s);
		if ((s.e = BN_new()) == NULL || !BN_set_word(s.e, VK_RSA_E)) {
			rc = VHKEY_ERR_NOMEM;
			goto out;
		}
		if ((rc = race_primes(sieve, how, s.e, &s.p, &s.q)) !=
		    VHKEY_OK)
			goto out;
		if ((rc = assemble(how->bits, &s, ctx)) != VHKEY_ERR_KEY_CHECK)
			break;
	}
	if (rc != VHKEY_OK)
		goto out;
	rc = vk_rsa_pkey_from_secrets(&s, out);
out:
	vk_rsa_secrets_clear(&s);
	vk_sieve_free(sieve);
	BN_CTX_free(ctx);
	return rc;
}
