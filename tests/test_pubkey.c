/* test_pubkey.c - public key lines: round trips and hostile input. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"
#include "testutil.h"

static int
parse_str(const char *s)
{
	vhkey *key = (vhkey *)&key;
	int rc = vhkey_parse_public(s, strlen(s), &key);

	if (rc != VHKEY_OK)
		assert_null(key);
	vhkey_free(rc == VHKEY_OK ? key : NULL);
	return rc;
}

/* "type base64(blob) comment" */
static char *
line_for(const char *type, const uint8_t *blob, size_t len,
    const char *comment)
{
	char *b64 = tu_b64(blob, len), *line;

	assert_true(asprintf(&line, "%s %s%s%s", type, b64,
			comment ? " " : "", comment ? comment : "") > 0);
	free(b64);
	return line;
}

static void
test_fixtures_round_trip(void **state)
{
	static const char *names[] = { "rsa2048.pub", "rsa3072.pub",
		"rsa4096-nocomment.pub" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		size_t len;
		char *text = tu_read_file(tu_data(names[i]), &len), *line;
		vhkey *key = NULL;

		assert_non_null(text);
		assert_int_equal(vhkey_parse_public(text, len, &key), VHKEY_OK);
		assert_int_equal(vhkey_public_to_line(key, &line), VHKEY_OK);
		/* the file is the line and a newline (ssh-keygen writes a
		 * blank where the comment is empty: we do not) */
		while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
			len--;
		assert_int_equal(strlen(line), len);
		assert_memory_equal(line, text, len);
		free(line);
		vhkey_free(key);
		free(text);
	}
}

static void
test_comments(void **state)
{
	vhkey *key = NULL;
	size_t len;
	char *text = tu_read_file(tu_data("rsa3072.pub"), &len);
	char *sp = strchr(strchr(text, ' ') + 1, ' ');
	char buf[4096];

	(void)state;
	assert_int_equal(vhkey_parse_public(text, len, &key), VHKEY_OK);
	assert_string_equal(vhkey_get_comment(key), "comment with  spaces");
	vhkey_free(key);
	/* no comment, no newline */
	*sp = '\0';
	assert_int_equal(vhkey_parse_public(text, strlen(text), &key),
	    VHKEY_OK);
	assert_string_equal(vhkey_get_comment(key), "");
	vhkey_free(key);
	/* tabs between fields and trailing blanks, as ssh accepts */
	*strchr(text, ' ') = '\t';
	snprintf(buf, sizeof(buf), "%s\t  trailing  \t\n", text);
	assert_int_equal(vhkey_parse_public(buf, strlen(buf), &key), VHKEY_OK);
	assert_string_equal(vhkey_get_comment(key), "trailing");
	vhkey_free(key);
	free(text);
}

static void
test_not_nul_terminated(void **state)
{
	size_t len;
	char *text = tu_read_file(tu_data("rsa2048.pub"), &len);
	char *copy = malloc(len);
	vhkey *key = NULL;

	(void)state;
	memcpy(copy, text, len); /* exactly len bytes, no NUL after */
	assert_int_equal(vhkey_parse_public(copy, len, &key), VHKEY_OK);
	vhkey_free(key);
	free(copy);
	free(text);
}

static vk_writer
rsa_blob(const char *name, const char *e_hex, const char *n_hex)
{
	vk_writer w;
	BIGNUM *e = NULL, *n = NULL;

	vk_writer_init(&w, 0);
	assert_true(BN_hex2bn(&e, e_hex) > 0);
	assert_true(BN_hex2bn(&n, n_hex) > 0);
	assert_int_equal(vk_put_cstring(&w, name), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, e), VHKEY_OK);
	assert_int_equal(vk_put_bignum(&w, n), VHKEY_OK);
	BN_free(e);
	BN_free(n);
	return w;
}

static int
parse_blob(const char *type, const uint8_t *blob, size_t len)
{
	char *line = line_for(type, blob, len, "c");
	int rc = parse_str(line);

	free(line);
	return rc;
}

static void
test_hostile_blobs(void **state)
{
	vhkey *good = tu_load_private("rsa2048");
	const uint8_t *blob;
	size_t len;
	uint8_t *b;
	vk_writer w;

	(void)state;
	blob = vhkey_public_blob(good, &len);
	assert_int_equal(parse_blob("ssh-rsa", blob, len), VHKEY_OK);
	/* every truncation of the blob */
	for (size_t i = 0; i < len; i++)
		assert_int_not_equal(parse_blob("ssh-rsa", blob, i), VHKEY_OK);
	/* trailing bytes */
	b = malloc(len + 4);
	memcpy(b, blob, len);
	memset(b + len, 0, 4);
	assert_int_equal(parse_blob("ssh-rsa", b, len + 1),
	    VHKEY_ERR_TRAILING);
	assert_int_equal(parse_blob("ssh-rsa", b, len + 4),
	    VHKEY_ERR_TRAILING);
	free(b);
	/* type name that does not match the blob */
	assert_int_equal(parse_blob("ssh-dss", blob, len),
	    VHKEY_ERR_TYPE_MISMATCH);
	assert_int_equal(parse_blob("ssh-ed25519", blob, len),
	    VHKEY_ERR_TYPE_MISMATCH);
	/* a blob of another type */
	w = rsa_blob("ssh-dss", "10001", "c0ffee01");
	assert_int_equal(parse_blob("ssh-dss", w.data, w.len),
	    VHKEY_ERR_KEY_TYPE);
	vk_writer_clear(&w);
	/* a type name with a NUL inside */
	w = rsa_blob("ssh-rsa", "10001", "c0ffee01");
	w.data[7] = '\0';
	assert_int_equal(parse_blob("ssh-rsa", w.data, w.len),
	    VHKEY_ERR_FORMAT);
	vk_writer_clear(&w);
	/* zero numbers */
	w = rsa_blob("ssh-rsa", "0", "c0ffee01");
	assert_int_equal(parse_blob("ssh-rsa", w.data, w.len),
	    VHKEY_ERR_FORMAT);
	vk_writer_clear(&w);
	w = rsa_blob("ssh-rsa", "10001", "0");
	assert_int_equal(parse_blob("ssh-rsa", w.data, w.len),
	    VHKEY_ERR_FORMAT);
	vk_writer_clear(&w);
	vhkey_free(good);
}

static void
test_non_canonical_mpint(void **state)
{
	vhkey *good = tu_load_private("rsa2048");
	const uint8_t *blob;
	size_t len;
	uint8_t *b;

	(void)state;
	blob = vhkey_public_blob(good, &len);
	/* e = 00 01 00 01: a superfluous zero byte */
	b = malloc(len + 1);
	memcpy(b, blob, 11);
	memcpy(b + 11, "\0\0\0\4\0\1\0\1", 8);
	memcpy(b + 19, blob + 18, len - 18);
	assert_int_equal(parse_blob("ssh-rsa", b, len + 1), VHKEY_ERR_MPINT);
	/* n with its sign bit set: negative */
	memcpy(b, blob, len);
	assert_int_equal(b[22], 0x00); /* the 0x00 before n's top byte */
	memcpy(b + 18, "\0\0\1\0", 4);   /* drop the zero: length 256 */
	memmove(b + 22, blob + 23, len - 23);
	assert_int_equal(parse_blob("ssh-rsa", b, len - 1), VHKEY_ERR_MPINT);
	free(b);
	vhkey_free(good);
}

static void
test_rsa_too_large(void **state)
{
	char n[16384 / 4 + 8];
	vk_writer w;

	(void)state;
	memset(n, 'f', 16384 / 4);
	n[16384 / 4] = '\0';
	n[16384 / 4 - 1] = 'd';
	w = rsa_blob("ssh-rsa", "10001", n); /* 16384 bits: fine */
	assert_int_equal(parse_blob("ssh-rsa", w.data, w.len), VHKEY_OK);
	vk_writer_clear(&w);
	n[16384 / 4] = '1';
	n[16384 / 4 + 1] = '\0';
	w = rsa_blob("ssh-rsa", "10001", n); /* 16388 bits */
	assert_int_equal(parse_blob("ssh-rsa", w.data, w.len),
	    VHKEY_ERR_TOO_LARGE);
	vk_writer_clear(&w);
}

static void
test_hostile_lines(void **state)
{
	static const struct {
		const char *line;
		int want;
	} cases[] = {
		{ "", VHKEY_ERR_FORMAT },
		{ "\n", VHKEY_ERR_FORMAT },
		{ "ssh-rsa", VHKEY_ERR_FORMAT },
		{ "ssh-rsa ", VHKEY_ERR_FORMAT },
		{ " ssh-rsa AAAA", VHKEY_ERR_FORMAT },
		{ "ssh-rsa AAAAB3NzaC1yc2E", VHKEY_ERR_BASE64 },
		{ "ssh-rsa AAAAB3NzaC1yc2E=", VHKEY_ERR_TRUNCATED },
		{ "ssh-rsa AAAA!!!!", VHKEY_ERR_BASE64 },
		{ "ssh-rsa AAAAB3NzaC1yc2EAA", VHKEY_ERR_BASE64 },
		{ "ssh-rsa AAAAB3Nz\naC1yc2EA", VHKEY_ERR_FORMAT },
		{ "ssh-rsa AAAAB3NzaC1yc2EAAAA= c\n\n", VHKEY_ERR_FORMAT },
		{ "ssh-rsa AAAAB3NzaC1yc2EAAAA= c\r\n", VHKEY_ERR_FORMAT },
		{ "ssh-rsa AAAA", VHKEY_ERR_TRUNCATED },
		{ "ssh-rsa AAAAB3NzaC1yc2EAAAA=", VHKEY_ERR_TRUNCATED },
		{ "ssh-rsa /////w==", VHKEY_ERR_TOO_LARGE },
		{ "ssh-rsa gAAAAA==", VHKEY_ERR_TOO_LARGE },
		{ "SHA256:PS/pee6/IafLo09NCjvaxb6PjLI4bOyfWeVnrDgKH7E",
		    VHKEY_ERR_FORMAT },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse_str(cases[i].line);
		if (rc != cases[i].want)
			fail_msg("case %zu \"%s\": got %s, want %s", i,
			    cases[i].line, vhkey_status_name(rc),
			    vhkey_status_name(cases[i].want));
	}
}

static void
test_embedded_nul_and_size(void **state)
{
	size_t len;
	char *text = tu_read_file(tu_data("rsa2048.pub"), &len), *big;
	vhkey *key = (vhkey *)&key;

	(void)state;
	text[len - 3] = '\0'; /* inside the comment */
	assert_int_equal(vhkey_parse_public(text, len, &key),
	    VHKEY_ERR_FORMAT);
	assert_null(key);
	free(text);
	big = malloc(VHKEY_FILE_MAX + 1);
	memset(big, 'A', VHKEY_FILE_MAX + 1);
	assert_int_equal(vhkey_parse_public(big, VHKEY_FILE_MAX + 1, &key),
	    VHKEY_ERR_TOO_LARGE);
	free(big);
	assert_int_equal(vhkey_parse_public(NULL, 0, &key), VHKEY_ERR_FORMAT);
	assert_int_equal(vhkey_parse_public(NULL, 5, &key),
	    VHKEY_ERR_ARGUMENT);
}

static void
test_comment_too_long(void **state)
{
	vhkey *good = tu_load_private("rsa2048");
	size_t len;
	const uint8_t *blob = vhkey_public_blob(good, &len);
	char *c = malloc(VHKEY_COMMENT_MAX + 2), *line;

	(void)state;
	memset(c, 'x', VHKEY_COMMENT_MAX + 1);
	c[VHKEY_COMMENT_MAX + 1] = '\0';
	line = line_for("ssh-rsa", blob, len, c);
	assert_int_equal(parse_str(line), VHKEY_ERR_FORMAT);
	free(line);
	c[VHKEY_COMMENT_MAX] = '\0';
	line = line_for("ssh-rsa", blob, len, c);
	assert_int_equal(parse_str(line), VHKEY_OK);
	free(line);
	free(c);
	vhkey_free(good);
}

/*
 * One base64 decoder for every path: a byte from 0x80 up, which
 * libsodium's decoder takes for '/', is refused by the public key parser
 * and the file loader as vhkey_check_paste() refuses it.
 */
static void
test_high_byte_is_not_slash(void **state)
{
	char *dir = tu_mkdtemp(), path[4096], *text, *slash;
	vhkey_report *r = NULL;
	vhkey *key = NULL;
	size_t len;

	(void)state;
	text = tu_read_file(tu_data("rsa2048.pub"), &len);
	assert_non_null(text);
	/* the line as it is parses: the byte alone makes the difference */
	assert_int_equal(vhkey_parse_public(text, len, &key), VHKEY_OK);
	vhkey_free(key);
	key = NULL;
	slash = strchr(text, '/');
	assert_non_null(slash);
	*slash = (char)0xaf;
	assert_int_equal(vhkey_parse_public(text, len, &key), VHKEY_ERR_BASE64);
	assert_null(key);
	snprintf(path, sizeof(path), "%s/k.pub", dir);
	assert_int_equal(tu_write_file(path, text, len, 0644), 0);
	assert_int_equal(vhkey_load_public_file(path, &key, NULL),
	    VHKEY_ERR_BASE64);
	assert_null(key);
	assert_int_equal(vhkey_check_paste(text, len, NULL, 0, &r), VHKEY_OK);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_REJECTED);
	vhkey_report_free(r);
	free(text);
	tu_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_round_trip),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_hostile_blobs),
		cmocka_unit_test(test_non_canonical_mpint),
		cmocka_unit_test(test_rsa_too_large),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_embedded_nul_and_size),
		cmocka_unit_test(test_comment_too_long),
		cmocka_unit_test(test_high_byte_is_not_slash),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
