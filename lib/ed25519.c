/*
 * ed25519.c - the Ed25519 public key field of ssh-ed25519 and
 * sk-ssh-ed25519@openssh.com keys.
 *
 * Like OpenSSH, any 32 bytes are taken: the point is not decoded.  A
 * public key that is no valid point cannot be used to log in, so it
 * cannot hurt the server that stores it.
 */
#include "config.h"

#include "vhkey_internal.h"

int
vk_ed25519_get_public(vk_reader *r)
{
	vk_reader save = *r;
	const uint8_t *pk;
	size_t len;
	int rc;

	if ((rc = vk_get_string(r, &pk, &len)) != VHKEY_OK)
		return rc;
	if (len != VK_ED25519_PUBLIC_LEN) {
		*r = save;
		return VHKEY_ERR_FORMAT;
	}
	return VHKEY_OK;
}
