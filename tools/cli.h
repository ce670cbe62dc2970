/* cli.h - what the tools share: small argument helpers. */
#ifndef VHKEY_CLI_H
#define VHKEY_CLI_H

/* A decimal number that fits an unsigned int, as strtoul() reads it but
 * whole and not negative.  0 on success, -1 otherwise. */
int cli_parse_unsigned(const char *s, unsigned *out);

/*
 * Say what getopt_long() refused, under the tool's own name rather than
 * the path it was started by (libtool's lt-vhkeycheck, say): call with
 * opterr 0 and an option string that starts with ':', when it returned
 * ch ('?' or ':').
 */
void cli_bad_option(const char *progname, int ch, char *const argv[]);

#endif
