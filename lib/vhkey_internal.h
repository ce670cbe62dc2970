/*
 * vhkey_internal.h - what the library's files share and callers never see.
 *
 * Where each concern lives (README.md, "Layout", has the same map):
 *
 * core		error.c (statuses, vhkey_error), init.c, cpus.c, buf.c,
 *		base64.c + lanes.h, chars.h, escape.c, key.c (the key
 *		object), fingerprint.c, policy.c, memo.c, rotation.c (stamps,
 *		vhkey_rotation_eval, no clock)
 * formats	pubkey.c (authorized_keys line), openssh.c (openssh-key-v1),
 *		pem.c, rsa.c, ecdsa.c, ed25519.c; strength.c + wordmod.c +
 *		primes.c (is n breakable); rsagen.c + primesieve.c (the prime
 *		race, worker threads); generate.c (options)
 * checking	report.c (+ JSON), age.c (rotation in words), keypolicy.c (a
 *		key against a policy), classify.c + check.h, the paste
 *		(paste.h: paste.c, authline.c, options.c, block.c,
 *		lookalike.c, verdict.c, aswritten.c), keylist.c (a file of
 *		keys, worker threads), checkfile.c, privfile.c (a private
 *		key file: 0600 decided here), keyread.c, keywrite.c +
 *		keyfile.h (written atomically: a pair, or one file),
 *		keyrotate.c, repair.c (a keys file copied repaired)
 */
#ifndef VHKEY_INTERNAL_H
#define VHKEY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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

/* A list of strings a report owns. */
struct vk_strlist {
	char **items;
	size_t count;
};

/* One problem a check found. */
struct vk_finding {
	int reason;
	char *message;
	char *fix; /* a shell command, or NULL */
};

struct vhkey_report {
	vhkey_verdict verdict;
	int reason;
	char *message; /* never NULL once built */
	struct vk_strlist warnings;
	struct vk_strlist repairs;
	vhkey *key; /* public part only */
	char *key_line; /* the normalised authorized_keys line */
	struct vk_finding *findings; /* most important first */
	size_t nfindings;
	int has_rotation; /* rotation below is set */
	vhkey_rotation rotation;
	int created_estimated; /* rotation.created is a file's mtime */
	char *file;	/* where the key was read, or NULL */
	unsigned long line;
	unsigned long last_line; /* of the file: a block's END line */
	int as_written;		 /* 1, 0, or -1: does not apply */
	int encrypted;		 /* a private key file: 1, 0; -1 */
	char *repaired_line;	 /* what to store instead, or NULL */
	vhkey_subject subject;	 /* what it is about */
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
/* The same with the message made of the strings given, one after the
 * other up to a NULL (at most VK_JOIN_MAX of them: more are left out):
 * for a message made per line, where printf's cost would show. */
#define VK_JOIN_MAX 16
int vk_report_accept_join(vhkey_report *r, ...) __attribute__((sentinel));
/* "Accepted: 4096-bit RSA key SHA256:... (comment).": the key's fingerprint
 * kept (vk_key_keep_fingerprint()) before. */
int vk_report_accept_key(vhkey_report *r, const vhkey *key);
int vk_report_warn(vhkey_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vk_report_repair(vhkey_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keep (a public copy of) the key and its normalised line. */
int vk_report_set_key(vhkey_report *r, const vhkey *key);
/*
 * The same, taking the key itself, which holds no private part: *keyp is
 * NULL afterwards.  b64 (may be NULL) is the key data as the checked text
 * holds it, which saves encoding the blob again when it is the blob's
 * encoding.
 */
int vk_report_take_key(vhkey_report *r, vhkey **keyp, const char *b64,
    size_t b64len);
/* Say what the report is about: one call where each report is made. */
void vk_report_set_subject(vhkey_report *r, vhkey_subject subject);
/* Name the file and line the report is about (they go first in JSON). */
int vk_report_set_location(vhkey_report *r, const char *file,
    unsigned long line);
/*
 * Would sshd read the text checked as written (1), or only the repaired
 * line (0)?  repaired (copied; NULL for none) is the line to store
 * instead, for a key that passes every other check.
 */
int vk_report_set_as_written(vhkey_report *r, int as_written,
    const char *repaired);
/* Is the private key file the report is about protected by a passphrase
 * (1) or not (0)? */
void vk_report_set_encrypted(vhkey_report *r, int encrypted);
/* JSON string escaping into a writer (quotes included); NULL gives null. */
int vk_json_string(vk_writer *w, const char *s);
/* The rotation verdict on the report's key (created is an estimate, the
 * file's mtime, when estimated). */
void vk_report_set_rotation(vhkey_report *r, const vhkey_rotation *rot,
    int estimated);
/*
 * Add a problem (fix: a shell command, or NULL).  Findings stay ordered
 * from the most important reason down; when this one outranks the
 * report's reason, or the report was accepted, the report is rejected with
 * its reason and message.
 */
int vk_report_add_finding(vhkey_report *r, int reason, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * age.c: the rotation check for a key whose comment may carry a creation stamp
 * (a .pub file or pasted text): nothing when there is no stamp, a warning
 * for a malformed one, else the verdict recorded and, when overdue, a
 * VHKEY_REASON_ROTATION_OVERDUE finding.  policy NULL: the defaults.
 * Returns VHKEY_OK or VHKEY_ERR_NOMEM.
 */
int vk_report_add_rotation(vhkey_report *r, const vhkey *key,
    const vhkey_policy *policy, time_t now);
/* The length of the valid UTF-8 sequence at s (at most n bytes, n > 0),
 * and its code point in *code (may be NULL); 0 when there is none. */
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

/* fingerprint.c: work out the SHA-256 fingerprint now, and keep it in the
 * key for vhkey_fingerprint().  The digest is policy's (may be NULL), which
 * saves fetching one.  VHKEY_OK or VHKEY_ERR_CRYPTO. */
int vk_key_keep_fingerprint(vhkey *key, const vhkey_policy *policy);

/* pubkey.c: vhkey_public_to_line(), but with the key data b64[0, b64len)
 * when that is the blob's encoding (b64 may be NULL). */
int vk_key_line(const vhkey *key, const char *b64, size_t b64len,
    char **out);

/* key.c */
/* A new key holding only the public part of key: its numbers, blob,
 * comment and kept fingerprint copied, nothing decoded again. */
int vk_key_public_copy(const vhkey *key, vhkey **out);
vhkey *vk_key_new(vhkey_type type);
/* Take the public blob from the key's numbers (the key keeps a copy). */
int vk_key_set_blob(vhkey *key);
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
/*
 * Decode a public blob of any type vhkey_type names; the blob must be
 * canonical and complete.  VHKEY_ERR_KEY_TYPE for other types (ssh-dss,
 * certificates, unknown names); VHKEY_ERR_FORMAT or VHKEY_ERR_KEY_CHECK
 * (an ECDSA point off its curve) for a blob that is not a valid key.
 */
int vk_key_from_blob(const uint8_t *blob, size_t len, vhkey **out);
/* The type with SSH name name[0..len), or VHKEY_TYPE_UNKNOWN. */
vhkey_type vk_type_from_name(const char *name, size_t len);

/* rotation.c: n decimal digits at s (n small enough not to overflow a
 * long), or -1. */
long vk_digits(const char *s, size_t n);

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

/* primes.c: the odd primes below 2^16, ascending. */
#define VK_SMALL_PRIMES 6541
extern const uint16_t vk_small_primes[VK_SMALL_PRIMES];

/* cpus.c: the processors this process may run on (its CPU affinity, or
 * else all online), between 1 and max. */
int vk_cpus(int max);

struct vk_memo;

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
 * keypolicy.c: check a public key against the policy: its type allowed, for RSA the
 * minimum size and the weak-key tests (e odd, at least 3 and within
 * OpenSSL's and FIPS 186's bounds, vk_rsa_weakness(), vk_rsa_wiener()),
 * for Ed25519 the point (vk_ed25519_point(): small order is weak, other
 * invalid points malformed).  A key that fails is rejected in report
 * (VHKEY_REASON_UNSUPPORTED_TYPE or VHKEY_REASON_WEAK_KEY, with a message
 * that says what to do); a key that passes leaves report as it was.  The
 * weak-key tests' outcome is remembered in memo (which may be NULL), by
 * the key's public blob.
 * Returns VHKEY_OK when the checks ran (whatever their verdict),
 * VHKEY_ERR_NOMEM or VHKEY_ERR_CRYPTO.
 */
int vk_check_key_policy(const vhkey *key, const vhkey_policy *policy,
    vhkey_report *report, struct vk_memo *memo);

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
void vk_rsa_clear(struct vk_rsa *rsa);

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

/* policy.c: the defaults of vhkey_policy_new(). */
extern const struct vhkey_policy vk_policy_defaults;

/* rotation.c */
/* The creation stamp in a comment: VHKEY_OK, VHKEY_ERR_NO_STAMP or
 * VHKEY_ERR_FORMAT (see vhkey_created_time()). */
int vk_stamp_find(const char *comment, time_t *created);
/*
 * age.c: evaluate and record the age verdict of a key created at created (an
 * estimate when estimated): warnings for a future creation time, an
 * estimate and due soon, a finding when overdue.  path is the key file,
 * for messages and the fix, or NULL when there is no file.
 * Returns VHKEY_OK or VHKEY_ERR_NOMEM.
 */
int vk_rotation_record(vhkey_report *r, time_t created, int estimated,
    time_t now, const vhkey_policy *policy, const char *path);
/* escape.c: s as one operand for a POSIX shell: single-quoted, and "./" put before
 * a relative path that starts with '-'; $'...' (vk_ansi_c_quote()) when it
 * holds what a terminal acts on, so that the fix is exact and safe to
 * print.  NULL when out of memory. */
char *vk_shell_quote(const char *s);

/* privfile.c: 1 when path is a regular file that starts (after a BOM or
 * white space) as a private key of a kind we know does, else 0. */
int vk_private_key_file(const char *path);

/* error.c: recording a failure in a vhkey_error */
void vk_error_set(vhkey_error *err, int status, int sys_errno,
    const char *path);
int vk_status_from_errno(int e);
/* Fail with a status (recorded in err with no errno), or with the status
 * for errno (recorded, errno kept). */
int vk_fail(vhkey_error *err, int status, const char *path);
int vk_fail_errno(vhkey_error *err, const char *path);

/* keyread.c */
/*
 * Read an open key file of the given size (from fstat) whole, at most
 * VHKEY_FILE_MAX bytes, into guarded memory when secret (release with
 * vk_secret_release()) or malloc'd memory; NUL-terminated.  errno is set
 * on VHKEY_ERR_IO.  Returns VHKEY_OK, VHKEY_ERR_TOO_LARGE,
 * VHKEY_ERR_NOMEM or VHKEY_ERR_IO.
 */
int vk_read_fd(int fd, off_t size, int secret, char **out, size_t *outlen);
/*
 * Open path (following a link, never blocking on a FIFO), check that it is
 * a regular file (and with VK_READ_OWN, the caller's) and read it whole
 * with vk_read_fd() (VK_READ_SECRET: into guarded memory).  When fdp is not
 * NULL, the file is left open in *fdp, with its fstat() in *stp, on
 * success.  Returns VHKEY_OK or a status for err (VHKEY_ERR_OWNER among
 * them).
 */
#define VK_READ_SECRET 0x1u
#define VK_READ_OWN 0x2u
struct stat;
int vk_read_key_file(const char *path, unsigned how, int *fdp,
    struct stat *stp, char **out, size_t *outlen, vhkey_error *err);

#endif
