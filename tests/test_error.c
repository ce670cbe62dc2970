/* test_error.c - status messages and initialisation. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vhkey.h"

static const int all_codes[] = {
#define CODE_(name, value, msg) name,
	VHKEY_STATUS_LIST(CODE_)
#undef CODE_
};
#define NCODES (sizeof(all_codes) / sizeof(all_codes[0]))

static void
test_every_code_has_message_and_name(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCODES; i++) {
		const char *m = vhkey_strerror(all_codes[i]);
		const char *n = vhkey_status_name(all_codes[i]);
		assert_non_null(m);
		assert_true(strlen(m) > 0);
		assert_string_not_equal(m, "unknown error");
		assert_true(strncmp(n, "VHKEY_", 6) == 0);
		/* codes are distinct */
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(all_codes[i], all_codes[j]);
	}
	assert_string_equal(vhkey_strerror(VHKEY_OK), "success");
	assert_string_equal(vhkey_status_name(VHKEY_ERR_EXISTS),
	    "VHKEY_ERR_EXISTS");
}

static void
test_unknown_codes(void **state)
{
	(void)state;
	assert_string_equal(vhkey_strerror(-1), "unknown error");
	assert_string_equal(vhkey_strerror(100000), "unknown error");
	assert_null(vhkey_status_name(-7));
	assert_null(vhkey_status_name(100000));
}

static void
test_stable_numbers(void **state)
{
	(void)state;
	/* published numbers never move */
	assert_int_equal(VHKEY_OK, 0);
	assert_int_equal(VHKEY_ERR_NOMEM, 1);
	assert_int_equal(VHKEY_ERR_EXISTS, 20);
	assert_int_equal(VHKEY_ERR_BUFFER, 27);
	assert_int_equal(VHKEY_ERR_NO_STAMP, 28);
	assert_int_equal(VHKEY_ERR_OWNER, 29);
}

static void *
init_thread(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)vhkey_init();
}

static void
test_init_idempotent_threads(void **state)
{
	pthread_t t[8];
	void *rc;

	(void)state;
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, init_thread, NULL),
		    0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_int_equal((intptr_t)rc, VHKEY_OK);
	}
	assert_int_equal(vhkey_init(), VHKEY_OK);
	assert_int_equal(vhkey_init(), VHKEY_OK);
	assert_string_equal(vhkey_version(), VHKEY_VERSION_STRING);
	/* the header's version and the library's are configure's (AC_INIT) */
	assert_string_equal(vhkey_version(), PACKAGE_VERSION);
}

/* The caller allocates it: its size is the ABI's, and the library zeroes
 * the room kept for later fields. */
_Static_assert(sizeof(vhkey_error) == VHKEY_ERROR_SIZE,
    "vhkey_error changed size: take new fields from reserved");

static void
test_error_reserved(void **state)
{
	vhkey_error err;
	vhkey *key = NULL;

	(void)state;
	memset(&err, 0xa5, sizeof(err));
	assert_int_equal(vhkey_load_public_file("/nonexistent/k.pub", &key,
			     &err),
	    VHKEY_ERR_NOENT);
	for (size_t i = 0; i < sizeof(err.reserved) / sizeof(err.reserved[0]);
	     i++)
		assert_int_equal(err.reserved[i], 0);
	assert_int_equal(err.sys_errno, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_has_message_and_name),
		cmocka_unit_test(test_unknown_codes),
		cmocka_unit_test(test_stable_numbers),
		cmocka_unit_test(test_init_idempotent_threads),
		cmocka_unit_test(test_error_reserved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
