/*
 * paste.h - what the files of the paste checker share: the state of one
 * check (struct paste), the words every refusal ends with, the scanning of
 * the cleaned text, and the steps each file offers the others.
 *
 *	paste.c		entry points, the order of the checks
 *	authline.c	an authorized_keys line: type, key data, comment
 *	options.c	the options in front of a key, as sshd reads them
 *	block.c		RFC 4716 and PEM blocks, bare base64
 *	lookalike.c	what it is instead: private material, fingerprints,
 *			known_hosts lines, another key
 *	verdict.c	key data to a key, the checks on it, the repairs
 *	aswritten.c	would sshd read the text as written?
 *
 * One return convention: a step returns a status (VHKEY_OK but for out
 * of memory or a failure of OpenSSL's), and the verdict is in p->r.
 */
#ifndef VHKEY_PASTE_H
#define VHKEY_PASTE_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "chars.h"
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

/* A token of base64: its alphabet, and at most two '=' at the end. */
static inline int
b64_token(const char *s, size_t n)
{
	size_t pad = 0;

	while (pad < n && pad < 2 && s[n - 1 - pad] == '=')
		pad++;
	return pad < n && vk_base64_alphabet(s, n - pad);
}

static inline size_t
line_end(const struct paste *p, size_t i)
{
	const char *nl = memchr(p->s + i, '\n', p->len - i);

	return nl != NULL ? (size_t)(nl - p->s) : p->len;
}

/* The paste's line number of offset off. */
static inline size_t
line_of(const struct paste *p, size_t off)
{
	size_t line = p->first_line;

	for (size_t i = 0; i < off && i < p->len; i++)
		line += p->s[i] == '\n';
	return line;
}

/* " on line N" for a paste of more than one line, else "". */
static inline const char *
on_line(const struct paste *p, size_t off, char *buf, size_t len)
{
	if (memchr(p->s, '\n', p->len) == NULL && p->first_line == 1)
		return "";
	snprintf(buf, len, " on line %zu", line_of(p, off));
	return buf;
}

/* Skip blanks, and line breaks when nl; note what was crossed. */
static inline size_t
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
static inline size_t
skip_all_space(const struct paste *p, size_t i)
{
	int tab = 0, nl = 0;

	return skip_space(p, i, 1, &tab, &nl);
}

static inline vk_u8x16
blank_or_newline(vk_s8x16 c)
{
	return (vk_u8x16)(c == ' ') | (vk_u8x16)(c == '\t') |
	    (vk_u8x16)(c == '\n');
}

static inline size_t
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
static inline size_t
next_token(const struct paste *p, size_t i, size_t *start)
{
	int tab = 0, nl = 0;

	*start = skip_space(p, i, 0, &tab, &nl);
	return token_end(p, *start);
}

/*
 * The steps each file offers the others (each is described where it is
 * defined).  Those that return int return a status, the verdict being in
 * p->r, but for the predicates named so (vk_is_*, vk_comment_holds_key,
 * vk_fingerprint_line) and those that say whether they decided (a 1 and
 * the status in *rc: vk_private_near_key, vk_blob_name,
 * vk_comment_with_key; vk_glued_type: 1 decided, -1 out of memory).
 */

/* lookalike.c: a refusal, with a message formatted printf-style */
int vk_paste_reject(struct paste *p, int reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* lookalike.c: what it is instead of (or besides) a public key */
int vk_reject_private(struct paste *p, const struct vk_private_kind *kind);
int vk_reject_keyish(struct paste *p, const char *what, size_t wordlen);
int vk_private_near_key(struct paste *p, const char *comment, size_t clen,
    int *rc);
int vk_is_fingerprint(const char *s, size_t n);
int vk_is_host_patterns(const char *s, size_t n);
size_t vk_another_key(const struct paste *p, size_t i, size_t end);
int vk_comment_holds_key(const char *comment, size_t clen);
int vk_reject_extra(struct paste *p, size_t at, const char *what);
int vk_fingerprint_line(const struct paste *p);
int vk_glued_type(struct paste *p, size_t e1);
int vk_reject_not_a_key(struct paste *p);
int vk_private_after_all(struct paste *p, const void *text, size_t len,
    int binary);

/* verdict.c: key data to a key, and the verdict on it */
int vk_reject_name(struct paste *p, enum vk_name_kind kind, const char *name,
    size_t len);
int vk_reject_blob(struct paste *p, int rc, const char *where);
int vk_blob_name(struct paste *p, const uint8_t *d, size_t n,
    const char **name, size_t *len, int *rc);
int vk_decode_b64(struct paste *p, size_t b64len);
int vk_paste_finish(struct paste *p, vhkey **keyp, const char *comment,
    size_t clen, size_t wrapped_lines, const char *b64, size_t b64len);
int vk_comment_with_key(struct paste *p, const char *comment, size_t clen,
    int *rc);
int vk_paste_finish_blob(struct paste *p, const char *comment, size_t clen,
    size_t wrapped_lines, const char *where);

/* aswritten.c: the text as sshd reads it */
int vk_read_as_written(const struct paste *p, const char *type,
    const char *b64, size_t b64len, char *what, size_t whatlen,
    int *repairable);
int vk_offer_repaired(struct paste *p, const char *b64, const char *what,
    int repairable);

/* options.c: the options in front of the key */
int vk_options_taken(const struct paste *p, char *what, size_t whatlen);
size_t vk_options_end(struct paste *p);

/* authline.c: a key's line, from its type name at ts */
int vk_check_line_key(struct paste *p, size_t ts);

/* block.c: armored blocks, bare base64 */
int vk_check_armor(struct paste *p, size_t eol, const char *label,
    size_t labellen);
int vk_check_bare(struct paste *p);

#endif
