"""What the generated library promises, on the project's example model (784-64-64-10, float
first layer, W2A2 hidden and output layers):

- `--report` gives the numbers computed by hand below;
- `--dump-dir` writes one readable IR file per pass, the kernel passes included;
- `nm -u` of lib<name>.a lists only symbols that libc, libm or libpthread define;
- the runtime's .text is under 16 KB;
- library_contract.c: error codes for bad arguments, no malloc/calloc/realloc inside run
  (interposed), the same results on 2 and 3 kernel threads as on one, two threads with
  separate workspaces reproduce the sequential results (on 1 and 2 kernel threads each), and
  run_u8 equals run on pixels / 255.

usage: library_contract.py QNNC WORKDIR
"""
import glob
import os
import re
import subprocess
import sys

import numpy as np

import common

qnnc, work = sys.argv[1], sys.argv[2]
model = os.path.join(common.ROOT, "examples", "mnist_w2a2", "model.onnx")
lib, dumps = os.path.join(work, "lib"), os.path.join(work, "dumps")
for d in (lib, dumps):
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, "*")):
        if os.path.isfile(f):
            os.remove(f)
r = common.run([qnnc, model, "-o", lib, "--name", "digits", "--report", "--dump-dir", dumps])
failures = []

# --- report: per layer MACs, binary ops, weight bytes (hand computation) ---
# fc0: float 784x64 = 50176 MACs, 784*64*4 = 200704 weight bytes.
# act_quant0: 64 channels x 3 f32 thresholds = 768 bytes.
# act_quant1 (fused W2A2 64x64): 4096 MACs, 2 ops x 4096 x 2 x 2 planes = 32768 binary ops,
#   weights 2 planes x 64 rows x 1 word x 8 = 1024 bytes + 64 x 3 int32 thresholds = 768.
# fc2 (W2A2 64x10): 640 MACs, 2 x 640 x 4 = 5120 binary ops, 2 x 10 x 8 = 160 bytes.
# dequantize: 1 scale + 10 biases, f32 = 44 bytes.
expected = {
    "fc0": (50176, 0, 200704),
    "act_quant0": (0, 0, 768),
    "act_quant1": (4096, 32768, 1792),
    "fc2": (640, 5120, 160),
}
rows = {}
for line in r.stdout.splitlines():
    m = re.match(r"^(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", line)
    if m and m.group(2) not in rows:
        rows[m.group(2)] = tuple(int(m.group(i)) for i in (5, 6, 7))
for node, numbers in expected.items():
    if rows.get(node) != numbers:
        failures.append(f"report for {node}: {rows.get(node)}, expected {numbers}")
if "total: 54912 MACs, 37888 binary ops, 203468 weight bytes" not in r.stdout:
    failures.append("report totals differ from 54912 MACs, 37888 binary ops, 203468 bytes")

# --- one IR file per pass ---
files = sorted(os.path.basename(f) for f in glob.glob(os.path.join(dumps, "*.mlir")))
for needed in ("00-input.mlir", "-lower-to-qkernel.mlir", "-qkernel-plan-memory.mlir"):
    if not any(f.endswith(needed) for f in files):
        failures.append(f"--dump-dir wrote no *{needed}")
for f in files:
    text = open(os.path.join(dumps, f)).read()
    if "func.func @main" not in text:
        failures.append(f"{f} is not a readable module")
print(f"--dump-dir: {len(files)} files: {', '.join(files)}")

# --- undefined symbols: libc, libm, libpthread only ---
archive = os.path.join(lib, "libdigits.a")
undefined = set(subprocess.run(["nm", "-u", "--format=just-symbols", archive],
                               capture_output=True, text=True).stdout.split())
defined = set(subprocess.run(["nm", "--defined-only", "--format=just-symbols", archive],
                             capture_output=True, text=True).stdout.split())
external = {s for s in undefined - defined if not s.endswith(":")}
system = set()
for so in ("libc.so.6", "libm.so.6", "libpthread.so.0"):
    path = subprocess.run(["gcc", f"-print-file-name={so}"], capture_output=True,
                          text=True).stdout.strip()
    out = subprocess.run(["nm", "-D", "--defined-only", "--format=just-symbols", path],
                         capture_output=True, text=True).stdout.split()
    system |= {s.split("@")[0] for s in out}
foreign = sorted(external - system)
print(f"external symbols: {sorted(external)}")
if foreign:
    failures.append(f"symbols outside libc/libm/libpthread: {foreign}")

# --- runtime size ---
sizes = subprocess.run(["size", "-A", archive], capture_output=True, text=True).stdout
member = sizes.split("qnnc_runtime.o")[1] if "qnnc_runtime.o" in sizes else ""
text = re.search(r"^\.text\s+(\d+)", member, re.M)
if not text:
    failures.append("no .text for qnnc_runtime.o in the archive")
else:
    print(f"runtime .text: {text.group(1)} bytes")
    if int(text.group(1)) >= 16384:
        failures.append(f"runtime .text is {text.group(1)} bytes (limit 16 KB)")

# --- the C contract program ---
x, _ = common.mnist_digits()
count = 200
inputs = os.path.join(work, "inputs.f32")
x[:count].astype(np.float32).tofile(inputs)
exe = os.path.join(work, "library_contract")
common.run(["cc", "-O1", "-std=c99", f"-I{lib}", '-DHEADER="digits.h"',
            "-DMODEL(f)=digits_##f", "-DIN=DIGITS_INPUT_SIZE", "-DOUTS=DIGITS_OUTPUT_SIZE",
            "-DOUT_T=float", os.path.join(common.HERE, "library_contract.c"), archive,
            "-o", exe, "-lpthread", "-ldl", "-lm"])
c = subprocess.run([exe, inputs, str(count)], capture_output=True, text=True)
print(c.stdout.strip())
if c.returncode != 0:
    failures.append(f"library_contract exited {c.returncode}: {c.stderr.strip()}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
