/*
 * formats.h - the middle layer's internal header (the map is in core.h):
 * a key's blob and its fields per type, the authorized_keys line, the
 * openssh-key-v1 container, PEM; is an RSA modulus breakable; RSA
 * generation.
 */
#ifndef VHKEY_FORMATS_H
#define VHKEY_FORMATS_H

#include "core.h"

#define VK_RSA_E 65537u

/* blob.c: a key's public blob */
/* Take the public blob from the key's numbers (the key keeps a copy). */
int vk_key_set_blob(vhkey *key);
/*
 * Decode a public blob of any type vhkey_type names; the blob must be
 * canonical and complete.  VHKEY_ERR_KEY_TYPE for other types (ssh-dss,
 * certificates, unknown names); VHKEY_ERR_FORMAT or VHKEY_ERR_KEY_CHECK
 * (an ECDSA point off its curve) for a blob that is not a valid key.
 */
int vk_key_from_blob(const uint8_t *blob, size_t len, vhkey **out);

/* pubkey.c: vhkey_public_to_line(), but with the key data b64[0, b64len)
 * when that is the blob's encoding (b64 may be NULL). */
int vk_key_line(const vhkey *key, const char *b64, size_t b64len,
    char **out);

/* ed25519.c: the public key field, exactly 32 bytes (RFC 8709). */
#define VK_ED25519_PUBLIC_LEN 32
int vk_ed25519_get_public(vk_reader *r);
/* What the 32 bytes of an Ed25519 public key are as a point. */
enum vk_ed25519_point {
	VK_ED25519_VALID,	/* a point of the prime-order subgroup, encoded
				 * canonically: what key generators make */
	VK_ED25519_SMALL_ORDER, /* one of the 8 points of order 1, 2, 4 or 8,
				 * in any of its encodings: a forged signature
				 * (R = B, S = 1 for the identity) verifies */
	VK_ED25519_INVALID	/* anything else: not on the curve, y >= p, or
				 * with a small-order part */
};
/* The enum vk_ed25519_point of pk.  Not constant-time: pk is public. */
int vk_ed25519_point(const uint8_t pk[VK_ED25519_PUBLIC_LEN]);
/* The same for the public key of an ssh-ed25519 or sk-ssh-ed25519 key. */
int vk_ed25519_key_point(const vhkey *key);
/* The private section's fields of an ssh-ed25519 key with its secret:
 * type, pk, sk.  VHKEY_OK, VHKEY_ERR_NOT_PRIVATE or VHKEY_ERR_NOMEM. */
int vk_ed25519_put_private(vk_writer *w, const vhkey *key);
/* Keep the checked 64-byte sk (seed || pk) in key (a copy, guarded).
 * VHKEY_OK or VHKEY_ERR_NOMEM. */
int vk_ed25519_keep_private(vhkey *key, const uint8_t *sk);
/* A new ssh-ed25519 key pair: its public blob written to blob, its
 * 64-byte sk (seed || pk, guarded memory) in *sk.  generate.c makes the
 * key of them (a type file makes no key object: blob.c, which reads
 * keys, calls the type files).  VHKEY_OK, VHKEY_ERR_NOMEM,
 * VHKEY_ERR_CRYPTO or VHKEY_ERR_KEY_CHECK. */
int vk_ed25519_generate(vk_writer *blob, uint8_t **sk);

/* ecdsa.c: the curve name and point Q of an ECDSA key of this type
 * (RFC 5656 3.1), Q uncompressed and a valid point of the curve. */
int vk_ecdsa_get_public(vk_reader *r, vhkey_type type);
/* ecdsa.c: the private scalar d belongs to the public point q (see
 * there).  VHKEY_OK, VHKEY_ERR_KEY_CHECK, VHKEY_ERR_KEY_TYPE (a type
 * that is not plain ECDSA) or VHKEY_ERR_NOMEM. */
int vk_ecdsa_check_private(vhkey_type type, const uint8_t *q, size_t qlen,
    const BIGNUM *d);
/* The private scalars vk_ecdsa_small_scalar() looks for: 1 to this. */
#define VK_ECDSA_SMALL_SCALAR 1024
int vk_ecdsa_small_scalar(const vhkey *key);
/* The key pair of a plain ECDSA type from its public point q and scalar
 * d (both checked by the caller).  VHKEY_OK, VHKEY_ERR_KEY_TYPE,
 * VHKEY_ERR_NOMEM or VHKEY_ERR_KEY_CHECK. */
int vk_ecdsa_pkey_from(vhkey_type type, const uint8_t *q, size_t qlen,
    const BIGNUM *d, EVP_PKEY **out);
/* The private section's fields of an ECDSA key with its key pair: type,
 * curve, Q, d.  VHKEY_OK, VHKEY_ERR_NOT_PRIVATE, VHKEY_ERR_NOMEM or
 * VHKEY_ERR_CRYPTO. */
int vk_ecdsa_put_private(vk_writer *w, const vhkey *key);
/* A new key pair of a plain ECDSA type: its public blob written to blob,
 * the pair (with d) in *pkey, as vk_ed25519_generate().  VHKEY_OK,
 * VHKEY_ERR_KEY_TYPE, VHKEY_ERR_NOMEM, VHKEY_ERR_CRYPTO or
 * VHKEY_ERR_KEY_CHECK. */
int vk_ecdsa_generate(vhkey_type type, vk_writer *blob, EVP_PKEY **pkey);

/* primes.c: the odd primes below 2^16, ascending. */
#define VK_SMALL_PRIMES 6541
extern const uint16_t vk_small_primes[VK_SMALL_PRIMES];

/* strength.c */
/* What makes an RSA modulus weak, from its public numbers alone. */
enum vk_rsa_weak_kind {
	VK_RSA_WEAK_NONE,
	VK_RSA_WEAK_SMALL_FACTOR, /* factor: n's smallest prime factor,
				   * 2 (n even) or an odd prime up to 65537 */
	VK_RSA_WEAK_FERMAT,	  /* p, q close: Fermat's method factors n */
	VK_RSA_WEAK_ROCA,	  /* made by Infineon's RSALib */
	VK_RSA_WEAK_POWER,	  /* n = m^k, k an odd prime (factor: k) */
	VK_RSA_WEAK_PRIME,	  /* n is prime */
	VK_RSA_WEAK_PM1,	  /* Pollard's p - 1 finds a factor */
	VK_RSA_WEAK_WIENER	  /* d < n^(1/4): vk_rsa_wiener() (n and e) */
};
struct vk_rsa_weakness {
	int kind; /* enum vk_rsa_weak_kind, the first test n fails */
	uint32_t factor; /* the factor (SMALL_FACTOR) or power (POWER); else
			  * 0 */
};
/*
 * The weak-modulus tests of vk_check_key_policy() on n alone (the
 * exponent and the size are the policy's business): n even or with a
 * prime factor up to 65537, primes within 2^20 steps of Fermat's method,
 * the ROCA fingerprint, n a perfect power, n prime, a factor that Pollard's
 * p - 1 method finds with small bounds (see strength.c for what that
 * misses); the first that n fails is the verdict.  The result
 * depends on n only, so a caller may keep it per distinct modulus.
 * Thread-safe, no state.  n is meant to be an RSA modulus (1024 bits or
 * more): for a small prime n Fermat's method "finds" the factor 1.
 * Returns VHKEY_OK (whatever the verdict), VHKEY_ERR_CRYPTO (n negative,
 * n above VHKEY_RSA_MAX_BITS bits, or an OpenSSL failure) or
 * VHKEY_ERR_NOMEM.
 */
int vk_rsa_weakness(const BIGNUM *n, struct vk_rsa_weakness *out);
/*
 * Wiener's test: *found = 1 when the continued fraction of e/n (e < n)
 * gives the private exponent d, as it does for every d < n^(1/4) / 3.
 * Returns VHKEY_OK, VHKEY_ERR_NOMEM or VHKEY_ERR_CRYPTO.
 */
int vk_rsa_wiener(const BIGNUM *n, const BIGNUM *e, int *found);
/*
 * primesieve.c: random probable primes, sieved by every odd prime below
 * VK_SIEVE_BOUND before OpenSSL's primality test.  Candidates are
 * start + 2k for the offsets 0 <= k < span, span <= VK_SIEVE_SPAN and a
 * multiple of 64.
 */
#define VK_SIEVE_BOUND (1u << 20)
#define VK_SIEVE_SPAN (1u << 14)
/* The sieve's primes and what reducing by them takes: built once per key
 * generation, then only read (by any number of threads). */
struct vk_sieve;
/* Returns VHKEY_OK or VHKEY_ERR_NOMEM. */
int vk_sieve_new(struct vk_sieve **out);
void vk_sieve_free(struct vk_sieve *sv);
/*
 * Bit k of keep (span bits) set when start + 2k has no odd prime factor
 * below VK_SIEVE_BOUND and is not 1 modulo e (an odd prime below 2^32),
 * clear otherwise.  start odd and positive, of at most VHKEY_RSA_MAX_BITS
 * bits.  Returns VHKEY_OK or VHKEY_ERR_ARGUMENT.
 */
int vk_sieve_interval(const struct vk_sieve *sv, const BIGNUM *start,
    uint32_t e, size_t span, uint64_t *keep);
/*
 * The first candidate of the interval that the sieve keeps and
 * BN_check_prime() (OpenSSL's default strength; cb as it takes it, may be
 * NULL) finds prime, copied into p with *found = 1; *found = 0 when there
 * is none.  Returns VHKEY_OK, VHKEY_ERR_ARGUMENT, VHKEY_ERR_NOMEM or
 * VHKEY_ERR_CRYPTO (also when cb stopped the test).
 */
int vk_sieve_scan(const struct vk_sieve *sv, const BIGNUM *start, uint32_t e,
    size_t span, BIGNUM *p, BN_GENCB *cb, BN_CTX *ctx, int *found);
/*
 * A probable prime p of exactly bits bits (64 to VHKEY_RSA_MAX_BITS), its
 * top two bits set, not 1 modulo e: vk_sieve_scan() from random starts
 * until one finds a prime.  cb is called with (0, n) before the n-th start
 * and as BN_check_prime() calls it; when it returns 0 the search stops
 * with VHKEY_ERR_CRYPTO.  ctx should be a secure BN_CTX: it holds the
 * candidates.  Returns VHKEY_OK, VHKEY_ERR_ARGUMENT, VHKEY_ERR_NOMEM or
 * VHKEY_ERR_CRYPTO.
 */
int vk_sieve_find_prime(const struct vk_sieve *sv, int bits, uint32_t e,
    size_t span, BIGNUM *p, BN_GENCB *cb, BN_CTX *ctx);

/* rsagen.c: how to generate an RSA key pair. */
struct vk_rsa_gen {
	unsigned bits;	/* of the modulus, even, checked by the caller */
	int threads;	/* searching, the calling thread included: >= 1 */
	int (*cancel)(void *arg); /* NULL, or non-zero to stop */
	void *cancel_arg;
};
/* Returns VHKEY_OK, VHKEY_ERR_NOMEM, VHKEY_ERR_CRYPTO, VHKEY_ERR_KEY_CHECK
 * or VHKEY_ERR_STOPPED (cancel said so). */
int vk_rsa_generate(const struct vk_rsa_gen *how, EVP_PKEY **out);

/* rsa.c */
/* The numbers of an RSA private key, as OpenSSH stores them. */
struct vk_rsa_secrets {
	BIGNUM *n, *e, *d, *p, *q, *iqmp;
};
void vk_rsa_secrets_clear(struct vk_rsa_secrets *s);
/* gcd(e, x - 1) == 1 */
int vk_rsa_coprime_to_pred(const BIGNUM *e, const BIGNUM *x, BN_CTX *ctx);
int vk_rsa_pkey_from_secrets(const struct vk_rsa_secrets *s, EVP_PKEY **out);
/* The checks every key we generate must pass (see vhkey_generate()):
 * all of a loaded key's but the primality of p and q, which the generator
 * has just tested (see rsa.c), and the conditions on the sizes. */
int vk_rsa_check_generated(EVP_PKEY *pkey, unsigned bits);
int vk_rsa_set_public(vhkey *key, EVP_PKEY *pkey);
int vk_rsa_put_public(vk_writer *w, const struct vk_rsa *rsa);
int vk_rsa_get_public(vk_reader *r, struct vk_rsa *rsa);
/* OpenSSH's private fields: n e d iqmp p q */
int vk_rsa_put_private(vk_writer *w, const struct vk_rsa *rsa);
int vk_rsa_get_private(vk_reader *r, struct vk_rsa *rsa);

/* openssh.c */
/* What a container holds besides the key: its check integer, and an
 * encrypted key's salt.  Given to vk_openssh_encode() it makes the bytes
 * of a file that was read (for the tests). */
#define VK_OPENSSH_SALT_LEN 16 /* what ssh-keygen and we write */
struct vk_openssh_seal {
	uint32_t checkint;
	uint8_t salt[VK_OPENSSH_SALT_LEN]; /* when encrypted with a salt of
					    * this length */
};
/* The key as vhkey_private_to_openssh() writes it, with seal's check
 * integer and salt (NULL: fresh random ones). */
int vk_openssh_encode(const vhkey *key, const struct vk_openssh_seal *seal,
    char **out, size_t *outlen);
/* vhkey_parse_private_passphrase(), and what seal (may be NULL) holds. */
int vk_openssh_decode(const void *text, size_t len, const char *pass,
    size_t passlen, vhkey **out, struct vk_openssh_seal *seal);

/* openssh.c: the public key of an openssh-key-v1 container, read from its
 * unencrypted envelope (so also from a passphrase-protected key). */
int vk_openssh_public(const void *text, size_t len, vhkey **out);
/*
 * The bcrypt KDF's bounds.  Go's golang.org/x/crypto/ssh (keys.go,
 * passphraseProtectedOpenSSHKey) refuses more than 1 << 11 = 2048 rounds
 * (VHKEY_KDF_ROUNDS_MAX): "OpenSSH does not impose an upper bound on the
 * bcrypt round count ... Cap at 2048 (128x the default, a few seconds of
 * CPU)"; ssh-keygen writes 16 (9.2) or 24, and bcrypt_pbkdf() refuses 0:
 * rounds outside are VHKEY_ERR_KDF_ROUNDS.  Every writer we know uses a
 * 16-byte salt; one outside these bounds is VHKEY_ERR_FORMAT.
 */
#define VK_BCRYPT_SALT_MIN 1u
#define VK_BCRYPT_SALT_MAX 64u
/* The bcrypt KDF's options, as a container gives them. */
struct vk_openssh_kdf {
	const uint8_t *salt;
	size_t saltlen;
	uint32_t rounds;
};
/* opensshcrypt.c: the ciphers a private section is decrypted with (AES,
 * CTR and CBC), and encrypted with (aes256-ctr). */
#define VK_OPENSSH_CIPHER_BLOCK 16 /* AES's, the padding's unit */
struct vk_openssh_cipher;
/* The cipher named name[0, len), or NULL when this library has none. */
const struct vk_openssh_cipher *vk_openssh_cipher(const char *name,
    size_t len);
const char *vk_openssh_cipher_name(const struct vk_openssh_cipher *c);
/*
 * Encrypt (enc 1) or decrypt (enc 0) data[0, len) in place, len a
 * multiple of VK_OPENSSH_CIPHER_BLOCK, with the key and IV that
 * bcrypt_pbkdf derives from the passphrase and kdf; they live in guarded
 * memory and are wiped.  Returns VHKEY_OK, VHKEY_ERR_FORMAT (len),
 * VHKEY_ERR_KDF_ROUNDS, VHKEY_ERR_ARGUMENT (an empty passphrase or salt),
 * VHKEY_ERR_TOO_LARGE, VHKEY_ERR_NOMEM or VHKEY_ERR_CRYPTO.
 */
int vk_openssh_crypt(const struct vk_openssh_cipher *c, int enc,
    const struct vk_openssh_kdf *kdf, const char *pass, size_t passlen,
    uint8_t *data, size_t len);
/* The rounds an openssh-key-v1 text's bcrypt KDF asks for, unbounded (0
 * when the KDF is not bcrypt): to tell why a container was refused. */
int vk_openssh_kdf_rounds(const void *text, size_t len, uint32_t *rounds);

/*
 * pem.c: a DER public key (SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey
 * when pkcs1) as an SSH public blob, written to blob.  RSA, EC on P-256,
 * P-384 and P-521, and Ed25519.  VHKEY_ERR_FORMAT when it is no public key
 * DER, VHKEY_ERR_TRAILING for bytes after it, VHKEY_ERR_KEY_TYPE for
 * another algorithm or curve (named in alg, at most alglen bytes).
 */
int vk_pem_public_blob(const uint8_t *der, size_t len, int pkcs1,
    vk_writer *blob, char *alg, size_t alglen);
/* The same for a key OpenSSL has decoded already (a private key's public
 * part, say).  Its EC point format is set to uncompressed. */
int vk_pkey_public_blob(EVP_PKEY *pkey, vk_writer *blob, char *alg,
    size_t alglen);

#endif
