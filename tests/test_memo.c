/* test_memo.c - outcomes remembered by their exact bytes (memo.c). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"

static void
test_get_put(void **state)
{
	struct vk_memo *m;
	uint64_t v = 7;
	uint8_t a[600], b[600];

	(void)state;
	assert_int_equal(vk_memo_new(&m, 17, NULL), VHKEY_ERR_ARGUMENT);
	assert_null(m);
	assert_int_equal(vk_memo_new(&m, 4, NULL), VHKEY_OK);
	memset(a, 0xa5, sizeof(a));
	memcpy(b, a, sizeof(b));
	b[599] ^= 1; /* differs in its last byte only */
	assert_int_equal(vk_memo_get(m, a, sizeof(a), &v), 0);
	assert_int_equal(v, 7); /* untouched */
	vk_memo_put(m, a, sizeof(a), 42);
	assert_int_equal(vk_memo_get(m, a, sizeof(a), &v), 1);
	assert_int_equal(v, 42);
	assert_int_equal(vk_memo_get(m, b, sizeof(b), &v), 0);
	assert_int_equal(vk_memo_get(m, a, sizeof(a) - 1, &v), 0);
	/* a new value for the same key replaces the old */
	vk_memo_put(m, a, sizeof(a), 43);
	assert_int_equal(vk_memo_get(m, a, sizeof(a), &v), 1);
	assert_int_equal(v, 43);
	/* nothing is remembered for an empty key, or by no memo */
	vk_memo_put(m, a, 0, 1);
	assert_int_equal(vk_memo_get(m, a, 0, &v), 0);
	vk_memo_put(NULL, a, sizeof(a), 1);
	assert_int_equal(vk_memo_get(NULL, a, sizeof(a), &v), 0);
	vk_memo_free(m);
	vk_memo_free(NULL);
}

/* One set of four: a fifth key pushes out the least recently used. */
static void
test_replacement(void **state)
{
	struct vk_memo *m;
	uint64_t v;
	uint32_t k;

	(void)state;
	assert_int_equal(vk_memo_new(&m, 0, NULL), VHKEY_OK);
	for (k = 0; k < 4; k++)
		vk_memo_put(m, &k, sizeof(k), 100 + k);
	k = 0; /* key 0 used: key 1 is now the least recently used */
	assert_int_equal(vk_memo_get(m, &k, sizeof(k), &v), 1);
	assert_int_equal(v, 100);
	k = 4;
	vk_memo_put(m, &k, sizeof(k), 104);
	for (k = 0; k < 5; k++) {
		int want = k != 1;
		assert_int_equal(vk_memo_get(m, &k, sizeof(k), &v), want);
		if (want)
			assert_int_equal(v, 100 + k);
	}
	vk_memo_free(m);
}

/* Owned values: each one the memo lets go of is dropped, once. */
static int dropped[8];

static void
drop(uint64_t v)
{
	assert_true(v < 8);
	dropped[v]++;
}

static void
test_owned_values(void **state)
{
	struct vk_memo *m;
	uint64_t v;
	uint32_t k;

	(void)state;
	memset(dropped, 0, sizeof(dropped));
	assert_int_equal(vk_memo_new(&m, 0, drop), VHKEY_OK);
	for (k = 0; k < 4; k++)
		vk_memo_put(m, &k, sizeof(k), k);
	k = 0;
	vk_memo_put(m, &k, sizeof(k), 4); /* replaces value 0 */
	assert_int_equal(dropped[0], 1);
	k = 5;
	vk_memo_put(m, &k, sizeof(k), 5); /* pushes out key 1, value 1 */
	assert_int_equal(dropped[1], 1);
	vk_memo_put(m, &k, 0, 6); /* cannot be stored: dropped at once */
	assert_int_equal(dropped[6], 1);
	k = 0;
	assert_int_equal(vk_memo_get(m, &k, sizeof(k), &v), 1);
	assert_int_equal(v, 4);
	vk_memo_free(m); /* the rest: 2, 3, 4 and 5 */
	for (int i = 0; i < 8; i++)
		assert_int_equal(dropped[i], i == 7 ? 0 : 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_put),
		cmocka_unit_test(test_replacement),
		cmocka_unit_test(test_owned_values),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
