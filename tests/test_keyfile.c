/* test_keyfile.c - reading key files and writing pairs atomically, with
 * faults injected into write(), fsync() and the final renames. */
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
#include <unistd.h>
#include <cmocka.h>

#include "check.h"
#include "testutil.h"

/* ------------------------------------------------------ fault injection */

/* Fail the Nth call (1-based) of a wrapped function with an errno;
 * 0 disables.  EINTR faults fail that call only once. */
struct fault {
	int nth;
	int err;
	int calls;
};
static struct fault write_fault, fsync_fault, rename_fault;

/* Values randombytes_random() returns before the real ones: temporary
 * names become predictable, so that a test can plant links there. */
static uint32_t scripted_random[8];
static size_t scripted_count, scripted_next;

static int
trip(struct fault *f)
{
	f->calls++;
	if (f->nth != 0 && f->calls == f->nth) {
		errno = f->err;
		return 1;
	}
	return 0;
}

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
uint32_t __real_randombytes_random(void);
uint32_t __wrap_randombytes_random(void);
int __real_fsync(int fd);
int __wrap_fsync(int fd);
int __real_renameat(int, const char *, int, const char *);
int __wrap_renameat(int, const char *, int, const char *);
#ifdef HAVE_RENAMEAT2
int __real_renameat2(int, const char *, int, const char *, unsigned);
int __wrap_renameat2(int, const char *, int, const char *, unsigned);
#endif

ssize_t
__wrap_write(int fd, const void *buf, size_t n)
{
	if (trip(&write_fault))
		return -1;
	/* short writes too: the writer must loop */
	return __real_write(fd, buf, n > 100 ? n / 2 : n);
}

uint32_t
__wrap_randombytes_random(void)
{
	if (scripted_next < scripted_count)
		return scripted_random[scripted_next++];
	return __real_randombytes_random();
}

int
__wrap_fsync(int fd)
{
	return trip(&fsync_fault) ? -1 : __real_fsync(fd);
}

int
__wrap_renameat(int a, const char *b, int c, const char *d)
{
	return trip(&rename_fault) ? -1 : __real_renameat(a, b, c, d);
}

#ifdef HAVE_RENAMEAT2
int
__wrap_renameat2(int a, const char *b, int c, const char *d, unsigned f)
{
	return trip(&rename_fault) ? -1 : __real_renameat2(a, b, c, d, f);
}
#endif

static void
no_faults(void)
{
	memset(&write_fault, 0, sizeof(write_fault));
	memset(&fsync_fault, 0, sizeof(fsync_fault));
	memset(&rename_fault, 0, sizeof(rename_fault));
	scripted_count = scripted_next = 0;
}

/* -------------------------------------------------------------- fixture */


static int
setup(void **state)
{
	struct tu_pair_dir *fx = tu_pair_dir_new();

	no_faults();
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	no_faults();
	tu_pair_dir_free(*state);
	return 0;
}

/* The pair at path is complete, matches key, and has the right modes. */
static void
assert_pair(struct tu_pair_dir *fx, const vhkey *key)
{
	vhkey *priv = NULL, *pub = NULL;
	char *line, *text;
	size_t len;

	assert_int_equal(vhkey_load_private_file(fx->path, &priv, NULL),
	    VHKEY_OK);
	assert_int_equal(vhkey_load_public_file(fx->pub, &pub, NULL), VHKEY_OK);
	assert_true(vhkey_public_equal(priv, key));
	assert_true(vhkey_public_equal(pub, key));
	assert_int_equal(tu_mode(fx->path), 0600);
	assert_int_equal(tu_mode(fx->pub), 0644);
	assert_int_equal(vhkey_public_to_line(key, &line), VHKEY_OK);
	text = tu_read_file(fx->pub, &len);
	assert_int_equal(len, strlen(line) + 1);
	assert_memory_equal(text, line, len - 1);
	assert_int_equal(text[len - 1], '\n');
	free(text);
	free(line);
	vhkey_free(priv);
	vhkey_free(pub);
}

static void
test_write_modes_whatever_umask(void **state)
{
	static const mode_t umasks[] = { 0, 022, 077, 0277, 0777 };
	struct tu_pair_dir *fx = *state;

	for (size_t i = 0; i < sizeof(umasks) / sizeof(umasks[0]); i++) {
		mode_t old = umask(umasks[i]);
		vhkey_error err;
		int rc = vhkey_write_pair(fx->key, fx->path, 0, &err);
		umask(old);
		assert_int_equal(rc, VHKEY_OK);
		assert_int_equal(err.status, VHKEY_OK);
		assert_pair(fx, fx->key);
		assert_int_equal(tu_count_entries(fx->dir), 2);
		unlink(fx->path);
		unlink(fx->pub);
	}
}

static void
test_existing_files_refused(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *other = tu_load_private("rsa3072");
	vhkey_error err;
	char *before;
	size_t len;

	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	before = tu_read_file(fx->path, &len);
	assert_int_equal(vhkey_write_pair(other, fx->path, 0, &err),
	    VHKEY_ERR_EXISTS);
	assert_int_equal(err.status, VHKEY_ERR_EXISTS);
	assert_string_equal(err.path, fx->path);
	assert_pair(fx, fx->key); /* unchanged */
	free(before);

	/* only the .pub there: refused, naming the .pub, nothing created */
	unlink(fx->path);
	assert_int_equal(vhkey_write_pair(other, fx->path, 0, &err),
	    VHKEY_ERR_EXISTS);
	assert_string_equal(err.path, fx->pub);
	assert_int_equal(access(fx->path, F_OK), -1);
	assert_int_equal(tu_count_entries(fx->dir), 1);

	/* replacing is asked for: the new pair */
	assert_int_equal(vhkey_write_pair(other, fx->path, VHKEY_WRITE_REPLACE,
			     &err),
	    VHKEY_OK);
	assert_pair(fx, other);
	assert_int_equal(tu_count_entries(fx->dir), 2);
	vhkey_free(other);
}

static void
test_symlinks_never_followed(void **state)
{
	struct tu_pair_dir *fx = *state;
	char victim[4096];
	vhkey_error err;
	char *text;

	snprintf(victim, sizeof(victim), "%s/victim", fx->dir);
	assert_int_equal(tu_write_file(victim, "precious\n", 9, 0644), 0);
	assert_int_equal(symlink(victim, fx->path), 0);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, &err),
	    VHKEY_ERR_SYMLINK);
	assert_string_equal(err.path, fx->path);
	/* a dangling link at the .pub name, too */
	unlink(fx->path);
	assert_int_equal(symlink("nowhere", fx->pub), 0);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, &err),
	    VHKEY_ERR_SYMLINK);
	assert_string_equal(err.path, fx->pub);
	assert_int_equal(access(fx->path, F_OK), -1);
	/* replacing replaces the links themselves */
	assert_int_equal(symlink(victim, fx->path), 0);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path,
			     VHKEY_WRITE_REPLACE, &err),
	    VHKEY_OK);
	assert_pair(fx, fx->key);
	text = tu_read_file(victim, NULL);
	assert_string_equal(text, "precious\n");
	free(text);
	assert_int_equal(tu_count_entries(fx->dir), 3);
}

static void
test_bad_targets(void **state)
{
	struct tu_pair_dir *fx = *state;
	char path[4096];
	vhkey *pub = NULL;
	vhkey_error err;

	snprintf(path, sizeof(path), "%s/missing/id", fx->dir);
	assert_int_equal(vhkey_write_pair(fx->key, path, 0, &err),
	    VHKEY_ERR_NOENT);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_string_equal(err.path, path);
	/* a directory where the key should go, even with REPLACE */
	assert_int_equal(mkdir(fx->path, 0700), 0);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path,
			     VHKEY_WRITE_REPLACE, &err),
	    VHKEY_ERR_NOT_REGULAR);
	assert_int_equal(tu_count_entries(fx->dir), 1);
	rmdir(fx->path);
	/* arguments */
	assert_int_equal(vhkey_write_pair(fx->key, "", 0, &err),
	    VHKEY_ERR_ARGUMENT);
	snprintf(path, sizeof(path), "%s/", fx->dir);
	assert_int_equal(vhkey_write_pair(fx->key, path, 0, &err),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0x80, &err),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_load_public_file(tu_data("rsa2048.pub"), &pub,
			     NULL),
	    VHKEY_OK);
	assert_int_equal(vhkey_write_pair(pub, fx->path, 0, &err),
	    VHKEY_ERR_NOT_PRIVATE);
	vhkey_free(pub);
	assert_int_equal(tu_count_entries(fx->dir), 0);
}

/* Each injected fault: a clear status, and the directory as it was. */
static void
check_fault(struct tu_pair_dir *fx, struct fault *f, int nth, int err_no,
    int want, unsigned flags, const vhkey *expect)
{
	int before = tu_count_entries(fx->dir), rc;
	vhkey *other = tu_load_private("rsa3072");
	vhkey_error err;

	no_faults();
	f->nth = nth;
	f->err = err_no;
	rc = vhkey_write_pair(other, fx->path, flags, &err);
	no_faults();
	if (rc != want)
		fail_msg("fault %d (errno %d): got %s, want %s", nth, err_no,
		    vhkey_status_name(rc), vhkey_status_name(want));
	if (want != VHKEY_OK) {
		assert_int_equal(err.status, want);
		assert_int_equal(err.sys_errno, err_no);
		assert_int_equal(tu_count_entries(fx->dir), before);
		if (expect != NULL)
			assert_pair(fx, expect);
	}
	vhkey_free(other);
}

static void
test_faults_leave_nothing(void **state)
{
	struct tu_pair_dir *fx = *state;

	/* the private file is written first, in several short writes */
	check_fault(fx, &write_fault, 1, ENOSPC, VHKEY_ERR_NOSPACE, 0, NULL);
	check_fault(fx, &write_fault, 3, ENOSPC, VHKEY_ERR_NOSPACE, 0, NULL);
	check_fault(fx, &write_fault, 6, EIO, VHKEY_ERR_IO, 0, NULL);
	check_fault(fx, &write_fault, 8, EDQUOT, VHKEY_ERR_NOSPACE, 0, NULL);
	check_fault(fx, &fsync_fault, 1, EIO, VHKEY_ERR_IO, 0, NULL);
	check_fault(fx, &fsync_fault, 2, EIO, VHKEY_ERR_IO, 0, NULL);
	check_fault(fx, &fsync_fault, 3, EIO, VHKEY_ERR_IO, 0, NULL);
#ifdef HAVE_RENAMEAT2 /* else a new pair is placed by link(), not wrapped */
	/* the second move fails: the first file goes again */
	check_fault(fx, &rename_fault, 2, EIO, VHKEY_ERR_IO, 0, NULL);
	check_fault(fx, &rename_fault, 1, EACCES, VHKEY_ERR_ACCESS, 0, NULL);
#endif
	assert_int_equal(tu_count_entries(fx->dir), 0);
}

#ifdef HAVE_RENAMEAT2
/* A kernel or file system without RENAME_NOREPLACE (EINVAL, ENOSYS): the
 * file is placed with link() and unlink() instead, as a build without
 * renameat2() always does; nothing is left behind. */
static void
test_noreplace_fallback(void **state)
{
	struct tu_pair_dir *fx = *state;
	const int errs[] = { EINVAL, ENOSYS };

	for (int i = 0; i < 2; i++) {
		no_faults();
		rename_fault.nth = i + 1; /* the private file, then the .pub */
		rename_fault.err = errs[i];
		assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
		    VHKEY_OK);
		no_faults();
		assert_pair(fx, fx->key);
		assert_int_equal(tu_count_entries(fx->dir), 2);
		assert_int_equal(unlink(fx->path), 0);
		assert_int_equal(unlink(fx->pub), 0);
	}
}
#endif

static void
test_faults_keep_existing_pair(void **state)
{
	struct tu_pair_dir *fx = *state;
	char elsewhere[4096];
	vhkey *other = tu_load_private("rsa3072");
	int writes;

	/* how many write() calls a whole pair takes: fail the last one,
	 * which is in the .pub file */
	snprintf(elsewhere, sizeof(elsewhere), "%s/count", fx->dir);
	assert_int_equal(vhkey_write_pair(other, elsewhere, 0, NULL), VHKEY_OK);
	writes = write_fault.calls;
	assert_true(writes > 4);
	vhkey_free(other);
	unlink(elsewhere);
	strcat(elsewhere, ".pub");
	unlink(elsewhere);

	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	/* replacing, but the disk fills: the old pair stays as it was */
	check_fault(fx, &write_fault, 2, ENOSPC, VHKEY_ERR_NOSPACE,
	    VHKEY_WRITE_REPLACE, fx->key);
	check_fault(fx, &write_fault, writes, ENOSPC, VHKEY_ERR_NOSPACE,
	    VHKEY_WRITE_REPLACE, fx->key);
	check_fault(fx, &fsync_fault, 2, EIO, VHKEY_ERR_IO,
	    VHKEY_WRITE_REPLACE, fx->key);
	check_fault(fx, &rename_fault, 1, EIO, VHKEY_ERR_IO,
	    VHKEY_WRITE_REPLACE, fx->key);
	/* the private key was replaced already when the .pub move fails:
	 * it is put back, so the pair still matches */
	check_fault(fx, &rename_fault, 2, EIO, VHKEY_ERR_IO,
	    VHKEY_WRITE_REPLACE, fx->key);
	/* both moved, then the directory cannot be synced */
	check_fault(fx, &fsync_fault, 3, EIO, VHKEY_ERR_IO,
	    VHKEY_WRITE_REPLACE, fx->key);
	assert_int_equal(tu_count_entries(fx->dir), 2);
}

static void
test_eintr_is_retried(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *other = tu_load_private("rsa3072");

	write_fault.nth = 2;
	write_fault.err = EINTR;
	assert_int_equal(vhkey_write_pair(other, fx->path, 0, NULL), VHKEY_OK);
	no_faults();
	assert_pair(fx, other);
	vhkey_free(other);
}

/* Links planted at the temporary names the writer will pick: it picks
 * others, and nothing is written through the links. */
static void
test_planted_links_at_temporary_names(void **state)
{
	struct tu_pair_dir *fx = *state;
	char victim[4096], link1[4096], link2[4096], *text;

	snprintf(victim, sizeof(victim), "%s/victim", fx->dir);
	snprintf(link1, sizeof(link1), "%s/.vhkey-tmp-0000000100000002",
	    fx->dir);
	snprintf(link2, sizeof(link2), "%s/.vhkey-tmp-0000000300000004",
	    fx->dir);
	assert_int_equal(tu_write_file(victim, "precious\n", 9, 0644), 0);
	assert_int_equal(symlink(victim, link1), 0);
	assert_int_equal(link(victim, link2), 0);
	for (uint32_t i = 0; i < 4; i++)
		scripted_random[i] = i + 1;
	scripted_count = 4;
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	assert_int_equal(scripted_next, 4); /* both names were tried */
	assert_pair(fx, fx->key);
	text = tu_read_file(victim, NULL);
	assert_string_equal(text, "precious\n");
	free(text);
	assert_int_equal(tu_mode(victim), 0644);
	/* the pair, the victim and its two links: no temporary file */
	assert_int_equal(tu_count_entries(fx->dir), 5);
}

static void
test_directory_writable_by_others(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey_error err;

	assert_int_equal(chmod(fx->dir, 0777), 0);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, &err),
	    VHKEY_ERR_UNSAFE_DIR);
	assert_string_equal(err.path, fx->path);
	assert_int_equal(chmod(fx->dir, 0770), 0);
	assert_int_equal(vhkey_write_pair_check(fx->path, 0, &err),
	    VHKEY_ERR_UNSAFE_DIR);
	assert_int_equal(tu_count_entries(fx->dir), 0);
	/* sticky, as /tmp is: others cannot touch our names */
	assert_int_equal(chmod(fx->dir, 01777), 0);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, &err),
	    VHKEY_OK);
	assert_pair(fx, fx->key);
	assert_int_equal(chmod(fx->dir, 0700), 0);
}

static void
test_pair_check(void **state)
{
	struct tu_pair_dir *fx = *state;
	char path[4096];
	vhkey_error err;

	assert_int_equal(vhkey_write_pair_check(fx->path, 0, &err), VHKEY_OK);
	assert_int_equal(tu_write_file(fx->pub, "x\n", 2, 0644), 0);
	assert_int_equal(vhkey_write_pair_check(fx->path, 0, &err),
	    VHKEY_ERR_EXISTS);
	assert_string_equal(err.path, fx->pub);
	assert_int_equal(vhkey_write_pair_check(fx->path, VHKEY_WRITE_REPLACE,
			     &err),
	    VHKEY_OK);
	snprintf(path, sizeof(path), "%s/nodir/k", fx->dir);
	assert_int_equal(vhkey_write_pair_check(path, 0, &err),
	    VHKEY_ERR_NOENT);
	assert_int_equal(vhkey_write_pair_check("", 0, &err),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_write_pair_check(NULL, 0, NULL),
	    VHKEY_ERR_ARGUMENT);
	/* nothing was written */
	assert_int_equal(tu_count_entries(fx->dir), 1);
}

static void
test_load_errors(void **state)
{
	struct tu_pair_dir *fx = *state;
	char path[4096], *big;
	vhkey *key = (vhkey *)&key;
	vhkey_error err;

	snprintf(path, sizeof(path), "%s/none", fx->dir);
	assert_int_equal(vhkey_load_private_file(path, &key, &err),
	    VHKEY_ERR_NOENT);
	assert_null(key);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_string_equal(err.path, path);
	assert_int_equal(vhkey_load_private_file(fx->dir, &key, &err),
	    VHKEY_ERR_NOT_REGULAR);
	/* a FIFO must not hang the open */
	snprintf(path, sizeof(path), "%s/fifo", fx->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(vhkey_load_public_file(path, &key, &err),
	    VHKEY_ERR_NOT_REGULAR);
	/* too large */
	snprintf(path, sizeof(path), "%s/big", fx->dir);
	big = calloc(1, VHKEY_FILE_MAX + 1);
	assert_int_equal(tu_write_file(path, big, VHKEY_FILE_MAX + 1, 0600),
	    0);
	free(big);
	assert_int_equal(vhkey_load_private_file(path, &key, &err),
	    VHKEY_ERR_TOO_LARGE);
	/* a parse error names the file too */
	assert_int_equal(vhkey_load_private_file(tu_data("rsa2048.pub"), &key,
			     &err),
	    VHKEY_ERR_FORMAT);
	assert_int_equal(err.sys_errno, 0);
	assert_string_equal(err.path, tu_data("rsa2048.pub"));
	/* a symlink to a key is followed, as ssh does */
	snprintf(path, sizeof(path), "%s/link", fx->dir);
	assert_int_equal(symlink(tu_data("rsa2048"), path), 0);
	assert_int_equal(vhkey_load_private_file(path, &key, NULL), VHKEY_OK);
	assert_true(vhkey_public_equal(key, fx->key));
	vhkey_free(key);
}

/* ------------------------------------------------------------ rotation */

#define T2026 ((time_t)1767225600) /* 2026-01-01T00:00:00Z */

static void
assert_same_file(const char *a, const char *b)
{
	size_t alen, blen;
	char *at = tu_read_file(a, &alen), *bt = tu_read_file(b, &blen);

	assert_non_null(at);
	assert_non_null(bt);
	assert_int_equal(alen, blen);
	assert_memory_equal(at, bt, alen);
	free(at);
	free(bt);
}

static void
copy_file(const char *from, const char *to)
{
	size_t len;
	char *text = tu_read_file(from, &len);

	assert_non_null(text);
	assert_int_equal(tu_write_file(to, text, len, 0600), 0);
	free(text);
}

static void
test_rotate(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *newkey = tu_load_private("rsa3072"), *old = NULL;
	char *backup = NULL, *pub_backup = NULL, want[4200], keep[4200],
	     keeppub[4200];
	vhkey_error err;

	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	snprintf(keep, sizeof(keep), "%s/keep", fx->dir);
	snprintf(keeppub, sizeof(keeppub), "%s/keep.pub", fx->dir);
	copy_file(fx->path, keep);
	copy_file(fx->pub, keeppub);
	assert_int_equal(chmod(fx->path, 0644), 0); /* a careless old key */

	assert_int_equal(vhkey_rotate_pair_check(fx->path, &old, &err),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(old, fx->key));
	vhkey_free(old);
	old = NULL;

	assert_int_equal(vhkey_rotate_pair(newkey, fx->path,
			     T2026 + 16 * 3600 + 20 * 60, &backup, &pub_backup,
			     &old, &err),
	    VHKEY_OK);
	snprintf(want, sizeof(want), "%s.old-20260101T162000Z", fx->path);
	assert_string_equal(backup, want);
	/* the old pair, byte for byte, its private key private again */
	assert_same_file(backup, keep);
	assert_int_equal(tu_mode(backup), 0600);
	strcat(want, ".pub");
	assert_string_equal(pub_backup, want); /* said, as kept */
	free(pub_backup);
	assert_same_file(want, keeppub);
	assert_int_equal(tu_mode(want), 0644);
	/* the new pair in place; the old key handed back, public only */
	assert_pair(fx, newkey);
	assert_non_null(old);
	assert_false(vhkey_has_private(old));
	assert_true(vhkey_public_equal(old, fx->key));
	assert_string_equal(vhkey_get_comment(old), "fixture rsa2048");
	assert_int_equal(tu_count_entries(fx->dir), 6);
	free(backup);
	vhkey_free(old);

	/* again in the same second: a new name, the first backup kept */
	assert_int_equal(vhkey_rotate_pair(fx->key, fx->path,
			     T2026 + 16 * 3600 + 20 * 60, &backup, NULL, NULL, &err),
	    VHKEY_OK);
	snprintf(want, sizeof(want), "%s.old-20260101T162000Z-2", fx->path);
	assert_string_equal(backup, want);
	assert_pair(fx, fx->key);
	assert_int_equal(tu_count_entries(fx->dir), 8);
	free(backup);

	/* outputs are optional */
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, NULL,
			     NULL),
	    VHKEY_OK);
	assert_pair(fx, newkey);
	vhkey_free(newkey);
}

static void
test_rotate_without_pub(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *newkey = tu_load_private("rsa3072"), *old = NULL;
	char *backup = NULL, *pub_backup = (char *)0x1, pub[4200];

	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	assert_int_equal(unlink(fx->pub), 0);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, &backup,
			     &pub_backup, &old, NULL),
	    VHKEY_OK);
	assert_null(pub_backup); /* no .pub was there: none said kept */
	snprintf(pub, sizeof(pub), "%s.pub", backup);
	assert_int_equal(access(backup, F_OK), 0);
	assert_int_equal(access(pub, F_OK), -1);
	assert_pair(fx, newkey);
	assert_true(vhkey_public_equal(old, fx->key));
	free(backup);
	vhkey_free(old);
	vhkey_free(newkey);
}

/* A passphrase-protected old key: its fingerprint still comes back, and
 * its comment from the .pub. */
static void
test_rotate_encrypted(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *newkey = tu_load_private("rsa3072"), *old = NULL, *want = NULL;
	size_t len;
	char *text;

	text = tu_read_file(tu_data("rsa2048-encrypted"), &len);
	assert_int_equal(tu_write_file(fx->path, text, len, 0600), 0);
	free(text);
	text = tu_read_file(tu_data("rsa2048-encrypted.pub"), &len);
	assert_int_equal(tu_write_file(fx->pub, text, len, 0644), 0);
	free(text);
	assert_int_equal(vhkey_load_public_file(fx->pub, &want, NULL), VHKEY_OK);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, &old,
			     NULL),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(old, want));
	assert_string_equal(vhkey_get_comment(old), "encrypted");
	vhkey_free(old);
	vhkey_free(want);
	vhkey_free(newkey);
}

static void
test_rotate_refusals(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *newkey = tu_load_private("rsa3072"), *old = (vhkey *)0x1,
	      *pubonly = NULL;
	char *backup = (char *)0x1, *pub_backup = (char *)0x1;
	vhkey_error err;

	/* nothing to rotate */
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, &backup,
			     &pub_backup, &old, &err),
	    VHKEY_ERR_NOENT);
	assert_null(backup);
	assert_null(pub_backup);
	assert_null(old);
	assert_string_equal(err.path, fx->path);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_int_equal(vhkey_rotate_pair_check(fx->path, NULL, &err),
	    VHKEY_ERR_NOENT);
	assert_int_equal(tu_count_entries(fx->dir), 0);

	/* a link at either name is not followed, nor replaced */
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	assert_int_equal(rename(fx->path, fx->pub), 0);
	assert_int_equal(symlink("id.pub", fx->path), 0);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_SYMLINK);
	assert_string_equal(err.path, fx->path);
	assert_int_equal(unlink(fx->path), 0);
	assert_int_equal(rename(fx->pub, fx->path), 0);
	assert_int_equal(symlink("id", fx->pub), 0);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_SYMLINK);
	assert_string_equal(err.path, fx->pub);
	assert_int_equal(unlink(fx->pub), 0);
	/* a directory at either name */
	assert_int_equal(mkdir(fx->pub, 0700), 0);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_NOT_REGULAR);
	assert_int_equal(rmdir(fx->pub), 0);
	/* a public key cannot be written as the new pair; a time that has
	 * no name; no key */
	assert_int_equal(vk_key_public_copy(newkey, &pubonly), VHKEY_OK);
	assert_int_equal(vhkey_rotate_pair(pubonly, fx->path, T2026, NULL, NULL,
			     NULL, &err),
	    VHKEY_ERR_NOT_PRIVATE);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, -1, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_rotate_pair(NULL, fx->path, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(tu_count_entries(fx->dir), 1);
	/* another user's key */
	if (geteuid() == 0) {
		assert_int_equal(chown(fx->path, 65534, 65534), 0);
		assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026,
				     NULL, NULL, NULL, &err),
		    VHKEY_ERR_OWNER);
		assert_int_equal(vhkey_rotate_pair_check(fx->path, NULL, &err),
		    VHKEY_ERR_OWNER);
	}
	assert_int_equal(tu_count_entries(fx->dir), 1);
	vhkey_free(pubonly);
	vhkey_free(newkey);
}

/*
 * What rotating would harm is refused, with nothing changed: a name with
 * other names (the backup's mode change would reach the file behind them),
 * a file that holds no key (it would be replaced by one), a .pub given for
 * the private key, and a key of another type than the new one (a rotation
 * never changes the type unasked).
 */
static void
test_rotate_refuses_what_it_would_harm(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *newkey = tu_load_private("rsa3072"), *old = NULL;
	char other[4200];
	size_t len;
	char *text;
	vhkey_error err;

	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	snprintf(other, sizeof(other), "%s/elsewhere", fx->dir);
	/* a hard link to the private key, or to the .pub */
	assert_int_equal(chmod(fx->path, 0644), 0);
	assert_int_equal(link(fx->path, other), 0);
	assert_int_equal(vhkey_rotate_pair_check(fx->path, NULL, &err),
	    VHKEY_ERR_LINKED);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_LINKED);
	assert_string_equal(err.path, fx->path);
	assert_int_equal(tu_mode(other), 0644);
	assert_int_equal(unlink(other), 0);
	assert_int_equal(chmod(fx->path, 0600), 0);
	assert_int_equal(link(fx->pub, other), 0);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_LINKED);
	assert_string_equal(err.path, fx->pub);
	assert_int_equal(unlink(other), 0);
	assert_int_equal(tu_count_entries(fx->dir), 2);
	/* the .pub given as the key */
	assert_int_equal(vhkey_rotate_pair(newkey, fx->pub, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_NOT_PRIVATE);
	/* a file that is no key */
	assert_int_equal(unlink(fx->path), 0);
	assert_int_equal(tu_write_file(fx->path, "#!/bin/sh\n", 10, 0700), 0);
	assert_int_equal(vhkey_rotate_pair_check(fx->path, NULL, &err),
	    VHKEY_ERR_NOT_PRIVATE);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_NOT_PRIVATE);
	assert_int_equal(tu_mode(fx->path), 0700);
	assert_int_equal(tu_count_entries(fx->dir), 2);
	/* an Ed25519 pair is not made RSA */
	text = tu_read_file(tu_data("ed25519"), &len);
	assert_int_equal(tu_write_file(fx->path, text, len, 0600), 0);
	free(text);
	text = tu_read_file(tu_data("ed25519.pub"), &len);
	assert_int_equal(tu_write_file(fx->pub, text, len, 0644), 0);
	free(text);
	assert_int_equal(vhkey_rotate_pair_check(fx->path, &old, &err),
	    VHKEY_OK);
	assert_int_equal(vhkey_get_type(old), VHKEY_TYPE_ED25519);
	vhkey_free(old);
	assert_int_equal(vhkey_rotate_pair(newkey, fx->path, T2026, NULL, NULL, NULL,
			     &err),
	    VHKEY_ERR_KEY_TYPE);
	assert_int_equal(tu_count_entries(fx->dir), 2);
	vhkey_free(newkey);
}

/* Whatever fails, the old pair is where it was and no backup is left. */
static void
rotate_fault(struct tu_pair_dir *fx, struct fault *f, int nth, int err_no,
    int want)
{
	vhkey *newkey = tu_load_private("rsa3072");
	char *backup = NULL;
	vhkey_error err;
	int rc;

	no_faults();
	f->nth = nth;
	f->err = err_no;
	rc = vhkey_rotate_pair(newkey, fx->path, T2026, &backup, NULL, NULL, &err);
	no_faults();
	if (rc != want)
		fail_msg("fault %d (errno %d): got %s, want %s", nth, err_no,
		    vhkey_status_name(rc), vhkey_status_name(want));
	assert_null(backup);
	assert_int_equal(err.sys_errno, err_no);
	assert_pair(fx, fx->key);
	assert_int_equal(tu_count_entries(fx->dir), 2);
	vhkey_free(newkey);
}

static void
test_rotate_faults(void **state)
{
	struct tu_pair_dir *fx = *state;

	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	rotate_fault(fx, &write_fault, 1, ENOSPC, VHKEY_ERR_NOSPACE);
	rotate_fault(fx, &fsync_fault, 2, EIO, VHKEY_ERR_IO);
	/* the new private key is in place when the .pub move fails */
	rotate_fault(fx, &rename_fault, 1, EIO, VHKEY_ERR_IO);
	rotate_fault(fx, &rename_fault, 2, EIO, VHKEY_ERR_IO);
	/* both in place, then the directory cannot be synced */
	rotate_fault(fx, &fsync_fault, 3, EIO, VHKEY_ERR_IO);
}

/* A .pub's private half: by name alone, or only when it is there. */
static void
test_private_half(void **state)
{
	struct tu_pair_dir *fx = *state;
	char *priv = (char *)0x1;

	assert_int_equal(vhkey_private_half(fx->pub, 0, &priv), VHKEY_OK);
	assert_string_equal(priv, fx->path);
	free(priv);
	assert_int_equal(vhkey_private_half(fx->pub, VHKEY_HALF_EXISTING,
			     &priv),
	    VHKEY_ERR_NOENT);
	assert_null(priv);
	assert_int_equal(vhkey_write_pair(fx->key, fx->path, 0, NULL),
	    VHKEY_OK);
	assert_int_equal(vhkey_private_half(fx->pub, VHKEY_HALF_EXISTING,
			     &priv),
	    VHKEY_OK);
	assert_string_equal(priv, fx->path);
	free(priv);
	/* a directory is no private key */
	assert_int_equal(unlink(fx->path), 0);
	assert_int_equal(mkdir(fx->path, 0700), 0);
	assert_int_equal(vhkey_private_half(fx->pub, VHKEY_HALF_EXISTING,
			     &priv),
	    VHKEY_ERR_NOT_REGULAR);
	assert_int_equal(rmdir(fx->path), 0);
	/* no .pub suffix, or nothing before it */
	assert_int_equal(vhkey_private_half(fx->path, 0, &priv),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_private_half(".pub", 0, &priv),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_private_half("k.pubx", 0, &priv),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_private_half(NULL, 0, &priv),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_private_half("k.pub", 0x2, &priv),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_private_half("k.pub", 0, &priv), VHKEY_OK);
	assert_string_equal(priv, "k");
	free(priv);
}

/* vhkey_rewrite_private: the same key written again (here with a
 * passphrase, then without), atomically, 0600, the .pub untouched; and
 * never over a file that is a link, has other names or holds another key. */
static void
test_rewrite_private(void **state)
{
	struct tu_pair_dir *fx = *state;
	vhkey *key = tu_load_private("rsa3072"), *other = NULL, *back = NULL;
	char *pubtext, *after, sym[4200], linked[4200];
	size_t publen, afterlen;
	struct stat st0, st1;
	vhkey_error err;

	assert_int_equal(vhkey_write_pair(key, fx->path, 0, NULL), VHKEY_OK);
	pubtext = tu_read_file(fx->pub, &publen);
	assert_int_equal(stat(fx->path, &st0), 0);
	assert_int_equal(vhkey_set_passphrase(key, "new", 3, 1), VHKEY_OK);
	assert_int_equal(vhkey_rewrite_private(key, fx->path, &err), VHKEY_OK);
	assert_int_equal(stat(fx->path, &st1), 0);
	assert_true(st0.st_ino != st1.st_ino); /* replaced, not written into */
	assert_int_equal(tu_mode(fx->path), 0600);
	after = tu_read_file(fx->pub, &afterlen);
	assert_int_equal(afterlen, publen);
	assert_memory_equal(after, pubtext, publen);
	free(after);
	assert_int_equal(vhkey_load_private_file(fx->path, &back, NULL),
	    VHKEY_ERR_ENCRYPTED);
	assert_int_equal(vhkey_load_private_file_passphrase(fx->path, "new", 3,
			     &back, NULL),
	    VHKEY_OK);
	assert_true(vhkey_public_equal(back, key));
	vhkey_free(back);
	back = NULL;
	assert_int_equal(vhkey_set_passphrase(key, NULL, 0, 0), VHKEY_OK);
	assert_int_equal(vhkey_rewrite_private(key, fx->path, NULL), VHKEY_OK);
	assert_int_equal(vhkey_load_private_file(fx->path, &back, NULL),
	    VHKEY_OK);
	vhkey_free(back);

	/* another key at the name: not written over */
	other = tu_load_private("rsa2048");
	assert_int_equal(vhkey_rewrite_private(other, fx->path, &err),
	    VHKEY_ERR_PUBLIC_MISMATCH);
	assert_int_equal(vhkey_rewrite_private(key, fx->pub, &err),
	    VHKEY_ERR_NOT_PRIVATE);
	/* a symbolic link, a file with another name */
	snprintf(sym, sizeof(sym), "%s.link", fx->path);
	assert_int_equal(symlink(fx->path, sym), 0);
	assert_int_equal(vhkey_rewrite_private(key, sym, &err),
	    VHKEY_ERR_SYMLINK);
	snprintf(linked, sizeof(linked), "%s.hard", fx->path);
	assert_int_equal(link(fx->path, linked), 0);
	assert_int_equal(vhkey_rewrite_private(key, fx->path, &err),
	    VHKEY_ERR_LINKED);
	assert_string_equal(err.path, fx->path);
	(void)unlink(sym);
	(void)unlink(linked);
	free(pubtext);
	vhkey_free(key);
	vhkey_free(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_modes_whatever_umask,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_existing_files_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_never_followed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_targets, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_faults_leave_nothing,
		    setup, teardown),
#ifdef HAVE_RENAMEAT2
		cmocka_unit_test_setup_teardown(test_noreplace_fallback, setup,
		    teardown),
#endif
		cmocka_unit_test_setup_teardown(test_faults_keep_existing_pair,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_eintr_is_retried, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_planted_links_at_temporary_names, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_directory_writable_by_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_check, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate_without_pub, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotate_encrypted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_rotate_refuses_what_it_would_harm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotate_faults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_private_half, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rewrite_private, setup,
		    teardown),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
