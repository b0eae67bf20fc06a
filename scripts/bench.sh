#!/usr/bin/env bash
# bench.sh BENCH_BINARY [ARGS...]
#
# Runs a benchmark program twice: natively (ns/op, median of 5 runs) and
# under Callgrind with instrumentation only around each measured loop
# (instructions per operation, repeatable whatever else the machine does).
# Prints a Markdown table: case | iterations | ns/op | instructions/op,
# followed by the program's NOTE lines.
set -euo pipefail
bin=${1:?usage: bench.sh BENCH_BINARY [ARGS...]}
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" "$@" >"$work/native.txt"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.out" \
	"$bin" "$@" >"$work/cg.txt" 2>"$work/cg.err" || { cat "$work/cg.err" >&2; exit 1; }

python3 - "$work" <<'PY'
import glob, os, re, sys
work = sys.argv[1]
def cases(path):
    out = {}
    for line in open(path):
        m = re.match(r"BENCH name=(.*?) iters=(\d+)(.*)", line)
        if m:
            kv = {"name": m.group(1), "iters": m.group(2)}
            kv.update(p.split("=", 1) for p in m.group(3).split())
            out[kv["name"]] = kv
    return out
native = cases(os.path.join(work, "native.txt"))
cg = cases(os.path.join(work, "cg.txt"))
ir = {}
for f in glob.glob(os.path.join(work, "cg.out*")):
    name, total = None, None
    for line in open(f):
        m = re.match(r"desc: Trigger: Client Request: (.*)", line)
        if m: name = m.group(1).strip()
        m = re.match(r"(?:totals|summary): (\d+)", line)
        if m: total = int(m.group(1))
    if name is not None and total is not None:
        ir[name] = total
print("| case | iterations | ns/op | instructions/op |")
print("|---|---:|---:|---:|")
for name, kv in native.items():
    ns = kv.get("ns_per_op", "-")
    ipo = "-"
    if name in ir and name in cg:
        ipo = "%.1f" % (ir[name] / int(cg[name]["iters"]))
    print(f"| {name} | {kv['iters']} | {ns} | {ipo} |")
for line in open(os.path.join(work, "native.txt")):
    if line.startswith("NOTE "):
        print()
        print(line[5:].rstrip())
PY
