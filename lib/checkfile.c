/*
 * checkfile.c - one file, whatever it holds: a private key file gets the
 * private key check (perm.c), any other the check of its keys line by
 * line (keylist.c).
 */
#include "config.h"

#include "check.h"

int
vhkey_check_file(const char *path, const vhkey_policy *policy, time_t now,
    vhkey_check_fn fn, void *arg, vhkey_error *err)
{
	vhkey_report *r = NULL;
	int rc;

	if (path == NULL || fn == NULL) {
		vk_error_set(err, VHKEY_ERR_ARGUMENT, 0, path);
		return VHKEY_ERR_ARGUMENT;
	}
	if (!vk_private_key_file(path))
		return vhkey_check_keys_file(path, policy, now, fn, arg, err);
	/* the private check opens the file again and decides on what it
	 * opened: a file swapped meanwhile gets its own verdict */
	if ((rc = vhkey_check_private_file(path, policy, now, &r)) !=
		VHKEY_OK ||
	    (rc = vk_report_set_location(r, path, 0)) != VHKEY_OK) {
		vhkey_report_free(r);
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	rc = fn(arg, 0, r) != 0 ? VHKEY_ERR_STOPPED : VHKEY_OK;
	vhkey_report_free(r);
	if (rc != VHKEY_OK) {
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	return VHKEY_OK;
}
