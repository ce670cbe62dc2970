/*
 * memo.c - verdicts remembered by the exact bytes they were reached on.
 *
 * The weak-key tests of an RSA modulus cost far more than everything else
 * a check does (strength.c), and they depend on the public key alone.  An
 * inventory of authorized_keys files names the same key many times (one
 * person's key in every account they reach), so a bulk check remembers
 * each key's outcome and tests a key it has seen once.
 *
 * A memo is a fixed table of sets of WAYS entries each, a set chosen by
 * the key's hash; a new entry takes the place of its set's least recently
 * used one, so memory stays bounded however many keys go through, and a
 * few keys that share a set do not push each other out.  An entry is found
 * only by comparing the whole key, so a hash collision costs a
 * recomputation, never a wrong verdict.  The hash is SipHash under a key
 * drawn for each memo, so that nobody who does not know it can choose
 * keys that all land in one set.  A memo belongs to one thread: threads checking one file each
 * have their own, which costs each distinct key one test per thread at
 * most, and no lock (a shared memo's lock, taken for every line, kept
 * two threads waiting on each other).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core.h"

#define WAYS 4

struct entry {
	uint8_t *bytes; /* NULL: empty */
	size_t len;
	uint64_t value;
	uint64_t used; /* the memo's clock when last found or put */
};

struct vk_memo {
	void (*drop)(uint64_t); /* releases a value the memo lets go, or NULL */
	unsigned char hashkey[crypto_shorthash_KEYBYTES];
	size_t mask; /* sets - 1 */
	uint64_t clock;
	struct entry *sets; /* WAYS entries a set */
};

int
vk_memo_new(struct vk_memo **out, unsigned set_bits, void (*drop)(uint64_t))
{
	struct vk_memo *m;

	*out = NULL;
	if (set_bits > 16)
		return VHKEY_ERR_ARGUMENT;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return VHKEY_ERR_NOMEM;
	m->mask = ((size_t)1 << set_bits) - 1;
	m->drop = drop;
	if ((m->sets = calloc((m->mask + 1) * WAYS, sizeof(*m->sets))) ==
	    NULL) {
		free(m);
		return VHKEY_ERR_NOMEM;
	}
	randombytes_buf(m->hashkey, sizeof(m->hashkey));
	*out = m;
	return VHKEY_OK;
}

void
vk_memo_free(struct vk_memo *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < (m->mask + 1) * WAYS; i++) {
		if (m->sets[i].bytes != NULL && m->drop != NULL)
			m->drop(m->sets[i].value);
		free(m->sets[i].bytes);
	}
	free(m->sets);
	free(m);
}

/* The hash covers a key's length and its last HASHED bytes at most: keys
 * are compared whole anyway, and the end of a key (a fingerprint, the
 * base64 of a modulus) is where keys differ.  Keys made to share their
 * ends only crowd one set: they cost recomputation, never a wrong value. */
#define HASHED 64

static struct entry *
set_of(const struct vk_memo *m, const void *key, size_t len)
{
	unsigned char in[HASHED + 8], h[crypto_shorthash_BYTES];
	size_t n = len < HASHED ? len : HASHED;
	uint64_t v = 0;

	for (size_t i = 0; i < 8; i++)
		in[i] = (unsigned char)((uint64_t)len >> (8 * i));
	memcpy(in + 8, (const unsigned char *)key + len - n, n);
	crypto_shorthash(h, in, 8 + n, m->hashkey);
	for (size_t i = 0; i < sizeof(h); i++)
		v = v << 8 | h[i];
	return &m->sets[(v & m->mask) * WAYS];
}

/* The entry for key in its set, or NULL. */
static struct entry *
find(struct entry *set, const void *key, size_t len)
{
	for (size_t w = 0; w < WAYS; w++)
		if (set[w].bytes != NULL && set[w].len == len &&
		    memcmp(set[w].bytes, key, len) == 0)
			return &set[w];
	return NULL;
}

int
vk_memo_get(struct vk_memo *m, const void *key, size_t len, uint64_t *value)
{
	struct entry *set, *e;

	if (m == NULL)
		return 0;
	set = set_of(m, key, len);
	if ((e = find(set, key, len)) != NULL) {
		*value = e->value;
		e->used = ++m->clock;
	}
	return e != NULL;
}

void
vk_memo_put(struct vk_memo *m, const void *key, size_t len, uint64_t value)
{
	struct entry *set, *e;
	uint8_t *copy;

	if (m == NULL || len == 0 || (copy = malloc(len)) == NULL) {
		/* not remembered: only the next check costs more */
		if (m != NULL && m->drop != NULL)
			m->drop(value);
		return;
	}
	memcpy(copy, key, len);
	set = set_of(m, key, len);
	if ((e = find(set, key, len)) == NULL) {
		/* an empty entry (used 0), or the least recently used */
		e = &set[0];
		for (size_t w = 1; w < WAYS; w++)
			if (set[w].used < e->used)
				e = &set[w];
	}
	if (e->bytes != NULL && m->drop != NULL)
		m->drop(e->value);
	free(e->bytes);
	e->bytes = copy;
	e->len = len;
	e->value = value;
	e->used = ++m->clock;
}

/* ------------------------------------------------------ decoded keys */

/*
 * Keys decoded before (check.h).  A file of keys names the same key on many lines;
 * its key data, the same text each time, decodes to the same blob, hence
 * the same key: the memo keeps a copy (with its SHA-256 fingerprint)
 * under the exact base64, and a line with that very text gets a copy
 * back, without decoding, parsing or hashing again.  Only the plain case
 * is remembered, key data in one piece that decodes whole to a key; the
 * checks that depend on the line (its type name, its comment) still run.
 */
static void
drop_key(uint64_t v)
{
	vhkey_free((vhkey *)(uintptr_t)v);
}

/* 2^6 sets of 4: 256 keys (fewer sets let a few of a file's keys share
 * one and push each other out on every line), about 600 KB for RSA-4096
 * keys (key data longer than VK_KEY_MEMO_MAX_B64 is not remembered). */
#define KEY_MEMO_SET_BITS 6

int
vk_key_memo_new(struct vk_memo **memo)
{
	return vk_memo_new(memo, KEY_MEMO_SET_BITS, drop_key);
}
