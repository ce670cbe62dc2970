/*
 * privfile.c - is a private key file fit for ssh: what it is, who owns it, who
 * else may read it, whether its .pub matches, how old it is; and the one
 * fix the library applies itself, taking away group and other bits.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "check.h"
#include "chars.h"

/* What one check of a private key file has found so far. */
struct check {
	const char *path;
	char *qpath; /* path quoted for a shell */
	const vhkey_policy *policy;
	time_t now;
	vhkey_report *r;
	int is_link;
	int fd;
	struct stat st;
	int stop;	  /* the file could not be read: nothing more to check */
	int not_key;	  /* the file holds no key */
	int unusable;	  /* a key ssh does not load, or sshd refuses */
	vhkey *key;	  /* the key, at least its public part, or NULL */
	int key_complete; /* key was read whole, comment and all */
	vhkey *pub;	  /* path.pub, when it holds the same key */
	const char *pass; /* the passphrase to read the key with, or NULL */
	size_t passlen;
	int no_pub;	  /* there is no path.pub */
};

/* The user's name, or else the number; for messages and for chown. */
static void
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char tmp[4096];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res != NULL)
		snprintf(buf, len, "%s", pw.pw_name);
	else
		snprintf(buf, len, "%lu", (unsigned long)uid);
}

static const char *
file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a named pipe (FIFO)";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

static const char *
errno_text(int e)
{
	return vhkey_strerror(vk_status_from_errno(e));
}

/*
 * A symbolic link is followed, as ssh follows it, but said.  lstat() is
 * only for this note: every decision below is made on the opened file.
 */
static int
note_link(struct check *c)
{
	struct stat lst;
	char target[PATH_MAX];
	ssize_t n;

	if (lstat(c->path, &lst) != 0 || !S_ISLNK(lst.st_mode))
		return VHKEY_OK;
	c->is_link = 1;
	if ((n = readlink(c->path, target, sizeof(target) - 1)) < 0)
		return vk_report_warn(c->r,
		    "'%s' is a symbolic link: ssh follows it, so the checks "
		    "are of the file it points to.",
		    c->path);
	target[n] = '\0';
	return vk_report_warn(c->r,
	    "'%s' is a symbolic link to '%s': ssh follows it, so the checks "
	    "are of the file it points to.",
	    c->path, target);
}

/* Open once, without blocking on a FIFO; then only the descriptor. */
static int
open_file(struct check *c)
{
	int e;

	c->fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (c->fd < 0 || fstat(c->fd, &c->st) != 0) {
		e = errno;
		c->stop = 1;
		return vk_report_add_finding(c->r, VHKEY_REASON_IO_ERROR, NULL,
		    "Cannot open '%s'%s: %s.", c->path,
		    c->is_link && e == ENOENT ? " (the link points nowhere)" :
						"",
		    errno_text(e));
	}
	if (!S_ISREG(c->st.st_mode)) {
		c->stop = 1;
		return vk_report_add_finding(c->r, VHKEY_REASON_IO_ERROR, NULL,
		    "'%s' is %s, not a private key file.", c->path,
		    file_kind(c->st.st_mode));
	}
	return VHKEY_OK;
}

/* The caller's own file, or root's (root can read it anyway). */
static int
check_owner(struct check *c)
{
	char owner[256], me[256], *fix;
	uid_t uid = geteuid();
	int rc;

	if (c->st.st_uid == uid || c->st.st_uid == 0)
		return VHKEY_OK;
	user_name(c->st.st_uid, owner, sizeof(owner));
	user_name(uid, me, sizeof(me));
	if (asprintf(&fix, "sudo chown %s %s", me, c->qpath) < 0)
		return VHKEY_ERR_NOMEM;
	rc = vk_report_add_finding(c->r, VHKEY_REASON_BAD_OWNER, fix,
	    "'%s' belongs to %s (uid %lu), not to you (%s): whoever owns a "
	    "private key file can read it and replace the key.  A private key "
	    "must belong to the user who uses it.",
	    c->path, owner, (unsigned long)c->st.st_uid, me);
	free(fix);
	return rc;
}

/* ssh's own rule: (mode & 077) == 0, so 0600, 0400 and 0700 pass. */
static int
check_mode(struct check *c)
{
	mode_t m = c->st.st_mode & 07777;
	char owner[256], *fix;
	int rc;

	if ((m & 077) == 0)
		return VHKEY_OK;
	user_name(c->st.st_uid, owner, sizeof(owner));
	if (asprintf(&fix, "chmod 600 %s", c->qpath) < 0)
		return VHKEY_ERR_NOMEM;
	rc = vk_report_add_finding(c->r, VHKEY_REASON_BAD_PERMISSIONS, fix,
	    "Permissions %04o for '%s' (owner %s) are too open: other users "
	    "can %s this private key, and ssh refuses to use it (\"WARNING: "
	    "UNPROTECTED PRIVATE KEY FILE!\").  A private key must be "
	    "readable by its owner only.",
	    (unsigned)m, c->path, owner,
	    (m & 044) && (m & 022) ? "read and change" :
	    (m & 044)		   ? "read" :
				     "change");
	free(fix);
	return rc;
}

/* ------------------------------------------------ what the file holds */

/* The kinds of private key file, by their first line. */
enum key_kind {
	KIND_NONE,	    /* no private key we know of */
	KIND_OPENSSH,	    /* openssh-key-v1 */
	KIND_PEM,	    /* PKCS#1 RSA, SEC1 EC, DSA or PKCS#8, in PEM */
	KIND_PEM_ENCRYPTED, /* the same, protected by a passphrase */
	KIND_PPK,	    /* PuTTY's, any version */
	KIND_FOREIGN	    /* ssh.com's or SSH1's: ssh loads neither */
};

static const struct {
	const char *mark;
	enum key_kind kind;
} kind_marks[] = {
	{ "-----BEGIN OPENSSH PRIVATE KEY-----", KIND_OPENSSH },
	{ "-----BEGIN RSA PRIVATE KEY-----", KIND_PEM },
	{ "-----BEGIN EC PRIVATE KEY-----", KIND_PEM },
	{ "-----BEGIN DSA PRIVATE KEY-----", KIND_PEM },
	{ "-----BEGIN PRIVATE KEY-----", KIND_PEM },
	{ "-----BEGIN ENCRYPTED PRIVATE KEY-----", KIND_PEM_ENCRYPTED },
	{ "PuTTY-User-Key-File-", KIND_PPK },
	{ "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", KIND_FOREIGN },
	{ "SSH PRIVATE KEY FILE FORMAT 1.1", KIND_FOREIGN },
};

#define BOM "\xef\xbb\xbf"

/* What editors and pastes put before a key: a UTF-8 BOM, white space. */
static size_t
lead_len(const char *s, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(s, BOM, 3) == 0)
		i = 3;
	while (i < len && (vk_is_line_space(s[i]) || s[i] == '\n'))
		i++;
	return i;
}

/* The kind of key the text starts with (after lead_len()). */
static enum key_kind
text_kind(const char *s, size_t len)
{
	size_t at = lead_len(s, len), n;

	for (size_t i = 0; i < sizeof(kind_marks) / sizeof(kind_marks[0]);
	     i++) {
		n = strlen(kind_marks[i].mark);
		if (len - at < n || memcmp(s + at, kind_marks[i].mark, n) != 0)
			continue;
		/* PKCS#1 and SEC1 keys say in a header that they are
		 * encrypted */
		if (kind_marks[i].kind == KIND_PEM &&
		    memmem(s, len, "Proc-Type: 4,ENCRYPTED", 22) != NULL)
			return KIND_PEM_ENCRYPTED;
		return kind_marks[i].kind;
	}
	return KIND_NONE;
}

int
vk_private_key_file(const char *path)
{
	char head[512];
	struct stat st;
	ssize_t n = 0;
	int fd, yes = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (n = pread(fd, head, sizeof(head), 0)) > 0)
		yes = text_kind(head, (size_t)n) != KIND_NONE;
	sodium_memzero(head, sizeof(head));
	close(fd);
	return yes;
}

/* ------------------------------------------------------ damaged armor */

/* What spoils a key file for ssh, line by line. */
enum damage {
	DMG_BOM = 1u << 0,	  /* a UTF-8 byte order mark first */
	DMG_BLANK = 1u << 1,	  /* blank lines before the key */
	DMG_INDENT = 1u << 2,	  /* white space starting lines */
	DMG_TRAILING = 1u << 3,	  /* white space ending lines */
	DMG_CRLF = 1u << 4,	  /* CR LF line ends */
	DMG_NO_NEWLINE = 1u << 5, /* no newline after the last line */
};

/*
 * The text as an editor that does no harm would have kept it: no BOM, no
 * blank lines before the key, no white space around the lines (nor CRs),
 * a newline at the end; with what was wrong in *damage.  *out is in
 * guarded memory (release with vk_secret_release()).
 */
static int
repair_text(const char *s, size_t len, char **out, size_t *outlen,
    unsigned *damage)
{
	const char *p = s, *end = s + len, *nl, *a, *b, *line_end;
	char *o;
	int started = 0;

	*damage = 0;
	if ((*out = o = vk_secret_alloc(len + 2)) == NULL)
		return VHKEY_ERR_NOMEM;
	if (len >= 3 && memcmp(s, BOM, 3) == 0) {
		*damage |= DMG_BOM;
		p += 3;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		b = nl != NULL ? nl : end;
		if (b > p && b[-1] == '\r') {
			*damage |= DMG_CRLF;
			b--;
		}
		line_end = b;
		for (a = p; a < b && vk_is_line_space(*a); a++)
			;
		if (a > p)
			*damage |= DMG_INDENT;
		while (b > a && vk_is_line_space(b[-1]))
			b--;
		if (b < line_end && b > a)
			*damage |= DMG_TRAILING;
		if (nl == NULL && b > a)
			*damage |= DMG_NO_NEWLINE;
		if (a == b && !started) {
			*damage |= DMG_BLANK;
		} else {
			started = 1;
			memcpy(o, a, (size_t)(b - a));
			o += b - a;
			*o++ = '\n';
		}
		p = nl != NULL ? nl + 1 : end;
	}
	*o = '\0';
	*outlen = (size_t)(o - *out);
	return VHKEY_OK;
}

/* The damage in words, for the message. */
static void
damage_words(unsigned damage, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *words;
	} words[] = {
		{ DMG_BOM, "a byte order mark (BOM) before the key" },
		{ DMG_BLANK, "blank lines before the key" },
		{ DMG_INDENT, "white space at the start of lines" },
		{ DMG_TRAILING, "white space at the end of lines" },
		{ DMG_CRLF, "Windows (CR LF) line ends" },
		{ DMG_NO_NEWLINE, "no newline at the end" },
	};
	size_t at = 0;
	int n;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!(damage & words[i].bit))
			continue;
		n = snprintf(buf + at, len - at, "%s%s", at > 0 ? ", " : "",
		    words[i].words);
		if (n < 0 || (size_t)n >= len - at)
			return;
		at += (size_t)n;
	}
}

/*
 * The repair as one command (GNU sed, which keeps the file's mode and
 * owner): an expression for each kind of damage found.  LC_ALL=C makes
 * the BOM's bytes bytes; --follow-symlinks edits the file a link leads to,
 * as ssh reads it, not the link.
 */
static int
damage_fix(const struct check *c, unsigned damage, char **fix)
{
	return asprintf(fix, "%ssed %s-i%s%s%s%s%s %s",
		   damage & DMG_BOM ? "LC_ALL=C " : "",
		   c->is_link ? "--follow-symlinks " : "",
		   damage & DMG_BOM ? " -e '1s/^\\xef\\xbb\\xbf//'" : "",
		   damage & DMG_INDENT ? " -e 's/^[[:space:]]*//'" : "",
		   damage & DMG_TRAILING ? " -e 's/[[:space:]]*$//'" :
		   damage & DMG_CRLF	 ? " -e 's/\\r$//'" :
					   "",
		   damage & DMG_BLANK ? " -e '/./,$!d'" : "",
		   damage & DMG_NO_NEWLINE ? " -e '$a\\'" : "", c->qpath) < 0 ?
	    VHKEY_ERR_NOMEM :
	    VHKEY_OK;
}

static int
report_damage(struct check *c, unsigned damage)
{
	char what[256], *fix = NULL;
	int rc;

	damage_words(damage, what, sizeof(what));
	if ((rc = damage_fix(c, damage, &fix)) != VHKEY_OK)
		return rc;
	rc = vk_report_add_finding(c->r, VHKEY_REASON_MALFORMED, fix,
	    "'%s' is damaged, so ssh cannot load it (\"Load key: error in "
	    "libcrypto\"): it has %s.  The key in it is whole: repair the "
	    "file with the command below.",
	    c->path, what);
	free(fix);
	return rc;
}

/* ------------------------------------------------ reading each kind */

/*
 * The key of an openssh-key-v1 file whose private part could not be read
 * (rc says why): the public key of its envelope, with words for what that
 * leaves unchecked.
 */
static int
load_openssh_public(struct check *c, const char *text, size_t len, int rc)
{
	uint32_t rounds = 0;
	int prc;

	vhkey_free(c->key);
	c->key = NULL;
	if ((prc = vk_openssh_public(text, len, &c->key)) != VHKEY_OK)
		return prc;
	vk_report_set_encrypted(c->r,
	    vk_openssh_kdf_rounds(text, len, &rounds) == VHKEY_OK &&
		rounds > 0);
	if (rc == VHKEY_ERR_BAD_PASSPHRASE)
		return vk_report_add_finding(c->r, VHKEY_REASON_BAD_PASSPHRASE,
		    NULL,
		    "'%s' does not open with the passphrase given: it is not "
		    "this key's passphrase (or the first bytes of its private "
		    "part are damaged).  Its public key, pair and age were "
		    "checked without it.",
		    c->path);
	/* fit is then said of what can be known without the passphrase:
	 * the report must say what that leaves unchecked */
	if (rc == VHKEY_ERR_ENCRYPTED)
		return vk_report_warn(c->r,
		    "'%s' is protected by a passphrase: its public key was "
		    "checked, but its private part can only be read with the "
		    "passphrase, so whether that part is whole was not "
		    "checked (ssh asks for the passphrase when it loads the "
		    "key).",
		    c->path);
	return vk_report_warn(c->r,
	    "'%s' holds a %s key: libvhkey reads its public key but not its "
	    "private part, so whether that part is whole was not checked, "
	    "nor its comment's creation stamp.",
	    c->path, vhkey_type_name(vhkey_get_type(c->key)));
}

/*
 * An openssh-key-v1 file: the whole key when it is not encrypted, or when
 * the passphrase given opens it; else the public key of its envelope.
 * VHKEY_OK when the key, or what can be known of it, is in c->key; else
 * why the text is no key.
 */
static int
load_openssh(struct check *c, const char *text, size_t len)
{
	int rc;

	rc = c->pass != NULL ?
	    vhkey_parse_private_passphrase(text, len, c->pass, c->passlen,
		&c->key) :
	    vhkey_parse_private(text, len, &c->key);
	if (rc == VHKEY_OK) {
		c->key_complete = 1;
		vk_report_set_encrypted(c->r, vhkey_has_passphrase(c->key));
		return VHKEY_OK;
	}
	if (rc != VHKEY_ERR_ENCRYPTED && rc != VHKEY_ERR_KEY_TYPE &&
	    rc != VHKEY_ERR_BAD_PASSPHRASE)
		return rc;
	return load_openssh_public(c, text, len, rc);
}

/* Passphrases are never asked for here: whatever OpenSSL would ask,
 * the answer is none. */
static int
no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return -1;
}

/*
 * A PEM or PKCS#8 private key, which ssh 9.2 loads with OpenSSL's PEM
 * reader (so what this reads is what ssh reads): its public part, once the
 * key pair checks.  ssh 9.2 refuses Ed25519 keys in PKCS#8 ("invalid
 * format") and sshd DSA keys.
 */
static int
load_pem(struct check *c, const char *text, size_t len)
{
	OSSL_DECODER_CTX *dctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	vk_writer blob;
	char alg[64];
	int rc = VHKEY_ERR_NOMEM;

	vk_writer_init(&blob, 0);
	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", NULL, NULL,
	    OSSL_KEYMGMT_SELECT_KEYPAIR, NULL, NULL);
	if (dctx == NULL || (bio = BIO_new_mem_buf(text, (int)len)) == NULL ||
	    OSSL_DECODER_CTX_set_pem_password_cb(dctx, no_passphrase, NULL) !=
		1)
		goto out;
	rc = VHKEY_ERR_FORMAT;
	if (OSSL_DECODER_from_bio(dctx, bio) != 1 || pkey == NULL)
		goto out;
	rc = VHKEY_ERR_KEY_CHECK;
	if ((pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL ||
	    EVP_PKEY_pairwise_check(pctx) != 1)
		goto out;
	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		c->unusable = 1;
		rc = vk_report_add_finding(c->r,
		    VHKEY_REASON_UNSUPPORTED_TYPE, NULL,
		    "'%s' holds an Ed25519 key in PKCS#8 form, which ssh "
		    "(OpenSSH 9.2) cannot load (\"invalid format\").  Make a "
		    "new key pair with vhkeygen or ssh-keygen.",
		    c->path);
		goto out;
	}
	if ((rc = vk_pkey_public_blob(pkey, &blob, alg, sizeof(alg))) ==
	    VHKEY_ERR_KEY_TYPE) {
		c->unusable = 1;
		rc = vk_report_add_finding(c->r,
		    VHKEY_REASON_UNSUPPORTED_TYPE, NULL,
		    "'%s' holds a key of type %s, which %s.  Make a new key "
		    "pair with vhkeygen.",
		    c->path, alg,
		    strcmp(alg, "DSA") == 0 ?
			"servers do not accept (OpenSSH turned DSA off in 7.0)" :
			"ssh cannot use");
		goto out;
	}
	if (rc == VHKEY_OK &&
	    (rc = vk_key_from_blob(blob.data, blob.len, &c->key)) == VHKEY_OK)
		vk_report_set_encrypted(c->r, 0);
out:
	/* OpenSSL's complaints about the file are no one's business */
	ERR_clear_error();
	vk_writer_clear(&blob);
	EVP_PKEY_CTX_free(pctx);
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	OSSL_DECODER_CTX_free(dctx);
	return rc;
}

/* The kinds ssh loads but whose key cannot be known, or that ssh does not
 * load at all: a finding each, with the way out. */
static int
refuse_kind(struct check *c, enum key_kind kind)
{
	char *fix = NULL, *base = NULL, *qbase = NULL;
	size_t n = strlen(c->path);
	int rc;

	if (kind == KIND_PEM_ENCRYPTED) {
		vk_report_set_encrypted(c->r, 1);
		if (asprintf(&fix, "ssh-keygen -p -f %s", c->qpath) < 0)
			return VHKEY_ERR_NOMEM;
		rc = vk_report_add_finding(c->r,
		    VHKEY_REASON_UNSUPPORTED_TYPE, fix,
		    "'%s' is a passphrase-protected key in PEM or PKCS#8 form: "
		    "without the passphrase no one can tell which key it "
		    "holds, how large it is or whether it is weak, so it is "
		    "not called fit for ssh.  Convert it to OpenSSH's own "
		    "format, which keeps the public key readable (ssh-keygen "
		    "asks for the passphrase, and keeps it):",
		    c->path);
		free(fix);
		return rc;
	}
	c->unusable = 1;
	if (kind != KIND_PPK)
		return vk_report_add_finding(c->r,
		    VHKEY_REASON_UNSUPPORTED_TYPE, NULL,
		    "'%s' is a private key in a format ssh cannot load (ssh.com "
		    "or SSH1).  Make a new key pair with vhkeygen.",
		    c->path);
	/* key.ppk -> key-openssh */
	if (n > 4 && strcmp(c->path + n - 4, ".ppk") == 0)
		n -= 4;
	if (asprintf(&base, "%.*s-openssh", (int)n, c->path) < 0)
		return VHKEY_ERR_NOMEM;
	if ((qbase = vk_shell_quote(base)) == NULL ||
	    asprintf(&fix, "puttygen %s -O private-openssh -o %s", c->qpath,
		qbase) < 0) {
		free(qbase);
		free(base);
		return VHKEY_ERR_NOMEM;
	}
	rc = vk_report_add_finding(c->r, VHKEY_REASON_UNSUPPORTED_TYPE, fix,
	    "'%s' is a PuTTY private key (PPK), which ssh cannot load "
	    "(\"Load key: error in libcrypto\").  Convert it to an OpenSSH "
	    "key file, and use that with ssh -i '%s':",
	    c->path, base);
	free(fix);
	free(qbase);
	free(base);
	return rc;
}

/* Why a text of a kind ssh reads was no key, in words for the report. */
static int
report_unreadable(struct check *c, const char *text, size_t len, int rc)
{
	uint32_t rounds = 0;

	if (rc == VHKEY_ERR_KDF_ROUNDS &&
	    vk_openssh_kdf_rounds(text, len, &rounds) == VHKEY_OK &&
	    rounds > VHKEY_KDF_ROUNDS_MAX)
		return vk_report_add_finding(c->r, VHKEY_REASON_MALFORMED,
		    NULL,
		    "'%s' asks for %lu rounds of its passphrase's key "
		    "derivation (bcrypt), where ssh-keygen uses 16 or 24: "
		    "unlocking it would take ssh hours or days, and so "
		    "libvhkey stops at %u rounds (the limit of Go's "
		    "x/crypto/ssh).  Make a new key pair.",
		    c->path, (unsigned long)rounds,
		    (unsigned)VHKEY_KDF_ROUNDS_MAX);
	c->not_key = 1;
	if (rc == VHKEY_ERR_TRAILING && text_kind(text, len) == KIND_OPENSSH)
		return vk_report_add_finding(c->r, VHKEY_REASON_MALFORMED,
		    NULL,
		    "'%s' has text after its END line: ssh ignores it, but "
		    "libvhkey reads no such file, so it was not checked.  "
		    "Remove what follows the END line.",
		    c->path);
	/* OpenSSL signs with such a key when the numbers it uses still
	 * agree (it falls back from CRT), so ssh may load it and even log
	 * in: say what is wrong, not that ssh cannot load it */
	if (rc == VHKEY_ERR_KEY_CHECK)
		return vk_report_add_finding(c->r, VHKEY_REASON_MALFORMED, NULL,
		    "'%s' is damaged: the numbers of its private key do not "
		    "agree with each other (%s).  ssh may still load it, but "
		    "it is not the key it was made as: make a new key pair.",
		    c->path, vhkey_strerror(rc));
	return vk_report_add_finding(c->r, VHKEY_REASON_MALFORMED, NULL,
	    "'%s' is not a private key that ssh can load: %s.", c->path,
	    vhkey_strerror(rc));
}

/*
 * Load the key of a kind ssh reads, from the text as written; when ssh
 * could not load that but could load the text with its lines repaired,
 * the file is damaged (a finding, with the repair), and the checks go on
 * with the key of the repaired text.
 */
static int
load_key(struct check *c, enum key_kind kind, const char *text, size_t len)
{
	int (*load)(struct check *, const char *, size_t) =
	    kind == KIND_OPENSSH ? load_openssh : load_pem;
	char *fixed = NULL;
	size_t fixedlen = 0;
	unsigned damage = 0;
	int rc, frc;

	if ((rc = load(c, text, len)) == VHKEY_OK || rc == VHKEY_ERR_NOMEM)
		return rc;
	if ((frc = repair_text(text, len, &fixed, &fixedlen, &damage)) !=
	    VHKEY_OK)
		return frc;
	if (damage != 0 && (frc = load(c, fixed, fixedlen)) == VHKEY_OK)
		frc = report_damage(c, damage);
	else if (frc != VHKEY_ERR_NOMEM)
		frc = report_unreadable(c, text, len, rc);
	vk_secret_release(fixed);
	return frc;
}

/* The key, from the bytes of the opened file. */
static int
read_key(struct check *c)
{
	char *text = NULL;
	size_t len = 0;
	enum key_kind kind;
	int rc, e;

	rc = vk_read_fd(c->fd, c->st.st_size, 1, &text, &len);
	if (rc == VHKEY_ERR_TOO_LARGE || rc == VHKEY_ERR_IO) {
		e = errno;
		c->stop = 1;
		if (rc == VHKEY_ERR_TOO_LARGE)
			return vk_report_add_finding(c->r,
			    VHKEY_REASON_TOO_LARGE, NULL,
			    "'%s' is larger than any key file (over %d "
			    "bytes): it is not a private key.",
			    c->path, VHKEY_FILE_MAX);
		return vk_report_add_finding(c->r, VHKEY_REASON_IO_ERROR, NULL,
		    "Cannot read '%s': %s.", c->path, errno_text(e));
	}
	if (rc != VHKEY_OK)
		return rc;
	switch ((kind = text_kind(text, len))) {
	case KIND_OPENSSH:
	case KIND_PEM:
		rc = load_key(c, kind, text, len);
		break;
	case KIND_NONE:
		c->not_key = 1;
		rc = vk_report_add_finding(c->r, VHKEY_REASON_MALFORMED, NULL,
		    "'%s' is not a private key that ssh can load.", c->path);
		break;
	default:
		rc = refuse_kind(c, kind);
	}
	vk_secret_release(text);
	return rc;
}

/*
 * The key against the policy, as a pasted public key is checked: the
 * types allowed, RSA's size and the weak-key tests.  The policy speaks of
 * a key to paste; here the finding says how to replace it.
 */
static int
check_policy(struct check *c)
{
	vhkey_report *verdict;
	char *fix = NULL;
	int rc;

	if (c->key == NULL)
		return VHKEY_OK;
	if ((verdict = vk_report_new()) == NULL)
		return VHKEY_ERR_NOMEM;
	rc = vk_check_key_policy(c->key,
	    c->policy != NULL ? c->policy : &vk_policy_defaults, verdict,
	    NULL);
	if (rc == VHKEY_OK &&
	    vhkey_report_verdict(verdict) == VHKEY_REJECTED) {
		if (vhkey_get_type(c->key) == VHKEY_TYPE_RSA &&
		    asprintf(&fix, "vhkeygen --rotate -f %s", c->qpath) < 0) {
			vhkey_report_free(verdict);
			return VHKEY_ERR_NOMEM;
		}
		rc = vk_report_add_finding(c->r, vhkey_report_reason(verdict),
		    fix, "'%s': %s", c->path, vhkey_report_message(verdict));
		free(fix);
	}
	vhkey_report_free(verdict);
	return rc;
}

/* path.pub, when there is one, holds the same public key. */
static int
check_pair(struct check *c)
{
	char *pubpath = NULL, *qpub = NULL, *fix = NULL, *text = NULL;
	char fp[VHKEY_FINGERPRINT_MAX], pubfp[VHKEY_FINGERPRINT_MAX];
	vhkey *pub = NULL;
	vhkey_error err;
	size_t len = 0;
	int rc, prc;

	if (c->key == NULL)
		return VHKEY_OK;
	if (asprintf(&pubpath, "%s.pub", c->path) < 0)
		return VHKEY_ERR_NOMEM;
	if ((qpub = vk_shell_quote(pubpath)) == NULL ||
	    asprintf(&fix, "ssh-keygen -y -f %s > %s", c->qpath, qpub) < 0) {
		fix = NULL;
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	prc = vk_read_key_file(pubpath, 0, NULL, NULL, &text, &len, &err);
	if (prc == VHKEY_ERR_NOENT) {
		c->no_pub = 1;
		rc = VHKEY_OK;
		goto out;
	}
	if (prc != VHKEY_OK && prc != VHKEY_ERR_TOO_LARGE &&
	    prc != VHKEY_ERR_NOMEM) {
		rc = vk_report_warn(c->r,
		    "Cannot read '%s' (%s): the pair was not checked.",
		    pubpath, vhkey_strerror(prc));
		goto out;
	}
	if (prc == VHKEY_OK)
		prc = vhkey_parse_public(text, len, &pub);
	if (prc == VHKEY_ERR_NOMEM) {
		rc = prc;
		goto out;
	}
	if (prc != VHKEY_OK) {
		rc = vk_report_add_finding(c->r, VHKEY_REASON_PAIR_MISMATCH,
		    fix,
		    "'%s', beside '%s', does not hold a public key that "
		    "libvhkey reads (%s).  Make it again from the private "
		    "key.",
		    pubpath, c->path, vhkey_strerror(prc));
		goto out;
	}
	if (!vhkey_public_equal(pub, c->key)) {
		if ((rc = vhkey_fingerprint(c->key, VHKEY_HASH_SHA256, fp,
			 sizeof(fp))) != VHKEY_OK ||
		    (rc = vhkey_fingerprint(pub, VHKEY_HASH_SHA256, pubfp,
			 sizeof(pubfp))) != VHKEY_OK)
			goto out;
		rc = vk_report_add_finding(c->r, VHKEY_REASON_PAIR_MISMATCH,
		    fix,
		    "'%s' holds another public key (%s) than '%s' (%s).  A "
		    "stale .pub pasted to the server is a common cause of "
		    "\"Authentication failed\" (\"Permission denied "
		    "(publickey)\"): the server knows a key that this private "
		    "key cannot prove.  Make the .pub again from the private "
		    "key, and paste the new one.",
		    pubpath, pubfp, c->path, fp);
		goto out;
	}
	c->pub = pub;
	pub = NULL;
	rc = VHKEY_OK;
out:
	free(text);
	vhkey_free(pub);
	free(fix);
	free(qpub);
	free(pubpath);
	return rc;
}

/*
 * The age: from the creation stamp in the private key's comment, or in
 * the .pub's when the private one could not be read whole (a
 * passphrase-protected key); else estimated from the file's mtime, which
 * is no earlier than the key (short of cp -p or touch).
 */
static int
check_age(struct check *c)
{
	const vhkey *src = c->key_complete ? c->key : c->pub;
	time_t created;
	int rc;

	if (c->not_key || c->unusable)
		return VHKEY_OK;
	if (src != NULL) {
		rc = vhkey_created_time(src, &created);
		if (rc == VHKEY_OK)
			return vk_rotation_record(c->r, created, 0, c->now,
			    c->policy, c->path);
		if (rc != VHKEY_ERR_NO_STAMP &&
		    (rc = vk_report_warn(c->r,
			 "The comment of the key in '%s' carries a malformed "
			 "creation stamp (" VHKEY_STAMP_PREFIX "...): it is "
			 "ignored.",
			 c->key_complete ? c->path : "its .pub")) != VHKEY_OK)
			return rc;
	}
	return vk_rotation_record(c->r, c->st.st_mtime, 1, c->now, c->policy,
	    c->path);
}

/* The key the report shows: public only, with the comment when known. */
static int
report_key(struct check *c)
{
	const vhkey *k = c->key_complete ? c->key : c->pub ? c->pub : c->key;

	return k != NULL ? vk_report_set_key(c->r, k) : VHKEY_OK;
}

/* An accepted report says what was checked. */
static int
summarise(struct check *c)
{
	const vhkey_rotation *rot = vhkey_report_rotation(c->r);
	char owner[256], due[VHKEY_TIME_MAX] = "", pair[64], age[128];

	if (vhkey_report_verdict(c->r) != VHKEY_ACCEPTED)
		return VHKEY_OK;
	user_name(c->st.st_uid, owner, sizeof(owner));
	snprintf(pair, sizeof(pair), "%s",
	    c->pub	      ? "; its .pub holds the same key" :
	    c->no_pub && c->key ? "; there is no .pub beside it" :
				  "");
	age[0] = '\0';
	if (rot != NULL && vhkey_format_time(rot->due, due, sizeof(due)) ==
		VHKEY_OK)
		snprintf(age, sizeof(age), "; %lld day%s old%s, rotation due %s",
		    rot->age_days, rot->age_days == 1 ? "" : "s",
		    vhkey_report_created_estimated(c->r) ? " (estimated)" : "",
		    due);
	return vk_report_accept(c->r,
	    "'%s' is fit for ssh: mode %04o, owner %s%s%s%s.", c->path,
	    (unsigned)(c->st.st_mode & 07777), owner,
	    vhkey_report_encrypted(c->r) == 1 ?
		(c->key_complete ? ", protected by a passphrase (which opened "
				   "it)" :
				   ", protected by a passphrase") :
		"",
	    pair, age);
}

/* Whatever the verdict, the one thing not to do with this file.  (Only a
 * note: whether the .pub is there is looked up by name.) */
static int
note_private_half(struct check *c)
{
	char *pub = NULL, *qpub = NULL;
	int rc = VHKEY_ERR_NOMEM;

	if (c->not_key)
		return VHKEY_OK;
	if (c->unusable)
		return vk_report_warn(c->r,
		    "'%s' is a private key: it stays on this computer.  Never "
		    "paste it anywhere; paste the public half of its key pair "
		    "(a .pub file) instead.",
		    c->path);
	if (asprintf(&pub, "%s.pub", c->path) < 0)
		return VHKEY_ERR_NOMEM;
	if (access(pub, F_OK) == 0)
		rc = vk_report_warn(c->r,
		    "'%s' is the private half of the key pair: it stays on "
		    "this computer, for ssh -i.  Never paste it anywhere; "
		    "paste '%s' into the server's form.",
		    c->path, pub);
	else if ((qpub = vk_shell_quote(pub)) != NULL)
		rc = vk_report_warn(c->r,
		    "'%s' is the private half of a key pair: it stays on this "
		    "computer, for ssh -i.  Never paste it anywhere; paste its "
		    "public half instead, which this makes: ssh-keygen -y -f "
		    "%s > %s",
		    c->path, c->qpath, qpub);
	free(qpub);
	free(pub);
	return rc;
}

int
vhkey_check_private_file(const char *path, const vhkey_policy *policy,
    time_t now, vhkey_report **out)
{
	return vhkey_check_private_file_passphrase(path, policy, now, NULL, 0,
	    out);
}

int
vhkey_check_private_file_passphrase(const char *path,
    const vhkey_policy *policy, time_t now, const char *pass, size_t passlen,
    vhkey_report **out)
{
	struct check c = { .path = path, .policy = policy, .now = now,
		.fd = -1, .pass = pass, .passlen = passlen };
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if (path == NULL || (pass == NULL && passlen > 0))
		return VHKEY_ERR_ARGUMENT;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if ((c.r = vk_report_new()) == NULL ||
	    (c.qpath = vk_shell_quote(path)) == NULL) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	vk_report_set_subject(c.r, VHKEY_SUBJECT_PRIVATE_FILE);
	if ((rc = note_link(&c)) != VHKEY_OK || (rc = open_file(&c)) != VHKEY_OK)
		goto out;
	if (!c.stop &&
	    ((rc = check_owner(&c)) != VHKEY_OK ||
		(rc = check_mode(&c)) != VHKEY_OK ||
		(rc = read_key(&c)) != VHKEY_OK))
		goto out;
	if (!c.stop &&
	    ((rc = check_policy(&c)) != VHKEY_OK ||
		(rc = check_pair(&c)) != VHKEY_OK ||
		(rc = check_age(&c)) != VHKEY_OK ||
		(rc = report_key(&c)) != VHKEY_OK ||
		(rc = summarise(&c)) != VHKEY_OK ||
		(rc = note_private_half(&c)) != VHKEY_OK))
		goto out;
	*out = c.r;
	c.r = NULL;
out:
	if (c.fd >= 0)
		close(c.fd);
	vhkey_report_free(c.r);
	vhkey_free(c.key);
	vhkey_free(c.pub);
	free(c.qpath);
	return rc;
}

/* What vhkey_check_private_file() takes for a private key file: its
 * first line says so, whatever its format. */
static int
private_key_text(const char *text, size_t len)
{
	return text_kind(text, len) != KIND_NONE ? VHKEY_OK :
						   VHKEY_ERR_NOT_PRIVATE;
}

/*
 * Why the fix follows a link, and why that is safe.  ssh follows a link to
 * a key, and so does the check; the fix must act on the same file, or
 * "chmod 600 'path'" (which follows it too) and the fix would differ.
 * Whatever the name leads to when the fix opens it, every decision is made
 * on the opened file (fstat: a regular file, the caller's; its content: a
 * private key) and the change goes through the same descriptor (fchmod),
 * so nothing can be swapped between deciding and changing.  A name swapped
 * for a link after the check can only lead the fix to another private key
 * file of the caller's, and for that the fix only takes permissions away:
 * it cannot be turned on, say, /etc/shadow or a shell script, even when
 * the caller is root.  (O_NOFOLLOW would refuse the keys that ssh uses
 * through a link, and it guards the last name of the path only.)
 */
int
vhkey_fix_permissions(const char *path, vhkey_error *err)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int fd, rc;

	if (path == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, NULL);
	vk_error_set(err, VHKEY_OK, 0, path);
	if ((rc = vhkey_init()) != VHKEY_OK)
		return vk_fail(err, rc, path);
	if ((rc = vk_read_key_file(path, VK_READ_SECRET | VK_READ_OWN, &fd,
		 &st, &text, &len, err)) != VHKEY_OK)
		return rc;
	if ((rc = private_key_text(text, len)) != VHKEY_OK)
		vk_fail(err, rc, path);
	else if ((st.st_mode & 077) != 0 && fchmod(fd, 0600) != 0)
		rc = vk_fail_errno(err, path);
	vk_secret_release(text);
	close(fd);
	return rc;
}

int
vhkey_report_fixable(const vhkey_report *report)
{
	int bad_mode = 0, other_owner = 0;

	for (size_t i = 0; i < vhkey_report_finding_count(report); i++) {
		int reason = vhkey_report_finding_reason(report, i);
		bad_mode |= reason == VHKEY_REASON_BAD_PERMISSIONS;
		other_owner |= reason == VHKEY_REASON_BAD_OWNER;
	}
	return !bad_mode ? 0 : other_owner ? -1 : 1;
}
