/*
 * age.c - a key's age in a report: the rotation verdict (rotation.c works
 * it out) put in words, warnings and findings that say what to do.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"

#define DAY 86400LL

static const char *
plural(long long n)
{
	return n == 1 ? "" : "s";
}

/* What to do, for the key in path (NULL: a key with no file here). */
static int
overdue_finding(vhkey_report *r, const vhkey_rotation *rot,
    const vhkey_policy *p, const char *path, const char *created,
    const char *due, int estimated)
{
	char *q = NULL, *fix = NULL;
	int rc;

	if (path != NULL && ((q = vk_shell_quote(path)) == NULL ||
				asprintf(&fix, "vhkeygen --rotate -f %s", q) < 0)) {
		free(q);
		return VHKEY_ERR_NOMEM;
	}
	rc = vk_report_add_finding(r, VHKEY_REASON_ROTATION_OVERDUE, fix,
	    "The key%s%s%s is %lld day%s old (created %s%s), and the policy "
	    "asks for a new key every %u day%s: it was due on %s.  Make a new "
	    "key pair%s, register its .pub where this key is registered, and "
	    "remove this key there.",
	    path ? " in '" : "", path ? path : "", path ? "'" : "",
	    rot->age_days, plural(rot->age_days), created,
	    estimated ? ", estimated" : "", p->max_age_days,
	    plural(p->max_age_days), due,
	    path ? " (vhkeygen --rotate keeps the old one as a backup)" : "");
	free(q);
	free(fix);
	return rc;
}

static int
due_soon_warning(vhkey_report *r, const vhkey_rotation *rot,
    const vhkey_policy *p, const char *path, time_t now, const char *due)
{
	long long left = ((long long)rot->due - now + DAY - 1) / DAY;
	char *q = NULL;
	int rc;

	if (path != NULL && (q = vk_shell_quote(path)) == NULL)
		return VHKEY_ERR_NOMEM;
	rc = vk_report_warn(r,
	    "The key%s%s%s is due for rotation on %s, in %lld day%s (it is "
	    "%lld day%s old; the policy asks for a new key every %u day%s).  "
	    "Make a new key pair%s%s and register its .pub before then.",
	    path ? " in '" : "", path ? path : "", path ? "'" : "", due, left,
	    plural(left), rot->age_days, plural(rot->age_days),
	    p->max_age_days, plural(p->max_age_days),
	    q ? ": vhkeygen --rotate -f " : "", q ? q : "");
	free(q);
	return rc;
}

int
vk_rotation_record(vhkey_report *r, time_t created, int estimated,
    time_t now, const vhkey_policy *policy, const char *path)
{
	const vhkey_policy *p = policy ? policy : &vk_policy_defaults;
	char c[VHKEY_TIME_MAX], d[VHKEY_TIME_MAX];
	vhkey_rotation rot;
	int rc;

	if (vhkey_rotation_eval(created, now, p, &rot) != VHKEY_OK ||
	    vhkey_format_time(rot.created, c, sizeof(c)) != VHKEY_OK ||
	    vhkey_format_time(rot.due, d, sizeof(d)) != VHKEY_OK)
		return vk_report_warn(r,
		    "The key's age was not checked: its creation time, or "
		    "the time now, is outside the years 1970 to 9999.");
	vk_report_set_rotation(r, &rot, estimated);
	if (estimated &&
	    (rc = vk_report_warn(r,
		 "%s%s%s carries no creation stamp (it was not made by "
		 "vhkeygen): its age is estimated from the file's "
		 "modification time, %s, which a copy of the file resets.",
		 path ? "'" : "", path ? path : "The key", path ? "'" : "",
		 c)) != VHKEY_OK)
		return rc;
	if (created > now &&
	    (rc = vk_report_warn(r,
		 "The key's creation time, %s, is in the future: is this "
		 "machine's clock right?  Its age counts as 0 days.",
		 c)) != VHKEY_OK)
		return rc;
	switch (rot.state) {
	case VHKEY_ROTATION_OVERDUE:
		return overdue_finding(r, &rot, p, path, c, d, estimated);
	case VHKEY_ROTATION_DUE_SOON:
		return due_soon_warning(r, &rot, p, path, now, d);
	case VHKEY_ROTATION_OK:
		break;
	}
	return VHKEY_OK;
}

int
vk_report_add_rotation(vhkey_report *r, const vhkey *key,
    const vhkey_policy *policy, time_t now)
{
	time_t created;

	switch (vhkey_created_time(key, &created)) {
	case VHKEY_OK:
		return vk_rotation_record(r, created, 0, now, policy, NULL);
	case VHKEY_ERR_NO_STAMP:
		return VHKEY_OK;
	default:
		return vk_report_warn(r,
		    "The key's comment carries a malformed creation stamp "
		    "(" VHKEY_STAMP_PREFIX "...): its age is unknown.");
	}
}
