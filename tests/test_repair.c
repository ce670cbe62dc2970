/* test_repair.c - one file replaced atomically (keywrite.c's
 * vk_replace_file) and the repaired copy of a keys file (repair.c). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "vhkey_internal.h"
#include "keyfile.h"
#include "testutil.h"

struct fx {
	char *dir;
	char in[4200], out[4200];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->dir = tu_mkdtemp();
	snprintf(fx->in, sizeof(fx->in), "%s/keys", fx->dir);
	snprintf(fx->out, sizeof(fx->out), "%s/out", fx->dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	tu_rmtree(fx->dir);
	free(fx);
	return 0;
}

static void
assert_content(const char *path, const char *want)
{
	size_t len;
	char *text = tu_read_file(path, &len);

	assert_non_null(text);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(text, want, len);
	free(text);
}

/* Created, then replaced: the mode asked for, whatever was there; a link
 * at the name replaced, never written through; nothing else left. */
static void
test_replace_file(void **state)
{
	struct fx *fx = *state;
	char target[4200];
	vhkey_error err;

	assert_int_equal(vk_replace_file(fx->out, "one\n", 4, 0600, 0, &err),
	    VHKEY_OK);
	assert_content(fx->out, "one\n");
	assert_int_equal(tu_mode(fx->out), 0600);
	assert_int_equal(chmod(fx->out, 0666), 0);
	assert_int_equal(vk_replace_file(fx->out, "two\n", 4, 0640, 0, &err),
	    VHKEY_OK);
	assert_content(fx->out, "two\n");
	assert_int_equal(tu_mode(fx->out), 0640);
	assert_int_equal(tu_count_entries(fx->dir), 1);

	snprintf(target, sizeof(target), "%s/target", fx->dir);
	assert_int_equal(tu_write_file(target, "keep\n", 5, 0644), 0);
	assert_int_equal(unlink(fx->out), 0);
	assert_int_equal(symlink("target", fx->out), 0);
	assert_int_equal(vk_replace_file(fx->out, "three\n", 6, 0600, 0,
			     &err),
	    VHKEY_OK);
	assert_content(target, "keep\n");
	assert_content(fx->out, "three\n");
	assert_int_equal(tu_count_entries(fx->dir), 2);
}

/* A failure leaves the name as it was, and no temporary file. */
static void
test_replace_file_fails(void **state)
{
	struct fx *fx = *state;
	char sub[4200];
	vhkey_error err;

	assert_int_equal(mkdir(fx->out, 0700), 0);
	assert_int_equal(vk_replace_file(fx->out, "x\n", 2, 0600, 0, &err),
	    VHKEY_ERR_NOT_REGULAR);
	assert_int_equal(err.sys_errno, EISDIR);
	assert_string_equal(err.path, fx->out);
	assert_int_equal(tu_count_entries(fx->dir), 1);
	assert_int_equal(rmdir(fx->out), 0);

	snprintf(sub, sizeof(sub), "%s/none/out", fx->dir);
	assert_int_equal(vk_replace_file(sub, "x\n", 2, 0600, 0, &err),
	    VHKEY_ERR_NOENT);
	assert_int_equal(vk_replace_file("", "x\n", 2, 0600, 0, &err),
	    VHKEY_ERR_ARGUMENT);

	/* a secret's directory must be ours alone, as a key pair's */
	assert_int_equal(chmod(fx->dir, 0777), 0);
	assert_int_equal(vk_replace_file(fx->out, "x\n", 2, 0600,
			     VK_REPLACE_SAFE_DIR, &err),
	    VHKEY_ERR_UNSAFE_DIR);
	assert_int_equal(vk_replace_file(fx->out, "x\n", 2, 0600, 0, &err),
	    VHKEY_OK);
	assert_int_equal(chmod(fx->dir, 0700), 0);
}

static int
add_report(void *arg, unsigned long line, const vhkey_report *r)
{
	return vhkey_repair_add(arg, line, r) != VHKEY_OK;
}

/* The keys file with line 2 damaged (a non-breaking space), and how it
 * reads repaired. */
static void
write_damaged(const char *path, char **want, int mode)
{
	size_t len;
	char *pub = tu_read_file(tu_data("ed25519.pub"), &len), *sp, *text;

	assert_non_null(pub);
	assert_non_null(sp = strchr(pub, ' '));
	*sp = '\0';
	assert_true(asprintf(&text, "# keys\n%s\302\240%s", pub, sp + 1) > 0);
	assert_int_equal(tu_write_file(path, text, strlen(text), mode), 0);
	free(text);
	*sp = ' ';
	assert_true(asprintf(want, "# keys\n%s", pub) > 0);
	free(pub);
}

static int
check_into(vhkey_repair *rep, const char *in)
{
	vhkey_error err;

	return vhkey_check_file(in, NULL, time(NULL), add_report, rep, &err);
}

static void
test_repair(void **state)
{
	struct fx *fx = *state;
	vhkey_repair *rep = NULL;
	vhkey_error err;
	size_t n = 99;
	char *want;

	write_damaged(fx->in, &want, 0755);
	assert_int_equal(vhkey_repair_new(fx->in, fx->out, &rep, &err),
	    VHKEY_OK);
	assert_int_equal(check_into(rep, fx->in), VHKEY_OK);
	assert_int_equal(vhkey_repair_write(rep, &n, &err), VHKEY_OK);
	assert_int_equal(n, 1);
	assert_content(fx->out, want);
	/* the input's permissions, never an execute bit */
	assert_int_equal(tu_mode(fx->out), 0644);
	assert_int_equal(tu_count_entries(fx->dir), 2);

	/* the input changed after the check: not copied */
	assert_int_equal(unlink(fx->out), 0);
	assert_int_equal(tu_write_file(fx->in, "# other\n", 8, 0644), 0);
	assert_int_equal(vhkey_repair_write(rep, &n, &err), VHKEY_ERR_IO);
	assert_int_equal(n, 0);
	assert_int_equal(err.sys_errno, 0);
	assert_string_equal(err.path, fx->in);
	assert_int_equal(access(fx->out, F_OK), -1);
	vhkey_repair_free(rep);
	free(want);
}

static void
test_repair_refusals(void **state)
{
	struct fx *fx = *state;
	vhkey_repair *rep = (vhkey_repair *)0x1;
	vhkey_error err;
	char link[4200], *want;
	size_t len;
	char *priv;

	/* never over the input, by any name */
	write_damaged(fx->in, &want, 0644);
	free(want);
	assert_int_equal(vhkey_repair_new(fx->in, fx->in, &rep, &err),
	    VHKEY_ERR_EXISTS);
	assert_null(rep);
	assert_string_equal(err.path, fx->in);
	snprintf(link, sizeof(link), "%s/link", fx->dir);
	assert_int_equal(symlink("keys", link), 0);
	assert_int_equal(vhkey_repair_new(fx->in, link, &rep, &err),
	    VHKEY_ERR_EXISTS);
	assert_string_equal(err.path, link);

	/* no input */
	assert_int_equal(vhkey_repair_new(fx->out, link, &rep, &err),
	    VHKEY_ERR_NOENT);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_string_equal(err.path, fx->out);

	/* a private key file is no file of key lines */
	priv = tu_read_file(tu_data("ed25519"), &len);
	assert_int_equal(tu_write_file(fx->in, priv, len, 0600), 0);
	free(priv);
	assert_int_equal(vhkey_repair_new(fx->in, fx->out, &rep, &err),
	    VHKEY_OK);
	assert_int_equal(check_into(rep, fx->in), VHKEY_OK);
	assert_int_equal(vhkey_repair_write(rep, NULL, &err),
	    VHKEY_ERR_FORMAT);
	assert_int_equal(access(fx->out, F_OK), -1);
	vhkey_repair_free(rep);
	vhkey_repair_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_replace_file_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_repair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repair_refusals, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
