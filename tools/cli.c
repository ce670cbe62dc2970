/* cli.c - what the tools share: small argument helpers. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
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

void
cli_bad_option(const char *progname, int ch, char *const argv[])
{
	/* optopt names a short option; a long one is the word just read */
	char shortopt[3] = { '-', (char)optopt, '\0' };
	const char *word = optopt > 0 && optopt < 256 ? shortopt :
							argv[optind - 1];

	if (ch == ':')
		fprintf(stderr, "%s: option '%s' needs a value\n", progname,
		    word);
	else
		fprintf(stderr, "%s: unknown option '%s'\n", progname, word);
}
