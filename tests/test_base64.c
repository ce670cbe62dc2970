/* test_base64.c - the base64 decoder against libsodium's, on every short
 * length, every byte in every place, every padding, and random text; the
 * encoder against libsodium's. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "check.h"
#include "fuzzutil.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * The decoders on in[0, len) with room for outmax bytes, ours with and
 * without the code for one kind of processor: the same verdict, and on
 * success the same bytes.  Returns the verdict.
 *
 * One difference is meant: libsodium 1.0.18 reads a char as signed, so it
 * takes every byte from 0x80 up for '/'; ours refuses those bytes, as
 * base64 has none.  (The paste checker never hands the decoder such a
 * byte: it checks the alphabet first.)
 */
static int
same_as_sodium(const char *in, size_t len, size_t outmax)
{
	uint8_t want[256], got[256], port[256];
	size_t wantlen = 99, gotlen = 99, portlen = 99;
	int wrc, grc, prc, high = 0;

	assert_true(outmax <= sizeof(want));
	for (size_t i = 0; i < len; i++)
		high |= (unsigned char)in[i] >= 0x80;
	grc = vk_base64_decode(got, outmax, in, len, &gotlen);
	prc = vk_base64_decode_portable(port, outmax, in, len, &portlen);
	assert_int_equal(prc, grc);
	assert_int_equal(portlen, gotlen);
	if (grc == 0)
		assert_memory_equal(port, got, gotlen);
	if (high) {
		assert_int_equal(grc, -1);
		assert_int_equal(gotlen, 0);
		return grc;
	}
	wrc = sodium_base642bin(want, outmax, in, len, NULL, &wantlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL);
	if (wrc != grc)
		fail_msg("len %zu outmax %zu '%.*s': sodium %d, ours %d", len,
		    outmax, (int)len, in, wrc, grc);
	if (grc == 0) {
		assert_int_equal(gotlen, wantlen);
		assert_memory_equal(got, want, gotlen);
	} else {
		assert_int_equal(gotlen, 0);
	}
	return grc;
}

/* Random base64 of every length 0 to 64: each length decodes as sodium
 * decodes it, with the room it needs, less, and more. */
static void
test_every_length(void **state)
{
	char s[80];

	(void)state;
	fu_seed(0xb64);
	for (size_t len = 0; len <= 64; len++) {
		for (int round = 0; round < 50; round++) {
			for (size_t i = 0; i < len; i++)
				s[i] = alphabet[fu_rand() % 64];
			same_as_sodium(s, len, len / 4 * 3);
			same_as_sodium(s, len, len / 4 * 3 + 3);
			if (len >= 4)
				same_as_sodium(s, len, len / 4 * 3 - 1);
		}
	}
}

/* Every byte value in every place of texts of 4 to 64 characters, the
 * '=' of the padding included. */
static void
test_every_byte_everywhere(void **state)
{
	char s[64];
	size_t accepted = 0;

	(void)state;
	fu_seed(0xb65);
	for (size_t len = 4; len <= 64; len += 4) {
		for (size_t at = 0; at < len; at++) {
			for (unsigned b = 0; b < 256; b++) {
				for (size_t i = 0; i < len; i++)
					s[i] = alphabet[fu_rand() % 64];
				s[at] = (char)b;
				accepted += same_as_sodium(s, len, len / 4 * 3) == 0;
			}
		}
	}
	assert_true(accepted > 0);
}

/* Every padding: "=", "==", "===" and misplaced ones, with the leftover
 * bits zero (canonical) or not. */
static void
test_padding(void **state)
{
	static const char *const ends[] = { "=", "==", "===", "====", "=A",
		"=A=", "A=A=", "==A", "A=", "AA=", "AAA=", "AQ==", "AR==",
		"AB==", "AAE=", "AAB=", "AAC=", "Zg==", "Zm8=", "Zm9v", "Zh==",
		"Zm9=", "/w==", "//8=", "+/+/", "A===" };
	char s[80];
	size_t accepted = 0;

	(void)state;
	fu_seed(0xb66);
	for (size_t e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
		size_t elen = strlen(ends[e]);
		for (size_t body = 0; body <= 60; body++) {
			for (size_t i = 0; i < body; i++)
				s[i] = alphabet[fu_rand() % 64];
			memcpy(s + body, ends[e], elen);
			accepted += same_as_sodium(s, body + elen,
					(body + elen) / 4 * 3) == 0;
		}
	}
	/* and every last or next-to-last character before the padding */
	for (size_t c = 0; c < 64; c++) {
		char one[] = { 'Q', alphabet[c], '=', '=' };
		char two[] = { 'Q', 'Q', alphabet[c], '=' };
		accepted += same_as_sodium(one, 4, 3) == 0;
		accepted += same_as_sodium(two, 4, 3) == 0;
	}
	assert_true(accepted > 0);
}

/* Text made of the alphabet, '=' and a few bytes that are neither. */
static void
test_random_text(void **state)
{
	static const char mix[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789+/=====-_ .\n\r\x80\xff";
	char s[200];
	size_t accepted = 0;

	(void)state;
	fu_seed(0xb67);
	for (int round = 0; round < 200000; round++) {
		size_t len = fu_rand() % 100, outmax;
		int noise = fu_rand() % 4;
		for (size_t i = 0; i < len; i++)
			s[i] = noise == 0 ? mix[fu_rand() % (sizeof(mix) - 1)] :
					    alphabet[fu_rand() % 64];
		/* mostly well-formed padding, to reach the accepting paths */
		if (len >= 4 && noise != 0 && fu_rand() % 2)
			s[len - 1] = '=';
		if (len >= 4 && noise != 0 && fu_rand() % 4 == 0)
			s[len - 2] = '=';
		outmax = len / 4 * 3 + (fu_rand() % 3) - 1;
		if (outmax > len / 4 * 3 + 3)
			outmax = 0;
		accepted += same_as_sodium(s, len, outmax) == 0;
	}
	assert_true(accepted > 1000);
}

/* A whole RSA key's data, and the output ends exactly where it should:
 * no byte past outlen is written. */
static void
test_writes_no_further(void **state)
{
	uint8_t bin[600], out[600 + 8];
	char b64[sodium_base64_ENCODED_LEN(600, sodium_base64_VARIANT_ORIGINAL)];
	size_t outlen;

	(void)state;
	fu_seed(0xb68);
	for (size_t n = 0; n <= 600; n += 1 + n / 8) {
		for (size_t i = 0; i < n; i++)
			bin[i] = (uint8_t)fu_rand();
		sodium_bin2base64(b64, sizeof(b64), bin, n,
		    sodium_base64_VARIANT_ORIGINAL);
		for (int port = 0; port < 2; port++) {
			memset(out, 0xa5, sizeof(out));
			assert_int_equal((port ? vk_base64_decode_portable :
						 vk_base64_decode)(out, n, b64,
					     strlen(b64), &outlen),
			    0);
			assert_int_equal(outlen, n);
			assert_memory_equal(out, bin, n);
			for (size_t i = n; i < sizeof(out); i++)
				assert_int_equal(out[i], 0xa5);
		}
	}
}

static int
in_alphabet(char c)
{
	return c != '\0' && strchr(alphabet, c) != NULL;
}

/* vk_base64_alphabet() is the alphabet, character by character. */
static void
test_alphabet(void **state)
{
	char s[40];

	(void)state;
	for (size_t len = 0; len <= 33; len++) {
		for (size_t at = 0; at < len; at++) {
			for (unsigned b = 0; b < 256; b++) {
				for (size_t i = 0; i < len; i++)
					s[i] = alphabet[(i * 7 + b) % 64];
				s[at] = (char)b;
				assert_int_equal(vk_base64_alphabet(s, len),
				    in_alphabet((char)b));
			}
		}
		for (size_t i = 0; i < len; i++)
			s[i] = alphabet[i % 64];
		assert_int_equal(vk_base64_alphabet(s, len), 1);
	}
}

/* Encoding: what libsodium writes, padded and not, for every length 0 to
 * 200 (up to 8 bytes, with every byte value in each of the last three
 * places), and a decode gives the bytes back. */
static void
test_encode(void **state)
{
	static const int variants[] = { sodium_base64_VARIANT_ORIGINAL,
		sodium_base64_VARIANT_ORIGINAL_NO_PADDING };
	uint8_t bin[200], back[200];
	char want[300], got[300];
	size_t n, backlen;

	(void)state;
	fu_seed(0xb69);
	for (size_t len = 0; len <= 200; len++) {
		for (int round = 0; round < (len <= 8 ? 3 * 256 : 16); round++) {
			for (size_t i = 0; i < len; i++)
				bin[i] = (uint8_t)fu_rand();
			if (len > 0)
				bin[len - 1 - (size_t)round % (len < 3 ? len : 3)] =
				    (uint8_t)(round / 3);
			for (int v = 1; v >= 0; v--) {
				sodium_bin2base64(want, sizeof(want), bin, len,
				    variants[v]);
				memset(got, 'x', sizeof(got));
				n = vk_base64_encode(got, bin, len, v == 0);
				assert_int_equal(n, strlen(want));
				assert_string_equal(got, want);
			}
			/* the padded one, last */
			assert_int_equal(vk_base64_decode(back, sizeof(back), got,
					     n, &backlen),
			    0);
			assert_int_equal(backlen, len);
			assert_memory_equal(back, bin, len);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_length),
		cmocka_unit_test(test_every_byte_everywhere),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_random_text),
		cmocka_unit_test(test_writes_no_further),
		cmocka_unit_test(test_alphabet),
		cmocka_unit_test(test_encode),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
