/*
 * keylist.c - a file of public keys (authorized_keys, a .pub file), read
 * as a stream and checked key by key, the way ssh-keygen -lf reads one.
 *
 * Memory stays bounded whatever the file's size: one read buffer of
 * VHKEY_PASTE_MAX + 1 bytes holds the current line, an armored block is
 * gathered up to VHKEY_PASTE_MAX bytes, and at most four batches of lines
 * a worker wait to be checked or delivered.  All may hold private key
 * bytes (a private key file given by mistake), so all are wiped.
 *
 * Each line or block to check (and each rejection decided here) is a
 * job of the worker ring (workers.h), which checks a big file on every
 * processor and hands the reports back in the file's order.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "workers.h"

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
	BLOCK_BODY,  /* at an END line, or before a line not of base64 */
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
	unsigned long block_line, block_last;
	int block_overflow;
	vk_writer blk;
	struct vk_ring *ring; /* the batches and the workers */
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

/* Hand a report to the caller, with its place in the file.  The report
 * stays with its batch: the thread that made it frees it. */
static int
deliver(struct keylist *k, vhkey_report *r, unsigned long line,
    unsigned long last)
{
	r->last_line = last;
	k->keys++;
	return vk_report_deliver(r, k->path, line, k->fn, k->arg);
}

/* The ring's deliverer (vk_job_deliver_fn). */
static int
deliver_job(void *ctx, const struct vk_job *j)
{
	return deliver(ctx, j->r, j->line, j->last);
}

/* A job of the ring (vk_job_run_fn): its text checked as a line or block
 * of the file, or the rejection decided already reported. */
static void
run_job(void *ctx, struct vk_job *j, const char *text,
    const struct vk_memos *memos)
{
	const struct keylist *k = ctx;

	if ((j->r = vk_report_new()) == NULL) {
		j->rc = VHKEY_ERR_NOMEM;
		return;
	}
	/* line 0 is reject_at()'s word on the file as a whole */
	vk_report_set_subject(j->r, j->line == 0 ? VHKEY_SUBJECT_KEYS_FILE :
						   VHKEY_SUBJECT_KEY_LINE);
	if (j->msg != NULL)
		j->rc = vk_report_reject(j->r, j->reason, "%s", j->msg);
	else
		j->rc = vk_check_text(j->r, text + j->off, j->len, k->policy,
		    k->now, memos, VK_CHECK_FILE_LINE);
}

static int
check_text(struct keylist *k, const char *text, size_t len,
    unsigned long line, unsigned long last)
{
	return vk_ring_add(k->ring, line, last, text, len, 0, NULL);
}

static int
reject_at(struct keylist *k, unsigned long line, int reason, const char *msg)
{
	return vk_ring_add(k->ring, line, line, NULL, 0, reason, msg);
}

static const char too_long[] =
    "This line is longer than 65536 bytes, far longer than any public "
    "key: it was not checked. An authorized_keys file holds one key per "
    "line, each a few hundred bytes.";

static int
end_block(struct keylist *k)
{
	enum block_end block = k->block;
	int rc;

	if (block == BLOCK_NONE)
		return VHKEY_OK;
	k->block = BLOCK_NONE;
	if (!k->block_overflow)
		rc = check_text(k, (const char *)k->blk.data, k->blk.len,
		    k->block_line, k->block_last);
	else if (block == BLOCK_BODY ||
	    vk_private_format(k->blk.data, k->blk.len) != NULL)
		/* too long to check whole, but its start says enough: a
		 * private key's marker, or lines of base64 alone */
		rc = check_text(k, (const char *)k->blk.data, k->blk.len,
		    k->block_line, k->block_last);
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

/* Is this (trimmed) line nothing but base64: a line of a key's body? */
static int
body_line(const char *s, size_t len)
{
	size_t pad = 0;

	while (pad < 2 && pad < len && s[len - 1 - pad] == '=')
		pad++;
	return len > pad && vk_base64_alphabet(s, len - pad);
}

/*
 * Does this (trimmed) line start the lines of a private key's body
 * without its BEGIN line: a whole line that looks like one
 * (vk_keyish_word())?  They are gathered and checked together, as a
 * paste of them would be: a last line, shorter, says nothing alone.
 */
static int
body_start(const char *s, size_t len)
{
	return vk_keyish_word(s, len, VK_KEYISH_MIN) == len;
}

/* Does this (trimmed) line end the block being gathered? */
static int
block_done(const struct keylist *k, const char *s, size_t len)
{
	const char *label;
	size_t labellen;

	switch (k->block) {
	case BLOCK_ARMOR:
	case BLOCK_BODY:
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
		/* a key line cuts short a block that has no END line; any
		 * line but base64 ends a body */
		for (t = b; t < e && line[t] != ' ' && line[t] != '\t'; t++)
			;
		if ((k->block == BLOCK_ARMOR && !toolong &&
			(block_start(line + b, e - b) != BLOCK_NONE ||
			    vk_name_kind(line + b, t - b, NULL) ==
				VK_NAME_SUPPORTED)) ||
		    (k->block == BLOCK_BODY && !body_line(line + b, e - b) &&
			!block_done(k, line + b, e - b))) {
			if ((rc = end_block(k)) != VHKEY_OK)
				return rc;
			return one_line(k, lineno, line, len, toolong);
		}
		if ((rc = block_add(k, line, len, toolong)) != VHKEY_OK)
			return rc;
		k->block_last = lineno;
		return !toolong && block_done(k, line + b, e - b) ?
		    end_block(k) :
		    VHKEY_OK;
	}
	if (toolong)
		return reject_at(k, lineno, VHKEY_REASON_TOO_LARGE, too_long);
	if (b == e || line[b] == '#')
		return VHKEY_OK;
	if ((k->block = block_start(line + b, e - b)) == BLOCK_NONE &&
	    body_start(line + b, e - b))
		k->block = BLOCK_BODY;
	if (k->block != BLOCK_NONE) {
		k->block_line = k->block_last = lineno;
		k->block_overflow = 0;
		vk_writer_clear(&k->blk);
		return block_add(k, line, len, 0);
	}
	return check_text(k, line, len, lineno, lineno);
}

static int
keylist_init(struct keylist *k)
{
	vk_writer_init(&k->blk, 0);
	return vk_ring_new(&k->ring, run_job, deliver_job, k);
}

/* After the check, whether it ran to the end or stopped. */
static void
keylist_clear(struct keylist *k)
{
	vk_ring_free(k->ring);
	vk_writer_clear(&k->blk);
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
		goto out;
	}
	if (rc == VHKEY_OK && (rc = end_block(k)) == VHKEY_OK &&
	    (rc = vk_ring_flush(k->ring)) == VHKEY_OK && k->keys == 0) {
		if ((rc = reject_at(k, 0, VHKEY_REASON_MALFORMED,
			 lineno == 0 ?
			     "The file is empty: it holds no key." :
			     "The file holds no key: only blank lines and "
			     "comments.")) == VHKEY_OK)
			rc = vk_ring_flush(k->ring);
	}
	/* stopped, or out of memory: err says so, as it says a read error
	 * (and as vhkey_check_file() says it for a whole-file report) */
	if (rc != VHKEY_OK)
		vk_error_set(err, rc, 0, k->path);
out:
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
	 * read; a named pipe in a directory is no key file, and a device
	 * (/dev/zero, a terminal) would be read for ever */
	if (!(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode)) ||
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
	if ((rc = keylist_init(&k)) == VHKEY_OK)
		rc = check_fd(&k, fd, err);
	else
		vk_error_set(err, rc, 0, path);
	keylist_clear(&k);
	vhkey_policy_free(defaults);
	close(fd);
	return rc;
}
