/*
 * openssh.c - OpenSSH's openssh-key-v1 private key container (PROTOCOL.key),
 * unencrypted, byte for byte as ssh-keygen -N '' writes it.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "vhkey_internal.h"

#define MAGIC "openssh-key-v1" /* and its NUL: 15 bytes */
#define MAGIC_LEN 15
#define MARK_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define MARK_END "-----END OPENSSH PRIVATE KEY-----"
#define WRAP 70
#define BLOCK 8 /* the block size of cipher "none" */

static int
encode_container(const vhkey *key, uint32_t checkint, vk_writer *w)
{
	vk_writer priv;
	int rc;

	vk_writer_init(&priv, 1);
	if ((rc = vk_put_u32(&priv, checkint)) != VHKEY_OK ||
	    (rc = vk_put_u32(&priv, checkint)) != VHKEY_OK ||
	    (rc = vk_rsa_put_private(&priv, &key->rsa)) != VHKEY_OK ||
	    (rc = vk_put_cstring(&priv, key->comment)) != VHKEY_OK)
		goto out;
	for (uint8_t pad = 1; priv.len % BLOCK != 0; pad++)
		if ((rc = vk_put_u8(&priv, pad)) != VHKEY_OK)
			goto out;
	if ((rc = vk_put_bytes(w, MAGIC, MAGIC_LEN)) != VHKEY_OK ||
	    (rc = vk_put_cstring(w, "none")) != VHKEY_OK ||
	    (rc = vk_put_cstring(w, "none")) != VHKEY_OK ||
	    (rc = vk_put_string(w, NULL, 0)) != VHKEY_OK ||
	    (rc = vk_put_u32(w, 1)) != VHKEY_OK ||
	    (rc = vk_put_string(w, key->blob, key->bloblen)) != VHKEY_OK ||
	    (rc = vk_put_string(w, priv.data, priv.len)) != VHKEY_OK)
		goto out;
out:
	vk_writer_clear(&priv);
	return rc;
}

int
vk_openssh_encode(const vhkey *key, uint32_t checkint, char **out,
    size_t *outlen)
{
	vk_writer bin, text;
	char *b64 = NULL;
	size_t b64len = 0;
	int rc;

	*out = NULL;
	if (!vhkey_has_private(key))
		return VHKEY_ERR_NOT_PRIVATE;
	vk_writer_init(&bin, 1);
	vk_writer_init(&text, 1);
	if ((rc = encode_container(key, checkint, &bin)) != VHKEY_OK)
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
	if ((rc = vk_put_bytes(&text, MARK_BEGIN "\n",
		 sizeof(MARK_BEGIN))) != VHKEY_OK)
		goto out;
	for (size_t i = 0; i < b64len; i += WRAP) {
		size_t n = b64len - i < WRAP ? b64len - i : WRAP;
		if ((rc = vk_put_bytes(&text, b64 + i, n)) != VHKEY_OK ||
		    (rc = vk_put_u8(&text, '\n')) != VHKEY_OK)
			goto out;
	}
	if ((rc = vk_put_bytes(&text, MARK_END "\n",
		 sizeof(MARK_END))) != VHKEY_OK ||
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
	uint32_t checkint;

	if (key == NULL || out == NULL)
		return VHKEY_ERR_ARGUMENT;
	checkint = randombytes_random();
	return vk_openssh_encode(key, checkint, out, outlen);
}

void
vhkey_secret_free(char *secret)
{
	vk_secret_release(secret);
}

/* Find the base64 body between the armor lines.  The text starts with the
 * BEGIN line; after the END line only white space may follow. */
static int
unarmor(const char *s, size_t len, const char **body, size_t *bodylen)
{
	const size_t blen = sizeof(MARK_BEGIN) - 1, elen = sizeof(MARK_END) - 1;
	const char *p, *end = s + len, *mark;

	if (len < blen || memcmp(s, MARK_BEGIN, blen) != 0)
		return VHKEY_ERR_FORMAT;
	p = s + blen;
	if (p < end && *p == '\r')
		p++;
	if (p >= end || *p != '\n')
		return VHKEY_ERR_FORMAT;
	p++;
	if ((mark = memmem(p, (size_t)(end - p), MARK_END, elen)) == NULL)
		return VHKEY_ERR_TRUNCATED;
	for (const char *q = mark + elen; q < end; q++)
		if (*q != '\n' && *q != '\r' && *q != ' ' && *q != '\t')
			return VHKEY_ERR_TRAILING;
	*body = p;
	*bodylen = (size_t)(mark - p);
	return VHKEY_OK;
}

static int
check_padding(vk_reader *r)
{
	size_t n = vk_reader_remaining(r);

	if (n >= BLOCK)
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
	const uint8_t *pub, *priv;
};

static int
read_envelope(const uint8_t *bin, size_t binlen, struct envelope *e)
{
	vk_reader r;
	const uint8_t *kdfopt;
	uint32_t nkeys;
	int rc;

	vk_reader_init(&r, bin, binlen);
	if (binlen < MAGIC_LEN || memcmp(bin, MAGIC, MAGIC_LEN) != 0)
		return VHKEY_ERR_FORMAT;
	r.off = MAGIC_LEN;
	if ((rc = vk_get_cstring(&r, &e->cipher, &e->cipherlen)) != VHKEY_OK ||
	    (rc = vk_get_cstring(&r, &e->kdf, &e->kdflen)) != VHKEY_OK ||
	    (rc = vk_get_string(&r, &kdfopt, &e->kdfoptlen)) != VHKEY_OK ||
	    (rc = vk_get_u32(&r, &nkeys)) != VHKEY_OK)
		return rc;
	if (nkeys != 1)
		return VHKEY_ERR_FORMAT;
	if ((rc = vk_get_string(&r, &e->pub, &e->publen)) != VHKEY_OK ||
	    (rc = vk_get_string(&r, &e->priv, &e->privlen)) != VHKEY_OK)
		return rc;
	return vk_reader_expect_end(&r);
}

static int
decode_container(const uint8_t *bin, size_t binlen, int public_only,
    vhkey **out, uint32_t *checkint)
{
	struct envelope e;
	vk_reader pr;
	const char *type, *comment;
	size_t typelen, clen;
	uint32_t check1, check2;
	vhkey *key = NULL;
	int rc;

	if ((rc = read_envelope(bin, binlen, &e)) != VHKEY_OK)
		return rc;
	if (public_only)
		return vk_key_from_blob(e.pub, e.publen, out);
	if (!str_is(e.cipher, e.cipherlen, "none") ||
	    !str_is(e.kdf, e.kdflen, "none"))
		return str_is(e.kdf, e.kdflen, "none") ||
			str_is(e.cipher, e.cipherlen, "none") ?
		    VHKEY_ERR_FORMAT :
		    VHKEY_ERR_ENCRYPTED;
	if (e.kdfoptlen != 0)
		return VHKEY_ERR_FORMAT;
	if (e.privlen < BLOCK || e.privlen % BLOCK != 0)
		return VHKEY_ERR_FORMAT;
	if ((rc = vk_key_from_blob(e.pub, e.publen, &key)) != VHKEY_OK)
		return rc;
	if (key->type != VHKEY_TYPE_RSA) {
		/* only RSA private keys are read (and made) */
		rc = VHKEY_ERR_KEY_TYPE;
		goto out;
	}

	vk_reader_init(&pr, e.priv, e.privlen);
	if ((rc = vk_get_u32(&pr, &check1)) != VHKEY_OK ||
	    (rc = vk_get_u32(&pr, &check2)) != VHKEY_OK)
		goto out;
	if (check1 != check2) {
		rc = VHKEY_ERR_CHECKINT;
		goto out;
	}
	if ((rc = vk_get_cstring(&pr, &type, &typelen)) != VHKEY_OK)
		goto out;
	if (!str_is(type, typelen, vhkey_type_name(key->type))) {
		rc = VHKEY_ERR_PUBLIC_MISMATCH;
		goto out;
	}
	{
		/* the public numbers stay in key until the private ones check */
		struct vk_rsa rsa = { 0 };

		if ((rc = vk_rsa_get_private(&pr, &rsa)) != VHKEY_OK)
			goto out;
		if (BN_cmp(rsa.n, key->rsa.n) != 0 ||
		    BN_cmp(rsa.e, key->rsa.e) != 0) {
			vk_rsa_clear(&rsa);
			rc = VHKEY_ERR_PUBLIC_MISMATCH;
			goto out;
		}
		vk_rsa_clear(&key->rsa);
		key->rsa = rsa;
	}
	if ((rc = vk_get_cstring(&pr, &comment, &clen)) != VHKEY_OK)
		goto out;
	if (!vk_comment_valid(comment, clen)) {
		rc = VHKEY_ERR_FORMAT;
		goto out;
	}
	if ((rc = check_padding(&pr)) != VHKEY_OK)
		goto out;
	free(key->comment);
	if ((key->comment = strndup(comment, clen)) == NULL) {
		rc = VHKEY_ERR_NOMEM;
		goto out;
	}
	if (checkint != NULL)
		*checkint = check1;
	*out = key;
	key = NULL;
out:
	vhkey_free(key);
	return rc;
}

/* The body's lines joined (CR and LF dropped, every other byte left for
 * the decoder to judge), then decoded by the one strict decoder every
 * path uses: libsodium's would take a byte from 0x80 up for '/'. */
static int
decode_body(const char *body, size_t bodylen, uint8_t **bin, size_t *binlen)
{
	char *joined;
	size_t n = 0;
	int rc = VHKEY_OK;

	if ((joined = vk_secret_alloc(bodylen + 1)) == NULL)
		return VHKEY_ERR_NOMEM;
	for (size_t i = 0; i < bodylen; i++)
		if (body[i] != '\r' && body[i] != '\n')
			joined[n++] = body[i];
	if ((*bin = vk_secret_alloc(n / 4 * 3 + 1)) == NULL)
		rc = VHKEY_ERR_NOMEM;
	else if (vk_base64_decode(*bin, n / 4 * 3, joined, n, binlen) != 0)
		rc = VHKEY_ERR_BASE64;
	vk_secret_release(joined);
	return rc;
}

static int
openssh_decode(const void *text, size_t len, int public_only, vhkey **out,
    uint32_t *checkint)
{
	const char *body;
	size_t bodylen, binlen;
	uint8_t *bin = NULL;
	int rc;

	*out = NULL;
	if (len > VHKEY_FILE_MAX)
		return VHKEY_ERR_TOO_LARGE;
	if ((rc = unarmor(text, len, &body, &bodylen)) != VHKEY_OK)
		return rc;
	if ((rc = decode_body(body, bodylen, &bin, &binlen)) == VHKEY_OK)
		rc = decode_container(bin, binlen, public_only, out, checkint);
	vk_secret_release(bin);
	return rc;
}

int
vk_openssh_decode(const void *text, size_t len, vhkey **out,
    uint32_t *checkint)
{
	return openssh_decode(text, len, 0, out, checkint);
}

int
vk_openssh_public(const void *text, size_t len, vhkey **out)
{
	return openssh_decode(text, len, 1, out, NULL);
}

int
vhkey_parse_private(const void *text, size_t len, vhkey **out)
{
	int rc;

	if (out == NULL || (text == NULL && len > 0))
		return VHKEY_ERR_ARGUMENT;
	*out = NULL;
	/* the key's numbers go to libsodium's guarded memory */
	if ((rc = vhkey_init()) != VHKEY_OK)
		return rc;
	return vk_openssh_decode(text, len, out, NULL);
}
