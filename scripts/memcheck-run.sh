#!/usr/bin/env bash
# memcheck-run.sh LOGDIR COMMAND [ARGS...]
#
# Runs COMMAND under Valgrind memcheck, following every child process
# (Criterion runs each test in a worker process), one log per process, and
# fails if any process reported an error or a definite/indirect leak.
# Criterion ignores its workers' Valgrind exit codes, so the logs decide.
set -uo pipefail
logdir=${1:?usage: memcheck-run.sh LOGDIR COMMAND...}
shift
rm -rf "$logdir"
mkdir -p "$logdir"
here=$(cd "$(dirname "$0")" && pwd)
valgrind --tool=memcheck --trace-children=yes --child-silent-after-fork=no \
	--leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --track-origins=yes \
	--suppressions="$here/valgrind.supp" \
	--log-file="$logdir/%p.log" "$@"
status=$?
bad=$(grep -l -E 'ERROR SUMMARY: [1-9]' "$logdir"/*.log 2>/dev/null)
logs=$(ls "$logdir"/*.log 2>/dev/null | wc -l)
if [ -n "$bad" ]; then
	echo "memcheck: errors in $(echo "$bad" | wc -l) of $logs processes:" >&2
	for f in $bad; do
		echo "==== $f" >&2
		sed -n '/ERROR SUMMARY/q;p' "$f" | grep -v -E '^==[0-9]+== ?$' | head -n 80 >&2
	done
	exit 1
fi
if [ "$logs" -eq 0 ]; then
	echo "memcheck: no Valgrind logs written" >&2
	exit 1
fi
echo "memcheck: $logs processes, no errors" >&2
exit $status
