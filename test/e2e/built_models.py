"""Models the tests build themselves (test/Import/Onnx/Inputs/make_onnx.py): the reference
evaluator against ONNX Runtime on random inputs. Float paths: within 1e-5 relative to the
largest output magnitude (accumulation order differs); QuantizeLinear outputs bit-exact.

usage: built_models.py QNNC WORKDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

import common

qnnc, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
make = os.path.join(common.ROOT, "test", "Import", "Onnx", "Inputs", "make_onnx.py")
rng = np.random.default_rng(7)
failures = 0
for case, shape in [("qdq_conv", (1, 2, 5, 5)), ("opset11_unsqueeze_clip", (2, 5))]:
    model = os.path.join(work, case + ".onnx")
    common.run([sys.executable, make, case, model])
    x = os.path.join(work, case + ".x.npy")
    np.save(x, rng.normal(0, 2, shape).astype(np.float32))
    ref, ort = os.path.join(work, case + ".ref.npy"), os.path.join(work, case + ".ort.npy")
    common.qnnc_reference(qnnc, model, [x], [ref])
    common.ort(model, [x], [ort])
    a, b = np.load(ref), np.load(ort)
    err = np.max(np.abs(a - b)) / max(1e-30, np.max(np.abs(b)))
    ok = a.shape == b.shape and err <= 1e-5
    print(f"{'PASS' if ok else 'FAIL'}: {case} {list(a.shape)} max relative error {err:.2e}")
    failures += not ok

# QuantizeLinear alone is integer-valued: bit-exact, including ties and saturation.
node = helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"])
g = helper.make_graph([node], "q", [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [64])],
                      [helper.make_tensor_value_info("y", onnx.TensorProto.INT8, [64])],
                      [numpy_helper.from_array(np.array(0.5, np.float32), "s"),
                       numpy_helper.from_array(np.array(-3, np.int8), "z")])
model = os.path.join(work, "quantize.onnx")
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), model)
x = os.path.join(work, "quantize.x.npy")
vals = np.concatenate([np.arange(-8, 8) * 0.25, rng.normal(0, 100, 48)]).astype(np.float32)
np.save(x, vals)
common.qnnc_reference(qnnc, model, [x], [os.path.join(work, "q.ref.npy")])
common.ort(model, [x], [os.path.join(work, "q.ort.npy")])
ok = np.array_equal(np.load(os.path.join(work, "q.ref.npy")), np.load(os.path.join(work, "q.ort.npy")))
print(f"{'PASS' if ok else 'FAIL'}: quantize_linear ties and saturation, bit-exact")
failures += not ok
print(f"{3 - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
