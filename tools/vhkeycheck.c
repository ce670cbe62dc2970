/*
 * vhkeycheck - check SSH public keys before they are uploaded: the same
 * verdicts the server gives, from the same library call.
 *
 * A thin front end: argument parsing and printing; the checks are
 * libvhkey's (vhkey_check_keys_file, vhkey_check_paste_fd).
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

/* Exit status. */
enum { EXIT_ACCEPTED = 0, EXIT_REJECTED = 1, EXIT_TROUBLE = 2 };

static const char *progname = "vhkeycheck";

/* What to check.  (A later mode checks a private key file: its
 * permissions and its age.) */
enum mode { MODE_PUBLIC = 0 };

struct options {
	enum mode mode;
	vhkey_hash hash;
	int json;
	vhkey_policy *policy;
	time_t now;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: %s [-E md5|sha256] [--json] [--min-bits N] [FILE...]\n"
	    "       %s -h | --help | --version\n"
	    "\n"
	    "Check SSH public keys. Each FILE is checked key by key, one per\n"
	    "line, as in an authorized_keys file. With no FILE, or with -,\n"
	    "standard input is checked as one pasted key, as the server\n"
	    "checks what is pasted into its form.\n"
	    "\n"
	    "  -E HASH         fingerprint to show: sha256 (default) or md5\n"
	    "  --json          print one JSON object per key, each on a line\n"
	    "  --min-bits N    smallest RSA key to accept (default %d)\n"
	    "  -h, --help      show this help\n"
	    "  --version       show the version\n"
	    "\n"
	    "Exit status: 0 when every key is accepted, 1 when any is\n"
	    "rejected, 2 on a usage or input/output error.\n",
	    progname, progname, VHKEY_POLICY_MIN_RSA_BITS);
}

/* Print one verdict; 0 when it was printed. */
static int
print_report(const struct options *o, const char *file, unsigned long line,
    const vhkey_report *r)
{
	const vhkey *key = vhkey_report_key(r);
	char fp[VHKEY_FINGERPRINT_MAX], *json;
	size_t i;

	if (o->json) {
		if (vhkey_report_to_json(r, &json) != VHKEY_OK)
			return -1;
		printf("%s\n", json);
		free(json);
		return 0;
	}
	if (vhkey_report_verdict(r) == VHKEY_REJECTED) {
		if (line > 0)
			printf("%s:%lu: ", file, line);
		else
			printf("%s: ", file);
		printf("rejected (%s): %s\n",
		    vhkey_reason_name(vhkey_report_reason(r)),
		    vhkey_report_message(r));
		return 0;
	}
	/* ssh-keygen -l's line */
	if (vhkey_fingerprint(key, o->hash, fp, sizeof(fp)) != VHKEY_OK)
		return -1;
	printf("%u %s %s (%s)\n", vhkey_get_bits(key), fp,
	    vhkey_get_comment(key)[0] ? vhkey_get_comment(key) : "no comment",
	    vhkey_type_label(vhkey_get_type(key)));
	for (i = 0; i < vhkey_report_warning_count(r); i++)
		printf("  warning: %s\n", vhkey_report_warning(r, i));
	for (i = 0; i < vhkey_report_repair_count(r); i++)
		printf("  repaired: %s\n", vhkey_report_repair(r, i));
	return 0;
}

static void
worsen(int *status, int s)
{
	if (s > *status)
		*status = s;
}

static void
io_error(const char *what, const vhkey_error *err, int rc)
{
	if (err->sys_errno != 0)
		fprintf(stderr, "%s: %s: %s\n", progname, what,
		    strerror(err->sys_errno));
	else
		fprintf(stderr, "%s: %s: %s\n", progname, what,
		    vhkey_strerror(rc));
}

struct file_ctx {
	const struct options *o;
	const char *path;
	int status;
};

static int
on_key(void *arg, unsigned long line, const vhkey_report *r)
{
	struct file_ctx *c = arg;

	if (print_report(c->o, c->path, line, r) != 0)
		return VHKEY_ERR_NOMEM;
	if (vhkey_report_verdict(r) == VHKEY_REJECTED)
		worsen(&c->status, EXIT_REJECTED);
	return 0;
}

/* A file of public keys, key by key. */
static int
check_public_file(const struct options *o, const char *path)
{
	struct file_ctx c = { o, path, EXIT_ACCEPTED };
	vhkey_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = vhkey_check_keys_file(path, o->policy, o->now, on_key, &c, &err);
	if (rc != VHKEY_OK) {
		io_error(path, &err, rc);
		return EXIT_TROUBLE;
	}
	fflush(stdout);
	return c.status;
}

/* Standard input, as one pasted key. */
static int
check_pasted(const struct options *o)
{
	vhkey_report *r = NULL;
	vhkey_error err;
	int rc, status;

	memset(&err, 0, sizeof(err));
	rc = vhkey_check_paste_fd(STDIN_FILENO, o->policy, o->now, &r, &err);
	if (rc != VHKEY_OK) {
		io_error("standard input", &err, rc);
		return EXIT_TROUBLE;
	}
	status = vhkey_report_verdict(r) == VHKEY_ACCEPTED ? EXIT_ACCEPTED :
							      EXIT_REJECTED;
	if (print_report(o, "stdin", 0, r) != 0) {
		fprintf(stderr, "%s: %s\n", progname,
		    vhkey_strerror(VHKEY_ERR_NOMEM));
		status = EXIT_TROUBLE;
	}
	vhkey_report_free(r);
	return status;
}

static int
check_one(const struct options *o, const char *arg)
{
	switch (o->mode) {
	case MODE_PUBLIC:
	default:
		return strcmp(arg, "-") == 0 ? check_pasted(o) :
					       check_public_file(o, arg);
	}
}

int
main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_MIN_BITS, OPT_VERSION };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "min-bits", required_argument, NULL, OPT_MIN_BITS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct options o;
	unsigned min_bits = VHKEY_POLICY_MIN_RSA_BITS;
	int ch, status = EXIT_ACCEPTED;

	memset(&o, 0, sizeof(o));
	o.mode = MODE_PUBLIC;
	o.hash = VHKEY_HASH_SHA256;
	while ((ch = getopt_long(argc, argv, "E:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'E':
			if (strcmp(optarg, "sha256") == 0) {
				o.hash = VHKEY_HASH_SHA256;
			} else if (strcmp(optarg, "md5") == 0) {
				o.hash = VHKEY_HASH_MD5;
			} else {
				fprintf(stderr,
				    "%s: unknown hash '%s': use sha256 or md5\n",
				    progname, optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_ACCEPTED;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_MIN_BITS:
			if (cli_parse_unsigned(optarg, &min_bits) != 0 ||
			    min_bits < 1024 || min_bits > VHKEY_RSA_MAX_BITS) {
				fprintf(stderr,
				    "%s: invalid --min-bits '%s': give a number "
				    "of bits from 1024 to %d\n",
				    progname, optarg, VHKEY_RSA_MAX_BITS);
				return EXIT_TROUBLE;
			}
			break;
		case OPT_VERSION:
			printf("vhkeycheck (libvhkey) %s\n", vhkey_version());
			return EXIT_ACCEPTED;
		default:
			usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (vhkey_init() != VHKEY_OK ||
	    vhkey_policy_new(&o.policy) != VHKEY_OK ||
	    vhkey_policy_set_min_rsa_bits(o.policy, min_bits) != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname,
		    vhkey_strerror(VHKEY_ERR_INIT));
		vhkey_policy_free(o.policy);
		return EXIT_TROUBLE;
	}
	o.now = time(NULL);
	if (optind == argc)
		status = check_one(&o, "-");
	for (int i = optind; i < argc; i++)
		worsen(&status, check_one(&o, argv[i]));
	vhkey_policy_free(o.policy);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the output: %s\n", progname,
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	return status;
}
