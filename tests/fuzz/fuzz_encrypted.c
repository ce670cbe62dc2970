/* fuzz_encrypted.c - passphrase-protected openssh-key-v1 keys: read with
 * the passphrase "fuzz" (the seeds' own), and an RSA key that decrypts is
 * written again encrypted, read back with its passphrase and refused with
 * another.  The KDF's cost is the input's to choose: the library refuses
 * more than VHKEY_KDF_ROUNDS_MAX rounds before any work (checked here),
 * and this harness skips inputs above MAX_ROUNDS, which a fuzzer could
 * otherwise make run for seconds each. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

#define PASS "fuzz"
#define MAX_ROUNDS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The key that decrypted (an RSA pair), written again with its
 * passphrase and rounds: read back only with them. */
static void
round_trip(const vhkey *key)
{
	vhkey *again = NULL;
	char *text = NULL;
	size_t len;

	if (vhkey_private_to_openssh(key, &text, &len) != VHKEY_OK ||
	    vhkey_parse_private_passphrase(text, len, PASS, strlen(PASS),
		&again) != VHKEY_OK ||
	    !vhkey_public_equal(key, again) || !vhkey_has_passphrase(again))
		abort();
	vhkey_free(again);
	if (vhkey_parse_private(text, len, &again) != VHKEY_ERR_ENCRYPTED ||
	    vhkey_parse_private_passphrase(text, len, PASS "!",
		strlen(PASS) + 1, &again) == VHKEY_OK || again != NULL)
		abort();
	vhkey_secret_free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vhkey *key = NULL;
	uint32_t rounds = 0;
	int rc;

	if (vhkey_init() != VHKEY_OK)
		abort();
	if (vk_openssh_kdf_rounds(data, size, &rounds) == VHKEY_OK &&
	    rounds > MAX_ROUNDS) {
		/* refused without work, or skipped */
		if (rounds > VHKEY_KDF_ROUNDS_MAX &&
		    vhkey_parse_private_passphrase(data, size, PASS,
			strlen(PASS), &key) == VHKEY_OK)
			abort();
		if (key != NULL)
			abort();
		return 0;
	}
	rc = vhkey_parse_private_passphrase(data, size, PASS, strlen(PASS),
	    &key);
	if (rc != VHKEY_OK) {
		if (key != NULL)
			abort();
		return 0;
	}
	/* only RSA keys keep their private part, and can be written */
	if (vhkey_get_type(key) == VHKEY_TYPE_RSA && vhkey_has_passphrase(key))
		round_trip(key);
	vhkey_free(key);
	return 0;
}
