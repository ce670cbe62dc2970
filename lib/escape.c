/*
 * escape.c - text from outside (comments, file names, link targets) made
 * safe to print: nothing in it can move a terminal's cursor, change its
 * colours, reorder the line around it or pass for a line of our own.
 *
 * What is escaped is what ssh-keygen 9.2 escapes (utf8.c: each byte of a
 * character that is no valid UTF-8 or that wcwidth() calls unprintable is
 * written by vis(3) with VIS_OCTAL | VIS_ALL as "\ooo"), and more: glibc
 * counts the bidirectional controls as printable, and ssh-keygen prints
 * them raw; here they are escaped too, as are tabs and line breaks (a
 * file name may hold them, and a line break would let it forge a line).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core.h"

size_t
vk_utf8_len(const unsigned char *s, size_t n, unsigned *code)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80) {
		if (code != NULL)
			*code = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	if (code != NULL)
		*code = cp;
	return len;
}

/* Characters printed by their code point but never as they are: C0, DEL,
 * C1, and the ones that change the direction or break the line. */
static int
unsafe_code(unsigned cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 1;
	if (cp < 0x61c)
		return 0;
	return cp == 0x61c ||			/* arabic letter mark */
	    cp == 0x200e || cp == 0x200f ||	/* LRM, RLM */
	    cp == 0x2028 || cp == 0x2029 ||	/* line, paragraph separator */
	    (cp >= 0x202a && cp <= 0x202e) ||	/* LRE .. RLO */
	    (cp >= 0x2066 && cp <= 0x2069);	/* LRI .. PDI */
}

size_t
vk_char_scan(const unsigned char *s, size_t n, unsigned *cp, int *unsafe)
{
	size_t len;

	/* printable ASCII, the common case, without the decoder */
	if (s[0] >= 0x20 && s[0] < 0x7f) {
		*cp = s[0];
		*unsafe = 0;
		return 1;
	}
	if ((len = vk_utf8_len(s, n, cp)) == 0) {
		*cp = VK_CHAR_INVALID;
		*unsafe = 1;
		return 1;
	}
	*unsafe = unsafe_code(*cp);
	return len;
}

/* b as "\ooo" at o (4 bytes, no NUL); where it ends. */
static char *
put_octal(char *o, unsigned char b)
{
	*o++ = '\\';
	*o++ = (char)('0' + (b >> 6));
	*o++ = (char)('0' + ((b >> 3) & 7));
	*o++ = (char)('0' + (b & 7));
	return o;
}

/* The length of the character at s (n bytes left), and whether its bytes
 * are written as "\ooo". */
static size_t
next_char(const unsigned char *s, size_t n, unsigned flags, int *escape)
{
	unsigned cp;
	size_t len = vk_char_scan(s, n, &cp, escape);

	if ((flags & VHKEY_ESCAPE_ASCII) != 0 && cp >= 0x80)
		*escape = 1;
	return len;
}

/* vhkey_escape() of n bytes at src. */
static size_t
escape_mem(char *dst, size_t dstlen, const char *src, size_t n,
    unsigned flags)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t need = 0, written = 0, len;
	int escape, full = dst == NULL || dstlen == 0;

	for (size_t i = 0; i < n; i += len) {
		len = next_char(s + i, n - i, flags, &escape);
		for (size_t k = 0; k < len; k++) {
			size_t w = escape ? 4 : 1;

			/* whole escapes only, and room for the NUL */
			if (!full && need + w < dstlen) {
				if (escape)
					(void)put_octal(dst + need, s[i + k]);
				else
					dst[need] = (char)s[i + k];
				written = need + w;
			} else {
				full = 1;
			}
			need += w;
		}
	}
	if (dst != NULL && dstlen > 0)
		dst[written] = '\0';
	return need;
}

size_t
vhkey_escape(char *dst, size_t dstlen, const char *src, unsigned flags)
{
	return escape_mem(dst, dstlen, src, strlen(src), flags);
}

int
vk_escape_needed(const char *s, size_t n)
{
	unsigned cp;
	int unsafe;

	for (size_t i = 0; i < n;) {
		i += vk_char_scan((const unsigned char *)s + i, n - i, &cp,
		    &unsafe);
		if (unsafe)
			return 1;
	}
	return 0;
}

char *
vk_escape_mem(const char *s, size_t n)
{
	size_t need = escape_mem(NULL, 0, s, n, 0);
	char *e;

	if ((e = malloc(need + 1)) != NULL)
		(void)escape_mem(e, need + 1, s, n, 0);
	return e;
}

char *
vk_ansi_c_quote(const char *s, const char *prefix)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), len;
	char *out, *o;
	unsigned cp;
	int unsafe;

	/* $' prefix, at most 4 bytes for each byte, ' and the NUL */
	if ((out = malloc(2 + strlen(prefix) + 4 * n + 2)) == NULL)
		return NULL;
	o = out;
	*o++ = '$';
	*o++ = '\'';
	o = stpcpy(o, prefix);
	for (size_t i = 0; i < n; i += len) {
		len = vk_char_scan(u + i, n - i, &cp, &unsafe);
		for (size_t k = i; k < i + len; k++) {
			if (unsafe) {
				o = put_octal(o, u[k]);
				continue;
			}
			if (u[k] == '\'' || u[k] == '\\')
				*o++ = '\\';
			*o++ = (char)u[k];
		}
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

char *
vk_escape_take(char *s)
{
	char *e;

	if (s == NULL || !vk_escape_needed(s, strlen(s)))
		return s;
	e = vk_escape_mem(s, strlen(s));
	free(s);
	return e;
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
