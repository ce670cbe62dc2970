/*
 * keyrotate.c - a key pair rotated on disk: the old pair checked (the
 * caller's own regular files, one name each, an OpenSSH private key),
 * kept under dated backup names, and the new pair put in its place in
 * one transaction (keyfile.h).
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
old_key_read(struct vk_pair *pp, struct old_pair *op)
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
old_pair_open(struct vk_pair *pp, struct old_pair *op, vhkey_error *err)
{
	struct stat pst;
	int rc;

	op->fd = openat(pp->dirfd, pp->t[0].name,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (op->fd < 0)
		return vk_fail_errno(err, pp->t[0].path);
	if (fstat(op->fd, &op->st) != 0)
		return vk_fail_errno(err, pp->t[0].path);
	if ((rc = vk_replaceable(&op->st, err, pp->t[0].path)) != VHKEY_OK)
		return rc;
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
keep_dated(struct vk_pair *pp, const struct old_pair *op, const char *stamp,
    vhkey_error *err)
{
	struct vk_target *priv = &pp->t[0], *pub = &pp->t[1];
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
rotate_open(struct vk_pair *pp, struct old_pair *op, const char *path,
    vhkey_error *err)
{
	int rc;

	op->fd = -1;
	op->key = NULL;
	op->has_pub = 0;
	op->type = VHKEY_TYPE_UNKNOWN;
	if ((rc = vk_pair_open(pp, path, VHKEY_WRITE_REPLACE, err)) != VHKEY_OK)
		return rc;
	return old_pair_open(pp, op, err);
}

int
vhkey_rotate_pair_check(const char *path, vhkey **old_key_out,
    vhkey_error *err)
{
	struct vk_pair pp;
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
	vk_pair_close(&pp);
	return rc;
}

int
vhkey_rotate_pair(const vhkey *newkey, const char *path, time_t now,
    char **backup_out, char **pub_backup_out, vhkey **old_key_out,
    vhkey_error *err)
{
	struct vk_pair pp;
	struct old_pair op;
	char *privtext = NULL, *pubtext = NULL, *backup = NULL,
	     *pub_backup = NULL;
	char stamp[VHKEY_TIME_MAX], compact[VHKEY_TIME_MAX];
	unsigned flags[2] = { VHKEY_WRITE_REPLACE, VHKEY_WRITE_REPLACE };
	size_t n = 0;
	int rc;

	if (backup_out != NULL)
		*backup_out = NULL;
	if (pub_backup_out != NULL)
		*pub_backup_out = NULL;
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
	if ((rc = vk_pair_prepare(&pp, newkey, &privtext, &pubtext, err)) !=
		VHKEY_OK ||
	    (rc = keep_dated(&pp, &op, compact, err)) != VHKEY_OK)
		goto out;
	/* path with the suffix the backup name has; the .pub's when
	 * keep_dated() made one (there was an old .pub) */
	if (asprintf(&backup, "%s%s", path,
		pp.t[0].backup + strlen(pp.t[0].name)) < 0)
		backup = NULL;
	if (backup != NULL && op.has_pub &&
	    asprintf(&pub_backup, "%s.pub", backup) < 0)
		pub_backup = NULL;
	if (backup == NULL || (op.has_pub && pub_backup == NULL)) {
		rc = vk_fail(err, VHKEY_ERR_NOMEM, path);
		goto out;
	}
	if (!op.has_pub) /* nothing to replace: never clobber a newcomer */
		flags[1] = 0;
	if ((rc = vk_pair_commit(&pp, flags, err)) != VHKEY_OK)
		goto out;
	pp.keep_backups = 1;
	if (backup_out != NULL) {
		*backup_out = backup;
		backup = NULL;
	}
	if (pub_backup_out != NULL) {
		*pub_backup_out = pub_backup;
		pub_backup = NULL;
	}
	if (old_key_out != NULL) {
		*old_key_out = op.key;
		op.key = NULL;
	}
	rc = VHKEY_OK;
out:
	if (rc != VHKEY_OK && pp.dirfd >= 0)
		vk_pair_roll_back(&pp);
	old_pair_close(&op);
	vk_pair_close(&pp);
	vhkey_secret_free(privtext);
	free(pubtext);
	free(backup);
	free(pub_backup);
	return rc;
}
