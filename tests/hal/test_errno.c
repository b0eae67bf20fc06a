/* Error names and messages (include/procmgr/errno.h). */
#include <errno.h>
#include <string.h>

#include "pm_test.h"
#include "procmgr/errno.h"

TestSuite(errnames, .init = pm_test_setup);

/* The PM_E* numbers are Linux's: compare with the host's <errno.h>. */
PM_TEST(errnames, numbers_match_linux)
{
	static const struct {
		int pm, host;
	} pairs[] = {
	    {PM_EPERM, EPERM},
	    {PM_ENOENT, ENOENT},
	    {PM_ESRCH, ESRCH},
	    {PM_EINTR, EINTR},
	    {PM_EIO, EIO},
	    {PM_E2BIG, E2BIG},
	    {PM_ENOEXEC, ENOEXEC},
	    {PM_EBADF, EBADF},
	    {PM_ECHILD, ECHILD},
	    {PM_EAGAIN, EAGAIN},
	    {PM_ENOMEM, ENOMEM},
	    {PM_EACCES, EACCES},
	    {PM_EFAULT, EFAULT},
	    {PM_EBUSY, EBUSY},
	    {PM_EEXIST, EEXIST},
	    {PM_ENODEV, ENODEV},
	    {PM_ENOTDIR, ENOTDIR},
	    {PM_EISDIR, EISDIR},
	    {PM_EINVAL, EINVAL},
	    {PM_ENFILE, ENFILE},
	    {PM_EMFILE, EMFILE},
	    {PM_ENOTTY, ENOTTY},
	    {PM_ETXTBSY, ETXTBSY},
	    {PM_EFBIG, EFBIG},
	    {PM_ENOSPC, ENOSPC},
	    {PM_ESPIPE, ESPIPE},
	    {PM_EROFS, EROFS},
	    {PM_EMLINK, EMLINK},
	    {PM_EPIPE, EPIPE},
	    {PM_EDOM, EDOM},
	    {PM_ERANGE, ERANGE},
	    {PM_EDEADLK, EDEADLK},
	    {PM_ENAMETOOLONG, ENAMETOOLONG},
	    {PM_ENOLCK, ENOLCK},
	    {PM_ENOSYS, ENOSYS},
	    {PM_ENOTEMPTY, ENOTEMPTY},
	    {PM_ELOOP, ELOOP},
	    {PM_ENOMSG, ENOMSG},
	    {PM_EIDRM, EIDRM},
	    {PM_ENODATA, ENODATA},
	    {PM_ETIME, ETIME},
	    {PM_EOVERFLOW, EOVERFLOW},
	    {PM_ELIBBAD, ELIBBAD},
	    {PM_EILSEQ, EILSEQ},
	    {PM_EUSERS, EUSERS},
	    {PM_EOPNOTSUPP, EOPNOTSUPP},
	    {PM_ETIMEDOUT, ETIMEDOUT},
	    {PM_ECANCELED, ECANCELED},
	    {PM_EWOULDBLOCK, EWOULDBLOCK},
	    {PM_ENOTSUP, ENOTSUP},
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		cr_expect_eq(pairs[i].pm, pairs[i].host, "entry %zu: %d vs host %d", i, pairs[i].pm,
		             pairs[i].host);
}

PM_TEST(errnames, names_negative_and_positive)
{
	cr_assert_str_eq(pm_errno_name(-PM_EPERM), "EPERM");
	cr_assert_str_eq(pm_errno_name(PM_EPERM), "EPERM");
	cr_assert_str_eq(pm_errno_name(-PM_ENOEXEC), "ENOEXEC");
	cr_assert_str_eq(pm_errno_name(-PM_ELIBBAD), "ELIBBAD");
	cr_assert_str_eq(pm_errno_name(-PM_ERESTARTSYS), "ERESTARTSYS");
	cr_assert_str_eq(pm_errno_name(-PM_ERESTART_RESTARTBLOCK), "ERESTART_RESTARTBLOCK");
	cr_assert_str_eq(pm_errno_name(-PM_EAGAIN), "EAGAIN");
	cr_assert_str_eq(pm_errno_name(0), "0");
	cr_assert_str_eq(pm_errno_name(-15), "E?", "15 (ENOTBLK) is not one procmgr returns");
	cr_assert_str_eq(pm_errno_name(-100000), "E?");
}

PM_TEST(errnames, messages_match_glibc)
{
	static const int codes[] = {PM_EPERM,  PM_ENOENT,  PM_ESRCH,  PM_E2BIG,  PM_ENOEXEC,
	                            PM_ECHILD, PM_EAGAIN,  PM_ENOMEM, PM_EACCES, PM_EFAULT,
	                            PM_EINVAL, PM_ETXTBSY, PM_ENOSYS, PM_ELOOP,  PM_ELIBBAD};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		cr_expect_str_eq(pm_strerror(-codes[i]), strerror(codes[i]), "code %d", codes[i]);
	cr_assert_str_eq(pm_strerror(0), "Success");
	cr_assert_str_eq(pm_strerror(-9999), "Unknown error");
}

/* Every code below PM_ERRNO_MAX that has a name also has a message. */
PM_TEST(errnames, names_and_messages_agree)
{
	for (int e = 1; e <= PM_ERRNO_MAX; e++) {
		bool named = strcmp(pm_errno_name(e), "E?") != 0;
		bool described = strcmp(pm_strerror(e), "Unknown error") != 0;

		cr_expect_eq(named, described, "code %d", e);
	}
}
