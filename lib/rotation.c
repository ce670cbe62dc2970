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

#include "core.h"
#include "chars.h"

#define DAY 86400LL
#define PREFIX_LEN (sizeof(VHKEY_STAMP_PREFIX) - 1)
#define TIME_LEN (VHKEY_TIME_MAX - 1) /* 2026-11-28T16:20:00Z */
#define TIME_LAST 253402300799LL      /* 9999-12-31T23:59:59Z */

static int
in_range(time_t t)
{
	return (long long)t >= 0 && (long long)t <= TIME_LAST;
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

/* The next word of s[0..n) from *pos: its start and length; 0 at the
 * end. */
static int
next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len)
{
	size_t i = *pos, j;

	while (i < n && vk_is_blank(s[i]))
		i++;
	if (i == n)
		return 0;
	for (j = i; j < n && !vk_is_blank(s[j]); j++)
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
	/* every other byte, reserved included, zero */
	*out = (vhkey_rotation){
		.state = now >= due	    ? VHKEY_ROTATION_OVERDUE :
		    now >= warn_from ? VHKEY_ROTATION_DUE_SOON :
				       VHKEY_ROTATION_OK,
		.age_days = now > created ? ((long long)now - created) / DAY :
					    0,
		.created = created,
		.due = (time_t)due,
	};
	return VHKEY_OK;
}

const char *
vhkey_rotation_name(vhkey_rotation_state state)
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
