/* SPDX-License-Identifier: MIT */
/*
 * Files for the loader: host files through file descriptors, and virtual
 * files kept in memory (a test or pmsim declares executables with any
 * owner, mode and file capabilities without touching the disk).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "host_internal.h"
#include "procmgr/errno.h"

struct vfile {
	struct vfile *next;
	char *path;
	unsigned char *data;
	size_t size;
	unsigned char *caps;
	size_t caps_size;
	struct pm_file_attr attr;
	int open_error;
};

static pthread_mutex_t vfiles_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vfile *vfiles;

static void vfile_free(struct vfile *v)
{
	free(v->path);
	free(v->data);
	free(v->caps);
	free(v);
}

static void *dup_bytes(const void *src, size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p && n)
		memcpy(p, src, n);
	return p;
}

int pm_host_file_add(const struct pm_host_file_spec *spec)
{
	struct vfile *v;

	if (!spec || !spec->path || !spec->path[0])
		return -PM_EINVAL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -PM_ENOMEM;
	v->path = strdup(spec->path);
	v->data = dup_bytes(spec->data, spec->size);
	v->caps = spec->caps ? dup_bytes(spec->caps, spec->caps_size) : NULL;
	if (!v->path || !v->data || (spec->caps && !v->caps)) {
		vfile_free(v);
		return -PM_ENOMEM;
	}
	v->size = spec->size;
	v->caps_size = spec->caps ? spec->caps_size : 0;
	v->attr.mode = spec->mode ? spec->mode : (PM_S_IFREG | 0755);
	v->attr.uid = spec->uid;
	v->attr.gid = spec->gid;
	v->attr.flags = spec->flags;
	v->attr.size = spec->size;
	v->attr.dev = 0xfffe; /* an unused device number for virtual files */
	v->open_error = spec->open_error;
	pthread_mutex_lock(&vfiles_lock);
	for (struct vfile **pp = &vfiles; *pp;) {
		struct vfile *old = *pp;

		if (strcmp(old->path, v->path) == 0) {
			*pp = old->next;
			vfile_free(old);
		} else {
			pp = &old->next;
		}
	}
	v->attr.ino = (uint64_t)(uintptr_t)v;
	v->next = vfiles;
	vfiles = v;
	pthread_mutex_unlock(&vfiles_lock);
	return 0;
}

int pm_host_file_remove(const char *path)
{
	int err = -PM_ENOENT;

	pthread_mutex_lock(&vfiles_lock);
	for (struct vfile **pp = &vfiles; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->path, path) == 0) {
			struct vfile *old = *pp;

			*pp = old->next;
			vfile_free(old);
			err = 0;
			break;
		}
	}
	pthread_mutex_unlock(&vfiles_lock);
	return err;
}

void pm_host_files_clear(void)
{
	pthread_mutex_lock(&vfiles_lock);
	while (vfiles) {
		struct vfile *v = vfiles;

		vfiles = v->next;
		vfile_free(v);
	}
	pthread_mutex_unlock(&vfiles_lock);
}

void host_files_reset_(void)
{
	pm_host_files_clear();
}

static struct pm_hal_file *file_new(void)
{
	struct pm_hal_file *f = calloc(1, sizeof(*f));

	if (f) {
		atomic_init(&f->refs, 1);
		f->fd = -1;
		atomic_fetch_add(&host_counters_.files_open, 1);
	}
	return f;
}

/* Open a virtual file: 1 if found (then *err says how it went), else 0. */
static int open_virtual(const char *path, bool check, struct pm_hal_file **out, int *err)
{
	struct vfile *v;
	struct pm_hal_file *f = NULL;

	pthread_mutex_lock(&vfiles_lock);
	for (v = vfiles; v; v = v->next)
		if (strcmp(v->path, path) == 0)
			break;
	if (!v) {
		pthread_mutex_unlock(&vfiles_lock);
		return 0;
	}
	if (check && v->open_error) {
		*err = -v->open_error;
	} else if (check &&
	           ((v->attr.mode & PM_S_IFMT) != PM_S_IFREG || (v->attr.flags & PM_FILE_NOEXEC))) {
		*err = -PM_EACCES;
	} else if (!(f = file_new())) {
		*err = -PM_ENOMEM;
	} else {
		f->attr = v->attr;
		f->data = dup_bytes(v->data, v->size);
		f->caps = v->caps ? dup_bytes(v->caps, v->caps_size) : NULL;
		f->caps_size = v->caps_size;
		if (!f->data || (v->caps && !f->caps)) {
			pm_hal_file_put(f);
			*err = -PM_ENOMEM;
		} else {
			*out = f;
			*err = 0;
		}
	}
	pthread_mutex_unlock(&vfiles_lock);
	return 1;
}

static int neg_errno(int e)
{
	switch (e) {
	case ENOENT:
		return -PM_ENOENT;
	case ENOTDIR:
		return -PM_ENOTDIR;
	case ELOOP:
		return -PM_ELOOP;
	case ENAMETOOLONG:
		return -PM_ENAMETOOLONG;
	case ETXTBSY:
		return -PM_ETXTBSY;
	case ENOMEM:
		return -PM_ENOMEM;
	case EIO:
		return -PM_EIO;
	default:
		return -PM_EACCES;
	}
}

static int open_host(const char *path, bool check, struct pm_hal_file **out)
{
	struct pm_hal_file *f;
	struct statvfs vfs;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return neg_errno(errno);
	if (fstat(fd, &st) || fstatvfs(fd, &vfs)) {
		int err = neg_errno(errno);

		close(fd);
		return err;
	}
	if (check && (!S_ISREG(st.st_mode) || (vfs.f_flag & ST_NOEXEC) ||
	              faccessat(AT_FDCWD, path, X_OK, AT_EACCESS))) {
		close(fd);
		return -PM_EACCES;
	}
	f = file_new();
	if (!f) {
		close(fd);
		return -PM_ENOMEM;
	}
	f->fd = fd;
	f->attr.mode = (uint32_t)st.st_mode;
	f->attr.uid = st.st_uid;
	f->attr.gid = st.st_gid;
	f->attr.size = (uint64_t)st.st_size;
	f->attr.dev = (uint64_t)st.st_dev;
	f->attr.ino = (uint64_t)st.st_ino;
	f->attr.flags = ((vfs.f_flag & ST_NOSUID) ? PM_FILE_NOSUID : 0) |
	                ((vfs.f_flag & ST_NOEXEC) ? PM_FILE_NOEXEC : 0);
	*out = f;
	return 0;
}

int pm_hal_file_open_exec(const char *path, struct pm_hal_file **out)
{
	int err;

	if (open_virtual(path, true, out, &err))
		return err;
	return open_host(path, true, out);
}

int pm_host_file_open(const char *path, struct pm_hal_file **out)
{
	int err;

	if (open_virtual(path, false, out, &err))
		return err;
	return open_host(path, false, out);
}

void pm_hal_file_get(struct pm_hal_file *file)
{
	atomic_fetch_add(&file->refs, 1);
}

void pm_hal_file_put(struct pm_hal_file *file)
{
	if (atomic_fetch_sub(&file->refs, 1) != 1)
		return;
	if (file->fd >= 0)
		close(file->fd);
	free(file->data);
	free(file->caps);
	free(file);
	atomic_fetch_sub(&host_counters_.files_open, 1);
}

uint64_t pm_host_files_open(void)
{
	return atomic_load(&host_counters_.files_open);
}

int pm_hal_file_read(struct pm_hal_file *file, uint64_t off, void *buf, size_t len, size_t *got)
{
	size_t done = 0;

	if (file->fd < 0) {
		if (off < file->attr.size) {
			done = (size_t)(file->attr.size - off) < len
			           ? (size_t)(file->attr.size - off)
			           : len;
			memcpy(buf, file->data + off, done);
		}
		*got = done;
		return 0;
	}
	while (done < len) {
		ssize_t n = pread(file->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -PM_EIO;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	*got = done;
	return 0;
}

int pm_hal_file_getattr(struct pm_hal_file *file, struct pm_file_attr *attr)
{
	*attr = file->attr;
	return 0;
}

int pm_hal_file_get_caps(struct pm_hal_file *file, void *buf, size_t len, size_t *got)
{
	ssize_t n;

	if (file->fd < 0) {
		if (!file->caps)
			return -PM_ENODATA;
		memcpy(buf, file->caps, file->caps_size < len ? file->caps_size : len);
		*got = file->caps_size;
		return 0;
	}
	n = fgetxattr(file->fd, "security.capability", buf, len);
	if (n < 0) {
		if (errno == ENODATA || errno == ENOTSUP)
			return -PM_ENODATA;
		if (errno == ERANGE) {
			n = fgetxattr(file->fd, "security.capability", NULL, 0);
			if (n < 0)
				return -PM_EIO;
			*got = (size_t)n;
			return 0;
		}
		return -PM_EIO;
	}
	*got = (size_t)n;
	return 0;
}
