/*
 * vhkeygen - generate an SSH key pair for reaching running ML jobs.
 *
 * A thin front end: options compatible with ssh-keygen where they overlap,
 * everything else is libvhkey.
 */
#include "config.h"

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vhkey.h"
#include "cli.h"
#include "passphrase.h"

#define DEFAULT_FILE "valohai-debug-key"

static const char *progname = "vhkeygen";

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: %s [-q] [--force] [--no-stamp] [-t type] [-b bits] "
	    "[-C comment]\n"
	    "                [-N passphrase | --new-passphrase-file F] "
	    "[-a rounds] [-f file]\n"
	    "       %s --rotate [-q] [--no-stamp] [-C comment] [-N ...] "
	    "[-a rounds] [-f file]\n"
	    "       %s -y [-P passphrase | --passphrase-file F] [-f file]\n"
	    "       %s -p [-P ...] [-N ...] [-a rounds] [-f file]\n"
	    "       %s -h | --help | --version\n"
	    "\n"
	    "Generate a key pair in OpenSSH's format: the private key in\n"
	    "FILE (mode 0600) and the public key in FILE.pub (mode 0644).\n"
	    "\n"
	    "  -f FILE     where to write the key (default: " DEFAULT_FILE ")\n"
	    "  -t TYPE     rsa, ed25519 or ecdsa (default: rsa, 4096 bits; our\n"
	    "              choice: ssh-keygen's default is ed25519)\n"
	    "  -b BITS     rsa: even, 2048 to 16384 (default: 4096);\n"
	    "              ecdsa: 256, 384 or 521 (default: 256);\n"
	    "              ed25519: one size, 256 (no -b needed)\n"
	    "  -C COMMENT  comment (default: user@host; with --rotate, the old\n"
	    "              key's); the creation stamp is added to it\n"
	    "  -N PASS     passphrase for the private key ('' for none); without\n"
	    "              it, asked twice on the terminal (never read from a\n"
	    "              standard input that is not one: then -N is needed)\n"
	    "  --new-passphrase-file F\n"
	    "              the passphrase from the first line of F (or /dev/fd/N):\n"
	    "              unlike -N, it does not show in ps\n"
	    "  -a ROUNDS   key derivation rounds, 1 to %d (default: %d)\n"
	    "  -y          print the public key of the private key FILE\n"
	    "  -p          change the passphrase of the private key FILE\n"
	    "  -P PASS, --passphrase-file F\n"
	    "              the passphrase FILE has now (-y, -p); asked when needed\n"
	    "  -q          quiet: print nothing but errors\n"
	    "  --force     replace an existing key pair\n"
	    "  --rotate    replace an existing key pair with one of its type\n"
	    "              and size, keeping the old one as\n"
	    "              FILE.old-YYYYMMDDTHHMMSSZ and FILE.old-...Z.pub\n"
	    "  --no-stamp  no creation stamp (" VHKEY_STAMP_PREFIX
	    "...) in the comment\n"
	    "  -h, --help  show this help\n"
	    "  --version   show the version\n",
	    progname, progname, progname, progname, progname,
	    VHKEY_KDF_ROUNDS_MAX, VHKEY_KDF_ROUNDS_DEFAULT);
}

/*
 * -t and -b as ssh-keygen takes them: ecdsa's size picks the curve, and
 * no size (0) is the type's default (RSA's is ours: 4096).  -1 for a type
 * name we do not make.  Whether the size suits the type is the library's
 * rule (vhkey_generate_check()).
 */
static int
parse_type(const char *name, unsigned bits, vhkey_type *type,
    unsigned *bitsp)
{
	if (strcmp(name, "rsa") == 0)
		*type = VHKEY_TYPE_RSA;
	else if (strcmp(name, "ed25519") == 0)
		*type = VHKEY_TYPE_ED25519;
	else if (strcmp(name, "ecdsa") == 0)
		*type = bits == 384 ? VHKEY_TYPE_ECDSA_P384 :
		    bits == 521	    ? VHKEY_TYPE_ECDSA_P521 :
				      VHKEY_TYPE_ECDSA_P256;
	else
		return -1;
	if (bits == 0)
		bits = *type == VHKEY_TYPE_RSA ? VHKEY_RSA_DEFAULT_BITS : 256;
	*bitsp = bits;
	return 0;
}

/* A size the type is not made in; given printable. */
static void
bits_error(vhkey_type type, const char *given)
{
	if (type == VHKEY_TYPE_RSA)
		fprintf(stderr,
		    "%s: invalid key size '%s': RSA keys must be an even "
		    "number of bits from %d to %d\n",
		    progname, given, VHKEY_RSA_MIN_BITS, VHKEY_RSA_MAX_BITS);
	else if (type == VHKEY_TYPE_ED25519)
		fprintf(stderr,
		    "%s: invalid key size '%s': Ed25519 keys have one size, "
		    "256 bits; leave out -b\n",
		    progname, given);
	else
		fprintf(stderr,
		    "%s: invalid key size '%s': ECDSA keys are 256, 384 or "
		    "521 bits (the curve: nistp256, nistp384, nistp521)\n",
		    progname, given);
}

/*
 * -t and -b, judged together once both are known (either may come
 * first); with --rotate, only -t's name here: rotation_type() judges them
 * against the old key.  0, or -1 when refused (said).
 */
static int
type_and_bits(const char *tname, const char *bstr, int rotate,
    vhkey_type *type, unsigned *bits)
{
	struct cli_text t = { NULL, 0 };
	int rc = 0;

	/* 0 would be the library's default: not a size */
	if (bstr != NULL &&
	    (cli_parse_unsigned(bstr, bits) != 0 || *bits == 0))
		*bits = 1; /* a size no type has, refused below */
	if (parse_type(tname != NULL ? tname : "rsa", *bits, type, bits) !=
	    0) {
		fprintf(stderr,
		    "%s: unknown key type '%s': rsa, ed25519 or ecdsa\n",
		    progname, cli_safe(&t, tname));
		rc = -1;
	} else if (!rotate && vhkey_generate_check(*type, *bits) != VHKEY_OK) {
		bits_error(*type, cli_safe(&t, bstr != NULL ? bstr : ""));
		rc = -1;
	}
	cli_text_free(&t);
	return rc;
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

/* For a .pub given where the private key is expected. */
static const char *
pub_hint(const char *path)
{
	char *priv;

	if (vhkey_private_half(path, 0, &priv) != VHKEY_OK)
		return "";
	free(priv);
	return " (that is a public key: give the private key, the same name "
	       "without .pub)";
}

/* What went wrong writing the pair; path printable. */
static void
write_error(const char *path, const vhkey_error *err, int rotate)
{
	if (rotate) {
		switch (err->status) {
		case VHKEY_ERR_NOENT:
			fprintf(stderr,
			    "%s: cannot rotate %s: no such file or directory "
			    "(to make a new key pair, leave out --rotate)\n",
			    progname, path);
			return;
		case VHKEY_ERR_SYMLINK:
			fprintf(stderr,
			    "%s: %s is a symbolic link; not rotating through "
			    "it (rotate the file it points to)\n",
			    progname, path);
			return;
		case VHKEY_ERR_OWNER:
			fprintf(stderr,
			    "%s: %s belongs to another user; not rotating "
			    "it\n",
			    progname, path);
			return;
		case VHKEY_ERR_NOT_REGULAR:
			fprintf(stderr, "%s: %s is not a regular file\n",
			    progname, path);
			return;
		case VHKEY_ERR_LINKED:
			fprintf(stderr,
			    "%s: %s has other names (hard links): not "
			    "rotating it, which would change the file behind "
			    "them too\n",
			    progname, path);
			return;
		case VHKEY_ERR_NOT_PRIVATE:
			fprintf(stderr,
			    "%s: %s is not an OpenSSH private key; not "
			    "replacing it%s\n",
			    progname, path, pub_hint(path));
			return;
		}
	}
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

static void
report_write_error(const vhkey_error *err, int rotate)
{
	struct cli_text t = { NULL, 0 };
	const char *path = err->path[0] ? cli_safe(&t, err->path) : "key";

	write_error(path, err, rotate);
	cli_text_free(&t);
}

/* Does a comment hold what a terminal acts on (vhkey_escape())? */
static int
comment_unsafe(const char *comment)
{
	return vhkey_escape(NULL, 0, comment, 0) != strlen(comment);
}

/*
 * The comment the new key gets: -C, the old key's, or user@host; with a
 * creation stamp for now unless told otherwise.  An old comment that holds
 * control characters is carried over escaped, never raw (*escaped set):
 * the new key is listed and pasted in places where a terminal would act
 * on them.
 */
static int
make_comment(const char *given, const vhkey *old, int stamp, time_t now,
    char **out, int *escaped)
{
	/* a comment the library keeps escapes into a buffer of this size */
	char defcomment[VHKEY_COMMENT_MAX + 1],
	    safe[VHKEY_ESCAPE_MAX(VHKEY_COMMENT_MAX)];
	const char *base = given;

	*escaped = 0;
	if (base == NULL && old != NULL) {
		base = vhkey_get_comment(old);
		if (comment_unsafe(base)) {
			(void)vhkey_escape(safe, sizeof(safe), base, 0);
			base = safe;
			*escaped = 1;
		}
	}
	if (base == NULL) {
		if (default_comment(defcomment, sizeof(defcomment)) != 0)
			defcomment[0] = '\0';
		base = defcomment;
	}
	return stamp ? vhkey_comment_with_stamp(base, now, out) :
		       vhkey_comment_without_stamp(base, out);
}

/*
 * A rotation makes a key of the old one's type and size: -t or -b that
 * ask for another are refused (make a new pair for that), as is an old
 * key of a type or size this version does not make.  0, or -1 when
 * refused (said).
 */
static int
rotation_type(const char *file, const vhkey *old, const char *tname,
    const char *bstr, vhkey_type *type, unsigned *bits)
{
	struct cli_text t = { NULL, 0 };
	vhkey_type oldtype = vhkey_get_type(old);
	unsigned oldbits = vhkey_get_bits(old);
	int rc = -1;

	if (bstr == NULL)
		*bits = oldbits;
	if (tname != NULL)
		(void)parse_type(tname, *bits, type, bits);
	if ((tname != NULL && *type != oldtype) ||
	    (bstr != NULL && *bits != oldbits))
		fprintf(stderr,
		    "%s: --rotate keeps the key type and size: %s holds a "
		    "%u-bit %s key.  Leave out -t and -b, or make a new pair "
		    "of another kind under another name with %s -f "
		    "NEWFILE.\n",
		    progname, cli_safe(&t, file), oldbits,
		    vhkey_type_label(oldtype), progname);
	else if (vhkey_generate_check(oldtype, oldbits) != VHKEY_OK)
		fprintf(stderr,
		    "%s: cannot rotate %s: it holds a %u-bit %s key, which "
		    "this version does not make (%s).  Make a new pair under "
		    "another name with %s -f NEWFILE.\n",
		    progname, cli_safe(&t, file), oldbits,
		    vhkey_type_label(oldtype),
		    vhkey_strerror(vhkey_generate_check(oldtype, oldbits)),
		    progname);
	else {
		*type = oldtype;
		*bits = oldbits;
		rc = 0;
	}
	cli_text_free(&t);
	return rc;
}

static void
print_made(const char *name, const char *fp, const vhkey *key)
{
	struct cli_text t = { NULL, 0 };
	const char *file = cli_safe(&t, name);

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
	    file, file, fp, cli_safe(&t, vhkey_get_comment(key)), file, file);
	cli_text_free(&t);
}

/* pubname: the old .pub's backup, NULL when there was no old .pub */
static void
print_rotated(const char *name, const char *fp, const vhkey *key,
    const vhkey *old, const char *backupname, const char *pubname)
{
	struct cli_text t = { NULL, 0 };
	const char *file = cli_safe(&t, name), *backup;
	char oldfp[VHKEY_FINGERPRINT_MAX] = "(unknown: the old key could "
					    "not be read)";
	const char *pub = pubname != NULL ? pubname : "";
	int has_pub = pubname != NULL;

	backup = cli_safe(&t, backupname);
	if (old != NULL &&
	    vhkey_fingerprint(old, VHKEY_HASH_SHA256, oldfp, sizeof(oldfp)) !=
		VHKEY_OK)
		snprintf(oldfp, sizeof(oldfp), "(unknown)");
	printf("Rotated the key pair %s.\n"
	       "Old key: %s %s\n"
	       "         kept as %s%s%s\n"
	       "New key: %s %s\n"
	       "\n"
	       "Next:\n"
	       "  1. Paste the contents of %s.pub into the SSH key field of "
	       "the web UI.\n"
	       "  2. Remove the old key (%s) there: it works until you do.\n"
	       "  3. Once the new key works, delete the old pair: rm %s%s%s\n",
	    file, oldfp, old ? cli_safe(&t, vhkey_get_comment(old)) : "",
	    backup, has_pub ? " and " : "", has_pub ? cli_safe(&t, pub) : "",
	    fp, cli_safe(&t, vhkey_get_comment(key)), file, oldfp, backup,
	    has_pub ? " " : "", has_pub ? cli_safe(&t, pub) : "");
	cli_text_free(&t);
}

/*
 * The passphrase a key is written with: -N or --new-passphrase-file, else
 * asked twice on the terminal.  Without a terminal nothing is asked and
 * nothing is assumed: a key silently written without the passphrase its
 * maker meant to pipe in would look protected and not be.
 */
static int
new_passphrase(struct cli_pass *p, const char *prompt)
{
	if (p->given)
		return 0;
	switch (cli_pass_ask(p, progname, prompt, 1)) {
	case CLI_PASS_OK:
		return 0;
	case CLI_PASS_NO_TTY:
		fprintf(stderr,
		    "%s: no passphrase given, and standard input is not a "
		    "terminal to ask on: give one with -N PASSPHRASE or "
		    "--new-passphrase-file FILE, or -N '' for a key without "
		    "a passphrase\n",
		    progname);
		return -1;
	case CLI_PASS_MISMATCH:
		fprintf(stderr, "%s: the passphrases do not match\n",
		    progname);
		return -1;
	default:
		return -1;
	}
}

/* Why the private key at path (printable) could not be read. */
static void
load_error(const char *path, const vhkey_error *err)
{
	if (err->status == VHKEY_ERR_BAD_PASSPHRASE)
		fprintf(stderr,
		    "%s: incorrect passphrase supplied to decrypt %s\n",
		    progname, path);
	else if (err->sys_errno != 0)
		fprintf(stderr, "%s: cannot read %s: %s\n", progname, path,
		    strerror(err->sys_errno));
	else
		fprintf(stderr, "%s: cannot read %s: %s%s\n", progname, path,
		    vhkey_strerror(err->status), pub_hint(path));
}

/*
 * The private key at file, whole: with the passphrase given (-P,
 * --passphrase-file), or asked for once on the terminal when the key
 * turns out to have one.
 */
static int
load_private(const char *file, struct cli_pass *pass, vhkey **out)
{
	struct cli_text t = { NULL, 0 };
	vhkey_error err;
	int rc;

	rc = pass->given ?
	    vhkey_load_private_file_passphrase(file, pass->buf, pass->len,
		out, &err) :
	    vhkey_load_private_file(file, out, &err);
	if (rc == VHKEY_ERR_ENCRYPTED && !pass->given) {
		rc = cli_pass_ask(pass, progname, "Enter passphrase: ", 0);
		if (rc == CLI_PASS_NO_TTY)
			fprintf(stderr,
			    "%s: %s is protected by a passphrase: give it "
			    "with -P PASSPHRASE or --passphrase-file FILE "
			    "(standard input is not a terminal to ask on)\n",
			    progname, cli_safe(&t, file));
		if (rc != CLI_PASS_OK) {
			cli_text_free(&t);
			return -1;
		}
		rc = vhkey_load_private_file_passphrase(file, pass->buf,
		    pass->len, out, &err);
	}
	if (rc != VHKEY_OK)
		load_error(err.path[0] ? cli_safe(&t, err.path) : "the key",
		    &err);
	cli_text_free(&t);
	return rc == VHKEY_OK ? 0 : -1;
}

/* -y: the public key of a private key file, as ssh-keygen -y prints it
 * (its comment escaped, as everything we did not write). */
static int
show_public(const char *file, struct cli_pass *pass)
{
	struct cli_text t = { NULL, 0 };
	vhkey *key = NULL;
	char *line = NULL;
	int rc;

	if (load_private(file, pass, &key) != 0)
		return 1;
	if ((rc = vhkey_public_to_line(key, &line)) != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname, vhkey_strerror(rc));
		vhkey_free(key);
		return 1;
	}
	printf("%s\n", cli_safe(&t, line));
	cli_text_free(&t);
	free(line);
	vhkey_free(key);
	return 0;
}

/* -p: the private key at file written again with a new passphrase (or
 * none), in place and atomically; its .pub is left as it is. */
static int
change_passphrase(const char *file, struct cli_pass *old,
    struct cli_pass *new, unsigned rounds, int quiet)
{
	vhkey *key = NULL;
	vhkey_error err;
	int rc, status = 1;

	if (load_private(file, old, &key) != 0)
		return 1;
	if (!vhkey_has_private(key)) {
		fprintf(stderr,
		    "%s: this version cannot write %s keys\n", progname,
		    vhkey_type_label(vhkey_get_type(key)));
		goto out;
	}
	if (new_passphrase(new,
		"Enter new passphrase (empty for no passphrase): ") != 0)
		goto out;
	if ((rc = vhkey_set_passphrase(key, new->len ? new->buf : NULL,
		 new->len, rounds)) != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname, vhkey_strerror(rc));
		goto out;
	}
	if (vhkey_rewrite_private(key, file, &err) != VHKEY_OK) {
		report_write_error(&err, 0);
		goto out;
	}
	if (!quiet)
		printf("Your identification has been saved with the new "
		       "passphrase.\n");
	status = 0;
out:
	vhkey_free(key);
	return status;
}

/* The long options without a short one. */
enum { OPT_FORCE = 256, OPT_VERSION, OPT_ROTATE, OPT_NO_STAMP,
	OPT_NEW_PASSFILE, OPT_PASSFILE };

/* What the command line asks for. */
struct args {
	const char *file, *given, *tname, *bstr;
	const char *newarg, *newfile, *oldarg, *oldfile;
	unsigned flags, rounds;
	int quiet, rotate, stamp, show, repass;
	int genopt; /* an option only generation takes */
};

/* -a ROUNDS: 0, or -1 said. */
static int
parse_rounds(const char *s, unsigned *rounds)
{
	struct cli_text t = { NULL, 0 };

	if (cli_parse_unsigned(s, rounds) == 0 && *rounds > 0 &&
	    *rounds <= VHKEY_KDF_ROUNDS_MAX)
		return 0;
	fprintf(stderr, "%s: invalid number of rounds '%s': from 1 to %d\n",
	    progname, cli_safe(&t, s), VHKEY_KDF_ROUNDS_MAX);
	cli_text_free(&t);
	return -1;
}

/* -C COMMENT: 0, or -1 said. */
static int
parse_comment(const char *s)
{
	struct cli_text t = { NULL, 0 };

	/* the comment is printed wherever the key is listed */
	if (!comment_unsafe(s))
		return 0;
	fprintf(stderr,
	    "%s: invalid comment '%s': it holds control characters, "
	    "bidirectional controls or bytes that are not UTF-8 (shown "
	    "escaped), which a terminal acts on wherever the key is listed; "
	    "give plain text\n",
	    progname, cli_safe(&t, s));
	cli_text_free(&t);
	return -1;
}

/* The options that do not go together: 0, or -1 said. */
static int
check_args(const struct args *a)
{
	const char *why = NULL;

	if (a->file[0] == '\0')
		why = "-f needs a file name";
	else if (a->rotate && a->flags != 0)
		why = "--rotate and --force do not go together (--rotate "
		      "replaces the pair and keeps the old one)";
	else if (a->show + a->repass > 1 ||
	    ((a->show || a->repass) && a->genopt))
		why = "-y and -p each work on an existing key alone (with -f, "
		      "and -P, -N, -a or the passphrase files)";
	else if ((a->newarg != NULL && a->newfile != NULL) ||
	    (a->oldarg != NULL && a->oldfile != NULL))
		why = "give a passphrase once: -N or --new-passphrase-file, -P "
		      "or --passphrase-file";
	if (why == NULL)
		return 0;
	fprintf(stderr, "%s: %s\n", progname, why);
	return -1;
}

/* One option of the command line into a: 0, 1 to exit with status 0
 * (help, version), or -1 to exit with status 1 (said). */
static int
parse_option(int ch, struct args *a)
{
	switch (ch) {
	case 'a':
		return parse_rounds(optarg, &a->rounds);
	case 'b':
		a->bstr = optarg; /* judged with -t, after the options */
		break;
	case 'C':
		if (parse_comment(optarg) != 0)
			return -1;
		a->given = optarg;
		break;
	case 'f':
		a->file = optarg;
		return 0;
	case 'h':
		usage(stdout);
		return 1;
	case 'N':
		a->newarg = optarg;
		return 0;
	case 'P':
		a->oldarg = optarg;
		return 0;
	case 'p':
		a->repass = 1;
		return 0;
	case 'q':
		a->quiet = 1;
		return 0;
	case 't':
		a->tname = optarg;
		break;
	case 'y':
		a->show = 1;
		return 0;
	case OPT_NEW_PASSFILE:
		a->newfile = optarg;
		return 0;
	case OPT_PASSFILE:
		a->oldfile = optarg;
		return 0;
	case OPT_FORCE:
		a->flags |= VHKEY_WRITE_REPLACE;
		break;
	case OPT_ROTATE:
		a->rotate = 1;
		break;
	case OPT_NO_STAMP:
		a->stamp = 0;
		break;
	case OPT_VERSION:
		printf("vhkeygen (libvhkey) %s\n", vhkey_version());
		return 1;
	default:
		return -1;
	}
	a->genopt = 1; /* the cases that break, not return */
	return 0;
}

/* The command line into a: as parse_option() returns. */
static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "rotate", no_argument, NULL, OPT_ROTATE },
		{ "no-stamp", no_argument, NULL, OPT_NO_STAMP },
		{ "new-passphrase-file", required_argument, NULL,
		    OPT_NEW_PASSFILE },
		{ "passphrase-file", required_argument, NULL, OPT_PASSFILE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	static const char optstring[] = "a:b:C:f:hN:pP:qt:y";
	struct cli_text t = { NULL, 0 };
	int ch, rc;

	opterr = 0; /* cli_option_error() says it, escaped */
	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) !=
	    -1) {
		if (ch == '?' || ch == ':') {
			cli_option_error(progname, optstring, argv);
			usage(stderr);
			return -1;
		}
		if ((rc = parse_option(ch, a)) != 0)
			return rc;
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname,
		    cli_safe(&t, argv[optind]));
		cli_text_free(&t);
		usage(stderr);
		return -1;
	}
	return check_args(a);
}

/* The passphrases given (-N, -P, or their files) read: 0, or -1 said. */
static int
read_passphrases(const struct args *a, struct cli_pass *newpass,
    struct cli_pass *oldpass)
{
	if ((a->newarg != NULL && cli_pass_set(newpass, progname, a->newarg)) ||
	    (a->newfile != NULL &&
		cli_pass_from_file(newpass, progname, a->newfile)) ||
	    (a->oldarg != NULL && cli_pass_set(oldpass, progname, a->oldarg)) ||
	    (a->oldfile != NULL &&
		cli_pass_from_file(oldpass, progname, a->oldfile)))
		return -1;
	return 0;
}

/* The comment the new key gets, said on failure: 0 or -1. */
static int
new_comment(const struct args *a, const vhkey *old, time_t now,
    char **comment)
{
	int escaped, rc;

	if ((rc = make_comment(a->given, old, a->stamp, now, comment,
		 &escaped)) != VHKEY_OK) {
		if (rc == VHKEY_ERR_ARGUMENT)
			fprintf(stderr,
			    "%s: invalid comment: at most %d bytes on one "
			    "line%s\n",
			    progname, VHKEY_COMMENT_MAX,
			    a->stamp ? ", with the creation stamp" : "");
		else
			fprintf(stderr, "%s: %s\n", progname,
			    vhkey_strerror(rc));
		return -1;
	}
	if (!a->quiet && escaped)
		printf("The old key's comment holds control characters: the "
		       "new key carries it escaped (give another with -C).\n");
	return 0;
}

/* A new key of type and bits with comment and newpass: 0, or -1 said. */
static int
make_key(const struct args *a, vhkey_type type, unsigned bits,
    const char *comment, const struct cli_pass *newpass, vhkey **key)
{
	int rc;

	if (!a->quiet)
		printf("Generating a %u-bit %s key pair...\n", bits,
		    vhkey_type_label(type));
	if ((rc = vhkey_generate(type, bits, comment, key)) != VHKEY_OK) {
		fprintf(stderr, "%s: cannot generate the key: %s\n", progname,
		    vhkey_strerror(rc));
		return -1;
	}
	if (newpass->len > 0 &&
	    (rc = vhkey_set_passphrase(*key, newpass->buf, newpass->len,
		 a->rounds)) != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname, vhkey_strerror(rc));
		return -1;
	}
	return 0;
}

/* Generate a pair and write it (or rotate the one there): the exit
 * status. */
static int
generate(const struct args *a, struct cli_pass *newpass)
{
	char fp[VHKEY_FINGERPRINT_MAX], *comment = NULL, *backup = NULL,
	     *pub_backup = NULL;
	vhkey_type type = VHKEY_TYPE_RSA;
	unsigned bits = 0;
	time_t now = time(NULL);
	vhkey *key = NULL, *old = NULL, *oldread = NULL;
	vhkey_error err;
	int rc, status = 1;

	if (type_and_bits(a->tname, a->bstr, a->rotate, &type, &bits) != 0)
		return 1;
	/* refuse a taken (or, to rotate, a missing) name now, not after
	 * seconds of key generation */
	rc = a->rotate ? vhkey_rotate_pair_check(a->file, &old, &err) :
			 vhkey_write_pair_check(a->file, a->flags, &err);
	if (rc != VHKEY_OK) {
		report_write_error(&err, a->rotate);
		goto out;
	}
	if ((a->rotate && rotation_type(a->file, old, a->tname, a->bstr,
			      &type, &bits) != 0) ||
	    new_passphrase(newpass,
		"Enter passphrase (empty for no passphrase): ") != 0 ||
	    new_comment(a, old, now, &comment) != 0 ||
	    make_key(a, type, bits, comment, newpass, &key) != 0)
		goto out;
	if ((rc = vhkey_fingerprint(key, VHKEY_HASH_SHA256, fp,
		 sizeof(fp))) != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname, vhkey_strerror(rc));
		goto out;
	}
	rc = a->rotate ? vhkey_rotate_pair(key, a->file, now, &backup,
			     &pub_backup, &oldread, &err) :
			 vhkey_write_pair(key, a->file, a->flags, &err);
	if (rc != VHKEY_OK) {
		report_write_error(&err, a->rotate);
		goto out;
	}
	if (!a->quiet && a->rotate)
		print_rotated(a->file, fp, key, oldread, backup, pub_backup);
	else if (!a->quiet)
		print_made(a->file, fp, key);
	status = 0;
out:
	vhkey_free(key);
	vhkey_free(old);
	vhkey_free(oldread);
	free(comment);
	free(backup);
	free(pub_backup);
	return status;
}

int
main(int argc, char **argv)
{
	struct args a = { .file = DEFAULT_FILE, .stamp = 1 };
	struct cli_pass newpass = { .given = 0 }, oldpass = { .given = 0 };
	int rc, status = 1;

	cli_init_escape();
	/* the private key is in this process's memory: keep it out of core
	 * files (the library's own buffers are also excluded from dumps) */
	(void)setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc > 0 ? 0 : 1;
	if (vhkey_init() != VHKEY_OK) {
		fprintf(stderr, "%s: %s\n", progname,
		    vhkey_strerror(VHKEY_ERR_INIT));
		return 1;
	}
	if (read_passphrases(&a, &newpass, &oldpass) != 0)
		status = 1;
	else if (a.show)
		status = show_public(a.file, &oldpass);
	else if (a.repass)
		status = change_passphrase(a.file, &oldpass, &newpass, a.rounds,
		    a.quiet);
	else
		status = generate(&a, &newpass);
	cli_pass_wipe(&newpass);
	cli_pass_wipe(&oldpass);
	return status;
}
