/*
 * bcrypt_pbkdf.h - OpenBSD's bcrypt_pbkdf(3), the KDF of passphrase-
 * protected openssh-key-v1 keys (PROTOCOL.key: kdf "bcrypt").
 */
#ifndef VHKEY_BCRYPT_PBKDF_H
#define VHKEY_BCRYPT_PBKDF_H

#include <stddef.h>
#include <stdint.h>

/* The output of one bcrypt_hash, and the most key one call derives (as
 * OpenBSD bounds it: 32 blocks of 32 bytes). */
#define VK_BCRYPT_HASH_LEN 32
#define VK_BCRYPT_KEY_MAX (VK_BCRYPT_HASH_LEN * VK_BCRYPT_HASH_LEN)

/*
 * Derive keylen bytes into key from pass (passlen > 0 bytes) and salt
 * (saltlen > 0, at most 1 MiB) with rounds rounds of bcrypt_hash, exactly
 * as OpenBSD's bcrypt_pbkdf() and Go's x/crypto/ssh do.  The cost is
 * rounds times ceil(keylen / 32) bcrypt_hash calls (64 Eksblowfish key
 * expansions each): rounds is bounded here too, 1 to
 * VHKEY_KDF_ROUNDS_MAX, so that no caller can be made to spend hours.
 * Every intermediate value lives in guarded memory and is wiped.
 * Returns VHKEY_OK, VHKEY_ERR_KDF_ROUNDS, VHKEY_ERR_ARGUMENT (an empty
 * passphrase or salt, keylen 0 or above VK_BCRYPT_KEY_MAX) or
 * VHKEY_ERR_NOMEM; key is wiped on failure.
 */
int vk_bcrypt_pbkdf(const uint8_t *pass, size_t passlen, const uint8_t *salt,
    size_t saltlen, uint8_t *key, size_t keylen, unsigned rounds);

#endif
