#!/usr/bin/env bash
# pmexec-demo.sh PMEXEC: the main job of `make run`. Real programs from this
# machine run through procmgr's loader, VM layout and initial stack inside
# pmexec's process (a static busybox applet, a dynamic coreutils program
# through ld.so, a #! script), then the plan of one as --dry-run JSON, trimmed
# to the load plan and the auxiliary vector.
set -euo pipefail
pmexec=${1:?usage: pmexec-demo.sh PMEXEC}

show() {
	local st=0

	printf '$ pmexec'
	printf ' %q' "$@"
	echo
	"$pmexec" "$@" || st=$?
	echo "[exit status $st]"
	echo
}

echo "== pmexec: real programs run through procmgr's exec"
show /bin/busybox echo hello from procmgr
show /bin/ls -l /
show /bin/sh -c 'echo "a #! interpreter (dash) through ld.so: $0 $1"' arg0 arg1
show /bin/busybox sh -c 'exit 3'

echo "== pmexec --dry-run --no-randomize /usr/bin/true --version (trimmed)"
"$pmexec" --dry-run --no-randomize /usr/bin/true --version | python3 -c '
import json, sys
d = json.load(sys.stdin)
hexa = lambda v: hex(v) if isinstance(v, int) else v
seg = lambda s: "%s %s memsz=%s filesz=%s offset=%s" % (hex(s["vaddr"]), s["prot"],
                  hex(s["memsz"]), hex(s["filesz"]), hex(s["offset"]))
out = {k: d[k] for k in ("path", "type", "machine")}
out["load_bias"] = hexa(d["load_bias"])
out["entry"] = hexa(d["entry"])
out["segments"] = [seg(s) for s in d["segments"]]
if d["interp"]:
    i = d["interp"]
    out["interp"] = {"path": i["path"], "load_bias": hexa(i["load_bias"]), "entry": hexa(i["entry"]),
                     "segments": [seg(s) for s in i["segments"]]}
for k in ("brk", "stack_top", "sp"):
    out[k] = hexa(d[k])
out["argv"], out["execfn"] = d["argv"], d["execfn"]
out["auxv"] = ["%s=%s" % (a["type"], hexa(a["value"])) for a in d["auxv"]]
out["(omitted)"] = "envp, stack_hex (%d bytes), regs, stat, addresses" % (len(d["stack_hex"]) // 2)
print(json.dumps(out, indent=1))'
