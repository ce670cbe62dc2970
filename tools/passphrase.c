/* passphrase.c - how vhkeygen gets a passphrase (see passphrase.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "passphrase.h"

void
cli_pass_wipe(struct cli_pass *p)
{
	explicit_bzero(p->buf, sizeof(p->buf));
	p->len = 0;
	p->given = 0;
}

static int
too_long(const char *progname)
{
	fprintf(stderr, "%s: passphrase too long (at most %d bytes)\n",
	    progname, VHKEY_PASSPHRASE_MAX);
	return CLI_PASS_ERROR;
}

int
cli_pass_set(struct cli_pass *p, const char *progname, const char *s)
{
	size_t n = strlen(s);

	cli_pass_wipe(p);
	if (n > VHKEY_PASSPHRASE_MAX)
		return too_long(progname);
	memcpy(p->buf, s, n);
	p->len = n;
	p->given = 1;
	return CLI_PASS_OK;
}

/*
 * Read one line from fd into p: up to the first LF (a CR before it goes
 * too), or to the end of the input.  Returns 0, -1 on a read error (errno
 * set), or 1 when the line is too long or holds a NUL.
 */
static int
read_line(int fd, struct cli_pass *p)
{
	size_t n = 0;
	ssize_t got;
	char c;

	for (;;) {
		/* EINTR too: a signal while asking is the caller's to handle */
		if ((got = read(fd, &c, 1)) < 0)
			return -1;
		if (got == 0 || c == '\n')
			break;
		if (c == '\0' || n == VHKEY_PASSPHRASE_MAX + 1)
			return 1;
		p->buf[n++] = c;
	}
	if (n > 0 && p->buf[n - 1] == '\r')
		n--;
	if (n > VHKEY_PASSPHRASE_MAX)
		return 1;
	p->buf[n] = '\0';
	p->len = n;
	p->given = 1;
	return 0;
}

int
cli_pass_from_file(struct cli_pass *p, const char *progname,
    const char *path)
{
	struct cli_text t = { NULL, 0 };
	int fd, rc, saved;

	cli_pass_wipe(p);
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0) {
		saved = errno;
		fprintf(stderr, "%s: cannot read the passphrase from %s: %s\n",
		    progname, cli_safe(&t, path), strerror(saved));
		cli_text_free(&t);
		return CLI_PASS_ERROR;
	}
	rc = read_line(fd, p);
	saved = errno;
	(void)close(fd);
	if (rc == 0)
		return CLI_PASS_OK;
	if (rc < 0)
		fprintf(stderr, "%s: cannot read the passphrase from %s: %s\n",
		    progname, cli_safe(&t, path), strerror(saved));
	else
		fprintf(stderr,
		    "%s: the passphrase in %s is longer than %d bytes or "
		    "holds a NUL byte\n",
		    progname, cli_safe(&t, path), VHKEY_PASSPHRASE_MAX);
	cli_text_free(&t);
	cli_pass_wipe(p);
	return CLI_PASS_ERROR;
}

/*
 * A signal while echo is off must not leave the terminal without echo:
 * it is noted, the read returns EINTR, echo comes back, and the signal is
 * then delivered as it would have been.
 */
static volatile sig_atomic_t caught;

static void
note_signal(int sig)
{
	caught = sig;
}

static const int watched[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP,
	SIGTTIN, SIGTTOU };
#define NWATCHED (sizeof(watched) / sizeof(watched[0]))

static void
watch_signals(struct sigaction old[NWATCHED])
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_signal; /* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (size_t i = 0; i < NWATCHED; i++)
		(void)sigaction(watched[i], &sa, &old[i]);
}

static void
unwatch_signals(const struct sigaction old[NWATCHED])
{
	for (size_t i = 0; i < NWATCHED; i++)
		(void)sigaction(watched[i], &old[i], NULL);
	if (caught != 0)
		(void)raise(caught);
}

/* Write s whole to the terminal; a prompt that cannot be shown is no
 * reason to stop (the read that follows fails the same way). */
static void
say(int fd, const char *s)
{
	size_t n = strlen(s);
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, s, n)) > 0) {
			s += w;
			n -= (size_t)w;
		} else if (w == 0 || errno != EINTR) {
			return;
		}
	}
}

/* One answer, echo off, the prompt and the final newline on tty. */
static int
ask_once(int tty, const char *prompt, struct cli_pass *p)
{
	struct termios saved, quiet;
	struct sigaction old[NWATCHED];
	int rc;

	if (tcgetattr(tty, &saved) != 0)
		return -1;
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	watch_signals(old);
	/* echo off first: the prompt says it is safe to type */
	if (tcsetattr(tty, TCSAFLUSH, &quiet) != 0) {
		unwatch_signals(old);
		return -1;
	}
	say(tty, prompt);
	rc = read_line(tty, p);
	(void)tcsetattr(tty, TCSAFLUSH, &saved);
	say(tty, "\n");
	unwatch_signals(old);
	return rc;
}

int
cli_pass_ask(struct cli_pass *p, const char *progname, const char *prompt,
    int confirm)
{
	struct cli_pass again = { .given = 0 };
	int tty, rc;

	cli_pass_wipe(p);
	if (!isatty(STDIN_FILENO))
		return CLI_PASS_NO_TTY;
	/* the terminal itself, as ssh-keygen asks: the prompt is seen even
	 * with standard error sent elsewhere */
	if ((tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		tty = STDIN_FILENO;
	rc = ask_once(tty, prompt, p);
	if (rc == 0 && confirm) {
		rc = ask_once(tty, "Enter same passphrase again: ", &again);
		if (rc == 0 && (again.len != p->len ||
				   memcmp(again.buf, p->buf, p->len) != 0))
			rc = 2;
	}
	if (tty != STDIN_FILENO)
		(void)close(tty);
	cli_pass_wipe(&again);
	if (rc == 0)
		return CLI_PASS_OK;
	cli_pass_wipe(p);
	if (rc == 2)
		return CLI_PASS_MISMATCH;
	if (rc == 1)
		return too_long(progname);
	fprintf(stderr, "%s: cannot read the passphrase: %s\n", progname,
	    strerror(errno));
	return CLI_PASS_ERROR;
}
