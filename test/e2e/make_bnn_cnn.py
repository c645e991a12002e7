"""Builds a small few-bit CNN in QONNX form for the library tests (random weights, no
training: the tests compare bit for bit, not accuracy): a 2-bit unsigned input quantizer,
conv 3x5 on the one image channel (16 filters, bipolar weights, no padding; 5-wide kernel rows
are one run of 5 bits in qnnc's packed im2col) + BatchNorm + 2-bit unsigned activation,
max-pool 2x2, conv 3x3 (16 channels, ternary weights, padding 1, stride 2) + BatchNorm +
2-bit activation, flatten, a fully connected layer with 2-bit weights and a float output
scale.

usage: make_bnn_cnn.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)
inits, nodes = [], []


def const(name, value):
    inits.append(numpy_helper.from_array(np.asarray(value, np.float32), name))


def quant(x, out, scale, bits, signed, name):
    const(out + "_s", scale)
    const(out + "_bits", float(bits))
    nodes.append(helper.make_node("Quant", [x, out + "_s", "zero", out + "_bits"], [out],
                                  name=name, domain="qonnx.custom_op.general", signed=signed,
                                  narrow=int(signed), rounding_mode="ROUND"))


def batchnorm(x, out, channels, name):
    const(out + "_g", rng.uniform(0.5, 1.5, channels))
    const(out + "_b", rng.normal(0, 1, channels))
    const(out + "_m", rng.normal(0, 2, channels))
    const(out + "_v", rng.uniform(4, 16, channels))
    nodes.append(helper.make_node("BatchNormalization",
                                  [x, out + "_g", out + "_b", out + "_m", out + "_v"], [out],
                                  name=name, epsilon=1e-5))


const("zero", 0.0)
quant("image", "a0", 1 / 3, 2, 0, "in_quant")
# conv1: bipolar weights, no padding (zero bits of +-1 activations would mean -1).
const("w1", rng.normal(0, 1, (16, 1, 3, 5)))
const("w1_s", 1.0)
nodes.append(helper.make_node("BipolarQuant", ["w1", "w1_s"], ["w1q"], name="w1_quant",
                              domain="qonnx.custom_op.general"))
nodes.append(helper.make_node("Conv", ["a0", "w1q"], ["c1"], name="conv1",
                              kernel_shape=[3, 5], pads=[0, 0, 0, 0]))
batchnorm("c1", "bn1", 16, "bn1")
quant("bn1", "a1", 1.0, 2, 0, "act1")
nodes.append(helper.make_node("MaxPool", ["a1"], ["p1"], name="pool1", kernel_shape=[2, 2],
                              strides=[2, 2]))
# conv2: ternary weights, padding 1, stride 2 (unsigned activations pad with 0 exactly).
const("w2", rng.normal(0, 1, (16, 16, 3, 3)))
quant("w2", "w2q", 1.0, 2, 1, "w2_quant")
nodes.append(helper.make_node("Conv", ["p1", "w2q"], ["c2"], name="conv2",
                              kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]))
batchnorm("c2", "bn2", 16, "bn2")
quant("bn2", "a2", 1.0, 2, 0, "act2")
nodes.append(helper.make_node("Flatten", ["a2"], ["f"], name="flatten", axis=1))
const("w3", rng.normal(0, 1, (16 * 7 * 6, 10)))  # 28x28 -> 26x24 -> 13x12 -> 7x6
quant("w3", "w3q", 1.0, 2, 1, "w3_quant")
nodes.append(helper.make_node("MatMul", ["f", "w3q"], ["m3"], name="fc"))
const("out_scale", 0.05)
nodes.append(helper.make_node("Mul", ["m3", "out_scale"], ["logits"], name="out_scale"))
graph = helper.make_graph(
    nodes, "bnn_cnn", [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], inits)
model = helper.make_model(graph, producer_name="qnnc test/e2e/make_bnn_cnn.py",
                          opset_imports=[helper.make_opsetid("", 13),
                                         helper.make_opsetid("qonnx.custom_op.general", 1)])
onnx.save(model, sys.argv[1])
