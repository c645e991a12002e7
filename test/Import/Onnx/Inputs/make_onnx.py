"""Writes small ONNX/QONNX models for the importer's lit tests.

usage: make_onnx.py CASE OUT.onnx
Each case exercises one importer feature or one malformed-input diagnostic.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT
I64 = TensorProto.INT64


def model(nodes, inputs, outputs, inits=(), opset=13, extra_opsets=(), value_info=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits), value_info=list(value_info))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    return helper.make_model(graph, opset_imports=opsets, producer_name="qnnc-tests")


def vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def const(name, array, raw=True):
    if raw:
        return numpy_helper.from_array(np.asarray(array), name)
    a = np.asarray(array)
    dtype = {np.dtype("float32"): F, np.dtype("int64"): I64}[a.dtype]
    return helper.make_tensor(name, dtype, a.shape, a.flatten().tolist())


def shape_flatten_qonnx():
    """Brevitas-style flatten through shape arithmetic, Quant with a computed bit-width
    (Pow + Ceil on constants), BipolarQuant, MultiThreshold (FINN domain), typed and raw
    initializers, a Constant node and a symbolic batch dimension."""
    w = np.arange(12 * 4, dtype=np.float32).reshape(12, 4) / 10 - 2
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Constant", [], ["zero"], value=numpy_helper.from_array(np.array(0, np.int64))),
        helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
        helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"]),
        helper.make_node("Concat", ["n1", "minus1"], ["newshape"], axis=0),
        helper.make_node("Reshape", ["x", "newshape"], ["flat"]),
        helper.make_node("Pow", ["two", "exp"], ["p"]),
        helper.make_node("Ceil", ["p"], ["bits"]),
        helper.make_node("Quant", ["flat", "scale", "zp", "bits"], ["q"], domain="onnx.brevitas",
                         signed=1, narrow=0, rounding_mode="ROUND"),
        helper.make_node("BipolarQuant", ["w", "scale"], ["wq"], domain="qonnx.custom_op.general"),
        helper.make_node("MatMul", ["q", "wq"], ["mm"], name="mm"),
        helper.make_node("MultiThreshold", ["mm", "thr"], ["y"], domain="finn.custom_op.general",
                         out_dtype="UINT2", out_scale=1.0, out_bias=0.0),
    ]
    inits = [
        const("axes0", np.array([0], np.int64)),
        const("minus1", np.array([-1], np.int64), raw=False),
        const("two", np.array(2.0, np.float32)),
        const("exp", np.array(1.5, np.float32)),   # ceil(2^1.5) = 3 bits
        const("scale", np.array(0.5, np.float32)),
        const("zp", np.array(0.0, np.float32)),
        const("w", w, raw=False),
        const("thr", np.array([[-1.0, 0.0, 1.0]] * 4, np.float32)),
    ]
    x = helper.make_tensor_value_info("x", F, ["batch", 3, 2, 2])
    return model(nodes, [x], [vi("y", F, None)], inits,
                 extra_opsets=[("onnx.brevitas", 1), ("qonnx.custom_op.general", 1),
                               ("finn.custom_op.general", 1)])


def qdq_conv():
    """QDQ around a padded Conv (per-axis weights), MaxPool with SAME_UPPER, Relu, Gemm."""
    rng = np.random.default_rng(0)
    w = rng.integers(-8, 8, (4, 2, 3, 3)).astype(np.int8)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], axis=0),
        helper.make_node("Conv", ["xd", "wd", "b"], ["c"], pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("Flatten", ["p"], ["f"]),
        helper.make_node("Gemm", ["f", "g", "gb"], ["y"], transB=1),
    ]
    inits = [
        const("xs", np.array(0.05, np.float32)), const("xz", np.array(128, np.uint8)),
        const("wq", w), const("ws", np.array([0.1, 0.2, 0.3, 0.4], np.float32)),
        const("wz", np.zeros(4, np.int8)), const("b", np.zeros(4, np.float32)),
        const("g", np.ones((3, 36), np.float32)), const("gb", np.zeros(3, np.float32)),
    ]
    return model(nodes, [vi("x", F, [1, 2, 5, 5])], [vi("y", F, [1, 3])], inits)


def opset11_unsqueeze_clip():
    """Opset 11: Unsqueeze axes and Clip bounds as attributes/inputs, Softmax on the last axis."""
    nodes = [
        helper.make_node("Unsqueeze", ["x"], ["u"], axes=[0]),
        helper.make_node("Clip", ["u", "lo", "hi"], ["c"]),
        helper.make_node("Squeeze", ["c"], ["s"], axes=[0]),
        helper.make_node("Softmax", ["s"], ["y"], axis=1),
    ]
    inits = [const("lo", np.array(-1.0, np.float32)), const("hi", np.array(1.0, np.float32))]
    return model(nodes, [vi("x", F, [2, 5])], [vi("y", F, [2, 5])], inits, opset=11)


# --- malformed models: each must give one named diagnostic and exit code 1 ---

def unknown_op():
    nodes = [helper.make_node("FancyActivation", ["x"], ["h"], name="act1"),
             helper.make_node("Relu", ["h"], ["r"], name="relu1"),
             helper.make_node("Erf", ["x"], ["y"], name="erf1")]
    return model(nodes, [vi("x", F, [1, 4])], [vi("r", F, [1, 4]), vi("y", F, [1, 4])])


def wrong_arity():
    nodes = [helper.make_node("MatMul", ["x", "w", "w"], ["y"], name="mm3")]
    return model(nodes, [vi("x", F, [1, 4])], [vi("y", F, [1, 4])],
                 [const("w", np.ones((4, 4), np.float32))])


def inconsistent_shapes():
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm_bad")]
    return model(nodes, [vi("x", F, [1, 3])], [vi("y", F, [1, 2])],
                 [const("w", np.ones((4, 2), np.float32))])


def declared_shape_mismatch():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    return model(nodes, [vi("x", F, [1, 3])], [vi("y", F, [1, 7])])


def missing_initializer():
    nodes = [helper.make_node("MatMul", ["x", "weights_that_are_gone"], ["y"], name="fc")]
    return model(nodes, [vi("x", F, [1, 4])], [vi("y", F, [1, 4])])


def bad_bitwidth():
    nodes = [helper.make_node("Quant", ["x", "s", "z", "b"], ["y"], name="q_dyn",
                              domain="qonnx.custom_op.general")]
    return model(nodes, [vi("x", F, [1, 4]), vi("b", F, [])], [vi("y", F, [1, 4])],
                 [const("s", np.array(1.0, np.float32)), const("z", np.array(0.0, np.float32))],
                 extra_opsets=[("qonnx.custom_op.general", 1)])


def huge_initializer():
    """An initializer that claims 10^12 elements but carries 4 bytes."""
    t = TensorProto()
    t.name, t.data_type, t.raw_data = "w", F, b"\0" * 4
    t.dims.extend([1000000, 1000000])
    nodes = [helper.make_node("Add", ["x", "w"], ["y"], name="add")]
    return model(nodes, [vi("x", F, [1, 4])], [vi("y", F, None)], [t])


CASES = {f.__name__: f for f in [huge_initializer, shape_flatten_qonnx, qdq_conv, opset11_unsqueeze_clip, unknown_op,
                                 wrong_arity, inconsistent_shapes, declared_shape_mismatch,
                                 missing_initializer, bad_bitwidth]}

if __name__ == "__main__":
    case, out = sys.argv[1], sys.argv[2]
    if case == "truncated":
        data = qdq_conv().SerializeToString()
        open(out, "wb").write(data[: len(data) // 2])
    elif case == "wrong_magic":
        open(out, "wb").write(b"\x93NUMPY\x01\x00this is not an onnx model\n" * 4)
    else:
        onnx.save(CASES[case](), out)
