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

#include "vhkey_internal.h"
#include "lanes.h"

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

int
vk_base64_decode(uint8_t *out, size_t outmax, const char *in, size_t len,
    size_t *outlen)
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
	for (i = 0, o = 0; i + VK_LANES <= body; i += VK_LANES, o += 12)
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

/* The character of a sextet v (0 to 63), by arithmetic: v + 'A', moved
 * on at each range's end ((n - v) >> 8 is all ones when v > n). */
static inline char
b64_char(unsigned v)
{
	unsigned c = v + 'A';

	c += ((25u - v) >> 8) & (('a' - 26) - 'A');
	c -= ((51u - v) >> 8) & (('a' - 26) - ('0' - 52));
	c -= ((61u - v) >> 8) & (('0' - 52) - ('+' - 62));
	c += ((62u - v) >> 8) & (('/' - 63) - ('+' - 62));
	return (char)c;
}

size_t
vk_base64_encode(char *out, const uint8_t *in, size_t len, int pad)
{
	size_t i, o = 0;
	uint32_t g;

	for (i = 0; i + 3 <= len; i += 3) {
		g = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64_char(g >> 18);
		out[o++] = b64_char((g >> 12) & 63);
		out[o++] = b64_char((g >> 6) & 63);
		out[o++] = b64_char(g & 63);
	}
	if (i < len) {
		g = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			g |= (uint32_t)in[i + 1] << 8;
		out[o++] = b64_char(g >> 18);
		out[o++] = b64_char((g >> 12) & 63);
		if (i + 1 < len)
			out[o++] = b64_char((g >> 6) & 63);
		else if (pad)
			out[o++] = '=';
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}
