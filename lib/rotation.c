/*
 * rotation.c - a key's age: the creation stamp in its comment, and the
 * verdict under a rotation policy.  Time is always a parameter: nothing
 * here reads the clock.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vhkey_internal.h"

#define DAY 86400LL
#define PREFIX_LEN (sizeof(VHKEY_STAMP_PREFIX) - 1)
#define TIME_LEN (VHKEY_TIME_MAX - 1) /* 2026-11-28T16:20:00Z */
#define TIME_LAST 253402300799LL      /* 9999-12-31T23:59:59Z */

static int
in_range(time_t t)
{
	return (long long)t >= 0 && (long long)t <= TIME_LAST;
}

static const char *
plural(long long n)
{
	return n == 1 ? "" : "s";
}

/* ------------------------------------------------------------- the time */

static int
leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31,
		31, 30, 31, 30, 31 };

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/*
 * Days from 1970-01-01 to y-m-d (proleptic Gregorian, y >= 1), after
 * Howard Hinnant's days_from_civil: count from 0000-03-01 in 400-year eras
 * so that the leap day ends each year.  Written out rather than timegm(),
 * which is not standard C or POSIX.
 */
static long long
days_from_civil(int y, int m, int d)
{
	unsigned yy = (unsigned)(y - (m <= 2));
	unsigned era = yy / 400, yoe = yy - era * 400;
	unsigned doy = (153u * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 +
	    (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (long long)era * 146097 + (long long)doe - 719468;
}

long
vk_digits(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Exactly "YYYY-MM-DDTHH:MM:SSZ", a real date from 1970 on. */
static int
parse_time(const char *s, size_t len, time_t *out)
{
	int y, mo, d, h, mi, sec;

	if (len != TIME_LEN || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return VHKEY_ERR_FORMAT;
	y = (int)vk_digits(s, 4);
	mo = (int)vk_digits(s + 5, 2);
	d = (int)vk_digits(s + 8, 2);
	h = (int)vk_digits(s + 11, 2);
	mi = (int)vk_digits(s + 14, 2);
	sec = (int)vk_digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return VHKEY_ERR_FORMAT;
	*out = (time_t)(days_from_civil(y, mo, d) * DAY + h * 3600LL +
	    mi * 60LL + sec);
	return VHKEY_OK;
}

int
vhkey_format_time(time_t t, char *buf, size_t buflen)
{
	struct tm tm;

	if (!in_range(t) || gmtime_r(&t, &tm) == NULL)
		return VHKEY_ERR_ARGUMENT;
	if (buf == NULL || buflen < VHKEY_TIME_MAX)
		return VHKEY_ERR_BUFFER;
	snprintf(buf, buflen, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return VHKEY_OK;
}

/* ----------------------------------------------------------- the stamp */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next word of s[0..n) from *pos: its start and length; 0 at the
 * end. */
static int
next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len)
{
	size_t i = *pos, j;

	while (i < n && is_blank(s[i]))
		i++;
	if (i == n)
		return 0;
	for (j = i; j < n && !is_blank(s[j]); j++)
		;
	*start = i;
	*len = j - i;
	*pos = j;
	return 1;
}

static int
is_stamp(const char *word, size_t len)
{
	return len >= PREFIX_LEN &&
	    memcmp(word, VHKEY_STAMP_PREFIX, PREFIX_LEN) == 0;
}

int
vk_stamp_find(const char *comment, time_t *created)
{
	const char *stamp = NULL;
	size_t n = strnlen(comment, VHKEY_COMMENT_MAX + 1), pos = 0, start,
	       len, stamplen = 0;

	if (n > VHKEY_COMMENT_MAX)
		return VHKEY_ERR_FORMAT;
	while (next_word(comment, n, &pos, &start, &len)) {
		if (!is_stamp(comment + start, len))
			continue;
		if (stamp != NULL)
			return VHKEY_ERR_FORMAT; /* which one would be true? */
		stamp = comment + start + PREFIX_LEN;
		stamplen = len - PREFIX_LEN;
	}
	if (stamp == NULL)
		return VHKEY_ERR_NO_STAMP;
	return parse_time(stamp, stamplen, created);
}

int
vhkey_created_time(const vhkey *key, time_t *created)
{
	return vk_stamp_find(vhkey_get_comment(key), created);
}

/*
 * The comment with its stamp words taken out, each with the blanks before
 * it (after it, for a first word); trailing blanks go too.  *out has room
 * for extra more bytes.
 */
static int
strip_stamp(const char *comment, size_t extra, char **out, size_t *outlen)
{
	size_t n, o = 0, pos = 0, start, len, from = 0;
	int dropped_first = 0;
	char *buf;

	*out = NULL;
	if (comment == NULL)
		comment = "";
	n = strnlen(comment, VHKEY_COMMENT_MAX + 1);
	if (!vk_comment_valid(comment, n))
		return VHKEY_ERR_ARGUMENT;
	if ((buf = malloc(n + extra + 1)) == NULL)
		return VHKEY_ERR_NOMEM;
	while (next_word(comment, n, &pos, &start, &len)) {
		if (is_stamp(comment + start, len)) {
			dropped_first |= o == 0;
			from = start + len;
			continue;
		}
		if (o == 0 && dropped_first)
			from = start;
		memcpy(buf + o, comment + from, start + len - from);
		o += start + len - from;
		from = start + len;
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return VHKEY_OK;
}

int
vhkey_comment_without_stamp(const char *comment, char **out)
{
	size_t len;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	return strip_stamp(comment, 0, out, &len);
}

int
vhkey_comment_with_stamp(const char *comment, time_t created, char **out)
{
	char stamp[VHKEY_TIME_MAX], *buf;
	size_t len;
	int rc;

	if (out == NULL)
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if ((rc = vhkey_format_time(created, stamp, sizeof(stamp))) !=
		VHKEY_OK ||
	    (rc = strip_stamp(comment, 1 + PREFIX_LEN + TIME_LEN, &buf,
		 &len)) != VHKEY_OK)
		return rc;
	snprintf(buf + len, 1 + PREFIX_LEN + TIME_LEN + 1, "%s%s%s",
	    len > 0 ? " " : "", VHKEY_STAMP_PREFIX, stamp);
	if (strlen(buf) > VHKEY_COMMENT_MAX) {
		free(buf);
		return VHKEY_ERR_ARGUMENT;
	}
	*out = buf;
	return VHKEY_OK;
}

/* ------------------------------------------------------------ the verdict */

int
vhkey_rotation_eval(time_t created, time_t now, const vhkey_policy *policy,
    vhkey_rotation *out)
{
	const vhkey_policy *p = policy ? policy : &vk_policy_defaults;
	long long due, warn_from;

	if (out == NULL || !in_range(created) || !in_range(now))
		return VHKEY_ERR_ARGUMENT;
	due = (long long)created + (long long)p->max_age_days * DAY;
	if (due > TIME_LAST)
		return VHKEY_ERR_ARGUMENT;
	warn_from = due - (long long)p->warn_days * DAY;
	out->created = created;
	out->due = (time_t)due;
	out->age_days = now > created ? ((long long)now - created) / DAY : 0;
	out->state = now >= due	      ? VHKEY_ROTATION_OVERDUE :
	    now >= warn_from ? VHKEY_ROTATION_DUE_SOON :
			       VHKEY_ROTATION_OK;
	return VHKEY_OK;
}

const char *
vhkey_rotation_name(int state)
{
	switch (state) {
	case VHKEY_ROTATION_OK:
		return "ok";
	case VHKEY_ROTATION_DUE_SOON:
		return "due_soon";
	case VHKEY_ROTATION_OVERDUE:
		return "overdue";
	}
	return NULL;
}

char *
vk_shell_quote(const char *s)
{
	size_t n = strlen(s), quotes = 0;
	int dot = s[0] == '-'; /* else chmod would take it for an option */
	char *out, *p;

	if (vk_escape_needed(s, n))
		return vk_ansi_c_quote(s, dot ? "./" : "");
	for (size_t i = 0; i < n; i++)
		quotes += s[i] == '\'';
	if ((out = malloc(n + 3 * quotes + (dot ? 2 : 0) + 3)) == NULL)
		return NULL;
	p = out;
	*p++ = '\'';
	if (dot) {
		*p++ = '.';
		*p++ = '/';
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'') {
			memcpy(p, "'\\''", 4); /* end, escaped quote, resume */
			p += 4;
		} else {
			*p++ = s[i];
		}
	}
	*p++ = '\'';
	*p = '\0';
	return out;
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
	r->has_rotation = 1;
	r->rotation = rot;
	r->created_estimated = estimated != 0;
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
