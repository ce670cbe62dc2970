/*
 * opensshcrypt.c - the encryption of a passphrase-protected openssh-key-v1
 * private section (PROTOCOL.key; OpenSSH's sshkey.c and cipher.c): key and
 * IV from bcrypt_pbkdf, then an AES mode from OpenSSL's EVP.
 *
 * Only the ciphers whose output is as long as their input and that need
 * no authentication tag: AES in CTR and CBC mode.  aes*-gcm@openssh.com
 * (a 16-byte tag after the private section, outside its string) and
 * chacha20-poly1305@openssh.com (OpenSSH's own construction) are not
 * decrypted: such keys stay VHKEY_ERR_ENCRYPTED; 3des-cbc too.
 */
#include "config.h"

#include <string.h>

#include <openssl/evp.h>

#include "vhkey_internal.h"
#include "bcrypt_pbkdf.h"

#define IV_LEN 16

struct vk_openssh_cipher {
	const char *name;  /* OpenSSH's */
	const char *evp;   /* OpenSSL's */
	size_t keylen;
	int cbc;	   /* a block mode: EVP's padding turned off */
};

static const struct vk_openssh_cipher ciphers[] = {
	{ "aes256-ctr", "AES-256-CTR", 32, 0 },
	{ "aes192-ctr", "AES-192-CTR", 24, 0 },
	{ "aes128-ctr", "AES-128-CTR", 16, 0 },
	{ "aes256-cbc", "AES-256-CBC", 32, 1 },
	{ "aes192-cbc", "AES-192-CBC", 24, 1 },
	{ "aes128-cbc", "AES-128-CBC", 16, 1 },
};

const struct vk_openssh_cipher *
vk_openssh_cipher(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		if (strlen(ciphers[i].name) == len &&
		    memcmp(ciphers[i].name, name, len) == 0)
			return &ciphers[i];
	return NULL;
}

const char *
vk_openssh_cipher_name(const struct vk_openssh_cipher *c)
{
	return c->name;
}

/* data[0, len) through the cipher with key and IV at kiv, in place. */
static int
run_cipher(const struct vk_openssh_cipher *c, int enc, const uint8_t *kiv,
    uint8_t *data, size_t len)
{
	EVP_CIPHER *cipher;
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0, rc = VHKEY_ERR_CRYPTO;

	if (len > VK_WIRE_MAX)
		return VHKEY_ERR_TOO_LARGE;
	if ((cipher = EVP_CIPHER_fetch(NULL, c->evp, NULL)) == NULL)
		return VHKEY_ERR_CRYPTO;
	if ((ctx = EVP_CIPHER_CTX_new()) != NULL &&
	    EVP_CipherInit_ex2(ctx, cipher, kiv, kiv + c->keylen, enc,
		NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_CipherUpdate(ctx, data, &outl, data, (int)len) == 1 &&
	    EVP_CipherFinal_ex(ctx, data + outl, &finl) == 1 &&
	    (size_t)outl + (size_t)finl == len)
		rc = VHKEY_OK;
	EVP_CIPHER_CTX_free(ctx); /* wipes the key schedule */
	EVP_CIPHER_free(cipher);
	return rc;
}

int
vk_openssh_crypt(const struct vk_openssh_cipher *c, int enc,
    const struct vk_openssh_kdf *kdf, const char *pass, size_t passlen,
    uint8_t *data, size_t len)
{
	uint8_t *kiv;
	int rc;

	if (len % VK_OPENSSH_CIPHER_BLOCK != 0)
		return VHKEY_ERR_FORMAT;
	if ((kiv = vk_secret_alloc(c->keylen + IV_LEN)) == NULL)
		return VHKEY_ERR_NOMEM;
	if ((rc = vk_bcrypt_pbkdf((const uint8_t *)pass, passlen, kdf->salt,
		 kdf->saltlen, kiv, c->keylen + IV_LEN, kdf->rounds)) ==
	    VHKEY_OK)
		rc = run_cipher(c, enc, kiv, data, len);
	vk_secret_release(kiv);
	return rc;
}
