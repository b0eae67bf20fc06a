/*
 * Fuzz the "#!" parser on a zero-padded BINPRM_BUF_SIZE buffer (only
 * those bytes exist: ASan catches any read beyond). Invariants: it refuses
 * anything not starting with "#!"; the name and argument are NUL-terminated
 * inside the buffer with the lengths reported; the name holds no blank and
 * is not empty unless the line's first non-blank is a NUL; the argument does
 * not start with a blank.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/errno.h"
#include "procmgr/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(PM_BINPRM_BUF_SIZE), orig[PM_BINPRM_BUF_SIZE];
	struct pm_shebang sb;
	int err;

	memset(buf, 0, PM_BINPRM_BUF_SIZE);
	memcpy(buf, data, size < PM_BINPRM_BUF_SIZE ? size : PM_BINPRM_BUF_SIZE);
	memcpy(orig, buf, sizeof(orig));
	err = pm_shebang_parse(buf, &sb);
	if (err) {
		if (err != -PM_ENOEXEC || memcmp(buf, orig, sizeof(orig)) != 0)
			abort(); /* refused: unchanged */
		free(buf);
		return 0;
	}
	if (orig[0] != '#' || orig[1] != '!')
		abort();
	if (sb.name_off < 2 || sb.name_off + sb.name_len >= PM_BINPRM_BUF_SIZE ||
	    buf[sb.name_off + sb.name_len] != 0 || strlen(buf + sb.name_off) != sb.name_len)
		abort();
	if (memchr(buf + sb.name_off, ' ', sb.name_len) ||
	    memchr(buf + sb.name_off, '\t', sb.name_len))
		abort();
	if (sb.name_len == 0 && orig[sb.name_off] != 0)
		abort();
	if (sb.has_arg) {
		if (sb.arg_off <= sb.name_off + sb.name_len ||
		    sb.arg_off + sb.arg_len >= PM_BINPRM_BUF_SIZE ||
		    buf[sb.arg_off + sb.arg_len] != 0 || strlen(buf + sb.arg_off) != sb.arg_len ||
		    buf[sb.arg_off] == ' ' || buf[sb.arg_off] == '\t')
			abort();
	}
	free(buf);
	return 0;
}
