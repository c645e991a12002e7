"""The 8-bit QDQ CNN (make_qdq_cnn.py) streamlined to integers (conv_integer, matmul_integer,
requantize) against ONNX Runtime on 2,000 held-out MNIST digits: every output element within
1 LSB of the output quantization, the same top-1 class on every digit, and no op left in
floating point but the output dequantization.

usage: qdq_cnn_vs_ort.py QNNC WORKDIR
"""
import os
import subprocess
import sys

import numpy as np
import onnx
import onnx.numpy_helper

import common

qnnc, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
model = os.path.join(work, "qdq_cnn.onnx")
common.run([sys.executable, os.path.join(common.HERE, "make_qdq_cnn.py"), model])
x = model + ".test_x.npy"
labels = np.load(model + ".test_y.npy")

check = subprocess.run([qnnc, model, "--emit=streamlined", "-o", os.path.join(work, "s.mlir")],
                       capture_output=True, text=True)
if check.returncode != 0 or "warning" in check.stderr:
    sys.exit(f"streamlining left float ops or failed:\n{check.stderr}")
ir = open(os.path.join(work, "s.mlir")).read()
for op in ("qnn.conv ", "qnn.matmul ", "qnn.gemm", "qnn.dequantize_linear"):
    if op in ir:
        sys.exit(f"streamlined IR still has {op.strip()}")

ref, ort = os.path.join(work, "qnnc.npy"), os.path.join(work, "ort.npy")
common.run([qnnc, "run", "--reference", "--streamline", model, "--input", x, "--output", ref])
common.ort(model, [x], [ort])
a, b = np.load(ref), np.load(ort)
g = onnx.load(model)
scale = [onnx.numpy_helper.to_array(i) for i in g.graph.initializer if i.name == "out_s"][0]
lsb = np.abs(a - b) / scale
same = np.mean(a.argmax(axis=1) == b.argmax(axis=1))
print(f"integer model vs ONNX Runtime on {len(a)} digits: max difference {lsb.max():.3f} LSB, "
      f"{100 * np.mean(lsb > 0.5):.3f} % of elements differ, same top-1 on {100 * same:.2f} %; "
      f"top-1 accuracy {100 * np.mean(a.argmax(axis=1) == labels):.2f} % "
      f"(ONNX Runtime {100 * np.mean(b.argmax(axis=1) == labels):.2f} %)")
sys.exit(0 if lsb.max() <= 1 + 1e-4 and same == 1.0 else 1)
