/* test_keylist.c - files of keys checked key by key, as a stream; and a
 * paste read from a file descriptor. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "check.h"
#include "testutil.h"

struct seen {
	unsigned long line, last;
	vhkey_verdict verdict;
	int reason;
	char fp[VHKEY_FINGERPRINT_MAX];
	char *json;
	char *msg;
};

struct collect {
	struct seen items[64];
	size_t n;
	unsigned long count; /* all reports, also past items[] */
	int stop_after;	     /* return 42 after this many; 0: never */
};

static int
collect(void *arg, unsigned long line, const vhkey_report *r)
{
	struct collect *c = arg;

	if (c->n < sizeof(c->items) / sizeof(c->items[0])) {
		struct seen *s = &c->items[c->n++];
		s->line = line;
		s->last = vhkey_report_last_line(r);
		s->verdict = vhkey_report_verdict(r);
		s->reason = vhkey_report_reason(r);
		s->fp[0] = '\0';
		if (vhkey_report_key(r) != NULL)
			assert_int_equal(vhkey_fingerprint(vhkey_report_key(r),
					     VHKEY_HASH_SHA256, s->fp,
					     sizeof(s->fp)),
			    VHKEY_OK);
		assert_int_equal(vhkey_report_to_json(r, &s->json), VHKEY_OK);
		s->msg = strdup(vhkey_report_message(r) ?
			vhkey_report_message(r) : "");
		assert_non_null(s->msg);
	}
	c->count++;
	return c->stop_after > 0 && c->count >= (unsigned long)c->stop_after ?
	    42 :
	    0;
}

/* One report as expected: its line, reason, fingerprint ("" for none),
 * and words in its JSON (or NULL). */
static void
seen(const struct seen *s, unsigned long line, int reason, const char *fp,
    const char *words)
{
	assert_int_equal(s->line, line);
	assert_int_equal(s->reason, reason);
	assert_int_equal(s->verdict, reason == VHKEY_REASON_NONE ?
		VHKEY_ACCEPTED :
		VHKEY_REJECTED);
	assert_string_equal(s->fp, fp);
	if (words != NULL && strstr(s->json, words) == NULL)
		fail_msg("'%s' not in %s", words, s->json);
}

static void
collect_free(struct collect *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].json);
		free(c->items[i].msg);
	}
	memset(c, 0, sizeof(*c));
}

/* The fingerprint saved for a fixture (second field of its .sha256). */
static void
saved_fp(const char *name, char *fp, size_t len)
{
	char path[256], *text, *b, *e;

	snprintf(path, sizeof(path), "paste/%s.sha256", name);
	text = tu_read_file(tu_data(path), NULL);
	assert_non_null(text);
	b = strchr(text, ' ') + 1;
	e = strchr(b, ' ');
	snprintf(fp, len, "%.*s", (int)(e - b), b);
	free(text);
}

static char *
fixture(const char *name)
{
	char path[256], *text;

	snprintf(path, sizeof(path), "paste/%s", name);
	text = tu_read_file(tu_data(path), NULL);
	assert_non_null(text);
	return text;
}

static int
check_file(const char *path, struct collect *c, vhkey_error *err)
{
	return vhkey_check_keys_file(path, NULL, 0, collect, c, err);
}

static void
test_authorized_keys(void **state)
{
	char *dir = tu_mkdtemp(), path[4096], fp_rsa[64], fp_ed[64], fp_e[64];
	char *rsa = fixture("rsa4096.pub"), *ed = fixture("ed25519.pub");
	char *e256 = fixture("ecdsa256.pub"), *block = fixture("rsa4096.rfc4716");
	char *priv = fixture("priv-openssh-ed25519"), *longline;
	unsigned long block_lines = 0;
	struct collect c;
	vhkey_error err;
	FILE *f;

	(void)state;
	saved_fp("rsa4096", fp_rsa, sizeof(fp_rsa));
	saved_fp("ed25519", fp_ed, sizeof(fp_ed));
	saved_fp("ecdsa256", fp_e, sizeof(fp_e));
	for (const char *q = block; *q; q++)
		block_lines += *q == '\n';
	assert_int_equal(block_lines, 14);
	longline = malloc(70001);
	memset(longline, 'A', 70000);
	longline[70000] = '\0';
	snprintf(path, sizeof(path), "%s/authorized_keys", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "# keys of the team\n"		 /* 1 */
		   "\n"					 /* 2 */
		   "%s"					 /* 3 rsa */
		   "   \t\n"				 /* 4 */
		   "no-pty,command=\"echo a b\" %s"	 /* 5 ed25519 */
		   "%s"					 /* 6-19 block */
		   "%s"					 /* 20-26 private */
		   "  # indented comment\n"		 /* */
		   "%s\n"				 /* a long line */
		   "ssh-rsa AAAAB3NzaC1yc2E= broken\n"	 /* malformed */
		   "---- BEGIN SSH2 PUBLIC KEY ----\n"	 /* no END ... */
		   "AAAA\n"				 /* */
		   "%.*s\r\n",				 /* ... cut by a key */
	    rsa, ed, block, priv, longline, (int)strlen(e256) - 1, e256);
	assert_int_equal(fclose(f), 0);

	memset(&c, 0, sizeof(c));
	assert_int_equal(check_file(path, &c, &err), VHKEY_OK);
	assert_int_equal(c.n, 8);
	seen(&c.items[0], 3, VHKEY_REASON_NONE, fp_rsa, NULL);
	seen(&c.items[1], 5, VHKEY_REASON_NONE, fp_ed,
	    "The options in front of the key (no-pty, command=...) apply");
	/* the RFC 4716 block, whole, at its first line: sshd does not read
	 * it, so the file is not fine as written */
	seen(&c.items[2], 6, VHKEY_REASON_MALFORMED, fp_rsa,
	    "sshd will not read this block as written");
	assert_int_equal(c.items[2].last, 19);
	assert_int_equal(c.items[1].last, 5);
	/* the private key, once */
	seen(&c.items[3], 20, VHKEY_REASON_PRIVATE_KEY, "", NULL);
	seen(&c.items[4], 28, VHKEY_REASON_TOO_LARGE, "", NULL);
	seen(&c.items[5], 29, VHKEY_REASON_MALFORMED, "", NULL);
	seen(&c.items[6], 30, VHKEY_REASON_MALFORMED, "", "no END line");
	seen(&c.items[7], 32, VHKEY_REASON_NONE, fp_e, "CR LF");
	/* JSON says where */
	snprintf(longline, 70000, "{\"file\":\"%s\",\"line\":3,\"verdict\":",
	    path);
	assert_memory_equal(c.items[0].json, longline, strlen(longline));
	collect_free(&c);

	/* a callback can stop the walk: a status says so, not the
	 * callback's own value (42 would read as some status) */
	c.stop_after = 2;
	memset(&err, 0, sizeof(err));
	assert_int_equal(check_file(path, &c, &err), VHKEY_ERR_STOPPED);
	assert_int_equal(c.count, 2);
	/* err says it, as vhkey_check_file's does for a whole-file report */
	assert_int_equal(err.status, VHKEY_ERR_STOPPED);
	assert_int_equal(err.sys_errno, 0);
	assert_string_equal(err.path, path);
	collect_free(&c);
	memset(&err, 0, sizeof(err));
	c.stop_after = 1;
	assert_int_equal(vhkey_check_file(path, NULL, 0, collect, &c, &err),
	    VHKEY_ERR_STOPPED);
	assert_int_equal(err.status, VHKEY_ERR_STOPPED);
	assert_string_equal(err.path, path);
	collect_free(&c);

	free(longline);
	free(rsa);
	free(ed);
	free(e256);
	free(block);
	free(priv);
	tu_rmtree(dir);
}

static void
one_report(const char *content, size_t len, unsigned long line, int reason,
    const char *words)
{
	char *dir = tu_mkdtemp(), path[4096];
	struct collect c;

	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(tu_write_file(path, content, len, 0600), 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(check_file(path, &c, NULL), VHKEY_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.items[0].line, line);
	assert_int_equal(c.items[0].reason, reason);
	if (words != NULL)
		assert_non_null(strstr(c.items[0].json, words));
	collect_free(&c);
	tu_rmtree(dir);
}

static void
test_whole_files(void **state)
{
	static const char *privs[] = { "priv-ppk2.ppk", "priv-ppk3.ppk",
		"priv-ppk3-encrypted.ppk", "priv-ssh1", "priv-sshcom",
		"priv-pem-rsa-encrypted", "priv-pkcs8-encrypted",
		"priv-openssh-rsa" };
	size_t len;

	(void)state;
	/* a private key file given where public keys belong: one verdict */
	for (size_t i = 0; i < sizeof(privs) / sizeof(privs[0]); i++) {
		char name[64], *text;
		snprintf(name, sizeof(name), "paste/%s", privs[i]);
		text = tu_read_file(tu_data(name), &len);
		assert_non_null(text);
		one_report(text, len, 1, VHKEY_REASON_PRIVATE_KEY, ".pub");
		free(text);
	}
	one_report("", 0, 0, VHKEY_REASON_MALFORMED, "empty");
	/* a byte order mark before a comment line */
	one_report("\xef\xbb\xbf# keys\n", 10, 0, VHKEY_REASON_MALFORMED,
	    "no key");
	one_report("# nothing\n\n  \n", 14, 0, VHKEY_REASON_MALFORMED,
	    "no key");
	/* the last line needs no newline */
	{
		char *text = fixture("ed25519.pub");
		len = strlen(text) - 1;
		one_report(text, len, 1, VHKEY_REASON_NONE, NULL);
		free(text);
	}
	/* two keys parted by a bare CR: one line to sshd (and so to us),
	 * the second key in the first one's comment; never "line 2" */
	{
		char *text = fixture("ed25519.pub"), *two;
		len = strlen(text) - 1;
		assert_true(asprintf(&two, "%.*s\r%.*s\r\n", (int)len, text,
				(int)len, text) > 0);
		one_report(two, strlen(two), 1, VHKEY_REASON_MALFORMED,
		    "after a carriage return (CR), so sshd reads both as one "
		    "line");
		free(two);
		free(text);
	}
}

/* vhkey_check_file() on content, written to a file: its reports. */
static void
check_any_file(const char *content, size_t len, struct collect *c)
{
	char *dir = tu_mkdtemp(), path[4096];

	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(tu_write_file(path, content, len, 0600), 0);
	memset(c, 0, sizeof(*c));
	assert_int_equal(vhkey_check_file(path, NULL, 0, collect, c, NULL),
	    VHKEY_OK);
	tu_rmtree(dir);
}

/* The file holds private key material as a whole: one report, for the
 * file (line 0), private_key, as the same text pasted gets. */
static void
private_as_whole(const char *content, size_t len)
{
	struct collect c;
	vhkey_report *r = NULL;

	check_any_file(content, len, &c);
	assert_int_equal(c.n, 1);
	seen(&c.items[0], 0, VHKEY_REASON_PRIVATE_KEY, "", "private key");
	assert_int_equal(vhkey_check_paste(content, len, NULL, 0, &r),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_PRIVATE_KEY);
	assert_string_equal(c.items[0].msg, vhkey_report_message(r));
	vhkey_report_free(r);
	collect_free(&c);
}

/* The DER inside a PEM fixture (its lines but the armor, decoded). */
static uint8_t *
fixture_der(const char *name, size_t *len)
{
	char *text = fixture(name), *b = strchr(text, '\n') + 1, *o = b;
	uint8_t *der;

	for (char *i = b; *i != '\0' && *i != '-'; i++)
		if (*i != '\n')
			*o++ = *i;
	der = malloc((size_t)(o - b));
	assert_non_null(der);
	assert_int_equal(vk_base64_decode(der, (size_t)(o - b), b,
			     (size_t)(o - b), len),
	    0);
	free(text);
	return der;
}

static void
test_private_material(void **state)
{
	static const char *pems[] = { "priv-pem-rsa", "priv-pem-ec",
		"priv-pkcs8", "priv-pkcs8-encrypted" };
	char *text, *u16, *hex, *p;
	uint8_t *der;
	size_t len;
	struct collect c;

	(void)state;
	for (size_t i = 0; i < sizeof(pems) / sizeof(pems[0]); i++) {
		/* raw DER, and in hex: no line of either says it alone */
		der = fixture_der(pems[i], &len);
		private_as_whole((const char *)der, len);
		hex = malloc(len * 3 + 1);
		assert_non_null(hex);
		for (size_t j = 0; j < len; j++)
			snprintf(hex + 3 * j, 4, "%02x%c", der[j],
			    j % 16 == 15 ? '\n' : ' ');
		private_as_whole(hex, len * 3);
		/* without its first line, which holds the DER's head */
		p = strchr(hex, '\n') + 1;
		private_as_whole(p, len * 3 - (size_t)(p - hex));
		free(hex);
		free(der);
	}
	/* UTF-16, little-endian without a byte order mark */
	text = fixture("priv-openssh-rsa");
	len = strlen(text);
	u16 = calloc(len, 2);
	assert_non_null(u16);
	for (size_t j = 0; j < len; j++)
		u16[2 * j] = text[j];
	private_as_whole(u16, len * 2);
	free(u16);
	/* without its BEGIN line: the last line is too short to tell */
	p = strchr(text, '\n') + 1;
	private_as_whole(p, strlen(p));
	free(text);
	/* PuTTY's key without its first line, and a JWK */
	text = fixture("priv-ppk3.ppk");
	p = strchr(text, '\n') + 1;
	private_as_whole(p, strlen(p));
	free(text);
	text = fixture("priv-jwk-rsa");
	private_as_whole(text, strlen(text));
	free(text);

	/* a public key line first: a list of keys, line by line, the key
	 * accepted; the body after it refused as one, its lines together */
	text = fixture("ed25519.pub");
	p = fixture("priv-openssh-body");
	len = strlen(text) + strlen(p);
	text = realloc(text, len + 1);
	assert_non_null(text);
	strcat(text, p);
	check_any_file(text, len, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.items[0].line, 1);
	assert_int_equal(c.items[0].reason, VHKEY_REASON_NONE);
	seen(&c.items[1], 2, VHKEY_REASON_PRIVATE_KEY, "", "OpenSSH private");
	assert_int_equal(c.items[1].last, 6);
	collect_free(&c);
	free(p);
	free(text);
}

static void
test_file_errors(void **state)
{
	char *dir = tu_mkdtemp(), path[4096];
	struct collect c;
	vhkey_error err;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(check_file(dir, &c, &err), VHKEY_ERR_NOT_REGULAR);
	assert_int_equal(err.status, VHKEY_ERR_NOT_REGULAR);
	assert_int_equal(err.sys_errno, EISDIR);
	assert_string_equal(err.path, dir);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(check_file(path, &c, &err), VHKEY_ERR_NOENT);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_string_equal(err.path, path);
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "%s/secret", dir);
		assert_int_equal(tu_write_file(path, "x", 1, 0), 0);
		assert_int_equal(check_file(path, &c, &err), VHKEY_ERR_ACCESS);
	}
	assert_int_equal(c.count, 0);
	assert_int_equal(vhkey_check_keys_file(NULL, NULL, 0, collect, &c,
			     &err),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_check_keys_file(dir, NULL, 0, NULL, &c, NULL),
	    VHKEY_ERR_ARGUMENT);
	tu_rmtree(dir);
}

struct writer {
	int fd;
	const char *line;
	unsigned long times;
};

static void *
write_lines(void *arg)
{
	struct writer *w = arg;
	size_t len = strlen(w->line);

	for (unsigned long i = 0; i < w->times; i++) {
		size_t off = 0;
		while (off < len) {
			ssize_t n = write(w->fd, w->line + off, len - off);
			if (n <= 0)
				return NULL;
			off += (size_t)n;
		}
	}
	close(w->fd);
	return NULL;
}

/* A pipe is read as a stream: far more than fits in memory at once is
 * fine, and every line is seen. */
static void
test_stream(void **state)
{
	char *ed = fixture("ed25519.pub"), path[64];
	struct writer w;
	struct collect c;
	pthread_t t;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	w.fd = fds[1];
	w.line = ed;
	w.times = 20000; /* about 2 MB */
	assert_int_equal(pthread_create(&t, NULL, write_lines, &w), 0);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	memset(&c, 0, sizeof(c));
	assert_int_equal(check_file(path, &c, NULL), VHKEY_OK);
	assert_int_equal(pthread_join(t, NULL), 0);
	close(fds[0]);
	assert_int_equal(c.count, 20000);
	assert_int_equal(c.items[63].line, 64);
	assert_int_equal(c.items[63].verdict, VHKEY_ACCEPTED);
	collect_free(&c);
	free(ed);
}

/*
 * A file of many batches, checked on every processor: each report is the
 * one a check of its text alone gives (vhkey_check_paste, at its line),
 * in the file's order.  The items are chosen to cross batch boundaries in
 * every way: keys, comments and blank lines, lines too long to check,
 * armored blocks over several lines, a private key, broken lines, and
 * keys repeated so that the memo answers.
 */
struct expect {
	unsigned long line;
	char *text; /* what a check of it alone must give */
	size_t len;
};

struct all {
	char **json;
	unsigned long *lines;
	size_t n, cap;
	unsigned long stop_after; /* 0: never */
};

static int
collect_all(void *arg, unsigned long line, const vhkey_report *r)
{
	struct all *a = arg;

	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->json = realloc(a->json, a->cap * sizeof(*a->json));
		a->lines = realloc(a->lines, a->cap * sizeof(*a->lines));
		assert_non_null(a->json);
		assert_non_null(a->lines);
	}
	assert_int_equal(vhkey_report_to_json(r, &a->json[a->n]), VHKEY_OK);
	a->lines[a->n++] = line;
	return a->stop_after > 0 && a->n >= a->stop_after ? 42 : 0;
}

static void
all_free(struct all *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->json[i]);
	free(a->json);
	free(a->lines);
	memset(a, 0, sizeof(*a));
}

static void
test_batches(void **state)
{
	static const char *pubs[] = { "ed25519.pub", "rsa4096.pub",
		"ecdsa256.pub", "rsa1024.pub", "sk-ed25519.pub", "dsa.pub" };
	static const char *blocks[] = { "ed25519.rfc4716", "rsa4096.pem",
		"ecdsa384.pkcs8", "priv-openssh-rsa" };
	char *dir = tu_mkdtemp(), path[4096], *text[6], *block[4];
	struct expect *ex = calloc(4000, sizeof(*ex));
	size_t nex = 0;
	unsigned long line = 0;
	char *longline = malloc(70000);
	FILE *f;
	struct all a;

	(void)state;
	assert_non_null(ex);
	assert_non_null(longline);
	memset(longline, 'A', 70000);
	for (size_t i = 0; i < 6; i++)
		text[i] = fixture(pubs[i]);
	for (size_t i = 0; i < 4; i++) {
		char name[64];
		snprintf(name, sizeof(name), "paste/%s", blocks[i]);
		block[i] = tu_read_file(tu_data(name), NULL);
		assert_non_null(block[i]);
	}
	snprintf(path, sizeof(path), "%s/authorized_keys", dir);
	assert_non_null(f = fopen(path, "w"));
	for (unsigned i = 0; i < 3000; i++) {
		struct expect *e = &ex[nex];
		unsigned kind = (i * 7919u) % 23u;

		if (kind < 12) { /* a key line */
			const char *t = text[kind % 6];
			e->line = ++line;
			e->len = strlen(t) - 1; /* without its newline */
			e->text = strndup(t, e->len);
			fputs(t, f);
			nex++;
		} else if (kind < 15) { /* nothing to check */
			fputs(kind == 12 ? "# a comment\n" : "\n", f);
			line++;
		} else if (kind < 17) { /* a broken line */
			e->line = ++line;
			e->text = strdup("ssh-rsa AAAA!broken user@host");
			e->len = strlen(e->text);
			fprintf(f, "%s\n", e->text);
			nex++;
		} else if (kind < 22) { /* a block, over several lines */
			const char *t = block[kind % 4];
			e->line = line + 1;
			e->len = strlen(t);
			e->text = strdup(t);
			fputs(t, f);
			for (const char *c = t; *c != '\0'; c++)
				line += *c == '\n';
			nex++;
		} else if (i % 5 != 0) {
			/* a key seen before, under another type name: the
			 * memo of decoded keys must not let it through */
			const char *t = strchr(text[1], ' ') + 1;
			e->line = ++line;
			e->len = strlen("ssh-ed25519 ") + strlen(t) - 1;
			assert_non_null(e->text = malloc(e->len + 1));
			snprintf(e->text, e->len + 1, "ssh-ed25519 %s", t);
			fprintf(f, "%s\n", e->text);
			nex++;
		} else { /* a line too long to check */
			e->line = ++line;
			e->text = NULL;
			fwrite(longline, 1, 70000, f);
			fputc('\n', f);
			nex++;
		}
	}
	assert_int_equal(fclose(f), 0);

	memset(&a, 0, sizeof(a));
	assert_int_equal(vhkey_check_keys_file(path, NULL, 0, collect_all, &a,
			     NULL),
	    VHKEY_OK);
	assert_int_equal(a.n, nex);
	for (size_t i = 0; i < nex; i++) {
		vhkey_report *r = NULL;
		char *want;

		assert_int_equal(a.lines[i], ex[i].line);
		if (ex[i].text == NULL) {
			assert_non_null(strstr(a.json[i], "too_large"));
			continue;
		}
		assert_int_equal(vhkey_check_paste(ex[i].text, ex[i].len, NULL,
				     0, &r),
		    VHKEY_OK);
		assert_int_equal(vk_report_set_location(r, path, ex[i].line),
		    VHKEY_OK);
		assert_int_equal(vhkey_report_to_json(r, &want), VHKEY_OK);
		if (vhkey_report_repaired_line(r) != NULL) {
			/* a block, taken from a paste, which sshd does not
			 * read from a file: rejected, with the line to use */
			assert_non_null(strstr(a.json[i],
			    "\"verdict\":\"rejected\",\"reason\":\"malformed\""));
			assert_non_null(strstr(a.json[i],
			    "sshd will not read this block as written"));
			assert_non_null(strstr(a.json[i],
			    vhkey_report_repaired_line(r)));
		} else {
			assert_string_equal(a.json[i], want);
		}
		free(want);
		vhkey_report_free(r);
	}
	all_free(&a);

	/* the caller stops the check: nothing after, whatever was read */
	for (unsigned long stop = 1; stop < nex; stop += nex / 3) {
		memset(&a, 0, sizeof(a));
		a.stop_after = stop;
		assert_int_equal(vhkey_check_keys_file(path, NULL, 0,
				     collect_all, &a, NULL),
		    VHKEY_ERR_STOPPED);
		assert_int_equal(a.n, stop);
		all_free(&a);
	}

	for (size_t i = 0; i < nex; i++)
		free(ex[i].text);
	for (size_t i = 0; i < 6; i++)
		free(text[i]);
	for (size_t i = 0; i < 4; i++)
		free(block[i]);
	free(ex);
	free(longline);
	tu_rmtree(dir);
}

static vhkey_report *
paste_fd(const char *data, unsigned long times)
{
	struct writer w;
	vhkey_report *r = NULL;
	pthread_t t;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	w.fd = fds[1];
	w.line = data;
	w.times = times;
	assert_int_equal(pthread_create(&t, NULL, write_lines, &w), 0);
	assert_int_equal(vhkey_check_paste_fd(fds[0], NULL, 0, &r, NULL),
	    VHKEY_OK);
	/* what was not read is left unread: let the writer finish */
	{
		char sink[4096];
		while (read(fds[0], sink, sizeof(sink)) > 0)
			;
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	close(fds[0]);
	return r;
}

static void
test_paste_fd(void **state)
{
	char *ed = fixture("ed25519.pub");
	vhkey_report *r;
	vhkey_error err;

	(void)state;
	r = paste_fd(ed, 1);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	vhkey_report_free(r);
	/* two keys in one paste */
	r = paste_fd(ed, 2);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_MALFORMED);
	vhkey_report_free(r);
	/* megabytes: refused, not read */
	r = paste_fd(ed, 20000);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_TOO_LARGE);
	vhkey_report_free(r);
	/* a read that fails */
	r = (vhkey_report *)&r;
	assert_int_equal(vhkey_check_paste_fd(-1, NULL, 0, &r, &err),
	    VHKEY_ERR_IO);
	assert_null(r);
	assert_int_equal(err.sys_errno, EBADF);
	assert_int_equal(vhkey_check_paste_fd(0, NULL, 0, NULL, &err),
	    VHKEY_ERR_ARGUMENT);
	free(ed);
}

/*
 * A line of a file must work as sshd reads it: damage that a paste would
 * have repaired, and that sshd 9.2 does not read (checked with a login:
 * see lib/paste.c), rejects the line, with the repaired line to use; what
 * sshd reads is accepted.
 */
static void
test_as_written(void **state)
{
#define ED_TYPE "ssh-ed25519"
#define ED_DATA "AAAAC3NzaC1lZDI1NTE5AAAAIBHzUWz/RQRN5eWlbaYX66WVQZcRqOS7swVK15Z/l8an"
#define ED_LINE ED_TYPE " " ED_DATA " bob@desk"
	static const struct {
		const char *text;
		int reason;	   /* VHKEY_REASON_NONE: accepted */
		int as_written;
		const char *words; /* in the message */
	} cases[] = {
		{ ED_LINE "\n", VHKEY_REASON_NONE, 1, NULL },
		{ ED_LINE "\r\n", VHKEY_REASON_NONE, 1, NULL },
		{ " \t" ED_TYPE "\t" ED_DATA "\tbob@desk \n", VHKEY_REASON_NONE,
		    1, NULL },
		{ ED_TYPE " " ED_DATA " bob\xc2\xa0" "desk\n", VHKEY_REASON_NONE,
		    1, NULL },
		{ ED_TYPE " " ED_DATA " bob\xe2\x80\x8b" "desk\n",
		    VHKEY_REASON_NONE, 1, NULL },
		{ ED_TYPE "\xc2\xa0" ED_DATA " bob@desk\n", VHKEY_REASON_MALFORMED,
		    0, "non-breaking space" },
		{ ED_TYPE " " ED_DATA "\xe2\x80\xaf" "bob@desk\n",
		    VHKEY_REASON_MALFORMED, 0, "non-breaking space" },
		{ ED_TYPE " AAAAC3NzaC1lZDI1NTE5\xe2\x80\x8b"
		  "AAAAIBHzUWz/RQRN5eWlbaYX66WVQZcRqOS7swVK15Z/l8an bob@desk\n",
		    VHKEY_REASON_MALFORMED, 0, "zero-width" },
		{ ED_TYPE " " ED_DATA "\rbob@desk\n", VHKEY_REASON_MALFORMED, 0,
		    "carriage return" },
		{ "\xef\xbb\xbf" ED_LINE "\n", VHKEY_REASON_MALFORMED, 0,
		    "byte order mark" },
		{ "no-pty,command=\"a b\" " ED_TYPE "\xc2\xa0" ED_DATA " bob@desk\n",
		    VHKEY_REASON_MALFORMED, 0,
		    "the repaired line is: no-pty,command=\\\"a b\\\" " ED_LINE },
		/* options sshd does not take: no repaired line to offer */
		{ "expiry-time=20991231 " ED_LINE "\n", VHKEY_REASON_MALFORMED, 0,
		    "not in double quotes" },
		{ "permitopen=\"localhost\" " ED_LINE "\n",
		    VHKEY_REASON_MALFORMED, 0, "permitopen with a value" },
		{ "cert-authority " ED_LINE "\n", VHKEY_REASON_MALFORMED, 0,
		    "certificate authority" },
		{ "from=\"a\",from=\"b\" " ED_LINE "\n", VHKEY_REASON_MALFORMED,
		    0, "twice" },
		{ "no-pty=\"x\" " ED_LINE "\n", VHKEY_REASON_MALFORMED, 0,
		    "a value it does not take" },
		{ "restrict,from=\"10.0.0.1\",permitopen=\"[::1]:22\","
		  "permitlisten=\"*\",environment=\"A_1=b c\",tunnel=\"1\","
		  "expiry-time=\"20991231Z\",command=\"x\" " ED_LINE "\n",
		    VHKEY_REASON_NONE, 1, NULL },
	};
	char *dir = tu_mkdtemp(), path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/authorized_keys", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct collect c;
		char want[512];

		assert_int_equal(tu_write_file(path, cases[i].text,
				     strlen(cases[i].text), 0600),
		    0);
		memset(&c, 0, sizeof(c));
		assert_int_equal(check_file(path, &c, NULL), VHKEY_OK);
		assert_int_equal(c.n, 1);
		if (c.items[0].reason != cases[i].reason)
			fail_msg("case %zu: %s", i, c.items[0].json);
		snprintf(want, sizeof(want), "\"as_written\":%s",
		    cases[i].as_written ? "true" : "false");
		assert_non_null(strstr(c.items[0].json, want));
		if (cases[i].reason != VHKEY_REASON_NONE)
			assert_non_null(strstr(c.items[0].json,
			    "sshd will not read this line as written: "));
		if (cases[i].words != NULL &&
		    strstr(c.items[0].json, cases[i].words) == NULL)
			fail_msg("case %zu: '%s' not in %s", i, cases[i].words,
			    c.items[0].json);
		collect_free(&c);
	}
	tu_rmtree(dir);
#undef ED_TYPE
#undef ED_DATA
#undef ED_LINE
}

/*
 * Devices are never read: /dev/zero (or a link to it) would be read for
 * ever.  A paste too long to read says its size when the file knows it.
 */
static void
test_devices_and_sizes(void **state)
{
	char *dir = tu_mkdtemp(), path[4096], *big;
	struct collect c;
	vhkey_report *r = NULL;
	vhkey_error err;
	int fd;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(check_file("/dev/zero", &c, &err),
	    VHKEY_ERR_NOT_REGULAR);
	snprintf(path, sizeof(path), "%s/zero", dir);
	assert_int_equal(symlink("/dev/zero", path), 0);
	assert_int_equal(check_file(path, &c, &err), VHKEY_ERR_NOT_REGULAR);
	assert_int_equal(c.n, 0);

	assert_true((fd = open("/dev/zero", O_RDONLY)) >= 0);
	assert_int_equal(vhkey_check_paste_fd(fd, NULL, 0, &r, NULL),
	    VHKEY_ERR_NOT_REGULAR);
	assert_null(r);
	close(fd);
	/* /dev/null is nothing pasted, not a refusal */
	assert_true((fd = open("/dev/null", O_RDONLY)) >= 0);
	assert_int_equal(vhkey_check_paste_fd(fd, NULL, 0, &r, NULL), VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_MALFORMED);
	vhkey_report_free(r);
	close(fd);

	snprintf(path, sizeof(path), "%s/big", dir);
	assert_non_null(big = malloc(300000));
	memset(big, 'A', 300000);
	assert_int_equal(tu_write_file(path, big, 300000, 0600), 0);
	free(big);
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	assert_int_equal(vhkey_check_paste_fd(fd, NULL, 0, &r, NULL), VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_TOO_LARGE);
	assert_non_null(strstr(vhkey_report_message(r),
	    "The text is 300000 bytes long"));
	vhkey_report_free(r);
	close(fd);
	r = paste_fd("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", 10000);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_TOO_LARGE);
	assert_non_null(strstr(vhkey_report_message(r),
	    "The text is more than 65536 bytes long"));
	vhkey_report_free(r);
	tu_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authorized_keys),
		cmocka_unit_test(test_whole_files),
		cmocka_unit_test(test_private_material),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_paste_fd),
		cmocka_unit_test(test_as_written),
		cmocka_unit_test(test_devices_and_sizes),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
