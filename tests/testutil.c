/* testutil.c - small helpers shared by the unit tests. */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "testutil.h"
#include "check.h"

const char *
tu_data(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", VHKEY_TEST_DATA, name);
	return path;
}

char *
tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

int
tu_write_file(const char *path, const void *data, size_t len, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	const char *p = data;

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

char *
tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (asprintf(&dir, "%s/vhkey-test-XXXXXX", tmp) < 0)
		return NULL;
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return NULL;
	}
	return dir;
}

void
tu_rmtree(char *dir)
{
	DIR *d;
	struct dirent *e;
	char path[8192];

	if (dir == NULL)
		return;
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (unlink(path) != 0)
				(void)rmdir(path);
		}
		closedir(d);
	}
	(void)rmdir(dir);
	free(dir);
}

unsigned
tu_mode(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

int
tu_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

vhkey *
tu_load_private(const char *name)
{
	vhkey *key = NULL;

	assert_int_equal(vhkey_load_private_file(tu_data(name), &key, NULL),
	    VHKEY_OK);
	assert_non_null(key);
	return key;
}

char *
tu_b64(const uint8_t *bin, size_t len)
{
	size_t n = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(n);

	assert_non_null(out);
	sodium_bin2base64(out, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

uint8_t *
tu_unb64(const char *b64, size_t len, size_t *outlen)
{
	uint8_t *out = malloc(len + 1);

	assert_non_null(out);
	assert_int_equal(sodium_base642bin(out, len + 1, b64, len, "\r\n",
			     outlen, NULL, sodium_base64_VARIANT_ORIGINAL),
	    0);
	return out;
}

char *
tu_armor(const uint8_t *bin, size_t len, size_t wrap)
{
	char *b64 = tu_b64(bin, len), *out, *p;
	size_t n = strlen(b64);

	out = malloc(n + n / (wrap ? wrap : n + 1) + 200);
	assert_non_null(out);
	p = out + sprintf(out, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	for (size_t i = 0; i < n;) {
		size_t k = wrap && n - i > wrap ? wrap : n - i;
		memcpy(p, b64 + i, k);
		p += k;
		*p++ = '\n';
		i += k;
	}
	strcpy(p, "-----END OPENSSH PRIVATE KEY-----\n");
	free(b64);
	return out;
}

void
tu_assert_keygen_l(const vhkey *key, const char *name)
{
	static const struct {
		vhkey_hash hash;
		const char *suffix;
	} hashes[] = { { VHKEY_HASH_SHA256, "sha256" },
		{ VHKEY_HASH_MD5, "md5" } };
	char file[256], line[VHKEY_FINGERPRINT_LINE_MAX], *want;

	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(vhkey_fingerprint_line(key, hashes[i].hash, 0,
				     line, sizeof(line)),
		    VHKEY_OK);
		snprintf(file, sizeof(file), "%s.%s", name, hashes[i].suffix);
		want = tu_read_file(tu_data(file), NULL);
		assert_non_null(want);
		/* ssh-keygen -l's own output, with its newline */
		assert_int_equal(strlen(want), strlen(line) + 1);
		assert_memory_equal(line, want, strlen(line));
		assert_int_equal(want[strlen(line)], '\n');
		free(want);
	}
}

vhkey *
tu_load_public(const char *file)
{
	vhkey *key = NULL;

	assert_int_equal(vhkey_load_public_file(tu_data(file), &key, NULL),
	    VHKEY_OK);
	assert_non_null(key);
	return key;
}

void
tu_assert_line_is_file(const vhkey *key, const char *file)
{
	size_t len;
	char *text = tu_read_file(tu_data(file), &len), *line;

	assert_non_null(text);
	assert_int_equal(vhkey_public_to_line(key, &line), VHKEY_OK);
	assert_true(len > 0 && text[len - 1] == '\n');
	text[len - 1] = '\0';
	assert_string_equal(line, text);
	free(line);
	free(text);
}

int
tu_decode_blob(const uint8_t *blob, size_t len)
{
	vhkey *key = (vhkey *)&key;
	int rc = vk_key_from_blob(blob, len, &key);

	if (rc != VHKEY_OK)
		assert_null(key);
	vhkey_free(rc == VHKEY_OK ? key : NULL);
	return rc;
}

void
tu_put_tail(struct vk_writer *w, const char *app, size_t extra)
{
	if (app != NULL)
		assert_int_equal(vk_put_cstring(w, app), VHKEY_OK);
	for (size_t i = 0; i < extra; i++)
		assert_int_equal(vk_put_u8(w, 0), VHKEY_OK);
}

void
tu_assert_public_fixture(const char *name, vhkey_type type)
{
	char file[256];
	vhkey *key;

	snprintf(file, sizeof(file), "%s.pub", name);
	key = tu_load_public(file);
	assert_int_equal(vhkey_get_type(key), type);
	assert_false(vhkey_has_private(key));
	tu_assert_keygen_l(key, name);
	tu_assert_line_is_file(key, file);
	vhkey_free(key);
}

int
tu_parse_line(const char *type, const uint8_t *blob, size_t len)
{
	char *b64 = tu_b64(blob, len), *line;
	vhkey *key = (vhkey *)&key;
	int rc;

	assert_true(asprintf(&line, "%s %s", type, b64) > 0);
	rc = vhkey_parse_public(line, strlen(line), &key);
	if (rc != VHKEY_OK)
		assert_null(key);
	vhkey_free(rc == VHKEY_OK ? key : NULL);
	free(line);
	free(b64);
	return rc;
}

struct tu_pair_dir *
tu_pair_dir_new(void)
{
	struct tu_pair_dir *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->dir = tu_mkdtemp();
	assert_non_null(fx->dir);
	snprintf(fx->path, sizeof(fx->path), "%s/id", fx->dir);
	snprintf(fx->pub, sizeof(fx->pub), "%s/id.pub", fx->dir);
	fx->key = tu_load_private("rsa2048");
	return fx;
}

void
tu_pair_dir_free(struct tu_pair_dir *fx)
{
	tu_rmtree(fx->dir);
	vhkey_free(fx->key);
	free(fx);
}
