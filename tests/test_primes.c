/* test_primes.c - the table of small primes is the sieve's. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"

static void
test_table_is_every_odd_prime_below_2_16(void **state)
{
	static uint8_t composite[1u << 16];
	size_t k = 0;

	(void)state;
	memset(composite, 0, sizeof(composite));
	for (uint32_t i = 2; i < (1u << 16); i++) {
		if (composite[i])
			continue;
		for (uint32_t j = i * i; j < (1u << 16); j += i)
			composite[j] = 1;
		if (i == 2)
			continue;
		assert_true(k < VK_SMALL_PRIMES);
		assert_int_equal(vk_small_primes[k], i);
		k++;
	}
	assert_int_equal(k, VK_SMALL_PRIMES);
	assert_int_equal(vk_small_primes[0], 3);
	assert_int_equal(vk_small_primes[VK_SMALL_PRIMES - 1], 65521);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_every_odd_prime_below_2_16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
