/* cli.h - what the tools share: small argument helpers, and printing
 * text from outside safely. */
#ifndef VHKEY_CLI_H
#define VHKEY_CLI_H

#include <stddef.h>

/* A decimal number that fits an unsigned int, as strtoul() reads it but
 * whole and not negative.  0 on success, -1 otherwise. */
int cli_parse_unsigned(const char *s, unsigned *out);

/*
 * Escaped copies of texts to print, kept until cli_text_free().  Every text
 * a tool prints that it did not write itself (a file name, a comment, an
 * option's value, and the library's texts, which are escaped for UTF-8
 * already but may need more for a terminal that is not) goes through
 * cli_safe().
 */
struct cli_text {
	char **s;
	size_t n;
};

/* Take the terminal's character set from the locale (LC_CTYPE), as
 * ssh-keygen does: outside UTF-8, every byte above 0x7F is escaped too. */
void cli_init_escape(void);
/* vhkey_escape()'s flags for this terminal (after cli_init_escape()). */
unsigned cli_escape_flags(void);
/* s as it may be printed: s itself when nothing in it needs escaping, else
 * a copy kept in t (a placeholder when out of memory). */
const char *cli_safe(struct cli_text *t, const char *s);
void cli_text_free(struct cli_text *t);

/*
 * What getopt_long() would say of the option it just refused (it returned
 * '?'; opterr must be 0), with the tool's short name instead of argv[0]
 * and the option escaped: getopt echoes an unknown option raw.
 */
void cli_option_error(const char *progname, const char *optstring,
    char *argv[]);

#endif
