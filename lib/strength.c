/*
 * strength.c - can an RSA modulus be broken from its public numbers?
 *
 * The policy names the types accepted and the smallest RSA modulus.  An
 * RSA key of any size can still be broken in ways its public numbers
 * show, and each is checked here, cheapest first:
 *
 *  - e even, below 3, not below n, or above the bounds of OpenSSL (which
 *    then verifies nothing with it) and FIPS 186;
 *  - n even, or with a prime factor up to 65537: n is not the product of
 *    two large primes (a corrupt key, or a broken generator);
 *  - p and q so close that Fermat's method finds them (CVE-2022-26320 and
 *    its kind: generators that pick q right after p);
 *  - the ROCA fingerprint (CVE-2017-15361): primes made by Infineon's
 *    RSALib, which can be computed from n;
 *  - n a perfect power, or prime: d follows from n at once;
 *  - a prime factor p with p - 1 smooth (Pollard's p - 1 with small
 *    bounds: moduli made of many primes of up to about 32 bits);
 *  - d small enough for Wiener's continued fraction.
 *
 * The tests on n are arithmetic alone, in vk_rsa_weakness(): their result
 * depends on n only, so a caller checking many keys may keep it per
 * distinct modulus.  keypolicy.c applies the policy and puts the verdict
 * into words.
 *
 * What this does NOT find: n with a factor of 48 bits or more found by
 * nothing cheaper than ECM (a product of 32 primes of 64 bits passes),
 * n = p^2 q and other moduli of three or more large primes, primes
 * shared between moduli (that needs the other moduli), and generator
 * patterns we have no fingerprint of.  (A small d is no gap: with e below
 * 2^256, d > n / 2^256, past every small-d attack.)
 *
 * ECDSA points were checked to lie on their curve when the key was
 * decoded; Ed25519 points are checked by keypolicy.c.  Everything
 * here works on public numbers, so nothing needs wiping, and the messages
 * name no byte of the key.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "formats.h"
#include "wordmod.h"

/* Largest modulus, in 64-bit words. */

/* ------------------------------------------------------- small factors */

/*
 * Trial division by exact division (Jebelean; GMP's mpn_modexact_1_odd),
 * which divides nothing.  For an odd d, B = 2^64 and n = sum of a_j B^j,
 * the words taken from the least significant,
 *
 *	l = a_j - c mod B, b its borrow;  q = l d^-1 mod B;  c' = hi(q d) + b
 *
 * keeps a_j - c = q d - c' B (the low word of q d is l), so at the end
 * n = Q d - c B^nw: n = -c B^nw modulo d, and since B is a unit modulo d,
 * a prime of d divides n iff it divides c.  As q < B, c' <= d.  Two
 * multiplications per word and modulus, and any odd d below B will do:
 * four primes below 2^16 share one modulus.
 */
#define PRIMES_PER_MODULUS 4

/* Moduli reduced side by side: their chains of multiplications are
 * independent, so the processor overlaps them (fewer leave it waiting,
 * more run out of registers).  pass() writes the lanes out, so that the
 * compiler keeps them in registers. */
#define LANES 4
#define PASS_PRIMES (PRIMES_PER_MODULUS * LANES)

/* The ROCA test needs n modulo the first 38 odd primes, 3 to 167. */
#define ROCA_PRIMES 38
_Static_assert(ROCA_PRIMES <= VK_SMALL_PRIMES, "the ROCA primes are small");

static inline uint64_t
mul_hi(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	return (uint64_t)(((unsigned __int128)a * b) >> 64);
#else
	uint64_t a0 = a & 0xffffffffu, a1 = a >> 32;
	uint64_t b0 = b & 0xffffffffu, b1 = b >> 32;
	uint64_t mid = (a0 * b0 >> 32) + (a0 * b1 & 0xffffffffu) +
	    (a1 * b0 & 0xffffffffu);

	return a1 * b1 + (a0 * b1 >> 32) + (a1 * b0 >> 32) + (mid >> 32);
#endif
}

/* A modulus: the product of four primes (1 stands in past the last). */
struct modulus {
	uint64_t d;
	uint64_t dinv; /* d^-1 mod 2^64 */
	uint64_t c;    /* where exact division stands */
};

/* The modulus of the primes p, at the start.  d^-1 mod 2^64: 3d xor 2
 * is right in its low 5 bits, and each step of Newton's iteration,
 * x (2 - d x), doubles that. */
static void
modulus_init(struct modulus *md, const uint16_t p[PRIMES_PER_MODULUS])
{
	uint64_t d = (uint64_t)p[0] * p[1] * p[2] * p[3], x = (3 * d) ^ 2;

	x *= 2 - d * x;
	x *= 2 - d * x;
	x *= 2 - d * x;
	x *= 2 - d * x;
	md->d = d;
	md->dinv = x;
	md->c = 0;
}

/* One word of exact division: c' from c and the next word a. */
static inline void
exact_step(struct modulus *md, uint64_t a)
{
	md->c = mul_hi((a - md->c) * md->dinv, md->d) + (a < md->c);
}

/*
 * The smallest of the primes p_0 < p_1 < ... (1 for none) whose product is
 * d that divides c (so n), or 0.  For p one of them and cof = d / p,
 * c p^-1 mod 2^64 is c / p when p divides c, at most cof; and when it is
 * at most cof, its product with p is below 2^64 and c modulo 2^64, so
 * exactly c.  p^-1 is d^-1 cof, and c p^-1 is e cof with e = c d^-1.
 */
static uint32_t
divisor_of(const struct modulus *md, const uint16_t p[PRIMES_PER_MODULUS])
{
	uint64_t e = md->c * md->dinv;
	uint64_t p01 = (uint64_t)p[0] * p[1], p23 = (uint64_t)p[2] * p[3];
	uint64_t cof[PRIMES_PER_MODULUS] = { p[1] * p23, p[0] * p23,
		p01 * p[3], p01 * p[2] };

	_Static_assert(PRIMES_PER_MODULUS == 4, "cof[] names four primes");
	/* nearly always none: one branch for the four */
	if (((e * cof[0] <= cof[0]) | (e * cof[1] <= cof[1]) |
		(e * cof[2] <= cof[2]) | (e * cof[3] <= cof[3])) == 0)
		return 0;
	for (size_t t = 0; t < PRIMES_PER_MODULUS; t++)
		if (e * cof[t] <= cof[t] && p[t] > 1)
			return p[t];
	return 0;
}

/* n mod p, for a prime p, from c (n = -c 2^(64 nw) mod p): 2^(64 nw) mod
 * p is 2^(64 nw mod (p - 1)) mod p (Fermat). */
static uint32_t
residue(uint64_t c, size_t nw, uint32_t p)
{
	uint64_t t = 1, b = 2;

	for (size_t e = 64 * nw % (p - 1); e != 0; e >>= 1) {
		if (e & 1)
			t = t * b % p;
		b = b * b % p;
	}
	return (uint32_t)((p - c % p * t % p) % p);
}

/*
 * One pass over n (words w, most significant first) for the PASS_PRIMES
 * primes p: the smallest that divides n, or 0; and what exact division
 * left for each modulus in c.
 */
static uint32_t
pass(const uint64_t *w, size_t nw, const uint16_t p[PASS_PRIMES],
    uint64_t c[LANES])
{
	struct modulus md[LANES]; /* local: no store to w can change it */

	for (size_t k = 0; k < LANES; k++)
		modulus_init(&md[k], p + PRIMES_PER_MODULUS * k);
	_Static_assert(LANES == 4, "the loop names four lanes");
	for (size_t j = nw; j-- > 0;) {
		exact_step(&md[0], w[j]);
		exact_step(&md[1], w[j]);
		exact_step(&md[2], w[j]);
		exact_step(&md[3], w[j]);
	}
	for (size_t k = 0; k < LANES; k++) {
		uint32_t f = divisor_of(&md[k], p + PRIMES_PER_MODULUS * k);

		if (f != 0)
			return f;
		c[k] = md[k].c;
	}
	return 0;
}

/* The moduli of small_factor()'s passes, the last padded with 1s. */
#define SMALL_MODULI ((VK_SMALL_PRIMES / PASS_PRIMES + 1) * LANES)

/* What trial division leaves: where exact division stood for each modulus
 * of four small primes, from which n modulo any of them follows. */
struct residues {
	uint64_t c[SMALL_MODULI];
	size_t nw;
};

/* n modulo vk_small_primes[i]. */
static uint32_t
small_residue(const struct residues *rs, size_t i)
{
	return residue(rs->c[i / PRIMES_PER_MODULUS], rs->nw,
	    vk_small_primes[i]);
}

/* 65537 = 2^16 + 1 divides n?  2^64 = (2^16)^4 = (-1)^4 = 1 modulo 65537,
 * so n is the sum of its words, modulo 65537. */
static int
divisible_by_65537(const uint64_t *w, size_t nw)
{
	uint64_t sum = 0;

	for (size_t j = 0; j < nw; j++)
		sum = (sum + w[j] % 65537) % 65537;
	return sum == 0;
}

/*
 * The smallest odd prime up to 65537 that divides n (words w, most
 * significant first), or 0; and, when it is 0, what lets small_residue()
 * give n modulo each prime below 2^16.  65537 is the exponent of nearly
 * every RSA key, and a modulus it divides is as broken as one 65521
 * divides.
 */
static uint32_t
small_factor(const uint64_t *w, size_t nw, struct residues *rs)
{
	uint16_t tail[PASS_PRIMES];
	size_t i;
	uint32_t f;

	rs->nw = nw;
	for (i = 0; i + PASS_PRIMES <= VK_SMALL_PRIMES; i += PASS_PRIMES)
		if ((f = pass(w, nw, vk_small_primes + i,
			 rs->c + i / PRIMES_PER_MODULUS)) != 0)
			return f;
	/* the last primes, and 1 for the missing ones */
	for (size_t t = 0; t < PASS_PRIMES; t++)
		tail[t] = i + t < VK_SMALL_PRIMES ? vk_small_primes[i + t] : 1;
	if ((f = pass(w, nw, tail, rs->c + i / PRIMES_PER_MODULUS)) != 0)
		return f;
	return divisible_by_65537(w, nw) ? 65537 : 0;
}

/* -------------------------------------------------------------- Fermat */

/*
 * Fermat's method writes n = a^2 - b^2 = (a - b)(a + b) and tries
 * a = ceil(sqrt(n)), a + 1, ...; it reaches (p + q) / 2 after about
 * (p - q)^2 / (8 sqrt(n)) steps.  FERMAT_STEPS = 2^20 steps find every
 * pair with |p - q| < 2^(bits/4 + 11.5): for 4096 bits, primes that agree
 * in their top 1012 bits or so.  Sound generators keep |p - q| above
 * 2^(bits/2 - 100) (FIPS 186-4), and the broken ones found so far put
 * their primes within a few steps.  A larger bound would cost time and
 * gain next to nothing: each doubling of the steps adds half a bit.
 */
#define FERMAT_STEPS (1u << 20)
_Static_assert(FERMAT_STEPS % 64 == 0 && FERMAT_STEPS <= 1u << 26,
    "sieve_step() needs i < 2^26");

/*
 * The steps are sieved before the exact test: a^2 - n must be a square
 * modulo each of these (none above 64, so a pattern of 128 bits holds
 * every window of 64 steps).  The first SIEVE_WIDE are applied to 64 steps
 * at once, which leaves about one step in 600; the others one step at a
 * time.  Together they leave about one step in a million (measured on
 * random keys), so the exact test runs about once per modulus.
 */
static const uint8_t sieve_moduli[] = { 64, 63, 55, 13, 17, 19, 23, 29,
	31, 37, 41, 43, 47, 53, 59, 61 };
#define SIEVE_MODULI sizeof(sieve_moduli)
#define SIEVE_WIDE 5

struct sieve {
	uint64_t pat[2]; /* bit k: is step k good (k < 128) */
	unsigned m;
	uint64_t recip;	  /* 2^32 / m, rounded up, for i mod m */
};

/*
 * Every block of 64 steps needs the wide moduli's windows, so they are
 * looked up, not shifted out of the patterns.  Block j of modulus m starts
 * at bit 64 j mod m of its pattern, so its windows repeat every
 * m / gcd(m, 64) blocks: 64 has the same window for every block, and each
 * odd modulus a table of m windows, or two moduli one of m m' (13 and 17:
 * 221), which costs no more to read.  The tables are read in runs up to
 * the end of the shortest.
 */
struct table {
	const uint64_t *bits;
	uint32_t period; /* blocks */
	uint32_t next;	 /* the current block's entry */
};
#define WIDE_TABLES 3
#define TABLE_BLOCKS (63 + 55 + 13 * 17) /* sieve_moduli[1 .. 4] */

/* floor(sqrt(v)), digit by digit. */
static uint32_t
isqrt_u32(uint32_t v)
{
	uint32_t r = 0, bit = (uint32_t)1 << 30;

	while (bit > v)
		bit >>= 2;
	for (; bit != 0; bit >>= 2) {
		if (v >= r + bit) {
			v -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/*
 * s close to sqrt(v), and at least floor(sqrt(v)) (s and v apart).
 * Newton's step x' = (x + v / x) / 2, rounded down, lands at or above
 * floor(sqrt(v)) from any x > 0 and about doubles the bits that are right.
 * So it starts from the square root of v's top half, done the same way:
 * with r about sqrt(v / 4^h), x = (r + 1) 2^h is off by a few 2^h, and
 * one step leaves it off by a few 4^h / (2 x): a few units for h a quarter
 * of v's bits.
 */
static int
bn_isqrt_above(BIGNUM *s, const BIGNUM *v, BN_CTX *ctx)
{
	int bits = BN_num_bits(v), h = bits / 4 - 1, ok;
	BIGNUM *t;

	if (bits <= 32)
		return BN_set_word(s, isqrt_u32((uint32_t)BN_get_word(v)));
	BN_CTX_start(ctx);
	ok = (t = BN_CTX_get(ctx)) != NULL && BN_rshift(t, v, 2 * h) &&
	    bn_isqrt_above(s, t, ctx) && BN_add_word(s, 1) &&
	    BN_lshift(s, s, h) && BN_div(t, NULL, v, s, ctx) &&
	    BN_add(s, s, t) && BN_rshift1(s, s);
	BN_CTX_end(ctx);
	return ok;
}

/* s = floor(sqrt(v)) (s and v apart): from bn_isqrt_above(), counting
 * down. */
static int
bn_isqrt(BIGNUM *s, const BIGNUM *v, BN_CTX *ctx)
{
	BIGNUM *t;
	int ok = 0;

	BN_CTX_start(ctx);
	if ((t = BN_CTX_get(ctx)) == NULL || !bn_isqrt_above(s, v, ctx))
		goto out;
	for (;;) {
		if (!BN_sqr(t, s, ctx))
			goto out;
		if (BN_cmp(t, v) <= 0)
			break;
		if (!BN_sub_word(s, 1))
			goto out;
	}
	ok = 1;
out:
	BN_CTX_end(ctx);
	return ok;
}

/*
 * The pattern of a sieve modulus m: bit k tells whether c0 + c1 k + k^2
 * (that is (a + k)^2 - n, modulo m) is a square modulo m.  It repeats with
 * period m: the first m bits are worked out, and copied along.
 */
static void
sieve_init(struct sieve *sv, unsigned m, unsigned c0, unsigned c1)
{
	uint64_t square = 0, bits = 0; /* bit r: r is a square mod m */
	unsigned x2 = 0, d = 1, f = c0, g = c1 + 1 == m ? 0 : c1 + 1;

	/* x^2 and f(j) = c0 + c1 j + j^2 step by step: (x + 1)^2 - x^2 =
	 * 2x + 1 and f(j + 1) - f(j) = c1 + 2j + 1, all kept below m */
	for (unsigned x = 0; x < m; x++) {
		square |= (uint64_t)1 << x2;
		x2 += d;
		x2 -= x2 >= m ? m : 0;
		d += 2;
		d -= d >= m ? m : 0;
	}
	for (unsigned j = 0; j < m; j++) {
		bits |= (square >> f & 1) << j;
		f += g;
		f -= f >= m ? m : 0;
		g += 2;
		g -= g >= m ? m : 0;
	}
	sv->pat[0] = bits;
	sv->pat[1] = 0;
	/* bits [0, len) are right: shifted by len they make [len, 2 len) */
	for (unsigned len = m; len < 128; len *= 2) {
		if (len < 64) {
			sv->pat[1] |= sv->pat[1] << len |
			    sv->pat[0] >> (64 - len);
			sv->pat[0] |= sv->pat[0] << len;
		} else {
			sv->pat[1] |= sv->pat[0] << (len - 64);
		}
	}
	sv->m = m;
	sv->recip = ((uint64_t)1 << 32) / m + 1;
}

/* x modulo each sieve modulus: one BN_mod_word() for as many as multiply
 * to less than 2^32. */
static int
sieve_residues(const BIGNUM *x, unsigned res[SIEVE_MODULI])
{
	for (size_t k = 0, end; k < SIEVE_MODULI; k = end) {
		uint32_t prod = 1;
		BN_ULONG r;

		for (end = k; end < SIEVE_MODULI &&
		     (uint64_t)prod * sieve_moduli[end] <= UINT32_MAX; end++)
			prod *= sieve_moduli[end];
		if ((r = BN_mod_word(x, prod)) == (BN_ULONG)-1)
			return 0;
		for (size_t t = k; t < end; t++)
			res[t] = (unsigned)(r % sieve_moduli[t]);
	}
	return 1;
}

/* Block j's window of sv's pattern. */
static uint64_t
window(const struct sieve *sv, uint32_t j)
{
	unsigned start = (unsigned)((uint64_t)j * 64 % sv->m);

	return start == 0 ? sv->pat[0] :
	    sv->pat[0] >> start | sv->pat[1] << (64 - start);
}

/* A table of the windows of the odd moduli sv1 and, unless it is NULL,
 * sv2, in bits[]; returns the end of the table. */
static uint64_t *
table_init(struct table *t, uint64_t *bits, const struct sieve *sv1,
    const struct sieve *sv2)
{
	t->period = sv1->m * (sv2 != NULL ? sv2->m : 1);
	for (uint32_t j = 0; j < t->period; j++)
		bits[j] = window(sv1, j) & (sv2 != NULL ? window(sv2, j) :
						  ~(uint64_t)0);
	t->bits = bits;
	t->next = 0;
	return bits + t->period;
}

/* Step i alone.  i * recip / 2^32 is i / m plus less than i / 2^32 <
 * 1 / 64, too little to reach the next multiple of m. */
static int
sieve_step(const struct sieve *sv, uint32_t i)
{
	uint32_t j = i - (uint32_t)(((uint64_t)i * sv->recip) >> 32) * sv->m;

	return (int)(sv->pat[0] >> j & 1);
}

/* A last look before a square root: primes past the sieve's, whose
 * product is below 2^32. */
static const uint8_t square_test_primes[] = { 67, 71, 73, 79, 83 };

/* Could v be a square?  0 if it is not one modulo a prime p of those:
 * v^((p - 1) / 2) = -1 modulo p (Euler's criterion); -1 on failure. */
static int
maybe_square(const BIGNUM *v)
{
	uint32_t prod = 1;
	BN_ULONG r;

	for (size_t k = 0; k < sizeof(square_test_primes); k++)
		prod *= square_test_primes[k];
	if ((r = BN_mod_word(v, prod)) == (BN_ULONG)-1)
		return -1;
	for (size_t k = 0; k < sizeof(square_test_primes); k++) {
		uint32_t p = square_test_primes[k], b = (uint32_t)(r % p), x = 1;

		for (uint32_t e = (p - 1) / 2; e != 0; e >>= 1) {
			if (e & 1)
				x = x * b % p;
			b = b * b % p;
		}
		if (x == p - 1)
			return 0;
	}
	return 1;
}

/* Is (a + i)^2 - n a perfect square b^2, with a + i - b > 1 a factor? */
static int
fermat_try(const BIGNUM *n, const BIGNUM *a, uint32_t i, BN_CTX *ctx,
    int *found)
{
	BIGNUM *t, *b2, *b;
	int rc = VHKEY_ERR_NOMEM, sq;

	BN_CTX_start(ctx);
	t = BN_CTX_get(ctx);
	b2 = BN_CTX_get(ctx);
	b = BN_CTX_get(ctx);
	if (b == NULL)
		goto out;
	rc = VHKEY_ERR_CRYPTO;
	if (BN_copy(t, a) == NULL || !BN_add_word(t, i) ||
	    !BN_sqr(b2, t, ctx) || !BN_sub(b2, b2, n) ||
	    (sq = maybe_square(b2)) < 0)
		goto out;
	if (sq == 0) {
		rc = VHKEY_OK;
		goto out;
	}
	if (!bn_isqrt(b, b2, ctx))
		goto out;
	if (!BN_sqr(b, b, ctx) || !BN_sub(b, b2, b))
		goto out;
	if (BN_is_zero(b)) {
		/* t - sqrt(b2) is a factor; it is 1 only when n is prime and
		 * t = (n + 1) / 2, far beyond the steps for any RSA size */
		*found = 1;
	}
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	return rc;
}

/* The steps of one block that the wide moduli left: each through the
 * others, and those that pass through the exact test.  (Inline: about a
 * block in ten has steps left, and a call costs as much as a step.) */
static inline int
fermat_block(const BIGNUM *n, const BIGNUM *a, uint32_t base,
    uint64_t steps, const struct sieve sv[SIEVE_MODULI], BN_CTX *ctx,
    int *found)
{
	int rc;

	for (; steps != 0; steps &= steps - 1) {
		uint32_t i = base + (uint32_t)__builtin_ctzll(steps);
		size_t k;

		for (k = SIEVE_WIDE; k < SIEVE_MODULI; k++)
			if (!sieve_step(&sv[k], i))
				break;
		if (k < SIEVE_MODULI)
			continue;
		if ((rc = fermat_try(n, a, i, ctx, found)) != VHKEY_OK ||
		    *found)
			return rc;
	}
	return VHKEY_OK;
}

/* Does Fermat's method factor n within FERMAT_STEPS steps? */
static int
fermat_factors(const BIGNUM *n, BN_CTX *ctx, int *found)
{
	struct sieve sv[SIEVE_MODULI];
	struct table tab[WIDE_TABLES];
	uint64_t bits[TABLE_BLOCKS], *end, every;
	unsigned c0[SIEVE_MODULI], am[SIEVE_MODULI];
	BIGNUM *a, *b2;
	size_t k;
	int rc = VHKEY_ERR_NOMEM;

	*found = 0;
	BN_CTX_start(ctx);
	a = BN_CTX_get(ctx);
	b2 = BN_CTX_get(ctx);
	if (b2 == NULL)
		goto out;
	/* a = ceil(sqrt(n)), b2 = a^2 - n */
	rc = VHKEY_ERR_CRYPTO;
	if (!bn_isqrt(a, n, ctx) || !BN_sqr(b2, a, ctx))
		goto out;
	if (BN_cmp(b2, n) < 0 &&
	    (!BN_add_word(a, 1) || !BN_sqr(b2, a, ctx)))
		goto out;
	if (!BN_sub(b2, b2, n))
		goto out;
	if (!sieve_residues(b2, c0) || !sieve_residues(a, am))
		goto out;
	for (k = 0; k < SIEVE_MODULI; k++) {
		unsigned m = sieve_moduli[k];

		/* (a + k)^2 - n = b2 + 2ak + k^2 */
		sieve_init(&sv[k], m, c0[k], 2 * am[k] % m);
	}
	_Static_assert(SIEVE_WIDE == 5 && WIDE_TABLES == 3,
	    "the tables name the wide moduli");
	every = sv[0].pat[0];
	end = table_init(&tab[0], bits, &sv[1], NULL);
	end = table_init(&tab[1], end, &sv[2], NULL);
	table_init(&tab[2], end, &sv[3], &sv[4]);
	for (uint32_t block = 0, run; block < FERMAT_STEPS / 64;
	     block += run) {
		const uint64_t *t0, *t1, *t2;

		run = FERMAT_STEPS / 64 - block;
		for (k = 0; k < WIDE_TABLES; k++)
			if (run > tab[k].period - tab[k].next)
				run = tab[k].period - tab[k].next;
		t0 = tab[0].bits + tab[0].next;
		t1 = tab[1].bits + tab[1].next;
		t2 = tab[2].bits + tab[2].next;
		for (uint32_t r = 0; r < run; r++) {
			uint64_t steps = every & t0[r] & t1[r] & t2[r];

			if (steps != 0 &&
			    ((rc = fermat_block(n, a, 64 * (block + r), steps,
				  sv, ctx, found)) != VHKEY_OK ||
				*found))
				goto out;
		}
		for (k = 0; k < WIDE_TABLES; k++)
			if ((tab[k].next += run) == tab[k].period)
				tab[k].next = 0;
	}
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	return rc;
}

/* ---------------------------------------------------------------- ROCA */

/*
 * RSALib made its primes as p = k * M + (65537^a mod M), M the product of
 * the first primes (up to 167 for 512-bit keys, up to 1427 for 4096), so
 * n mod 167# (= 2 * 3 * ... * 167) lies in the subgroup that 65537
 * generates in (Z/167#)*; a random n does with probability 2^-155.  The
 * test is the ROCA detector's (crocs-muni/roca): first, cheaply, n mod p
 * must lie in the subgroup 65537 generates modulo each odd p <= 167 (a
 * random n passes that with probability 2^-28); then, for the rare n that
 * does, the discrete logarithm of n mod 167# to the base 65537 must exist,
 * found by Pohlig-Hellman over the prime powers of the order of 65537.
 */
#define ROCA_GENERATOR 65537u

/* The order of 65537 modulo 167# (the lcm of its orders modulo each prime
 * up to 167), as its prime powers; their product is 2454106387091158800.
 * A wrong entry fails test_strength: its RSALib moduli would pass, or its
 * look-alikes fail. */
static const uint8_t roca_order_powers[] = { 16, 81, 25, 7, 11, 13, 17, 23,
	29, 37, 41, 53, 83 };

/* Is r in the subgroup that 65537 generates modulo the prime p < 2^16? */
static int
in_generated_subgroup(uint32_t r, uint32_t p)
{
	uint32_t g = ROCA_GENERATOR % p, x = 1;

	do {
		if (x == r)
			return 1;
		x = x * g % p;
	} while (x != 1);
	return 0;
}

static int
bn_set_u64(BIGNUM *bn, uint64_t v)
{
	return BN_set_word(bn, (BN_ULONG)(v >> 32)) && BN_lshift(bn, bn, 32) &&
	    BN_add_word(bn, (BN_ULONG)(v & 0xffffffffu));
}

/* Is n mod 167# a power of 65537?  (The exact test, for the rare n that
 * passed the quick one.) */
static int
roca_exact(const BIGNUM *n, BN_CTX *ctx, int *found)
{
	BIGNUM *m, *h, *g, *e, *gq, *hq, *x;
	uint64_t order = 1;
	size_t k;
	int rc = VHKEY_ERR_NOMEM;

	*found = 0;
	BN_CTX_start(ctx);
	m = BN_CTX_get(ctx);
	h = BN_CTX_get(ctx);
	g = BN_CTX_get(ctx);
	e = BN_CTX_get(ctx);
	gq = BN_CTX_get(ctx);
	hq = BN_CTX_get(ctx);
	x = BN_CTX_get(ctx);
	if (x == NULL)
		goto out;
	rc = VHKEY_ERR_CRYPTO;
	if (!BN_set_word(m, 2))
		goto out;
	for (k = 0; k < ROCA_PRIMES; k++)
		if (!BN_mul_word(m, vk_small_primes[k]))
			goto out;
	for (k = 0; k < sizeof(roca_order_powers); k++)
		order *= roca_order_powers[k];
	if (!BN_nnmod(h, n, m, ctx) || !BN_set_word(g, ROCA_GENERATOR) ||
	    !bn_set_u64(e, order) || !BN_mod_exp(x, h, e, m, ctx))
		goto out;
	rc = VHKEY_OK;
	if (!BN_is_one(x))
		goto out; /* its order does not even divide 65537's */
	/* for each q^k of the order: h' = h^(order/q^k) must be a power of
	 * g' = g^(order/q^k), whose order is q^k */
	for (k = 0; k < sizeof(roca_order_powers); k++) {
		unsigned qk = roca_order_powers[k], i;

		rc = VHKEY_ERR_CRYPTO;
		if (!bn_set_u64(e, order / qk) ||
		    !BN_mod_exp(gq, g, e, m, ctx) ||
		    !BN_mod_exp(hq, h, e, m, ctx) || !BN_one(x))
			goto out;
		for (i = 0; i < qk && BN_cmp(x, hq) != 0; i++)
			if (!BN_mod_mul(x, x, gq, m, ctx))
				goto out;
		rc = VHKEY_OK;
		if (i == qk)
			goto out;
	}
	*found = 1;
out:
	BN_CTX_end(ctx);
	return rc;
}

static int
roca_fingerprint(const BIGNUM *n, const struct residues *rs, BN_CTX *ctx,
    int *found)
{
	*found = 0;
	for (size_t k = 0; k < ROCA_PRIMES; k++)
		if (!in_generated_subgroup(small_residue(rs, k),
			vk_small_primes[k]))
			return VHKEY_OK;
	return roca_exact(n, ctx, found);
}

/* ------------------------------------------------------ perfect powers */

/*
 * n = m^k for a prime k >= 3 (a square is Fermat's case: p = q, found at
 * its first step; and m^k for a composite k is a power of a prime
 * exponent too).  By now n has no prime factor up to 65537, so m > 2^16
 * and k < bits / 16.
 *
 * A k-th power is a k-th power modulo every prime q = 1 (mod k), where
 * r^((q - 1) / k) = 1 for r = n mod q; a random n is one with chance 1/k
 * for each q.  The residues modulo the primes below 2^16 come nearly free
 * from the trial division, so almost every k is ruled out at its first q,
 * and only an n that passes enough q that a random one would with a chance
 * below 2^-POWER_FILTER_BITS gets the exact k-th root.
 */
#define POWER_FILTER_BITS 20

/* b^e mod m, for m < 2^16. */
static uint32_t
powmod_small(uint32_t b, uint32_t e, uint32_t m)
{
	uint32_t x = 1;

	for (b %= m; e != 0; e >>= 1) {
		if (e & 1)
			x = x * b % m;
		b = b * b % m;
	}
	return x;
}

/* The index of the prime q in vk_small_primes, or -1. */
static long
small_prime_index(uint32_t q)
{
	size_t lo = 0, hi = VK_SMALL_PRIMES;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vk_small_primes[mid] < q)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < VK_SMALL_PRIMES && vk_small_primes[lo] == q ? (long)lo :
								  -1;
}

/* Could n be a k-th power?  0 when a prime q = 1 (mod k) below 2^16 says
 * it is not; 1 when enough such q failed to. */
static int
maybe_power(const struct residues *rs, uint32_t k)
{
	double one_in = 1; /* a random n passes the q so far one time in */

	for (uint32_t q = 2 * k + 1;
	     q < 65536 && one_in < (double)(1u << POWER_FILTER_BITS);
	     q += 2 * k) {
		long i = small_prime_index(q);

		if (i < 0)
			continue;
		if (powmod_small(small_residue(rs, (size_t)i), (q - 1) / k,
			q) != 1)
			return 0;
		one_in *= k;
	}
	return 1;
}

/* x = floor(n^(1/k)), k >= 2, by Newton's method from above: x' = ((k - 1)
 * x + n / x^(k - 1)) / k, rounded down, decreases until it is the root. */
static int
bn_iroot(BIGNUM *x, const BIGNUM *n, uint32_t k, BN_CTX *ctx)
{
	BIGNUM *y, *t, *km1;
	int ok = 0;

	BN_CTX_start(ctx);
	y = BN_CTX_get(ctx);
	t = BN_CTX_get(ctx);
	km1 = BN_CTX_get(ctx);
	if (km1 == NULL || !BN_set_word(km1, k - 1))
		goto out;
	BN_zero(x);
	if (!BN_set_bit(x, (BN_num_bits(n) + (int)k - 1) / (int)k))
		goto out;
	for (;;) {
		if (!BN_exp(t, x, km1, ctx) || !BN_div(t, NULL, n, t, ctx) ||
		    BN_copy(y, x) == NULL || !BN_mul_word(y, k - 1) ||
		    !BN_add(y, y, t) || BN_div_word(y, k) == (BN_ULONG)-1)
			goto out;
		if (BN_cmp(y, x) >= 0)
			break;
		if (BN_copy(x, y) == NULL)
			goto out;
	}
	ok = 1;
out:
	BN_CTX_end(ctx);
	return ok;
}

/* Is n = m^k for a prime k >= 3?  *power is k, or 0. */
static int
perfect_power(const BIGNUM *n, const struct residues *rs, BN_CTX *ctx,
    uint32_t *power)
{
	uint32_t maxk = (uint32_t)BN_num_bits(n) / 16;
	BIGNUM *m, *t, *kb;
	int rc = VHKEY_ERR_NOMEM;

	*power = 0;
	BN_CTX_start(ctx);
	m = BN_CTX_get(ctx);
	t = BN_CTX_get(ctx);
	kb = BN_CTX_get(ctx);
	if (kb == NULL)
		goto out;
	rc = VHKEY_ERR_CRYPTO;
	for (size_t i = 0; i < VK_SMALL_PRIMES && vk_small_primes[i] <= maxk;
	     i++) {
		uint32_t k = vk_small_primes[i];

		if (!maybe_power(rs, k))
			continue;
		if (!bn_iroot(m, n, k, ctx) || !BN_set_word(kb, k) ||
		    !BN_exp(t, m, kb, ctx))
			goto out;
		if (BN_cmp(t, n) == 0) {
			*power = k;
			break;
		}
	}
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	return rc;
}

/* ------------------------------------------------------- prime modulus */

/*
 * A prime n is no RSA modulus: phi(n) = n - 1, so d = e^-1 mod (n - 1).
 * 2^(n - 1) = 1 (mod n) for every prime (Fermat), and for a composite n
 * almost never; OpenSSL computes a power of 2 with shifts (as
 * BN_mod_exp_mont_word), a fifth cheaper than BN_check_prime()'s first
 * Miller-Rabin round with a random base, which then decides the rare n
 * that passes.  One exponentiation as large as n: the costliest test
 * here, and cubic in the size (bench/README.md: milliseconds for 2048
 * and 4096 bits, but about a second for the 16384 that OpenSSH allows).
 */
static int
prime_modulus(const BIGNUM *n, BN_CTX *ctx, int *found)
{
	BIGNUM *x, *nm1;
	int rc = VHKEY_ERR_NOMEM, r;

	*found = 0;
	BN_CTX_start(ctx);
	x = BN_CTX_get(ctx);
	nm1 = BN_CTX_get(ctx);
	if (nm1 == NULL)
		goto out;
	rc = VHKEY_ERR_CRYPTO;
	if (BN_copy(nm1, n) == NULL || !BN_sub_word(nm1, 1) ||
	    !BN_set_word(x, 2) || !BN_mod_exp(x, x, nm1, n, ctx))
		goto out;
	if (BN_is_one(x)) {
		if ((r = BN_check_prime(n, ctx, NULL)) < 0)
			goto out;
		*found = r == 1;
	}
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	return rc;
}

/* ------------------------------------------------------ Pollard's p - 1 */

/*
 * Pollard's p - 1 method finds a prime factor p of n when p - 1 is a
 * product of small primes: stage 1 takes y = 2^M mod n with M the product
 * of the prime powers up to PM1_B1, and gcd(y - 1, n) holds every p whose
 * p - 1 divides M; stage 2 allows p - 1 one more prime q up to PM1_B2, from
 * the product of y^q - 1 over those q.
 *
 * It is here for moduli made of many smaller primes (no generator makes
 * one by mistake, but a faulty or hostile one may), where one factor found
 * is enough.  The bounds cost about 370 squarings and 650 multiplications
 * modulo n and one gcd: some 40% of the prime test.  Measured on 50
 * moduli of 2048 bits each (bench/README.md): it finds a factor in all
 * products of 73 primes of 28 bits, 48 of 50 of 64 primes of 32 bits, 9
 * of 50 of 51 primes of 40 bits, and none of 32 primes of 64 bits: a
 * 64-bit p - 1 is that smooth with a chance near 2^-20, and what finds
 * such factors (ECM) costs seconds.  So a modulus of many primes of 40
 * bits or more is mostly NOT caught: this is a net for the smallest ones,
 * not a proof that n has two large factors.
 */
#define PM1_B1 256
#define PM1_B2 4096

/* M = the product of the largest power of each prime up to PM1_B1. */
static int
pm1_exponent(BIGNUM *m)
{
	if (!BN_set_word(m, 1))
		return 0;
	for (size_t i = 0; i <= VK_SMALL_PRIMES; i++) {
		BN_ULONG p = i == 0 ? 2 : vk_small_primes[i - 1], q = p;

		if (p > PM1_B1)
			break;
		while (q * p <= PM1_B1)
			q *= p;
		if (!BN_mul_word(m, q))
			return 0;
	}
	return 1;
}

/*
 * Stage 2 from y = 2^M mod n: acc times the product over the primes
 * PM1_B1 < q <= PM1_B2 of a number that p divides when y^q = 1 (mod p).
 * Baby steps and giant steps: q = W k - j with W = 2 * 3 * 5 * 7 and
 * 0 < j < W prime to W, and y^q = 1 iff y^(W k) = y^j, so the number is
 * y^(W k) - y^j: one multiplication a prime, after 105 for the y^j and one
 * a giant step.
 * Each multiplies into acc, which holds stage 1's y - 1 already, so one gcd
 * serves both stages.  All in Montgomery form: its factors R^-1 are units
 * modulo n, so the gcd with n is the same.
 */
#define PM1_W 210

static int
pm1_stage2(const BIGNUM *n, const BIGNUM *y, BIGNUM *acc, BN_CTX *ctx)
{
	BIGNUM *baby[PM1_W / 2], *giant, *yw, *t;
	BN_MONT_CTX *mont;
	uint32_t k;
	size_t i;
	int ok = 0;

	if ((mont = BN_MONT_CTX_new()) == NULL)
		return 0;
	BN_CTX_start(ctx);
	giant = BN_CTX_get(ctx);
	yw = BN_CTX_get(ctx);
	t = BN_CTX_get(ctx);
	/* baby[j / 2] = y^j for odd j < W (those prime to W are read) */
	for (i = 0; i < PM1_W / 2; i++)
		baby[i] = BN_CTX_get(ctx);
	if (baby[PM1_W / 2 - 1] == NULL || !BN_MONT_CTX_set(mont, n, ctx) ||
	    !BN_to_montgomery(baby[0], y, mont, ctx) ||
	    !BN_mod_mul_montgomery(t, baby[0], baby[0], mont, ctx))
		goto out;
	for (i = 1; i < PM1_W / 2; i++)
		if (!BN_mod_mul_montgomery(baby[i], baby[i - 1], t, mont, ctx))
			goto out;
	for (i = 0; vk_small_primes[i] <= PM1_B1; i++)
		;
	/* giant = y^(W k) for the first prime's k; yw = y^W */
	k = (vk_small_primes[i] + PM1_W - 1) / PM1_W;
	if (!BN_set_word(t, (BN_ULONG)PM1_W * k) ||
	    !BN_mod_exp_mont(giant, y, t, n, ctx, mont) ||
	    !BN_to_montgomery(giant, giant, mont, ctx) ||
	    !BN_set_word(t, PM1_W) || !BN_mod_exp_mont(yw, y, t, n, ctx, mont) ||
	    !BN_to_montgomery(yw, yw, mont, ctx))
		goto out;
	for (; i < VK_SMALL_PRIMES && vk_small_primes[i] <= PM1_B2; i++) {
		uint32_t q = vk_small_primes[i], j;

		for (; PM1_W * k < q; k++)
			if (!BN_mod_mul_montgomery(giant, giant, yw, mont, ctx))
				goto out;
		j = PM1_W * k - q; /* odd: q is, and W k is even */
		if (!BN_mod_sub_quick(t, giant, baby[j / 2], n) ||
		    !BN_mod_mul_montgomery(acc, acc, t, mont, ctx))
			goto out;
	}
	ok = 1;
out:
	BN_CTX_end(ctx);
	BN_MONT_CTX_free(mont);
	return ok;
}

/* Does Pollard's p - 1 method find a factor of n?  (Any gcd other than 1
 * counts: n itself means every prime factor was found at once.) */
static int
pm1_factor(const BIGNUM *n, BN_CTX *ctx, int *found)
{
	BIGNUM *m, *y, *acc;
	int rc = VHKEY_ERR_NOMEM;

	*found = 0;
	BN_CTX_start(ctx);
	m = BN_CTX_get(ctx);
	y = BN_CTX_get(ctx);
	acc = BN_CTX_get(ctx);
	if (acc == NULL)
		goto out;
	/* y = 2^M is not 0 modulo an odd n > 1: y - 1 >= 0 */
	rc = VHKEY_ERR_CRYPTO;
	if (!pm1_exponent(m) || !BN_set_word(y, 2) ||
	    !BN_mod_exp(y, y, m, n, ctx) || BN_copy(acc, y) == NULL ||
	    !BN_sub_word(acc, 1) || !pm1_stage2(n, y, acc, ctx) ||
	    !BN_gcd(acc, acc, n, ctx))
		goto out;
	*found = !BN_is_one(acc);
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	return rc;
}

/* -------------------------------------------------------------- Wiener */

/*
 * Wiener's attack: when d < n^(1/4) / 3, d is the denominator of a
 * convergent k/d of the continued fraction of e/n (e d = 1 + k phi(n)),
 * and then phi = (e d - 1) / k gives p + q = n - phi + 1 and p, q as the
 * roots of x^2 - (p + q) x + n.
 *
 * How it relates to the bound on e: e d = 1 (mod phi) makes e d > phi,
 * so d > n / (2 e), and d < n^(1/4) needs e > n^(3/4) / 2.  An exponent
 * of at most 256 bits (the bound check_rsa() applies) leaves no such d for
 * any modulus above 342 bits, and with e = 65537 the expansion stops at
 * its second convergent.  It runs anyway, before the bound, so that a key
 * with a huge e is told the real reason when it is this one.
 */
/*
 * Does the convergent h/k of e/n give n's factors: is k the private
 * exponent d, with e d = 1 + h phi(n)?  *found = 1 when so.  Returns 1, or
 * 0 on an OpenSSL failure.
 */
static int
wiener_candidate(const BIGNUM *n, const BIGNUM *e, const BIGNUM *h,
    const BIGNUM *k, BN_CTX *ctx, int *found)
{
	BIGNUM *t, *r, *phi, *s, *disc;
	int ok = 0;

	BN_CTX_start(ctx);
	t = BN_CTX_get(ctx);
	r = BN_CTX_get(ctx);
	phi = BN_CTX_get(ctx);
	s = BN_CTX_get(ctx);
	disc = BN_CTX_get(ctx);
	if (disc == NULL)
		goto out;
	/* phi = (e d - 1) / h, exactly */
	if (!BN_mul(t, e, k, ctx) || !BN_sub_word(t, 1) ||
	    !BN_div(phi, r, t, h, ctx))
		goto out;
	if (!BN_is_zero(r))
		goto done;
	/* s = n - phi + 1 = p + q; disc = s^2 - 4n = (p - q)^2 */
	if (!BN_sub(s, n, phi) || !BN_add_word(s, 1) ||
	    !BN_sqr(disc, s, ctx) || !BN_lshift(t, n, 2) ||
	    !BN_sub(disc, disc, t))
		goto out;
	if (BN_is_negative(disc))
		goto done;
	if (!bn_isqrt(t, disc, ctx) || !BN_sqr(phi, t, ctx))
		goto out;
	if (BN_cmp(phi, disc) != 0)
		goto done;
	/* p = (s - sqrt(disc)) / 2 must divide n, and not be 1 */
	if (!BN_sub(t, s, t) || !BN_rshift1(t, t))
		goto out;
	if (BN_is_zero(t) || BN_is_negative(t))
		goto done;
	if (!BN_div(phi, disc, n, t, ctx))
		goto out;
	*found = BN_is_zero(disc) && !BN_is_one(t);
done:
	ok = 1;
out:
	BN_CTX_end(ctx);
	return ok;
}

int
vk_rsa_wiener(const BIGNUM *n, const BIGNUM *e, int *found)
{
	BN_CTX *ctx;
	BIGNUM *a, *b, *q, *r, *h0, *h1, *k0, *k1, *t;
	int maxbits = BN_num_bits(n) / 4 + 2, rc = VHKEY_ERR_NOMEM;

	*found = 0;
	if ((ctx = BN_CTX_new()) == NULL)
		return VHKEY_ERR_NOMEM;
	BN_CTX_start(ctx);
	a = BN_CTX_get(ctx);
	b = BN_CTX_get(ctx);
	q = BN_CTX_get(ctx);
	r = BN_CTX_get(ctx);
	h0 = BN_CTX_get(ctx);
	h1 = BN_CTX_get(ctx);
	k0 = BN_CTX_get(ctx);
	k1 = BN_CTX_get(ctx);
	t = BN_CTX_get(ctx);
	if (t == NULL)
		goto out;
	rc = VHKEY_ERR_CRYPTO;
	/* convergents h/k of a/b = e/n: h1/k1 the last, h0/k0 the one before
	 * (h = the k of e d = 1 + k phi, k = the candidate d) */
	if (BN_copy(a, e) == NULL || BN_copy(b, n) == NULL)
		goto out;
	BN_zero(h0);
	BN_one(h1);
	BN_one(k0);
	BN_zero(k1);
	while (!BN_is_zero(b) && !*found) {
		if (!BN_div(q, r, a, b, ctx) ||
		    /* (h0, h1) = (h1, q h1 + h0), the same for k */
		    !BN_mul(t, q, h1, ctx) || !BN_add(h0, h0, t) ||
		    !BN_mul(t, q, k1, ctx) || !BN_add(k0, k0, t))
			goto out;
		BN_swap(h0, h1);
		BN_swap(k0, k1);
		BN_swap(a, b);
		BN_swap(b, r);
		if (BN_num_bits(k1) > maxbits)
			break;
		if (!BN_is_zero(h1) &&
		    !wiener_candidate(n, e, h1, k1, ctx, found))
			goto out;
	}
	rc = VHKEY_OK;
out:
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return rc;
}

/* The tests that need no more than n, cheapest first. */
static int
modulus_tests(const BIGNUM *n, const struct residues *rs,
    struct vk_rsa_weakness *out)
{
	BN_CTX *ctx;
	uint32_t power;
	int found, rc;

	if ((ctx = BN_CTX_new()) == NULL)
		return VHKEY_ERR_NOMEM;
	if ((rc = fermat_factors(n, ctx, &found)) != VHKEY_OK || found) {
		out->kind = VK_RSA_WEAK_FERMAT;
		goto out;
	}
	if ((rc = roca_fingerprint(n, rs, ctx, &found)) != VHKEY_OK || found) {
		out->kind = VK_RSA_WEAK_ROCA;
		goto out;
	}
	if ((rc = perfect_power(n, rs, ctx, &power)) != VHKEY_OK ||
	    power != 0) {
		out->kind = VK_RSA_WEAK_POWER;
		out->factor = power;
		goto out;
	}
	if ((rc = prime_modulus(n, ctx, &found)) != VHKEY_OK || found) {
		out->kind = VK_RSA_WEAK_PRIME;
		goto out;
	}
	if ((rc = pm1_factor(n, ctx, &found)) != VHKEY_OK || found)
		out->kind = VK_RSA_WEAK_PM1;
out:
	if (rc != VHKEY_OK) {
		out->kind = VK_RSA_WEAK_NONE;
		out->factor = 0;
	}
	BN_CTX_free(ctx);
	return rc;
}

/* The residues small_factor() leaves serve the ROCA and the perfect power
 * tests too. */
int
vk_rsa_weakness(const BIGNUM *n, struct vk_rsa_weakness *out)
{
	uint64_t w[VK_WORDMOD_MAX_WORDS];
	struct residues rs;
	uint32_t p;
	size_t nw;

	out->kind = VK_RSA_WEAK_NONE;
	out->factor = 0;
	if (BN_is_negative(n) || BN_num_bits(n) > VHKEY_RSA_MAX_BITS)
		return VHKEY_ERR_CRYPTO;
	if (!BN_is_odd(n)) {
		out->kind = VK_RSA_WEAK_SMALL_FACTOR;
		out->factor = 2;
		return VHKEY_OK;
	}
	if ((nw = vk_bn_to_words(n, w, VK_WORDMOD_MAX_WORDS)) == 0)
		return VHKEY_ERR_CRYPTO;
	if ((p = small_factor(w, nw, &rs)) != 0) {
		out->kind = VK_RSA_WEAK_SMALL_FACTOR;
		out->factor = p;
		return VHKEY_OK;
	}
	return modulus_tests(n, &rs, out);
}
