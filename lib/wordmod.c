/*
 * wordmod.c - big numbers as arrays of 64-bit words, for wordmod.h.
 */
#include "config.h"

#include <sodium.h>

#include "wordmod.h"

size_t
vk_bn_to_words(const BIGNUM *n, uint64_t *w, size_t max)
{
	uint8_t be[VK_WORDMOD_MAX_WORDS * 8];
	size_t nw = ((size_t)BN_num_bytes(n) + 7) / 8;

	if (nw == 0 || nw > max || nw > VK_WORDMOD_MAX_WORDS ||
	    BN_is_negative(n) || BN_bn2binpad(n, be, (int)(nw * 8)) < 0)
		return 0;
	for (size_t j = 0; j < nw; j++) {
		const uint8_t *b = be + 8 * j;

		/* written out, so that the compiler makes it one load */
		w[j] = (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 |
		    (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
		    (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
		    (uint64_t)b[6] << 8 | b[7];
	}
	sodium_memzero(be, nw * 8);
	return nw;
}
