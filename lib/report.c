/*
 * report.c - the outcome of a check, as data, and as one line of JSON.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "check.h"

const char *
vhkey_reason_name(vhkey_reason reason)
{
	switch (reason) {
#define VK_REASON_NAME_(name, value, json) \
	case value: \
		return json;
		VHKEY_REASON_LIST(VK_REASON_NAME_)
#undef VK_REASON_NAME_
	}
	return NULL;
}

vhkey_report *
vk_report_new(void)
{
	vhkey_report *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	if ((r->message = strdup("")) == NULL) {
		free(r);
		return NULL;
	}
	r->verdict = VHKEY_ACCEPTED;
	r->reason = VHKEY_REASON_NONE;
	r->as_written = -1;
	r->encrypted = -1;
	return r;
}

static void
strlist_free(struct vk_strlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

void
vhkey_report_free(vhkey_report *r)
{
	if (r == NULL)
		return;
	free(r->message);
	strlist_free(&r->warnings);
	strlist_free(&r->repairs);
	vhkey_free(r->key);
	free(r->key_line);
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].message);
		free(r->findings[i].fix);
	}
	free(r->findings);
	free(r->file);
	free(r->repaired_line);
	free(r);
}

/*
 * Every text of a report goes through here: the comments and file names in
 * it are escaped once, where they are put in, so that a caller (a server's
 * page, a terminal) can show the report as it is.  The library's own words
 * are printable ASCII, which escaping leaves alone.
 */
static char *
vformat(const char *fmt, va_list ap)
{
	char *s;

	return vasprintf(&s, fmt, ap) < 0 ? NULL : vk_escape_take(s);
}

/* The message is m (NULL: out of memory), which the report takes. */
static int
put_message(vhkey_report *r, char *m)
{
	if (m == NULL)
		return VHKEY_ERR_NOMEM;
	free(r->message);
	r->message = m;
	return VHKEY_OK;
}

static int
set_message(vhkey_report *r, const char *fmt, va_list ap)
{
	return put_message(r, vformat(fmt, ap));
}

int
vk_report_reject(vhkey_report *r, int reason, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = set_message(r, fmt, ap);
	va_end(ap);
	r->verdict = VHKEY_REJECTED;
	r->reason = reason;
	return rc;
}

int
vk_report_accept(vhkey_report *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = set_message(r, fmt, ap);
	va_end(ap);
	r->verdict = VHKEY_ACCEPTED;
	r->reason = VHKEY_REASON_NONE;
	return rc;
}

int
vk_report_accept_join(vhkey_report *r, ...)
{
	const char *part[VK_JOIN_MAX];
	size_t n = 0, len = 0, plen[VK_JOIN_MAX];
	char *m, *o;
	va_list ap;
	int rc;

	va_start(ap, r);
	while (n < VK_JOIN_MAX &&
	    (part[n] = va_arg(ap, const char *)) != NULL) {
		plen[n] = strlen(part[n]);
		len += plen[n++];
	}
	va_end(ap);
	if ((m = o = malloc(len + 1)) != NULL) {
		for (size_t i = 0; i < n; i++) {
			memcpy(o, part[i], plen[i]);
			o += plen[i];
		}
		*o = '\0';
	}
	rc = put_message(r, vk_escape_take(m));
	r->verdict = VHKEY_ACCEPTED;
	r->reason = VHKEY_REASON_NONE;
	return rc;
}

static int
strlist_add(struct vk_strlist *l, const char *fmt, va_list ap)
{
	char **items, *s;

	if ((s = vformat(fmt, ap)) == NULL)
		return VHKEY_ERR_NOMEM;
	items = realloc(l->items, (l->count + 1) * sizeof(*items));
	if (items == NULL) {
		free(s);
		return VHKEY_ERR_NOMEM;
	}
	items[l->count++] = s;
	l->items = items;
	return VHKEY_OK;
}

int
vk_report_accept_key(vhkey_report *r, const vhkey *key)
{
	char digits[VK_DECIMAL_MAX];
	const char *comment = vhkey_get_comment(key);

	/* "Accepted: %u-bit %s key %s (%s).", without printf's cost */
	return vk_report_accept_join(r, "Accepted: ",
	    vk_decimal(vhkey_get_bits(key), digits), "-bit ",
	    vhkey_type_label(vhkey_get_type(key)), " key ", key->fp_sha256,
	    " (", comment[0] != '\0' ? comment : "no comment", ").",
	    (const char *)NULL);
}

int
vk_report_warn(vhkey_report *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strlist_add(&r->warnings, fmt, ap);
	va_end(ap);
	return rc;
}

int
vk_report_repair(vhkey_report *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strlist_add(&r->repairs, fmt, ap);
	va_end(ap);
	return rc;
}

int
vk_report_take_key(vhkey_report *r, vhkey **keyp, const char *b64,
    size_t b64len)
{
	char *line = NULL;
	int rc;

	if ((rc = vk_key_line(*keyp, b64, b64len, &line)) != VHKEY_OK)
		return rc;
	vhkey_free(r->key);
	free(r->key_line);
	r->key = *keyp;
	r->key_line = line;
	*keyp = NULL;
	return VHKEY_OK;
}

int
vk_report_set_key(vhkey_report *r, const vhkey *key)
{
	vhkey *copy = NULL;
	int rc;

	if ((rc = vk_key_public_copy(key, &copy)) == VHKEY_OK)
		rc = vk_report_take_key(r, &copy, NULL, 0);
	vhkey_free(copy);
	return rc;
}

/* How much a reason matters, 0 the most: what makes the key unusable (or
 * leaks it) before what weakens it, before what only dates it. */
static size_t
reason_rank(int reason)
{
	static const int order[] = {
		VHKEY_REASON_PRIVATE_KEY,
		VHKEY_REASON_IO_ERROR,
		VHKEY_REASON_TOO_LARGE,
		VHKEY_REASON_MALFORMED,
		VHKEY_REASON_BAD_PASSPHRASE,
		VHKEY_REASON_UNSUPPORTED_TYPE,
		VHKEY_REASON_BAD_PASSPHRASE,
		VHKEY_REASON_BAD_OWNER,
		VHKEY_REASON_BAD_PERMISSIONS,
		VHKEY_REASON_WEAK_KEY,
		VHKEY_REASON_PAIR_MISMATCH,
		VHKEY_REASON_ROTATION_OVERDUE,
	};
	const size_t n = sizeof(order) / sizeof(order[0]);

	for (size_t i = 0; i < n; i++)
		if (order[i] == reason)
			return i;
	return n;
}

int
vk_report_add_finding(vhkey_report *r, int reason, const char *fix,
    const char *fmt, ...)
{
	struct vk_finding f = { .reason = reason }, *list;
	char *m;
	size_t at;
	va_list ap;

	va_start(ap, fmt);
	f.message = vformat(fmt, ap);
	va_end(ap);
	if (f.message == NULL ||
	    (fix != NULL && (f.fix = vk_escape_take(strdup(fix))) == NULL) ||
	    (m = strdup(f.message)) == NULL) {
		free(f.message);
		free(f.fix);
		return VHKEY_ERR_NOMEM;
	}
	list = realloc(r->findings, (r->nfindings + 1) * sizeof(*list));
	if (list == NULL) {
		free(f.message);
		free(f.fix);
		free(m);
		return VHKEY_ERR_NOMEM;
	}
	r->findings = list;
	for (at = r->nfindings;
	     at > 0 && reason_rank(list[at - 1].reason) > reason_rank(reason);
	     at--)
		;
	memmove(&list[at + 1], &list[at], (r->nfindings - at) * sizeof(*list));
	list[at] = f;
	r->nfindings++;
	if (r->verdict == VHKEY_ACCEPTED ||
	    reason_rank(reason) < reason_rank(r->reason)) {
		free(r->message);
		r->message = m;
		r->verdict = VHKEY_REJECTED;
		r->reason = reason;
	} else {
		free(m);
	}
	return VHKEY_OK;
}

size_t
vhkey_report_finding_count(const vhkey_report *r)
{
	return r->nfindings;
}

int
vhkey_report_finding_reason(const vhkey_report *r, size_t i)
{
	return i < r->nfindings ? r->findings[i].reason : VHKEY_REASON_NONE;
}

const char *
vhkey_report_finding_message(const vhkey_report *r, size_t i)
{
	return i < r->nfindings ? r->findings[i].message : NULL;
}

const char *
vhkey_report_finding_fix(const vhkey_report *r, size_t i)
{
	return i < r->nfindings ? r->findings[i].fix : NULL;
}

const vhkey_rotation *
vhkey_report_rotation(const vhkey_report *r)
{
	return r->has_rotation ? &r->rotation : NULL;
}

void
vk_report_set_rotation(vhkey_report *r, const vhkey_rotation *rot,
    int estimated)
{
	r->has_rotation = 1;
	r->rotation = *rot;
	r->created_estimated = estimated != 0;
}

int
vhkey_report_created_estimated(const vhkey_report *r)
{
	return r->has_rotation && r->created_estimated;
}

int
vk_report_set_location(vhkey_report *r, const char *file, unsigned long line)
{
	char *copy = strdup(file);

	if (copy == NULL)
		return VHKEY_ERR_NOMEM;
	free(r->file);
	r->file = copy;
	r->line = line;
	return VHKEY_OK;
}

int
vk_report_deliver(vhkey_report *r, const char *file, unsigned long line,
    vhkey_check_fn fn, void *arg)
{
	int rc = vk_report_set_location(r, file, line);

	if (rc == VHKEY_OK && fn(arg, line, r) != 0)
		rc = VHKEY_ERR_STOPPED;
	return rc;
}

void
vk_report_set_subject(vhkey_report *r, vhkey_subject subject)
{
	r->subject = subject;
}

vhkey_verdict
vhkey_report_verdict(const vhkey_report *r)
{
	return r->verdict;
}

int
vhkey_report_reason(const vhkey_report *r)
{
	return r->reason;
}

const char *
vhkey_report_message(const vhkey_report *r)
{
	return r->message;
}

size_t
vhkey_report_warning_count(const vhkey_report *r)
{
	return r->warnings.count;
}

const char *
vhkey_report_warning(const vhkey_report *r, size_t i)
{
	return i < r->warnings.count ? r->warnings.items[i] : NULL;
}

size_t
vhkey_report_repair_count(const vhkey_report *r)
{
	return r->repairs.count;
}

const char *
vhkey_report_repair(const vhkey_report *r, size_t i)
{
	return i < r->repairs.count ? r->repairs.items[i] : NULL;
}

const vhkey *
vhkey_report_key(const vhkey_report *r)
{
	return r->key;
}

int
vk_report_set_as_written(vhkey_report *r, int as_written,
    const char *repaired)
{
	char *copy = NULL;

	if (repaired != NULL && (copy = strdup(repaired)) == NULL)
		return VHKEY_ERR_NOMEM;
	free(r->repaired_line);
	r->repaired_line = copy;
	r->as_written = as_written;
	return VHKEY_OK;
}

int
vhkey_report_as_written(const vhkey_report *r)
{
	return r->as_written;
}

void
vk_report_set_encrypted(vhkey_report *r, int encrypted)
{
	r->encrypted = encrypted != 0;
}

int
vhkey_report_encrypted(const vhkey_report *r)
{
	return r->encrypted;
}

const char *
vhkey_report_repaired_line(const vhkey_report *r)
{
	return r->repaired_line;
}

unsigned long
vhkey_report_last_line(const vhkey_report *r)
{
	return r->last_line;
}

vhkey_subject
vhkey_report_subject(const vhkey_report *r)
{
	return r->subject;
}

/* ----------------------------------------------------------------- JSON */

/*
 * JSON that is safe to print as it is, and valid UTF-8: what vhkey_escape()
 * escapes is written as \uXXXX (C0, DEL, C1, the bidirectional controls,
 * U+2028 and U+2029; the last two also break JavaScript string literals),
 * and each byte that is no valid UTF-8 becomes U+FFFD, as JSON has no way
 * to carry a byte.
 */
int
vk_json_string(vk_writer *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	char esc[16];
	unsigned cp;
	int rc, unsafe;

	if (str == NULL)
		return vk_put_bytes(w, "null", 4);
	n = strlen(str);
	if ((rc = vk_put_u8(w, '"')) != VHKEY_OK)
		return rc;
	for (size_t i = 0; i < n;) {
		size_t len = vk_char_scan(s + i, n - i, &cp, &unsafe);
		if (cp == VK_CHAR_INVALID) {
			rc = vk_put_bytes(w, "\\ufffd", 6);
		} else if (cp == '"' || cp == '\\') {
			esc[0] = '\\';
			esc[1] = (char)cp;
			rc = vk_put_bytes(w, esc, 2);
		} else if (unsafe) {
			snprintf(esc, sizeof(esc), "\\u%04x", cp & 0xffff);
			rc = vk_put_bytes(w, esc, 6);
		} else {
			rc = vk_put_bytes(w, s + i, len);
		}
		if (rc != VHKEY_OK)
			return rc;
		i += len;
	}
	return vk_put_u8(w, '"');
}

static int
json_key(vk_writer *w, const char *name, int first)
{
	int rc;

	if (!first && (rc = vk_put_u8(w, ',')) != VHKEY_OK)
		return rc;
	if ((rc = vk_json_string(w, name)) != VHKEY_OK)
		return rc;
	return vk_put_u8(w, ':');
}

static int
json_field_str(vk_writer *w, const char *name, const char *value)
{
	int rc;

	if ((rc = json_key(w, name, 0)) != VHKEY_OK)
		return rc;
	return vk_json_string(w, value);
}

static int
json_field_list(vk_writer *w, const char *name, const struct vk_strlist *l)
{
	int rc;

	if ((rc = json_key(w, name, 0)) != VHKEY_OK ||
	    (rc = vk_put_u8(w, '[')) != VHKEY_OK)
		return rc;
	for (size_t i = 0; i < l->count; i++)
		if ((i > 0 && (rc = vk_put_u8(w, ',')) != VHKEY_OK) ||
		    (rc = vk_json_string(w, l->items[i])) != VHKEY_OK)
			return rc;
	return vk_put_u8(w, ']');
}

static int
json_field_raw(vk_writer *w, const char *name, const char *value)
{
	int rc;

	if ((rc = json_key(w, name, 0)) != VHKEY_OK)
		return rc;
	return vk_put_bytes(w, value, strlen(value));
}

static int
json_findings(vk_writer *w, const vhkey_report *r)
{
	int rc;

	if ((rc = json_key(w, "findings", 0)) != VHKEY_OK ||
	    (rc = vk_put_u8(w, '[')) != VHKEY_OK)
		return rc;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct vk_finding *f = &r->findings[i];
		if ((i > 0 && (rc = vk_put_u8(w, ',')) != VHKEY_OK) ||
		    (rc = vk_put_u8(w, '{')) != VHKEY_OK ||
		    (rc = json_key(w, "reason", 1)) != VHKEY_OK ||
		    (rc = vk_json_string(w, vhkey_reason_name(f->reason))) !=
			VHKEY_OK ||
		    (rc = json_field_str(w, "message", f->message)) !=
			VHKEY_OK ||
		    (rc = json_field_str(w, "fix", f->fix)) != VHKEY_OK ||
		    (rc = vk_put_u8(w, '}')) != VHKEY_OK)
			return rc;
	}
	return vk_put_u8(w, ']');
}

/* 1, 0 or -1 (does not apply) as JSON */
static const char *
json_tristate(int v)
{
	return v < 0 ? "null" : v ? "true" : "false";
}

/* rotation, age_days, created, due, created_estimated */
static int
json_rotation(vk_writer *w, const vhkey_report *r)
{
	const vhkey_rotation *rot = vhkey_report_rotation(r);
	char age[32], created[VHKEY_TIME_MAX], due[VHKEY_TIME_MAX];
	int rc;

	if (rot != NULL) {
		snprintf(age, sizeof(age), "%lld", rot->age_days);
		if ((rc = vhkey_format_time(rot->created, created,
			 sizeof(created))) != VHKEY_OK ||
		    (rc = vhkey_format_time(rot->due, due, sizeof(due))) !=
			VHKEY_OK)
			return rc;
	}
	if ((rc = json_field_str(w, "rotation",
		 rot ? vhkey_rotation_name(rot->state) : NULL)) != VHKEY_OK ||
	    (rc = json_field_raw(w, "age_days", rot ? age : "null")) !=
		VHKEY_OK ||
	    (rc = json_field_str(w, "created", rot ? created : NULL)) !=
		VHKEY_OK ||
	    (rc = json_field_str(w, "due", rot ? due : NULL)) != VHKEY_OK)
		return rc;
	return json_field_raw(w, "created_estimated",
	    vhkey_report_created_estimated(r) ? "true" : "false");
}

int
vhkey_report_to_json(const vhkey_report *r, char **out)
{
	char fp[VHKEY_FINGERPRINT_MAX], md5[VHKEY_FINGERPRINT_MAX], bits[16];
	char line[24];
	const vhkey *k = r->key;
	vk_writer w;
	int rc;

	*out = NULL;
	vk_writer_init(&w, 0);
	if (k != NULL) {
		if ((rc = vhkey_fingerprint(k, VHKEY_HASH_SHA256, fp,
			 sizeof(fp))) != VHKEY_OK ||
		    (rc = vhkey_fingerprint(k, VHKEY_HASH_MD5, md5,
			 sizeof(md5))) != VHKEY_OK)
			goto out;
		snprintf(bits, sizeof(bits), "%u", vhkey_get_bits(k));
	}
	if ((rc = vk_put_u8(&w, '{')) != VHKEY_OK)
		goto out;
	if (r->file != NULL) {
		/* line 0: the file as a whole (a private key file) */
		if (r->line > 0)
			snprintf(line, sizeof(line), "%lu", r->line);
		else
			snprintf(line, sizeof(line), "null");
		if ((rc = json_key(&w, "file", 1)) != VHKEY_OK ||
		    (rc = vk_json_string(&w, r->file)) != VHKEY_OK ||
		    (rc = json_key(&w, "line", 0)) != VHKEY_OK ||
		    (rc = vk_put_bytes(&w, line, strlen(line))) != VHKEY_OK ||
		    (rc = vk_put_u8(&w, ',')) != VHKEY_OK)
			goto out;
	}
	if ((rc = json_key(&w, "verdict", 1)) != VHKEY_OK ||
	    (rc = vk_json_string(&w, r->verdict == VHKEY_ACCEPTED ?
			 "accepted" :
			 "rejected")) != VHKEY_OK ||
	    (rc = json_field_str(&w, "reason",
		 vhkey_reason_name(r->reason))) != VHKEY_OK ||
	    (rc = json_field_str(&w, "type",
		 k ? vhkey_type_name(vhkey_get_type(k)) : NULL)) != VHKEY_OK ||
	    (rc = json_field_raw(&w, "bits", k ? bits : "null")) != VHKEY_OK ||
	    (rc = json_field_str(&w, "fingerprint", k ? fp : NULL)) !=
		VHKEY_OK ||
	    (rc = json_field_str(&w, "fingerprint_md5", k ? md5 : NULL)) !=
		VHKEY_OK ||
	    (rc = json_field_str(&w, "comment",
		 k ? vhkey_get_comment(k) : NULL)) != VHKEY_OK ||
	    (rc = json_field_str(&w, "key", r->key_line)) != VHKEY_OK ||
	    (rc = json_field_str(&w, "message", r->message)) != VHKEY_OK ||
	    (rc = json_field_list(&w, "warnings", &r->warnings)) != VHKEY_OK ||
	    (rc = json_field_list(&w, "repairs", &r->repairs)) != VHKEY_OK ||
	    (rc = json_field_raw(&w, "as_written",
		 json_tristate(r->as_written))) != VHKEY_OK ||
	    (rc = json_field_raw(&w, "encrypted",
		 json_tristate(r->encrypted))) != VHKEY_OK ||
	    (rc = json_rotation(&w, r)) != VHKEY_OK ||
	    (rc = json_findings(&w, r)) != VHKEY_OK ||
	    (rc = vk_put_u8(&w, '}')) != VHKEY_OK ||
	    (rc = vk_put_u8(&w, '\0')) != VHKEY_OK)
		goto out;
	*out = (char *)vk_writer_take(&w, NULL);
out:
	vk_writer_clear(&w);
	return rc;
}
