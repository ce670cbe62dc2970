/* fuzzutil.h - seeded random mutations of key text, for the fuzz loops
 * (tests/test_paste.c and tests/mutate.c, which feeds paste_fuzz.sh). */
#ifndef VHKEY_FUZZUTIL_H
#define VHKEY_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

/* The same seed gives the same sequence, on every machine. */
void fu_seed(uint64_t seed);
uint32_t fu_rand(void);
/* One random mutation of buf (len bytes, with room for len + 4): a bit
 * flipped, a byte inserted, deleted or replaced, the end cut off, or a
 * short run doubled.  Returns the new length. */
size_t fu_mutate(char *buf, size_t len);

#endif
