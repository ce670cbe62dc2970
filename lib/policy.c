/*
 * policy.c - what the checkers accept, and the rotation period.
 */
#include "config.h"

#include <stdlib.h>

#include "vhkey_internal.h"

int
vhkey_policy_new(vhkey_policy **out)
{
	vhkey_policy *p;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return VHKEY_ERR_NOMEM;
	p->min_rsa_bits = VHKEY_POLICY_MIN_RSA_BITS;
	for (int t = VHKEY_TYPE_RSA; t < VHKEY_TYPE_COUNT; t++)
		p->allowed[t] = 1;
	p->max_age_days = VHKEY_POLICY_MAX_AGE_DAYS;
	p->warn_days = VHKEY_POLICY_WARN_DAYS;
	*out = p;
	return VHKEY_OK;
}

void
vhkey_policy_free(vhkey_policy *policy)
{
	free(policy);
}

int
vhkey_policy_set_min_rsa_bits(vhkey_policy *policy, unsigned bits)
{
	if (bits < 1024 || bits > VHKEY_RSA_MAX_BITS)
		return VHKEY_ERR_ARGUMENT;
	policy->min_rsa_bits = bits;
	return VHKEY_OK;
}

unsigned
vhkey_policy_get_min_rsa_bits(const vhkey_policy *policy)
{
	return policy->min_rsa_bits;
}

static int
type_valid(vhkey_type type)
{
	return type > VHKEY_TYPE_UNKNOWN && type < VHKEY_TYPE_COUNT;
}

int
vhkey_policy_allow_type(vhkey_policy *policy, vhkey_type type, int allow)
{
	if (!type_valid(type))
		return VHKEY_ERR_ARGUMENT;
	policy->allowed[type] = allow != 0;
	return VHKEY_OK;
}

int
vhkey_policy_type_allowed(const vhkey_policy *policy, vhkey_type type)
{
	return type_valid(type) && policy->allowed[type];
}

int
vhkey_policy_set_rotation(vhkey_policy *policy, unsigned max_age_days,
    unsigned warn_days)
{
	if (max_age_days < 1 || max_age_days > 36500 ||
	    warn_days >= max_age_days)
		return VHKEY_ERR_ARGUMENT;
	policy->max_age_days = max_age_days;
	policy->warn_days = warn_days;
	return VHKEY_OK;
}

unsigned
vhkey_policy_get_max_age_days(const vhkey_policy *policy)
{
	return policy->max_age_days;
}

unsigned
vhkey_policy_get_warn_days(const vhkey_policy *policy)
{
	return policy->warn_days;
}
