/*
 * buf.h - bounded reader and writer for SSH wire format (RFC 4251 5).
 *
 * Nothing else in the library reads raw offsets out of key data: every
 * field goes through a vk_reader, which checks the remaining length before
 * each read and advances only when the read succeeds, so a failed read
 * leaves the reader where it was.
 */
#ifndef VHKEY_BUF_H
#define VHKEY_BUF_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>

/* No single wire object the library handles is larger than this. */
#define VK_WIRE_MAX (256u * 1024u)

typedef struct vk_reader {
	const uint8_t *data;
	size_t len;
	size_t off;
} vk_reader;

void vk_reader_init(vk_reader *r, const void *data, size_t len);
size_t vk_reader_remaining(const vk_reader *r);
/* VHKEY_OK when everything was read, else VHKEY_ERR_TRAILING. */
int vk_reader_expect_end(const vk_reader *r);

int vk_get_u32(vk_reader *r, uint32_t *v);
/* A length-prefixed string; *p points into the reader's data. */
int vk_get_string(vk_reader *r, const uint8_t **p, size_t *len);
/* A string that holds no NUL byte (a name or a comment). */
int vk_get_cstring(vk_reader *r, const char **p, size_t *len);
/*
 * A non-negative mpint in canonical form: no superfluous leading zero byte,
 * no sign bit set.  *p and *len give the magnitude (zero is len 0).
 */
int vk_get_mpint(vk_reader *r, const uint8_t **p, size_t *len);
/* The same, as a new BIGNUM in secure memory, cleared when freed. */
int vk_get_bignum(vk_reader *r, BIGNUM **out);
/* The same for a number that is no secret (a public key's): an ordinary
 * BIGNUM, quicker to make and to free. */
int vk_get_public_bignum(vk_reader *r, BIGNUM **out);

/*
 * A growable buffer that wipes every byte it held when it grows or is
 * freed.  A secret writer also keeps its bytes in libsodium's guarded,
 * locked memory that is left out of core dumps.
 */
typedef struct vk_writer {
	uint8_t *data;
	size_t len;
	size_t cap;
	int secret;
	uint8_t *own; /* the caller's buffer, or NULL */
} vk_writer;

void vk_writer_init(vk_writer *w, int secret);
/* A writer that starts in the caller's buf of cap bytes (not secret): it
 * moves to the heap only when it outgrows it, and wipes it when it moves
 * out or is cleared.  For a writer that lives in one call, so that its
 * usual content costs no allocation. */
void vk_writer_init_in(vk_writer *w, uint8_t *buf, size_t cap);
/* Wipe and release the buffer; the writer may be used again. */
void vk_writer_clear(vk_writer *w);
/* Wipe what was written and empty the writer, keeping its buffer. */
void vk_writer_wipe(vk_writer *w);
/* Hand the buffer over (the caller releases it: vk_secret_release() for a
 * secret writer, free() otherwise); the writer is left empty.  Bytes in
 * the caller's buffer (vk_writer_init_in()) are copied out to hand over:
 * NULL when that fails. */
uint8_t *vk_writer_take(vk_writer *w, size_t *len);

/* Make room for need more bytes after w->len (to write in place, then
 * add to w->len). */
int vk_writer_reserve(vk_writer *w, size_t need);

int vk_put_bytes(vk_writer *w, const void *p, size_t len);
int vk_put_u8(vk_writer *w, uint8_t v);
int vk_put_u32(vk_writer *w, uint32_t v);
int vk_put_string(vk_writer *w, const void *p, size_t len);
int vk_put_cstring(vk_writer *w, const char *s);
int vk_put_bignum(vk_writer *w, const BIGNUM *bn);

/* Allocation for secrets: guarded, locked, wiped on release. */
void *vk_secret_alloc(size_t len);
void vk_secret_release(void *p);

#endif
