/* fuzz_public.c - public key lines: parse, and what parses re-encodes to
 * a line that parses to the same key. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vhkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vhkey *key = NULL, *again = NULL;
	char *line = NULL, fp[VHKEY_FINGERPRINT_MAX];

	if (vhkey_init() != VHKEY_OK)
		abort();
	if (vhkey_parse_public(data, size, &key) != VHKEY_OK) {
		if (key != NULL)
			abort();
		return 0;
	}
	if (vhkey_public_to_line(key, &line) != VHKEY_OK ||
	    vhkey_parse_public(line, strlen(line), &again) != VHKEY_OK ||
	    !vhkey_public_equal(key, again) ||
	    vhkey_fingerprint(key, VHKEY_HASH_SHA256, fp, sizeof(fp)) !=
		VHKEY_OK ||
	    vhkey_fingerprint(key, VHKEY_HASH_MD5, fp, sizeof(fp)) != VHKEY_OK)
		abort();
	free(line);
	vhkey_free(again);
	vhkey_free(key);
	return 0;
}
