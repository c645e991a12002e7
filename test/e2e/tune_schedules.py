"""`qnnc tune` and `--schedules` on the PyTorch-trained example CNN (a bit-serial conv GEMM
with a fused threshold epilogue and a GEMV):

- tune writes one entry per bit-serial GEMM of the planned model, with candidate timings;
- a hand-written schedules file (3-row conv tiles, 16-row GEMV tiles) shows
  up in the planned IR, and the library built with it gives outputs identical, bit for bit,
  to the library built without it on 1,000 digits (tiles change the order of integer sums
  only);
- bad files are refused with the file, the node and exit code 1: not JSON, a node without a
  GEMM, a GEMM's vectors per panel (its producer's layout), rows below 1; tuning a target this
  machine cannot run is refused too.

usage: tune_schedules.py QNNC WORKDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

import common

qnnc, work = sys.argv[1], sys.argv[2]
model = os.path.join(common.ROOT, "examples", "mnist_cnn_torch", "model.onnx")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []

kernels = common.run([qnnc, model, "--emit=kernels"]).stdout
gemms = re.findall(r"qkernel\.bitserial_gemm .*?rows = (\d+) : i64, .*?vectors_per_panel = (\d+)",
                   kernels)
if len(gemms) != 2:
    failures.append(f"expected 2 bit-serial GEMMs in the example, found {len(gemms)}")

tuned = os.path.join(work, "tuned.json")
r = common.run([qnnc, "tune", model, "-o", tuned, "--runs", "3"])
layers = json.load(open(tuned))["layers"]
if len(layers) != len(gemms):
    failures.append(f"tune wrote {len(layers)} layers for {len(gemms)} GEMMs: {layers}")
for node, entry in layers.items():
    if not (entry["rows"] >= 1 and entry["micros"] > 0 and f"] {node} (" in r.stderr):
        failures.append(f"tune entry or progress line for {node} is wrong: {entry}")

# The conv GEMM has N = 49 pixels, the classifier is a GEMV (N = 1).
conv = next(n for n in layers if "act" in n)
fc = next(n for n in layers if n != conv)
hand = os.path.join(work, "hand.json")
json.dump({"qnnc_schedules": 1, "layers": {
    conv: {"rows": 3, "vectors_per_panel": layers[conv]["vectors_per_panel"]},
    fc: {"rows": 16, "vectors_per_panel": 4}}}, open(hand, "w"))
planned = common.run([qnnc, model, "--emit=kernels", "--schedules", hand]).stdout
rows = sorted(re.findall(r"qkernel\.bitserial_gemm .*?rows = (\d+) : i64, .*?vectors_per_panel = (\d+)",
                         planned))
if rows != sorted([("3", str(layers[conv]["vectors_per_panel"])), ("16", "4")]):
    failures.append(f"--schedules did not set the tiles: {rows}")

x, _ = common.mnist_digits()
xp = os.path.join(work, "x.npy")
np.save(xp, x[:1000])
outs = {}
for label, extra in (("default", []), ("hand", ["--schedules", hand]), ("tuned", ["--schedules", tuned])):
    yp = os.path.join(work, f"y_{label}.npy")
    common.run([qnnc, "run", model, "--input", xp, "--output", yp] + extra)
    outs[label] = np.load(yp)
for label in ("hand", "tuned"):
    if not np.array_equal(outs[label], outs["default"]):
        failures.append(f"outputs with the {label} schedules differ from the default ones")


def refused(args, *needles):
    p = subprocess.run([qnnc] + args, capture_output=True, text=True)
    if p.returncode != 1 or not all(n in p.stderr for n in needles):
        failures.append(f"{args}: exit {p.returncode}, stderr {p.stderr!r}, wanted {needles}")


def bad(name, text):
    path = os.path.join(work, name)
    open(path, "w").write(text)
    return path


refused([model, "--emit=kernels", "--schedules", bad("x.json", "{rows")],
        "x.json", "not JSON")
refused([model, "--emit=kernels", "--schedules",
         bad("n.json", json.dumps({"qnnc_schedules": 1, "layers": {"nope": {"rows": 2, "vectors_per_panel": 2}}}))],
        "n.json", "node 'nope' has no bit-serial GEMM")
refused([model, "--emit=kernels", "--schedules",
         bad("v.json", json.dumps({"qnnc_schedules": 1, "layers": {conv: {"rows": 2, "vectors_per_panel": 7}}}))],
        f"node '{conv}'", "would change the activation panels")
refused([model, "--emit=kernels", "--schedules",
         bad("r.json", json.dumps({"qnnc_schedules": 1, "layers": {fc: {"rows": 0, "vectors_per_panel": 1}}}))],
        f"node '{fc}'", "rows (1-64)")
refused([model, "--emit=kernels", "--schedules", bad("o.json", "[]")], "not a qnnc schedules file")
refused(["tune", model, "-o", os.path.join(work, "arm.json"), "--target", "arm-64-linux"],
        "cannot run target 'arm-64-linux'")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"tune: {layers}; --schedules applied, outputs identical on 1000 digits, 6 bad inputs refused")
