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

#include "vhkey_internal.h"
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
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
