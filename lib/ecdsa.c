/*
 * ecdsa.c - the public fields of ecdsa-sha2-nistp256/384/521 and
 * sk-ecdsa-sha2-nistp256@openssh.com keys (RFC 5656 3.1): the curve's
 * name, then the point Q, which must be a valid point of that curve; the
 * private scalar of the plain types, and their generation (OpenSSL).
 */
#include "config.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

#include "formats.h"

static const struct {
	vhkey_type type;
	const char *curve; /* the name inside the blob */
	int nid;
	size_t field_len; /* bytes of one coordinate */
} curves[] = {
	{ VHKEY_TYPE_ECDSA_P256, "nistp256", NID_X9_62_prime256v1, 32 },
	{ VHKEY_TYPE_ECDSA_P384, "nistp384", NID_secp384r1, 48 },
	{ VHKEY_TYPE_ECDSA_P521, "nistp521", NID_secp521r1, 66 },
	{ VHKEY_TYPE_SK_ECDSA_P256, "nistp256", NID_X9_62_prime256v1, 32 },
};
#define CURVES (sizeof(curves) / sizeof(curves[0]))
/* The longest Q, uncompressed: 0x04 || X || Y on P-521. */
#define Q_MAX (1 + 2 * 66)

/* The curves[] index of a plain ECDSA type (not a security key's, whose
 * private part is a device's), or -1. */
static int
plain_curve(vhkey_type type)
{
	for (size_t i = 0; i < CURVES; i++)
		if (curves[i].type == type && type != VHKEY_TYPE_SK_ECDSA_P256)
			return (int)i;
	return -1;
}

/* A coordinate OpenSSH accepts: more than half as many bits as the
 * group order, and below order - 1 (sshkey_ec_validate_public()). */
static int
coordinate_ok(const uint8_t *p, size_t len, const BIGNUM *order,
    BIGNUM *tmp)
{
	if (BN_bin2bn(p, (int)len, tmp) == NULL)
		return VHKEY_ERR_NOMEM;
	if (BN_num_bits(tmp) <= BN_num_bits(order) / 2)
		return VHKEY_ERR_KEY_CHECK;
	if (!BN_add_word(tmp, 1))
		return VHKEY_ERR_NOMEM;
	return BN_cmp(tmp, order) < 0 ? VHKEY_OK : VHKEY_ERR_KEY_CHECK;
}

/*
 * Q (uncompressed, 0x04 || X || Y) is a point of the curve and not the
 * point at infinity.  The NIST curves have cofactor 1, so every such point
 * has the group's prime order: OpenSSH's check nQ == infinity would hold
 * for all of them and is left out (it costs a scalar multiplication).
 */
static int
point_valid(int nid, const uint8_t *q, size_t len, size_t field_len)
{
	EC_GROUP *group = NULL;
	EC_POINT *point = NULL;
	BIGNUM *tmp = NULL;
	int rc;

	if ((group = EC_GROUP_new_by_curve_name(nid)) == NULL ||
	    (point = EC_POINT_new(group)) == NULL ||
	    (tmp = BN_new()) == NULL) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	/* x and y below p, and y^2 = x^3 + ax + b, checked while decoding */
	rc = VHKEY_ERR_KEY_CHECK;
	if (EC_POINT_oct2point(group, point, q, len, NULL) != 1 ||
	    EC_POINT_is_on_curve(group, point, NULL) != 1 ||
	    EC_POINT_is_at_infinity(group, point))
		goto out;
	if ((rc = coordinate_ok(q + 1, field_len, EC_GROUP_get0_order(group),
		 tmp)) != VHKEY_OK ||
	    (rc = coordinate_ok(q + 1 + field_len, field_len,
		 EC_GROUP_get0_order(group), tmp)) != VHKEY_OK)
		goto out;
	rc = VHKEY_OK;
out:
	BN_free(tmp);
	EC_POINT_free(point);
	EC_GROUP_free(group);
	return rc;
}

int
vk_ecdsa_get_public(vk_reader *r, vhkey_type type)
{
	vk_reader save = *r;
	const char *curve;
	const uint8_t *q;
	size_t curvelen, qlen, i;
	int rc;

	for (i = 0; i < CURVES; i++)
		if (curves[i].type == type)
			break;
	if (i == CURVES)
		return VHKEY_ERR_KEY_TYPE;
	if ((rc = vk_get_cstring(r, &curve, &curvelen)) != VHKEY_OK ||
	    (rc = vk_get_string(r, &q, &qlen)) != VHKEY_OK)
		goto out;
	/* the curve must be the one the type names; the point uncompressed
	 * (not 0x02/0x03 compressed, not 0x00 infinity), full length */
	rc = VHKEY_ERR_FORMAT;
	if (curvelen != strlen(curves[i].curve) ||
	    memcmp(curve, curves[i].curve, curvelen) != 0 ||
	    qlen != 1 + 2 * curves[i].field_len || q[0] != 0x04)
		goto out;
	rc = point_valid(curves[i].nid, q, qlen, curves[i].field_len);
out:
	if (rc != VHKEY_OK)
		*r = save;
	return rc;
}

/*
 * The private scalar d of an ECDSA key of this type (not a security key's)
 * whose public point is q (uncompressed, as the blob holds it): 0 < d <
 * order and d * G == Q, else VHKEY_ERR_KEY_CHECK (OpenSSH's
 * sshkey_ec_validate_private() and its check that the private key matches
 * the envelope's public one).  The product is made in secure memory.
 */
int
vk_ecdsa_check_private(vhkey_type type, const uint8_t *q, size_t qlen,
    const BIGNUM *d)
{
	EC_GROUP *group = NULL;
	EC_POINT *point = NULL;
	BN_CTX *ctx = NULL;
	uint8_t buf[Q_MAX];
	size_t n;
	int i = plain_curve(type), rc = VHKEY_ERR_NOMEM;

	if (i < 0)
		return VHKEY_ERR_KEY_TYPE;
	if ((group = EC_GROUP_new_by_curve_name(curves[i].nid)) == NULL ||
	    (point = EC_POINT_new(group)) == NULL ||
	    (ctx = BN_CTX_secure_new()) == NULL)
		goto out;
	rc = VHKEY_ERR_KEY_CHECK;
	if (BN_is_zero(d) || BN_is_negative(d) ||
	    BN_cmp(d, EC_GROUP_get0_order(group)) >= 0)
		goto out;
	if (EC_POINT_mul(group, point, d, NULL, NULL, ctx) != 1 ||
	    (n = EC_POINT_point2oct(group, point,
		 POINT_CONVERSION_UNCOMPRESSED, buf, sizeof(buf), ctx)) == 0)
		goto out;
	if (n == qlen && memcmp(buf, q, n) == 0)
		rc = VHKEY_OK;
out:
	BN_CTX_free(ctx);
	EC_POINT_clear_free(point);
	EC_GROUP_free(group);
	return rc;
}

/*
 * Is Q = k * G or -k * G for some k from 1 to VK_ECDSA_SMALL_SCALAR (the
 * generator itself, 2G, 3G, ...)?  Then k is the private key, and anyone
 * can log in with it: sshd takes such a public key (only ssh refuses to
 * load a private scalar below 2^(bits/2), sshkey_ec_validate_private()),
 * and an agent or another client signs with it.  No public check finds
 * every k small enough to search for (that is the discrete logarithm);
 * this one finds the ones a forger or a broken generator would use first.
 * Each step adds G and compares x, which Q and -Q share.  1 when Q is one
 * of them, 0 when not, a VHKEY_ERR_* code (negative) on failure.
 */
int
vk_ecdsa_small_scalar(const vhkey *key)
{
	EC_GROUP *group = NULL;
	EC_POINT *g = NULL, *kg = NULL;
	BN_CTX *ctx = NULL;
	uint8_t buf[1 + 66];
	const uint8_t *q;
	const char *name;
	size_t i, len, qlen;
	vk_reader r;
	int rc = VHKEY_ERR_NOMEM;

	for (i = 0; i < CURVES; i++)
		if (curves[i].type == key->type)
			break;
	if (i == CURVES)
		return 0;
	/* the blob was checked when the key was made: type, curve, Q */
	vk_reader_init(&r, key->blob, key->bloblen);
	if (vk_get_cstring(&r, &name, &len) != VHKEY_OK ||
	    vk_get_cstring(&r, &name, &len) != VHKEY_OK ||
	    vk_get_string(&r, &q, &qlen) != VHKEY_OK ||
	    qlen != 1 + 2 * curves[i].field_len)
		return VHKEY_ERR_FORMAT;
	if ((group = EC_GROUP_new_by_curve_name(curves[i].nid)) == NULL ||
	    (kg = EC_POINT_new(group)) == NULL ||
	    (ctx = BN_CTX_new()) == NULL ||
	    (g = EC_POINT_dup(EC_GROUP_get0_generator(group), group)) ==
		NULL ||
	    !EC_POINT_copy(kg, g))
		goto out;
	rc = 0;
	for (unsigned k = 1; k <= VK_ECDSA_SMALL_SCALAR && rc == 0; k++) {
		if ((k > 1 && !EC_POINT_add(group, kg, kg, g, ctx)) ||
		    EC_POINT_point2oct(group, kg, POINT_CONVERSION_COMPRESSED,
			buf, sizeof(buf), ctx) != 1 + curves[i].field_len) {
			rc = VHKEY_ERR_NOMEM;
			break;
		}
		rc = memcmp(buf + 1, q + 1, curves[i].field_len) == 0;
	}
out:
	BN_CTX_free(ctx);
	EC_POINT_free(kg);
	EC_POINT_free(g);
	EC_GROUP_free(group);
	return rc;
}

int
vk_ecdsa_pkey_from(vhkey_type type, const uint8_t *q, size_t qlen,
    const BIGNUM *d, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	int i = plain_curve(type), rc = VHKEY_ERR_NOMEM;

	*out = NULL;
	if (i < 0)
		return VHKEY_ERR_KEY_TYPE;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
		OBJ_nid2sn(curves[i].nid), 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, q,
		qlen) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	rc = vk_pkey_fromdata("EC", params, out);
out:
	/* d is BN_FLG_SECURE (every caller's is), so its copy sits in the
	 * secure block, which OSSL_PARAM_free() clears */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

/* The scalar d of an ECDSA key pair, in a secure BIGNUM the caller frees
 * with BN_clear_free(). */
static int
get_scalar(const EVP_PKEY *pkey, BIGNUM **d)
{
	if ((*d = BN_secure_new()) == NULL)
		return VHKEY_ERR_NOMEM;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1) {
		BN_clear_free(*d);
		*d = NULL;
		return VHKEY_ERR_CRYPTO;
	}
	return VHKEY_OK;
}

/*
 * The private fields as ssh-keygen writes them (sshkey.c,
 * sshkey_private_serialize()): string type, string curve, string Q, which
 * are the public blob's own fields, then mpint d.
 */
int
vk_ecdsa_put_private(vk_writer *w, const vhkey *key)
{
	BIGNUM *d = NULL;
	int rc;

	if (key->ec_pkey == NULL)
		return VHKEY_ERR_NOT_PRIVATE;
	if ((rc = get_scalar(key->ec_pkey, &d)) != VHKEY_OK)
		return rc;
	if ((rc = vk_put_bytes(w, key->blob, key->bloblen)) == VHKEY_OK)
		rc = vk_put_bignum(w, d);
	BN_clear_free(d);
	return rc;
}

/*
 * A generated pair is one ssh loads: d gives Q (vk_ecdsa_check_private())
 * and d has more than half the order's bits, which ssh's
 * sshkey_ec_validate_private() demands (a 2^-128 chance for a random d,
 * and the sign of a broken generator).
 */
static int
check_generated(vhkey_type type, const uint8_t *q, size_t qlen,
    const BIGNUM *d)
{
	if ((unsigned)BN_num_bits(d) <= vk_type_bits(type) / 2)
		return VHKEY_ERR_KEY_CHECK;
	return vk_ecdsa_check_private(type, q, qlen, d);
}

/* The public blob for Q: type, curve, Q (RFC 5656 3.1). */
static int
put_point(vk_writer *w, vhkey_type type, int i, const uint8_t *q,
    size_t qlen)
{
	int rc;

	if ((rc = vk_put_cstring(w, vhkey_type_name(type))) != VHKEY_OK ||
	    (rc = vk_put_cstring(w, curves[i].curve)) != VHKEY_OK)
		return rc;
	return vk_put_string(w, q, qlen);
}

/* A new key pair on the type's curve from OpenSSL's generator (its
 * default random source, as ssh-keygen's EC_KEY_generate_key()). */
int
vk_ecdsa_generate(vhkey_type type, vk_writer *blob, EVP_PKEY **pkeyp)
{
	EVP_PKEY *pkey = NULL;
	BIGNUM *d = NULL;
	uint8_t q[Q_MAX];
	size_t qlen = 0;
	int i = plain_curve(type), rc;

	*pkeyp = NULL;
	if (i < 0)
		return VHKEY_ERR_KEY_TYPE;
	rc = VHKEY_ERR_CRYPTO;
	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
		 OBJ_nid2sn(curves[i].nid))) == NULL ||
	    EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, q,
		sizeof(q), &qlen) != 1)
		goto out;
	if ((rc = get_scalar(pkey, &d)) != VHKEY_OK ||
	    (rc = check_generated(type, q, qlen, d)) != VHKEY_OK ||
	    (rc = put_point(blob, type, i, q, qlen)) != VHKEY_OK)
		goto out;
	*pkeyp = pkey;
	pkey = NULL;
out:
	BN_clear_free(d);
	EVP_PKEY_free(pkey);
	return rc;
}
