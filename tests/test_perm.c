/* test_perm.c - checking a private key file as ssh will use it (type,
 * owner, mode, pair, age), and the permission fix: lib/privfile.c. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "check.h"
#include "testutil.h"

#define DAY 86400
#define T2026 ((time_t)1767225600) /* 2026-01-01T00:00:00Z */
#define STAMP "vhkey-created=2026-01-01T00:00:00Z"
#define NOBODY 65534

/* Each test's pair: rsa2048, stamped 2026-01-01, written at path. */
static int
setup(void **state)
{
	struct tu_pair_dir *fx = tu_pair_dir_new();

	assert_int_equal(vhkey_set_comment(fx->key, "t@h " STAMP), VHKEY_OK);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	tu_pair_dir_free(*state);
	return 0;
}

static vhkey_report *
check_at(const char *path, time_t now)
{
	vhkey_report *r = (vhkey_report *)0x1;

	assert_int_equal(vhkey_check_private_file(path, NULL, now, &r),
	    VHKEY_OK);
	assert_non_null(r);
	return r;
}

static vhkey_report *
check(const char *path)
{
	return check_at(path, T2026 + 10 * DAY);
}

/* Rejected for exactly this one reason. */
static void
assert_rejected(const vhkey_report *r, int reason)
{
	assert_int_equal(vhkey_report_verdict(r), VHKEY_REJECTED);
	assert_int_equal(vhkey_report_reason(r), reason);
	assert_int_equal(vhkey_report_finding_count(r), 1);
	assert_int_equal(vhkey_report_finding_reason(r, 0), reason);
	assert_string_equal(vhkey_report_finding_message(r, 0),
	    vhkey_report_message(r));
}

static void
assert_accepted(const vhkey_report *r)
{
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_NONE);
	assert_int_equal(vhkey_report_finding_count(r), 0);
}

/* The index of the warning holding text, or -1. */
static int
warning_with(const vhkey_report *r, const char *text)
{
	for (size_t i = 0; i < vhkey_report_warning_count(r); i++)
		if (strstr(vhkey_report_warning(r, i), text) != NULL)
			return (int)i;
	return -1;
}

/* Nothing of the private key file in the report's JSON but what is
 * public anyway (the modulus is in the private section too, and a line of
 * it can line up with the public key's base64). */
static void
assert_no_secret(const vhkey_report *r, const char *keyfile)
{
	char *json, *text = tu_read_file(keyfile, NULL), *line, *save = NULL;
	char *publine = NULL;

	assert_non_null(text);
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_null(strstr(json, "BEGIN OPENSSH"));
	if (vhkey_report_key(r) != NULL)
		assert_int_equal(vhkey_public_to_line(vhkey_report_key(r),
				     &publine),
		    VHKEY_OK);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (line[strspn(line, " \t\r")] != '-' && strlen(line) >= 16 &&
		    strstr(json, line) != NULL &&
		    (publine == NULL || strstr(publine, line) == NULL))
			fail_msg("private key text in the report: %s", line);
	free(publine);
	if (vhkey_report_key(r) != NULL)
		assert_false(vhkey_has_private(vhkey_report_key(r)));
	free(json);
	free(text);
}

/* ----------------------------------------------------------------- modes */

static void
test_good_modes(void **state)
{
	static const mode_t modes[] = { 0600, 0400, 0700 };
	struct tu_pair_dir *fx = *state;
	const vhkey_rotation *rot;
	char want[8192];

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		vhkey_report *r;

		assert_int_equal(chmod(fx->path, modes[i]), 0);
		r = check(fx->path);
		assert_accepted(r);
		/* only the note that this is the half not to paste */
		assert_int_equal(vhkey_report_warning_count(r), 1);
		assert_int_equal(warning_with(r, "is the private half"), 0);
		assert_true(warning_with(r, "paste '") == 0);
		assert_non_null(vhkey_report_key(r));
		assert_true(vhkey_public_equal(vhkey_report_key(r), fx->key));
		assert_string_equal(vhkey_get_comment(vhkey_report_key(r)),
		    "t@h " STAMP);
		assert_non_null(rot = vhkey_report_rotation(r));
		assert_int_equal(rot->state, VHKEY_ROTATION_OK);
		assert_int_equal(rot->age_days, 10);
		assert_int_equal(rot->created, T2026);
		assert_int_equal(vhkey_report_created_estimated(r), 0);
		snprintf(want, sizeof(want),
		    "'%s' is fit for ssh: mode %04o, owner root; its .pub holds "
		    "the same key; 10 days old, rotation due "
		    "2026-04-01T00:00:00Z.",
		    fx->path, (unsigned)modes[i]);
		if (geteuid() == 0)
			assert_string_equal(vhkey_report_message(r), want);
		assert_no_secret(r, fx->path);
		assert_int_equal(tu_mode(fx->path), modes[i]);
		vhkey_report_free(r);
	}
}

static void
test_bad_modes(void **state)
{
	static const mode_t modes[] = { 0640, 0644, 0666, 0604, 0620, 0601,
		0610, 0777 };
	struct tu_pair_dir *fx = *state;
	char want[8192], fix[8192], mode[8];

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		vhkey_report *r;
		char *json;

		assert_int_equal(chmod(fx->path, modes[i]), 0);
		r = check(fx->path);
		assert_rejected(r, VHKEY_REASON_BAD_PERMISSIONS);
		snprintf(mode, sizeof(mode), "%04o", (unsigned)modes[i]);
		snprintf(want, sizeof(want), "Permissions %s for '%s' (owner ",
		    mode, fx->path);
		assert_non_null(strstr(vhkey_report_message(r), want));
		assert_non_null(strstr(vhkey_report_message(r),
		    "UNPROTECTED PRIVATE KEY FILE"));
		snprintf(fix, sizeof(fix), "chmod 600 '%s'", fx->path);
		assert_string_equal(vhkey_report_finding_fix(r, 0), fix);
		/* the rest was still checked */
		assert_non_null(vhkey_report_key(r));
		assert_non_null(vhkey_report_rotation(r));
		assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
		assert_non_null(strstr(json,
		    "\"verdict\":\"rejected\",\"reason\":\"bad_permissions\""));
		assert_non_null(strstr(json, "\"findings\":[{\"reason\":"
					     "\"bad_permissions\""));
		assert_non_null(strstr(json, "\"rotation\":\"ok\""));
		free(json);
		assert_no_secret(r, fx->path);
		/* a check changes nothing */
		assert_int_equal(tu_mode(fx->path), modes[i]);
		vhkey_report_free(r);
	}
}

/* ----------------------------------------------------------------- owner */

static void
test_other_owner(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey_report *r;
	char fix[8192];

	if (geteuid() != 0)
		skip(); /* only root can give a file away */
	assert_int_equal(chown(fx->path, NOBODY, NOBODY), 0);
	r = check(fx->path);
	assert_rejected(r, VHKEY_REASON_BAD_OWNER);
	assert_int_equal(vhkey_report_fixable(r), 0); /* no bits to take */
	assert_non_null(strstr(vhkey_report_message(r), "(uid 65534)"));
	assert_non_null(strstr(vhkey_report_message(r), "not to you (root)"));
	snprintf(fix, sizeof(fix), "sudo chown root '%s'", fx->path);
	assert_string_equal(vhkey_report_finding_fix(r, 0), fix);
	vhkey_report_free(r);

	/* and too open as well: both listed, the owner first */
	assert_int_equal(chmod(fx->path, 0644), 0);
	r = check(fx->path);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_BAD_OWNER);
	assert_int_equal(vhkey_report_finding_count(r), 2);
	assert_int_equal(vhkey_report_finding_reason(r, 1),
	    VHKEY_REASON_BAD_PERMISSIONS);
	/* bad bits, but chmod is for the owner: not for the fix */
	assert_int_equal(vhkey_report_fixable(r), -1);
	vhkey_report_free(r);
}

/* -------------------------------------------------------------- symlinks */

static void
test_symlinks(void **state)
{
	struct tu_pair_dir *fx = *state;
	char link[4096], linkpub[4096], dangling[4096];
	vhkey_report *r;
	int w;

	/* to a good key: followed, as ssh does, and said */
	snprintf(link, sizeof(link), "%s/link", fx->dir);
	snprintf(linkpub, sizeof(linkpub), "%s/link.pub", fx->dir);
	assert_int_equal(symlink(fx->path, link), 0);
	r = check(link);
	assert_accepted(r);
	assert_true((w = warning_with(r, "is a symbolic link to")) >= 0);
	assert_non_null(strstr(vhkey_report_warning(r, (size_t)w), fx->path));
	/* no link.pub: the pair was not there to check */
	assert_non_null(strstr(vhkey_report_message(r), "no .pub"));
	vhkey_report_free(r);

	/* to a key that is too open: the target's mode counts */
	assert_int_equal(chmod(fx->path, 0644), 0);
	r = check(link);
	assert_rejected(r, VHKEY_REASON_BAD_PERMISSIONS);
	assert_true(warning_with(r, "symbolic link") >= 0);
	vhkey_report_free(r);

	/* to nothing */
	snprintf(dangling, sizeof(dangling), "%s/dangling", fx->dir);
	assert_int_equal(symlink("/nonexistent/key", dangling), 0);
	r = check(dangling);
	assert_rejected(r, VHKEY_REASON_IO_ERROR);
	assert_non_null(strstr(vhkey_report_message(r), "points nowhere"));
	vhkey_report_free(r);
}

/* ------------------------------------------------------------- bad input */

static void
test_not_files(void **state)
{
	struct tu_pair_dir *fx = *state;
	char path[4096], want[8192];
	vhkey_report *r;

	/* missing */
	snprintf(path, sizeof(path), "%s/missing", fx->dir);
	r = check(path);
	assert_rejected(r, VHKEY_REASON_IO_ERROR);
	snprintf(want, sizeof(want),
	    "Cannot open '%s': no such file or directory.", path);
	assert_string_equal(vhkey_report_message(r), want);
	assert_null(vhkey_report_key(r));
	assert_null(vhkey_report_rotation(r));
	vhkey_report_free(r);

	/* a directory */
	r = check(fx->dir);
	assert_rejected(r, VHKEY_REASON_IO_ERROR);
	snprintf(want, sizeof(want), "'%s' is a directory, not a private key "
				     "file.",
	    fx->dir);
	assert_string_equal(vhkey_report_message(r), want);
	vhkey_report_free(r);

	/* a FIFO with no writer: must not hang */
	snprintf(path, sizeof(path), "%s/fifo", fx->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(20);
	r = check(path);
	alarm(0);
	assert_rejected(r, VHKEY_REASON_IO_ERROR);
	assert_non_null(strstr(vhkey_report_message(r), "named pipe"));
	vhkey_report_free(r);

	/* a device */
	r = check("/dev/null");
	assert_rejected(r, VHKEY_REASON_IO_ERROR);
	assert_non_null(strstr(vhkey_report_message(r), "a device"));
	vhkey_report_free(r);

	/* unreadable (root reads anything: only as another user) */
	if (geteuid() != 0) {
		assert_int_equal(chmod(fx->path, 0), 0);
		r = check(fx->path);
		assert_rejected(r, VHKEY_REASON_IO_ERROR);
		assert_non_null(strstr(vhkey_report_message(r),
		    "permission denied"));
		vhkey_report_free(r);
	}

	/* not a key at all; a public key; too large */
	snprintf(path, sizeof(path), "%s/junk", fx->dir);
	assert_int_equal(tu_write_file(path, "hello\n", 6, 0600), 0);
	r = check(path);
	assert_rejected(r, VHKEY_REASON_MALFORMED);
	assert_null(vhkey_report_rotation(r));
	vhkey_report_free(r);
	assert_int_equal(chmod(fx->pub, 0600), 0);
	r = check(fx->pub);
	assert_rejected(r, VHKEY_REASON_MALFORMED);
	vhkey_report_free(r);
	{
		char *big = calloc(1, VHKEY_FILE_MAX + 1);
		assert_int_equal(tu_write_file(path, big, VHKEY_FILE_MAX + 1,
				     0600),
		    0);
		free(big);
	}
	r = check(path);
	assert_rejected(r, VHKEY_REASON_TOO_LARGE);
	vhkey_report_free(r);

	/* arguments */
	assert_int_equal(vhkey_check_private_file(NULL, NULL, T2026, &r),
	    VHKEY_ERR_ARGUMENT);
	assert_null(r);
	assert_int_equal(vhkey_check_private_file(fx->path, NULL, T2026, NULL),
	    VHKEY_ERR_ARGUMENT);
}

/* ------------------------------------------------------------------ pair */

static void
test_pair(void **state)
{
	struct tu_pair_dir *fx = *state;
	char *other = tu_read_file(tu_data("rsa3072.pub"), NULL), fix[8300];
	char fp[VHKEY_FINGERPRINT_MAX];
	vhkey_report *r;

	/* a stale .pub, from another key */
	assert_non_null(other);
	assert_int_equal(unlink(fx->pub), 0);
	assert_int_equal(tu_write_file(fx->pub, other, strlen(other), 0644),
	    0);
	r = check(fx->path);
	assert_rejected(r, VHKEY_REASON_PAIR_MISMATCH);
	assert_non_null(strstr(vhkey_report_message(r),
	    "\"Authentication failed\""));
	assert_int_equal(vhkey_fingerprint(fx->key, VHKEY_HASH_SHA256, fp,
			     sizeof(fp)),
	    VHKEY_OK);
	assert_non_null(strstr(vhkey_report_message(r), fp));
	snprintf(fix, sizeof(fix), "ssh-keygen -y -f '%s' > '%s'", fx->path,
	    fx->pub);
	assert_string_equal(vhkey_report_finding_fix(r, 0), fix);
	vhkey_report_free(r);

	/* the fix given is the fix: run it, and the pair matches */
	assert_int_equal(system(fix), 0);
	r = check(fx->path);
	assert_accepted(r);
	vhkey_report_free(r);

	/* a .pub that holds no key */
	assert_int_equal(tu_write_file(fx->pub, "ssh-rsa AAAA\n", 13, 0644),
	    0);
	r = check(fx->path);
	assert_rejected(r, VHKEY_REASON_PAIR_MISMATCH);
	assert_string_equal(vhkey_report_finding_fix(r, 0), fix);
	vhkey_report_free(r);

	/* a directory where the .pub would be: said, not judged */
	assert_int_equal(unlink(fx->pub), 0);
	assert_int_equal(mkdir(fx->pub, 0755), 0);
	r = check(fx->path);
	assert_accepted(r);
	assert_true(warning_with(r, "the pair was not checked") >= 0);
	vhkey_report_free(r);
	assert_int_equal(rmdir(fx->pub), 0);

	/* no .pub at all: fine, and said in the summary */
	r = check(fx->path);
	assert_accepted(r);
	assert_non_null(strstr(vhkey_report_message(r),
	    "there is no .pub beside it"));
	vhkey_report_free(r);
	free(other);
}

/* Everything wrong at once: all listed, the most important first. */
static void
test_many_problems(void **state)
{
	struct tu_pair_dir *fx = *state;
	char *other = tu_read_file(tu_data("rsa3072.pub"), NULL), *json;
	vhkey_report *r;

	assert_int_equal(tu_write_file(fx->pub, other, strlen(other), 0644),
	    0);
	assert_int_equal(chmod(fx->path, 0644), 0);
	r = check_at(fx->path, T2026 + 200 * DAY);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_BAD_PERMISSIONS);
	assert_int_equal(vhkey_report_finding_count(r), 3);
	assert_int_equal(vhkey_report_finding_reason(r, 0),
	    VHKEY_REASON_BAD_PERMISSIONS);
	assert_int_equal(vhkey_report_finding_reason(r, 1),
	    VHKEY_REASON_PAIR_MISMATCH);
	assert_int_equal(vhkey_report_finding_reason(r, 2),
	    VHKEY_REASON_ROTATION_OVERDUE);
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_non_null(strstr(json, "\"rotation\":\"overdue\",\"age_days\":200,"
				     "\"created\":\"2026-01-01T00:00:00Z\","
				     "\"due\":\"2026-04-01T00:00:00Z\","
				     "\"created_estimated\":false,"));
	free(json);
	assert_no_secret(r, fx->path);
	vhkey_report_free(r);
	free(other);
}

/* --------------------------------------------------------------- the age */

static void
set_mtime(const char *path, time_t t)
{
	struct timeval tv[2] = { { t, 0 }, { t, 0 } };

	assert_int_equal(utimes(path, tv), 0);
}

static void
test_age(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey_policy *p = NULL;
	vhkey_report *r;
	char fix[8192];

	/* due soon: accepted, with a warning that gives the command */
	r = check_at(fx->path, T2026 + 80 * DAY);
	assert_accepted(r);
	assert_int_equal(vhkey_report_rotation(r)->state,
	    VHKEY_ROTATION_DUE_SOON);
	assert_true(warning_with(r, "vhkeygen --rotate -f '") >= 0);
	vhkey_report_free(r);

	/* overdue: rejected, with the command as the fix */
	r = check_at(fx->path, T2026 + 90 * DAY);
	assert_rejected(r, VHKEY_REASON_ROTATION_OVERDUE);
	snprintf(fix, sizeof(fix), "vhkeygen --rotate -f '%s'", fx->path);
	assert_string_equal(vhkey_report_finding_fix(r, 0), fix);
	assert_non_null(strstr(vhkey_report_message(r), "is 90 days old"));
	vhkey_report_free(r);

	/* the caller's policy */
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_rotation(p, 365, 30), VHKEY_OK);
	assert_int_equal(vhkey_check_private_file(fx->path, p,
			     T2026 + 200 * DAY, &r),
	    VHKEY_OK);
	assert_accepted(r);
	assert_int_equal(vhkey_report_rotation(r)->due, T2026 + 365 * DAY);
	vhkey_report_free(r);
	vhkey_policy_free(p);
}

/* A key made elsewhere: the age is the file's, and said to be a guess. */
static void
test_age_estimated(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey_report *r;
	vhkey *plain = tu_load_private("rsa2048");
	char path[4096], *json;

	snprintf(path, sizeof(path), "%s/plain", fx->dir);
	assert_int_equal(vhkey_write_pair(plain, path, 0, NULL), VHKEY_OK);
	set_mtime(path, T2026);
	r = check_at(path, T2026 + 100 * DAY);
	assert_rejected(r, VHKEY_REASON_ROTATION_OVERDUE);
	assert_int_equal(vhkey_report_created_estimated(r), 1);
	assert_int_equal(vhkey_report_rotation(r)->created, T2026);
	assert_true(warning_with(r, "carries no creation stamp") >= 0);
	assert_non_null(strstr(vhkey_report_message(r), ", estimated)"));
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_non_null(strstr(json, "\"created_estimated\":true"));
	free(json);
	vhkey_report_free(r);

	/* a malformed stamp is said, and the estimate used */
	assert_int_equal(vhkey_set_comment(plain, "vhkey-created=yesterday"),
	    VHKEY_OK);
	assert_int_equal(vhkey_write_pair(plain, path, VHKEY_WRITE_REPLACE,
			     NULL),
	    VHKEY_OK);
	r = check(path);
	assert_int_equal(vhkey_report_created_estimated(r), 1);
	assert_true(warning_with(r, "malformed creation stamp") >= 0);
	vhkey_report_free(r);
	vhkey_free(plain);
}

/* cp without -p gives a new mtime; the stamp keeps the age. */
static void
test_copied_key_keeps_age(void **state)
{
	struct tu_pair_dir *fx = *state;
	char copy[4096], *text;
	size_t len;
	vhkey_report *r;
	time_t now = time(NULL);

	set_mtime(fx->path, T2026);
	text = tu_read_file(fx->path, &len);
	snprintf(copy, sizeof(copy), "%s/copy", fx->dir);
	assert_int_equal(tu_write_file(copy, text, len, 0600), 0);
	free(text);
	r = check_at(copy, T2026 + 100 * DAY);
	assert_rejected(r, VHKEY_REASON_ROTATION_OVERDUE);
	assert_int_equal(vhkey_report_rotation(r)->created, T2026);
	assert_int_equal(vhkey_report_rotation(r)->age_days, 100);
	assert_int_equal(vhkey_report_created_estimated(r), 0);
	vhkey_report_free(r);

	/* the same copy of an unstamped key looks new */
	{
		vhkey *plain = tu_load_private("rsa2048");
		char *t;

		assert_int_equal(vhkey_private_to_openssh(plain, &t, &len),
		    VHKEY_OK);
		assert_int_equal(unlink(copy), 0);
		assert_int_equal(tu_write_file(copy, t, len, 0600), 0);
		vhkey_secret_free(t);
		vhkey_free(plain);
	}
	r = check_at(copy, now + 60);
	assert_accepted(r);
	assert_int_equal(vhkey_report_created_estimated(r), 1);
	assert_int_equal(vhkey_report_rotation(r)->age_days, 0);
	vhkey_report_free(r);
}

/* ------------------------------------------------- keys read in part only */

static void
copy_fixture(const char *name, const char *to, int mode)
{
	size_t len;
	char *text = tu_read_file(tu_data(name), &len);

	assert_non_null(text);
	(void)unlink(to);
	assert_int_equal(tu_write_file(to, text, len, mode), 0);
	free(text);
}

static void
test_encrypted_key(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *pub = NULL;
	char *line, *stamped;
	vhkey_report *r;

	/* the public part is outside the encryption: the pair is checked */
	copy_fixture("rsa2048-encrypted", fx->path, 0600);
	copy_fixture("rsa2048-encrypted.pub", fx->pub, 0644);
	r = check(fx->path);
	assert_accepted(r);
	assert_non_null(vhkey_report_key(r));
	assert_string_equal(vhkey_get_comment(vhkey_report_key(r)),
	    "encrypted");
	assert_int_equal(vhkey_report_created_estimated(r), 1);
	vhkey_report_free(r);

	/* the stamp comes from the .pub, when it is the same key */
	assert_int_equal(vhkey_load_public_file(fx->pub, &pub, NULL), VHKEY_OK);
	assert_int_equal(vhkey_set_comment(pub, "e@h " STAMP), VHKEY_OK);
	assert_int_equal(vhkey_public_to_line(pub, &line), VHKEY_OK);
	assert_int_equal(asprintf(&stamped, "%s\n", line), (int)strlen(line) + 1);
	assert_int_equal(tu_write_file(fx->pub, stamped, strlen(stamped), 0644),
	    0);
	r = check_at(fx->path, T2026 + 100 * DAY);
	assert_rejected(r, VHKEY_REASON_ROTATION_OVERDUE);
	assert_int_equal(vhkey_report_created_estimated(r), 0);
	assert_int_equal(vhkey_report_rotation(r)->created, T2026);
	vhkey_report_free(r);

	/* and is too open, and mismatched: reported as for any key */
	copy_fixture("rsa3072.pub", fx->pub, 0644);
	assert_int_equal(chmod(fx->path, 0640), 0);
	r = check(fx->path);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_BAD_PERMISSIONS);
	assert_int_equal(vhkey_report_finding_count(r), 2);
	assert_int_equal(vhkey_report_finding_reason(r, 1),
	    VHKEY_REASON_PAIR_MISMATCH);
	vhkey_report_free(r);
	free(stamped);
	free(line);
	vhkey_free(pub);
}

/* With its passphrase an encrypted key is read whole; a wrong one is
 * bad_passphrase (the pair and age still checked), never damage; the
 * report says whether the file is encrypted. */
static void
test_encrypted_with_passphrase(void **state)
{
	static const char pass[] = "fixture passphrase";
	struct tu_pair_dir *fx = *state;
	vhkey_report *r = NULL;

	copy_fixture("rsa2048-pass", fx->path, 0600);
	copy_fixture("rsa2048-pass.pub", fx->pub, 0644);
	r = check(fx->path);
	assert_accepted(r);
	assert_int_equal(vhkey_report_encrypted(r), 1);
	assert_true(warning_with(r, "can only be read with the passphrase") >= 0);
	vhkey_report_free(r);

	assert_int_equal(vhkey_check_private_file_passphrase(fx->path, NULL,
			     time(NULL), pass, strlen(pass), &r),
	    VHKEY_OK);
	assert_accepted(r);
	assert_int_equal(vhkey_report_encrypted(r), 1);
	assert_int_equal(warning_with(r, "can only be read with the passphrase"),
	    -1);
	assert_non_null(strstr(vhkey_report_message(r), "which opened it"));
	vhkey_report_free(r);

	assert_int_equal(vhkey_check_private_file_passphrase(fx->path, NULL,
			     time(NULL), "wrong", 5, &r),
	    VHKEY_OK);
	assert_rejected(r, VHKEY_REASON_BAD_PASSPHRASE);
	assert_int_equal(vhkey_report_encrypted(r), 1);
	assert_non_null(vhkey_report_key(r));
	vhkey_report_free(r);

	/* the wrong passphrase and a wrong .pub: both found */
	copy_fixture("rsa3072.pub", fx->pub, 0644);
	assert_int_equal(vhkey_check_private_file_passphrase(fx->path, NULL,
			     time(NULL), "wrong", 5, &r),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_finding_count(r), 2);
	assert_int_equal(vhkey_report_finding_reason(r, 1),
	    VHKEY_REASON_PAIR_MISMATCH);
	vhkey_report_free(r);

	/* an unencrypted key: 0, whatever passphrase is given */
	copy_fixture("rsa3072", fx->path, 0600);
	assert_int_equal(vhkey_check_private_file_passphrase(fx->path, NULL,
			     time(NULL), "any", 3, &r),
	    VHKEY_OK);
	assert_accepted(r);
	assert_int_equal(vhkey_report_encrypted(r), 0);
	vhkey_report_free(r);
	assert_int_equal(vhkey_check_private_file_passphrase(fx->path, NULL,
			     time(NULL), NULL, 1, &r),
	    VHKEY_ERR_ARGUMENT);
}

/* An Ed25519 key (ssh-keygen's) is read whole: the pair, the policy and
 * the stamp are checked as for RSA. */
static void
test_ed25519_key(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *pub = NULL;
	vhkey_report *r;

	copy_fixture("ed25519", fx->path, 0600);
	copy_fixture("ed25519.pub", fx->pub, 0644);
	r = check(fx->path);
	assert_accepted(r);
	assert_true(warning_with(r, "does not read") < 0);
	assert_int_equal(vhkey_load_public_file(fx->pub, &pub, NULL), VHKEY_OK);
	assert_non_null(vhkey_report_key(r));
	assert_true(vhkey_public_equal(vhkey_report_key(r), pub));
	assert_string_equal(vhkey_get_comment(vhkey_report_key(r)),
	    vhkey_get_comment(pub));
	assert_no_secret(r, fx->path);
	vhkey_report_free(r);
	/* a stale .pub is found */
	copy_fixture("rsa2048.pub", fx->pub, 0644);
	r = check(fx->path);
	assert_rejected(r, VHKEY_REASON_PAIR_MISMATCH);
	vhkey_report_free(r);
	assert_int_equal(chmod(fx->path, 0644), 0);
	copy_fixture("ed25519.pub", fx->pub, 0644);
	r = check(fx->path);
	assert_rejected(r, VHKEY_REASON_BAD_PERMISSIONS);
	vhkey_report_free(r);
	vhkey_free(pub);
}

/* The policy applies to the private key file's key as to a pasted one:
 * a 2048-bit key is not fit under a 4096-bit minimum. */
static void
test_policy(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey_policy *policy = NULL;
	vhkey_report *r = NULL;

	assert_int_equal(vhkey_policy_new(&policy), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_min_rsa_bits(policy, 4096),
	    VHKEY_OK);
	assert_int_equal(vhkey_check_private_file(fx->path, policy,
			     T2026 + 10 * DAY, &r),
	    VHKEY_OK);
	assert_rejected(r, VHKEY_REASON_WEAK_KEY);
	assert_non_null(strstr(vhkey_report_message(r), "2048 bits"));
	assert_non_null(strstr(vhkey_report_finding_fix(r, 0),
	    "vhkeygen --rotate -f '"));
	vhkey_report_free(r);
	/* a type the policy refuses */
	copy_fixture("ed25519", fx->path, 0600);
	copy_fixture("ed25519.pub", fx->pub, 0644);
	assert_int_equal(vhkey_policy_allow_type(policy, VHKEY_TYPE_ED25519,
			     0),
	    VHKEY_OK);
	assert_int_equal(vhkey_check_private_file(fx->path, policy,
			     T2026 + 10 * DAY, &r),
	    VHKEY_OK);
	assert_rejected(r, VHKEY_REASON_UNSUPPORTED_TYPE);
	vhkey_report_free(r);
	vhkey_policy_free(policy);
}

/* Write the fixture name at path with its lines changed: each '\n' as
 * nl, prefix before it all, and without the final newline when cut. */
static void
write_damaged(const char *name, const char *path, const char *prefix,
    const char *nl, int cut)
{
	size_t len, o = 0;
	char *text = tu_read_file(tu_data(name), &len);
	char *out = malloc(2 * len + strlen(prefix) + 16);

	assert_non_null(out);
	o += (size_t)sprintf(out, "%s", prefix);
	for (size_t i = 0; i < len - (cut ? 1 : 0); i++) {
		if (text[i] == '\n') {
			memcpy(out + o, nl, strlen(nl));
			o += strlen(nl);
		} else {
			out[o++] = text[i];
		}
	}
	(void)unlink(path);
	assert_int_equal(tu_write_file(path, out, o, 0600), 0);
	free(out);
	free(text);
}

/*
 * Files ssh 9.2 cannot load ("error in libcrypto") though the key in them
 * is whole: CRLF line ends, no final newline, a BOM, a blank line or
 * indentation before the armor.  Never fit; "damaged", with a repair that
 * works; and the checks go on with the repaired key.
 */
static void
test_damaged_armor(void **state)
{
	static const struct {
		const char *prefix, *nl;
		int cut;
		const char *words;
	} cases[] = {
		{ "", "\r\n", 0, "CR LF" },
		{ "", "\n", 1, "no newline at the end" },
		{ "", "\r\n", 1, "no newline at the end" },
		{ "\xef\xbb\xbf", "\n", 0, "byte order mark" },
		{ "\n", "\n", 0, "blank lines" },
		{ " \n\t\n", "\n", 0, "blank lines" },
		{ "  ", "\n", 0, "white space at the start" },
		{ "", "\n  ", 0, "white space at the start" },
	};
	struct tu_pair_dir *fx = *state;
	char cmd[8192];
	vhkey_report *r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_damaged("rsa2048", fx->path, cases[i].prefix,
		    cases[i].nl, cases[i].cut);
		copy_fixture("rsa2048.pub", fx->pub, 0644);
		r = check(fx->path);
		assert_int_equal(vhkey_report_reason(r),
		    VHKEY_REASON_MALFORMED);
		assert_non_null(strstr(vhkey_report_message(r),
		    "is damaged, so ssh cannot load it"));
		assert_non_null(strstr(vhkey_report_message(r),
		    cases[i].words));
		assert_non_null(vhkey_report_finding_fix(r, 0));
		/* the key was read all the same: the pair was checked */
		assert_non_null(vhkey_report_key(r));
		assert_int_equal(vhkey_report_finding_count(r), 1);
		assert_no_secret(r, fx->path);
		snprintf(cmd, sizeof(cmd), "cd '%s' && %s", fx->dir,
		    vhkey_report_finding_fix(r, 0));
		vhkey_report_free(r);
		assert_int_equal(system(cmd), 0);
		r = check(fx->path);
		assert_accepted(r);
		vhkey_report_free(r);
		assert_int_equal(tu_mode(fx->path), 0600);
	}
	/* damage and a stale .pub: both found */
	write_damaged("rsa2048", fx->path, "", "\r\n", 0);
	copy_fixture("rsa3072.pub", fx->pub, 0644);
	r = check(fx->path);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_MALFORMED);
	assert_int_equal(vhkey_report_finding_count(r), 2);
	assert_int_equal(vhkey_report_finding_reason(r, 1),
	    VHKEY_REASON_PAIR_MISMATCH);
	vhkey_report_free(r);
}

/* A passphrase-protected key whose KDF asks for absurd work: refused
 * before any of it, with the limit said. */
static void
test_kdf_rounds(void **state)
{
	struct tu_pair_dir *fx = *state;
	size_t len, binlen;
	char *text = tu_read_file(tu_data("rsa2048-encrypted"), &len), *bad;
	char *b64 = strchr(text, '\n') + 1, *end = strstr(text, "-----END");
	uint8_t *bin = tu_unb64(b64, (size_t)(end - b64), &binlen);
	/* magic 15, "aes256-ctr" 4+10, "bcrypt" 4+6, options' length 4, salt
	 * 4+16: then rounds */
	const size_t at = 15 + 14 + 10 + 4 + 20;
	vhkey_report *r;

	assert_int_equal(memcmp(bin + at, "\0\0\0\x10", 4), 0); /* 16 */
	memcpy(bin + at, "\x7f\xff\xff\xff", 4);
	bad = tu_armor(bin, binlen, 70);
	assert_int_equal(tu_write_file(fx->path, bad, strlen(bad), 0600), 0);
	r = check(fx->path);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_MALFORMED);
	assert_non_null(strstr(vhkey_report_message(r), "2147483647 rounds"));
	assert_non_null(strstr(vhkey_report_message(r), "2048"));
	vhkey_report_free(r);
	free(bad);
	free(bin);
	free(text);
}

/* PEM, PKCS#8 and PuTTY private keys: mode and owner checked for every
 * format; the ones ssh loads read as ssh reads them; PPK and passphrase-
 * protected PEM never fit, each with its way out. */
static void
test_other_formats(void **state)
{
	static const char *loaded[] = { "paste/priv-pem-rsa",
		"paste/priv-pkcs8", "paste/priv-pem-ec",
		"paste/priv-openssl-ec" };
	static const struct {
		const char *name, *fix;
	} refused[] = {
		{ "paste/priv-ppk3.ppk", "puttygen '" },
		{ "paste/priv-ppk2.ppk", "-O private-openssh -o '" },
		{ "paste/priv-pem-rsa-encrypted", "ssh-keygen -p -f '" },
		{ "paste/priv-pkcs8-encrypted", "ssh-keygen -p -f '" },
	};
	struct tu_pair_dir *fx = *state;
	vhkey_report *r;

	(void)unlink(fx->pub);
	for (size_t i = 0; i < sizeof(loaded) / sizeof(loaded[0]); i++) {
		copy_fixture(loaded[i], fx->path, 0600);
		r = check(fx->path);
		assert_accepted(r);
		assert_non_null(vhkey_report_key(r));
		assert_true(warning_with(r, "ssh-keygen -y -f '") >= 0);
		assert_no_secret(r, fx->path);
		vhkey_report_free(r);
		assert_int_equal(chmod(fx->path, 0640), 0);
		r = check(fx->path);
		assert_rejected(r, VHKEY_REASON_BAD_PERMISSIONS);
		vhkey_report_free(r);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		copy_fixture(refused[i].name, fx->path, 0644);
		r = check(fx->path);
		assert_int_equal(vhkey_report_reason(r),
		    VHKEY_REASON_UNSUPPORTED_TYPE);
		assert_non_null(strstr(vhkey_report_finding_fix(r, 0),
		    refused[i].fix));
		assert_int_equal(vhkey_report_finding_reason(r, 1),
		    VHKEY_REASON_BAD_PERMISSIONS);
		assert_no_secret(r, fx->path);
		vhkey_report_free(r);
	}
}

/* ------------------------------------------------------------------- fix */

static void
test_fix(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey_error err;
	vhkey_report *r;

	assert_int_equal(chmod(fx->path, 0644), 0);
	r = check(fx->path);
	assert_int_equal(vhkey_report_fixable(r), 1);
	vhkey_report_free(r);
	assert_int_equal(vhkey_fix_permissions(fx->path, &err), VHKEY_OK);
	assert_int_equal(err.status, VHKEY_OK);
	assert_int_equal(tu_mode(fx->path), 0600);
	r = check(fx->path);
	assert_accepted(r);
	assert_int_equal(vhkey_report_fixable(r), 0);
	vhkey_report_free(r);
	/* fine already: left as it is */
	assert_int_equal(chmod(fx->path, 0400), 0);
	assert_int_equal(vhkey_fix_permissions(fx->path, NULL), VHKEY_OK);
	assert_int_equal(tu_mode(fx->path), 0400);
	/* every bad mode ends at 0600 */
	assert_int_equal(chmod(fx->path, 0777), 0);
	assert_int_equal(vhkey_fix_permissions(fx->path, NULL), VHKEY_OK);
	assert_int_equal(tu_mode(fx->path), 0600);
	/* a passphrase-protected key is a key too */
	copy_fixture("rsa2048-encrypted", fx->path, 0644);
	assert_int_equal(vhkey_fix_permissions(fx->path, NULL), VHKEY_OK);
	assert_int_equal(tu_mode(fx->path), 0600);
}

static void
test_fix_refusals(void **state)
{
	struct tu_pair_dir *fx = *state;
	char path[4096], victim[4096];
	vhkey_error err;

	/* a directory, a missing file, a FIFO */
	assert_int_equal(vhkey_fix_permissions(fx->dir, &err),
	    VHKEY_ERR_NOT_REGULAR);
	assert_string_equal(err.path, fx->dir);
	snprintf(path, sizeof(path), "%s/missing", fx->dir);
	assert_int_equal(vhkey_fix_permissions(path, &err), VHKEY_ERR_NOENT);
	assert_int_equal(err.sys_errno, ENOENT);
	snprintf(path, sizeof(path), "%s/fifo", fx->dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	alarm(20);
	assert_int_equal(vhkey_fix_permissions(path, &err),
	    VHKEY_ERR_NOT_REGULAR);
	alarm(0);
	assert_int_equal(tu_mode(path), 0644);
	assert_int_equal(vhkey_fix_permissions(NULL, &err), VHKEY_ERR_ARGUMENT);

	/*
	 * The key's name swapped for a link to some other file of the
	 * caller's after the check: the fix follows the link (as ssh and the
	 * check do) but changes nothing that is not a private key.
	 */
	snprintf(victim, sizeof(victim), "%s/victim", fx->dir);
	assert_int_equal(tu_write_file(victim, "#!/bin/sh\n", 10, 0755), 0);
	assert_int_equal(chmod(fx->path, 0644), 0);
	assert_int_equal(unlink(fx->path), 0);
	assert_int_equal(symlink(victim, fx->path), 0);
	assert_int_equal(vhkey_fix_permissions(fx->path, &err),
	    VHKEY_ERR_NOT_PRIVATE);
	assert_int_equal(tu_mode(victim), 0755);
	/* the same for a public key */
	assert_int_equal(chmod(fx->pub, 0644), 0);
	assert_int_equal(vhkey_fix_permissions(fx->pub, &err),
	    VHKEY_ERR_NOT_PRIVATE);
	assert_int_equal(tu_mode(fx->pub), 0644);

	/* a link to a key: the key is fixed, as "chmod 600 link" would */
	snprintf(path, sizeof(path), "%s/real", fx->dir);
	copy_fixture("rsa2048", path, 0640);
	assert_int_equal(unlink(fx->path), 0);
	assert_int_equal(symlink(path, fx->path), 0);
	assert_int_equal(vhkey_fix_permissions(fx->path, &err), VHKEY_OK);
	assert_int_equal(tu_mode(path), 0600);

	/* another user's key: not ours to change, even for root */
	if (geteuid() == 0) {
		assert_int_equal(chmod(path, 0644), 0);
		assert_int_equal(chown(path, NOBODY, NOBODY), 0);
		assert_int_equal(vhkey_fix_permissions(fx->path, &err),
		    VHKEY_ERR_OWNER);
		assert_int_equal(tu_mode(path), 0644);
	}
}

/* The fix printed for an awkward name is a command that works. */
static void
test_fix_command_quoting(void **state)
{
	struct tu_pair_dir *fx = *state;
	char path[4096], cmd[8192];
	vhkey_report *r;

	snprintf(path, sizeof(path), "%s/it's a $(key)", fx->dir);
	copy_fixture("rsa2048", path, 0644);
	r = check(path);
	assert_rejected(r, VHKEY_REASON_BAD_PERMISSIONS);
	snprintf(cmd, sizeof(cmd), "%s", vhkey_report_finding_fix(r, 0));
	vhkey_report_free(r);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(tu_mode(path), 0600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_modes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_modes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_other_owner, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_files, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_problems, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_age, setup, teardown),
		cmocka_unit_test_setup_teardown(test_age_estimated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_copied_key_keeps_age,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_encrypted_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_encrypted_with_passphrase,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ed25519_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_armor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kdf_rounds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_other_formats, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fix_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fix_command_quoting, setup,
		    teardown),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
