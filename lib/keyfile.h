/*
 * keyfile.h - a key pair on disk as one transaction, shared by writing
 * (keywrite.c, which owns it) and rotating (keyrotate.c):
 *
 *	vk_pair_open()		both names, their directory open and checked
 *	vk_pair_prepare()	both texts written under temporary names
 *	(rotation: the old files linked to their backup names here)
 *	vk_pair_commit()	both renamed into place, the directory synced
 *	vk_pair_roll_back()	on failure: everything as it was
 *	vk_pair_close()		always
 *
 * and one file replaced the same way (vk_replace_file).
 */
#ifndef VHKEY_KEYFILE_H
#define VHKEY_KEYFILE_H

#include <sys/types.h>

#include "check.h"

/* One file of the pair, from its content to its place in the directory. */
struct vk_target {
	const char *path; /* as the caller named it, for messages */
	const char *name; /* its name inside the directory */
	mode_t mode;
	const char *data;
	size_t len;
	char tmp[64];	  /* temporary name inside the directory, or "" */
	char backup[320]; /* a hard link to the file replaced, or "" */
	int placed;	  /* moved to name by us */
};

/* The two names of a pair and the directory they are in. */
struct vk_pair {
	struct vk_target t[2]; /* private first: it decides who wins a race */
	char *pubpath;
	char *dir;
	int dirfd;
	int keep_backups; /* the backups are the caller's now: keep them */
};

/*
 * Work out both names (path and path.pub), open their directory (refused
 * when others may write to it, as StrictModes does) and check what is
 * there now against flags (VHKEY_WRITE_REPLACE or 0).  Close *pp with
 * vk_pair_close() whatever this returns.
 */
int vk_pair_open(struct vk_pair *pp, const char *path, unsigned flags,
    vhkey_error *err);
/* The texts of key's two files, written under temporary names; the caller
 * releases *privtext with vhkey_secret_free() and *pubtext with free(). */
int vk_pair_prepare(struct vk_pair *pp, const vhkey *key, char **privtext,
    char **pubtext, vhkey_error *err);
/* Move both temporary files to their names (flags[i] for file i: private,
 * public), then make it durable. */
int vk_pair_commit(struct vk_pair *pp, const unsigned flags[2],
    vhkey_error *err);
/* Undo what a failed transaction did: temporary files go, a file placed
 * goes, a file replaced comes back.  errno is kept. */
void vk_pair_roll_back(struct vk_pair *pp);
/* Close the directory; the backups go unless keep_backups was set. */
void vk_pair_close(struct vk_pair *pp);

/*
 * A key file that is to be replaced in place (rotated, rewritten), as
 * fstat() found it: the caller's own regular file with no other name (a
 * hard link would carry the change, or the backup's mode, to a file
 * elsewhere).  VHKEY_OK, or VHKEY_ERR_NOT_REGULAR, VHKEY_ERR_OWNER or
 * VHKEY_ERR_LINKED, recorded in err for path.
 */
int vk_replaceable(const struct stat *st, vhkey_error *err, const char *path);

/* Writes a file's content to fd: 0, or -1 with errno set. */
typedef int (*vk_fill_fn)(void *arg, int fd);

/* For vk_replace_file(): refuse a directory others may write to (unless
 * sticky), as vhkey_write_pair() does; for a file that holds a secret. */
#define VK_REPLACE_SAFE_DIR 0x1u

/*
 * Replace (or create) the one file path atomically, as each file of a pair
 * is written: a temporary file beside it, born 0600 whatever the umask,
 * filled, fsync'd, then given mode; renamed over path (a symbolic link
 * there is replaced, never followed); the directory fsync'd.  On failure,
 * path is as it was (the file replaced is put back, the temporary file
 * removed) and err names path.  vk_replace_file() writes data; the _with
 * form streams through fill (vhkey_repair_write()'s copy).
 */
int vk_replace_file(const char *path, const void *data, size_t len,
    mode_t mode, unsigned flags, vhkey_error *err);
int vk_replace_file_with(const char *path, mode_t mode, unsigned flags,
    vk_fill_fn fill, void *arg, vhkey_error *err);

#endif
