/* test_ed25519.c - ssh-ed25519 and sk-ssh-ed25519@openssh.com public keys. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <sodium.h>

#include "check.h"
#include "testutil.h"

#define SK_NAME "sk-ssh-ed25519@openssh.com"

/* The 32 key bytes of the ed25519 fixture. */
static void
fixture_pk(uint8_t pk[32])
{
	vhkey *key = tu_load_public("ed25519.pub");
	size_t len, pklen;
	const uint8_t *blob = vhkey_public_blob(key, &len), *p;
	const char *name;
	vk_reader r;

	vk_reader_init(&r, blob, len);
	assert_int_equal(vk_get_cstring(&r, &name, &pklen), VHKEY_OK);
	assert_int_equal(vk_get_string(&r, &p, &pklen), VHKEY_OK);
	assert_int_equal(pklen, 32);
	memcpy(pk, p, 32);
	vhkey_free(key);
}

/* type, pk (pklen bytes), then the application when app is not NULL, then
 * extra bytes of trailing junk. */
static vk_writer
blob(const char *type, const uint8_t *pk, size_t pklen, const char *app,
    size_t extra)
{
	vk_writer w;

	vk_writer_init(&w, 0);
	assert_int_equal(vk_put_cstring(&w, type), VHKEY_OK);
	assert_int_equal(vk_put_string(&w, pk, pklen), VHKEY_OK);
	tu_put_tail(&w, app, extra);
	return w;
}

/* bits and label are in the ssh-keygen -l lines compared */
static void
test_fixtures(void **state)
{
	(void)state;
	tu_assert_public_fixture("ed25519", VHKEY_TYPE_ED25519);
	tu_assert_public_fixture("sk-ed25519", VHKEY_TYPE_SK_ED25519);
}

/* The sk- key built here from the plain key's bytes is the fixture that
 * ssh-keygen -l fingerprinted. */
static void
test_sk_built_from_plain_key(void **state)
{
	uint8_t pk[32];
	vk_writer w;
	vhkey *key = NULL, *fixture = tu_load_public("sk-ed25519.pub");

	(void)state;
	fixture_pk(pk);
	w = blob(SK_NAME, pk, 32, "ssh:", 0);
	assert_int_equal(vk_key_from_blob(w.data, w.len, &key), VHKEY_OK);
	assert_int_equal(vhkey_set_comment(key, "fixture sk-ed25519"),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(key, fixture));
	tu_assert_keygen_l(key, "sk-ed25519");
	vhkey_free(key);
	vhkey_free(fixture);
	vk_writer_clear(&w);
	/* any application is taken, the empty one too */
	w = blob(SK_NAME, pk, 32, "", 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_OK);
	vk_writer_clear(&w);
	w = blob(SK_NAME, pk, 32, "ssh:some-other-relying-party", 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_OK);
	vk_writer_clear(&w);
}

static void
test_key_length(void **state)
{
	static const size_t lens[] = { 0, 1, 31, 33, 64 };
	uint8_t pk[64] = { 0 };
	vk_writer w;

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		w = blob("ssh-ed25519", pk, lens[i], NULL, 0);
		assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
		vk_writer_clear(&w);
		w = blob(SK_NAME, pk, lens[i], "ssh:", 0);
		assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
		vk_writer_clear(&w);
	}
	/* any 32 bytes, as OpenSSH takes them */
	w = blob("ssh-ed25519", pk, 32, NULL, 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_OK);
	vk_writer_clear(&w);
}

static void
test_hostile_blobs(void **state)
{
	uint8_t pk[32];
	vk_writer w;

	(void)state;
	fixture_pk(pk);
	/* trailing bytes */
	w = blob("ssh-ed25519", pk, 32, NULL, 1);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_TRAILING);
	vk_writer_clear(&w);
	w = blob(SK_NAME, pk, 32, "ssh:", 4);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_TRAILING);
	vk_writer_clear(&w);
	/* a plain key with an application is a plain key with junk */
	w = blob("ssh-ed25519", pk, 32, "ssh:", 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_TRAILING);
	vk_writer_clear(&w);
	/* an sk- key without one */
	w = blob(SK_NAME, pk, 32, NULL, 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_TRUNCATED);
	vk_writer_clear(&w);
	/* an application with a NUL inside */
	w = blob(SK_NAME, pk, 32, "ssh:x", 0);
	w.data[w.len - 1] = '\0';
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
	vk_writer_clear(&w);
	/* a huge application length */
	w = blob(SK_NAME, pk, 32, NULL, 0);
	assert_int_equal(vk_put_u32(&w, 0xffffffffu), VHKEY_OK);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_TOO_LARGE);
	vk_writer_clear(&w);
}

static void
test_every_truncation(void **state)
{
	uint8_t pk[32];
	vk_writer plain, sk;
	vhkey *key = (vhkey *)&key;

	(void)state;
	fixture_pk(pk);
	plain = blob("ssh-ed25519", pk, 32, NULL, 0);
	sk = blob(SK_NAME, pk, 32, "ssh:", 0);
	for (size_t i = 0; i < plain.len; i++) {
		assert_int_equal(vk_key_from_blob(plain.data, i, &key),
		    VHKEY_ERR_TRUNCATED);
		assert_null(key);
	}
	for (size_t i = 0; i < sk.len; i++) {
		assert_int_equal(vk_key_from_blob(sk.data, i, &key),
		    VHKEY_ERR_TRUNCATED);
		assert_null(key);
	}
	vk_writer_clear(&plain);
	vk_writer_clear(&sk);
}

/* The name on the line must be the blob's. */
static void
test_type_name_mismatch(void **state)
{
	uint8_t pk[32];
	vk_writer plain, sk;

	(void)state;
	fixture_pk(pk);
	plain = blob("ssh-ed25519", pk, 32, NULL, 0);
	sk = blob(SK_NAME, pk, 32, "ssh:", 0);
	assert_int_equal(tu_parse_line("ssh-ed25519", plain.data, plain.len),
	    VHKEY_OK);
	assert_int_equal(tu_parse_line(SK_NAME, sk.data, sk.len), VHKEY_OK);
	assert_int_equal(tu_parse_line("ssh-ed25519", sk.data, sk.len),
	    VHKEY_ERR_TYPE_MISMATCH);
	assert_int_equal(tu_parse_line(SK_NAME, plain.data, plain.len),
	    VHKEY_ERR_TYPE_MISMATCH);
	assert_int_equal(tu_parse_line("ssh-rsa", plain.data, plain.len),
	    VHKEY_ERR_TYPE_MISMATCH);
	vk_writer_clear(&plain);
	vk_writer_clear(&sk);
}


/* ------------------------------------------------ points of small order */

/*
 * The curve -x^2 + y^2 = 1 + d x^2 y^2 over p = 2^255 - 19, in affine
 * coordinates with OpenSSL's BN: slow and plain, and independent of the
 * library's table and of libsodium.
 */
struct curve {
	BN_CTX *ctx;
	BIGNUM *p, *d;
};

static BIGNUM *
bn_new_word(BN_ULONG v)
{
	BIGNUM *bn = BN_new();

	assert_non_null(bn);
	assert_true(BN_set_word(bn, v));
	return bn;
}

static void
curve_init(struct curve *c)
{
	BIGNUM *t = bn_new_word(121666);

	assert_non_null(c->ctx = BN_CTX_new());
	c->p = BN_new();
	assert_true(BN_set_bit(c->p, 255));
	assert_true(BN_sub_word(c->p, 19));
	/* d = -121665 / 121666 */
	c->d = BN_new();
	assert_non_null(BN_mod_inverse(t, t, c->p, c->ctx));
	assert_true(BN_mul_word(t, 121665));
	assert_true(BN_mod_sub(c->d, c->p, t, c->p, c->ctx));
	BN_free(t);
}

static void
curve_free(struct curve *c)
{
	BN_free(c->d);
	BN_free(c->p);
	BN_CTX_free(c->ctx);
}

/* (x3, y3) = (x1, y1) + (x2, y2); the outputs may be the inputs. */
static void
point_add(const struct curve *c, BIGNUM *x3, BIGNUM *y3, const BIGNUM *x1,
    const BIGNUM *y1, const BIGNUM *x2, const BIGNUM *y2)
{
	BN_CTX *ctx = c->ctx;
	BIGNUM *t = BN_new(), *num_x = BN_new(), *num_y = BN_new(),
	       *den = BN_new(), *u = BN_new();

	/* t = d x1 x2 y1 y2 */
	assert_true(BN_mod_mul(t, x1, x2, c->p, ctx));
	assert_true(BN_mod_mul(u, y1, y2, c->p, ctx));
	assert_true(BN_mod_mul(t, t, u, c->p, ctx));
	assert_true(BN_mod_mul(t, t, c->d, c->p, ctx));
	/* x3 = (x1 y2 + y1 x2) / (1 + t), y3 = (y1 y2 + x1 x2) / (1 - t) */
	assert_true(BN_mod_mul(num_x, x1, y2, c->p, ctx));
	assert_true(BN_mod_mul(den, y1, x2, c->p, ctx));
	assert_true(BN_mod_add(num_x, num_x, den, c->p, ctx));
	assert_true(BN_mod_mul(den, x1, x2, c->p, ctx));
	assert_true(BN_mod_add(num_y, u, den, c->p, ctx));
	assert_true(BN_mod_add(den, BN_value_one(), t, c->p, ctx));
	assert_non_null(BN_mod_inverse(den, den, c->p, ctx));
	assert_true(BN_mod_mul(x3, num_x, den, c->p, ctx));
	assert_true(BN_mod_sub(den, BN_value_one(), t, c->p, ctx));
	assert_non_null(BN_mod_inverse(den, den, c->p, ctx));
	assert_true(BN_mod_mul(y3, num_y, den, c->p, ctx));
	BN_free(u);
	BN_free(den);
	BN_free(num_y);
	BN_free(num_x);
	BN_free(t);
}

/* The point that the canonical encoding enc names: x from y, its sign the
 * top bit.  0 if there is none. */
static int
point_decode(const struct curve *c, const uint8_t enc[32], BIGNUM *x,
    BIGNUM *y)
{
	uint8_t be[32];
	BIGNUM *num = BN_new(), *den = BN_new();
	int ok;

	for (int i = 0; i < 32; i++)
		be[i] = enc[31 - i];
	be[0] &= 0x7f;
	assert_non_null(BN_bin2bn(be, 32, y));
	assert_true(BN_cmp(y, c->p) < 0);
	/* x^2 = (y^2 - 1) / (d y^2 + 1) */
	assert_true(BN_mod_sqr(num, y, c->p, c->ctx));
	assert_true(BN_mod_mul(den, num, c->d, c->p, c->ctx));
	assert_true(BN_mod_add(den, den, BN_value_one(), c->p, c->ctx));
	assert_true(BN_mod_sub(num, num, BN_value_one(), c->p, c->ctx));
	assert_non_null(BN_mod_inverse(den, den, c->p, c->ctx));
	assert_true(BN_mod_mul(num, num, den, c->p, c->ctx));
	ERR_set_mark();
	ok = BN_mod_sqrt(x, num, c->p, c->ctx) != NULL;
	ERR_pop_to_mark();
	if (ok && BN_is_odd(x) != (enc[31] >> 7))
		assert_true(BN_mod_sub(x, c->p, x, c->p, c->ctx));
	BN_free(den);
	BN_free(num);
	return ok;
}

/* The order of (x, y), if it is 1, 2, 4 or 8; else 0. */
static int
small_point_order(const struct curve *c, const BIGNUM *x, const BIGNUM *y)
{
	BIGNUM *px = BN_dup(x), *py = BN_dup(y);
	int order = 1;

	while (order <= 8 && !(BN_is_zero(px) && BN_is_one(py))) {
		point_add(c, px, py, px, py, px, py);
		order *= 2;
	}
	BN_free(py);
	BN_free(px);
	return order <= 8 ? order : 0;
}

/* The y of the points of small order, canonical, little-endian (the
 * library's table, written out again). */
static const char *small_y_hex[] = {
	"0100000000000000000000000000000000000000000000000000000000000000",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000000",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
};
#define SMALL_Y (sizeof(small_y_hex) / sizeof(small_y_hex[0]))

static void
from_hex(const char *hex, uint8_t out[32])
{
	size_t len;

	assert_int_equal(sodium_hex2bin(out, 32, hex, 64, NULL, &len, NULL), 0);
	assert_int_equal(len, 32);
}

/*
 * Every encoding of a point of small order: each y with either sign bit,
 * and y + p where that is below 2^255 (y = 0 and 1: the bytes ed ff .. 7f
 * and ee ff .. 7f).  14 in all.
 */
static size_t
small_order_encodings(uint8_t enc[][32])
{
	size_t n = 0;

	for (size_t i = 0; i < SMALL_Y; i++) {
		uint8_t y[32];

		from_hex(small_y_hex[i], y);
		for (int sign = 0; sign < 2; sign++) {
			memcpy(enc[n], y, 32);
			enc[n++][31] |= (uint8_t)(sign << 7);
			if (y[0] <= 18 && sodium_is_zero(y + 1, 31)) {
				/* y + p = 2^255 - 19 + y */
				memset(enc[n], 0xff, 32);
				enc[n][0] = (uint8_t)(0xed + y[0]);
				enc[n++][31] = (uint8_t)(0x7f | sign << 7);
			}
		}
	}
	return n;
}

/* The table names the eight points of small order, and only them: 1 of
 * order 1, 1 of order 2, 2 of order 4, 4 of order 8 (the whole 8-torsion,
 * as the curve's cofactor is 8). */
static void
test_small_order_points(void **state)
{
	struct curve c;
	int count[9] = { 0 };
	BIGNUM *x = BN_new(), *y = BN_new();

	(void)state;
	curve_init(&c);
	for (size_t i = 0; i < SMALL_Y; i++) {
		uint8_t enc[32];

		from_hex(small_y_hex[i], enc);
		for (int sign = 0; sign < 2; sign++) {
			enc[31] = (uint8_t)((enc[31] & 0x7f) | sign << 7);
			assert_true(point_decode(&c, enc, x, y));
			/* x = 0: the sign bit names the same point again */
			if (sign == 1 && BN_is_zero(x))
				continue;
			count[small_point_order(&c, x, y)]++;
		}
	}
	assert_int_equal(count[0], 0);
	assert_int_equal(count[1], 1);
	assert_int_equal(count[2], 1);
	assert_int_equal(count[4], 2);
	assert_int_equal(count[8], 4);
	BN_free(y);
	BN_free(x);
	curve_free(&c);
}

static vhkey_report *
paste_key(const char *type, const uint8_t pk[32])
{
	vk_writer w = blob(type, pk, 32,
	    strcmp(type, SK_NAME) == 0 ? "ssh:" : NULL, 0);
	char *b64 = tu_b64(w.data, w.len), line[512];
	vhkey_report *r = NULL;

	snprintf(line, sizeof(line), "%s %s test\n", type, b64);
	assert_int_equal(vhkey_check_paste(line, strlen(line), NULL, 0, &r),
	    VHKEY_OK);
	free(b64);
	vk_writer_clear(&w);
	return r;
}

static void
assert_paste_rejected(const uint8_t pk[32], int reason, const char *want)
{
	static const char *types[] = { "ssh-ed25519", SK_NAME };

	for (size_t t = 0; t < 2; t++) {
		vhkey_report *r = paste_key(types[t], pk);
		const char *msg = vhkey_report_message(r);

		assert_int_equal(vhkey_report_verdict(r), VHKEY_REJECTED);
		assert_int_equal(vhkey_report_reason(r), reason);
		if (strstr(msg, want) == NULL)
			fail_msg("\"%s\" not in \"%s\"", want, msg);
		assert_non_null(strstr(msg, "`ssh-keygen -t ed25519`"));
		vhkey_report_free(r);
	}
}

static void
assert_paste_accepted(const uint8_t pk[32])
{
	static const char *types[] = { "ssh-ed25519", SK_NAME };

	for (size_t t = 0; t < 2; t++) {
		vhkey_report *r = paste_key(types[t], pk);

		if (vhkey_report_verdict(r) != VHKEY_ACCEPTED)
			fail_msg("rejected: %s", vhkey_report_message(r));
		vhkey_report_free(r);
	}
}

/* All 14 encodings of the 8 points are weak, plain and sk-, the issue's
 * identity key first (with it a real sshd 9.2 lets anyone in). */
static void
test_small_order_rejected(void **state)
{
	static const char identity_line[] =
	    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAA\n";
	uint8_t enc[16][32];
	size_t n = small_order_encodings(enc);
	vhkey_report *r = NULL;

	(void)state;
	assert_int_equal(n, 14);
	assert_int_equal(vhkey_check_paste(identity_line,
	    strlen(identity_line), NULL, 0, &r), VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_WEAK_KEY);
	assert_non_null(strstr(vhkey_report_message(r),
	    "anyone can log in with it"));
	vhkey_report_free(r);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(vk_ed25519_point(enc[i]),
		    VK_ED25519_SMALL_ORDER);
		/* libsodium agrees that none is a valid key */
		assert_int_equal(crypto_core_ed25519_is_valid_point(enc[i]), 0);
		assert_paste_rejected(enc[i], VHKEY_REASON_WEAK_KEY,
		    "anyone can log in with it");
	}
}

/* Keys as key generators make them pass: the ssh-keygen fixture and
 * libsodium's. */
static void
test_generated_keys_accepted(void **state)
{
	uint8_t pk[32], sk[64];

	(void)state;
	fixture_pk(pk);
	assert_int_equal(vk_ed25519_point(pk), VK_ED25519_VALID);
	assert_paste_accepted(pk);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(crypto_sign_keypair(pk, sk), 0);
		assert_int_equal(vk_ed25519_point(pk), VK_ED25519_VALID);
		if (i < 3)
			assert_paste_accepted(pk);
	}
	sodium_memzero(sk, sizeof(sk));
}

#define INVALID_WANT "not a valid public key"

/* y with no x on the curve; y + p of a point of large order; a valid key
 * plus a point of order 8: malformed, not weak. */
static void
test_invalid_points(void **state)
{
	struct curve c;
	BIGNUM *x = BN_new(), *y = BN_new();
	uint8_t pk[32], t8[32], mixed[32];
	int off = 0, noncanon = 0;

	(void)state;
	curve_init(&c);
	for (uint8_t v = 2; v <= 18 && !(off && noncanon); v++) {
		memset(pk, 0, sizeof(pk));
		pk[0] = v;
		if (!point_decode(&c, pk, x, y)) {
			/* no point at all */
			assert_int_equal(vk_ed25519_point(pk),
			    VK_ED25519_INVALID);
			if (!off++)
				assert_paste_rejected(pk,
				    VHKEY_REASON_MALFORMED, INVALID_WANT);
			continue;
		}
		assert_int_equal(small_point_order(&c, x, y), 0);
		assert_int_equal(vk_ed25519_point(pk), VK_ED25519_INVALID);
		/* the same point as y + p: a second name of it */
		memset(pk, 0xff, sizeof(pk));
		pk[0] = (uint8_t)(0xed + v);
		pk[31] = 0x7f;
		assert_int_equal(vk_ed25519_point(pk), VK_ED25519_INVALID);
		if (!noncanon++)
			assert_paste_rejected(pk, VHKEY_REASON_MALFORMED,
			    INVALID_WANT);
	}
	assert_true(off && noncanon);
	/* mixed order: a real key plus a point of order 8 */
	fixture_pk(pk);
	from_hex(small_y_hex[3], t8);
	assert_int_equal(crypto_core_ed25519_add(mixed, pk, t8), 0);
	assert_int_equal(vk_ed25519_point(mixed), VK_ED25519_INVALID);
	assert_paste_rejected(mixed, VHKEY_REASON_MALFORMED, INVALID_WANT);
	BN_free(y);
	BN_free(x);
	curve_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_sk_built_from_plain_key),
		cmocka_unit_test(test_key_length),
		cmocka_unit_test(test_hostile_blobs),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_type_name_mismatch),
		cmocka_unit_test(test_small_order_points),
		cmocka_unit_test(test_small_order_rejected),
		cmocka_unit_test(test_generated_keys_accepted),
		cmocka_unit_test(test_invalid_points),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
