/*
 * check.h - the top layer's internal header (the map is in core.h): reports,
 * the rotation verdict in words, a key against a policy, what a text is
 * (classify.c), the check of one text (paste.h has the paste files'
 * own), key files read and checked.
 */
#ifndef VHKEY_CHECK_H
#define VHKEY_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "formats.h"

/* A list of strings a report owns. */
struct vk_strlist {
	char **items;
	size_t count;
};

/* One problem a check found. */
struct vk_finding {
	int reason;
	char *message;
	char *fix; /* a shell command, or NULL */
};

struct vhkey_report {
	vhkey_verdict verdict;
	int reason;
	char *message; /* never NULL once built */
	struct vk_strlist warnings;
	struct vk_strlist repairs;
	vhkey *key; /* public part only */
	char *key_line; /* the normalised authorized_keys line */
	struct vk_finding *findings; /* most important first */
	size_t nfindings;
	int has_rotation; /* rotation below is set */
	vhkey_rotation rotation;
	int created_estimated; /* rotation.created is a file's mtime */
	char *file;	/* where the key was read, or NULL */
	unsigned long line;
	unsigned long last_line; /* of the file: a block's END line */
	int as_written;		 /* 1, 0, or -1: does not apply */
	int encrypted;		 /* a private key file: 1, 0; -1 */
	char *repaired_line;	 /* what to store instead, or NULL */
	vhkey_subject subject;	 /* what it is about */
};

/* report.c: building reports.  Text is formatted printf-style and must
 * never include private key bytes. */
vhkey_report *vk_report_new(void);
/* Reject with a reason and a message (replaces an earlier verdict). */
int vk_report_reject(vhkey_report *r, int reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Accept with a message. */
int vk_report_accept(vhkey_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same with the message made of the strings given, one after the
 * other up to a NULL (at most VK_JOIN_MAX of them: more are left out):
 * for a message made per line, where printf's cost would show. */
#define VK_JOIN_MAX 16
int vk_report_accept_join(vhkey_report *r, ...) __attribute__((sentinel));
/* "Accepted: 4096-bit RSA key SHA256:... (comment).": the key's fingerprint
 * kept (vk_key_keep_fingerprint()) before. */
int vk_report_accept_key(vhkey_report *r, const vhkey *key);
int vk_report_warn(vhkey_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vk_report_repair(vhkey_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keep (a public copy of) the key and its normalised line. */
int vk_report_set_key(vhkey_report *r, const vhkey *key);
/*
 * The same, taking the key itself, which holds no private part: *keyp is
 * NULL afterwards.  b64 (may be NULL) is the key data as the checked text
 * holds it, which saves encoding the blob again when it is the blob's
 * encoding.
 */
int vk_report_take_key(vhkey_report *r, vhkey **keyp, const char *b64,
    size_t b64len);
/* Say what the report is about: one call where each report is made. */
void vk_report_set_subject(vhkey_report *r, vhkey_subject subject);
/* Name the file and line the report is about (they go first in JSON). */
int vk_report_set_location(vhkey_report *r, const char *file,
    unsigned long line);
/* Hand r to the caller's fn with its place in the file: VHKEY_OK,
 * VHKEY_ERR_STOPPED when fn says stop (its own value is the caller's),
 * or VHKEY_ERR_NOMEM.  The caller still owns r. */
int vk_report_deliver(vhkey_report *r, const char *file, unsigned long line,
    vhkey_check_fn fn, void *arg);
/* Is the private key file the report is about protected by a passphrase
 * (1) or not (0)? */
void vk_report_set_encrypted(vhkey_report *r, int encrypted);
/*
 * Would sshd read the text checked as written (1), or only the repaired
 * line (0)?  repaired (copied; NULL for none) is the line to store
 * instead, for a key that passes every other check.
 */
int vk_report_set_as_written(vhkey_report *r, int as_written,
    const char *repaired);
/* JSON string escaping into a writer (quotes included); NULL gives null. */
int vk_json_string(vk_writer *w, const char *s);
/* The rotation verdict on the report's key (created is an estimate, the
 * file's mtime, when estimated). */
void vk_report_set_rotation(vhkey_report *r, const vhkey_rotation *rot,
    int estimated);
/*
 * Add a problem (fix: a shell command, or NULL).  Findings stay ordered
 * from the most important reason down; when this one outranks the
 * report's reason, or the report was accepted, the report is rejected with
 * its reason and message.
 */
int vk_report_add_finding(vhkey_report *r, int reason, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * age.c: the rotation check for a key whose comment may carry a creation stamp
 * (a .pub file or pasted text): nothing when there is no stamp, a warning
 * for a malformed one, else the verdict recorded and, when overdue, a
 * VHKEY_REASON_ROTATION_OVERDUE finding.  policy NULL: the defaults.
 * Returns VHKEY_OK or VHKEY_ERR_NOMEM.
 */
int vk_report_add_rotation(vhkey_report *r, const vhkey *key,
    const vhkey_policy *policy, time_t now);

/*
 * keypolicy.c: check a public key against the policy: its type allowed, for RSA the
 * minimum size and the weak-key tests (e odd, at least 3 and within
 * OpenSSL's and FIPS 186's bounds, vk_rsa_weakness(), vk_rsa_wiener()),
 * for Ed25519 the point (vk_ed25519_point(): small order is weak, other
 * invalid points malformed).  A key that fails is rejected in report
 * (VHKEY_REASON_UNSUPPORTED_TYPE or VHKEY_REASON_WEAK_KEY, with a message
 * that says what to do); a key that passes leaves report as it was.  The
 * weak-key tests' outcome is remembered in memo (which may be NULL), by
 * the key's public blob.
 * Returns VHKEY_OK when the checks ran (whatever their verdict),
 * VHKEY_ERR_NOMEM or VHKEY_ERR_CRYPTO.
 */
int vk_check_key_policy(const vhkey *key, const vhkey_policy *policy,
    vhkey_report *report, struct vk_memo *memo);

/*
 * age.c: evaluate and record the age verdict of a key created at created (an
 * estimate when estimated): warnings for a future creation time, an
 * estimate and due soon, a finding when overdue.  path is the key file,
 * for messages and the fix, or NULL when there is no file.
 * Returns VHKEY_OK or VHKEY_ERR_NOMEM.
 */
int vk_rotation_record(vhkey_report *r, time_t created, int estimated,
    time_t now, const vhkey_policy *policy, const char *path);
/* privfile.c: 1 when path is a regular file that starts (after a BOM or
 * white space) as a private key of a kind we know does, else 0. */
int vk_private_key_file(const char *path);

/* keyread.c */
/*
 * Read an open key file of the given size (from fstat) whole, at most
 * VHKEY_FILE_MAX bytes, into guarded memory when secret (release with
 * vk_secret_release()) or malloc'd memory; NUL-terminated.  errno is set
 * on VHKEY_ERR_IO.  Returns VHKEY_OK, VHKEY_ERR_TOO_LARGE,
 * VHKEY_ERR_NOMEM or VHKEY_ERR_IO.
 */
int vk_read_fd(int fd, off_t size, int secret, char **out, size_t *outlen);
/*
 * Open path (following a link, never blocking on a FIFO), check that it is
 * a regular file (and with VK_READ_OWN, the caller's) and read it whole
 * with vk_read_fd() (VK_READ_SECRET: into guarded memory).  When fdp is not
 * NULL, the file is left open in *fdp, with its fstat() in *stp, on
 * success.  Returns VHKEY_OK or a status for err (VHKEY_ERR_OWNER among
 * them).
 */
#define VK_READ_SECRET 0x1u
#define VK_READ_OWN 0x2u
struct stat;
int vk_read_key_file(const char *path, unsigned how, int *fdp,
    struct stat *stp, char **out, size_t *outlen, vhkey_error *err);

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

#endif
