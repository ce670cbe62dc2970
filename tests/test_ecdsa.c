/* test_ecdsa.c - ecdsa-sha2-nistp256/384/521 and
 * sk-ecdsa-sha2-nistp256@openssh.com public keys. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "check.h"
#include "testutil.h"

#define SK_NAME "sk-ecdsa-sha2-nistp256@openssh.com"

static const struct curve {
	const char *fixture; /* tests/data/NAME.pub */
	const char *type;
	const char *curve;
	vhkey_type vtype;
	size_t qlen;
	int nid;
} curves[] = {
	{ "ecdsa256", "ecdsa-sha2-nistp256", "nistp256",
	    VHKEY_TYPE_ECDSA_P256, 65, NID_X9_62_prime256v1 },
	{ "ecdsa384", "ecdsa-sha2-nistp384", "nistp384",
	    VHKEY_TYPE_ECDSA_P384, 97, NID_secp384r1 },
	{ "ecdsa521", "ecdsa-sha2-nistp521", "nistp521",
	    VHKEY_TYPE_ECDSA_P521, 133, NID_secp521r1 },
};
#define NCURVES (sizeof(curves) / sizeof(curves[0]))

/* The fixture NAME.pub. */
static vhkey *
load_public(const char *name)
{
	char file[64];

	snprintf(file, sizeof(file), "%s.pub", name);
	return tu_load_public(file);
}

/* The fixture's point Q (caller frees). */
static uint8_t *
fixture_q(const struct curve *c)
{
	vhkey *key = load_public(c->fixture);
	size_t len, n;
	const uint8_t *blob = vhkey_public_blob(key, &len), *q;
	const char *s;
	vk_reader r;
	uint8_t *out;

	vk_reader_init(&r, blob, len);
	assert_int_equal(vk_get_cstring(&r, &s, &n), VHKEY_OK);
	assert_int_equal(vk_get_cstring(&r, &s, &n), VHKEY_OK);
	assert_int_equal(vk_get_string(&r, &q, &n), VHKEY_OK);
	assert_int_equal(n, c->qlen);
	out = malloc(n);
	assert_non_null(out);
	memcpy(out, q, n);
	vhkey_free(key);
	return out;
}

/* type, curve, Q, then the application unless it is NULL, then extra
 * zero bytes. */
static vk_writer
blob(const char *type, const char *curve, const uint8_t *q, size_t qlen,
    const char *app, size_t extra)
{
	vk_writer w;

	vk_writer_init(&w, 0);
	assert_int_equal(vk_put_cstring(&w, type), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&w, curve), VHKEY_OK);
	assert_int_equal(vk_put_string(&w, q, qlen), VHKEY_OK);
	tu_put_tail(&w, app, extra);
	return w;
}

/* Decode the blob of c's type with this Q. */
static int
decode_q(const struct curve *c, const uint8_t *q, size_t qlen)
{
	vk_writer w = blob(c->type, c->curve, q, qlen, NULL, 0);
	int rc = tu_decode_blob(w.data, w.len);

	vk_writer_clear(&w);
	return rc;
}

/* bits and label are in the ssh-keygen -l lines compared */
static void
test_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCURVES; i++)
		tu_assert_public_fixture(curves[i].fixture, curves[i].vtype);
	tu_assert_public_fixture("sk-ecdsa", VHKEY_TYPE_SK_ECDSA_P256);
}

/* The sk- key built here from the P-256 key's point is the fixture that
 * ssh-keygen -l fingerprinted. */
static void
test_sk_built_from_plain_key(void **state)
{
	uint8_t *q = fixture_q(&curves[0]);
	vk_writer w = blob(SK_NAME, "nistp256", q, 65, "ssh:", 0);
	vhkey *key = NULL, *fixture = load_public("sk-ecdsa");

	(void)state;
	assert_int_equal(vk_key_from_blob(w.data, w.len, &key), VHKEY_OK);
	assert_int_equal(vhkey_set_comment(key, "fixture sk-ecdsa"),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(key, fixture));
	tu_assert_keygen_l(key, "sk-ecdsa");
	vhkey_free(key);
	vhkey_free(fixture);
	vk_writer_clear(&w);
	/* hostile sk- blobs: no application, a NUL in it, junk after it,
	 * another curve */
	w = blob(SK_NAME, "nistp256", q, 65, NULL, 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_TRUNCATED);
	vk_writer_clear(&w);
	w = blob(SK_NAME, "nistp256", q, 65, "ssh:x", 0);
	w.data[w.len - 2] = '\0';
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
	vk_writer_clear(&w);
	w = blob(SK_NAME, "nistp256", q, 65, "ssh:", 1);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_TRAILING);
	vk_writer_clear(&w);
	w = blob(SK_NAME, "nistp384", q, 65, "ssh:", 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
	vk_writer_clear(&w);
	/* a plain key with an application is a plain key with junk */
	w = blob("ecdsa-sha2-nistp256", "nistp256", q, 65, "ssh:", 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_TRAILING);
	vk_writer_clear(&w);
	free(q);
}

static void
test_curve_name(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCURVES; i++) {
		const struct curve *c = &curves[i];
		uint8_t *q = fixture_q(c);
		vk_writer w;

		w = blob(c->type, c->curve, q, c->qlen, NULL, 0);
		assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_OK);
		vk_writer_clear(&w);
		/* another curve's name, none, one with junk or a NUL */
		w = blob(c->type, curves[(i + 1) % NCURVES].curve, q, c->qlen,
		    NULL, 0);
		assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
		vk_writer_clear(&w);
		w = blob(c->type, "", q, c->qlen, NULL, 0);
		assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
		vk_writer_clear(&w);
		w = blob(c->type, "nistp2560", q, c->qlen, NULL, 0);
		assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
		vk_writer_clear(&w);
		w = blob(c->type, "nistp25x", q, c->qlen, NULL, 0);
		w.data[4 + strlen(c->type) + 4 + 7] = '\0';
		assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
		vk_writer_clear(&w);
		/* the point of another curve under this curve's name */
		free(q);
		q = fixture_q(&curves[(i + 1) % NCURVES]);
		w = blob(c->type, c->curve, q,
		    curves[(i + 1) % NCURVES].qlen, NULL, 0);
		assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
		vk_writer_clear(&w);
		free(q);
	}
}

/* A point with a small x (about 8 bits): on the curve, but refused, as
 * OpenSSH refuses it (log2(x) must exceed log2(order) / 2). */
static uint8_t *
small_x_point(const struct curve *c)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(c->nid);
	EC_POINT *p = EC_POINT_new(g);
	BIGNUM *x = BN_new();
	uint8_t *out = malloc(c->qlen);
	unsigned long v;

	assert_non_null(out);
	for (v = 200;; v++) {
		assert_true(BN_set_word(x, v));
		if (EC_POINT_set_compressed_coordinates(g, p, x, 0, NULL) == 1)
			break;
	}
	assert_int_equal(EC_POINT_is_on_curve(g, p, NULL), 1);
	assert_int_equal(EC_POINT_point2oct(g, p,
			     POINT_CONVERSION_UNCOMPRESSED, out, c->qlen,
			     NULL),
	    c->qlen);
	BN_free(x);
	EC_POINT_free(p);
	EC_GROUP_free(g);
	return out;
}

/* The field prime p as a big-endian coordinate. */
static void
field_prime(const struct curve *c, uint8_t *out, size_t len)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(c->nid);
	BIGNUM *p = BN_new();

	assert_int_equal(EC_GROUP_get_curve(g, p, NULL, NULL, NULL), 1);
	assert_int_equal(BN_bn2binpad(p, out, (int)len), (int)len);
	BN_free(p);
	EC_GROUP_free(g);
}

static void
test_points(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCURVES; i++) {
		const struct curve *c = &curves[i];
		size_t fl = (c->qlen - 1) / 2;
		uint8_t *q = fixture_q(c), *bad = malloc(c->qlen + 1);

		assert_non_null(bad);
		assert_int_equal(decode_q(c, q, c->qlen), VHKEY_OK);
		/* off the curve: a bit of y flipped, a bit of x flipped */
		memcpy(bad, q, c->qlen);
		bad[c->qlen - 1] ^= 0x01;
		assert_int_equal(decode_q(c, bad, c->qlen), VHKEY_ERR_KEY_CHECK);
		memcpy(bad, q, c->qlen);
		bad[1 + fl / 2] ^= 0x40;
		assert_int_equal(decode_q(c, bad, c->qlen), VHKEY_ERR_KEY_CHECK);
		/* (0, 0) */
		memset(bad, 0, c->qlen);
		bad[0] = 0x04;
		assert_int_equal(decode_q(c, bad, c->qlen), VHKEY_ERR_KEY_CHECK);
		/* x = p, outside the field */
		memcpy(bad, q, c->qlen);
		field_prime(c, bad + 1, fl);
		assert_int_equal(decode_q(c, bad, c->qlen), VHKEY_ERR_KEY_CHECK);
		/* compressed (0x02/0x03 || x), in its own length or padded to
		 * the full one, hybrid (0x06/0x07), infinity (0x00) */
		for (uint8_t form = 0x02; form <= 0x03; form++) {
			memcpy(bad, q, c->qlen);
			bad[0] = form;
			assert_int_equal(decode_q(c, bad, 1 + fl),
			    VHKEY_ERR_FORMAT);
			assert_int_equal(decode_q(c, bad, c->qlen),
			    VHKEY_ERR_FORMAT);
		}
		memcpy(bad, q, c->qlen);
		bad[0] = 0x06 | (q[c->qlen - 1] & 1);
		assert_int_equal(decode_q(c, bad, c->qlen), VHKEY_ERR_FORMAT);
		bad[0] = 0x00;
		assert_int_equal(decode_q(c, bad, 1), VHKEY_ERR_FORMAT);
		assert_int_equal(decode_q(c, bad, 0), VHKEY_ERR_FORMAT);
		/* wrong lengths */
		memcpy(bad, q, c->qlen);
		bad[c->qlen] = 0;
		assert_int_equal(decode_q(c, bad, c->qlen - 1),
		    VHKEY_ERR_FORMAT);
		assert_int_equal(decode_q(c, bad, c->qlen + 1),
		    VHKEY_ERR_FORMAT);
		/* on the curve, but x too small for OpenSSH */
		free(q);
		q = small_x_point(c);
		assert_int_equal(decode_q(c, q, c->qlen), VHKEY_ERR_KEY_CHECK);
		free(q);
		free(bad);
	}
}

/* k * G (k may be negative) on c's curve, uncompressed (caller frees). */
static uint8_t *
multiple_of_g(const struct curve *c, long k)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(c->nid);
	EC_POINT *p = EC_POINT_new(g);
	BIGNUM *bk = BN_new();
	uint8_t *out = malloc(c->qlen);

	assert_non_null(out);
	assert_int_equal(BN_set_word(bk, (BN_ULONG)(k < 0 ? -k : k)), 1);
	BN_set_negative(bk, k < 0);
	assert_int_equal(EC_POINT_mul(g, p, bk, NULL, NULL, NULL), 1);
	assert_int_equal(EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED,
			     out, c->qlen, NULL),
	    c->qlen);
	BN_free(bk);
	EC_POINT_free(p);
	EC_GROUP_free(g);
	return out;
}

/* G, 2G, ..., and their negatives are keys anyone can log in with (sshd
 * 9.2 takes them: checked with a login signed by k = 1); from
 * VK_ECDSA_SMALL_SCALAR + 1 on they are not looked for. */
static void
test_small_scalar(void **state)
{
	static const long ks[] = { 1, 2, 3, VK_ECDSA_SMALL_SCALAR, -1, -2,
		-VK_ECDSA_SMALL_SCALAR, VK_ECDSA_SMALL_SCALAR + 1 };

	(void)state;
	for (size_t i = 0; i < NCURVES; i++) {
		const struct curve *c = &curves[i];
		vhkey *key = load_public(c->fixture);

		assert_int_equal(vk_ecdsa_small_scalar(key), 0);
		vhkey_free(key);
		for (size_t j = 0; j < sizeof(ks) / sizeof(ks[0]); j++) {
			uint8_t *q = multiple_of_g(c, ks[j]);
			vk_writer w = blob(c->type, c->curve, q, c->qlen, NULL,
			    0);

			key = NULL;
			assert_int_equal(vk_key_from_blob(w.data, w.len, &key),
			    VHKEY_OK);
			assert_int_equal(vk_ecdsa_small_scalar(key),
			    ks[j] <= VK_ECDSA_SMALL_SCALAR &&
				ks[j] >= -VK_ECDSA_SMALL_SCALAR);
			vhkey_free(key);
			vk_writer_clear(&w);
			free(q);
		}
	}
}

static void
test_trailing_and_truncated(void **state)
{
	vhkey *key = (vhkey *)&key;

	(void)state;
	for (size_t i = 0; i < NCURVES; i++) {
		const struct curve *c = &curves[i];
		uint8_t *q = fixture_q(c);
		vk_writer w = blob(c->type, c->curve, q, c->qlen, NULL, 0);
		vk_writer t = blob(c->type, c->curve, q, c->qlen, NULL, 1);

		assert_int_equal(tu_decode_blob(t.data, t.len), VHKEY_ERR_TRAILING);
		for (size_t n = 0; n < w.len; n++) {
			assert_int_equal(vk_key_from_blob(w.data, n, &key),
			    VHKEY_ERR_TRUNCATED);
			assert_null(key);
		}
		vk_writer_clear(&w);
		vk_writer_clear(&t);
		w = blob(SK_NAME, "nistp256", q, c->qlen, "ssh:", 0);
		for (size_t n = 0; i == 0 && n < w.len; n++) {
			assert_int_equal(vk_key_from_blob(w.data, n, &key),
			    VHKEY_ERR_TRUNCATED);
			assert_null(key);
		}
		vk_writer_clear(&w);
		free(q);
	}
}

/* The name on the line must be the blob's. */
static void
test_type_name_mismatch(void **state)
{
	uint8_t *q = fixture_q(&curves[0]);
	vk_writer w = blob("ecdsa-sha2-nistp256", "nistp256", q, 65, NULL, 0);

	(void)state;
	assert_int_equal(tu_parse_line("ecdsa-sha2-nistp256", w.data, w.len),
	    VHKEY_OK);
	assert_int_equal(tu_parse_line("ecdsa-sha2-nistp384", w.data, w.len),
	    VHKEY_ERR_TYPE_MISMATCH);
	assert_int_equal(tu_parse_line(SK_NAME, w.data, w.len),
	    VHKEY_ERR_TYPE_MISMATCH);
	/* a blob that names another type than its curve */
	vk_writer_clear(&w);
	w = blob("ecdsa-sha2-nistp384", "nistp256", q, 65, NULL, 0);
	assert_int_equal(tu_decode_blob(w.data, w.len), VHKEY_ERR_FORMAT);
	vk_writer_clear(&w);
	free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_sk_built_from_plain_key),
		cmocka_unit_test(test_curve_name),
		cmocka_unit_test(test_small_scalar),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_trailing_and_truncated),
		cmocka_unit_test(test_type_name_mismatch),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
