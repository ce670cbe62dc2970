/*
 * test_init.c - every entry point initialises the libraries itself.
 *
 * Each call below is made first thing in a fresh process (a child forked
 * before the library was touched): without vhkey_init() in it, libsodium
 * aborts (sodium_malloc() before sodium_init()) or OpenSSL is used
 * unprepared.  The calls are those that can reach libsodium or OpenSSL
 * from arguments of the caller's own; the others take a key, a policy or
 * a report, which only these calls make.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vhkey.h"
#include "testutil.h"

/* What a child may use: read before any fork, by plain libc. */
static char *pub_text, *priv_text, *dir;
static size_t pub_len, priv_len;
static char pub_path[4096], priv_path[4096], new_path[4096];

static int
check_rc(int rc)
{
	return rc == VHKEY_OK ? 0 : 10 + rc;
}

static int
ignore_report(void *arg, unsigned long line, const vhkey_report *r)
{
	(void)arg;
	(void)line;
	(void)r;
	return 0;
}

/* The calls, each of which must not need vhkey_init() before it. */
static int
call_parse_public(void)
{
	vhkey *k = NULL;

	return check_rc(vhkey_parse_public(pub_text, pub_len, &k));
}

static int
call_parse_private(void)
{
	vhkey *k = NULL;

	return check_rc(vhkey_parse_private(priv_text, priv_len, &k));
}

static int
call_load_public_file(void)
{
	vhkey *k = NULL;

	return check_rc(vhkey_load_public_file(pub_path, &k, NULL));
}

static int
call_load_private_file(void)
{
	vhkey *k = NULL;

	return check_rc(vhkey_load_private_file(priv_path, &k, NULL));
}

static int
call_policy_new(void)
{
	vhkey_policy *p = NULL;

	return check_rc(vhkey_policy_new(&p));
}

static int
call_check_paste(void)
{
	vhkey_report *r = NULL;

	return check_rc(vhkey_check_paste(pub_text, pub_len, NULL, 0, &r));
}

static int
call_check_paste_fd(void)
{
	vhkey_report *r = NULL;
	int fd = open(pub_path, O_RDONLY);

	return check_rc(vhkey_check_paste_fd(fd, NULL, 0, &r, NULL));
}

static int
call_check_keys_file(void)
{
	return check_rc(vhkey_check_keys_file(pub_path, NULL, 0, ignore_report,
	    NULL, NULL));
}

static int
call_check_file(void)
{
	return check_rc(vhkey_check_file(priv_path, NULL, 0, ignore_report,
	    NULL, NULL));
}

/* a file of keys: its first look (is it private key material as a
 * whole?) reads it into guarded memory */
static int
call_check_file_keys(void)
{
	return check_rc(vhkey_check_file(pub_path, NULL, 0, ignore_report,
	    NULL, NULL));
}

static int
call_check_private_file(void)
{
	vhkey_report *r = NULL;

	return check_rc(vhkey_check_private_file(priv_path, NULL, 0, &r));
}

static int
call_fix_permissions(void)
{
	return check_rc(vhkey_fix_permissions(priv_path, NULL));
}

static int
call_rotate_pair_check(void)
{
	vhkey *old = NULL;

	return check_rc(vhkey_rotate_pair_check(priv_path, &old, NULL));
}

static int
call_write_pair_check(void)
{
	return check_rc(vhkey_write_pair_check(new_path, 0, NULL));
}

static int
call_generate(void)
{
	vhkey *k = NULL;

	return check_rc(vhkey_generate(VHKEY_TYPE_RSA, 2048, NULL, &k));
}

static int
call_gen_options_new(void)
{
	vhkey_gen_options *o = NULL;
	int rc = vhkey_gen_options_new(&o);

	vhkey_gen_options_free(o);
	return check_rc(rc);
}

static int
call_generate_with(void)
{
	vhkey *k = NULL;

	return check_rc(vhkey_generate_with(NULL, &k));
}

static const struct {
	const char *name;
	int (*call)(void);
} calls[] = {
	{ "vhkey_parse_public", call_parse_public },
	{ "vhkey_parse_private", call_parse_private },
	{ "vhkey_load_public_file", call_load_public_file },
	{ "vhkey_load_private_file", call_load_private_file },
	{ "vhkey_policy_new", call_policy_new },
	{ "vhkey_check_paste", call_check_paste },
	{ "vhkey_check_paste_fd", call_check_paste_fd },
	{ "vhkey_check_keys_file", call_check_keys_file },
	{ "vhkey_check_file", call_check_file },
	{ "vhkey_check_file (keys)", call_check_file_keys },
	{ "vhkey_check_private_file", call_check_private_file },
	{ "vhkey_fix_permissions", call_fix_permissions },
	{ "vhkey_rotate_pair_check", call_rotate_pair_check },
	{ "vhkey_write_pair_check", call_write_pair_check },
	{ "vhkey_generate", call_generate },
	{ "vhkey_gen_options_new", call_gen_options_new },
	{ "vhkey_generate_with", call_generate_with },
};

static int
setup(void **state)
{
	(void)state;
	pub_text = tu_read_file(tu_data("rsa2048.pub"), &pub_len);
	priv_text = tu_read_file(tu_data("rsa2048"), &priv_len);
	if (pub_text == NULL || priv_text == NULL || (dir = tu_mkdtemp()) == NULL)
		return -1;
	snprintf(pub_path, sizeof(pub_path), "%s/k.pub", dir);
	snprintf(priv_path, sizeof(priv_path), "%s/k", dir);
	snprintf(new_path, sizeof(new_path), "%s/new", dir);
	if (tu_write_file(pub_path, pub_text, pub_len, 0644) != 0 ||
	    tu_write_file(priv_path, priv_text, priv_len, 0600) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(pub_text);
	free(priv_text);
	tu_rmtree(dir);
	return 0;
}

static void
test_each_call_first(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		int status;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0)
			_exit(calls[i].call());
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status))
			fail_msg("%s, called first, died of signal %d",
			    calls[i].name, WTERMSIG(status));
		if (WEXITSTATUS(status) != 0)
			fail_msg("%s, called first, failed: status %d",
			    calls[i].name, WEXITSTATUS(status) - 10);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_call_first),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
