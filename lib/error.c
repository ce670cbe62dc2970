/*
 * error.c - status codes to static messages, library initialisation, and
 * what the library asks of the system as a whole.
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "vhkey_internal.h"

const char *
vhkey_strerror(int status)
{
	switch (status) {
#define VK_MESSAGE_(name, value, msg) \
	case value: \
		return msg;
	VHKEY_STATUS_LIST(VK_MESSAGE_)
#undef VK_MESSAGE_
	}
	return "unknown error";
}

const char *
vhkey_status_name(int status)
{
	switch (status) {
#define VK_NAME_(name, value, msg) \
	case value: \
		return #name;
	VHKEY_STATUS_LIST(VK_NAME_)
#undef VK_NAME_
	}
	return "VHKEY_ERR_UNKNOWN";
}

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

int
vk_cpus(int max)
{
	long n = 0;
#ifdef CPU_COUNT
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
#endif
	if (n < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > max ? max : (int)n;
}
