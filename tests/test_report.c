/* test_report.c - building reports and their JSON. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "check.h"
#include "testutil.h"

static void
test_reason_names(void **state)
{
	(void)state;
	assert_null(vhkey_reason_name(VHKEY_REASON_NONE));
	assert_string_equal(vhkey_reason_name(VHKEY_REASON_PRIVATE_KEY),
	    "private_key");
	assert_string_equal(vhkey_reason_name(VHKEY_REASON_ROTATION_OVERDUE),
	    "rotation_overdue");
	assert_null(vhkey_reason_name(999));
	assert_null(vhkey_reason_name(-1));
	/* the count: every reason below it named, none at it */
	for (int i = 1; i < VHKEY_REASON_COUNT; i++)
		assert_non_null(vhkey_reason_name(i));
	assert_null(vhkey_reason_name(VHKEY_REASON_COUNT));
}

static void
test_accepted_with_key(void **state)
{
	vhkey_report *r = vk_report_new();
	vhkey *key = tu_load_private("rsa2048");
	char *json, want[512], fp[VHKEY_FINGERPRINT_MAX];

	(void)state;
	assert_non_null(r);
	assert_int_equal(vk_report_set_key(r, key), VHKEY_OK);
	assert_int_equal(vk_report_accept(r, "fine %d", 1), VHKEY_OK);
	assert_int_equal(vk_report_warn(r, "w1"), VHKEY_OK);
	assert_int_equal(vk_report_repair(r, "r1 %s", "x"), VHKEY_OK);
	assert_int_equal(vk_report_repair(r, "r2"), VHKEY_OK);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_NONE);
	assert_string_equal(vhkey_report_message(r), "fine 1");
	assert_int_equal(vhkey_report_warning_count(r), 1);
	assert_string_equal(vhkey_report_warning(r, 0), "w1");
	assert_null(vhkey_report_warning(r, 1));
	assert_int_equal(vhkey_report_repair_count(r), 2);
	assert_string_equal(vhkey_report_repair(r, 1), "r2");
	/* the report holds the public part only */
	assert_non_null(vhkey_report_key(r));
	assert_false(vhkey_has_private(vhkey_report_key(r)));
	assert_true(vhkey_public_equal(vhkey_report_key(r), key));

	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_int_equal(vhkey_fingerprint(key, VHKEY_HASH_SHA256, fp,
			     sizeof(fp)),
	    VHKEY_OK);
	snprintf(want, sizeof(want),
	    "{\"verdict\":\"accepted\",\"reason\":null,\"type\":\"ssh-rsa\","
	    "\"bits\":2048,\"fingerprint\":\"%s\",",
	    fp);
	assert_true(strncmp(json, want, strlen(want)) == 0);
	assert_non_null(strstr(json, "\"comment\":\"fixture rsa2048\""));
	assert_non_null(strstr(json, "\"key\":\"ssh-rsa AAAA"));
	assert_non_null(strstr(json, "\"warnings\":[\"w1\"],"
				     "\"repairs\":[\"r1 x\",\"r2\"],"
				     "\"as_written\":null,"
				     "\"encrypted\":null,"
				     "\"rotation\":null,\"age_days\":null,"
				     "\"created\":null,\"due\":null,"
				     "\"created_estimated\":false,"
				     "\"findings\":[]}"));
	assert_null(strchr(json, '\n'));
	free(json);
	vhkey_report_free(r);
	vhkey_free(key);
}

/* An acceptance whose message is joined from pieces. */
static void
test_accept_join(void **state)
{
	vhkey_report *r = vk_report_new();

	(void)state;
	assert_int_equal(vk_report_reject(r, VHKEY_REASON_MALFORMED, "no"),
	    VHKEY_OK);
	assert_int_equal(vk_report_accept_join(r, "Accepted: ", "4096", "",
			     "-bit", (const char *)NULL),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_NONE);
	assert_string_equal(vhkey_report_message(r), "Accepted: 4096-bit");
	assert_int_equal(vk_report_accept_join(r, (const char *)NULL),
	    VHKEY_OK);
	assert_string_equal(vhkey_report_message(r), "");
	/* no more than VK_JOIN_MAX pieces */
	assert_int_equal(vk_report_accept_join(r, "0", "1", "2", "3", "4", "5",
			     "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
			     "g", (const char *)NULL),
	    VHKEY_OK);
	assert_string_equal(vhkey_report_message(r), "0123456789abcdef");
	vhkey_report_free(r);
}

/* The report takes a key as it is, and its line has the key data the
 * caller gives when that is the blob's encoding (else its own). */
static void
test_take_key(void **state)
{
	vhkey *key = tu_load_public("rsa2048.pub"), *held = key;
	vhkey_report *r = vk_report_new();
	const uint8_t *blob;
	char *want, *b64;
	size_t len;

	(void)state;
	assert_int_equal(vhkey_public_to_line(key, &want), VHKEY_OK);
	blob = vhkey_public_blob(key, &len);
	b64 = tu_b64(blob, len);
	assert_int_equal(vk_report_take_key(r, &key, b64, strlen(b64)),
	    VHKEY_OK);
	assert_null(key);
	assert_ptr_equal(vhkey_report_key(r), held);
	assert_string_equal(r->key_line, want);
	/* data of another length is not the blob's: encoded afresh */
	key = tu_load_public("rsa2048.pub");
	assert_int_equal(vk_report_take_key(r, &key, "AAAA", 4), VHKEY_OK);
	assert_string_equal(r->key_line, want);
	key = tu_load_public("rsa2048.pub");
	assert_int_equal(vk_report_take_key(r, &key, NULL, 0), VHKEY_OK);
	assert_string_equal(r->key_line, want);
	free(b64);
	free(want);
	vhkey_report_free(r);
}

static void
test_rejected_without_key(void **state)
{
	vhkey_report *r = vk_report_new();
	char *json;

	(void)state;
	assert_int_equal(vk_report_reject(r, VHKEY_REASON_MALFORMED,
			     "bad \"quote\" \\ and\nnewline\x01 \xff\xc3("),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_REJECTED);
	assert_null(vhkey_report_key(r));
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_string_equal(json,
	    "{\"verdict\":\"rejected\",\"reason\":\"malformed\","
	    "\"type\":null,\"bits\":null,\"fingerprint\":null,"
	    "\"fingerprint_md5\":null,\"comment\":null,\"key\":null,"
	    /* the message was escaped when it was set, then JSON escaped */
	    "\"message\":\"bad \\\"quote\\\" \\\\ and\\\\012newline"
	    "\\\\001 \\\\377\\\\303(\",\"warnings\":[],\"repairs\":[],"
	    "\"as_written\":null,\"encrypted\":null,"
	    "\"rotation\":null,\"age_days\":null,\"created\":null,"
	    "\"due\":null,\"created_estimated\":false,\"findings\":[]}");
	free(json);
	vhkey_report_free(r);
	vhkey_report_free(NULL);
}

/* in as a JSON string is out. */
static void
assert_json_string(const char *in, const char *out)
{
	vk_writer w;

	vk_writer_init(&w, 0);
	assert_int_equal(vk_json_string(&w, in), VHKEY_OK);
	assert_int_equal(vk_put_u8(&w, 0), VHKEY_OK);
	assert_string_equal((char *)w.data, out);
	vk_writer_clear(&w);
}

static void
test_json_utf8(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },
		{ "\xf0\x9f\x94\x91", "\"\xf0\x9f\x94\x91\"" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },	  /* overlong */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" }, /* surrogate */
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"" },	  /* truncated */
		{ "\x7f", "\"\\u007f\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_json_string(cases[i].in, cases[i].out);
}

/* Each class of character a terminal acts on, byte by byte. */
static void
test_escape_classes(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "plain user@host 1-2_3.", "plain user@host 1-2_3." },
		/* C0, tab and line feed included, and DEL */
		{ "a\033[31mb", "a\\033[31mb" },
		{ "\x01\x07\x08\t\n\r\x1f",
		    "\\001\\007\\010\\011\\012\\015\\037" },
		{ "x\x7fy", "x\\177y" },
		/* C1 as code points (U+0080, U+009B, U+009D, U+009F) */
		{ "\xc2\x80\xc2\x9b\xc2\x9d\xc2\x9f",
		    "\\302\\200\\302\\233\\302\\235\\302\\237" },
		/* C1 as raw bytes: no valid UTF-8 */
		{ "a\x9b" "31m\x9d", "a\\233" "31m\\235" },
		/* bidirectional controls */
		{ "\xd8\x9c", "\\330\\234" },			/* U+061C */
		{ "\xe2\x80\x8e\xe2\x80\x8f",
		    "\\342\\200\\216\\342\\200\\217" },
		{ "\xe2\x80\xaa", "\\342\\200\\252" },		/* U+202A */
		{ "\xe2\x80\xae", "\\342\\200\\256" },		/* U+202E */
		{ "\xe2\x81\xa6", "\\342\\201\\246" },		/* U+2066 */
		{ "\xe2\x81\xa9", "\\342\\201\\251" },		/* U+2069 */
		/* line and paragraph separators */
		{ "\xe2\x80\xa8\xe2\x80\xa9",
		    "\\342\\200\\250\\342\\200\\251" },
		/* invalid UTF-8: overlong, surrogate, past U+10FFFF, 0xff */
		{ "\xc0\xaf", "\\300\\257" },
		{ "\xed\xa0\x80", "\\355\\240\\200" },
		{ "\xf4\x90\x80\x80", "\\364\\220\\200\\200" },
		{ "\xff", "\\377" },
		/* truncated at the end of the string */
		{ "ok\xe6\x97", "ok\\346\\227" },
		{ "ok\xc3", "ok\\303" },
		{ "ok\xf0\x9f\x94", "ok\\360\\237\\224" },
		/* a lead byte before ASCII: only that byte */
		{ "\xe2(x", "\\342(x" },
		/* kept: printable UTF-8, neighbours of the escaped ranges */
		{ "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac",
		    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac" },
		{ "\xc2\xa0\xe2\x80\xad\xe2\x80\xaf", /* U+202D only */
		    "\xc2\xa0\\342\\200\\255\xe2\x80\xaf" },
		{ "\xe2\x80\x8d\xe2\x81\xa5\xe2\x81\xaa",
		    "\xe2\x80\x8d\xe2\x81\xa5\xe2\x81\xaa" },
		{ "\xf0\x9f\x94\x91", "\xf0\x9f\x94\x91" },
		/* a backslash is kept, as ssh-keygen keeps it */
		{ "a\\033b\\", "a\\033b\\" },
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = vhkey_escape(buf, sizeof(buf), cases[i].in, 0);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
		assert_true(n + 1 <= VHKEY_ESCAPE_MAX(strlen(cases[i].in)));
		/* escaped text needs nothing more */
		assert_int_equal(vhkey_escape(NULL, 0, buf, 0), n);
		assert_int_equal(vk_escape_needed(buf, n), 0);
		assert_int_equal(vk_escape_needed(cases[i].in,
				     strlen(cases[i].in)),
		    strcmp(cases[i].in, cases[i].out) != 0);
	}
}

/* Random bytes: nothing unsafe is left, escaping again changes nothing,
 * and a short buffer holds a prefix of the whole result. */
static void
test_escape_random(void **state)
{
	char in[64], out[VHKEY_ESCAPE_MAX(sizeof(in))], again[sizeof(out)];
	char cut[32];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t len = randombytes_uniform(sizeof(in)), n;
		randombytes_buf(in, len);
		/* bytes that matter most, more often than chance gives them */
		for (size_t i = 0; i < len; i++)
			if (in[i] == '\0')
				in[i] = "\x1b\xc2\x9b\xe2\x80\xae"[i % 6];
		in[len] = '\0';
		n = vhkey_escape(out, sizeof(out), in, 0);
		assert_true(n < sizeof(out));
		assert_int_equal(vk_escape_needed(out, n), 0);
		assert_int_equal(vhkey_escape(again, sizeof(again), out, 0), n);
		assert_string_equal(again, out);
		(void)vhkey_escape(cut, sizeof(cut), in, 0);
		assert_memory_equal(cut, out, strlen(cut));
		assert_true(strlen(cut) + 4 > sizeof(cut) - 1 ||
		    strlen(cut) == n);
		n = vhkey_escape(out, sizeof(out), in, VHKEY_ESCAPE_ASCII);
		for (size_t i = 0; i < n; i++)
			assert_true(out[i] >= 0x20 && out[i] < 0x7f);
	}
}

/* For a terminal not in UTF-8, every byte above 0x7F. */
static void
test_escape_ascii(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(vhkey_escape(buf, sizeof(buf),
			     "caf\xc3\xa9\x1b\xc2\x9b\\", VHKEY_ESCAPE_ASCII),
	    24);
	assert_string_equal(buf, "caf\\303\\251\\033\\302\\233\\");
}

/* snprintf()'s contract: the whole length, cut at an escape boundary. */
static void
test_escape_short_buffer(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(vhkey_escape(buf, 6, "ab\x1b" "cd", 0), 8);
	assert_string_equal(buf, "ab"); /* "\033" does not fit whole */
	assert_int_equal(buf[6], 'x');
	assert_int_equal(vhkey_escape(buf, 7, "ab\x1b" "cd", 0), 8);
	assert_string_equal(buf, "ab\\033");
	assert_int_equal(vhkey_escape(buf, 1, "abc", 0), 3);
	assert_string_equal(buf, "");
	assert_int_equal(vhkey_escape(NULL, 0, "\x1b", 0), 4);
}

/* The report's texts are escaped when they are set, fixes too. */
static void
test_report_texts_escaped(void **state)
{
	vhkey_report *r = vk_report_new();

	(void)state;
	assert_int_equal(vk_report_warn(r, "comment %s", "a\x1b[2Jb"),
	    VHKEY_OK);
	assert_int_equal(vk_report_repair(r, "%s", "\xe2\x80\xae" "fdp"),
	    VHKEY_OK);
	assert_int_equal(vk_report_add_finding(r, VHKEY_REASON_BAD_PERMISSIONS,
			     "chmod 600 'k\ney'", "'%s' is open", "k\x9b"),
	    VHKEY_OK);
	assert_string_equal(vhkey_report_warning(r, 0), "comment a\\033[2Jb");
	assert_string_equal(vhkey_report_repair(r, 0), "\\342\\200\\256fdp");
	assert_string_equal(vhkey_report_message(r), "'k\\233' is open");
	assert_string_equal(vhkey_report_finding_message(r, 0),
	    "'k\\233' is open");
	assert_string_equal(vhkey_report_finding_fix(r, 0),
	    "chmod 600 'k\\012ey'");
	assert_int_equal(vk_report_accept_join(r, "Accepted (", "\x07", ").",
			     (const char *)NULL),
	    VHKEY_OK);
	assert_string_equal(vhkey_report_message(r), "Accepted (\\007).");
	vhkey_report_free(r);
}

/* JSON: \uXXXX for what a terminal acts on, U+FFFD for bad bytes. */
static void
test_json_unsafe(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a\x1b[31m\x07", "\"a\\u001b[31m\\u0007\"" },
		{ "\xc2\x9b\xc2\x85", "\"\\u009b\\u0085\"" },
		{ "\x9b", "\"\\ufffd\"" },
		{ "\xe2\x80\xae\xd8\x9c\xe2\x81\xa9",
		    "\"\\u202e\\u061c\\u2069\"" },
		{ "\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\"" },
		{ "x\xf0\x9f", "\"x\\ufffd\\ufffd\"" },
		{ "\\033", "\"\\\\033\"" },
		{ "\xe6\x97\xa5\xc2\xa0", "\"\xe6\x97\xa5\xc2\xa0\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_json_string(cases[i].in, cases[i].out);
}

/* Findings keep the most important first, and it sets the verdict. */
static void
test_findings_ranked(void **state)
{
	vhkey_report *r = vk_report_new();
	char *json;

	(void)state;
	assert_int_equal(vk_report_accept(r, "fine"), VHKEY_OK);
	assert_int_equal(vhkey_report_finding_count(r), 0);
	assert_int_equal(vk_report_add_finding(r,
			     VHKEY_REASON_ROTATION_OVERDUE, "vhkeygen --rotate",
			     "old %d", 1),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_REJECTED);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_ROTATION_OVERDUE);
	assert_string_equal(vhkey_report_message(r), "old 1");
	assert_int_equal(vk_report_add_finding(r, VHKEY_REASON_PAIR_MISMATCH,
			     NULL, "pair"),
	    VHKEY_OK);
	assert_int_equal(vk_report_add_finding(r,
			     VHKEY_REASON_BAD_PERMISSIONS, "chmod 600 'k'",
			     "perm"),
	    VHKEY_OK);
	/* less important than what is there: listed, reason unchanged */
	assert_int_equal(vk_report_add_finding(r,
			     VHKEY_REASON_ROTATION_OVERDUE, NULL, "old 2"),
	    VHKEY_OK);
	assert_int_equal(vk_report_add_finding(r, VHKEY_REASON_BAD_OWNER,
			     "sudo chown me 'k'", "owner"),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_BAD_OWNER);
	assert_string_equal(vhkey_report_message(r), "owner");
	assert_int_equal(vhkey_report_finding_count(r), 5);
	assert_int_equal(vhkey_report_finding_reason(r, 0),
	    VHKEY_REASON_BAD_OWNER);
	assert_int_equal(vhkey_report_finding_reason(r, 1),
	    VHKEY_REASON_BAD_PERMISSIONS);
	assert_int_equal(vhkey_report_finding_reason(r, 2),
	    VHKEY_REASON_PAIR_MISMATCH);
	assert_string_equal(vhkey_report_finding_message(r, 3), "old 1");
	assert_string_equal(vhkey_report_finding_message(r, 4), "old 2");
	assert_string_equal(vhkey_report_finding_fix(r, 1), "chmod 600 'k'");
	assert_null(vhkey_report_finding_fix(r, 2));
	assert_int_equal(vhkey_report_finding_reason(r, 5), VHKEY_REASON_NONE);
	assert_null(vhkey_report_finding_message(r, 5));
	assert_null(vhkey_report_finding_fix(r, 5));

	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_non_null(strstr(json,
	    "\"findings\":[{\"reason\":\"bad_owner\",\"message\":\"owner\","
	    "\"fix\":\"sudo chown me 'k'\"},{\"reason\":\"bad_permissions\","
	    "\"message\":\"perm\",\"fix\":\"chmod 600 'k'\"},"
	    "{\"reason\":\"pair_mismatch\",\"message\":\"pair\","
	    "\"fix\":null},{\"reason\":\"rotation_overdue\",\"message\":"
	    "\"old 1\",\"fix\":\"vhkeygen --rotate\"},{\"reason\":"
	    "\"rotation_overdue\",\"message\":\"old 2\",\"fix\":null}]}"));
	assert_non_null(strstr(json, "\"reason\":\"bad_owner\",\"type\""));
	free(json);
	vhkey_report_free(r);
}

/* A verdict set without findings keeps its reason when it matters more. */
static void
test_findings_after_reject(void **state)
{
	vhkey_report *r = vk_report_new();

	(void)state;
	assert_int_equal(vk_report_reject(r, VHKEY_REASON_PRIVATE_KEY, "leak"),
	    VHKEY_OK);
	assert_int_equal(vk_report_add_finding(r,
			     VHKEY_REASON_ROTATION_OVERDUE, NULL, "old"),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_PRIVATE_KEY);
	assert_string_equal(vhkey_report_message(r), "leak");
	assert_int_equal(vhkey_report_finding_count(r), 1);
	vhkey_report_free(r);
}

/* The rotation fields, as JSON carries them. */
static void
test_rotation_json(void **state)
{
	vhkey_report *r = vk_report_new();
	vhkey_rotation rot;
	char *json;

	(void)state;
	/* 2026-01-01T00:00:00Z, checked 100 days later */
	assert_int_equal(vhkey_rotation_eval(1767225600,
			     1767225600 + 100 * 86400, NULL, &rot),
	    VHKEY_OK);
	r->has_rotation = 1;
	r->rotation = rot;
	r->created_estimated = 1;
	assert_non_null(vhkey_report_rotation(r));
	assert_int_equal(vhkey_report_created_estimated(r), 1);
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	assert_non_null(strstr(json,
	    "\"repairs\":[],\"as_written\":null,\"encrypted\":null,"
	    "\"rotation\":\"overdue\",\"age_days\":100,"
	    "\"created\":\"2026-01-01T00:00:00Z\","
	    "\"due\":\"2026-04-01T00:00:00Z\",\"created_estimated\":true,"
	    "\"findings\":[]}"));
	free(json);
	vhkey_report_free(r);
}

/* Each kind of report says what it is about; the subject of the reports
 * vhkey_check_file() hands over collected here, by line. */
struct subjects {
	vhkey_subject by_line[4];
	size_t n;
};

static int
note_subject(void *arg, unsigned long line, const vhkey_report *r)
{
	struct subjects *s = arg;

	(void)line;
	if (s->n < sizeof(s->by_line) / sizeof(s->by_line[0]))
		s->by_line[s->n++] = vhkey_report_subject(r);
	return 0;
}

static void
test_subject(void **state)
{
	static const char paste[] = "ssh-ed25519 AAAA";
	char *dir = tu_mkdtemp(), path[4096];
	struct subjects s = { .n = 0 };
	vhkey_report *r = NULL;

	(void)state;
	assert_int_equal(vhkey_check_paste(paste, sizeof(paste) - 1, NULL, 0,
			     &r),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_subject(r), VHKEY_SUBJECT_PASTE);
	vhkey_report_free(r);
	/* a line of a file, and a whole file that holds no key */
	snprintf(path, sizeof(path), "%s/keys", dir);
	assert_int_equal(tu_write_file(path, "# c\nssh-rsa AAAA\n", 17, 0644),
	    0);
	assert_int_equal(vhkey_check_file(path, NULL, 0, note_subject, &s,
			     NULL),
	    VHKEY_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.by_line[0], VHKEY_SUBJECT_KEY_LINE);
	assert_int_equal(tu_write_file(path, "", 0, 0644), 0);
	assert_int_equal(vhkey_check_file(path, NULL, 0, note_subject, &s,
			     NULL),
	    VHKEY_OK);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.by_line[1], VHKEY_SUBJECT_KEYS_FILE);
	/* a private key file, even one that cannot be read */
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(vhkey_check_private_file(path, NULL, 0, &r),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_subject(r), VHKEY_SUBJECT_PRIVATE_FILE);
	vhkey_report_free(r);
	tu_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_accepted_with_key),
		cmocka_unit_test(test_take_key),
		cmocka_unit_test(test_accept_join),
		cmocka_unit_test(test_rejected_without_key),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_escape_classes),
		cmocka_unit_test(test_escape_random),
		cmocka_unit_test(test_escape_ascii),
		cmocka_unit_test(test_escape_short_buffer),
		cmocka_unit_test(test_report_texts_escaped),
		cmocka_unit_test(test_json_unsafe),
		cmocka_unit_test(test_findings_ranked),
		cmocka_unit_test(test_findings_after_reject),
		cmocka_unit_test(test_rotation_json),
		cmocka_unit_test(test_subject),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
