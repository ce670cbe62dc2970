/*
 * keyrewrite.c - a private key file written again in place (a new
 * passphrase, or none: vhkeygen -p), atomically, as vk_replace_file()
 * replaces one file; the .pub beside it is left alone.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "keyfile.h"

/* The file open at fd (st its fstat) holds an OpenSSH private key whose
 * public key is key's. */
static int
same_key(int fd, const struct stat *st, const vhkey *key, const char *path,
    vhkey_error *err)
{
	vhkey *old = NULL;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = vk_read_fd(fd, st->st_size, 1, &text, &len)) == VHKEY_ERR_IO)
		return vk_fail_errno(err, path);
	if (rc != VHKEY_OK)
		return vk_fail(err, rc, path);
	if (vk_openssh_public(text, len, &old) != VHKEY_OK)
		rc = vk_fail(err, VHKEY_ERR_NOT_PRIVATE, path);
	else if (!vhkey_public_equal(old, key))
		rc = vk_fail(err, VHKEY_ERR_PUBLIC_MISMATCH, path);
	vk_secret_release(text);
	vhkey_free(old);
	return rc;
}

/*
 * What is at path now must be the caller's own regular file with no other
 * name (as for a rotation: replacing it must not reach a file elsewhere),
 * not a symbolic link (rewrite the file it points to), holding an OpenSSH
 * private key whose public key is key's: a key file that changed since the
 * caller read it is not written over.
 */
static int
check_old(const vhkey *key, const char *path, vhkey_error *err)
{
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
		O_NOCTTY);
	if (fd < 0)
		return errno == ELOOP ? vk_fail(err, VHKEY_ERR_SYMLINK, path) :
					vk_fail_errno(err, path);
	if (fstat(fd, &st) != 0)
		rc = vk_fail_errno(err, path);
	else if ((rc = vk_replaceable(&st, err, path)) == VHKEY_OK)
		rc = same_key(fd, &st, key, path, err);
	(void)close(fd);
	return rc;
}

int
vhkey_rewrite_private(const vhkey *key, const char *path, vhkey_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (key == NULL || path == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, path);
	if (!vhkey_has_private(key))
		return vk_fail(err, VHKEY_ERR_NOT_PRIVATE, path);
	if ((rc = vhkey_init()) != VHKEY_OK)
		return vk_fail(err, rc, path);
	if ((rc = check_old(key, path, err)) != VHKEY_OK)
		return rc;
	if ((rc = vhkey_private_to_openssh(key, &text, &len)) != VHKEY_OK)
		return vk_fail(err, rc, path);
	rc = vk_replace_file(path, text, len, 0600, VK_REPLACE_SAFE_DIR, err);
	vhkey_secret_free(text);
	return rc;
}
