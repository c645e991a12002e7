"""ARM performance estimate without ARM hardware: llvm-mca (LLVM 19) on the inner loops qnnc
generates for arm-64-linux, for Cortex-A57 (seed 001's Jetson TX1 core), A53 and A72.

For each kernel, qnn-gemm-gen emits the aarch64 assembly of the bit-serial GEMM, the loop
body with the most `cnt` instructions (the reduction over K words) is cut out and fed to
llvm-mca. Binary ops per iteration follow seed 001: 2 ops (AND + popcount-accumulate) per
multiply-accumulate of the original few-bit operands, i.e. cnt instructions x 128 bit-pairs
x 2 / (weight planes x activation planes).

usage: /usr/bin/python3 bench/arm_mca.py [BUILD_DIR] [--markdown OUT.md]
"""
import datetime
import os
import re
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
markdown = None
if "--markdown" in args:
    i = args.index("--markdown")
    markdown = args[i + 1]
    del args[i:i + 2]
build = args[0] if args else os.path.join(here, "..", "build")
gen = os.path.join(build, "bin", "qnn-gemm-gen")
CPUS = ["cortex-a57", "cortex-a53", "cortex-a72"]
# name, M, K, N, weight operand, activation operand, planes product
KERNELS = [
    ("W1A1 GEMM (conv-shaped, 64 x 2048 x 64)", 64, 2048, 64, "1u", "1u", 1),
    ("W1A2 GEMM (conv-shaped, 64 x 2048 x 64)", 64, 2048, 64, "1u", "2u", 2),
    ("W2A2 GEMM (conv-shaped, 64 x 2048 x 64)", 64, 2048, 64, "2u", "2u", 4),
    ("W1A1 GEMV (TFC layer, 64 x 784 x 1)", 64, 784, 1, "1b", "1b", 1),
]


def inner_loop(asm):
    """Instructions of the loop with the most cnt instructions: from a label to the first
    branch back to it."""
    best, label, body = None, None, []
    for line in asm.splitlines():
        m = re.match(r"^(\.LBB\w+):", line)
        if m:
            label, body = m.group(1), []
            continue
        if not line.startswith("\t") or line.strip().startswith(".") or label is None:
            continue
        body.append(line)
        if re.match(r"\s*(b\.\w+|cbnz|cbz|b)\s", line) and line.rstrip().endswith(label):
            cnts = sum(1 for l in body if re.match(r"\s*cnt\s", l))
            if cnts and (best is None or cnts > best[0]):
                best = (cnts, list(body))
            label = None
    return best


rows = []
with tempfile.TemporaryDirectory() as tmp:
    for name, m, k, n, w, a, planes in KERNELS:
        asm_path = os.path.join(tmp, "k.s")
        subprocess.run([gen, str(m), str(k), str(n), w, a, "arm-64-linux-no_asserts", "asm",
                        asm_path], check=True, capture_output=True)
        loop = inner_loop(open(asm_path).read())
        if not loop:
            sys.exit(f"{name}: no inner loop with cnt found")
        cnts, body = loop
        loop_path = os.path.join(tmp, "loop.s")
        open(loop_path, "w").write("\n".join(body) + "\n")
        ops = cnts * 128 * 2 / planes
        row = [name, str(len(body)), f"{ops:.0f}"]
        for cpu in CPUS:
            out = subprocess.run(["llvm-mca-19", "-mtriple=aarch64", f"-mcpu={cpu}",
                                  "-iterations=1000", loop_path],
                                 check=True, capture_output=True, text=True).stdout
            cycles = int(re.search(r"Total Cycles:\s+(\d+)", out).group(1)) / 1000
            row.append(f"{cycles:.1f} / **{ops / cycles:.1f}**")
        rows.append(row)

head = ["kernel", "instr./iter.", "binary ops/iter."] + [f"{c}: cycles / ops per cycle"
                                                         for c in CPUS]
lines = [f"Measured {datetime.date.today().isoformat()} with llvm-mca-19 (LLVM "
         f"{subprocess.run(['llvm-mca-19', '--version'], capture_output=True, text=True).stdout.split('version')[1].split()[0]}), "
         "`python3 bench/arm_mca.py`.", "",
         "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
lines += ["| " + " | ".join(r) + " |" for r in rows]
text = "\n".join(lines)
print(text)
if markdown:
    open(markdown, "w").write(text + "\n")
