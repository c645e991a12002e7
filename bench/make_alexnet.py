"""Builds the AlexNet-shaped networks of the end-to-end benchmark (seed 001's layer shapes:
conv1 11x11/4 -> 96, pool, conv2 5x5 -> 256, pool, conv3/4/5 3x3 -> 384/384/256, pool,
fc6 9216 -> 4096, fc7 4096 -> 4096, fc8 4096 -> 1000; input 1x3x227x227; random weights):

- OUT_PREFIX.w1a2.onnx / .w1a1.onnx: what qnnc compiles. 8-bit first and last layers (QDQ
  8-bit input and per-channel conv1 weights; 8-bit fc8 weights), binary weights elsewhere,
  BatchNorm + 2-bit (or 1-bit) unsigned activations, max-pools between.
- OUT_PREFIX.int8.onnx: the same layers all 8-bit in QDQ form (u8 activations after ReLU,
  s8 per-channel weights, as ONNX Runtime's quantizer writes them), for ONNX Runtime.

usage: make_alexnet.py OUT_PREFIX
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CONVS = [  # out channels, kernel, stride, pad, pool after
    (96, 11, 4, 0, True), (256, 5, 1, 2, True), (384, 3, 1, 1, False),
    (384, 3, 1, 1, False), (256, 3, 1, 1, True)]
FCS = [4096, 4096, 1000]


class Graph:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.inits, self.nodes, self.count = [], [], 0

    def const(self, value, dtype=np.float32, name=None):
        self.count += 1
        name = name or f"c{self.count}"
        self.inits.append(numpy_helper.from_array(np.asarray(value, dtype), name))
        return name

    def node(self, op, inputs, domain="", **attrs):
        self.count += 1
        out = f"{op.lower()}{self.count}"
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, domain=domain, **attrs))
        return out

    def save(self, path, name, x, y, out_shape, custom):
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 3, 227, 227])],
            [helper.make_tensor_value_info(y, TensorProto.FLOAT, out_shape)], self.inits)
        opsets = [helper.make_opsetid("", 13)]
        if custom:
            opsets.append(helper.make_opsetid("qonnx.custom_op.general", 1))
        onnx.save(helper.make_model(graph, producer_name="qnnc bench/make_alexnet.py",
                                    opset_imports=opsets), path)


def few_bit(path, act_bits):
    g = Graph(1)
    zero, bits = g.const(0.0), g.const(float(act_bits))
    q = g.node("QuantizeLinear", ["image", g.const(1 / 255), g.const(0, np.uint8)])
    h = g.node("DequantizeLinear", [q, g.const(1 / 255), g.const(0, np.uint8)])
    channels = 3
    for i, (m, k, s, p, pool) in enumerate(CONVS):
        if i == 0:
            w = g.const(g.rng.integers(-127, 128, (m, channels, k, k)), np.int8)
            w = g.node("DequantizeLinear", [w, g.const(g.rng.uniform(1e-3, 1e-2, m)),
                                            g.const(np.zeros(m), np.int8)], axis=0)
        else:
            w = g.node("BipolarQuant", [g.const(g.rng.normal(0, 1, (m, channels, k, k))),
                                        g.const(1.0)], domain="qonnx.custom_op.general")
        h = g.node("Conv", [h, w], kernel_shape=[k, k], strides=[s, s], pads=[p] * 4)
        h = g.node("BatchNormalization",
                   [h, g.const(g.rng.uniform(0.5, 1.5, m)), g.const(g.rng.normal(0, 1, m)),
                    g.const(g.rng.normal(0, 2, m)),
                    g.const(g.rng.uniform(1, 4, m) * k * k * channels)], epsilon=1e-5)
        h = g.node("Quant", [h, g.const(1.0), zero, bits], domain="qonnx.custom_op.general",
                   signed=0, narrow=0, rounding_mode="ROUND")
        if pool:
            h = g.node("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2])
        channels = m
    h = g.node("Flatten", [h], axis=1)
    width = channels * 6 * 6
    for i, m in enumerate(FCS):
        last = i == len(FCS) - 1
        wf = g.const(g.rng.normal(0, 1, (width, m)))
        if last:  # 8-bit weights
            w = g.node("Quant", [wf, g.const(0.02), zero, g.const(8.0)],
                       domain="qonnx.custom_op.general", signed=1, narrow=1,
                       rounding_mode="ROUND")
        else:
            w = g.node("BipolarQuant", [wf, g.const(1.0)], domain="qonnx.custom_op.general")
        h = g.node("MatMul", [h, w])
        if not last:
            h = g.node("BatchNormalization",
                       [h, g.const(g.rng.uniform(0.5, 1.5, m)), g.const(g.rng.normal(0, 1, m)),
                        g.const(g.rng.normal(0, 2, m)), g.const(g.rng.uniform(1, 4, m) * width)],
                       epsilon=1e-5)
            h = g.node("Quant", [h, g.const(1.0), zero, bits], domain="qonnx.custom_op.general",
                       signed=0, narrow=0, rounding_mode="ROUND")
        width = m
    g.save(path, f"alexnet_w1a{act_bits}", "image", h, [1, 1000], True)


def int8(path):
    g = Graph(2)
    zp = g.const(0, np.uint8)
    scale = g.const(0.05)
    q = g.node("QuantizeLinear", ["image", g.const(1 / 255), zp])
    h = g.node("DequantizeLinear", [q, g.const(1 / 255), zp])
    channels = 3

    def qdq_weights(shape, axis):
        # Per output channel for convolutions, per tensor for matmuls (what ONNX
        # Runtime's QDQ MatMul fusion takes).
        m = shape[axis] if axis == 0 else None
        w = g.const(g.rng.integers(-127, 128, shape), np.int8)
        if m is None:
            return g.node("DequantizeLinear", [w, g.const(5e-3), g.const(0, np.int8)])
        return g.node("DequantizeLinear", [w, g.const(g.rng.uniform(1e-3, 1e-2, m)),
                                           g.const(np.zeros(m), np.int8)], axis=axis)

    for m, k, s, p, pool in CONVS:
        # No bias: the few-bit networks have none either (BatchNorm is absorbed), and
        # ONNX Runtime fuses DQ -> Conv -> Relu -> Q into QLinearConv.
        h = g.node("Conv", [h, qdq_weights((m, channels, k, k), 0)],
                   kernel_shape=[k, k], strides=[s, s], pads=[p] * 4)
        h = g.node("Relu", [h])
        h = g.node("DequantizeLinear", [g.node("QuantizeLinear", [h, scale, zp]), scale, zp])
        if pool:
            h = g.node("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2])
            h = g.node("DequantizeLinear", [g.node("QuantizeLinear", [h, scale, zp]), scale, zp])
        channels = m
    h = g.node("Flatten", [h], axis=1)
    h = g.node("DequantizeLinear", [g.node("QuantizeLinear", [h, scale, zp]), scale, zp])
    width = channels * 6 * 6
    for i, m in enumerate(FCS):
        h = g.node("MatMul", [h, qdq_weights((width, m), 1)])
        if i < len(FCS) - 1:
            h = g.node("Relu", [h])
        h = g.node("DequantizeLinear", [g.node("QuantizeLinear", [h, scale, zp]), scale, zp])
        width = m
    g.save(path, "alexnet_int8", "image", h, [1, 1000], False)


if __name__ == "__main__":
    few_bit(sys.argv[1] + ".w1a2.onnx", 2)
    few_bit(sys.argv[1] + ".w1a1.onnx", 1)
    int8(sys.argv[1] + ".int8.onnx")
