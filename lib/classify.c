/*
 * classify.c - what is this pasted text?  Private key markers, key type
 * names, armor lines, and the byte-level repairs of paste damage.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <sodium.h>

#include "check.h"
#include "lanes.h"

/* ------------------------------------------------------- private keys */

static const char advice_putty[] =
    " In PuTTYgen, the public key is the text in the box \"Public key for "
    "pasting into OpenSSH authorized_keys file\" (puttygen KEYFILE -L "
    "prints it too).";

static const struct vk_private_kind kind_openssh = {
	"an OpenSSH private key", ""
};
static const struct vk_private_kind kind_openssh_body = {
	"the inside of an OpenSSH private key (the lines between its BEGIN "
	"and END lines)",
	""
};
static const struct vk_private_kind kind_pem_encrypted = {
	"a passphrase-protected PEM private key", ""
};
static const struct vk_private_kind kind_pem_rsa = {
	"a PEM RSA private key", ""
};
static const struct vk_private_kind kind_pem_ec = {
	"a PEM EC private key", ""
};
static const struct vk_private_kind kind_pem_dsa = {
	"a PEM DSA private key", ""
};
static const struct vk_private_kind kind_pkcs8_encrypted = {
	"a passphrase-protected PKCS#8 private key", ""
};
static const struct vk_private_kind kind_pkcs8 = {
	"a PKCS#8 private key", ""
};
static const struct vk_private_kind kind_putty = {
	"a PuTTY private key (.ppk file)", advice_putty
};
static const struct vk_private_kind kind_sshcom = {
	"an ssh.com (SSH2) private key", advice_putty
};
static const struct vk_private_kind kind_ssh1 = {
	"an SSH-1 private key", ""
};
static const struct vk_private_kind kind_pem_body = {
	"the inside of a PEM private key (the lines between its BEGIN and "
	"END lines)",
	""
};
static const struct vk_private_kind kind_other = { "a private key", "" };

/* In order: the first that matches names the format. */
static const struct {
	const char *marker;
	const struct vk_private_kind *kind;
} private_markers[] = {
	{ "-----BEGIN OPENSSH PRIVATE KEY-----", &kind_openssh },
	{ "PuTTY-User-Key-File-", &kind_putty },
	{ "BEGIN SSH2 ENCRYPTED PRIVATE KEY", &kind_sshcom },
	{ "SSH PRIVATE KEY FILE FORMAT 1.1", &kind_ssh1 },
	{ "Proc-Type: 4,ENCRYPTED", &kind_pem_encrypted },
	{ "-----BEGIN RSA PRIVATE KEY-----", &kind_pem_rsa },
	{ "-----BEGIN EC PRIVATE KEY-----", &kind_pem_ec },
	{ "-----BEGIN DSA PRIVATE KEY-----", &kind_pem_dsa },
	{ "-----BEGIN ENCRYPTED PRIVATE KEY-----", &kind_pkcs8_encrypted },
	{ "-----BEGIN PRIVATE KEY-----", &kind_pkcs8 },
	/* "openssh-key-v1\0" in base64, as the body of such a key starts */
	{ "b3BlbnNzaC1rZXktdjE", &kind_openssh_body },
	{ "Private-Lines:", &kind_putty },
	{ "Private-MAC:", &kind_putty },
	/* any other armor: END lines alone, other labels */
	{ "PRIVATE KEY-----", &kind_other },
	{ "PRIVATE KEY ----", &kind_other },
};

/* Does one of the four bytes at s begin every marker: "PRIV", "Priv",
 * "Proc", "PuTT" or "b3Bl"? */
static int
anchor_at(const char *s, size_t n)
{
	static const char anchors[][4] = { "PRIV", "Priv", "Proc", "PuTT",
		"b3Bl" };

	for (size_t k = 0; k < sizeof(anchors) / sizeof(anchors[0]); k++)
		if (n >= 4 && memcmp(s, anchors[k], 4) == 0)
			return 1;
	return 0;
}

/*
 * Every marker holds an anchor (anchor_at()), which a public key line
 * seldom does: text without one is looked at in one pass instead of one
 * a marker.  Lanes are marked where the first two bytes of an anchor
 * stand ("PR", "Pr", "Pu" or "b3"), once or twice in a line of base64.
 */
static int
may_hold_marker(const char *s, size_t len)
{
	static const vk_s8x16 lane = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
		12, 13, 14, 15 };

	for (size_t i = 0; i + 1 < len; i += VK_LANES) {
		size_t n = len - i - 1; /* pairs that start from i */
		vk_s8x16 a = n >= VK_LANES ? vk_lanes_load(s + i) :
					     vk_lanes_load_part(s + i, n, ' ');
		vk_s8x16 b = n >= VK_LANES ?
		    vk_lanes_load(s + i + 1) :
		    vk_lanes_load_part(s + i + 1, n, ' ');
		vk_u8x16 m = ((vk_u8x16)(a == 'P') &
				 ((vk_u8x16)(b == 'R') | (vk_u8x16)(b == 'r') |
				     (vk_u8x16)(b == 'u'))) |
		    ((vk_u8x16)(a == 'b') & (vk_u8x16)(b == '3'));
		while (vk_lanes_any(m)) {
			size_t k = vk_lanes_first(m);
			if (anchor_at(s + i + k, len - i - k))
				return 1;
			m &= (vk_u8x16)(lane > (signed char)k);
		}
	}
	return 0;
}

const struct vk_private_kind *
vk_private_format(const void *text, size_t len)
{
	if (!may_hold_marker(text, len))
		return NULL;
	for (size_t i = 0; i < sizeof(private_markers) /
		 sizeof(private_markers[0]); i++) {
		const char *m = private_markers[i].marker;
		if (memmem(text, len, m, strlen(m)) != NULL)
			return private_markers[i].kind;
	}
	return NULL;
}

/* The header of the DER object at *p (OpenSSL's bounded reader); advances
 * *p past the header only.  0 when there is none. */
static int
der_object(const unsigned char **p, long *avail, int *tag, long *clen)
{
	const unsigned char *q = *p;
	int xclass, ret;

	if (*avail <= 0)
		return 0;
	ret = ASN1_get_object(&q, clen, tag, &xclass, *avail);
	if ((ret & 0x80) != 0 || xclass != V_ASN1_UNIVERSAL)
		return 0;
	*avail -= (long)(q - *p);
	*p = q;
	return 1;
}

const struct vk_private_kind *
vk_private_format_bin(const uint8_t *bin, size_t len)
{
	static const char magic[] = "openssh-key-v1"; /* and its NUL */
	const unsigned char *p = bin;
	long avail, clen;
	int tag;

	if (len >= sizeof(magic) && memcmp(bin, magic, sizeof(magic)) == 0)
		return &kind_openssh_body;
	if (len > 1024 * 1024)
		return NULL;
	avail = (long)len;
	/* SEQUENCE { INTEGER 0 or 1, ... }: PKCS#1, SEC 1, DSA, PKCS#8;
	 * SEQUENCE { SEQUENCE, OCTET STRING }: encrypted PKCS#8.  (Public
	 * keys are SEQUENCE { SEQUENCE, BIT STRING } or start with a large
	 * INTEGER.) */
	if (!der_object(&p, &avail, &tag, &clen) || tag != V_ASN1_SEQUENCE)
		return NULL;
	avail = clen;
	if (!der_object(&p, &avail, &tag, &clen))
		return NULL;
	if (tag == V_ASN1_INTEGER)
		return clen == 1 && (p[0] == 0 || p[0] == 1) && avail > 1 ?
		    &kind_pem_body :
		    NULL;
	if (tag != V_ASN1_SEQUENCE || clen > avail)
		return NULL;
	p += clen;
	avail -= clen;
	if (der_object(&p, &avail, &tag, &clen) && tag == V_ASN1_OCTET_STRING)
		return &kind_pem_body;
	return NULL;
}

/* ------------------------------------------------------------- names */

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '.' || c == '@' || c == '_';
}

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

enum vk_name_kind
vk_name_kind(const char *s, size_t len, vhkey_type *type)
{
	size_t at = 0, dash = 0;
	vhkey_type t;

	if ((t = vk_type_from_name(s, len)) != VHKEY_TYPE_UNKNOWN) {
		if (type != NULL)
			*type = t;
		return VK_NAME_SUPPORTED;
	}
	if (len == 7 && memcmp(s, "ssh-dss", 7) == 0)
		return VK_NAME_DSA;
	if (ends_with(s, len, "-cert-v01@openssh.com") ||
	    ends_with(s, len, "-cert-v00@openssh.com"))
		return VK_NAME_CERT;
	/* something like a name: "ssh-ed448", "x509v3-sign-rsa" */
	if (len < 3 || len > 64 || s[0] < 'a' || s[0] > 'z')
		return VK_NAME_NONE;
	for (size_t i = 0; i < len; i++) {
		if (!is_name_char(s[i]))
			return VK_NAME_NONE;
		at += s[i] == '@';
		dash += s[i] == '-';
	}
	return at <= 1 && dash > 0 ? VK_NAME_OTHER : VK_NAME_NONE;
}

int
vk_quotable(const char *s, size_t len)
{
	if (len == 0 || len > 64)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == '\'' ||
		    s[i] == '"' || s[i] == '\\')
			return 0;
	return 1;
}

/* --------------------------------------------------------------- armor */

int
vk_armor_line(const char *line, size_t len, const char *which,
    const char **label, size_t *labellen)
{
	size_t i = 0, j = len, n = strlen(which), dashes = 0;

	while (i < j && line[i] == '-')
		i++, dashes++;
	if (dashes < 4)
		return 0;
	while (i < j && line[i] == ' ')
		i++;
	if (j - i < n + 1 || memcmp(line + i, which, n) != 0 ||
	    line[i + n] != ' ')
		return 0;
	i += n + 1;
	for (dashes = 0; j > i && line[j - 1] == '-'; j--)
		dashes++;
	if (dashes < 4)
		return 0;
	while (j > i && line[j - 1] == ' ')
		j--;
	while (i < j && line[i] == ' ')
		i++;
	*label = line + i;
	*labellen = j - i;
	return j > i;
}

/* ------------------------------------------------------------- repairs */

void
vk_text_free(struct vk_text *t)
{
	if (t->s != NULL) {
		sodium_memzero(t->s, t->len);
		free(t->s);
	}
	memset(t, 0, sizeof(*t));
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The lanes that hold a byte other than printable ASCII or a tab. */
static vk_u8x16
unusual(vk_s8x16 c)
{
	return ~(((vk_u8x16)(c >= ' ') & (vk_u8x16)(c != 0x7f)) |
	    (vk_u8x16)(c == '\t'));
}

/* How many bytes of invisible or space-like character start at s (n bytes
 * left), and which repair that is; 0 for none. */
static size_t
special_char(const unsigned char *s, size_t n, unsigned *fix)
{
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0) { /* U+00A0 */
		*fix = VK_FIX_NBSP;
		return 2;
	}
	if (n < 3)
		return 0;
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] == 0xaf) { /* U+202F */
		*fix = VK_FIX_NBSP;
		return 3;
	}
	if ((s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x8b && s[2] <= 0x8d) ||
	    (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0xa0) ||
	    (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)) {
		*fix = VK_FIX_ZERO_WIDTH;
		return 3;
	}
	return 0;
}

/*
 * Is a control character at d[o], on a line that starts at d[from], where
 * an authorized_keys line has its comment: in the third word or later?
 * There sshd takes the key and keeps the byte as text (it logs in with a
 * comment holding ESC, BEL, DEL or NUL), and the checker escapes it;
 * anywhere else it is binary data.
 */
static int
in_comment(const char *d, size_t from, size_t o)
{
	size_t words = 0;

	for (size_t i = from; i < o; i++)
		if (!is_space(d[i]) && (i == from || is_space(d[i - 1])))
			words++;
	return words >= 3 || (words == 2 && is_space(d[o - 1]));
}

int
vk_text_clean(const void *in, size_t len, struct vk_text *t)
{
	const unsigned char *s = in;
	size_t i = 0, o = 0, start, line = 1, line_at = 0;
	int in_text = 0; /* this line's comment is reached */
	unsigned fix;
	char *d;

	memset(t, 0, sizeof(*t));
	if ((d = malloc(len + 1)) == NULL)
		return VHKEY_ERR_NOMEM;
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		t->fixes |= VK_FIX_BOM;
		i = 3;
	}
	while (i < len) {
		/* printable ASCII and tabs need nothing: copied in runs */
		size_t n = vk_lanes_find(s + i, len - i, unusual, ' ');
		if (n > 0) {
			memcpy(d + o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		if ((n = special_char(s + i, len - i, &fix)) > 0) {
			t->fixes |= fix;
			if (fix == VK_FIX_NBSP)
				d[o++] = ' ';
			i += n;
		} else if (s[i] == '\r') {
			t->fixes |= VK_FIX_CRLF;
			d[o++] = '\n';
			line++;
			line_at = o;
			in_text = 0;
			i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
		} else {
			if (s[i] == '\n') {
				line++;
				line_at = o + 1;
				in_text = 0;
			} else if (((s[i] < 0x20 && s[i] != '\t') ||
			    s[i] == 0x7f) && t->ctl_line == 0) {
				/* one look back per line: the comment, once
				 * reached, goes on to the line's end */
				in_text = in_text || in_comment(d, line_at, o);
				if (s[i] == '\0' || !in_text)
					t->ctl_line = line;
			}
			d[o++] = (char)s[i++];
		}
	}
	/* white space around the key; one final newline is no damage */
	for (start = 0; start < o && is_space(d[start]); start++)
		if (d[start] == '\n')
			t->first_line++;
	if (start > 0)
		t->fixes |= VK_FIX_OUTER_SPACE;
	t->first_line++;
	/* ssh-keygen writes "type data \n" for a key without a comment */
	if (o > start && d[o - 1] == '\n')
		o--;
	if (o > start && d[o - 1] == ' ' && (o - 1 == start ||
	    !is_space(d[o - 2])))
		o--;
	if (o > start && is_space(d[o - 1])) {
		t->fixes |= VK_FIX_OUTER_SPACE;
		while (o > start && is_space(d[o - 1]))
			o--;
	}
	memmove(d, d + start, o - start);
	/* wipe what the move left behind */
	sodium_memzero(d + (o - start), len + 1 - (o - start));
	t->s = d;
	t->len = o - start;
	return VHKEY_OK;
}
