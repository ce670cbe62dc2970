/* fuzzutil.c - seeded random mutations of key text. */
#include "config.h"

#include <string.h>

#include "fuzzutil.h"

static uint64_t fu_state = 1;

void
fu_seed(uint64_t seed)
{
	fu_state = seed != 0 ? seed : 1;
}

uint32_t
fu_rand(void)
{
	/* xorshift64* */
	fu_state ^= fu_state >> 12;
	fu_state ^= fu_state << 25;
	fu_state ^= fu_state >> 27;
	return (uint32_t)((fu_state * 0x2545f4914f6cdd1dULL) >> 32);
}

size_t
fu_mutate(char *buf, size_t len)
{
	/* bytes that mean something in a key's text */
	static const char inserts[] = " \t\n\r=+/A0-@\"\\,#";
	size_t at = len ? fu_rand() % len : 0;

	switch (fu_rand() % 6) {
	case 0: /* flip a bit */
		if (len > 0)
			buf[at] ^= (char)(1u << (fu_rand() % 8));
		return len;
	case 1: /* insert a byte */
		memmove(buf + at + 1, buf + at, len - at);
		buf[at] = fu_rand() % 2 ?
		    inserts[fu_rand() % (sizeof(inserts) - 1)] :
		    (char)(fu_rand() & 0xff);
		return len + 1;
	case 2: /* delete a byte */
		if (len == 0)
			return 0;
		memmove(buf + at, buf + at + 1, len - at - 1);
		return len - 1;
	case 3: /* cut off the end */
		return at;
	case 4: /* another base64 character */
		if (len > 0)
			buf[at] = "AZaz09+/"[fu_rand() % 8];
		return len;
	default: /* double a short run */
		if (len >= 4 && at + 4 <= len) {
			memmove(buf + at + 4, buf + at, len - at);
			return len + 4;
		}
		return len;
	}
}
