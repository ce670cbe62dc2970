/*
 * vhkey_internal.h - what the library's files share and callers never see.
 */
#ifndef VHKEY_INTERNAL_H
#define VHKEY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "vhkey.h"
#include "buf.h"

#define VK_RSA_E 65537u

/* RSA public numbers, and the private key when there is one. */
struct vk_rsa {
	BIGNUM *n;
	BIGNUM *e;
	EVP_PKEY *pkey; /* the key pair; NULL for a public key */
};

struct vhkey {
	vhkey_type type;
	unsigned bits;
	uint8_t *blob; /* canonical public blob, RFC 4253 6.6 */
	size_t bloblen;
	char *comment; /* never NULL: "" for none */
	struct vk_rsa rsa;
};

struct vhkey_policy {
	unsigned min_rsa_bits;
	unsigned char allowed[VHKEY_TYPE_COUNT];
	unsigned max_age_days;
	unsigned warn_days;
};

/* A list of strings a report owns. */
struct vk_strlist {
	char **items;
	size_t count;
};

struct vhkey_report {
	vhkey_verdict verdict;
	int reason;
	char *message; /* never NULL once built */
	struct vk_strlist warnings;
	struct vk_strlist repairs;
	vhkey *key; /* public part only */
	char *key_line; /* the normalised authorized_keys line */
};

/* report.c: building reports.  Text is formatted printf-style and must
 * never include private key bytes. */
vhkey_report *vk_report_new(void);
/* Reject with a reason and a message (replaces an earlier verdict). */
int vk_report_reject(vhkey_report *r, int reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Accept with a message. */
int vk_report_accept(vhkey_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vk_report_warn(vhkey_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vk_report_repair(vhkey_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keep (a public copy of) the key and its normalised line. */
int vk_report_set_key(vhkey_report *r, const vhkey *key);
/* JSON string escaping into a writer (quotes included); NULL gives null. */
int vk_json_string(vk_writer *w, const char *s);

/* key.c */
/* A new key holding only the public part of key. */
int vk_key_public_copy(const vhkey *key, vhkey **out);
vhkey *vk_key_new(vhkey_type type);
/* Take the public blob from the key's numbers (the key keeps a copy). */
int vk_key_set_blob(vhkey *key);
int vk_comment_valid(const char *s, size_t len);
/* Decode a public blob; the blob must be canonical and complete. */
int vk_key_from_blob(const uint8_t *blob, size_t len, vhkey **out);

/* rsagen.c */
int vk_rsa_generate(unsigned bits, EVP_PKEY **out);

/* rsa.c */
/* The numbers of an RSA private key, as OpenSSH stores them. */
struct vk_rsa_secrets {
	BIGNUM *n, *e, *d, *p, *q, *iqmp;
};
void vk_rsa_secrets_clear(struct vk_rsa_secrets *s);
/* gcd(e, x - 1) == 1 */
int vk_rsa_coprime_to_pred(const BIGNUM *e, const BIGNUM *x, BN_CTX *ctx);
int vk_rsa_pkey_from_secrets(const struct vk_rsa_secrets *s, EVP_PKEY **out);
/* The checks every key we write must pass (see vhkey_generate()). */
int vk_rsa_check_generated(EVP_PKEY *pkey, unsigned bits);
int vk_rsa_set_public(vhkey *key, EVP_PKEY *pkey);
int vk_rsa_put_public(vk_writer *w, const struct vk_rsa *rsa);
int vk_rsa_get_public(vk_reader *r, struct vk_rsa *rsa);
/* OpenSSH's private fields: n e d iqmp p q */
int vk_rsa_put_private(vk_writer *w, const struct vk_rsa *rsa);
int vk_rsa_get_private(vk_reader *r, struct vk_rsa *rsa);
void vk_rsa_clear(struct vk_rsa *rsa);

/* openssh.c */
int vk_openssh_encode(const vhkey *key, uint32_t checkint, char **out,
    size_t *outlen);
int vk_openssh_decode(const void *text, size_t len, vhkey **out,
    uint32_t *checkint);

/* keyfile.c */
void vk_error_set(vhkey_error *err, int status, int sys_errno,
    const char *path);
int vk_status_from_errno(int e);

#endif
