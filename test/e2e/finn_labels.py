"""The FINN-streamlined TFC-W1A1 gives the authors' expected labels (7, 2, 1, 0) on its four
digits: with the reference evaluator on the imported model, on qnnc's streamlined model, and
(after the test-side rewrite) with ONNX Runtime.

usage: finn_labels.py QNNC WORKDIR
"""
import os
import sys

import numpy as np

import common

qnnc, work = sys.argv[1], sys.argv[2]
d = os.path.join(common.models_dir(), "finn_tfc_w1a1_streamlined")
os.makedirs(work, exist_ok=True)
x = np.load(os.path.join(d, "input.npy"))
expected = np.load(os.path.join(d, "expected_output.npy")).flatten()
rewritten = os.path.join(work, "finn.std.onnx")
common.qonnx_to_onnx(os.path.join(d, "model.onnx"), rewritten)
ref_labels, ort_labels, str_labels = [], [], []
for i in range(len(x)):
    xi = os.path.join(work, f"x{i}.npy")
    np.save(xi, x[i:i + 1])
    common.qnnc_reference(qnnc, os.path.join(d, "model.onnx"), [xi], [os.path.join(work, f"r{i}.npy")])
    common.ort(rewritten, [xi], [os.path.join(work, f"o{i}.npy")])
    common.run([qnnc, "run", "--reference", "--streamline", os.path.join(d, "model.onnx"),
                "--input", xi, "--output", os.path.join(work, f"s{i}.npy")])
    str_labels.append(int(np.load(os.path.join(work, f"s{i}.npy")).flatten()[0]))
    ref_labels.append(int(np.load(os.path.join(work, f"r{i}.npy")).flatten()[0]))
    ort_labels.append(int(np.load(os.path.join(work, f"o{i}.npy")).flatten()[0]))
print(f"expected {expected.tolist()}, reference {ref_labels}, streamlined {str_labels}, "
      f"ONNX Runtime {ort_labels}")
sys.exit(0 if ref_labels == expected.tolist() == ort_labels == str_labels else 1)
