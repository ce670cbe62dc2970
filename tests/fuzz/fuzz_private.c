/* fuzz_private.c - openssh-key-v1 private keys: parse, and a key that
 * parses re-encodes to a key that parses to the same key. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vhkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vhkey *key = NULL, *again = NULL;
	char *text = NULL;
	size_t len;

	if (vhkey_init() != VHKEY_OK)
		abort();
	if (vhkey_parse_private(data, size, &key) != VHKEY_OK) {
		if (key != NULL)
			abort();
		return 0;
	}
	/* every key read whole (RSA, Ed25519, ECDSA) keeps its private part
	 * and can be written again */
	if (!vhkey_has_private(key) ||
	    vhkey_private_to_openssh(key, &text, &len) != VHKEY_OK ||
	    vhkey_parse_private(text, len, &again) != VHKEY_OK ||
	    !vhkey_public_equal(key, again))
		abort();
	vhkey_secret_free(text);
	vhkey_free(again);
	vhkey_free(key);
	return 0;
}
