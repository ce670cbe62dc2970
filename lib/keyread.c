/*
 * keyread.c - reading a key file: a regular file (never a device, never
 * blocking on a FIFO), bounded, secrets into guarded memory.
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

/* A key file: private (secret, with the passphrase pass[0, passlen),
 * NULL: none) or public. */
static int
load_file(const char *path, int secret, const char *pass, size_t passlen,
    vhkey **out, vhkey_error *err)
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
		rc = vhkey_parse_private_passphrase(text, len, pass, passlen,
		    out);
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
	return load_file(path, 1, NULL, 0, out, err);
}

int
vhkey_load_private_file_passphrase(const char *path, const char *pass,
    size_t passlen, vhkey **out, vhkey_error *err)
{
	return load_file(path, 1, pass, passlen, out, err);
}

int
vhkey_load_public_file(const char *path, vhkey **out, vhkey_error *err)
{
	return load_file(path, 0, NULL, 0, out, err);
}
