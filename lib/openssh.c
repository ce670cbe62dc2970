/*
 * openssh.c - OpenSSH's openssh-key-v1 private key container (PROTOCOL.key),
 * byte for byte as ssh-keygen writes it: unencrypted (-N ''), or with a
 * passphrase (bcrypt KDF, aes256-ctr; the cipher is opensshcrypt.c's).
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "vhkey_internal.h"
#include "chars.h"

#define MAGIC "openssh-key-v1" /* and its NUL: 15 bytes */
#define MAGIC_LEN 15
/* The armor lines with their newlines, as OpenSSH's sshkey.c matches them:
 * a CR before either newline, or none at all, and ssh cannot load the key */
#define MARK_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----\n"
#define MARK_END "-----END OPENSSH PRIVATE KEY-----\n"
#define WRAP 70
#define BLOCK 8 /* the block size of cipher "none" */
#define WRITE_CIPHER "aes256-ctr"

/* The kdfoptions of an encrypted key: string salt, uint32 rounds. */
static int
put_kdf_options(vk_writer *w, const struct vk_openssh_kdf *kdf)
{
	uint8_t buf[4 + VK_OPENSSH_SALT_LEN + 4];
	vk_writer opts;
	int rc;

	vk_writer_init_in(&opts, buf, sizeof(buf));
	if ((rc = vk_put_string(&opts, kdf->salt, kdf->saltlen)) == VHKEY_OK &&
	    (rc = vk_put_u32(&opts, kdf->rounds)) == VHKEY_OK)
		rc = vk_put_string(w, opts.data, opts.len);
	vk_writer_clear(&opts);
	return rc;
}

/* The cipher, KDF and KDF options: "none", "none" and none, or
 * WRITE_CIPHER and bcrypt with kdf's options. */
static int
put_cipher_kdf(vk_writer *w, const struct vk_openssh_kdf *kdf)
{
	int rc;

	if (kdf == NULL) {
		if ((rc = vk_put_cstring(w, "none")) != VHKEY_OK ||
		    (rc = vk_put_cstring(w, "none")) != VHKEY_OK)
			return rc;
		return vk_put_string(w, NULL, 0);
	}
	if ((rc = vk_put_cstring(w, WRITE_CIPHER)) != VHKEY_OK ||
	    (rc = vk_put_cstring(w, "bcrypt")) != VHKEY_OK)
		return rc;
	return put_kdf_options(w, kdf);
}

/* The envelope around the private section priv. */
static int
put_envelope(vk_writer *w, const vhkey *key, const struct vk_openssh_kdf *kdf,
    const vk_writer *priv)
{
	int rc;

	if ((rc = vk_put_bytes(w, MAGIC, MAGIC_LEN)) != VHKEY_OK ||
	    (rc = put_cipher_kdf(w, kdf)) != VHKEY_OK ||
	    (rc = vk_put_u32(w, 1)) != VHKEY_OK ||
	    (rc = vk_put_string(w, key->blob, key->bloblen)) != VHKEY_OK)
		return rc;
	return vk_put_string(w, priv->data, priv->len);
}

/* The private section, padded to the cipher's block, and encrypted when
 * the key carries a passphrase (kdf not NULL). */
static int
encode_container(const vhkey *key, const struct vk_openssh_kdf *kdf,
    uint32_t checkint, vk_writer *w)
{
	const size_t block = kdf != NULL ? VK_OPENSSH_CIPHER_BLOCK : BLOCK;
	vk_writer priv;
	int rc;

	vk_writer_init(&priv, 1);
	if ((rc = vk_put_u32(&priv, checkint)) != VHKEY_OK ||
	    (rc = vk_put_u32(&priv, checkint)) != VHKEY_OK ||
	    (rc = vk_rsa_put_private(&priv, &key->rsa)) != VHKEY_OK ||
	    (rc = vk_put_cstring(&priv, key->comment)) != VHKEY_OK)
		goto out;
	for (uint8_t pad = 1; priv.len % block != 0; pad++)
		if ((rc = vk_put_u8(&priv, pad)) != VHKEY_OK)
			goto out;
	if (kdf != NULL &&
	    (rc = vk_openssh_crypt(vk_openssh_cipher(WRITE_CIPHER,
				       strlen(WRITE_CIPHER)),
		 1, kdf, key->pass, key->passlen, priv.data, priv.len)) !=
		VHKEY_OK)
		goto out;
	rc = put_envelope(w, key, kdf, &priv);
out:
	vk_writer_clear(&priv);
	return rc;
}

int
vk_openssh_encode(const vhkey *key, const struct vk_openssh_seal *seal,
    char **out, size_t *outlen)
{
	struct vk_openssh_seal fresh;
	struct vk_openssh_kdf kdf;
	vk_writer bin, text;
	char *b64 = NULL;
	size_t b64len = 0;
	int rc;

	*out = NULL;
	if (!vhkey_has_private(key))
		return VHKEY_ERR_NOT_PRIVATE;
	if (seal == NULL) {
		fresh.checkint = randombytes_random();
		randombytes_buf(fresh.salt, sizeof(fresh.salt));
		seal = &fresh;
	}
	kdf = (struct vk_openssh_kdf){ .salt = seal->salt,
		.saltlen = sizeof(seal->salt),
		.rounds = key->kdf_rounds };
	vk_writer_init(&bin, 1);
	vk_writer_init(&text, 1);
	if ((rc = encode_container(key, key->pass != NULL ? &kdf : NULL,
		 seal->checkint, &bin)) != VHKEY_OK)
		goto out;
	b64len = sodium_base64_ENCODED_LEN(bin.len,
	    sodium_base64_VARIANT_ORIGINAL);
	if ((b64 = vk_secret_alloc(b64len)) == NULL) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	sodium_bin2base64(b64, b64len, bin.data, bin.len,
	    sodium_base64_VARIANT_ORIGINAL);
	b64len = strlen(b64);
	if ((rc = vk_put_bytes(&text, MARK_BEGIN, sizeof(MARK_BEGIN) - 1)) !=
	    VHKEY_OK)
		goto out;
	for (size_t i = 0; i < b64len; i += WRAP) {
		size_t n = b64len - i < WRAP ? b64len - i : WRAP;
		if ((rc = vk_put_bytes(&text, b64 + i, n)) != VHKEY_OK ||
		    (rc = vk_put_u8(&text, '\n')) != VHKEY_OK)
			goto out;
	}
	if ((rc = vk_put_bytes(&text, MARK_END, sizeof(MARK_END) - 1)) !=
		VHKEY_OK ||
	    (rc = vk_put_u8(&text, '\0')) != VHKEY_OK)
		goto out;
	*out = (char *)vk_writer_take(&text, outlen);
	if (outlen != NULL)
		(*outlen)--; /* not the NUL */
out:
	vk_secret_release(b64);
	vk_writer_clear(&bin);
	vk_writer_clear(&text);
	return rc;
}

int
vhkey_private_to_openssh(const vhkey *key, char **out, size_t *outlen)
{
	if (key == NULL || out == NULL)
		return VHKEY_ERR_ARGUMENT;
	return vk_openssh_encode(key, NULL, out, outlen);
}

void
vhkey_secret_free(char *secret)
{
	vk_secret_release(secret);
}

/*
 * Find the base64 body between the armor lines, by OpenSSH's rule
 * (sshkey.c, private2_uudecode()): the text starts with the BEGIN line and
 * its newline, and the body ends at the first newline that the END line
 * and its own newline follow.  So CRLF armor lines, a missing final
 * newline, and anything (a BOM, a blank line, indentation) before BEGIN
 * make the key one ssh cannot load.  ssh ignores what follows the END
 * line; a strict reader allows only white space there.
 */
static int
unarmor(const char *s, size_t len, const char **body, size_t *bodylen)
{
	const size_t blen = sizeof(MARK_BEGIN) - 1, elen = sizeof(MARK_END) - 1;
	const char *p, *end = s + len, *nl;

	if (len < blen || memcmp(s, MARK_BEGIN, blen) != 0)
		return VHKEY_ERR_FORMAT;
	p = s + blen;
	for (nl = p; (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
		if ((size_t)(end - nl - 1) >= elen &&
		    memcmp(nl + 1, MARK_END, elen) == 0)
			break;
	if (nl == NULL)
		return VHKEY_ERR_TRUNCATED;
	for (const char *q = nl + 1 + elen; q < end; q++)
		if (*q != '\n' && *q != '\r' && *q != ' ' && *q != '\t')
			return VHKEY_ERR_TRAILING;
	*body = p;
	*bodylen = (size_t)(nl - p);
	return VHKEY_OK;
}

static int
check_padding(vk_reader *r, size_t block)
{
	size_t n = vk_reader_remaining(r);

	if (n >= block)
		return VHKEY_ERR_PADDING;
	for (size_t i = 0; i < n; i++)
		if (r->data[r->off + i] != (uint8_t)(i + 1))
			return VHKEY_ERR_PADDING;
	r->off += n;
	return VHKEY_OK;
}

static int
str_is(const char *s, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(s, want, len) == 0;
}

/* The unencrypted envelope of the container, up to the (maybe encrypted)
 * private section. */
struct envelope {
	const char *cipher, *kdf;
	size_t cipherlen, kdflen, kdfoptlen, publen, privlen;
	const uint8_t *kdfopt, *pub, *priv;
	size_t taglen; /* the bytes after the private section */
};

static int
read_envelope(const uint8_t *bin, size_t binlen, struct envelope *e)
{
	vk_reader r;
	uint32_t nkeys;
	int rc;

	vk_reader_init(&r, bin, binlen);
	if (binlen < MAGIC_LEN || memcmp(bin, MAGIC, MAGIC_LEN) != 0)
		return VHKEY_ERR_FORMAT;
	r.off = MAGIC_LEN;
	if ((rc = vk_get_cstring(&r, &e->cipher, &e->cipherlen)) != VHKEY_OK ||
	    (rc = vk_get_cstring(&r, &e->kdf, &e->kdflen)) != VHKEY_OK ||
	    (rc = vk_get_string(&r, &e->kdfopt, &e->kdfoptlen)) != VHKEY_OK ||
	    (rc = vk_get_u32(&r, &nkeys)) != VHKEY_OK)
		return rc;
	if (nkeys != 1)
		return VHKEY_ERR_FORMAT;
	if ((rc = vk_get_string(&r, &e->pub, &e->publen)) != VHKEY_OK ||
	    (rc = vk_get_string(&r, &e->priv, &e->privlen)) != VHKEY_OK)
		return rc;
	/* an AEAD cipher's tag, else trailing bytes (check_kdf() says) */
	e->taglen = vk_reader_remaining(&r);
	return VHKEY_OK;
}

/* The ciphers OpenSSH 9.2 encrypts a private key with (cipher.c): 1 and
 * the length of its authentication tag, which follows the private section
 * (sshkey.c, private2_decrypt()), in *taglen; 0 for another name. */
static int
known_cipher(const char *s, size_t len, size_t *taglen)
{
	static const struct {
		const char *name;
		size_t taglen;
	} known[] = { { "aes128-ctr", 0 }, { "aes192-ctr", 0 },
		{ "aes256-ctr", 0 }, { "aes128-cbc", 0 }, { "aes192-cbc", 0 },
		{ "aes256-cbc", 0 }, { "aes128-gcm@openssh.com", 16 },
		{ "aes256-gcm@openssh.com", 16 },
		{ "chacha20-poly1305@openssh.com", 16 }, { "3des-cbc", 0 } };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (str_is(s, len, known[i].name)) {
			*taglen = known[i].taglen;
			return 1;
		}
	return 0;
}

/*
 * The cipher and KDF: "none" and "none" with no options (kdf->rounds 0),
 * or a known cipher with "bcrypt" and its options, string salt and uint32
 * rounds, exactly.  rounds is what ssh must spend to unlock the key, and
 * the file sets it: bounded (VHKEY_KDF_ROUNDS_MAX) before anything else is
 * read, so that a file cannot make its check, or the user's ssh, run for
 * hours.
 */
static int
check_kdf(const struct envelope *e, struct vk_openssh_kdf *kdf)
{
	vk_reader r;
	size_t taglen;
	int rc;

	*kdf = (struct vk_openssh_kdf){ 0 };
	if (str_is(e->cipher, e->cipherlen, "none") &&
	    str_is(e->kdf, e->kdflen, "none"))
		return e->kdfoptlen != 0 ? VHKEY_ERR_FORMAT :
		    e->taglen != 0	 ? VHKEY_ERR_TRAILING :
					   VHKEY_OK;
	if (!known_cipher(e->cipher, e->cipherlen, &taglen) ||
	    !str_is(e->kdf, e->kdflen, "bcrypt"))
		return VHKEY_ERR_FORMAT;
	if (e->taglen != taglen)
		return VHKEY_ERR_TRAILING;
	vk_reader_init(&r, e->kdfopt, e->kdfoptlen);
	if ((rc = vk_get_string(&r, &kdf->salt, &kdf->saltlen)) != VHKEY_OK ||
	    (rc = vk_get_u32(&r, &kdf->rounds)) != VHKEY_OK ||
	    (rc = vk_reader_expect_end(&r)) != VHKEY_OK)
		return rc;
	if (kdf->saltlen < VK_BCRYPT_SALT_MIN ||
	    kdf->saltlen > VK_BCRYPT_SALT_MAX)
		return VHKEY_ERR_FORMAT;
	if (kdf->rounds < 1 || kdf->rounds > VHKEY_KDF_ROUNDS_MAX)
		return VHKEY_ERR_KDF_ROUNDS;
	return VHKEY_OK;
}

/* The comment and the padding 1, 2, 3, ... that end the private section:
 * the comment is the key's from here on. */
static int
get_comment_and_padding(vk_reader *pr, size_t block, vhkey *key)
{
	const char *comment;
	size_t clen;
	int rc;

	if ((rc = vk_get_cstring(pr, &comment, &clen)) != VHKEY_OK)
		return rc;
	if (!vk_comment_valid(comment, clen))
		return VHKEY_ERR_FORMAT;
	if ((rc = check_padding(pr, block)) != VHKEY_OK)
		return rc;
	return vk_key_set_comment(key, comment, clen);
}

/* RSA's private fields (n e d iqmp p q): the key pair, checked, replaces
 * the public numbers once it holds the same ones. */
static int
get_rsa_private(vk_reader *pr, vhkey *key)
{
	struct vk_rsa rsa = { 0 };
	int rc;

	if ((rc = vk_rsa_get_private(pr, &rsa)) != VHKEY_OK)
		return rc;
	if (BN_cmp(rsa.n, key->rsa.n) != 0 || BN_cmp(rsa.e, key->rsa.e) != 0) {
		vk_rsa_clear(&rsa);
		return VHKEY_ERR_PUBLIC_MISMATCH;
	}
	vk_rsa_clear(&key->rsa);
	key->rsa = rsa;
	return VHKEY_OK;
}

/*
 * Ed25519's private fields (PROTOCOL.key, sshkey.c): string pk (32 bytes),
 * string sk (64: the seed, then pk again).  pk must be the envelope's
 * public key and sk's copy of it; and the seed must give pk, or every
 * signature made with the key fails to verify (ssh itself loads such a key
 * and then cannot log in with it).  Only the check needs the seed: it is
 * not kept, and what was derived from it is wiped.
 */
static int
get_ed25519_private(vk_reader *pr, const vhkey *key)
{
	const uint8_t *pk, *sk;
	size_t pklen, sklen;
	uint8_t *derived;
	int rc;

	if ((rc = vk_get_string(pr, &pk, &pklen)) != VHKEY_OK ||
	    (rc = vk_get_string(pr, &sk, &sklen)) != VHKEY_OK)
		return rc;
	if (pklen != crypto_sign_PUBLICKEYBYTES ||
	    sklen != crypto_sign_SECRETKEYBYTES)
		return VHKEY_ERR_FORMAT;
	/* the blob ends with its 32-byte public key */
	if (key->bloblen < pklen ||
	    memcmp(pk, key->blob + key->bloblen - pklen, pklen) != 0)
		return VHKEY_ERR_PUBLIC_MISMATCH;
	derived = vk_secret_alloc(crypto_sign_PUBLICKEYBYTES +
	    crypto_sign_SECRETKEYBYTES);
	if (derived == NULL)
		return VHKEY_ERR_NOMEM;
	rc = VHKEY_ERR_KEY_CHECK;
	if (crypto_sign_seed_keypair(derived,
		derived + crypto_sign_PUBLICKEYBYTES, sk) == 0 &&
	    sodium_memcmp(derived, pk, pklen) == 0 &&
	    sodium_memcmp(sk + crypto_sign_SEEDBYTES, pk, pklen) == 0)
		rc = VHKEY_OK;
	vk_secret_release(derived);
	return rc;
}

/*
 * ECDSA's private fields (sshkey.c): string curve, string Q, mpint d.  The
 * curve and Q must be the envelope's, and d must give Q; d, a secure
 * BIGNUM, is cleared when freed and not kept.
 */
static int
get_ecdsa_private(vk_reader *pr, const vhkey *key)
{
	vk_reader blob;
	const char *name, *curve, *pubcurve;
	const uint8_t *q, *pubq;
	size_t namelen, curvelen, pubcurvelen, qlen, pubqlen;
	BIGNUM *d = NULL;
	int rc;

	/* the envelope's blob: string type, string curve, string Q */
	vk_reader_init(&blob, key->blob, key->bloblen);
	if ((rc = vk_get_cstring(&blob, &name, &namelen)) != VHKEY_OK ||
	    (rc = vk_get_cstring(&blob, &pubcurve, &pubcurvelen)) !=
		VHKEY_OK ||
	    (rc = vk_get_string(&blob, &pubq, &pubqlen)) != VHKEY_OK)
		return rc;
	if ((rc = vk_get_cstring(pr, &curve, &curvelen)) != VHKEY_OK ||
	    (rc = vk_get_string(pr, &q, &qlen)) != VHKEY_OK)
		return rc;
	if (curvelen != pubcurvelen || memcmp(curve, pubcurve, curvelen) != 0 ||
	    qlen != pubqlen || memcmp(q, pubq, qlen) != 0)
		return VHKEY_ERR_PUBLIC_MISMATCH;
	if ((rc = vk_get_bignum(pr, &d)) != VHKEY_OK)
		return rc;
	rc = vk_ecdsa_check_private(key->type, q, qlen, d);
	BN_clear_free(d);
	return rc;
}

/* The key types whose private fields are read. */
static int
private_readable(vhkey_type type)
{
	return type == VHKEY_TYPE_RSA || type == VHKEY_TYPE_ED25519 ||
	    type == VHKEY_TYPE_ECDSA_P256 || type == VHKEY_TYPE_ECDSA_P384 ||
	    type == VHKEY_TYPE_ECDSA_P521;
}

/*
 * The private section priv[0, len) (decrypted), padded to block, for the
 * key its envelope names.  Check integers that differ are a wrong
 * passphrase when the section was decrypted (as ssh-keygen decides: the
 * chance that a wrong one gives equal integers is 2^-32), else damage.
 */
static int
read_private_section(const uint8_t *priv, size_t len, size_t block,
    int decrypted, vhkey *key, uint32_t *checkint)
{
	vk_reader pr;
	const char *type;
	size_t typelen;
	uint32_t check1, check2;
	int rc;

	if (len < block || len % block != 0)
		return VHKEY_ERR_FORMAT;
	vk_reader_init(&pr, priv, len);
	if ((rc = vk_get_u32(&pr, &check1)) != VHKEY_OK ||
	    (rc = vk_get_u32(&pr, &check2)) != VHKEY_OK)
		return rc;
	if (check1 != check2)
		return decrypted ? VHKEY_ERR_BAD_PASSPHRASE : VHKEY_ERR_CHECKINT;
	if ((rc = vk_get_cstring(&pr, &type, &typelen)) != VHKEY_OK)
		return rc;
	if (!str_is(type, typelen, vhkey_type_name(key->type)))
		return VHKEY_ERR_PUBLIC_MISMATCH;
	rc = key->type == VHKEY_TYPE_RSA     ? get_rsa_private(&pr, key) :
	    key->type == VHKEY_TYPE_ED25519 ? get_ed25519_private(&pr, key) :
					      get_ecdsa_private(&pr, key);
	if (rc != VHKEY_OK ||
	    (rc = get_comment_and_padding(&pr, block, key)) != VHKEY_OK)
		return rc;
	*checkint = check1;
	return VHKEY_OK;
}

/* What a container is read for: its public key alone, or the whole key
 * with the passphrase pass[0, passlen) (NULL: none). */
struct request {
	int public_only;
	const char *pass;
	size_t passlen;
};

/* An encrypted private section, decrypted into guarded memory *plain
 * (released by the caller). */
static int
decrypt_private(const struct envelope *e, const struct vk_openssh_kdf *kdf,
    const struct request *rq, uint8_t **plain)
{
	int rc;

	*plain = NULL;
	if (e->privlen < VK_OPENSSH_CIPHER_BLOCK ||
	    e->privlen % VK_OPENSSH_CIPHER_BLOCK != 0)
		return VHKEY_ERR_FORMAT;
	if ((*plain = vk_secret_alloc(e->privlen)) == NULL)
		return VHKEY_ERR_NOMEM;
	memcpy(*plain, e->priv, e->privlen);
	if ((rc = vk_openssh_crypt(vk_openssh_cipher(e->cipher, e->cipherlen),
		 0, kdf, rq->pass, rq->passlen, *plain, e->privlen)) !=
	    VHKEY_OK) {
		vk_secret_release(*plain);
		*plain = NULL;
	}
	return rc;
}

/* The private section, decrypted first when the KDF is bcrypt. */
static int
read_private(const struct envelope *e, const struct vk_openssh_kdf *kdf,
    const struct request *rq, vhkey *key, uint32_t *checkint)
{
	uint8_t *plain;
	int rc;

	if (kdf->rounds == 0)
		return read_private_section(e->priv, e->privlen, BLOCK, 0, key,
		    checkint);
	if ((rc = decrypt_private(e, kdf, rq, &plain)) != VHKEY_OK)
		return rc;
	rc = read_private_section(plain, e->privlen, VK_OPENSSH_CIPHER_BLOCK,
	    1, key, checkint);
	vk_secret_release(plain);
	return rc;
}

static int
decode_container(const uint8_t *bin, size_t binlen,
    const struct request *rq, vhkey **out, struct vk_openssh_seal *seal)
{
	struct envelope e;
	struct vk_openssh_kdf kdf;
	uint32_t check = 0;
	vhkey *key = NULL;
	int rc;

	if ((rc = read_envelope(bin, binlen, &e)) != VHKEY_OK ||
	    (rc = check_kdf(&e, &kdf)) != VHKEY_OK)
		return rc;
	if (rq->public_only)
		return vk_key_from_blob(e.pub, e.publen, out);
	/* no passphrase, or a cipher we do not decrypt: before any work */
	if (kdf.rounds != 0 &&
	    (rq->pass == NULL ||
		vk_openssh_cipher(e.cipher, e.cipherlen) == NULL))
		return VHKEY_ERR_ENCRYPTED;
	if ((rc = vk_key_from_blob(e.pub, e.publen, &key)) != VHKEY_OK)
		return rc;
	/* RSA, Ed25519 and ECDSA private keys are read (only RSA ones are
	 * made); security keys' hold a handle to a device */
	if (!private_readable(key->type))
		rc = VHKEY_ERR_KEY_TYPE;
	else if ((rc = read_private(&e, &kdf, rq, key, &check)) == VHKEY_OK &&
	    kdf.rounds != 0)
		/* written again as it was read */
		rc = vhkey_set_passphrase(key, rq->pass, rq->passlen,
		    kdf.rounds);
	if (rc != VHKEY_OK) {
		vhkey_free(key);
		return rc;
	}
	if (seal != NULL) {
		seal->checkint = check;
		if (kdf.saltlen == sizeof(seal->salt))
			memcpy(seal->salt, kdf.salt, sizeof(seal->salt));
	}
	*out = key;
	return VHKEY_OK;
}

/* The body with its white space dropped, as OpenSSH's base64 decoder
 * (b64_pton) skips it, every other byte left for the decoder to judge;
 * then decoded by the one strict decoder every path uses (libsodium's
 * would take a byte from 0x80 up for '/').  In guarded memory, released
 * by the caller with vk_secret_release(). */
static int
decode_body(const char *body, size_t bodylen, uint8_t **bin, size_t *binlen)
{
	char *joined;
	size_t n = 0;
	int rc = VHKEY_OK;

	if ((joined = vk_secret_alloc(bodylen + 1)) == NULL)
		return VHKEY_ERR_NOMEM;
	for (size_t i = 0; i < bodylen; i++)
		if (!vk_is_c_space(body[i]))
			joined[n++] = body[i];
	if ((*bin = vk_secret_alloc(n / 4 * 3 + 1)) == NULL)
		rc = VHKEY_ERR_NOMEM;
	else if (vk_base64_decode(*bin, n / 4 * 3, joined, n, binlen) != 0) {
		vk_secret_release(*bin);
		*bin = NULL;
		rc = VHKEY_ERR_BASE64;
	}
	vk_secret_release(joined);
	return rc;
}

static int
open_container(const void *text, size_t len, uint8_t **binp, size_t *binlen)
{
	const char *body;
	size_t bodylen;
	int rc;

	*binp = NULL;
	if (len > VHKEY_FILE_MAX)
		return VHKEY_ERR_TOO_LARGE;
	if ((rc = unarmor(text, len, &body, &bodylen)) != VHKEY_OK)
		return rc;
	return decode_body(body, bodylen, binp, binlen);
}

static int
openssh_decode(const void *text, size_t len, const struct request *rq,
    vhkey **out, struct vk_openssh_seal *seal)
{
	uint8_t *bin;
	size_t binlen = 0;
	int rc;

	*out = NULL;
	if ((rc = open_container(text, len, &bin, &binlen)) != VHKEY_OK)
		return rc;
	rc = decode_container(bin, binlen, rq, out, seal);
	vk_secret_release(bin);
	return rc;
}

int
vk_openssh_decode(const void *text, size_t len, const char *pass,
    size_t passlen, vhkey **out, struct vk_openssh_seal *seal)
{
	const struct request rq = { .pass = passlen != 0 ? pass : NULL,
		.passlen = passlen };

	return openssh_decode(text, len, &rq, out, seal);
}

int
vk_openssh_public(const void *text, size_t len, vhkey **out)
{
	const struct request rq = { .public_only = 1 };

	return openssh_decode(text, len, &rq, out, NULL);
}

int
vk_openssh_kdf_rounds(const void *text, size_t len, uint32_t *rounds)
{
	struct envelope e;
	vk_reader r;
	const uint8_t *salt;
	uint8_t *bin;
	size_t binlen = 0, saltlen;
	int rc;

	*rounds = 0;
	if ((rc = open_container(text, len, &bin, &binlen)) != VHKEY_OK)
		return rc;
	if ((rc = read_envelope(bin, binlen, &e)) == VHKEY_OK &&
	    str_is(e.kdf, e.kdflen, "bcrypt")) {
		vk_reader_init(&r, e.kdfopt, e.kdfoptlen);
		if ((rc = vk_get_string(&r, &salt, &saltlen)) == VHKEY_OK)
			rc = vk_get_u32(&r, rounds);
	}
	vk_secret_release(bin);
	return rc;
}

int
vhkey_parse_private_passphrase(const void *text, size_t len,
    const char *pass, size_t passlen, vhkey **out)
{
	int rc;

	if (out == NULL || (text == NULL && len > 0) ||
	    (pass == NULL && passlen > 0))
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	if (pass != NULL && !vk_passphrase_valid(pass, passlen))
		return VHKEY_ERR_ARGUMENT;
	/* the key's numbers go to libsodium's guarded memory */
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	return vk_openssh_decode(text, len, pass, passlen, out, NULL);
}

int
vhkey_parse_private(const void *text, size_t len, vhkey **out)
{
	return vhkey_parse_private_passphrase(text, len, NULL, 0, out);
}
