/* fuzz_der.c - the PEM public key reader's DER decoding (SPKI, and
 * PKCS#1 when the first byte is odd) on arbitrary bytes: what it turns
 * into an SSH blob must decode as a key of the library's. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vk_writer blob;
	vhkey *key = NULL;
	char alg[64];
	int pkcs1, rc;

	if (vhkey_init() != VHKEY_OK)
		abort();
	if (size < 1)
		return 0;
	pkcs1 = data[0] & 1;
	vk_writer_init(&blob, 0);
	rc = vk_pem_public_blob(data + 1, size - 1, pkcs1, &blob, alg,
	    sizeof(alg));
	if (rc == VHKEY_OK) {
		/* a weak or odd key may be refused by policy later, but the
		 * blob itself is well formed, or its point is off the curve */
		rc = vk_key_from_blob(blob.data, blob.len, &key);
		if (rc != VHKEY_OK && rc != VHKEY_ERR_KEY_CHECK &&
		    rc != VHKEY_ERR_TOO_LARGE)
			abort();
		vhkey_free(key);
	} else if (memchr(alg, '\0', sizeof(alg)) == NULL) {
		abort(); /* the name must be a string */
	}
	vk_writer_clear(&blob);
	return 0;
}
