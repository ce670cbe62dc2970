/*
 * keywrite.c - a key pair written atomically: both files under temporary
 * names, born with their final modes (0600 for the private key), renamed
 * into place, the directory synced; on any failure, everything undone.
 * The pair transaction (keyfile.h) is rotation's too, and one file
 * replaced the same way (vk_replace_file) is --repair's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "check.h"
#include "keyfile.h"

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A target's own text (a vk_fill_fn). */
static int
fill_data(void *arg, int fd)
{
	const struct vk_target *t = arg;

	return write_all(fd, t->data, t->len);
}

/* A fresh name in the directory: ".vhkey-<what>-<random hex>". */
static void
random_name(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, ".vhkey-%s-%08x%08x", what, randombytes_random(),
	    randombytes_random());
}

/*
 * Create the temporary file readable by its owner only, whatever the umask
 * (the open mode can only be narrowed by it, and fchmod on the still empty
 * file sets it exactly), so that a temporary file a crash leaves behind
 * shows nobody anything.  Only when the content is complete and on disk
 * does a public file get its final mode, on the descriptor, before it is
 * moved to its name.
 */
static int
write_temp(int dirfd, struct vk_target *t, vk_fill_fn fill, void *arg,
    vhkey_error *err)
{
	int fd = -1, e;

	for (int tries = 0; fd < 0; tries++) {
		random_name(t->tmp, sizeof(t->tmp), "tmp");
		fd = openat(dirfd, t->tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && (errno != EEXIST || tries >= 16)) {
			t->tmp[0] = '\0';
			return vk_fail_errno(err, t->path);
		}
	}
	if (fchmod(fd, 0600) != 0 || fill(arg, fd) != 0 || fsync(fd) != 0 ||
	    (t->mode != 0600 && fchmod(fd, t->mode) != 0)) {
		e = errno;
		close(fd);
		errno = e;
		return vk_fail_errno(err, t->path);
	}
	if (close(fd) != 0)
		return vk_fail_errno(err, t->path);
	return VHKEY_OK;
}

/* Refuse what is at a target name unless replacing (links never followed). */
static int
check_target(int dirfd, const struct vk_target *t, unsigned flags,
    vhkey_error *err)
{
	struct stat st;

	if (fstatat(dirfd, t->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return VHKEY_OK;
		return vk_fail_errno(err, t->path);
	}
	if (S_ISDIR(st.st_mode))
		return vk_fail(err, VHKEY_ERR_NOT_REGULAR, t->path);
	if (flags & VHKEY_WRITE_REPLACE)
		return VHKEY_OK;
	return vk_fail(err, S_ISLNK(st.st_mode) ? VHKEY_ERR_SYMLINK :
					       VHKEY_ERR_EXISTS, t->path);
}

/*
 * Before replacing a file, keep a second name for it so that a failure
 * later on can put it back.  A symbolic link is linked itself, never what
 * it points to.  On a file system without hard links there is no backup.
 */
static int
keep_old(int dirfd, struct vk_target *t, vhkey_error *err)
{
	for (int tries = 0;; tries++) {
		random_name(t->backup, sizeof(t->backup), "old");
		if (linkat(dirfd, t->name, dirfd, t->backup, 0) == 0)
			return VHKEY_OK;
		if (errno == EEXIST && tries < 16)
			continue;
		t->backup[0] = '\0';
		if (errno == ENOENT || errno == EPERM || errno == EOPNOTSUPP ||
		    errno == EMLINK)
			return VHKEY_OK; /* nothing there, or no hard links */
		return vk_fail_errno(err, t->path);
	}
}

/* Move the temporary file to its name; without REPLACE, never over an
 * existing one, even one created since check_target(). */
static int
place(int dirfd, struct vk_target *t, unsigned flags, vhkey_error *err)
{
	int r;

	if (flags & VHKEY_WRITE_REPLACE)
		r = renameat(dirfd, t->tmp, dirfd, t->name);
	else {
#ifdef HAVE_RENAMEAT2
		r = renameat2(dirfd, t->tmp, dirfd, t->name, RENAME_NOREPLACE);
#else
		r = -1; /* no renameat2() in this C library (configure.ac) */
		errno = ENOSYS;
#endif
		if (r != 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* no RENAME_NOREPLACE here: a hard link cannot clobber */
			r = linkat(dirfd, t->tmp, dirfd, t->name, 0);
			if (r == 0)
				(void)unlinkat(dirfd, t->tmp, 0);
		}
	}
	if (r != 0)
		return vk_fail_errno(err, t->path);
	t->tmp[0] = '\0';
	t->placed = 1;
	return VHKEY_OK;
}

/* Undo what a failed write did to one file: its temporary file goes, the
 * file we placed goes, and a file we replaced comes back. */
static void
roll_back(int dirfd, struct vk_target *t)
{
	if (t->tmp[0] != '\0')
		(void)unlinkat(dirfd, t->tmp, 0);
	if (t->placed && t->backup[0] != '\0') {
		/* restored, or (should that fail) left under the backup name
		 * rather than lost */
		(void)renameat(dirfd, t->backup, dirfd, t->name);
		t->backup[0] = '\0';
	} else if (t->placed) {
		(void)unlinkat(dirfd, t->name, 0);
	}
}

void
vk_pair_roll_back(struct vk_pair *pp)
{
	int e = errno;

	for (int i = 0; i < 2; i++)
		roll_back(pp->dirfd, &pp->t[i]);
	errno = e;
}

void
vk_pair_close(struct vk_pair *pp)
{
	for (int i = 0; i < 2 && !pp->keep_backups; i++)
		if (pp->t[i].backup[0] != '\0' && pp->dirfd >= 0)
			(void)unlinkat(pp->dirfd, pp->t[i].backup, 0);
	if (pp->dirfd >= 0)
		close(pp->dirfd);
	free(pp->pubpath);
	free(pp->dir);
	memset(pp, 0, sizeof(*pp));
	pp->dirfd = -1;
}

/*
 * Others who may write to the directory could plant or swap names in it;
 * refuse it, as ssh's StrictModes does, unless the sticky bit keeps them
 * from touching our files (as in /tmp).
 */
static int
dir_safe(int dirfd, vhkey_error *err, const char *path)
{
	struct stat st;

	if (fstat(dirfd, &st) != 0)
		return vk_fail_errno(err, path);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    (st.st_mode & S_ISVTX) == 0)
		return vk_fail(err, VHKEY_ERR_UNSAFE_DIR, path);
	return VHKEY_OK;
}

/*
 * Work out both names, open their directory and check what is there now.
 * The names inside the directory are used from here on, so that a
 * directory renamed meanwhile cannot send the files elsewhere.
 */
/* path's directory (*dir, the caller frees it) and its name in there. */
static int
split_path(const char *path, char **dir, const char **name)
{
	const char *slash;

	*dir = NULL;
	if (path == NULL || *path == '\0')
		return VHKEY_ERR_ARGUMENT;
	if ((slash = strrchr(path, '/')) == NULL) {
		*dir = strdup(".");
		*name = path;
	} else {
		*dir = slash == path ? strdup("/") :
				       strndup(path, (size_t)(slash - path));
		*name = slash + 1;
	}
	if (*dir == NULL)
		return VHKEY_ERR_NOMEM;
	return **name == '\0' ? VHKEY_ERR_ARGUMENT : VHKEY_OK;
}

int
vk_pair_open(struct vk_pair *pp, const char *path, unsigned flags,
    vhkey_error *err)
{
	const char *name;
	size_t plen;
	int rc;

	memset(pp, 0, sizeof(*pp));
	pp->dirfd = -1;
	vk_error_set(err, VHKEY_OK, 0, path);
	if ((flags & ~VHKEY_WRITE_REPLACE) != 0)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, path);
	if ((rc = split_path(path, &pp->dir, &name)) != VHKEY_OK)
		return vk_fail(err, rc, path);
	plen = strlen(path);
	if ((pp->pubpath = malloc(plen + 5)) == NULL)
		return vk_fail(err, VHKEY_ERR_NOMEM, path);
	memcpy(pp->pubpath, path, plen);
	memcpy(pp->pubpath + plen, ".pub", 5);
	pp->t[0] = (struct vk_target){ .path = path, .name = name, .mode = 0600 };
	pp->t[1] = (struct vk_target){ .path = pp->pubpath,
		.name = pp->pubpath + (name - path),
		.mode = 0644 };
	if ((pp->dirfd = open(pp->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return vk_fail_errno(err, path);
	if ((rc = dir_safe(pp->dirfd, err, path)) != VHKEY_OK)
		return rc;
	for (int i = 0; i < 2; i++)
		if ((rc = check_target(pp->dirfd, &pp->t[i], flags, err)) !=
		    VHKEY_OK)
			return rc;
	return VHKEY_OK;
}

int
vk_replaceable(const struct stat *st, vhkey_error *err, const char *path)
{
	if (!S_ISREG(st->st_mode))
		return vk_fail(err, VHKEY_ERR_NOT_REGULAR, path);
	if (st->st_uid != geteuid())
		return vk_fail(err, VHKEY_ERR_OWNER, path);
	if (st->st_nlink > 1)
		return vk_fail(err, VHKEY_ERR_LINKED, path);
	return VHKEY_OK;
}

int
vhkey_write_pair_check(const char *path, unsigned flags, vhkey_error *err)
{
	struct vk_pair pp;
	int rc = vk_pair_open(&pp, path, flags, err);

	vk_pair_close(&pp);
	return rc;
}

/* The .pub file: the public line and its newline. */
static int
public_file_text(const vhkey *key, char **out)
{
	char *line, *text;
	int rc;

	*out = NULL;
	if ((rc = vhkey_public_to_line(key, &line)) != VHKEY_OK)
		return rc;
	if (asprintf(&text, "%s\n", line) < 0) {
		free(line);
		return VHKEY_ERR_NOMEM;
	}
	free(line);
	*out = text;
	return VHKEY_OK;
}

/* The texts of both files, written under temporary names.  The caller
 * releases *privtext with vhkey_secret_free() and *pubtext with free(). */
int
vk_pair_prepare(struct vk_pair *pp, const vhkey *key, char **privtext,
    char **pubtext, vhkey_error *err)
{
	const char *path = pp->t[0].path;
	size_t privlen = 0;
	int rc;

	if (!vhkey_has_private(key))
		return vk_fail(err, VHKEY_ERR_NOT_PRIVATE, path);
	if ((rc = vhkey_private_to_openssh(key, privtext, &privlen)) !=
		VHKEY_OK ||
	    (rc = public_file_text(key, pubtext)) != VHKEY_OK)
		return vk_fail(err, rc, path);
	pp->t[0].data = *privtext;
	pp->t[0].len = privlen;
	pp->t[1].data = *pubtext;
	pp->t[1].len = strlen(*pubtext);
	for (int i = 0; i < 2; i++)
		if ((rc = write_temp(pp->dirfd, &pp->t[i], fill_data,
			 &pp->t[i], err)) != VHKEY_OK)
			return rc;
	return VHKEY_OK;
}

/* Move both temporary files to their names, then make it durable. */
int
vk_pair_commit(struct vk_pair *pp, const unsigned flags[2], vhkey_error *err)
{
	int rc;

	for (int i = 0; i < 2; i++)
		if ((rc = place(pp->dirfd, &pp->t[i], flags[i], err)) !=
		    VHKEY_OK)
			return rc;
	if (fsync(pp->dirfd) != 0)
		return vk_fail_errno(err, pp->t[0].path);
	return VHKEY_OK;
}

int
vhkey_write_pair(const vhkey *key, const char *path, unsigned flags,
    vhkey_error *err)
{
	const unsigned both[2] = { flags, flags };
	struct vk_pair pp;
	char *privtext = NULL, *pubtext = NULL;
	int rc;

	if (key == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, path);
	if ((rc = vk_pair_open(&pp, path, flags, err)) != VHKEY_OK ||
	    (rc = vk_pair_prepare(&pp, key, &privtext, &pubtext, err)) !=
		VHKEY_OK)
		goto out;
	if (flags & VHKEY_WRITE_REPLACE)
		for (int i = 0; i < 2; i++)
			if ((rc = keep_old(pp.dirfd, &pp.t[i], err)) !=
			    VHKEY_OK)
				goto out;
	rc = vk_pair_commit(&pp, both, err);
out:
	if (rc != VHKEY_OK && pp.dirfd >= 0)
		vk_pair_roll_back(&pp);
	vk_pair_close(&pp);
	vhkey_secret_free(privtext);
	free(pubtext);
	return rc;
}

/*
 * One file replaced (or created) as each file of a pair is: written under
 * a temporary name beside it, born 0600, fsync'd, given its mode, renamed
 * over the name (a link there is replaced, never followed), the directory
 * fsync'd.  A failure at any step, the last included, leaves the name as it
 * was: the replaced file is kept under a second name until the end.
 */
int
vk_replace_file_with(const char *path, mode_t mode, unsigned flags,
    vk_fill_fn fill, void *arg, vhkey_error *err)
{
	struct vk_target t = { .path = path, .mode = mode };
	char *dir = NULL;
	int dirfd = -1, rc;

	vk_error_set(err, VHKEY_OK, 0, path);
	if ((rc = split_path(path, &dir, &t.name)) != VHKEY_OK) {
		free(dir);
		return vk_fail(err, rc, path);
	}
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		rc = vk_fail_errno(err, path);
	else if ((flags & VK_REPLACE_SAFE_DIR) != 0)
		rc = dir_safe(dirfd, err, path);
	if (rc == VHKEY_OK &&
	    (rc = write_temp(dirfd, &t, fill, arg, err)) == VHKEY_OK &&
	    (rc = keep_old(dirfd, &t, err)) == VHKEY_OK &&
	    (rc = place(dirfd, &t, VHKEY_WRITE_REPLACE, err)) == VHKEY_OK &&
	    fsync(dirfd) != 0)
		rc = vk_fail_errno(err, path);
	if (dirfd >= 0) {
		if (rc != VHKEY_OK)
			roll_back(dirfd, &t);
		if (t.backup[0] != '\0')
			(void)unlinkat(dirfd, t.backup, 0);
		close(dirfd);
	}
	free(dir);
	return rc;
}

int
vk_replace_file(const char *path, const void *data, size_t len,
    mode_t mode, unsigned flags, vhkey_error *err)
{
	struct vk_target t = { .data = data, .len = len };

	return vk_replace_file_with(path, mode, flags, fill_data, &t, err);
}
