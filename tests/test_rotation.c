/* test_rotation.c - creation stamps, and the age verdict under a policy,
 * with time given explicitly. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "check.h"
#include "testutil.h"

#define DAY 86400
#define T2026 ((time_t)1767225600) /* 2026-01-01T00:00:00Z */

/* ---------------------------------------------------------- the verdict */

static void
test_eval_boundaries(void **state)
{
	const time_t due = T2026 + 90 * DAY, warn = due - 14 * DAY;
	static const struct {
		long long offset; /* from T2026, seconds */
		vhkey_rotation_state state;
		long long age;
	} cases[] = {
		{ 0, VHKEY_ROTATION_OK, 0 },
		{ DAY - 1, VHKEY_ROTATION_OK, 0 },
		{ DAY, VHKEY_ROTATION_OK, 1 },
		{ 76LL * DAY - 1, VHKEY_ROTATION_OK, 75 },   /* just before */
		{ 76LL * DAY, VHKEY_ROTATION_DUE_SOON, 76 }, /* the window */
		{ 90LL * DAY - 1, VHKEY_ROTATION_DUE_SOON, 89 },
		{ 90LL * DAY, VHKEY_ROTATION_OVERDUE, 90 },
		{ 365LL * DAY + 5, VHKEY_ROTATION_OVERDUE, 365 },
	};
	vhkey_rotation rot;

	(void)state;
	assert_int_equal(warn, T2026 + 76 * DAY);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&rot, 0xa5, sizeof(rot));
		assert_int_equal(vhkey_rotation_eval(T2026,
				     (time_t)(T2026 + cases[i].offset), NULL,
				     &rot),
		    VHKEY_OK);
		assert_int_equal(rot.state, cases[i].state);
		assert_int_equal(rot.age_days, cases[i].age);
		assert_int_equal(rot.created, T2026);
		assert_int_equal(rot.due, due);
	}
}

static void
test_eval_policy(void **state)
{
	vhkey_policy *p = NULL;
	vhkey_rotation rot;

	(void)state;
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_rotation(p, 30, 7), VHKEY_OK);
	assert_int_equal(vhkey_rotation_eval(T2026, T2026 + 22 * DAY, p, &rot),
	    VHKEY_OK);
	assert_int_equal(rot.state, VHKEY_ROTATION_OK);
	assert_int_equal(rot.due, T2026 + 30 * DAY);
	assert_int_equal(vhkey_rotation_eval(T2026, T2026 + 23 * DAY, p, &rot),
	    VHKEY_OK);
	assert_int_equal(rot.state, VHKEY_ROTATION_DUE_SOON);
	assert_int_equal(vhkey_rotation_eval(T2026, T2026 + 30 * DAY, p, &rot),
	    VHKEY_OK);
	assert_int_equal(rot.state, VHKEY_ROTATION_OVERDUE);
	/* no warning window: ok until overdue */
	assert_int_equal(vhkey_policy_set_rotation(p, 1, 0), VHKEY_OK);
	assert_int_equal(vhkey_rotation_eval(T2026, T2026 + DAY - 1, p, &rot),
	    VHKEY_OK);
	assert_int_equal(rot.state, VHKEY_ROTATION_OK);
	assert_int_equal(vhkey_rotation_eval(T2026, T2026 + DAY, p, &rot),
	    VHKEY_OK);
	assert_int_equal(rot.state, VHKEY_ROTATION_OVERDUE);
	vhkey_policy_free(p);
}

static void
test_eval_odd_times(void **state)
{
	vhkey_rotation rot;

	(void)state;
	/* made in the future (clock skew): age 0, ok */
	assert_int_equal(vhkey_rotation_eval(T2026 + 5 * DAY, T2026, NULL,
			     &rot),
	    VHKEY_OK);
	assert_int_equal(rot.state, VHKEY_ROTATION_OK);
	assert_int_equal(rot.age_days, 0);
	assert_int_equal(rot.due, T2026 + 95 * DAY);
	assert_int_equal(vhkey_rotation_eval(0, 0, NULL, &rot), VHKEY_OK);
	assert_int_equal(vhkey_rotation_eval(-1, T2026, NULL, &rot),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_rotation_eval(T2026, -1, NULL, &rot),
	    VHKEY_ERR_ARGUMENT);
	/* the due date must be writable too: 9999-12-31 is the end */
	assert_int_equal(vhkey_rotation_eval((time_t)253402300799LL, T2026,
			     NULL, &rot),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_rotation_eval((time_t)253402300799LL -
				 90LL * DAY,
			     T2026, NULL, &rot),
	    VHKEY_OK);
	assert_int_equal(vhkey_rotation_eval(T2026, (time_t)253402300800LL,
			     NULL, &rot),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_rotation_eval(T2026, T2026, NULL, NULL),
	    VHKEY_ERR_ARGUMENT);
	assert_string_equal(vhkey_rotation_name(VHKEY_ROTATION_OK), "ok");
	assert_string_equal(vhkey_rotation_name(VHKEY_ROTATION_DUE_SOON),
	    "due_soon");
	assert_string_equal(vhkey_rotation_name(VHKEY_ROTATION_OVERDUE),
	    "overdue");
	assert_null(vhkey_rotation_name(3));
	assert_null(vhkey_rotation_name(-1));
}

/* ------------------------------------------------------------- the time */

static void
test_format_time(void **state)
{
	char buf[VHKEY_TIME_MAX];

	(void)state;
	assert_int_equal(vhkey_format_time(T2026 + 16 * 3600 + 20 * 60 + 7,
			     buf, sizeof(buf)),
	    VHKEY_OK);
	assert_string_equal(buf, "2026-01-01T16:20:07Z");
	assert_int_equal(vhkey_format_time(0, buf, sizeof(buf)), VHKEY_OK);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_int_equal(vhkey_format_time((time_t)253402300799LL, buf,
			     sizeof(buf)),
	    VHKEY_OK);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	assert_int_equal(vhkey_format_time((time_t)253402300800LL, buf,
			     sizeof(buf)),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_format_time(-1, buf, sizeof(buf)),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_format_time(T2026, buf, VHKEY_TIME_MAX - 1),
	    VHKEY_ERR_BUFFER);
}

/* The hand-written calendar agrees with the C library's, day by day. */
static void
test_stamp_calendar(void **state)
{
	vhkey *key = tu_load_private("rsa2048");
	char comment[64], iso[VHKEY_TIME_MAX];
	time_t t, got;

	(void)state;
	/* every day from 1970 to 2110, at a varying time of day */
	for (t = 0; t < (time_t)4386268800LL; t += DAY + 3599) {
		assert_int_equal(vhkey_format_time(t, iso, sizeof(iso)),
		    VHKEY_OK);
		snprintf(comment, sizeof(comment), "vhkey-created=%s", iso);
		assert_int_equal(vhkey_set_comment(key, comment), VHKEY_OK);
		assert_int_equal(vhkey_created_time(key, &got), VHKEY_OK);
		assert_int_equal(got, t);
	}
	vhkey_free(key);
}

/* ------------------------------------------------------------ the stamp */

static int
created(vhkey *key, const char *comment, time_t *t)
{
	assert_int_equal(vhkey_set_comment(key, comment), VHKEY_OK);
	return vhkey_created_time(key, t);
}

static void
test_stamp_parse(void **state)
{
	static const struct {
		const char *comment;
		time_t want;
	} good[] = {
		{ "vhkey-created=2026-01-01T00:00:00Z", T2026 },
		{ "alice@laptop vhkey-created=2026-01-01T00:00:00Z", T2026 },
		{ "vhkey-created=2026-01-01T00:00:01Z first", T2026 + 1 },
		{ "a\tvhkey-created=2026-01-01T00:01:00Z\tb", T2026 + 60 },
		{ "vhkey-created=2024-02-29T23:59:59Z", 1709251199 },
		{ "vhkey-created=2000-02-29T12:00:00Z", 951825600 },
		{ "vhkey-created=1970-01-01T00:00:00Z", 0 },
		{ "vhkey-created=9999-12-31T23:59:59Z",
		    (time_t)253402300799LL },
	};
	static const char *const none[] = {
		"",
		"alice@laptop",
		"xvhkey-created=2026-01-01T00:00:00Z",
		"vhkey-created:2026-01-01T00:00:00Z",
		"VHKEY-CREATED=2026-01-01T00:00:00Z",
		"created=2026-01-01T00:00:00Z",
	};
	static const char *const bad[] = {
		"vhkey-created=",
		"vhkey-created=2026-01-01",
		"vhkey-created=2026-01-01T00:00:00",
		"vhkey-created=2026-01-01T00:00:00Z0",
		"vhkey-created=2026-01-01T00:00:00ZZ",
		"vhkey-created=2026-01-01T00:00:00.5Z",
		"vhkey-created=2026-01-01T00:00:00+00:00",
		"vhkey-created=2026-01-01t00:00:00Z",
		"vhkey-created=2026-01-01T00:00:00z",
		"vhkey-created=2026-01-01 00:00:00Z",
		"vhkey-created=20260101T000000Z",
		"vhkey-created=2026-1-01T00:00:00Z",
		"vhkey-created=02026-01-01T00:00:00Z",
		"vhkey-created=2026-13-01T00:00:00Z",
		"vhkey-created=2026-00-01T00:00:00Z",
		"vhkey-created=2026-01-00T00:00:00Z",
		"vhkey-created=2026-01-32T00:00:00Z",
		"vhkey-created=2026-02-29T00:00:00Z", /* not a leap year */
		"vhkey-created=2100-02-29T00:00:00Z", /* nor is 2100 */
		"vhkey-created=2026-04-31T00:00:00Z",
		"vhkey-created=2026-01-01T24:00:00Z",
		"vhkey-created=2026-01-01T23:60:00Z",
		"vhkey-created=2026-01-01T23:59:60Z", /* no leap seconds */
		"vhkey-created=1969-12-31T23:59:59Z",
		"vhkey-created=0000-01-01T00:00:00Z",
		"vhkey-created=2O26-01-01T00:00:00Z",
		"vhkey-created=2026-01-0\xc2\xb9T00:00:00Z",
		"vhkey-created=-026-01-01T00:00:00Z",
		"vhkey-created=+026-01-01T00:00:00Z",
		"vhkey-created= 2026-01-01T00:00:00Z",
		/* two stamps, even equal ones: which would be true? */
		"vhkey-created=2026-01-01T00:00:00Z "
		"vhkey-created=2026-01-01T00:00:00Z",
		"vhkey-created=2026-01-01T00:00:00Z vhkey-created=junk",
	};
	vhkey *key = tu_load_private("rsa2048");
	char overlong[VHKEY_COMMENT_MAX + 1];
	time_t t;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		t = 42;
		assert_int_equal(created(key, good[i].comment, &t), VHKEY_OK);
		assert_int_equal(t, good[i].want);
	}
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		t = 42;
		assert_int_equal(created(key, none[i], &t),
		    VHKEY_ERR_NO_STAMP);
		assert_int_equal(t, 42); /* untouched */
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = 42;
		assert_int_equal(created(key, bad[i], &t), VHKEY_ERR_FORMAT);
		assert_int_equal(t, 42);
	}
	/* an overlong stamp word, as long as a comment may be */
	memset(overlong, '9', sizeof(overlong) - 1);
	overlong[sizeof(overlong) - 1] = '\0';
	memcpy(overlong, "vhkey-created=2026-01-01T00:00:00Z", 34);
	assert_int_equal(created(key, overlong, &t), VHKEY_ERR_FORMAT);
	/* a comment as long as allowed, with no stamp */
	memset(overlong, 'a', sizeof(overlong) - 1);
	assert_int_equal(vk_stamp_find(overlong, &t), VHKEY_ERR_NO_STAMP);
	vhkey_free(key);
}

static void
check_with_stamp(const char *comment, time_t when, const char *want)
{
	char *out = (char *)0x1;

	assert_int_equal(vhkey_comment_with_stamp(comment, when, &out),
	    VHKEY_OK);
	assert_string_equal(out, want);
	free(out);
}

static void
check_without_stamp(const char *comment, const char *want)
{
	char *out = NULL;

	assert_int_equal(vhkey_comment_without_stamp(comment, &out), VHKEY_OK);
	assert_string_equal(out, want);
	free(out);
}

static void
test_comment_with_stamp(void **state)
{
	char big[VHKEY_COMMENT_MAX + 2], *out = (char *)0x1;
	vhkey *key = tu_load_private("rsa2048");
	time_t t;

	(void)state;
	check_with_stamp(NULL, T2026, "vhkey-created=2026-01-01T00:00:00Z");
	check_with_stamp("", T2026, "vhkey-created=2026-01-01T00:00:00Z");
	check_with_stamp("alice@laptop", T2026 + 59,
	    "alice@laptop vhkey-created=2026-01-01T00:00:59Z");
	check_with_stamp("job 42", T2026,
	    "job 42 vhkey-created=2026-01-01T00:00:00Z");
	/* an old stamp is replaced, wherever it is, valid or not */
	check_with_stamp("a vhkey-created=2020-05-05T05:05:05Z b", T2026,
	    "a b vhkey-created=2026-01-01T00:00:00Z");
	check_with_stamp("vhkey-created=junk  a\tb ", T2026,
	    "a\tb vhkey-created=2026-01-01T00:00:00Z");
	check_with_stamp("a vhkey-created=x vhkey-created=y", T2026,
	    "a vhkey-created=2026-01-01T00:00:00Z");
	check_with_stamp("vhkey-created=x", T2026,
	    "vhkey-created=2026-01-01T00:00:00Z");
	check_without_stamp("alice@laptop vhkey-created=2026-01-01T00:00:00Z",
	    "alice@laptop");
	/* the blanks before a stamp go with it */
	check_without_stamp("  x  vhkey-created=1 y", "  x y");
	check_without_stamp(NULL, "");
	check_without_stamp("vhkey-created=1", "");

	/* what comes out parses back to the same time */
	assert_int_equal(vhkey_comment_with_stamp("u@h", T2026 + 12345, &out),
	    VHKEY_OK);
	assert_int_equal(created(key, out, &t), VHKEY_OK);
	assert_int_equal(t, T2026 + 12345);
	free(out);

	/* too long once stamped, a line break, a time out of range */
	memset(big, 'c', VHKEY_COMMENT_MAX - 35);
	big[VHKEY_COMMENT_MAX - 35] = '\0';
	assert_int_equal(vhkey_comment_with_stamp(big, T2026, &out), VHKEY_OK);
	assert_int_equal(strlen(out), VHKEY_COMMENT_MAX);
	free(out);
	big[VHKEY_COMMENT_MAX - 35] = 'c';
	big[VHKEY_COMMENT_MAX - 34] = '\0';
	out = (char *)0x1;
	assert_int_equal(vhkey_comment_with_stamp(big, T2026, &out),
	    VHKEY_ERR_ARGUMENT);
	assert_null(out);
	memset(big, 'c', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(vhkey_comment_with_stamp(big, T2026, &out),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_comment_without_stamp(big, &out),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_comment_with_stamp("a\nb", T2026, &out),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_comment_with_stamp("a", -1, &out),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_comment_with_stamp("a", T2026, NULL),
	    VHKEY_ERR_ARGUMENT);
	vhkey_free(key);
}

/* ---------------------------------------------- reports of pasted keys */

static void
test_report_add_rotation(void **state)
{
	vhkey *key = tu_load_private("rsa2048");
	vhkey_report *r;
	const vhkey_rotation *rot;

	(void)state;
	/* no stamp: nothing recorded, nothing said */
	r = vk_report_new();
	assert_int_equal(vk_report_accept(r, "ok"), VHKEY_OK);
	assert_int_equal(vk_report_add_rotation(r, key, NULL, T2026),
	    VHKEY_OK);
	assert_null(vhkey_report_rotation(r));
	assert_int_equal(vhkey_report_warning_count(r), 0);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	vhkey_report_free(r);

	/* young: recorded, still accepted, quiet */
	assert_int_equal(vhkey_set_comment(key,
			     "u@h vhkey-created=2026-01-01T00:00:00Z"),
	    VHKEY_OK);
	r = vk_report_new();
	assert_int_equal(vk_report_add_rotation(r, key, NULL, T2026 + 10 * DAY),
	    VHKEY_OK);
	assert_non_null(rot = vhkey_report_rotation(r));
	assert_int_equal(rot->state, VHKEY_ROTATION_OK);
	assert_int_equal(rot->age_days, 10);
	assert_int_equal(vhkey_report_created_estimated(r), 0);
	assert_int_equal(vhkey_report_warning_count(r), 0);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	vhkey_report_free(r);

	/* due soon: accepted with a warning naming the date */
	r = vk_report_new();
	assert_int_equal(vk_report_add_rotation(r, key, NULL, T2026 + 80 * DAY),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_rotation(r)->state,
	    VHKEY_ROTATION_DUE_SOON);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_ACCEPTED);
	assert_int_equal(vhkey_report_warning_count(r), 1);
	assert_non_null(strstr(vhkey_report_warning(r, 0),
	    "due for rotation on 2026-04-01T00:00:00Z, in 10 days"));
	vhkey_report_free(r);

	/* overdue: rejected, one finding, no file to name in a fix */
	r = vk_report_new();
	assert_int_equal(vk_report_add_rotation(r, key, NULL,
			     T2026 + 100 * DAY),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_verdict(r), VHKEY_REJECTED);
	assert_int_equal(vhkey_report_reason(r), VHKEY_REASON_ROTATION_OVERDUE);
	assert_int_equal(vhkey_report_finding_count(r), 1);
	assert_null(vhkey_report_finding_fix(r, 0));
	assert_string_equal(vhkey_report_message(r),
	    "The key is 100 days old (created 2026-01-01T00:00:00Z), and the "
	    "policy asks for a new key every 90 days: it was due on "
	    "2026-04-01T00:00:00Z.  Make a new key pair, register its .pub "
	    "where this key is registered, and remove this key there.");
	vhkey_report_free(r);

	/* a stamp in the future: age 0, and a word about the clock */
	r = vk_report_new();
	assert_int_equal(vk_report_add_rotation(r, key, NULL, T2026 - DAY),
	    VHKEY_OK);
	assert_int_equal(vhkey_report_rotation(r)->age_days, 0);
	assert_int_equal(vhkey_report_warning_count(r), 1);
	assert_non_null(strstr(vhkey_report_warning(r, 0), "in the future"));
	vhkey_report_free(r);

	/* a malformed stamp: a warning, no verdict on age */
	assert_int_equal(vhkey_set_comment(key, "vhkey-created=2026-02-30T00:00:00Z"),
	    VHKEY_OK);
	r = vk_report_new();
	assert_int_equal(vk_report_add_rotation(r, key, NULL, T2026),
	    VHKEY_OK);
	assert_null(vhkey_report_rotation(r));
	assert_int_equal(vhkey_report_warning_count(r), 1);
	assert_non_null(strstr(vhkey_report_warning(r, 0), "malformed"));
	vhkey_report_free(r);
	vhkey_free(key);
}

static void
test_shell_quote(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "key", "'key'" },
		{ "my key", "'my key'" },
		{ "it's", "'it'\\''s'" },
		{ "''", "''\\'''\\'''" },
		{ "-rf", "'./-rf'" },
		{ "/x/-rf", "'/x/-rf'" },
		{ "$(reboot)`x`\\", "'$(reboot)`x`\\'" },
		{ "", "''" },
		/* what a terminal acts on: bash reads the bytes back */
		{ "k\x1b]0;x\x07", "$'k\\033]0;x\\007'" },
		{ "-\xe2\x80\xae'\\\xc3\xa9\xff", "$'./-\\342\\200\\256\\'\\\\\xc3\xa9\\377'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *q = vk_shell_quote(cases[i].in);
		assert_string_equal(q, cases[i].out);
		free(q);
	}
}

/* The caller's struct: the room kept for later fields comes back zero. */
static void
test_eval_reserved(void **state)
{
	vhkey_rotation rot;

	(void)state;
	memset(&rot, 0xa5, sizeof(rot));
	assert_int_equal(vhkey_rotation_eval(T2026, T2026 + DAY, NULL, &rot),
	    VHKEY_OK);
	for (size_t i = 0; i < sizeof(rot.reserved) / sizeof(rot.reserved[0]);
	     i++)
		assert_int_equal(rot.reserved[i], 0);
	assert_int_equal(rot.age_days, 1);
	assert_int_equal(rot.state, VHKEY_ROTATION_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eval_reserved),
		cmocka_unit_test(test_eval_boundaries),
		cmocka_unit_test(test_eval_policy),
		cmocka_unit_test(test_eval_odd_times),
		cmocka_unit_test(test_format_time),
		cmocka_unit_test(test_stamp_calendar),
		cmocka_unit_test(test_stamp_parse),
		cmocka_unit_test(test_comment_with_stamp),
		cmocka_unit_test(test_report_add_rotation),
		cmocka_unit_test(test_shell_quote),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
