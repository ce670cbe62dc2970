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
/* A fresh temporary directory with the paths dir/id and dir/id.pub, and
 * the fixture key pair rsa2048 loaded (nothing written yet); asserts. */
struct tu_pair_dir {
	char *dir;
	char path[4096];
	char pub[4096];
	vhkey *key;
};
struct tu_pair_dir *tu_pair_dir_new(void);
/* The directory removed with what is in it, the key and fx freed. */
void tu_pair_dir_free(struct tu_pair_dir *fx);
/* A fixture key pair, loaded (asserts on failure). */
vhkey *tu_load_private(const char *name);
/* Base64 helpers for building hostile input. */
char *tu_b64(const uint8_t *bin, size_t len);
uint8_t *tu_unb64(const char *b64, size_t len, size_t *outlen);
/* Armor binary as an OpenSSH private key, wrapping at wrap columns (0: no
 * wrapping). */
char *tu_armor(const uint8_t *bin, size_t len, size_t wrap);
/* Assert that the key's "bits fingerprint comment (LABEL)" lines, SHA256
 * and MD5, are the fixtures name.sha256 and name.md5 (ssh-keygen -l). */
void tu_assert_keygen_l(const vhkey *key, const char *name);
/* A fixture public key file, loaded (asserts on failure). */
vhkey *tu_load_public(const char *file);
/* Assert that the key's public line is the fixture file's line. */
void tu_assert_line_is_file(const vhkey *key, const char *file);
/* The fixture name.pub is read as a key of this type, whose ssh-keygen -l
 * lines are name.sha256 and name.md5 and whose line is the file's. */
void tu_assert_public_fixture(const char *name, vhkey_type type);
/* What the library's blob decoder says of these bytes (asserting it hands
 * out no key on failure); a key it makes is freed. */
int tu_decode_blob(const uint8_t *blob, size_t len);
/* vhkey_parse_public()'s status for the line "type base64(blob)" (asserting
 * it hands out no key on failure); a key it makes is freed. */
int tu_parse_line(const char *type, const uint8_t *blob, size_t len);
/* End a blob being built: a security key's application string (unless app
 * is NULL), then extra zero bytes of junk. */
struct vk_writer;
void tu_put_tail(struct vk_writer *w, const char *app, size_t extra);

#endif
