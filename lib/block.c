/*
 * block.c - armored blocks (RFC 4716 "SSH2 PUBLIC KEY", PEM public keys)
 * and text that is nothing but base64: the inside of some key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "paste.h"

/*
 * A header's value, s[vb, ve), with its continued lines joined (a
 * backslash and the blanks after it to the line's end go), in place of
 * old (freed).  NULL when out of memory.
 */
static char *
header_value(const struct paste *p, size_t vb, size_t ve, char *old)
{
	char *v;
	size_t o = 0;

	free(old);
	if ((v = malloc(ve - vb + 1)) == NULL)
		return NULL;
	for (size_t k = vb; k < ve; k++) {
		size_t j = k + 1;

		while (p->s[k] == '\\' && j < ve && vk_is_blank(p->s[j]))
			j++;
		if (p->s[k] == '\\' && j < ve && p->s[j] == '\n') {
			k = j;
			continue;
		}
		v[o++] = p->s[k];
	}
	v[o] = '\0';
	return v;
}

/* A line of the block's body, s[b, e), added to p->b64 (blanks inside it
 * noted as a repair).  0 and a verdict (or a status) in *rc when it holds
 * what base64 cannot. */
static int
body_line(struct paste *p, size_t b, size_t e, int *rc)
{
	for (size_t k = b; k < e; k++) {
		if (vk_is_blank(p->s[k])) {
			p->fixes |= VK_FIX_SPACES_IN_DATA;
			continue;
		}
		if (!vk_is_b64_char(p->s[k]) && p->s[k] != '=') {
			*rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
			    "Line %zu of the block is not valid base64: the "
			    "character %zu on it cannot be there. " RECOPY,
			    line_of(p, b), k - b + 1);
			return 0;
		}
		if ((*rc = vk_put_u8(&p->b64, (uint8_t)p->s[k])) != VHKEY_OK)
			return 0;
	}
	return 1;
}

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
		while (b < e && vk_is_blank(p->s[b]))
			b++;
		while (e > b && vk_is_blank(p->s[e - 1]))
			e--;
		if (vk_armor_line(p->s + b, e - b, "END", &lab2, &lab2len)) {
			if (lab2len != labellen ||
			    memcmp(lab2, label, labellen) != 0) {
				*rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
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
				while (ve > vb && vk_is_blank(p->s[ve - 1]))
					ve--;
			}
			if (is_comment && comment != NULL &&
			    (*comment = header_value(p, vb, ve, *comment)) ==
				NULL) {
				*rc = VHKEY_ERR_NOMEM;
				return 0;
			}
		} else if (e > b) {
			in_body = 1;
			if (!body_line(p, b, e, rc))
				return 0;
		}
		i = le + 1;
	}
	*rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
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
		*rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The key data in the block is incomplete: part of it was "
		    "lost in copying. Copy the whole block again.");
		return 0;
	}
	if ((*rc = vk_decode_b64(p, p->b64.len)) != VHKEY_OK) {
		if (*rc == VHKEY_ERR_BASE64)
			*rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
			    "The key data in the block is not valid base64 "
			    "('=' in the wrong place). Copy the whole block "
			    "again.");
		return 0;
	}
	if (vk_private_format_bin(p->bin.data, p->bin.len) != NULL) {
		*rc = vk_reject_private(p,
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
		rc = vk_reject_extra(p, skip_all_space(p, after), "the END line");
		goto out;
	}
	c = comment != NULL ? comment : "";
	clen = strlen(c);
	/* ssh-keygen -e and PuTTY quote it */
	while (clen > 0 && vk_is_blank(*c))
		c++, clen--;
	while (clen > 0 && vk_is_blank(c[clen - 1]))
		clen--;
	if (clen >= 2 && c[0] == '"' && c[clen - 1] == '"')
		c++, clen -= 2;
	rc = vk_paste_finish_blob(p, c, clen, 1, " in the block");
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
		return vk_reject_extra(p, skip_all_space(p, after), "the END line");
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
		return vk_paste_finish_blob(p, "", 0, 1, " in the block");
	case VHKEY_ERR_KEY_TYPE:
		return vk_paste_reject(p, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "This PEM block holds a public key of a kind SSH does not "
		    "use (%s). SSH keys are RSA, ECDSA on P-256, P-384 or "
		    "P-521, and Ed25519. " NEWKEY,
		    alg);
	case VHKEY_ERR_FORMAT:
	case VHKEY_ERR_TRAILING:
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The block is labelled %.*s, but what it holds is not a "
		    "valid public key of that form. " HOWTO,
		    (int)labellen, label);
	default:
		return rc;
	}
}

int
vk_check_armor(struct paste *p, size_t eol, const char *label, size_t labellen)
{
#define LABEL_IS(l) (labellen == strlen(l) && memcmp(label, l, labellen) == 0)
	if (LABEL_IS("SSH2 PUBLIC KEY"))
		return check_rfc4716(p, eol + 1, label, labellen);
	if (LABEL_IS("PUBLIC KEY"))
		return check_pem(p, eol + 1, label, labellen, 0);
	if (LABEL_IS("RSA PUBLIC KEY"))
		return check_pem(p, eol + 1, label, labellen, 1);
	if (memmem(label, labellen, "CERTIFICATE", 11) != NULL)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "This is an X.509 certificate (as used for TLS), not an "
		    "SSH public key. " HOWTO);
	if (memmem(label, labellen, "PGP", 3) != NULL)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "This is a PGP (GnuPG) key, not an SSH key. " HOWTO);
#undef LABEL_IS
	return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
	    "This block (BEGIN %.*s) is not a public key format that is "
	    "understood here. " HOWTO,
	    vk_quotable(label, labellen) || labellen <= 40 ? (int)labellen : 40,
	    label);
}

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
int
vk_check_bare(struct paste *p)
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
	if (m > 0 && (rc = vk_decode_b64(p, m)) != VHKEY_OK &&
	    rc != VHKEY_ERR_BASE64)
		return rc;
	if (m > 0 && rc == VHKEY_OK) {
		const struct vk_private_kind *kind =
		    vk_private_format_bin(p->bin.data, p->bin.len);
		if (kind != NULL)
			return vk_reject_private(p, kind);
		vk_reader_init(&rd, p->bin.data, p->bin.len);
		if (vk_get_cstring(&rd, &name, &namelen) == VHKEY_OK &&
		    vk_name_kind(name, namelen, NULL) != VK_NAME_NONE)
			return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
			    "This is only the key data, without the key type "
			    "in front of it. Paste the whole line from the .pub "
			    "file, which starts with %.*s.",
			    vk_quotable(name, namelen) ? (int)namelen : 14,
			    vk_quotable(name, namelen) ? name : "the key type");
		if (pem_public_body(p))
			return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
			    "This looks like the inside of a PEM block without "
			    "its BEGIN and END lines. " HOWTO);
	}
	/* no key, and nothing else a person keeps near one: the lines of a
	 * key's body, down to the short last one (at least 16 characters,
	 * less than what any line of a key body but the last has) */
	if ((m = vk_keyish_word(p->s, p->len, 16)) > 0)
		return vk_reject_keyish(p,
		    "The text has no key type in front, and", m);
	return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
	    "This is not a public key: it holds no key type such as "
	    "ssh-ed25519 or ssh-rsa. " HOWTO);
}
