/*
 * ed25519.c - the Ed25519 public key field of ssh-ed25519 and
 * sk-ssh-ed25519@openssh.com keys; an ssh-ed25519 key's private fields,
 * and its generation (libsodium).
 *
 * Like OpenSSH, the decoder takes any 32 bytes: the point is not decoded
 * there, so such a key still parses and can be shown and fingerprinted.
 * Whether the 32 bytes make a key anyone should accept is the policy's
 * question, answered by vk_ed25519_point().
 */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "formats.h"

int
vk_ed25519_get_public(vk_reader *r)
{
	vk_reader save = *r;
	const uint8_t *pk;
	size_t len;
	int rc;

	if ((rc = vk_get_string(r, &pk, &len)) != VHKEY_OK)
		return rc;
	if (len != VK_ED25519_PUBLIC_LEN) {
		*r = save;
		return VHKEY_ERR_FORMAT;
	}
	return VHKEY_OK;
}

/*
 * The y coordinates of the eight points of small order (the curve's
 * cofactor is 8), little-endian: 1 (the identity), p - 1 (order 2), 0 (the
 * two points of order 4) and the y of the four points of order 8 and its
 * negation (the values libsodium's blocklist names too).  Each y but +-1
 * stands for two points (x and -x: the sign bit); test_ed25519 checks
 * that the points have these orders.
 */
static const uint8_t small_order_y[][VK_ED25519_PUBLIC_LEN] = {
	{ 0x01 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	{ 0x00 },
	{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
	    0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
	    0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05 },
	{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
	    0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
	    0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a },
};

/*
 * y (the encoding without its sign bit) reduced modulo p = 2^255 - 19.
 * OpenSSH's decoder reduces it, so the 19 encodings of y >= p are second
 * names of y - p: among them p and p + 1, the points of order 4 and 1.
 */
static void
reduced_y(const uint8_t pk[VK_ED25519_PUBLIC_LEN],
    uint8_t y[VK_ED25519_PUBLIC_LEN])
{
	size_t i;

	memcpy(y, pk, VK_ED25519_PUBLIC_LEN);
	y[31] &= 0x7f;
	for (i = 1; i < 31 && y[i] == 0xff; i++)
		;
	if (i == 31 && y[31] == 0x7f && y[0] >= 0xed) {
		/* y - p: only the low byte is left */
		uint8_t low = (uint8_t)(y[0] - 0xed);

		memset(y, 0, VK_ED25519_PUBLIC_LEN);
		y[0] = low;
	}
}

static int
small_order(const uint8_t pk[VK_ED25519_PUBLIC_LEN])
{
	uint8_t y[VK_ED25519_PUBLIC_LEN];

	reduced_y(pk, y);
	for (size_t i = 0; i < sizeof(small_order_y) / sizeof(small_order_y[0]);
	     i++)
		if (memcmp(y, small_order_y[i], sizeof(y)) == 0)
			return 1;
	return 0;
}

int
vk_ed25519_point(const uint8_t pk[VK_ED25519_PUBLIC_LEN])
{
	if (small_order(pk))
		return VK_ED25519_SMALL_ORDER;
	/* canonical (y < p), on the curve, and in the prime-order
	 * subgroup, as the a*B of any Ed25519 key generator always is */
	if (crypto_core_ed25519_is_valid_point(pk) != 1)
		return VK_ED25519_INVALID;
	return VK_ED25519_VALID;
}

int
vk_ed25519_key_point(const vhkey *key)
{
	vk_reader r;
	const char *name;
	const uint8_t *pk;
	size_t len;

	/* the blob was checked when the key was made: type, then pk */
	vk_reader_init(&r, key->blob, key->bloblen);
	if (vk_get_cstring(&r, &name, &len) != VHKEY_OK ||
	    vk_get_string(&r, &pk, &len) != VHKEY_OK ||
	    len != VK_ED25519_PUBLIC_LEN)
		return VK_ED25519_INVALID;
	return vk_ed25519_point(pk);
}

/*
 * The private fields as ssh-keygen writes them (PROTOCOL.key, sshkey.c
 * sshkey_private_serialize()): string "ssh-ed25519", string pk (32
 * bytes), string sk (64: the seed, then pk again).  The public blob is
 * the first two, so they are copied from it.
 */
int
vk_ed25519_put_private(vk_writer *w, const vhkey *key)
{
	int rc;

	if (key->ed25519_sk == NULL)
		return VHKEY_ERR_NOT_PRIVATE;
	if ((rc = vk_put_bytes(w, key->blob, key->bloblen)) != VHKEY_OK ||
	    (rc = vk_put_string(w, key->ed25519_sk,
		 crypto_sign_SECRETKEYBYTES)) != VHKEY_OK)
		return rc;
	return VHKEY_OK;
}

/*
 * A new key pair: 32 random bytes from libsodium's generator as the seed
 * (crypto_sign_keypair(), what ssh-keygen's ed25519 code does with
 * arc4random).  The public key must be a valid point, as a * B always
 * is: the check costs little and guards against a broken build.
 */
int
vk_ed25519_generate(vk_writer *blob, uint8_t **skp)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], *sk;
	int rc;

	*skp = NULL;
	if ((sk = vk_secret_alloc(crypto_sign_SECRETKEYBYTES)) == NULL)
		return VHKEY_ERR_NOMEM;
	rc = VHKEY_ERR_CRYPTO;
	if (crypto_sign_keypair(pk, sk) != 0)
		goto out;
	rc = VHKEY_ERR_KEY_CHECK;
	if (memcmp(pk, sk + crypto_sign_SEEDBYTES, sizeof(pk)) != 0 ||
	    vk_ed25519_point(pk) != VK_ED25519_VALID)
		goto out;
	if ((rc = vk_put_cstring(blob, "ssh-ed25519")) == VHKEY_OK &&
	    (rc = vk_put_string(blob, pk, sizeof(pk))) == VHKEY_OK) {
		*skp = sk;
		sk = NULL;
	}
out:
	vk_secret_release(sk);
	return rc;
}

/*
 * Keep a checked secret sk (64 bytes, seed || pk) in key: copied into
 * guarded memory.
 */
int
vk_ed25519_keep_private(vhkey *key, const uint8_t *sk)
{
	uint8_t *copy;

	if ((copy = vk_secret_alloc(crypto_sign_SECRETKEYBYTES)) == NULL)
		return VHKEY_ERR_NOMEM;
	memcpy(copy, sk, crypto_sign_SECRETKEYBYTES);
	vk_secret_release(key->ed25519_sk);
	key->ed25519_sk = copy;
	return VHKEY_OK;
}
