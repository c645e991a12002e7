"""ONNX conformance node tests for the quantized ops (Debian libonnx-testdata): the reference
evaluator must reproduce the expected outputs and ONNX Runtime's outputs bit-exactly (these
are integer outputs, or float outputs of integer arithmetic that are exact in f32).

usage: onnx_node_tests.py QNNC WORKDIR
"""
import glob
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

import common

qnnc, work = sys.argv[1], sys.argv[2]
root = "/usr/share/libonnx-testdata/data/node"
CASES = ["test_quantizelinear", "test_quantizelinear_axis", "test_dequantizelinear",
         "test_dequantizelinear_axis", "test_matmulinteger", "test_basic_convinteger",
         "test_convinteger_with_padding", "test_convinteger_without_padding",
         "test_qlinearmatmul_2D", "test_qlinearmatmul_3D", "test_qlinearconv"]
if not os.path.isdir(root):
    sys.exit(f"{root} is missing: install libonnx-testdata (scripts/install-deps.sh)")
failures = 0
for case in CASES:
    d = os.path.join(root, case)
    out = os.path.join(work, case)
    os.makedirs(out, exist_ok=True)
    model = onnx.load(os.path.join(d, "model.onnx"))
    init_names = {i.name for i in model.graph.initializer}
    n_inputs = len([i for i in model.graph.input if i.name not in init_names])
    data = sorted(glob.glob(os.path.join(d, "test_data_set_0", "input_*.pb")))
    inputs = []
    for k, f in enumerate(data[:n_inputs]):
        t = onnx.TensorProto()
        t.ParseFromString(open(f, "rb").read())
        p = os.path.join(out, f"in{k}.npy")
        np.save(p, numpy_helper.to_array(t))
        inputs.append(p)
    t = onnx.TensorProto()
    t.ParseFromString(open(os.path.join(d, "test_data_set_0", "output_0.pb"), "rb").read())
    expected = numpy_helper.to_array(t)
    common.qnnc_reference(qnnc, os.path.join(d, "model.onnx"), inputs, [os.path.join(out, "ref.npy")])
    common.ort(os.path.join(d, "model.onnx"), inputs, [os.path.join(out, "ort.npy")])
    ref, ortv = np.load(os.path.join(out, "ref.npy")), np.load(os.path.join(out, "ort.npy"))
    ok = (ref.shape == expected.shape and np.array_equal(ref, expected) and np.array_equal(ref, ortv))
    print(f"{'PASS' if ok else 'FAIL'}: {case} {ref.dtype}{list(ref.shape)}")
    if not ok:
        print(f"  expected {expected.flatten()[:8]}\n  qnnc     {ref.flatten()[:8]}\n  ort      {ortv.flatten()[:8]}")
        failures += 1
print(f"{len(CASES) - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
