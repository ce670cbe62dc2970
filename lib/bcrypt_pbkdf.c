/*
 * bcrypt_pbkdf.c - OpenBSD's bcrypt_pbkdf (Ted Unangst, 2013; see
 * https://flak.tedunangst.com/post/bcrypt-pbkdf), written from its
 * description and checked against its published vectors and ssh-keygen.
 *
 * It is PBKDF2 with SHA-512 and bcrypt_hash in place of HMAC, but for two
 * things a reader must know to meet OpenSSH's bytes: each bcrypt_hash's
 * 32 bytes come out as eight little-endian words, and the output blocks
 * are interleaved (byte i of block b goes to key[i * blocks + b]), so
 * that every byte of the key costs all of the work.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "vhkey_internal.h"
#include "blowfish.h"
#include "bcrypt_pbkdf.h"

#define SHA512_LEN crypto_hash_sha512_BYTES
#define SALT_MAX (1u << 20)

/* bcrypt_hash's plaintext, 32 bytes, encrypted 64 times. */
static const char magic[VK_BCRYPT_HASH_LEN + 1] =
    "OxychromaticBlowfishSwatDynamite";

/* Everything derived from the passphrase, in one guarded allocation. */
struct work {
	struct vk_blowfish bf;
	uint32_t cdata[VK_BCRYPT_HASH_LEN / 4];
	uint8_t sha2pass[SHA512_LEN];
	uint8_t sha2salt[SHA512_LEN];
	uint8_t hash[VK_BCRYPT_HASH_LEN]; /* this round's bcrypt_hash */
	uint8_t block[VK_BCRYPT_HASH_LEN]; /* the rounds' XOR */
	crypto_hash_sha512_state sha;
};

/*
 * bcrypt_hash(sha2pass, sha2salt): Eksblowfish set up with the salt and
 * the passphrase (64 rounds of expanding by each in turn), then the magic
 * encrypted 64 times in ECB mode; out as little-endian words.
 */
static void
bcrypt_hash(struct work *w)
{
	const size_t words = VK_BCRYPT_HASH_LEN / 4;

	vk_bf_init(&w->bf);
	vk_bf_expand(&w->bf, w->sha2salt, SHA512_LEN, w->sha2pass, SHA512_LEN);
	for (int i = 0; i < 64; i++) {
		vk_bf_expand(&w->bf, NULL, 0, w->sha2salt, SHA512_LEN);
		vk_bf_expand(&w->bf, NULL, 0, w->sha2pass, SHA512_LEN);
	}
	for (size_t i = 0; i < words; i++) {
		const uint8_t *m = (const uint8_t *)magic + 4 * i;
		w->cdata[i] = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
		    (uint32_t)m[2] << 8 | m[3];
	}
	for (int i = 0; i < 64; i++)
		for (size_t j = 0; j < words; j += 2)
			vk_bf_encrypt(&w->bf, &w->cdata[j], &w->cdata[j + 1]);
	for (size_t i = 0; i < words; i++)
		for (int b = 0; b < 4; b++)
			w->hash[4 * i + (size_t)b] =
			    (uint8_t)(w->cdata[i] >> (8 * b));
}

/* Block number count (from 1) of the derived key, in w->block. */
static void
derive_block(struct work *w, const uint8_t *salt, size_t saltlen,
    uint32_t count, unsigned rounds)
{
	uint8_t be[4] = { (uint8_t)(count >> 24), (uint8_t)(count >> 16),
		(uint8_t)(count >> 8), (uint8_t)count };

	crypto_hash_sha512_init(&w->sha);
	crypto_hash_sha512_update(&w->sha, salt, saltlen);
	crypto_hash_sha512_update(&w->sha, be, sizeof(be));
	crypto_hash_sha512_final(&w->sha, w->sha2salt);
	bcrypt_hash(w);
	memcpy(w->block, w->hash, sizeof(w->block));
	for (unsigned r = 1; r < rounds; r++) {
		crypto_hash_sha512(w->sha2salt, w->hash, sizeof(w->hash));
		bcrypt_hash(w);
		for (size_t i = 0; i < sizeof(w->block); i++)
			w->block[i] ^= w->hash[i];
	}
}

int
vk_bcrypt_pbkdf(const uint8_t *pass, size_t passlen, const uint8_t *salt,
    size_t saltlen, uint8_t *key, size_t keylen, unsigned rounds)
{
	struct work *w;
	size_t blocks;

	if (rounds < 1 || rounds > VHKEY_KDF_ROUNDS_MAX)
		return VHKEY_ERR_KDF_ROUNDS;
	if (passlen == 0 || saltlen == 0 || saltlen > SALT_MAX ||
	    keylen == 0 || keylen > VK_BCRYPT_KEY_MAX)
		return VHKEY_ERR_ARGUMENT;
	if ((w = vk_secret_alloc(sizeof(*w))) == NULL) {
		sodium_memzero(key, keylen);
		return VHKEY_ERR_NOMEM;
	}
	blocks = (keylen + VK_BCRYPT_HASH_LEN - 1) / VK_BCRYPT_HASH_LEN;
	crypto_hash_sha512(w->sha2pass, pass, passlen);
	for (size_t b = 0; b < blocks; b++) {
		derive_block(w, salt, saltlen, (uint32_t)b + 1, rounds);
		for (size_t i = 0; i < VK_BCRYPT_HASH_LEN; i++)
			if (i * blocks + b < keylen)
				key[i * blocks + b] = w->block[i];
	}
	vk_secret_release(w);
	return VHKEY_OK;
}
