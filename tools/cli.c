/* cli.c - what the tools share: small argument helpers. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "cli.h"

int
cli_parse_unsigned(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v > UINT_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}
