/*
 * keyinfo - print what libvhkey reads in a key file, the way ssh-keygen
 * prints it, for the interop scripts to compare:
 *
 *   keyinfo [-E md5|sha256] FILE   "bits fingerprint comment (RSA)"  (-l)
 *   keyinfo -y FILE                the public key line               (-y)
 *
 * FILE may be a private key (openssh-key-v1) or a public key line.  With
 * -P PASS a private key is read with that passphrase; with -o OUT the
 * key read is written to OUT and OUT.pub (vhkey_write_pair()), encrypted
 * with -N PASS and -a ROUNDS when given: what the passphrase interop test
 * hands to ssh-keygen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vhkey.h"

int
main(int argc, char **argv)
{
	vhkey_hash hash = VHKEY_HASH_SHA256;
	char fp[VHKEY_FINGERPRINT_MAX], *line;
	const char *pass = NULL, *newpass = NULL, *outpath = NULL;
	unsigned rounds = 0;
	int ch, public_line = 0, rc;
	vhkey *key = NULL;
	vhkey_error err;

	while ((ch = getopt(argc, argv, "E:yP:N:a:o:")) != -1) {
		switch (ch) {
		case 'E':
			if (strcmp(optarg, "md5") == 0)
				hash = VHKEY_HASH_MD5;
			else if (strcmp(optarg, "sha256") != 0)
				return 2;
			break;
		case 'y':
			public_line = 1;
			break;
		case 'P':
			pass = optarg;
			break;
		case 'N':
			newpass = optarg;
			break;
		case 'a':
			rounds = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'o':
			outpath = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc || vhkey_init() != VHKEY_OK)
		return 2;
	rc = vhkey_load_private_file_passphrase(argv[optind], pass,
	    pass != NULL ? strlen(pass) : 0, &key, &err);
	if (rc == VHKEY_ERR_FORMAT)
		rc = vhkey_load_public_file(argv[optind], &key, &err);
	if (rc != VHKEY_OK) {
		fprintf(stderr, "keyinfo: %s: %s\n", argv[optind],
		    vhkey_strerror(rc));
		return 1;
	}
	if (outpath != NULL) {
		if (newpass != NULL)
			rc = vhkey_set_passphrase(key, newpass, strlen(newpass),
			    rounds);
		if (rc == VHKEY_OK)
			rc = vhkey_write_pair(key, outpath, 0, &err);
		if (rc != VHKEY_OK) {
			fprintf(stderr, "keyinfo: %s: %s\n", outpath,
			    vhkey_strerror(rc));
			return 1;
		}
	} else if (public_line) {
		if (vhkey_public_to_line(key, &line) != VHKEY_OK)
			return 1;
		printf("%s\n", line);
		free(line);
	} else {
		const char *c = vhkey_get_comment(key);
		if (vhkey_fingerprint(key, hash, fp, sizeof(fp)) != VHKEY_OK)
			return 1;
		printf("%u %s %s (%s)\n", vhkey_get_bits(key), fp,
		    *c ? c : "no comment",
		    vhkey_type_label(vhkey_get_type(key)));
	}
	vhkey_free(key);
	return 0;
}
