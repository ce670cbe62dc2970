/* test_policy.c - policy defaults and bounds. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vhkey.h"

static void
test_defaults(void **state)
{
	vhkey_policy *p = NULL;

	(void)state;
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_min_rsa_bits(p), 2048);
	assert_int_equal(vhkey_policy_get_max_age_days(p), 90);
	assert_int_equal(vhkey_policy_get_warn_days(p), 14);
	for (int t = VHKEY_TYPE_RSA; t < VHKEY_TYPE_COUNT; t++)
		assert_true(vhkey_policy_type_allowed(p, (vhkey_type)t));
	assert_false(vhkey_policy_type_allowed(p, VHKEY_TYPE_UNKNOWN));
	assert_false(vhkey_policy_type_allowed(p, (vhkey_type)VHKEY_TYPE_COUNT));
	vhkey_policy_free(p);
	vhkey_policy_free(NULL);
	assert_int_equal(vhkey_policy_new(NULL), VHKEY_ERR_ARGUMENT);
}

static void
test_setters(void **state)
{
	vhkey_policy *p = NULL;

	(void)state;
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_min_rsa_bits(p, 3072), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_min_rsa_bits(p), 3072);
	assert_int_equal(vhkey_policy_set_min_rsa_bits(p, 1023),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_set_min_rsa_bits(p, 16385),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_get_min_rsa_bits(p), 3072);
	assert_int_equal(vhkey_policy_allow_type(p, VHKEY_TYPE_RSA, 0),
	    VHKEY_OK);
	assert_false(vhkey_policy_type_allowed(p, VHKEY_TYPE_RSA));
	assert_true(vhkey_policy_type_allowed(p, VHKEY_TYPE_ED25519));
	assert_int_equal(vhkey_policy_allow_type(p, VHKEY_TYPE_UNKNOWN, 1),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_allow_type(p, (vhkey_type)-1, 1),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_set_rotation(p, 30, 7), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_max_age_days(p), 30);
	assert_int_equal(vhkey_policy_get_warn_days(p), 7);
	assert_int_equal(vhkey_policy_set_rotation(p, 0, 0),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_set_rotation(p, 10, 10),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_set_rotation(p, 36501, 1),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_set_rotation(p, 1, 0), VHKEY_OK);
	vhkey_policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_setters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
