#!/usr/bin/env bash
# size-report.sh BUILD_DIR...: text/data/bss of each freestanding archive
# (library and port), per object and in total.
set -euo pipefail
size=$(command -v llvm-size || command -v llvm-size-14)
for dir in "$@"; do
	arch=$(sed -n 's/^PROCMGR_PORT:[A-Z]*=//p' "$dir/CMakeCache.txt")
	echo "== libprocmgr.a for $arch ($dir)"
	"$size" -t "$dir/libprocmgr.a" | sed 's|([^)]*/\([^/)]*\))|(\1)|'
	echo
	port="$dir/ports/$arch/libprocmgr_port_$arch.a"
	if [ -f "$port" ]; then
		echo "== libprocmgr_port_$arch.a ($dir)"
		"$size" -t "$port" | sed 's|([^)]*/\([^/)]*\))|(\1)|'
		echo
	fi
done
