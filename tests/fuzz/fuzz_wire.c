/* fuzz_wire.c - the SSH wire-format reader on arbitrary bytes: every read
 * is bounded, a failed read leaves the offset alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vk_reader r;
	size_t steps = 0;

	if (vhkey_init() != VHKEY_OK)
		abort();
	vk_reader_init(&r, data, size);
	/* the first byte picks the read, again and again */
	while (vk_reader_remaining(&r) > 0 && steps++ < 64) {
		size_t before = r.off, n;
		const uint8_t *p;
		const char *s;
		uint32_t v;
		BIGNUM *bn = NULL;
		int rc;

		switch (r.data[r.off++] % 5) {
		case 0:
			rc = vk_get_u32(&r, &v);
			break;
		case 1:
			rc = vk_get_string(&r, &p, &n);
			if (rc == VHKEY_OK && n > 0 && p + n > data + size)
				abort();
			break;
		case 2:
			rc = vk_get_cstring(&r, &s, &n);
			if (rc == VHKEY_OK && memchr(s, 0, n) != NULL)
				abort();
			break;
		case 3:
			rc = vk_get_mpint(&r, &p, &n);
			/* the magnitude: no leading zero byte */
			if (rc == VHKEY_OK && n > 0 && p[0] == 0)
				abort();
			break;
		default:
			rc = vk_get_bignum(&r, &bn);
			BN_free(bn);
			break;
		}
		if (rc != VHKEY_OK && r.off != before + 1)
			abort(); /* a failed read moved the reader */
		if (r.off > r.len)
			abort();
	}
	return 0;
}
