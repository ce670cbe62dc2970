/* fuzz_paste.c - the paste checker (and through it the RFC 4716, PEM and
 * private key recognisers) on arbitrary text: a report every time, its
 * JSON valid to build, every text of it safe to print, and an accepted key
 * that checks again the same. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vhkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Would a terminal act on something in s?  (What vhkey_escape() escapes.) */
static int
unsafe(const char *s)
{
	return s != NULL && vhkey_escape(NULL, 0, s, 0) != strlen(s);
}

/* The report's texts are escaped already, whatever the input held. */
static int
report_unsafe(const vhkey_report *r, const char *json)
{
	size_t i;

	if (unsafe(json) || unsafe(vhkey_report_message(r)))
		return 1;
	for (i = 0; i < vhkey_report_warning_count(r); i++)
		if (unsafe(vhkey_report_warning(r, i)))
			return 1;
	for (i = 0; i < vhkey_report_repair_count(r); i++)
		if (unsafe(vhkey_report_repair(r, i)))
			return 1;
	for (i = 0; i < vhkey_report_finding_count(r); i++)
		if (unsafe(vhkey_report_finding_message(r, i)) ||
		    unsafe(vhkey_report_finding_fix(r, i)))
			return 1;
	return vhkey_report_key(r) != NULL &&
	    unsafe(vhkey_get_comment(vhkey_report_key(r)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vhkey_report *r = NULL, *again = NULL;
	char *json = NULL, *line = NULL;
	const vhkey *key;

	if (vhkey_init() != VHKEY_OK)
		abort();
	if (vhkey_check_paste(data, size, NULL, (time_t)1764000000, &r) !=
	    VHKEY_OK)
		abort();
	if (vhkey_report_to_json(r, &json) != VHKEY_OK ||
	    vhkey_reason_name(vhkey_report_reason(r)) == NULL) {
		if (vhkey_report_verdict(r) == VHKEY_REJECTED)
			abort(); /* a rejection always names its reason */
	}
	if (report_unsafe(r, json))
		abort();
	if (vhkey_report_verdict(r) == VHKEY_ACCEPTED) {
		/* the normalised line is itself accepted, as the same key */
		key = vhkey_report_key(r);
		if (key == NULL || vhkey_public_to_line(key, &line) != VHKEY_OK ||
		    vhkey_check_paste(line, strlen(line), NULL,
			(time_t)1764000000, &again) != VHKEY_OK ||
		    vhkey_report_verdict(again) != VHKEY_ACCEPTED ||
		    !vhkey_public_equal(key, vhkey_report_key(again)))
			abort();
	}
	free(line);
	free(json);
	vhkey_report_free(again);
	vhkey_report_free(r);
	return 0;
}
