/*
 * test_paste.c - vhkey_check_paste() on what people paste: every format it
 * accepts (fixtures made by ssh-keygen, puttygen and openssl; see
 * tests/data/paste/generate.sh), the paste damage it repairs, and every
 * rejection, with fingerprints compared to ssh-keygen -l's saved output.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "check.h"
#include "fuzzutil.h"
#include "testutil.h"

/* The repairs, word for word. */
#define FIX_BOM "Removed the byte order mark (U+FEFF) at the start."
#define FIX_CRLF "Converted Windows line ends (CR LF) to plain ones."
#define FIX_OUTER "Removed white space before and after the key."
#define FIX_TABS "Replaced tabs between the fields with spaces."
#define FIX_NBSP "Replaced non-breaking spaces (U+00A0) with ordinary spaces."
#define FIX_ZW "Removed invisible zero-width characters (such as U+200B)."
#define FIX_SPACES "Removed spaces inside the key data."
#define FIX_COMMENT "Joined the comment, which went on over more than one line."
#define FIX_ESCAPED                                                        \
	"The comment holds control characters, which a terminal acts on "  \
	"wherever the key is listed: they are written as \\ooo escapes in " \
	"the key kept. To keep the comment as you meant it, take them out " \
	"and paste the key again."

/* ------------------------------------------------------------- helpers */

static char *
fixture(const char *name, size_t *len)
{
	char path[256], *text;

	snprintf(path, sizeof(path), "paste/%s", name);
	text = tu_read_file(tu_data(path), len);
	assert_non_null(text);
	return text;
}

/* What ssh-keygen -l printed for a fixture: bits, fingerprint, comment
 * ("" for its "no comment"), and the type label. */
struct saved {
	unsigned bits;
	char fp[VHKEY_FINGERPRINT_MAX];
	char md5[VHKEY_FINGERPRINT_MAX];
	char comment[256];
	char label[16];
};

static void
parse_saved(const char *text, unsigned *bits, char *fp, char *comment,
    char *label)
{
	const char *sp1 = strchr(text, ' '), *sp2, *lp;

	assert_non_null(sp1);
	*bits = (unsigned)strtoul(text, NULL, 10);
	sp2 = strchr(sp1 + 1, ' ');
	snprintf(fp, VHKEY_FINGERPRINT_MAX, "%.*s", (int)(sp2 - sp1 - 1),
	    sp1 + 1);
	lp = strrchr(text, '(');
	snprintf(comment, 256, "%.*s", (int)(lp - sp2 - 2), sp2 + 1);
	if (strcmp(comment, "no comment") == 0)
		comment[0] = '\0';
	snprintf(label, 16, "%.*s", (int)strcspn(lp + 1, ")"), lp + 1);
}

static void
saved(const char *name, struct saved *s)
{
	char file[128], *text, dummy[256], lab[16];
	unsigned bits;

	snprintf(file, sizeof(file), "%s.sha256", name);
	text = fixture(file, NULL);
	parse_saved(text, &s->bits, s->fp, s->comment, s->label);
	free(text);
	snprintf(file, sizeof(file), "%s.md5", name);
	text = fixture(file, NULL);
	parse_saved(text, &bits, s->md5, dummy, lab);
	free(text);
}

static vhkey_report *
check_with(const void *text, size_t len, const vhkey_policy *policy)
{
	vhkey_report *r = (vhkey_report *)&r;

	assert_int_equal(vhkey_check_paste(text, len, policy, 0, &r),
	    VHKEY_OK);
	assert_non_null(r);
	return r;
}

static vhkey_report *
check(const void *text, size_t len)
{
	return check_with(text, len, NULL);
}

static int
has_repair(const vhkey_report *r, const char *text)
{
	for (size_t i = 0; i < vhkey_report_repair_count(r); i++)
		if (strcmp(vhkey_report_repair(r, i), text) == 0)
			return 1;
	return 0;
}

/* The report accepts the key a fixture saved. */
static void
assert_key(const vhkey_report *r, const struct saved *s, const char *comment)
{
	const vhkey *k = vhkey_report_key(r);
	char fp[VHKEY_FINGERPRINT_MAX];

	if (vhkey_report_verdict(r) != VHKEY_ACCEPTED)
		fail_msg("rejected: %s", vhkey_report_message(r));
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_NONE);
	assert_non_null(k);
	assert_false(vhkey_has_private(k));
	assert_int_equal(vhkey_get_bits(k), s->bits);
	assert_string_equal(vhkey_type_label(vhkey_get_type(k)), s->label);
	assert_int_equal(vhkey_fingerprint(k, VHKEY_HASH_SHA256, fp,
			     sizeof(fp)),
	    VHKEY_OK);
	assert_string_equal(fp, s->fp);
	assert_int_equal(vhkey_fingerprint(k, VHKEY_HASH_MD5, fp, sizeof(fp)),
	    VHKEY_OK);
	assert_string_equal(fp, s->md5);
	assert_string_equal(vhkey_get_comment(k), comment ? comment : s->comment);
	assert_non_null(strstr(vhkey_report_message(r), s->fp));
}

/* Accepted as the named fixture's key, with exactly these repairs. */
static void
accepts(const char *text, size_t len, const char *name, const char *comment,
    const char **repairs)
{
	vhkey_report *r = check(text, len);
	struct saved s;
	size_t n = 0;

	saved(name, &s);
	assert_key(r, &s, comment);
	for (; repairs != NULL && repairs[n] != NULL; n++)
		if (!has_repair(r, repairs[n]))
			fail_msg("no repair '%s' (%zu repairs, first '%s')",
			    repairs[n], vhkey_report_repair_count(r),
			    vhkey_report_repair(r, 0) ?
				vhkey_report_repair(r, 0) :
				"");
	assert_int_equal(vhkey_report_repair_count(r), n);
	vhkey_report_free(r);
}

/* Rejected for reason, with every word of words in the message. */
static vhkey_report *
rejects(const char *text, size_t len, int reason, const char *words)
{
	vhkey_report *r = check(text, len);
	char *json;

	if (vhkey_report_verdict(r) != VHKEY_REJECTED)
		fail_msg("accepted: %.60s", text);
	if (vhkey_report_reason(r) != reason)
		fail_msg("reason %s, not %s: %s",
		    vhkey_reason_name(vhkey_report_reason(r)),
		    vhkey_reason_name(reason), vhkey_report_message(r));
	if (words != NULL && strstr(vhkey_report_message(r), words) == NULL)
		fail_msg("'%s' not in: %s", words, vhkey_report_message(r));
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_non_null(strstr(json, "\"verdict\":\"rejected\""));
	free(json);
	return r;
}

static void
rejects_str(const char *text, int reason, const char *words)
{
	vhkey_report_free(rejects(text, strlen(text), reason, words));
}

/* The line of a .pub fixture without its newline, and its parts. */
struct line {
	char *text;
	char *type, *b64, *comment; /* copies */
};

static void
line_of(const char *name, struct line *l)
{
	char file[128], *t, *sp1, *sp2;

	snprintf(file, sizeof(file), "%s.pub", name);
	t = fixture(file, NULL);
	t[strcspn(t, "\n")] = '\0';
	l->text = t;
	sp1 = strchr(t, ' ');
	sp2 = strchr(sp1 + 1, ' ');
	l->type = strndup(t, (size_t)(sp1 - t));
	l->b64 = sp2 ? strndup(sp1 + 1, (size_t)(sp2 - sp1 - 1)) :
		       strdup(sp1 + 1);
	l->comment = strdup(sp2 ? sp2 + 1 : "");
}

static void
line_free(struct line *l)
{
	free(l->text);
	free(l->type);
	free(l->b64);
	free(l->comment);
}

static char *
cat(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
cat(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	assert_true(vasprintf(&s, fmt, ap) >= 0);
	va_end(ap);
	return s;
}

/* The lines between an armor's BEGIN line and its -----END line. */
static char *
armor_body(const char *text)
{
	const char *b = strchr(text, '\n') + 1;

	return strndup(b, (size_t)(strstr(b, "-----END") - b));
}

/* s with sep inserted every width characters. */
static char *
wrap(const char *s, size_t width, const char *sep)
{
	size_t n = strlen(s), k = strlen(sep);
	char *out = malloc(n + (n / width + 1) * k + 1), *p = out;

	for (size_t i = 0; i < n; i += width) {
		size_t m = n - i < width ? n - i : width;
		if (i > 0) {
			memcpy(p, sep, k);
			p += k;
		}
		memcpy(p, s + i, m);
		p += m;
	}
	*p = '\0';
	return out;
}

/* ---------------------------------------------------- what is accepted */

static const char *pub_fixtures[] = { "rsa4096", "ed25519", "ecdsa256",
	"ecdsa384", "ecdsa521", "sk-ed25519", "sk-ecdsa256", "rsa2048-putty" };

static void
test_public_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pub_fixtures) / sizeof(pub_fixtures[0]);
	     i++) {
		char file[64], *text, *json, *want;
		size_t len;
		vhkey_report *r;
		struct line l;
		struct saved s;

		snprintf(file, sizeof(file), "%s.pub", pub_fixtures[i]);
		text = fixture(file, &len);
		accepts(text, len, pub_fixtures[i], NULL, NULL);
		/* the normalised line is the file's line */
		r = check(text, len);
		saved(pub_fixtures[i], &s);
		line_of(pub_fixtures[i], &l);
		assert_int_equal(vhkey_report_warning_count(r), 0);
		assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
		want = cat("\"key\":\"%s %s%s%s\"", l.type, l.b64,
		    l.comment[0] ? " " : "", l.comment);
		if (strstr(json, want) == NULL)
			fail_msg("%s not in %s", want, json);
		free(want);
		free(json);
		vhkey_report_free(r);
		/* no newline, no comment */
		accepts(l.text, strlen(l.text), pub_fixtures[i], NULL, NULL);
		want = cat("%s %s", l.type, l.b64);
		accepts(want, strlen(want), pub_fixtures[i], "", NULL);
		free(want);
		line_free(&l);
		free(text);
	}
}

static void
test_exact_json(void **state)
{
	struct line l;
	struct saved s;
	char *text, *json, *want;
	vhkey_report *r;

	(void)state;
	line_of("ed25519", &l);
	saved("ed25519", &s);
	text = cat("%s\t%s\t%s\r\n", l.type, l.b64, l.comment);
	r = check(text, strlen(text));
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	want = cat("{\"verdict\":\"accepted\",\"reason\":null,"
		   "\"type\":\"ssh-ed25519\",\"bits\":256,"
		   "\"fingerprint\":\"%s\",\"fingerprint_md5\":\"%s\","
		   "\"comment\":\"%s\",\"key\":\"%s\","
		   "\"message\":\"Accepted: 256-bit ED25519 key %s (%s).\","
		   "\"warnings\":[],"
		   "\"repairs\":[\"%s\",\"%s\"],\"as_written\":true,"
		   "\"encrypted\":null,"
		   "\"rotation\":null,\"age_days\":null,\"created\":null,"
		   "\"due\":null,\"created_estimated\":false,"
		   "\"findings\":[]}",
	    s.fp, s.md5, s.comment, l.text, s.fp, s.comment, FIX_CRLF,
	    FIX_TABS);
	assert_string_equal(json, want);
	free(want);
	free(json);
	free(text);
	vhkey_report_free(r);
	line_free(&l);
}

/* Found by fuzz_paste: an RFC 4716 block whose Comment header holds what a
 * key line would read as a second key.  Accepted, its normalised line was
 * then refused; now both are refused alike. */
static void
test_comment_holding_a_key(void **state)
{
	size_t len;
	char *text = fixture("regress-comment-holds-key", &len);

	(void)state;
	vhkey_report_free(rejects(text, len, VHKEY_REASON_MALFORMED,
	    "comment of the key holds what looks like another key"));
	free(text);
}

static void
test_rfc4716(void **state)
{
	static const char *names[] = { "rsa4096", "ed25519", "ecdsa256",
		"ecdsa384", "ecdsa521" };
	struct saved s;
	struct line l;
	char *text, *body, *comment;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char file[64], want[128];
		snprintf(file, sizeof(file), "%s.rfc4716", names[i]);
		text = fixture(file, &len);
		saved(names[i], &s);
		/* ssh-keygen -e writes this comment, quoted */
		snprintf(want, sizeof(want), "%u-bit %s, converted by ",
		    s.bits, s.label);
		comment = strstr(text, "Comment: \"") + 10;
		*strchr(comment, '"') = '\0';
		assert_memory_equal(comment, want, strlen(want));
		comment = strdup(comment);
		free(text);
		text = fixture(file, &len);
		accepts(text, len, names[i], comment, NULL);
		free(comment);
		free(text);
	}
	/* PuTTYgen's public export */
	text = fixture("rsa2048-putty.rfc4716", &len);
	accepts(text, len, "rsa2048-putty", "dave@putty", NULL);
	free(text);

	/* headers continued with a backslash, unknown headers, CR LF, an
	 * unquoted comment, the body wrapped at 40 and with a space */
	line_of("ed25519", &l);
	body = wrap(l.b64, 40, "\r\n");
	text = cat("---- BEGIN SSH2 PUBLIC KEY ----\r\n"
		   "Subject: alice\r\n"
		   "x-custom: one \\\r\ntwo\r\n"
		   "Comment: a comment \\\r\ngoing on\r\n"
		   "%s\r\n"
		   "---- END SSH2 PUBLIC KEY ----\r\n",
	    body);
	accepts(text, strlen(text), "ed25519", "a comment going on",
	    (const char *[]){ FIX_CRLF, NULL });
	free(text);
	/* blanks after the backslash: still a continuation, and no line
	 * break left in the comment (it was, and the check failed) */
	text = cat("---- BEGIN SSH2 PUBLIC KEY ----\n"
		   "Comment: \"first part \\  \n second part\"\n"
		   "%s\n"
		   "---- END SSH2 PUBLIC KEY ----\n",
	    l.b64);
	accepts(text, strlen(text), "ed25519", "first part  second part",
	    NULL);
	free(text);
	text = cat("---- BEGIN SSH2 PUBLIC KEY ----\n%.20s %s\n"
		   "---- END SSH2 PUBLIC KEY ----",
	    l.b64, l.b64 + 20);
	accepts(text, strlen(text), "ed25519", "",
	    (const char *[]){ FIX_SPACES, NULL });
	free(text);
	free(body);
	line_free(&l);
}

static void
test_pem(void **state)
{
	static const char *names[] = { "rsa4096", "ecdsa256", "ecdsa384",
		"ecdsa521", "ed25519" };
	char *text;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char file[64];
		snprintf(file, sizeof(file), "%s.pkcs8", names[i]);
		text = fixture(file, &len);
		accepts(text, len, names[i], "", NULL);
		free(text);
	}
	text = fixture("rsa4096.pem", &len);
	accepts(text, len, "rsa4096", "", NULL);
	/* and damaged: CR LF, indented */
	{
		char *crlf = wrap(text, 1000000, ""), *p, *q;
		char *out = malloc(2 * len + 8);
		for (p = crlf, q = out; *p; p++) {
			if (*p == '\n')
				*q++ = '\r';
			*q++ = *p;
		}
		*q = '\0';
		accepts(out, strlen(out), "rsa4096", "",
		    (const char *[]){ FIX_CRLF, NULL });
		free(out);
		free(crlf);
	}
	free(text);
}

static void
test_options(void **state)
{
	struct line l;
	vhkey_report *r;
	char *text;

	(void)state;
	line_of("rsa4096", &l);
	text = cat("no-pty,command=\"echo \\\"hi there\\\"\",from=\"10.0.0.1\" "
		   "%s",
	    l.text);
	accepts(text, strlen(text), "rsa4096", NULL, NULL);
	r = check(text, strlen(text));
	assert_int_equal(vhkey_report_warning_count(r), 1);
	assert_string_equal(vhkey_report_warning(r, 0),
	    "Dropped the authorized_keys options in front of the key (no-pty, "
	    "command=..., from=...): the key is taken without them.");
	vhkey_report_free(r);
	free(text);
	text = cat("restrict\t%s", l.text);
	accepts(text, strlen(text), "rsa4096", NULL,
	    (const char *[]){ FIX_TABS, NULL });
	free(text);
	/* not options: an unterminated quote, an unknown name */
	text = cat("command=\"echo %s", l.text);
	rejects_str(text, VHKEY_REASON_MALFORMED, NULL);
	free(text);
	text = cat("bogus=1 %s", l.text);
	rejects_str(text, VHKEY_REASON_MALFORMED,
	    "Something that is not part of the key comes before it");
	free(text);
	line_free(&l);
}

/* Paste damage, repaired: the fingerprint is ssh-keygen's of the key. */
static void
damage(const char *name)
{
	struct line l;
	char *text, *w;
	const char *c;

	line_of(name, &l);
	c = l.comment;
#define R(...) ((const char *[]){ __VA_ARGS__, NULL })
#define CASE_C(comment, repairs, ...)                                \
	do {                                                         \
		text = cat(__VA_ARGS__);                             \
		accepts(text, strlen(text), name, comment, repairs); \
		free(text);                                          \
	} while (0)
#define CASE(repairs, ...) CASE_C(NULL, repairs, __VA_ARGS__)
	CASE(R(FIX_CRLF), "%s\r\n", l.text);
	CASE(R(FIX_BOM), "\xef\xbb\xbf%s\n", l.text);
	CASE(R(FIX_OUTER), "\n\n   %s   \n\n", l.text);
	CASE(R(FIX_OUTER), "\t%s", l.text);
	if (c[0] != '\0') {
		CASE(R(FIX_TABS), "%s\t%s\t\t%s", l.type, l.b64, c);
		CASE(R(FIX_NBSP), "%s\xc2\xa0%s\xc2\xa0%s", l.type, l.b64, c);
	}
	CASE_C("", R(FIX_TABS), "%s\t%s", l.type, l.b64);
	CASE_C("", R(FIX_NBSP), "%s\xc2\xa0%s", l.type, l.b64);
	CASE(R(FIX_ZW), "%s %.30s\xe2\x80\x8b%s %s", l.type, l.b64,
	    l.b64 + 30, c);
	CASE(R(FIX_ZW), "\xe2\x80\x8b%s \xef\xbb\xbf%s%s%s", l.type, l.b64,
	    c[0] ? " " : "", c);
	/* base64 broken by spaces */
	w = wrap(l.b64, 20, " ");
	CASE(R(FIX_SPACES), "%s %s %s", l.type, w, c);
	free(w);
	/* wrapped by a terminal or a mail client, at the usual widths */
	for (size_t width = 60; width <= 80; width += 4) {
		char buf[80], *full = cat("%s %s%s%s", l.type, l.b64,
				  c[0] ? " " : "", c);
		size_t lines = (strlen(full) + width - 1) / width;
		vhkey_report *r;
		w = wrap(full, width, "\n");
		r = check(w, strlen(w));
		if (vhkey_report_verdict(r) != VHKEY_ACCEPTED)
			fail_msg("%s wrapped at %zu: %s", name, width,
			    vhkey_report_message(r));
		snprintf(buf, sizeof(buf),
		    "Joined the key data, which was broken across %zu lines.",
		    lines);
		/* a comment cut in two is joined with a space */
		if (lines > 1 && !has_repair(r, buf) &&
		    !has_repair(r, FIX_COMMENT))
			fail_msg("%s: no '%s'", name, buf);
		vhkey_report_free(r);
		free(w);
		/* broken only inside the base64 */
		w = wrap(l.b64, width, "\n");
		text = cat("%s %s %s", l.type, w, c);
		lines = (strlen(l.b64) + width - 1) / width;
		snprintf(buf, sizeof(buf),
		    "Joined the key data, which was broken across %zu lines.",
		    lines);
		accepts(text, strlen(text), name, NULL,
		    lines > 1 ? R(buf) : NULL);
		free(text);
		free(w);
		free(full);
	}
	/* everything at once */
	{
		char buf[80];
		snprintf(buf, sizeof(buf),
		    "Joined the key data, which was broken across %zu lines.",
		    (strlen(l.b64) + 63) / 64);
		w = wrap(l.b64, 64, "\r\n");
		CASE_C("", R(FIX_BOM, FIX_CRLF, FIX_OUTER, FIX_TABS, FIX_NBSP,
			       FIX_ZW, buf),
		    "\xef\xbb\xbf \r\n%s\xc2\xa0\t%s\xe2\x80\x8b\t\r\n\r\n",
		    l.type, w);
		free(w);
	}
#undef CASE
#undef CASE_C
#undef R
	line_free(&l);
}

static void
test_damage(void **state)
{
	(void)state;
	damage("rsa4096");
	damage("ed25519");
	damage("ecdsa521"); /* no comment */
	damage("sk-ecdsa256");
}

/* A comment cut by a wrapping terminal goes on, on the next line. */
static void
test_comment_lines(void **state)
{
	struct line l;
	char *text;

	(void)state;
	line_of("ed25519", &l);
	text = cat("%s %s\n%s", l.type, l.b64, l.comment);
	accepts(text, strlen(text), "ed25519", NULL,
	    (const char *[]){ FIX_COMMENT, NULL });
	free(text);
	text = cat("%s %.40s\n%s bob\n@desk", l.type, l.b64, l.b64 + 40);
	accepts(text, strlen(text), "ed25519", "bob @desk",
	    (const char *[]){
		"Joined the key data, which was broken across 2 lines.",
		FIX_COMMENT, NULL });
	free(text);
	line_free(&l);
}

/*
 * A comment with control characters: sshd takes the key (it logs in with
 * ESC, BEL, C1 or a bidirectional override in the comment), so the key is
 * accepted, but with the comment escaped everywhere the report shows it.
 */
static void
test_comment_controls(void **state)
{
	static const char *raw[] = { "\x1b", "\x07", "\x7f", "\x9b",
		"\xc2\x9b", "\xe2\x80\xae", "\xe2\x80\xa8", "\xff" };
	static const char *shown[] = { "\\033", "\\007", "\\177", "\\233",
		"\\302\\233", "\\342\\200\\256", "\\342\\200\\250",
		"\\377" };
	struct line l;
	char *text, *want, *json;
	vhkey_report *r;

	(void)state;
	line_of("ed25519", &l);
	for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		text = cat("%s %s a%s[31mb", l.type, l.b64, raw[i]);
		want = cat("a%s[31mb", shown[i]);
		accepts(text, strlen(text), "ed25519", want,
		    (const char *[]){ FIX_ESCAPED, NULL });
		r = check(text, strlen(text));
		assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
		assert_int_equal(vk_escape_needed(json, strlen(json)), 0);
		assert_int_equal(vk_escape_needed(r->key_line,
				     strlen(r->key_line)), 0);
		assert_non_null(strstr(vhkey_report_message(r), want));
		free(json);
		vhkey_report_free(r);
		free(want);
		free(text);
	}
	/* in the key data it is binary data, as a NUL anywhere is */
	text = cat("%s %.20s\x1b%s c", l.type, l.b64, l.b64 + 20);
	rejects_str(text, VHKEY_REASON_MALFORMED, "binary data");
	free(text);
	text = cat("%s %s a", l.type, l.b64);
	text[strlen(text) - 1] = '\0';
	vhkey_report_free(rejects(text, strlen(text) + 1,
	    VHKEY_REASON_MALFORMED, "NUL"));
	free(text);
	line_free(&l);
}

/* ---------------------------------------------------- private keys */

static const char *private_fixtures[] = { "priv-openssh-rsa",
	"priv-openssh-ed25519", "priv-openssh-encrypted",
	"priv-openssh-body", "priv-pem-rsa", "priv-pem-rsa-encrypted",
	"priv-pem-ec", "priv-pkcs8", "priv-pkcs8-encrypted",
	"priv-openssl-pkcs8-encrypted", "priv-openssl-ec", "priv-openssl-dsa",
	"priv-ppk2.ppk", "priv-ppk3.ppk", "priv-ppk3-encrypted.ppk",
	"priv-sshcom", "priv-sshcom-encrypted", "priv-putty-openssh",
	"priv-ssh1", "priv-with-public" };

/* The format each is named as. */
static const char *private_formats[] = { "an OpenSSH private key",
	"an OpenSSH private key", "an OpenSSH private key",
	"the inside of an OpenSSH private key",
	"a PEM RSA private key", "a passphrase-protected PEM private key",
	"a PEM EC private key", "a PKCS#8 private key",
	"a passphrase-protected PKCS#8 private key",
	"a passphrase-protected PKCS#8 private key", "a PEM EC private key",
	"a PEM DSA private key", "a PuTTY private key",
	"a PuTTY private key", "a PuTTY private key",
	"an ssh.com (SSH2) private key", "an ssh.com (SSH2) private key",
	"a PEM RSA private key", "an SSH-1 private key",
	"an OpenSSH private key" };

/* Does one of the 16-byte runs of secret stand in out? */
static void
assert_no_run(const char *out, const char *secret, size_t len)
{
	for (size_t i = 0; i + 16 <= len; i++)
		if (memmem(out, strlen(out), secret + i, 16) != NULL)
			fail_msg("leaked at %zu: %.16s", i, secret + i);
}

/* No 16 bytes in a row of the private key text, nor of its base64 with
 * the line breaks taken out, appear in what the report says: message,
 * warnings, repairs, JSON (which holds the comment and the key line). */
static void
assert_no_leak(const vhkey_report *r, const char *secret, size_t len)
{
	char *json, *joined = malloc(len + 1);
	const char *outs[64];
	size_t n = 0, j = 0;

	for (size_t i = 0; i < len; i++)
		if (secret[i] != '\n' && secret[i] != '\r')
			joined[j++] = secret[i];
	joined[j] = '\0';
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	outs[n++] = vhkey_report_message(r);
	outs[n++] = json;
	for (size_t i = 0; i < vhkey_report_warning_count(r) && n < 63; i++)
		outs[n++] = vhkey_report_warning(r, i);
	for (size_t i = 0; i < vhkey_report_repair_count(r) && n < 64; i++)
		outs[n++] = vhkey_report_repair(r, i);
	for (size_t k = 0; k < n; k++) {
		assert_no_run(outs[k], secret, len);
		assert_no_run(outs[k], joined, j);
	}
	free(joined);
	free(json);
}

static void
private_rejected(const char *text, size_t len, const char *format,
    const char *secret, size_t secretlen)
{
	vhkey_report *r = rejects(text, len, VHKEY_REASON_PRIVATE_KEY, format);
	const char *msg = vhkey_report_message(r);
	char *json;

	/* says what it is, what to paste instead, and that it is exposed */
	assert_non_null(strstr(msg, "private key"));
	assert_non_null(strstr(msg, ".pub"));
	assert_non_null(strstr(msg, "treat it as exposed"));
	assert_non_null(strstr(msg, "new key pair"));
	assert_null(vhkey_report_key(r));
	assert_int_equal(vhkey_report_repair_count(r), 0);
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_non_null(strstr(json, "\"reason\":\"private_key\",\"type\":null,"
				     "\"bits\":null,\"fingerprint\":null,"
				     "\"fingerprint_md5\":null,\"comment\":null,"
				     "\"key\":null,"));
	free(json);
	assert_no_leak(r, secret, secretlen);
	vhkey_report_free(r);
}

static void
test_private_keys(void **state)
{
	(void)state;
	for (size_t i = 0;
	     i < sizeof(private_fixtures) / sizeof(private_fixtures[0]); i++) {
		size_t len;
		char *text = fixture(private_fixtures[i], &len), *damaged;

		private_rejected(text, len, private_formats[i], text, len);
		/* damaged in the ways the public keys are */
		damaged = wrap(text, 1, "");
		for (char *p = damaged; *p; p++)
			if (*p == '\n')
				*p = '\r';
		private_rejected(damaged, strlen(damaged), NULL, text, len);
		free(damaged);
		damaged = cat("\xef\xbb\xbf  \n%s\n\n", text);
		private_rejected(damaged, strlen(damaged), NULL, text, len);
		free(damaged);
		free(text);
	}
}

static void
test_private_disguised(void **state)
{
	size_t len;
	char *text = fixture("priv-openssh-ed25519", &len), *body, *t;
	struct line l;

	(void)state;
	/* the armor broken by a non-breaking space or a zero-width one */
	t = cat("-----BEGIN\xc2\xa0OPENSSH PRIVATE KEY-----\n%s",
	    strchr(text, '\n') + 1);
	private_rejected(t, strlen(t), NULL, text, len);
	free(t);
	/* the body alone, broken by spaces and joined to one line */
	body = armor_body(text);
	for (char *p = body; *p; p++)
		if (*p == '\n')
			*p = ' ';
	t = cat("b3Blbn Nza%s", body + 9);
	private_rejected(t, strlen(t), "the inside of an OpenSSH", text, len);
	free(t);
	/* behind a key type name */
	t = cat("ssh-ed25519 b3Blb\xe2\x80\x8bnNza%s", body + 9);
	for (char *p = t + 12; *p; p++)
		if (*p == ' ')
			*p = '\n';
	private_rejected(t, strlen(t), "OpenSSH", text, len);
	free(t);
	/* a public line first, then the private key */
	line_of("ed25519", &l);
	t = cat("%s\n%s", l.text, text);
	private_rejected(t, strlen(t), "an OpenSSH private key", text, len);
	free(t);
	line_free(&l);
	free(body);
	free(text);
	/* the inside of a PEM private key, without its armor */
	for (int i = 0; i < 2; i++) {
		text = fixture(i ? "priv-pkcs8-encrypted" : "priv-pem-rsa",
		    &len);
		body = armor_body(text);
		private_rejected(body, strlen(body),
		    "the inside of a PEM private key", text, len);
		free(body);
		free(text);
	}
}

/* ------------------------------------- private key material, disguised */

/* The armored private key fixtures: a BEGIN line, a body, an END line. */
static const char *armored_fixtures[] = { "priv-openssh-rsa",
	"priv-openssh-ed25519", "priv-openssh-encrypted", "priv-pem-rsa",
	"priv-pem-rsa-encrypted", "priv-pem-ec", "priv-pkcs8",
	"priv-pkcs8-encrypted", "priv-openssl-pkcs8-encrypted",
	"priv-openssl-ec", "priv-openssl-dsa", "priv-putty-openssh" };

/* A fixture's lines, without their line ends; NULL after the last. */
static char **
lines_of(const char *text, size_t *n)
{
	char **v = calloc(strlen(text) + 2, sizeof(*v));
	const char *p = text;

	*n = 0;
	while (*p != '\0') {
		size_t k = strcspn(p, "\n");
		v[(*n)++] = strndup(p, k);
		p += k + (p[k] == '\n');
	}
	return v;
}

static void
lines_free(char **v)
{
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* lines [from, to) of v, each after sep but the first. */
static char *
join(char **v, size_t from, size_t to, const char *sep)
{
	size_t n = 1;
	char *s, *p;

	for (size_t i = from; i < to; i++)
		n += strlen(v[i]) + strlen(sep);
	p = s = malloc(n);
	*p = '\0';
	for (size_t i = from; i < to; i++)
		p += sprintf(p, "%s%s", i > from ? sep : "", v[i]);
	return s;
}

/*
 * A public key line, with or without its comment, and then the private
 * key: with or without its BEGIN line, with or without its END line, its
 * lines on lines of their own, joined by spaces or by nothing, and the
 * body without its first line (ssh-keygen wraps at 70 columns: what
 * follows starts in the middle of a base64 quantum).
 */
static void
test_private_after_public(void **state)
{
	static const char *seps[] = { "\n", " ", "" };
	static const char *pubs[] = { "ed25519", "rsa4096" };

	(void)state;
	for (size_t f = 0; f < sizeof(armored_fixtures) /
		 sizeof(armored_fixtures[0]); f++) {
		size_t len, n;
		char *text = fixture(armored_fixtures[f], &len);
		char **v = lines_of(text, &n);
		for (size_t k = 0; k < 4; k++) {
			struct line l;
			char *pub;
			line_of(pubs[k / 2], &l);
			pub = k % 2 ? strdup(l.text) :
				      cat("%s %s", l.type, l.b64);
			for (size_t s = 0; s < 3; s++) {
				for (int be = 0; be < 4; be++) {
					size_t from = be & 1 ? 0 : 1,
					       to = be & 2 ? n : n - 1;
					char *priv = join(v, from, to, seps[s]);
					char *t = cat("%s%s%s", pub,
					    s == 2 ? " " : seps[s], priv);
					private_rejected(t, strlen(t), NULL,
					    text, len);
					free(t);
					/* not even a space after the key */
					t = cat("%s%s", pub, priv);
					private_rejected(t, strlen(t), NULL,
					    text, len);
					free(t);
					free(priv);
				}
				/* the body without its first line */
				if (n > 4 && strchr(v[1], ':') == NULL) {
					char *priv = join(v, 2, n - 1, seps[s]);
					char *t = cat("%s%s%s", pub,
					    s == 2 ? " " : seps[s], priv);
					private_rejected(t, strlen(t), NULL,
					    text, len);
					free(t);
					free(priv);
				}
			}
			free(pub);
			line_free(&l);
		}
		lines_free(v);
		free(text);
	}
}

/* text in UTF-16, big-endian when be, after a byte order mark when bom;
 * its length in *len. */
static char *
utf16(const char *text, int be, int bom, size_t *len)
{
	size_t n = strlen(text), o = 0;
	char *u = malloc(2 * n + 2);

	for (size_t i = 0; i <= n; i++) {
		unsigned cp;
		if (i == n) {
			if (!bom)
				break;
			cp = 0xfeff; /* put first, below */
		} else if ((unsigned char)text[i] < 0x80) {
			cp = (unsigned char)text[i];
		} else { /* the dashes here: three bytes */
			cp = (text[i] & 0x0fu) << 12 |
			    (text[i + 1] & 0x3fu) << 6 | (text[i + 2] & 0x3fu);
			i += 2;
		}
		u[o++] = (char)(be ? cp >> 8 : cp & 0xff);
		u[o++] = (char)(be ? cp & 0xff : cp >> 8);
	}
	if (bom) { /* the mark, written last, goes first */
		memmove(u + 2, u, o - 2);
		u[0] = (char)(be ? 0xfe : 0xff);
		u[1] = (char)(be ? 0xff : 0xfe);
	}
	*len = o;
	return u;
}

/* s with every from replaced by to. */
static char *
replace(const char *s, const char *from, const char *to)
{
	size_t n = strlen(from), m = strlen(to), count = 0;
	char *out, *o;

	for (const char *p = s; (p = strstr(p, from)) != NULL; p += n)
		count++;
	o = out = malloc(strlen(s) + count * m + 1);
	for (const char *p = s, *q; ; p = q + n) {
		if ((q = strstr(p, from)) == NULL) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, m);
		o += m;
	}
	return out;
}

/* text with its BEGIN and END lines (the first and the last) damaged by
 * fn. */
static char *
damage_armor(const char *text, char *(*fn)(const char *))
{
	size_t n;
	char **v = lines_of(text, &n), *body = join(v, 1, n - 1, "\n");
	char *b = fn(v[0]), *e = fn(v[n - 1]), *t;

	t = cat("%s\n%s\n%s\n", b, body, e);
	free(b);
	free(e);
	free(body);
	lines_free(v);
	return t;
}

static char *
four_dashes(const char *l)
{
	return replace(l, "-----", "----");
}

static char *
three_dashes(const char *l)
{
	return replace(l, "-----", "---");
}

static char *
en_dashes(const char *l)
{
	return replace(l, "-----", "\xe2\x80\x93\xe2\x80\x93");
}

static char *
em_dash(const char *l)
{
	return replace(l, "-----", "\xe2\x80\x94");
}

static char *
minus_signs(const char *l)
{
	return replace(l, "-", "\xe2\x88\x92");
}

static char *
lowercase(const char *l)
{
	char *s = strdup(l);

	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

static char *
spaced(const char *l)
{
	char *a = replace(l, " ", "   "), *b = replace(a, "-----", "----- ");

	free(a);
	return b;
}

static char *
no_dashes(const char *l)
{
	return replace(l, "-", "");
}

/* In UTF-16, and with the armor lines damaged in every way seen. */
static void
test_private_encodings(void **state)
{
	static char *(*const damages[])(const char *) = { four_dashes,
		three_dashes, en_dashes, em_dash, minus_signs, lowercase,
		spaced, no_dashes };

	(void)state;
	for (size_t f = 0;
	     f < sizeof(private_fixtures) / sizeof(private_fixtures[0]); f++) {
		size_t len, ulen;
		char *text = fixture(private_fixtures[f], &len), *u;
		for (int k = 0; k < 4; k++) {
			u = utf16(text, k & 1, k & 2, &ulen);
			private_rejected(u, ulen, NULL, text, len);
			free(u);
		}
		free(text);
	}
	for (size_t f = 0; f < sizeof(armored_fixtures) /
		 sizeof(armored_fixtures[0]); f++) {
		size_t len, ulen;
		char *text = fixture(armored_fixtures[f], &len), *t, *u;
		for (size_t d = 0; d < sizeof(damages) / sizeof(damages[0]);
		     d++) {
			t = damage_armor(text, damages[d]);
			private_rejected(t, strlen(t), NULL, text, len);
			u = utf16(t, 1, 0, &ulen);
			private_rejected(u, ulen, NULL, text, len);
			free(u);
			free(t);
		}
		free(text);
	}
}

/* s as hex: lower or upper case, in lines of 60 (xxd -p), or with sep
 * between the bytes. */
static char *
hex_of(const uint8_t *bin, size_t n, int upper, size_t width,
    const char *sep)
{
	char *h = malloc(n * (3 + strlen(sep)) + n / 30 + 2), *p = h;

	for (size_t i = 0; i < n; i++) {
		if (i > 0 && width > 0 && i % width == 0)
			*p++ = '\n';
		else if (i > 0)
			p += sprintf(p, "%s", sep);
		p += sprintf(p, upper ? "%02X" : "%02x", bin[i]);
	}
	*p = '\0';
	return h;
}

/* The bytes of a private key, pasted raw, in hex, or in base64 from any
 * byte on: what DER or an openssh-key-v1 container holds is recognised
 * without markers, and anywhere. */
static void
test_private_decoded(void **state)
{
	static const char *fixtures[] = { "priv-pem-rsa", "priv-pem-ec",
		"priv-pkcs8", "priv-pkcs8-encrypted",
		"priv-openssl-pkcs8-encrypted", "priv-openssl-dsa",
		"priv-openssh-ed25519", "priv-openssh-rsa",
		"priv-openssh-encrypted" };

	(void)state;
	for (size_t f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		size_t len, n, blen, dlen;
		char *text = fixture(fixtures[f], &len), **v = lines_of(text, &n);
		char *b64 = join(v, 1, n - 1, ""), *t;
		uint8_t *der = tu_unb64(b64, strlen(b64), &dlen);
		assert_non_null(der);
		/* raw, as a binary paste */
		private_rejected((const char *)der, dlen, NULL, text, len);
		for (int k = 0; k < 5; k++) {
			t = hex_of(der, dlen, k == 1, k == 2 ? 30 : 0,
			    k == 3 ? ":" : k == 4 ? " " : "");
			private_rejected(t, strlen(t), NULL, text, len);
			/* from its second line of xxd -p on (what is
			 * encrypted cannot be told from noise, nor the rest
			 * of a DSA key from a row of numbers) */
			if (strlen(t) > 200 &&
			    strstr(text, "ENCRYPTED") == NULL &&
			    strstr(fixtures[f], "encrypted") == NULL &&
			    strstr(fixtures[f], "dsa") == NULL)
				private_rejected(t + 64, strlen(t) - 64, NULL,
				    text, len);
			free(t);
		}
		/* the openssh-key-v1 private section without the magic, or
		 * anything else before it: from any byte on */
		for (size_t off = 1; off < dlen / 2 && off < 160; off += 11) {
			blen = dlen - off;
			t = tu_b64(der + off, blen);
			if (strstr(fixtures[f], "openssh") != NULL &&
			    strstr(fixtures[f], "encrypted") == NULL)
				private_rejected(t, strlen(t), NULL, text, len);
			free(t);
		}
		free(der);
		free(b64);
		lines_free(v);
		free(text);
	}
}

/* JSON Web Keys with private members; PuTTY keys without their header. */
static void
test_private_other_forms(void **state)
{
	static const char *jwks[] = { "priv-jwk-rsa", "priv-jwk-ec" };
	static const char *ppks[] = { "priv-ppk2.ppk", "priv-ppk3.ppk",
		"priv-ppk3-encrypted.ppk" };

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		size_t len;
		char *text = fixture(jwks[f], &len), *one = strdup(text), *o = one;
		private_rejected(text, len, "JWK", text, len);
		for (char *p = text; *p; p++) /* on one line */
			if (*p != '\n' && *p != ' ')
				*o++ = *p;
		*o = '\0';
		private_rejected(one, strlen(one), "JWK", text, len);
		free(one);
		free(text);
	}
	/* a public JWK is no private key */
	rejects_str("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"IANv22jHSvYI5KMLa_"
		    "Au-H0rCmHq0G-frJnGOks9Obo\",\"y\":\"Vw9ql5_Tjr3-3qQFSkslS"
		    "Gf0dtc5TM3Cj1twM3ywTbI\"}",
	    VHKEY_REASON_MALFORMED, NULL);
	for (size_t f = 0; f < 3; f++) {
		size_t len;
		char *text = fixture(ppks[f], &len);
		private_rejected(strchr(text, '\n') + 1,
		    strlen(strchr(text, '\n') + 1), "PuTTY", text, len);
		free(text);
	}
}

/* A comment with a word like a line of a key's body is refused; the
 * comments people write pass. */
static void
test_private_comment(void **state)
{
	static const char *fine[] = { "alice@laptop", "vhkey-created=2026-12-06",
		"alice.smith+ssh@example.com", "my work laptop (2024)",
		"https://github.com/MyOrganisation/Repository2024/blob/main/README.md",
		"deploy 3f2a9c0d1e4b5a6978877665544332211aabbccd",
		"SHA256:XJsh3l/0itWweuzwyAU63FL2aZGqjP/CptqmQN2dKc0",
		"rsa-key-20241206", "Ключ Алисы", "C:\\Users\\Alice\\.ssh",
		"to the end of my private key rotation" };
	struct line l;
	char *t;

	(void)state;
	line_of("ed25519", &l);
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		t = cat("%s %s %s", l.type, l.b64, fine[i]);
		accepts(t, strlen(t), "ed25519", fine[i], NULL);
		free(t);
	}
	/* a middle line of an encrypted body decodes to nothing known */
	t = cat("%s %s x Hq3kL9vTz2Qm8Rb4Np7Wc1Ys6Ud0Fg5Jh3Ka9Lz2Xc8Vb4Nm1Qw7Er", l.type,
	    l.b64);
	vhkey_report_free(rejects(t, strlen(t), VHKEY_REASON_PRIVATE_KEY,
	    "looks like part of a private key"));
	free(t);
	line_free(&l);
}

/* What a file check said about each line. */
struct file_reports {
	const char *secret; /* the private key the file was made from */
	size_t secretlen;
	unsigned long lines[256];
	int reasons[256]; /* -1 for accepted */
	size_t n;
};

static int
collect(void *arg, unsigned long line, const vhkey_report *r)
{
	struct file_reports *f = arg;

	assert_no_leak(r, f->secret, f->secretlen);
	if (f->n < 256) {
		f->lines[f->n] = line;
		f->reasons[f->n++] = vhkey_report_verdict(r) == VHKEY_ACCEPTED ?
		    -1 :
		    vhkey_report_reason(r);
	}
	return 0;
}

/* text as an authorized_keys file, line by line: every line from first
 * on is refused as private key material (but a body's last line when too
 * short to tell, which is refused all the same), and nothing of it is
 * echoed. */
static void
file_refuses(const char *text, unsigned long first, const char *secret,
    size_t secretlen)
{
	struct file_reports f = { secret, secretlen, { 0 }, { 0 }, 0 };
	char *dir = tu_mkdtemp(), path[512];
	size_t n;
	char **v = lines_of(text, &n);

	snprintf(path, sizeof(path), "%s/authorized_keys", dir);
	assert_int_equal(tu_write_file(path, text, strlen(text), 0600), 0);
	assert_int_equal(vhkey_check_keys_file(path, NULL, 0, collect, &f,
			     NULL),
	    VHKEY_OK);
	for (size_t i = 0; i < f.n; i++) {
		if (f.lines[i] < first)
			continue;
		if (f.reasons[i] == VHKEY_REASON_PRIVATE_KEY)
			continue;
		if (f.lines[i] <= n && strlen(v[f.lines[i] - 1]) < 16 &&
		    f.reasons[i] != -1)
			continue;
		fail_msg("line %lu (%s): %s", f.lines[i],
		    f.lines[i] <= n ? v[f.lines[i] - 1] : "",
		    f.reasons[i] < 0 ? "accepted" :
				       vhkey_reason_name(f.reasons[i]));
	}
	assert_true(f.n > 0);
	lines_free(v);
	tu_rmtree(dir);
}

/* The same disguises in a file of keys, where each line is checked on its
 * own unless an armor line holds the key together. */
static void
test_private_in_file(void **state)
{
	static char *(*const damages[])(const char *) = { three_dashes,
		em_dash, lowercase, no_dashes };

	(void)state;
	for (size_t f = 0; f < sizeof(armored_fixtures) /
		 sizeof(armored_fixtures[0]); f++) {
		size_t len, n;
		char *text = fixture(armored_fixtures[f], &len), *t, *body;
		char **v = lines_of(text, &n);
		struct line l;
		file_refuses(text, 1, text, len);
		body = join(v, 1, n - 1, "\n");
		file_refuses(body, 1, text, len);
		if (n > 4) {
			t = join(v, 2, n - 1, "\n");
			file_refuses(t, 1, text, len);
			free(t);
		}
		/* after a public key line, which is fine on its own (one of
		 * no private fixture: an OpenSSH private key holds its
		 * public key, which the report of that line shows) */
		line_of("ecdsa384", &l);
		t = cat("%s %s\n%s", l.type, l.b64, body);
		file_refuses(t, 2, text, len);
		free(t);
		line_free(&l);
		for (size_t d = 0; d < sizeof(damages) / sizeof(damages[0]);
		     d++) {
			t = damage_armor(text, damages[d]);
			file_refuses(t, 1, text, len);
			free(t);
		}
		free(body);
		lines_free(v);
		free(text);
	}
}

/* ------------------------------------------------------- malformed */

static char *
line_with_blob(const char *type, const uint8_t *blob, size_t len,
    const char *comment)
{
	char *b64 = tu_b64(blob, len), *s;

	s = cat("%s %s %s", type, b64, comment);
	free(b64);
	return s;
}

static uint8_t *
blob_of(const char *name, size_t *len)
{
	struct line l;
	uint8_t *blob;

	line_of(name, &l);
	blob = tu_unb64(l.b64, strlen(l.b64), len);
	line_free(&l);
	return blob;
}

static void
test_malformed_data(void **state)
{
	struct line l;
	uint8_t *blob, *b2;
	size_t len;
	char *t;

	(void)state;
	line_of("rsa4096", &l);
	/* a character base64 does not have */
	t = cat("%s %.100s!%s %s", l.type, l.b64, l.b64 + 101, l.comment);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "is not valid base64: the '!' at its character 101");
	free(t);
	t = cat("%s %.100s\xc3\xa9%s", l.type, l.b64, l.b64 + 100);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "the '\xc3\xa9' (U+00E9) at its character 101");
	free(t);
	t = cat("%s %.100s\xe9%s", l.type, l.b64, l.b64 + 100);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "the byte 0xe9 at its character 101");
	free(t);
	/* no space after the type name */
	t = cat("%s%s %s", l.type, l.b64, l.comment);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "There is no space between ssh-rsa and the key data");
	free(t);
	/* misplaced padding */
	t = cat("%s %.100s=%s", l.type, l.b64, l.b64 + 100);
	rejects_str(t, VHKEY_REASON_MALFORMED, "the '=' at its character 101");
	free(t);
	/* truncated anywhere */
	for (size_t n = 1; n < strlen(l.b64); n += 37) {
		vhkey_report *r;
		t = cat("%s %.*s %s", l.type, (int)n, l.b64, l.comment);
		r = rejects(t, strlen(t), VHKEY_REASON_MALFORMED, NULL);
		if (strstr(vhkey_report_message(r), "cut short") == NULL &&
		    strstr(vhkey_report_message(r), "incomplete") == NULL &&
		    strstr(vhkey_report_message(r), "not an SSH public key") ==
			NULL)
			fail_msg("cut at %zu: %s", n, vhkey_report_message(r));
		vhkey_report_free(r);
		free(t);
	}
	/* the type name changed */
	t = cat("ssh-ed25519 %s %s", l.b64, l.comment);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "The line starts with ssh-ed25519, but the key data is an ssh-rsa "
	    "key");
	free(t);
	/* bytes after the key */
	blob = blob_of("rsa4096", &len);
	b2 = malloc(len + 3);
	memcpy(b2, blob, len);
	memcpy(b2 + len, "\0\0\0", 3);
	t = line_with_blob("ssh-rsa", b2, len + 3, "x");
	rejects_str(t, VHKEY_REASON_MALFORMED, "goes on after the end");
	free(t);
	/* e with a superfluous zero byte: 00000004 00010001 */
	memcpy(b2, blob, 11);
	memcpy(b2 + 11, "\0\0\0\4\0\1\0\1", 8);
	memcpy(b2 + 19, blob + 18, len - 18);
	t = line_with_blob("ssh-rsa", b2, len + 1, "x");
	rejects_str(t, VHKEY_REASON_MALFORMED, "non-canonical");
	free(t);
	free(b2);
	free(blob);
	/* no key data */
	rejects_str("ssh-rsa", VHKEY_REASON_MALFORMED,
	    "There is no key data after ssh-rsa");
	rejects_str("ssh-rsa   \n\n", VHKEY_REASON_MALFORMED, "no key data");
	/* the key data alone */
	rejects_str(l.b64, VHKEY_REASON_MALFORMED,
	    "only the key data, without the key type");
	line_free(&l);
}

static void
test_not_keys(void **state)
{
	struct line l;
	struct saved s;
	char *t, *nul;

	(void)state;
	line_of("ed25519", &l);
	saved("ed25519", &s);
	rejects_str("", VHKEY_REASON_MALFORMED, "Nothing was pasted");
	rejects_str(" \r\n\t\xc2\xa0\n", VHKEY_REASON_MALFORMED,
	    "Nothing was pasted");
	/* fingerprints, in all the ways they are shown */
	t = fixture("ed25519.sha256", NULL);
	rejects_str(t, VHKEY_REASON_MALFORMED, "fingerprint");
	free(t);
	t = fixture("ed25519.md5", NULL);
	rejects_str(t, VHKEY_REASON_MALFORMED, "fingerprint");
	free(t);
	rejects_str(s.fp, VHKEY_REASON_MALFORMED, "fingerprint");
	rejects_str(s.md5, VHKEY_REASON_MALFORMED, "fingerprint");
	rejects_str(s.md5 + 4, VHKEY_REASON_MALFORMED, "fingerprint");
	t = cat("The key fingerprint is:\n%s bob@desk\n", s.fp);
	rejects_str(t, VHKEY_REASON_MALFORMED, "fingerprint (line 2)");
	free(t);
	/* as PuTTYgen shows it */
	t = cat("ssh-ed25519 255 %s", s.fp);
	rejects_str(t, VHKEY_REASON_MALFORMED, "This is a key fingerprint");
	free(t);
	/* a comment that holds a fingerprint is still a comment */
	t = cat("%s %s %s", l.type, l.b64, s.fp);
	accepts(t, strlen(t), "ed25519", s.fp, NULL);
	free(t);
	/* copied from a terminal, or from quotes */
	t = cat("$ cat ~/.ssh/id_ed25519.pub\n%s\n$ ", l.text);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "A key starts on line 2, but the text before it (from line 1) is "
	    "not part of a key");
	free(t);
	t = cat("\"%s\"", l.text);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "Something that is not part of the key comes before it");
	free(t);
	/* known_hosts lines: what comes before the key type says so */
	{
		static const char *const hosts[][2] = {
			{ "github.com,140.82.121.4", "known_hosts file: the host" },
			{ "[git.example.com]:2222", "known_hosts file: the host" },
			{ "|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLIT"
			  "LCg=",
			    "hashed line from a known_hosts" },
			{ "@cert-authority *.example.com", "@cert-authority line" },
			{ "@revoked *", "@revoked line" },
		};
		for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
			t = cat("%s %s %s", hosts[i][0], l.type, l.b64);
			rejects_str(t, VHKEY_REASON_MALFORMED, hosts[i][1]);
			free(t);
		}
	}
	/* more than one key */
	t = cat("%s\n%s\n", l.text, l.text);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "more than one key: another one starts on line 2");
	free(t);
	t = cat("%s %s", l.text, l.text);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "more than one key: another one follows the first on the same "
	    "line");
	free(t);
	/* parted by a bare CR (old Mac line ends): one line for sshd, which
	 * the message must not call two */
	t = cat("%s\r%s\r", l.text, l.text);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "another one follows the first after a carriage return (CR), so "
	    "sshd reads both as one line");
	free(t);
	t = fixture("ed25519.rfc4716", NULL);
	nul = cat("%s%s", t, t);
	rejects_str(nul, VHKEY_REASON_MALFORMED, "more than one key");
	free(nul);
	nul = cat("%s%s\n", t, l.text);
	rejects_str(nul, VHKEY_REASON_MALFORMED,
	    "more than one key: another one starts on line 5");
	free(nul);
	free(t);
	/* text after the key */
	t = cat("%s\nthanks!\n", l.text);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "Line 2 holds text after the key");
	free(t);
	/* binary */
	nul = cat("%s", l.text);
	nul[5] = '\0';
	{
		vhkey_report *r = rejects(nul, strlen(l.text),
		    VHKEY_REASON_MALFORMED, "NUL bytes (line 1)");
		vhkey_report_free(r);
	}
	free(nul);
	/* not a key at all */
	rejects_str("hello world", VHKEY_REASON_MALFORMED, "not a public key");
	rejects_str("Hello, here is my key!", VHKEY_REASON_MALFORMED,
	    "not a public key");
	rejects_str("-----BEGIN CERTIFICATE-----\nMIIB\n-----END "
		    "CERTIFICATE-----\n",
	    VHKEY_REASON_MALFORMED, "X.509 certificate");
	rejects_str("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQIN\n-----END "
		    "PGP PUBLIC KEY BLOCK-----",
	    VHKEY_REASON_MALFORMED, "PGP");
	rejects_str("-----BEGIN FOO-----\nAAAA\n-----END FOO-----",
	    VHKEY_REASON_MALFORMED, "(BEGIN FOO) is not a public key format");
	/* a comment too long */
	t = malloc(VHKEY_COMMENT_MAX + 2);
	memset(t, 'c', VHKEY_COMMENT_MAX + 1);
	t[VHKEY_COMMENT_MAX + 1] = '\0';
	nul = cat("%s %s %s", l.type, l.b64, t);
	rejects_str(nul, VHKEY_REASON_MALFORMED,
	    "The comment after the key is 1025 bytes long");
	free(nul);
	t[VHKEY_COMMENT_MAX] = '\0';
	nul = cat("%s %s %s", l.type, l.b64, t);
	accepts(nul, strlen(nul), "ed25519", t, NULL);
	free(nul);
	free(t);
	line_free(&l);
}

static void
test_bad_blocks(void **state)
{
	size_t len;
	char *text = fixture("rsa4096.rfc4716", &len), *t, *end;

	(void)state;
	end = strstr(text, "---- END");
	t = strndup(text, (size_t)(end - text));
	rejects_str(t, VHKEY_REASON_MALFORMED, "has no END line");
	free(t);
	t = cat("%.*s-----END PUBLIC KEY-----\n", (int)(end - text), text);
	rejects_str(t, VHKEY_REASON_MALFORMED, "different END line");
	free(t);
	t = strdup(text);
	strstr(t, "\n---- END")[-5] = '*';
	rejects_str(t, VHKEY_REASON_MALFORMED, "Line 13 of the block");
	free(t);
	t = cat("%.*s---- END SSH2 PUBLIC KEY ----\n", 150, text);
	rejects_str(t, VHKEY_REASON_MALFORMED, NULL);
	free(t);
	t = cat("%sthanks\n", text);
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "Line 15 holds text after the END line");
	free(t);
	free(text);
	text = fixture("rsa4096.pkcs8", &len);
	t = strdup(text);
	t[40] = t[40] == 'A' ? 'B' : 'A';
	rejects_str(t, VHKEY_REASON_MALFORMED,
	    "is labelled PUBLIC KEY, but what it holds is not");
	free(t);
	end = armor_body(text);
	t = cat("-----BEGIN RSA PUBLIC KEY-----\n%s-----END RSA PUBLIC "
		"KEY-----\n",
	    end);
	free(end);
	/* SPKI where PKCS#1 is named: OpenSSL reads either */
	accepts(t, strlen(t), "rsa4096", "", NULL);
	free(t);
	free(text);
}

/* ---------------------------------------------- unsupported, weak */

static char *
pem_pubkey(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	assert_int_equal(PEM_write_bio_PUBKEY(b, k), 1);
	n = BIO_get_mem_data(b, &p);
	s = strndup(p, (size_t)n);
	BIO_free(b);
	return s;
}

static void
test_unsupported(void **state)
{
	size_t len;
	char *text, *t, *b64;
	uint8_t *blob;
	vhkey_policy *policy;
	vhkey_report *r;
	EVP_PKEY *k;

	(void)state;
	text = fixture("dsa.pub", &len);
	rejects_str(text, VHKEY_REASON_UNSUPPORTED_TYPE,
	    "This is a DSA key (ssh-dss)");
	/* as an RFC 4716 block, where only the data says it */
	b64 = strchr(text, ' ') + 1;
	*strchr(b64, ' ') = '\0';
	t = cat("---- BEGIN SSH2 PUBLIC KEY ----\n%s\n"
		"---- END SSH2 PUBLIC KEY ----\n",
	    b64);
	rejects_str(t, VHKEY_REASON_UNSUPPORTED_TYPE, "DSA");
	free(t);
	free(text);
	text = fixture("ed25519-cert.pub", &len);
	rejects_str(text, VHKEY_REASON_UNSUPPORTED_TYPE,
	    "SSH certificate (ssh-ed25519-cert-v01@openssh.com)");
	free(text);
	blob = blob_of("ed25519", &len);
	b64 = tu_b64(blob, len);
	t = cat("ssh-ed448 %s", b64);
	rejects_str(t, VHKEY_REASON_UNSUPPORTED_TYPE,
	    "The key type ssh-ed448 is not supported");
	free(t);
	free(b64);
	/* a blob of an unknown type, under a known name */
	memcpy(blob + 4, "ssh-ed25518", 11);
	b64 = tu_b64(blob, len);
	t = cat("---- BEGIN SSH2 PUBLIC KEY ----\n%s\n"
		"---- END SSH2 PUBLIC KEY ----\n",
	    b64);
	rejects_str(t, VHKEY_REASON_UNSUPPORTED_TYPE,
	    "The key type ssh-ed25518 is not supported");
	free(t);
	free(b64);
	free(blob);
	/* PEM keys SSH does not use */
	k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
	t = pem_pubkey(k);
	rejects_str(t, VHKEY_REASON_UNSUPPORTED_TYPE,
	    "a kind SSH does not use (EC on the curve secp256k1)");
	free(t);
	EVP_PKEY_free(k);
	k = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	t = pem_pubkey(k);
	rejects_str(t, VHKEY_REASON_UNSUPPORTED_TYPE, "(X25519)");
	free(t);
	EVP_PKEY_free(k);
	/* a type the policy does not allow */
	assert_int_equal(vhkey_policy_new(&policy), VHKEY_OK);
	assert_int_equal(vhkey_policy_allow_type(policy, VHKEY_TYPE_ED25519,
			     0),
	    VHKEY_OK);
	for (int i = 0; i < 2; i++) {
		text = fixture(i ? "ed25519.pkcs8" : "ed25519.pub", &len);
		r = check_with(text, len, policy);
		assert_int_equal(vhkey_report_reason(r),
		    VHKEY_REASON_UNSUPPORTED_TYPE);
		vhkey_report_free(r);
		free(text);
	}
	vhkey_policy_free(policy);
}

static void
test_weak(void **state)
{
	vhkey_policy *policy;
	vhkey_report *r;
	struct saved s;
	size_t len;
	char *text, *t, fp[VHKEY_FINGERPRINT_MAX];
	uint8_t *blob;

	(void)state;
	saved("rsa1024", &s);
	text = fixture("rsa1024.pub", &len);
	r = rejects(text, len, VHKEY_REASON_WEAK_KEY, "1024");
	/* the report still says which key it was */
	assert_non_null(vhkey_report_key(r));
	assert_int_equal(vhkey_get_bits(vhkey_report_key(r)), 1024);
	assert_int_equal(vhkey_fingerprint(vhkey_report_key(r),
			     VHKEY_HASH_SHA256, fp, sizeof(fp)),
	    VHKEY_OK);
	assert_string_equal(fp, s.fp);
	vhkey_report_free(r);
	/* a policy that takes it */
	assert_int_equal(vhkey_policy_new(&policy), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_min_rsa_bits(policy, 1024), VHKEY_OK);
	r = check_with(text, len, policy);
	assert_key(r, &s, NULL);
	vhkey_report_free(r);
	vhkey_policy_free(policy);
	free(text);
	t = fixture("rsa1024.rfc4716", &len);
	vhkey_report_free(rejects(t, len, VHKEY_REASON_WEAK_KEY, NULL));
	free(t);

	/* an even modulus; an even exponent */
	blob = blob_of("rsa4096", &len);
	blob[len - 1] &= 0xfe;
	t = line_with_blob("ssh-rsa", blob, len, "even");
	vhkey_report_free(rejects(t, strlen(t), VHKEY_REASON_WEAK_KEY, NULL));
	free(t);
	blob[len - 1] |= 1;
	blob[17] = 0; /* e = 0x010000 */
	t = line_with_blob("ssh-rsa", blob, len, "even e");
	vhkey_report_free(rejects(t, strlen(t), VHKEY_REASON_WEAK_KEY, NULL));
	free(t);
	free(blob);
	/* an ECDSA point off its curve */
	blob = blob_of("ecdsa256", &len);
	blob[len - 1] ^= 1;
	t = line_with_blob("ecdsa-sha2-nistp256", blob, len, "off");
	vhkey_report_free(rejects(t, strlen(t), VHKEY_REASON_WEAK_KEY,
	    "not on its curve"));
	free(t);
	free(blob);
}

/* ------------------------------------------------------- bounds, API */

static void
test_too_large(void **state)
{
	uint8_t *guarded;
	struct line l;
	char *big;
	vhkey_report *r;

	(void)state;
	/* refused unread: reading past these 16 bytes would fault */
	guarded = sodium_malloc(16);
	assert_non_null(guarded);
	memset(guarded, 'A', 16);
	r = check(guarded, VHKEY_PASTE_MAX + 1);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_TOO_LARGE);
	assert_non_null(strstr(vhkey_report_message(r), "65537 bytes"));
	vhkey_report_free(r);
	r = check(guarded, (size_t)1 << 40);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_TOO_LARGE);
	vhkey_report_free(r);
	sodium_free(guarded);
	/* exactly the limit is read */
	line_of("ed25519", &l);
	big = malloc(VHKEY_PASTE_MAX);
	memset(big, ' ', VHKEY_PASTE_MAX);
	memcpy(big, l.text, strlen(l.text));
	accepts(big, VHKEY_PASTE_MAX, "ed25519", NULL,
	    (const char *[]){ FIX_OUTER, NULL });
	memset(big, 'A', VHKEY_PASTE_MAX);
	vhkey_report_free(rejects(big, VHKEY_PASTE_MAX, VHKEY_REASON_MALFORMED,
	    NULL));
	free(big);
	line_free(&l);
}

static void
test_arguments(void **state)
{
	vhkey_report *r = (vhkey_report *)&r;

	(void)state;
	assert_int_equal(vhkey_check_paste("x", 1, NULL, 0, NULL),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_check_paste(NULL, 1, NULL, 0, &r),
	    VHKEY_ERR_ARGUMENT);
	assert_null(r);
	assert_int_equal(vhkey_check_paste(NULL, 0, NULL, 0, &r), VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_MALFORMED);
	vhkey_report_free(r);
}

/* ----------------------------------------------------------- threads */

struct job {
	char *texts[8];
	size_t lens[8];
	char want[8][VHKEY_FINGERPRINT_MAX];
	int ok;
};

static void *
run_job(void *arg)
{
	struct job *j = arg;

	j->ok = 1;
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 8; i++) {
			vhkey_report *r = NULL;
			char fp[VHKEY_FINGERPRINT_MAX] = "";
			if (vhkey_check_paste(j->texts[i], j->lens[i], NULL, 0,
				&r) != VHKEY_OK) {
				j->ok = 0;
				return NULL;
			}
			if (vhkey_report_key(r) != NULL &&
			    vhkey_fingerprint(vhkey_report_key(r),
				VHKEY_HASH_SHA256, fp, sizeof(fp)) != VHKEY_OK)
				j->ok = 0;
			if (strcmp(fp, j->want[i]) != 0)
				j->ok = 0;
			vhkey_report_free(r);
		}
	}
	return NULL;
}

static void
test_threads(void **state)
{
	static const char *files[8] = { "rsa4096.pub", "ed25519.rfc4716",
		"ecdsa384.pkcs8", "rsa4096.pem", "priv-pem-rsa",
		"priv-ppk3.ppk", "dsa.pub", "sk-ecdsa256.pub" };
	struct job j;
	pthread_t t[6];
	struct job jobs[6];

	(void)state;
	for (int i = 0; i < 8; i++) {
		vhkey_report *r;
		j.texts[i] = fixture(files[i], &j.lens[i]);
		r = check(j.texts[i], j.lens[i]);
		j.want[i][0] = '\0';
		if (vhkey_report_key(r) != NULL)
			assert_int_equal(vhkey_fingerprint(vhkey_report_key(r),
					     VHKEY_HASH_SHA256, j.want[i],
					     VHKEY_FINGERPRINT_MAX),
			    VHKEY_OK);
		vhkey_report_free(r);
	}
	for (int i = 0; i < 6; i++) {
		jobs[i] = j;
		assert_int_equal(pthread_create(&t[i], NULL, run_job, &jobs[i]),
		    0);
	}
	for (int i = 0; i < 6; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(jobs[i].ok);
	}
	for (int i = 0; i < 8; i++)
		free(j.texts[i]);
}

/* -------------------------------------------------------------- fuzz */

static void
fuzz(const char *name, int iterations)
{
	size_t len;
	char *orig = fixture(name, &len), *buf = malloc(len + 3 * 4 + 1);
	int accepted = 0;

	for (int i = 0; i < iterations; i++) {
		size_t n = len;
		vhkey_report *r;
		memcpy(buf, orig, len);
		for (int m = 1 + (int)(fu_rand() % 3); m > 0; m--)
			n = fu_mutate(buf, n);
		r = check(buf, n);
		assert_non_null(vhkey_report_message(r));
		if (vhkey_report_verdict(r) == VHKEY_ACCEPTED) {
			/* the normalised line is a key the strict parser
			 * takes, and checking it again changes nothing */
			char *json, *line;
			vhkey *strict = NULL;
			vhkey_report *again;
			accepted++;
			assert_int_equal(vhkey_report_to_json(r, &json),
			    VHKEY_OK);
			line = r->key_line;
			assert_int_equal(vhkey_parse_public(line, strlen(line),
					     &strict),
			    VHKEY_OK);
			assert_true(vhkey_public_equal(strict,
			    vhkey_report_key(r)));
			again = check(line, strlen(line));
			assert_int_equal(vhkey_report_verdict(again),
			    VHKEY_ACCEPTED);
			assert_true(vhkey_public_equal(vhkey_report_key(again),
			    strict));
			assert_int_equal(vhkey_report_repair_count(again), 0);
			vhkey_report_free(again);
			vhkey_free(strict);
			free(json);
		} else {
			assert_int_not_equal(vhkey_report_reason(r),
			    VHKEY_REASON_NONE);
		}
		vhkey_report_free(r);
	}
	/* some mutants survive (comment bytes, repairs), most do not */
	assert_true(accepted > 0 && accepted < iterations);
	free(buf);
	free(orig);
}

static void
test_fuzz(void **state)
{
	(void)state;
	fu_seed(0x5eed5eed5eed5eedULL);
	fuzz("rsa4096.pub", 1500);
	fuzz("ed25519.pub", 1500);
	fuzz("ecdsa384.pub", 1000);
	fuzz("sk-ed25519.pub", 1000);
	fuzz("ed25519.rfc4716", 1000);
	fuzz("ecdsa256.pkcs8", 500);
}

static void
test_fuzz_private(void **state)
{
	(void)state;
	/* a damaged private key is still never taken for a public one */
	fu_seed(0xdeadbeefcafef00dULL);
	for (size_t f = 0;
	     f < sizeof(private_fixtures) / sizeof(private_fixtures[0]); f++) {
		size_t len;
		char *orig = fixture(private_fixtures[f], &len);
		char *buf = malloc(len + 3 * 4 + 1);
		for (int i = 0; i < 100; i++) {
			size_t n = len;
			vhkey_report *r;
			memcpy(buf, orig, len);
			for (int m = 1 + (int)(fu_rand() % 3); m > 0; m--)
				n = fu_mutate(buf, n);
			r = check(buf, n);
			assert_int_equal(vhkey_report_verdict(r),
			    VHKEY_REJECTED);
			vhkey_report_free(r);
		}
		free(buf);
		free(orig);
	}
}

/*
 * A paste is repaired whatever sshd would make of it, and the report says
 * which: as_written 1 when sshd 9.2 reads the text as given (checked with a
 * login, see lib/paste.c), else 0 with the repaired line to store.
 */
static void
test_as_written(void **state)
{
#define ED_TYPE "ssh-ed25519"
#define ED_DATA "AAAAC3NzaC1lZDI1NTE5AAAAIBHzUWz/RQRN5eWlbaYX66WVQZcRqOS7swVK15Z/l8an"
#define ED_HALF1 "AAAAC3NzaC1lZDI1NTE5AAAAIBHzUWz/"
#define ED_HALF2 "RQRN5eWlbaYX66WVQZcRqOS7swVK15Z/l8an"
#define ED_LINE ED_TYPE " " ED_DATA " bob@desk"
	static const struct {
		const char *text;
		int as_written;
	} cases[] = {
		{ ED_LINE, 1 },
		{ ED_LINE "\r\n", 1 },			/* CRLF at the end */
		{ ED_TYPE " " ED_HALF1 "\r" ED_HALF2 " bob@desk", 1 },
		{ "\n\n  " ED_LINE "  \n\n", 1 },	/* outer space */
		{ ED_TYPE "\t" ED_DATA "\tbob@desk", 1 }, /* tabs */
		{ ED_TYPE " " ED_DATA " bob\xc2\xa0" "desk", 1 },
		{ ED_TYPE " " ED_DATA " bob\xe2\x80\x8b" "desk", 1 },
		{ ED_TYPE " " ED_DATA "\nbob@desk", 1 }, /* comment joined */
		{ "no-pty " ED_LINE, 1 },
		{ "no-pty,command=\"echo a\" " ED_LINE, 1 },
		/* from= another address is policy; a host name is a pattern */
		{ "from=\"10.0.0.0/8,!192.168.0.1,*.example.com\" " ED_LINE,
		    1 },
		{ "from=\"::1,fe80::/10,127.0.0.1/32\" " ED_LINE, 1 },
		/* empty options, and flags sshd 9.2 knows */
		{ ",no-pty,,restrict, " ED_LINE, 1 },
		{ "touch-required,no-verify-required " ED_LINE, 1 },
		/* options sshd does not take: the line without them works */
		{ "expiry-time=20991231 " ED_LINE, 0 },
		{ "cert-authority " ED_LINE, 0 },
		{ "tunnel=\"x\" " ED_LINE, 0 },
		/* a from= list sshd cannot read refuses every address */
		{ "from=\"127.0.0.1,\" " ED_LINE, 0 },
		{ "from=\"\" " ED_LINE, 0 },
		{ "from=\"!,127.0.0.1\" " ED_LINE, 0 },
		{ "from=\"127.0.0.1,10.0.0.1/8\" " ED_LINE, 0 },
		{ "from=\"127.0.0.0/33\" " ED_LINE, 0 },
		{ "from=\"fe80::1/10\" " ED_LINE, 0 },
		{ "\xef\xbb\xbf" ED_LINE, 0 },		/* BOM */
		{ ED_TYPE "\r" ED_DATA " bob@desk", 0 },
		{ ED_TYPE " " ED_DATA "\rbob@desk", 0 },
		{ ED_TYPE "\xc2\xa0" ED_DATA " bob@desk", 0 },
		{ ED_TYPE " " ED_DATA "\xc2\xa0" "bob@desk", 0 },
		{ "\xc2\xa0" ED_LINE, 0 },
		{ ED_TYPE " " ED_HALF1 "\xe2\x80\x8b" ED_HALF2 " bob@desk", 0 },
		{ ED_TYPE " " ED_HALF1 "\xef\xbb\xbf" ED_HALF2 " bob@desk", 0 },
		{ ED_TYPE " " ED_HALF1 "\n" ED_HALF2 " bob@desk", 0 }, /* wrapped */
		{ ED_TYPE " " ED_HALF1 " " ED_HALF2 " bob@desk", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vhkey_report *r = check(cases[i].text, strlen(cases[i].text));

		if (vhkey_report_verdict(r) != VHKEY_ACCEPTED ||
		    vhkey_report_as_written(r) != cases[i].as_written)
			fail_msg("case %zu: %s, as_written %d", i,
			    vhkey_report_message(r), vhkey_report_as_written(r));
		if (cases[i].as_written)
			assert_null(vhkey_report_repaired_line(r));
		else
			assert_string_equal(vhkey_report_repaired_line(r),
			    ED_LINE);
		vhkey_report_free(r);
	}
	/* nothing read, nothing to say */
	{
		vhkey_report *r = check("ssh-ed25519 AAAA", 16);
		assert_int_equal(vhkey_report_as_written(r), -1);
		assert_null(vhkey_report_repaired_line(r));
		vhkey_report_free(r);
	}
#undef ED_TYPE
#undef ED_DATA
#undef ED_HALF1
#undef ED_HALF2
#undef ED_LINE
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_lines),
		cmocka_unit_test(test_exact_json),
		cmocka_unit_test(test_rfc4716),
		cmocka_unit_test(test_comment_holding_a_key),
		cmocka_unit_test(test_pem),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_comment_lines),
		cmocka_unit_test(test_comment_controls),
		cmocka_unit_test(test_private_keys),
		cmocka_unit_test(test_private_disguised),
		cmocka_unit_test(test_private_after_public),
		cmocka_unit_test(test_private_encodings),
		cmocka_unit_test(test_private_decoded),
		cmocka_unit_test(test_private_other_forms),
		cmocka_unit_test(test_private_comment),
		cmocka_unit_test(test_private_in_file),
		cmocka_unit_test(test_malformed_data),
		cmocka_unit_test(test_not_keys),
		cmocka_unit_test(test_bad_blocks),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_fuzz_private),
		cmocka_unit_test(test_as_written),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
