/*
 * vhkey.h - libvhkey, SSH keys for reaching running ML jobs.
 *
 * Conventions, written down once for the whole API:
 *
 *  - Every exported name starts with vhkey_ or VHKEY_.  Types are opaque.
 *  - A fallible call returns an int status: VHKEY_OK (0) or one of the
 *    VHKEY_ERR_* codes below.  vhkey_strerror() turns a code into a static
 *    English sentence.  The library never prints, never exits and keeps no
 *    global mutable state: any call may be made from any thread, as long as
 *    one object is not modified by two threads at once.
 *  - Results come out through a T **out parameter, which is set to NULL on
 *    entry and assigned only on success.  The caller owns what it receives
 *    and releases it with the matching *_free() call; every *_free() accepts
 *    NULL and wipes whatever secret material the object held.
 *  - Calls that fail on a system call leave errno set to that call's error,
 *    and, when given a vhkey_error, also record it there with the path
 *    concerned (errno is per thread, so this is thread-safe).
 *  - Pointers are never NULL unless a parameter says so.  Lengths are in
 *    bytes.  Text given to the library need not be NUL-terminated when it
 *    comes with a length.
 *  - Every call that can reach libsodium or OpenSSL from arguments of the
 *    caller's own (text, a path, a descriptor) initialises them itself, as
 *    vhkey_init() does; the others take a key, a policy or a report, which
 *    only such calls make.  Calling vhkey_init() first is harmless and
 *    reports a failure early (tests/test_init.c calls each one first).
 */
#ifndef VHKEY_H
#define VHKEY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(VHKEY_BUILDING_LIBRARY)
#define VHKEY_API __attribute__((visibility("default")))
#else
#define VHKEY_API
#endif

#if defined(__GNUC__)
#define VHKEY_NODISCARD __attribute__((warn_unused_result))
#else
#define VHKEY_NODISCARD
#endif

#define VHKEY_VERSION_STRING "0.1.0"

/*
 * Status codes.  The numbers are stable: a code is never renumbered or
 * reused.  X(name, value, message)
 */
#define VHKEY_STATUS_LIST(X)                                                   \
	X(VHKEY_OK, 0, "success")                                              \
	X(VHKEY_ERR_NOMEM, 1, "out of memory")                                 \
	X(VHKEY_ERR_ARGUMENT, 2, "invalid argument")                           \
	X(VHKEY_ERR_INIT, 3, "cryptographic libraries failed to initialise")   \
	X(VHKEY_ERR_CRYPTO, 4, "cryptographic library failure")                \
	X(VHKEY_ERR_BITS, 5,                                                   \
	  "RSA key size must be an even number of bits from 2048 to 16384")    \
	X(VHKEY_ERR_KEY_TYPE, 6, "unsupported key type")                       \
	X(VHKEY_ERR_KEY_CHECK, 7, "key failed its consistency check")          \
	X(VHKEY_ERR_TOO_LARGE, 8, "input too large")                           \
	X(VHKEY_ERR_TRUNCATED, 9, "data truncated")                            \
	X(VHKEY_ERR_FORMAT, 10, "invalid key format")                          \
	X(VHKEY_ERR_BASE64, 11, "invalid base64")                              \
	X(VHKEY_ERR_TRAILING, 12, "unexpected data after the key")             \
	X(VHKEY_ERR_MPINT, 13, "number not in canonical form")                 \
	X(VHKEY_ERR_TYPE_MISMATCH, 14,                                         \
	  "key type name does not match the key data")                         \
	X(VHKEY_ERR_ENCRYPTED, 15,                                             \
	  "passphrase-protected private keys are not supported yet")           \
	X(VHKEY_ERR_CHECKINT, 16,                                              \
	  "private key check integers differ (corrupt key)")                   \
	X(VHKEY_ERR_PADDING, 17, "private key padding is invalid")             \
	X(VHKEY_ERR_PUBLIC_MISMATCH, 18,                                       \
	  "public key does not match the private key")                         \
	X(VHKEY_ERR_NOT_PRIVATE, 19, "not a private key")                      \
	X(VHKEY_ERR_EXISTS, 20, "file already exists")                         \
	X(VHKEY_ERR_SYMLINK, 21, "file is a symbolic link")                    \
	X(VHKEY_ERR_NOT_REGULAR, 22, "not a regular file")                     \
	X(VHKEY_ERR_IO, 23, "input/output error")                              \
	X(VHKEY_ERR_NOSPACE, 24, "no space left on device")                    \
	X(VHKEY_ERR_NOENT, 25, "no such file or directory")                    \
	X(VHKEY_ERR_ACCESS, 26, "permission denied")                           \
	X(VHKEY_ERR_BUFFER, 27, "output buffer too small")                     \
	X(VHKEY_ERR_NO_STAMP, 28, "key comment carries no creation stamp")     \
	X(VHKEY_ERR_OWNER, 29, "file belongs to another user")                 \
	X(VHKEY_ERR_UNSAFE_DIR, 30,                                            \
	  "directory is writable by group or others (and not sticky)")       \
	X(VHKEY_ERR_LINKED, 31, "file has other names (hard links)")

enum vhkey_status {
#define VHKEY_STATUS_ENUM_(name, value, msg) name = value,
	VHKEY_STATUS_LIST(VHKEY_STATUS_ENUM_)
#undef VHKEY_STATUS_ENUM_
};

/* The message for a status; a static string, never NULL (unknown codes get
 * "unknown error"). */
VHKEY_API const char *vhkey_strerror(int status);

/* The code's name as a string, e.g. "VHKEY_ERR_EXISTS"; static, never NULL
 * ("VHKEY_ERR_UNKNOWN", which is no code, for an unknown one). */
VHKEY_API const char *vhkey_status_name(int status);

/*
 * Initialise the cryptographic libraries.  Idempotent and thread-safe.
 * Returns VHKEY_OK or VHKEY_ERR_INIT.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_init(void);

/* The library's version, e.g. "0.1.0". */
VHKEY_API const char *vhkey_version(void);

/*
 * Details of a failure, filled by the calls that take one (NULL is always
 * allowed).  Caller-owned, usually on the stack.
 */
typedef struct vhkey_error {
	int status;      /* the status the call returned */
	int sys_errno;   /* errno of the failing system call, or 0 */
	char path[4096]; /* the file concerned, or "" (truncated if longer) */
} vhkey_error;

/* ------------------------------------------------------------------ keys */

typedef enum vhkey_type {
	VHKEY_TYPE_UNKNOWN = 0,
	VHKEY_TYPE_RSA = 1,	       /* "ssh-rsa" */
	VHKEY_TYPE_ED25519 = 2,	       /* "ssh-ed25519" */
	VHKEY_TYPE_ECDSA_P256 = 3,     /* "ecdsa-sha2-nistp256" */
	VHKEY_TYPE_ECDSA_P384 = 4,     /* "ecdsa-sha2-nistp384" */
	VHKEY_TYPE_ECDSA_P521 = 5,     /* "ecdsa-sha2-nistp521" */
	VHKEY_TYPE_SK_ECDSA_P256 = 6,  /* "sk-ecdsa-sha2-nistp256@openssh.com" */
	VHKEY_TYPE_SK_ED25519 = 7      /* "sk-ssh-ed25519@openssh.com" */
} vhkey_type;
#define VHKEY_TYPE_COUNT 8 /* one more than the largest vhkey_type */

/* A public key, or a key pair.  Opaque. */
typedef struct vhkey vhkey;

#define VHKEY_RSA_DEFAULT_BITS 4096
#define VHKEY_RSA_MIN_BITS 2048
#define VHKEY_RSA_MAX_BITS 16384

/* Longest comment the library stores or writes, in bytes. */
#define VHKEY_COMMENT_MAX 1024

/*
 * Generate a new key pair.
 *   type     VHKEY_TYPE_RSA (the only type this version generates).
 *   bits     modulus size, even; 0 means VHKEY_RSA_DEFAULT_BITS.  (Two
 *            primes of equal size make an odd size impossible to hit
 *            exactly; ssh-keygen silently gives one bit less.)  The modulus has
 *            exactly this many bits, e = 65537, gcd(e, p-1) = gcd(e, q-1) = 1,
 *            |p - q| > 2^(bits/2 - 100), d > 2^(bits/2); p and q each
 *            passed OpenSSL's primality test (BN_check_prime(), at its
 *            default strength) when found, and the pair a consistency
 *            check of all its numbers and a signature round trip.
 *   comment  the key's comment (copied), or NULL for none; at most
 *            VHKEY_COMMENT_MAX bytes, no newline.
 * Returns VHKEY_OK, VHKEY_ERR_KEY_TYPE, VHKEY_ERR_BITS, VHKEY_ERR_ARGUMENT,
 * VHKEY_ERR_INIT, VHKEY_ERR_NOMEM, VHKEY_ERR_CRYPTO or VHKEY_ERR_KEY_CHECK.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_generate(vhkey_type type, unsigned bits,
    const char *comment, vhkey **out);

/*
 * Would vhkey_generate() take this type and size?  The same rule it
 * applies, without the work: a cheap check before anything else is done
 * (bits 0 means VHKEY_RSA_DEFAULT_BITS, as there).
 * Returns VHKEY_OK, VHKEY_ERR_KEY_TYPE (a type this version does not
 * generate) or VHKEY_ERR_BITS (RSA: not an even number from
 * VHKEY_RSA_MIN_BITS to VHKEY_RSA_MAX_BITS).
 */
VHKEY_API VHKEY_NODISCARD int vhkey_generate_check(vhkey_type type,
    unsigned bits);

/* Free a key, wiping its private part.  NULL is a no-op. */
VHKEY_API void vhkey_free(vhkey *key);

/* Facts about a key.  vhkey_get_comment() returns "" when there is none; the
 * string lives as long as the key. */
VHKEY_API vhkey_type vhkey_get_type(const vhkey *key);
VHKEY_API unsigned vhkey_get_bits(const vhkey *key);
VHKEY_API const char *vhkey_get_comment(const vhkey *key);
VHKEY_API int vhkey_has_private(const vhkey *key);

/* Replace the comment (NULL clears it).  VHKEY_ERR_ARGUMENT for a comment
 * that is too long or holds a line break (CR or LF); VHKEY_ERR_NOMEM. */
VHKEY_API VHKEY_NODISCARD int vhkey_set_comment(vhkey *key,
    const char *comment);

/* The SSH name of a type ("ssh-rsa") and the label ssh-keygen -l prints
 * ("RSA", "ED25519", "ECDSA", "ECDSA-SK", "ED25519-SK").  Static strings;
 * "unknown" for an unknown type. */
VHKEY_API const char *vhkey_type_name(vhkey_type type);
VHKEY_API const char *vhkey_type_label(vhkey_type type);

/* The key's public blob in SSH wire format (RFC 4253 6.6).  The pointer
 * lives as long as the key. */
VHKEY_API const uint8_t *vhkey_public_blob(const vhkey *key, size_t *len);

/* 1 when both keys have the same public part, 0 otherwise. */
VHKEY_API int vhkey_public_equal(const vhkey *a, const vhkey *b);

/* ---------------------------------------------------------- fingerprints */

typedef enum vhkey_hash {
	VHKEY_HASH_SHA256 = 0, /* "SHA256:" + unpadded base64 */
	VHKEY_HASH_MD5 = 1     /* "MD5:" + colon-separated lowercase hex */
} vhkey_hash;

/* Room for any fingerprint string, with its NUL. */
#define VHKEY_FINGERPRINT_MAX 64

/*
 * Write the key's fingerprint, as ssh-keygen -l prints it, into buf.
 * Returns VHKEY_OK, VHKEY_ERR_ARGUMENT (unknown hash), VHKEY_ERR_BUFFER or
 * VHKEY_ERR_CRYPTO.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_fingerprint(const vhkey *key,
    vhkey_hash hash, char *buf, size_t buflen);

/* ------------------------------------------------------- encode / decode */

/*
 * The public key as one authorized_keys line, "ssh-rsa AAAA... comment",
 * without a newline (no comment: "ssh-rsa AAAA...").  *out is a
 * NUL-terminated string the caller frees with free().
 * Returns VHKEY_OK or VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_public_to_line(const vhkey *key,
    char **out);

/*
 * The private key in OpenSSH's own unencrypted openssh-key-v1 format,
 * armored as ssh-keygen writes it.  *out is NUL-terminated, *outlen (may be
 * NULL) its length.  The caller frees it with vhkey_secret_free(), which
 * wipes it.  Returns VHKEY_OK, VHKEY_ERR_ARGUMENT, VHKEY_ERR_NOT_PRIVATE
 * (a public key), VHKEY_ERR_NOMEM or VHKEY_ERR_CRYPTO.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_private_to_openssh(const vhkey *key,
    char **out, size_t *outlen);

/* Wipe and free a secret returned by the library.  NULL is a no-op. */
VHKEY_API void vhkey_secret_free(char *secret);

/*
 * Parse one public key line "TYPE BASE64 [comment]" (a single trailing
 * newline is allowed) of any type vhkey_type names, strictly: the type name
 * must match the blob, the blob must be canonical and hold nothing more.
 * An Ed25519 key is 32 bytes; an ECDSA key names its type's curve, and
 * its point is uncompressed and a valid point of that curve, checked as
 * OpenSSH checks it.  ssh-dss keys, certificates and unknown types are
 * refused.  (For text pasted by people, see vhkey_check_paste().)
 * Returns VHKEY_OK, VHKEY_ERR_FORMAT, VHKEY_ERR_BASE64, VHKEY_ERR_TRUNCATED,
 * VHKEY_ERR_TRAILING, VHKEY_ERR_MPINT, VHKEY_ERR_TYPE_MISMATCH,
 * VHKEY_ERR_KEY_TYPE, VHKEY_ERR_KEY_CHECK (an ECDSA point that is not a
 * valid point of its curve), VHKEY_ERR_TOO_LARGE, VHKEY_ERR_INIT or
 * VHKEY_ERR_NOMEM.  The key data is decoded by the same strict decoder as
 * in vhkey_check_paste(): only the 64 characters of base64 and padding.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_parse_public(const void *text,
    size_t len, vhkey **out);

/*
 * Parse an unencrypted OpenSSH private key (openssh-key-v1, RSA, Ed25519
 * or ECDSA), strictly: armor as OpenSSH reads it (the text starts with the
 * BEGIN line; BEGIN and END lines end with LF, not CR LF; white space in
 * the base64 is skipped), magic, cipher and kdf "none", one key, equal
 * check integers, the public blob equal to the private key's public part,
 * padding 1, 2, 3, ..., no trailing bytes, and a full consistency check of
 * the key (RSA: the numbers; Ed25519: the seed gives the public key;
 * ECDSA: d gives Q).  An Ed25519 or ECDSA key's secret is checked, not
 * kept: vhkey_has_private() is 0 for it.  An encrypted key is VHKEY_ERR_ENCRYPTED when its cipher is one
 * OpenSSH knows and its KDF is bcrypt with 1 to 2048 rounds and a salt of
 * 1 to 64 bytes, else VHKEY_ERR_FORMAT.  A private key of another type
 * gives VHKEY_ERR_KEY_TYPE.
 * Returns VHKEY_OK, VHKEY_ERR_ENCRYPTED, VHKEY_ERR_CHECKINT,
 * VHKEY_ERR_PADDING, VHKEY_ERR_PUBLIC_MISMATCH, VHKEY_ERR_KEY_CHECK, or
 * the errors of vhkey_parse_public().
 */
VHKEY_API VHKEY_NODISCARD int vhkey_parse_private(const void *text,
    size_t len, vhkey **out);

/* --------------------------------------------------------------- files */

/* Largest key file the library reads. */
#define VHKEY_FILE_MAX (64 * 1024)

/*
 * Read a key file: the private key (openssh-key-v1) or the public key
 * (one line).  A symbolic link is followed, as ssh does.  The file must be
 * a regular file of at most VHKEY_FILE_MAX bytes.  err may be NULL.
 * Returns the parse errors, or VHKEY_ERR_ARGUMENT, VHKEY_ERR_INIT,
 * VHKEY_ERR_NOENT, VHKEY_ERR_ACCESS, VHKEY_ERR_NOT_REGULAR,
 * VHKEY_ERR_SYMLINK (too many levels of links), VHKEY_ERR_TOO_LARGE,
 * VHKEY_ERR_NOMEM or VHKEY_ERR_IO.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_load_private_file(const char *path,
    vhkey **out, vhkey_error *err);
VHKEY_API VHKEY_NODISCARD int vhkey_load_public_file(const char *path,
    vhkey **out, vhkey_error *err);

/* Flags for vhkey_write_pair(). */
#define VHKEY_WRITE_REPLACE 0x1u /* replace an existing pair (or symlinks
                                    at the target names, never followed) */

/*
 * Write the key pair to path (private, mode 0600) and path.pub (public
 * line, mode 0644).  Each file is created under a temporary name in the
 * same directory with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 from the first
 * byte (whatever the umask), written and fsync'd; the public one then gets
 * mode 0644; each is moved to its name and the directory is fsync'd last.
 * A crash leaves at most temporary files ".vhkey-tmp-*" of mode 0600, and
 * between the two moves the private key without its .pub.  Without VHKEY_WRITE_REPLACE an
 * existing file or symbolic link at either name is refused, and the move
 * cannot clobber one created meanwhile.  With it, the files (or links) at
 * the names are replaced, never written through.  On failure the
 * directory is left as it was: no temporary file, no new file at either
 * name, and a replaced file put back.
 * Returns VHKEY_OK, VHKEY_ERR_NOT_PRIVATE, VHKEY_ERR_ARGUMENT,
 * VHKEY_ERR_EXISTS, VHKEY_ERR_SYMLINK, VHKEY_ERR_NOT_REGULAR (a directory
 * at a name), VHKEY_ERR_UNSAFE_DIR (a directory others may write to,
 * without the sticky bit), VHKEY_ERR_NOENT, VHKEY_ERR_ACCESS, VHKEY_ERR_NOSPACE,
 * VHKEY_ERR_IO, VHKEY_ERR_NOMEM or VHKEY_ERR_CRYPTO; err (may be NULL)
 * names the file concerned.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_write_pair(const vhkey *key,
    const char *path, unsigned flags, vhkey_error *err);

/*
 * Would vhkey_write_pair() refuse these names?  Checks, without writing,
 * that the directory can be opened and that neither path nor path.pub is
 * in the way (as flags allow).  A cheap check before the slow key
 * generation; vhkey_write_pair() checks again, atomically.
 * Returns VHKEY_OK or the vhkey_write_pair() errors about names.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_write_pair_check(const char *path,
    unsigned flags, vhkey_error *err);

/*
 * Replace the key pair at path (and path.pub) with newkey, keeping the old
 * pair under a dated backup name:
 *
 *     PATH.old-YYYYMMDDTHHMMSSZ       the old private key
 *     PATH.old-YYYYMMDDTHHMMSSZ.pub   the old public key (when PATH.pub was
 *                                     there)
 *
 * with now (UTC) as the date, and "-2", "-3", ... appended to the name
 * when a backup of that second exists already (nothing is overwritten).
 * The backups are hard links to the old files, made before anything is
 * replaced, so the old pair is never copied and at every moment path holds
 * a whole key, old or new; the backup name of the private key is checked to
 * be the very file that was read and checked, and it keeps no group or
 * other permission bits (they are cleared when it had any).  The new pair is
 * written as vhkey_write_pair() writes it.  path must be a regular file
 * owned by the caller, not a symbolic link (rotate the file a link points
 * to); path.pub may be missing, but not a symbolic link or a directory.
 * On failure nothing has changed, but for an old private key with group or
 * other bits, which may have lost them.
 *   newkey          the new pair (private part required).
 *   backup_out      may be NULL; else set to the backup path of the private
 *                   key (path + ".old-..."); the public backup, when there
 *                   is one, is that + ".pub".  Caller frees with free().
 *   old_key_out     may be NULL; else set to the public part of the old key
 *                   (with its comment), read from the old private key, or,
 *                   when that cannot be read whole (passphrase-protected or
 *                   a type whose private part this library does not read),
 *                   from the old path.pub when it holds the same key, else
 *                   from the private key's public part.  Caller frees with
 *                   vhkey_free().
 * Both outputs are set only on success.  The file system must support hard
 * links.
 * Returns VHKEY_OK, VHKEY_ERR_NOENT (no pair to rotate, or no directory),
 * VHKEY_ERR_SYMLINK, VHKEY_ERR_NOT_REGULAR, VHKEY_ERR_OWNER,
 * VHKEY_ERR_LINKED (path or path.pub has another name),
 * VHKEY_ERR_NOT_PRIVATE (path holds no OpenSSH private key),
 * VHKEY_ERR_KEY_TYPE (newkey is of another type than the old key), or the
 * errors of vhkey_write_pair(); err (may be NULL) names the file concerned.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_rotate_pair(const vhkey *newkey,
    const char *path, time_t now, char **backup_out, vhkey **old_key_out,
    vhkey_error *err);

/*
 * Would vhkey_rotate_pair() refuse path?  The same checks, without
 * writing: a cheap check before the slow key generation.  When old_key_out
 * is not NULL it receives the old key as vhkey_rotate_pair() gives it (so a
 * caller can keep its comment and type).
 * Returns VHKEY_OK or the vhkey_rotate_pair() errors about names and the
 * old key (not VHKEY_ERR_KEY_TYPE: the new key's type is not known here).
 */
VHKEY_API VHKEY_NODISCARD int vhkey_rotate_pair_check(const char *path,
    vhkey **old_key_out, vhkey_error *err);

/* -------------------------------------------------------------- policy */

/*
 * What a checker accepts, and when a key is due for rotation.  A policy is
 * read-only while checks use it, so one policy may serve many threads.
 * It also holds what the checks under it hash fingerprints with, so many
 * checks go quicker under one policy than each under a new one (or NULL).
 */
typedef struct vhkey_policy vhkey_policy;

#define VHKEY_POLICY_MIN_RSA_BITS 2048 /* default minimum RSA size */
#define VHKEY_POLICY_MAX_AGE_DAYS 90   /* default rotation period */
#define VHKEY_POLICY_WARN_DAYS 14      /* default warning window */
#define VHKEY_POLICY_RSA_BITS_LOWEST 1024 /* least minimum RSA size */
#define VHKEY_POLICY_MAX_AGE_LIMIT 36500  /* longest rotation period */

/*
 * A new policy with the defaults: RSA of at least 2048 bits, Ed25519,
 * ECDSA P-256/384/521 and their security-key (sk-) variants allowed;
 * rotation after 90 days, a warning 14 days before.
 * Returns VHKEY_OK, VHKEY_ERR_ARGUMENT (out NULL), VHKEY_ERR_INIT or
 * VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_policy_new(vhkey_policy **out);
VHKEY_API void vhkey_policy_free(vhkey_policy *policy);

/* Smallest RSA modulus accepted, VHKEY_POLICY_RSA_BITS_LOWEST (1024) to
 * VHKEY_RSA_MAX_BITS (16384).  VHKEY_ERR_ARGUMENT outside that range. */
VHKEY_API VHKEY_NODISCARD int vhkey_policy_set_min_rsa_bits(
    vhkey_policy *policy, unsigned bits);
VHKEY_API unsigned vhkey_policy_get_min_rsa_bits(const vhkey_policy *policy);

/* Allow (1) or refuse (0) a key type.  VHKEY_ERR_ARGUMENT for
 * VHKEY_TYPE_UNKNOWN or a value outside vhkey_type. */
VHKEY_API VHKEY_NODISCARD int vhkey_policy_allow_type(vhkey_policy *policy,
    vhkey_type type, int allow);
VHKEY_API int vhkey_policy_type_allowed(const vhkey_policy *policy,
    vhkey_type type);

/* Rotation: a key is overdue max_age_days after it was made, and due soon
 * warn_days before that.  max_age_days 1 to VHKEY_POLICY_MAX_AGE_LIMIT
 * (36500), warn_days below max_age_days; VHKEY_ERR_ARGUMENT otherwise. */
VHKEY_API VHKEY_NODISCARD int vhkey_policy_set_rotation(vhkey_policy *policy,
    unsigned max_age_days, unsigned warn_days);

/*
 * Set only the rotation period, keeping the policy's warning window when it
 * is shorter than max_age_days: a period shorter than the window narrows
 * the window to max_age_days - 1 days (a key is never due soon from the day
 * it is made).  max_age_days 1 to VHKEY_POLICY_MAX_AGE_LIMIT.  On failure
 * the policy is unchanged.
 * Returns VHKEY_OK or VHKEY_ERR_ARGUMENT (policy NULL, or max_age_days out
 * of range).
 */
VHKEY_API VHKEY_NODISCARD int vhkey_policy_set_max_age(vhkey_policy *policy,
    unsigned max_age_days);
VHKEY_API unsigned vhkey_policy_get_max_age_days(const vhkey_policy *policy);
VHKEY_API unsigned vhkey_policy_get_warn_days(const vhkey_policy *policy);

/*
 * The environment variable the tools read a rotation policy from, as
 * "MAX_AGE_DAYS" or "MAX_AGE_DAYS,WARN_DAYS" (e.g. VHKEY_ROTATION=90,14).
 * The library never reads the environment itself: a caller passes the value
 * to vhkey_policy_parse_rotation().
 */
#define VHKEY_ROTATION_ENV "VHKEY_ROTATION"

/*
 * Set the rotation policy from text "MAX" or "MAX,WARN": decimal days, no
 * sign, no spaces, at most 5 digits each.  Without WARN the warning window
 * is VHKEY_POLICY_WARN_DAYS, or MAX - 1 when that is smaller.  The limits
 * of vhkey_policy_set_rotation() apply.  On failure the policy is
 * unchanged.  Returns VHKEY_OK or VHKEY_ERR_ARGUMENT.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_policy_parse_rotation(
    vhkey_policy *policy, const char *value);

/* ------------------------------------------------------ key age, rotation */

/*
 * Creation stamp.  A key made by vhkeygen carries the time it was made in
 * its comment, as the last word:
 *
 *     alice@laptop vhkey-created=2026-11-28T16:20:00Z
 *
 * "vhkey-created=" and the UTC time in exactly this ISO 8601 form (20
 * characters, 'T' and 'Z' upper case, no fraction, no offset), years 1970 to
 * 9999.  The comment travels in both files of the pair and in the pasted
 * public line, so the age survives cp, scp and pasting; OpenSSH treats the
 * comment as opaque text, so the key works everywhere.  (ssh-keygen -c, which
 * rewrites the comment, drops it; the age then falls back to an estimate.)
 */
#define VHKEY_STAMP_PREFIX "vhkey-created="

/* Room for a time as VHKEY_STAMP_PREFIX writes it, with its NUL. */
#define VHKEY_TIME_MAX 21

/*
 * The creation time in the key's comment.  The stamp is one word
 * (separated by spaces or tabs) starting with VHKEY_STAMP_PREFIX; it is
 * parsed strictly and must be the only such word.  *created is set only
 * on success.
 * Returns VHKEY_OK, VHKEY_ERR_NO_STAMP (no such word: a key made
 * elsewhere) or VHKEY_ERR_FORMAT (a stamp that is malformed, out of range,
 * or given twice).
 */
VHKEY_API VHKEY_NODISCARD int vhkey_created_time(const vhkey *key,
    time_t *created);

/*
 * A comment carrying the creation stamp for created: comment (NULL or ""
 * for none) without any word that starts with VHKEY_STAMP_PREFIX, then
 * one space (unless it is empty) and the stamp.  *out is NUL-terminated;
 * the caller frees it with free().
 * Returns VHKEY_OK, VHKEY_ERR_ARGUMENT (created outside 1970..9999, or a
 * result longer than VHKEY_COMMENT_MAX or holding a line break) or
 * VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_comment_with_stamp(const char *comment,
    time_t created, char **out);

/*
 * The comment without its creation stamp: comment (NULL or "" for none)
 * with every word that starts with VHKEY_STAMP_PREFIX taken out, as
 * vhkey_comment_with_stamp() does.  *out is NUL-terminated; the caller
 * frees it with free().
 * Returns VHKEY_OK, VHKEY_ERR_ARGUMENT (a comment longer than
 * VHKEY_COMMENT_MAX or holding a line break) or VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_comment_without_stamp(
    const char *comment, char **out);

/*
 * Write t as "2026-11-28T16:20:00Z" (UTC) into buf.  Returns VHKEY_OK,
 * VHKEY_ERR_ARGUMENT (t outside 1970..9999) or VHKEY_ERR_BUFFER (buflen
 * below VHKEY_TIME_MAX).
 */
VHKEY_API VHKEY_NODISCARD int vhkey_format_time(time_t t, char *buf,
    size_t buflen);

typedef enum vhkey_rotation_state {
	VHKEY_ROTATION_OK = 0,	     /* "ok" */
	VHKEY_ROTATION_DUE_SOON = 1, /* "due_soon": inside the warning window */
	VHKEY_ROTATION_OVERDUE = 2   /* "overdue" */
} vhkey_rotation_state;

/* A verdict on a key's age. */
typedef struct vhkey_rotation {
	vhkey_rotation_state state;
	long long age_days; /* whole days since created, 0 if in the future */
	time_t created;	    /* as given */
	time_t due;	    /* created + max_age_days * 86400 */
} vhkey_rotation;

/*
 * The rotation verdict for a key created at created, at time now: overdue
 * from due on, due soon from due - warn_days * 86400 on, else ok.  Pure:
 * no clock, no file, so a server can use its own registration times.  A
 * created time after now (clock skew) counts as age 0, not as an error.
 * Both times, and the due date, must lie in 1970..9999 (UTC).  policy NULL
 * means the defaults.
 * *out is written only on success.
 * Returns VHKEY_OK or VHKEY_ERR_ARGUMENT.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_rotation_eval(time_t created, time_t now,
    const vhkey_policy *policy, vhkey_rotation *out);

/* "ok", "due_soon", "overdue" (as JSON carries them); NULL for other
 * values. */
VHKEY_API const char *vhkey_rotation_name(int state);

/* ----------------------------------------------------- printing safely */

/*
 * Text from outside (a key's comment, a file name, a link target) made safe
 * to print to a terminal, the way ssh-keygen escapes a comment: each byte
 * of a character that a terminal acts on is written as a backslash and
 * three octal digits ("\033" for ESC).  Those are C0 controls (tab and
 * line feed included), DEL, C1 controls (U+0080..U+009F, and the raw bytes
 * 0x80..0x9F), the bidirectional controls U+061C, U+200E, U+200F,
 * U+202A..U+202E and U+2066..U+2069, U+2028 and U+2029, and every byte
 * that is not part of valid UTF-8.  Other characters, é and 日本 among
 * them, are kept.  A backslash is kept too, as ssh-keygen keeps it: so
 * escaping is idempotent, and escaped text escaped again is unchanged.
 *
 * The texts of a report (message, warnings, repairs, findings and their
 * fixes) are escaped already; a comment from vhkey_get_comment() and file
 * names a caller prints itself are not.
 *
 *   dst     where the escaped text goes (may be NULL when dstlen is 0);
 *           always NUL-terminated when dstlen > 0, cut at a character
 *           or escape boundary when too small
 *   src     the text, NUL-terminated
 *   flags   0, or VHKEY_ESCAPE_ASCII to escape every byte above 0x7F as
 *           well, for a terminal that is not in UTF-8 (as ssh-keygen does
 *           in the C locale)
 *
 * Returns the length of the whole escaped text, without the NUL, as
 * snprintf() does: it was cut when the result is dstlen or more.  At most
 * VHKEY_ESCAPE_MAX(strlen(src)) bytes are needed, NUL included.
 */
#define VHKEY_ESCAPE_ASCII 0x1u
#define VHKEY_ESCAPE_MAX(len) (4 * (size_t)(len) + 1)
VHKEY_API size_t vhkey_escape(char *dst, size_t dstlen, const char *src,
    unsigned flags);

/* -------------------------------------------------------------- reports */

/*
 * A report is the outcome of one check, as data: a verdict, a stable
 * reason code, a message for a person, warnings, the repairs applied to
 * the input, and the facts of the key checked.  It never holds a byte of
 * a private key.  Read-only once returned; freed with vhkey_report_free().
 */
typedef struct vhkey_report vhkey_report;

typedef enum vhkey_verdict {
	VHKEY_ACCEPTED = 0,
	VHKEY_REJECTED = 1
} vhkey_verdict;

/*
 * Reasons a check gives.  Numbers and names are stable; the names are
 * what JSON carries.  X(name, value, "json_name")
 */
#define VHKEY_REASON_LIST(X)                                                 \
	X(VHKEY_REASON_NONE, 0, NULL)                                        \
	X(VHKEY_REASON_PRIVATE_KEY, 1, "private_key")                        \
	X(VHKEY_REASON_MALFORMED, 2, "malformed")                            \
	X(VHKEY_REASON_UNSUPPORTED_TYPE, 3, "unsupported_type")              \
	X(VHKEY_REASON_WEAK_KEY, 4, "weak_key")                              \
	X(VHKEY_REASON_TOO_LARGE, 5, "too_large")                            \
	X(VHKEY_REASON_BAD_PERMISSIONS, 6, "bad_permissions")                \
	X(VHKEY_REASON_BAD_OWNER, 7, "bad_owner")                            \
	X(VHKEY_REASON_PAIR_MISMATCH, 8, "pair_mismatch")                    \
	X(VHKEY_REASON_ROTATION_OVERDUE, 9, "rotation_overdue")              \
	X(VHKEY_REASON_IO_ERROR, 10, "io_error")

enum vhkey_reason {
#define VHKEY_REASON_ENUM_(name, value, json) name = value,
	VHKEY_REASON_LIST(VHKEY_REASON_ENUM_)
#undef VHKEY_REASON_ENUM_
};

/* The JSON name of a reason ("private_key"); NULL for VHKEY_REASON_NONE
 * and for unknown values. */
VHKEY_API const char *vhkey_reason_name(int reason);

VHKEY_API void vhkey_report_free(vhkey_report *report);
VHKEY_API vhkey_verdict vhkey_report_verdict(const vhkey_report *report);
/* VHKEY_REASON_NONE when accepted. */
VHKEY_API int vhkey_report_reason(const vhkey_report *report);
/* One or more sentences a person can act on; never NULL.  This and every
 * other text of a report is escaped already (vhkey_escape()). */
VHKEY_API const char *vhkey_report_message(const vhkey_report *report);
VHKEY_API size_t vhkey_report_warning_count(const vhkey_report *report);
/* The i-th warning, or NULL past the end. */
VHKEY_API const char *vhkey_report_warning(const vhkey_report *report,
    size_t i);
VHKEY_API size_t vhkey_report_repair_count(const vhkey_report *report);
VHKEY_API const char *vhkey_report_repair(const vhkey_report *report,
    size_t i);
/* The (public) key the check was about, or NULL when none could be read;
 * it lives as long as the report. */
VHKEY_API const vhkey *vhkey_report_key(const vhkey_report *report);

/*
 * Would sshd use the text checked exactly as given, as a line of its
 * authorized_keys file?  1: yes, the text works as it is (blanks and tabs
 * around and between the fields, CR LF line ends, options in front of the
 * key: sshd reads all of these).  0: no, only the repaired line works: the
 * text holds a byte order mark before the key type, key data broken across
 * lines or by spaces, a non-breaking space, zero-width character or CR in
 * or between the type and the key data, or it is an armored block (RFC
 * 4716, PEM), which sshd does not read; or the options in front of the
 * key are ones sshd refuses the line for (a value not in double quotes or
 * not of the option's form, an expiry-time passed, cert-authority or
 * principals=, command= or from= twice: the line without them works).
 * from= is not judged: it only says where a login may come from.
 * Which repairs sshd takes was
 * checked against the real sshd 9.2 (see lib/paste.c).  -1: it does not
 * apply, as no public key was read from a text (a rejection before the
 * key, a private key file's report).
 * vhkey_check_paste() accepts a key whatever this says (the server stores
 * the repaired line); vhkey_check_keys_file() rejects a line or block that
 * sshd would not read as written (VHKEY_REASON_MALFORMED, the message
 * starting "sshd will not read this line as written" and ending with the
 * repaired line).
 */
VHKEY_API int vhkey_report_as_written(const vhkey_report *report);

/*
 * The line to store instead of the text, when sshd would not read the text
 * as written (vhkey_report_as_written() 0) and the key passes every other
 * check; NULL otherwise.  From vhkey_check_paste() it is the normalised
 * line ("key" in the JSON); from vhkey_check_keys_file() the
 * authorized_keys options as the line gives them, a space, and the
 * normalised line.  No newline; it lives as long as the report.
 */
VHKEY_API const char *vhkey_report_repaired_line(const vhkey_report *report);

/*
 * The last line of the file the report is about: its own line for a key
 * on one line, the END line for an armored block (which starts at the
 * line given to the vhkey_check_fn).  0 for a report not about lines of a
 * file.
 */
VHKEY_API unsigned long vhkey_report_last_line(const vhkey_report *report);

/* What a report is about, so that a caller need not guess it from the
 * line number or from which call made it. */
typedef enum vhkey_subject {
	VHKEY_SUBJECT_PASTE = 0,	/* a pasted text (vhkey_check_paste(),
					   vhkey_check_paste_fd()) */
	VHKEY_SUBJECT_KEY_LINE = 1,	/* a line, or an armored block, of a
					   file of public keys (its first line
					   is the one the vhkey_check_fn gets) */
	VHKEY_SUBJECT_KEYS_FILE = 2,	/* a file of public keys as a whole:
					   one that holds no key */
	VHKEY_SUBJECT_PRIVATE_FILE = 3	/* a private key file, checked as ssh
					   uses it (vhkey_check_private_file()) */
} vhkey_subject;

/* What the report is about (above); a report made by this library always
 * says, so no other answer is given. */
VHKEY_API vhkey_subject vhkey_report_subject(const vhkey_report *report);

/*
 * Findings: every problem a check found, most important first, each with
 * its reason, a message naming what is wrong, and the exact fix (a shell
 * command) or NULL when there is none.  The report's reason and message are
 * those of the most important problem.  A check that stops at its first
 * problem lists no findings (count 0).  Past the end: VHKEY_REASON_NONE and
 * NULL.
 */
VHKEY_API size_t vhkey_report_finding_count(const vhkey_report *report);
VHKEY_API int vhkey_report_finding_reason(const vhkey_report *report,
    size_t i);
VHKEY_API const char *vhkey_report_finding_message(
    const vhkey_report *report, size_t i);
VHKEY_API const char *vhkey_report_finding_fix(const vhkey_report *report,
    size_t i);

/*
 * The key's age verdict, when the check could date the key (a creation
 * stamp, or for a private key file its modification time); NULL
 * otherwise.  It lives as long as the report.
 */
VHKEY_API const vhkey_rotation *vhkey_report_rotation(
    const vhkey_report *report);
/* 1 when the creation time is an estimate (the file's modification time,
 * for a key without a creation stamp), else 0. */
VHKEY_API int vhkey_report_created_estimated(const vhkey_report *report);

/*
 * The report as one JSON object on one line (no newline), with at least:
 * verdict ("accepted"/"rejected"), reason (name or null), type, bits,
 * fingerprint (SHA256:...), fingerprint_md5, comment, key (the normalised
 * authorized_keys line), message, warnings [..], repairs [..], as_written
 * (true, false, or null where it does not apply: see
 * vhkey_report_as_written()) (null for what is unknown); then rotation ("ok", "due_soon", "overdue" or null),
 * age_days (a number or null), created and due ("2026-11-28T16:20:00Z" or
 * null), created_estimated (true or false) and findings
 * [{"reason":..,"message":..,"fix":.. or null}, ..].  A report from
 * vhkey_check_keys_file() starts with file and line.  Strings are valid
 * UTF-8 and safe to print: what vhkey_escape() escapes is written as
 * \uXXXX, and each byte that is no valid UTF-8 as \ufffd (JSON cannot
 * carry a byte).  The caller frees *out with free().
 * Returns VHKEY_OK or VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_report_to_json(
    const vhkey_report *report, char **out);

/* --------------------------------------------------- private key files */

/*
 * Check a private key file the way ssh will use it, and more, without
 * changing anything on disk.  The file is opened once (a symbolic link is
 * followed, as ssh does, and reported as a warning; O_NONBLOCK, so a FIFO
 * cannot hang the call) and every check is made on what was opened:
 *
 *  - a regular file, or the report is rejected with VHKEY_REASON_IO_ERROR
 *    (as is a file that is missing or cannot be opened or read);
 *  - owned by the caller (geteuid()) or root, else VHKEY_REASON_BAD_OWNER
 *    with the fix "sudo chown USER 'path'";
 *  - no group or other permission bits (mode & 077 == 0: 0600, 0400 and
 *    0700 pass), else VHKEY_REASON_BAD_PERMISSIONS with the fix
 *    "chmod 600 'path'" (see vhkey_fix_permissions());
 *  - a private key ssh can load as written: openssh-key-v1 (RSA, Ed25519
 *    and ECDSA read whole; a passphrase-protected or security key's as far
 *    as its public key, with a warning for the latter) or PEM/PKCS#8 (read with
 *    OpenSSL, as ssh reads it), else VHKEY_REASON_MALFORMED (or
 *    VHKEY_REASON_TOO_LARGE past VHKEY_FILE_MAX).  A file whose key is
 *    whole but whose lines ssh cannot read (CR LF, no final newline, a BOM,
 *    blank lines or indentation) is VHKEY_REASON_MALFORMED "damaged", with
 *    a sed command as the fix, and checked further as repaired.  PuTTY
 *    keys, passphrase-protected PEM/PKCS#8, PKCS#8 Ed25519, DSA and ssh.com
 *    keys are VHKEY_REASON_UNSUPPORTED_TYPE, with a fix where there is one;
 *  - the key passes the policy (types, RSA size, weak-key tests), else
 *    VHKEY_REASON_WEAK_KEY or VHKEY_REASON_UNSUPPORTED_TYPE;
 *  - when path.pub exists, it holds the same public key, else
 *    VHKEY_REASON_PAIR_MISMATCH with the fix
 *    "ssh-keygen -y -f 'path' > 'path.pub'";
 *  - the key's age under policy at time now: from the creation stamp in the
 *    private key's comment (or in path.pub's, when the private one cannot be
 *    read), else from the file's modification time, reported as an estimate
 *    (vhkey_report_created_estimated(), and a warning).  Overdue is
 *    VHKEY_REASON_ROTATION_OVERDUE with the fix "vhkeygen --rotate -f
 *    'path'"; due soon is accepted with a warning.
 *
 * All problems found are listed as findings (vhkey_report_finding_count());
 * the report's reason is the most important one: io_error, too_large,
 * malformed, unsupported_type, bad_owner, bad_permissions, weak_key,
 * pair_mismatch, rotation_overdue.  A warning always says that the file
 * is the private half of the pair, and which file to paste instead.
 * The paths in fixes are quoted for a POSIX shell.  The report's key is the
 * public part only.  policy NULL means the defaults.
 * Problems with the file, I/O errors included, are verdicts, not statuses:
 * the call returns VHKEY_OK with a rejected report, and a tool maps
 * VHKEY_REASON_IO_ERROR to its I/O exit status.  *out is set only on
 * success, and the caller frees it with vhkey_report_free().
 * Returns VHKEY_OK, VHKEY_ERR_ARGUMENT (path or out NULL), VHKEY_ERR_INIT
 * or VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_check_private_file(const char *path,
    const vhkey_policy *policy, time_t now, vhkey_report **out);

/*
 * Take away the group and other permission bits of a private key file:
 * mode 0600, as the fix "chmod 600 'path'" does (a file that has none is
 * left as it is).  The file is opened as vhkey_check_private_file() opens
 * it (following a symbolic link), and changed only through that open file,
 * once fstat() shows a regular file owned by the caller and its content is
 * a private key (of any format vhkey_check_private_file() knows); so a
 * name swapped for a link after the check
 * cannot turn the call on another file.  Check the file again afterwards.
 * err may be NULL.
 * Returns VHKEY_OK, VHKEY_ERR_ARGUMENT, VHKEY_ERR_INIT, VHKEY_ERR_NOENT,
 * VHKEY_ERR_ACCESS, VHKEY_ERR_SYMLINK (too many levels of links),
 * VHKEY_ERR_NOT_REGULAR, VHKEY_ERR_OWNER, VHKEY_ERR_TOO_LARGE,
 * VHKEY_ERR_NOT_PRIVATE (not a private key), VHKEY_ERR_NOMEM or
 * VHKEY_ERR_IO.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_fix_permissions(const char *path,
    vhkey_error *err);

/* ------------------------------------------------------- checking keys */

/* Most bytes vhkey_check_paste() reads: far more than any public key (an
 * RSA-16384 line is under 3 KiB), little enough to check at once. */
#define VHKEY_PASTE_MAX (64 * 1024)

/*
 * Check text a person pasted where a public key belongs (a web form, or
 * vhkeycheck's standard input).  Exactly one public key is expected.
 *   text, len  the bytes as received (no NUL needed); more than
 *              VHKEY_PASTE_MAX bytes are rejected unread.
 *   policy     what to accept; NULL for the defaults of vhkey_policy_new().
 *   now        the time of the check, for the rotation of keys that carry
 *              their creation time (a vhkeygen stamp in the comment, see
 *              vhkey_created_time()): such a key past the policy's age is
 *              rejected (VHKEY_REASON_ROTATION_OVERDUE), one due soon is
 *              accepted with a warning; other keys are not dated.
 *   out        the report; the caller frees it with vhkey_report_free().
 * Accepted, when the policy allows the key: an authorized_keys line, with
 * or without a comment (options in front of it are dropped, with a
 * warning); an RFC 4716 block ("---- BEGIN SSH2 PUBLIC KEY ----", as
 * ssh-keygen -e and PuTTYgen write it; its Comment header becomes the
 * comment); a PEM "BEGIN PUBLIC KEY" (SubjectPublicKeyInfo: RSA, ECDSA
 * P-256/384/521, Ed25519) or "BEGIN RSA PUBLIC KEY" (PKCS#1).  Harmless
 * damage is repaired, and each repair listed in the report: CR LF line
 * ends, white space before and after, tabs between the fields, a UTF-8
 * byte order mark, non-breaking (U+00A0) and zero-width (U+200B, U+FEFF)
 * spaces, key data broken across lines or by spaces.  The report's key is
 * the key read, and the normalised line in its JSON is what to store.
 * Rejected, each with a message that says what is wrong and what to do:
 *   VHKEY_REASON_TOO_LARGE        more than VHKEY_PASTE_MAX bytes.
 *   VHKEY_REASON_PRIVATE_KEY      a private key: OpenSSH (plain or
 *       passphrase-protected, or only the base64 inside), PEM RSA, EC or
 *       DSA (also encrypted), PKCS#8 (also encrypted), PuTTY .ppk v2 and
 *       v3, ssh.com, SSH-1, or any of these with a public key after it.
 *       Recognised before anything is parsed; never decrypted; no byte of
 *       it is copied into the report.
 *   VHKEY_REASON_MALFORMED        an empty text, bad or truncated base64,
 *       a type name that does not match the key data, bytes after the
 *       key, non-canonical numbers, a fingerprint or a known_hosts line
 *       instead of a key, binary data, more than one key.
 *   VHKEY_REASON_UNSUPPORTED_TYPE ssh-dss, certificates, unknown types,
 *       types the policy does not allow.
 *   VHKEY_REASON_WEAK_KEY         RSA smaller than the policy allows, or
 *       with a weak modulus or exponent; an ECDSA point off its curve.
 *   VHKEY_REASON_ROTATION_OVERDUE a key whose creation stamp is older than
 *       the policy's maximum age.
 * A rejection is a verdict, not an error: the call returns VHKEY_OK.
 * Returns VHKEY_OK (with a report), VHKEY_ERR_ARGUMENT (out NULL, or text
 * NULL with len > 0), VHKEY_ERR_INIT, VHKEY_ERR_NOMEM or VHKEY_ERR_CRYPTO.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_check_paste(const void *text, size_t len,
    const vhkey_policy *policy, time_t now, vhkey_report **out);

/*
 * vhkey_check_paste() on what can be read from fd until its end (fd is
 * not closed).  At most VHKEY_PASTE_MAX + 1 bytes are read: more is
 * rejected (VHKEY_REASON_TOO_LARGE) without reading the rest, with the
 * size when fd is a regular file ("more than 65536 bytes" otherwise).  fd
 * may be a regular file, a pipe, a socket, a terminal or /dev/null;
 * another device (/dev/zero, which never ends) is refused.
 * Returns what vhkey_check_paste() returns, VHKEY_ERR_NOT_REGULAR (a
 * device), or VHKEY_ERR_IO when a read fails (err, which may be NULL,
 * holds its errno).
 */
VHKEY_API VHKEY_NODISCARD int vhkey_check_paste_fd(int fd,
    const vhkey_policy *policy, time_t now, vhkey_report **out,
    vhkey_error *err);

/* Called by vhkey_check_keys_file() with each report, which lives until
 * the call returns; line is the number of the key's first line.  Return 0
 * to go on; anything else stops the check. */
typedef int (*vhkey_check_fn)(void *arg, unsigned long line,
    const vhkey_report *report);

/*
 * Check a file of public keys one by one, as ssh-keygen -lf reads one: a
 * key per line (an authorized_keys file, or a .pub file), blank lines and
 * lines starting with # skipped, each other line checked as
 * vhkey_check_paste() checks a paste, but that a line must work as
 * written: one that sshd would not read as it is (see
 * vhkey_report_as_written()) is rejected (VHKEY_REASON_MALFORMED, "sshd
 * will not read this line as written: ...; the repaired line is: ...").
 * An armored block (RFC 4716 or PEM, BEGIN to END) and a PuTTY or SSH-1
 * private key file are checked whole, as one key; a public key block is
 * rejected so too, as sshd reads one key per line.  The file is read as a stream, in bounded memory: a line or
 * block of more than VHKEY_PASTE_MAX bytes is rejected as too large and
 * skipped.  A file without any key gives one rejected report, at line 0.
 * Each report names path and line in its JSON.  A symbolic link is
 * followed; a directory, a named pipe and a device (/dev/zero, a terminal)
 * are refused: only regular files and pipes are read.  err may be NULL.
 * A file of more than a few dozen keys is checked by worker threads, one
 * per processor (at most 8), started and stopped within the call; fn is
 * always called from the calling thread, in the file's order.  A key that
 * appears several times is decoded and put through the weak-key tests
 * once by each thread, not once a line (each thread remembers the last
 * 256 keys it decoded, and the weak-key verdicts of 2048).  When fn
 * stops the check, lines already read ahead are dropped unreported.
 * Returns VHKEY_OK once every line was checked (whatever the verdicts),
 * the non-zero value fn returned, VHKEY_ERR_ARGUMENT, VHKEY_ERR_INIT,
 * VHKEY_ERR_NOENT, VHKEY_ERR_ACCESS, VHKEY_ERR_NOT_REGULAR (a directory,
 * a named pipe or a device),
 * VHKEY_ERR_SYMLINK (too many levels of links), VHKEY_ERR_IO,
 * VHKEY_ERR_NOMEM or VHKEY_ERR_CRYPTO.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_check_keys_file(const char *path,
    const vhkey_policy *policy, time_t now, vhkey_check_fn fn, void *arg,
    vhkey_error *err);

/*
 * Check a key file as vhkeycheck does, whatever it holds: an OpenSSH
 * private key file (it starts with "-----BEGIN OPENSSH PRIVATE KEY-----")
 * is checked as vhkey_check_private_file() checks it, one report with line
 * 0; any other file is checked key by key as vhkey_check_keys_file() does.
 * The first look at the file is through a descriptor opened with
 * O_NONBLOCK, so a FIFO cannot hang the call; the check itself opens the
 * file again and decides on what it opened.  Returns what those calls return.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_check_file(const char *path,
    const vhkey_policy *policy, time_t now, vhkey_check_fn fn, void *arg,
    vhkey_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VHKEY_H */
