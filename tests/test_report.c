/* test_report.c - building reports and their JSON. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vhkey_internal.h"
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
	    "\"message\":\"bad \\\"quote\\\" \\\\ and\\u000anewline\\u0001 "
	    "\\ufffd\\ufffd(\",\"warnings\":[],\"repairs\":[],"
	    "\"as_written\":null,"
	    "\"rotation\":null,\"age_days\":null,\"created\":null,"
	    "\"due\":null,\"created_estimated\":false,\"findings\":[]}");
	free(json);
	vhkey_report_free(r);
	vhkey_report_free(NULL);
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
	vk_writer w;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vk_writer_init(&w, 0);
		assert_int_equal(vk_json_string(&w, cases[i].in), VHKEY_OK);
		assert_int_equal(vk_put_u8(&w, 0), VHKEY_OK);
		assert_string_equal((char *)w.data, cases[i].out);
		vk_writer_clear(&w);
	}
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
	    "\"repairs\":[],\"as_written\":null,"
	    "\"rotation\":\"overdue\",\"age_days\":100,"
	    "\"created\":\"2026-01-01T00:00:00Z\","
	    "\"due\":\"2026-04-01T00:00:00Z\",\"created_estimated\":true,"
	    "\"findings\":[]}"));
	free(json);
	vhkey_report_free(r);
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
		cmocka_unit_test(test_findings_ranked),
		cmocka_unit_test(test_findings_after_reject),
		cmocka_unit_test(test_rotation_json),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
