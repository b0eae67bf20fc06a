/*
 * Fuzz the security.capability parser and the exec transition that uses
 * it. The first byte picks the caller's ids and sets; the rest is the
 * xattr value. Invariants: parse errors are only EINVAL and ENODATA; a
 * parsed value has the length of its revision and sets within the 41
 * capabilities; an exec either fails with EINVAL, ERANGE or EPERM or yields
 * credentials whose ambient set is within permitted and inheritable and
 * whose effective set is within permitted; nothing leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/cred.h"
#include "procmgr/cred_exec.h"
#include "procmgr/errno.h"
#include "procmgr/rlimit.h"
#include "procmgr/userns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_userns root;
	const struct pm_cred *init;
	struct pm_cred *c;
	struct pm_vfs_caps vc;
	struct pm_file_attr a;
	struct pm_exec_creds ec;
	uint8_t sel;
	int err;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	pm_userns_init_root(&root, 0);
	if (pm_cred_init_root(&root, &init) != 0 || pm_cred_prepare(init, &c) != 0)
		abort();
	/* Vary the caller: root or not, some inheritable and ambient bits, the bounding set. */
	if (sel & 1)
		c->uid = c->euid = c->suid = c->fsuid = 1000;
	c->cap_inheritable = (sel & 2) ? 0x3fu : 0;
	c->cap_ambient = (sel & 4) ? (c->cap_inheritable & 0x5u) : 0;
	c->cap_permitted = (sel & 1) ? c->cap_ambient : PM_CAP_FULL_SET;
	c->cap_effective = c->cap_permitted;
	if (sel & 8)
		c->cap_bset &= ~(pm_kernel_cap_t)0xf0u;
	if (sel & 16)
		c->securebits = PM_SECBIT_NOROOT;

	err = pm_cred_parse_vfs_caps(data, size, NULL, &root, &vc);
	if (err == 0) {
		uint32_t rev = vc.magic_etc & PM_VFS_CAP_REVISION_MASK;

		if ((rev == PM_VFS_CAP_REVISION_1 && size != 12) ||
		    (rev == PM_VFS_CAP_REVISION_2 && size != 20) ||
		    (rev == PM_VFS_CAP_REVISION_3 && size != 24))
			abort();
		if ((vc.permitted | vc.inheritable) & ~PM_CAP_FULL_SET)
			abort();
	} else if (err != -PM_EINVAL && err != -PM_ENODATA) {
		abort();
	}

	memset(&a, 0, sizeof(a));
	a.mode = PM_S_IFREG | 0755 | ((sel & 32) ? PM_S_ISUID : 0);
	err = pm_cred_exec_prepare(c, &a, data, size, (sel & 64) ? PM_EXEC_UNSAFE_SHARE : 0, NULL,
	                           &ec);
	if (err == 0) {
		const struct pm_cred *n = ec.cred;

		if (!pm_cap_issubset(n->cap_ambient, n->cap_permitted & n->cap_inheritable))
			abort();
		if (!pm_cap_issubset(n->cap_effective, n->cap_permitted))
			abort();
		if (n->cap_permitted & ~PM_CAP_FULL_SET)
			abort();
		pm_cred_exec_abort(&ec);
	} else if (err != -PM_EINVAL && err != -PM_ERANGE && err != -PM_EPERM) {
		abort();
	}
	pm_cred_abort(c);
	pm_cred_put(init);
	pm_userns_destroy_root(&root);
	return 0;
}
