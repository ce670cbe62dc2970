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

/* VHKEY_ROTATION=MAX[,WARN], strictly; a refusal changes nothing. */
static void
test_parse_rotation(void **state)
{
	static const char *const bad[] = { "", ",", "90,", ",14", "90,14,1",
		" 90", "90 ", "90, 14", "+90", "-90", "0x5a", "90d", "0",
		"0,0", "10,10", "10,11", "36501", "123456", "90,123456",
		"1,1", "00000000000090", "9\n" };
	vhkey_policy *p = NULL;

	(void)state;
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_string_equal(VHKEY_ROTATION_ENV, "VHKEY_ROTATION");
	assert_int_equal(vhkey_policy_parse_rotation(p, "30,7"), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_max_age_days(p), 30);
	assert_int_equal(vhkey_policy_get_warn_days(p), 7);
	assert_int_equal(vhkey_policy_parse_rotation(p, "365"), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_max_age_days(p), 365);
	assert_int_equal(vhkey_policy_get_warn_days(p), 14);
	/* without WARN, a short period gets a window inside it */
	assert_int_equal(vhkey_policy_parse_rotation(p, "7"), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_warn_days(p), 6);
	assert_int_equal(vhkey_policy_parse_rotation(p, "1"), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_warn_days(p), 0);
	assert_int_equal(vhkey_policy_parse_rotation(p, "36500,0"), VHKEY_OK);
	assert_int_equal(vhkey_policy_parse_rotation(p, "00090,00014"),
	    VHKEY_OK);
	assert_int_equal(vhkey_policy_get_max_age_days(p), 90);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vhkey_policy_parse_rotation(p, bad[i]),
		    VHKEY_ERR_ARGUMENT);
		assert_int_equal(vhkey_policy_get_max_age_days(p), 90);
		assert_int_equal(vhkey_policy_get_warn_days(p), 14);
	}
	assert_int_equal(vhkey_policy_parse_rotation(p, NULL),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_parse_rotation(NULL, "90"),
	    VHKEY_ERR_ARGUMENT);
	vhkey_policy_free(p);
}

/* --max-age alone: the window kept when it fits, narrowed when not. */
static void
test_set_max_age(void **state)
{
	vhkey_policy *p = NULL;

	(void)state;
	assert_int_equal(vhkey_policy_new(&p), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_max_age(p, 365), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_max_age_days(p), 365);
	assert_int_equal(vhkey_policy_get_warn_days(p), VHKEY_POLICY_WARN_DAYS);
	assert_int_equal(vhkey_policy_set_max_age(p, 10), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_warn_days(p), 9);
	/* narrowed once, it stays narrow: the window set is what is kept */
	assert_int_equal(vhkey_policy_set_max_age(p, 30), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_warn_days(p), 9);
	assert_int_equal(vhkey_policy_set_max_age(p, 1), VHKEY_OK);
	assert_int_equal(vhkey_policy_get_warn_days(p), 0);
	assert_int_equal(vhkey_policy_set_max_age(p, VHKEY_POLICY_MAX_AGE_LIMIT),
	    VHKEY_OK);
	assert_int_equal(vhkey_policy_get_max_age_days(p),
	    VHKEY_POLICY_MAX_AGE_LIMIT);
	/* refused: nothing changes */
	assert_int_equal(vhkey_policy_set_rotation(p, 90, 14), VHKEY_OK);
	assert_int_equal(vhkey_policy_set_max_age(p, 0), VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_set_max_age(p,
			     VHKEY_POLICY_MAX_AGE_LIMIT + 1),
	    VHKEY_ERR_ARGUMENT);
	assert_int_equal(vhkey_policy_get_max_age_days(p), 90);
	assert_int_equal(vhkey_policy_get_warn_days(p), 14);
	assert_int_equal(vhkey_policy_set_max_age(NULL, 90),
	    VHKEY_ERR_ARGUMENT);
	/* the limits are the ones the setters use */
	assert_int_equal(vhkey_policy_set_min_rsa_bits(p,
			     VHKEY_POLICY_RSA_BITS_LOWEST),
	    VHKEY_OK);
	assert_int_equal(vhkey_policy_set_min_rsa_bits(p,
			     VHKEY_POLICY_RSA_BITS_LOWEST - 1),
	    VHKEY_ERR_ARGUMENT);
	vhkey_policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_setters),
		cmocka_unit_test(test_parse_rotation),
		cmocka_unit_test(test_set_max_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
