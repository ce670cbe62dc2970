/*
 * vhkeycheck - check SSH public keys before they are uploaded: the same
 * verdicts the server gives, from the same library call.
 *
 * A thin front end: argument parsing and printing; the checks are
 * libvhkey's (vhkey_check_file, vhkey_check_paste_fd, and for an OpenSSH
 * private key file vhkey_check_private_file and vhkey_fix_permissions).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vhkey.h"
#include "cli.h"
#include "passphrase.h"

/* Exit status. */
enum { EXIT_ACCEPTED = 0, EXIT_REJECTED = 1, EXIT_TROUBLE = 2 };

static const char *progname = "vhkeycheck";

/* Rejections of one reason shown for a file before the rest are only
 * counted: a file of a million broken lines gets a hundred and a sum. */
#define SHOW_PER_REASON 100

struct options {
	vhkey_hash hash;
	int json;
	int fix;
	vhkey_policy *policy;
	const char *policy_from; /* where the rotation policy came from */
	int policy_said;	 /* printed once, before the first age */
	time_t now;
	const char *repair_out; /* --repair OUT, or NULL */
	struct cli_pass pass;	/* --passphrase-file: for private key files */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: %s [-E md5|sha256] [--json] [--min-bits N] [--fix]\n"
	    "                  [--max-age DAYS] [--warn DAYS] [FILE...]\n"
	    "       %s [options] --repair OUT FILE\n"
	    "       %s -h | --help | --version\n"
	    "\n"
	    "Check SSH public keys. Each FILE is checked key by key, one per\n"
	    "line, as in an authorized_keys file. With no FILE, or with -,\n"
	    "standard input is checked as one pasted key, as the server\n"
	    "checks what is pasted into its form. A FILE that is an OpenSSH\n"
	    "private key is checked as ssh will use it: permissions, owner,\n"
	    "the .pub beside it, and the key's age. A line of a FILE must work\n"
	    "as written: one that sshd would not read is rejected, with the\n"
	    "repaired line to use instead.\n"
	    "\n"
	    "  -E HASH         fingerprint to show: sha256 (default) or md5\n"
	    "  --json          print one JSON object per key, each on a line\n"
	    "  --min-bits N    smallest RSA key to accept (default %d)\n"
	    "  --fix           give a private key file mode 0600 when it is\n"
	    "                  readable by others, then check it again\n"
	    "  --max-age DAYS  a key is overdue this many days after it was\n"
	    "                  made (default %d; also from %s=MAX[,WARN])\n"
	    "  --warn DAYS     warn this many days before (default %d)\n"
	    "  --repair OUT    write FILE to OUT with each line that sshd would\n"
	    "                  not read as written replaced by its repaired line\n"
	    "  --passphrase-file F\n"
	    "                  each FILE is a private key protected by the\n"
	    "                  passphrase on F's first line: read it whole\n"
	    "  -h, --help      show this help\n"
	    "  --version       show the version\n"
	    "\n"
	    "Exit status: 0 when every key is accepted (due soon included),\n"
	    "1 when any is rejected (overdue included), 2 on a usage or\n"
	    "input/output error.\n",
	    progname, progname, progname, VHKEY_POLICY_MIN_RSA_BITS,
	    VHKEY_POLICY_MAX_AGE_DAYS, VHKEY_ROTATION_ENV,
	    VHKEY_POLICY_WARN_DAYS);
}

/* The key's age, when the report has one, after the policy (once). */
static void
print_rotation(const vhkey_report *r)
{
	const vhkey_rotation *rot = vhkey_report_rotation(r);
	char created[VHKEY_TIME_MAX], due[VHKEY_TIME_MAX];

	if (rot == NULL)
		return;
	if (vhkey_format_time(rot->created, created, sizeof(created)) !=
		VHKEY_OK ||
	    vhkey_format_time(rot->due, due, sizeof(due)) != VHKEY_OK)
		return;
	printf("  age: %lld days (made %s%s), %s: due %s\n", rot->age_days,
	    created, vhkey_report_created_estimated(r) ?
		", estimated from the file's modification time" :
		"",
	    vhkey_rotation_name(rot->state), due);
}

/* Print one verdict; 0 when it was printed. */
static int
print_report(struct options *o, const char *file, unsigned long line,
    const vhkey_report *r)
{
	const vhkey *key = vhkey_report_key(r);
	char keygen_l[VHKEY_FINGERPRINT_LINE_MAX], *json;
	struct cli_text t = { NULL, 0 };
	vhkey_subject subject = vhkey_report_subject(r);
	int whole_file, rc = 0;
	size_t i;

	if (o->json) {
		if (vhkey_report_to_json(r, &json) != VHKEY_OK)
			return -1;
		printf("%s\n", json);
		free(json);
		return 0;
	}
	/* say once which rotation policy the ages are judged by */
	if (vhkey_report_rotation(r) != NULL && !o->policy_said) {
		printf("rotation policy: a key is due after %u days, with a "
		       "warning %u days before (%s)\n",
		    vhkey_policy_get_max_age_days(o->policy),
		    vhkey_policy_get_warn_days(o->policy), o->policy_from);
		o->policy_said = 1;
	}
	/* an accepted public key gets exactly ssh-keygen -l's line; the
	 * others say where they come from */
	whole_file = subject == VHKEY_SUBJECT_PRIVATE_FILE ||
	    subject == VHKEY_SUBJECT_KEYS_FILE;
	if (subject == VHKEY_SUBJECT_KEY_LINE &&
	    vhkey_report_verdict(r) == VHKEY_REJECTED)
		printf("%s:%lu: ", cli_safe(&t, file), line);
	else if (subject != VHKEY_SUBJECT_KEY_LINE &&
	    (whole_file || vhkey_report_verdict(r) == VHKEY_REJECTED))
		printf("%s: ", cli_safe(&t, file));
	if (vhkey_report_verdict(r) == VHKEY_REJECTED) {
		printf("rejected (%s): %s\n",
		    vhkey_reason_name(vhkey_report_reason(r)),
		    cli_safe(&t, vhkey_report_message(r)));
		/* every other problem, and the fix of each */
		for (i = 0; i < vhkey_report_finding_count(r); i++) {
			const char *fix = vhkey_report_finding_fix(r, i);
			if (i > 0)
				printf("  also (%s): %s\n",
				    vhkey_reason_name(
					vhkey_report_finding_reason(r, i)),
				    cli_safe(&t,
					vhkey_report_finding_message(r, i)));
			if (fix != NULL)
				printf("  fix: %s\n", cli_safe(&t, fix));
		}
	} else if (key != NULL) {
		/* ssh-keygen -l's line */
		if (vhkey_fingerprint_line(key, o->hash, cli_escape_flags(),
			keygen_l, sizeof(keygen_l)) != VHKEY_OK) {
			rc = -1;
			goto out;
		}
		fputs(keygen_l, stdout);
		putchar('\n');
		if (whole_file) /* what was checked */
			printf("  %s\n", cli_safe(&t, vhkey_report_message(r)));
	} else {
		printf("%s\n", cli_safe(&t, vhkey_report_message(r)));
	}
	for (i = 0; i < vhkey_report_warning_count(r); i++)
		printf("  warning: %s\n",
		    cli_safe(&t, vhkey_report_warning(r, i)));
	for (i = 0; i < vhkey_report_repair_count(r); i++)
		printf("  repaired: %s\n",
		    cli_safe(&t, vhkey_report_repair(r, i)));
	/* a paste is taken repaired; say when only the repair makes it work */
	if (vhkey_report_verdict(r) == VHKEY_ACCEPTED &&
	    vhkey_report_as_written(r) == 0)
		printf("  as written: sshd would not read the text as given; "
		       "store the repaired key line (\"key\" in --json)\n");
	print_rotation(r);
out:
	cli_text_free(&t);
	return rc;
}

static void
worsen(int *status, int s)
{
	if (s > *status)
		*status = s;
}

static void
io_error(const char *name, const vhkey_error *err, int rc)
{
	struct cli_text t = { NULL, 0 };
	const char *what = cli_safe(&t, name);

	if (rc == VHKEY_ERR_NOT_REGULAR && err->sys_errno == 0)
		fprintf(stderr,
		    "%s: %s: not a regular file or a pipe: a device (such as "
		    "/dev/zero) or a named pipe is not read\n",
		    progname, what);
	else if (err->sys_errno != 0)
		fprintf(stderr, "%s: %s: %s\n", progname, what,
		    strerror(err->sys_errno));
	else
		fprintf(stderr, "%s: %s: %s\n", progname, what,
		    vhkey_strerror(rc));
	cli_text_free(&t);
}

struct file_ctx {
	struct options *o;
	const char *path;
	int status;
	int fixable;   /* a private key file readable by others */
	int unfixable; /* the same, but another user's: --fix cannot */
	unsigned long rejected[VHKEY_REASON_COUNT]; /* by reason */
	vhkey_repair *repair;		  /* with --repair */
};

/* The exit status a report asks for. */
static int
status_of(const vhkey_report *r)
{
	if (vhkey_report_verdict(r) == VHKEY_ACCEPTED)
		return EXIT_ACCEPTED;
	return vhkey_report_reason(r) == VHKEY_REASON_IO_ERROR ? EXIT_TROUBLE :
								 EXIT_REJECTED;
}

/* Only the first SHOW_PER_REASON rejections of a reason are printed as
 * text (JSON gives every one: a program counts them itself). */
static int
shown(struct file_ctx *c, const vhkey_report *r)
{
	int reason = vhkey_report_reason(r);

	if (c->o->json || vhkey_report_verdict(r) != VHKEY_REJECTED ||
	    reason < 0 || reason >= VHKEY_REASON_COUNT)
		return 1;
	return ++c->rejected[reason] <= SHOW_PER_REASON;
}

/* The sum of what shown() left out. */
static void
print_not_shown(const struct file_ctx *c)
{
	struct cli_text t = { NULL, 0 };

	for (int i = 0; i < VHKEY_REASON_COUNT; i++)
		if (c->rejected[i] > SHOW_PER_REASON)
			printf("%s: %lu more lines rejected (%s), not shown\n",
			    cli_safe(&t, c->path),
			    c->rejected[i] - SHOW_PER_REASON,
			    vhkey_reason_name(i));
	cli_text_free(&t);
}

static int
on_key(void *arg, unsigned long line, const vhkey_report *r)
{
	struct file_ctx *c = arg;
	int fixable = vhkey_report_fixable(r);

	/* another user's file is only reported: the fix cannot make it ours */
	c->fixable = fixable > 0;
	c->unfixable = fixable < 0;
	/* with --fix, only the checked-again verdict counts and is shown */
	if (c->o->fix && c->fixable)
		return 0;
	if (c->repair != NULL && vhkey_repair_add(c->repair, line, r) != 0)
		return VHKEY_ERR_NOMEM;
	worsen(&c->status, status_of(r));
	if (shown(c, r) && print_report(c->o, c->path, line, r) != 0)
		return VHKEY_ERR_NOMEM;
	return 0;
}

/*
 * A .pub with its private key beside it is the file people give to ssh -i
 * by mistake (ssh then says nothing useful): name the right one.  On
 * standard error, so that standard output stays ssh-keygen -l's line.
 */
static void
hint_private_half(const char *path)
{
	struct cli_text t = { NULL, 0 };
	const char *pub;
	char *priv;

	if (vhkey_private_half(path, VHKEY_HALF_EXISTING, &priv) != VHKEY_OK)
		return;
	pub = cli_safe(&t, path);
	fprintf(stderr,
	    "%s: hint: %s is the public half, to paste into the server; to "
	    "log in, use the private key %s with ssh -i, not %s\n",
	    progname, pub, cli_safe(&t, priv), pub);
	cli_text_free(&t);
	free(priv);
}

/* ------------------------------------------------------------ --repair */

/* --repair OUT after the check of the one FILE: the copy, or why not. */
static int
repair_file(struct file_ctx *c, const char *out)
{
	struct cli_text t = { NULL, 0 };
	const char *inname = cli_safe(&t, c->path),
		   *outname = cli_safe(&t, out);
	vhkey_error err;
	size_t n;
	int rc;

	if ((rc = vhkey_repair_write(c->repair, &n, &err)) == VHKEY_OK) {
		if (!c->o->json)
			printf("%s: wrote %s, %zu %s repaired\n", inname,
			    outname, n, n == 1 ? "key" : "keys");
	} else if (rc == VHKEY_ERR_FORMAT) {
		fprintf(stderr,
		    "%s: %s not written: %s is not a file of public key "
		    "lines\n",
		    progname, outname, inname);
	} else if (strcmp(err.path, c->path) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", progname, outname,
		    err.sys_errno != 0 ? strerror(err.sys_errno) :
					 vhkey_strerror(rc));
	} else if (rc == VHKEY_ERR_IO && err.sys_errno == 0) {
		fprintf(stderr,
		    "%s: %s changed while it was checked: %s not written\n",
		    progname, inname, outname);
	} else {
		io_error(c->path, &err, rc);
	}
	cli_text_free(&t);
	return rc == VHKEY_OK ? EXIT_ACCEPTED : EXIT_TROUBLE;
}

static void
file_ctx_clear(struct file_ctx *c)
{
	vhkey_repair_free(c->repair);
}

/* A file: key by key, or a private key file as ssh will use it. */
/*
 * One check of path: key by key, or as a private key file; with
 * --passphrase-file, as a private key file read whole with the passphrase
 * (a file given with it is one by the user's word).
 */
static int
check_path(struct options *o, const char *path, struct file_ctx *c,
    vhkey_error *err)
{
	vhkey_report *r = NULL;
	int rc;

	if (!o->pass.given)
		return vhkey_check_file(path, o->policy, o->now, on_key, c,
		    err);
	if ((rc = vhkey_check_private_file_passphrase(path, o->policy, o->now,
		 o->pass.buf, o->pass.len, &r)) != VHKEY_OK) {
		err->status = rc;
		err->sys_errno = 0;
		return rc;
	}
	(void)on_key(c, 0, r);
	vhkey_report_free(r);
	return VHKEY_OK;
}

static int
check_file(struct options *o, const char *path)
{
	struct file_ctx c = { .o = o, .path = path, .status = EXIT_ACCEPTED };
	vhkey_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	if (o->repair_out != NULL &&
	    (rc = vhkey_repair_new(path, o->repair_out, &c.repair, &err)) !=
		VHKEY_OK) {
		struct cli_text t = { NULL, 0 };

		if (rc == VHKEY_ERR_EXISTS)
			fprintf(stderr,
			    "%s: %s is the file being checked: give --repair "
			    "another name (the file checked is never written "
			    "over)\n",
			    progname, cli_safe(&t, o->repair_out));
		else
			io_error(path, &err, rc);
		cli_text_free(&t);
		return EXIT_TROUBLE;
	}
	rc = check_path(o, path, &c, &err);
	if (rc == VHKEY_OK && o->fix && c.fixable) {
		if ((rc = vhkey_fix_permissions(path, &err)) != VHKEY_OK) {
			io_error(path, &err, rc);
			return EXIT_TROUBLE;
		}
		if (!o->json) {
			struct cli_text t = { NULL, 0 };
			printf("%s: fixed: the file is now mode 0600\n",
			    cli_safe(&t, path));
			cli_text_free(&t);
		}
		c.fixable = 0;
		c.o->fix = 0; /* show the check made again */
		rc = check_path(o, path, &c, &err);
		c.o->fix = 1;
	}
	if (rc != VHKEY_OK) {
		io_error(path, &err, rc);
		file_ctx_clear(&c);
		return EXIT_TROUBLE;
	}
	print_not_shown(&c);
	if (o->repair_out != NULL)
		worsen(&c.status, repair_file(&c, o->repair_out));
	file_ctx_clear(&c);
	fflush(stdout);
	if (!o->json)
		hint_private_half(path);
	/* --fix was asked for and cannot be done: an error, as the manual
	 * says, not a silent verdict */
	if (o->fix && c.unfixable) {
		err.sys_errno = 0;
		io_error(path, &err, VHKEY_ERR_OWNER);
		fprintf(stderr,
		    "%s: %s: not fixed: only its owner (or root, with "
		    "\"sudo chown\" first) can change its mode\n",
		    progname, path);
		return EXIT_TROUBLE;
	}
	return c.status;
}

/* Standard input, as one pasted key. */
static int
check_pasted(struct options *o)
{
	vhkey_report *r = NULL;
	vhkey_error err;
	int rc, status;

	memset(&err, 0, sizeof(err));
	/* a person at a terminal would otherwise see nothing happen */
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "paste the public key, then press Ctrl-D\n");
	rc = vhkey_check_paste_fd(STDIN_FILENO, o->policy, o->now, &r, &err);
	if (rc != VHKEY_OK) {
		io_error("standard input", &err, rc);
		return EXIT_TROUBLE;
	}
	status = status_of(r);
	if (print_report(o, "stdin", 0, r) != 0) {
		fprintf(stderr, "%s: %s\n", progname,
		    vhkey_strerror(VHKEY_ERR_NOMEM));
		status = EXIT_TROUBLE;
	}
	vhkey_report_free(r);
	return status;
}

static int
check_one(struct options *o, const char *arg)
{
	return strcmp(arg, "-") == 0 ? check_pasted(o) : check_file(o, arg);
}

/* The rotation policy: the environment, then the options over it. */
static int
set_rotation(struct options *o, const char *max_age, const char *warn)
{
	const char *env = getenv(VHKEY_ROTATION_ENV);
	struct cli_text t = { NULL, 0 };
	unsigned max, w;
	int rc;

	o->policy_from = "the default";
	if (env != NULL && env[0] != '\0') {
		if (vhkey_policy_parse_rotation(o->policy, env) != VHKEY_OK) {
			fprintf(stderr,
			    "%s: invalid %s='%s': give MAX_DAYS or "
			    "MAX_DAYS,WARN_DAYS, e.g. 90,14\n",
			    progname, VHKEY_ROTATION_ENV, cli_safe(&t, env));
			cli_text_free(&t);
			return -1;
		}
		o->policy_from = "from " VHKEY_ROTATION_ENV;
	}
	if (max_age == NULL && warn == NULL)
		return 0;
	max = vhkey_policy_get_max_age_days(o->policy);
	w = vhkey_policy_get_warn_days(o->policy);
	if ((max_age != NULL && cli_parse_unsigned(max_age, &max) != 0) ||
	    (warn != NULL && cli_parse_unsigned(warn, &w) != 0))
		rc = VHKEY_ERR_ARGUMENT;
	else if (warn == NULL) /* the policy narrows its window to fit */
		rc = vhkey_policy_set_max_age(o->policy, max);
	else
		rc = vhkey_policy_set_rotation(o->policy, max, w);
	if (rc != VHKEY_OK) {
		fprintf(stderr,
		    "%s: invalid rotation policy: --max-age takes 1 to %d "
		    "days, --warn fewer days than --max-age\n",
		    progname, VHKEY_POLICY_MAX_AGE_LIMIT);
		return -1;
	}
	o->policy_from = "from the options";
	return 0;
}

int
main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_MIN_BITS, OPT_VERSION, OPT_FIX,
		OPT_MAX_AGE, OPT_WARN, OPT_REPAIR, OPT_PASSFILE };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "min-bits", required_argument, NULL, OPT_MIN_BITS },
		{ "fix", no_argument, NULL, OPT_FIX },
		{ "max-age", required_argument, NULL, OPT_MAX_AGE },
		{ "warn", required_argument, NULL, OPT_WARN },
		{ "repair", required_argument, NULL, OPT_REPAIR },
		{ "passphrase-file", required_argument, NULL, OPT_PASSFILE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	static const char optstring[] = "E:h";
	struct options o;
	unsigned min_bits;
	const char *max_age = NULL, *warn = NULL, *passfile = NULL;
	struct cli_text t = { NULL, 0 };
	int ch, status = EXIT_TROUBLE;

	cli_init_escape();
	memset(&o, 0, sizeof(o));
	o.hash = VHKEY_HASH_SHA256;
	/* first, so that the policy itself judges the options given for it */
	if (vhkey_policy_new(&o.policy) != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname,
		    vhkey_strerror(VHKEY_ERR_INIT));
		return EXIT_TROUBLE;
	}
	opterr = 0; /* cli_option_error() says it, escaped */
	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'E':
			if (strcmp(optarg, "sha256") == 0) {
				o.hash = VHKEY_HASH_SHA256;
			} else if (strcmp(optarg, "md5") == 0) {
				o.hash = VHKEY_HASH_MD5;
			} else {
				fprintf(stderr,
				    "%s: unknown hash '%s': use sha256 or md5\n",
				    progname, cli_safe(&t, optarg));
				cli_text_free(&t);
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			status = EXIT_ACCEPTED;
			goto out;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_MIN_BITS:
			if (cli_parse_unsigned(optarg, &min_bits) != 0 ||
			    vhkey_policy_set_min_rsa_bits(o.policy,
				min_bits) != VHKEY_OK) {
				fprintf(stderr,
				    "%s: invalid --min-bits '%s': give a number "
				    "of bits from %d to %d\n",
				    progname, cli_safe(&t, optarg),
				    VHKEY_POLICY_RSA_BITS_LOWEST,
				    VHKEY_RSA_MAX_BITS);
				cli_text_free(&t);
				goto out;
			}
			break;
		case OPT_FIX:
			o.fix = 1;
			break;
		case OPT_MAX_AGE:
			max_age = optarg;
			break;
		case OPT_WARN:
			warn = optarg;
			break;
		case OPT_REPAIR:
			o.repair_out = optarg;
			break;
		case OPT_PASSFILE:
			passfile = optarg;
			break;
		case OPT_VERSION:
			printf("vhkeycheck (libvhkey) %s\n", vhkey_version());
			status = EXIT_ACCEPTED;
			goto out;
		default:
			cli_option_error(progname, optstring, argv);
			usage(stderr);
			goto out;
		}
	}
	/* one file to copy: a paste has no lines to keep */
	if (o.repair_out != NULL &&
	    (argc - optind != 1 || strcmp(argv[optind], "-") == 0)) {
		fprintf(stderr, "%s: --repair OUT takes exactly one FILE\n",
		    progname);
		goto out;
	}
	if (set_rotation(&o, max_age, warn) != 0 ||
	    (passfile != NULL &&
		cli_pass_from_file(&o.pass, progname, passfile) != CLI_PASS_OK))
		goto out;
	o.now = time(NULL);
	/* a file or a pipe takes the verdicts in large writes */
	if (!isatty(STDOUT_FILENO))
		(void)setvbuf(stdout, NULL, _IOFBF, 64 * 1024);
	status = EXIT_ACCEPTED;
	if (optind == argc)
		status = check_one(&o, "-");
	for (int i = optind; i < argc; i++)
		worsen(&status, check_one(&o, argv[i]));
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the output: %s\n", progname,
		    strerror(errno));
		status = EXIT_TROUBLE;
	}
out:
	cli_pass_wipe(&o.pass);
	vhkey_policy_free(o.policy);
	return status;
}
