/*
 * keyfile.c - reading key files, and writing a key pair atomically.
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

#include "vhkey_internal.h"

void
vk_error_set(vhkey_error *err, int status, int sys_errno, const char *path)
{
	if (err == NULL)
		return;
	err->status = status;
	err->sys_errno = sys_errno;
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
}

int
vk_status_from_errno(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return VHKEY_ERR_NOENT;
	case EACCES:
	case EPERM:
	case EROFS:
		return VHKEY_ERR_ACCESS;
	case ENOSPC:
	case EDQUOT:
		return VHKEY_ERR_NOSPACE;
	case EEXIST:
		return VHKEY_ERR_EXISTS;
	case ELOOP:
		return VHKEY_ERR_SYMLINK;
	case EISDIR:
		return VHKEY_ERR_NOT_REGULAR;
	case ENOMEM:
		return VHKEY_ERR_NOMEM;
	default:
		return VHKEY_ERR_IO;
	}
}

int
vk_fail_errno(vhkey_error *err, const char *path)
{
	int e = errno, status = vk_status_from_errno(e);

	vk_error_set(err, status, e, path);
	errno = e;
	return status;
}

int
vk_fail(vhkey_error *err, int status, const char *path)
{
	vk_error_set(err, status, 0, path);
	return status;
}

/* ------------------------------------------------------------- reading */

int
vk_read_fd(int fd, off_t size, int secret, char **out, size_t *outlen)
{
	char *buf;
	size_t len = 0;
	ssize_t n = 0;

	*out = NULL;
	if (size > VHKEY_FILE_MAX)
		return VHKEY_ERR_TOO_LARGE;
	/* one byte more than allowed, to notice a file that grew */
	buf = secret ? vk_secret_alloc(VHKEY_FILE_MAX + 1) :
		       malloc(VHKEY_FILE_MAX + 1);
	if (buf == NULL)
		return VHKEY_ERR_NOMEM;
	while (len <= VHKEY_FILE_MAX) {
		n = read(fd, buf + len, VHKEY_FILE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (n < 0 || len > VHKEY_FILE_MAX) {
		int e = errno;
		if (secret)
			vk_secret_release(buf);
		else
			free(buf);
		errno = e;
		return n < 0 ? VHKEY_ERR_IO : VHKEY_ERR_TOO_LARGE;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return VHKEY_OK;
}

/*
 * Read a whole key file into memory (guarded memory when secret).  O_NONBLOCK
 * keeps a FIFO from hanging the open; fstat then refuses it.
 */
int
vk_read_key_file(const char *path, unsigned how, int *fdp, struct stat *stp,
    char **out, size_t *outlen, vhkey_error *err)
{
	struct stat st;
	int fd, rc;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return vk_fail_errno(err, path);
	if (fstat(fd, &st) != 0)
		rc = vk_fail_errno(err, path);
	else if (!S_ISREG(st.st_mode))
		rc = vk_fail(err, VHKEY_ERR_NOT_REGULAR, path);
	else if ((how & VK_READ_OWN) && st.st_uid != geteuid())
		rc = vk_fail(err, VHKEY_ERR_OWNER, path);
	else if ((rc = vk_read_fd(fd, st.st_size, (how & VK_READ_SECRET) != 0,
		      out, outlen)) == VHKEY_ERR_IO)
		rc = vk_fail_errno(err, path);
	else if (rc != VHKEY_OK)
		vk_fail(err, rc, path);
	if (rc == VHKEY_OK && fdp != NULL) {
		*fdp = fd;
		*stp = st;
	} else {
		close(fd);
	}
	return rc;
}

static int
load_file(const char *path, int secret, vhkey **out, vhkey_error *err)
{
	char *text;
	size_t len = 0;
	int rc;

	if (out == NULL || path == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, path);
	*out = NULL;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return vk_fail(err, rc, path);
	if ((rc = vk_read_key_file(path, secret ? VK_READ_SECRET : 0, NULL,
		 NULL, &text, &len, err)) != VHKEY_OK)
		return rc;
	if (secret) {
		rc = vhkey_parse_private(text, len, out);
		vk_secret_release(text);
	} else {
		rc = vhkey_parse_public(text, len, out);
		free(text);
	}
	if (rc != VHKEY_OK)
		vk_error_set(err, rc, 0, path);
	return rc;
}

int
vhkey_load_private_file(const char *path, vhkey **out, vhkey_error *err)
{
	return load_file(path, 1, out, err);
}

int
vhkey_load_public_file(const char *path, vhkey **out, vhkey_error *err)
{
	return load_file(path, 0, out, err);
}

/* ------------------------------------------------------------- writing */

/* One file of the pair, from its content to its place in the directory. */
struct target {
	const char *path; /* as the caller named it, for messages */
	const char *name; /* its name inside the directory */
	mode_t mode;
	const char *data;
	size_t len;
	char tmp[64];	  /* temporary name inside the directory, or "" */
	char backup[320]; /* a hard link to the file replaced, or "" */
	int placed;	  /* moved to name by us */
};

/* The two names of a pair and the directory they are in. */
struct pair {
	struct target t[2]; /* private first: it decides who wins a race */
	char *pubpath;
	char *dir;
	int dirfd;
	int keep_backups; /* the backups are the caller's now: keep them */
};

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
write_temp(int dirfd, struct target *t, vhkey_error *err)
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
	if (fchmod(fd, 0600) != 0 || write_all(fd, t->data, t->len) != 0 ||
	    fsync(fd) != 0 || (t->mode != 0600 && fchmod(fd, t->mode) != 0)) {
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
check_target(int dirfd, const struct target *t, unsigned flags,
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
keep_old(int dirfd, struct target *t, vhkey_error *err)
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
place(int dirfd, struct target *t, unsigned flags, vhkey_error *err)
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

/* Undo everything a failed write did: temporary files go, a file we
 * placed goes, and a file we replaced comes back. */
static void
roll_back(struct pair *pp)
{
	int e = errno;

	for (int i = 0; i < 2; i++) {
		struct target *t = &pp->t[i];
		if (t->tmp[0] != '\0')
			(void)unlinkat(pp->dirfd, t->tmp, 0);
		if (t->placed && t->backup[0] != '\0') {
			/* restored, or (should that fail) left under the
			 * backup name rather than lost */
			(void)renameat(pp->dirfd, t->backup, pp->dirfd,
			    t->name);
			t->backup[0] = '\0';
		} else if (t->placed) {
			(void)unlinkat(pp->dirfd, t->name, 0);
		}
	}
	errno = e;
}

static void
pair_close(struct pair *pp)
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
static int
pair_open(struct pair *pp, const char *path, unsigned flags,
    vhkey_error *err)
{
	const char *slash, *name;
	size_t plen;
	int rc;

	memset(pp, 0, sizeof(*pp));
	pp->dirfd = -1;
	vk_error_set(err, VHKEY_OK, 0, path);
	if (path == NULL || *path == '\0' ||
	    (flags & ~VHKEY_WRITE_REPLACE) != 0)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, path);
	plen = strlen(path);
	if ((slash = strrchr(path, '/')) == NULL) {
		pp->dir = strdup(".");
		name = path;
	} else {
		pp->dir = slash == path ? strdup("/") :
					  strndup(path, (size_t)(slash - path));
		name = slash + 1;
	}
	if ((pp->pubpath = malloc(plen + 5)) == NULL || pp->dir == NULL)
		return vk_fail(err, VHKEY_ERR_NOMEM, path);
	if (*name == '\0')
		return vk_fail(err, VHKEY_ERR_ARGUMENT, path);
	memcpy(pp->pubpath, path, plen);
	memcpy(pp->pubpath + plen, ".pub", 5);
	pp->t[0] = (struct target){ .path = path, .name = name, .mode = 0600 };
	pp->t[1] = (struct target){ .path = pp->pubpath,
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
vhkey_write_pair_check(const char *path, unsigned flags, vhkey_error *err)
{
	struct pair pp;
	int rc = pair_open(&pp, path, flags, err);

	pair_close(&pp);
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
static int
pair_prepare(struct pair *pp, const vhkey *key, char **privtext,
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
		if ((rc = write_temp(pp->dirfd, &pp->t[i], err)) != VHKEY_OK)
			return rc;
	return VHKEY_OK;
}

/* Move both temporary files to their names, then make it durable. */
static int
pair_commit(struct pair *pp, const unsigned flags[2], vhkey_error *err)
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
	struct pair pp;
	char *privtext = NULL, *pubtext = NULL;
	int rc;

	if (key == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, path);
	if ((rc = pair_open(&pp, path, flags, err)) != VHKEY_OK ||
	    (rc = pair_prepare(&pp, key, &privtext, &pubtext, err)) !=
		VHKEY_OK)
		goto out;
	if (flags & VHKEY_WRITE_REPLACE)
		for (int i = 0; i < 2; i++)
			if ((rc = keep_old(pp.dirfd, &pp.t[i], err)) !=
			    VHKEY_OK)
				goto out;
	rc = pair_commit(&pp, both, err);
out:
	if (rc != VHKEY_OK && pp.dirfd >= 0)
		roll_back(&pp);
	pair_close(&pp);
	vhkey_secret_free(privtext);
	free(pubtext);
	return rc;
}

/* ------------------------------------------------------------ rotation */

/* The pair being rotated, as found: the old private key open, and whether
 * there is an old .pub. */
struct old_pair {
	int fd;
	struct stat st;
	int has_pub;
	vhkey *key;	  /* public part of the old key */
	vhkey_type type;  /* the old key's type */
};

static void
old_pair_close(struct old_pair *op)
{
	if (op->fd >= 0)
		close(op->fd);
	vhkey_free(op->key);
	op->fd = -1;
	op->key = NULL;
}

/*
 * The old key, for the caller to show (and to keep its comment): from the
 * private key when it can be read in full, else from the .pub (when it is
 * the same key), else the public part of a passphrase-protected key (or
 * of a type whose private part is not read).  VHKEY_ERR_NOT_PRIVATE when
 * the file is no OpenSSH private key: rotating it would replace some other
 * file with a key.  The .pub is only read, by name, to show the key.
 */
static int
old_key_read(struct pair *pp, struct old_pair *op)
{
	vhkey *priv = NULL, *pub = NULL;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = vk_read_fd(op->fd, op->st.st_size, 1, &text, &len)) !=
	    VHKEY_OK)
		return rc == VHKEY_ERR_TOO_LARGE ? VHKEY_ERR_NOT_PRIVATE : rc;
	if ((rc = vhkey_parse_private(text, len, &priv)) == VHKEY_OK)
		rc = vk_key_public_copy(priv, &op->key);
	else if (rc == VHKEY_ERR_ENCRYPTED || rc == VHKEY_ERR_KEY_TYPE)
		rc = vk_openssh_public(text, len, &priv);
	vk_secret_release(text);
	if (rc != VHKEY_OK) {
		vhkey_free(priv);
		return rc == VHKEY_ERR_NOMEM ? rc : VHKEY_ERR_NOT_PRIVATE;
	}
	op->type = vhkey_get_type(priv);
	if (op->key == NULL && op->has_pub &&
	    vhkey_load_public_file(pp->pubpath, &pub, NULL) == VHKEY_OK &&
	    vhkey_public_equal(priv, pub)) {
		op->key = pub;
		pub = NULL;
	}
	if (op->key == NULL)
		rc = vk_key_public_copy(priv, &op->key);
	vhkey_free(priv);
	vhkey_free(pub);
	return rc;
}

/*
 * Open the old private key without following a link, and check the pair
 * can be rotated: a regular file owned by the caller, with no other name
 * (a hard link would make the backup's mode change, and the old key's
 * removal, reach a file elsewhere), holding an OpenSSH private key; and a
 * .pub that is missing or a regular file with no other name either.
 */
static int
old_pair_open(struct pair *pp, struct old_pair *op, vhkey_error *err)
{
	struct stat pst;
	int rc;

	op->fd = openat(pp->dirfd, pp->t[0].name,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (op->fd < 0)
		return vk_fail_errno(err, pp->t[0].path);
	if (fstat(op->fd, &op->st) != 0)
		return vk_fail_errno(err, pp->t[0].path);
	if (!S_ISREG(op->st.st_mode))
		return vk_fail(err, VHKEY_ERR_NOT_REGULAR, pp->t[0].path);
	if (op->st.st_uid != geteuid())
		return vk_fail(err, VHKEY_ERR_OWNER, pp->t[0].path);
	if (op->st.st_nlink > 1)
		return vk_fail(err, VHKEY_ERR_LINKED, pp->t[0].path);
	if (fstatat(pp->dirfd, pp->t[1].name, &pst, AT_SYMLINK_NOFOLLOW) !=
	    0) {
		if (errno != ENOENT)
			return vk_fail_errno(err, pp->t[1].path);
	} else if (S_ISLNK(pst.st_mode)) {
		return vk_fail(err, VHKEY_ERR_SYMLINK, pp->t[1].path);
	} else if (!S_ISREG(pst.st_mode)) {
		return vk_fail(err, VHKEY_ERR_NOT_REGULAR, pp->t[1].path);
	} else if (pst.st_nlink > 1) {
		return vk_fail(err, VHKEY_ERR_LINKED, pp->t[1].path);
	} else {
		op->has_pub = 1;
	}
	if ((rc = old_key_read(pp, op)) != VHKEY_OK)
		return vk_fail(err, rc, pp->t[0].path);
	return VHKEY_OK;
}

/*
 * The backup names: NAME.old-<stamp>[-N] and that + ".pub", both hard
 * links made with linkat(), which never replaces an existing name and
 * never follows a link.  The private one must turn out to be the very file
 * that was opened and checked (not one swapped in meanwhile); it loses any
 * group or other bits, through that open file.
 */
static int
keep_dated(struct pair *pp, const struct old_pair *op, const char *stamp,
    vhkey_error *err)
{
	struct target *priv = &pp->t[0], *pub = &pp->t[1];
	struct stat st;
	int n, e;

	for (int tries = 1; tries < 100; tries++) {
		n = tries == 1 ?
		    snprintf(priv->backup, sizeof(priv->backup), "%s.old-%s",
			priv->name, stamp) :
		    snprintf(priv->backup, sizeof(priv->backup),
			"%s.old-%s-%d", priv->name, stamp, tries);
		if (n < 0 || (size_t)n + 5 > sizeof(priv->backup)) {
			priv->backup[0] = '\0';
			return vk_fail(err, VHKEY_ERR_ARGUMENT, priv->path);
		}
		if (linkat(pp->dirfd, priv->name, pp->dirfd, priv->backup,
			0) != 0) {
			e = errno;
			priv->backup[0] = '\0';
			if (e == EEXIST)
				continue;
			errno = e;
			return vk_fail_errno(err, priv->path);
		}
		if (!op->has_pub)
			break;
		memcpy(pub->backup, priv->backup, (size_t)n); /* room checked */
		memcpy(pub->backup + n, ".pub", 5);
		if (linkat(pp->dirfd, pub->name, pp->dirfd, pub->backup, 0) ==
		    0)
			break;
		e = errno;
		(void)unlinkat(pp->dirfd, priv->backup, 0);
		priv->backup[0] = pub->backup[0] = '\0';
		if (e == EEXIST)
			continue;
		errno = e;
		return vk_fail_errno(err, pub->path);
	}
	if (priv->backup[0] == '\0')
		return vk_fail(err, VHKEY_ERR_EXISTS, priv->path);
	if (fstatat(pp->dirfd, priv->backup, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return vk_fail_errno(err, priv->path);
	if (st.st_dev != op->st.st_dev || st.st_ino != op->st.st_ino)
		return vk_fail(err, VHKEY_ERR_IO, priv->path);
	if ((op->st.st_mode & 077) != 0 &&
	    fchmod(op->fd, op->st.st_mode & 0700) != 0)
		return vk_fail_errno(err, priv->path);
	return VHKEY_OK;
}

/* Both names, the old pair open and checked: what rotating starts with. */
static int
rotate_open(struct pair *pp, struct old_pair *op, const char *path,
    vhkey_error *err)
{
	int rc;

	op->fd = -1;
	op->key = NULL;
	op->has_pub = 0;
	op->type = VHKEY_TYPE_UNKNOWN;
	if ((rc = pair_open(pp, path, VHKEY_WRITE_REPLACE, err)) != VHKEY_OK)
		return rc;
	return old_pair_open(pp, op, err);
}

int
vhkey_rotate_pair_check(const char *path, vhkey **old_key_out,
    vhkey_error *err)
{
	struct pair pp;
	struct old_pair op;
	int rc;

	if (old_key_out != NULL)
		*old_key_out = NULL;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return vk_fail(err, rc, path);
	if ((rc = rotate_open(&pp, &op, path, err)) == VHKEY_OK &&
	    old_key_out != NULL) {
		*old_key_out = op.key;
		op.key = NULL;
	}
	old_pair_close(&op);
	pair_close(&pp);
	return rc;
}

int
vhkey_rotate_pair(const vhkey *newkey, const char *path, time_t now,
    char **backup_out, vhkey **old_key_out, vhkey_error *err)
{
	struct pair pp;
	struct old_pair op;
	char *privtext = NULL, *pubtext = NULL, *backup = NULL;
	char stamp[VHKEY_TIME_MAX], compact[VHKEY_TIME_MAX];
	unsigned flags[2] = { VHKEY_WRITE_REPLACE, VHKEY_WRITE_REPLACE };
	size_t n = 0;
	int rc;

	if (backup_out != NULL)
		*backup_out = NULL;
	if (old_key_out != NULL)
		*old_key_out = NULL;
	if (newkey == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, path);
	if ((rc = vhkey_init()) != VHKEY_OK ||
	    (rc = vhkey_format_time(now, stamp, sizeof(stamp))) != VHKEY_OK)
		return vk_fail(err, rc, path);
	/* 2026-11-28T16:20:00Z -> 20261128T162000Z: no colons in file names */
	for (const char *p = stamp; *p != '\0'; p++)
		if (*p != '-' && *p != ':')
			compact[n++] = *p;
	compact[n] = '\0';
	if ((rc = rotate_open(&pp, &op, path, err)) != VHKEY_OK)
		goto out;
	/* a rotation keeps the key's type: never change it unasked */
	if (vhkey_get_type(newkey) != op.type) {
		rc = vk_fail(err, VHKEY_ERR_KEY_TYPE, path);
		goto out;
	}
	if ((rc = pair_prepare(&pp, newkey, &privtext, &pubtext, err)) !=
		VHKEY_OK ||
	    (rc = keep_dated(&pp, &op, compact, err)) != VHKEY_OK)
		goto out;
	/* path with the suffix the backup name has */
	if (asprintf(&backup, "%s%s", path,
		pp.t[0].backup + strlen(pp.t[0].name)) < 0) {
		backup = NULL;
		rc = vk_fail(err, VHKEY_ERR_NOMEM, path);
		goto out;
	}
	if (!op.has_pub) /* nothing to replace: never clobber a newcomer */
		flags[1] = 0;
	if ((rc = pair_commit(&pp, flags, err)) != VHKEY_OK)
		goto out;
	pp.keep_backups = 1;
	if (backup_out != NULL) {
		*backup_out = backup;
		backup = NULL;
	}
	if (old_key_out != NULL) {
		*old_key_out = op.key;
		op.key = NULL;
	}
	rc = VHKEY_OK;
out:
	if (rc != VHKEY_OK && pp.dirfd >= 0)
		roll_back(&pp);
	old_pair_close(&op);
	pair_close(&pp);
	vhkey_secret_free(privtext);
	free(pubtext);
	free(backup);
	return rc;
}
