/* cli.c - what the tools share: small argument helpers, and printing
 * text from outside safely. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vhkey.h"
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

/* vhkey_escape()'s flags for this terminal; set once, before printing. */
static unsigned escape_flags = VHKEY_ESCAPE_ASCII;

void
cli_init_escape(void)
{
	if (setlocale(LC_CTYPE, "") != NULL &&
	    strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		escape_flags = 0;
}

unsigned
cli_escape_flags(void)
{
	return escape_flags;
}

const char *
cli_safe(struct cli_text *t, const char *s)
{
	size_t n = vhkey_escape(NULL, 0, s, escape_flags);
	char **list, *e;

	/* an escape makes the text longer: the same length, nothing to do */
	if (n == strlen(s))
		return s;
	if ((list = realloc(t->s, (t->n + 1) * sizeof(*list))) == NULL)
		return "(text not shown: out of memory)";
	t->s = list;
	if ((e = malloc(n + 1)) == NULL)
		return "(text not shown: out of memory)";
	(void)vhkey_escape(e, n + 1, s, escape_flags);
	t->s[t->n++] = e;
	return e;
}

void
cli_text_free(struct cli_text *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	t->s = NULL;
	t->n = 0;
}

void
cli_option_error(const char *progname, const char *optstring, char *argv[])
{
	struct cli_text t = { NULL, 0 };
	const char *arg = argv[optind - 1];
	char opt[3] = { '-', (char)optopt, '\0' };

	if (optopt == 0 || optopt > 0xff) { /* a long option */
		arg = cli_safe(&t, arg);
		if (optopt == 0)
			fprintf(stderr, "%s: unrecognized option '%s'\n",
			    progname, arg);
		else if (strchr(arg, '=') != NULL)
			fprintf(stderr, "%s: option '%s' takes no value\n",
			    progname, arg);
		else
			fprintf(stderr, "%s: option '%s' requires a value\n",
			    progname, arg);
	} else if (optopt != ':' && strchr(optstring, optopt) != NULL) {
		fprintf(stderr, "%s: option '%s' requires a value\n", progname,
		    opt);
	} else {
		fprintf(stderr, "%s: invalid option '%s'\n", progname,
		    cli_safe(&t, opt));
	}
	cli_text_free(&t);
}
