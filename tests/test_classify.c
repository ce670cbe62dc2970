/* test_classify.c - private key markers, type names, armor lines and the
 * byte-level repairs of pasted text. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"
#include "testutil.h"

static void
clean(const char *in, size_t len, const char *want, size_t wantlen,
    unsigned fixes, size_t first_line, size_t ctl_line)
{
	struct vk_text t;

	assert_int_equal(vk_text_clean(in, len, &t), VHKEY_OK);
	assert_int_equal(t.len, wantlen);
	assert_memory_equal(t.s, want, t.len);
	assert_int_equal(t.s[t.len], '\0');
	assert_int_equal(t.fixes, fixes);
	assert_int_equal(t.first_line, first_line);
	assert_int_equal(t.ctl_line, ctl_line);
	vk_text_free(&t);
	assert_null(t.s);
}

#define CLEAN(in, want, fixes, first, ctl) \
	clean(in, sizeof(in) - 1, want, sizeof(want) - 1, fixes, first, ctl)

static void
test_clean(void **state)
{
	(void)state;
	CLEAN("a b c", "a b c", 0, 1, 0);
	CLEAN("a b c\n", "a b c", 0, 1, 0);
	/* ssh-keygen's own "type data \n" for a key without a comment */
	CLEAN("a b \n", "a b", 0, 1, 0);
	CLEAN("a b  \n", "a b", VK_FIX_OUTER_SPACE, 1, 0);
	CLEAN("a b\n\n", "a b", VK_FIX_OUTER_SPACE, 1, 0);
	CLEAN("\n\n  a b", "a b", VK_FIX_OUTER_SPACE, 3, 0);
	CLEAN("a\r\nb\r\n", "a\nb", VK_FIX_CRLF, 1, 0);
	CLEAN("a\rb", "a\nb", VK_FIX_CRLF, 1, 0);
	CLEAN("\xef\xbb\xbf" "a b", "a b", VK_FIX_BOM, 1, 0);
	CLEAN("a\xc2\xa0" "b", "a b", VK_FIX_NBSP, 1, 0);
	CLEAN("a\xe2\x80\xaf" "b", "a b", VK_FIX_NBSP, 1, 0);
	CLEAN("a\xe2\x80\x8b" "b\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0"
	      "c\xef\xbb\xbf" "d",
	    "abcd", VK_FIX_ZERO_WIDTH, 1, 0);
	/* other UTF-8 is left alone */
	CLEAN("a \xc3\xa9t\xc3\xa9", "a \xc3\xa9t\xc3\xa9", 0, 1, 0);
	/* a truncated sequence at the end is no special character */
	CLEAN("a\xc2", "a\xc2", 0, 1, 0);
	CLEAN("a\xe2\x80", "a\xe2\x80", 0, 1, 0);
	/* control characters and NUL are noted with their line */
	CLEAN("a\nb\x01" "c", "a\nb\x01" "c", 0, 1, 2);
	CLEAN("\n\na\0b", "a\0b", VK_FIX_OUTER_SPACE, 3, 3);
	/* where an authorized_keys line has its comment (the third word on),
	 * a control character is text that sshd keeps; NUL never is */
	CLEAN("t k c\x1b[1m", "t k c\x1b[1m", 0, 1, 0);
	CLEAN("t k \x07" "c", "t k \x07" "c", 0, 1, 0);
	CLEAN("o t k c\x7f", "o t k c\x7f", 0, 1, 0);
	CLEAN("x\nt k c\x1b", "x\nt k c\x1b", 0, 1, 0);
	CLEAN("x\r\nt k c\x1b", "x\nt k c\x1b", VK_FIX_CRLF, 1, 0);
	CLEAN("t k\x1b c", "t k\x1b c", 0, 1, 1);
	CLEAN("t\x1b k c", "t\x1b k c", 0, 1, 1);
	CLEAN("t k c\0d", "t k c\0d", 0, 1, 1);
	CLEAN("a\tb", "a\tb", 0, 1, 0); /* tabs are the parser's to judge */
	CLEAN("", "", 0, 1, 0);
	CLEAN(" \n\t ", "", VK_FIX_OUTER_SPACE, 2, 0);
}

/* Each damage at every place of a line longer than the sixteen bytes the
 * cleaner looks at together. */
static void
test_clean_everywhere(void **state)
{
	static const struct {
		const char *in, *out;
		unsigned fixes;
		size_t ctl_line;
	} cases[] = {
		{ "\xc2\xa0", " ", VK_FIX_NBSP, 0 },
		{ "\xe2\x80\xaf", " ", VK_FIX_NBSP, 0 },
		{ "\xe2\x80\x8b", "", VK_FIX_ZERO_WIDTH, 0 },
		{ "\xef\xbb\xbf", "", VK_FIX_ZERO_WIDTH, 0 },
		{ "\r\n", "\n", VK_FIX_CRLF, 0 },
		{ "\r", "\n", VK_FIX_CRLF, 0 },
		{ "\x01", "\x01", 0, 1 },
		{ "\x7f", "\x7f", 0, 1 },
		{ "\t", "\t", 0, 0 },
		{ "\xc3\xa9", "\xc3\xa9", 0, 0 },
		{ "\xff", "\xff", 0, 0 },
	};
	char in[64], want[64];

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t inlen = strlen(cases[c].in), outlen = strlen(cases[c].out);
		for (size_t at = 1; at < 40; at++) {
			memset(in, 'a', at);
			memcpy(in + at, cases[c].in, inlen);
			memset(in + at + inlen, 'b', 41 - at);
			memset(want, 'a', at);
			memcpy(want + at, cases[c].out, outlen);
			memset(want + at + outlen, 'b', 41 - at);
			clean(in, at + inlen + 41 - at, want, at + outlen + 41 - at,
			    cases[c].fixes, 1, cases[c].ctl_line);
		}
	}
}

static void
test_private_markers(void **state)
{
	static const struct {
		const char *text;
		const char *format; /* a word of the phrase */
	} cases[] = {
		{ "-----BEGIN OPENSSH PRIVATE KEY-----\nxx", "OpenSSH" },
		{ "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU", "inside of an OpenSSH" },
		{ "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED",
		    "passphrase-protected PEM" },
		{ "-----BEGIN RSA PRIVATE KEY-----", "PEM RSA" },
		{ "-----BEGIN EC PRIVATE KEY-----", "PEM EC" },
		{ "-----BEGIN DSA PRIVATE KEY-----", "PEM DSA" },
		{ "-----BEGIN PRIVATE KEY-----", "PKCS#8" },
		{ "-----BEGIN ENCRYPTED PRIVATE KEY-----",
		    "passphrase-protected PKCS#8" },
		{ "PuTTY-User-Key-File-2: ssh-rsa", "PuTTY" },
		{ "PuTTY-User-Key-File-3: ssh-ed25519", "PuTTY" },
		{ "Private-Lines: 14", "PuTTY" },
		{ "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", "ssh.com" },
		{ "SSH PRIVATE KEY FILE FORMAT 1.1\n\0", "SSH-1" },
		{ "-----END RSA PRIVATE KEY-----", "private key" },
		{ "-----BEGIN FOO PRIVATE KEY-----", "private key" },
		{ "Private-MAC: 0123", "PuTTY" },
		{ "Proc-Type: 4,ENCRYPTED", "passphrase-protected PEM" },
		{ "---- END SSH2 PRIVATE KEY ----", "private key" },
		{ "Private-Key: (2048 bit, 2 primes)\nmodulus:", "openssl" },
		{ "ED25519 Private-Key:\npriv:\n    9c:", "openssl" },
	};
	/* base64 without 'P' or 'b', so without a marker's first letters */
	static const char noise[] = "ABCDEFGHIJKLMNOQRSTUVWXYZacdefghijklmno"
				    "pqrstuvwxyz0123456789+/";
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vk_private_kind *k =
		    vk_private_format(cases[i].text, strlen(cases[i].text));
		assert_non_null(k);
		assert_non_null(strstr(k->format, cases[i].format));
		assert_non_null(k->advice);
		/* found in base64 around it too, wherever it stands */
		for (size_t at = 0; at < 40; at++) {
			size_t n = strlen(cases[i].text);
			for (size_t j = 0; j < sizeof(text); j++)
				text[j] = noise[(j * 7 + at) % (sizeof(noise) - 1)];
			memcpy(text + at, cases[i].text, n);
			assert_ptr_equal(vk_private_format(text, at + n), k);
			assert_ptr_equal(vk_private_format(text, sizeof(text)), k);
		}
	}
	/* the first letters of markers alone are none */
	assert_null(vk_private_format("PRIVATE Private Proc PuTTY b3Bl", 31));
	assert_null(vk_private_format("ssh-rsa AAAA my private key", 27));
	assert_null(vk_private_format("", 0));
	/* a marker is found past a NUL byte too */
	assert_non_null(vk_private_format("x\0PuTTY-User-Key-File-3", 23));
}

static void
test_private_bin(void **state)
{
	static const uint8_t pkcs1[] = { 0x30, 0x09, 0x02, 0x01, 0x00, 0x02,
		0x01, 0x05, 0x02, 0x01, 0x07 };
	static const uint8_t sec1[] = { 0x30, 0x07, 0x02, 0x01, 0x01, 0x04,
		0x02, 0xaa, 0xbb };
	static const uint8_t enc8[] = { 0x30, 0x0a, 0x30, 0x03, 0x06, 0x01,
		0x00, 0x04, 0x03, 0x01, 0x02, 0x03 };
	static const uint8_t spki[] = { 0x30, 0x0a, 0x30, 0x03, 0x06, 0x01,
		0x00, 0x03, 0x03, 0x00, 0x02, 0x03 };
	static const uint8_t rsapub[] = { 0x30, 0x08, 0x02, 0x03, 0x00, 0xc1,
		0x01, 0x02, 0x01, 0x03 };
	static const uint8_t hostile[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff,
		0x02 };

	(void)state;
	assert_non_null(vk_private_format_bin(
	    (const uint8_t *)"openssh-key-v1\0\0\0", 17));
	assert_null(vk_private_format_bin((const uint8_t *)"openssh-key-v1",
	    14));
	assert_non_null(vk_private_format_bin(pkcs1, sizeof(pkcs1)));
	assert_non_null(vk_private_format_bin(sec1, sizeof(sec1)));
	assert_non_null(vk_private_format_bin(enc8, sizeof(enc8)));
	assert_null(vk_private_format_bin(spki, sizeof(spki)));
	assert_null(vk_private_format_bin(rsapub, sizeof(rsapub)));
	assert_null(vk_private_format_bin(hostile, sizeof(hostile)));
	/* an ssh.com private key blob without its armour, and its magic
	 * cut short */
	assert_non_null(vk_private_format_bin(
	    (const uint8_t *)"\x3f\x6f\xf9\xeb\0\0\x03\xee", 8));
	assert_null(vk_private_format_bin((const uint8_t *)"\x3f\x6f\xf9", 3));
	for (size_t n = 0; n < sizeof(pkcs1); n++) /* every truncation */
		(void)vk_private_format_bin(pkcs1, n);
	assert_null(vk_private_format_bin(NULL, 0));
}

/* Armor lines however damaged, and JSON Web Keys; and the words of a
 * comment that are none. */
static void
test_private_damaged_markers(void **state)
{
	static const struct {
		const char *text;
		const char *format; /* a word of the phrase */
	} cases[] = {
		{ "----BEGIN OPENSSH PRIVATE KEY----", "OpenSSH" },
		{ "---BEGIN RSA PRIVATE KEY---", "PEM RSA" },
		{ "\xe2\x80\x93\xe2\x80\x93" "BEGIN EC PRIVATE KEY"
		  "\xe2\x80\x93\xe2\x80\x93", "PEM EC" },
		{ "\xe2\x80\x94" "BEGIN PRIVATE KEY\xe2\x80\x94", "PKCS#8" },
		{ "begin openssh private key", "OpenSSH" },
		{ "-----end  rsa  private  key-----", "PEM RSA" },
		{ "BEGIN ENCRYPTED PRIVATE KEY", "passphrase-protected PKCS#8" },
		{ "x\n----- BEGIN DSA PRIVATE KEY -----", "private key" },
		{ "\xe2\x88\x92\xe2\x88\x92" "END OPENSSH PRIVATE KEY", "OpenSSH" },
		{ "private-lines: 14", "PuTTY" },
		{ "PRIVATE-MAC: 00", "PuTTY" },
		{ "{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"7MUu\"}", "JWK" },
		{ "{ \"kty\" : \"RSA\", \"n\": \"x\", \"qi\"\n: \"y\" }", "JWK" },
	};
	static const char *none[] = { "ssh-rsa AAAA my private key",
		"the friend private key backup", "private key-less login",
		"{\"kty\":\"EC\",\"x\":\"a\",\"y\":\"b\",\"crv\":\"P-256\"}",
		"{\"d\": 1}", "privatekey", "Private keys are secret",
		"the end of my private key rotation", "rsa private key",
		"begin: my private key" };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vk_private_kind *k =
		    vk_private_format(cases[i].text, strlen(cases[i].text));
		if (k == NULL || strstr(k->format, cases[i].format) == NULL)
			fail_msg("%s: %s", cases[i].text, k ? k->format : "none");
	}
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (vk_private_format(none[i], strlen(none[i])) != NULL)
			fail_msg("taken for a marker: %s", none[i]);
}

/* A DER INTEGER of n bytes (all 0x5a) at at: how many bytes it takes. */
static size_t
put_integer(uint8_t *at, size_t n)
{
	size_t h = n < 128 ? 2 : 3;

	memset(at + h, 0x5a, n);
	at[0] = 2;
	at[1] = n < 128 ? (uint8_t)n : 0x81;
	at[h - 1] = (uint8_t)n;
	return h + n;
}

/* Pieces of what private keys decode to, anywhere in the bytes; public
 * key blobs and DER are none. */
static void
test_private_fragments(void **state)
{
	/* the private section: two equal check integers, a key type */
	static const uint8_t section[] = { 0xaa, 0x12, 0x34, 0x56, 0x78,
		0x12, 0x34, 0x56, 0x78, 0, 0, 0, 11, 's', 's', 'h', '-', 'e',
		'd', '2', '5', '5', '1', '9', 0, 0 };
	/* nkeys 1, the public key (15 bytes), the private section's length */
	static const uint8_t container[] = { 0, 0, 0, 1, 0, 0, 0, 15, 0, 0,
		0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9',
		0, 0, 0, 0x90, 1, 2 };
	/* the same with a length no cipher block divides */
	static const uint8_t container_odd[] = { 0, 0, 0, 1, 0, 0, 0, 15, 0,
		0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1',
		'9', 0, 0, 0, 0x91, 1, 2 };
	/* a public key blob: its name comes first */
	static const uint8_t blob[] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e',
		'd', '2', '5', '5', '1', '9', 0, 0, 0, 32 };
	/* the start of PKCS#1 RSA, cut short: SEQUENCE, 0, the modulus */
	static const uint8_t pkcs1_head[] = { 0x77, 0x30, 0x82, 0x04, 0xa4,
		0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3 };
	/* SEC 1 P-256, cut short after the private key's header */
	static const uint8_t sec1_head[] = { 0x30, 0x77, 0x02, 0x01, 0x01,
		0x04, 0x20, 0x11 };
	/* PKCS#8 Ed25519 */
	static const uint8_t pkcs8_head[] = { 0x30, 0x2e, 0x02, 0x01, 0x00,
		0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04 };
	/* encrypted PKCS#8: PBES2 (1.2.840.113549.1.5.13) */
	static const uint8_t enc8_head[] = { 0x30, 0x82, 0x05, 0x2c, 0x30,
		0x56, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
		0x05, 0x0d, 0x30 };
	/* e = 65537 and then a 257-byte INTEGER: PKCS#1's e, d */
	static const uint8_t e_then_d[] = { 0x01, 0x02, 0x03, 0x01, 0x00,
		0x01, 0x02, 0x82, 0x01, 0x01, 0x00 };
	/* the curve and public point ending a SEC 1 key */
	static const uint8_t sec1_tail[] = { 0x55, 0xa0, 0x0a, 0x06, 0x08,
		0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0xa1, 0x44,
		0x03, 0x42, 0x00, 0x04 };
	/* SubjectPublicKeyInfo of RSA */
	static const uint8_t spki_head[] = { 0x30, 0x82, 0x01, 0x22, 0x30,
		0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
		0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x01, 0x0f, 0x00 };
	/* PKCS#1 RSA public: SEQUENCE { n, e }, e last */
	static const uint8_t rsapub_tail[] = { 0x02, 0x03, 0x01, 0x00, 0x01 };
	/* three INTEGERs in a row: the tail of PKCS#1 RSA (..., dQ, qInv)
	 * or of DSA (g, y, x); an ECDSA signature (r, s), RSA's n then e
	 * and DSA's p then q are no such tail */
	uint8_t rsa_tail[2 * 67 + 2], dsa_tail[2 * 132 + 2], sig[2 * 68];
	size_t at;
#define BIN(a) vk_private_format_bin(a, sizeof(a))

	(void)state;
	assert_non_null(BIN(section));
	assert_non_null(BIN(container));
	assert_null(BIN(container_odd));
	assert_null(BIN(blob));
	assert_non_null(BIN(pkcs1_head));
	assert_non_null(BIN(sec1_head));
	assert_non_null(BIN(pkcs8_head));
	assert_non_null(strstr(BIN(enc8_head)->format, "passphrase"));
	assert_non_null(BIN(e_then_d));
	assert_non_null(BIN(sec1_tail));
	assert_null(BIN(spki_head));
	assert_null(BIN(rsapub_tail));
	at = put_integer(rsa_tail, 65);
	at += put_integer(rsa_tail + at, 65);
	put_integer(rsa_tail + at, 0); /* its length alone: 0x40 */
	rsa_tail[at + 1] = 0x40;
	assert_non_null(BIN(rsa_tail));
	at = put_integer(dsa_tail, 129);
	at += put_integer(dsa_tail + at, 129);
	put_integer(dsa_tail + at, 0);
	dsa_tail[at + 1] = 20;
	assert_non_null(BIN(dsa_tail));
	dsa_tail[at + 1] = 19; /* too short for x */
	assert_null(BIN(dsa_tail));
	at = put_integer(sig, 66);
	put_integer(sig + at, 66);
	assert_null(BIN(sig));
	for (size_t n = 0; n < sizeof(rsa_tail); n++)
		(void)vk_private_format_bin(rsa_tail, n);
	/* every truncation of every shape is looked at safely */
	for (size_t n = 0; n < sizeof(enc8_head); n++)
		(void)vk_private_format_bin(enc8_head, n);
	for (size_t n = 0; n < sizeof(container); n++)
		(void)vk_private_format_bin(container, n);
#undef BIN
}

/* What text holds encoded: base64 at every alignment, white space
 * inside; hex; the same in UTF-16. */
static void
test_private_scan(void **state)
{
	/* "openssh-key-v1\0" preceded by 0, 1 or 2 other bytes */
	static const char *b64[] = { "b3BlbnNzaC1rZXktdjEAAAAA",
		"AG9wZW5zc2gta2V5LXYxAAAA", "AABvcGVuc3NoLWtleS12MQAA" };
	static const char hex[] = "00 6f:70:65:6e 73 73 68 2d 6b 65 79 2d 76 "
				  "31 00 00";
	char text[128], u[256];
	int rc;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		/* after 0 to 3 other characters, broken by white space */
		for (size_t pre = 0; pre < 4; pre++) {
			size_t n = (size_t)snprintf(text, sizeof(text),
			    "%.*s%.5s \n %s", (int)pre, "QUJD", b64[i],
			    b64[i] + 5);
			assert_non_null(vk_private_scan(text, n, 0, &rc));
			assert_int_equal(rc, VHKEY_OK);
		}
	}
	assert_non_null(vk_private_scan(hex, strlen(hex), 0, &rc));
	/* as UTF-16, either byte order */
	snprintf(text, sizeof(text), "AAAA%s", b64[0]);
	for (int be = 0; be < 2; be++) {
		size_t n = strlen(text);
		for (size_t i = 0; i < n; i++) {
			u[2 * i + !be] = text[i];
			u[2 * i + be] = 0;
		}
		assert_non_null(vk_private_scan(u, 2 * n, 1, &rc));
		/* a line of it, split after a line end's first byte */
		assert_non_null(vk_private_scan(u + 1, 2 * n - 1, 1, &rc));
	}
	assert_null(vk_private_scan("AAAAC3NzaC1lZDI1NTE5AAAAIAEAAAAAAAAAAAAA "
				    "alice@laptop",
	    53, 0, &rc));
	assert_int_equal(rc, VHKEY_OK);
	assert_null(vk_private_scan("", 0, 1, &rc));
}

static void
test_keyish(void **state)
{
	static const char line[] =
	    "MIIEpAIBAAKCAQEAlaPI5lPKwA86idBugKeHCCLBIaqqlP1kgiKUxydU84KRn11S";

	(void)state;
	assert_int_equal(vk_keyish_word(line, strlen(line), VK_KEYISH_MIN),
	    64);
	assert_int_equal(vk_keyish_word("a b " "Hq3kL9vTz2Qm8Rb4Np7Wc1Ys6Ud0F"
					"g5Jh3Ka9Lz2X==",
			     46, VK_KEYISH_MIN),
	    42);
	/* one class missing, too short, or not base64 */
	assert_int_equal(vk_keyish_word("3f2a9c0d1e4b5a6978877665544332211aab"
					"bccd", 40, 40), 0);
	assert_int_equal(vk_keyish_word(line, 39, 40), 0);
	assert_int_equal(vk_keyish_word(line, 39, 16), 39);
	assert_int_equal(vk_keyish_word("SHA256:XJsh3l/0itWweuzwyAU63FL2aZGq"
					"jP/CptqmQN2dKc0", 50, 40), 0);
	assert_int_equal(vk_keyish_word("", 0, 40), 0);
}

/* A private number as openssl -text prints it (bytes joined by ':',
 * lines indented) is one run; a SHA-512 in hex is too short for one. */
static void
test_hexish(void **state)
{
	char text[1024];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 96; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%02x%s",
		    i % 15 == 0 ? "\n    " : "", (i * 37 + 11) & 0xff,
		    i < 95 ? ":" : "");
	assert_int_equal(vk_hexish_run(text, n, VK_HEXISH_MIN), 192);
	assert_int_equal(vk_hexish_run(text, n, 193), 0);
	/* a word that is not hex ends the run */
	memcpy(text + n / 2, " zz ", 4);
	assert_int_equal(vk_hexish_run(text, n, VK_HEXISH_MIN), 0);
	assert_in_range(vk_hexish_run(text, n, 1), 80, 100);
	/* a row of one digit, or of few, is none */
	memset(text, 'c', 512);
	assert_int_equal(vk_hexish_run(text, 512, VK_HEXISH_MIN), 0);
	assert_int_equal(vk_hexish_run("", 0, 1), 0);
}

static void
test_names(void **state)
{
	vhkey_type t = VHKEY_TYPE_UNKNOWN;

	(void)state;
#define KIND(s) vk_name_kind(s, strlen(s), &t)
	assert_int_equal(KIND("ssh-rsa"), VK_NAME_SUPPORTED);
	assert_int_equal(t, VHKEY_TYPE_RSA);
	assert_int_equal(KIND("sk-ssh-ed25519@openssh.com"), VK_NAME_SUPPORTED);
	assert_int_equal(t, VHKEY_TYPE_SK_ED25519);
	assert_int_equal(KIND("ecdsa-sha2-nistp521"), VK_NAME_SUPPORTED);
	assert_int_equal(t, VHKEY_TYPE_ECDSA_P521);
	assert_int_equal(KIND("ssh-dss"), VK_NAME_DSA);
	assert_int_equal(KIND("ssh-rsa-cert-v01@openssh.com"), VK_NAME_CERT);
	assert_int_equal(KIND("ssh-ed25519-cert-v01@openssh.com"),
	    VK_NAME_CERT);
	assert_int_equal(KIND("ssh-foo"), VK_NAME_OTHER);
	assert_int_equal(KIND("ecdsa-sha2-nistp192"), VK_NAME_OTHER);
	assert_int_equal(KIND("SSH-RSA"), VK_NAME_NONE);
	assert_int_equal(KIND("ssh"), VK_NAME_NONE);
	assert_int_equal(KIND("AAAAB3NzaC1yc2E"), VK_NAME_NONE);
	assert_int_equal(KIND("a@b@c-d"), VK_NAME_NONE);
	assert_int_equal(KIND("ssh-rsa\t"), VK_NAME_NONE);
	assert_int_equal(vk_name_kind("ssh-rsa", 6, NULL), VK_NAME_OTHER);
#undef KIND
	assert_true(vk_quotable("ssh-foo", 7));
	assert_false(vk_quotable("ssh foo", 7));
	assert_false(vk_quotable("a'b", 3));
	assert_false(vk_quotable("", 0));
	assert_false(vk_quotable("\xc3\xa9", 2));
}

static void
test_armor(void **state)
{
	const char *label;
	size_t len;

	(void)state;
#define ARMOR(s, w) vk_armor_line(s, strlen(s), w, &label, &len)
	assert_true(ARMOR("---- BEGIN SSH2 PUBLIC KEY ----", "BEGIN"));
	assert_int_equal(len, 15);
	assert_memory_equal(label, "SSH2 PUBLIC KEY", 15);
	assert_true(ARMOR("-----BEGIN PUBLIC KEY-----", "BEGIN"));
	assert_int_equal(len, 10);
	assert_true(ARMOR("-----END RSA PUBLIC KEY-----", "END"));
	assert_int_equal(len, 14);
	assert_false(ARMOR("-----END RSA PUBLIC KEY-----", "BEGIN"));
	assert_false(ARMOR("---BEGIN X---", "BEGIN"));
	assert_false(ARMOR("-----BEGIN X--", "BEGIN"));
	assert_false(ARMOR("-----BEGIN ----", "BEGIN"));
	assert_false(ARMOR("-----BEGINX-----", "BEGIN"));
	assert_false(ARMOR("--------", "BEGIN"));
	assert_false(ARMOR("", "END"));
#undef ARMOR
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_clean_everywhere),
		cmocka_unit_test(test_private_markers),
		cmocka_unit_test(test_private_bin),
		cmocka_unit_test(test_private_damaged_markers),
		cmocka_unit_test(test_private_fragments),
		cmocka_unit_test(test_private_scan),
		cmocka_unit_test(test_keyish),
		cmocka_unit_test(test_hexish),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_armor),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
