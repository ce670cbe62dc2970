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
 *  - Call vhkey_init() once before anything else (more calls are harmless).
 */
#ifndef VHKEY_H
#define VHKEY_H

#include <stddef.h>
#include <stdint.h>

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
	X(VHKEY_ERR_UNSAFE_DIR, 28,                                            \
	  "directory is writable by others (and not sticky)")

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
 *            |p - q| > 2^(bits/2 - 100), d > 2^(bits/2), and the pair has
 *            passed a full consistency check.
 *   comment  the key's comment (copied), or NULL for none; at most
 *            VHKEY_COMMENT_MAX bytes, no newline.
 * Returns VHKEY_OK, VHKEY_ERR_KEY_TYPE, VHKEY_ERR_BITS, VHKEY_ERR_ARGUMENT,
 * VHKEY_ERR_INIT, VHKEY_ERR_NOMEM, VHKEY_ERR_CRYPTO or VHKEY_ERR_KEY_CHECK.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_generate(vhkey_type type, unsigned bits,
    const char *comment, vhkey **out);

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
 * Parse one public key line "ssh-rsa BASE64 [comment]" (a single trailing
 * newline is allowed), strictly: the type name must match the blob, the
 * blob must be canonical and hold nothing more.  (For text pasted by
 * people, a later version adds a forgiving checker.)
 * Returns VHKEY_OK, VHKEY_ERR_FORMAT, VHKEY_ERR_BASE64, VHKEY_ERR_TRUNCATED,
 * VHKEY_ERR_TRAILING, VHKEY_ERR_MPINT, VHKEY_ERR_TYPE_MISMATCH,
 * VHKEY_ERR_KEY_TYPE, VHKEY_ERR_TOO_LARGE or VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_parse_public(const void *text,
    size_t len, vhkey **out);

/*
 * Parse an unencrypted OpenSSH private key (openssh-key-v1, RSA), strictly:
 * armor, magic, cipher and kdf "none", one key, equal check integers, the
 * public blob equal to the private key's public part, padding 1, 2, 3, ...,
 * no trailing bytes, and a full consistency check of the RSA key.
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

/* -------------------------------------------------------------- policy */

/*
 * What a checker accepts, and when a key is due for rotation.  A policy is
 * read-only while checks use it, so one policy may serve many threads.
 */
typedef struct vhkey_policy vhkey_policy;

#define VHKEY_POLICY_MIN_RSA_BITS 2048 /* default minimum RSA size */
#define VHKEY_POLICY_MAX_AGE_DAYS 90   /* default rotation period */
#define VHKEY_POLICY_WARN_DAYS 14      /* default warning window */

/*
 * A new policy with the defaults: RSA of at least 2048 bits, Ed25519,
 * ECDSA P-256/384/521 and their security-key (sk-) variants allowed;
 * rotation after 90 days, a warning 14 days before.
 * Returns VHKEY_OK or VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_policy_new(vhkey_policy **out);
VHKEY_API void vhkey_policy_free(vhkey_policy *policy);

/* Smallest RSA modulus accepted, 1024 to 16384.  VHKEY_ERR_ARGUMENT
 * outside that range. */
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
 * warn_days before that.  max_age_days 1 to 36500, warn_days below
 * max_age_days; VHKEY_ERR_ARGUMENT otherwise. */
VHKEY_API VHKEY_NODISCARD int vhkey_policy_set_rotation(vhkey_policy *policy,
    unsigned max_age_days, unsigned warn_days);
VHKEY_API unsigned vhkey_policy_get_max_age_days(const vhkey_policy *policy);
VHKEY_API unsigned vhkey_policy_get_warn_days(const vhkey_policy *policy);

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
/* One or more sentences a person can act on; never NULL. */
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
 * The report as one JSON object on one line (no newline), with at least:
 * verdict ("accepted"/"rejected"), reason (name or null), type, bits,
 * fingerprint (SHA256:...), fingerprint_md5, comment, key (the normalised
 * authorized_keys line), message, warnings [..], repairs [..] (null for
 * what is unknown).  Strings are valid UTF-8: bytes that are not are
 * replaced by U+FFFD.  The caller frees *out with free().
 * Returns VHKEY_OK or VHKEY_ERR_NOMEM.
 */
VHKEY_API VHKEY_NODISCARD int vhkey_report_to_json(
    const vhkey_report *report, char **out);

#ifdef __cplusplus
}
#endif

#endif /* VHKEY_H */
