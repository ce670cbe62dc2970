/*
 * core.h - the lowest layer's internal header, and the map of all three.
 *
 * Each layer has its header, which includes the one below it: core.h,
 * formats.h, check.h.  A file includes its own layer's header (and the
 * narrower ones of its layer or below, named in the map), and calls
 * only into its own layer or those below.  tests/layers.sh reads the map
 * below, the one table of layers, and checks the built objects against
 * it: no call and no include upward, no circle between files.
 *
 * Where each concern lives (README.md, "Layout", has the same map):
 *
 * core		core.h; error.c (statuses, vhkey_error), init.c, cpus.c,
 *		buf.c + buf.h, base64.c + lanes.h, chars.h, escape.c, key.c
 *		(the key object), fingerprint.c, policy.c, memo.c,
 *		rotation.c (stamps, vhkey_rotation_eval, no clock)
 * formats	formats.h; blob.c (a key's public blob: each type's fields),
 *		pubkey.c (authorized_keys line), openssh.c (openssh-key-v1),
 *		opensshcrypt.c + bcrypt_pbkdf.c + bcrypt_pbkdf.h + blowfish.c
 *		+ blowfish.h (its passphrase), pem.c, rsa.c, ecdsa.c,
 *		ed25519.c (each type's public and private fields; ecdsa.c
 *		and ed25519.c also generate their type); strength.c +
 *		wordmod.c + wordmod.h + primes.c (is n breakable); rsagen.c
 *		+ primesieve.c (the prime race, worker threads); generate.c
 *		(options, the dispatch to each type's generator)
 * checking	check.h; report.c (+ JSON), age.c (rotation in words),
 *		keypolicy.c (a key against a policy), classify.c, the paste
 *		(paste.h: paste.c, authline.c, options.c, block.c,
 *		lookalike.c, verdict.c, aswritten.c), keylist.c (a file of
 *		keys) + workers.c + workers.h (its worker threads),
 *		checkfile.c, privfile.c (a private
 *		key file: 0600 decided here), keyread.c, keywrite.c +
 *		keyfile.h (written atomically: a pair, or one file),
 *		keyrotate.c, keyrewrite.c (a private key written again in
 *		place), repair.c (a keys file copied repaired)
 */
#ifndef VHKEY_CORE_H
#define VHKEY_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "vhkey.h"
#include "buf.h"

/* RSA public numbers, and the private key when there is one. */
struct vk_rsa {
	BIGNUM *n;
	BIGNUM *e;
	EVP_PKEY *pkey; /* the key pair; NULL for a public key */
};

/* "SHA256:" and 43 characters of unpadded base64, and the NUL. */
#define VK_FP_SHA256_LEN 51

struct vhkey {
	vhkey_type type;
	unsigned bits;
	uint8_t *blob; /* canonical public blob, RFC 4253 6.6 */
	size_t bloblen;
	char *comment; /* never NULL: "" for none */
	/* The passphrase the private key is written with (guarded memory,
	 * wiped when freed; no NUL, 1 to VHKEY_PASSPHRASE_MAX bytes), or
	 * NULL: written unencrypted; and the bcrypt rounds to write with. */
	char *pass;
	size_t passlen;
	unsigned kdf_rounds;
	struct vk_rsa rsa;
	/* The private parts of the other types (RSA's is rsa.pkey); NULL for
	 * a public key.  Only the key's type's one is ever set. */
	uint8_t *ed25519_sk; /* libsodium's 64 bytes, seed || pk, as the
			      * openssh-key-v1 sk field holds them: in
			      * sodium_malloc, freed (wiped) with the key */
	EVP_PKEY *ec_pkey;   /* the ECDSA key pair, with its scalar d */
	/* The blob's SHA-256 fingerprint, or "" until vk_key_keep_fingerprint()
	 * (which only the key's one owner calls, before it shares the key);
	 * vhkey_fingerprint() then copies it. */
	char fp_sha256[VK_FP_SHA256_LEN];
};

struct vhkey_policy {
	unsigned min_rsa_bits;
	unsigned char allowed[VHKEY_TYPE_COUNT];
	unsigned max_age_days;
	unsigned warn_days;
	/* SHA-256, fetched once with the policy for the fingerprints of the
	 * keys checked under it (many threads may hash with it); NULL when
	 * the fetch failed, or in vk_policy_defaults. */
	EVP_MD *sha256;
};

/* key.c */
/* A new key holding only the public part of key: its numbers, blob,
 * comment and kept fingerprint copied, nothing decoded again. */
int vk_key_public_copy(const vhkey *key, vhkey **out);
vhkey *vk_key_new(vhkey_type type);
/* The fixed size of a type's keys (as ssh-keygen -l prints it), 0 for
 * RSA. */
unsigned vk_type_bits(vhkey_type type);
/* 1 for the types whose private keys the library reads, writes and
 * generates: RSA, Ed25519, ECDSA (not security keys, whose private part
 * is a handle to a device that made it); else 0. */
int vk_type_private(vhkey_type type);
/* The key pair of OpenSSL algorithm alg ("RSA", "EC") from params: no
 * check is run.  VHKEY_OK, VHKEY_ERR_NOMEM, or VHKEY_ERR_KEY_CHECK when
 * OpenSSL refuses the numbers. */
int vk_pkey_fromdata(const char *alg, OSSL_PARAM *params, EVP_PKEY **out);
/* Free the RSA numbers and key pair that a key holds. */
void vk_rsa_clear(struct vk_rsa *rsa);
int vk_comment_valid(const char *s, size_t len);
/* 1 when pass[0, len) is a passphrase the library takes: at most
 * VHKEY_PASSPHRASE_MAX bytes, no NUL. */
int vk_passphrase_valid(const char *pass, size_t len);
/*
 * A guarded copy of the passphrase pass[0, len) in *out (NULL for pass NULL
 * or len 0), checked as vhkey_set_passphrase() checks it; the caller
 * releases it with vk_secret_release().  VHKEY_OK, VHKEY_ERR_ARGUMENT or
 * VHKEY_ERR_NOMEM.
 */
int vk_passphrase_copy(const char *pass, size_t len, char **out);
/* The rounds to write with: 0 is VHKEY_KDF_ROUNDS_DEFAULT; VHKEY_OK or
 * VHKEY_ERR_KDF_ROUNDS. */
int vk_kdf_rounds(unsigned rounds, unsigned *out);
/* vhkey_set_comment() with the comment s[0, len). */
int vk_key_set_comment(vhkey *key, const char *s, size_t len);
/* The type with SSH name name[0..len), or VHKEY_TYPE_UNKNOWN. */
vhkey_type vk_type_from_name(const char *name, size_t len);

/* escape.c: the length of the valid UTF-8 sequence at s (at most n
 * bytes, n > 0), and its code point in *code (may be NULL); 0 when there
 * is none. */
size_t vk_utf8_len(const unsigned char *s, size_t n, unsigned *code);

/*
 * escape.c: the character at s (n > 0 bytes left): its length, its code
 * point in *cp (VK_CHAR_INVALID for a byte that starts no valid UTF-8,
 * which is a character of its own, 1 byte long), and in *unsafe whether a
 * terminal acts on it (what vhkey_escape() escapes).
 */
#define VK_CHAR_INVALID 0xffffffffu
size_t vk_char_scan(const unsigned char *s, size_t n, unsigned *cp,
    int *unsafe);
/* fingerprint.c: v in decimal, written at the end of buf; returns where
 * it starts.  (printf costs as much as checking a key line.) */
#define VK_DECIMAL_MAX 12
const char *vk_decimal(unsigned v, char buf[VK_DECIMAL_MAX]);

/* Does s (n bytes) hold a character vhkey_escape() escapes? */
int vk_escape_needed(const char *s, size_t n);
/* n bytes at s escaped (vhkey_escape(), flags 0), as a new string; NULL
 * when out of memory. */
char *vk_escape_mem(const char *s, size_t n);
/*
 * s as one operand for bash (and ksh, zsh, POSIX.1-2024 sh): $'prefix s',
 * with what vhkey_escape() escapes written as \ooo and quotes and
 * backslashes escaped.  The shell reads the very bytes back, and the text
 * prints safely.  NULL when out of memory.
 */
char *vk_ansi_c_quote(const char *s, const char *prefix);
/* s escaped (vhkey_escape(), flags 0), which takes s: s itself when it
 * needs nothing, else a new string and s freed; NULL when out of memory
 * (and when s is NULL). */
char *vk_escape_take(char *s);

/* escape.c: s as one operand for a POSIX shell: single-quoted, and "./" put before
 * a relative path that starts with '-'; $'...' (vk_ansi_c_quote()) when it
 * holds what a terminal acts on, so that the fix is exact and safe to
 * print.  NULL when out of memory. */
char *vk_shell_quote(const char *s);

/* fingerprint.c: work out the SHA-256 fingerprint now, and keep it in the
 * key for vhkey_fingerprint().  The digest is policy's (may be NULL), which
 * saves fetching one.  VHKEY_OK or VHKEY_ERR_CRYPTO. */
int vk_key_keep_fingerprint(vhkey *key, const vhkey_policy *policy);

/* rotation.c: n decimal digits at s (n small enough not to overflow a
 * long), or -1. */
long vk_digits(const char *s, size_t n);

/* rotation.c */
/* The creation stamp in a comment: VHKEY_OK, VHKEY_ERR_NO_STAMP or
 * VHKEY_ERR_FORMAT (see vhkey_created_time()). */
int vk_stamp_find(const char *comment, time_t *created);

/* base64.c */
/*
 * Decode padded standard base64 (RFC 4648 section 4) into out, which has
 * room for outmax bytes: what sodium_base642bin(out, outmax, in, len,
 * NULL, outlen, NULL, sodium_base64_VARIANT_ORIGINAL) accepts and writes.
 * That is: a length that is a multiple of 4, only the alphabet but for
 * "=" or "==" at the end, the bits the padding leaves over zero (so in is
 * the one encoding of what it holds), and at most outmax bytes.  Returns
 * 0 with the length in *outlen, or -1 with *outlen 0 (and out holding
 * anything).  No branch or memory access depends on the characters but
 * for the padding, which only says the length.
 */
int vk_base64_decode(uint8_t *out, size_t outmax, const char *in, size_t len,
    size_t *outlen);
/* The same without the code for one kind of processor (SSSE3), which the
 * other takes when it can: for the tests, which compare the two. */
int vk_base64_decode_portable(uint8_t *out, size_t outmax, const char *in,
    size_t len, size_t *outlen);
/* 1 when each of the n characters at s is one of the 64 of base64 (not
 * '='), else 0.  Time depends on n only. */
int vk_base64_alphabet(const char *s, size_t n);
/*
 * Encode len bytes, with '=' padding when pad (else without, as
 * fingerprints are), and a NUL: out has room for
 * sodium_base64_ENCODED_LEN(len, the variant).  The same text as
 * sodium_bin2base64(), and no branch or lookup on the bytes either.
 * Returns its length.
 */
size_t vk_base64_encode(char *out, const uint8_t *in, size_t len, int pad);

/* cpus.c: the processors this process may run on (its CPU affinity, or
 * else all online), between 1 and max. */
int vk_cpus(int max);

struct vk_memo;

/*
 * memo.c: outcomes remembered by the exact bytes they were computed from,
 * in 2^set_bits sets of 4 entries (a new entry replaces the least
 * recently used of its set).  A memo is one thread's: it takes no lock.
 * NULL is a memo that remembers nothing.  With drop, the values are owned
 * (pointers, say): the memo calls drop on each value it lets go of,
 * including one it could not store.
 */
int vk_memo_new(struct vk_memo **memo, unsigned set_bits,
    void (*drop)(uint64_t));
void vk_memo_free(struct vk_memo *memo);
/* 1 and *value when key was remembered, else 0. */
int vk_memo_get(struct vk_memo *memo, const void *key, size_t len,
    uint64_t *value);
/* Remember value for key (silently not, when memory is short). */
void vk_memo_put(struct vk_memo *memo, const void *key, size_t len,
    uint64_t value);

/*
 * memo.c: a memo of decoded keys, by the exact base64 they were decoded
 * from (each value a vhkey, freed when the memo lets it go).  Key data
 * longer than VK_KEY_MEMO_MAX_B64 (an RSA-4096 key's) is not remembered,
 * so that a thread's memo stays below 1 MB whatever the keys.
 */
#define VK_KEY_MEMO_MAX_B64 1024
int vk_key_memo_new(struct vk_memo **memo);

/* policy.c: the defaults of vhkey_policy_new(). */
extern const struct vhkey_policy vk_policy_defaults;

/* error.c: recording a failure in a vhkey_error */
void vk_error_set(vhkey_error *err, int status, int sys_errno,
    const char *path);
int vk_status_from_errno(int e);
/* Fail with a status (recorded in err with no errno), or with the status
 * for errno (recorded, errno kept). */
int vk_fail(vhkey_error *err, int status, const char *path);
int vk_fail_errno(vhkey_error *err, const char *path);

#endif
