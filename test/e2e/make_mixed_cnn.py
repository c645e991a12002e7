"""Builds a small CNN with an 8-bit first and last layer and few-bit layers between, the
shape of seed 001's quantized AlexNet (random weights; the tests compare bit for bit):
QDQ 8-bit input and 8-bit per-channel conv weights (as ONNX Runtime's quantizer writes
them) + BatchNorm + 2-bit unsigned activation, max-pool, a bipolar conv + BatchNorm + 2-bit
activation, flatten, a fully connected layer with 8-bit weights, a float output scale.

usage: make_mixed_cnn.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(11)
inits, nodes = [], []


def const(name, value, dtype=np.float32):
    inits.append(numpy_helper.from_array(np.asarray(value, dtype), name))


def batchnorm(x, out, channels):
    const(out + "_g", rng.uniform(0.5, 1.5, channels))
    const(out + "_b", rng.normal(0, 1, channels))
    const(out + "_m", rng.normal(0, 2, channels))
    const(out + "_v", rng.uniform(4, 16, channels))
    nodes.append(helper.make_node("BatchNormalization",
                                  [x, out + "_g", out + "_b", out + "_m", out + "_v"], [out],
                                  name=out, epsilon=1e-5))


def act_quant(x, out, scale):
    const(out + "_s", scale)
    nodes.append(helper.make_node("Quant", [x, out + "_s", "zero", "two"], [out], name=out,
                                  domain="qonnx.custom_op.general", signed=0, narrow=0,
                                  rounding_mode="ROUND"))


const("zero", 0.0)
const("two", 2.0)
const("eight", 8.0)
# 8-bit first layer in QDQ form.
const("x_s", 1 / 255)
const("x_zp", 0, np.uint8)
nodes.append(helper.make_node("QuantizeLinear", ["image", "x_s", "x_zp"], ["xq"], name="in_q"))
nodes.append(helper.make_node("DequantizeLinear", ["xq", "x_s", "x_zp"], ["xd"], name="in_dq"))
w1 = rng.integers(-127, 128, (8, 1, 5, 5))
const("w1", w1, np.int8)
const("w1_s", rng.uniform(0.001, 0.01, 8))
const("w1_zp", np.zeros(8), np.int8)
nodes.append(helper.make_node("DequantizeLinear", ["w1", "w1_s", "w1_zp"], ["w1d"],
                              name="w1_dq", axis=0))
nodes.append(helper.make_node("Conv", ["xd", "w1d"], ["c1"], name="conv1",
                              kernel_shape=[5, 5], pads=[2, 2, 2, 2]))
batchnorm("c1", "bn1", 8)
act_quant("bn1", "act1", 0.5)
nodes.append(helper.make_node("MaxPool", ["act1"], ["p1"], name="pool1", kernel_shape=[2, 2],
                              strides=[2, 2]))
# A bipolar conv between 2-bit activations.
const("w2", rng.normal(0, 1, (16, 8, 3, 3)))
const("w2_s", 1.0)
nodes.append(helper.make_node("BipolarQuant", ["w2", "w2_s"], ["w2q"], name="w2_quant",
                              domain="qonnx.custom_op.general"))
nodes.append(helper.make_node("Conv", ["p1", "w2q"], ["c2"], name="conv2",
                              kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]))
batchnorm("c2", "bn2", 16)
act_quant("bn2", "act2", 1.0)
nodes.append(helper.make_node("Flatten", ["act2"], ["f"], name="flatten", axis=1))
# 8-bit last layer: 8-bit signed narrow weights with a per-tensor scale.
const("w3", rng.normal(0, 1, (16 * 7 * 7, 10)))
const("w3_s", 0.02)
nodes.append(helper.make_node("Quant", ["w3", "w3_s", "zero", "eight"], ["w3q"], name="w3_quant",
                              domain="qonnx.custom_op.general", signed=1, narrow=1,
                              rounding_mode="ROUND"))
nodes.append(helper.make_node("MatMul", ["f", "w3q"], ["logits"], name="fc"))
graph = helper.make_graph(
    nodes, "mixed_cnn",
    [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], inits)
model = helper.make_model(graph, producer_name="qnnc test/e2e/make_mixed_cnn.py",
                          opset_imports=[helper.make_opsetid("", 13),
                                         helper.make_opsetid("qonnx.custom_op.general", 1)])
onnx.save(model, sys.argv[1])
