/* test_openssh.c - the openssh-key-v1 container: ssh-keygen's bytes,
 * round trips, and every way a container can be wrong. */
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

/* Byte for byte: decoding ssh-keygen's file and encoding it again with
 * the same check integer (and an encrypted key's salt) gives ssh-keygen's
 * file; so every field of an encrypted one (cipher, kdf, options, padding
 * to 16, the encryption) is as ssh-keygen -N writes it. */
static void
test_same_bytes_as_ssh_keygen(void **state)
{
	static const char *const names[][2] = { { "rsa2048", NULL },
		{ "rsa3072", NULL }, { "rsa4096-nocomment", NULL },
		{ "rsa2048-pass", "fixture passphrase" } };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len, outlen;
		char *text = tu_read_file(tu_data(names[i][0]), &len), *out;
		const char *pass = names[i][1];
		vhkey *key = NULL;
		struct vk_openssh_seal seal;

		assert_non_null(text);
		assert_int_equal(vk_openssh_decode(text, len, pass,
				     pass != NULL ? strlen(pass) : 0, &key,
				     &seal),
		    VHKEY_OK);
		assert_int_equal(vhkey_has_passphrase(key), pass != NULL);
		assert_int_equal(vk_openssh_encode(key, &seal, &out, &outlen),
		    VHKEY_OK);
		assert_int_equal(outlen, len);
		assert_string_equal(out, text);
		vhkey_secret_free(out);
		vhkey_free(key);
		free(text);
	}
}

static void
test_round_trip_and_layout(void **state)
{
	vhkey *key = tu_load_private("rsa3072"), *back = NULL;
	char *text, *line, *save;
	size_t len, lines = 0;

	(void)state;
	assert_int_equal(vhkey_private_to_openssh(key, &text, &len), VHKEY_OK);
	assert_int_equal(strlen(text), len);
	assert_int_equal(vhkey_parse_private(text, len, &back), VHKEY_OK);
	assert_true(vhkey_public_equal(key, back));
	assert_true(vhkey_has_private(back));
	assert_string_equal(vhkey_get_comment(back), vhkey_get_comment(key));
	/* armor lines, base64 lines of 70 columns, the last one shorter */
	assert_true(strncmp(text, "-----BEGIN OPENSSH PRIVATE KEY-----\n",
			36) == 0);
	assert_string_equal(text + len - 34,
	    "-----END OPENSSH PRIVATE KEY-----\n");
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		if (line[0] == '-')
			continue;
		assert_true(strlen(line) <= 70);
		if (strncmp(save, "-----END", 8) != 0)
			assert_int_equal(strlen(line), 70);
	}
	assert_true(lines > 10);
	vhkey_secret_free(text);
	vhkey_free(back);
	vhkey_free(key);
}

/* ----------------------------------------- building hostile containers */

struct spec {
	const char *magic; /* 15 bytes */
	const char *cipher, *kdf;
	size_t saltlen;	 /* with rounds > 0: bcrypt's options, else none */
	uint32_t rounds;
	uint32_t nkeys;
	uint32_t check1, check2;
	const vhkey *pubkey;  /* whose public blob goes outside */
	const vhkey *privkey; /* whose private numbers go inside */
	const char *comment;
	int padding; /* 0: correct; 1: wrong values; 2: a whole extra block */
	size_t trailing_inner, trailing_outer;
};

static struct spec
default_spec(const vhkey *key)
{
	return (struct spec){ .magic = "openssh-key-v1",
		.cipher = "none",
		.kdf = "none",
		.nkeys = 1,
		.check1 = 0x12345678,
		.check2 = 0x12345678,
		.pubkey = key,
		.privkey = key,
		.comment = "c" };
}

static char *
build(const struct spec *s)
{
	vk_writer outer, priv;
	char *text;

	vk_writer_init(&outer, 0);
	vk_writer_init(&priv, 0);
	assert_int_equal(vk_put_u32(&priv, s->check1), VHKEY_OK);
	assert_int_equal(vk_put_u32(&priv, s->check2), VHKEY_OK);
	assert_int_equal(vk_rsa_put_private(&priv, &s->privkey->rsa),
	    VHKEY_OK);
	assert_int_equal(vk_put_cstring(&priv, s->comment), VHKEY_OK);
	for (size_t i = 0; i < s->trailing_inner; i++)
		assert_int_equal(vk_put_u8(&priv, 0xee), VHKEY_OK);
	for (uint8_t pad = 1; priv.len % 8 != 0; pad++)
		assert_int_equal(vk_put_u8(&priv, s->padding == 1 ? 0 : pad),
		    VHKEY_OK);
	if (s->padding == 2)
		for (uint8_t pad = 1; pad <= 8; pad++)
			assert_int_equal(vk_put_u8(&priv, pad), VHKEY_OK);
	assert_int_equal(vk_put_bytes(&outer, s->magic, 15), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&outer, s->cipher), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&outer, s->kdf), VHKEY_OK);
	if (s->rounds > 0) {
		vk_writer opt;
		uint8_t salt[256] = { 0 };

		vk_writer_init(&opt, 0);
		assert_true(s->saltlen <= sizeof(salt));
		assert_int_equal(vk_put_string(&opt, salt, s->saltlen),
		    VHKEY_OK);
		assert_int_equal(vk_put_u32(&opt, s->rounds), VHKEY_OK);
		assert_int_equal(vk_put_string(&outer, opt.data, opt.len),
		    VHKEY_OK);
		vk_writer_clear(&opt);
	} else {
		assert_int_equal(vk_put_string(&outer, NULL, 0), VHKEY_OK);
	}
	assert_int_equal(vk_put_u32(&outer, s->nkeys), VHKEY_OK);
	assert_int_equal(vk_put_string(&outer, s->pubkey->blob,
			     s->pubkey->bloblen),
	    VHKEY_OK);
	assert_int_equal(vk_put_string(&outer, priv.data, priv.len), VHKEY_OK);
	for (size_t i = 0; i < s->trailing_outer; i++)
		assert_int_equal(vk_put_u8(&outer, 0), VHKEY_OK);
	text = tu_armor(outer.data, outer.len, 70);
	vk_writer_clear(&outer);
	vk_writer_clear(&priv);
	return text;
}

static int
parse_spec(const struct spec *s)
{
	char *text = build(s);
	vhkey *key = (vhkey *)&key;
	int rc = vhkey_parse_private(text, strlen(text), &key);

	if (rc == VHKEY_OK)
		vhkey_free(key);
	else
		assert_null(key);
	free(text);
	return rc;
}

static void
test_container_checks(void **state)
{
	vhkey *key = tu_load_private("rsa2048");
	vhkey *other = tu_load_private("rsa3072");
	struct spec s;

	(void)state;
	s = default_spec(key);
	assert_int_equal(parse_spec(&s), VHKEY_OK);

	s = default_spec(key);
	s.check2 ^= 1;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_CHECKINT);

	s = default_spec(key);
	s.padding = 1;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_PADDING);

	s = default_spec(key);
	s.padding = 2;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_PADDING);

	s = default_spec(key);
	s.trailing_inner = 3; /* bytes after the comment that are not 1,2,3 */
	assert_int_equal(parse_spec(&s), VHKEY_ERR_PADDING);

	s = default_spec(key);
	s.trailing_outer = 1;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_TRAILING);

	s = default_spec(key);
	s.pubkey = other;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_PUBLIC_MISMATCH);

	s = default_spec(key);
	s.nkeys = 2;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);
	s.nkeys = 0;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);

	s = default_spec(key);
	s.magic = "openssh-key-v2";
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);

	s = default_spec(key);
	s.cipher = "aes256-ctr";
	s.kdf = "bcrypt";
	s.saltlen = 16;
	s.rounds = 16;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_ENCRYPTED);
	s.kdf = "none"; /* a cipher with no kdf makes no sense */
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);

	/* the KDF's cost is bounded before anything else: the rounds (Go's
	 * x/crypto cap, 2048) and the salt */
	s = default_spec(key);
	s.cipher = "aes256-ctr";
	s.kdf = "bcrypt";
	s.saltlen = 16;
	s.rounds = VHKEY_KDF_ROUNDS_MAX;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_ENCRYPTED);
	s.rounds = VHKEY_KDF_ROUNDS_MAX + 1;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_KDF_ROUNDS);
	s.rounds = 0xffffffffu;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_KDF_ROUNDS);
	s.rounds = 16;
	s.saltlen = VK_BCRYPT_SALT_MAX + 1;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);
	s.saltlen = 0;
	s.rounds = 16;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);
	/* an unknown cipher, or KDF */
	s = default_spec(key);
	s.cipher = "rot13";
	s.kdf = "bcrypt";
	s.saltlen = 16;
	s.rounds = 16;
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);
	s.cipher = "aes256-ctr";
	s.kdf = "scrypt";
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);

	s = default_spec(key);
	s.comment = "two\nlines";
	assert_int_equal(parse_spec(&s), VHKEY_ERR_FORMAT);

	vhkey_free(other);
	vhkey_free(key);
}

/* Flipping a bit of a private number gives a key whose parts disagree. */
static void
test_inconsistent_private_numbers(void **state)
{
	vhkey *key = tu_load_private("rsa2048");
	size_t len, binlen;
	char *text = tu_read_file(tu_data("rsa2048"), &len), *b64start, *end;
	char *bad;
	uint8_t *bin;
	vhkey *out = NULL;

	(void)state;
	b64start = strchr(text, '\n') + 1;
	end = strstr(text, "-----END");
	bin = tu_unb64(b64start, (size_t)(end - b64start), &binlen);
	/* d sits in the last third of the key; q's last byte is well before
	 * the comment: flip one bit in the middle of the private section */
	bin[binlen - 200] ^= 0x10;
	bad = tu_armor(bin, binlen, 70);
	assert_int_equal(vhkey_parse_private(bad, strlen(bad), &out),
	    VHKEY_ERR_KEY_CHECK);
	assert_null(out);
	free(bad);
	free(bin);
	free(text);
	vhkey_free(key);
}

static void
test_every_truncation(void **state)
{
	size_t len, binlen;
	char *text = tu_read_file(tu_data("rsa2048"), &len);
	char *b64start = strchr(text, '\n') + 1, *end = strstr(text, "-----END");
	uint8_t *bin = tu_unb64(b64start, (size_t)(end - b64start), &binlen);

	(void)state;
	for (size_t n = 0; n < binlen; n++) {
		char *t = tu_armor(bin, n, 70);
		vhkey *key = (vhkey *)&key;
		assert_int_not_equal(vhkey_parse_private(t, strlen(t), &key),
		    VHKEY_OK);
		assert_null(key);
		free(t);
	}
	free(bin);
	free(text);
}

static void
test_armor(void **state)
{
	size_t len, binlen;
	char *text = tu_read_file(tu_data("rsa2048"), &len);
	char *b64start = strchr(text, '\n') + 1, *end = strstr(text, "-----END");
	uint8_t *bin = tu_unb64(b64start, (size_t)(end - b64start), &binlen);
	static const size_t wraps[] = { 0, 64, 76, 1 };
	vhkey *key = NULL;
	char *t, *crlf;

	(void)state;
	/* any wrapping is read, as ssh does */
	for (size_t i = 0; i < 4; i++) {
		t = tu_armor(bin, binlen, wraps[i]);
		assert_int_equal(vhkey_parse_private(t, strlen(t), &key),
		    VHKEY_OK);
		vhkey_free(key);
		free(t);
	}
	/* CRLF line ends: ssh 9.2 cannot load the key ("error in
	 * libcrypto"), so neither do we */
	crlf = malloc(2 * len + 1);
	for (size_t i = 0, j = 0; i <= len; i++) {
		if (text[i] == '\n')
			crlf[j++] = '\r';
		crlf[j++] = text[i];
	}
	assert_int_equal(vhkey_parse_private(crlf, strlen(crlf), &key),
	    VHKEY_ERR_FORMAT);
	assert_null(key);
	free(crlf);
	/* no final newline: the END line is not found, as in ssh */
	assert_int_equal(vhkey_parse_private(text, len - 1, &key),
	    VHKEY_ERR_TRUNCATED);
	assert_null(key);
	/* white space inside the body is skipped, as ssh's b64_pton does */
	t = malloc(len + 10);
	memcpy(t, text, 36);
	memcpy(t + 36, "  \t", 3);
	memcpy(t + 39, text + 36, len - 36);
	assert_int_equal(vhkey_parse_private(t, len + 3, &key), VHKEY_OK);
	vhkey_free(key);
	free(t);
	/* no END line */
	assert_int_equal(vhkey_parse_private(text, (size_t)(end - text), &key),
	    VHKEY_ERR_TRUNCATED);
	/* junk after the END line, or before BEGIN */
	t = malloc(len + 10);
	memcpy(t, text, len);
	memcpy(t + len, "junk", 4);
	assert_int_equal(vhkey_parse_private(t, len + 4, &key),
	    VHKEY_ERR_TRAILING);
	t[0] = ' ';
	memcpy(t + 1, text, len);
	assert_int_equal(vhkey_parse_private(t, len + 1, &key),
	    VHKEY_ERR_FORMAT);
	/* a bad base64 character in the body */
	memcpy(t, text, len);
	t[100] = '*';
	assert_int_equal(vhkey_parse_private(t, len, &key), VHKEY_ERR_BASE64);
	free(t);
	/* a public key, and an empty text */
	t = tu_read_file(tu_data("rsa2048.pub"), &len);
	assert_int_equal(vhkey_parse_private(t, len, &key), VHKEY_ERR_FORMAT);
	free(t);
	assert_int_equal(vhkey_parse_private("", 0, &key), VHKEY_ERR_FORMAT);
	assert_null(key);
	free(bin);
	free(text);
}

static void
test_encrypted_fixture(void **state)
{
	size_t len;
	char *text = tu_read_file(tu_data("rsa2048-encrypted"), &len);
	vhkey *key = (vhkey *)&key;

	(void)state;
	assert_int_equal(vhkey_parse_private(text, len, &key),
	    VHKEY_ERR_ENCRYPTED);
	assert_null(key);
	free(text);
}

/* An Ed25519 private key (ssh-keygen's) is read: its public key and
 * comment, its secret checked and not kept. */
static void
test_ed25519_private(void **state)
{
	size_t len;
	char *text = tu_read_file(tu_data("ed25519"), &len);
	vhkey *key = (vhkey *)&key, *pub = NULL;

	(void)state;
	assert_non_null(text);
	assert_int_equal(vhkey_parse_private(text, len, &key), VHKEY_OK);
	assert_int_equal(vhkey_get_type(key), VHKEY_TYPE_ED25519);
	assert_int_equal(vhkey_load_public_file(tu_data("ed25519.pub"), &pub,
			     NULL),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(key, pub));
	assert_string_equal(vhkey_get_comment(key), vhkey_get_comment(pub));
	assert_false(vhkey_has_private(key));
	vhkey_free(key);
	vhkey_free(pub);
	free(text);
}

/* Flip one bit at the n-th copy of the 32-byte public key in the
 * container (0: the envelope's, 1: the private pk, 2: sk's copy), or, with
 * seed, in the seed before sk's copy; the verdict of parsing that. */
static int
parse_ed25519_flipped(int n, int seed)
{
	size_t len, binlen, publen;
	char *text = tu_read_file(tu_data("ed25519"), &len), *bad;
	char *b64start = strchr(text, '\n') + 1, *end = strstr(text, "-----END");
	uint8_t *bin = tu_unb64(b64start, (size_t)(end - b64start), &binlen);
	vhkey *pub = NULL, *key = (vhkey *)&key;
	const uint8_t *blob, *at;
	int rc;

	assert_int_equal(vhkey_load_public_file(tu_data("ed25519.pub"), &pub,
			     NULL),
	    VHKEY_OK);
	blob = vhkey_public_blob(pub, &publen);
	at = bin;
	for (int i = 0; i <= n; i++) {
		at = memmem(at, binlen - (size_t)(at - bin), blob + publen - 32,
		    32);
		assert_non_null(at);
		if (i < n)
			at++;
	}
	bin[(at - bin) + (seed ? -5 : 7)] ^= 0x04;
	bad = tu_armor(bin, binlen, 70);
	rc = vhkey_parse_private(bad, strlen(bad), &key);
	if (rc != VHKEY_OK)
		assert_null(key);
	vhkey_free(rc == VHKEY_OK ? key : NULL);
	vhkey_free(pub);
	free(bad);
	free(bin);
	free(text);
	return rc;
}

static void
test_ed25519_private_checks(void **state)
{
	(void)state;
	/* the unchanged container, found the same way, reads */
	assert_int_equal(parse_ed25519_flipped(0, 0) != VHKEY_OK, 1);
	/* the private pk is not the envelope's */
	assert_int_equal(parse_ed25519_flipped(1, 0),
	    VHKEY_ERR_PUBLIC_MISMATCH);
	/* sk's copy of pk differs: ssh signs with it, and fails */
	assert_int_equal(parse_ed25519_flipped(2, 0), VHKEY_ERR_KEY_CHECK);
	/* the seed does not give pk */
	assert_int_equal(parse_ed25519_flipped(2, 1), VHKEY_ERR_KEY_CHECK);
}

/* An ECDSA private key (ssh-keygen's) is read, and d checked against Q:
 * a flipped bit in the private Q or in d is found. */
static void
test_ecdsa_private(void **state)
{
	size_t len, binlen, publen;
	char *text = tu_read_file(tu_data("ecdsa-private"), &len), *bad;
	char *b64start = strchr(text, '\n') + 1, *end = strstr(text, "-----END");
	uint8_t *bin = tu_unb64(b64start, (size_t)(end - b64start), &binlen);
	vhkey *key = (vhkey *)&key, *pub = NULL;
	const uint8_t *blob, *q, *at;

	(void)state;
	assert_int_equal(vhkey_parse_private(text, len, &key), VHKEY_OK);
	assert_int_equal(vhkey_get_type(key), VHKEY_TYPE_ECDSA_P256);
	assert_int_equal(vhkey_load_public_file(tu_data("ecdsa-private.pub"),
			     &pub, NULL),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(key, pub));
	assert_string_equal(vhkey_get_comment(key), "fixture ecdsa private");
	vhkey_free(key);
	/* Q is the blob's last 65 bytes; its second copy is the private one,
	 * d follows it (a 4-byte length first) */
	blob = vhkey_public_blob(pub, &publen);
	q = blob + publen - 65;
	at = memmem(bin, binlen, q, 65);
	assert_non_null(at);
	at = memmem(at + 1, binlen - (size_t)(at + 1 - bin), q, 65);
	assert_non_null(at);
	bin[(at - bin) + 30] ^= 0x01;
	bad = tu_armor(bin, binlen, 70);
	assert_int_equal(vhkey_parse_private(bad, strlen(bad), &key),
	    VHKEY_ERR_PUBLIC_MISMATCH);
	assert_null(key);
	free(bad);
	bin[(at - bin) + 30] ^= 0x01;
	bin[(at - bin) + 65 + 4 + 10] ^= 0x01;
	bad = tu_armor(bin, binlen, 70);
	assert_int_equal(vhkey_parse_private(bad, strlen(bad), &key),
	    VHKEY_ERR_KEY_CHECK);
	assert_null(key);
	free(bad);
	vhkey_free(pub);
	free(bin);
	free(text);
}

/* A security key's private key (a handle to a device) is a type this
 * version does not read: refused as such, not misread. */
static void
test_other_key_type(void **state)
{
	static const uint8_t priv[16] = { 1, 2, 3, 4, 1, 2, 3, 4 };
	vhkey *pub = NULL, *key = (vhkey *)&key;
	vk_writer w;
	size_t publen;
	const uint8_t *blob;
	char *text;

	(void)state;
	assert_int_equal(vhkey_load_public_file(tu_data("sk-ecdsa.pub"), &pub,
			     NULL),
	    VHKEY_OK);
	blob = vhkey_public_blob(pub, &publen);
	vk_writer_init(&w, 0);
	assert_int_equal(vk_put_bytes(&w, "openssh-key-v1", 15), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&w, "none"), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&w, "none"), VHKEY_OK);
	assert_int_equal(vk_put_string(&w, NULL, 0), VHKEY_OK);
	assert_int_equal(vk_put_u32(&w, 1), VHKEY_OK);
	assert_int_equal(vk_put_string(&w, blob, publen), VHKEY_OK);
	assert_int_equal(vk_put_string(&w, priv, sizeof(priv)), VHKEY_OK);
	text = tu_armor(w.data, w.len, 70);
	assert_int_equal(vhkey_parse_private(text, strlen(text), &key),
	    VHKEY_ERR_KEY_TYPE);
	assert_null(key);
	free(text);
	vk_writer_clear(&w);
	vhkey_free(pub);
}

static void
test_public_key_has_no_private_encoding(void **state)
{
	vhkey *pub = NULL;
	char *text = (char *)&text;

	(void)state;
	assert_int_equal(vhkey_load_public_file(tu_data("rsa2048.pub"), &pub,
			     NULL),
	    VHKEY_OK);
	assert_int_equal(vhkey_private_to_openssh(pub, &text, NULL),
	    VHKEY_ERR_NOT_PRIVATE);
	assert_null(text);
	vhkey_free(pub);
	vhkey_secret_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes_as_ssh_keygen),
		cmocka_unit_test(test_round_trip_and_layout),
		cmocka_unit_test(test_container_checks),
		cmocka_unit_test(test_inconsistent_private_numbers),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_armor),
		cmocka_unit_test(test_encrypted_fixture),
		cmocka_unit_test(test_ed25519_private),
		cmocka_unit_test(test_ed25519_private_checks),
		cmocka_unit_test(test_ecdsa_private),
		cmocka_unit_test(test_other_key_type),
		cmocka_unit_test(test_public_key_has_no_private_encoding),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
