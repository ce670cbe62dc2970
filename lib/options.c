/*
 * options.c - the authorized_keys options in front of a key: where they
 * end, their names, and whether sshd 9.2 takes their values.
 */
#include "config.h"

#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>


#include "paste.h"

/* A port of permitopen or permitlisten: "*", or 1 to 65535. */
static int
option_port(const char *s, size_t n)
{
	long v;

	if (n == 1 && s[0] == '*')
		return 1;
	v = n > 0 && n <= 5 ? vk_digits(s, n) : -1;
	return v >= 1 && v <= 65535;
}

/* "host:port" (permitopen), or "[host:]port" (permitlisten); a host in
 * brackets may hold colons, one without ends at the first. */
static int
option_host_port(const char *s, size_t n, int need_host)
{
	const char *colon;

	if (n > 0 && s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		if (rb == NULL || rb + 1 == s + n || rb[1] != ':')
			return 0;
		colon = rb + 1;
	} else if ((colon = memchr(s, ':', n)) == NULL) {
		return !need_host && option_port(s, n);
	}
	return colon > s && option_port(colon + 1, (size_t)(s + n - colon - 1));
}

/* expiry-time: YYYYMMDD[HHMM[SS]], local time, or UTC with a Z.  0 when
 * sshd cannot read it; *expired when it is not after now (now 0: no
 * clock to compare with). */
static int
option_expiry(const char *s, size_t n, time_t now, int *expired)
{
	int z = n > 0 && s[n - 1] == 'Z';
	struct tm tm;
	time_t t;

	n -= (size_t)z;
	if ((n != 8 && n != 12 && n != 14) || vk_digits(s, n) < 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)vk_digits(s, 4) - 1900;
	tm.tm_mon = (int)vk_digits(s + 4, 2) - 1;
	tm.tm_mday = (int)vk_digits(s + 6, 2);
	tm.tm_hour = n >= 12 ? (int)vk_digits(s + 8, 2) : 0;
	tm.tm_min = n >= 12 ? (int)vk_digits(s + 10, 2) : 0;
	tm.tm_sec = n == 14 ? (int)vk_digits(s + 12, 2) : 0;
	tm.tm_isdst = -1;
	if (tm.tm_mon > 11 || tm.tm_mon < 0 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return 0;
	t = z ? timegm(&tm) : mktime(&tm);
	*expired = now != 0 && t <= now;
	return 1;
}

/* Are the bits of an address under a mask of `bits` (ULONG_MAX: none)
 * the only ones set, as sshd's addr_pton_cidr() wants them? */
static int
host_bits_clear(const struct sockaddr *sa, unsigned long bits)
{
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
	const unsigned char *a;
	size_t len;

	if (sa->sa_family == AF_INET) {
		memcpy(&in4, sa, sizeof(in4));
		a = (const unsigned char *)&in4.sin_addr;
		len = 4;
	} else if (sa->sa_family == AF_INET6) {
		memcpy(&in6, sa, sizeof(in6));
		a = (const unsigned char *)&in6.sin6_addr;
		len = 16;
	} else {
		return 1;
	}
	if (bits == ULONG_MAX)
		return 1;
	if (bits > len * 8)
		return 0;
	for (size_t i = 0; i < len; i++, bits = bits > 8 ? bits - 8 : 0)
		if (a[i] & (0xff >> (bits > 8 ? 8 : bits)))
			return 0;
	return 1;
}

/*
 * One entry of a from= list as sshd's addr_match_list() reads it.  What
 * is no address or network is a host name pattern, which may match; but
 * an empty entry, or a network whose mask is longer than its address or
 * that has host bits set (10.0.0.1/8), spoils the whole list, and sshd
 * then refuses the key from every address.  0 for such an entry.
 */
static int
option_from_entry(const char *s, size_t n)
{
	struct addrinfo hints, *ai = NULL;
	unsigned long bits = ULONG_MAX;
	char buf[64], *slash, *end;
	int ok;

	if (n > 0 && s[0] == '!')
		s++, n--;
	if (n == 0)
		return 0;
	if (n >= sizeof(buf))
		return 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		bits = strtoul(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || bits > 128)
			return 1;
	}
	/* the same numeric-only parse as sshd's, so the same forms */
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(buf, NULL, &hints, &ai) != 0)
		return 1;
	ok = host_bits_clear(ai->ai_addr, bits);
	freeaddrinfo(ai);
	return ok;
}

/* from: every comma-separated entry one that sshd can read. */
static int
option_from(const char *s, size_t n)
{
	const char *end = s + n, *comma;

	for (;; s = comma + 1) {
		if ((comma = memchr(s, ',', (size_t)(end - s))) == NULL)
			comma = end;
		if (!option_from_entry(s, (size_t)(comma - s)))
			return 0;
		if (comma == end)
			return 1;
	}
}

/* environment: a NAME of letters, digits and _, then =. */
static int
option_environment(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i > 0 && i < n && s[i] == '=';
}

/* tunnel: "any" or a device number. */
static int
option_tunnel(const char *s, size_t n)
{
	return (n == 3 && strncasecmp(s, "any", 3) == 0) ||
	    (n > 0 && n <= 9 && vk_digits(s, n) >= 0);
}

static int
option_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* Is the value of an option one that sshd takes?  0 and words in what
 * when not. */
static int
option_value_ok(const struct paste *p, const char *name, size_t n,
    const char *v, size_t vlen, char *what, size_t whatlen)
{
	int expired = 0;

	if ((option_is(name, n, "permitopen") &&
		!option_host_port(v, vlen, 1)) ||
	    (option_is(name, n, "permitlisten") &&
		!option_host_port(v, vlen, 0)) ||
	    (option_is(name, n, "environment") &&
		!option_environment(v, vlen)) ||
	    (option_is(name, n, "tunnel") && !option_tunnel(v, vlen)) ||
	    (option_is(name, n, "expiry-time") &&
		!option_expiry(v, vlen, p->now, &expired))) {
		snprintf(what, whatlen,
		    "it holds the option %.*s with a value that sshd does "
		    "not read",
		    (int)n, name);
		return 0;
	}
	if (option_is(name, n, "from") && !option_from(v, vlen)) {
		snprintf(what, whatlen,
		    "its from= list holds an empty entry or a network that "
		    "sshd cannot read (such as 10.0.0.1/8), and then sshd "
		    "refuses the key from every address");
		return 0;
	}
	if (expired) {
		snprintf(what, whatlen,
		    "its expiry-time has passed: sshd refuses the key");
		return 0;
	}
	return 1;
}

/*
 * The authorized_keys options in front of the key, as sshd 9.2 reads them
 * (sshauthopt_parse()), checked with logins: names in any case; a value
 * only in double quotes, and only for the options that take one, each
 * read as sshd reads it; command= and from= at most once (sshd refuses
 * the line otherwise: from= itself only restricts where a login may come
 * from).  cert-authority and principals= make the key a certificate
 * authority's, with which sshd takes no login itself.  0 and words in
 * what when sshd does not take them.
 */
int
vk_options_taken(const struct paste *p, char *what, size_t whatlen)
{
	static const char *const valued[] = { "command", "environment",
		"expiry-time", "from", "permitlisten", "permitopen",
		"principals", "tunnel" };
	const char *s = p->s, *end = p->s + p->options_len;
	int command = 0, from = 0;

	while (s < end) {
		const char *name = s, *v = NULL;
		size_t n, vlen = 0;
		int takes_value = 0;

		while (s < end && *s != '=' && *s != ',')
			s++;
		n = (size_t)(s - name);
		if (s < end && *s == '=') {
			if (++s >= end || *s != '"') {
				snprintf(what, whatlen,
				    "the value of the option %.*s is not in "
				    "double quotes",
				    (int)n, name);
				return 0;
			}
			for (v = ++s; s < end && *s != '"'; s++)
				if (*s == '\\' && s + 1 < end && s[1] == '"')
					s++;
			vlen = (size_t)(s - v);
			s++; /* the closing quote */
		}
		if (s < end && *s == ',')
			s++;
		for (size_t i = 0; i < sizeof(valued) / sizeof(valued[0]); i++)
			takes_value |= option_is(name, n, valued[i]);
		if (takes_value != (v != NULL)) {
			snprintf(what, whatlen, "the option %.*s %s", (int)n,
			    name,
			    takes_value ? "without its value" :
					  "with a value it does not take");
			return 0;
		}
		if (option_is(name, n, "cert-authority") ||
		    option_is(name, n, "principals")) {
			snprintf(what, whatlen,
			    "the option %.*s: the key is a certificate "
			    "authority's, and sshd takes no login with it "
			    "itself",
			    (int)n, name);
			return 0;
		}
		if ((option_is(name, n, "command") && command++) ||
		    (option_is(name, n, "from") && from++)) {
			snprintf(what, whatlen,
			    "the option %.*s twice, which sshd refuses",
			    (int)n, name);
			return 0;
		}
		if (v != NULL &&
		    !option_value_ok(p, name, n, v, vlen, what, whatlen))
			return 0;
	}
	return 1;
}

static const char *const key_options[] = { "agent-forwarding",
	"cert-authority", "command", "environment", "expiry-time", "from",
	"no-agent-forwarding", "no-port-forwarding", "no-pty",
	"no-touch-required", "no-user-rc", "no-verify-required",
	"no-x11-forwarding", "permitlisten", "permitopen", "port-forwarding",
	"principals", "pty", "restrict", "touch-required", "tunnel", "user-rc",
	"verify-required", "x11-forwarding" };

static int
known_option(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(key_options) / sizeof(key_options[0]);
	     i++)
		if (strlen(key_options[i]) == n &&
		    strncasecmp(key_options[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * authorized_keys options at the start, as sshd reads them: names, some
 * with =value (quoted values may hold blanks and \"), joined by commas.
 * Their end, or 0 when this is not that; their names go to p->options.
 */
size_t
vk_options_end(struct paste *p)
{
	const char *s = p->s;
	size_t i = 0, n = p->len, name, used = 0;

	for (;;) {
		name = i;
		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
				    (s[i] >= 'A' && s[i] <= 'Z') ||
				    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			i++;
		/* sshd skips empty options: ,no-pty,,pty, */
		if (i == name && i < n && s[i] == ',') {
			i++;
			continue;
		}
		if (i == name && i > 0 && i < n && vk_is_blank(s[i]))
			return i;
		if (i == name || !known_option(s + name, i - name))
			return 0;
		used += (size_t)snprintf(p->options + used,
		    used < sizeof(p->options) ? sizeof(p->options) - used : 0,
		    "%s%.*s%s", used > 0 ? ", " : "", (int)(i - name), s + name,
		    i < n && s[i] == '=' ? "=..." : "");
		if (used >= sizeof(p->options))
			used = sizeof(p->options);
		if (i < n && s[i] == '=') {
			if (++i < n && s[i] == '"') {
				for (i++; i < n && s[i] != '"'; i++) {
					if (s[i] == '\n')
						return 0;
					if (s[i] == '\\' && i + 1 < n &&
					    s[i + 1] == '"')
						i++;
				}
				if (i++ >= n)
					return 0;
			} else {
				while (i < n && s[i] != ',' &&
				    !vk_is_blank(s[i]) && s[i] != '\n')
					i++;
			}
		}
		if (i < n && s[i] == ',') {
			i++;
			continue;
		}
		return i < n && vk_is_blank(s[i]) ? i : 0;
	}
}
