/* test_strength.c - the policy and weak-key checks, with moduli built to
 * have each weakness. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/rsa.h>

#include "check.h"
#include "testutil.h"

#define NEW_KEY_HINT "`ssh-keygen -t rsa -b 4096`"
#define VHKEYGEN_HINT "`vhkeygen -f valohai-debug-key`"

static vhkey_policy *
policy_with_min(unsigned bits)
{
	vhkey_policy *p = NULL;

	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_min_rsa_bits(p, bits), VHKEY_OK);
	return p;
}

static vhkey *
rsa_key(const BIGNUM *e, const BIGNUM *n)
{
	vk_writer w;
	vhkey *key = NULL;

	vk_writer_init(&w, 0);
	assert_int_equal(vk_put_cstring(&w, "ssh-rsa"), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, e), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, n), VHKEY_OK);
	assert_int_equal(vk_key_from_blob(w.data, w.len, &key), VHKEY_OK);
	vk_writer_clear(&w);
	return key;
}

static BIGNUM *
bn_word(unsigned long v)
{
	BIGNUM *bn = BN_new();

	assert_non_null(bn);
	assert_true(BN_set_word(bn, v));
	return bn;
}

static BIGNUM *
prime(int bits)
{
	BIGNUM *p = BN_new();

	assert_non_null(p);
	assert_int_equal(BN_generate_prime_ex(p, bits, 0, NULL, NULL, NULL),
	    1);
	return p;
}

/* The smallest prime above x. */
static BIGNUM *
next_prime(const BIGNUM *x)
{
	BIGNUM *p = BN_dup(x);

	assert_non_null(p);
	assert_true(BN_add_word(p, BN_is_odd(p) ? 2 : 1));
	while (BN_check_prime(p, NULL, NULL) != 1)
		assert_true(BN_add_word(p, 2));
	return p;
}

static BIGNUM *
product(const BIGNUM *a, const BIGNUM *b)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *n = BN_new();

	assert_non_null(ctx);
	assert_non_null(n);
	assert_true(BN_mul(n, a, b, ctx));
	BN_CTX_free(ctx);
	return n;
}

/* No hex or base64 run of the key's numbers in a message: nothing longer
 * than the longest word the messages use on purpose. */
static void
assert_no_key_bytes(const vhkey *key, const char *msg)
{
	size_t len;
	const uint8_t *blob = vhkey_public_blob(key, &len);
	char *b64 = tu_b64(blob, len), *hex = BN_bn2hex(key->rsa.n);
	char probe[17];

	for (size_t i = 0; i + 16 <= strlen(b64); i += 8) {
		memcpy(probe, b64 + i, 16);
		probe[16] = '\0';
		assert_null(strstr(msg, probe));
	}
	for (size_t i = 0; i + 16 <= strlen(hex); i += 8) {
		memcpy(probe, hex + i, 16);
		probe[16] = '\0';
		assert_null(strcasestr(msg, probe));
	}
	OPENSSL_free(hex);
	free(b64);
}

/* The check with a memo: its first call (the memo learns the outcome)
 * and its second (the memo gives it) report what the check without one
 * reported. */
static void
assert_memo_agrees(const vhkey *key, const vhkey_policy *policy,
    int reason, const char *msg)
{
	struct vk_memo *memo;

	assert_int_equal(vk_memo_new(&memo, 2, NULL), VHKEY_OK);
	for (int i = 0; i < 2; i++) {
		vhkey_report *r = vk_report_new();

		assert_non_null(r);
		assert_int_equal(vk_check_key_policy(key, policy, r, memo),
		    VHKEY_OK);
		assert_int_equal(vhkey_report_reason(r), reason);
		assert_string_equal(vhkey_report_message(r), msg);
		vhkey_report_free(r);
	}
	vk_memo_free(memo);
}

/* Check; return the reason, and the message in msg (static). */
static int
check(const vhkey *key, const vhkey_policy *policy, const char **msg)
{
	static char buf[2048];
	vhkey_report *r = vk_report_new();
	int reason;

	assert_non_null(r);
	assert_int_equal(vk_check_key_policy(key, policy, r, NULL), VHKEY_OK);
	assert_memo_agrees(key, policy, vhkey_report_reason(r),
	    vhkey_report_message(r));
	reason = vhkey_report_reason(r);
	assert_int_equal(vhkey_report_verdict(r),
	    reason == VHKEY_REASON_NONE ? VHKEY_ACCEPTED : VHKEY_REJECTED);
	snprintf(buf, sizeof(buf), "%s", vhkey_report_message(r));
	if (reason == VHKEY_REASON_NONE)
		assert_string_equal(buf, ""); /* the report is untouched */
	else if (vhkey_get_type(key) == VHKEY_TYPE_RSA)
		assert_no_key_bytes(key, buf);
	vhkey_report_free(r);
	if (msg != NULL)
		*msg = buf;
	return reason;
}

/* Weak, with a message that holds want and says how to make a new key. */
static void
assert_weak(const vhkey *key, const vhkey_policy *policy, const char *want)
{
	const char *msg;

	assert_int_equal(check(key, policy, &msg), VHKEY_REASON_WEAK_KEY);
	if (strstr(msg, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, msg);
	assert_non_null(strstr(msg, NEW_KEY_HINT));
	assert_non_null(strstr(msg, VHKEYGEN_HINT));
}

static void
assert_accepted(const vhkey *key, const vhkey_policy *policy)
{
	const char *msg;

	if (check(key, policy, &msg) != VHKEY_REASON_NONE)
		fail_msg("rejected: %s", msg);
}

/* Weak with want in the message, or accepted when want is NULL. */
static void
assert_verdict(const vhkey *key, const vhkey_policy *policy,
    const char *want)
{
	if (want != NULL)
		assert_weak(key, policy, want);
	else
		assert_accepted(key, policy);
}

/* What the memo holds for a key is its verdict: the tests do not run
 * again. */
static void
test_memo_decides(void **state)
{
	vhkey *key = tu_load_public("paste/rsa4096.pub");
	vhkey_policy *policy;
	struct vk_memo *memo;
	vhkey_report *r = vk_report_new();
	const uint8_t *blob;
	size_t len;

	(void)state;
	assert_non_null(r);
	assert_int_equal(vhkey_policy_new(&policy), VHKEY_OK);
	assert_int_equal(vk_memo_new(&memo, 0, NULL), VHKEY_OK);
	blob = vhkey_public_blob(key, &len);
	vk_memo_put(memo, blob, len,
	    (uint64_t)65521 << 8 | VK_RSA_WEAK_SMALL_FACTOR);
	assert_int_equal(vk_check_key_policy(key, policy, r, memo), VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_WEAK_KEY);
	assert_non_null(strstr(vhkey_report_message(r), "divisible by 65521"));
	vhkey_report_free(r);
	vk_memo_free(memo);
	vhkey_policy_free(policy);
	vhkey_free(key);
}

static void
test_fixtures_pass(void **state)
{
	static const char *names[] = { "rsa2048.pub", "rsa3072.pub",
		"rsa4096-nocomment.pub", "ed25519.pub", "ecdsa256.pub",
		"ecdsa384.pub", "ecdsa521.pub", "sk-ecdsa.pub",
		"sk-ed25519.pub" };
	vhkey_policy *p = NULL;

	(void)state;
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		vhkey *key = tu_load_public(names[i]);
		assert_accepted(key, p);
		vhkey_free(key);
	}
	vhkey_policy_free(p);
}

static void
test_type_not_allowed(void **state)
{
	vhkey_policy *p = NULL;
	vhkey *key = NULL;
	const char *msg;

	(void)state;
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	key = tu_load_public("ed25519.pub");
	assert_int_equal(vhkey_policy_allow_type(p, VHKEY_TYPE_ED25519, 0),
	    VHKEY_OK);
	assert_int_equal(check(key, p, &msg), VHKEY_REASON_UNSUPPORTED_TYPE);
	assert_string_equal(msg,
	    "This server does not accept ssh-ed25519 keys. "
	    "Paste a key of an accepted type: ssh-rsa, ecdsa-sha2-nistp256, "
	    "ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, "
	    "sk-ecdsa-sha2-nistp256@openssh.com, "
	    "sk-ssh-ed25519@openssh.com. Generate a new 4096-bit RSA key, "
	    "e.g. with " VHKEYGEN_HINT " or " NEW_KEY_HINT ", and paste its "
	    ".pub file instead.");
	/* without RSA, no advice to make an RSA key */
	assert_int_equal(vhkey_policy_allow_type(p, VHKEY_TYPE_RSA, 0),
	    VHKEY_OK);
	assert_int_equal(check(key, p, &msg), VHKEY_REASON_UNSUPPORTED_TYPE);
	assert_null(strstr(msg, "ssh-rsa"));
	assert_null(strstr(msg, "RSA"));
	/* nothing allowed at all */
	for (int t = VHKEY_TYPE_RSA; t < VHKEY_TYPE_COUNT; t++)
		assert_int_equal(vhkey_policy_allow_type(p, (vhkey_type)t, 0),
		    VHKEY_OK);
	assert_int_equal(check(key, p, &msg), VHKEY_REASON_UNSUPPORTED_TYPE);
	assert_string_equal(msg, "This server does not accept ssh-ed25519 "
				 "keys, nor keys of any other type: ask its "
				 "administrator.");
	/* and it is the type, not the key: an allowed type passes */
	assert_int_equal(vhkey_policy_allow_type(p, VHKEY_TYPE_ED25519, 1),
	    VHKEY_OK);
	assert_accepted(key, p);
	vhkey_free(key);
	vhkey_policy_free(p);
}

static void
test_rsa_size(void **state)
{
	EVP_PKEY *pkey = EVP_RSA_gen(1024);
	vhkey_policy *p = NULL;
	vhkey *key = NULL;
	const char *msg;

	(void)state;
	assert_non_null(pkey);
	key = vk_key_new(VHKEY_TYPE_RSA);
	assert_non_null(key);
	assert_int_equal(vk_rsa_set_public(key, pkey), VHKEY_OK);
	assert_int_equal(vk_key_set_blob(key), VHKEY_OK);
	assert_int_equal(vhkey_get_bits(key), 1024);
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_weak(key, p, "has 1024 bits; keys must have at least 2048");
	assert_int_equal(check(key, p, &msg), VHKEY_REASON_WEAK_KEY);
	assert_non_null(strstr(msg, "Generate a new 4096-bit RSA key"));
	vhkey_policy_free(p);
	/* the policy decides */
	p = policy_with_min(1024);
	assert_accepted(key, p);
	vhkey_policy_free(p);
	p = policy_with_min(3072);
	vhkey_free(key);
	key = tu_load_public("rsa2048.pub");
	assert_weak(key, p, "has 2048 bits; keys must have at least 3072");
	vhkey_free(key);
	key = tu_load_public("rsa3072.pub");
	assert_accepted(key, p);
	vhkey_free(key);
	vhkey_policy_free(p);
}

/* The fixture's modulus, with another exponent. */
static void
test_exponent(void **state)
{
	static const struct {
		unsigned long e;
		const char *want; /* NULL: accepted */
	} cases[] = {
		{ 1, "public exponent is 1," },
		{ 2, "public exponent is 2," },
		{ 65536, "public exponent is 65536," },
		{ 4, "public exponent is 4," },
		{ 3, NULL },
		{ 17, NULL },
		{ 65537, NULL },
	};
	vhkey_policy *p = policy_with_min(2048);
	vhkey *fixture = NULL;

	(void)state;
	fixture = tu_load_public("rsa2048.pub");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BIGNUM *e = bn_word(cases[i].e);
		vhkey *key = rsa_key(e, fixture->rsa.n);

		assert_verdict(key, p, cases[i].want);
		vhkey_free(key);
		BN_free(e);
	}
	{
		/* a huge even exponent is described, not printed */
		BIGNUM *e = BN_new();
		vhkey *key;

		assert_true(BN_set_bit(e, 300));
		key = rsa_key(e, fixture->rsa.n);
		assert_weak(key, p, "an even 301-bit number");
		vhkey_free(key);
		BN_free(e);
	}
	vhkey_free(fixture);
	vhkey_policy_free(p);
}

static void
test_even_modulus(void **state)
{
	vhkey_policy *p = policy_with_min(2048);
	vhkey *fixture = NULL, *key;
	BIGNUM *n;

	(void)state;
	fixture = tu_load_public("rsa2048.pub");
	n = BN_dup(fixture->rsa.n);
	assert_true(BN_add_word(n, 1));
	key = rsa_key(fixture->rsa.e, n);
	assert_int_equal(vhkey_get_bits(key), 2048);
	assert_weak(key, p, "modulus is even");
	vhkey_free(key);
	BN_free(n);
	vhkey_free(fixture);
	vhkey_policy_free(p);
}

/* n = f * (a prime of the remaining size): f up to 65537 is found, the
 * smallest factor named. */
static void
test_small_factors(void **state)
{
	static const struct {
		unsigned long f;
		const char *want;
	} cases[] = {
		{ 3, "divisible by 3," },
		{ 5, "divisible by 5," },
		{ 167, "divisible by 167," },
		{ 3 * 7, "divisible by 3," },
		{ 251UL * 65521UL, "divisible by 251," },
		{ 32749, "divisible by 32749," },
		{ 65519, "divisible by 65519," },
		{ 65521, "divisible by 65521," },
		{ 65521UL * 65519UL, "divisible by 65519," },
		{ 65537, "divisible by 65537," },
		{ 65537UL * 65521UL, "divisible by 65521," },
	};
	vhkey_policy *p = policy_with_min(1024);
	BIGNUM *e = bn_word(65537);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BIGNUM *f = bn_word(cases[i].f);
		BIGNUM *q = prime(1100 - BN_num_bits(f));
		BIGNUM *n = product(f, q);
		vhkey *key = rsa_key(e, n);

		assert_verdict(key, p, cases[i].want);
		vhkey_free(key);
		BN_free(n);
		BN_free(q);
		BN_free(f);
	}
	BN_free(e);
	vhkey_policy_free(p);
}

/* q the next prime after p + 2^k.  For n of 2048 bits Fermat's method
 * needs about 2^(2k - 1027) steps: found up to 2^20 steps, k = 523. */
static void
test_fermat(void **state)
{
	static const struct {
		int k; /* -1: q = p */
		int weak;
	} cases[] = {
		{ -1, 1 }, { 0, 1 }, { 1, 1 }, { 100, 1 }, { 500, 1 },
		{ 522, 1 }, { 523, 1 }, { 525, 0 }, { 530, 0 }, { 600, 0 },
	};
	vhkey_policy *p = policy_with_min(2048);
	BIGNUM *e = bn_word(65537), *a = prime(1024);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BIGNUM *b = BN_dup(a), *q, *n;
		vhkey *key;

		if (cases[i].k >= 0) {
			BIGNUM *d = BN_new();

			assert_true(BN_set_bit(d, cases[i].k));
			assert_true(BN_add(b, b, d));
			BN_free(d);
			q = next_prime(b);
		} else {
			q = BN_dup(a);
		}
		n = product(a, q);
		key = rsa_key(e, n);
		assert_true(vhkey_get_bits(key) >= 2048);
		if (cases[i].weak)
			assert_weak(key, p, "(Fermat's method)");
		else
			assert_accepted(key, p);
		vhkey_free(key);
		BN_free(n);
		BN_free(q);
		BN_free(b);
	}
	BN_free(a);
	BN_free(e);
	vhkey_policy_free(p);
}

/* 2 * 3 * 5 * ... * maxp */
static BIGNUM *
primorial(unsigned maxp)
{
	BIGNUM *m = bn_word(2);

	for (size_t i = 0; i < VK_SMALL_PRIMES && vk_small_primes[i] <= maxp;
	     i++)
		assert_true(BN_mul_word(m, vk_small_primes[i]));
	return m;
}

/* A prime of bits bits that is r modulo m (r coprime to m). */
static BIGNUM *
prime_congruent(const BIGNUM *m, const BIGNUM *r, int bits)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *k = BN_new(), *p = BN_new();

	for (;;) {
		assert_true(BN_rand(k, bits - BN_num_bits(m), BN_RAND_TOP_ONE,
		    BN_RAND_BOTTOM_ANY));
		assert_true(BN_mul(p, k, m, ctx));
		assert_true(BN_add(p, p, r));
		if (BN_num_bits(p) == bits &&
		    BN_check_prime(p, ctx, NULL) == 1)
			break;
	}
	BN_free(k);
	BN_CTX_free(ctx);
	return p;
}

/* RSALib's primes (the ROCA paper, 2.3): p = k * M + (65537^a mod M), M
 * the product of the primes up to 701 for 2048-bit keys. */
static BIGNUM *
roca_prime(const BIGNUM *m, int bits)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *g = bn_word(65537), *a = BN_new(), *r = BN_new(), *p;

	assert_true(BN_rand_range(a, m));
	assert_true(BN_mod_exp(r, g, a, m, ctx));
	p = prime_congruent(m, r, bits);
	BN_free(r);
	BN_free(a);
	BN_free(g);
	BN_CTX_free(ctx);
	return p;
}

/*
 * A residue modulo 167# that the quick ROCA test passes and the exact one
 * does not: for each prime l <= 167 its own random power of 65537 mod l,
 * joined by the Chinese remainder theorem (which no single power of 65537
 * matches, but for a chance of 2^-127).
 */
static BIGNUM *
fake_roca_residue(const BIGNUM *m)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *h = BN_new(), *t = BN_new(), *ml = BN_new(),
	       *l = BN_new(), *inv = BN_new();

	BN_zero(h);
	for (size_t i = 0; i < 39; i++) {
		unsigned long lp = i == 0 ? 2 : vk_small_primes[i - 1];
		unsigned long g = 65537 % lp, x = 1;
		unsigned long steps = (unsigned long)rand() % lp;

		for (unsigned long j = 0; j < steps; j++)
			x = x * g % lp;
		/* h += x * (M/l) * ((M/l)^-1 mod l) */
		assert_true(BN_set_word(l, lp));
		assert_true(BN_div(ml, NULL, m, l, ctx));
		assert_non_null(BN_mod_inverse(inv, ml, l, ctx));
		assert_true(BN_mul(t, ml, inv, ctx));
		assert_true(BN_mul_word(t, x));
		assert_true(BN_add(h, h, t));
	}
	assert_true(BN_nnmod(h, h, m, ctx));
	BN_free(inv);
	BN_free(l);
	BN_free(ml);
	BN_free(t);
	BN_CTX_free(ctx);
	return h;
}

/* Is n mod l, for every odd prime l <= 167, a power of 65537 mod l?  (The
 * quick test, written again here.) */
static int
roca_quick(const BIGNUM *n)
{
	for (size_t i = 0; i < 38; i++) {
		unsigned long l = vk_small_primes[i], r = BN_mod_word(n, l);
		unsigned long g = 65537 % l, x = 1;

		assert_int_equal(vk_small_primes[i] <= 167, 1);
		do {
			if (x == r)
				break;
			x = x * g % l;
		} while (x != 1);
		if (x != r)
			return 0;
	}
	return 1;
}

static void
test_roca(void **state)
{
	/* two 1024-bit primes may make a 2047-bit modulus */
	vhkey_policy *p = policy_with_min(2047);
	BIGNUM *e = bn_word(65537), *m701 = primorial(701);
	BIGNUM *m167 = primorial(167);

	(void)state;
	srand(1);
	for (int round = 0; round < 3; round++) {
		BIGNUM *a = roca_prime(m701, 1024), *b = roca_prime(m701, 1024);
		BIGNUM *n = product(a, b);
		vhkey *key = rsa_key(e, n);
		BIGNUM *h1 = fake_roca_residue(m167);
		BIGNUM *h2 = fake_roca_residue(m167);
		BIGNUM *c = prime_congruent(m167, h1, 1024);
		BIGNUM *d = prime_congruent(m167, h2, 1024);
		BIGNUM *fake = product(c, d);
		vhkey *fkey = rsa_key(e, fake);

		assert_true(vhkey_get_bits(key) >= 2047);
		assert_true(vhkey_get_bits(fkey) >= 2047);
		assert_true(roca_quick(n));
		assert_true(roca_quick(fake));
		assert_weak(key, p, "ROCA");
		assert_weak(key, p, "CVE-2017-15361");
		/* passes the per-prime test only: not RSALib's */
		assert_accepted(fkey, p);
		vhkey_free(fkey);
		vhkey_free(key);
		BN_free(fake);
		BN_free(d);
		BN_free(c);
		BN_free(h2);
		BN_free(h1);
		BN_free(n);
		BN_free(b);
		BN_free(a);
	}
	BN_free(m167);
	BN_free(m701);
	BN_free(e);
	vhkey_policy_free(p);
}

/* ------------------------------------------------- vk_rsa_weakness() */

/* n's smallest prime factor up to 65537 (2 when n is even), or 0: the
 * plain way, one BN_mod_word() a prime. */
static uint32_t
reference_factor(const BIGNUM *n)
{
	if (!BN_is_odd(n))
		return 2;
	for (size_t i = 0; i < VK_SMALL_PRIMES; i++) {
		BN_ULONG r = BN_mod_word(n, vk_small_primes[i]);

		assert_true(r != (BN_ULONG)-1);
		if (r == 0)
			return vk_small_primes[i];
	}
	return BN_mod_word(n, 65537) == 0 ? 65537 : 0;
}

static struct vk_rsa_weakness
weakness(const BIGNUM *n)
{
	struct vk_rsa_weakness w;

	assert_int_equal(vk_rsa_weakness(n, &w), VHKEY_OK);
	if (w.kind != VK_RSA_WEAK_SMALL_FACTOR && w.kind != VK_RSA_WEAK_POWER)
		assert_int_equal(w.factor, 0);
	return w;
}

/* vk_rsa_weakness() names the reference's factor, or none. */
static void
assert_factor_is_reference(const BIGNUM *n)
{
	uint32_t want = reference_factor(n);
	struct vk_rsa_weakness w = weakness(n);

	if (want == 0) {
		if (w.kind == VK_RSA_WEAK_SMALL_FACTOR)
			fail_msg("%d-bit n: factor %lu, the reference none",
			    BN_num_bits(n), (unsigned long)w.factor);
		return;
	}
	if (w.kind != VK_RSA_WEAK_SMALL_FACTOR || w.factor != want)
		fail_msg("%d-bit n: kind %d factor %lu, the reference %lu",
		    BN_num_bits(n), w.kind, (unsigned long)w.factor,
		    (unsigned long)want);
}

/* A random odd number of exactly bits bits (bits >= 2). */
static BIGNUM *
random_odd(int bits)
{
	BIGNUM *n = BN_new();

	assert_non_null(n);
	assert_true(BN_rand(n, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD));
	return n;
}

/* The smallest odd number >= x (x odd) with no prime factor below 2^16. */
static BIGNUM *
rough_from(const BIGNUM *x)
{
	BIGNUM *n = BN_dup(x);

	assert_non_null(n);
	assert_true(BN_is_odd(n));
	while (reference_factor(n) != 0)
		assert_true(BN_add_word(n, 2));
	return n;
}

/* 2^k - 1 */
static BIGNUM *
all_ones(int k)
{
	BIGNUM *n = BN_new();

	assert_non_null(n);
	BN_zero(n);
	assert_true(BN_set_bit(n, k));
	assert_true(BN_sub_word(n, 1));
	return n;
}

/* The primes the trial division is most likely to get wrong: the first
 * and last, and those on each side of every boundary between groups of
 * primes taken together (small_factor() packs them four to a modulus and
 * sixteen to a pass over n). */
static int
boundary_prime(size_t i)
{
	return i < 16 || i + 16 >= VK_SMALL_PRIMES || i % 4 == 0 ||
	    i % 4 == 3;
}

/* Random odd moduli of every length up to 64 words, whole and partial top
 * words, bare and with a prime below 2^16 planted. */
static void
test_small_factor_random(void **state)
{
	static const int short_by[] = { 0, 1, 17, 33, 63 };
	size_t planted = 0;

	(void)state;
	for (int words = 1; words <= 64; words++) {
		for (size_t k = 0; k < sizeof(short_by) / sizeof(short_by[0]);
		     k++) {
			int bits = 64 * words - short_by[k];

			if (bits < 2)
				continue;
			for (int round = 0; round < 2; round++) {
				BIGNUM *n = random_odd(bits);

				assert_factor_is_reference(n);
				BN_free(n);
			}
			if (bits > 40) {
				/* p * (a random odd number) */
				BIGNUM *n = random_odd(bits - 17);

				while (!boundary_prime(planted))
					planted = (planted + 1) %
					    VK_SMALL_PRIMES;
				assert_true(BN_mul_word(n,
				    vk_small_primes[planted]));
				assert_factor_is_reference(n);
				BN_free(n);
				planted = (planted + 1) % VK_SMALL_PRIMES;
			}
		}
	}
}

/* Every prime below 2^16 planted alone: p * (a prime above 2^16), in
 * moduli of 2 and 9 words (the Mersenne primes 2^61 - 1 and 2^521 - 1),
 * and the boundary primes in one of 67 words (2^4253 - 1). */
static void
test_small_factor_each_prime(void **state)
{
	static const int mersenne[] = { 61, 521, 4253 };

	(void)state;
	for (size_t k = 0; k < sizeof(mersenne) / sizeof(mersenne[0]); k++) {
		BIGNUM *m = all_ones(mersenne[k]), *n = BN_new();

		assert_non_null(n);
		assert_int_equal(reference_factor(m), 0);
		for (size_t i = 0; i < VK_SMALL_PRIMES; i++) {
			struct vk_rsa_weakness w;

			if (mersenne[k] > 1000 && !boundary_prime(i))
				continue;
			assert_non_null(BN_copy(n, m));
			assert_true(BN_mul_word(n, vk_small_primes[i]));
			w = weakness(n);
			assert_int_equal(w.kind, VK_RSA_WEAK_SMALL_FACTOR);
			assert_int_equal(w.factor, vk_small_primes[i]);
		}
		BN_free(n);
		BN_free(m);
	}
}

/* Hostile moduli: one word, words of all ones, the largest size and past
 * it, even, negative. */
static void
test_weakness_hostile(void **state)
{
	static const int ones[] = { 2, 3, 5, 7, 13, 17, 31, 61, 63, 64, 65,
		89, 107, 127, 128, 129, 521, 4096, 4097, 8191, 16383,
		VHKEY_RSA_MAX_BITS };
	struct vk_rsa_weakness w;
	BIGNUM *n, *p, *q;

	(void)state;
	/* 2^k - 1: every word all ones, the top one perhaps partly */
	for (size_t k = 0; k < sizeof(ones) / sizeof(ones[0]); k++) {
		n = all_ones(ones[k]);
		assert_factor_is_reference(n);
		BN_free(n);
	}
	/* one word: small composites, a prime above 2^16 squared and times
	 * 65521, the largest odd word */
	n = BN_new();
	assert_non_null(n);
	for (unsigned long v = 1; v < 2000; v += 2) {
		assert_true(BN_set_word(n, v));
		assert_factor_is_reference(n);
	}
	assert_true(BN_set_word(n, 65537UL * 65537UL));
	assert_factor_is_reference(n);
	assert_true(BN_set_word(n, 65537UL * 65521UL));
	assert_int_equal(weakness(n).factor, 65521);
	assert_true(BN_set_word(n, (BN_ULONG)-1));
	assert_factor_is_reference(n);
	/* even, of any size: 2 */
	assert_true(BN_set_word(n, 0));
	assert_int_equal(weakness(n).factor, 2);
	assert_true(BN_set_bit(n, VHKEY_RSA_MAX_BITS - 1));
	w = weakness(n);
	assert_int_equal(w.kind, VK_RSA_WEAK_SMALL_FACTOR);
	assert_int_equal(w.factor, 2);
	/* past the largest size, negative: refused */
	assert_true(BN_set_bit(n, VHKEY_RSA_MAX_BITS));
	assert_true(BN_add_word(n, 1));
	assert_int_equal(vk_rsa_weakness(n, &w), VHKEY_ERR_CRYPTO);
	assert_true(BN_set_word(n, 3));
	BN_set_negative(n, 1);
	assert_int_equal(vk_rsa_weakness(n, &w), VHKEY_ERR_CRYPTO);
	BN_free(n);
	/* the largest size: 65521 planted, then no small factor at all */
	n = random_odd(VHKEY_RSA_MAX_BITS - 16);
	p = rough_from(n);
	assert_true(BN_mul_word(p, 65521));
	assert_int_equal(BN_num_bits(p), VHKEY_RSA_MAX_BITS);
	w = weakness(p);
	assert_int_equal(w.kind, VK_RSA_WEAK_SMALL_FACTOR);
	assert_int_equal(w.factor, 65521);
	BN_free(n);
	BN_free(p);
	n = random_odd(VHKEY_RSA_MAX_BITS / 2);
	p = rough_from(n);
	BN_free(n);
	n = random_odd(VHKEY_RSA_MAX_BITS / 2);
	q = rough_from(n);
	BN_free(n);
	n = product(p, q);
	assert_int_equal(BN_num_bits(n) >= VHKEY_RSA_MAX_BITS - 1, 1);
	/* (not primes: Pollard's p - 1 may find a factor, so only this) */
	assert_int_not_equal(weakness(n).kind, VK_RSA_WEAK_SMALL_FACTOR);
	BN_free(n);
	BN_free(q);
	BN_free(p);
}

/* floor(sqrt(v)), one bit at a time. */
static BIGNUM *
reference_isqrt(const BIGNUM *v)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *r = BN_new(), *t = BN_new();

	assert_non_null(ctx);
	assert_non_null(t);
	BN_zero(r);
	for (int b = BN_num_bits(v) / 2; b >= 0; b--) {
		assert_true(BN_set_bit(r, b));
		assert_true(BN_sqr(t, r, ctx));
		if (BN_cmp(t, v) > 0)
			assert_true(BN_clear_bit(r, b));
	}
	BN_free(t);
	BN_CTX_free(ctx);
	return r;
}

/*
 * p and q with no factor below 2^16 that Fermat's method reaches at
 * exactly step s: (p + q) / 2 = ceil(sqrt(pq)) + s.  With x = (p + q) / 2
 * and y = (q - p) / 2 that is 2xs - s^2 <= y^2 < 2x(s + 1) - (s + 1)^2; y
 * about sqrt((2s + 1) p) lies in the middle, and the window is so wide
 * that moving q to the next number without small factors stays in it
 * (which is checked).
 */
static BIGNUM *
fermat_pair(const BIGNUM *p, uint32_t s)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *t = BN_dup(p), *y, *q, *n, *a;

	assert_non_null(ctx);
	assert_non_null(t);
	assert_true(BN_mul_word(t, 2 * (BN_ULONG)s + 1));
	y = reference_isqrt(t);
	assert_true(BN_lshift1(y, y));
	assert_true(BN_add(t, p, y));
	q = rough_from(t);
	n = product(p, q);
	/* a = ceil(sqrt(n)); the step is (p + q) / 2 - a */
	a = reference_isqrt(n);
	assert_true(BN_sqr(t, a, ctx));
	if (BN_cmp(t, n) < 0)
		assert_true(BN_add_word(a, 1));
	assert_true(BN_add(t, p, q));
	assert_true(BN_rshift1(t, t));
	assert_true(BN_sub(t, t, a));
	assert_true(BN_is_word(t, s));
	BN_free(a);
	BN_free(q);
	BN_free(y);
	BN_free(t);
	BN_CTX_free(ctx);
	return n;
}

/* Close pairs planted at chosen steps: the first, the second, each side
 * of the sieve's 64-step blocks, the last step, and just past it. */
static void
test_fermat_steps(void **state)
{
	static const struct {
		uint32_t step;
		int found;
	} cases[] = {
		{ 0, 1 }, { 1, 1 }, { 63, 1 }, { 64, 1 },
		{ (1u << 20) - 1, 1 }, { 1u << 20, 0 }, { (1u << 20) + 1, 0 },
	};
	static const int bits[] = { 1024, 2048 };

	(void)state;
	for (size_t b = 0; b < sizeof(bits) / sizeof(bits[0]); b++) {
		BIGNUM *r = random_odd(bits[b]), *p = rough_from(r);

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			BIGNUM *n = fermat_pair(p, cases[i].step);
			struct vk_rsa_weakness w = weakness(n);

			/* p and q have no small factor but need not be
			 * prime: past Fermat's reach, Pollard's p - 1 may
			 * still find a factor of one */
			if ((w.kind == VK_RSA_WEAK_FERMAT) != cases[i].found)
				fail_msg("%d-bit n, step %lu: kind %d",
				    BN_num_bits(n),
				    (unsigned long)cases[i].step, w.kind);
			BN_free(n);
		}
		BN_free(p);
		BN_free(r);
	}
}


/* -------------------------------------- moduli anyone can factor, new */

/* A prime of bits bits (BN_generate_prime_ex2, OpenSSL's default
 * strength). */
static BIGNUM *
prime2(int bits)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *p = BN_new();

	assert_non_null(ctx);
	assert_non_null(p);
	assert_int_equal(BN_generate_prime_ex2(p, bits, 0, NULL, NULL, NULL,
	    ctx), 1);
	BN_CTX_free(ctx);
	return p;
}

/* base^k */
static BIGNUM *
power(const BIGNUM *base, unsigned long k)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *n = BN_new(), *kb = bn_word(k);

	assert_true(BN_exp(n, base, kb, ctx));
	BN_free(kb);
	BN_CTX_free(ctx);
	return n;
}

static void
assert_kind(const BIGNUM *n, int kind)
{
	struct vk_rsa_weakness w = weakness(n);

	if (w.kind != kind)
		fail_msg("%d-bit n: kind %d, not %d", BN_num_bits(n), w.kind,
		    kind);
}

/* The key (e = 65537, n) is weak with a message that holds want. */
static void
assert_modulus_weak(const BIGNUM *n, const char *want)
{
	vhkey_policy *p = policy_with_min(1024);
	BIGNUM *e = bn_word(65537);
	vhkey *key = rsa_key(e, n);

	assert_weak(key, p, want);
	vhkey_free(key);
	BN_free(e);
	vhkey_policy_free(p);
}

/* A prime modulus of 2048 bits (a fresh one) and 4096 (RFC 3526's). */
static void
test_prime_modulus(void **state)
{
	BIGNUM *p = prime2(2048), *q = BN_get_rfc3526_prime_4096(NULL);

	(void)state;
	assert_non_null(q);
	assert_kind(p, VK_RSA_WEAK_PRIME);
	assert_kind(q, VK_RSA_WEAK_PRIME);
	assert_modulus_weak(p, "modulus is a prime number");
	assert_modulus_weak(q, "modulus is a prime number");
	BN_free(q);
	BN_free(p);
}

/* m^k for odd primes k, composite m, the largest k for an m just past
 * 65537; and look-alikes that are not powers. */
static void
test_perfect_power(void **state)
{
	static const struct {
		int mbits;
		unsigned long k;
	} cases[] = { { 683, 3 }, { 410, 5 }, { 293, 7 }, { 187, 11 } };
	BIGNUM *p, *q, *m, *n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[64];

		p = prime(cases[i].mbits);
		n = power(p, cases[i].k);
		assert_true(BN_num_bits(n) >= 2048);
		snprintf(want, sizeof(want), "perfect power (a number to the "
		    "power %lu)", cases[i].k);
		assert_modulus_weak(n, want);
		BN_free(n);
		BN_free(p);
	}
	/* (p q)^3 and p^9 = (p^3)^3: the prime exponent 3 */
	p = prime(400);
	q = prime(300);
	m = product(p, q);
	n = power(m, 3);
	assert_kind(n, VK_RSA_WEAK_POWER);
	assert_int_equal(weakness(n).factor, 3);
	BN_free(n);
	BN_free(m);
	n = power(q, 9);
	assert_int_equal(weakness(n).factor, 3);
	BN_free(n);
	/* p^2 q is no power */
	m = product(p, p);
	n = product(m, q);
	assert_int_not_equal(weakness(n).kind, VK_RSA_WEAK_POWER);
	BN_free(n);
	BN_free(m);
	BN_free(q);
	BN_free(p);
	/* 65539^67: the smallest base past the trial division, with the
	 * largest exponent its 1072 bits allow (k < bits / 16) */
	m = bn_word(65539);
	n = power(m, 67);
	assert_int_equal(BN_num_bits(n) / 16, 67);
	assert_kind(n, VK_RSA_WEAK_POWER);
	assert_int_equal(weakness(n).factor, 67);
	BN_free(n);
	BN_free(m);
}

/* A prime p of at least bits bits (at most 340) with p - 1 = 2 * last *
 * (distinct odd primes up to 251, in random order): smooth to 256, but
 * for last. */
static BIGNUM *
smooth_prime(int bits, unsigned long last)
{
	BIGNUM *p = BN_new();
	size_t order[53];

	assert_non_null(p);
	assert_int_equal(vk_small_primes[52], 251);
	for (;;) {
		for (size_t i = 0; i < 53; i++)
			order[i] = i;
		for (size_t i = 52; i > 0; i--) {
			size_t j = (size_t)rand() % (i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		assert_true(BN_set_word(p, 2 * last));
		for (size_t i = 0; i < 53 && BN_num_bits(p) < bits; i++)
			assert_true(BN_mul_word(p, vk_small_primes[order[i]]));
		assert_true(BN_add_word(p, 1));
		if (BN_num_bits(p) >= bits && BN_check_prime(p, NULL, NULL) == 1)
			return p;
	}
}

/* A factor with p - 1 smooth to 256 (stage 1), or with one prime more up
 * to 4096 (stage 2): found; one just past: not. */
static void
test_pollard_pm1(void **state)
{
	static const struct {
		unsigned long last;
		int found;
	} cases[] = { { 1, 1 }, { 257, 1 }, { 4093, 1 }, { 4099, 0 } };
	BIGNUM *q = prime(1536);

	(void)state;
	srand(3);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BIGNUM *p = smooth_prime(320, cases[i].last), *n = product(p, q);

		if (cases[i].found) {
			assert_kind(n, VK_RSA_WEAK_PM1);
			assert_modulus_weak(n, "Pollard's p - 1 method");
		} else {
			assert_kind(n, VK_RSA_WEAK_NONE);
		}
		BN_free(n);
		BN_free(p);
	}
	BN_free(q);
}

/* e = d^-1 mod phi for a chosen d: found by Wiener's test up to
 * n^(1/4), and then said; past it the bound on e speaks instead. */
static void
test_wiener(void **state)
{
	static const struct {
		int dbits;
		int found;
	} cases[] = { { 64, 1 }, { 300, 1 }, { 500, 1 }, { 530, 0 } };
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *p = prime(1024), *q = prime(1024), *n = product(p, q);
	BIGNUM *phi = BN_new(), *t = BN_new(), *d = BN_new(), *e = BN_new();
	vhkey_policy *pol = policy_with_min(2048);

	(void)state;
	assert_true(BN_sub_word(p, 1));
	assert_true(BN_sub_word(q, 1));
	assert_true(BN_mul(phi, p, q, ctx));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vhkey *key;
		int found;

		do {
			assert_true(BN_rand(d, cases[i].dbits, BN_RAND_TOP_ONE,
			    BN_RAND_BOTTOM_ODD));
			assert_true(BN_gcd(t, d, phi, ctx));
		} while (!BN_is_one(t));
		assert_non_null(BN_mod_inverse(e, d, phi, ctx));
		assert_int_equal(vk_rsa_wiener(n, e, &found), VHKEY_OK);
		assert_int_equal(found, cases[i].found);
		key = rsa_key(e, n);
		assert_weak(key, pol, cases[i].found ? "(Wiener's attack" :
						       "larger than 2^256");
		vhkey_free(key);
	}
	/* ssh-keygen's exponent: nothing, at once */
	assert_true(BN_set_word(e, 65537));
	{
		int found = 1;

		assert_int_equal(vk_rsa_wiener(n, e, &found), VHKEY_OK);
		assert_int_equal(found, 0);
	}
	vhkey_policy_free(pol);
	BN_free(e);
	BN_free(d);
	BN_free(t);
	BN_free(phi);
	BN_free(n);
	BN_free(q);
	BN_free(p);
	BN_CTX_free(ctx);
}

/* e >= n, and e past OpenSSL's bound for large moduli (64 bits above
 * 3072) and FIPS 186's (256 bits): what a real sshd 9.2 and OpenSSL do. */
static void
test_exponent_bounds(void **state)
{
	static const struct {
		const char *fixture;
		int ebits; /* e = 2^ebits + 1; 0: e = n, -1: e = n + 2 */
		const char *want; /* NULL: accepted */
	} cases[] = {
		{ "rsa2048.pub", 0, "not smaller than its modulus" },
		{ "rsa2048.pub", -1, "not smaller than its modulus" },
		{ "rsa2048.pub", 300, "larger than 2^256" },
		{ "rsa2048.pub", 256, "larger than 2^256" },
		{ "rsa2048.pub", 255, NULL },
		{ "rsa3072.pub", 200, NULL },
		{ "paste/rsa4096.pub", 64, "larger than 2^64" },
		{ "paste/rsa4096.pub", 63, NULL },
	};
	vhkey_policy *p = policy_with_min(2048);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vhkey *fixture = tu_load_public(cases[i].fixture), *key;
		BIGNUM *e = BN_dup(fixture->rsa.n);

		if (cases[i].ebits > 0) {
			BN_zero(e);
			assert_true(BN_set_bit(e, cases[i].ebits));
			assert_true(BN_add_word(e, 1));
		} else if (cases[i].ebits < 0) {
			assert_true(BN_add_word(e, 2));
		}
		key = rsa_key(e, fixture->rsa.n);
		assert_verdict(key, p, cases[i].want);
		vhkey_free(key);
		BN_free(e);
		vhkey_free(fixture);
	}
	vhkey_policy_free(p);
}

/*
 * vhkey_check_key(): a parsed key against a policy, as a paste's key is
 * checked, in a report of its own whose key is a public copy.
 */
static void
test_check_key(void **state)
{
	/* the identity point: issue 10's example */
	static const char identity[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAE"
				       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	vhkey_policy *p = NULL;
	vhkey_report *r = NULL;
	vhkey *key = tu_load_public("rsa2048.pub"), *weak = NULL, *priv;
	const char *msg;

	(void)state;
	assert_int_equal(vhkey_check_key(NULL, NULL, 0, &r),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_check_key(key, NULL, 0, NULL),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_check_key(key, NULL, 0, &r), VHKEY_OK);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	msg = vhkey_report_message(r);
	assert_true(strncmp(msg, "Accepted: 2048-bit RSA key SHA256:", 34) ==
	    0);
	assert_true(vhkey_public_equal(vhkey_report_key(r), key));
	vhkey_report_free(r);

	/* the policy's minimum size */
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_min_rsa_bits(p, 3072), VHKEY_OK);
	assert_int_equal(vhkey_check_key(key, p, 0, &r), VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_WEAK_KEY);
	vhkey_report_free(r);
	vhkey_policy_free(p);
	vhkey_free(key);

	/* a small-order Ed25519 key: anyone can log in with it */
	assert_int_equal(vhkey_parse_public(identity, sizeof(identity) - 1,
			     &weak),
	    VHKEY_OK);
	assert_int_equal(vhkey_check_key(weak, NULL, 0, &r), VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_WEAK_KEY);
	vhkey_report_free(r);
	vhkey_free(weak);

	/* a key pair given: the report keeps the public half only */
	priv = tu_load_private("rsa2048");
	assert_true(vhkey_has_private(priv));
	assert_int_equal(vhkey_check_key(priv, NULL, 0, &r), VHKEY_OK);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	assert_false(vhkey_has_private(vhkey_report_key(r)));
	vhkey_report_free(r);
	vhkey_free(priv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_pass),
		cmocka_unit_test(test_memo_decides),
		cmocka_unit_test(test_type_not_allowed),
		cmocka_unit_test(test_rsa_size),
		cmocka_unit_test(test_exponent),
		cmocka_unit_test(test_even_modulus),
		cmocka_unit_test(test_small_factors),
		cmocka_unit_test(test_fermat),
		cmocka_unit_test(test_roca),
		cmocka_unit_test(test_small_factor_random),
		cmocka_unit_test(test_small_factor_each_prime),
		cmocka_unit_test(test_weakness_hostile),
		cmocka_unit_test(test_fermat_steps),
		cmocka_unit_test(test_prime_modulus),
		cmocka_unit_test(test_perfect_power),
		cmocka_unit_test(test_pollard_pm1),
		cmocka_unit_test(test_wiener),
		cmocka_unit_test(test_exponent_bounds),
		cmocka_unit_test(test_check_key),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
