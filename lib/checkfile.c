/*
 * checkfile.c - one file, whatever it holds: a private key file gets the
 * private key check (privfile.c); a small file that is private key
 * material in a shape no line of it shows (raw DER, UTF-16, a body
 * without its armor) one private_key verdict, as its paste would; any
 * other the check of its keys line by line (keylist.c).
 */
#include "config.h"

#include <string.h>

#include "check.h"

/*
 * Does a line of text hold a public key: a key type name, then a blank,
 * then its data, which starts "AAAA" (the name's length, under 2^24)?
 * A file with one is a list of keys, each line with a verdict of its own
 * (private key material among them gets private_key line by line).
 */
static int
holds_key_line(const char *s, size_t len)
{
	size_t i = 0, e, d;

	while (i < len) {
		for (e = i; e < len && s[e] != ' ' && s[e] != '\t' &&
		     s[e] != '\n';
		     e++)
			;
		for (d = e; d < len && (s[d] == ' ' || s[d] == '\t'); d++)
			;
		if (e > i && d > e && len - d >= 4 &&
		    memcmp(s + d, "AAAA", 4) == 0 &&
		    vk_name_kind(s + i, e - i, NULL) != VK_NAME_NONE)
			return 1;
		i = e + 1;
	}
	return 0;
}

/*
 * A file that is private key material as a whole, in a shape that no line
 * of it shows alone (raw DER and UTF-16 are no lines of text; a hex dump,
 * a JWK, a body without its first line or with its armor damaged, a PuTTY
 * key without its header, end in lines that say nothing by themselves):
 * the whole text is checked as a paste is, by the same detector and with
 * the same message, when it is no larger than a paste and holds no public
 * key line.  *out is that private_key report, or NULL (the file is for
 * the line by line check, which reads it again and decides on what it
 * reads).
 */
static int
private_material_file(const char *path, const vhkey_policy *policy,
    time_t now, vhkey_report **out)
{
	vhkey_report *r = NULL;
	char *text;
	size_t len = 0;
	int rc = VHKEY_OK;

	*out = NULL;
	/* a FIFO, a file too large to be one key: line by line */
	if (vk_read_key_file(path, VK_READ_SECRET, NULL, NULL, &text, &len,
		NULL) != VHKEY_OK)
		return VHKEY_OK;
	if (len <= VHKEY_PASTE_MAX && !holds_key_line(text, len))
		rc = vhkey_check_paste(text, len, policy, now, &r);
	vk_secret_release(text);
	if (rc == VHKEY_OK && r != NULL &&
	    vhkey_report_reason(r) == VHKEY_REASON_PRIVATE_KEY) {
		/* the file as a whole, not a paste */
		vk_report_set_subject(r, VHKEY_SUBJECT_KEYS_FILE);
		*out = r;
		r = NULL;
	}
	vhkey_report_free(r);
	return rc;
}

/* A report on the file as a whole, given at line 0. */
static int
deliver_whole(const char *path, vhkey_report *r, vhkey_check_fn fn,
    void *arg, vhkey_error *err)
{
	int rc;

	if ((rc = vk_report_set_location(r, path, 0)) == VHKEY_OK &&
	    fn(arg, 0, r) != 0)
		rc = VHKEY_ERR_STOPPED;
	vhkey_report_free(r);
	if (rc != VHKEY_OK) {
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	return VHKEY_OK;
}

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
	/* the first look reads into guarded memory (sodium_malloc) */
	if ((rc = vhkey_init()) != VHKEY_OK) {
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	/* the private check opens the file again and decides on what it
	 * opened: a file swapped meanwhile gets its own verdict */
	if (vk_private_key_file(path))
		rc = vhkey_check_private_file(path, policy, now, &r);
	else if ((rc = private_material_file(path, policy, now, &r)) ==
		VHKEY_OK && r == NULL)
		return vhkey_check_keys_file(path, policy, now, fn, arg, err);
	if (rc != VHKEY_OK) {
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	return deliver_whole(path, r, fn, arg, err);
}
