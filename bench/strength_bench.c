/*
 * strength_bench - the library's check on many distinct public keys, as a
 * file of keys meets it: every key is checked once per round, so nothing
 * one key leaves in the caches helps the next.  Prints the time per check
 * (best round); under valgrind --tool=callgrind it gives repeatable
 * instruction counts per function instead.
 *
 *   make bench/strength_bench
 *   bench/strength_bench [-r ROUNDS] KEY.pub...
 *   bench/strength_bench [-r ROUNDS] -m FACTOR_BITS [-n COUNT] [-b BITS]
 *
 * With -m it makes COUNT (50) moduli of BITS (2048) bits, each the product
 * of BITS / FACTOR_BITS random primes of FACTOR_BITS bits (e = 65537),
 * and says how many the check rejects: the detection rate of moduli made
 * of many small primes, and what such a key costs.
 *
 * Not part of make check.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "vhkey.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* An SSH wire string or mpint of len bytes at p, after its length. */
static unsigned char *
put_string(unsigned char *p, const void *data, size_t len)
{
	p[0] = (unsigned char)(len >> 24);
	p[1] = (unsigned char)(len >> 16);
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	memcpy(p + 4, data, len);
	return p + 4 + len;
}

/* "ssh-rsa BASE64\n" for (65537, n), in a malloc'd string. */
static char *
rsa_line(const BIGNUM *n, size_t *len)
{
	static const unsigned char e[] = { 0x01, 0x00, 0x01 };
	unsigned char mpn[2100], blob[2200], *end;
	int nlen = BN_num_bytes(n);
	char *line;

	/* a leading zero byte when the top bit is set (RFC 4251 mpint) */
	mpn[0] = 0;
	BN_bn2bin(n, mpn + 1);
	end = put_string(blob, "ssh-rsa", 7);
	end = put_string(end, e, sizeof(e));
	end = put_string(end, mpn + !(mpn[1] & 0x80), (size_t)nlen +
	    (mpn[1] & 0x80 ? 1 : 0));
	if ((line = malloc(8 + 4 * sizeof(blob) / 3 + 8)) == NULL)
		return NULL;
	memcpy(line, "ssh-rsa ", 8);
	*len = 8 + (size_t)EVP_EncodeBlock((unsigned char *)line + 8, blob,
	    (int)(end - blob));
	line[(*len)++] = '\n';
	return line;
}

/* count moduli of bits bits, each the product of primes of fbits bits. */
static int
many_primes(char **text, size_t *len, int count, int bits, int fbits)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *n = BN_new(), *p = BN_new();

	if (ctx == NULL || n == NULL || p == NULL || fbits < 16 ||
	    bits > 16000 || bits < fbits)
		return -1;
	for (int i = 0; i < count; i++) {
		BN_one(n);
		for (int k = 0; k < bits / fbits; k++)
			if (!BN_generate_prime_ex2(p, fbits, 0, NULL, NULL,
				NULL, ctx) ||
			    !BN_mul(n, n, p, ctx))
				return -1;
		if ((text[i] = rsa_line(n, &len[i])) == NULL)
			return -1;
	}
	BN_free(p);
	BN_free(n);
	BN_CTX_free(ctx);
	return 0;
}

int
main(int argc, char **argv)
{
	vhkey_policy *policy = NULL;
	char **text;
	size_t *len;
	int rounds = 1, nkeys, accepted = 0, opt;
	int fbits = 0, count = 50, bits = 2048;
	double best = 0;

	while ((opt = getopt(argc, argv, "r:m:n:b:")) != -1) {
		int v = atoi(optarg);

		if (v < 1 || (opt != 'r' && opt != 'm' && opt != 'n' &&
				 opt != 'b')) {
			fprintf(stderr,
			    "usage: strength_bench [-r ROUNDS] KEY.pub...\n"
			    "       strength_bench [-r ROUNDS] -m FACTOR_BITS "
			    "[-n COUNT] [-b BITS]\n");
			return 2;
		}
		*(opt == 'r' ? &rounds : opt == 'm' ? &fbits :
		    opt == 'n' ? &count : &bits) = v;
	}
	nkeys = fbits != 0 ? count : argc - optind;
	text = calloc((size_t)nkeys + 1, sizeof(*text));
	len = calloc((size_t)nkeys + 1, sizeof(*len));
	if (nkeys < 1 || text == NULL || len == NULL ||
	    vhkey_init() != VHKEY_OK || vhkey_policy_new(&policy) != VHKEY_OK)
		return 2;
	/* such a product is a few bits short of BITS: the size is not what
	 * is measured */
	if (fbits != 0 &&
	    (many_primes(text, len, count, bits, fbits) != 0 ||
		vhkey_policy_set_min_rsa_bits(policy, 1024) != VHKEY_OK))
		return 2;
	for (int i = 0; fbits == 0 && i < nkeys; i++) {
		FILE *f = fopen(argv[optind + i], "rb");

		if (f == NULL || (text[i] = malloc(VHKEY_PASTE_MAX)) == NULL) {
			perror(argv[optind + i]);
			return 2;
		}
		len[i] = fread(text[i], 1, VHKEY_PASTE_MAX, f);
		fclose(f);
	}
	for (int r = 0; r < rounds; r++) {
		double t0 = now_us(), us;

		accepted = 0;
		for (int i = 0; i < nkeys; i++) {
			vhkey_report *rep = NULL;

			if (vhkey_check_paste(text[i], len[i], policy,
				time(NULL), &rep) != VHKEY_OK)
				return 1;
			accepted += vhkey_report_verdict(rep) ==
			    VHKEY_ACCEPTED;
			if (fbits != 0 && r == 0 &&
			    vhkey_report_verdict(rep) != VHKEY_ACCEPTED)
				printf("%.60s...\n", vhkey_report_message(rep));
			vhkey_report_free(rep);
		}
		us = (now_us() - t0) / nkeys;
		if (r == 0 || us < best)
			best = us;
	}
	printf("%d keys, %d accepted: %.1f us per check (best of %d "
	       "rounds)\n",
	    nkeys, accepted, best, rounds);
	for (int i = 0; i < nkeys; i++)
		free(text[i]);
	free(text);
	free(len);
	vhkey_policy_free(policy);
	return 0;
}
