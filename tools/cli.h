/* cli.h - what the tools share: small argument helpers. */
#ifndef VHKEY_CLI_H
#define VHKEY_CLI_H

/* A decimal number that fits an unsigned int, as strtoul() reads it but
 * whole and not negative.  0 on success, -1 otherwise. */
int cli_parse_unsigned(const char *s, unsigned *out);

#endif
