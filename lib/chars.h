/*
 * chars.h - the classes of bytes the parsers name, each once.  All are
 * the C locale's, whatever the process's locale: input is bytes.
 */
#ifndef VHKEY_CHARS_H
#define VHKEY_CHARS_H

/* What sshd skips between the fields of an authorized_keys line. */
static inline int
vk_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A blank or a line break: what separates the words of a text. */
static inline int
vk_is_blank_or_nl(char c)
{
	return vk_is_blank(c) || c == '\n';
}

/* isspace() in the C locale: what OpenSSH's base64 decoder (b64_pton())
 * skips inside key data. */
static inline int
vk_is_c_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/* White space within a line: isspace() but the line break. */
static inline int
vk_is_line_space(char c)
{
	return vk_is_c_space(c) && c != '\n';
}

/* One of the 64 characters of standard base64 (not '='). */
static inline int
vk_is_b64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

#endif
