/*
 * vhkeygen - generate an SSH key pair for reaching running ML jobs.
 *
 * A thin front end: options compatible with ssh-keygen where they overlap,
 * everything else is libvhkey.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vhkey.h"

#define DEFAULT_FILE "valohai-debug-key"

static const char *progname = "vhkeygen";

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: %s [-q] [--force] [-t rsa] [-b bits] [-C comment] "
	    "[-N ''] [-f file]\n"
	    "       %s -h | --help | --version\n"
	    "\n"
	    "Generate an RSA key pair in OpenSSH's format: the private key in\n"
	    "FILE (mode 0600) and the public key in FILE.pub (mode 0644).\n"
	    "\n"
	    "  -f FILE     where to write the key (default: " DEFAULT_FILE ")\n"
	    "  -t rsa      key type (only rsa)\n"
	    "  -b BITS     key size, even, 2048 to 16384 (default: 4096)\n"
	    "  -C COMMENT  comment (default: user@host)\n"
	    "  -N ''       empty passphrase (passphrases are not supported yet)\n"
	    "  -q          quiet: print nothing but errors\n"
	    "  --force     replace an existing key pair\n"
	    "  -h, --help  show this help\n"
	    "  --version   show the version\n",
	    progname, progname);
}

/* ssh-keygen's default comment: user@host */
static int
default_comment(char *buf, size_t len)
{
	char host[256];
	struct passwd *pw = getpwuid(getuid());
	const char *user = pw != NULL ? pw->pw_name : getenv("USER");

	if (gethostname(host, sizeof(host)) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	if (user == NULL)
		user = "user";
	return snprintf(buf, len, "%s@%s", user, host) < (int)len ? 0 : -1;
}

static int
parse_bits(const char *s, unsigned *bits)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v > UINT_MAX)
		return -1;
	*bits = (unsigned)v;
	return 0;
}

static void
report_write_error(const vhkey_error *err)
{
	const char *path = err->path[0] ? err->path : "key";

	switch (err->status) {
	case VHKEY_ERR_EXISTS:
		fprintf(stderr,
		    "%s: %s already exists; not overwriting it "
		    "(use --force to replace the key pair)\n",
		    progname, path);
		break;
	case VHKEY_ERR_SYMLINK:
		fprintf(stderr,
		    "%s: %s is a symbolic link; not writing through it "
		    "(use --force to replace the link itself)\n",
		    progname, path);
		break;
	default:
		if (err->sys_errno != 0)
			fprintf(stderr, "%s: cannot write %s: %s\n", progname,
			    path, strerror(err->sys_errno));
		else
			fprintf(stderr, "%s: cannot write %s: %s\n", progname,
			    path, vhkey_strerror(err->status));
	}
}

int
main(int argc, char **argv)
{
	enum { OPT_FORCE = 256, OPT_VERSION };
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = DEFAULT_FILE, *comment = NULL;
	char defcomment[VHKEY_COMMENT_MAX + 1];
	char fp[VHKEY_FINGERPRINT_MAX];
	unsigned bits = VHKEY_RSA_DEFAULT_BITS, flags = 0;
	int quiet = 0, ch, rc;
	vhkey *key = NULL;
	vhkey_error err;

	/* the private key is in this process's memory: keep it out of core
	 * files (the library's own buffers are also excluded from dumps) */
	(void)setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });

	while ((ch = getopt_long(argc, argv, "b:C:f:hN:qt:", longopts,
		    NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (parse_bits(optarg, &bits) != 0 ||
			    bits < VHKEY_RSA_MIN_BITS ||
			    bits > VHKEY_RSA_MAX_BITS || bits % 2 != 0) {
				fprintf(stderr,
				    "%s: invalid key size '%s': RSA keys must "
				    "be an even number of bits from %d to %d\n",
				    progname, optarg, VHKEY_RSA_MIN_BITS,
				    VHKEY_RSA_MAX_BITS);
				return 1;
			}
			break;
		case 'C':
			comment = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'N':
			if (optarg[0] != '\0') {
				fprintf(stderr,
				    "%s: passphrase-protected keys are not "
				    "supported yet; use -N ''\n",
				    progname);
				return 1;
			}
			break;
		case 'q':
			quiet = 1;
			break;
		case 't':
			if (strcmp(optarg, "rsa") != 0) {
				fprintf(stderr,
				    "%s: unknown key type '%s': only rsa is "
				    "supported\n",
				    progname, optarg);
				return 1;
			}
			break;
		case OPT_FORCE:
			flags |= VHKEY_WRITE_REPLACE;
			break;
		case OPT_VERSION:
			printf("vhkeygen (libvhkey) %s\n", vhkey_version());
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname,
		    argv[optind]);
		usage(stderr);
		return 1;
	}
	if (file[0] == '\0') {
		fprintf(stderr, "%s: -f needs a file name\n", progname);
		return 1;
	}
	if (comment == NULL) {
		if (default_comment(defcomment, sizeof(defcomment)) != 0)
			defcomment[0] = '\0';
		comment = defcomment;
	}
	if (vhkey_init() != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname,
		    vhkey_strerror(VHKEY_ERR_INIT));
		return 1;
	}

	/* refuse a taken name now, not after seconds of key generation */
	if (vhkey_write_pair_check(file, flags, &err) != VHKEY_OK) {
		report_write_error(&err);
		return 1;
	}
	if (!quiet)
		printf("Generating a %u-bit RSA key pair...\n", bits);
	if ((rc = vhkey_generate(VHKEY_TYPE_RSA, bits, comment, &key)) !=
	    VHKEY_OK) {
		if (rc == VHKEY_ERR_ARGUMENT)
			fprintf(stderr,
			    "%s: invalid comment: at most %d bytes on one "
			    "line\n",
			    progname, VHKEY_COMMENT_MAX);
		else
			fprintf(stderr, "%s: cannot generate the key: %s\n",
			    progname, vhkey_strerror(rc));
		return 1;
	}
	if ((rc = vhkey_fingerprint(key, VHKEY_HASH_SHA256, fp,
		 sizeof(fp))) != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname, vhkey_strerror(rc));
		vhkey_free(key);
		return 1;
	}
	if (vhkey_write_pair(key, file, flags, &err) != VHKEY_OK) {
		report_write_error(&err);
		vhkey_free(key);
		return 1;
	}
	if (!quiet) {
		printf("Your private key: %s (mode 0600: keep it secret, "
		       "never paste it anywhere)\n"
		       "Your public key:  %s.pub\n"
		       "The key fingerprint is:\n"
		       "%s %s\n"
		       "\n"
		       "Next:\n"
		       "  1. Paste the contents of %s.pub into the SSH key "
		       "field of the web UI.\n"
		       "  2. Connect with: ssh -i %s <user>@<host> -p <port>\n",
		    file, file, fp, vhkey_get_comment(key), file, file);
	}
	vhkey_free(key);
	return 0;
}
