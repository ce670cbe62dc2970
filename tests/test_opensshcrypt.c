/* test_opensshcrypt.c - passphrase-protected openssh-key-v1 keys: ssh-keygen's
 * bytes, round trips, wrong passphrases, damage, and the KDF's bounds. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "vhkey_internal.h"
#include "testutil.h"

#define PASS "fixture passphrase" /* the fixtures' (tests/data/gen-keytypes.sh) */
#define PASSLEN (sizeof(PASS) - 1)

/* How a test container is made (build()). */
struct enc_spec {
	const vhkey *key;
	const char *cipher;
	size_t saltlen;
	uint32_t rounds;
	uint32_t check1, check2;
	const char *pass; /* encrypted with */
	size_t taglen;	  /* bytes after the private section */
};

static struct enc_spec
enc_default(const vhkey *key)
{
	return (struct enc_spec){ .key = key, .cipher = "aes256-ctr",
		.saltlen = 16, .rounds = 1, .check1 = 0x01020304,
		.check2 = 0x01020304, .pass = "pw" };
}

/* An encrypted container as the spec says, built here field by field
 * (only the cipher is the library's), armored. */
static char *
build(const struct enc_spec *s)
{
	uint8_t salt[VK_BCRYPT_SALT_MAX + 1];
	struct vk_openssh_kdf kdf = { salt, s->saltlen, s->rounds };
	const struct vk_openssh_cipher *c =
	    vk_openssh_cipher(s->cipher, strlen(s->cipher));
	vk_writer outer, priv, opt;
	char *text;

	for (size_t i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)(i * 7 + 1);
	vk_writer_init(&outer, 0);
	vk_writer_init(&priv, 0);
	vk_writer_init(&opt, 0);
	assert_int_equal(vk_put_u32(&priv, s->check1), VHKEY_OK);
	assert_int_equal(vk_put_u32(&priv, s->check2), VHKEY_OK);
	assert_int_equal(vk_rsa_put_private(&priv, &s->key->rsa), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&priv, "c"), VHKEY_OK);
	for (uint8_t pad = 1; priv.len % 16 != 0; pad++)
		assert_int_equal(vk_put_u8(&priv, pad), VHKEY_OK);
	/* rounds the KDF refuses are written, not used; a cipher the library
	 * lacks is named, and aes256-ctr used */
	if (c == NULL)
		c = vk_openssh_cipher("aes256-ctr", 10);
	if (s->rounds >= 1 && s->rounds <= VHKEY_KDF_ROUNDS_MAX &&
	    s->saltlen >= 1)
		assert_int_equal(vk_openssh_crypt(c, 1, &kdf, s->pass,
				     strlen(s->pass), priv.data, priv.len),
		    VHKEY_OK);
	assert_int_equal(vk_put_string(&opt, salt, s->saltlen), VHKEY_OK);
	assert_int_equal(vk_put_u32(&opt, s->rounds), VHKEY_OK);
	assert_int_equal(vk_put_bytes(&outer, "openssh-key-v1", 15), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&outer, s->cipher), VHKEY_OK);
	assert_int_equal(vk_put_cstring(&outer, "bcrypt"), VHKEY_OK);
	assert_int_equal(vk_put_string(&outer, opt.data, opt.len), VHKEY_OK);
	assert_int_equal(vk_put_u32(&outer, 1), VHKEY_OK);
	assert_int_equal(vk_put_string(&outer, s->key->blob, s->key->bloblen),
	    VHKEY_OK);
	assert_int_equal(vk_put_string(&outer, priv.data, priv.len), VHKEY_OK);
	for (size_t i = 0; i < s->taglen; i++)
		assert_int_equal(vk_put_u8(&outer, 0xa5), VHKEY_OK);
	text = tu_armor(outer.data, outer.len, 70);
	vk_writer_clear(&outer);
	vk_writer_clear(&priv);
	vk_writer_clear(&opt);
	return text;
}

/* What reading text with pass says (asserting no key on failure). */
static int
parse_with(const char *text, const char *pass)
{
	vhkey *key = (vhkey *)&key;
	int rc = vhkey_parse_private_passphrase(text, strlen(text), pass,
	    pass != NULL ? strlen(pass) : 0, &key);

	if (rc == VHKEY_OK)
		vhkey_free(key);
	else
		assert_null(key);
	return rc;
}

static int
parse_spec(const struct enc_spec *s, const char *pass)
{
	char *text = build(s);
	int rc = parse_with(text, pass);

	free(text);
	return rc;
}

/* Keys ssh-keygen encrypted: every type read (Ed25519's and ECDSA's
 * secrets checked), another cipher, and the public key matches the .pub;
 * the key keeps the passphrase and the file's rounds.  (test_openssh.c
 * writes rsa2048-pass again byte for byte.) */
static void
test_ssh_keygen_fixtures(void **state)
{
	static const char *const names[] = { "rsa2048-pass", "ed25519-pass",
		"ecdsa384-pass", "rsa2048-pass-cbc" };
	char pub[64];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len;
		char *text = tu_read_file(tu_data(names[i]), &len);
		vhkey *key = NULL, *pubkey;

		assert_non_null(text);
		assert_int_equal(vhkey_parse_private(text, len, &key),
		    VHKEY_ERR_ENCRYPTED);
		assert_int_equal(parse_with(text, "fixture passphrasE"),
		    VHKEY_ERR_BAD_PASSPHRASE);
		assert_int_equal(vhkey_parse_private_passphrase(text, len,
				     PASS, PASSLEN, &key),
		    VHKEY_OK);
		snprintf(pub, sizeof(pub), "%s.pub", names[i]);
		pubkey = tu_load_public(pub);
		assert_true(vhkey_public_equal(key, pubkey));
		assert_true(vhkey_has_passphrase(key));
		assert_int_equal(key->kdf_rounds, i == 0 ? 16 : 1);
		vhkey_free(pubkey);
		vhkey_free(key);
		free(text);
	}
}

/* Ours: encrypted (aes256-ctr, bcrypt, a 16-byte salt, the rounds asked
 * for), read back with the passphrase, refused without or with another;
 * and two writes of one key differ (fresh salt and check integer). */
static void
test_round_trip(void **state)
{
	vhkey *key = tu_load_private("rsa2048"), *back = NULL;
	char *text, *again;
	size_t len, binlen;
	uint8_t *bin;

	(void)state;
	assert_false(vhkey_has_passphrase(key));
	assert_int_equal(vhkey_set_passphrase(key, "pw", 2, 3), VHKEY_OK);
	assert_true(vhkey_has_passphrase(key));
	assert_int_equal(vhkey_private_to_openssh(key, &text, &len), VHKEY_OK);
	assert_int_equal(vhkey_private_to_openssh(key, &again, NULL),
	    VHKEY_OK);
	assert_string_not_equal(text, again);
	vhkey_secret_free(again);
	/* the envelope: magic, "aes256-ctr", "bcrypt", string(string salt of
	 * 16, uint32 3) */
	{
		const char *b = strchr(text, '\n') + 1;
		char body[200];
		size_t n = 0;

		for (; n < 140 && *b != '-'; b++)
			if (*b != '\n')
				body[n++] = *b;
		bin = tu_unb64(body, n / 4 * 4, &binlen);
		assert_non_null(bin);
		assert_memory_equal(bin + 15,
		    "\0\0\0\x0a" "aes256-ctr" "\0\0\0\x06" "bcrypt"
		    "\0\0\0\x18" "\0\0\0\x10",
		    4 + 10 + 4 + 6 + 4 + 4);
		assert_memory_equal(bin + 15 + 32 + 16, "\0\0\0\x03", 4);
		free(bin);
	}
	assert_int_equal(parse_with(text, NULL), VHKEY_ERR_ENCRYPTED);
	assert_int_equal(parse_with(text, "pW"), VHKEY_ERR_BAD_PASSPHRASE);
	assert_int_equal(parse_with(text, "pw "), VHKEY_ERR_BAD_PASSPHRASE);
	assert_int_equal(vhkey_parse_private_passphrase(text, len, "pw", 2,
			     &back),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(key, back));
	assert_true(vhkey_has_private(back));
	assert_true(vhkey_has_passphrase(back));
	assert_int_equal(back->kdf_rounds, 3);
	assert_string_equal(vhkey_get_comment(back), vhkey_get_comment(key));
	vhkey_free(back);
	/* the passphrase removed: written unencrypted again */
	assert_int_equal(vhkey_set_passphrase(key, NULL, 0, 0), VHKEY_OK);
	assert_false(vhkey_has_passphrase(key));
	vhkey_secret_free(text);
	assert_int_equal(vhkey_private_to_openssh(key, &text, &len), VHKEY_OK);
	assert_int_equal(parse_with(text, NULL), VHKEY_OK);
	/* an unencrypted key reads whatever the passphrase, and carries none */
	assert_int_equal(vhkey_parse_private_passphrase(text, len, "pw", 2,
			     &back),
	    VHKEY_OK);
	assert_false(vhkey_has_passphrase(back));
	vhkey_free(back);
	vhkey_secret_free(text);
	vhkey_free(key);
}

/* The ciphers we decrypt, each with its own key and IV length. */
static void
test_ciphers(void **state)
{
	static const char *const names[] = { "aes128-ctr", "aes192-ctr",
		"aes256-ctr", "aes128-cbc", "aes192-cbc", "aes256-cbc" };
	vhkey *key = tu_load_private("rsa2048");
	struct enc_spec s = enc_default(key);

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		s.cipher = names[i];
		assert_int_equal(parse_spec(&s, "pw"), VHKEY_OK);
		assert_int_equal(parse_spec(&s, "px"),
		    VHKEY_ERR_BAD_PASSPHRASE);
	}
	s.taglen = 1;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_TRAILING);
	/* known to OpenSSH, not decrypted here: refused before any KDF; their
	 * 16-byte tag follows the private section, and nothing else may */
	s.cipher = "chacha20-poly1305@openssh.com";
	s.taglen = 16;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_ENCRYPTED);
	s.cipher = "aes256-gcm@openssh.com";
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_ENCRYPTED);
	s.taglen = 15;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_TRAILING);
	s.taglen = 17;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_TRAILING);
	s.taglen = 0;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_TRAILING);
	vhkey_free(key);
}

/* Damage after the check integers is damage, not a wrong passphrase: each
 * byte of the private section after its first block changed in turn (CTR
 * mode changes just that byte) gives a status that is not
 * VHKEY_ERR_BAD_PASSPHRASE; a changed check integer is one, as ssh-keygen
 * says "incorrect passphrase" of it too. */
static void
test_damage_is_not_bad_passphrase(void **state)
{
	vhkey *key = tu_load_private("rsa2048");
	struct enc_spec s = enc_default(key);
	char *text = build(&s);
	const char *body = strchr(text, '\n') + 1;
	size_t blen = strlen(body) - strlen("-----END OPENSSH PRIVATE KEY-----\n");
	char *joined = malloc(blen + 1);
	size_t n = 0, binlen, privoff, privlen;
	uint8_t *bin;

	(void)state;
	for (size_t i = 0; i < blen; i++)
		if (body[i] != '\n')
			joined[n++] = body[i];
	bin = tu_unb64(joined, n, &binlen);
	assert_non_null(bin);
	/* the private section is the last string: after the magic, cipher,
	 * kdf, kdfoptions (a 16-byte salt), nkeys and public key */
	privoff = 15 + 4 + 10 + 4 + 6 + 4 + 4 + 16 + 4 + 4 + 4 +
	    key->bloblen + 4;
	privlen = binlen - privoff;
	assert_true(privlen > 256 && privlen % 16 == 0);
	for (size_t i = 0; i < privlen; i += i < 32 ? 1 : 29) {
		char *bad;
		int rc;

		bin[privoff + i] ^= 0x40;
		bad = tu_armor(bin, binlen, 70);
		rc = parse_with(bad, "pw");
		bin[privoff + i] ^= 0x40;
		free(bad);
		if (i < 8)
			assert_int_equal(rc, VHKEY_ERR_BAD_PASSPHRASE);
		else
			assert_true(rc != VHKEY_OK &&
			    rc != VHKEY_ERR_BAD_PASSPHRASE);
	}
	free(bin);
	free(joined);
	free(text);
	vhkey_free(key);
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rounds out of bounds are refused before any work: 2049 or 2^32 - 1
 * rounds would take seconds to days; the salt's length is bounded. */
static void
test_kdf_bounds(void **state)
{
	static const uint32_t bad[] = { 0, VHKEY_KDF_ROUNDS_MAX + 1,
		0x80000000u, 0xffffffffu };
	vhkey *key = tu_load_private("rsa2048");
	struct enc_spec s = enc_default(key);
	double t0 = seconds();

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s.rounds = bad[i];
		assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_KDF_ROUNDS);
		assert_int_equal(parse_spec(&s, NULL), VHKEY_ERR_KDF_ROUNDS);
	}
	assert_true(seconds() - t0 < 1.0);
	s = enc_default(key);
	s.saltlen = 0;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_FORMAT);
	s.saltlen = VK_BCRYPT_SALT_MAX + 1;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_FORMAT);
	s.saltlen = VK_BCRYPT_SALT_MIN;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_OK);
	s.saltlen = VK_BCRYPT_SALT_MAX;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_OK);
	s = enc_default(key);
	s.check2 ^= 1;
	assert_int_equal(parse_spec(&s, "pw"), VHKEY_ERR_BAD_PASSPHRASE);
	vhkey_free(key);
}

/* The passphrase setters: bounds, NUL, and a refusal changes nothing. */
static void
test_passphrase_arguments(void **state)
{
	vhkey *key = tu_load_private("rsa2048");
	vhkey_gen_options *opts = NULL;
	char big[VHKEY_PASSPHRASE_MAX + 1];
	vhkey *out = (vhkey *)&out;

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_int_equal(vhkey_set_passphrase(NULL, "a", 1, 0),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_set_passphrase(key, "a\0b", 3, 0),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_set_passphrase(key, big, sizeof(big), 0),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_set_passphrase(key, "a", 1,
			     VHKEY_KDF_ROUNDS_MAX + 1),
	    VHKEY_ERR_KDF_ROUNDS);
	assert_false(vhkey_has_passphrase(key));
	assert_int_equal(vhkey_set_passphrase(key, big, VHKEY_PASSPHRASE_MAX,
			     0),
	    VHKEY_OK);
	assert_int_equal(key->kdf_rounds, VHKEY_KDF_ROUNDS_DEFAULT);
	assert_int_equal(vhkey_set_passphrase(key, "a", 1, 9999),
	    VHKEY_ERR_KDF_ROUNDS);
	assert_int_equal(key->passlen, VHKEY_PASSPHRASE_MAX);
	assert_int_equal(vhkey_set_passphrase(key, "", 0, 5), VHKEY_OK);
	assert_false(vhkey_has_passphrase(key));

	assert_int_equal(vhkey_parse_private_passphrase("x", 1, NULL, 3, &out),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_parse_private_passphrase("x", 1, big,
			     sizeof(big), &out),
	    VHKEY_ERR_ARGUMENT);
	assert_null(out);

	assert_int_equal(vhkey_gen_options_new(&opts), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_passphrase(NULL, "a", 1),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_gen_options_set_passphrase(opts, "a\0", 2),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_gen_options_set_passphrase(opts, "a", 1),
	    VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_rounds(opts, 0), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_rounds(opts,
			     VHKEY_KDF_ROUNDS_MAX + 1),
	    VHKEY_ERR_KDF_ROUNDS);
	assert_int_equal(vhkey_gen_options_set_rounds(NULL, 1),
	    VHKEY_ERR_ARGUMENT);
	vhkey_gen_options_free(opts);
	vhkey_free(key);
}

/* A generated key carries the options' passphrase, and vhkey_write_pair()
 * writes it encrypted. */
static void
test_generate_and_write_encrypted(void **state)
{
	struct tu_pair_dir *fx = tu_pair_dir_new();
	vhkey_gen_options *opts = NULL;
	vhkey *key = NULL, *back = NULL;

	(void)state;
	assert_int_equal(vhkey_gen_options_new(&opts), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_bits(opts, 2048), VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_passphrase(opts, "gen pw", 6),
	    VHKEY_OK);
	assert_int_equal(vhkey_gen_options_set_rounds(opts, 2), VHKEY_OK);
	assert_int_equal(vhkey_generate_with(opts, &key), VHKEY_OK);
	vhkey_gen_options_free(opts);
	assert_true(vhkey_has_passphrase(key));
	assert_int_equal(key->kdf_rounds, 2);
	assert_int_equal(vhkey_write_pair(key, fx->path, 0, NULL), VHKEY_OK);
	assert_int_equal(vhkey_load_private_file(fx->path, &back, NULL),
	    VHKEY_ERR_ENCRYPTED);
	assert_int_equal(vhkey_load_private_file_passphrase(fx->path, "gen pw",
			     5, &back, NULL),
	    VHKEY_ERR_BAD_PASSPHRASE);
	assert_int_equal(vhkey_load_private_file_passphrase(fx->path, "gen pw",
			     6, &back, NULL),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(key, back));
	vhkey_free(back);
	vhkey_free(key);
	tu_pair_dir_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh_keygen_fixtures),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_ciphers),
		cmocka_unit_test(test_damage_is_not_bad_passphrase),
		cmocka_unit_test(test_kdf_bounds),
		cmocka_unit_test(test_passphrase_arguments),
		cmocka_unit_test(test_generate_and_write_encrypted),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
