/* Hosted files: virtual in-memory files and host files. */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pm_test.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

TestSuite(host_file, .init = pm_test_setup);

static const char content[] = "#!/bin/sh\necho hi\n";

static void add(const char *path, uint32_t mode, int open_error)
{
	struct pm_host_file_spec s = {.path = path,
	                              .data = content,
	                              .size = sizeof(content) - 1,
	                              .mode = mode,
	                              .uid = 1000,
	                              .gid = 100,
	                              .open_error = open_error};

	cr_assert_eq(pm_host_file_add(&s), 0);
}

PM_TEST(host_file, virtual_open_read_attr)
{
	struct pm_hal_file *f = NULL;
	struct pm_file_attr a;
	char buf[64];
	size_t got = 0;

	add("/bin/script", PM_S_IFREG | 04755, 0);
	cr_assert_eq(pm_hal_file_open_exec("/bin/script", &f), 0);
	cr_assert_eq(pm_hal_file_read(f, 0, buf, sizeof(buf), &got), 0);
	cr_assert_eq(got, sizeof(content) - 1, "short read at end of file");
	cr_assert_eq(memcmp(buf, content, got), 0);
	cr_assert_eq(pm_hal_file_read(f, 10, buf, 4, &got), 0);
	cr_assert_eq(got, 4);
	cr_assert_eq(memcmp(buf, "echo", 4), 0);
	cr_assert_eq(pm_hal_file_read(f, 1000, buf, 4, &got), 0);
	cr_assert_eq(got, 0);
	cr_assert_eq(pm_hal_file_getattr(f, &a), 0);
	cr_assert_eq(a.mode, PM_S_IFREG | 04755);
	cr_assert_eq(a.uid, 1000);
	cr_assert_eq(a.gid, 100);
	cr_assert_eq(a.size, sizeof(content) - 1);
	cr_assert_eq(pm_hal_file_get_caps(f, buf, sizeof(buf), &got), -PM_ENODATA);
	pm_hal_file_put(f);
}

PM_TEST(host_file, virtual_caps_and_refcount)
{
	static const unsigned char caps[20] = {0x00, 0x00, 0x00, 0x02, 0x20};
	struct pm_host_file_spec s = {
	    .path = "/bin/ping", .data = "x", .size = 1, .caps = caps, .caps_size = sizeof(caps)};
	struct pm_hal_file *f;
	unsigned char buf[24];
	size_t got = 0;

	cr_assert_eq(pm_host_file_add(&s), 0);
	cr_assert_eq(pm_hal_file_open_exec("/bin/ping", &f), 0);
	cr_assert_eq(pm_hal_file_get_caps(f, buf, sizeof(buf), &got), 0);
	cr_assert_eq(got, sizeof(caps));
	cr_assert_eq(memcmp(buf, caps, sizeof(caps)), 0);
	cr_assert_eq(pm_hal_file_get_caps(f, buf, 4, &got), 0);
	cr_assert_eq(got, sizeof(caps), "the full length is reported even if the buffer is short");
	pm_hal_file_get(f);
	pm_hal_file_put(f);
	cr_assert_eq(pm_host_file_remove("/bin/ping"), 0);
	cr_assert_eq(pm_hal_file_read(f, 0, buf, 1, &got), 0, "open handles outlive removal");
	cr_assert_eq(buf[0], 'x');
	pm_hal_file_put(f);
	cr_assert_eq(pm_host_file_remove("/bin/ping"), -PM_ENOENT);
}

PM_TEST(host_file, virtual_open_errors)
{
	struct pm_hal_file *f;
	struct pm_host_file_spec noexec = {.path = "/mnt/x", .data = "", .flags = PM_FILE_NOEXEC};

	add("/busy", 0, PM_ETXTBSY);
	add("/dir", PM_S_IFDIR | 0755, 0);
	cr_assert_eq(pm_host_file_add(&noexec), 0);
	cr_assert_eq(pm_hal_file_open_exec("/busy", &f), -PM_ETXTBSY);
	cr_assert_eq(pm_hal_file_open_exec("/dir", &f), -PM_EACCES, "not a regular file");
	cr_assert_eq(pm_hal_file_open_exec("/mnt/x", &f), -PM_EACCES, "noexec mount");
	cr_assert_eq(pm_host_file_open("/dir", &f), 0, "the tool's open skips exec checks");
	pm_hal_file_put(f);
}

PM_TEST(host_file, add_replaces_and_rejects_bad_specs)
{
	struct pm_hal_file *f;
	struct pm_file_attr a;
	struct pm_host_file_spec empty = {.path = ""};

	add("/f", PM_S_IFREG | 0700, 0);
	add("/f", PM_S_IFREG | 0755, 0);
	cr_assert_eq(pm_hal_file_open_exec("/f", &f), 0);
	cr_assert_eq(pm_hal_file_getattr(f, &a), 0);
	cr_assert_eq(a.mode & 0777, 0755);
	pm_hal_file_put(f);
	cr_assert_eq(pm_host_file_add(NULL), -PM_EINVAL);
	cr_assert_eq(pm_host_file_add(&empty), -PM_EINVAL);
	pm_host_files_clear();
	cr_assert_eq(pm_hal_file_open_exec("/f", &f), -PM_ENOENT,
	             "falls through to the host: none");
}

PM_TEST(host_file, host_files)
{
	struct pm_hal_file *f;
	struct pm_file_attr a;
	char buf[4];
	size_t got;

	cr_assert_eq(pm_hal_file_open_exec("/no/such/file", &f), -PM_ENOENT);
	cr_assert_eq(pm_hal_file_open_exec("/", &f), -PM_EACCES, "a directory cannot be executed");
	cr_assert_eq(pm_hal_file_open_exec("/etc/hostname/x", &f), -PM_ENOTDIR);
	cr_assert_eq(pm_hal_file_open_exec("/bin/sh", &f), 0);
	cr_assert_eq(pm_hal_file_read(f, 0, buf, 4, &got), 0);
	cr_assert_eq(got, 4);
	cr_assert_eq(memcmp(buf, "\177ELF", 4), 0);
	cr_assert_eq(pm_hal_file_getattr(f, &a), 0);
	cr_assert_eq(a.mode & PM_S_IFMT, PM_S_IFREG);
	cr_assert_gt(a.size, 4);
	pm_hal_file_put(f);
}

PM_TEST(host_file, host_file_without_exec_permission)
{
	char path[] = "/tmp/pm_test_noexec_XXXXXX";
	int fd = mkstemp(path);
	struct pm_hal_file *f;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "data", 4), 4);
	close(fd);
	cr_assert_eq(chmod(path, 0644), 0);
	/* Even root needs an execute bit: faccessat(X_OK) with no x bit fails. */
	cr_assert_eq(pm_hal_file_open_exec(path, &f), -PM_EACCES);
	cr_assert_eq(pm_host_file_open(path, &f), 0);
	pm_hal_file_put(f);
	unlink(path);
}
