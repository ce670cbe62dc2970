/*
 * aswritten.c - would sshd read the text as written?  The raw text read
 * as sshd 9.2 reads an authorized_keys line, what each repair means to
 * it, and the repaired line offered when it would not.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "paste.h"

/*
 * What sshd makes of each repair when the text as given is its
 * authorized_keys file.  Checked against sshd 9.2p1 (Debian 12): each
 * class of damage, for an Ed25519 and an RSA key, as AuthorizedKeysFile
 * of a throwaway sshd on 127.0.0.1, and a login with the matching key.
 *   SSHD_READS    the login works: sshd skips blanks and tabs before and
 *                 between the fields, and blank lines; a comment going on
 *                 over the next line leaves the key's line whole (sshd
 *                 skips the next one as a bad line).
 *   SSHD_REFUSES  the login fails wherever the damage is: a byte order
 *                 mark before the type name, key data broken by spaces.
 *   SSHD_WHERE    it depends on where: in the comment a non-breaking
 *                 space, a zero-width character or a CR is harmless; in or
 *                 right after the type name, in the key data, or between
 *                 the data and the comment, it breaks the line.  Key data
 *                 broken across lines is refused, but for a break that is
 *                 a lone CR, which sshd's base64 decoder skips as white
 *                 space.  Decided by reading the raw text as sshd does:
 *                 sshd_reads().
 */
enum sshd_takes { SSHD_READS, SSHD_REFUSES, SSHD_WHERE };

static const struct {
	unsigned fix;
	enum sshd_takes takes;
	const char *what; /* what stands in sshd's way */
} sshd_takes_fix[] = {
	{ VK_FIX_BOM, SSHD_REFUSES,
	    "a byte order mark (U+FEFF) before the key type" },
	{ VK_FIX_CRLF, SSHD_WHERE, "a carriage return (CR) inside the line" },
	{ VK_FIX_OUTER_SPACE, SSHD_READS, NULL },
	{ VK_FIX_TABS, SSHD_READS, NULL },
	{ VK_FIX_NBSP, SSHD_WHERE,
	    "a non-breaking space (U+00A0 or U+202F) where a plain space "
	    "belongs" },
	{ VK_FIX_ZERO_WIDTH, SSHD_WHERE,
	    "an invisible zero-width character (such as U+200B) in the key" },
	{ VK_FIX_WRAPPED, SSHD_WHERE, "key data broken across lines" },
	{ VK_FIX_SPACES_IN_DATA, SSHD_REFUSES, "spaces inside the key data" },
	{ VK_FIX_COMMENT_JOINED, SSHD_READS, NULL },
};

static const char *
skip_blanks(const char *s, const char *end)
{
	while (s < end && vk_is_blank(*s))
		s++;
	return s;
}

/*
 * Does sshd, given the raw text as its authorized_keys file, read this
 * key from the text's first line that is not blank?  As sshd 9.2 reads a
 * line (auth2-pubkeyfile.c, sshkey_read()): blanks skipped, the options
 * up to a blank outside quotes, the type name up to a blank, blanks, the
 * key data up to a blank, which b64_pton() decodes skipping the white
 * space in it (a CR).
 */
static int
sshd_reads(const struct paste *p, const char *type, const char *b64,
    size_t b64len)
{
	const char *s = p->raw, *end = p->raw + p->rawlen, *le, *t;
	size_t tlen = strlen(type), n = 0;
	int quoted = 0;

	for (;; s = le + 1) { /* a line of blanks (or CRs) is skipped */
		if ((le = memchr(s, '\n', (size_t)(end - s))) == NULL)
			le = end;
		for (t = skip_blanks(s, le); t < le && *t == '\r'; t++)
			;
		if (t < le)
			break;
		if (le == end)
			return 0;
	}
	s = skip_blanks(s, le);
	if (p->options_len > 0) {
		for (; s < le && (quoted || !vk_is_blank(*s)); s++) {
			if (*s == '\\' && s + 1 < le && s[1] == '"')
				s++;
			else if (*s == '"')
				quoted = !quoted;
		}
		s = skip_blanks(s, le);
	}
	for (t = s; t < le && !vk_is_blank(*t); t++)
		;
	if ((size_t)(t - s) != tlen || memcmp(s, type, tlen) != 0 || t == le)
		return 0;
	for (s = skip_blanks(t, le); s < le && !vk_is_blank(*s); s++) {
		if (*s == '\r' || *s == '\v' || *s == '\f')
			continue;
		if (n == b64len || *s != b64[n++])
			return 0;
	}
	return n == b64len;
}

/*
 * Would sshd read the text as written?  b64 NULL: a block, which it never
 * reads.  When not, what stands in its way goes to what, and
 * *repairable says whether repairs would make it read (options sshd does
 * not take are no damage of a paste: only the line without them works).
 */
int
vk_read_as_written(const struct paste *p, const char *type, const char *b64,
    size_t b64len, char *what, size_t whatlen, int *repairable)
{
	unsigned refused = 0, where = 0;
	size_t used = 0;

	*repairable = 1;
	if (p->options_len > 0 && !vk_options_taken(p, what, whatlen)) {
		*repairable = 0;
		return 0;
	}
	if (b64 == NULL) {
		snprintf(what, whatlen,
		    "it is an armored block (BEGIN ... END), and sshd reads one "
		    "key per line");
		return 0;
	}
	for (size_t i = 0; i < sizeof(sshd_takes_fix) / sizeof(sshd_takes_fix[0]);
	     i++) {
		if (sshd_takes_fix[i].takes == SSHD_REFUSES)
			refused |= p->fixes & sshd_takes_fix[i].fix;
		else if (sshd_takes_fix[i].takes == SSHD_WHERE)
			where |= p->fixes & sshd_takes_fix[i].fix;
	}
	if (refused == 0 && (where == 0 || sshd_reads(p, type, b64, b64len)))
		return 1;
	what[0] = '\0';
	for (size_t i = 0; i < sizeof(sshd_takes_fix) / sizeof(sshd_takes_fix[0]);
	     i++) {
		if (((refused | where) & sshd_takes_fix[i].fix) == 0 ||
		    used >= whatlen)
			continue;
		used += (size_t)snprintf(what + used, whatlen - used, "%s%s",
		    used == 0 ? "it holds " : ", ", sshd_takes_fix[i].what);
	}
	return 0;
}

/*
 * An accepted key whose text sshd would not read as written: the line to
 * store instead goes to the report, and a line of a file, which must work
 * as it is, is rejected with it.
 */
int
vk_offer_repaired(struct paste *p, const char *b64, const char *what,
    int repairable)
{
	char *line;
	int rc;

	if (p->mode == VK_CHECK_FILE_LINE && !repairable) {
		if ((rc = vk_report_set_as_written(p->r, 0, NULL)) != VHKEY_OK)
			return rc;
		return vk_report_reject(p->r, VHKEY_REASON_MALFORMED,
		    "sshd will not read this line as written: %s. Correct the "
		    "options in front of the key, or remove them.",
		    what);
	}
	if (p->mode == VK_CHECK_FILE_LINE && p->options_len > 0) {
		if (asprintf(&line, "%.*s %s", (int)p->options_len, p->s,
			p->r->key_line) < 0)
			return VHKEY_ERR_NOMEM;
	} else if ((line = strdup(p->r->key_line)) == NULL) {
		return VHKEY_ERR_NOMEM;
	}
	rc = vk_report_set_as_written(p->r, 0, line);
	if (rc == VHKEY_OK && p->mode == VK_CHECK_FILE_LINE)
		rc = vk_report_reject(p->r, VHKEY_REASON_MALFORMED,
		    "sshd will not read this %s as written: %s; the repaired "
		    "line is: %s",
		    b64 != NULL ? "line" : "block", what, line);
	free(line);
	return rc;
}
