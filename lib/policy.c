/*
 * policy.c - what the checkers accept, and the rotation period.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Read-only, so sharing it is thread-safe. */
const struct vhkey_policy vk_policy_defaults = {
	.min_rsa_bits = VHKEY_POLICY_MIN_RSA_BITS,
	.allowed = {
		[VHKEY_TYPE_RSA] = 1,
		[VHKEY_TYPE_ED25519] = 1,
		[VHKEY_TYPE_ECDSA_P256] = 1,
		[VHKEY_TYPE_ECDSA_P384] = 1,
		[VHKEY_TYPE_ECDSA_P521] = 1,
		[VHKEY_TYPE_SK_ECDSA_P256] = 1,
		[VHKEY_TYPE_SK_ED25519] = 1,
	},
	.max_age_days = VHKEY_POLICY_MAX_AGE_DAYS,
	.warn_days = VHKEY_POLICY_WARN_DAYS,
};

int
vhkey_policy_new(vhkey_policy **out)
{
	vhkey_policy *p;
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if ((p = malloc(sizeof(*p))) == NULL)
		return VHKEY_ERR_NOMEM;
	*p = vk_policy_defaults;
	/* OpenSSL otherwise fetches it for every digest, which costs an
	 * eighth of a key's fingerprint again; without it, it still does */
	p->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	*out = p;
	return VHKEY_OK;
}

void
vhkey_policy_free(vhkey_policy *policy)
{
	if (policy == NULL)
		return;
	EVP_MD_free(policy->sha256);
	free(policy);
}

int
vhkey_policy_set_min_rsa_bits(vhkey_policy *policy, unsigned bits)
{
	if (bits < VHKEY_POLICY_RSA_BITS_LOWEST || bits > VHKEY_RSA_MAX_BITS)
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
	if (max_age_days < 1 || max_age_days > VHKEY_POLICY_MAX_AGE_LIMIT ||
	    warn_days >= max_age_days)
		return VHKEY_ERR_ARGUMENT;
	policy->max_age_days = max_age_days;
	policy->warn_days = warn_days;
	return VHKEY_OK;
}

int
vhkey_policy_set_max_age(vhkey_policy *policy, unsigned max_age_days)
{
	unsigned warn;

	if (policy == NULL || max_age_days < 1)
		return VHKEY_ERR_ARGUMENT;
	/* a short period alone narrows the window it would otherwise sit
	 * inside of, rather than being refused for it */
	warn = policy->warn_days < max_age_days ? policy->warn_days :
						  max_age_days - 1;
	return vhkey_policy_set_rotation(policy, max_age_days, warn);
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

/* 1 to 5 decimal digits, nothing else. */
static int
parse_days(const char *s, size_t len, unsigned *out)
{
	unsigned v = 0;

	if (len < 1 || len > 5)
		return VHKEY_ERR_ARGUMENT;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return VHKEY_ERR_ARGUMENT;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return VHKEY_OK;
}

int
vhkey_policy_parse_rotation(vhkey_policy *policy, const char *value)
{
	const char *comma;
	size_t len;
	unsigned max, warn = 0;
	int rc;

	if (policy == NULL || value == NULL)
		return VHKEY_ERR_ARGUMENT;
	len = strnlen(value, 12);
	comma = memchr(value, ',', len);
	if ((rc = parse_days(value, comma ? (size_t)(comma - value) : len,
		 &max)) != VHKEY_OK)
		return rc;
	if (comma != NULL)
		rc = parse_days(comma + 1, len - (size_t)(comma + 1 - value),
		    &warn);
	else if (max == 0)
		rc = VHKEY_ERR_ARGUMENT;
	else
		warn = max - 1 < VHKEY_POLICY_WARN_DAYS ?
		    max - 1 :
		    VHKEY_POLICY_WARN_DAYS;
	if (rc != VHKEY_OK || value[len] != '\0')
		return VHKEY_ERR_ARGUMENT;
	return vhkey_policy_set_rotation(policy, max, warn);
}
