/*
 * blowfish.h - Blowfish (Schneier, FSE 1993) with the salted, expensive key
 * schedule of Eksblowfish (Provos and Mazieres, "A Future-Adaptable
 * Password Scheme", USENIX 1999): what bcrypt_pbkdf.c is made of, and
 * nothing else needs.  No modes: one 64-bit block at a time, as two
 * big-endian 32-bit halves.
 */
#ifndef VHKEY_BLOWFISH_H
#define VHKEY_BLOWFISH_H

#include <stddef.h>
#include <stdint.h>

#define VK_BF_ROUNDS 16

/* The key-dependent state: four S-boxes and the P-array.  It is derived
 * from the key, so a caller keeps it in guarded memory or wipes it. */
struct vk_blowfish {
	uint32_t s[4][256];
	uint32_t p[VK_BF_ROUNDS + 2];
};

/* The initial state: the hexadecimal digits of pi. */
void vk_bf_init(struct vk_blowfish *bf);
/*
 * Eksblowfish's ExpandKey(state, salt, key): the key (keylen > 0 bytes,
 * taken cyclically) mixed into the P-array, then every P and S entry
 * replaced, two at a time, by the encryption of the running block XORed
 * with the next 64 bits of salt (saltlen > 0 bytes, cyclically).  With
 * salt NULL the running block is encrypted as it is: the ExpandKey(state,
 * 0, key) of Eksblowfish, and with vk_bf_init() before it Blowfish's own
 * key schedule.  OpenBSD's blowfish.c calls these Blowfish_expandstate()
 * and Blowfish_expand0state().
 */
void vk_bf_expand(struct vk_blowfish *bf, const uint8_t *salt,
    size_t saltlen, const uint8_t *key, size_t keylen);
/* Encrypt the block (*l, *r) in place. */
void vk_bf_encrypt(const struct vk_blowfish *bf, uint32_t *l, uint32_t *r);

#endif
