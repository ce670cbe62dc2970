/*
 * memo.c - verdicts remembered by the exact bytes they were reached on.
 *
 * The weak-key tests of an RSA modulus cost far more than everything else
 * a check does (strength.c), and they depend on the public key alone.  An
 * inventory of authorized_keys files names the same key many times (one
 * person's key in every account they reach), so a bulk check remembers
 * each key's outcome and tests a key it has seen once.
 *
 * A memo is a fixed table of slots, one per hash value: a new entry
 * replaces the old one in its slot, so memory stays bounded however many
 * keys go through.  An entry is found only by comparing the whole key, so
 * a hash collision costs a recomputation, never a wrong verdict.  The hash
 * is SipHash under a key drawn for each memo, so that nobody can choose
 * keys that all land in one slot.  The memo takes its own lock: threads
 * checking one file share it.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "vhkey_internal.h"

struct slot {
	uint8_t *bytes; /* NULL: empty */
	size_t len;
	uint64_t value;
};

struct vk_memo {
	pthread_mutex_t lock;
	unsigned char hashkey[crypto_shorthash_KEYBYTES];
	size_t mask; /* slots - 1 */
	struct slot *slots;
};

int
vk_memo_new(struct vk_memo **out, unsigned slot_bits)
{
	struct vk_memo *m;

	*out = NULL;
	if (slot_bits == 0 || slot_bits > 16)
		return VHKEY_ERR_ARGUMENT;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return VHKEY_ERR_NOMEM;
	m->mask = ((size_t)1 << slot_bits) - 1;
	if ((m->slots = calloc(m->mask + 1, sizeof(*m->slots))) == NULL ||
	    pthread_mutex_init(&m->lock, NULL) != 0) {
		free(m->slots);
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
	for (size_t i = 0; i <= m->mask; i++)
		free(m->slots[i].bytes);
	free(m->slots);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

static struct slot *
slot_of(struct vk_memo *m, const void *key, size_t len)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v = 0;

	crypto_shorthash(h, key, len, m->hashkey);
	for (size_t i = 0; i < sizeof(h); i++)
		v = v << 8 | h[i];
	return &m->slots[v & m->mask];
}

int
vk_memo_get(struct vk_memo *m, const void *key, size_t len, uint64_t *value)
{
	struct slot *s;
	int found;

	if (m == NULL)
		return 0;
	s = slot_of(m, key, len);
	pthread_mutex_lock(&m->lock);
	found = s->bytes != NULL && s->len == len &&
	    memcmp(s->bytes, key, len) == 0;
	if (found)
		*value = s->value;
	pthread_mutex_unlock(&m->lock);
	return found;
}

void
vk_memo_put(struct vk_memo *m, const void *key, size_t len, uint64_t value)
{
	struct slot *s;
	uint8_t *copy, *old = NULL;

	if (m == NULL || len == 0 || (copy = malloc(len)) == NULL)
		return; /* not remembered: only the next check costs more */
	memcpy(copy, key, len);
	s = slot_of(m, key, len);
	pthread_mutex_lock(&m->lock);
	old = s->bytes;
	s->bytes = copy;
	s->len = len;
	s->value = value;
	pthread_mutex_unlock(&m->lock);
	free(old);
}
