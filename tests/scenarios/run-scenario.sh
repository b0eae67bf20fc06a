#!/usr/bin/env bash
# run-scenario.sh PMSIM SCENARIO.pmsim EXPECTED.out
# Runs a pmsim scenario and compares its transcript with the one recorded
# on Linux by ../shared/tools/pmsim-linux. Fails with the diff on any change.
set -uo pipefail
pmsim=${1:?usage: run-scenario.sh PMSIM SCENARIO EXPECTED}
script=${2:?}
expected=${3:?}
out=$("$pmsim" "$script")
status=$?
if [ "$status" -ne 0 ]; then
	echo "pmsim exited with status $status" >&2
	exit 1
fi
if ! diff -u "$expected" <(printf '%s\n' "$out"); then
	echo "transcript differs from Linux's ($expected)" >&2
	exit 1
fi
