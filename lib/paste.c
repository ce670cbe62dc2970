/*
 * paste.c - one verdict on one pasted text: the public key in it, or why
 * there is none, in words a person can act on.  The entry points, and the
 * order of the checks (the dispatch).
 *
 * Order matters: the size is bounded first, private key markers are looked
 * for before anything is parsed (and no byte of a private key ever reaches
 * a message), then byte-level damage is repaired (classify.c), and only
 * then is the text read as an authorized_keys line (authline.c), an RFC
 * 4716 block or a PEM public key (block.c).  Private key material without
 * a marker is looked for in what is encoded in the text (classify.c
 * decodes every run of base64 or hex): before a key is accepted, in all
 * but the key's own data (lookalike.c); and in a text refused for another
 * reason, everywhere, so that the verdict says private_key.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "paste.h"

static int
check_clean(struct paste *p)
{
	size_t eol = line_end(p, 0), e1, s2, e2, oe;
	const char *label;
	size_t labellen;
	enum vk_name_kind k1, k2;
	int only_b64 = 1, rc;

	if (vk_armor_line(p->s, eol, "BEGIN", &label, &labellen))
		return vk_check_armor(p, eol, label, labellen);
	if (vk_fingerprint_line(p))
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "This is a key fingerprint, a short checksum that names a "
		    "key but cannot be used to log in with it. Paste the public "
		    "key itself: the contents of the .pub file, one line that "
		    "starts with ssh-ed25519, ssh-rsa or ecdsa-sha2-.");
	e1 = token_end(p, 0);
	k1 = vk_name_kind(p->s, e1, NULL);
	/* (a type name alone has no key data glued to it) */
	if (k1 != VK_NAME_SUPPORTED && (rc = vk_glued_type(p, e1)) != 0)
		return rc > 0 ? VHKEY_OK : VHKEY_ERR_NOMEM;
	if (k1 == VK_NAME_SUPPORTED || k1 == VK_NAME_DSA || k1 == VK_NAME_CERT)
		return vk_check_line_key(p, 0);
	e2 = next_token(p, e1, &s2);
	k2 = vk_name_kind(p->s + s2, e2 - s2, NULL);
	if (p->s[0] == '@')
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "This is a line from a known_hosts file (a %.*s line): it "
		    "names a server's key, not yours. " HOWTO,
		    vk_quotable(p->s, e1) ? (int)e1 : 6,
		    vk_quotable(p->s, e1) ? p->s : "marker");
	if (e1 >= 3 && memcmp(p->s, "|1|", 3) == 0)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "This is a hashed line from a known_hosts file (it starts "
		    "with |1|): it records a server's host key, not your key. "
		    HOWTO);
	if ((oe = vk_options_end(p)) > 0) {
		size_t ts, te = next_token(p, oe, &ts);
		enum vk_name_kind kt = vk_name_kind(p->s + ts, te - ts, NULL);
		if (kt != VK_NAME_NONE) {
			int tab = 0, nl = 0;
			(void)skip_space(p, oe, 0, &tab, &nl);
			if (tab)
				p->fixes |= VK_FIX_TABS;
			p->options_len = oe;
			return vk_check_line_key(p, ts);
		}
	}
	p->options[0] = '\0';
	if (k1 == VK_NAME_OTHER && e2 > s2 && b64_token(p->s + s2, e2 - s2))
		return vk_check_line_key(p, 0);
	if (vk_is_host_patterns(p->s, e1) && k2 != VK_NAME_NONE)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "This is a line from a known_hosts file: the host names in "
		    "front of the key type say that it records a server's host "
		    "key, not your key. " HOWTO);
	for (size_t i = 0; i < p->len; i++)
		if (!vk_is_b64_char(p->s[i]) && p->s[i] != '=' &&
		    !vk_is_blank(p->s[i]) && p->s[i] != '\n')
			only_b64 = 0;
	if (only_b64)
		return vk_check_bare(p);
	return vk_reject_not_a_key(p);
}

/* Reject a text as too large: len bytes long, or, with len 0 (or any len
 * up to VHKEY_PASTE_MAX), longer than is read. */
static int
reject_too_large(vhkey_report *r, size_t len)
{
	char size[64];

	/* the size when it is known, else only what was read */
	if (len > VHKEY_PASTE_MAX)
		snprintf(size, sizeof(size), "%zu bytes long", len);
	else
		snprintf(size, sizeof(size), "more than %d bytes long",
		    VHKEY_PASTE_MAX);
	return vk_report_reject(r, VHKEY_REASON_TOO_LARGE,
	    "The text is %s; a public key is one line of a few hundred bytes, "
	    "and no more than %d bytes are read. %s",
	    size, VHKEY_PASTE_MAX, HOWTO);
}

int
vk_check_text(vhkey_report *r, const void *text, size_t len,
    const vhkey_policy *policy, time_t now, const struct vk_memos *memos,
    enum vk_check_mode mode)
{
	const struct vk_private_kind *kind;
	struct token_memo token = { 0, 0 };
	/* room for an RSA-4096 key's data, and what it decodes to */
	uint8_t b64buf[1024], binbuf[1024];
	struct vk_text t;
	struct paste p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.token = &token;
	p.r = r;
	p.policy = policy;
	p.now = now;
	p.raw = text;
	p.rawlen = len;
	p.mode = mode;
	if (memos != NULL) {
		p.memo = memos->weak;
		p.keys = memos->keys;
	}
	if (len > VHKEY_PASTE_MAX)
		return reject_too_large(r, len);
	/* before anything else: a private key is never parsed */
	if ((kind = vk_private_format(text, len)) != NULL)
		return vk_reject_private(&p, kind);
	if ((rc = vk_text_clean(text, len, &t)) != VHKEY_OK)
		return rc;
	p.s = t.s;
	p.len = t.len;
	p.first_line = t.first_line;
	p.fixes = t.fixes;
	vk_writer_init_in(&p.b64, b64buf, sizeof(b64buf));
	vk_writer_init_in(&p.bin, binbuf, sizeof(binbuf));
	/* the repairs may have joined a marker up; trimming cannot */
	if ((t.fixes & (VK_FIX_BOM | VK_FIX_CRLF | VK_FIX_NBSP |
		 VK_FIX_ZERO_WIDTH)) != 0 &&
	    (kind = vk_private_format(t.s, t.len)) != NULL)
		rc = vk_reject_private(&p, kind);
	else if (t.len == 0)
		rc = vk_paste_reject(&p, VHKEY_REASON_MALFORMED,
		    "Nothing was pasted: the text is empty or only white "
		    "space. " HOWTO);
	else if (t.ctl_line != 0)
		rc = vk_paste_reject(&p, VHKEY_REASON_MALFORMED,
		    "The text holds control characters or NUL bytes (line %zu) "
		    "before where a key's comment would be: it is binary data, "
		    "not a public key. " HOWTO,
		    t.ctl_line);
	else
		rc = check_clean(&p);
	if (rc == VHKEY_OK)
		rc = vk_private_after_all(&p, text, len, t.ctl_line != 0);
	vk_writer_clear(&p.b64);
	vk_writer_clear(&p.bin);
	if (p.chunks != p.first_chunks)
		free(p.chunks);
	vk_text_free(&t);
	return rc;
}

int
vhkey_check_paste(const void *text, size_t len, const vhkey_policy *policy,
    time_t now, vhkey_report **out)
{
	vhkey_policy *defaults = NULL;
	vhkey_report *r;
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if (text == NULL && len > 0)
		return VHKEY_ERR_ARGUMENT;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if (policy == NULL) {
		if ((rc = vhkey_policy_new(&defaults)) != VHKEY_OK)
			return rc;
		policy = defaults;
	}
	if ((r = vk_report_new()) == NULL) {
		vhkey_policy_free(defaults);
		return VHKEY_ERR_NOMEM;
	}
	vk_report_set_subject(r, VHKEY_SUBJECT_PASTE);
	rc = vk_check_text(r, text != NULL ? text : "", len, policy, now,
	    NULL, VK_CHECK_PASTE);
	vhkey_policy_free(defaults);
	if (rc != VHKEY_OK) {
		vhkey_report_free(r);
		return rc;
	}
	*out = r;
	return VHKEY_OK;
}

/* Is the descriptor something a paste may come from: a file, a pipe, a
 * socket, a terminal (a person typing) or /dev/null (nothing)?  Other
 * devices (/dev/zero, /dev/urandom) are not, and never end. */
static int
pasteable(int fd, const struct stat *st)
{
	struct stat null;

	if (!S_ISCHR(st->st_mode))
		return !S_ISBLK(st->st_mode) && !S_ISDIR(st->st_mode);
	return isatty(fd) || (stat("/dev/null", &null) == 0 &&
	    S_ISCHR(null.st_mode) && null.st_rdev == st->st_rdev);
}

/* A paste longer than is read: its size when the file says it. */
static int
too_large(const struct stat *st, vhkey_report **out)
{
	vhkey_report *r;
	int rc;

	if ((r = vk_report_new()) == NULL)
		return VHKEY_ERR_NOMEM;
	vk_report_set_subject(r, VHKEY_SUBJECT_PASTE);
	rc = reject_too_large(r, S_ISREG(st->st_mode) &&
		st->st_size > VHKEY_PASTE_MAX ? (size_t)st->st_size : 0);
	if (rc != VHKEY_OK) {
		vhkey_report_free(r);
		return rc;
	}
	*out = r;
	return VHKEY_OK;
}

int
vhkey_check_paste_fd(int fd, const vhkey_policy *policy, time_t now,
    vhkey_report **out, vhkey_error *err)
{
	vk_writer w;
	char buf[4096];
	struct stat st;
	ssize_t n;
	int rc = VHKEY_OK;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if (fstat(fd, &st) != 0) {
		vk_error_set(err, vk_status_from_errno(errno), errno, "");
		return vk_status_from_errno(errno);
	}
	if (!pasteable(fd, &st)) {
		vk_error_set(err, VHKEY_ERR_NOT_REGULAR, 0, "");
		return VHKEY_ERR_NOT_REGULAR;
	}
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
	if (rc == VHKEY_OK && w.len > VHKEY_PASTE_MAX)
		rc = too_large(&st, out);
	else if (rc == VHKEY_OK)
		rc = vhkey_check_paste(w.data, w.len, policy, now, out);
	vk_writer_clear(&w);
	return rc;
}
