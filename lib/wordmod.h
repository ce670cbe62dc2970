/*
 * wordmod.h - a big number modulo many moduli below 2^32, fast.
 *
 * Used where a number is divided by thousands of small primes: the trial
 * division of a public modulus (strength.c) and the sieve of candidate
 * primes (primesieve.c).  Each modulus comes with 2^64 mod m and a
 * Barrett reciprocal, so a 64-bit word goes in with two multiplications
 * and no division; the functions are inline because they are the inner
 * loop of both.
 */
#ifndef VHKEY_WORDMOD_H
#define VHKEY_WORDMOD_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>

#include "vhkey.h"

/* A modulus below 2^32 with what reducing by it takes. */
struct vk_wordmod {
	uint64_t inv; /* floor((2^64 - 1) / m) */
	uint32_t m;
	uint32_t c; /* 2^64 mod m */
};

/* Moduli reduced side by side: their chains of multiplications are
 * independent, so the processor overlaps them. */
#define VK_WORDMOD_LANES 8

/* The largest number, in 64-bit words, that vk_bn_to_words() converts. */
#define VK_WORDMOD_MAX_WORDS (VHKEY_RSA_MAX_BITS / 64)

/* 1 <= m < 2^32 (m = 1 pads a group of lanes: every residue is 0). */
static inline void
vk_wordmod_init(struct vk_wordmod *md, uint32_t m)
{
	uint64_t t;

	md->m = m;
	md->inv = UINT64_MAX / m;
	/* 2^64 - inv * m is (2^64 - 1) mod m, plus one */
	t = 0 - md->inv * m;
	md->c = (uint32_t)(t == m ? 0 : t);
}

/*
 * x mod m for any x < 2^64.  x * inv / 2^64 > x / m - x / 2^64 > x / m - 1,
 * so Barrett's quotient estimate is at most one too small: one correction.
 */
static inline uint64_t
vk_wordmod_reduce(uint64_t x, const struct vk_wordmod *md)
{
#ifdef __SIZEOF_INT128__
	uint64_t q = (uint64_t)(((unsigned __int128)x * md->inv) >> 64);
	uint64_t r = x - q * md->m;

	return r >= md->m ? r - md->m : r;
#else
	return x % md->m;
#endif
}

/* (r * 2^64 + w) mod m, for r < m: r * 2^64 is r * c modulo m, and
 * r * c < 2^64 - 2^33, so a carry out of r * c + w leaves room for c. */
static inline uint64_t
vk_wordmod_step(uint64_t r, uint64_t w, const struct vk_wordmod *md)
{
	uint64_t s = r * md->c + w;

	if (s < w)
		s += md->c;
	return vk_wordmod_reduce(s, md);
}

/* The number w[0..nw) (most significant word first) modulo each of the
 * VK_WORDMOD_LANES moduli: one pass over the words for all of them. */
static inline void
vk_wordmod_residues(const uint64_t *w, size_t nw,
    const struct vk_wordmod md[VK_WORDMOD_LANES],
    uint64_t r[VK_WORDMOD_LANES])
{
	for (size_t k = 0; k < VK_WORDMOD_LANES; k++)
		r[k] = 0;
	for (size_t j = 0; j < nw; j++)
		for (size_t k = 0; k < VK_WORDMOD_LANES; k++)
			r[k] = vk_wordmod_step(r[k], w[j], &md[k]);
}

/* n >= 0 as 64-bit words, most significant first, in w[0..max); the
 * number of words, or 0 when n is 0 or does not fit.  The bytes it went
 * through are wiped: n may be secret. */
size_t vk_bn_to_words(const BIGNUM *n, uint64_t *w, size_t max);

#endif
