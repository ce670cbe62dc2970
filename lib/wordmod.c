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
		w[j] = 0;
		for (size_t b = 0; b < 8; b++)
			w[j] = w[j] << 8 | be[8 * j + b];
	}
	sodium_memzero(be, nw * 8);
	return nw;
}
