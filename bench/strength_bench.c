/*
 * strength_bench - the library's check on many distinct public keys, as a
 * file of keys meets it: every key is checked once per round, so nothing
 * one key leaves in the caches helps the next.  Prints the time per check
 * (best round); under valgrind --tool=callgrind it gives repeatable
 * instruction counts per function instead.
 *
 *   make bench/strength_bench
 *   bench/strength_bench [-r ROUNDS] KEY.pub...
 *
 * Not part of make check.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vhkey.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int
main(int argc, char **argv)
{
	vhkey_policy *policy = NULL;
	char **text;
	size_t *len;
	int rounds = 1, nkeys, accepted = 0, opt;
	double best = 0;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r' || (rounds = atoi(optarg)) < 1) {
			fprintf(stderr,
			    "usage: strength_bench [-r ROUNDS] KEY.pub...\n");
			return 2;
		}
	}
	nkeys = argc - optind;
	text = calloc((size_t)nkeys + 1, sizeof(*text));
	len = calloc((size_t)nkeys + 1, sizeof(*len));
	if (nkeys < 1 || text == NULL || len == NULL ||
	    vhkey_init() != VHKEY_OK || vhkey_policy_new(&policy) != VHKEY_OK)
		return 2;
	for (int i = 0; i < nkeys; i++) {
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
