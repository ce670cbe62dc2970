/*
 * mutate - write COUNT seeded random mutants of FILE to DIR/m-NNNNN, each
 * one to three mutations away from it, for tests/paste_fuzz.sh.
 *
 *   mutate SEED COUNT FILE DIR
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"

int
main(int argc, char **argv)
{
	unsigned long count;
	char *orig, *buf, path[4096];
	size_t len, cap;
	FILE *f;
	long n;

	if (argc != 5) {
		fprintf(stderr, "usage: mutate SEED COUNT FILE DIR\n");
		return 2;
	}
	fu_seed(strtoull(argv[1], NULL, 0));
	count = strtoul(argv[2], NULL, 10);
	if ((f = fopen(argv[3], "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(argv[3]);
		return 2;
	}
	len = (size_t)n;
	cap = len + 3 * 4 + 1;
	orig = malloc(len + 1);
	buf = malloc(cap);
	if (orig == NULL || buf == NULL || fread(orig, 1, len, f) != len) {
		perror(argv[3]);
		return 2;
	}
	fclose(f);
	for (unsigned long i = 0; i < count; i++) {
		size_t m = len;
		memcpy(buf, orig, len);
		for (int k = 1 + (int)(fu_rand() % 3); k > 0; k--)
			m = fu_mutate(buf, m);
		snprintf(path, sizeof(path), "%s/m-%05lu", argv[4], i);
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(buf, 1, m, f) != m || fclose(f) != 0) {
			perror(path);
			return 2;
		}
	}
	free(orig);
	free(buf);
	return 0;
}
