/* test_threads.c - the paste checker, loading keys, parsing public lines
 * and fingerprints from many threads at once, every result checked (run under
 * ThreadSanitizer in CI). */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "vhkey.h"
#include "testutil.h"

#define NTHREADS 8
#define ROUNDS 20

static const char *names[] = { "rsa2048", "rsa3072", "rsa4096-nocomment" };
static char *pub_text[3];
static size_t pub_len[3];
static char want_sha[3][VHKEY_FINGERPRINT_MAX];
static char want_md5[3][VHKEY_FINGERPRINT_MAX];

static void
expected(const char *file, char *out)
{
	char *text = tu_read_file(tu_data(file), NULL), *sp1, *sp2;

	assert_non_null(text);
	sp1 = strchr(text, ' ');
	sp2 = strchr(sp1 + 1, ' ');
	*sp2 = '\0';
	snprintf(out, VHKEY_FINGERPRINT_MAX, "%s", sp1 + 1);
	free(text);
}

static int
setup(void **state)
{
	char f[64];

	(void)state;
	for (int i = 0; i < 3; i++) {
		snprintf(f, sizeof(f), "%s.pub", names[i]);
		pub_text[i] = tu_read_file(tu_data(f), &pub_len[i]);
		snprintf(f, sizeof(f), "%s.sha256", names[i]);
		expected(f, want_sha[i]);
		snprintf(f, sizeof(f), "%s.md5", names[i]);
		expected(f, want_md5[i]);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		free(pub_text[i]);
	return 0;
}

struct job {
	int id;
	const vhkey_policy *policy;
	int errors;
};

static void *
work(void *arg)
{
	struct job *job = arg;
	char path[4096], fp[VHKEY_FINGERPRINT_MAX];

	for (int round = 0; round < ROUNDS; round++) {
		int i = (job->id + round) % 3;
		vhkey *pub = NULL, *priv = NULL;
		vhkey_report *r = NULL;

		if (vhkey_parse_public(pub_text[i], pub_len[i], &pub) !=
			VHKEY_OK ||
		    vhkey_fingerprint(pub, VHKEY_HASH_SHA256, fp, sizeof(fp)) !=
			VHKEY_OK ||
		    strcmp(fp, want_sha[i]) != 0 ||
		    vhkey_fingerprint(pub, VHKEY_HASH_MD5, fp, sizeof(fp)) !=
			VHKEY_OK ||
		    strcmp(fp, want_md5[i]) != 0)
			job->errors++;
		/* the paste checker, as a server runs it: accepted, the
		 * same key, one shared policy */
		if (vhkey_check_paste(pub_text[i], pub_len[i], job->policy,
			(time_t)1764000000, &r) != VHKEY_OK ||
		    vhkey_report_verdict(r) != VHKEY_ACCEPTED ||
		    vhkey_fingerprint(vhkey_report_key(r), VHKEY_HASH_SHA256, fp,
			sizeof(fp)) != VHKEY_OK ||
		    strcmp(fp, want_sha[i]) != 0)
			job->errors++;
		vhkey_report_free(r);
		/* private keys are costly to check: every fourth round */
		if (round % 4 == job->id % 4) {
			snprintf(path, sizeof(path), "%s/%s", VHKEY_TEST_DATA,
			    names[i]);
			if (vhkey_load_private_file(path, &priv, NULL) !=
				VHKEY_OK ||
			    pub == NULL || !vhkey_public_equal(priv, pub))
				job->errors++;
		}
		vhkey_free(priv);
		vhkey_free(pub);
	}
	return NULL;
}

static void
test_many_threads(void **state)
{
	pthread_t tid[NTHREADS];
	struct job jobs[NTHREADS];
	vhkey_policy *policy = NULL;

	(void)state;
	assert_int_equal(vhkey_policy_new(&policy), VHKEY_OK);
	for (int i = 0; i < NTHREADS; i++) {
		jobs[i] = (struct job){ .id = i, .policy = policy };
		assert_int_equal(pthread_create(&tid[i], NULL, work, &jobs[i]),
		    0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(tid[i], NULL), 0);
		assert_int_equal(jobs[i].errors, 0);
	}
	vhkey_policy_free(policy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_threads),
	};

	/* vhkey_policy_new() in the test needs no init; the threads race
	 * to vhkey_init() themselves */
	return cmocka_run_group_tests(tests, setup, teardown);
}
