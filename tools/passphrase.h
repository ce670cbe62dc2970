/* passphrase.h - how vhkeygen gets a passphrase: from a file (or a file
 * descriptor, as /dev/fd/N), from the command line, or asked for on the
 * terminal with echo off.  Never from a standard input that is not a
 * terminal: a passphrase piped in by mistake must not become a key
 * written without one. */
#ifndef VHKEY_CLI_PASSPHRASE_H
#define VHKEY_CLI_PASSPHRASE_H

#include <stddef.h>

#include "vhkey.h"

/* A passphrase and whether one was given at all ("" is a passphrase:
 * the empty one, which means "no encryption"). */
struct cli_pass {
	char buf[VHKEY_PASSPHRASE_MAX + 1];
	size_t len;
	int given;
};

/* The outcomes of the functions below. */
enum cli_pass_status {
	CLI_PASS_OK = 0,
	CLI_PASS_ERROR,	   /* said on standard error already */
	CLI_PASS_NO_TTY,   /* asking needs a terminal; none was asked */
	CLI_PASS_MISMATCH, /* the two answers differ */
};

/* From the command line (-N, -P): copied; refused when too long. */
int cli_pass_set(struct cli_pass *p, const char *progname, const char *s);

/*
 * The first line of a file (without its line end), as sshpass and
 * gpg's --passphrase-file read one; "/dev/fd/N" names an open
 * descriptor.  A passphrase longer than VHKEY_PASSPHRASE_MAX, or a NUL
 * in it, is refused: cut short, it would not be the one the user meant.
 */
int cli_pass_from_file(struct cli_pass *p, const char *progname,
    const char *path);

/*
 * Ask on the terminal, echo off: prompt once, or twice when confirm is
 * set (the answers must agree).  CLI_PASS_NO_TTY when standard input is
 * not a terminal: nothing is read then.
 */
int cli_pass_ask(struct cli_pass *p, const char *progname,
    const char *prompt, int confirm);

/* Wipe it. */
void cli_pass_wipe(struct cli_pass *p);

#endif
