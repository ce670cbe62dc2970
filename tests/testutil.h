/* testutil.h - small helpers shared by the unit tests. */
#ifndef VHKEY_TESTUTIL_H
#define VHKEY_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "vhkey.h"

/* The path of a fixture in tests/data (static buffer: one at a time). */
const char *tu_data(const char *name);
/* A whole file, NUL-terminated; NULL if it cannot be read. */
char *tu_read_file(const char *path, size_t *len);
int tu_write_file(const char *path, const void *data, size_t len, int mode);
/* A fresh temporary directory, and its removal with what is in it. */
char *tu_mkdtemp(void);
void tu_rmtree(char *dir);
/* The permission bits of path (not following a link); asserts. */
unsigned tu_mode(const char *path);
/* How many entries a directory holds, "." and ".." aside. */
int tu_count_entries(const char *dir);
/* A fixture key pair, loaded (asserts on failure). */
vhkey *tu_load_private(const char *name);
/* Base64 helpers for building hostile input. */
char *tu_b64(const uint8_t *bin, size_t len);
uint8_t *tu_unb64(const char *b64, size_t len, size_t *outlen);
/* Armor binary as an OpenSSH private key, wrapping at wrap columns (0: no
 * wrapping). */
char *tu_armor(const uint8_t *bin, size_t len, size_t wrap);

#endif
