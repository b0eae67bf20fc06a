/* SPDX-License-Identifier: MIT */
/* Names and descriptions of the PM_E* codes (procmgr/errno.h). */
#include "procmgr/errno.h"

#include <stddef.h>

struct errno_desc {
	int code;
	const char *name;
	const char *text;
};

/* Sorted by code; texts are glibc's strerror wording. */
static const struct errno_desc errno_table[] = {
    {PM_EPERM, "EPERM", "Operation not permitted"},
    {PM_ENOENT, "ENOENT", "No such file or directory"},
    {PM_ESRCH, "ESRCH", "No such process"},
    {PM_EINTR, "EINTR", "Interrupted system call"},
    {PM_EIO, "EIO", "Input/output error"},
    {PM_ENXIO, "ENXIO", "No such device or address"},
    {PM_E2BIG, "E2BIG", "Argument list too long"},
    {PM_ENOEXEC, "ENOEXEC", "Exec format error"},
    {PM_EBADF, "EBADF", "Bad file descriptor"},
    {PM_ECHILD, "ECHILD", "No child processes"},
    {PM_EAGAIN, "EAGAIN", "Resource temporarily unavailable"},
    {PM_ENOMEM, "ENOMEM", "Cannot allocate memory"},
    {PM_EACCES, "EACCES", "Permission denied"},
    {PM_EFAULT, "EFAULT", "Bad address"},
    {PM_EBUSY, "EBUSY", "Device or resource busy"},
    {PM_EEXIST, "EEXIST", "File exists"},
    {PM_ENODEV, "ENODEV", "No such device"},
    {PM_ENOTDIR, "ENOTDIR", "Not a directory"},
    {PM_EISDIR, "EISDIR", "Is a directory"},
    {PM_EINVAL, "EINVAL", "Invalid argument"},
    {PM_ENFILE, "ENFILE", "Too many open files in system"},
    {PM_EMFILE, "EMFILE", "Too many open files"},
    {PM_ENOTTY, "ENOTTY", "Inappropriate ioctl for device"},
    {PM_ETXTBSY, "ETXTBSY", "Text file busy"},
    {PM_EFBIG, "EFBIG", "File too large"},
    {PM_ENOSPC, "ENOSPC", "No space left on device"},
    {PM_ESPIPE, "ESPIPE", "Illegal seek"},
    {PM_EROFS, "EROFS", "Read-only file system"},
    {PM_EMLINK, "EMLINK", "Too many links"},
    {PM_EPIPE, "EPIPE", "Broken pipe"},
    {PM_EDOM, "EDOM", "Numerical argument out of domain"},
    {PM_ERANGE, "ERANGE", "Numerical result out of range"},
    {PM_EDEADLK, "EDEADLK", "Resource deadlock avoided"},
    {PM_ENAMETOOLONG, "ENAMETOOLONG", "File name too long"},
    {PM_ENOLCK, "ENOLCK", "No locks available"},
    {PM_ENOSYS, "ENOSYS", "Function not implemented"},
    {PM_ENOTEMPTY, "ENOTEMPTY", "Directory not empty"},
    {PM_ELOOP, "ELOOP", "Too many levels of symbolic links"},
    {PM_ENOMSG, "ENOMSG", "No message of desired type"},
    {PM_EIDRM, "EIDRM", "Identifier removed"},
    {PM_ENODATA, "ENODATA", "No data available"},
    {PM_ETIME, "ETIME", "Timer expired"},
    {PM_EOVERFLOW, "EOVERFLOW", "Value too large for defined data type"},
    {PM_ELIBBAD, "ELIBBAD", "Accessing a corrupted shared library"},
    {PM_EILSEQ, "EILSEQ", "Invalid or incomplete multibyte or wide character"},
    {PM_EUSERS, "EUSERS", "Too many users"},
    {PM_EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported"},
    {PM_ETIMEDOUT, "ETIMEDOUT", "Connection timed out"},
    {PM_ECANCELED, "ECANCELED", "Operation canceled"},
    {PM_ERESTARTSYS, "ERESTARTSYS", "Restart the system call (SA_RESTART)"},
    {PM_ERESTARTNOINTR, "ERESTARTNOINTR", "Restart the system call"},
    {PM_ERESTARTNOHAND, "ERESTARTNOHAND", "Restart the system call if no handler runs"},
    {PM_ENOIOCTLCMD, "ENOIOCTLCMD", "No ioctl command"},
    {PM_ERESTART_RESTARTBLOCK, "ERESTART_RESTARTBLOCK", "Restart through restart_syscall"},
};

static const struct errno_desc *errno_find(int err)
{
	size_t lo = 0, hi = sizeof(errno_table) / sizeof(errno_table[0]);

	if (err < 0)
		err = -err;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (errno_table[mid].code == err)
			return &errno_table[mid];
		if (errno_table[mid].code < err)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *pm_errno_name(int err)
{
	const struct errno_desc *d;

	if (err == 0)
		return "0";
	d = errno_find(err);
	return d ? d->name : "E?";
}

const char *pm_strerror(int err)
{
	const struct errno_desc *d;

	if (err == 0)
		return "Success";
	d = errno_find(err);
	return d ? d->text : "Unknown error";
}
