"""Reference evaluator vs ONNX Runtime on the QONNX TFC models over 10,000 MNIST digits.

usage: tfc_accuracy.py QNNC MODEL_NAME EXPECTED_TOP1_PERCENT WORKDIR

ONNX Runtime runs the model after a test-side rewrite of the QONNX ops into standard ONNX;
the reference evaluator runs the original file. Passes when the evaluator's top-1 is within
0.05 points of the published figure for these digits and both agree on >= 99.9 % of digits.
"""
import os
import sys

import numpy as np

import common

qnnc, name, expected, work = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
model = os.path.join(common.models_dir(), "qonnx_zoo_tfc", name + ".onnx")
os.makedirs(work, exist_ok=True)
x, labels = common.mnist_digits()
np.save(os.path.join(work, "x.npy"), x)

ref_out = os.path.join(work, "ref.npy")
common.qnnc_reference(qnnc, model, [os.path.join(work, "x.npy")], [ref_out])
rewritten = os.path.join(work, name + ".std.onnx")
common.qonnx_to_onnx(model, rewritten)
ort_out = os.path.join(work, "ort.npy")
common.ort(rewritten, [os.path.join(work, "x.npy")], [ort_out])

ref_pred = np.load(ref_out).argmax(axis=1)
ort_pred = np.load(ort_out).argmax(axis=1)
acc_ref = 100.0 * np.mean(ref_pred == labels)
acc_ort = 100.0 * np.mean(ort_pred == labels)
agree = 100.0 * np.mean(ref_pred == ort_pred)
print(f"{name}: reference top-1 {acc_ref:.2f} %, ONNX Runtime {acc_ort:.2f} %, "
      f"expected {expected:.2f} %, agreement {agree:.2f} % on {len(labels)} digits")
ok = abs(acc_ref - expected) <= 0.05 + 1e-9 and agree >= 99.9
sys.exit(0 if ok else 1)
