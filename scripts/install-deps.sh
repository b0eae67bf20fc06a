#!/usr/bin/env bash
# Installs the Debian packages procmgr's build, tests, ports and tools need,
# if any is missing. Idempotent; prints nothing when everything is present.
set -euo pipefail

packages=(
	gcc make cmake ninja-build pkg-config git
	clang lld llvm clang-tidy clang-format libclang-rt-14-dev
	libcriterion-dev valgrind doxygen graphviz
	gcc-riscv64-unknown-elf gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
	qemu-system-misc qemu-system-x86 qemu-user opensbi busybox-static file
	libbsd-dev python3
	binutils coreutils bash python3-minimal libc6 libc6-riscv64-cross
	libc6-dev dash
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps: need root or sudo to apt-get install" >&2; exit 1; }
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
