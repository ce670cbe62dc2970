/* test_fingerprint.c - fingerprints against what ssh-keygen -l printed. */
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

/* The second field of a line "bits fingerprint comment (RSA)". */
static void
expected_fingerprint(const char *file, char *out, size_t len)
{
	char *text = tu_read_file(tu_data(file), NULL);
	char *sp1, *sp2;

	assert_non_null(text);
	sp1 = strchr(text, ' ');
	assert_non_null(sp1);
	sp2 = strchr(sp1 + 1, ' ');
	assert_non_null(sp2);
	*sp2 = '\0';
	snprintf(out, len, "%s", sp1 + 1);
	free(text);
}

static void
check_key(const char *name)
{
	char pubname[256], want[128], got[VHKEY_FINGERPRINT_MAX], fpfile[256];
	static const struct {
		vhkey_hash hash;
		const char *suffix;
	} hashes[] = { { VHKEY_HASH_SHA256, "sha256" },
		{ VHKEY_HASH_MD5, "md5" } };
	vhkey *pub = NULL, *priv = tu_load_private(name);

	snprintf(pubname, sizeof(pubname), "%s.pub", name);
	assert_int_equal(vhkey_load_public_file(tu_data(pubname), &pub, NULL),
	    VHKEY_OK);
	for (size_t i = 0; i < 2; i++) {
		snprintf(fpfile, sizeof(fpfile), "%s.%s", name,
		    hashes[i].suffix);
		expected_fingerprint(fpfile, want, sizeof(want));
		assert_int_equal(vhkey_fingerprint(pub, hashes[i].hash, got,
				     sizeof(got)),
		    VHKEY_OK);
		assert_string_equal(got, want);
		assert_int_equal(vhkey_fingerprint(priv, hashes[i].hash, got,
				     sizeof(got)),
		    VHKEY_OK);
		assert_string_equal(got, want);
	}
	vhkey_free(pub);
	vhkey_free(priv);
}

static void
test_matches_ssh_keygen(void **state)
{
	(void)state;
	check_key("rsa2048");
	check_key("rsa3072");
	check_key("rsa4096-nocomment");
}

/* ssh-keygen -l's line: as it prints it (the .sha256/.md5 files are its
 * output), the comment escaped, and never past the buffer. */
static void
test_line(void **state)
{
	vhkey *key = tu_load_public("rsa2048.pub");
	static const char want[] =
	    "2048 SHA256:PS/pee6/IafLo09NCjvaxb6PjLI4bOyfWeVnrDgKH7E "
	    "fixture rsa2048 (RSA)";
	char line[VHKEY_FINGERPRINT_LINE_MAX], big[VHKEY_COMMENT_MAX + 1];

	(void)state;
	tu_assert_keygen_l(key, "rsa2048");
	tu_assert_keygen_l(key, "rsa2048"); /* the kept fingerprint too */
	/* every buffer shorter than the line and its NUL is refused */
	for (size_t n = 0; n <= strlen(want); n++) {
		memset(line, 'x', sizeof(line));
		assert_int_equal(vhkey_fingerprint_line(key, VHKEY_HASH_SHA256,
				     0, line, n),
		    VHKEY_ERR_BUFFER);
		if (n > 0)
			assert_int_equal(line[0], '\0');
		assert_int_equal(line[n], 'x');
	}
	assert_int_equal(vhkey_fingerprint_line(key, VHKEY_HASH_SHA256, 0,
			     line, strlen(want) + 1),
	    VHKEY_OK);
	assert_string_equal(line, want);
	assert_int_equal(vhkey_fingerprint_line(key, VHKEY_HASH_SHA256, 0x2,
			     line, sizeof(line)),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_fingerprint_line(key, (vhkey_hash)7, 0, line,
			     sizeof(line)),
	    VHKEY_ERR_ARGUMENT);

	/* a comment a terminal acts on is escaped; é kept or, for a terminal
	 * not in UTF-8, escaped too */
	assert_int_equal(vhkey_set_comment(key, "a\033[2Jb \303\251"),
	    VHKEY_OK);
	assert_int_equal(vhkey_fingerprint_line(key, VHKEY_HASH_SHA256, 0,
			     line, sizeof(line)),
	    VHKEY_OK);
	assert_non_null(strstr(line, " a\\033[2Jb \303\251 (RSA)"));
	assert_int_equal(vhkey_fingerprint_line(key, VHKEY_HASH_SHA256,
			     VHKEY_ESCAPE_ASCII, line, sizeof(line)),
	    VHKEY_OK);
	assert_non_null(strstr(line, " a\\033[2Jb \\303\\251 (RSA)"));
	/* the longest comment, all of it escaped, fits the constant */
	memset(big, 0x01, VHKEY_COMMENT_MAX);
	big[VHKEY_COMMENT_MAX] = '\0';
	assert_int_equal(vhkey_set_comment(key, big), VHKEY_OK);
	assert_int_equal(vhkey_fingerprint_line(key, VHKEY_HASH_MD5, 0, line,
			     sizeof(line)),
	    VHKEY_OK);
	assert_int_equal(strlen(line), 4 + 1 + 51 + 1 + 4 * VHKEY_COMMENT_MAX +
		6);
	vhkey_free(key);
}

static void
test_forms(void **state)
{
	char buf[VHKEY_FINGERPRINT_MAX];
	vhkey *key = tu_load_private("rsa2048");

	(void)state;
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, buf,
			     sizeof(buf)),
	    VHKEY_OK);
	assert_int_equal(strlen(buf), 7 + 43); /* "SHA256:" + no padding */
	assert_null(strchr(buf, '='));
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_MD5, buf,
			     sizeof(buf)),
	    VHKEY_OK);
	assert_int_equal(strlen(buf), 4 + 16 * 3 - 1);
	for (size_t i = 4; buf[i] != '\0'; i++)
		assert_true((i - 4) % 3 == 2 ? buf[i] == ':' :
					       strchr("0123456789abcdef",
						   buf[i]) != NULL);
	vhkey_free(key);
}

static void
test_buffer_and_hash_errors(void **state)
{
	char buf[VHKEY_FINGERPRINT_MAX];
	vhkey *key = tu_load_private("rsa2048");

	(void)state;
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, buf, 50),
	    VHKEY_ERR_BUFFER);
	assert_string_equal(buf, "");
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, buf, 51),
	    VHKEY_OK);
	/* "MD5:" and 16 hex pairs with 15 colons, and the NUL */
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_MD5, buf, 52),
	    VHKEY_OK);
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_MD5, buf, 51),
	    VHKEY_ERR_BUFFER);
	assert_int_equal(vhkey_fingerprint(key, (vhkey_hash)7, buf,
			     sizeof(buf)),
	    VHKEY_ERR_ARGUMENT);
	vhkey_free(key);
}

/* The fingerprint a key keeps is the one it would get, a buffer too small
 * for it is still refused, and a new blob drops it. */
static void
test_kept(void **state)
{
	char want[VHKEY_FINGERPRINT_MAX], got[VHKEY_FINGERPRINT_MAX];
	vhkey *key = tu_load_private("rsa2048");

	(void)state;
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, want,
			     sizeof(want)),
	    VHKEY_OK);
	assert_string_equal(key->fp_sha256, "");
	assert_int_equal(vk_key_keep_fingerprint(key, NULL), VHKEY_OK);
	assert_string_equal(key->fp_sha256, want);
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, got,
			     sizeof(got)),
	    VHKEY_OK);
	assert_string_equal(got, want);
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, got, 50),
	    VHKEY_ERR_BUFFER);
	assert_string_equal(got, "");
	/* one that is kept is not worked out again... */
	memcpy(key->fp_sha256, "SHA256:stale", 13);
	assert_int_equal(vk_key_keep_fingerprint(key, NULL), VHKEY_OK);
	assert_string_equal(key->fp_sha256, "SHA256:stale");
	/* ...until the blob is made again */
	assert_int_equal(vk_key_set_blob(key), VHKEY_OK);
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, got,
			     sizeof(got)),
	    VHKEY_OK);
	assert_string_equal(got, want);
	vhkey_free(key);
}

/* With a policy's SHA-256, fetched once, the same fingerprint. */
static void
test_kept_with_policy(void **state)
{
	char want[VHKEY_FINGERPRINT_MAX];
	vhkey *key = tu_load_public("rsa3072.pub");
	vhkey_policy *policy = NULL;

	(void)state;
	assert_int_equal(vhkey_policy_new(&policy), VHKEY_OK);
	assert_non_null(policy->sha256);
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, want,
			     sizeof(want)),
	    VHKEY_OK);
	assert_int_equal(vk_key_keep_fingerprint(key, policy), VHKEY_OK);
	assert_string_equal(key->fp_sha256, want);
	vhkey_policy_free(policy);
	vhkey_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_ssh_keygen),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_buffer_and_hash_errors),
		cmocka_unit_test(test_kept),
		cmocka_unit_test(test_kept_with_policy),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
