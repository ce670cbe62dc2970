/*
 * init.c - the library's start-up (OpenSSL and libsodium, once per
 * process) and its version.
 */
#include "config.h"

#include <pthread.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "core.h"

const char *
vhkey_version(void)
{
	return VHKEY_VERSION_STRING;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_status = VHKEY_ERR_INIT; /* written once, under init_once */

static void
init_libraries(void)
{
	/* sodium_init() returns 1 when it had already run: also fine */
	if (sodium_init() < 0)
		return;
	if (OPENSSL_init_crypto(0, NULL) != 1)
		return;
	init_status = VHKEY_OK;
}

int
vhkey_init(void)
{
	if (pthread_once(&init_once, init_libraries) != 0)
		return VHKEY_ERR_INIT;
	return init_status;
}
