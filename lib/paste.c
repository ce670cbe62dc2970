/*
 * paste.c - one verdict on one pasted text: the public key in it, or why
 * there is none, in words a person can act on.
 *
 * Order matters: the size is bounded first, private key markers are looked
 * for before anything is parsed (and no byte of a private key ever reaches
 * a message), then byte-level damage is repaired (classify.c), and only
 * then is the text read as an authorized_keys line, an RFC 4716 block or a
 * PEM public key.  Private key material without a marker is looked for
 * in what is encoded in the text (classify.c decodes every run of base64
 * or hex): before a key is accepted, in all but the key's own data; and in
 * a text refused for another reason, everywhere, so that the verdict says
 * private_key.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "check.h"
#include "lanes.h"

#define HOWTO                                                                  \
	"Paste the contents of your public key file, the one whose name "      \
	"ends in .pub (for example ~/.ssh/id_ed25519.pub): one line that "     \
	"starts with ssh-ed25519, ssh-rsa or ecdsa-sha2-."
#define RECOPY "Copy the .pub file again, unchanged, and paste that."
#define NEWKEY                                                                 \
	"Make a new key with ssh-keygen -t ed25519 (or vhkeygen for RSA) and " \
	"paste its .pub file."

/* A run of base64 in the text, and the key data up to its end. */
struct chunk {
	size_t start, end;  /* in the text */
	size_t b64len;	    /* base64 characters up to here, in all */
	int newline_before; /* a line break between it and what precedes */
	int tab_before;
};

/* The last long token found: the key data, whose end several checks look
 * for.  end is 0 when there is none. */
struct token_memo {
	size_t start, end;
};

struct paste {
	vhkey_report *r;
	const vhkey_policy *policy;
	time_t now;	   /* for the age of a key that carries its stamp */
	struct vk_memo *memo; /* weak-key outcomes already known, or NULL */
	struct vk_memo *keys; /* keys decoded before, by their base64 */
	const char *s; /* the cleaned text */
	size_t len;
	size_t first_line; /* the paste's number of s's first line */
	unsigned fixes;	   /* enum vk_fix */
	vk_writer b64;	   /* base64 gathered from the text (wiped) */
	vk_writer bin;	   /* what it decodes to (wiped) */
	struct chunk *chunks; /* first_chunks, or allocated */
	size_t nchunks, chunkcap;
	struct chunk first_chunks[8];
	char options[256]; /* authorized_keys options dropped, or "" */
	size_t options_len; /* their text at the start of s, or 0 */
	struct token_memo *token; /* or NULL */
	const char *raw;	  /* the text as given, as sshd would read it */
	size_t rawlen;
	enum vk_check_mode mode;
	/* the key data of a line, once it decoded to a key; else 0, 0 */
	size_t key_start, key_end;
};

static int reject(struct paste *p, int reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
reject(struct paste *p, int reason, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vk_report_reject(p->r, reason, "%s", msg);
}

/* What every refusal of private key material says after what it found:
 * what to paste instead, and that a key pasted somewhere is exposed. */
#define PUB_INSTEAD                                                            \
	"Paste the public key instead: the file with the same name and .pub " \
	"at the end (for example ~/.ssh/id_ed25519.pub), one line that "      \
	"starts with ssh-ed25519, ssh-rsa or ecdsa-sha2-."
#define EXPOSED                                                                \
	"treat it as exposed: make a new key pair (ssh-keygen -t ed25519, or " \
	"vhkeygen), use the new .pub file, and delete the old key pair and "   \
	"remove its public key wherever it is authorized."

static int
reject_private(struct paste *p, const struct vk_private_kind *kind)
{
	return reject(p, VHKEY_REASON_PRIVATE_KEY,
	    "This is %s: the secret half of a key pair, which must never be "
	    "pasted anywhere. " PUB_INSTEAD "%s If you pasted this private key "
	    "into a web form, a chat or an e-mail, " EXPOSED,
	    kind->format, kind->advice);
}

/* A word of base64 as long as a line of a key's body (vk_keyish_word())
 * where only a key's own data belongs, in what (a phrase). */
static int
reject_keyish(struct paste *p, const char *what, size_t wordlen)
{
	return reject(p, VHKEY_REASON_PRIVATE_KEY,
	    "%s holds a word of %zu base64 characters: this looks like part of "
	    "a private key (a line from between its BEGIN and END lines), the "
	    "secret half of a key pair, which must never be pasted anywhere. "
	    PUB_INSTEAD " Paste only that line, with a short comment or none. "
	    "If this text came from a private key, " EXPOSED,
	    what, wordlen);
}

static int
reject_hexish(struct paste *p, size_t digits)
{
	return reject(p, VHKEY_REASON_PRIVATE_KEY,
	    "The comment after the key holds a run of %zu hex digits: this "
	    "looks like the numbers of a private key (as openssl -text prints "
	    "them), the secret half of a key pair, which must never be pasted "
	    "anywhere. " PUB_INSTEAD " Paste only that line, with a short "
	    "comment or none. If this text came from a private key, " EXPOSED,
	    digits);
}

/*
 * Private key material in the text outside the key data [p->key_start,
 * p->key_end) (a key's own data is no private key: it decoded to one), or
 * a comment that looks like part of one.  1 and a verdict in *rc when so.
 */
static int
private_near_key(struct paste *p, const char *comment, size_t clen, int *rc)
{
	const struct vk_private_kind *kind;
	size_t w;

	/* (text with control characters was refused before a key was read) */
	if ((kind = vk_private_scan(p->s, p->key_start, 0, rc)) == NULL &&
	    *rc == VHKEY_OK)
		kind = vk_private_scan(p->s + p->key_end, p->len - p->key_end,
		    0, rc);
	if (*rc != VHKEY_OK)
		return 1;
	if (kind != NULL) {
		*rc = reject_private(p, kind);
		return 1;
	}
	if ((w = vk_keyish_word(comment, clen, VK_KEYISH_MIN)) > 0) {
		*rc = reject_keyish(p, "The comment after the key", w);
		return 1;
	}
	if ((w = vk_hexish_run(comment, clen, VK_HEXISH_MIN)) > 0) {
		*rc = reject_hexish(p, w);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------- the text */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/* A token of base64: its alphabet, and at most two '=' at the end. */
static int
b64_token(const char *s, size_t n)
{
	size_t pad = 0;

	while (pad < n && pad < 2 && s[n - 1 - pad] == '=')
		pad++;
	return pad < n && vk_base64_alphabet(s, n - pad);
}

static size_t
line_end(const struct paste *p, size_t i)
{
	const char *nl = memchr(p->s + i, '\n', p->len - i);

	return nl != NULL ? (size_t)(nl - p->s) : p->len;
}

/* The paste's line number of offset off. */
static size_t
line_of(const struct paste *p, size_t off)
{
	size_t line = p->first_line;

	for (size_t i = 0; i < off && i < p->len; i++)
		line += p->s[i] == '\n';
	return line;
}

/* " on line N" for a paste of more than one line, else "". */
static const char *
on_line(const struct paste *p, size_t off, char *buf, size_t len)
{
	if (memchr(p->s, '\n', p->len) == NULL && p->first_line == 1)
		return "";
	snprintf(buf, len, " on line %zu", line_of(p, off));
	return buf;
}

/* Skip blanks, and line breaks when nl; note what was crossed. */
static size_t
skip_space(const struct paste *p, size_t i, int nl, int *tab, int *newline)
{
	for (; i < p->len; i++) {
		if (p->s[i] == '\t')
			*tab = 1;
		else if (p->s[i] == '\n' && nl)
			*newline = 1;
		else if (p->s[i] != ' ')
			break;
	}
	return i;
}

/* Skip blanks and line breaks. */
static size_t
skip_all_space(const struct paste *p, size_t i)
{
	int tab = 0, nl = 0;

	return skip_space(p, i, 1, &tab, &nl);
}

static vk_u8x16
blank_or_newline(vk_s8x16 c)
{
	return (vk_u8x16)(c == ' ') | (vk_u8x16)(c == '\t') |
	    (vk_u8x16)(c == '\n');
}

static size_t
token_end(const struct paste *p, size_t i)
{
	size_t e;

	if (p->token != NULL && p->token->end != 0 && p->token->start == i)
		return p->token->end;
	e = i + vk_lanes_find(p->s + i, p->len - i, blank_or_newline, 'x');
	if (p->token != NULL && e - i >= 64) {
		p->token->start = i;
		p->token->end = e;
	}
	return e;
}

/* The next token on the same line after i: [*start, return). */
static size_t
next_token(const struct paste *p, size_t i, size_t *start)
{
	int tab = 0, nl = 0;

	*start = skip_space(p, i, 0, &tab, &nl);
	return token_end(p, *start);
}

/* ------------------------------------------------------ what it is not */

static int
is_fingerprint(const char *s, size_t n)
{
	static const char *prefixes[] = { "SHA256:", "SHA1:", "SHA384:",
		"SHA512:", "MD5:" };
	size_t i, hex = 0;

	/* the prefixes start with S or M, in either case */
	if (n > 0 && ((s[0] | 0x20) == 's' || (s[0] | 0x20) == 'm')) {
		for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
			size_t k = strlen(prefixes[i]);
			if (n > k + 8 && strncasecmp(s, prefixes[i], k) == 0)
				return 1;
		}
	}
	/* a bare MD5 one: 16 hex pairs joined by colons */
	if (n != 47)
		return 0;
	for (i = 0; i < n; i++) {
		if (i % 3 == 2 ? s[i] != ':' :
				 strchr("0123456789abcdefABCDEF", s[i]) == NULL)
			return 0;
		hex += i % 3 != 2;
	}
	return hex == 32;
}

/* The host patterns of a known_hosts line. */
static int
is_host_patterns(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= '0' && s[i] <= '9') ||
			strchr(".-_:*?![],%", s[i]) != NULL))
			return 0;
	return n > 0;
}

/* Where in [i, end) another key seems to start: a key type name and key
 * data, a long run of key data, or an armor line.  end when none. */
static size_t
another_key(const struct paste *p, size_t i, size_t end)
{
	while (i < end) {
		int tab = 0, nl = 0;
		size_t start = skip_space(p, i, 1, &tab, &nl), e, s2, e2;
		if (start >= end)
			break;
		e = token_end(p, start);
		if (e - start >= 4 && memcmp(p->s + start, "----", 4) == 0 &&
		    memmem(p->s + start, line_end(p, start) - start, "BEGIN",
			5) != NULL)
			return start;
		if (e - start >= 64 && memcmp(p->s + start, "AAAA", 4) == 0 &&
		    b64_token(p->s + start, e - start))
			return start;
		switch (vk_name_kind(p->s + start, e - start, NULL)) {
		case VK_NAME_SUPPORTED:
		case VK_NAME_DSA:
		case VK_NAME_CERT:
			e2 = next_token(p, e, &s2);
			if (e2 - s2 >= 16 && b64_token(p->s + s2, e2 - s2))
				return start;
			break;
		default:
			break;
		}
		i = e;
	}
	return end;
}

/* Does a comment hold text that another_key() would take for a key? */
static int
comment_holds_key(const char *comment, size_t clen)
{
	struct paste c;

	memset(&c, 0, sizeof(c));
	c.s = comment;
	c.len = clen;
	return another_key(&c, 0, clen) < clen;
}

/* Text after the key: another key, or something that does not belong. */
static int
reject_extra(struct paste *p, size_t at, const char *what)
{
	size_t k = another_key(p, at, p->len), w;

	if (k < p->len && line_of(p, k) == line_of(p, at) &&
	    memchr(p->s, '\n', at) == NULL)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The text holds more than one key: another one follows the "
		    "first on the same line. Paste one key at a time.");
	if (k < p->len)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The text holds more than one key: another one starts on "
		    "line %zu. Paste one key at a time.",
		    line_of(p, k));
	if ((w = vk_keyish_word(p->s + at, p->len - at, VK_KEYISH_MIN)) > 0)
		return reject_keyish(p, "The text after the key", w);
	return reject(p, VHKEY_REASON_MALFORMED,
	    "Line %zu holds text after %s, which is not part of the key. "
	    "Paste only the key: %s",
	    line_of(p, at), what,
	    "the contents of the .pub file, one line that starts with "
	    "ssh-ed25519, ssh-rsa or ecdsa-sha2-.");
}

/* ------------------------------------------------------ key data → key */

static int
reject_name(struct paste *p, enum vk_name_kind kind, const char *name,
    size_t len)
{
	switch (kind) {
	case VK_NAME_DSA:
		return reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "This is a DSA key (ssh-dss). DSA keys are limited to 1024 "
		    "bits and OpenSSH no longer accepts them. " NEWKEY);
	case VK_NAME_CERT:
		return reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "This is an SSH certificate (%.*s), not a plain public key. "
		    "Paste the public key the certificate was made for: the .pub "
		    "file without -cert in its name (for example id_ed25519.pub, "
		    "not id_ed25519-cert.pub).",
		    vk_quotable(name, len) ? (int)len : 11,
		    vk_quotable(name, len) ? name : "a -cert-v01");
	case VK_NAME_OTHER:
		if (vk_quotable(name, len))
			return reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
			    "The key type %.*s is not supported. Supported are "
			    "ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, "
			    "ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, "
			    "sk-ssh-ed25519@openssh.com and "
			    "sk-ecdsa-sha2-nistp256@openssh.com. " NEWKEY,
			    (int)len, name);
		/* FALLTHROUGH */
	default:
		return reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "The key data is of a type that is not supported. " NEWKEY);
	}
}

/* Why the key data did not decode to a key (rc from vk_key_from_blob). */
static int
reject_blob(struct paste *p, int rc, const char *where)
{
	switch (rc) {
	case VHKEY_ERR_NOMEM:
	case VHKEY_ERR_CRYPTO:
		return rc;
	case VHKEY_ERR_TRUNCATED:
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s is cut short: it ends before the key does, "
		    "so part of it was lost in copying. " RECOPY,
		    where);
	case VHKEY_ERR_TRAILING:
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s goes on after the end of the key: extra "
		    "bytes were added to it. " RECOPY,
		    where);
	case VHKEY_ERR_MPINT:
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s holds a number in a non-canonical form "
		    "(with superfluous leading bytes), which ssh-keygen never "
		    "writes: the key was altered or made by a faulty tool. " RECOPY,
		    where);
	case VHKEY_ERR_TOO_LARGE:
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s is corrupt or too large: a length inside it "
		    "claims more than there is, or it is an RSA key of more "
		    "than %d bits, which OpenSSH refuses too. " RECOPY,
		    where, VHKEY_RSA_MAX_BITS);
	case VHKEY_ERR_KEY_CHECK:
		return reject(p, VHKEY_REASON_WEAK_KEY,
		    "The key data%s does not hold a valid key: its numbers fail "
		    "the key's validity check (for ECDSA, the point is not on "
		    "its curve), so it was corrupted or crafted. " NEWKEY,
		    where);
	case VHKEY_ERR_KEY_TYPE:
		return reject_name(p, VK_NAME_OTHER, "", 0);
	default:
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s is corrupt: it does not hold a valid key of "
		    "its type. " RECOPY,
		    where);
	}
}

/*
 * The type name the key data starts with.  0 and a verdict when it has
 * none, or one that cannot be a key we take.
 */
static int
blob_name(struct paste *p, const uint8_t *d, size_t n, const char **name,
    size_t *len, int *rc)
{
	vk_reader rd;
	enum vk_name_kind kind;

	vk_reader_init(&rd, d, n);
	if (vk_get_cstring(&rd, name, len) != VHKEY_OK ||
	    (kind = vk_name_kind(*name, *len, NULL)) == VK_NAME_NONE) {
		*rc = reject(p, VHKEY_REASON_MALFORMED,
		    "The text is valid base64, but what it holds is not an SSH "
		    "public key. " HOWTO);
		return 0;
	}
	if (kind != VK_NAME_SUPPORTED) {
		*rc = reject_name(p, kind, *name, *len);
		return 0;
	}
	return 1;
}

/* Decode p->b64[0, b64len) into p->bin. */
static int
decode_b64(struct paste *p, size_t b64len)
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

/* ------------------------------------------------------------- verdicts */

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

/* ------------------------------------------------- as sshd reads it */

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
	while (s < end && is_blank(*s))
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
		for (; s < le && (quoted || !is_blank(*s)); s++) {
			if (*s == '\\' && s + 1 < le && s[1] == '"')
				s++;
			else if (*s == '"')
				quoted = !quoted;
		}
		s = skip_blanks(s, le);
	}
	for (t = s; t < le && !is_blank(*t); t++)
		;
	if ((size_t)(t - s) != tlen || memcmp(s, type, tlen) != 0 || t == le)
		return 0;
	for (s = skip_blanks(t, le); s < le && !is_blank(*s); s++) {
		if (*s == '\r' || *s == '\v' || *s == '\f')
			continue;
		if (n == b64len || *s != b64[n++])
			return 0;
	}
	return n == b64len;
}

/* A port of permitopen or permitlisten: "*", or 1 to 65535. */
static int
option_port(const char *s, size_t n)
{
	long v;

	if (n == 1 && s[0] == '*')
		return 1;
	v = n > 0 && n <= 5 ? vk_digits(s, n) : -1;
	return v >= 1 && v <= 65535;
}

/* "host:port" (permitopen), or "[host:]port" (permitlisten); a host in
 * brackets may hold colons, one without ends at the first. */
static int
option_host_port(const char *s, size_t n, int need_host)
{
	const char *colon;

	if (n > 0 && s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		if (rb == NULL || rb + 1 == s + n || rb[1] != ':')
			return 0;
		colon = rb + 1;
	} else if ((colon = memchr(s, ':', n)) == NULL) {
		return !need_host && option_port(s, n);
	}
	return colon > s && option_port(colon + 1, (size_t)(s + n - colon - 1));
}

/* expiry-time: YYYYMMDD[HHMM[SS]], local time, or UTC with a Z.  0 when
 * sshd cannot read it; *expired when it is not after now (now 0: no
 * clock to compare with). */
static int
option_expiry(const char *s, size_t n, time_t now, int *expired)
{
	int z = n > 0 && s[n - 1] == 'Z';
	struct tm tm;
	time_t t;

	n -= (size_t)z;
	if ((n != 8 && n != 12 && n != 14) || vk_digits(s, n) < 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)vk_digits(s, 4) - 1900;
	tm.tm_mon = (int)vk_digits(s + 4, 2) - 1;
	tm.tm_mday = (int)vk_digits(s + 6, 2);
	tm.tm_hour = n >= 12 ? (int)vk_digits(s + 8, 2) : 0;
	tm.tm_min = n >= 12 ? (int)vk_digits(s + 10, 2) : 0;
	tm.tm_sec = n == 14 ? (int)vk_digits(s + 12, 2) : 0;
	tm.tm_isdst = -1;
	if (tm.tm_mon > 11 || tm.tm_mon < 0 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return 0;
	t = z ? timegm(&tm) : mktime(&tm);
	*expired = now != 0 && t <= now;
	return 1;
}

/* Are the bits of an address under a mask of `bits` (ULONG_MAX: none)
 * the only ones set, as sshd's addr_pton_cidr() wants them? */
static int
host_bits_clear(const struct sockaddr *sa, unsigned long bits)
{
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
	const unsigned char *a;
	size_t len;

	if (sa->sa_family == AF_INET) {
		memcpy(&in4, sa, sizeof(in4));
		a = (const unsigned char *)&in4.sin_addr;
		len = 4;
	} else if (sa->sa_family == AF_INET6) {
		memcpy(&in6, sa, sizeof(in6));
		a = (const unsigned char *)&in6.sin6_addr;
		len = 16;
	} else {
		return 1;
	}
	if (bits == ULONG_MAX)
		return 1;
	if (bits > len * 8)
		return 0;
	for (size_t i = 0; i < len; i++, bits = bits > 8 ? bits - 8 : 0)
		if (a[i] & (0xff >> (bits > 8 ? 8 : bits)))
			return 0;
	return 1;
}

/*
 * One entry of a from= list as sshd's addr_match_list() reads it.  What
 * is no address or network is a host name pattern, which may match; but
 * an empty entry, or a network whose mask is longer than its address or
 * that has host bits set (10.0.0.1/8), spoils the whole list, and sshd
 * then refuses the key from every address.  0 for such an entry.
 */
static int
option_from_entry(const char *s, size_t n)
{
	struct addrinfo hints, *ai = NULL;
	unsigned long bits = ULONG_MAX;
	char buf[64], *slash, *end;
	int ok;

	if (n > 0 && s[0] == '!')
		s++, n--;
	if (n == 0)
		return 0;
	if (n >= sizeof(buf))
		return 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		bits = strtoul(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || bits > 128)
			return 1;
	}
	/* the same numeric-only parse as sshd's, so the same forms */
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(buf, NULL, &hints, &ai) != 0)
		return 1;
	ok = host_bits_clear(ai->ai_addr, bits);
	freeaddrinfo(ai);
	return ok;
}

/* from: every comma-separated entry one that sshd can read. */
static int
option_from(const char *s, size_t n)
{
	const char *end = s + n, *comma;

	for (;; s = comma + 1) {
		if ((comma = memchr(s, ',', (size_t)(end - s))) == NULL)
			comma = end;
		if (!option_from_entry(s, (size_t)(comma - s)))
			return 0;
		if (comma == end)
			return 1;
	}
}

/* environment: a NAME of letters, digits and _, then =. */
static int
option_environment(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i > 0 && i < n && s[i] == '=';
}

/* tunnel: "any" or a device number. */
static int
option_tunnel(const char *s, size_t n)
{
	return (n == 3 && strncasecmp(s, "any", 3) == 0) ||
	    (n > 0 && n <= 9 && vk_digits(s, n) >= 0);
}

static int
option_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* Is the value of an option one that sshd takes?  0 and words in what
 * when not. */
static int
option_value_ok(const struct paste *p, const char *name, size_t n,
    const char *v, size_t vlen, char *what, size_t whatlen)
{
	int expired = 0;

	if ((option_is(name, n, "permitopen") &&
		!option_host_port(v, vlen, 1)) ||
	    (option_is(name, n, "permitlisten") &&
		!option_host_port(v, vlen, 0)) ||
	    (option_is(name, n, "environment") &&
		!option_environment(v, vlen)) ||
	    (option_is(name, n, "tunnel") && !option_tunnel(v, vlen)) ||
	    (option_is(name, n, "expiry-time") &&
		!option_expiry(v, vlen, p->now, &expired))) {
		snprintf(what, whatlen,
		    "it holds the option %.*s with a value that sshd does "
		    "not read",
		    (int)n, name);
		return 0;
	}
	if (option_is(name, n, "from") && !option_from(v, vlen)) {
		snprintf(what, whatlen,
		    "its from= list holds an empty entry or a network that "
		    "sshd cannot read (such as 10.0.0.1/8), and then sshd "
		    "refuses the key from every address");
		return 0;
	}
	if (expired) {
		snprintf(what, whatlen,
		    "its expiry-time has passed: sshd refuses the key");
		return 0;
	}
	return 1;
}

/*
 * The authorized_keys options in front of the key, as sshd 9.2 reads them
 * (sshauthopt_parse()), checked with logins: names in any case; a value
 * only in double quotes, and only for the options that take one, each
 * read as sshd reads it; command= and from= at most once (sshd refuses
 * the line otherwise: from= itself only restricts where a login may come
 * from).  cert-authority and principals= make the key a certificate
 * authority's, with which sshd takes no login itself.  0 and words in
 * what when sshd does not take them.
 */
static int
options_taken(const struct paste *p, char *what, size_t whatlen)
{
	static const char *const valued[] = { "command", "environment",
		"expiry-time", "from", "permitlisten", "permitopen",
		"principals", "tunnel" };
	const char *s = p->s, *end = p->s + p->options_len;
	int command = 0, from = 0;

	while (s < end) {
		const char *name = s, *v = NULL;
		size_t n, vlen = 0;
		int takes_value = 0;

		while (s < end && *s != '=' && *s != ',')
			s++;
		n = (size_t)(s - name);
		if (s < end && *s == '=') {
			if (++s >= end || *s != '"') {
				snprintf(what, whatlen,
				    "the value of the option %.*s is not in "
				    "double quotes",
				    (int)n, name);
				return 0;
			}
			for (v = ++s; s < end && *s != '"'; s++)
				if (*s == '\\' && s + 1 < end && s[1] == '"')
					s++;
			vlen = (size_t)(s - v);
			s++; /* the closing quote */
		}
		if (s < end && *s == ',')
			s++;
		for (size_t i = 0; i < sizeof(valued) / sizeof(valued[0]); i++)
			takes_value |= option_is(name, n, valued[i]);
		if (takes_value != (v != NULL)) {
			snprintf(what, whatlen, "the option %.*s %s", (int)n,
			    name,
			    takes_value ? "without its value" :
					  "with a value it does not take");
			return 0;
		}
		if (option_is(name, n, "cert-authority") ||
		    option_is(name, n, "principals")) {
			snprintf(what, whatlen,
			    "the option %.*s: the key is a certificate "
			    "authority's, and sshd takes no login with it "
			    "itself",
			    (int)n, name);
			return 0;
		}
		if ((option_is(name, n, "command") && command++) ||
		    (option_is(name, n, "from") && from++)) {
			snprintf(what, whatlen,
			    "the option %.*s twice, which sshd refuses",
			    (int)n, name);
			return 0;
		}
		if (v != NULL &&
		    !option_value_ok(p, name, n, v, vlen, what, whatlen))
			return 0;
	}
	return 1;
}

/*
 * Would sshd read the text as written?  b64 NULL: a block, which it never
 * reads.  When not, what stands in its way goes to what, and
 * *repairable says whether repairs would make it read (options sshd does
 * not take are no damage of a paste: only the line without them works).
 */
static int
read_as_written(const struct paste *p, const char *type, const char *b64,
    size_t b64len, char *what, size_t whatlen, int *repairable)
{
	unsigned refused = 0, where = 0;
	size_t used = 0;

	*repairable = 1;
	if (p->options_len > 0 && !options_taken(p, what, whatlen)) {
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
static int
offer_repaired(struct paste *p, const char *b64, const char *what,
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

/*
 * The key is read: its comment, the policy, and the verdict.  The report
 * takes the key (*keyp is NULL once it has); b64 (may be NULL) is the key
 * data as the text holds it.
 */
static int
finish(struct paste *p, vhkey **keyp, const char *comment, size_t clen,
    size_t wrapped_lines, const char *b64, size_t b64len)
{
	char bits[16], what[512], *escaped = NULL;
	size_t at = sizeof(bits) - 1;
	unsigned v;
	vhkey *key;
	int rc, written, repairable;

	if (private_near_key(p, comment, clen, &rc))
		return rc;
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
		rc = reject(p, VHKEY_REASON_MALFORMED,
		    "The comment after the key is %zu bytes long%s, more than "
		    "the %d allowed. Shorten the comment (the text after the "
		    "key data) or leave it out.",
		    clen, escaped != NULL ? " with its control characters "
					    "escaped" : "",
		    VHKEY_COMMENT_MAX);
		free(escaped);
		return rc;
	}
	rc = vk_key_set_comment(*keyp, comment, clen);
	free(escaped);
	if (rc != VHKEY_OK ||
	    (rc = vk_report_take_key(p->r, keyp, b64, b64len)) != VHKEY_OK)
		return rc;
	key = p->r->key; /* the report's now, not shared yet */
	written = read_as_written(p, vhkey_type_name(vhkey_get_type(key)), b64,
	    b64len, what, sizeof(what), &repairable);
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
	/* "Accepted: %u-bit %s key %s (%s).", without printf's cost */
	bits[at] = '\0';
	v = vhkey_get_bits(key);
	do
		bits[--at] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	if ((rc = vk_report_accept_join(p->r, "Accepted: ", bits + at, "-bit ",
		 vhkey_type_label(vhkey_get_type(key)), " key ", key->fp_sha256,
		 " (", clen > 0 ? vhkey_get_comment(key) : "no comment", ").",
		 (const char *)NULL)) != VHKEY_OK)
		return rc;
	/* a key made by vhkeygen says when: overdue is a rejection, due
	 * soon a warning; a key without a stamp is not dated here */
	if ((rc = vk_report_add_rotation(p->r, key, p->policy, p->now)) !=
		VHKEY_OK ||
	    written || vhkey_report_verdict(p->r) == VHKEY_REJECTED)
		return rc;
	return offer_repaired(p, b64, what, repairable);
}

/*
 * A comment not read with the key's line (an RFC 4716 header, or one
 * joined from several lines) that holds what a line would take for
 * another key is refused too, so that the normalised line checks the same
 * later.  (A comment on the key's own line was looked at with the line.)
 * 1 and a verdict in *rc when it does.
 */
static int
comment_with_key(struct paste *p, const char *comment, size_t clen, int *rc)
{
	if (!comment_holds_key(comment, clen))
		return 0;
	*rc = reject(p, VHKEY_REASON_MALFORMED,
	    "The comment of the key holds what looks like another key. Paste "
	    "one key at a time, with a short comment (or none).");
	return 1;
}

/* Key data in p->bin to a key, then the verdict. */
static int
finish_blob(struct paste *p, const char *comment, size_t clen,
    size_t wrapped_lines, const char *where)
{
	vhkey *key = NULL;
	const char *name;
	size_t namelen;
	int rc;

	if (!blob_name(p, p->bin.data, p->bin.len, &name, &namelen, &rc))
		return rc;
	if ((rc = vk_key_from_blob(p->bin.data, p->bin.len, &key)) != VHKEY_OK)
		return reject_blob(p, rc, where);
	if (!comment_with_key(p, comment, clen, &rc))
		rc = finish(p, &key, comment, clen, wrapped_lines, NULL, 0);
	vhkey_free(key);
	return rc;
}

/* ------------------------------------------------- authorized_keys line */

static const char *const key_options[] = { "agent-forwarding",
	"cert-authority", "command", "environment", "expiry-time", "from",
	"no-agent-forwarding", "no-port-forwarding", "no-pty",
	"no-touch-required", "no-user-rc", "no-verify-required",
	"no-x11-forwarding", "permitlisten", "permitopen", "port-forwarding",
	"principals", "pty", "restrict", "touch-required", "tunnel", "user-rc",
	"verify-required", "x11-forwarding" };

static int
known_option(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(key_options) / sizeof(key_options[0]);
	     i++)
		if (strlen(key_options[i]) == n &&
		    strncasecmp(key_options[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * authorized_keys options at the start, as sshd reads them: names, some
 * with =value (quoted values may hold blanks and \"), joined by commas.
 * Their end, or 0 when this is not that; their names go to p->options.
 */
static size_t
options_end(struct paste *p)
{
	const char *s = p->s;
	size_t i = 0, n = p->len, name, used = 0;

	for (;;) {
		name = i;
		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
				    (s[i] >= 'A' && s[i] <= 'Z') ||
				    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			i++;
		/* sshd skips empty options: ,no-pty,,pty, */
		if (i == name && i < n && s[i] == ',') {
			i++;
			continue;
		}
		if (i == name && i > 0 && i < n && is_blank(s[i]))
			return i;
		if (i == name || !known_option(s + name, i - name))
			return 0;
		used += (size_t)snprintf(p->options + used,
		    used < sizeof(p->options) ? sizeof(p->options) - used : 0,
		    "%s%.*s%s", used > 0 ? ", " : "", (int)(i - name), s + name,
		    i < n && s[i] == '=' ? "=..." : "");
		if (used >= sizeof(p->options))
			used = sizeof(p->options);
		if (i < n && s[i] == '=') {
			if (++i < n && s[i] == '"') {
				for (i++; i < n && s[i] != '"'; i++) {
					if (s[i] == '\n')
						return 0;
					if (s[i] == '\\' && i + 1 < n &&
					    s[i + 1] == '"')
						i++;
				}
				if (i++ >= n)
					return 0;
			} else {
				while (i < n && s[i] != ',' &&
				    !is_blank(s[i]) && s[i] != '\n')
					i++;
			}
		}
		if (i < n && s[i] == ',') {
			i++;
			continue;
		}
		return i < n && is_blank(s[i]) ? i : 0;
	}
}

static int
add_chunk(struct paste *p, size_t start, size_t end, int nl, int tab)
{
	struct chunk *c;
	int rc;

	if (p->chunks == NULL) {
		p->chunks = p->first_chunks;
		p->chunkcap = sizeof(p->first_chunks) / sizeof(p->first_chunks[0]);
	}
	if (p->nchunks == p->chunkcap) {
		size_t cap = 2 * p->chunkcap;
		if ((c = malloc(cap * sizeof(*c))) == NULL)
			return VHKEY_ERR_NOMEM;
		memcpy(c, p->chunks, p->nchunks * sizeof(*c));
		if (p->chunks != p->first_chunks)
			free(p->chunks);
		p->chunks = c;
		p->chunkcap = cap;
	}
	if ((rc = vk_put_bytes(&p->b64, p->s + start, end - start)) !=
	    VHKEY_OK)
		return rc;
	c = &p->chunks[p->nchunks++];
	c->start = start;
	c->end = end;
	c->b64len = p->b64.len;
	c->newline_before = nl;
	c->tab_before = tab;
	return VHKEY_OK;
}

/* The runs of base64 after the type name, over blanks and line breaks;
 * *stop is where the first other token starts (or the end). */
static int
gather_chunks(struct paste *p, size_t i, size_t *stop)
{
	int rc;

	for (;;) {
		int tab = 0, nl = 0;
		size_t start = skip_space(p, i, 1, &tab, &nl), end;
		*stop = start;
		if (start >= p->len)
			return VHKEY_OK;
		end = token_end(p, start);
		if (!b64_token(p->s + start, end - start))
			return VHKEY_OK;
		if ((rc = add_chunk(p, start, end, nl, tab)) != VHKEY_OK)
			return rc;
		i = end;
		if (p->s[end - 1] == '=') { /* padding ends the data */
			*stop = skip_space(p, i, 1, &tab, &nl);
			return VHKEY_OK;
		}
	}
}

/* The first character of a token that base64 cannot hold. */
static int
reject_bad_char(struct paste *p, size_t start, size_t end, const char *type,
    size_t typelen)
{
	char buf[32], ch[32];
	size_t i, n;
	unsigned cp;

	/* padding only at the end */
	for (i = start; i < end; i++)
		if (!is_b64(p->s[i]) &&
		    (p->s[i] != '=' || strspn(p->s + i, "=") < end - i))
			break;
	if (i == end)
		i = start;
	if ((unsigned char)p->s[i] > ' ' && (unsigned char)p->s[i] < 0x7f)
		snprintf(ch, sizeof(ch), "'%c'", p->s[i]);
	else if ((n = vk_utf8_len((const unsigned char *)p->s + i, end - i,
		      &cp)) > 1 &&
	    cp >= 0xa0)
		snprintf(ch, sizeof(ch), "'%.*s' (U+%04X)", (int)n, p->s + i, cp);
	else
		snprintf(ch, sizeof(ch), "byte 0x%02x", (unsigned char)p->s[i]);
	return reject(p, VHKEY_REASON_MALFORMED,
	    "The key data%s (the long part after %.*s) is not valid base64: "
	    "the %s at its character %zu cannot be there. The text was "
	    "changed after it was copied. " RECOPY,
	    on_line(p, start, buf, sizeof(buf)), (int)typelen, type, ch,
	    i - start + 1);
}

/* Does the key data's type name (the blob's first string) match the
 * line's?  0 and a verdict in *rc when not. */
static int
type_matches(struct paste *p, const uint8_t *blob, size_t len,
    const char *type, size_t typelen, int *rc)
{
	const char *name;
	size_t namelen;

	if (!blob_name(p, blob, len, &name, &namelen, rc))
		return 0;
	if (namelen != typelen || memcmp(name, type, typelen) != 0) {
		*rc = reject(p, VHKEY_REASON_MALFORMED,
		    "The line starts with %.*s, but the key data is an %.*s "
		    "key: the type name was changed, or two keys were mixed "
		    "up. " RECOPY,
		    (int)typelen, type, (int)namelen, name);
		return 0;
	}
	return 1;
}

/*
 * Keys decoded before.  A file of keys names the same key on many lines;
 * its key data, the same text each time, decodes to the same blob, hence
 * the same key: the memo keeps a copy (with its SHA-256 fingerprint)
 * under the exact base64, and a line with that very text gets a copy
 * back, without decoding, parsing or hashing again.  Only the plain case
 * is remembered, key data in one piece that decodes whole to a key; the
 * checks that depend on the line (its type name, its comment) still run.
 */
static void
drop_key(uint64_t v)
{
	vhkey_free((vhkey *)(uintptr_t)v);
}

/* 2^6 sets of 4: 256 keys (fewer sets let a few of a file's keys share
 * one and push each other out on every line), about 600 KB for RSA-4096
 * keys; key data longer than an RSA-4096 key's is not remembered, so that
 * a thread's memo stays below 1 MB whatever the keys. */
#define KEY_MEMO_SET_BITS 6
#define KEY_MEMO_MAX_B64 1024

int
vk_key_memo_new(struct vk_memo **memo)
{
	return vk_memo_new(memo, KEY_MEMO_SET_BITS, drop_key);
}

static void
remember_key(struct paste *p, vhkey *key, size_t b64len)
{
	vhkey *copy;

	/* with its fingerprint, which the key keeps for its report too:
	 * hashed once */
	if (vk_key_keep_fingerprint(key, p->policy) != VHKEY_OK ||
	    vk_key_public_copy(key, &copy) != VHKEY_OK)
		return;
	vk_memo_put(p->keys, p->b64.data, b64len, (uint64_t)(uintptr_t)copy);
}

/* The line's key data decoded before to known: what find_key_end() gives
 * for it, the type name still checked against this line's. */
static int
known_key(struct paste *p, const vhkey *known, const char *type,
    size_t typelen, size_t *last, vhkey **key)
{
	int rc;

	if (!type_matches(p, known->blob, known->bloblen, type, typelen, &rc))
		return rc;
	if ((rc = vk_key_public_copy(known, key)) != VHKEY_OK)
		return rc;
	*last = 0;
	return VHKEY_OK;
}

/*
 * Which chunks make the key: the data ends where the chunks end and the
 * key's top-level strings end at the same place, and there a key decodes.
 * Chunks after it are the comment (padding cannot tell where unpadded key
 * data ends, and a comment word may well be valid base64).  The index of
 * the last chunk of the key, or a verdict.
 */
static int
find_key_end(struct paste *p, const char *type, size_t typelen, size_t stop,
    size_t *last, vhkey **key, const char *where)
{
	size_t m = 0, boundary = 0, k;
	uint64_t known;
	vk_reader rd;
	int rc, last_rc = VHKEY_ERR_TRUNCATED, tried = 0;

	for (k = 0; k < p->nchunks; k++)
		if (p->chunks[k].b64len % 4 == 0)
			m = p->chunks[k].b64len;
	if (p->nchunks == 1 && m > 0 &&
	    vk_memo_get(p->keys, p->b64.data, m, &known))
		return known_key(p, (const vhkey *)(uintptr_t)known, type,
		    typelen, last, key);
	if (m == 0)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s is incomplete: its length is not a whole "
		    "number of base64 groups, so part of it was lost in "
		    "copying. " RECOPY,
		    where);
	if ((rc = decode_b64(p, m)) != VHKEY_OK)
		return rc == VHKEY_ERR_BASE64 ?
		    reject(p, VHKEY_REASON_MALFORMED,
			"The key data%s is not valid base64 ('=' in the wrong "
			"place, or a last character that does not fit). " RECOPY,
			where) :
		    rc;
	if (vk_private_format_bin(p->bin.data, p->bin.len) != NULL)
		return reject_private(p,
		    vk_private_format_bin(p->bin.data, p->bin.len));
	if (!type_matches(p, p->bin.data, p->bin.len, type, typelen, &rc))
		return rc;
	vk_reader_init(&rd, p->bin.data, p->bin.len);
	for (k = 0; k < p->nchunks && p->chunks[k].b64len <= m; k++) {
		size_t b64len = p->chunks[k].b64len, pad = 0, declen;
		if (b64len % 4 != 0)
			continue;
		while (pad < 2 && p->b64.data[b64len - 1 - pad] == '=')
			pad++;
		declen = b64len / 4 * 3 - pad;
		while (boundary < declen) {
			const uint8_t *sp;
			size_t sl;
			if (vk_get_string(&rd, &sp, &sl) != VHKEY_OK)
				break;
			boundary = rd.off;
		}
		if (boundary != declen)
			continue;
		tried = 1;
		if ((last_rc = vk_key_from_blob(p->bin.data, declen, key)) ==
		    VHKEY_OK) {
			*last = k;
			p->bin.len = declen;
			if (p->nchunks == 1 && p->keys != NULL &&
			    m <= KEY_MEMO_MAX_B64)
				remember_key(p, *key, m);
			return VHKEY_OK;
		}
		if (last_rc == VHKEY_ERR_NOMEM)
			return last_rc;
	}
	if (!tried)
		last_rc = vk_key_from_blob(p->bin.data, p->bin.len, key);
	if (last_rc == VHKEY_OK) { /* cannot be: it ends at a boundary */
		vhkey_free(*key);
		*key = NULL;
		last_rc = VHKEY_ERR_FORMAT;
	}
	/* cut short by a stray character in what would have followed? */
	if (last_rc == VHKEY_ERR_TRUNCATED && stop < p->len &&
	    token_end(p, stop) - stop >= 16)
		return reject_bad_char(p, stop, token_end(p, stop), type,
		    typelen);
	return reject_blob(p, last_rc, where);
}

static int
check_line_key(struct paste *p, size_t ts)
{
	size_t te = token_end(p, ts), stop, last = 0, cs, ce, eol, rest, wl;
	const char *type = p->s + ts;
	size_t typelen = te - ts;
	enum vk_name_kind kind = vk_name_kind(type, typelen, NULL);
	vhkey *key = NULL;
	char where[32];
	int rc, tab = 0, nl = 0;
	char *comment = NULL;
	const char *key_b64;
	size_t clen, key_b64len;

	if ((rc = gather_chunks(p, te, &stop)) != VHKEY_OK)
		return rc;
	if (p->nchunks == 0) {
		size_t e = token_end(p, stop);
		if (stop < p->len && line_of(p, stop) == line_of(p, ts))
			return reject_bad_char(p, stop, e, type, typelen);
		return reject(p, VHKEY_REASON_MALFORMED,
		    "There is no key data after %.*s: the long base64 part "
		    "that follows the type name is missing. " RECOPY,
		    vk_quotable(type, typelen) ? (int)typelen : 8,
		    vk_quotable(type, typelen) ? type : "the type");
	}
	if (kind != VK_NAME_SUPPORTED)
		return reject_name(p, kind, type, typelen);
	rc = find_key_end(p, type, typelen, stop, &last, &key,
	    on_line(p, p->chunks[0].start, where, sizeof(where)));
	if (key == NULL)
		return rc;
	/* the key's data, gathered: what its blob decoded from */
	key_b64 = (const char *)p->b64.data;
	key_b64len = p->chunks[last].b64len;
	p->key_start = p->chunks[0].start;
	p->key_end = p->chunks[last].end;

	/* how the key data was broken up */
	wl = 1;
	for (size_t k = 0; k <= last; k++) {
		if (p->chunks[k].tab_before)
			p->fixes |= VK_FIX_TABS;
		if (k > 0 && p->chunks[k].newline_before)
			wl++;
		else if (k > 0)
			p->fixes |= VK_FIX_SPACES_IN_DATA;
	}
	if (p->chunks[0].newline_before)
		wl++;
	if (wl > 1)
		p->fixes |= VK_FIX_WRAPPED;

	/* the comment: the rest of the line */
	eol = line_end(p, p->chunks[last].end);
	cs = skip_space(p, p->chunks[last].end, 0, &tab, &nl);
	ce = eol;
	while (ce > cs && is_blank(p->s[ce - 1]))
		ce--;
	if (cs < ce && tab)
		p->fixes |= VK_FIX_TABS;
	if (another_key(p, cs, ce) < ce) {
		rc = reject_extra(p, cs, "the key");
		goto out;
	}
	clen = ce - cs;
	rest = eol;
	tab = nl = 0;
	rest = skip_space(p, rest, 1, &tab, &nl);
	if (rest < p->len) {
		/* more lines: another key, junk, or the comment going on */
		size_t pos;
		if (another_key(p, rest, p->len) < p->len ||
		    !((p->fixes & VK_FIX_WRAPPED) || clen == 0)) {
			rc = reject_extra(p, rest, "the key");
			goto out;
		}
		if ((comment = malloc(p->len - cs + 1)) == NULL) {
			rc = VHKEY_ERR_NOMEM;
			goto out;
		}
		memcpy(comment, p->s + cs, clen);
		for (pos = rest; pos < p->len;) {
			size_t le = line_end(p, pos), b = pos;
			while (le > b && is_blank(p->s[le - 1]))
				le--;
			while (b < le && is_blank(p->s[b]))
				b++;
			if (le > b) {
				if (clen > 0)
					comment[clen++] = ' ';
				memcpy(comment + clen, p->s + b, le - b);
				clen += le - b;
			}
			pos = line_end(p, pos) + 1;
		}
		p->fixes |= VK_FIX_COMMENT_JOINED;
		if (!comment_with_key(p, comment, clen, &rc))
			rc = finish(p, &key, comment, clen, wl, key_b64,
			    key_b64len);
	} else {
		rc = finish(p, &key, p->s + cs, clen, wl, key_b64, key_b64len);
	}
out:
	free(comment);
	vhkey_free(key);
	return rc;
}

/* --------------------------------------------------------------- blocks */

/*
 * The lines of an armored block after its BEGIN line: headers ("Name:
 * value", continued by a trailing backslash) and base64, up to the END
 * line of the same label.  The base64 goes to p->b64; the RFC 4716
 * Comment header to *comment (allocated); *after is the offset after the
 * END line.  0 and a verdict when the block is not whole.
 */
static int
read_block(struct paste *p, size_t i, const char *label, size_t labellen,
    char **comment, size_t *after, int *rc)
{
	int in_body = 0;

	while (i < p->len) {
		size_t le = line_end(p, i), b = i, e = le, lab2len;
		const char *lab2, *colon;
		while (b < e && is_blank(p->s[b]))
			b++;
		while (e > b && is_blank(p->s[e - 1]))
			e--;
		if (vk_armor_line(p->s + b, e - b, "END", &lab2, &lab2len)) {
			if (lab2len != labellen ||
			    memcmp(lab2, label, labellen) != 0) {
				*rc = reject(p, VHKEY_REASON_MALFORMED,
				    "The block that begins with BEGIN %.*s "
				    "ends on line %zu with a different END "
				    "line. Copy the whole block again.",
				    (int)labellen, label, line_of(p, b));
				return 0;
			}
			*after = le;
			return 1;
		}
		if (vk_armor_line(p->s + b, e - b, "BEGIN", &lab2, &lab2len))
			break;
		colon = memchr(p->s + b, ':', e - b);
		if (colon != NULL && !in_body) {
			/* a header, maybe continued */
			size_t ve = e, vb = (size_t)(colon - p->s) + 1;
			int is_comment = colon - (p->s + b) == 7 &&
			    strncasecmp(p->s + b, "Comment", 7) == 0;
			while (ve > vb && p->s[ve - 1] == '\\' && le < p->len) {
				ve = le = line_end(p, le + 1);
				while (ve > vb && is_blank(p->s[ve - 1]))
					ve--;
			}
			if (is_comment && comment != NULL) {
				size_t o = 0;
				free(*comment);
				if ((*comment = malloc(ve - vb + 1)) == NULL) {
					*rc = VHKEY_ERR_NOMEM;
					return 0;
				}
				for (size_t k = vb; k < ve; k++) {
					/* join continued lines: a backslash
					 * and what blanks follow it to the
					 * line's end go */
					size_t j = k + 1;

					while (p->s[k] == '\\' && j < ve &&
					    is_blank(p->s[j]))
						j++;
					if (p->s[k] == '\\' && j < ve &&
					    p->s[j] == '\n') {
						k = j;
						continue;
					}
					(*comment)[o++] = p->s[k];
				}
				(*comment)[o] = '\0';
			}
		} else if (e > b) {
			in_body = 1;
			for (size_t k = b; k < e; k++) {
				if (is_blank(p->s[k])) {
					p->fixes |= VK_FIX_SPACES_IN_DATA;
					continue;
				}
				if (!is_b64(p->s[k]) && p->s[k] != '=') {
					*rc = reject(p, VHKEY_REASON_MALFORMED,
					    "Line %zu of the block is not valid "
					    "base64: the character %zu on it "
					    "cannot be there. " RECOPY,
					    line_of(p, b), k - b + 1);
					return 0;
				}
				if ((*rc = vk_put_u8(&p->b64,
					 (uint8_t)p->s[k])) != VHKEY_OK)
					return 0;
			}
		}
		i = le + 1;
	}
	*rc = reject(p, VHKEY_REASON_MALFORMED,
	    "The block that begins with BEGIN %.*s has no END line: its end "
	    "was cut off. Copy the whole block, from its BEGIN line to its END "
	    "line.",
	    (int)labellen, label);
	return 0;
}

/* Decode the whole of p->b64 from a block. */
static int
decode_block(struct paste *p, int *rc)
{
	if (p->b64.len == 0 || p->b64.len % 4 != 0) {
		*rc = reject(p, VHKEY_REASON_MALFORMED,
		    "The key data in the block is incomplete: part of it was "
		    "lost in copying. Copy the whole block again.");
		return 0;
	}
	if ((*rc = decode_b64(p, p->b64.len)) != VHKEY_OK) {
		if (*rc == VHKEY_ERR_BASE64)
			*rc = reject(p, VHKEY_REASON_MALFORMED,
			    "The key data in the block is not valid base64 "
			    "('=' in the wrong place). Copy the whole block "
			    "again.");
		return 0;
	}
	if (vk_private_format_bin(p->bin.data, p->bin.len) != NULL) {
		*rc = reject_private(p,
		    vk_private_format_bin(p->bin.data, p->bin.len));
		return 0;
	}
	return 1;
}

static int
check_rfc4716(struct paste *p, size_t body, const char *label,
    size_t labellen)
{
	char *comment = NULL, *c;
	size_t after, clen;
	int rc;

	if (!read_block(p, body, label, labellen, &comment, &after, &rc) ||
	    !decode_block(p, &rc))
		goto out;
	if (skip_all_space(p, after) < p->len) {
		rc = reject_extra(p, skip_all_space(p, after), "the END line");
		goto out;
	}
	c = comment != NULL ? comment : "";
	clen = strlen(c);
	/* ssh-keygen -e and PuTTY quote it */
	while (clen > 0 && is_blank(*c))
		c++, clen--;
	while (clen > 0 && is_blank(c[clen - 1]))
		clen--;
	if (clen >= 2 && c[0] == '"' && c[clen - 1] == '"')
		c++, clen -= 2;
	rc = finish_blob(p, c, clen, 1, " in the block");
out:
	free(comment);
	return rc;
}

static int
check_pem(struct paste *p, size_t body, const char *label, size_t labellen,
    int pkcs1)
{
	char alg[96];
	size_t after;
	int rc;

	if (!read_block(p, body, label, labellen, NULL, &after, &rc) ||
	    !decode_block(p, &rc))
		return rc;
	if (skip_all_space(p, after) < p->len)
		return reject_extra(p, skip_all_space(p, after), "the END line");
	{
		vk_writer blob;
		vk_writer_init(&blob, 0);
		rc = vk_pem_public_blob(p->bin.data, p->bin.len, pkcs1, &blob,
		    alg, sizeof(alg));
		if (rc == VHKEY_OK) {
			vk_writer_clear(&p->bin);
			p->bin = blob;
		} else {
			vk_writer_clear(&blob);
		}
	}
	switch (rc) {
	case VHKEY_OK:
		return finish_blob(p, "", 0, 1, " in the block");
	case VHKEY_ERR_KEY_TYPE:
		return reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "This PEM block holds a public key of a kind SSH does not "
		    "use (%s). SSH keys are RSA, ECDSA on P-256, P-384 or "
		    "P-521, and Ed25519. " NEWKEY,
		    alg);
	case VHKEY_ERR_FORMAT:
	case VHKEY_ERR_TRAILING:
		return reject(p, VHKEY_REASON_MALFORMED,
		    "The block is labelled %.*s, but what it holds is not a "
		    "valid public key of that form. " HOWTO,
		    (int)labellen, label);
	default:
		return rc;
	}
}

static int
check_armor(struct paste *p, size_t eol, const char *label, size_t labellen)
{
#define LABEL_IS(l) (labellen == strlen(l) && memcmp(label, l, labellen) == 0)
	if (LABEL_IS("SSH2 PUBLIC KEY"))
		return check_rfc4716(p, eol + 1, label, labellen);
	if (LABEL_IS("PUBLIC KEY"))
		return check_pem(p, eol + 1, label, labellen, 0);
	if (LABEL_IS("RSA PUBLIC KEY"))
		return check_pem(p, eol + 1, label, labellen, 1);
	if (memmem(label, labellen, "CERTIFICATE", 11) != NULL)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "This is an X.509 certificate (as used for TLS), not an "
		    "SSH public key. " HOWTO);
	if (memmem(label, labellen, "PGP", 3) != NULL)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "This is a PGP (GnuPG) key, not an SSH key. " HOWTO);
#undef LABEL_IS
	return reject(p, VHKEY_REASON_MALFORMED,
	    "This block (BEGIN %.*s) is not a public key format that is "
	    "understood here. " HOWTO,
	    vk_quotable(label, labellen) || labellen <= 40 ? (int)labellen : 40,
	    label);
}

/* ------------------------------------------------------- no type first */

/* Does p->bin hold a PEM public key's DER (SubjectPublicKeyInfo or
 * PKCS#1)? */
static int
pem_public_body(struct paste *p)
{
	char alg[96];
	vk_writer blob;
	int rc = VHKEY_ERR_FORMAT;

	if (p->bin.len < 2 || p->bin.data[0] != 0x30)
		return 0;
	vk_writer_init(&blob, 0);
	for (int pkcs1 = 0; pkcs1 < 2 && rc != VHKEY_OK &&
	     rc != VHKEY_ERR_KEY_TYPE; pkcs1++) {
		rc = vk_pem_public_blob(p->bin.data, p->bin.len, pkcs1, &blob,
		    alg, sizeof(alg));
		blob.len = 0;
	}
	vk_writer_clear(&blob);
	return rc == VHKEY_OK || rc == VHKEY_ERR_KEY_TYPE;
}

/* Text that is nothing but base64: the inside of some key. */
static int
check_bare(struct paste *p)
{
	size_t i = 0, m = 0;
	const char *name;
	size_t namelen;
	vk_reader rd;
	int rc;

	for (;;) {
		int tab = 0, nl = 0;
		size_t start = skip_space(p, i, 1, &tab, &nl),
		       end = token_end(p, start);
		if (start >= p->len)
			break;
		if ((rc = vk_put_bytes(&p->b64, p->s + start, end - start)) !=
		    VHKEY_OK)
			return rc;
		i = end;
	}
	m = p->b64.len / 4 * 4;
	if (m > 0 && (rc = decode_b64(p, m)) != VHKEY_OK &&
	    rc != VHKEY_ERR_BASE64)
		return rc;
	if (m > 0 && rc == VHKEY_OK) {
		const struct vk_private_kind *kind =
		    vk_private_format_bin(p->bin.data, p->bin.len);
		if (kind != NULL)
			return reject_private(p, kind);
		vk_reader_init(&rd, p->bin.data, p->bin.len);
		if (vk_get_cstring(&rd, &name, &namelen) == VHKEY_OK &&
		    vk_name_kind(name, namelen, NULL) != VK_NAME_NONE)
			return reject(p, VHKEY_REASON_MALFORMED,
			    "This is only the key data, without the key type "
			    "in front of it. Paste the whole line from the .pub "
			    "file, which starts with %.*s.",
			    vk_quotable(name, namelen) ? (int)namelen : 14,
			    vk_quotable(name, namelen) ? name : "the key type");
		if (pem_public_body(p))
			return reject(p, VHKEY_REASON_MALFORMED,
			    "This looks like the inside of a PEM block without "
			    "its BEGIN and END lines. " HOWTO);
	}
	/* no key, and nothing else a person keeps near one: the lines of a
	 * key's body, down to the short last one (at least 16 characters,
	 * less than what any line of a key body but the last has) */
	if ((m = vk_keyish_word(p->s, p->len, 16)) > 0)
		return reject_keyish(p,
		    "The text has no key type in front, and", m);
	return reject(p, VHKEY_REASON_MALFORMED,
	    "This is not a public key: it holds no key type such as "
	    "ssh-ed25519 or ssh-rsa. " HOWTO);
}

/* ------------------------------------------------------------ dispatch */

/* A fingerprint among the first words of the first line, and no key data
 * on it: ssh-keygen -l's line, PuTTYgen's "ssh-ed25519 255 SHA256:...". */
static int
fingerprint_line(const struct paste *p)
{
	size_t i = 0, eol = line_end(p, 0), st, en;
	int fp = 0;

	for (int n = 0; n < 4 && i < eol; n++) {
		en = next_token(p, i, &st);
		if (st >= eol)
			break;
		if (is_fingerprint(p->s + st, en - st))
			fp = 1;
		i = en;
	}
	for (i = 0; fp && i < eol; i = en) {
		en = next_token(p, i, &st);
		if (en - st >= 40 && b64_token(p->s + st, en - st))
			return 0;
		if (en == st)
			break;
	}
	return fp;
}

/* "ssh-ed25519AAAA...": no space after the type name.  1 and a verdict,
 * -1 on an error, or 0. */
static int
glued_type(struct paste *p, size_t e1)
{
	for (int t = VHKEY_TYPE_RSA; t < VHKEY_TYPE_COUNT; t++) {
		const char *name = vhkey_type_name((vhkey_type)t);
		size_t n = strlen(name);
		if (e1 >= n + 4 && memcmp(p->s, name, n) == 0 &&
		    memcmp(p->s + n, "AAAA", 4) == 0)
			return reject(p, VHKEY_REASON_MALFORMED,
			    "There is no space between %s and the key data "
			    "after it: the line was changed after it was "
			    "copied. " RECOPY,
			    name) == VHKEY_OK ? 1 : -1;
	}
	return 0;
}

static int
check_clean(struct paste *p)
{
	size_t eol = line_end(p, 0), e1, s2, e2, oe, k;
	const char *label;
	size_t labellen;
	enum vk_name_kind k1, k2;
	int only_b64 = 1, rc;

	if (vk_armor_line(p->s, eol, "BEGIN", &label, &labellen))
		return check_armor(p, eol, label, labellen);
	if (fingerprint_line(p))
		return reject(p, VHKEY_REASON_MALFORMED,
		    "This is a key fingerprint, a short checksum that names a "
		    "key but cannot be used to log in with it. Paste the public "
		    "key itself: the contents of the .pub file, one line that "
		    "starts with ssh-ed25519, ssh-rsa or ecdsa-sha2-.");
	e1 = token_end(p, 0);
	k1 = vk_name_kind(p->s, e1, NULL);
	/* (a type name alone has no key data glued to it) */
	if (k1 != VK_NAME_SUPPORTED && (rc = glued_type(p, e1)) != 0)
		return rc > 0 ? VHKEY_OK : VHKEY_ERR_NOMEM;
	if (k1 == VK_NAME_SUPPORTED || k1 == VK_NAME_DSA || k1 == VK_NAME_CERT)
		return check_line_key(p, 0);
	e2 = next_token(p, e1, &s2);
	k2 = vk_name_kind(p->s + s2, e2 - s2, NULL);
	if (p->s[0] == '@')
		return reject(p, VHKEY_REASON_MALFORMED,
		    "This is a line from a known_hosts file (a %.*s line): it "
		    "names a server's key, not yours. " HOWTO,
		    vk_quotable(p->s, e1) ? (int)e1 : 6,
		    vk_quotable(p->s, e1) ? p->s : "marker");
	if (e1 >= 3 && memcmp(p->s, "|1|", 3) == 0)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "This is a hashed line from a known_hosts file (it starts "
		    "with |1|): it records a server's host key, not your key. "
		    HOWTO);
	if ((oe = options_end(p)) > 0) {
		size_t ts, te = next_token(p, oe, &ts);
		enum vk_name_kind kt = vk_name_kind(p->s + ts, te - ts, NULL);
		if (kt != VK_NAME_NONE) {
			int tab = 0, nl = 0;
			(void)skip_space(p, oe, 0, &tab, &nl);
			if (tab)
				p->fixes |= VK_FIX_TABS;
			p->options_len = oe;
			return check_line_key(p, ts);
		}
	}
	p->options[0] = '\0';
	if (k1 == VK_NAME_OTHER && e2 > s2 && b64_token(p->s + s2, e2 - s2))
		return check_line_key(p, 0);
	if (is_host_patterns(p->s, e1) && k2 != VK_NAME_NONE)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "This is a line from a known_hosts file: the host names in "
		    "front of the key type say that it records a server's host "
		    "key, not your key. " HOWTO);
	for (size_t i = 0; i < p->len; i++)
		if (!is_b64(p->s[i]) && p->s[i] != '=' &&
		    !is_blank(p->s[i]) && p->s[i] != '\n')
			only_b64 = 0;
	if (only_b64)
		return check_bare(p);
	/* a key after something else, as in a copied terminal */
	if ((k = another_key(p, 0, p->len)) < p->len &&
	    line_of(p, k) == p->first_line)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "Something that is not part of the key comes before it: "
		    "the key type (such as ssh-ed25519 or ssh-rsa) must come "
		    "first. Remove what is in front of it, or better, copy the "
		    ".pub file again, unchanged, and paste that.");
	if (k < p->len)
		return reject(p, VHKEY_REASON_MALFORMED,
		    "A key starts on line %zu, but the text before it (from "
		    "line %zu) is not part of a key. Paste only the key: the "
		    "contents of the .pub file, one line that starts with "
		    "ssh-ed25519, ssh-rsa or ecdsa-sha2-.",
		    line_of(p, k), p->first_line);
	/* a fingerprint further in, as in ssh-keygen's or vhkeygen's output */
	for (size_t i = 0; i < p->len;) {
		int tab = 0, nl = 0;
		size_t st = skip_space(p, i, 1, &tab, &nl), en = token_end(p, st);
		if (st < p->len && is_fingerprint(p->s + st, en - st))
			return reject(p, VHKEY_REASON_MALFORMED,
			    "This text holds a key fingerprint (line %zu), a "
			    "short checksum that names a key but cannot be used "
			    "to log in with it. " HOWTO,
			    line_of(p, st));
		i = en > st ? en : st + 1;
	}
	return reject(p, VHKEY_REASON_MALFORMED,
	    "This is not a public key: it does not start with a key type such "
	    "as ssh-ed25519 or ssh-rsa, nor with a BEGIN line. " HOWTO);
}

/*
 * A text refused for another reason may still hold a private key that no
 * marker showed: every run of base64 or hex in it is decoded (in the text
 * as cleaned, and as pasted when it holds binary data, which the cleaning
 * may have changed), and private key material makes the verdict
 * private_key instead.  A report with a key went through finish(), which
 * looked at everything but the key's own data.
 */
static int
private_after_all(struct paste *p, const void *text, size_t len, int binary)
{
	const struct vk_private_kind *kind;
	int rc;

	if (vhkey_report_verdict(p->r) != VHKEY_REJECTED ||
	    vhkey_report_reason(p->r) == VHKEY_REASON_PRIVATE_KEY ||
	    p->r->key != NULL)
		return VHKEY_OK;
	if ((kind = vk_private_scan(p->s, p->len, 0, &rc)) == NULL &&
	    rc == VHKEY_OK && binary)
		kind = vk_private_scan(text, len, 1, &rc);
	return kind != NULL ? reject_private(p, kind) : rc;
}

int
vk_reject_too_large(vhkey_report *r, size_t len)
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
		return vk_reject_too_large(r, len);
	/* before anything else: a private key is never parsed */
	if ((kind = vk_private_format(text, len)) != NULL)
		return reject_private(&p, kind);
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
		rc = reject_private(&p, kind);
	else if (t.len == 0)
		rc = reject(&p, VHKEY_REASON_MALFORMED,
		    "Nothing was pasted: the text is empty or only white "
		    "space. " HOWTO);
	else if (t.ctl_line != 0)
		rc = reject(&p, VHKEY_REASON_MALFORMED,
		    "The text holds control characters or NUL bytes (line %zu) "
		    "before where a key's comment would be: it is binary data, "
		    "not a public key. " HOWTO,
		    t.ctl_line);
	else
		rc = check_clean(&p);
	if (rc == VHKEY_OK)
		rc = private_after_all(&p, text, len, t.ctl_line != 0);
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
