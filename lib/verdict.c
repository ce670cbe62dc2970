/*
 * verdict.c - from key data to a verdict: decoding it, why it did not
 * decode to a key, the checks on the key read (comment, policy, age), and
 * the repairs in words.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "paste.h"

int
vk_reject_name(struct paste *p, enum vk_name_kind kind, const char *name,
    size_t len)
{
	switch (kind) {
	case VK_NAME_DSA:
		return vk_paste_reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "This is a DSA key (ssh-dss). DSA keys are limited to 1024 "
		    "bits and OpenSSH no longer accepts them. " NEWKEY);
	case VK_NAME_CERT:
		return vk_paste_reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "This is an SSH certificate (%.*s), not a plain public key. "
		    "Paste the public key the certificate was made for: the .pub "
		    "file without -cert in its name (for example id_ed25519.pub, "
		    "not id_ed25519-cert.pub).",
		    vk_quotable(name, len) ? (int)len : 11,
		    vk_quotable(name, len) ? name : "a -cert-v01");
	case VK_NAME_OTHER:
		if (vk_quotable(name, len))
			return vk_paste_reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
			    "The key type %.*s is not supported. Supported are "
			    "ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, "
			    "ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, "
			    "sk-ssh-ed25519@openssh.com and "
			    "sk-ecdsa-sha2-nistp256@openssh.com. " NEWKEY,
			    (int)len, name);
		/* FALLTHROUGH */
	default:
		return vk_paste_reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "The key data is of a type that is not supported. " NEWKEY);
	}
}

/* Why the key data did not decode to a key (rc from vk_key_from_blob). */
int
vk_reject_blob(struct paste *p, int rc, const char *where)
{
	switch (rc) {
	case VHKEY_ERR_NOMEM:
	case VHKEY_ERR_CRYPTO:
		return rc;
	case VHKEY_ERR_TRUNCATED:
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s is cut short: it ends before the key does, "
		    "so part of it was lost in copying. " RECOPY,
		    where);
	case VHKEY_ERR_TRAILING:
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s goes on after the end of the key: extra "
		    "bytes were added to it. " RECOPY,
		    where);
	case VHKEY_ERR_MPINT:
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s holds a number in a non-canonical form "
		    "(with superfluous leading bytes), which ssh-keygen never "
		    "writes: the key was altered or made by a faulty tool. " RECOPY,
		    where);
	case VHKEY_ERR_TOO_LARGE:
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s is corrupt or too large: a length inside it "
		    "claims more than there is, or it is an RSA key of more "
		    "than %d bits, which OpenSSH refuses too. " RECOPY,
		    where, VHKEY_RSA_MAX_BITS);
	case VHKEY_ERR_KEY_CHECK:
		return vk_paste_reject(p, VHKEY_REASON_WEAK_KEY,
		    "The key data%s does not hold a valid key: its numbers fail "
		    "the key's validity check (for ECDSA, the point is not on "
		    "its curve), so it was corrupted or crafted. " NEWKEY,
		    where);
	case VHKEY_ERR_KEY_TYPE:
		return vk_reject_name(p, VK_NAME_OTHER, "", 0);
	default:
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s is corrupt: it does not hold a valid key of "
		    "its type. " RECOPY,
		    where);
	}
}

/*
 * The type name the key data starts with.  0 and a verdict when it has
 * none, or one that cannot be a key we take.
 */
int
vk_blob_name(struct paste *p, const uint8_t *d, size_t n, const char **name,
    size_t *len, int *rc)
{
	vk_reader rd;
	enum vk_name_kind kind;

	vk_reader_init(&rd, d, n);
	if (vk_get_cstring(&rd, name, len) != VHKEY_OK ||
	    (kind = vk_name_kind(*name, *len, NULL)) == VK_NAME_NONE) {
		*rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The text is valid base64, but what it holds is not an SSH "
		    "public key. " HOWTO);
		return 0;
	}
	if (kind != VK_NAME_SUPPORTED) {
		*rc = vk_reject_name(p, kind, *name, *len);
		return 0;
	}
	return 1;
}

/* Decode p->b64[0, b64len) into p->bin. */
int
vk_decode_b64(struct paste *p, size_t b64len)
{
	size_t max = b64len / 4 * 3, n;
	int rc;

	p->bin.len = 0;
	if ((rc = vk_writer_reserve(&p->bin, max)) != VHKEY_OK)
		return rc;
	if (max == 0 || vk_base64_decode(p->bin.data, max,
			    (const char *)p->b64.data, b64len, &n) != 0)
		return VHKEY_ERR_BASE64;
	p->bin.len = n;
	return VHKEY_OK;
}

static const struct {
	unsigned fix;
	const char *text;
} fix_texts[] = {
	{ VK_FIX_BOM, "Removed the byte order mark (U+FEFF) at the start." },
	{ VK_FIX_CRLF, "Converted Windows line ends (CR LF) to plain ones." },
	{ VK_FIX_OUTER_SPACE, "Removed white space before and after the key." },
	{ VK_FIX_TABS, "Replaced tabs between the fields with spaces." },
	{ VK_FIX_NBSP,
	    "Replaced non-breaking spaces (U+00A0) with ordinary spaces." },
	{ VK_FIX_ZERO_WIDTH,
	    "Removed invisible zero-width characters (such as U+200B)." },
	{ VK_FIX_WRAPPED, NULL }, /* says how many lines */
	{ VK_FIX_SPACES_IN_DATA, "Removed spaces inside the key data." },
	{ VK_FIX_COMMENT_JOINED,
	    "Joined the comment, which went on over more than one line." },
	{ VK_FIX_COMMENT_ESCAPED,
	    "The comment holds control characters, which a terminal acts on "
	    "wherever the key is listed: they are written as \\ooo escapes "
	    "in the key kept. To keep the comment as you meant it, take them "
	    "out and paste the key again." },
};

static int
add_repairs(struct paste *p, size_t wrapped_lines)
{
	int rc;

	for (size_t i = 0; i < sizeof(fix_texts) / sizeof(fix_texts[0]); i++) {
		if ((p->fixes & fix_texts[i].fix) == 0)
			continue;
		if (fix_texts[i].text != NULL)
			rc = vk_report_repair(p->r, "%s", fix_texts[i].text);
		else
			rc = vk_report_repair(p->r,
			    "Joined the key data, which was broken across %zu "
			    "lines.",
			    wrapped_lines);
		if (rc != VHKEY_OK)
			return rc;
	}
	return VHKEY_OK;
}

/*
 * The comment after the key, kept in it: escaped when it holds control
 * characters, refused (the verdict) when too long.
 */
static int
keep_comment(struct paste *p, vhkey *key, const char *comment, size_t clen)
{
	char *escaped = NULL;
	int rc;

	/*
	 * sshd takes a key whose comment holds control characters (ESC, BEL,
	 * C1, bidirectional controls, bytes that are not UTF-8), so the key
	 * is usable; but the line kept and every listing of it would carry
	 * them to a terminal.  The comment is kept escaped, as ssh-keygen
	 * prints it, and the repair says so.
	 */
	if (vk_escape_needed(comment, clen)) {
		if ((escaped = vk_escape_mem(comment, clen)) == NULL)
			return VHKEY_ERR_NOMEM;
		comment = escaped;
		clen = strlen(escaped);
		p->fixes |= VK_FIX_COMMENT_ESCAPED;
	}
	if (clen > VHKEY_COMMENT_MAX) {
		rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The comment after the key is %zu bytes long%s, more than "
		    "the %d allowed. Shorten the comment (the text after the "
		    "key data) or leave it out.",
		    clen, escaped != NULL ? " with its control characters "
					    "escaped" : "",
		    VHKEY_COMMENT_MAX);
		free(escaped);
		return rc;
	}
	rc = vk_key_set_comment(key, comment, clen);
	free(escaped);
	return rc;
}

/* The key passed every check: accepted, with what the options mean. */
static int
accept(struct paste *p, const vhkey *key)
{
	int rc;

	/* a paste is stored as its key line; a file's line is what sshd
	 * reads, options and all */
	if (p->options[0] != '\0' &&
	    (rc = p->mode == VK_CHECK_FILE_LINE ?
		     vk_report_warn(p->r,
			 "The options in front of the key (%s) apply to "
			 "every login with it.",
			 p->options) :
		     vk_report_warn(p->r,
			 "Dropped the authorized_keys options in front of "
			 "the key (%s): the key is taken without them.",
			 p->options)) != VHKEY_OK)
		return rc;
	return vk_report_accept_key(p->r, key);
}

/*
 * The key is read: its comment, the policy, and the verdict.  The report
 * takes the key (*keyp is NULL once it has); b64 (may be NULL) is the key
 * data as the text holds it.
 */
int
vk_paste_finish(struct paste *p, vhkey **keyp, const char *comment,
    size_t clen, size_t wrapped_lines, const char *b64, size_t b64len)
{
	char what[512];
	vhkey *key;
	int rc, written, repairable;

	if (vk_private_near_key(p, comment, clen, &rc))
		return rc;
	/* (nothing has decided the verdict before this point) */
	if ((rc = keep_comment(p, *keyp, comment, clen)) != VHKEY_OK ||
	    vhkey_report_verdict(p->r) == VHKEY_REJECTED)
		return rc;
	if ((rc = vk_report_take_key(p->r, keyp, b64, b64len)) != VHKEY_OK)
		return rc;
	key = p->r->key; /* the report's now, not shared yet */
	written = vk_read_as_written(p, vhkey_type_name(vhkey_get_type(key)),
	    b64, b64len, what, sizeof(what), &repairable);
	if ((rc = vk_report_set_as_written(p->r, written, NULL)) != VHKEY_OK)
		return rc;
	/* kept in the key: a caller that prints it does not hash again, and
	 * the memo of weak-key outcomes goes by it */
	if ((rc = vk_key_keep_fingerprint(key, p->policy)) != VHKEY_OK ||
	    (rc = add_repairs(p, wrapped_lines)) != VHKEY_OK ||
	    (rc = vk_check_key_policy(key, p->policy, p->r,
		p->memo)) != VHKEY_OK)
		return rc;
	if (vhkey_report_verdict(p->r) == VHKEY_REJECTED)
		return VHKEY_OK;
	if ((rc = accept(p, key)) != VHKEY_OK)
		return rc;
	/* a key made by vhkeygen says when: overdue is a rejection, due
	 * soon a warning; a key without a stamp is not dated here */
	if ((rc = vk_report_add_rotation(p->r, key, p->policy, p->now)) !=
		VHKEY_OK ||
	    written || vhkey_report_verdict(p->r) == VHKEY_REJECTED)
		return rc;
	return vk_offer_repaired(p, b64, what, repairable);
}

/*
 * A comment not read with the key's line (an RFC 4716 header, or one
 * joined from several lines) that holds what a line would take for
 * another key is refused too, so that the normalised line checks the same
 * later.  (A comment on the key's own line was looked at with the line.)
 * 1 and a verdict in *rc when it does.
 */
int
vk_comment_with_key(struct paste *p, const char *comment, size_t clen, int *rc)
{
	if (!vk_comment_holds_key(comment, clen))
		return 0;
	*rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
	    "The comment of the key holds what looks like another key. Paste "
	    "one key at a time, with a short comment (or none).");
	return 1;
}

/* Key data in p->bin to a key, then the verdict. */
int
vk_paste_finish_blob(struct paste *p, const char *comment, size_t clen,
    size_t wrapped_lines, const char *where)
{
	vhkey *key = NULL;
	const char *name;
	size_t namelen;
	int rc;

	if (!vk_blob_name(p, p->bin.data, p->bin.len, &name, &namelen, &rc))
		return rc;
	if ((rc = vk_key_from_blob(p->bin.data, p->bin.len, &key)) != VHKEY_OK)
		return vk_reject_blob(p, rc, where);
	if (!vk_comment_with_key(p, comment, clen, &rc))
		rc = vk_paste_finish(p, &key, comment, clen, wrapped_lines, NULL, 0);
	vhkey_free(key);
	return rc;
}
