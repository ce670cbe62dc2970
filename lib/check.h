/*
 * check.h - what the paste checker's files share: classify.c (what is this
 * text, and its harmless repairs), pem.c (PEM public keys to SSH blobs),
 * paste.c (the verdict) and keylist.c (a file of keys, line by line).
 */
#ifndef VHKEY_CHECK_H
#define VHKEY_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vhkey_internal.h"

/* Harmless paste damage, repaired; each is reported in words. */
enum vk_fix {
	VK_FIX_BOM = 1u << 0,		/* UTF-8 byte order mark at the start */
	VK_FIX_CRLF = 1u << 1,		/* CR LF (or lone CR) line ends */
	VK_FIX_OUTER_SPACE = 1u << 2,	/* white space before or after */
	VK_FIX_TABS = 1u << 3,		/* tabs between the fields */
	VK_FIX_NBSP = 1u << 4,		/* U+00A0 or U+202F */
	VK_FIX_ZERO_WIDTH = 1u << 5,	/* U+200B..U+200D, U+2060, U+FEFF */
	VK_FIX_WRAPPED = 1u << 6,	/* key data broken across lines */
	VK_FIX_SPACES_IN_DATA = 1u << 7,/* key data broken by spaces */
	VK_FIX_COMMENT_JOINED = 1u << 8,/* comment continued on a new line */
	VK_FIX_COMMENT_ESCAPED = 1u << 9 /* control characters in the comment */
};

/*
 * The pasted text with the byte-level damage repaired: line ends are "\n",
 * no byte order mark, no zero-width characters, non-breaking spaces made
 * ordinary, and white space around it trimmed.  It may hold a private key
 * that the checks have not recognised yet, so it is wiped when freed.
 */
struct vk_text {
	char *s;	   /* NUL-terminated */
	size_t len;
	unsigned fixes;	   /* enum vk_fix */
	size_t first_line; /* the paste's line number of s's first line */
	size_t ctl_line;   /* 0, or the first line holding a NUL byte, or
			      a control character before where a comment
			      would be (binary data) */
};

int vk_text_clean(const void *in, size_t len, struct vk_text *t);
void vk_text_free(struct vk_text *t);

/* A private key format a person may paste by mistake. */
struct vk_private_kind {
	const char *format; /* a phrase for a message: "an OpenSSH private key" */
	const char *advice; /* where to find the public key, or "" */
};

/*
 * The private key format that text shows a marker of, or NULL.  Looks only
 * for markers (armor lines, also damaged ones: any case, blanks, ASCII or
 * Unicode dashes; PuTTY, PEM and SSH-1 headers; the openssh-key-v1 magic
 * in base64; a JSON Web Key with private members); decodes nothing.
 */
const struct vk_private_kind *vk_private_format(const void *text, size_t len);
/*
 * The same for decoded bytes, anywhere in them: the openssh-key-v1 magic
 * or a piece of its container (the private section, or the public key
 * between the number of keys and the private section's length), DER
 * shaped like a PKCS#1, SEC 1 or PKCS#8 private key (or the start of
 * one), an RSA private exponent, the end of a SEC 1 key.  Linear in len.
 */
const struct vk_private_kind *vk_private_format_bin(const uint8_t *bin,
    size_t len);
/*
 * Private key material that text holds encoded: every run of base64 or hex
 * (white space inside allowed) decoded at every alignment; when binary
 * (the text holds control characters or NUL bytes), also the text itself
 * as raw DER, and the text read as UTF-16.  Every decoded byte is wiped.
 * Linear in len.  NULL when none, with *rc VHKEY_OK or VHKEY_ERR_NOMEM.
 */
const struct vk_private_kind *vk_private_scan(const void *text, size_t len,
    int binary, int *rc);
/* A word of text that looks like a line of a key's body (base64, at least
 * min characters, mixing upper case, lower case and digits): its length,
 * or 0.  VK_KEYISH_MIN is the length where a comment may stand: classify.c
 * says why. */
#define VK_KEYISH_MIN 40
size_t vk_keyish_word(const char *s, size_t len, size_t min);
/* The hex digits of the longest run in s (':' and white space inside
 * allowed), when at least min, or 0; see classify.c for VK_HEXISH_MIN. */
#define VK_HEXISH_MIN 160
size_t vk_hexish_run(const char *s, size_t len, size_t min);

/* What a key type name is. */
enum vk_name_kind {
	VK_NAME_NONE = 0,  /* not a key type name */
	VK_NAME_SUPPORTED, /* a vhkey_type */
	VK_NAME_DSA,	   /* ssh-dss */
	VK_NAME_CERT,	   /* *-cert-v01@openssh.com */
	VK_NAME_OTHER	   /* looks like one, but is none we know */
};
enum vk_name_kind vk_name_kind(const char *s, size_t len, vhkey_type *type);

/* A token printable in a message: short, plain ASCII, no quote. */
int vk_quotable(const char *s, size_t len);

/* An armor line "-----BEGIN LABEL-----" or "---- BEGIN LABEL ----" (which
 * is "BEGIN" or "END"): 1 and the label's span, or 0. */
int vk_armor_line(const char *line, size_t len, const char *which,
    const char **label, size_t *labellen);

/*
 * pem.c: a DER public key (SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey
 * when pkcs1) as an SSH public blob, written to blob.  RSA, EC on P-256,
 * P-384 and P-521, and Ed25519.  VHKEY_ERR_FORMAT when it is no public key
 * DER, VHKEY_ERR_TRAILING for bytes after it, VHKEY_ERR_KEY_TYPE for
 * another algorithm or curve (named in alg, at most alglen bytes).
 */
int vk_pem_public_blob(const uint8_t *der, size_t len, int pkcs1,
    vk_writer *blob, char *alg, size_t alglen);
/* The same for a key OpenSSL has decoded already (a private key's public
 * part, say).  Its EC point format is set to uncompressed. */
int vk_pkey_public_blob(EVP_PKEY *pkey, vk_writer *blob, char *alg,
    size_t alglen);

/*
 * What a thread that checks many texts remembers from one to the next
 * (either may be NULL): the weak-key tests' outcomes (strength.c), and
 * keys decoded from key data seen before (vk_key_memo_new()).
 */
struct vk_memos {
	struct vk_memo *weak;
	struct vk_memo *keys;
};

/* How vk_check_text() judges a text. */
enum vk_check_mode {
	VK_CHECK_PASTE = 0,	/* pasted: repaired, and the report says
				   whether sshd would read it as written */
	VK_CHECK_FILE_LINE = 1	/* a line (or block) of a file: sshd must
				   read it as written, else it is rejected */
};

/* paste.c: the check of one text, into a report made by the caller, with
 * what the thread remembers (memos may be NULL). */
int vk_check_text(vhkey_report *r, const void *text, size_t len,
    const vhkey_policy *policy, time_t now, const struct vk_memos *memos,
    enum vk_check_mode mode);
/*
 * memo.c: a memo of decoded keys, by the exact base64 they were decoded
 * from (each value a vhkey, freed when the memo lets it go).  Key data
 * longer than VK_KEY_MEMO_MAX_B64 (an RSA-4096 key's) is not remembered,
 * so that a thread's memo stays below 1 MB whatever the keys.
 */
#define VK_KEY_MEMO_MAX_B64 1024
int vk_key_memo_new(struct vk_memo **memo);

#endif
