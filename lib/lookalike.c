/*
 * lookalike.c - what a paste is when it is not a public key, or not only
 * one: private key material beside the key, a fingerprint, a known_hosts
 * line, a second key, a key in the comment, a type name glued to its data.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "paste.h"

/* Every paste file refuses through this one (the lowest of them: it
 * calls none of the others). */
int
vk_paste_reject(struct paste *p, int reason, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vk_report_reject(p->r, reason, "%s", msg);
}

int
vk_reject_private(struct paste *p, const struct vk_private_kind *kind)
{
	return vk_paste_reject(p, VHKEY_REASON_PRIVATE_KEY,
	    "This is %s: the secret half of a key pair, which must never be "
	    "pasted anywhere. " PUB_INSTEAD "%s If you pasted this private key "
	    "into a web form, a chat or an e-mail, " EXPOSED,
	    kind->format, kind->advice);
}

/* A word of base64 as long as a line of a key's body (vk_keyish_word())
 * where only a key's own data belongs, in what (a phrase). */
int
vk_reject_keyish(struct paste *p, const char *what, size_t wordlen)
{
	return vk_paste_reject(p, VHKEY_REASON_PRIVATE_KEY,
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
	return vk_paste_reject(p, VHKEY_REASON_PRIVATE_KEY,
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
int
vk_private_near_key(struct paste *p, const char *comment, size_t clen, int *rc)
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
		*rc = vk_reject_private(p, kind);
		return 1;
	}
	if ((w = vk_keyish_word(comment, clen, VK_KEYISH_MIN)) > 0) {
		*rc = vk_reject_keyish(p, "The comment after the key", w);
		return 1;
	}
	if ((w = vk_hexish_run(comment, clen, VK_HEXISH_MIN)) > 0) {
		*rc = reject_hexish(p, w);
		return 1;
	}
	return 0;
}

int
vk_is_fingerprint(const char *s, size_t n)
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
int
vk_is_host_patterns(const char *s, size_t n)
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
size_t
vk_another_key(const struct paste *p, size_t i, size_t end)
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

/* Does a comment hold text that vk_another_key() would take for a key? */
int
vk_comment_holds_key(const char *comment, size_t clen)
{
	struct paste c;

	memset(&c, 0, sizeof(c));
	c.s = comment;
	c.len = clen;
	return vk_another_key(&c, 0, clen) < clen;
}

/* Is the text as given one line to sshd, parted by CRs only (old Mac line
 * ends), which the cleaned text counts as several?  sshd knows LF only. */
static int
one_sshd_line(const struct paste *p)
{
	size_t n = p->rawlen;

	if (p->raw == NULL)
		return 0;
	while (n > 0 && (p->raw[n - 1] == '\n' || p->raw[n - 1] == '\r'))
		n--;
	return memchr(p->raw, '\n', n) == NULL &&
	    memchr(p->raw, '\r', n) != NULL;
}

/* Text after the key: another key, or something that does not belong. */
int
vk_reject_extra(struct paste *p, size_t at, const char *what)
{
	size_t k = vk_another_key(p, at, p->len), w;

	if (k < p->len && line_of(p, k) == line_of(p, at) &&
	    memchr(p->s, '\n', at) == NULL)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The text holds more than one key: another one follows the "
		    "first on the same line. Paste one key at a time.");
	if (k < p->len && one_sshd_line(p))
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The text holds more than one key: another one follows the "
		    "first after a carriage return (CR), so sshd reads both as "
		    "one line, the second as part of the first one's comment, "
		    "where it never works. Give each key a line of its own, "
		    "ending with LF, or paste one key at a time.");
	if (k < p->len)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The text holds more than one key: another one starts on "
		    "line %zu. Paste one key at a time.",
		    line_of(p, k));
	if ((w = vk_keyish_word(p->s + at, p->len - at, VK_KEYISH_MIN)) > 0)
		return vk_reject_keyish(p, "The text after the key", w);
	return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
	    "Line %zu holds text after %s, which is not part of the key. "
	    "Paste only the key: %s",
	    line_of(p, at), what,
	    "the contents of the .pub file, one line that starts with "
	    "ssh-ed25519, ssh-rsa or ecdsa-sha2-.");
}

/* A fingerprint among the first words of the first line, and no key data
 * on it: ssh-keygen -l's line, PuTTYgen's "ssh-ed25519 255 SHA256:...". */
int
vk_fingerprint_line(const struct paste *p)
{
	size_t i = 0, eol = line_end(p, 0), st, en;
	int fp = 0;

	for (int n = 0; n < 4 && i < eol; n++) {
		en = next_token(p, i, &st);
		if (st >= eol)
			break;
		if (vk_is_fingerprint(p->s + st, en - st))
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
int
vk_glued_type(struct paste *p, size_t e1)
{
	for (int t = VHKEY_TYPE_RSA; t < VHKEY_TYPE_COUNT; t++) {
		const char *name = vhkey_type_name((vhkey_type)t);
		size_t n = strlen(name);
		if (e1 >= n + 4 && memcmp(p->s, name, n) == 0 &&
		    memcmp(p->s + n, "AAAA", 4) == 0)
			return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
			    "There is no space between %s and the key data "
			    "after it: the line was changed after it was "
			    "copied. " RECOPY,
			    name) == VHKEY_OK ? 1 : -1;
	}
	return 0;
}

/*
 * A text refused for another reason may still hold a private key that no
 * marker showed: every run of base64 or hex in it is decoded (in the text
 * as cleaned, and as pasted when it holds binary data, which the cleaning
 * may have changed), and private key material makes the verdict
 * private_key instead.  A report with a key went through vk_paste_finish(), which
 * looked at everything but the key's own data.
 */
int
vk_private_after_all(struct paste *p, const void *text, size_t len, int binary)
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
	return kind != NULL ? vk_reject_private(p, kind) : rc;
}

/*
 * Text that is neither a key nor a block, and not nothing but base64:
 * why not, as precisely as can be told (a key after something else, a
 * fingerprint further in, or no key type at all).  The verdict is always
 * a refusal.
 */
int
vk_reject_not_a_key(struct paste *p)
{
	size_t k;

	/* a key after something else, as in a copied terminal */
	if ((k = vk_another_key(p, 0, p->len)) < p->len &&
	    line_of(p, k) == p->first_line)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "Something that is not part of the key comes before it: "
		    "the key type (such as ssh-ed25519 or ssh-rsa) must come "
		    "first. Remove what is in front of it, or better, copy the "
		    ".pub file again, unchanged, and paste that.");
	if (k < p->len)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "A key starts on line %zu, but the text before it (from "
		    "line %zu) is not part of a key. Paste only the key: the "
		    "contents of the .pub file, one line that starts with "
		    "ssh-ed25519, ssh-rsa or ecdsa-sha2-.",
		    line_of(p, k), p->first_line);
	/* a fingerprint further in, as in ssh-keygen's or vhkeygen's output */
	for (size_t i = 0; i < p->len;) {
		int tab = 0, nl = 0;
		size_t st = skip_space(p, i, 1, &tab, &nl), en = token_end(p, st);
		if (st < p->len && vk_is_fingerprint(p->s + st, en - st))
			return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
			    "This text holds a key fingerprint (line %zu), a "
			    "short checksum that names a key but cannot be used "
			    "to log in with it. " HOWTO,
			    line_of(p, st));
		i = en > st ? en : st + 1;
	}
	return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
	    "This is not a public key: it does not start with a key type such "
	    "as ssh-ed25519 or ssh-rsa, nor with a BEGIN line. " HOWTO);
}
