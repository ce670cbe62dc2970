/* fuzz_paste.c - the paste checker (and through it the RFC 4716, PEM and
 * private key recognisers) on arbitrary text: a report every time, its
 * JSON valid to build, and an accepted key that checks again the same. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vhkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
