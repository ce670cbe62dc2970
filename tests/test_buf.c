/* test_buf.c - the SSH wire-format reader and writer, with hostile input. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"

static void
test_u32(void **state)
{
	const uint8_t d[] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03 };
	vk_reader r;
	uint32_t v;

	(void)state;
	vk_reader_init(&r, d, sizeof(d));
	assert_int_equal(vk_get_u32(&r, &v), VHKEY_OK);
	assert_int_equal(v, 0xdeadbeef);
	/* three bytes left: a failed read does not move the reader */
	assert_int_equal(vk_get_u32(&r, &v), VHKEY_ERR_TRUNCATED);
	assert_int_equal(r.off, 4);
	assert_int_equal(vk_reader_remaining(&r), 3);
	assert_int_equal(vk_reader_expect_end(&r), VHKEY_ERR_TRAILING);
}

/* Length prefixes that overflow naive arithmetic, or promise more than
 * there is, fail cleanly and leave the offset alone. */
static void
test_string_hostile_lengths(void **state)
{
	static const struct {
		uint8_t len[4];
		int want;
	} cases[] = {
		{ { 0xff, 0xff, 0xff, 0xff }, VHKEY_ERR_TOO_LARGE },
		{ { 0xff, 0xff, 0xff, 0xfc }, VHKEY_ERR_TOO_LARGE },
		{ { 0x80, 0x00, 0x00, 0x00 }, VHKEY_ERR_TOO_LARGE },
		{ { 0x7f, 0xff, 0xff, 0xff }, VHKEY_ERR_TOO_LARGE },
		{ { 0x00, 0x04, 0x00, 0x01 }, VHKEY_ERR_TOO_LARGE },
		{ { 0x00, 0x00, 0x00, 0x05 }, VHKEY_ERR_TRUNCATED },
		{ { 0x00, 0x00, 0x01, 0x00 }, VHKEY_ERR_TRUNCATED },
	};
	uint8_t d[8];
	const uint8_t *p;
	size_t n;
	vk_reader r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(d, cases[i].len, 4);
		memset(d + 4, 'x', 4);
		vk_reader_init(&r, d, sizeof(d));
		assert_int_equal(vk_get_string(&r, &p, &n), cases[i].want);
		assert_int_equal(r.off, 0);
	}
	/* a length that fits exactly */
	memcpy(d, "\0\0\0\4abcd", 8);
	vk_reader_init(&r, d, 8);
	assert_int_equal(vk_get_string(&r, &p, &n), VHKEY_OK);
	assert_int_equal(n, 4);
	assert_memory_equal(p, "abcd", 4);
	assert_int_equal(vk_reader_expect_end(&r), VHKEY_OK);
}

static void
test_string_truncated_prefix(void **state)
{
	const uint8_t d[] = { 0, 0, 0, 1, 'a' };
	const uint8_t *p;
	size_t n;
	vk_reader r;

	(void)state;
	for (size_t len = 0; len < sizeof(d); len++) {
		vk_reader_init(&r, d, len);
		assert_int_equal(vk_get_string(&r, &p, &n),
		    VHKEY_ERR_TRUNCATED);
		assert_int_equal(r.off, 0);
	}
	vk_reader_init(&r, NULL, 0);
	assert_int_equal(vk_get_string(&r, &p, &n), VHKEY_ERR_TRUNCATED);
}

static void
test_cstring_rejects_nul(void **state)
{
	const uint8_t bad[] = { 0, 0, 0, 7, 's', 's', 'h', 0, 'r', 's', 'a' };
	const uint8_t good[] = { 0, 0, 0, 3, 'a', 'b', 'c' };
	const uint8_t empty[] = { 0, 0, 0, 0 };
	const char *s;
	size_t n;
	vk_reader r;

	(void)state;
	vk_reader_init(&r, bad, sizeof(bad));
	assert_int_equal(vk_get_cstring(&r, &s, &n), VHKEY_ERR_FORMAT);
	assert_int_equal(r.off, 0);
	vk_reader_init(&r, good, sizeof(good));
	assert_int_equal(vk_get_cstring(&r, &s, &n), VHKEY_OK);
	assert_int_equal(n, 3);
	vk_reader_init(&r, empty, sizeof(empty));
	assert_int_equal(vk_get_cstring(&r, &s, &n), VHKEY_OK);
	assert_int_equal(n, 0);
}

static void
test_mpint_canonical(void **state)
{
	static const struct {
		uint8_t d[8];
		size_t len;
		int want;
		size_t maglen;
	} cases[] = {
		{ { 0, 0, 0, 0 }, 4, VHKEY_OK, 0 },		  /* zero */
		{ { 0, 0, 0, 1, 0x7f }, 5, VHKEY_OK, 1 },	  /* 127 */
		{ { 0, 0, 0, 2, 0x00, 0x80 }, 6, VHKEY_OK, 1 }, /* 128 */
		{ { 0, 0, 0, 1, 0x80 }, 5, VHKEY_ERR_MPINT, 0 }, /* -128 */
		{ { 0, 0, 0, 1, 0xff }, 5, VHKEY_ERR_MPINT, 0 }, /* -1 */
		{ { 0, 0, 0, 1, 0x00 }, 5, VHKEY_ERR_MPINT, 0 }, /* 0 as 00 */
		{ { 0, 0, 0, 2, 0x00, 0x7f }, 6, VHKEY_ERR_MPINT, 0 },
		{ { 0, 0, 0, 3, 0x00, 0x00, 0x80 }, 7, VHKEY_ERR_MPINT, 0 },
		{ { 0, 0, 0, 3, 0x00, 0x80 }, 6, VHKEY_ERR_TRUNCATED, 0 },
	};
	const uint8_t *p;
	size_t n;
	vk_reader r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vk_reader_init(&r, cases[i].d, cases[i].len);
		assert_int_equal(vk_get_mpint(&r, &p, &n), cases[i].want);
		if (cases[i].want == VHKEY_OK) {
			assert_int_equal(n, cases[i].maglen);
			assert_int_equal(r.off, cases[i].len);
		} else {
			assert_int_equal(r.off, 0);
		}
	}
}

static void
test_bignum_roundtrip(void **state)
{
	static const char *hex[] = { "0", "1", "7f", "80", "ff", "100",
		"8000000000000000000000000000000000000001",
		"7fffffffffffffffffffffffffffffff" };
	vk_writer w;
	vk_reader r;
	BIGNUM *in = NULL, *out = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(hex) / sizeof(hex[0]); i++) {
		vk_writer_init(&w, (int)(i % 2));
		assert_true(BN_hex2bn(&in, hex[i]) > 0);
		assert_int_equal(vk_put_bignum(&w, in), VHKEY_OK);
		/* the top bit of the first byte is never set */
		if (w.len > 4)
			assert_int_equal(w.data[4] & 0x80, 0);
		vk_reader_init(&r, w.data, w.len);
		assert_int_equal(vk_get_bignum(&r, &out), VHKEY_OK);
		assert_int_equal(BN_cmp(in, out), 0);
		assert_int_equal(vk_reader_expect_end(&r), VHKEY_OK);
		assert_true(BN_get_flags(out, BN_FLG_SECURE));
		BN_free(out);
		/* a public number the same, in ordinary memory */
		vk_reader_init(&r, w.data, w.len);
		assert_int_equal(vk_get_public_bignum(&r, &out), VHKEY_OK);
		assert_int_equal(BN_cmp(in, out), 0);
		assert_int_equal(vk_reader_expect_end(&r), VHKEY_OK);
		assert_false(BN_get_flags(out, BN_FLG_SECURE));
		BN_free(out);
		out = NULL;
		vk_writer_clear(&w);
	}
	/* negative numbers are refused */
	BN_set_negative(in, 1);
	vk_writer_init(&w, 0);
	assert_int_equal(vk_put_bignum(&w, in), VHKEY_ERR_ARGUMENT);
	assert_int_equal(w.len, 0);
	vk_writer_clear(&w);
	BN_free(in);
}

/* A writer in the caller's buffer: it stays there while it fits, moves
 * out when it does not, and wipes the buffer each time it leaves it. */
static void
test_writer_in_callers_buffer(void **state)
{
	uint8_t buf[16], *taken;
	const uint8_t zeros[16] = { 0 };
	vk_writer w;
	size_t len;

	(void)state;
	vk_writer_init_in(&w, buf, sizeof(buf));
	assert_int_equal(vk_put_bytes(&w, "0123456789abcdef", 16), VHKEY_OK);
	assert_ptr_equal(w.data, buf);
	assert_int_equal(vk_put_u8(&w, 'g'), VHKEY_OK);
	assert_ptr_not_equal(w.data, buf);
	assert_memory_equal(w.data, "0123456789abcdefg", 17);
	assert_memory_equal(buf, zeros, sizeof(buf));
	vk_writer_clear(&w);
	/* cleared in place */
	vk_writer_init_in(&w, buf, sizeof(buf));
	assert_int_equal(vk_put_bytes(&w, "secret", 6), VHKEY_OK);
	vk_writer_clear(&w);
	assert_memory_equal(buf, zeros, sizeof(buf));
	assert_null(w.data);
	/* taken: copied out to the heap */
	vk_writer_init_in(&w, buf, sizeof(buf));
	assert_int_equal(vk_put_bytes(&w, "abc", 3), VHKEY_OK);
	taken = vk_writer_take(&w, &len);
	assert_non_null(taken);
	assert_ptr_not_equal(taken, buf);
	assert_int_equal(len, 3);
	assert_memory_equal(taken, "abc", 3);
	assert_memory_equal(buf, zeros, sizeof(buf));
	free(taken);
}

static void
test_writer_grows_and_bounds(void **state)
{
	static uint8_t chunk[1000];
	vk_writer w;
	vk_reader r;
	const uint8_t *p;
	size_t n, len;
	uint8_t *taken;

	(void)state;
	memset(chunk, 0xa5, sizeof(chunk));
	for (int secret = 0; secret < 2; secret++) {
		vk_writer_init(&w, secret);
		for (int i = 0; i < 50; i++)
			assert_int_equal(vk_put_string(&w, chunk,
					     sizeof(chunk)),
			    VHKEY_OK);
		assert_int_equal(w.len, 50 * (4 + sizeof(chunk)));
		vk_reader_init(&r, w.data, w.len);
		for (int i = 0; i < 50; i++) {
			assert_int_equal(vk_get_string(&r, &p, &n), VHKEY_OK);
			assert_memory_equal(p, chunk, sizeof(chunk));
		}
		assert_int_equal(vk_reader_expect_end(&r), VHKEY_OK);
		taken = vk_writer_take(&w, &len);
		assert_non_null(taken);
		assert_int_equal(len, 50 * (4 + sizeof(chunk)));
		assert_null(w.data);
		if (secret)
			vk_secret_release(taken);
		else
			free(taken);
	}
	/* nothing grows past the wire maximum */
	vk_writer_init(&w, 0);
	assert_int_equal(vk_put_string(&w, NULL, VK_WIRE_MAX + 1),
	    VHKEY_ERR_TOO_LARGE);
	assert_int_equal(w.len, 0);
	vk_writer_clear(&w);
}

/* A wiped writer keeps its buffer, zeroed, and starts again empty. */
static void
test_writer_wipe(void **state)
{
	vk_writer w;
	uint8_t *buf;

	(void)state;
	vk_writer_init(&w, 0);
	vk_writer_wipe(&w); /* nothing written yet: nothing to do */
	assert_int_equal(w.len, 0);
	assert_int_equal(vk_put_bytes(&w, "secret!", 7), VHKEY_OK);
	buf = w.data;
	vk_writer_wipe(&w);
	assert_int_equal(w.len, 0);
	assert_ptr_equal(w.data, buf);
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(vk_put_bytes(&w, "ab", 2), VHKEY_OK);
	assert_ptr_equal(w.data, buf);
	assert_memory_equal(w.data, "ab", 2);
	vk_writer_clear(&w);
}

static void
test_put_get_u32_string(void **state)
{
	vk_writer w;
	vk_reader r;
	uint32_t v;
	const char *s;
	size_t n;

	(void)state;
	vk_writer_init(&w, 0);
	assert_int_equal(vk_put_u32(&w, 0x01020304), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&w, "ssh-rsa"), VHKEY_OK);
	assert_int_equal(vk_put_u8(&w, 9), VHKEY_OK);
	assert_memory_equal(w.data, "\1\2\3\4\0\0\0\7ssh-rsa\11", 16);
	vk_reader_init(&r, w.data, w.len);
	assert_int_equal(vk_get_u32(&r, &v), VHKEY_OK);
	assert_int_equal(v, 0x01020304);
	assert_int_equal(vk_get_cstring(&r, &s, &n), VHKEY_OK);
	assert_int_equal(n, 7);
	assert_memory_equal(s, "ssh-rsa", 7);
	assert_int_equal(vk_reader_expect_end(&r), VHKEY_ERR_TRAILING);
	vk_writer_clear(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_string_hostile_lengths),
		cmocka_unit_test(test_string_truncated_prefix),
		cmocka_unit_test(test_cstring_rejects_nul),
		cmocka_unit_test(test_mpint_canonical),
		cmocka_unit_test(test_bignum_roundtrip),
		cmocka_unit_test(test_writer_grows_and_bounds),
		cmocka_unit_test(test_writer_in_callers_buffer),
		cmocka_unit_test(test_writer_wipe),
		cmocka_unit_test(test_put_get_u32_string),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
