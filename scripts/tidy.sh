#!/usr/bin/env bash
# clang-tidy over library and port sources, using BUILD_DIR's compile
# database. Fails if any file has a finding (.clang-tidy: warnings are errors).
set -euo pipefail
build=${1:?usage: tidy.sh BUILD_DIR}
tidy=$(command -v clang-tidy || command -v clang-tidy-14)
cd "$(dirname "$0")/.."
mapfile -t files < <(find src ports -name '*.c' | sort)
[ ${#files[@]} -gt 0 ] || { echo "tidy: no files"; exit 0; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 "$tidy" -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option >"$out" 2>&1 || status=$?
grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^$' "$out" || true
if [ "$status" -ne 0 ]; then
	echo "tidy: findings above (clang-tidy exit $status)"
	exit 1
fi
echo "tidy: ${#files[@]} files clean"
