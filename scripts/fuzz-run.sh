#!/usr/bin/env bash
# fuzz-run.sh FUZZER SECONDS WORK_CORPUS SEED_CORPUS
# Runs a libFuzzer target for SECONDS, growing WORK_CORPUS (outside the
# repository) from SEED_CORPUS. Fails on any crash, leak or sanitizer report.
set -euo pipefail
fuzzer=${1:?usage} seconds=${2:?usage} work=${3:?usage} seeds=${4:?usage}
mkdir -p "$work" "$seeds"
cd "$work/.."
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$work/../" "$work" "$seeds" 2>&1 | tail -n 12
