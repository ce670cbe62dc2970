/*
 * keylist.c - a file of public keys (authorized_keys, a .pub file), read
 * as a stream and checked key by key, the way ssh-keygen -lf reads one.
 *
 * Memory stays bounded whatever the file's size: one read buffer of
 * VHKEY_PASTE_MAX + 1 bytes holds the current line, and an armored block
 * is gathered up to VHKEY_PASTE_MAX bytes.  Both may hold private key
 * bytes (a private key file given by mistake), so both are wiped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "check.h"

#define LINE_CAP (VHKEY_PASTE_MAX + 1)

/* The file, line by line. */
struct lines {
	int fd;
	char *buf; /* LINE_CAP bytes */
	size_t start, end;
	int eof;
};

/* Where a block ends. */
enum block_end {
	BLOCK_NONE = 0,
	BLOCK_ARMOR, /* at an END line */
	BLOCK_PUTTY, /* at the Private-MAC: line */
	BLOCK_EOF    /* at the end of the file (SSH-1, binary) */
};

struct keylist {
	const char *path;
	const vhkey_policy *policy;
	time_t now;
	vhkey_check_fn fn;
	void *arg;
	unsigned long keys; /* reports given */
	/* the block being gathered */
	enum block_end block;
	unsigned long block_line;
	int block_overflow;
	vk_writer blk;
};

static int
fill(struct lines *l)
{
	ssize_t n;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	do
		n = read(l->fd, l->buf + l->end, LINE_CAP - l->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return VHKEY_ERR_IO;
	if (n == 0)
		l->eof = 1;
	l->end += (size_t)n;
	return VHKEY_OK;
}

/*
 * The next line, without its newline, in [*line, *line + *len).  A line
 * longer than VHKEY_PASTE_MAX bytes is read to its end and dropped:
 * *toolong is set and *len is 0.  Returns 1 for a line, 0 at the end of
 * the file, or -1 with *rc set on a read error.
 */
static int
next_line(struct lines *l, const char **line, size_t *len, int *toolong,
    int *rc)
{
	char *nl;

	*toolong = 0;
	for (;;) {
		nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		if (nl != NULL || (l->eof && l->end > l->start)) {
			size_t e = nl ? (size_t)(nl - l->buf) : l->end;
			*line = l->buf + l->start;
			*len = e - l->start;
			l->start = nl ? e + 1 : e;
			return 1;
		}
		if (l->eof)
			return 0;
		if (l->start == 0 && l->end == LINE_CAP) {
			/* too long: drop it up to its newline */
			*toolong = 1;
			sodium_memzero(l->buf, LINE_CAP);
			l->start = l->end = 0;
			for (;;) {
				if ((*rc = fill(l)) != VHKEY_OK)
					return -1;
				nl = memchr(l->buf, '\n', l->end);
				if (nl != NULL || l->eof)
					break;
				sodium_memzero(l->buf, l->end);
				l->end = 0;
			}
			l->start = nl ? (size_t)(nl - l->buf) + 1 : l->end;
			*line = l->buf;
			*len = 0;
			return 1;
		}
		if ((*rc = fill(l)) != VHKEY_OK)
			return -1;
	}
}

/* Hand a report to the caller, with its place in the file. */
static int
deliver(struct keylist *k, vhkey_report *r, unsigned long line)
{
	int rc;

	if ((rc = vk_report_set_location(r, k->path, line)) == VHKEY_OK)
		rc = k->fn(k->arg, line, r);
	vhkey_report_free(r);
	k->keys++;
	return rc;
}

static int
check_text(struct keylist *k, const char *text, size_t len,
    unsigned long line)
{
	vhkey_report *r = vk_report_new();
	int rc;

	if (r == NULL)
		return VHKEY_ERR_NOMEM;
	if ((rc = vk_check_text(r, text, len, k->policy, k->now)) !=
	    VHKEY_OK) {
		vhkey_report_free(r);
		return rc;
	}
	return deliver(k, r, line);
}

static int
reject_at(struct keylist *k, unsigned long line, int reason, const char *msg)
{
	vhkey_report *r = vk_report_new();
	int rc;

	if (r == NULL)
		return VHKEY_ERR_NOMEM;
	if ((rc = vk_report_reject(r, reason, "%s", msg)) != VHKEY_OK) {
		vhkey_report_free(r);
		return rc;
	}
	return deliver(k, r, line);
}

static const char too_long[] =
    "This line is longer than 65536 bytes, far longer than any public "
    "key: it was not checked. An authorized_keys file holds one key per "
    "line, each a few hundred bytes.";

static int
end_block(struct keylist *k)
{
	const struct vk_private_kind *kind;
	int rc;

	if (k->block == BLOCK_NONE)
		return VHKEY_OK;
	k->block = BLOCK_NONE;
	if (!k->block_overflow)
		rc = check_text(k, (const char *)k->blk.data, k->blk.len,
		    k->block_line);
	else if ((kind = vk_private_format(k->blk.data, k->blk.len)) != NULL)
		/* too long to check whole, but its start says enough */
		rc = check_text(k, (const char *)k->blk.data, k->blk.len,
		    k->block_line);
	else
		rc = reject_at(k, k->block_line, VHKEY_REASON_TOO_LARGE,
		    "This block is longer than 65536 bytes, far longer than "
		    "any public key: it was not checked.");
	vk_writer_clear(&k->blk);
	return rc;
}

static int
starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

/* Does this (trimmed) line start a block, and where does it end? */
static enum block_end
block_start(const char *s, size_t len)
{
	const char *label;
	size_t labellen;

	if (vk_armor_line(s, len, "BEGIN", &label, &labellen))
		return BLOCK_ARMOR;
	if (starts_with(s, len, "PuTTY-User-Key-File-"))
		return BLOCK_PUTTY;
	if (starts_with(s, len, "SSH PRIVATE KEY FILE FORMAT 1.1"))
		return BLOCK_EOF;
	return BLOCK_NONE;
}

/* Does this (trimmed) line end the block being gathered? */
static int
block_done(const struct keylist *k, const char *s, size_t len)
{
	const char *label;
	size_t labellen;

	switch (k->block) {
	case BLOCK_ARMOR:
		return vk_armor_line(s, len, "END", &label, &labellen);
	case BLOCK_PUTTY:
		return starts_with(s, len, "Private-MAC:");
	default:
		return 0;
	}
}

static int
block_add(struct keylist *k, const char *line, size_t len, int toolong)
{
	int rc;

	if (toolong || k->blk.len + len + 1 > VHKEY_PASTE_MAX) {
		k->block_overflow = 1;
		return VHKEY_OK;
	}
	if ((rc = vk_put_bytes(&k->blk, line, len)) != VHKEY_OK ||
	    (rc = vk_put_u8(&k->blk, '\n')) != VHKEY_OK)
		return rc;
	return VHKEY_OK;
}

static int
one_line(struct keylist *k, unsigned long lineno, const char *line,
    size_t len, int toolong)
{
	size_t b = 0, e = len, t;
	int rc;

	/* a byte order mark is no content (vk_check_text() reports it) */
	if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		b = 3;
	while (b < e && (line[b] == ' ' || line[b] == '\t'))
		b++;
	while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t' ||
			    line[e - 1] == '\r'))
		e--;
	if (k->block != BLOCK_NONE) {
		/* a key line cuts short a block that has no END line */
		for (t = b; t < e && line[t] != ' ' && line[t] != '\t'; t++)
			;
		if (k->block == BLOCK_ARMOR && !toolong &&
		    (block_start(line + b, e - b) != BLOCK_NONE ||
			vk_name_kind(line + b, t - b, NULL) ==
			    VK_NAME_SUPPORTED)) {
			if ((rc = end_block(k)) != VHKEY_OK)
				return rc;
			return one_line(k, lineno, line, len, toolong);
		}
		if ((rc = block_add(k, line, len, toolong)) != VHKEY_OK)
			return rc;
		return !toolong && block_done(k, line + b, e - b) ?
		    end_block(k) :
		    VHKEY_OK;
	}
	if (toolong)
		return reject_at(k, lineno, VHKEY_REASON_TOO_LARGE, too_long);
	if (b == e || line[b] == '#')
		return VHKEY_OK;
	if ((k->block = block_start(line + b, e - b)) != BLOCK_NONE) {
		k->block_line = lineno;
		k->block_overflow = 0;
		vk_writer_clear(&k->blk);
		return block_add(k, line, len, 0);
	}
	return check_text(k, line, len, lineno);
}

static int
check_fd(struct keylist *k, int fd, vhkey_error *err)
{
	struct lines l = { fd, NULL, 0, 0, 0 };
	unsigned long lineno = 0;
	const char *line;
	size_t len;
	int toolong, got, rc = VHKEY_OK;

	if ((l.buf = malloc(LINE_CAP)) == NULL)
		return VHKEY_ERR_NOMEM;
	while ((got = next_line(&l, &line, &len, &toolong, &rc)) == 1) {
		if ((rc = one_line(k, ++lineno, line, len, toolong)) !=
		    VHKEY_OK)
			break;
	}
	if (got < 0) {
		vk_error_set(err, rc, errno, k->path);
	} else if (rc == VHKEY_OK && (rc = end_block(k)) == VHKEY_OK &&
	    k->keys == 0) {
		rc = reject_at(k, 0, VHKEY_REASON_MALFORMED,
		    lineno == 0 ? "The file is empty: it holds no key." :
				  "The file holds no key: only blank lines and "
				  "comments.");
	}
	sodium_memzero(l.buf, LINE_CAP);
	free(l.buf);
	return rc;
}

/* A FIFO with a name of its own, rather than a pipe behind a link. */
static int
is_named_pipe(const char *path)
{
	struct stat lst;

	return lstat(path, &lst) == 0 && S_ISFIFO(lst.st_mode);
}

int
vhkey_check_keys_file(const char *path, const vhkey_policy *policy,
    time_t now, vhkey_check_fn fn, void *arg, vhkey_error *err)
{
	struct keylist k;
	vhkey_policy *defaults = NULL;
	struct stat st;
	int fd, rc, e;

	if (path == NULL || fn == NULL) {
		vk_error_set(err, VHKEY_ERR_ARGUMENT, 0, path);
		return VHKEY_ERR_ARGUMENT;
	}
	if ((rc = vhkey_init()) != VHKEY_OK) {
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	/* O_NONBLOCK: opening a named pipe nobody writes to must not hang */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) <
		0 ||
	    fstat(fd, &st) != 0 ||
	    (S_ISFIFO(st.st_mode) && !is_named_pipe(path) &&
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)) {
		e = errno;
		if (fd >= 0)
			close(fd);
		vk_error_set(err, vk_status_from_errno(e), e, path);
		errno = e;
		return vk_status_from_errno(e);
	}
	/* a pipe reached through a link (/dev/stdin, a shell's <(...)) is
	 * read; a named pipe in a directory is no key file */
	if ((!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) &&
		!S_ISCHR(st.st_mode)) ||
	    (S_ISFIFO(st.st_mode) && is_named_pipe(path))) {
		close(fd);
		/* "not a regular file" says more than EINVAL would */
		e = S_ISDIR(st.st_mode) ? EISDIR : 0;
		vk_error_set(err, VHKEY_ERR_NOT_REGULAR, e, path);
		errno = e;
		return VHKEY_ERR_NOT_REGULAR;
	}
	if (policy == NULL &&
	    (rc = vhkey_policy_new(&defaults)) != VHKEY_OK) {
		close(fd);
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	memset(&k, 0, sizeof(k));
	k.path = path;
	k.policy = policy != NULL ? policy : defaults;
	k.now = now;
	k.fn = fn;
	k.arg = arg;
	vk_writer_init(&k.blk, 0);
	rc = check_fd(&k, fd, err);
	vk_writer_clear(&k.blk);
	vhkey_policy_free(defaults);
	close(fd);
	return rc;
}

/* Does the regular file at path start as an OpenSSH private key does?
 * Opened with O_NONBLOCK so that a FIFO cannot hang the look. */
static int
is_openssh_private_file(const char *path)
{
	static const char mark[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	char head[sizeof(mark) - 1];
	struct stat st;
	ssize_t n;
	int fd, yes = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		n = pread(fd, head, sizeof(head), 0);
		yes = n == (ssize_t)sizeof(head) &&
		    memcmp(head, mark, sizeof(head)) == 0;
	}
	close(fd);
	return yes;
}

int
vhkey_check_file(const char *path, const vhkey_policy *policy, time_t now,
    vhkey_check_fn fn, void *arg, vhkey_error *err)
{
	vhkey_report *r = NULL;
	int rc;

	if (path == NULL || fn == NULL) {
		vk_error_set(err, VHKEY_ERR_ARGUMENT, 0, path);
		return VHKEY_ERR_ARGUMENT;
	}
	if (!is_openssh_private_file(path))
		return vhkey_check_keys_file(path, policy, now, fn, arg, err);
	/* the private check opens the file again and decides on what it
	 * opened: a file swapped meanwhile gets its own verdict */
	if ((rc = vhkey_check_private_file(path, policy, now, &r)) !=
		VHKEY_OK ||
	    (rc = vk_report_set_location(r, path, 0)) != VHKEY_OK) {
		vhkey_report_free(r);
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	rc = fn(arg, 0, r);
	vhkey_report_free(r);
	if (rc != 0) {
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	return VHKEY_OK;
}

int
vhkey_check_paste_fd(int fd, const vhkey_policy *policy, time_t now,
    vhkey_report **out, vhkey_error *err)
{
	vk_writer w;
	char buf[4096];
	ssize_t n;
	int rc = VHKEY_OK;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	vk_writer_init(&w, 0);
	/* one byte more than is allowed tells a paste that is too large */
	while (w.len <= VHKEY_PASTE_MAX) {
		size_t want = VHKEY_PASTE_MAX + 1 - w.len;
		n = read(fd, buf, want < sizeof(buf) ? want : sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			vk_error_set(err, VHKEY_ERR_IO, errno, "");
			rc = VHKEY_ERR_IO;
			break;
		}
		if (n == 0)
			break;
		if ((rc = vk_put_bytes(&w, buf, (size_t)n)) != VHKEY_OK)
			break;
	}
	sodium_memzero(buf, sizeof(buf));
	if (rc == VHKEY_OK)
		rc = vhkey_check_paste(w.data, w.len, policy, now, out);
	vk_writer_clear(&w);
	return rc;
}
