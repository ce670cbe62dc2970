/*
 * error.c - status codes: their static messages and names, the status for
 * an errno, and the vhkey_error a failed file operation fills in.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

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
	return NULL;
}

void
vk_error_set(vhkey_error *err, int status, int sys_errno, const char *path)
{
	if (err == NULL)
		return;
	err->status = status;
	err->sys_errno = sys_errno;
	memset(err->reserved, 0, sizeof(err->reserved));
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
}

int
vk_status_from_errno(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return VHKEY_ERR_NOENT;
	case EACCES:
	case EPERM:
	case EROFS:
		return VHKEY_ERR_ACCESS;
	case ENOSPC:
	case EDQUOT:
		return VHKEY_ERR_NOSPACE;
	case EEXIST:
		return VHKEY_ERR_EXISTS;
	case ELOOP:
		return VHKEY_ERR_SYMLINK;
	case EISDIR:
		return VHKEY_ERR_NOT_REGULAR;
	case ENOMEM:
		return VHKEY_ERR_NOMEM;
	default:
		return VHKEY_ERR_IO;
	}
}

int
vk_fail_errno(vhkey_error *err, const char *path)
{
	int e = errno, status = vk_status_from_errno(e);

	vk_error_set(err, status, e, path);
	errno = e;
	return status;
}

int
vk_fail(vhkey_error *err, int status, const char *path)
{
	vk_error_set(err, status, 0, path);
	return status;
}
