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
#include "chars.h"

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
static const struct vk_private_kind kind_pkcs8_body = {
	"the inside of a passphrase-protected PKCS#8 private key (the lines "
	"between its BEGIN and END lines)",
	""
};
static const struct vk_private_kind kind_jwk = {
	"a private key in JWK form (a JSON Web Key with its private members)",
	""
};
static const struct vk_private_kind kind_body_line = {
	"a line from the inside of a private key (from between its BEGIN "
	"and END lines)",
	""
};
static const struct vk_private_kind kind_openssl_text = {
	"a private key as openssl prints it (openssl rsa -text or pkey "
	"-text: its numbers in hex)",
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
	/* its other header, which a file's line by line check sees alone */
	{ "DEK-Info: ", &kind_pem_encrypted },
	{ "-----BEGIN RSA PRIVATE KEY-----", &kind_pem_rsa },
	{ "-----BEGIN EC PRIVATE KEY-----", &kind_pem_ec },
	{ "-----BEGIN DSA PRIVATE KEY-----", &kind_pem_dsa },
	{ "-----BEGIN ENCRYPTED PRIVATE KEY-----", &kind_pkcs8_encrypted },
	{ "-----BEGIN PRIVATE KEY-----", &kind_pkcs8 },
	/* "openssh-key-v1\0" in base64, as the body of such a key starts */
	{ "b3BlbnNzaC1rZXktdjE", &kind_openssh_body },
	{ "Private-Lines:", &kind_putty },
	{ "Private-MAC:", &kind_putty },
	/* openssl -text: "Private-Key: (2048 bit, 2 primes)", "ED25519
	 * Private-Key:", then the private numbers in hex */
	{ "Private-Key:", &kind_openssl_text },
	/* any other armor: END lines alone, other labels */
	{ "PRIVATE KEY-----", &kind_other },
	{ "PRIVATE KEY ----", &kind_other },
};

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Does s (n bytes) start with word, in any case? */
static int
starts_ci(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (lower((unsigned char)s[i]) != word[i])
			return 0;
	return 1;
}

/* Do the four bytes at s begin a marker: "priv" in any case, "Proc",
 * "DEK-", "PuTT", "b3Bl" or "\"kty"? */
static int
anchor_at(const char *s, size_t n)
{
	static const char anchors[][4] = { "Proc", "DEK-", "PuTT", "b3Bl",
		"\"kty" };

	if (starts_ci(s, n, "priv"))
		return 1;
	for (size_t k = 0; k < sizeof(anchors) / sizeof(anchors[0]); k++)
		if (n >= 4 && memcmp(s, anchors[k], 4) == 0)
			return 1;
	return 0;
}

/*
 * Every marker holds an anchor (anchor_at()), which a public key line
 * seldom does: text without one is looked at in one pass instead of one
 * a marker.  Lanes are marked where the first two bytes of an anchor
 * stand ("PR", "pr" in any case, "DE", "Pu", "b3" or "\"k"), a few
 * times in a line of base64.
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
		/* "pr" in any case: a letter's case is its 0x20 bit */
		vk_u8x16 m = ((vk_u8x16)((a | 0x20) == 'p') &
				 (vk_u8x16)((b | 0x20) == 'r')) |
		    ((vk_u8x16)(a == 'P') & (vk_u8x16)(b == 'u')) |
		    ((vk_u8x16)(a == 'b') & (vk_u8x16)(b == '3')) |
		    ((vk_u8x16)(a == 'D') & (vk_u8x16)(b == 'E')) |
		    ((vk_u8x16)(a == '"') & (vk_u8x16)(b == 'k'));
		while (vk_lanes_any(m)) {
			size_t k = vk_lanes_first(m);
			if (anchor_at(s + i + k, len - i - k))
				return 1;
			m &= (vk_u8x16)(lane > (signed char)k);
		}
	}
	return 0;
}

/* How many bytes of a dash start at s: '-' or a Unicode one (U+2010 to
 * U+2015, the minus sign, the small and the fullwidth hyphen-minus), as
 * a word processor or a chat turns "-----" into; 0 for none. */
static size_t
dash_at(const char *s, size_t n)
{
	unsigned cp;
	size_t k;

	if (n == 0 || (k = vk_utf8_len((const unsigned char *)s, n, &cp)) == 0)
		return 0;
	return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
		cp == 0xfe58 || cp == 0xfe63 || cp == 0xff0d ?
	    k :
	    0;
}

/* Do armor dashes start at s: two or more (ASCII or Unicode), or one
 * Unicode dash, which a word processor makes of two or three?  A lone
 * '-' is a hyphen ("ssh-rsa"). */
static int
armor_dashes_at(const char *s, size_t n)
{
	size_t k = dash_at(s, n);

	return k > 1 || (k == 1 && dash_at(s + 1, n - 1) > 0);
}

/* The label words an armor line puts before PRIVATE KEY, and the format
 * each names; none (or BEGIN) is PKCS#8. */
static const struct {
	const char *word;
	const struct vk_private_kind *kind;
} armor_labels[] = {
	{ "openssh", &kind_openssh },
	{ "rsa", &kind_pem_rsa },
	{ "ec", &kind_pem_ec },
	{ "dsa", &kind_pem_dsa },
	{ "encrypted", &kind_pkcs8_encrypted },
	{ "begin", &kind_pkcs8 },
};

/* Do armor dashes end at s[at] (two ASCII ones, or a Unicode one)? */
static int
dashes_before(const char *s, size_t at)
{
	return (at >= 2 && s[at - 1] == '-' && s[at - 2] == '-') ||
	    (at >= 3 && dash_at(s + at - 3, 3) == 3) ||
	    (at >= 2 && dash_at(s + at - 2, 2) == 2);
}

/* The word of letters that ends at s[end], blanks before end skipped:
 * its start, and its end in *wend (*wend - start is 0 for none; a word of
 * more than 16 letters is no armor's). */
static size_t
word_before(const char *s, size_t end, size_t *wend)
{
	size_t w;

	while (end > 0 && vk_is_blank(s[end - 1]))
		end--;
	for (w = end; w > 0 && end - w < 16 &&
	     lower((unsigned char)s[w - 1]) >= 'a' &&
	     lower((unsigned char)s[w - 1]) <= 'z';
	     w--)
		;
	*wend = end;
	return w;
}

static int
word_is(const char *s, size_t w, size_t end, const char *word)
{
	return end - w == strlen(word) && starts_ci(s + w, end - w, word);
}

/*
 * The armor line around "private" at s + i, however damaged: any case,
 * any number of blanks, any number of ASCII or Unicode dashes.  What makes
 * "private key" armor rather than words in a comment ("the end of my
 * private key") is dashes right after "key"; or BEGIN or END right before
 * it, or before one of the labels OpenSSH and OpenSSL write there; or
 * dashes before those words.  "private-lines" and "private-mac" are
 * PuTTY's headers.
 */
static const struct vk_private_kind *
damaged_armor(const char *s, size_t len, size_t i)
{
	size_t j = i + 7, k, w1, e1, w2, e2;
	const struct vk_private_kind *label = NULL;

	if (starts_ci(s + j, len - j, "-lines") ||
	    starts_ci(s + j, len - j, "-mac"))
		return &kind_putty;
	for (k = j; k < len && vk_is_blank(s[k]); k++)
		;
	if (k == j || !starts_ci(s + k, len - k, "key"))
		return NULL;
	for (k += 3; k < len && vk_is_blank(s[k]); k++)
		;
	/* the label word before "private" names the format */
	w1 = word_before(s, i, &e1);
	for (size_t l = 0; l < sizeof(armor_labels) / sizeof(armor_labels[0]);
	     l++)
		if (word_is(s, w1, e1, armor_labels[l].word))
			label = armor_labels[l].kind;
	if (armor_dashes_at(s + k, len - k) || dashes_before(s, w1) ||
	    word_is(s, w1, e1, "end"))
		return label != NULL ? label : &kind_other;
	if (label == NULL)
		return NULL;
	if (label == &kind_pkcs8) /* BEGIN PRIVATE KEY */
		return label;
	w2 = word_before(s, w1, &e2);
	return word_is(s, w2, e2, "begin") || word_is(s, w2, e2, "end") ||
		dashes_before(s, w2) ?
	    label :
	    NULL;
}

/* A JSON Web Key with a private member: "kty" and "d" (RSA, EC, OKP),
 * "p", "q", "dp", "dq", "qi" (RSA) or "k" (a secret key). */
static int
jwk_private(const char *s, size_t len)
{
	static const char *members[] = { "\"d\"", "\"p\"", "\"q\"",
		"\"dp\"", "\"dq\"", "\"qi\"", "\"k\"" };

	if (memmem(s, len, "\"kty\"", 5) == NULL)
		return 0;
	for (size_t m = 0; m < sizeof(members) / sizeof(members[0]); m++) {
		size_t n = strlen(members[m]);
		const char *at = s, *end = s + len, *f;
		while ((f = memmem(at, (size_t)(end - at), members[m], n)) !=
		    NULL) {
			f += n;
			while (f < end && (vk_is_blank(*f) || *f == '\n' ||
					      *f == '\r'))
				f++;
			if (f < end && *f == ':')
				return 1;
			at = f;
		}
	}
	return 0;
}

const struct vk_private_kind *
vk_private_format(const void *text, size_t len)
{
	const char *s = text;
	const struct vk_private_kind *kind;

	if (!may_hold_marker(text, len))
		return NULL;
	for (size_t i = 0; i < sizeof(private_markers) /
		 sizeof(private_markers[0]); i++) {
		const char *m = private_markers[i].marker;
		if (memmem(text, len, m, strlen(m)) != NULL)
			return private_markers[i].kind;
	}
	/* "private" in any case, however the armor around it is damaged */
	for (size_t i = 0; i + 7 <= len; i++)
		if (lower((unsigned char)s[i]) == 'p' &&
		    starts_ci(s + i, len - i, "private") &&
		    (kind = damaged_armor(s, len, i)) != NULL)
			return kind;
	return jwk_private(s, len) ? &kind_jwk : NULL;
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

/* bin as a whole is DER shaped like a private key (OpenSSL's reader,
 * lengths checked against what there is). */
static int
whole_der_private(const uint8_t *bin, size_t len)
{
	const unsigned char *p = bin;
	long avail, clen;
	int tag;

	/* (OpenSSL's reader is not free: most text is no DER at all) */
	if (len < 2 || bin[0] != 0x30 || len > 1024 * 1024)
		return 0;
	avail = (long)len;
	/* SEQUENCE { INTEGER 0 or 1, ... }: PKCS#1, SEC 1, DSA, PKCS#8;
	 * SEQUENCE { SEQUENCE, OCTET STRING }: encrypted PKCS#8.  (Public
	 * keys are SEQUENCE { SEQUENCE, BIT STRING } or start with a large
	 * INTEGER.) */
	if (!der_object(&p, &avail, &tag, &clen) || tag != V_ASN1_SEQUENCE)
		return 0;
	avail = clen;
	if (!der_object(&p, &avail, &tag, &clen))
		return 0;
	if (tag == V_ASN1_INTEGER)
		return clen == 1 && (p[0] == 0 || p[0] == 1) && avail > 1;
	if (tag != V_ASN1_SEQUENCE || clen > avail)
		return 0;
	p += clen;
	avail -= clen;
	return der_object(&p, &avail, &tag, &clen) &&
	    tag == V_ASN1_OCTET_STRING;
}

/*
 * Fragments.  What a private key decodes to holds, wherever a piece of it
 * starts, one of a few shapes that a public key never does; each is
 * looked for at every offset, a bounded look each, so the whole is linear.
 * DER lengths may run past the end: a fragment is cut short.
 */

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* A DER header of tag at b[i]: its content length (which may run past n)
 * and its own length.  0 when there is none, or it is not minimal. */
static int
der_head(const uint8_t *b, size_t n, size_t i, uint8_t tag, size_t *clen,
    size_t *hlen)
{
	size_t k, len = 0;

	if (i + 2 > n || b[i] != tag)
		return 0;
	if (b[i + 1] < 0x80) {
		*clen = b[i + 1];
		*hlen = 2;
		return 1;
	}
	k = b[i + 1] & 0x7f;
	if (k == 0 || k > 3 || i + 2 + k > n || b[i + 2] == 0)
		return 0;
	for (size_t j = 0; j < k; j++)
		len = len << 8 | b[i + 2 + j];
	if (len < 0x80)
		return 0;
	*clen = len;
	*hlen = 2 + k;
	return 1;
}

/*
 * SEQUENCE { INTEGER 0 or 1, then the modulus (PKCS#1 RSA) or p (DSA), a
 * long INTEGER; or the private key, an OCTET STRING of 20 to 72 bytes (SEC
 * 1 EC); or an AlgorithmIdentifier, a SEQUENCE that starts with an OID
 * (PKCS#8) }; or SEQUENCE { SEQUENCE { the OID of a PKCS#5 or PKCS#12
 * password-based scheme } ...: encrypted PKCS#8.  Public keys are
 * SEQUENCE { INTEGER n, ... } or SEQUENCE { SEQUENCE { OID of the key's
 * algorithm }, BIT STRING }.
 */
static const struct vk_private_kind *
der_private_at(const uint8_t *b, size_t n, size_t i)
{
	/* 1.2.840.113549.1, then .5 (PKCS#5) or .12 (PKCS#12) */
	static const uint8_t pkcs[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01 };
	size_t len, h, c, len2, h2, e;

	if (!der_head(b, n, i, 0x30, &len, &h))
		return NULL;
	c = i + h;
	if (c + 3 <= n && b[c] == 0x02 && b[c + 1] == 1 && b[c + 2] <= 1) {
		e = c + 3;
		if ((der_head(b, n, e, 0x02, &len2, &h2) && len2 >= 64) ||
		    (der_head(b, n, e, 0x04, &len2, &h2) && len2 >= 20 &&
			len2 <= 72) ||
		    (der_head(b, n, e, 0x30, &len2, &h2) && e + h2 < n &&
			b[e + h2] == 0x06))
			return len >= 3 + h2 + len2 ? &kind_pem_body : NULL;
		return NULL;
	}
	if (der_head(b, n, c, 0x30, &len2, &h2) && len > h2 + len2 &&
	    c + h2 + 2 + sizeof(pkcs) + 1 <= n && b[c + h2] == 0x06 &&
	    memcmp(b + c + h2 + 2, pkcs, sizeof(pkcs)) == 0 &&
	    (b[c + h2 + 2 + sizeof(pkcs)] == 0x05 ||
		b[c + h2 + 2 + sizeof(pkcs)] == 0x0c))
		return &kind_pkcs8_body;
	return NULL;
}

/* INTEGER e (odd, at most 4 bytes) followed by a long INTEGER: an RSA
 * key's public exponent and then its private one, as PKCS#1 orders them
 * (a public key ends with e). */
static int
rsa_private_exponent_at(const uint8_t *b, size_t n, size_t i)
{
	size_t e, len, h;

	if (i + 2 > n || b[i] != 0x02 || b[i + 1] < 1 || b[i + 1] > 4)
		return 0;
	e = i + 2 + b[i + 1];
	return e <= n && (b[e - 1] & 1) != 0 &&
	    der_head(b, n, e, 0x02, &len, &h) && len >= 64;
}

/*
 * Three INTEGERs in a row, the first two of 64 bytes or more, the third
 * of 20 or more: the tail of a PKCS#1 RSA key (p, q, dP, dQ, qInv, each
 * half the modulus long) or of a DSA key (g, y, then x of 20 or 32
 * bytes), wherever a piece of one starts after its head.  Public keys
 * never have them: RSA's n is followed by a short e, DSA's p by a short
 * q, and an ECDSA signature is two INTEGERs.
 */
static int
private_integers_at(const uint8_t *b, size_t n, size_t i)
{
	size_t len, h;

	for (int k = 0; k < 2; k++) {
		if (!der_head(b, n, i, 0x02, &len, &h) || len < 64 ||
		    len > n - i - h)
			return 0;
		i += h + len;
	}
	return der_head(b, n, i, 0x02, &len, &h) && len >= 20;
}

/*
 * A key type name as an SSH string at b[j] (its length at most 64), in the
 * openssh-key-v1 container: after two equal check integers, the private
 * section; after the number of keys (1) and the public key's length, the
 * public key, whose end is followed by the length of the private section
 * (a multiple of 8, the cipher's block).  A public key line's key data
 * starts with its name, with nothing before it.
 */
static int
openssh_section_at(const uint8_t *b, size_t n, size_t j)
{
	size_t len, pub;
	uint32_t priv;

	if (j < 8 || j + 4 > n || (b[j] | b[j + 1] | b[j + 2]) != 0 ||
	    (len = b[j + 3]) < 7 || len > 64 || j + 4 + len > n ||
	    vk_name_kind((const char *)b + j + 4, len, NULL) == VK_NAME_NONE)
		return 0;
	if (be32(b + j - 8) == be32(b + j - 4))
		return 1;
	if (be32(b + j - 8) != 1 || (pub = be32(b + j - 4)) < 4 + len ||
	    pub > n - j || n - j - pub < 4)
		return 0;
	priv = be32(b + j + pub);
	return priv >= 8 && priv % 8 == 0;
}

/* [0] { OID } [1] { BIT STRING }: the curve and the public point that
 * end a SEC 1 ECPrivateKey (a public key names its curve inside an
 * AlgorithmIdentifier SEQUENCE instead). */
static int
sec1_tail_at(const uint8_t *b, size_t n, size_t i)
{
	size_t len, h, e, len2, h2;

	if (!der_head(b, n, i, 0xa0, &len, &h) || i + h >= n ||
	    b[i + h] != 0x06 || len > 16)
		return 0;
	e = i + h + len;
	return der_head(b, n, e, 0xa1, &len2, &h2) && e + h2 < n &&
	    b[e + h2] == 0x03;
}

const struct vk_private_kind *
vk_private_format_bin(const uint8_t *bin, size_t len)
{
	static const char magic[] = "openssh-key-v1"; /* and its NUL */
	/* an ssh.com private key blob starts with this uint32 (putty's
	 * import.c, SSHCOM_MAGIC_NUMBER); 4 bytes met by chance about once
	 * in 2^32 offsets */
	static const uint8_t sshcom_magic[4] = { 0x3f, 0x6f, 0xf9, 0xeb };
	const struct vk_private_kind *kind;

	if (len == 0)
		return NULL;
	if (memmem(bin, len, magic, sizeof(magic)) != NULL)
		return &kind_openssh_body;
	if (memmem(bin, len, sshcom_magic, sizeof(sshcom_magic)) != NULL)
		return &kind_sshcom;
	if (whole_der_private(bin, len))
		return &kind_pem_body;
	for (size_t i = 0; i < len; i++) {
		switch (bin[i]) {
		case 0x00:
			if (openssh_section_at(bin, len, i))
				return &kind_openssh_body;
			break;
		case 0x02:
			if (rsa_private_exponent_at(bin, len, i) ||
			    private_integers_at(bin, len, i))
				return &kind_pem_body;
			break;
		case 0x30:
			if ((kind = der_private_at(bin, len, i)) != NULL)
				return kind;
			break;
		case 0xa0:
			if (sec1_tail_at(bin, len, i))
				return &kind_pem_body;
			break;
		default:
			break;
		}
	}
	return NULL;
}

/* ------------------------------------------- private key material in text */

/* Each byte's value as a base64 character plus one, 0 for none (what an
 * initializer leaves out is 0). */
static const unsigned char b64_values[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7,
	['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13,
	['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19,
	['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25,
	['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31,
	['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
	['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42, ['q'] = 43,
	['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
	['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55,
	['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61,
	['9'] = 62, ['+'] = 63, ['/'] = 64,
};

/* The same as a hex digit. */
static const unsigned char hex_values[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13,
	['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13,
	['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int
b64_value(unsigned char c)
{
	return b64_values[c] - 1;
}

/* White space that a run of encoded bytes may be broken by: line ends
 * (a PEM body is wrapped), blanks (lines joined with spaces). */
static int
is_run_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Where the run of characters that value() accepts (and white space
 * within it) from s[i] ends, and how many of them it holds. */
static size_t
run_end(const char *s, size_t len, size_t i, const unsigned char *value,
    int sep, size_t *digits)
{
	size_t e = i;

	*digits = 0;
	for (; i < len; i++) {
		if (value[(unsigned char)s[i]] > 0) {
			(*digits)++;
			e = i + 1;
		} else if (!is_run_space(s[i]) && s[i] != sep) {
			break;
		}
	}
	return e;
}

/* The bytes that the run s[0, len) decodes to with bits per character
 * (6 for base64, 4 for hex), its first skip characters left out; into
 * out, which has room for len * bits / 8 bytes. */
static size_t
decode_run(const char *s, size_t len, const unsigned char *value,
    unsigned bits, size_t skip, uint8_t *out)
{
	uint32_t acc = 0;
	unsigned have = 0;
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned v = value[(unsigned char)s[i]];
		if (v == 0 || (skip > 0 && skip-- > 0))
			continue;
		acc = acc << bits | (v - 1);
		if ((have += bits) >= 8) {
			have -= 8;
			out[o++] = (uint8_t)(acc >> have);
		}
	}
	return o;
}

/*
 * Every run of base64 (at least 16 characters: 12 bytes, about the least
 * a fragment shape needs) and of hex (at least 24 digits), white space
 * inside allowed, decoded at every alignment and looked at by
 * vk_private_format_bin().  A run of base64 is decoded 4 times, one
 * character further each time: a body without its first lines starts
 * anywhere in a quantum (ssh-keygen wraps at 70 columns, 70 = 4 * 17 + 2);
 * hex twice.  What a run decodes to is wiped after it is looked at.
 */
static const struct vk_private_kind *
private_in_runs(const char *s, size_t len, int *rc)
{
	static const struct {
		const unsigned char *value; /* b64_values or hex_values */
		unsigned bits, alignments;
		size_t min;
		int sep; /* a separator hex dumps put between bytes */
	} codings[] = {
		{ b64_values, 6, 4, 16, 0 },
		{ hex_values, 4, 2, 24, ':' },
	};
	const struct vk_private_kind *kind = NULL;
	uint8_t small[1024], *buf = small; /* room for len bytes */

	if (len < 16) /* too short for any run */
		return NULL;
	if (len > sizeof(small) && (buf = malloc(len)) == NULL) {
		*rc = VHKEY_ERR_NOMEM;
		return NULL;
	}
	for (size_t c = 0; c < sizeof(codings) / sizeof(codings[0]); c++) {
		for (size_t i = 0; i < len && kind == NULL;) {
			size_t digits, e, n;
			if (codings[c].value[(unsigned char)s[i]] == 0) {
				i++;
				continue;
			}
			e = run_end(s, len, i, codings[c].value, codings[c].sep,
			    &digits);
			for (unsigned a = 0; digits >= codings[c].min &&
			     a < codings[c].alignments && kind == NULL;
			     a++) {
				n = decode_run(s + i, e - i, codings[c].value,
				    codings[c].bits, a, buf);
				kind = vk_private_format_bin(buf, n);
				sodium_memzero(buf, n);
			}
			i = e;
		}
	}
	if (buf != small)
		free(buf);
	return kind;
}

/*
 * The most hex digits in one run of s (':' between bytes and white space
 * inside allowed, as openssl -text prints a private key's numbers), when
 * that is at least min; else 0.  Why VK_HEXISH_MIN (160 digits, 80
 * bytes) where a comment may stand: the longest hash people put in one,
 * SHA-512, has 128 digits; an RSA key's private exponent and primes have
 * 256 and more.  A run counts only with 10 of the 16 digits in it, as any
 * such number has.
 */
size_t
vk_hexish_run(const char *s, size_t len, size_t min)
{
	size_t best = 0, digits, e;

	for (size_t i = 0; i < len; i = e) {
		unsigned seen = 0; /* which of the 16 values the run holds */
		if (hex_values[(unsigned char)s[i]] == 0) {
			e = i + 1;
			continue;
		}
		e = run_end(s, len, i, hex_values, ':', &digits);
		for (size_t k = i; k < e; k++)
			if (hex_values[(unsigned char)s[k]] > 0)
				seen |= 1u << (hex_values[(unsigned char)s[k]] - 1);
		/* a row of one letter ("cccc") is no number anyone hides */
		if (digits > best && __builtin_popcount(seen) >= 10)
			best = digits;
	}
	return best >= min ? best : 0;
}

/* text as UTF-16 (big-endian when be) in UTF-8, into out (room for len *
 * 3 / 2 bytes): code units that are not characters become U+FFFD. */
static size_t
utf16_to_utf8(const uint8_t *s, size_t len, int be, uint8_t *out)
{
	size_t o = 0;

	for (size_t i = 0; i + 1 < len; i += 2) {
		unsigned cp = be ? (unsigned)s[i] << 8 | s[i + 1] :
				   (unsigned)s[i + 1] << 8 | s[i];
		if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xfffd; /* no key format needs the planes above */
		if (cp < 0x80) {
			out[o++] = (uint8_t)cp;
		} else if (cp < 0x800) {
			out[o++] = (uint8_t)(0xc0 | cp >> 6);
			out[o++] = (uint8_t)(0x80 | (cp & 0x3f));
		} else {
			out[o++] = (uint8_t)(0xe0 | cp >> 12);
			out[o++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
			out[o++] = (uint8_t)(0x80 | (cp & 0x3f));
		}
	}
	return o;
}

/* Is text nothing but base64 words? */
static int
only_base64(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (b64_value((unsigned char)s[i]) < 0 && s[i] != '=' &&
		    !is_run_space(s[i]))
			return 0;
	return len > 0;
}

/* Markers and runs in text saved as UTF-16 (a Windows editor's
 * "Unicode"), either byte order, with or without a byte order mark. */
static const struct vk_private_kind *
private_in_utf16(const uint8_t *s, size_t len, int *rc)
{
	const struct vk_private_kind *kind = NULL;
	uint8_t *u;
	size_t n;
	struct vk_text t;

	if ((u = malloc(len / 2 * 3 + 1)) == NULL) {
		*rc = VHKEY_ERR_NOMEM;
		return NULL;
	}
	for (int be = 0; be < 2 && kind == NULL && *rc == VHKEY_OK; be++) {
		n = utf16_to_utf8(s, len, be, u);
		if ((*rc = vk_text_clean(u, n, &t)) == VHKEY_OK) {
			if ((kind = vk_private_format(t.s, t.len)) == NULL)
				kind = private_in_runs(t.s, t.len, rc);
			/* a line of a body, as a file's check sees it */
			if (kind == NULL && only_base64(t.s, t.len) &&
			    vk_keyish_word(t.s, t.len, 16) > 0)
				kind = &kind_body_line;
			vk_text_free(&t);
		}
		sodium_memzero(u, n);
	}
	free(u);
	return kind;
}

const struct vk_private_kind *
vk_private_scan(const void *text, size_t len, int binary, int *rc)
{
	const struct vk_private_kind *kind;

	*rc = VHKEY_OK;
	/* raw DER, pasted as it is */
	if (binary && (kind = vk_private_format_bin(text, len)) != NULL)
		return kind;
	kind = private_in_runs(text, len, rc);
	if (kind == NULL && *rc == VHKEY_OK && binary &&
	    memchr(text, '\0', len) != NULL)
		kind = private_in_utf16(text, len, rc);
	return kind;
}

/*
 * A word (between blanks or line ends) that is nothing but base64, at
 * least min characters long, with upper case letters, lower case letters
 * and digits in it: a line of a private key's body.
 *
 * Why VK_KEYISH_MIN (40) where a comment may stand: every line of a
 * wrapped key body is longer (PEM and PuTTY wrap at 64 characters,
 * ssh-keygen at 70), so each whole line qualifies; a
 * body's last line may be shorter, but never comes alone.  And a real
 * comment has no such word: user@host, vhkey-created=..., e-mail
 * addresses and URLs hold '@', '.', ':', '-' or '=', which base64 does not;
 * a 40-character hex hash (a git commit) has no upper case; a fingerprint
 * has its "SHA256:".  Random base64 of 40 characters lacks one of the
 * three classes with a chance of about 1 in 900 (no digit), of 64 about
 * 1 in 50,000.  Returns its length, or 0.
 */
size_t
vk_keyish_word(const char *s, size_t len, size_t min)
{
	if (len < min)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t e = i, pad = 0;
		unsigned classes = 0;
		while (e < len && !is_run_space(s[e]))
			e++;
		while (pad < 2 && e - pad > i && s[e - 1 - pad] == '=')
			pad++;
		for (size_t k = i; k < e - pad && classes != 8; k++) {
			unsigned char c = (unsigned char)s[k];
			if (b64_value(c) < 0)
				classes = 8; /* not base64 */
			else
				classes |= c >= 'A' && c <= 'Z' ? 1 :
				    c >= 'a' && c <= 'z'	  ? 2 :
				    c >= '0' && c <= '9'	  ? 4 :
								    0;
		}
		if (classes == 7 && e - pad - i >= min)
			return e - i;
		for (i = e; i < len && is_run_space(s[i]); i++)
			;
	}
	return 0;
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
		if (!vk_is_blank_or_nl(d[i]) && (i == from || vk_is_blank_or_nl(d[i - 1])))
			words++;
	return words >= 3 || (words == 2 && vk_is_blank_or_nl(d[o - 1]));
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
	for (start = 0; start < o && vk_is_blank_or_nl(d[start]); start++)
		if (d[start] == '\n')
			t->first_line++;
	if (start > 0)
		t->fixes |= VK_FIX_OUTER_SPACE;
	t->first_line++;
	/* ssh-keygen writes "type data \n" for a key without a comment */
	if (o > start && d[o - 1] == '\n')
		o--;
	if (o > start && d[o - 1] == ' ' && (o - 1 == start ||
	    !vk_is_blank_or_nl(d[o - 2])))
		o--;
	if (o > start && vk_is_blank_or_nl(d[o - 1])) {
		t->fixes |= VK_FIX_OUTER_SPACE;
		while (o > start && vk_is_blank_or_nl(d[o - 1]))
			o--;
	}
	memmove(d, d + start, o - start);
	/* wipe what the move left behind */
	sodium_memzero(d + (o - start), len + 1 - (o - start));
	t->s = d;
	t->len = o - start;
	return VHKEY_OK;
}
