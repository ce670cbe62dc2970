/*
 * lanes.h - sixteen bytes at a time, for the scans of pasted text and for
 * base64: a 16-byte vector of GCC's and Clang's vector extensions, which
 * compile to SSE2 on x86-64 and NEON on ARM, and to plain word arithmetic
 * elsewhere.
 *
 * Every byte is a lane of its own.  A comparison sets all the bits of the
 * lanes where it holds (0xff) and clears the others, without a branch, so
 * the time a vector takes does not depend on what it holds.  Lane i is
 * byte i in memory on any machine.
 */
#ifndef VHKEY_LANES_H
#define VHKEY_LANES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef signed char vk_s8x16 __attribute__((vector_size(16)));
typedef unsigned char vk_u8x16 __attribute__((vector_size(16)));

#define VK_LANES 16

/* Sixteen bytes from p, which need not be aligned.  Compared as signed,
 * the bytes from 0x80 up are below 0. */
static inline vk_s8x16
vk_lanes_load(const void *p)
{
	vk_s8x16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The n < 16 bytes at p, and fill in the lanes after them. */
static inline vk_s8x16
vk_lanes_load_part(const void *p, size_t n, char fill)
{
	unsigned char b[VK_LANES];

	memset(b, fill, sizeof(b));
	memcpy(b, p, n);
	return vk_lanes_load(b);
}

/* Is any lane of the mask m set? */
static inline int
vk_lanes_any(vk_u8x16 m)
{
	uint64_t w[2];

	memcpy(w, &m, sizeof(w));
	return (w[0] | w[1]) != 0;
}

/* The first lane of the mask m that is set; m is not all clear.  (Where
 * a scan stops is no secret: text is read the way a person reads it.) */
static inline size_t
vk_lanes_first(vk_u8x16 m)
{
	uint64_t w[2];
	size_t half;

	memcpy(w, &m, sizeof(w));
	half = w[0] != 0 ? 0 : 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return half * 8 + (size_t)__builtin_clzll(w[half]) / 8;
#else
	return half * 8 + (size_t)__builtin_ctzll(w[half]) / 8;
#endif
}

/*
 * The first of the n bytes at s whose lane the test marks, or n: sixteen
 * at a time, the last ones with fill (a byte the test never marks) in the
 * lanes after them.  A static inline test is inlined into the loop.
 */
static inline size_t
vk_lanes_find(const void *s, size_t n, vk_u8x16 (*test)(vk_s8x16),
    char fill)
{
	const char *p = s;
	vk_u8x16 m;
	size_t i;

	for (i = 0; i + VK_LANES <= n; i += VK_LANES)
		if (vk_lanes_any(m = test(vk_lanes_load(p + i))))
			return i + vk_lanes_first(m);
	if (i < n &&
	    vk_lanes_any(m = test(vk_lanes_load_part(p + i, n - i, fill))))
		return i + vk_lanes_first(m);
	return n;
}

#endif
