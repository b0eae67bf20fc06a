#!/usr/bin/env bash
# run-scenario.sh SCENARIO.pmsim EXPECTED.out PMSIM [PMSIM-ARGS...]
# Runs a pmsim scenario and compares its transcript with the one recorded
# on Linux by ../shared/tools/pmsim-linux. Fails with the diff on any change.
# The command may be a wrapper around pmsim (the memcheck preset passes
# scripts/memcheck-run.sh LOGDIR PMSIM, so only pmsim runs under Valgrind).
set -uo pipefail
script=${1:?usage: run-scenario.sh SCENARIO EXPECTED PMSIM...}
expected=${2:?}
shift 2
[ $# -gt 0 ] || { echo "run-scenario.sh: no pmsim command" >&2; exit 2; }
out=$("$@" "$script")
status=$?
if [ "$status" -ne 0 ]; then
	echo "pmsim exited with status $status" >&2
	exit 1
fi
if ! diff -u "$expected" <(printf '%s\n' "$out"); then
	echo "transcript differs from Linux's ($expected)" >&2
	exit 1
fi
