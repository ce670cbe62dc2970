/*
 * paste_bench - the library's paste check on one RSA-4096 public key, the
 * server's request path: time per call (median, 99th percentile) on one
 * thread, then on every core at once, and keys per second per core.
 *
 *   make bench/paste_bench && bench/paste_bench [KEYFILE.pub] [CALLS]
 *
 * Not part of make check.  KEYFILE defaults to a 4096-bit fixture.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vhkey.h"

struct run {
	const char *text;
	size_t len;
	const vhkey_policy *policy;
	size_t calls;
	double *ms;	 /* per call */
	int failures;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *
work(void *arg)
{
	struct run *r = arg;

	for (size_t i = 0; i < r->calls; i++) {
		vhkey_report *rep = NULL;
		double t0 = now_ms();
		if (vhkey_check_paste(r->text, r->len, r->policy, time(NULL),
			&rep) != VHKEY_OK ||
		    vhkey_report_verdict(rep) != VHKEY_ACCEPTED)
			r->failures++;
		r->ms[i] = now_ms() - t0;
		vhkey_report_free(rep);
	}
	return NULL;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *what, double *ms, size_t n, double wall_ms, int threads)
{
	qsort(ms, n, sizeof(*ms), cmp);
	printf("%-22s calls %6zu  median %.3f ms  p99 %.3f ms  "
	       "%.0f keys/s (%.0f per core)\n",
	    what, n, ms[n / 2], ms[n * 99 / 100], n / (wall_ms / 1e3),
	    n / (wall_ms / 1e3) / threads);
}

int
main(int argc, char **argv)
{
	const char *file = argc > 1 ? argv[1] :
				      "tests/data/paste/rsa4096.pub";
	size_t calls = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	vhkey_policy *policy = NULL;
	static char text[VHKEY_PASTE_MAX];
	struct run *runs;
	pthread_t *tid;
	double t0, wall, *all;
	size_t len;
	FILE *f;

	if (cores < 1)
		cores = 1;
	if ((f = fopen(file, "rb")) == NULL) {
		perror(file);
		return 2;
	}
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (vhkey_init() != VHKEY_OK || vhkey_policy_new(&policy) != VHKEY_OK)
		return 2;
	runs = calloc((size_t)cores, sizeof(*runs));
	tid = calloc((size_t)cores, sizeof(*tid));
	all = calloc(calls * (size_t)cores, sizeof(*all));
	if (runs == NULL || tid == NULL || all == NULL)
		return 2;

	/* one thread */
	runs[0] = (struct run){ text, len, policy, calls, all, 0 };
	work(&runs[0]); /* warm up */
	t0 = now_ms();
	work(&runs[0]);
	wall = now_ms() - t0;
	report("1 thread", all, calls, wall, 1);
	if (runs[0].failures)
		return 1;

	/* every core, one policy shared, as a threaded server does */
	t0 = now_ms();
	for (long i = 0; i < cores; i++) {
		runs[i] = (struct run){ text, len, policy, calls,
			all + (size_t)i * calls, 0 };
		pthread_create(&tid[i], NULL, work, &runs[i]);
	}
	for (long i = 0; i < cores; i++)
		pthread_join(tid[i], NULL);
	wall = now_ms() - t0;
	{
		char what[32];
		snprintf(what, sizeof(what), "%ld threads", cores);
		report(what, all, calls * (size_t)cores, wall, (int)cores);
	}
	for (long i = 0; i < cores; i++)
		if (runs[i].failures)
			return 1;
	vhkey_policy_free(policy);
	free(runs);
	free(tid);
	free(all);
	return 0;
}
