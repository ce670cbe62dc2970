/*
 * base64.c - standard base64 (RFC 4648 section 4): decoding sixteen
 * characters at a time, and encoding.
 *
 * Pasted text may be a private key, so, as in libsodium's decoder, no
 * branch and no memory access depends on a character: comparisons in
 * byte lanes (lanes.h) give each one its six bits.  What is accepted, and
 * what it decodes to, is what sodium_base642bin() gives; only bytes from
 * 0x80 up, which libsodium 1.0.18 takes for '/', are refused here
 * (tests/test_base64.c compares the two).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "core.h"
#include "lanes.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#define HAVE_SSSE3_PATH 1
#endif

/* The lanes that hold a character of the alphabet: '+', '/' to '9', 'A'
 * to 'Z', 'a' to 'z' (a byte from 0x80 up is below 0, so none). */
static inline vk_u8x16
alphabet_lanes(vk_s8x16 c)
{
	return (vk_u8x16)(c == '+') |
	    ((vk_u8x16)(c >= '/') & (vk_u8x16)(c <= '9')) |
	    ((vk_u8x16)(c >= 'A') & (vk_u8x16)(c <= 'Z')) |
	    ((vk_u8x16)(c >= 'a') & (vk_u8x16)(c <= 'z'));
}

/*
 * The six bits of each of sixteen characters, one a lane; the lanes that
 * hold no character of the alphabet are set in *bad.  A character c
 * becomes c + delta (mod 256), where delta depends on the range c is in;
 * the ranges nest ('/' and up, '0' and up, 'A' and up, 'a' and up), so
 * delta is switched at each threshold that c reaches.
 */
static inline vk_u8x16
sextets(vk_s8x16 c, vk_u8x16 *bad)
{
	vk_u8x16 delta =
	    ((vk_u8x16)(c >= '/') & (uint8_t)((62 - '+') ^ (63 - '/'))) ^
	    ((vk_u8x16)(c >= '0') & (uint8_t)((63 - '/') ^ (52 - '0'))) ^
	    ((vk_u8x16)(c >= 'A') & (uint8_t)((52 - '0') ^ (0 - 'A'))) ^
	    ((vk_u8x16)(c >= 'a') & (uint8_t)((0 - 'A') ^ (26 - 'a')));

	*bad |= ~alphabet_lanes(c);
	return (vk_u8x16)c + (delta ^ (uint8_t)(62 - '+'));
}

/* Four sextets s[0..3] as 24 bits. */
static inline uint32_t
group_bits(const unsigned char *s)
{
	return (uint32_t)s[0] << 18 | (uint32_t)s[1] << 12 |
	    (uint32_t)s[2] << 6 | s[3];
}

static inline void
put3(uint8_t *out, uint32_t g)
{
	out[0] = (uint8_t)(g >> 16);
	out[1] = (uint8_t)(g >> 8);
	out[2] = (uint8_t)g;
}

/* The 24 bits of one group of four characters. */
static inline uint32_t
group(const char *in, vk_u8x16 *bad)
{
	vk_u8x16 v = sextets(vk_lanes_load_part(in, 4, 'A'), bad);
	unsigned char s[VK_LANES];

	memcpy(s, &v, sizeof(s));
	return group_bits(s);
}

/* Sixteen sextets as twelve bytes. */
static inline void
put12(uint8_t *out, vk_u8x16 v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	typedef uint16_t u16x8 __attribute__((vector_size(16)));
	typedef uint32_t u32x4 __attribute__((vector_size(16)));
	u16x8 t = (u16x8)v;
	u32x4 u;
	uint64_t w[2];

	/* pairs into 12 bits, pairs of those into 24, bytes in order */
	t = ((t & 0x3f) << 6) | (t >> 8);
	u = (u32x4)t;
	u = ((u & 0xfff) << 12) | (u >> 16);
	u = ((u >> 16) & 0xff) | (u & 0xff00) | ((u & 0xff) << 16);
	memcpy(w, &u, sizeof(w));
	for (int h = 0; h < 2; h++) {
		uint64_t b = (w[h] & 0xffffff) | ((w[h] >> 8) & 0xffffff000000ull);
		memcpy(out + 6 * h, &b, 6);
	}
#else
	unsigned char s[VK_LANES];

	memcpy(s, &v, sizeof(s));
	for (int k = 0; k < 4; k++)
		put3(out + 3 * k, group_bits(s + 4 * k));
#endif
}

#ifdef HAVE_SSSE3_PATH
/*
 * The blocks of sixteen characters of in[0, len), where the processor has
 * SSSE3 (Intel since 2006, AMD since 2011): sextets() as everywhere, then
 * twelve bytes with three instructions where put12() takes forty, the
 * multiply-adds joining pairs of sextets and pairs of pairs, and a
 * shuffle with fixed positions putting the bytes in order.  Returns how
 * many characters it read.
 */
__attribute__((target("ssse3"))) static size_t
blocks_ssse3(uint8_t *out, const char *in, size_t len, vk_u8x16 *bad)
{
	const __m128i pairs = _mm_set1_epi32(0x01400140);
	const __m128i quads = _mm_set1_epi32(0x00011000);
	const __m128i order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14,
	    13, 12, -1, -1, -1, -1);
	size_t i, o;

	for (i = 0, o = 0; i + VK_LANES <= len; i += VK_LANES, o += 12) {
		__m128i x = (__m128i)sextets(vk_lanes_load(in + i), bad);
		uint32_t last;

		x = _mm_maddubs_epi16(x, pairs); /* c0 * 64 + c1 */
		x = _mm_madd_epi16(x, quads);	 /* p0 * 4096 + p1 */
		x = _mm_shuffle_epi8(x, order);
		_mm_storel_epi64((__m128i *)(void *)(out + o), x);
		last = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(x, 8));
		memcpy(out + o + 8, &last, 4);
	}
	return i;
}
#endif

/* 1 when c is '=', else 0, without a branch. */
static inline unsigned
is_pad(char c)
{
	return ((unsigned)(unsigned char)(c ^ '=') - 1) >> 31;
}

int
vk_base64_alphabet(const char *s, size_t n)
{
	vk_u8x16 bad = { 0 };
	size_t i;

	for (i = 0; i + VK_LANES <= n; i += VK_LANES)
		bad |= ~alphabet_lanes(vk_lanes_load(s + i));
	if (i < n)
		bad |= ~alphabet_lanes(vk_lanes_load_part(s + i, n - i, 'A'));
	return !vk_lanes_any(bad);
}

/* vk_base64_decode(), with SSSE3 when ssse3 and the build can. */
static int
decode(uint8_t *out, size_t outmax, const char *in, size_t len,
    size_t *outlen, int ssse3)
{
	vk_u8x16 bad = { 0 };
	char last[4];
	unsigned pad2, pad3, odd;
	uint32_t g;
	size_t body, i, o, total;

	*outlen = 0;
	if (len % 4 != 0)
		return -1;
	if (len == 0)
		return 0;
	/* The last group may end in "=" or "==", read as 'A' (zero bits);
	 * '=' anywhere else is no character of the alphabet. */
	body = len - 4;
	memcpy(last, in + body, 4);
	pad3 = is_pad(last[3]);
	pad2 = is_pad(last[2]);
	last[3] ^= (char)(pad3 * ('=' ^ 'A'));
	last[2] ^= (char)(pad2 * ('=' ^ 'A'));
	g = group(last, &bad);
	odd = pad2 & ~pad3;
	/* the bits the padding leaves over are zero, as an encoder writes
	 * them, so that in is the one encoding of what it holds */
	odd |= ((g & (pad3 * 0xffu | pad2 * 0xff00u)) + 0xffffffu) >> 24;
	/* the padding only says how long the data is: no secret */
	total = len / 4 * 3 - pad2 - pad3;
	if (total > outmax)
		return -1;
	i = 0;
#ifdef HAVE_SSSE3_PATH
	if (ssse3)
		i = blocks_ssse3(out, in, body, &bad);
#else
	(void)ssse3;
#endif
	for (o = i / 4 * 3; i + VK_LANES <= body; i += VK_LANES, o += 12)
		put12(out + o, sextets(vk_lanes_load(in + i), &bad));
	for (; i < body; i += 4, o += 3)
		put3(out + o, group(in + i, &bad));
	if (vk_lanes_any(bad) || odd != 0)
		return -1;
	out[o] = (uint8_t)(g >> 16);
	if (o + 1 < total)
		out[o + 1] = (uint8_t)(g >> 8);
	if (o + 2 < total)
		out[o + 2] = (uint8_t)g;
	*outlen = total;
	return 0;
}

int
vk_base64_decode(uint8_t *out, size_t outmax, const char *in, size_t len,
    size_t *outlen)
{
	return decode(out, outmax, in, len, outlen,
	    sodium_runtime_has_ssse3());
}

int
vk_base64_decode_portable(uint8_t *out, size_t outmax, const char *in,
    size_t len, size_t *outlen)
{
	return decode(out, outmax, in, len, outlen, 0);
}

/*
 * Six bytes as eight characters, one a byte of the result (the first in
 * its lowest byte): the two groups of 24 bits split into four sextets
 * each, and each sextet moved on to its character by arithmetic in its
 * byte, as sextets() does the other way.
 */
static inline uint64_t
encode6(const uint8_t *in)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80,
		       m12 = 0x00000fff00000fffull, m6 = 0x003f003f003f003full;
	uint64_t x = (uint64_t)in[0] << 16 | (uint64_t)in[1] << 8 | in[2] |
	    (uint64_t)in[3] << 48 | (uint64_t)in[4] << 40 |
	    (uint64_t)in[5] << 32;
	uint64_t t = ((x >> 12) & m12) | ((x & m12) << 16);
	uint64_t v = ((t >> 6) & m6) | ((t & m6) << 8);
	/* bit 7 of each byte set when its sextet is n or more */
#define AT_LEAST(n) ((((v + ones * (128 - (n))) & high) >> 7) * 0xff)
	uint64_t delta = (ones * 'A') ^
	    (AT_LEAST(26) & (ones * (uint8_t)('A' ^ ('a' - 26)))) ^
	    (AT_LEAST(52) & (ones * (uint8_t)(('a' - 26) ^ ('0' - 52)))) ^
	    (AT_LEAST(62) & (ones * (uint8_t)(('0' - 52) ^ ('+' - 62)))) ^
	    (AT_LEAST(63) & (ones * (uint8_t)(('+' - 62) ^ ('/' - 63))));
#undef AT_LEAST

	/* v + delta in each byte, without a carry into the next */
	return (v + (delta & ~high)) ^ (delta & high);
}

/* The eight bytes of w at out, the lowest first. */
static inline void
put8(char *out, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	memcpy(out, &w, sizeof(w));
}

size_t
vk_base64_encode(char *out, const uint8_t *in, size_t len, int pad)
{
	uint8_t rest[6] = { 0 };
	char last[8];
	size_t i, o = 0, n;

	for (i = 0; i + 6 <= len; i += 6, o += 8)
		put8(out + o, encode6(in + i));
	if (i < len) {
		/* 1 to 5 bytes left: the characters that hold them */
		memcpy(rest, in + i, len - i);
		put8(last, encode6(rest));
		n = ((len - i) * 4 + 2) / 3;
		memcpy(out + o, last, n);
		o += n;
		while (pad && o % 4 != 0)
			out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}
