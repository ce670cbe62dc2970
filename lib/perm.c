/*
 * perm.c - is a private key file fit for ssh: what it is, who owns it, who
 * else may read it, whether its .pub matches, how old it is; and the one
 * fix the library applies itself, taking away group and other bits.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vhkey_internal.h"

/* What one check of a private key file has found so far. */
struct check {
	const char *path;
	char *qpath; /* path quoted for a shell */
	const vhkey_policy *policy;
	time_t now;
	vhkey_report *r;
	int is_link;
	int fd;
	struct stat st;
	int stop;	  /* the file could not be read: nothing more to check */
	int not_key;	  /* the file holds no key */
	vhkey *key;	  /* the key, at least its public part, or NULL */
	int key_complete; /* key was read whole, comment and all */
	vhkey *pub;	  /* path.pub, when it holds the same key */
	int no_pub;	  /* there is no path.pub */
};

/* The user's name, or else the number; for messages and for chown. */
static void
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char tmp[4096];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res != NULL)
		snprintf(buf, len, "%s", pw.pw_name);
	else
		snprintf(buf, len, "%lu", (unsigned long)uid);
}

static const char *
file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a named pipe (FIFO)";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

static const char *
errno_text(int e)
{
	return vhkey_strerror(vk_status_from_errno(e));
}

/*
 * A symbolic link is followed, as ssh follows it, but said.  lstat() is
 * only for this note: every decision below is made on the opened file.
 */
static int
note_link(struct check *c)
{
	struct stat lst;
	char target[PATH_MAX];
	ssize_t n;

	if (lstat(c->path, &lst) != 0 || !S_ISLNK(lst.st_mode))
		return VHKEY_OK;
	c->is_link = 1;
	if ((n = readlink(c->path, target, sizeof(target) - 1)) < 0)
		return vk_report_warn(c->r,
		    "'%s' is a symbolic link: ssh follows it, so the checks "
		    "are of the file it points to.",
		    c->path);
	target[n] = '\0';
	return vk_report_warn(c->r,
	    "'%s' is a symbolic link to '%s': ssh follows it, so the checks "
	    "are of the file it points to.",
	    c->path, target);
}

/* Open once, without blocking on a FIFO; then only the descriptor. */
static int
open_file(struct check *c)
{
	int e;

	c->fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (c->fd < 0 || fstat(c->fd, &c->st) != 0) {
		e = errno;
		c->stop = 1;
		return vk_report_add_finding(c->r, VHKEY_REASON_IO_ERROR, NULL,
		    "Cannot open '%s'%s: %s.", c->path,
		    c->is_link && e == ENOENT ? " (the link points nowhere)" :
						"",
		    errno_text(e));
	}
	if (!S_ISREG(c->st.st_mode)) {
		c->stop = 1;
		return vk_report_add_finding(c->r, VHKEY_REASON_IO_ERROR, NULL,
		    "'%s' is %s, not a private key file.", c->path,
		    file_kind(c->st.st_mode));
	}
	return VHKEY_OK;
}

/* The caller's own file, or root's (root can read it anyway). */
static int
check_owner(struct check *c)
{
	char owner[256], me[256], *fix;
	uid_t uid = geteuid();
	int rc;

	if (c->st.st_uid == uid || c->st.st_uid == 0)
		return VHKEY_OK;
	user_name(c->st.st_uid, owner, sizeof(owner));
	user_name(uid, me, sizeof(me));
	if (asprintf(&fix, "sudo chown %s %s", me, c->qpath) < 0)
		return VHKEY_ERR_NOMEM;
	rc = vk_report_add_finding(c->r, VHKEY_REASON_BAD_OWNER, fix,
	    "'%s' belongs to %s (uid %lu), not to you (%s): whoever owns a "
	    "private key file can read it and replace the key.  A private key "
	    "must belong to the user who uses it.",
	    c->path, owner, (unsigned long)c->st.st_uid, me);
	free(fix);
	return rc;
}

/* ssh's own rule: (mode & 077) == 0, so 0600, 0400 and 0700 pass. */
static int
check_mode(struct check *c)
{
	mode_t m = c->st.st_mode & 07777;
	char owner[256], *fix;
	int rc;

	if ((m & 077) == 0)
		return VHKEY_OK;
	user_name(c->st.st_uid, owner, sizeof(owner));
	if (asprintf(&fix, "chmod 600 %s", c->qpath) < 0)
		return VHKEY_ERR_NOMEM;
	rc = vk_report_add_finding(c->r, VHKEY_REASON_BAD_PERMISSIONS, fix,
	    "Permissions %04o for '%s' (owner %s) are too open: other users "
	    "can %s this private key, and ssh refuses to use it (\"WARNING: "
	    "UNPROTECTED PRIVATE KEY FILE!\").  A private key must be "
	    "readable by its owner only.",
	    (unsigned)m, c->path, owner,
	    (m & 044) && (m & 022) ? "read and change" :
	    (m & 044)		   ? "read" :
				     "change");
	free(fix);
	return rc;
}

/* The key, from the bytes of the opened file. */
static int
read_key(struct check *c)
{
	char *text = NULL;
	size_t len = 0;
	int rc, e;

	rc = vk_read_fd(c->fd, c->st.st_size, 1, &text, &len);
	if (rc == VHKEY_ERR_TOO_LARGE || rc == VHKEY_ERR_IO) {
		e = errno;
		c->stop = 1;
		if (rc == VHKEY_ERR_TOO_LARGE)
			return vk_report_add_finding(c->r,
			    VHKEY_REASON_TOO_LARGE, NULL,
			    "'%s' is larger than any key file (over %d "
			    "bytes): it is not a private key.",
			    c->path, VHKEY_FILE_MAX);
		return vk_report_add_finding(c->r, VHKEY_REASON_IO_ERROR, NULL,
		    "Cannot read '%s': %s.", c->path, errno_text(e));
	}
	if (rc != VHKEY_OK)
		return rc;
	if ((rc = vhkey_parse_private(text, len, &c->key)) == VHKEY_OK)
		c->key_complete = 1;
	else if (rc == VHKEY_ERR_ENCRYPTED) /* its public key is not */
		rc = vk_openssh_public(text, len, &c->key);
	vk_secret_release(text);
	if (rc == VHKEY_OK || rc == VHKEY_ERR_NOMEM)
		return rc;
	if (rc == VHKEY_ERR_KEY_TYPE)
		return vk_report_warn(c->r,
		    "'%s' holds a type of key this version of libvhkey does "
		    "not read (it reads RSA keys): its owner and permissions "
		    "were checked, its .pub and creation stamp were not.",
		    c->path);
	c->not_key = 1;
	return vk_report_add_finding(c->r, VHKEY_REASON_MALFORMED, NULL,
	    "'%s' is not an OpenSSH private key that libvhkey can read: %s.",
	    c->path, vhkey_strerror(rc));
}

/* path.pub, when there is one, holds the same public key. */
static int
check_pair(struct check *c)
{
	char *pubpath = NULL, *qpub = NULL, *fix = NULL, *text = NULL;
	char fp[VHKEY_FINGERPRINT_MAX], pubfp[VHKEY_FINGERPRINT_MAX];
	vhkey *pub = NULL;
	vhkey_error err;
	size_t len = 0;
	int rc, prc;

	if (c->key == NULL)
		return VHKEY_OK;
	if (asprintf(&pubpath, "%s.pub", c->path) < 0)
		return VHKEY_ERR_NOMEM;
	if ((qpub = vk_shell_quote(pubpath)) == NULL ||
	    asprintf(&fix, "ssh-keygen -y -f %s > %s", c->qpath, qpub) < 0) {
		fix = NULL;
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	prc = vk_read_key_file(pubpath, 0, NULL, NULL, &text, &len, &err);
	if (prc == VHKEY_ERR_NOENT) {
		c->no_pub = 1;
		rc = VHKEY_OK;
		goto out;
	}
	if (prc != VHKEY_OK && prc != VHKEY_ERR_TOO_LARGE &&
	    prc != VHKEY_ERR_NOMEM) {
		rc = vk_report_warn(c->r,
		    "Cannot read '%s' (%s): the pair was not checked.",
		    pubpath, vhkey_strerror(prc));
		goto out;
	}
	if (prc == VHKEY_OK)
		prc = vhkey_parse_public(text, len, &pub);
	if (prc == VHKEY_ERR_NOMEM) {
		rc = prc;
		goto out;
	}
	if (prc != VHKEY_OK) {
		rc = vk_report_add_finding(c->r, VHKEY_REASON_PAIR_MISMATCH,
		    fix,
		    "'%s', beside '%s', does not hold a public key that "
		    "libvhkey reads (%s).  Make it again from the private "
		    "key.",
		    pubpath, c->path, vhkey_strerror(prc));
		goto out;
	}
	if (!vhkey_public_equal(pub, c->key)) {
		if ((rc = vhkey_fingerprint(c->key, VHKEY_HASH_SHA256, fp,
			 sizeof(fp))) != VHKEY_OK ||
		    (rc = vhkey_fingerprint(pub, VHKEY_HASH_SHA256, pubfp,
			 sizeof(pubfp))) != VHKEY_OK)
			goto out;
		rc = vk_report_add_finding(c->r, VHKEY_REASON_PAIR_MISMATCH,
		    fix,
		    "'%s' holds another public key (%s) than '%s' (%s).  A "
		    "stale .pub pasted to the server is a common cause of "
		    "\"Authentication failed\" (\"Permission denied "
		    "(publickey)\"): the server knows a key that this private "
		    "key cannot prove.  Make the .pub again from the private "
		    "key, and paste the new one.",
		    pubpath, pubfp, c->path, fp);
		goto out;
	}
	c->pub = pub;
	pub = NULL;
	rc = VHKEY_OK;
out:
	free(text);
	vhkey_free(pub);
	free(fix);
	free(qpub);
	free(pubpath);
	return rc;
}

/*
 * The age: from the creation stamp in the private key's comment, or in
 * the .pub's when the private one could not be read whole (a
 * passphrase-protected key); else estimated from the file's mtime, which
 * is no earlier than the key (short of cp -p or touch).
 */
static int
check_age(struct check *c)
{
	const vhkey *src = c->key_complete ? c->key : c->pub;
	time_t created;
	int rc;

	if (c->not_key)
		return VHKEY_OK;
	if (src != NULL) {
		rc = vhkey_created_time(src, &created);
		if (rc == VHKEY_OK)
			return vk_rotation_record(c->r, created, 0, c->now,
			    c->policy, c->path);
		if (rc != VHKEY_ERR_NO_STAMP &&
		    (rc = vk_report_warn(c->r,
			 "The comment of the key in '%s' carries a malformed "
			 "creation stamp (" VHKEY_STAMP_PREFIX "...): it is "
			 "ignored.",
			 c->key_complete ? c->path : "its .pub")) != VHKEY_OK)
			return rc;
	}
	return vk_rotation_record(c->r, c->st.st_mtime, 1, c->now, c->policy,
	    c->path);
}

/* The key the report shows: public only, with the comment when known. */
static int
report_key(struct check *c)
{
	const vhkey *k = c->key_complete ? c->key : c->pub ? c->pub : c->key;

	return k != NULL ? vk_report_set_key(c->r, k) : VHKEY_OK;
}

/* An accepted report says what was checked. */
static int
summarise(struct check *c)
{
	const vhkey_rotation *rot = vhkey_report_rotation(c->r);
	char owner[256], due[VHKEY_TIME_MAX] = "", pair[64], age[128];

	if (vhkey_report_verdict(c->r) != VHKEY_ACCEPTED)
		return VHKEY_OK;
	user_name(c->st.st_uid, owner, sizeof(owner));
	snprintf(pair, sizeof(pair), "%s",
	    c->pub	      ? "; its .pub holds the same key" :
	    c->no_pub && c->key ? "; there is no .pub beside it" :
				  "");
	age[0] = '\0';
	if (rot != NULL && vhkey_format_time(rot->due, due, sizeof(due)) ==
		VHKEY_OK)
		snprintf(age, sizeof(age), "; %lld day%s old%s, rotation due %s",
		    rot->age_days, rot->age_days == 1 ? "" : "s",
		    vhkey_report_created_estimated(c->r) ? " (estimated)" : "",
		    due);
	return vk_report_accept(c->r, "'%s' is fit for ssh: mode %04o, owner %s%s%s.",
	    c->path, (unsigned)(c->st.st_mode & 07777), owner, pair, age);
}

int
vhkey_check_private_file(const char *path, const vhkey_policy *policy,
    time_t now, vhkey_report **out)
{
	struct check c = { .path = path, .policy = policy, .now = now,
		.fd = -1 };
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if (path == NULL)
		return VHKEY_ERR_ARGUMENT;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if ((c.r = vk_report_new()) == NULL ||
	    (c.qpath = vk_shell_quote(path)) == NULL) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	if ((rc = note_link(&c)) != VHKEY_OK || (rc = open_file(&c)) != VHKEY_OK)
		goto out;
	if (!c.stop &&
	    ((rc = check_owner(&c)) != VHKEY_OK ||
		(rc = check_mode(&c)) != VHKEY_OK ||
		(rc = read_key(&c)) != VHKEY_OK))
		goto out;
	if (!c.stop &&
	    ((rc = check_pair(&c)) != VHKEY_OK ||
		(rc = check_age(&c)) != VHKEY_OK ||
		(rc = report_key(&c)) != VHKEY_OK ||
		(rc = summarise(&c)) != VHKEY_OK))
		goto out;
	*out = c.r;
	c.r = NULL;
out:
	if (c.fd >= 0)
		close(c.fd);
	vhkey_report_free(c.r);
	vhkey_free(c.key);
	vhkey_free(c.pub);
	free(c.qpath);
	return rc;
}

/* What vhkey_check_private_file() reads as a private key. */
static int
private_key_text(const char *text, size_t len)
{
	vhkey *key = NULL;
	int rc = vhkey_parse_private(text, len, &key);

	vhkey_free(key);
	if (rc == VHKEY_ERR_NOMEM)
		return rc;
	return rc == VHKEY_OK || rc == VHKEY_ERR_ENCRYPTED ||
		rc == VHKEY_ERR_KEY_TYPE ?
	    VHKEY_OK :
	    VHKEY_ERR_NOT_PRIVATE;
}

/*
 * Why the fix follows a link, and why that is safe.  ssh follows a link to
 * a key, and so does the check; the fix must act on the same file, or
 * "chmod 600 'path'" (which follows it too) and the fix would differ.
 * Whatever the name leads to when the fix opens it, every decision is made
 * on the opened file (fstat: a regular file, the caller's; its content: a
 * private key) and the change goes through the same descriptor (fchmod),
 * so nothing can be swapped between deciding and changing.  A name swapped
 * for a link after the check can only lead the fix to another private key
 * file of the caller's, and for that the fix only takes permissions away:
 * it cannot be turned on, say, /etc/shadow or a shell script, even when
 * the caller is root.  (O_NOFOLLOW would refuse the keys that ssh uses
 * through a link, and it guards the last name of the path only.)
 */
int
vhkey_fix_permissions(const char *path, vhkey_error *err)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int fd, rc;

	if (path == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, NULL);
	vk_error_set(err, VHKEY_OK, 0, path);
	if ((rc = vhkey_init()) != VHKEY_OK)
		return vk_fail(err, rc, path);
	if ((rc = vk_read_key_file(path, VK_READ_SECRET | VK_READ_OWN, &fd,
		 &st, &text, &len, err)) != VHKEY_OK)
		return rc;
	if ((rc = private_key_text(text, len)) != VHKEY_OK)
		vk_fail(err, rc, path);
	else if ((st.st_mode & 077) != 0 && fchmod(fd, 0600) != 0)
		rc = vk_fail_errno(err, path);
	vk_secret_release(text);
	close(fd);
	return rc;
}
