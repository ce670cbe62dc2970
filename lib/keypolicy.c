/*
 * keypolicy.c - a public key against a policy: its type allowed, an RSA
 * key's size, exponent and modulus (the arithmetic is strength.c's, its
 * outcome remembered per key in a memo), an Ed25519 key's point
 * (ed25519.c); a key that fails is rejected in words that say what to do.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"

#define NEW_KEY_ADVICE                                                     \
	"Generate a new 4096-bit RSA key, e.g. with `vhkeygen -f "          \
	"valohai-debug-key` or `ssh-keygen -t rsa -b 4096`, and paste its " \
	".pub file instead."

static int
reject_type(vhkey_type type, const vhkey_policy *policy,
    vhkey_report *report)
{
	char allowed[256] = "";
	size_t len = 0;

	for (int t = VHKEY_TYPE_RSA; t < VHKEY_TYPE_COUNT; t++) {
		int n;

		if (!vhkey_policy_type_allowed(policy, (vhkey_type)t))
			continue;
		/* all the names together take 150 bytes: this never stops */
		n = snprintf(allowed + len, sizeof(allowed) - len, "%s%s",
		    len > 0 ? ", " : "", vhkey_type_name((vhkey_type)t));
		if (n < 0 || (size_t)n >= sizeof(allowed) - len)
			break;
		len += (size_t)n;
	}
	if (len == 0)
		return vk_report_reject(report, VHKEY_REASON_UNSUPPORTED_TYPE,
		    "This server does not accept %s keys, nor keys of any "
		    "other type: ask its administrator.",
		    vhkey_type_name(type));
	return vk_report_reject(report, VHKEY_REASON_UNSUPPORTED_TYPE,
	    "This server does not accept %s keys. Paste a key of an "
	    "accepted type: %s.%s",
	    vhkey_type_name(type), allowed,
	    vhkey_policy_type_allowed(policy, VHKEY_TYPE_RSA) ?
		" " NEW_KEY_ADVICE :
		"");
}

/* The exponent, for a message: its value when it is small, else its
 * size. */
static void
describe_e(const BIGNUM *e, char *buf, size_t len)
{
	int bits = BN_num_bits(e);

	if (bits <= 32)
		snprintf(buf, len, "%lu", (unsigned long)BN_get_word(e));
	else if (!BN_is_odd(e))
		snprintf(buf, len, "an even %d-bit number", bits);
	else
		snprintf(buf, len, "a number of %d bits", bits);
}

/*
 * vk_rsa_weakness() of the key's modulus, then Wiener's test of its n and
 * e, from the memo when the same key was tested before.  The memo goes by
 * the key's SHA-256 fingerprint when the key keeps one (as a key checked
 * in a file does: 50 bytes to compare rather than the whole blob), else by
 * the blob itself; either names the blob, hence n and e.  The memo's value
 * packs the outcome: the factor above the kind's 8 bits.
 */
static int
remembered_weakness(const vhkey *key, struct vk_memo *memo,
    struct vk_rsa_weakness *weak)
{
	const void *id = key->blob;
	size_t idlen = key->bloblen;
	uint64_t v;
	int rc, found;

	if (key->fp_sha256[0] != '\0') {
		id = key->fp_sha256;
		idlen = strlen(key->fp_sha256);
	}
	if (vk_memo_get(memo, id, idlen, &v)) {
		weak->kind = (int)(v & 0xff);
		weak->factor = (uint32_t)(v >> 8);
		return VHKEY_OK;
	}
	if ((rc = vk_rsa_weakness(key->rsa.n, weak)) != VHKEY_OK)
		return rc;
	if (weak->kind == VK_RSA_WEAK_NONE) {
		if ((rc = vk_rsa_wiener(key->rsa.n, key->rsa.e, &found)) !=
		    VHKEY_OK)
			return rc;
		if (found)
			weak->kind = VK_RSA_WEAK_WIENER;
	}
	vk_memo_put(memo, id, idlen,
	    (uint64_t)weak->factor << 8 | (uint64_t)weak->kind);
	return VHKEY_OK;
}

/*
 * The largest public exponents taken.  OpenSSL (so sshd) verifies no
 * signature with e >= n, nor, for a modulus above 3072 bits
 * (OPENSSL_RSA_SMALL_MODULUS_BITS), with e above 64 bits
 * (OPENSSL_RSA_MAX_PUBEXP_BITS): a real sshd 9.2 refuses the login with a
 * 4096-bit key whose e has 65 bits, and takes one with 64.  Below that
 * size it takes any e < n (a 2048-bit key with e = 2^300 + 1 logs in),
 * but FIPS 186-5 and SP 800-56B (OpenSSL's FIPS provider, its
 * ossl_rsa_check_public_exponent()) allow e below 2^256 only: a huge e is
 * what no generator makes but one that chose a small d first, and a d
 * below n^0.292 (Boneh-Durfee) is past what Wiener's test finds.  pyca's
 * RSAPublicNumbers refuse e >= n, e < 3 and e even; so does check_rsa().
 */
#define E_MAX_BITS 256
#define E_MAX_BITS_LARGE_N 64
#define LARGE_N_BITS 3072

/* The exponent's bound for this modulus, as a message; NULL within it. */
static const char *
exponent_too_large(const BIGNUM *n, const BIGNUM *e)
{
	if (BN_cmp(e, n) >= 0)
		return "not smaller than its modulus, so OpenSSH (through "
		       "OpenSSL) verifies no signature with it and nobody can "
		       "log in with it";
	if (BN_num_bits(n) > LARGE_N_BITS &&
	    BN_num_bits(e) > E_MAX_BITS_LARGE_N)
		return "larger than 2^64, which OpenSSH (through OpenSSL) "
		       "refuses with a modulus above 3072 bits: nobody can log "
		       "in with it";
	if (BN_num_bits(e) > E_MAX_BITS)
		return "larger than 2^256, the most FIPS 186 allows: no "
		       "standard generator makes such a key, and its private "
		       "exponent may be small enough to compute from the "
		       "public key";
	return NULL;
}

static int
reject_weakness(const struct vk_rsa_weakness *weak, vhkey_report *report)
{
	switch (weak->kind) {
	case VK_RSA_WEAK_SMALL_FACTOR:
		if (weak->factor == 2)
			return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
			    "This RSA key's modulus is even, so it is not the "
			    "product of two large primes and anyone can factor "
			    "it: the key is corrupt or was made by faulty "
			    "software. " NEW_KEY_ADVICE);
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's modulus is divisible by %lu, so it is not "
		    "the product of two large primes and anyone can factor "
		    "it: the key is corrupt or was made by faulty software. "
		    NEW_KEY_ADVICE,
		    (unsigned long)weak->factor);
	case VK_RSA_WEAK_FERMAT:
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's two primes are so close to each other "
		    "that anyone can factor its modulus at once (Fermat's "
		    "method): the key was made by faulty software or a "
		    "faulty device. " NEW_KEY_ADVICE);
	case VK_RSA_WEAK_ROCA:
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key was made by an Infineon chip with the ROCA "
		    "flaw (CVE-2017-15361; e.g. a YubiKey 4 before firmware "
		    "4.3.5, or some TPMs and smart cards): its private key can "
		    "be computed from the public key. Stop using keys that "
		    "device made. " NEW_KEY_ADVICE);
	case VK_RSA_WEAK_POWER:
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's modulus is a perfect power (a number to "
		    "the power %lu), not the product of two distinct primes, "
		    "so anyone can factor it by taking a root: the key is "
		    "corrupt or was made by faulty software. " NEW_KEY_ADVICE,
		    (unsigned long)weak->factor);
	case VK_RSA_WEAK_PRIME:
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's modulus is a prime number, not the product "
		    "of two primes, so anyone can compute its private key "
		    "from the public key: the key is corrupt or was made by "
		    "faulty software. " NEW_KEY_ADVICE);
	case VK_RSA_WEAK_PM1:
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's modulus has a prime factor p where p - 1 "
		    "is a product of small primes, so anyone can factor it at "
		    "once (Pollard's p - 1 method; a modulus made of many "
		    "small primes is one): the key is corrupt or was made by "
		    "faulty software. " NEW_KEY_ADVICE);
	case VK_RSA_WEAK_WIENER:
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's private exponent is so small that anyone "
		    "can compute it from the public key (Wiener's attack; its "
		    "public exponent is huge, where ssh-keygen uses 65537): "
		    "the key was made by faulty software. " NEW_KEY_ADVICE);
	default:
		return VHKEY_OK;
	}
}

static int
check_rsa(const vhkey *key, unsigned min_bits, vhkey_report *report,
    struct vk_memo *memo)
{
	struct vk_rsa_weakness weak;
	const BIGNUM *e = key->rsa.e;
	const char *why;
	char ebuf[48];
	int rc;

	if (key->bits < min_bits)
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key has %u bits; keys must have at least %u "
		    "bits. " NEW_KEY_ADVICE,
		    key->bits, min_bits);
	if (!BN_is_odd(e) || BN_is_one(e)) {
		describe_e(e, ebuf, sizeof(ebuf));
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's public exponent is %s, but it must be odd "
		    "and at least 3 (ssh-keygen uses 65537): the key is "
		    "corrupt or was made by faulty software. " NEW_KEY_ADVICE,
		    ebuf);
	}
	/* e >= n first: Wiener's expansion assumes e < n */
	if (BN_cmp(e, key->rsa.n) >= 0)
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's public exponent is %s. " NEW_KEY_ADVICE,
		    exponent_too_large(key->rsa.n, e));
	if ((rc = remembered_weakness(key, memo, &weak)) != VHKEY_OK)
		return rc;
	if (weak.kind != VK_RSA_WEAK_NONE)
		return reject_weakness(&weak, report);
	if ((why = exponent_too_large(key->rsa.n, e)) != NULL) {
		describe_e(e, ebuf, sizeof(ebuf));
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This RSA key's public exponent, %s, is %s (ssh-keygen "
		    "uses 65537). " NEW_KEY_ADVICE,
		    ebuf, why);
	}
	return VHKEY_OK;
}

#define ED25519_ADVICE                                                    \
	"Generate a new key with `ssh-keygen -t ed25519` and paste its .pub " \
	"file instead."

/*
 * OpenSSH checks none of this: it takes any 32 bytes, and its verifier
 * (no cofactor, no check of A) accepts for a small-order A a signature
 * anyone can make: with A the identity, R = B and S = 1 sign every
 * message.  So a small-order key is the weakest key there is.
 *
 * The other points that are not what a key generator makes are not
 * breakable, but not keys either: off the curve, OpenSSH verifies nothing
 * with them; a second encoding (y >= p) of a point nobody knows the
 * private key of; a point with a small-order part verifies its maker's
 * signatures one time in up to eight.  They are damaged or forged data,
 * so they are "malformed" (as an ECDSA point off its curve is), not weak:
 * the person needs to paste the key as it was made, not to distrust
 * their generator.
 */
static int
check_ed25519(const vhkey *key, vhkey_report *report)
{
	switch (vk_ed25519_key_point(key)) {
	case VK_ED25519_SMALL_ORDER:
		return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
		    "This Ed25519 key is a point of small order (like the "
		    "all-zero key): signatures anyone can forge verify with it, "
		    "so anyone can log in with it, without any private key. "
		    "It was not made by ssh-keygen. " ED25519_ADVICE);
	case VK_ED25519_INVALID:
		return vk_report_reject(report, VHKEY_REASON_MALFORMED,
		    "This Ed25519 key is not a valid public key: its 32 bytes "
		    "are not a point that a key generator makes (not on the "
		    "curve, encoded the wrong way, or with a small-order "
		    "part), so it is damaged or forged and nobody can rely on "
		    "logging in with it. Paste the .pub file exactly as "
		    "ssh-keygen wrote it, or: " ED25519_ADVICE);
	default:
		return VHKEY_OK;
	}
}

/*
 * sshd checks that an ECDSA point lies on its curve, not how it was made:
 * a point k * G with a small k (G itself for k = 1) has k as its private
 * key, and anyone who tries the small ones logs in with it.
 */
static int
check_ecdsa(const vhkey *key, vhkey_report *report)
{
	int rc = vk_ecdsa_small_scalar(key);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return VHKEY_OK;
	return vk_report_reject(report, VHKEY_REASON_WEAK_KEY,
	    "This ECDSA key's point is a small multiple of the curve's "
	    "generator (at most %d times it): its private key is that small "
	    "number, so anyone can find it and log in with it. It was not "
	    "made by ssh-keygen. Generate a new key with `ssh-keygen -t "
	    "ed25519` and paste its .pub file instead.",
	    VK_ECDSA_SMALL_SCALAR);
}

int
vk_check_key_policy(const vhkey *key, const vhkey_policy *policy,
    vhkey_report *report, struct vk_memo *memo)
{
	if (!vhkey_policy_type_allowed(policy, key->type))
		return reject_type(key->type, policy, report);
	switch (key->type) {
	case VHKEY_TYPE_RSA:
		return check_rsa(key, vhkey_policy_get_min_rsa_bits(policy),
		    report, memo);
	case VHKEY_TYPE_ED25519:
	case VHKEY_TYPE_SK_ED25519:
		return check_ed25519(key, report);
	case VHKEY_TYPE_ECDSA_P256:
	case VHKEY_TYPE_ECDSA_P384:
	case VHKEY_TYPE_ECDSA_P521:
	case VHKEY_TYPE_SK_ECDSA_P256:
		return check_ecdsa(key, report);
	default:
		return VHKEY_OK;
	}
}

int
vhkey_check_key(const vhkey *key, const vhkey_policy *policy, time_t now,
    vhkey_report **out)
{
	vhkey_report *r;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (key == NULL || out == NULL)
		return VHKEY_ERR_ARGUMENT;
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	if (policy == NULL)
		policy = &vk_policy_defaults;
	if ((r = vk_report_new()) == NULL)
		return VHKEY_ERR_NOMEM;
	/* the report's key is a public copy, its own: checked, then dated */
	if ((rc = vk_report_set_key(r, key)) == VHKEY_OK &&
	    (rc = vk_key_keep_fingerprint(r->key, policy)) == VHKEY_OK &&
	    (rc = vk_check_key_policy(r->key, policy, r, NULL)) == VHKEY_OK &&
	    vhkey_report_verdict(r) == VHKEY_ACCEPTED &&
	    (rc = vk_report_accept_key(r, r->key)) == VHKEY_OK)
		rc = vk_report_add_rotation(r, r->key, policy, now);
	if (rc != VHKEY_OK) {
		vhkey_report_free(r);
		return rc;
	}
	*out = r;
	return VHKEY_OK;
}
