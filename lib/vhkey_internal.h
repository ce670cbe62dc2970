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

/* key.c */
vhkey *vk_key_new(vhkey_type type);
/* Take the public blob from the key's numbers (the key keeps a copy). */
int vk_key_set_blob(vhkey *key);
int vk_comment_valid(const char *s, size_t len);
/* Decode a public blob; the blob must be canonical and complete. */
int vk_key_from_blob(const uint8_t *blob, size_t len, vhkey **out);

/* rsa.c */
int vk_rsa_generate(unsigned bits, EVP_PKEY **out);
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
