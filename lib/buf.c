/*
 * buf.c - bounded reader and writer for SSH wire format.
 */
#include "config.h"

#include <string.h>
#include <stdlib.h>

#include <sodium.h>

#include "vhkey.h"
#include "buf.h"

void
vk_reader_init(vk_reader *r, const void *data, size_t len)
{
	r->data = data;
	r->len = len;
	r->off = 0;
}

size_t
vk_reader_remaining(const vk_reader *r)
{
	return r->len - r->off;
}

int
vk_reader_expect_end(const vk_reader *r)
{
	return vk_reader_remaining(r) == 0 ? VHKEY_OK : VHKEY_ERR_TRAILING;
}

static uint32_t
load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int
vk_get_u32(vk_reader *r, uint32_t *v)
{
	if (vk_reader_remaining(r) < 4)
		return VHKEY_ERR_TRUNCATED;
	*v = load_be32(r->data + r->off);
	r->off += 4;
	return VHKEY_OK;
}

int
vk_get_string(vk_reader *r, const uint8_t **p, size_t *len)
{
	size_t avail = vk_reader_remaining(r);
	uint32_t n;

	if (avail < 4)
		return VHKEY_ERR_TRUNCATED;
	n = load_be32(r->data + r->off);
	/* Compare against what is left, never compute off + 4 + n first. */
	if (n > VK_WIRE_MAX)
		return VHKEY_ERR_TOO_LARGE;
	if (n > avail - 4)
		return VHKEY_ERR_TRUNCATED;
	*p = r->data + r->off + 4;
	*len = n;
	r->off += 4 + (size_t)n;
	return VHKEY_OK;
}

int
vk_get_cstring(vk_reader *r, const char **p, size_t *len)
{
	vk_reader save = *r;
	const uint8_t *s;
	size_t n;
	int rc;

	if ((rc = vk_get_string(r, &s, &n)) != VHKEY_OK)
		return rc;
	if (memchr(s, '\0', n) != NULL) {
		*r = save;
		return VHKEY_ERR_FORMAT;
	}
	*p = (const char *)s;
	*len = n;
	return VHKEY_OK;
}

int
vk_get_mpint(vk_reader *r, const uint8_t **p, size_t *len)
{
	vk_reader save = *r;
	const uint8_t *s;
	size_t n;
	int rc;

	if ((rc = vk_get_string(r, &s, &n)) != VHKEY_OK)
		return rc;
	if (n > 0 && (s[0] & 0x80) != 0) {
		/* negative: no key number is */
		*r = save;
		return VHKEY_ERR_MPINT;
	}
	if (n > 0 && s[0] == 0x00) {
		/* a zero byte is only there to clear the sign bit */
		if (n == 1 || (s[1] & 0x80) == 0) {
			*r = save;
			return VHKEY_ERR_MPINT;
		}
		s++;
		n--;
	}
	*p = s;
	*len = n;
	return VHKEY_OK;
}

static int
get_bignum(vk_reader *r, BIGNUM **out, int secret)
{
	vk_reader save = *r;
	const uint8_t *p;
	size_t n;
	BIGNUM *bn;
	int rc;

	*out = NULL;
	if ((rc = vk_get_mpint(r, &p, &n)) != VHKEY_OK)
		return rc;
	bn = secret ? BN_secure_new() : BN_new();
	if (bn == NULL || BN_bin2bn(p, (int)n, bn) == NULL) {
		BN_clear_free(bn);
		*r = save;
		return VHKEY_ERR_NOMEM;
	}
	*out = bn;
	return VHKEY_OK;
}

int
vk_get_bignum(vk_reader *r, BIGNUM **out)
{
	return get_bignum(r, out, 1);
}

int
vk_get_public_bignum(vk_reader *r, BIGNUM **out)
{
	return get_bignum(r, out, 0);
}

/* ---------------------------------------------------------------- writer */

void *
vk_secret_alloc(size_t len)
{
	return sodium_malloc(len);
}

void
vk_secret_release(void *p)
{
	sodium_free(p); /* wipes; NULL is a no-op */
}

void
vk_writer_init(vk_writer *w, int secret)
{
	w->data = NULL;
	w->len = 0;
	w->cap = 0;
	w->secret = secret;
	w->own = NULL;
}

void
vk_writer_init_in(vk_writer *w, uint8_t *buf, size_t cap)
{
	vk_writer_init(w, 0);
	w->data = w->own = buf;
	w->cap = cap;
}

/* Wipe and give back the writer's buffer (the caller's is only wiped). */
static void
release(vk_writer *w)
{
	if (w->data == NULL)
		return;
	if (w->secret) {
		vk_secret_release(w->data);
	} else {
		sodium_memzero(w->data, w->cap);
		if (w->data != w->own)
			free(w->data);
	}
}

void
vk_writer_clear(vk_writer *w)
{
	release(w);
	w->data = NULL;
	w->len = 0;
	w->cap = 0;
}

void
vk_writer_wipe(vk_writer *w)
{
	if (w->data != NULL)
		sodium_memzero(w->data, w->len);
	w->len = 0;
}

uint8_t *
vk_writer_take(vk_writer *w, size_t *len)
{
	uint8_t *p = w->data;

	if (p != NULL && p == w->own) {
		if ((p = malloc(w->len > 0 ? w->len : 1)) != NULL)
			memcpy(p, w->data, w->len);
		release(w);
	}
	if (len != NULL)
		*len = p != NULL ? w->len : 0;
	w->data = NULL;
	w->len = 0;
	w->cap = 0;
	return p;
}

/* Never realloc, so no copy is left behind unwiped. */
int
vk_writer_reserve(vk_writer *w, size_t need)
{
	size_t cap;
	uint8_t *p;

	if (need > VK_WIRE_MAX || w->len > VK_WIRE_MAX - need)
		return VHKEY_ERR_TOO_LARGE;
	if (w->len + need <= w->cap)
		return VHKEY_OK;
	cap = w->cap ? w->cap : 256;
	while (cap < w->len + need)
		cap *= 2;
	p = w->secret ? vk_secret_alloc(cap) : malloc(cap);
	if (p == NULL)
		return VHKEY_ERR_NOMEM;
	if (w->len > 0)
		memcpy(p, w->data, w->len);
	release(w);
	w->data = p;
	w->cap = cap;
	return VHKEY_OK;
}

int
vk_put_bytes(vk_writer *w, const void *p, size_t len)
{
	int rc;

	if ((rc = vk_writer_reserve(w, len)) != VHKEY_OK)
		return rc;
	if (len > 0)
		memcpy(w->data + w->len, p, len);
	w->len += len;
	return VHKEY_OK;
}

int
vk_put_u8(vk_writer *w, uint8_t v)
{
	return vk_put_bytes(w, &v, 1);
}

int
vk_put_u32(vk_writer *w, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	return vk_put_bytes(w, b, sizeof(b));
}

int
vk_put_string(vk_writer *w, const void *p, size_t len)
{
	int rc;

	if (len > VK_WIRE_MAX)
		return VHKEY_ERR_TOO_LARGE;
	if ((rc = vk_writer_reserve(w, 4 + len)) != VHKEY_OK)
		return rc;
	(void)vk_put_u32(w, (uint32_t)len);
	return vk_put_bytes(w, p, len);
}

int
vk_put_cstring(vk_writer *w, const char *s)
{
	return vk_put_string(w, s, strlen(s));
}

int
vk_put_bignum(vk_writer *w, const BIGNUM *bn)
{
	size_t n = (size_t)BN_num_bytes(bn);
	/* a leading zero byte keeps a set top bit from reading as a sign */
	size_t pad = (n > 0 && BN_is_bit_set(bn, (int)n * 8 - 1)) ? 1 : 0;
	size_t start = w->len;
	int rc;

	if (BN_is_negative(bn))
		return VHKEY_ERR_ARGUMENT;
	if ((rc = vk_writer_reserve(w, 4 + pad + n)) != VHKEY_OK)
		return rc;
	(void)vk_put_u32(w, (uint32_t)(pad + n));
	if (pad)
		(void)vk_put_u8(w, 0);
	/* reserve() made room: write the magnitude straight into place */
	if (BN_bn2binpad(bn, w->data + w->len, (int)n) != (int)n) {
		w->len = start;
		return VHKEY_ERR_CRYPTO;
	}
	w->len += n;
	return VHKEY_OK;
}
